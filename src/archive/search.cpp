#include "archive/search.hpp"

#include "archive/search_query.hpp"
#include "archive/snippet.hpp"
#include "archive/tokenizer.hpp"
#include "store/array_builder.hpp"

#include <algorithm>
#include <span>

namespace coalition::archive::search {

namespace {

// The same caps on both backends. PostgreSQL keeps positions up to 16383 and 256 positions per
// lexeme; past them a phrase would match words that are not consecutive.
constexpr std::size_t kMaxSubjectWords = 200;
constexpr std::size_t kMaxBodyWords = 16000;
constexpr std::size_t kMaxPositionsPerLexeme = 255;
constexpr std::size_t kMaxLimit = 100;
// A search in this many lists or fewer asks the index for the lists' terms too (list_term);
// past it the union of their terms costs more than it saves, and only the SQL filter remains.
constexpr std::size_t kMaxListTerms = 4;

// FTS5 on SQLite, tsvector on PostgreSQL (migration 0015); asked of the connection, not of the
// archive_search_engine view, which cost a statement per archived message.
bool uses_fts5(const store::Connection& connection) {
    return connection.dialect() == store::Dialect::Sqlite;
}

// The term that files a message under its list (migration 0032): "§§" and the list's id. A stem
// is one "§" and letters, numbers or marks, so no word of a query can produce it.
std::string list_term(std::int64_t list_id) {
    return std::string(kStemMarker) + std::string(kStemMarker) + std::to_string(list_id);
}

// FTS5 column text: the surface forms, then the stems (a phrase of surface forms never spans
// into the stems: no query token carries kStemMarker in a phrase).
std::string fts5_column(const std::vector<std::string>& surfaces,
                        const std::vector<std::string>& stems) {
    std::string out;
    for (const std::string& surface : surfaces) {
        out += out.empty() ? "" : " ";
        out += surface;
    }
    for (const std::string& word_stem : stems) {
        if (!word_stem.empty()) {
            out += " " + word_stem;
        }
    }
    return out;
}

// The WHERE conditions after the text match, with their parameters appended to `params`.
std::string filters(const Query& query, store::Dialect dialect, store::Params& params) {
    auto next = [&params](store::Value value) {
        params.push_back(std::move(value));
        return "$" + std::to_string(params.size());
    };
    std::string sql = " AND m.list_id IN (";
    for (std::size_t list_idx = 0; list_idx < query.lists.size(); ++list_idx) {
        sql += list_idx == 0 ? "" : ", ";
        sql += next(query.lists[list_idx]);
    }
    sql += ")";
    if (!query.author.empty()) {
        std::string pattern = "%";
        for (char character : query.author) {
            if (character == '%' || character == '_' || character == '\\') {
                pattern += '\\';
            }
            pattern += character;
        }
        pattern += "%";
        const std::string like = dialect == store::Dialect::Sqlite ? " LIKE " : " ILIKE ";
        const std::string param = next(pattern);
        sql += " AND (m.author_name" + like + param + " ESCAPE '\\' OR m.author_email" + like +
               param + " ESCAPE '\\')";
    }
    if (query.from) {
        sql += " AND m.date >= " + next(*query.from);
    }
    if (query.until) {
        sql += " AND m.date <= " + next(*query.until);
    }
    if (query.has_attachment) {
        sql += " AND m.attachment_count > 0";
    }
    return sql;
}

// The text match of `query` within `lists`: the words, and when the lists are few their terms.
std::string match_expression(const ParsedQuery& query, const std::vector<std::int64_t>& lists,
                             bool fts5) {
    std::string words = fts5 ? to_fts5(query) : to_tsquery(query);
    if (lists.size() > kMaxListTerms) {
        return words;
    }
    std::string terms;
    for (const std::int64_t list_id : lists) {
        terms += terms.empty() ? "" : (fts5 ? " OR " : " | ");
        terms += (fts5 ? '"' : '\'') + list_term(list_id) + (fts5 ? '"' : '\'');
    }
    return "(" + terms + (fts5 ? ") AND (" : ") & (") + words + ")";
}

}  // namespace

Document document_of(std::string_view subject, std::string_view text) {
    std::vector<Word> subject_words = words(subject, kMaxSubjectWords);
    std::vector<Word> body_words = words(text, kMaxBodyWords);
    // The language is the body's, or with a short body the subject's and the body's together.
    Language language = Language::English;
    if (body_words.size() >= 20) {
        language = detect_language(body_words);
    } else {
        std::vector<Word> sample = subject_words;
        sample.insert(sample.end(), body_words.begin(), body_words.end());
        language = detect_language(sample);
    }
    Document document;
    auto fill = [language](std::vector<Word>& from, std::vector<std::string>& surfaces,
                           std::vector<std::string>& stems) {
        for (Word& word : from) {
            std::string word_stem = stem(word.surface, language);
            stems.push_back(word_stem.empty() ? std::string()
                                              : std::string(kStemMarker) + word_stem);
            surfaces.push_back(std::move(word.surface));
        }
    };
    fill(subject_words, document.subject, document.subject_stems);
    fill(body_words, document.body, document.body_stems);
    return document;
}

namespace {

// A lexeme where it stands in a document: a word or stem at its position, weighted A in the
// subject; the list's term at none (it filters, it is never ranked).
struct Occurrence {
    std::string_view lexeme;
    std::uint32_t position;  // 0: none.
    bool subject;
};

// The document's occurrences, by lexeme; each lexeme's positions ascending.
std::vector<Occurrence> occurrences_of(const Document& document, std::string_view list) {
    std::vector<Occurrence> occurrences;
    occurrences.reserve(2 * (document.subject.size() + document.body.size()) + 1);
    auto add = [&occurrences](const std::string& lexeme, std::size_t position, bool subject) {
        if (!lexeme.empty()) {
            occurrences.push_back({lexeme, static_cast<std::uint32_t>(position), subject});
        }
    };
    std::size_t position = 1;
    for (std::size_t word_idx = 0; word_idx < document.subject.size(); ++word_idx, ++position) {
        add(document.subject[word_idx], position, true);
        add(document.subject_stems[word_idx], position, true);
    }
    ++position;
    for (std::size_t word_idx = 0; word_idx < document.body.size(); ++word_idx, ++position) {
        add(document.body[word_idx], position, false);
        add(document.body_stems[word_idx], position, false);
    }
    occurrences.push_back({list, 0, false});
    std::stable_sort(
        occurrences.begin(), occurrences.end(),
        [](const Occurrence& left, const Occurrence& right) { return left.lexeme < right.lexeme; });
    return occurrences;
}

// The positions of one lexeme's occurrences as tsvector words: past PostgreSQL's last position
// (16,383) they count as it, as its text input does; each once, at most kMaxPositionsPerLexeme.
std::vector<std::uint16_t> positions_of(std::span<const Occurrence> occurrences) {
    constexpr std::uint32_t kLastPosition = 16383;  // MAXENTRYPOS - 1
    constexpr std::uint16_t kWeightA = 3U << 14;
    std::vector<std::uint16_t> positions;
    std::uint32_t last = 0;
    for (const Occurrence& occurrence : occurrences) {
        const std::uint32_t at = std::min(occurrence.position, kLastPosition);
        if (at == 0 || at <= last || positions.size() >= kMaxPositionsPerLexeme) {
            continue;
        }
        positions.push_back(static_cast<std::uint16_t>(at | (occurrence.subject ? kWeightA : 0U)));
        last = at;
    }
    return positions;
}

}  // namespace

// A tsvector in PostgreSQL's binary form (tsvectorsend): the number of lexemes, then each lexeme
// (NUL-terminated) with its positions. A stem shares its word's position. Subject positions are
// weighted A, body positions D (the default), one position apart so a phrase does not run from
// the subject into the body; positions past PostgreSQL's last (16,383) count as it, as its text
// input does. Lexemes in the order PostgreSQL keeps them (bytes), so it has nothing to sort. The
// server reads this without parsing: as text, reading it was a quarter of the time to index a
// message.
std::string postgresql_document(const Document& document, std::int64_t list_id) {
    const std::string list = list_term(list_id);
    const std::vector<Occurrence> occurrences = occurrences_of(document, list);
    // Each lexeme's run of occurrences.
    std::vector<std::span<const Occurrence>> lexemes;
    for (std::size_t begin = 0; begin < occurrences.size();) {
        std::size_t end = begin + 1;
        while (end < occurrences.size() && occurrences[end].lexeme == occurrences[begin].lexeme) {
            ++end;
        }
        lexemes.emplace_back(occurrences.data() + begin, end - begin);
        begin = end;
    }
    std::string out;
    out.reserve(occurrences.size() * 12);
    store::append_big_endian(out, static_cast<std::uint32_t>(lexemes.size()));
    for (const auto run : lexemes) {
        out += run.front().lexeme;  // Letters, numbers and marks only (tokenizer.hpp).
        out += '\0';
        const std::vector<std::uint16_t> positions = positions_of(run);
        store::append_big_endian(out, static_cast<std::uint16_t>(positions.size()));
        for (const std::uint16_t position : positions) {
            store::append_big_endian(out, position);
        }
    }
    return out;
}

// On PostgreSQL an upsert, on FTS5 a plain insert: there is no entry yet, since a message's
// subject, text and list never change once archived.
void index_new(store::Connection& connection, MessageId id, std::int64_t list_id,
               const Document& document) {
    if (uses_fts5(connection)) {
        connection.execute_later(
            "INSERT INTO archive_search (rowid, subject, body, list) VALUES ($1, $2, $3, $4)",
            {id.value(), fts5_column(document.subject, document.subject_stems),
             fts5_column(document.body, document.body_stems), list_term(list_id)});
        return;
    }
    connection.execute_later(
        "INSERT INTO archive_search (message_id, document) VALUES ($1, CAST($2 AS tsvector)) "
        "ON CONFLICT (message_id) DO UPDATE SET document = excluded.document",
        {id.value(), store::Binary{postgresql_document(document, list_id)}});
}

void index_batch(std::vector<store::Statement>& writes, const std::vector<NewEntry>& entries) {
    store::ArrayColumns rows(
        {store::ArrayColumns::Element::Bigint, store::ArrayColumns::Element::Tsvector});
    for (const auto& entry : entries) {
        rows.row(entry.id.value(), entry.document);
    }
    if (rows.empty()) {
        return;
    }
    writes.push_back(store::Statement{
        "INSERT INTO archive_search (message_id, document) SELECT * FROM " + rows.unnest(1),
        rows.take()});
}

namespace {

// Indexes messages next_id…batch_last again and moves the rebuild's range past them, unless
// another process (a command started beside the server) did so meanwhile: indexed twice, a
// message would have two entries. Returns the messages it indexed, or nullopt if it did not.
std::optional<std::size_t> rebuild_batch(store::Database& database, std::int64_t next_id,
                                         std::int64_t batch_last, std::int64_t last_id) {
    const store::Rows rows = database.query(
        "SELECT id, list_id, subject, body_text FROM archive_messages "
        "WHERE id BETWEEN $1 AND $2 ORDER BY id",
        {next_id, batch_last});
    std::vector<Document> documents;
    documents.reserve(rows.size());
    for (const store::Row& row : rows) {
        documents.push_back(document_of(row.text(2), row.text(3)));
    }
    std::optional<std::size_t> indexed;
    database.transact([&](store::Connection& connection) {
        const auto now = connection.query_one("SELECT next_id FROM archive_search_rebuild");
        if (!now || now->integer(0) != next_id) {
            return;
        }
        for (std::size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
            index_new(connection, MessageId(rows[row_idx].integer(0)), rows[row_idx].integer(1),
                      documents[row_idx]);
        }
        if (batch_last >= last_id) {
            connection.execute("DELETE FROM archive_search_rebuild");
        } else {
            connection.execute("UPDATE archive_search_rebuild SET next_id = $1", {batch_last + 1});
        }
        indexed = rows.size();
    });
    return indexed;
}

}  // namespace

std::size_t finish_rebuild(store::Database& database, const RebuildProgress& progress,
                           std::int64_t batch) {
    if (database.dialect() != store::Dialect::Sqlite) {
        return 0;  // Migration 0032 rewrote PostgreSQL's documents itself.
    }
    std::size_t indexed = 0;
    while (const auto state =
               database.query_one("SELECT next_id, last_id FROM archive_search_rebuild")) {
        const std::int64_t next_id = state->integer(0);
        const std::int64_t last_id = state->integer(1);
        const std::int64_t batch_last =
            std::min(last_id, next_id + std::max<std::int64_t>(batch, 1) - 1);
        if (const auto done = rebuild_batch(database, next_id, batch_last, last_id)) {
            indexed += *done;
            if (progress) {
                progress(batch_last, last_id);
            }
        }
    }
    return indexed;
}

core::Result<Results> search(store::Database& database, const Query& query) {
    core::Result<ParsedQuery> parsed = parse_query(query.text);
    if (!parsed) {
        return parsed.error();
    }
    Results results;
    if (query.lists.empty()) {
        return results;
    }
    const store::Dialect dialect = database.dialect();
    const bool sqlite = dialect == store::Dialect::Sqlite;
    store::Params params;
    params.emplace_back(match_expression(*parsed, query.lists, sqlite));
    // CROSS JOIN: SQLite must start from the text match; given the choice it walks every
    // message of the lists and runs the match for each (3.6 s instead of 10 ms at 20,000).
    // INDEXED BY: each match's list and date from the narrow index (migration 0031), not from
    // the message's row among the raw bytes and bodies (a page read a match).
    const std::string from =
        sqlite ? " FROM archive_search CROSS JOIN archive_messages m INDEXED BY "
                 "archive_messages_search_keys ON m.id = archive_search.rowid"
                 " WHERE archive_search MATCH $1"
               : " FROM archive_search s JOIN archive_messages m ON m.id = s.message_id"
                 " WHERE s.document @@ CAST($1 AS tsquery)";
    const std::string where = from + filters(query, dialect, params);

    // bm25: lower is better, the subject weighs twice the body, the list term nothing.
    // ts_rank_cd: higher is better, subject (A) 1.0 against body (D) 0.1, divided by
    // 1 + log(length) (normalisation 1); it ranks the words alone (the list term has no
    // position, and cover density needs one for every term).
    store::Params page_params = params;
    if (!sqlite) {
        page_params.emplace_back(to_tsquery(*parsed));
    }
    const std::string score = sqlite ? "-bm25(archive_search, 2.0, 1.0, 0.0)"
                                     : "ts_rank_cd(s.document, CAST($" +
                                           std::to_string(page_params.size()) + " AS tsquery), 1)";
    const std::string limit = "$" + std::to_string(page_params.size() + 1);
    const std::string offset = "$" + std::to_string(page_params.size() + 2);
    page_params.emplace_back(static_cast<std::int64_t>(std::min(query.limit, kMaxLimit)));
    page_params.emplace_back(static_cast<std::int64_t>(query.offset));
    // One pass over the matches: the page is chosen from ids, dates and scores alone, with the
    // total counted beside it, and only the page's rows are read whole (sorting every match
    // with its body would read, and detoast, thousands of bodies for a common word).
    // (The scores are materialised first: FTS5's bm25() cannot run inside a window query.)
    const store::Rows rows = database.query(
        "WITH matches AS MATERIALIZED (SELECT m.id AS id, m.date AS date, " + score + " AS score" +
            where +
            "), page AS (SELECT id, date, score, count(*) OVER () AS total FROM matches"
            " ORDER BY score DESC, date DESC, id DESC LIMIT " +
            limit + " OFFSET " + offset +
            ") SELECT m.id, m.list_id, m.thread_id, m.subject, m.author_name, m.date, "
            "m.body_text, page.score, page.total, m.author_email "
            "FROM page JOIN archive_messages m ON m.id = page.id "
            "ORDER BY page.score DESC, page.date DESC, page.id DESC",
        page_params);
    if (!rows.empty()) {
        results.total = static_cast<std::size_t>(rows.front().integer(8));
    } else if (query.offset > 0 || query.limit == 0) {
        // A page past the end (or none asked for): say how many there are.
        const auto count = database.query_one("SELECT count(*)" + where, params);
        results.total = count ? static_cast<std::size_t>(count->integer(0)) : 0;
    }
    for (const store::Row& row : rows) {
        Hit hit;
        hit.message = MessageId(row.integer(0));
        hit.list_id = row.integer(1);
        hit.thread = ThreadId(row.integer(2));
        hit.subject = row.text(3);
        hit.author_name = row.text(4);
        hit.author_email = row.text(9);
        hit.date = row.integer(5);
        hit.snippet_html = snippet_html(row.text(6), *parsed);
        hit.score = row.real(7);
        results.hits.push_back(std::move(hit));
    }
    return results;
}

std::vector<std::string> tokens(std::string_view text) {
    std::vector<std::string> out;
    for (Word& word : words(text)) {
        out.push_back(std::move(word.surface));
    }
    return out;
}

}  // namespace coalition::archive::search
