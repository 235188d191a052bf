#include "responses/responses.hpp"

#include "accounts/accounts.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "mail/outbox.hpp"
#include "processes/processes.hpp"
#include "responses/test_support.hpp"
#include "store/testing.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace coalition::responses {
namespace {

using accounts::Actor;
using core::ErrorCode;
using testing::email;
using testing::organisation_fields;

constexpr const char* kGdcDraft =
    "# Response to the Global Digital Compact\n\n"
    "The coalition welcomes the consultation on the Global Digital Compact.\n\n"
    "## Principles\n\n"
    "We support the multistakeholder model of internet governance.\n\n"
    "Technical standards must stay open and developed bottom-up.\n\n"
    "## Requests\n\n"
    "We ask the co-facilitators to consult the technical community.\n";

class ResponsesTest : public ::testing::TestWithParam<store::Dialect> {
protected:
    void SetUp() override {
        database_ = store::testing::fresh_database(GetParam());
        if (!database_) {
            GTEST_SKIP() << "COALITION_TEST_POSTGRES_URL is not set";
        }
        outbox_ = std::make_unique<mail::Outbox>(*database_, clock_);
        users_ = std::make_unique<accounts::Users>(*database_, clock_);
        organisations_ = std::make_unique<accounts::Organisations>(*database_, clock_);
        processes_ = std::make_unique<processes::Processes>(*database_, clock_);
        responses_ = std::make_unique<Responses>(
            *database_, clock_, random_, *outbox_, *users_, *organisations_, *processes_,
            ResponseSettings{.base_url = "https://coalition.example",
                             .site_name = "Coalition",
                             .sender = {"Coalition", email("noreply@coalition.example")}});

        const auto org_a = make_organisation("Nominet", "member");
        const auto org_b = make_organisation("auDA", "member");
        const auto org_c = make_organisation("CIRA", "member");
        const auto candidate = make_organisation("Candidate Registry", "candidate");
        partner_org_ = make_organisation("Partner Institute", "candidate");
        admin_ = make_user("admin@coalition.example", "Admin", accounts::Role::Admin, {});
        editor_ =
            make_user("editor@nominet.example", "Edith Editor", accounts::Role::Member, org_a);
        member_a_ = make_user("ana@nominet.example", "Ana", accounts::Role::Member, org_a);
        member_b_ = make_user("bo@auda.example", "Bo", accounts::Role::Member, org_b);
        member_c_ = make_user("chen@cira.example", "Chen", accounts::Role::Member, org_c);
        outsider_ = make_user("olga@candidate.example", "Olga", accounts::Role::Member, candidate);
        loner_ = make_user("lee@nowhere.example", "Lee", accounts::Role::Member, {});
        partner_ = make_user("pat@partner.example", "Pat", accounts::Role::Member, partner_org_);
    }

    accounts::OrganisationId make_organisation(const std::string& name, const std::string& status) {
        auto created = organisations_->create(Actor::cli(), organisation_fields(name, status));
        EXPECT_TRUE(created.has_value()) << name;
        return created->id;
    }

    accounts::UserId make_user(const std::string& address, const std::string& name,
                               accounts::Role role,
                               std::optional<accounts::OrganisationId> organisation) {
        auto user = users_->add_user(Actor::cli(), accounts::NewUser{.email = email(address),
                                                                     .display_name = name,
                                                                     .role = role,
                                                                     .organisation = organisation});
        EXPECT_TRUE(user.has_value()) << address;
        return user->id;
    }

    Response create_draft(const std::string& markdown = kGdcDraft) {
        ResponseDraft draft{.title = "GDC response",
                            .slug = "",
                            .milestone_id = "",
                            .deadline_date = "2026-03-24",
                            .deadline_time = "17:00",
                            .deadline_zone = "Europe/London",
                            .link = "https://www.un.org/techenvoy/global-digital-compact"};
        auto fields = validate(draft);
        EXPECT_TRUE(fields.has_value());
        auto created = responses_->create(Actor::user(admin_), *fields, markdown, {editor_});
        EXPECT_TRUE(created.has_value()) << (created ? "" : created.error().message);
        return *created;
    }

    Text current_text(const std::string& slug) {
        auto text = responses_->text(Actor::user(member_a_), slug, std::nullopt);
        EXPECT_TRUE(text.has_value());
        return *text;
    }

    std::int64_t count(const std::string& sql, const store::Params& params = {}) {
        return database_->query_one(sql, params)->integer(0);
    }
    std::int64_t refusals() {
        return count("SELECT COUNT(*) FROM audit_log WHERE action = 'response.refused'");
    }

    core::FakeClock clock_{core::TimePoint{core::Seconds{1767225600}}};  // 2026-01-01 00:00Z
    core::SecureRandom random_;
    std::unique_ptr<store::Database> database_;
    std::unique_ptr<mail::Outbox> outbox_;
    std::unique_ptr<accounts::Users> users_;
    std::unique_ptr<accounts::Organisations> organisations_;
    std::unique_ptr<processes::Processes> processes_;
    std::unique_ptr<Responses> responses_;
    accounts::OrganisationId partner_org_;
    accounts::UserId admin_, editor_, member_a_, member_b_, member_c_, outsider_, loner_, partner_;
};

TEST_P(ResponsesTest, CreatesAFirstVersionNamedByItsHash) {
    const auto response = create_draft();
    EXPECT_EQ(response.slug.value(), "gdc-response");
    EXPECT_EQ(response.current_version, 1);
    EXPECT_EQ(response.status, ResponseStatus::Draft);
    ASSERT_EQ(response.editors.size(), 1u);
    EXPECT_EQ(response.editors[0], editor_);
    ASSERT_TRUE(response.deadline.has_value());
    EXPECT_EQ(response.deadline->zone(), "Europe/London");
    EXPECT_EQ(responses_->deadline(response)->utc(), response.deadline->utc());

    const auto text = current_text("gdc-response");
    EXPECT_EQ(text.version.number, 1);
    EXPECT_EQ(text.version.hash, sha256_hex(text.canonical()));
    EXPECT_EQ(text.canonical(), kGdcDraft);
    EXPECT_EQ(text.version.reason, "First draft");
    ASSERT_EQ(text.paragraphs.size(), 7u);
    EXPECT_EQ(text.paragraphs[0].anchor, "s-1");
    EXPECT_EQ(text.paragraphs[1].anchor, "p-2");
    const auto sections = text.sections();
    ASSERT_EQ(sections.size(), 3u);
    EXPECT_EQ(sections[1].heading->text, "## Principles");
    EXPECT_EQ(sections[1].paragraphs.size(), 2u);

    // A second response with the same title gets a derived slug with a suffix.
    EXPECT_EQ(create_draft().slug.value(), "gdc-response-2");
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'response.create'"), 2);
}

TEST_P(ResponsesTest, OnlyMembersEditorsAdminsAndPartnersRead) {
    create_draft();
    for (const auto reader : {admin_, editor_, member_a_, member_b_, member_c_}) {
        EXPECT_TRUE(responses_->find(Actor::user(reader), "gdc-response").has_value());
        auto listed = responses_->list(Actor::user(reader));
        ASSERT_TRUE(listed.has_value());
        EXPECT_EQ(listed->size(), 1u);
    }
    EXPECT_TRUE(responses_->find(Actor::cli(), "gdc-response").has_value());

    const auto before = refusals();
    for (const auto stranger : {outsider_, loner_, partner_, accounts::UserId(9999)}) {
        auto found = responses_->text(Actor::user(stranger), "gdc-response", std::nullopt);
        ASSERT_FALSE(found.has_value());
        EXPECT_EQ(found.error().code, ErrorCode::Forbidden);
        auto listed = responses_->list(Actor::user(stranger));
        ASSERT_FALSE(listed.has_value());
        EXPECT_EQ(listed.error().code, ErrorCode::Forbidden);
        EXPECT_EQ(responses_->comments(Actor::user(stranger), "gdc-response").error().code,
                  ErrorCode::Forbidden);
    }
    EXPECT_EQ(refusals(), before + 12);
    const auto audit = accounts::AuditLog(*database_).recent(1);
    EXPECT_EQ(audit[0].action, "response.refused");
    EXPECT_EQ(audit[0].details, R"({"attempt":"read"})");
    EXPECT_EQ(audit[0].subject, "response:1");

    // An unknown response is NotFound, for everyone.
    EXPECT_EQ(responses_->find(Actor::user(member_a_), "nope").error().code, ErrorCode::NotFound);
    EXPECT_EQ(responses_->find(Actor::user(outsider_), "nope").error().code, ErrorCode::NotFound);

    // Opened to the partner organisation: its representative reads, but does not comment.
    auto opened = responses_->set_partners(Actor::user(member_a_), "gdc-response", {partner_org_});
    ASSERT_FALSE(opened.has_value());
    EXPECT_EQ(opened.error().code, ErrorCode::Forbidden);
    opened = responses_->set_partners(Actor::user(editor_), "gdc-response", {partner_org_});
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->partners.size(), 1u);
    EXPECT_TRUE(responses_->text(Actor::user(partner_), "gdc-response", std::nullopt).has_value());
    EXPECT_EQ(responses_->list(Actor::user(partner_))->size(), 1u);
    EXPECT_EQ(responses_->comment(Actor::user(partner_), "gdc-response", "p-2", "Hi").error().code,
              ErrorCode::Forbidden);
    EXPECT_EQ(responses_->access(Actor::user(partner_), *opened), Access::Partner);
    EXPECT_EQ(responses_->access(Actor::user(outsider_), *opened), Access::None);
    EXPECT_EQ(responses_->access(Actor::user(member_c_), *opened), Access::Member);
    EXPECT_EQ(responses_->access(Actor::user(editor_), *opened), Access::Editor);
    EXPECT_EQ(responses_->access(Actor::user(admin_), *opened), Access::Admin);

    // Unknown partners are refused.
    EXPECT_EQ(
        responses_
            ->set_partners(Actor::user(editor_), "gdc-response", {accounts::OrganisationId(424242)})
            .error()
            .field,
        "partners");
}

TEST_P(ResponsesTest, OnlyAdminsCreateAndChooseEditors) {
    auto fields = validate(ResponseDraft{.title = "A response"});
    ASSERT_TRUE(fields.has_value());
    const auto before = refusals();
    for (const auto user : {editor_, member_a_, outsider_}) {
        auto created = responses_->create(Actor::user(user), *fields, kGdcDraft, {});
        ASSERT_FALSE(created.has_value());
        EXPECT_EQ(created.error().code, ErrorCode::Forbidden);
    }
    EXPECT_EQ(refusals(), before + 3);
    EXPECT_EQ(count("SELECT COUNT(*) FROM responses"), 0);

    auto unknown_editor =
        responses_->create(Actor::user(admin_), *fields, kGdcDraft, {accounts::UserId(777)});
    EXPECT_EQ(unknown_editor.error().field, "editors");
    auto bad_text = responses_->create(Actor::user(admin_), *fields, "bad \xff", {});
    EXPECT_EQ(bad_text.error().field, "markdown");
    auto unknown_milestone = responses_->create(
        Actor::user(admin_), ResponseFields{.title = "X", .milestone = processes::MilestoneId(55)},
        kGdcDraft, {});
    EXPECT_EQ(unknown_milestone.error().field, "milestone_id");

    create_draft();
    EXPECT_EQ(
        responses_->set_editors(Actor::user(editor_), "gdc-response", {member_a_}).error().code,
        ErrorCode::Forbidden);
    auto changed =
        responses_->set_editors(Actor::user(admin_), "gdc-response", {member_a_, member_b_});
    ASSERT_TRUE(changed.has_value());
    EXPECT_EQ(changed->editors.size(), 2u);
    EXPECT_FALSE(changed->is_editor(editor_));
    // The former editor is a member representative now, and no longer edits.
    EXPECT_EQ(
        responses_->revise(Actor::user(editor_), "gdc-response", "New text.", "", 1).error().code,
        ErrorCode::Forbidden);
    EXPECT_TRUE(
        responses_->revise(Actor::user(member_b_), "gdc-response", "New text.", "", 1).has_value());
}

TEST_P(ResponsesTest, ResponseOfAMilestoneTakesItsDeadline) {
    processes::ProcessDraft process_draft;
    process_draft.name = "Global Digital Compact";
    process_draft.kind = "consultation";
    process_draft.status = "active";
    auto process = processes_->create(Actor::cli(), *processes::validate(process_draft));
    ASSERT_TRUE(process.has_value());
    processes::MilestoneDraft milestone_draft;
    milestone_draft.kind = "deadline";
    milestone_draft.title = "Written inputs due";
    milestone_draft.start_date = "2026-03-24";
    milestone_draft.start_time = "23:59";
    milestone_draft.start_zone = "America/New_York";
    auto milestone =
        processes_->add_milestone(Actor::cli(), process->id, *processes::validate(milestone_draft));
    ASSERT_TRUE(milestone.has_value());

    auto fields = validate(
        ResponseDraft{.title = "Inputs", .milestone_id = std::to_string(milestone->id.value())});
    ASSERT_TRUE(fields.has_value());
    auto created = responses_->create(Actor::user(admin_), *fields, kGdcDraft, {});
    ASSERT_TRUE(created.has_value());
    EXPECT_EQ(created->milestone, milestone->id);
    EXPECT_EQ(responses_->deadline(*created)->utc(), milestone->fields.start.utc());
}

TEST(ValidateResponseDraft, RefusesEveryBadField) {
    auto validated = validate(ResponseDraft{.title = std::string(301, 'x'),
                                            .slug = "Not A Slug",
                                            .milestone_id = "12",
                                            .deadline_date = "2026-03-24",
                                            .deadline_time = "",
                                            .deadline_zone = "",
                                            .link = "javascript:alert(1)"});
    ASSERT_FALSE(validated.has_value());
    EXPECT_NE(validated.error_for("title"), nullptr);
    EXPECT_NE(validated.error_for("slug"), nullptr);
    EXPECT_NE(validated.error_for("deadline_date"), nullptr);
    EXPECT_NE(validated.error_for("link"), nullptr);

    EXPECT_NE(validate(ResponseDraft{.title = ""}).error_for("title"), nullptr);
    EXPECT_NE(validate(ResponseDraft{.title = "a\nb"}).error_for("title"), nullptr);
    EXPECT_NE(validate(ResponseDraft{.title = std::string("a\0b", 3)}).error_for("title"), nullptr);
    EXPECT_NE(validate(ResponseDraft{.title = "bad \xc3"}).error_for("title"), nullptr);
    EXPECT_NE(
        validate(ResponseDraft{.title = "T", .milestone_id = "12x"}).error_for("milestone_id"),
        nullptr);
    EXPECT_NE(validate(ResponseDraft{.title = "T",
                                     .deadline_date = "2026-03-24",
                                     .deadline_time = "17:00",
                                     .deadline_zone = "Mars/Olympus"})
                  .error_for("deadline_zone"),
              nullptr);
    // 300 characters (not bytes) is the limit: Arabic letters are two bytes each.
    std::string arabic;
    for (int index = 0; index < 300; ++index) {
        arabic += "\xd8\xb9";
    }
    EXPECT_TRUE(validate(ResponseDraft{.title = arabic}).has_value());
    auto fine = validate(ResponseDraft{.title = "  <b>Réponse</b>  ", .slug = "gdc-2026"});
    ASSERT_TRUE(fine.has_value());
    EXPECT_EQ(fine->title, "<b>Réponse</b>");
    EXPECT_EQ(fine->slug->value(), "gdc-2026");
}

TEST_P(ResponsesTest, CommentsAndRepliesNotifyTheAuthor) {
    create_draft();
    auto first = responses_->comment(Actor::user(member_a_), "gdc-response", "p-4",
                                     "Should we name the IGF here?");
    ASSERT_TRUE(first.has_value()) << first.error().message;
    EXPECT_EQ(first->version_number, 1);
    EXPECT_EQ(first->author_name, "Ana");
    EXPECT_EQ(count("SELECT COUNT(*) FROM mail_outbox"), 0);

    auto reply = responses_->comment(Actor::user(member_b_), "gdc-response", "ignored",
                                     "Yes, and WSIS too.", first->id);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->parent, first->id);
    EXPECT_EQ(reply->anchor, "p-4");
    ASSERT_EQ(count("SELECT COUNT(*) FROM mail_outbox"), 1);
    const auto mail = database_->query_one("SELECT bytes, subject FROM mail_outbox");
    EXPECT_NE(mail->text(0).find("ana@nominet.example"), std::string::npos);
    EXPECT_NE(mail->text(0).find("https://coalition.example/responses/gdc-response#p-4"),
              std::string::npos);
    EXPECT_EQ(mail->text(1), "New reply to your comment on GDC response");

    // A reply to a reply joins the thread; both earlier authors hear of it, the replier does not.
    auto nested =
        responses_->comment(Actor::user(member_c_), "gdc-response", "p-4", "Agreed.", reply->id);
    ASSERT_TRUE(nested.has_value());
    EXPECT_EQ(nested->parent, first->id);
    EXPECT_EQ(count("SELECT COUNT(*) FROM mail_outbox"), 3);
    // Answering one's own comment sends nothing.
    ASSERT_TRUE(
        responses_->comment(Actor::user(member_a_), "gdc-response", "", "Noted.", first->id));
    EXPECT_EQ(count("SELECT COUNT(*) FROM mail_outbox"), 3);

    auto listed = responses_->comments(Actor::user(member_c_), "gdc-response");
    ASSERT_TRUE(listed.has_value());
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].replies.size(), 3u);
    EXPECT_EQ((*listed)[0].replies[0].author_name, "Bo");

    // Bad input.
    const std::vector<std::string> bad = {
        "", "   ", "bad \xff", std::string("a\0b", 3), "esc \x1b[31m", std::string(10'001, 'x')};
    for (const auto& body : bad) {
        auto refused = responses_->comment(Actor::user(member_a_), "gdc-response", "p-4", body);
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().field, "body");
    }
    EXPECT_EQ(responses_->comment(Actor::user(member_a_), "gdc-response", "p-99", "x").error().code,
              ErrorCode::NotFound);
    EXPECT_EQ(
        responses_->comment(Actor::user(member_a_), "gdc-response", "p-4", "x", CommentId(99999))
            .error()
            .code,
        ErrorCode::NotFound);
    // Hostile text is kept as typed (the page escapes it).
    auto hostile = responses_->comment(Actor::user(member_a_), "gdc-response", "p-4",
                                       "<script>alert('x')</script>'); DROP TABLE responses;--");
    ASSERT_TRUE(hostile.has_value());
    EXPECT_EQ(hostile->body, "<script>alert('x')</script>'); DROP TABLE responses;--");
    // The command line has no user to comment as.
    EXPECT_EQ(responses_->comment(Actor::cli(), "gdc-response", "p-4", "x").error().code,
              ErrorCode::Forbidden);
}

TEST_P(ResponsesTest, AmendmentsAcceptedRejectedMergedAndStale) {
    create_draft();
    const auto v1 = current_text("gdc-response");
    auto amendment =
        responses_->propose(Actor::user(member_b_), "gdc-response", "p-4",
                            "We firmly support the multistakeholder model of internet governance.",
                            "Stronger wording.");
    ASSERT_TRUE(amendment.has_value()) << amendment.error().message;
    EXPECT_EQ(amendment->state, AmendmentState::Open);
    auto rival = responses_->propose(Actor::user(member_c_), "gdc-response", "p-4",
                                     "We support the multistakeholder model.", "Shorter.");
    ASSERT_TRUE(rival.has_value());
    auto other = responses_->propose(Actor::user(member_c_), "gdc-response", "p-7",
                                     "We ask for an open consultation.", "Broader.");
    ASSERT_TRUE(other.has_value());

    // Members do not decide.
    EXPECT_EQ(
        responses_->accept(Actor::user(member_a_), "gdc-response", amendment->id).error().code,
        ErrorCode::Forbidden);

    auto v2 = responses_->accept(Actor::user(editor_), "gdc-response", amendment->id);
    ASSERT_TRUE(v2.has_value()) << v2.error().message;
    EXPECT_EQ(v2->number, 2);
    EXPECT_EQ(v2->amendment, amendment->id);
    EXPECT_NE(v2->hash, v1.version.hash);
    const auto text2 = current_text("gdc-response");
    EXPECT_EQ(text2.version.hash, sha256_hex(text2.canonical()));
    EXPECT_EQ(text2.find("p-4")->text,
              "We firmly support the multistakeholder model of internet governance.");
    EXPECT_EQ(text2.find("p-5")->block_id, v1.find("p-5")->block_id);  // Unchanged rows shared.

    // The rival is stale now: accepting it would undo the change, merging it is allowed.
    auto listed = *responses_->amendments(Actor::user(member_a_), "gdc-response");
    ASSERT_EQ(listed.size(), 3u);
    EXPECT_EQ(listed[0].state, AmendmentState::Accepted);
    EXPECT_EQ(listed[0].version_number, 2);
    EXPECT_TRUE(listed[1].stale);
    EXPECT_FALSE(listed[2].stale);
    EXPECT_EQ(listed[1].author_name, "Chen");
    EXPECT_EQ(responses_->accept(Actor::user(editor_), "gdc-response", rival->id).error().code,
              ErrorCode::Conflict);
    EXPECT_EQ(responses_->accept(Actor::user(editor_), "gdc-response", amendment->id).error().code,
              ErrorCode::Conflict);

    auto v3 = responses_->merge(Actor::user(admin_), "gdc-response", rival->id,
                                "We firmly support the multistakeholder model.", "Both ideas.");
    ASSERT_TRUE(v3.has_value()) << v3.error().message;
    EXPECT_EQ(v3->number, 3);
    EXPECT_EQ(v3->reason,
              "Amendment " + std::to_string(rival->id.value()) + " merged: Both ideas.");

    auto rejected =
        responses_->reject(Actor::user(editor_), "gdc-response", other->id, "Out of scope.");
    ASSERT_TRUE(rejected.has_value());
    EXPECT_EQ(rejected->state, AmendmentState::Rejected);
    EXPECT_EQ(rejected->editor_note, "Out of scope.");
    EXPECT_EQ(rejected->decided_by, editor_);
    EXPECT_EQ(responses_->reject(Actor::user(editor_), "gdc-response", other->id, "").error().code,
              ErrorCode::Conflict);
    EXPECT_EQ(responses_->reject(Actor::user(editor_), "gdc-response", AmendmentId(4242), "")
                  .error()
                  .code,
              ErrorCode::NotFound);

    // Deleting a paragraph.
    auto deletion = responses_->propose(Actor::user(member_a_), "gdc-response", "p-5", "",
                                        "Covered elsewhere.");
    ASSERT_TRUE(deletion.has_value());
    ASSERT_TRUE(responses_->accept(Actor::user(editor_), "gdc-response", deletion->id));
    EXPECT_EQ(current_text("gdc-response").find("p-5"), nullptr);
    EXPECT_EQ(current_text("gdc-response").paragraphs.size(), 6u);
    EXPECT_EQ(responses_->versions(Actor::user(member_c_), "gdc-response")->size(), 4u);

    // Bad proposals.
    auto same = responses_->propose(Actor::user(member_a_), "gdc-response", "p-2",
                                    current_text("gdc-response").find("p-2")->text, "Same.");
    EXPECT_EQ(same.error().field, "wording");
    auto two = responses_->propose(Actor::user(member_a_), "gdc-response", "p-2", "One.\n\nTwo.",
                                   "Split.");
    EXPECT_EQ(two.error().field, "wording");
    auto no_reason = responses_->propose(Actor::user(member_a_), "gdc-response", "p-2", "New.", "");
    EXPECT_EQ(no_reason.error().field, "reason");
    auto big = responses_->propose(Actor::user(member_a_), "gdc-response", "p-2",
                                   std::string(20'001, 'x'), "Long.");
    EXPECT_EQ(big.error().field, "wording");
    EXPECT_EQ(
        responses_->propose(Actor::user(member_a_), "gdc-response", "p-5", "x", "y").error().code,
        ErrorCode::NotFound);
    EXPECT_EQ(
        responses_->propose(Actor::user(outsider_), "gdc-response", "p-2", "x", "y").error().code,
        ErrorCode::Forbidden);
    EXPECT_GE(count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'amendment.%'"), 7);
}

TEST_P(ResponsesTest, RevisionsKeepAnchorsAndDiffsShowChanges) {
    create_draft();
    const std::string revised =
        "# Response to the Global Digital Compact\n\n"
        "## Requests\n\n"
        "We ask the co-facilitators to consult the technical community.\n\n"
        "## Principles\n\n"
        "We strongly support the multistakeholder model of internet governance.\n\n"
        "A brand new paragraph on capacity building.\n";
    auto v2 = responses_->revise(Actor::user(editor_), "gdc-response", revised, "Reordered.", 1);
    ASSERT_TRUE(v2.has_value()) << v2.error().message;
    EXPECT_EQ(v2->number, 2);
    EXPECT_EQ(v2->reason, "Reordered.");
    const auto text = current_text("gdc-response");
    EXPECT_EQ(text.canonical(), revised);
    EXPECT_EQ(text.paragraphs[1].anchor, "s-6");  // "## Requests" kept its anchor.
    EXPECT_EQ(text.paragraphs[2].anchor, "p-7");
    EXPECT_EQ(text.paragraphs[4].anchor, "p-4");  // Reworded, similar: same anchor.
    EXPECT_EQ(text.paragraphs[5].anchor, "p-8");  // New.

    // Stale base and unchanged text are conflicts.
    auto stale = responses_->revise(Actor::user(editor_), "gdc-response", "Other.", "", 1);
    EXPECT_EQ(stale.error().field, "based_on");
    auto same = responses_->revise(Actor::user(editor_), "gdc-response", revised, "", 2);
    EXPECT_EQ(same.error().field, "markdown");
    EXPECT_EQ(responses_->revise(Actor::user(member_a_), "gdc-response", "x", "", 2).error().code,
              ErrorCode::Forbidden);

    auto diff = responses_->diff(Actor::user(member_c_), "gdc-response", 1, 2);
    ASSERT_TRUE(diff.has_value());
    std::vector<std::string> summary;
    for (const auto& row : diff->rows) {
        std::string line = row.anchor + ":";
        switch (row.change) {
            case ParagraphChange::Unchanged:
                line += "same";
                break;
            case ParagraphChange::Changed:
                line += "changed";
                break;
            case ParagraphChange::Added:
                line += "added";
                break;
            case ParagraphChange::Removed:
                line += "removed";
                break;
        }
        summary.push_back(line + (row.moved ? "+moved" : ""));
    }
    EXPECT_EQ(summary, (std::vector<std::string>{"s-1:same", "p-2:removed", "s-6:same+moved",
                                                 "p-7:same+moved", "s-3:same", "p-4:changed",
                                                 "p-5:removed", "p-8:added"}));
    const auto& changed = diff->rows[5];
    EXPECT_EQ(texts::diff_to_html(changed.diff).find("<ins class=\"text-inserted\">") !=
                  std::string::npos,
              true);
    EXPECT_EQ(responses_->diff(Actor::user(member_c_), "gdc-response", 1, 9).error().code,
              ErrorCode::NotFound);
    EXPECT_EQ(responses_->diff(Actor::user(outsider_), "gdc-response", 1, 2).error().code,
              ErrorCode::Forbidden);
    auto older = responses_->text(Actor::user(member_b_), "gdc-response", 1);
    ASSERT_TRUE(older.has_value());
    EXPECT_EQ(older->canonical(), kGdcDraft);
}

TEST_P(ResponsesTest, HostileMarkdownIsStoredAsText) {
    const std::string hostile =
        "# <img src=x onerror=alert(1)>\n\n<script>alert(document.cookie)</script>\n\n"
        "[click](javascript:alert(1))\n";
    create_draft(hostile);
    const auto text = current_text("gdc-response");
    EXPECT_EQ(text.canonical(), hostile);
    EXPECT_EQ(text.paragraphs[1].text, "<script>alert(document.cookie)</script>");
}

TEST_P(ResponsesTest, ViewReadsEverythingWithOneCheck) {
    create_draft();
    ASSERT_TRUE(responses_->comment(Actor::user(member_a_), "gdc-response", "p-2", "Hi"));
    ASSERT_TRUE(
        responses_->propose(Actor::user(member_b_), "gdc-response", "p-2", "New words.", "Why."));
    auto view = responses_->view(Actor::user(member_c_), "gdc-response");
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->access, Access::Member);
    EXPECT_EQ(view->response.slug.value(), "gdc-response");
    EXPECT_EQ(view->text.version.number, 1);
    ASSERT_EQ(view->comments.size(), 1u);
    EXPECT_EQ(view->comments[0].author_name, "Ana");
    ASSERT_EQ(view->amendments.size(), 1u);
    EXPECT_FALSE(view->amendments[0].stale);
    const auto before = refusals();
    EXPECT_EQ(responses_->view(Actor::user(outsider_), "gdc-response").error().code,
              ErrorCode::Forbidden);
    EXPECT_EQ(refusals(), before + 1);
}

TEST_P(ResponsesTest, SummaryKeepsCountsAndTheNewestOfEachAnchor) {
    create_draft();
    const auto author = Actor::user(member_a_);
    std::vector<CommentId> on_p4;
    for (int number = 1; number <= 4; ++number) {
        auto made =
            responses_->comment(author, "gdc-response", "p-4", "Comment " + std::to_string(number));
        ASSERT_TRUE(made.has_value());
        on_p4.push_back(made->id);
    }
    auto reply =
        responses_->comment(Actor::user(member_b_), "gdc-response", "p-4", "A reply", on_p4[0]);
    ASSERT_TRUE(reply.has_value());
    ASSERT_TRUE(responses_->comment(author, "gdc-response", "p-5", "Elsewhere").has_value());
    auto first = responses_->propose(author, "gdc-response", "p-4", "New wording.", "Why.");
    auto second = responses_->propose(author, "gdc-response", "p-4", "Other wording.", "Why.");
    auto third = responses_->propose(author, "gdc-response", "p-4", "Third wording.", "Why.");
    ASSERT_TRUE(first && second && third);
    ASSERT_TRUE(
        responses_->reject(Actor::user(editor_), "gdc-response", third->id, "No.").has_value());
    auto other = responses_->propose(author, "gdc-response", "p-5", "Changed.", "Why.");
    ASSERT_TRUE(other.has_value());
    // Accepting on p-5 makes no amendment of p-4 stale; a new wording of p-4 would.
    ASSERT_TRUE(responses_->accept(Actor::user(editor_), "gdc-response", other->id).has_value());
    auto after = responses_->propose(author, "gdc-response", "p-5", "Again.", "Why.");
    ASSERT_TRUE(after.has_value());

    auto summary = responses_->summary(author, "gdc-response", 3, 2);
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ(summary->access, Access::Member);
    EXPECT_EQ(summary->text.version.number, 2);
    const AnchorDiscussion* p4 = nullptr;
    const AnchorDiscussion* p5 = nullptr;
    for (const auto& discussion : summary->discussions) {
        (discussion.anchor == "p-4" ? p4 : p5) = &discussion;
    }
    ASSERT_EQ(summary->discussions.size(), 2u);
    ASSERT_NE(p4, nullptr);
    ASSERT_NE(p5, nullptr);
    EXPECT_EQ(p4->comments, 5u);  // The reply counts.
    ASSERT_EQ(p4->latest_comments.size(), 3u);
    EXPECT_EQ(p4->latest_comments[0].id, reply->id);
    EXPECT_EQ(p4->latest_comments[0].author_name, "Bo");
    EXPECT_TRUE(p4->latest_comments[0].parent.has_value());
    EXPECT_EQ(p4->latest_comments[1].id, on_p4[3]);
    EXPECT_EQ(p4->latest_comments[2].id, on_p4[2]);
    EXPECT_EQ(p4->open_amendments, 2u);  // The rejected one is not open.
    ASSERT_EQ(p4->latest_open_amendments.size(), 2u);
    EXPECT_EQ(p4->latest_open_amendments[0].id, second->id);
    EXPECT_EQ(p4->latest_open_amendments[1].id, first->id);
    EXPECT_FALSE(p4->latest_open_amendments[0].stale);
    EXPECT_EQ(p4->latest_open_amendments[0].author_name, "Ana");
    EXPECT_EQ(p5->comments, 1u);
    ASSERT_EQ(p5->latest_open_amendments.size(), 1u);
    EXPECT_EQ(p5->latest_open_amendments[0].id, after->id);
    EXPECT_FALSE(p5->latest_open_amendments[0].stale);

    // The same check as view: outsiders are refused and audited.
    const auto before = refusals();
    EXPECT_EQ(responses_->summary(Actor::user(outsider_), "gdc-response", 3, 2).error().code,
              ErrorCode::Forbidden);
    EXPECT_EQ(refusals(), before + 1);
    EXPECT_EQ(responses_->summary(author, "nope", 3, 2).error().code, ErrorCode::NotFound);
}

TEST_P(ResponsesTest, HeadStampChangesWithEveryChangeToTheDiscussion) {
    create_draft();
    const auto author = Actor::user(member_a_);
    auto stamp = [&] {
        auto head = responses_->head(author, "gdc-response");
        EXPECT_TRUE(head.has_value());
        return head ? head->stamp : DiscussionStamp{};
    };
    const auto empty = stamp();
    EXPECT_EQ(empty.version, 1);
    EXPECT_EQ(empty.comments, 0);
    EXPECT_EQ(empty.last_comment, 0);
    EXPECT_EQ(stamp(), empty);  // Reading changes nothing.

    auto comment = responses_->comment(author, "gdc-response", "p-4", "A comment");
    ASSERT_TRUE(comment.has_value());
    const auto commented = stamp();
    EXPECT_NE(commented, empty);
    EXPECT_EQ(commented.comments, 1);
    EXPECT_EQ(commented.last_comment, comment->id.value());

    auto first = responses_->propose(author, "gdc-response", "p-4", "New wording.", "Why.");
    auto second = responses_->propose(author, "gdc-response", "p-5", "Other wording.", "Why.");
    ASSERT_TRUE(first && second);
    const auto proposed = stamp();
    EXPECT_EQ(proposed.open_amendments, 2);
    ASSERT_TRUE(
        responses_->reject(Actor::user(editor_), "gdc-response", first->id, "No.").has_value());
    const auto rejected = stamp();
    EXPECT_NE(rejected, proposed);  // Deciding leaves the counts of all but the open ones.
    EXPECT_EQ(rejected.open_amendments, 1);
    ASSERT_TRUE(responses_->accept(Actor::user(editor_), "gdc-response", second->id).has_value());
    const auto accepted = stamp();
    EXPECT_EQ(accepted.version, 2);
    EXPECT_EQ(accepted.open_amendments, 0);
    auto head = responses_->head(author, "gdc-response");
    ASSERT_TRUE(head.has_value());
    EXPECT_EQ(head->version.number, 2);
    EXPECT_EQ(head->version.hash, current_text("gdc-response").version.hash);
    EXPECT_EQ(head->access, Access::Member);

    const auto before = refusals();
    EXPECT_EQ(responses_->head(Actor::user(outsider_), "gdc-response").error().code,
              ErrorCode::Forbidden);
    EXPECT_EQ(refusals(), before + 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ResponsesTest,
                         ::testing::ValuesIn(store::testing::available_dialects()),
                         [](const auto& info) { return store::testing::dialect_name(info.param); });

}  // namespace
}  // namespace coalition::responses
