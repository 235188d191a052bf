// Fuzzes the archive's search-query parser (archive::search::parse_query) and its two writers.
// Invariants: never crashes; refused queries are Invalid with a message; an accepted query has
// 1..kMaxClauses clauses, at least one not excluded, none empty, every surface form and stem
// valid UTF-8 without quotes or control characters; its FTS5 expression is accepted by a real
// SQLite FTS5 table (never a syntax error, whatever the user typed); its tsquery literal quotes
// every term and balances them. The tokenizer under it (archive::search::words, which cuts ASCII
// chunks itself and hands the rest to ICU) gives words whose ranges lie in the input, in order,
// each with a clean surface form.

#include "archive/search_query.hpp"
#include "archive/tokenizer.hpp"
#include "fuzz_support.hpp"

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using coalition::archive::search::kMaxClauses;
using coalition::archive::search::parse_query;
using coalition::archive::search::ParsedQuery;
using coalition::fuzz::is_well_formed_utf8;

bool is_clean_term(std::string_view term) {
    if (term.empty() || !is_well_formed_utf8(term)) {
        return false;
    }
    for (unsigned char c : term) {
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\'') {
            return false;
        }
    }
    return true;
}

// One in-memory FTS5 table for the whole run.
sqlite3_stmt* fts5_statement() {
    static sqlite3_stmt* statement = [] {
        sqlite3* database = nullptr;
        if (sqlite3_open(":memory:", &database) != SQLITE_OK ||
            sqlite3_exec(database,
                         "CREATE VIRTUAL TABLE t USING fts5(body); "
                         "INSERT INTO t (body) VALUES ('the digital compact');",
                         nullptr, nullptr, nullptr) != SQLITE_OK) {
            std::abort();
        }
        sqlite3_stmt* prepared = nullptr;
        if (sqlite3_prepare_v2(database, "SELECT count(*) FROM t WHERE t MATCH ?1", -1, &prepared,
                               nullptr) != SQLITE_OK) {
            std::abort();
        }
        return prepared;
    }();
    return statement;
}

void check_fts5(std::string_view input, const std::string& expression) {
    sqlite3_stmt* statement = fts5_statement();
    sqlite3_reset(statement);
    sqlite3_bind_text(statement, 1, expression.data(), static_cast<int>(expression.size()),
                      SQLITE_TRANSIENT);
    const int status = sqlite3_step(statement);
    COALITION_FUZZ_CHECK(status == SQLITE_ROW, "FTS5 refused the expression we wrote", input);
}

void check_tsquery(std::string_view input, const std::string& literal) {
    std::size_t quotes = 0;
    for (char c : literal) {
        quotes += c == '\'' ? 1 : 0;
    }
    COALITION_FUZZ_CHECK(!literal.empty() && quotes % 2 == 0 && quotes > 0,
                         "the tsquery literal's quotes do not balance", input);
}

void check_query(std::string_view input, const ParsedQuery& query) {
    COALITION_FUZZ_CHECK(!query.clauses.empty() && query.clauses.size() <= kMaxClauses,
                         "clause count out of range", input);
    bool positive = false;
    for (const auto& clause : query.clauses) {
        positive = positive || !clause.excluded;
        COALITION_FUZZ_CHECK(!clause.surfaces.empty(), "an empty clause", input);
        for (const auto& surface : clause.surfaces) {
            COALITION_FUZZ_CHECK(is_clean_term(surface), "an unclean surface form", input);
        }
        for (const auto& stem : clause.stems) {
            COALITION_FUZZ_CHECK(is_clean_term(stem), "an unclean stem", input);
        }
    }
    COALITION_FUZZ_CHECK(positive, "every clause is excluded", input);
}

void check_words(std::string_view input) {
    std::size_t previous_begin = 0;
    for (const auto& word : coalition::archive::search::words(input)) {
        COALITION_FUZZ_CHECK(word.begin < word.end && word.end <= input.size(),
                             "a word's range is outside the text", input);
        COALITION_FUZZ_CHECK(word.begin >= previous_begin, "words out of order", input);
        COALITION_FUZZ_CHECK(is_clean_term(word.surface), "an unclean word", input);
        previous_begin = word.begin;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    check_words(input);
    const auto query = parse_query(input);
    if (!query) {
        COALITION_FUZZ_CHECK(query.error().code == coalition::core::ErrorCode::Invalid &&
                                 !query.error().message.empty(),
                             "a refusal that is not Invalid with a message", input);
        return 0;
    }
    check_query(input, *query);
    check_fts5(input, coalition::archive::search::to_fts5(*query));
    check_tsquery(input, coalition::archive::search::to_tsquery(*query));
    return 0;
}
