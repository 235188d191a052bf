// The public list: filters, search, sorting, pagination, totals and the breakdown.
#include "signon/signon.hpp"
#include "signon/test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace coalition::signon {
namespace {

using testing::individual;
using testing::kVersion1;
using testing::kVersion2;
using testing::organisation;

class PublicListTest : public testing::SignonTest {
protected:
    void SetUp() override {
        SignonTest::SetUp();
        if (IsSkipped()) {
            return;
        }
        // Published one a day, in this order.
        publish_individual("Zoë Zimmermann", "zoe@example.de", "DE");
        publish_individual("Amir Haddad", "amir@example.eg", "EG", "Cairo University");
        publish_organisation("Nominet", "ceo@nominet.uk", "nominet.uk", "GB");
        publish_individual("Bruno 100%_Real", "bruno@example.br", "BR");
        publish_organisation("auDA", "ceo@gmail.example", "auda.org.au", "AU");
        publish_individual("Hidden Person", "hidden@example.org", "NZ", "", false);
        publish_individual("Later Version", "later@example.org", "NZ", "", true, kVersion2);
    }

    void publish_individual(const std::string& name, const std::string& email,
                            const std::string& country, const std::string& affiliation = "",
                            bool shown = true, const std::string& version = kVersion1) {
        auto input = individual(name, email, shown, country);
        input.affiliation = affiliation;
        sign_and_confirm(input, version);
        clock_.advance(std::chrono::hours(24));
    }
    void publish_organisation(const std::string& name, const std::string& email,
                              const std::string& domain, const std::string& country) {
        const auto signature = sign_and_confirm(organisation(name, email, domain, country));
        signatures_->approve(admin_, signature.id).value();
        clock_.advance(std::chrono::hours(24));
    }
    std::vector<std::string> names(const SignatoryFilter& filter) {
        std::vector<std::string> out;
        for (const auto& row : signatures_->list("statement", filter).rows) {
            out.push_back(row.name);
        }
        return out;
    }
};

TEST_P(PublicListTest, SortsNewestFirstByDefault) {
    EXPECT_EQ(names({}), (std::vector<std::string>{"Later Version", "auDA", "Bruno 100%_Real",
                                                   "Nominet", "Amir Haddad", "Zoë Zimmermann"}));
    SignatoryFilter filter;
    filter.sort = SignatorySort::Oldest;
    EXPECT_EQ(names(filter).front(), "Zoë Zimmermann");
    filter.sort = SignatorySort::Name;
    EXPECT_EQ(names(filter),
              (std::vector<std::string>{"Amir Haddad", "auDA", "Bruno 100%_Real", "Later Version",
                                        "Nominet", "Zoë Zimmermann"}));
    filter.sort = SignatorySort::Country;
    EXPECT_EQ(names(filter), (std::vector<std::string>{"auDA", "Bruno 100%_Real", "Zoë Zimmermann",
                                                       "Amir Haddad", "Nominet", "Later Version"}));
}

TEST_P(PublicListTest, Filters) {
    SignatoryFilter filter;
    filter.kind = SignatoryKind::Organisation;
    EXPECT_EQ(names(filter), (std::vector<std::string>{"auDA", "Nominet"}));
    filter = {};
    filter.country = "gb";
    EXPECT_EQ(names(filter), std::vector<std::string>{"Nominet"});
    filter = {};
    filter.region = "AP";
    EXPECT_EQ(names(filter), (std::vector<std::string>{"Later Version", "auDA"}));
    filter = {};
    filter.stakeholder_group = "technical-community";
    EXPECT_EQ(signatures_->list("statement", filter).total, 2);
    filter = {};
    filter.verification = Verification::OrganisationDomain;
    EXPECT_EQ(names(filter), std::vector<std::string>{"Nominet"});
    filter.verification = Verification::Email;
    EXPECT_EQ(signatures_->list("statement", filter).total, 6);
    filter = {};
    filter.version_hash = kVersion2;
    EXPECT_EQ(names(filter), std::vector<std::string>{"Later Version"});
    EXPECT_TRUE(signatures_->list("another-campaign", {}).rows.empty());
}

TEST_P(PublicListTest, SearchesNamesAndOrganisationsCaseInsensitively) {
    SignatoryFilter filter;
    filter.search = "ZOË";
    EXPECT_EQ(names(filter), std::vector<std::string>{"Zoë Zimmermann"});
    filter.search = "cairo";  // The affiliation.
    EXPECT_EQ(names(filter), std::vector<std::string>{"Amir Haddad"});
    filter.search = "representative";  // An organisation's representative.
    EXPECT_EQ(signatures_->list("statement", filter).total, 2);
    // LIKE wildcards typed by a visitor match themselves.
    filter.search = "100%_";
    EXPECT_EQ(names(filter), std::vector<std::string>{"Bruno 100%_Real"});
    filter.search = "%";
    EXPECT_EQ(names(filter), std::vector<std::string>{"Bruno 100%_Real"});
    filter.search = "_";
    EXPECT_EQ(names(filter), std::vector<std::string>{"Bruno 100%_Real"});
    filter.search = "hidden";
    EXPECT_TRUE(names(filter).empty());
    filter.search = "' OR 1=1 --";
    EXPECT_TRUE(names(filter).empty());
    filter.search = std::string("\xff\0", 2);
    EXPECT_EQ(signatures_->list("statement", filter).total, 6);  // Ignored.
}

TEST_P(PublicListTest, Paginates) {
    SignatoryFilter filter;
    filter.sort = SignatorySort::Name;
    filter.limit = 4;
    auto page = signatures_->list("statement", filter);
    EXPECT_EQ(page.total, 6);
    ASSERT_EQ(page.rows.size(), 4u);
    filter.offset = 4;
    EXPECT_EQ(names(filter), (std::vector<std::string>{"Nominet", "Zoë Zimmermann"}));
    filter.offset = 600;
    page = signatures_->list("statement", filter);
    EXPECT_EQ(page.total, 6);
    EXPECT_TRUE(page.rows.empty());
    filter.offset = -5;
    filter.limit = 1'000'000;  // Capped.
    EXPECT_EQ(signatures_->list("statement", filter).rows.size(), 6u);
}

// The count of a filter is shared (one caller recounts a stale count while the others use the
// previous one): concurrent readers all get the right total, and a publication is seen at once by
// the next caller.
TEST_P(PublicListTest, CountsAreRightUnderConcurrentReadersAndFreshAfterAPublication) {
    std::vector<std::thread> readers;
    std::atomic<int> wrong{0};
    for (int thread = 0; thread < 8; ++thread) {
        readers.emplace_back([&] {
            for (int round = 0; round < 20; ++round) {
                if (signatures_->list("statement", {}).total != 6) {
                    ++wrong;
                }
            }
        });
    }
    for (auto& reader : readers) {
        reader.join();
    }
    EXPECT_EQ(wrong.load(), 0);
    publish_individual("Newcomer", "new@example.org", "FR");
    EXPECT_EQ(signatures_->list("statement", {}).total, 7);
    SignatoryFilter by_country;
    by_country.country = "FR";
    EXPECT_EQ(signatures_->list("statement", by_country).total, 1);
}

TEST_P(PublicListTest, TotalsAndBreakdown) {
    ASSERT_TRUE(sign(individual("Pending", "pending@example.org")).has_value());
    const auto totals = signatures_->totals("statement");
    EXPECT_EQ(totals.published, 7);
    EXPECT_EQ(totals.organisations, 2);
    EXPECT_EQ(totals.individuals, 5);
    EXPECT_EQ(totals.hidden_individuals, 1);
    EXPECT_EQ(totals.awaiting_confirmation, 1);
    EXPECT_EQ(totals.awaiting_moderation, 0);

    const auto breakdown = signatures_->breakdown("statement");
    std::map<std::string, std::int64_t> regions;
    for (const auto& count : breakdown.by_region) {
        regions[count.key] = count.count;
    }
    EXPECT_EQ(regions,
              (std::map<std::string, std::int64_t>{{"AF", 1}, {"AP", 3}, {"EUR", 2}, {"LAC", 1}}));
    ASSERT_EQ(breakdown.by_stakeholder_group.size(), 1u);
    EXPECT_EQ(breakdown.by_stakeholder_group.front().count, 2);
    ASSERT_EQ(breakdown.by_day.size(), 7u);
    EXPECT_EQ(breakdown.by_day.front().key, "2026-01-01");
    EXPECT_EQ(breakdown.by_day.back().key, "2026-01-07");
}

COALITION_SIGNON_DIALECTS(PublicListTest);

}  // namespace
}  // namespace coalition::signon
