// Responses: creating a response, who may do what with it (access), and reading it. The changes
// members and editors make to a draft are in drafting.cpp.

#include "responses/responses.hpp"

#include "core/text.hpp"
#include "i18n/i18n.hpp"
#include "responses/drafting.hpp"
#include "responses/response_store.hpp"
#include "store/transaction.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <utility>

namespace coalition::responses {

std::string audit_subject(ResponseId id) {
    return "response:" + std::to_string(id.value());
}

using accounts::Actor;

bool Response::is_editor(accounts::UserId user) const {
    return std::find(editors.begin(), editors.end(), user) != editors.end();
}

bool Response::is_partner(accounts::OrganisationId organisation) const {
    return std::find(partners.begin(), partners.end(), organisation) != partners.end();
}

std::string Text::canonical() const {
    std::vector<std::string> texts;
    texts.reserve(paragraphs.size());
    for (const auto& paragraph : paragraphs) {
        texts.push_back(paragraph.text);
    }
    return join_blocks(texts);
}

std::vector<Section> Text::sections() const {
    std::vector<Section> out;
    for (const auto& paragraph : paragraphs) {
        if (paragraph.kind == BlockKind::Heading) {
            out.push_back(Section{.heading = paragraph, .paragraphs = {}});
        } else {
            if (out.empty()) {
                out.emplace_back();
            }
            out.back().paragraphs.push_back(paragraph);
        }
    }
    return out;
}

const Paragraph* Text::find(std::string_view anchor) const {
    for (const auto& paragraph : paragraphs) {
        if (paragraph.anchor == anchor) {
            return &paragraph;
        }
    }
    return nullptr;
}

namespace drafting {

Viewer viewer_of(const Actor& actor, const accounts::Users& users,
                 const accounts::Organisations& organisations) {
    Viewer viewer;
    if (!actor.user_id()) {
        viewer.is_operator = true;
        return viewer;
    }
    viewer.user = users.find_by_id(*actor.user_id());
    if (viewer.user && viewer.user->organisation) {
        const auto organisation = organisations.find_by_id(*viewer.user->organisation);
        viewer.represents_member =
            organisation && organisation->status == accounts::OrganisationStatus::Member;
    }
    return viewer;
}

Access access_of(const Viewer& viewer, const Response& response) {
    if (viewer.is_operator) {
        return Access::Admin;
    }
    if (!viewer.user) {
        return Access::None;
    }
    if (viewer.user->role == accounts::Role::Admin) {
        return Access::Admin;
    }
    if (response.is_editor(viewer.user->id)) {
        return Access::Editor;
    }
    if (viewer.represents_member) {
        return Access::Member;
    }
    if (viewer.user->organisation && response.is_partner(*viewer.user->organisation)) {
        return Access::Partner;
    }
    return Access::None;
}

std::string details(const std::vector<std::pair<std::string, std::string>>& values) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [key, value] : values) {
        object[key] = value;
    }
    return object.dump();
}

}  // namespace drafting

Responses::Responses(store::Database& database, const core::Clock& clock, core::Random& random,
                     mail::Outbox& outbox, const accounts::Users& users,
                     const accounts::Organisations& organisations,
                     const processes::Processes& processes, ResponseSettings settings)
    : database_(database),
      clock_(clock),
      random_(random),
      outbox_(outbox),
      users_(users),
      organisations_(organisations),
      processes_(processes),
      settings_(std::move(settings)) {
}

core::Error Responses::refuse(const Actor& actor, std::string_view subject,
                              std::string_view attempt) {
    const auto now = clock_.unix_now();
    database_.transact([&](store::Connection& connection) {
        accounts::AuditLog::record(connection, now, actor, "response.refused", subject,
                                   drafting::details({{"attempt", std::string(attempt)}}));
    });
    return core::Error::forbidden(
        std::string(i18n::gettext_noop("You may not do this with this response.")));
}

core::Result<Responses::Loaded> Responses::load(const Actor& actor, std::string_view slug,
                                                Access needed, std::string_view attempt) {
    auto response = response_store::find(database_, slug);
    if (!response) {
        return core::Error::not_found(
            std::string(i18n::gettext_noop("There is no such response.")));
    }
    const auto viewer = drafting::viewer_of(actor, users_, organisations_);
    const Access access = drafting::access_of(viewer, *response);
    if (access < needed) {
        return refuse(actor, audit_subject(response->id), attempt);
    }
    return Loaded{std::move(*response), access};
}

Access Responses::access(const Actor& actor, const Response& response) const {
    return drafting::access_of(drafting::viewer_of(actor, users_, organisations_), response);
}

core::Result<void> Responses::check_editors(const std::vector<accounts::UserId>& editors) const {
    if (editors.size() > kMaxEditors) {
        return core::Error::invalid(std::string(i18n::gettext_noop("Choose fewer editors.")),
                                    "editors");
    }
    for (const auto& editor : editors) {
        if (!users_.find_by_id(editor)) {
            return core::Error::invalid(
                std::string(i18n::gettext_noop("An editor chosen has no account.")), "editors");
        }
    }
    return {};
}

std::string Responses::user_name(accounts::UserId user) const {
    const auto found = users_.find_by_id(user);
    return found ? found->name() : std::string();
}

core::Result<Response> Responses::create(const Actor& actor, const ResponseFields& fields,
                                         std::string_view markdown,
                                         const std::vector<accounts::UserId>& editors) {
    const auto viewer = drafting::viewer_of(actor, users_, organisations_);
    if (!viewer.is_operator && !(viewer.user && viewer.user->role == accounts::Role::Admin)) {
        return refuse(actor, "responses", "create");
    }
    auto blocks = split_blocks(markdown);
    if (!blocks) {
        return blocks.error();
    }
    if (auto checked = check_editors(editors); !checked) {
        return checked.error();
    }
    if (fields.milestone && !processes_.find_milestone(*fields.milestone)) {
        return core::Error::invalid(
            std::string(i18n::gettext_noop("Choose a milestone from the list.")), "milestone_id");
    }
    const auto now = clock_.unix_now();
    const core::Error taken =
        core::Error::conflict(std::string(i18n::gettext_noop("This short name is taken.")), "slug");
    auto created =
        store::run_transaction<std::string>(database_, taken, [&](store::Connection& connection) {
            accounts::Slug slug = fields.slug ? *fields.slug : accounts::Slug::derive(fields.title);
            if (response_store::is_slug_taken(connection, slug.value())) {
                if (fields.slug) {
                    throw store::Rejection(taken);
                }
                const accounts::Slug base = slug;
                for (int suffix = 2; response_store::is_slug_taken(connection, slug.value());
                     ++suffix) {
                    slug = base.with_suffix(suffix);
                }
            }
            const ResponseId id = response_store::insert_response(connection, slug, fields, now);
            response_store::set_editors(connection, id, editors, now);
            const std::int64_t first = response_store::take_anchors(
                connection, id, static_cast<std::int64_t>(blocks->size()));
            std::vector<std::int64_t> block_ids;
            std::vector<std::string> texts;
            for (std::size_t block_idx = 0; block_idx < blocks->size(); ++block_idx) {
                const auto& block = (*blocks)[block_idx];
                const std::string anchor =
                    drafting::anchor_name(block.kind, first + static_cast<std::int64_t>(block_idx));
                block_ids.push_back(
                    response_store::insert_block(connection, id, anchor, block, now));
                texts.push_back(block.text);
            }
            drafting::write_version(connection, id, 1, block_ids, texts, "First draft",
                                    std::nullopt, actor, now);
            nlohmann::json editor_ids = nlohmann::json::array();
            for (const auto& editor : editors) {
                editor_ids.push_back(editor.value());
            }
            accounts::AuditLog::record(
                connection, now, actor, "response.create", audit_subject(id),
                nlohmann::json{
                    {"slug", slug.value()}, {"title", fields.title}, {"editors", editor_ids}}
                    .dump());
            return slug.value();
        });
    if (!created) {
        return created.error();
    }
    return *response_store::find(database_, *created);
}

core::Result<Response> Responses::set_editors(const Actor& actor, std::string_view slug,
                                              const std::vector<accounts::UserId>& editors) {
    auto loaded = load(actor, slug, Access::Admin, "set_editors");
    if (!loaded) {
        return loaded.error();
    }
    if (auto checked = check_editors(editors); !checked) {
        return checked.error();
    }
    const auto now = clock_.unix_now();
    const auto id = loaded->response.id;
    database_.transact([&](store::Connection& connection) {
        response_store::touch(connection, id, now);
        response_store::set_editors(connection, id, editors, now);
        nlohmann::json editor_ids = nlohmann::json::array();
        for (const auto& editor : editors) {
            editor_ids.push_back(editor.value());
        }
        accounts::AuditLog::record(connection, now, actor, "response.set_editors",
                                   audit_subject(id),
                                   nlohmann::json{{"editors", editor_ids}}.dump());
    });
    return *response_store::find(database_, slug);
}

core::Result<Response> Responses::set_partners(
    const Actor& actor, std::string_view slug,
    const std::vector<accounts::OrganisationId>& partners) {
    auto loaded = load(actor, slug, Access::Editor, "set_partners");
    if (!loaded) {
        return loaded.error();
    }
    const core::Error unknown = core::Error::invalid(
        std::string(i18n::gettext_noop("Choose partner organisations from the list.")), "partners");
    if (partners.size() > kMaxPartners) {
        return unknown;
    }
    for (const auto& partner : partners) {
        if (!organisations_.find_by_id(partner)) {
            return unknown;
        }
    }
    const auto now = clock_.unix_now();
    const auto id = loaded->response.id;
    database_.transact([&](store::Connection& connection) {
        response_store::touch(connection, id, now);
        response_store::set_partners(connection, id, partners, now);
        nlohmann::json partner_ids = nlohmann::json::array();
        for (const auto& partner : partners) {
            partner_ids.push_back(partner.value());
        }
        accounts::AuditLog::record(connection, now, actor, "response.set_partners",
                                   audit_subject(id),
                                   nlohmann::json{{"partners", partner_ids}}.dump());
    });
    return *response_store::find(database_, slug);
}

core::Result<std::vector<Response>> Responses::list(const Actor& actor) {
    const auto viewer = drafting::viewer_of(actor, users_, organisations_);
    const bool reads_all = viewer.is_operator || viewer.represents_member ||
                           (viewer.user && viewer.user->role == accounts::Role::Admin);
    std::vector<Response> out;
    for (auto& response : response_store::all(database_)) {
        if (drafting::access_of(viewer, response) != Access::None) {
            out.push_back(std::move(response));
        }
    }
    if (out.empty() && !reads_all) {
        return refuse(actor, "responses", "list");
    }
    return out;
}

core::Result<Response> Responses::find(const Actor& actor, std::string_view slug) {
    auto loaded = load(actor, slug, Access::Partner, "read");
    if (!loaded) {
        return loaded.error();
    }
    return std::move(loaded->response);
}

core::Result<Text> Responses::text(const Actor& actor, std::string_view slug,
                                   std::optional<int> number) {
    auto loaded = load(actor, slug, Access::Partner, "read");
    if (!loaded) {
        return loaded.error();
    }
    auto text = response_store::text(database_, loaded->response.id,
                                     number.value_or(loaded->response.current_version));
    if (!text) {
        return core::Error::not_found(std::string(i18n::gettext_noop("There is no such version.")));
    }
    return std::move(*text);
}

core::Result<std::vector<Version>> Responses::versions(const Actor& actor, std::string_view slug) {
    auto loaded = load(actor, slug, Access::Partner, "read");
    if (!loaded) {
        return loaded.error();
    }
    return response_store::versions(database_, loaded->response.id);
}

core::Result<VersionDiff> Responses::diff(const Actor& actor, std::string_view slug, int from,
                                          int to) {
    auto loaded = load(actor, slug, Access::Partner, "read");
    if (!loaded) {
        return loaded.error();
    }
    const auto before = response_store::text(database_, loaded->response.id, from);
    const auto after = response_store::text(database_, loaded->response.id, to);
    if (!before || !after) {
        return core::Error::not_found(std::string(i18n::gettext_noop("There is no such version.")));
    }
    return drafting::diff_texts(*before, *after);
}

core::Result<std::vector<Comment>> Responses::comments(const Actor& actor, std::string_view slug) {
    auto loaded = load(actor, slug, Access::Partner, "read");
    if (!loaded) {
        return loaded.error();
    }
    const auto text =
        response_store::text(database_, loaded->response.id, loaded->response.current_version);
    return comments_of(loaded->response, text ? &*text : nullptr);
}

core::Result<std::vector<Amendment>> Responses::amendments(const Actor& actor,
                                                           std::string_view slug) {
    auto loaded = load(actor, slug, Access::Partner, "read");
    if (!loaded) {
        return loaded.error();
    }
    const auto text =
        response_store::text(database_, loaded->response.id, loaded->response.current_version);
    return amendments_of(loaded->response, text ? &*text : nullptr);
}

core::Result<DraftView> Responses::current_draft(const Actor& actor, std::string_view slug) {
    auto loaded = load(actor, slug, Access::Partner, "read");
    if (!loaded) {
        return loaded.error();
    }
    auto text =
        response_store::text(database_, loaded->response.id, loaded->response.current_version);
    COALITION_ASSERT(text.has_value(), "every response has a current version");
    return DraftView{.response = std::move(loaded->response),
                     .access = loaded->access,
                     .text = std::move(*text)};
}

core::Result<DraftView> Responses::view(const Actor& actor, std::string_view slug) {
    auto view = current_draft(actor, slug);
    if (!view) {
        return view.error();
    }
    view->comments = comments_of(view->response, &view->text);
    view->amendments = amendments_of(view->response, &view->text);
    return view;
}

std::vector<Comment> Responses::comments_of(const Response& response, const Text* text) const {
    std::map<std::string, std::size_t, std::less<>> position;
    if (text != nullptr) {
        for (std::size_t paragraph_idx = 0; paragraph_idx < text->paragraphs.size();
             ++paragraph_idx) {
            position.emplace(text->paragraphs[paragraph_idx].anchor, paragraph_idx);
        }
    }
    std::map<accounts::UserId, std::string> names;
    auto name_of = [&](accounts::UserId user) -> const std::string& {
        auto found = names.find(user);
        if (found == names.end()) {
            found = names.emplace(user, user_name(user)).first;
        }
        return found->second;
    };
    std::vector<Comment> roots;
    std::map<std::int64_t, std::size_t> root_index;
    std::vector<Comment> replies;
    for (auto& comment : response_store::comments(database_, response.id)) {
        comment.author_name = name_of(comment.author);
        if (comment.parent) {
            replies.push_back(std::move(comment));
        } else {
            root_index[comment.id.value()] = roots.size();
            roots.push_back(std::move(comment));
        }
    }
    for (auto& reply : replies) {
        if (auto found = root_index.find(reply.parent->value()); found != root_index.end()) {
            roots[found->second].replies.push_back(std::move(reply));
        }
    }
    const std::size_t unknown = position.size();
    std::stable_sort(roots.begin(), roots.end(), [&](const Comment& left, const Comment& right) {
        const auto left_at = position.find(left.anchor);
        const auto right_at = position.find(right.anchor);
        return (left_at == position.end() ? unknown : left_at->second) <
               (right_at == position.end() ? unknown : right_at->second);
    });
    return roots;
}

std::vector<Amendment> Responses::amendments_of(const Response& response, const Text* text) const {
    auto out = response_store::amendments(database_, response.id);
    std::map<accounts::UserId, std::string> names;
    for (auto& amendment : out) {
        const Paragraph* paragraph = text != nullptr ? text->find(amendment.anchor) : nullptr;
        amendment.stale = amendment.state == AmendmentState::Open &&
                          (paragraph == nullptr || paragraph->block_id != amendment.base_block_id);
        auto found = names.find(amendment.author);
        if (found == names.end()) {
            found = names.emplace(amendment.author, user_name(amendment.author)).first;
        }
        amendment.author_name = found->second;
    }
    return out;
}

std::optional<processes::Moment> Responses::deadline(const Response& response) const {
    if (response.milestone) {
        const auto milestone = processes_.find_milestone(*response.milestone);
        if (!milestone) {
            return std::nullopt;
        }
        return milestone->fields.start;
    }
    return response.deadline;
}

}  // namespace coalition::responses
