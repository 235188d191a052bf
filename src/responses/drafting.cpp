// Drafting a response: comments and replies (with a notice to the author replied to), amendments
// and the editors' decisions on them, whole-text revisions, and differences between versions.

#include "responses/drafting.hpp"

#include "core/assert.hpp"
#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "responses/response_store.hpp"
#include "store/transaction.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace coalition::responses {

using accounts::Actor;

namespace drafting {
namespace {

// C1 controls (U+0080–U+009F) are "\xC2\x80" … "\xC2\x9F" in UTF-8.
bool has_c1_controls(std::string_view text) {
    for (std::size_t index = 0; index + 1 < text.size(); ++index) {
        if (static_cast<unsigned char>(text[index]) == 0xC2 &&
            static_cast<unsigned char>(text[index + 1]) >= 0x80 &&
            static_cast<unsigned char>(text[index + 1]) <= 0x9F) {
            return true;
        }
    }
    return false;
}

// Indices of the longest strictly increasing subsequence of `values` (patience sorting).
std::vector<std::size_t> longest_increasing(const std::vector<std::size_t>& values) {
    std::vector<std::size_t> tails;  // Index into values of the smallest tail of each length.
    std::vector<std::size_t> previous(values.size(), values.size());
    for (std::size_t value_idx = 0; value_idx < values.size(); ++value_idx) {
        auto at = std::lower_bound(
            tails.begin(), tails.end(), values[value_idx],
            [&](std::size_t tail, std::size_t value) { return values[tail] < value; });
        if (at != tails.begin()) {
            previous[value_idx] = *(at - 1);
        }
        if (at == tails.end()) {
            tails.push_back(value_idx);
        } else {
            *at = value_idx;
        }
    }
    std::vector<std::size_t> out;
    for (std::size_t at = tails.empty() ? values.size() : tails.back(); at != values.size();
         at = previous[at]) {
        out.push_back(at);
    }
    std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace

std::string anchor_name(BlockKind kind, std::int64_t number) {
    return (kind == BlockKind::Heading ? "s-" : "p-") + std::to_string(number);
}

Version write_version(store::Connection& connection, ResponseId id, int number,
                      const std::vector<std::int64_t>& block_ids,
                      const std::vector<std::string>& texts, const std::string& reason,
                      std::optional<AmendmentId> amendment, const Actor& actor, std::int64_t now) {
    Version version{.number = number,
                    .hash = sha256_hex(join_blocks(texts)),
                    .reason = reason,
                    .amendment = amendment,
                    .actor = actor.label(),
                    .author = actor.user_id(),
                    .created_at = now};
    response_store::insert_version(connection, id, version, block_ids);
    return version;
}

VersionDiff diff_texts(const Text& before, const Text& after) {
    VersionDiff out{.from = before.version.number, .to = after.version.number, .rows = {}};
    std::map<std::string_view, std::size_t> old_position;
    for (std::size_t old_idx = 0; old_idx < before.paragraphs.size(); ++old_idx) {
        old_position.emplace(before.paragraphs[old_idx].anchor, old_idx);
    }
    std::set<std::string_view> kept;
    std::vector<std::size_t> common_old;  // Old positions of kept anchors, in the new order.
    std::vector<std::size_t> common_new;
    for (std::size_t new_idx = 0; new_idx < after.paragraphs.size(); ++new_idx) {
        if (auto found = old_position.find(after.paragraphs[new_idx].anchor);
            found != old_position.end()) {
            kept.insert(found->first);
            common_old.push_back(found->second);
            common_new.push_back(new_idx);
        }
    }
    std::set<std::size_t> in_order;  // New positions of kept paragraphs that did not move.
    for (const auto common_idx : longest_increasing(common_old)) {
        in_order.insert(common_new[common_idx]);
    }

    // Removed paragraphs, grouped under the kept anchor that preceded them ("" for none).
    std::map<std::string_view, std::vector<DiffRow>> removed_after;
    std::string_view last_kept;
    for (const auto& paragraph : before.paragraphs) {
        if (kept.count(paragraph.anchor) != 0) {
            last_kept = paragraph.anchor;
            continue;
        }
        removed_after[last_kept].push_back(
            DiffRow{.anchor = paragraph.anchor,
                    .kind = paragraph.kind,
                    .change = ParagraphChange::Removed,
                    .moved = false,
                    .diff = {texts::Piece{texts::Change::Deleted, paragraph.text}}});
    }
    auto emit_removed = [&](std::string_view anchor) {
        if (auto found = removed_after.find(anchor); found != removed_after.end()) {
            for (auto& row : found->second) {
                out.rows.push_back(std::move(row));
            }
        }
    };
    emit_removed("");
    for (std::size_t new_idx = 0; new_idx < after.paragraphs.size(); ++new_idx) {
        const auto& paragraph = after.paragraphs[new_idx];
        DiffRow row{.anchor = paragraph.anchor, .kind = paragraph.kind};
        if (auto found = old_position.find(paragraph.anchor); found != old_position.end()) {
            const auto& old_text = before.paragraphs[found->second].text;
            row.moved = in_order.count(new_idx) == 0;
            if (old_text == paragraph.text) {
                row.change = ParagraphChange::Unchanged;
                row.diff = {texts::Piece{texts::Change::Same, paragraph.text}};
            } else {
                row.change = ParagraphChange::Changed;
                row.diff = texts::diff_words(old_text, paragraph.text);
            }
        } else {
            row.change = ParagraphChange::Added;
            row.diff = {texts::Piece{texts::Change::Inserted, paragraph.text}};
        }
        out.rows.push_back(std::move(row));
        if (old_position.count(paragraph.anchor) != 0) {
            emit_removed(paragraph.anchor);
        }
    }
    return out;
}

core::Result<std::string> plain_text(std::string_view input, const std::string& field,
                                     std::size_t max_characters, bool may_be_empty) {
    // Four bytes a character at most: anything longer cannot fit, and is refused before NFC.
    if (input.size() > 4 * max_characters + 1024) {
        return core::Error::invalid(
            "Use at most " + std::to_string(max_characters) + " characters.", field);
    }
    if (!core::is_valid_utf8(input)) {
        return core::Error::invalid(std::string(i18n::gettext_noop("This is not valid UTF-8.")),
                                    field);
    }
    if (core::has_control_characters(input) || has_c1_controls(input)) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("This contains control characters.")), field);
    }
    std::string unified;
    unified.reserve(input.size());
    for (std::size_t index = 0; index < input.size(); ++index) {
        if (input[index] == '\r') {
            unified += '\n';
            if (index + 1 < input.size() && input[index + 1] == '\n') {
                ++index;
            }
        } else {
            unified += input[index];
        }
    }
    std::string text = core::to_nfc(core::trim(unified));
    if (core::character_count(text) > max_characters) {
        return core::Error::invalid(
            "Use at most " + std::to_string(max_characters) + " characters.", field);
    }
    if (text.empty() && !may_be_empty) {
        return core::Error::invalid(std::string(i18n::gettext_noop("This cannot be empty.")),
                                    field);
    }
    return text;
}

core::Result<std::optional<Block>> amendment_block(std::string_view wording) {
    if (core::is_valid_utf8(wording) && core::trim(wording).empty()) {
        return std::optional<Block>();
    }
    if (wording.size() > kMaxBlockBytes + 1024) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("A paragraph is longer than 20 kB.")), "wording");
    }
    auto blocks = split_blocks(wording, "wording");
    if (!blocks) {
        return blocks.error();
    }
    if (blocks->size() != 1) {
        return core::Error::invalid(
            std::string(
                i18n::gettext_noop("An amendment replaces one paragraph: leave out blank lines.")),
            "wording");
    }
    return std::optional<Block>(std::move(blocks->front()));
}

}  // namespace drafting

namespace {

core::Error not_a_draft() {
    return core::Error::conflict(
        std::string(i18n::gettext_noop("This response is no longer a draft.")));
}

core::Error no_paragraph() {
    return core::Error::not_found(
        std::string(i18n::gettext_noop("There is no such paragraph in the current version.")));
}

}  // namespace

core::Result<Comment> Responses::comment(const Actor& actor, std::string_view slug,
                                         std::string_view anchor, std::string_view body,
                                         std::optional<CommentId> reply_to) {
    auto loaded = load(actor, slug, Access::Member, "comment");
    if (!loaded) {
        return loaded.error();
    }
    if (!actor.user_id()) {
        return refuse(actor, audit_subject(loaded->response.id), "comment");
    }
    const auto& response = loaded->response;
    if (response.status != ResponseStatus::Draft) {
        return not_a_draft();
    }
    auto text = drafting::plain_text(body, "body", kMaxCommentCharacters, false);
    if (!text) {
        return text.error();
    }
    Comment comment{.anchor = std::string(anchor),
                    .version_number = response.current_version,
                    .author = *actor.user_id(),
                    .author_name = user_name(*actor.user_id()),
                    .body = std::move(*text),
                    .created_at = clock_.unix_now()};

    // Who hears of a reply: the author of the comment answered and of its thread's first comment.
    std::set<accounts::UserId> notify;
    if (reply_to) {
        auto parent = response_store::find_comment(database_, response.id, *reply_to);
        if (!parent) {
            return core::Error::not_found(
                std::string(i18n::gettext_noop("There is no such comment.")));
        }
        notify.insert(parent->author);
        if (parent->parent) {
            // One level of threading: a reply to a reply answers the thread's first comment.
            parent = response_store::find_comment(database_, response.id, *parent->parent);
            COALITION_ASSERT(parent.has_value(), "a reply's parent exists");
            notify.insert(parent->author);
        }
        comment.parent = parent->id;
        comment.anchor = parent->anchor;
    } else {
        const auto current = response_store::text(database_, response.id, response.current_version);
        if (!current || current->find(anchor) == nullptr) {
            return no_paragraph();
        }
    }
    notify.erase(comment.author);

    std::vector<std::pair<mail::ComposedMessage, std::string>> notices;
    for (const auto& user_id : notify) {
        const auto user = users_.find_by_id(user_id);
        if (!user) {
            continue;
        }
        const std::vector<std::pair<std::string, std::string>> values = {
            {"name", comment.author_name},
            {"title", response.title},
            {"site", settings_.site_name},
            {"link",
             settings_.base_url + "/responses/" + response.slug.value() + "#" + comment.anchor}};
        const auto& catalog = i18n::Catalog::embedded();
        const mail::OutgoingMessage message{
            .from = settings_.sender,
            .to = {mail::Mailbox{user->display_name, user->email}},
            .subject = i18n::format(catalog.translate("en", "New reply to your comment on {title}"),
                                    values),
            .text_body = i18n::format(
                catalog.translate("en",
                                  "Hello,\n\n"
                                  "{name} replied to your comment on the draft response "
                                  "\"{title}\" on {site}. Read the reply here:\n\n"
                                  "{link}\n"),
                values),
            .headers = {{"Auto-Submitted", "auto-generated"}},
            .language = "en"};
        notices.emplace_back(mail::compose(message, clock_, random_), message.subject);
    }

    const auto now = comment.created_at;
    database_.transact([&](store::Connection& connection) {
        comment.id = response_store::insert_comment(connection, response.id, comment);
        for (const auto& [composed, subject] : notices) {
            outbox_.enqueue(connection, composed, subject);
        }
        accounts::AuditLog::record(
            connection, now, actor, "response.comment", audit_subject(response.id),
            drafting::details(
                {{"comment", std::to_string(comment.id.value())}, {"anchor", comment.anchor}}));
    });
    return comment;
}

core::Result<Amendment> Responses::propose(const Actor& actor, std::string_view slug,
                                           std::string_view anchor, std::string_view wording,
                                           std::string_view reason) {
    auto loaded = load(actor, slug, Access::Member, "propose");
    if (!loaded) {
        return loaded.error();
    }
    if (!actor.user_id()) {
        return refuse(actor, audit_subject(loaded->response.id), "propose");
    }
    const auto& response = loaded->response;
    if (response.status != ResponseStatus::Draft) {
        return not_a_draft();
    }
    const auto current = response_store::text(database_, response.id, response.current_version);
    const Paragraph* paragraph = current ? current->find(anchor) : nullptr;
    if (paragraph == nullptr) {
        return no_paragraph();
    }
    auto block = drafting::amendment_block(wording);
    if (!block) {
        return block.error();
    }
    if (*block && (*block)->text == paragraph->text) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("The wording is the same as the current one.")),
            "wording");
    }
    auto why = drafting::plain_text(reason, "reason", kMaxReasonCharacters, false);
    if (!why) {
        return why.error();
    }
    Amendment amendment{.anchor = paragraph->anchor,
                        .base_block_id = paragraph->block_id,
                        .wording = *block ? (*block)->text : std::string(),
                        .reason = std::move(*why),
                        .author = *actor.user_id(),
                        .author_name = user_name(*actor.user_id()),
                        .state = AmendmentState::Open,
                        .created_at = clock_.unix_now()};
    database_.transact([&](store::Connection& connection) {
        amendment.id = response_store::insert_amendment(connection, response.id, amendment);
        accounts::AuditLog::record(
            connection, amendment.created_at, actor, "amendment.propose",
            audit_subject(response.id),
            drafting::details({{"amendment", std::to_string(amendment.id.value())},
                               {"anchor", amendment.anchor}}));
    });
    return amendment;
}

core::Result<Version> Responses::revise(const Actor& actor, std::string_view slug,
                                        std::string_view markdown, std::string_view reason,
                                        int based_on) {
    auto loaded = load(actor, slug, Access::Editor, "revise");
    if (!loaded) {
        return loaded.error();
    }
    const auto id = loaded->response.id;
    // Editors may still change the text while it is open for endorsement: the new version is
    // then frozen again (Endorsements::freeze), and earlier answers must be given again.
    if (loaded->response.status == ResponseStatus::Published) {
        return not_a_draft();
    }
    auto blocks = split_blocks(markdown);
    if (!blocks) {
        return blocks.error();
    }
    auto why = drafting::plain_text(reason, "reason", kMaxReasonCharacters, true);
    if (!why) {
        return why.error();
    }
    const std::string stated = why->empty() ? std::string("Revised by the editors") : *why;
    const auto now = clock_.unix_now();
    const core::Error changed = core::Error::conflict(
        std::string(i18n::gettext_noop(
            "The text has changed since you opened it: reload it and make your change again.")),
        "based_on");
    return store::run_transaction<Version>(database_, changed, [&](store::Connection& connection) {
        response_store::touch(connection, id, now);
        const auto response = response_store::find(connection, slug);
        if (!response || response->current_version != based_on) {
            throw store::Rejection(changed);
        }
        const auto current = response_store::text(connection, id, response->current_version);
        COALITION_ASSERT(current.has_value(), "the current version exists");
        std::vector<Block> before;
        before.reserve(current->paragraphs.size());
        for (const auto& paragraph : current->paragraphs) {
            before.push_back(Block{paragraph.kind, paragraph.level, paragraph.text});
        }
        const auto matches = match_blocks(before, *blocks);
        const auto fresh =
            static_cast<std::int64_t>(std::count(matches.begin(), matches.end(), std::nullopt));
        std::int64_t next = fresh > 0 ? response_store::take_anchors(connection, id, fresh) : 0;
        std::vector<std::int64_t> block_ids;
        std::vector<std::string> texts;
        for (std::size_t block_idx = 0; block_idx < blocks->size(); ++block_idx) {
            const auto& block = (*blocks)[block_idx];
            texts.push_back(block.text);
            if (const auto& match = matches[block_idx]) {
                const auto& old = current->paragraphs[*match];
                if (before[*match] == block) {
                    block_ids.push_back(old.block_id);
                } else {
                    block_ids.push_back(
                        response_store::insert_block(connection, id, old.anchor, block, now));
                }
            } else {
                block_ids.push_back(response_store::insert_block(
                    connection, id, drafting::anchor_name(block.kind, next++), block, now));
            }
        }
        if (sha256_hex(join_blocks(texts)) == current->version.hash) {
            throw store::Rejection(core::Error::conflict(
                std::string(i18n::gettext_noop("The text is the same as the current version.")),
                "markdown"));
        }
        auto version = drafting::write_version(connection, id, based_on + 1, block_ids, texts,
                                               stated, std::nullopt, actor, now);
        accounts::AuditLog::record(connection, now, actor, "response.revise", audit_subject(id),
                                   drafting::details({{"version", std::to_string(version.number)},
                                                      {"hash", version.hash}}));
        return version;
    });
}

core::Result<Version> Responses::accept(const Actor& actor, std::string_view slug,
                                        AmendmentId amendment) {
    return apply_amendment(actor, slug, amendment, std::nullopt, "");
}

core::Result<Version> Responses::merge(const Actor& actor, std::string_view slug,
                                       AmendmentId amendment, std::string_view wording,
                                       std::string_view note) {
    return apply_amendment(actor, slug, amendment, wording, note);
}

core::Result<Version> Responses::apply_amendment(const Actor& actor, std::string_view slug,
                                                 AmendmentId amendment_id,
                                                 std::optional<std::string_view> wording,
                                                 std::string_view note) {
    const bool merging = wording.has_value();
    auto loaded = load(actor, slug, Access::Editor, merging ? "merge" : "accept");
    if (!loaded) {
        return loaded.error();
    }
    const auto id = loaded->response.id;
    // As revise: pending amendments may still be decided while the text is open for endorsement.
    if (loaded->response.status == ResponseStatus::Published) {
        return not_a_draft();
    }
    std::optional<Block> edited;
    if (merging) {
        auto block = drafting::amendment_block(*wording);
        if (!block) {
            return block.error();
        }
        edited = std::move(*block);
    }
    auto editor_note = drafting::plain_text(note, "note", kMaxReasonCharacters, true);
    if (!editor_note) {
        return editor_note.error();
    }
    const auto now = clock_.unix_now();
    const core::Error changed = core::Error::conflict(
        std::string(i18n::gettext_noop("The text changed meanwhile: try again.")));
    return store::run_transaction<Version>(database_, changed, [&](store::Connection& connection) {
        response_store::touch(connection, id, now);
        const auto amendment = response_store::find_amendment(connection, id, amendment_id);
        if (!amendment) {
            throw store::Rejection(core::Error::not_found(
                std::string(i18n::gettext_noop("There is no such amendment."))));
        }
        if (amendment->state != AmendmentState::Open) {
            throw store::Rejection(core::Error::conflict(
                std::string(i18n::gettext_noop("This amendment has been decided already."))));
        }
        const auto response = response_store::find(connection, slug);
        const auto current = response_store::text(connection, id, response->current_version);
        COALITION_ASSERT(current.has_value(), "the current version exists");
        const Paragraph* paragraph = current->find(amendment->anchor);
        if (paragraph == nullptr) {
            throw store::Rejection(core::Error::conflict(std::string(i18n::gettext_noop(
                "The paragraph this amendment changes is no longer in the text."))));
        }
        if (!merging && paragraph->block_id != amendment->base_block_id) {
            throw store::Rejection(core::Error::conflict(
                std::string(i18n::gettext_noop("The paragraph has changed since this amendment was "
                                               "proposed: merge it instead."))));
        }
        std::optional<Block> replacement = edited;
        if (!merging && !amendment->wording.empty()) {
            auto block = drafting::amendment_block(amendment->wording);
            COALITION_ASSERT(block.has_value() && block->has_value(),
                             "stored wording is one block");
            replacement = **block;
        }
        std::vector<std::int64_t> block_ids;
        std::vector<std::string> texts;
        for (const auto& kept : current->paragraphs) {
            if (kept.anchor != amendment->anchor) {
                block_ids.push_back(kept.block_id);
                texts.push_back(kept.text);
            } else if (replacement) {
                block_ids.push_back(replacement->text == kept.text
                                        ? kept.block_id
                                        : response_store::insert_block(connection, id, kept.anchor,
                                                                       *replacement, now));
                texts.push_back(replacement->text);
            }
        }
        if (texts.empty() || sha256_hex(join_blocks(texts)) == current->version.hash) {
            throw store::Rejection(core::Error::invalid(
                std::string(
                    texts.empty()
                        ? i18n::gettext_noop("The last paragraph cannot be deleted.")
                        : i18n::gettext_noop("The wording is the same as the current one.")),
                "wording"));
        }
        const int number = response->current_version + 1;
        const std::string reason = "Amendment " + std::to_string(amendment_id.value()) +
                                   (merging ? " merged" : " accepted") +
                                   (editor_note->empty() ? std::string() : ": " + *editor_note);
        auto version = drafting::write_version(connection, id, number, block_ids, texts, reason,
                                               amendment_id, actor, now);
        response_store::decide_amendment(
            connection, amendment_id, merging ? AmendmentState::Merged : AmendmentState::Accepted,
            *editor_note, actor.user_id(), now, number);
        accounts::AuditLog::record(
            connection, now, actor, merging ? "amendment.merge" : "amendment.accept",
            audit_subject(id),
            drafting::details({{"amendment", std::to_string(amendment_id.value())},
                               {"version", std::to_string(number)}}));
        return version;
    });
}

core::Result<Amendment> Responses::reject(const Actor& actor, std::string_view slug,
                                          AmendmentId amendment_id, std::string_view note) {
    auto loaded = load(actor, slug, Access::Editor, "reject");
    if (!loaded) {
        return loaded.error();
    }
    const auto id = loaded->response.id;
    if (loaded->response.status == ResponseStatus::Published) {
        return not_a_draft();
    }
    auto editor_note = drafting::plain_text(note, "note", kMaxReasonCharacters, true);
    if (!editor_note) {
        return editor_note.error();
    }
    const auto now = clock_.unix_now();
    auto decided = store::run_transaction<Amendment>(
        database_, core::Error::conflict("The amendment changed meanwhile: try again."),
        [&](store::Connection& connection) {
            auto amendment = response_store::find_amendment(connection, id, amendment_id);
            if (!amendment) {
                throw store::Rejection(core::Error::not_found(
                    std::string(i18n::gettext_noop("There is no such amendment."))));
            }
            if (!response_store::decide_amendment(connection, amendment_id,
                                                  AmendmentState::Rejected, *editor_note,
                                                  actor.user_id(), now, std::nullopt)) {
                throw store::Rejection(core::Error::conflict(
                    std::string(i18n::gettext_noop("This amendment has been decided already."))));
            }
            accounts::AuditLog::record(
                connection, now, actor, "amendment.reject", audit_subject(id),
                drafting::details({{"amendment", std::to_string(amendment_id.value())}}));
            return *response_store::find_amendment(connection, id, amendment_id);
        });
    if (!decided) {
        return decided.error();
    }
    decided->author_name = user_name(decided->author);
    return decided;
}

core::Result<DraftSummary> Responses::summary(const Actor& actor, std::string_view slug,
                                              std::size_t comments_kept,
                                              std::size_t amendments_kept) {
    auto current = current_draft(actor, slug);
    if (!current) {
        return current.error();
    }
    DraftSummary out{.response = std::move(current->response),
                     .access = current->access,
                     .text = std::move(current->text)};
    std::unordered_map<std::string_view, const Paragraph*> paragraphs;
    paragraphs.reserve(out.text.paragraphs.size());
    for (const auto& paragraph : out.text.paragraphs) {
        paragraphs.emplace(paragraph.anchor, &paragraph);
    }
    std::map<accounts::UserId, std::string> names;
    auto name_of = [&](accounts::UserId user) -> const std::string& {
        auto found = names.find(user);
        if (found == names.end()) {
            found = names.emplace(user, user_name(user)).first;
        }
        return found->second;
    };
    std::unordered_map<std::string, std::size_t> index;  // Anchor → position in discussions.
    auto discussion_of = [&](const std::string& anchor) -> AnchorDiscussion& {
        const auto [found, added] = index.try_emplace(anchor, out.discussions.size());
        if (added) {
            out.discussions.push_back(AnchorDiscussion{.anchor = anchor});
        }
        return out.discussions[found->second];
    };
    // One pass each over the rows, newest first (they come oldest first): every row counts, only
    // the kept ones are moved out. Cheaper than ranking in SQL, which SQLite does by sorting whole
    // rows (measured: twice the time of reading them all).
    auto comments = response_store::comments(database_, out.response.id);
    for (auto comment = comments.rbegin(); comment != comments.rend(); ++comment) {
        auto& discussion = discussion_of(comment->anchor);
        ++discussion.comments;
        if (discussion.latest_comments.size() < comments_kept) {
            comment->author_name = name_of(comment->author);
            discussion.latest_comments.push_back(std::move(*comment));
        }
    }
    auto amendments = response_store::amendments(database_, out.response.id);
    for (auto amendment = amendments.rbegin(); amendment != amendments.rend(); ++amendment) {
        if (amendment->state != AmendmentState::Open) {
            continue;
        }
        auto& discussion = discussion_of(amendment->anchor);
        ++discussion.open_amendments;
        if (discussion.latest_open_amendments.size() < amendments_kept) {
            const auto paragraph = paragraphs.find(amendment->anchor);
            amendment->stale = paragraph == paragraphs.end() ||
                               paragraph->second->block_id != amendment->base_block_id;
            amendment->author_name = name_of(amendment->author);
            discussion.latest_open_amendments.push_back(std::move(*amendment));
        }
    }
    return out;
}

core::Result<DraftHead> Responses::head(const Actor& actor, std::string_view slug) {
    auto loaded = load(actor, slug, Access::Partner, "read");
    if (!loaded) {
        return loaded.error();
    }
    const ResponseId id = loaded->response.id;
    auto versions = response_store::versions(database_, id);
    COALITION_ASSERT(!versions.empty(), "every response has a current version");
    DraftHead out{.response = std::move(loaded->response),
                  .access = loaded->access,
                  .version = std::move(versions.back()),
                  .stamp = response_store::discussion_stamp(database_, id)};
    out.stamp.version = out.version.number;
    return out;
}

}  // namespace coalition::responses
