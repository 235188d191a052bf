#include "accounts/organisations.hpp"

#include "accounts/test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace coalition::accounts {
namespace {

using testing::draft;
using testing::fields;

class OrganisationsTest : public testing::DatabaseTest {
protected:
    Organisations organisations() { return Organisations(database(), clock_); }
};

TEST_P(OrganisationsTest, CreatesAndFinds) {
    auto service = organisations();
    OrganisationDraft input{
        .name = "Nominet UK",
        .short_name = "Nominet",
        .slug = "",
        .country = "gb",
        .stakeholder_group = "technical-community",
        .website = "https://www.nominet.uk/",
        .domain = "nominet.uk",
        .status = "member",
        .description = "The .uk registry.\nSince 1996.",
    };
    auto created = service.create(Actor::cli(), fields(input));
    ASSERT_TRUE(created.has_value()) << created.error().message;
    EXPECT_TRUE(created->id.is_set());
    EXPECT_EQ(created->slug.value(), "nominet");
    EXPECT_EQ(created->region, Region::Europe);
    EXPECT_EQ(created->created_at, clock_.unix_now());
    EXPECT_EQ(created->updated_at, clock_.unix_now());
    EXPECT_EQ(created->display_name(), "Nominet");

    auto by_slug = service.find_by_slug("nominet");
    ASSERT_TRUE(by_slug.has_value());
    EXPECT_EQ(by_slug->id, created->id);
    EXPECT_EQ(by_slug->name, "Nominet UK");
    EXPECT_EQ(by_slug->country.code(), "GB");
    EXPECT_EQ(by_slug->website->value(), "https://www.nominet.uk/");
    EXPECT_EQ(by_slug->domain->unicode(), "nominet.uk");
    EXPECT_EQ(by_slug->description, "The .uk registry.\nSince 1996.");
    EXPECT_EQ(by_slug->status, OrganisationStatus::Member);
    EXPECT_EQ(service.find_by_id(created->id)->slug.value(), "nominet");

    EXPECT_FALSE(service.find_by_slug("nobody").has_value());
    EXPECT_FALSE(service.find_by_slug("'; DROP TABLE organisations;--").has_value());
    EXPECT_FALSE(service.find_by_id(OrganisationId(999)).has_value());
}

TEST_P(OrganisationsTest, HostileTextRoundTripsVerbatim) {
    auto service = organisations();
    const std::string name = "<script>alert('x')</script> Robert'); DROP TABLE organisations;--";
    const std::string description = "\"><img src=x onerror=alert(1)>\n$1 {{x}} %s \\ ' \" ;";
    auto input = draft(name);
    input.description = description;
    auto created = service.create(Actor::cli(), fields(input));
    ASSERT_TRUE(created.has_value());
    auto found = service.find_by_id(created->id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->name, name);
    EXPECT_EQ(found->description, description);
    EXPECT_EQ(count("SELECT COUNT(*) FROM organisations"), 1);
}

TEST_P(OrganisationsTest, IdnDomainIsUniqueByItsAsciiForm) {
    auto service = organisations();
    auto first = service.create(Actor::cli(), fields(draft("Bücher", "DE", "bücher.example")));
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->domain->unicode(), "bücher.example");
    EXPECT_EQ(database().query_one("SELECT domain, domain_ascii FROM organisations")->text(0),
              "bücher.example");

    for (const char* same : {"xn--bcher-kva.example", "BÜCHER.EXAMPLE", "Xn--Bcher-Kva.Example."}) {
        auto second = service.create(Actor::cli(), fields(draft("Other", "DE", same)));
        ASSERT_FALSE(second.has_value()) << same;
        EXPECT_EQ(second.error().code, core::ErrorCode::Conflict);
        EXPECT_EQ(second.error().field, "domain");
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM organisations"), 1);
    EXPECT_TRUE(
        service.create(Actor::cli(), fields(draft("Other", "DE", "buecher.example"))).has_value());
}

TEST_P(OrganisationsTest, DerivedSlugsAreMadeUniqueTypedOnesConflict) {
    auto service = organisations();
    EXPECT_EQ(service.create(Actor::cli(), fields(draft("Example")))->slug.value(), "example");
    EXPECT_EQ(service.create(Actor::cli(), fields(draft("EXAMPLE")))->slug.value(), "example-2");
    EXPECT_EQ(service.create(Actor::cli(), fields(draft("Exämple")))->slug.value(), "example-3");

    auto typed = draft("Something else");
    typed.slug = "example";
    auto conflict = service.create(Actor::cli(), fields(typed));
    ASSERT_FALSE(conflict.has_value());
    EXPECT_EQ(conflict.error().code, core::ErrorCode::Conflict);
    EXPECT_EQ(conflict.error().field, "slug");
}

TEST_P(OrganisationsTest, UpdatesFieldsRegionAndTime) {
    auto service = organisations();
    auto created = service.create(Actor::cli(), fields(draft("Example", "NZ", "example.nz")));
    ASSERT_TRUE(created.has_value());
    clock_.advance(std::chrono::hours(2));

    auto input = created->to_draft();
    input.slug = "";  // Derived: keeps the current slug even though the name changes.
    input.name = "Example Renamed";
    input.country = "CA";
    input.status = "former";
    input.website = "https://example.ca";
    auto updated = service.update(Actor::cli(), created->id, fields(input));
    ASSERT_TRUE(updated.has_value()) << updated.error().message;
    EXPECT_EQ(updated->slug.value(), "example");
    EXPECT_EQ(updated->name, "Example Renamed");
    EXPECT_EQ(updated->region, Region::NorthAmerica);
    EXPECT_EQ(updated->status, OrganisationStatus::Former);
    EXPECT_EQ(updated->created_at, created->created_at);
    EXPECT_EQ(updated->updated_at, created->created_at + 7200);
    EXPECT_EQ(service.list({.region = Region::NorthAmerica}).size(), 1u);

    input.slug = "example-org";
    updated = service.update(Actor::cli(), created->id, fields(input));
    ASSERT_TRUE(updated.has_value());
    EXPECT_EQ(updated->slug.value(), "example-org");
    EXPECT_FALSE(service.find_by_slug("example").has_value());

    auto missing = service.update(Actor::cli(), OrganisationId(4242), fields(input));
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, core::ErrorCode::NotFound);
}

TEST_P(OrganisationsTest, UpdateRefusesAnotherOrganisationsSlugOrDomain) {
    auto service = organisations();
    auto first = service.create(Actor::cli(), fields(draft("First", "NZ", "first.example")));
    auto second = service.create(Actor::cli(), fields(draft("Second", "NZ", "second.example")));
    ASSERT_TRUE(first && second);

    auto input = second->to_draft();
    input.domain = "FIRST.example";
    auto result = service.update(Actor::cli(), second->id, fields(input));
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, core::ErrorCode::Conflict);
    EXPECT_EQ(result.error().field, "domain");

    input = second->to_draft();
    input.slug = "first";
    result = service.update(Actor::cli(), second->id, fields(input));
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().field, "slug");
    EXPECT_EQ(service.find_by_id(second->id)->domain->unicode(), "second.example");

    // Its own domain and slug are not a conflict.
    input = second->to_draft();
    input.description = "Edited.";
    EXPECT_TRUE(service.update(Actor::cli(), second->id, fields(input)).has_value());
}

TEST_P(OrganisationsTest, ListsFilteredAndSortedByCollation) {
    auto service = organisations();
    auto make = [&](std::string name, std::string country, std::string group, std::string status) {
        auto input = draft(std::move(name), std::move(country));
        input.stakeholder_group = std::move(group);
        input.status = std::move(status);
        ASSERT_TRUE(service.create(Actor::cli(), fields(input)).has_value());
    };
    make("Zeta Registry", "NZ", "technical-community", "member");
    make("Ångström Institute", "SE", "academia", "candidate");
    make("alpha Network", "KE", "civil-society", "member");
    make("Beta Ministry", "BR", "governments", "former");
    make("Ärzte Verband", "DE", "civil-society", "candidate");

    std::vector<std::string> names;
    for (const auto& organisation : service.list()) {
        names.push_back(organisation.name);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"alpha Network", "Ångström Institute",
                                               "Ärzte Verband", "Beta Ministry", "Zeta Registry"}));

    // Swedish sorts Å and Ä after Z.
    names.clear();
    for (const auto& organisation : service.list({}, "sv")) {
        names.push_back(organisation.name);
    }
    EXPECT_EQ(names.back(), "Ärzte Verband");
    EXPECT_EQ(names[names.size() - 2], "Ångström Institute");

    EXPECT_EQ(service.list({.region = Region::Europe}).size(), 2u);
    EXPECT_EQ(service.list({.stakeholder_group = StakeholderGroup::CivilSociety}).size(), 2u);
    EXPECT_EQ(service.list({.status = OrganisationStatus::Member}).size(), 2u);
    const auto one = service.list({.region = Region::Europe,
                                   .stakeholder_group = StakeholderGroup::CivilSociety,
                                   .status = OrganisationStatus::Candidate});
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one.front().name, "Ärzte Verband");
    EXPECT_TRUE(service.list({.region = Region::NorthAmerica}).empty());
    EXPECT_EQ(service.list({}, "not a language \xff").size(), 5u);
}

TEST_P(OrganisationsTest, EnsureIsAnIdempotentUpsertBySlug) {
    auto service = organisations();
    auto input = draft("InternetNZ", "NZ", "internetnz.nz");
    auto first = service.ensure(Actor::cli(), fields(input));
    ASSERT_TRUE(first.has_value());
    clock_.advance(std::chrono::minutes(5));
    auto again = service.ensure(Actor::cli(), fields(input));
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->id, first->id);
    EXPECT_EQ(again->updated_at, first->updated_at);
    EXPECT_EQ(count("SELECT COUNT(*) FROM organisations"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), 1);

    input.description = "Now described.";
    auto changed = service.ensure(Actor::cli(), fields(input));
    ASSERT_TRUE(changed.has_value());
    EXPECT_EQ(changed->id, first->id);
    EXPECT_EQ(changed->description, "Now described.");
    EXPECT_EQ(count("SELECT COUNT(*) FROM organisations"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'organisation.update'"), 1);
}

// The freshness check behind Organisations::directory(): the in-memory copy is reused until a
// change is committed, by this service or by another one on the same database (another server).

std::int64_t stored_revision(store::Database& database) {
    return database.query_one("SELECT revision FROM organisations_revision")->integer(0);
}

TEST_P(OrganisationsTest, DirectoryIsReusedUntilSomethingChanges) {
    auto service = organisations();
    ASSERT_TRUE(service.create(Actor::cli(), fields(draft("First Registry"))).has_value());
    const auto first = service.directory();
    EXPECT_EQ(first->size(), 1u);
    EXPECT_EQ(first->revision(), std::optional<std::int64_t>(stored_revision(database())));
    EXPECT_EQ(service.directory().get(), first.get());  // The same copy, not read again.
    (void)service.list({}, "fr");
    EXPECT_EQ(service.directory().get(), first.get());

    auto second = service.create(Actor::cli(), fields(draft("Second Registry")));
    ASSERT_TRUE(second.has_value());
    const auto after_create = service.directory();
    EXPECT_NE(after_create.get(), first.get());
    EXPECT_EQ(after_create->size(), 2u);
    EXPECT_EQ(first->size(), 1u);  // A copy in use by a request never changes under it.

    auto input = draft("Second Registry, renamed");
    ASSERT_TRUE(service.update(Actor::cli(), second->id, fields(input)).has_value());
    const auto after_update = service.directory();
    EXPECT_NE(after_update.get(), after_create.get());
    const Organisation* renamed = after_update->find_by_id(second->id);
    ASSERT_NE(renamed, nullptr);
    EXPECT_EQ(renamed->name, "Second Registry, renamed");
    const Organisation* before = after_create->find_by_id(second->id);
    ASSERT_NE(before, nullptr);
    EXPECT_EQ(before->name, "Second Registry");
}

TEST_P(OrganisationsTest, RevisionRisesWithEveryCommittedChangeOnly) {
    auto service = organisations();
    const auto start = stored_revision(database());
    auto input = draft("Registry", "NZ", "registry.nz");
    auto created = service.ensure(Actor::cli(), fields(input));
    ASSERT_TRUE(created.has_value());
    EXPECT_EQ(stored_revision(database()), start + 1);
    ASSERT_TRUE(service.ensure(Actor::cli(), fields(input)).has_value());  // Unchanged: no write.
    EXPECT_EQ(stored_revision(database()), start + 1);
    input.description = "Described.";
    ASSERT_TRUE(service.ensure(Actor::cli(), fields(input)).has_value());
    EXPECT_EQ(stored_revision(database()), start + 2);

    // Refused changes roll the revision back with everything else.
    const auto before = service.directory();
    auto taken = service.create(Actor::cli(), fields(draft("Other", "NZ", "registry.nz")));
    ASSERT_FALSE(taken.has_value());
    EXPECT_EQ(taken.error().code, core::ErrorCode::Conflict);
    EXPECT_FALSE(
        service.update(Actor::cli(), OrganisationId(999), fields(draft("Nobody"))).has_value());
    EXPECT_EQ(stored_revision(database()), start + 2);
    EXPECT_EQ(service.directory().get(), before.get());
}

TEST_P(OrganisationsTest, DirectorySeesChangesMadeByAnotherServiceAtOnce) {
    // Two services on one database stand for two servers: each keeps its own copy.
    auto reader = organisations();
    auto writer = organisations();
    auto created = writer.create(Actor::cli(), fields(draft("Shared Registry")));
    ASSERT_TRUE(created.has_value());
    ASSERT_EQ(reader.list().size(), 1u);
    ASSERT_TRUE(reader.find_by_slug("shared-registry").has_value());
    EXPECT_EQ(reader.find_by_slug("shared-registry")->name, "Shared Registry");

    auto input = draft("Shared Registry");
    input.status = "candidate";
    input.short_name = "<Shared>";
    ASSERT_TRUE(writer.update(Actor::cli(), created->id, fields(input)).has_value());
    const auto shared = reader.find_by_slug("shared-registry");
    ASSERT_TRUE(shared.has_value());
    EXPECT_EQ(shared->status, OrganisationStatus::Candidate);
    const auto by_id = reader.find_by_id(created->id);
    ASSERT_TRUE(by_id.has_value());
    EXPECT_EQ(by_id->short_name, "<Shared>");
    EXPECT_TRUE(reader.list({.status = OrganisationStatus::Member}).empty());

    ASSERT_TRUE(writer.create(Actor::cli(), fields(draft("Newer Registry"))).has_value());
    EXPECT_EQ(reader.list().size(), 2u);
    EXPECT_TRUE(reader.find_by_slug("newer-registry").has_value());
}

TEST_P(OrganisationsTest, WithoutTheRevisionRowNothingIsReused) {
    auto service = organisations();
    ASSERT_TRUE(service.create(Actor::cli(), fields(draft("Registry"))).has_value());
    database().transact([](store::Connection& connection) {
        connection.execute("DELETE FROM organisations_revision");
    });
    const auto first = service.directory();
    EXPECT_FALSE(first->revision().has_value());
    EXPECT_NE(service.directory().get(), first.get());
    // Changes still work and still show.
    ASSERT_TRUE(service.create(Actor::cli(), fields(draft("Another"))).has_value());
    EXPECT_EQ(service.list().size(), 2u);
}

TEST_P(OrganisationsTest, DirectoryLooksUpAndFiltersLikeTheDatabase) {
    auto service = organisations();
    auto member = service.create(Actor::cli(), fields(draft("Member Registry", "GB")));
    auto input = draft("Candidate Registry", "FR");
    input.status = "candidate";
    auto candidate = service.create(Actor::cli(), fields(input));
    ASSERT_TRUE(member.has_value() && candidate.has_value());
    const auto directory = service.directory();
    const Organisation* found = directory->find_by_slug("member-registry");
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->id, member->id);
    EXPECT_EQ(directory->find_by_slug("Member-Registry"), nullptr);
    EXPECT_EQ(directory->find_by_slug(""), nullptr);
    EXPECT_EQ(directory->find_by_slug(std::string_view("member-registry\0x", 17)), nullptr);
    EXPECT_EQ(directory->find_by_id(OrganisationId(999)), nullptr);
    EXPECT_EQ(directory->find_by_id(OrganisationId()), nullptr);
    const auto europe = directory->list({.region = Region::Europe}, "en");
    ASSERT_EQ(europe.size(), 2u);
    EXPECT_EQ(europe[0]->name, "Candidate Registry");
    const auto candidates = directory->list({.status = OrganisationStatus::Candidate}, "ar");
    ASSERT_EQ(candidates.size(), 1u);
    EXPECT_EQ(candidates[0]->id, candidate->id);
}

TEST_P(OrganisationsTest, ConcurrentReadersAndWritersSeeEveryChange) {
    auto service = organisations();
    constexpr int kWrites = 20;
    std::atomic<bool> done = false;
    const std::vector<std::string> languages = {"en", "ar", "zh"};
    std::vector<std::thread> readers;
    readers.reserve(languages.size());
    for (std::size_t reader_idx = 0; reader_idx < languages.size(); ++reader_idx) {
        readers.emplace_back([&, reader_idx] {
            std::size_t last = 0;
            while (!done) {
                const auto now = service.list({}, languages[reader_idx]).size();
                EXPECT_GE(now, last);  // Never an older copy after a newer one.
                last = now;
            }
        });
    }
    for (int write_idx = 0; write_idx < kWrites; ++write_idx) {
        // EXPECT, not ASSERT: the readers must be joined before the test returns.
        EXPECT_TRUE(
            service.create(Actor::cli(), fields(draft("Registry " + std::to_string(write_idx))))
                .has_value());
    }
    done = true;
    for (auto& reader : readers) {
        reader.join();
    }
    EXPECT_EQ(service.list().size(), static_cast<std::size_t>(kWrites));
}

COALITION_INSTANTIATE_FOR_DIALECTS(OrganisationsTest);

}  // namespace
}  // namespace coalition::accounts
