// Archive search figures (a benchmark that prints, not a test): indexes N generated messages
// (default 20,000; English, French, Spanish, Russian, Chinese and Arabic text drawn from a
// Zipf-like vocabulary) through archive::search::index, 500 per transaction, then times Q mixed
// queries (default 100: words, inflections, phrases, exclusions, author and date filters,
// Chinese, Arabic) through archive::search::search and prints the index rate, the query median,
// p95 and max, and the index size.
// Usage: archive_search_bench --url sqlite:/tmp/x.db | postgresql://… [--messages N] [--queries Q]

#include "archive/search.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace coalition;  // NOLINT(google-build-using-namespace): a one-file program.
using Steady = std::chrono::steady_clock;

const std::vector<std::vector<std::string>> kVocabulary = {
    {"the",       "of",        "and",         "to",      "in",       "we",         "process",
     "processes", "running",   "run",         "meeting", "meetings", "governance", "internet",
     "digital",   "compact",   "negotiation", "draft",   "comment",  "comments",   "proposal",
     "proposed",  "statement", "members",     "agenda",  "deadline", "review",     "reviewed",
     "security",  "standards", "working",     "group",   "forum",    "response",   "responses"},
    {"le",          "la",          "les",          "de",       "et",
     "des",         "négociation", "négociations", "réunion",  "processus",
     "gouvernance", "numérique",   "pacte",        "projet",   "commentaires",
     "déclaration", "membres",     "délégations",  "sécurité", "normes",
     "groupe",      "travail",     "forum",        "réponse",  "proposition"},
    {"el",          "la",          "los",           "de",        "y",
     "en",          "negociación", "negociaciones", "reunión",   "proceso",
     "procesos",    "gobernanza",  "digital",       "pacto",     "borrador",
     "comentarios", "declaración", "miembros",      "seguridad", "normas",
     "grupo",       "trabajo",     "foro",          "respuesta", "propuesta"},
    {"и",           "в",          "на",       "процесс",      "процессы",  "процесса",
     "встреча",     "управление", "интернет", "цифровой",     "договор",   "проект",
     "комментарии", "заявление",  "члены",    "безопасность", "стандарты", "группа",
     "работа",      "форум",      "ответ",    "предложение"},
    {"我们", "讨论", "了", "全球", "数字契约", "草案", "互联网", "治理", "会议", "安全", "标准",
     "工作组", "论坛", "回应", "建议", "成员", "的", "和"},
    {"نحن", "السلام", "التعاون", "الدولي", "الإنترنت", "حوكمة", "الرقمي", "الاتفاق", "مشروع",
     "تعليقات", "بيان", "الأعضاء", "الأمن", "معايير", "مجموعة", "العمل", "منتدى", "رد"},
};

// Synthetic words ("bakodu") widen the vocabulary to a realistic size.
std::string synthetic_word(std::mt19937& random) {
    static const char* syllables[] = {"ba", "ko", "du", "ri", "ma", "te", "lo", "shi",
                                      "na", "ve", "po", "xu", "ge", "fa", "zo", "ir"};
    std::string word;
    const int length = 2 + static_cast<int>(random() % 3);
    for (int syllable_idx = 0; syllable_idx < length; ++syllable_idx) {
        word += syllables[random() % 16];
    }
    return word;
}

std::string sentence_text(std::mt19937& random, std::size_t language, std::size_t words) {
    const auto& vocabulary = kVocabulary[language];
    std::string text;
    const bool spaced = language != 4;
    for (std::size_t word_idx = 0; word_idx < words; ++word_idx) {
        // Zipf-like: small indices are frequent.
        const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(random);
        const auto rank = static_cast<std::size_t>(std::pow(draw, 2.5) * vocabulary.size() * 3);
        std::string word = rank < vocabulary.size() ? vocabulary[rank] : synthetic_word(random);
        if (!text.empty() && spaced) {
            text += word_idx % 12 == 0 ? ". " : " ";
        }
        text += word;
    }
    return text + (spaced ? "." : "。");
}

double percentile(std::vector<double> values, double fraction) {
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(fraction * values.size()))];
}

}  // namespace

int main(int argc, char** argv) {
    std::string url;
    std::size_t messages = 20'000;
    std::size_t queries = 100;
    for (int arg_idx = 1; arg_idx + 1 < argc; arg_idx += 2) {
        const std::string name = argv[arg_idx];
        const std::string value = argv[arg_idx + 1];
        if (name == "--url") {
            url = value;
        } else if (name == "--messages") {
            messages = std::stoul(value);
        } else if (name == "--queries") {
            queries = std::stoul(value);
        }
    }
    if (url.empty()) {
        std::fprintf(stderr,
                     "usage: archive_search_bench --url URL [--messages N] [--queries Q]\n");
        return 2;
    }
    auto database = store::open_database(url);
    store::migrate(*database);
    std::int64_t list_id = 0;
    database->transact([&](store::Connection& connection) {
        list_id = connection
                      .query_one(
                          "INSERT INTO lists (name, domain, domain_ascii, posting_policy, "
                          "nonmember_policy, max_message_bytes, archive_visibility, "
                          "digest_enabled, digest_period, digest_size_threshold_bytes, "
                          "reply_to_policy, dmarc_mitigation, created_at, updated_at) VALUES "
                          "('bench', 'example.org', 'example.org', 'members', 'hold', 1000000, "
                          "'public', 0, 'daily', 1000, 'none', 'never', 0, 0) RETURNING id")
                      ->integer(0);
    });

    std::mt19937 random(7);
    std::size_t text_bytes = 0;
    const auto index_start = Steady::now();
    constexpr std::size_t kBatch = 500;
    for (std::size_t batch_start = 0; batch_start < messages; batch_start += kBatch) {
        database->transact([&](store::Connection& connection) {
            for (std::size_t message_idx = batch_start;
                 message_idx < std::min(messages, batch_start + kBatch); ++message_idx) {
                // Half English, the rest spread over the other five languages.
                const std::size_t language = message_idx % 2 == 0 ? 0 : 1 + (message_idx / 2) % 5;
                archive::ArchivedMessage message;
                message.list_id = list_id;
                message.subject = sentence_text(random, language, 6);
                message.text = sentence_text(random, language, 60 + random() % 200);
                message.author_name = "Author " + std::to_string(message_idx % 300);
                message.author_email =
                    "author" + std::to_string(message_idx % 300) + "@example.org";
                message.date = 1'600'000'000 + static_cast<std::int64_t>(message_idx) * 3600;
                text_bytes += message.text.size();
                const std::int64_t thread =
                    connection
                        .query_one(
                            "INSERT INTO archive_threads (list_id, subject, started_at, "
                            "last_activity) VALUES ($1, $2, $3, $3) RETURNING id",
                            {list_id, message.subject, message.date})
                        ->integer(0);
                message.thread = archive::ThreadId(thread);
                message.id = archive::MessageId(
                    connection
                        .query_one(
                            "INSERT INTO archive_messages (list_id, thread_id, message_id, date, "
                            "author_name, author_email, subject, body_text, attachment_count, "
                            "raw, archived_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $4) "
                            "RETURNING id",
                            {list_id, thread, "m" + std::to_string(message_idx) + "@bench",
                             message.date, message.author_name, message.author_email,
                             message.subject, message.text,
                             std::int64_t{message_idx % 10 == 0 ? 1 : 0}})
                        ->integer(0));
                archive::search::index(connection, message);
            }
        });
    }
    const double index_seconds = std::chrono::duration<double>(Steady::now() - index_start).count();

    const std::vector<std::string> texts = {"governance",
                                            "running",
                                            "processes",
                                            "\"digital compact\"",
                                            "meeting -agenda",
                                            "négociations",
                                            "réunion numérique",
                                            "negociaciones",
                                            "процессы",
                                            "цифровой договор",
                                            "数字契约",
                                            "草案",
                                            "السلام",
                                            "الدولي",
                                            "bakodu",
                                            "deadline review",
                                            "proposal comments",
                                            "security standards -forum",
                                            "\"working group\"",
                                            "statement members"};
    std::vector<double> latencies;
    std::size_t total_hits = 0;
    for (std::size_t query_idx = 0; query_idx < queries; ++query_idx) {
        archive::search::Query query;
        query.text = texts[query_idx % texts.size()];
        query.lists = {list_id};
        if (query_idx % 5 == 1) {
            query.author = "Author 1";
        }
        if (query_idx % 7 == 2) {
            query.from = 1'600'000'000 + 3600 * 5000;
            query.until = 1'600'000'000 + 3600 * 15000;
        }
        query.offset = query_idx % 4 == 3 ? 20 : 0;
        const auto start = Steady::now();
        const auto results = archive::search::search(*database, query);
        latencies.push_back(
            std::chrono::duration<double, std::milli>(Steady::now() - start).count());
        if (!results) {
            std::fprintf(stderr, "query %s failed: %s\n", query.text.c_str(),
                         results.error().message.c_str());
            return 1;
        }
        total_hits += results->total;
    }
    std::string size;
    if (database->dialect() == store::Dialect::Sqlite) {
        const auto pages =
            database->query_one("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'archive_search%'");
        size = pages && !pages->is_null(0) ? std::to_string(pages->integer(0) / 1024) + " KiB"
                                           : "(dbstat unavailable)";
    } else {
        const auto bytes = database->query_one("SELECT pg_total_relation_size('archive_search')");
        size = std::to_string(bytes->integer(0) / 1024) + " KiB";
    }
    std::printf("%s: %zu messages (%.1f MB of text) indexed in %.1f s (%.0f messages/s)\n",
                database->describe().c_str(), messages, text_bytes / 1e6, index_seconds,
                messages / index_seconds);
    std::printf(
        "%zu queries (%zu matches in all): median %.2f ms, p95 %.2f ms, max %.2f ms, "
        "total %.0f ms\n",
        queries, total_hits, percentile(latencies, 0.5), percentile(latencies, 0.95),
        percentile(latencies, 1.0), [&] {
            double sum = 0;
            for (double latency : latencies) {
                sum += latency;
            }
            return sum;
        }());
    std::printf("search index size: %s\n", size.c_str());
    return 0;
}
