// lists::Post values: the names of states and sources as stored (lists/posts.hpp).
#include "lists/posts.hpp"

#include <stdexcept>

namespace coalition::lists {

const char* to_string(PostState value) {
    switch (value) {
        case PostState::Held:
            return "held";
        case PostState::Accepted:
            return "accepted";
        case PostState::Rejected:
            return "rejected";
        case PostState::Discarded:
            return "discarded";
    }
    return "held";
}

const char* to_string(PostSource value) {
    switch (value) {
        case PostSource::Lmtp:
            return "lmtp";
        case PostSource::Inject:
            return "inject";
        case PostSource::Web:
            return "web";
    }
    return "lmtp";
}

core::Result<PostState> parse_post_state(std::string_view text) {
    for (auto state :
         {PostState::Held, PostState::Accepted, PostState::Rejected, PostState::Discarded}) {
        if (text == to_string(state))
            return state;
    }
    return core::Error::invalid("Unknown post state.", "state");
}

}  // namespace coalition::lists
