// Signatures: the public list, its numbers, and the receipts of published signers.
#include "core/text.hpp"
#include "signon/events.hpp"
#include "signon/signatures_state.hpp"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace coalition::signon {
namespace {

constexpr std::int64_t kMaxPageSize = 1000;
constexpr std::size_t kMaxSearchLength = 200;

// "%" and "_" typed by a visitor match themselves (LIKE … ESCAPE '\').
std::string like_pattern(std::string_view search) {
    std::string pattern = "%";
    for (char c : search) {
        if (c == '%' || c == '_' || c == '\\') {
            pattern += '\\';
        }
        pattern += c;
    }
    return pattern + "%";
}

std::string day_of(std::int64_t day_number) {
    const std::string stamp = core::format_rfc3339(day_number * 86400);
    return stamp.substr(0, 10);
}

std::string base64(const std::uint8_t* data, std::size_t length) {
    std::string out(sodium_base64_ENCODED_LEN(length, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), data, length, sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // The terminating NUL.
    return out;
}

std::string tree_head_json(const TreeHead& head) {
    return nlohmann::json{
        {"tree_size", head.tree_size},
        {"timestamp", head.timestamp_ms},
        {"root_hash", base64(head.root_hash.data(), head.root_hash.size())},
        {"signature", base64(head.signature.data(), head.signature.size())},
    }
        .dump();
}

}  // namespace

namespace {

// COUNT(*) of the listed rows matching `where`, cached (see State::CachedCount). A template
// only because Signatures::State is private to Signatures.
template <typename State>
std::int64_t count_listed(State& s, const std::string& where, const store::Params& params) {
    std::string key = where;
    for (const auto& value : params) {
        key += '\x1f';
        if (const auto* text = std::get_if<std::string>(&value)) {
            key += *text;
        } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
            key += std::to_string(*number);
        }
    }
    const std::uint64_t generation = signature_store::public_list_generation();
    const std::int64_t now = s.clock.unix_now();
    {
        const std::lock_guard lock(s.counts_mutex);
        auto& entry = s.counts[key];
        const bool fresh =
            entry.generation == generation && now - entry.computed_at < State::kCountCacheSeconds;
        // While one caller recounts a stale entry, the others use the previous count rather than
        // each counting the same rows (a caller alone always recounts: it never sees a stale
        // count of its own changes).
        if (entry.computed_at != 0 && (fresh || entry.recounting)) {
            return entry.count;
        }
        entry.recounting = true;
    }
    std::int64_t count = 0;
    try {
        count = s.database.query_one("SELECT COUNT(*) FROM signatures WHERE " + where, params)
                    ->integer(0);
    } catch (...) {
        const std::lock_guard lock(s.counts_mutex);
        s.counts[key].recounting = false;
        throw;
    }
    const std::lock_guard lock(s.counts_mutex);
    if (s.counts.size() > 4096) {
        s.counts.clear();  // Many distinct searches: start again rather than grow.
    }
    s.counts[key] = {
        .generation = generation, .computed_at = now, .count = count, .recounting = false};
    return count;
}

}  // namespace

SignatoryPage Signatures::list(const std::string& campaign, const SignatoryFilter& filter) {
    State& s = *state_;
    std::string where = "campaign = $1 AND listed = 1";
    store::Params params = {campaign};
    const auto add = [&](std::string_view condition, store::Value value) {
        params.push_back(std::move(value));
        where += " AND " + std::string(condition) + " $" + std::to_string(params.size());
    };
    if (filter.kind) {
        add("kind =", std::string(to_string(*filter.kind)));
    }
    if (!filter.stakeholder_group.empty()) {
        add("stakeholder_group =", filter.stakeholder_group);
    }
    if (!filter.region.empty()) {
        add("region =", filter.region);
    }
    if (!filter.country.empty()) {
        std::string country = filter.country;
        for (char& c : country) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        add("country =", country);
    }
    if (!filter.version_hash.empty()) {
        add("version_hash =", filter.version_hash);
    }
    if (filter.verification && *filter.verification > Verification::None) {
        std::string levels;
        for (int level = static_cast<int>(*filter.verification);
             level <= static_cast<int>(Verification::DnsSec); ++level) {
            params.emplace_back(std::string(to_string(static_cast<Verification>(level))));
            levels += (levels.empty() ? "$" : ", $") + std::to_string(params.size());
        }
        where += " AND verification IN (" + levels + ")";
    }
    if (!filter.search.empty() && filter.search.size() <= kMaxSearchLength * 4 &&
        core::is_valid_utf8(filter.search)) {
        const std::string search = core::to_lower(core::to_nfc(core::trim(filter.search)));
        if (!search.empty()) {
            params.push_back(like_pattern(search));
            where += " AND search_text LIKE $" + std::to_string(params.size()) + " ESCAPE '\\'";
        }
    }

    SignatoryPage page;
    page.total = count_listed(s, where, params);
    std::string order;
    switch (filter.sort) {
        case SignatorySort::Newest:
            order = "published_at DESC, id DESC";
            break;
        case SignatorySort::Oldest:
            order = "published_at, id";
            break;
        case SignatorySort::Name:
            order = "sort_name, id";
            break;
        case SignatorySort::Country:
            order = "country, sort_name, id";
            break;
    }
    const std::int64_t limit = std::clamp<std::int64_t>(filter.limit, 0, kMaxPageSize);
    const std::int64_t offset = std::max<std::int64_t>(filter.offset, 0);
    if (limit == 0 || offset >= page.total) {
        return page;
    }
    params.emplace_back(limit);
    params.emplace_back(offset);
    const auto rows = s.database.query(
        "SELECT id, kind, name, title, organisation_name, affiliation, country, region, "
        "stakeholder_group, organisation_domain, verification, version_hash, published_at "
        "FROM signatures WHERE " +
            where + " ORDER BY " + order + " LIMIT $" + std::to_string(params.size() - 1) +
            " OFFSET $" + std::to_string(params.size()),
        params);
    for (const auto& row : rows) {
        const auto kind = parse_kind(row.text(1)).value_or(SignatoryKind::Individual);
        const bool organisation = kind == SignatoryKind::Organisation;
        std::string representative;
        if (organisation) {
            representative = row.text(2);
            if (!row.text(3).empty()) {
                representative += ", " + row.text(3);
            }
        }
        page.rows.push_back(PublicSignatory{
            .id = row.integer(0),
            .kind = kind,
            .name = organisation ? row.text(4) : row.text(2),
            .representative = std::move(representative),
            .affiliation = organisation ? std::string() : row.text(5),
            .country = row.text(6),
            .region = row.text(7),
            .stakeholder_group = row.text(8),
            .organisation_domain = row.text(9),
            .verification = parse_verification(row.text(10)).value_or(Verification::None),
            .version_hash = row.text(11),
            .published_at = row.optional_integer(12).value_or(0),
        });
    }
    return page;
}

std::uint64_t Signatures::public_list_generation() const {
    return signature_store::public_list_generation();
}

Totals Signatures::totals(const std::string& campaign) {
    Totals totals;
    const auto rows = state_->database.query(
        "SELECT status, kind, show_publicly, COUNT(*) FROM signatures WHERE campaign = $1 "
        "AND superseded = 0 GROUP BY status, kind, show_publicly",
        {campaign});
    for (const auto& row : rows) {
        const auto status = parse_status(row.text(0));
        const auto kind = parse_kind(row.text(1));
        const bool shown = row.boolean(2);
        const std::int64_t count = row.integer(3);
        if (status == SignatureStatus::Published) {
            totals.published += count;
            if (kind == SignatoryKind::Organisation) {
                totals.organisations += count;
            } else {
                totals.individuals += count;
                if (!shown) {
                    totals.hidden_individuals += count;
                }
            }
        } else if (status == SignatureStatus::Pending) {
            totals.awaiting_confirmation += count;
        } else if (status == SignatureStatus::Confirmed ||
                   status == SignatureStatus::InformationRequested) {
            totals.awaiting_moderation += count;
        }
    }
    return totals;
}

Breakdown Signatures::breakdown(const std::string& campaign) {
    State& s = *state_;
    Breakdown breakdown;
    const std::string published =
        "FROM signatures WHERE campaign = $1 AND status = 'published' AND superseded = 0";
    for (const auto& row : s.database.query(
             "SELECT region, COUNT(*) " + published + " GROUP BY region ORDER BY region",
             {campaign})) {
        breakdown.by_region.push_back(Count{row.text(0), row.integer(1)});
    }
    for (const auto& row :
         s.database.query("SELECT stakeholder_group, COUNT(*) " + published +
                              " AND kind = 'organisation' GROUP BY stakeholder_group "
                              "ORDER BY stakeholder_group",
                          {campaign})) {
        breakdown.by_stakeholder_group.push_back(Count{row.text(0), row.integer(1)});
    }
    for (const auto& row :
         s.database.query("SELECT published_at / 86400, COUNT(*) " + published +
                              " GROUP BY published_at / 86400 ORDER BY published_at / 86400",
                          {campaign})) {
        breakdown.by_day.push_back(Count{day_of(row.integer(0)), row.integer(1)});
    }
    return breakdown;
}

std::int64_t Signatures::send_receipts(const std::string& base_url) {
    State& s = *state_;
    const auto head = s.log.latest_tree_head();
    if (!head || head->tree_size == 0) {
        return 0;
    }
    const std::string base = trim_base_url(base_url);
    const std::string head_json = tree_head_json(*head);
    std::int64_t sent = 0;
    constexpr std::int64_t kBatch = 200;
    while (true) {
        signature_store::ReadConnection reader(s.database);
        const auto records = signature_store::find_where(
            reader,
            "receipt_sent = 0 AND log_index IS NOT NULL AND log_index < $1 AND status = "
            "'published'",
            {static_cast<std::int64_t>(head->tree_size)}, kBatch);
        if (records.empty()) {
            break;
        }
        struct Prepared {
            std::int64_t id = 0;
            std::optional<mail::ComposedMessage> composed;
            std::string subject;
        };
        std::vector<Prepared> batch;
        for (const auto& record : records) {
            const Signature& signature = record.signature;
            const auto entries = s.log.entries(*signature.log_index, *signature.log_index + 1);
            Prepared item{.id = signature.id, .composed = std::nullopt, .subject = {}};
            if (!entries.empty() && entries.front().leaf) {
                const auto links = signature_store::find_campaign(reader, signature.campaign);
                const auto message =
                    mails::receipt(s.settings, s.recipient(signature, links.campaign.title),
                                   *signature.log_index, *entries.front().leaf, head_json, base);
                item.composed = mail::compose(message, s.clock, s.random);
                item.subject = message.subject;
            }
            batch.push_back(std::move(item));
        }
        s.database.transact([&](store::Connection& connection) {
            for (const auto& item : batch) {
                if (signature_store::mark_receipt_sent(connection, item.id) && item.composed) {
                    s.enqueue(connection, *item.composed, item.subject);
                    ++sent;
                }
            }
        });
        if (static_cast<std::int64_t>(records.size()) < kBatch) {
            break;
        }
    }
    return sent;
}

}  // namespace coalition::signon
