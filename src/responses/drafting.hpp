#pragma once
// Internal to responses/: the pieces responses.cpp and drafting.cpp share (who the actor is,
// access, versions, differences, text checks). Not part of the front door.

#include "responses/responses.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coalition::responses {

struct Responses::Loaded {
    Response response;
    Access access = Access::None;
};

namespace drafting {

// The actor as the access rules see them.
struct Viewer {
    bool is_operator = false;  // The command line.
    std::optional<accounts::User> user;
    bool represents_member = false;  // The user's organisation is a member.
};
Viewer viewer_of(const accounts::Actor& actor, const accounts::Users& users,
                 const accounts::Organisations& organisations);
Access access_of(const Viewer& viewer, const Response& response);

// An audit row's details: a JSON object of strings.
std::string details(const std::vector<std::pair<std::string, std::string>>& values);

// "s-<number>" for a heading, "p-<number>" for a paragraph.
std::string anchor_name(BlockKind kind, std::int64_t number);

// Writes version `number` made of the stored blocks `block_ids` (whose texts are `texts`), with
// the SHA-256 of their canonical text; returns it.
Version write_version(store::Connection& connection, ResponseId id, int number,
                      const std::vector<std::int64_t>& block_ids,
                      const std::vector<std::string>& texts, const std::string& reason,
                      std::optional<AmendmentId> amendment, const accounts::Actor& actor,
                      std::int64_t now);

// Paragraph-aligned differences by anchor (Responses::diff).
VersionDiff diff_texts(const Text& before, const Text& after);

// Plain text from a form (a comment, a reason, a note): valid UTF-8, no control characters other
// than tab and line ends, line ends unified, trimmed, NFC, at most `max_characters`; empty only
// when `may_be_empty`. Invalid with `field` otherwise.
core::Result<std::string> plain_text(std::string_view input, const std::string& field,
                                     std::size_t max_characters, bool may_be_empty);

// The one block of an amendment's wording; nullopt for "" (delete the paragraph). Invalid (field
// "wording") for bad text or several blocks.
core::Result<std::optional<Block>> amendment_block(std::string_view wording);

}  // namespace drafting
}  // namespace coalition::responses
