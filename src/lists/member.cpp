#include "lists/member.hpp"

namespace coalition::lists {

const char* to_string(MemberState value) {
    switch (value) {
        case MemberState::Pending:
            return "pending";
        case MemberState::Subscribed:
            return "subscribed";
        case MemberState::Unsubscribed:
            return "unsubscribed";
    }
    return "pending";
}

const char* to_string(DeliveryMode value) {
    switch (value) {
        case DeliveryMode::Regular:
            return "regular";
        case DeliveryMode::Digest:
            return "digest";
        case DeliveryMode::PlainDigest:
            return "digest-plain";
        case DeliveryMode::None:
            return "none";
    }
    return "regular";
}

const char* to_string(MemberSource value) {
    switch (value) {
        case MemberSource::Web:
            return "web";
        case MemberSource::Mail:
            return "mail";
        case MemberSource::Admin:
            return "admin";
    }
    return "web";
}

core::Result<DeliveryMode> parse_delivery_mode(std::string_view text) {
    if (text == "regular") {
        return DeliveryMode::Regular;
    }
    if (text == "digest") {
        return DeliveryMode::Digest;
    }
    if (text == "digest-plain") {
        return DeliveryMode::PlainDigest;
    }
    if (text == "none") {
        return DeliveryMode::None;
    }
    return core::Error::invalid("Choose one of: regular, digest, digest-plain, none.",
                                "delivery_mode");
}

bool receives_digests(DeliveryMode mode) {
    return mode == DeliveryMode::Digest || mode == DeliveryMode::PlainDigest;
}

}  // namespace coalition::lists
