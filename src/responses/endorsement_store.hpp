#pragma once
// The endorsement half's SQL (migrations/0020_responses_endorsement.sql): rounds, answers,
// reminders sent, publications and their endorsers. Writers take the caller's transaction;
// readers take a response_store::Source.

#include "responses/response_store.hpp"
#include "responses/responses.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace coalition::responses::endorsement_store {

using response_store::Source;

// ---- Rounds ----
std::optional<Round> latest_round(Source source, ResponseId id);
std::int64_t insert_round(store::Connection& connection, ResponseId id, const Round& round);
void set_status(store::Connection& connection, ResponseId id, ResponseStatus status,
                std::int64_t now);

// A round that is open: its response is open for endorsement and it is the newest round.
struct OpenRound {
    ResponseId response = {};
    std::string slug = {};
    std::string title = {};
    Round round = {};
};
std::vector<OpenRound> open_rounds(Source source);

// ---- Answers ----
std::vector<Answer> answers(Source source, ResponseId id);  // By organisation id.
std::optional<Answer> find_answer(Source source, ResponseId id,
                                  accounts::OrganisationId organisation);
// Inserts or replaces the organisation's answer.
void put_answer(store::Connection& connection, ResponseId id, const Answer& answer);
// False when there was none.
bool delete_answer(store::Connection& connection, ResponseId id,
                   accounts::OrganisationId organisation);

void remember_language(store::Connection& connection, accounts::UserId user,
                       const std::string& language, std::int64_t now);
std::optional<std::string> language(Source source, accounts::UserId user);

// ---- Reminders ----
// (organisation id, offset days) already reminded in `round_id`.
std::set<std::pair<std::int64_t, int>> reminders_sent(Source source, std::int64_t round_id);
// True when this call recorded it (ON CONFLICT DO NOTHING: a racing server records nothing).
bool record_reminder(store::Connection& connection, std::int64_t round_id,
                     accounts::OrganisationId organisation, int offset_days, std::int64_t now);

// ---- Publication ----
struct PublicationRow {
    int version_number = 0;
    std::string version_hash = {};
    std::int64_t published_at = 0;
};
void insert_publication(store::Connection& connection, ResponseId id, const PublicationRow& row,
                        const std::string& actor);
void insert_endorser(store::Connection& connection, ResponseId id, const Endorser& endorser);
std::optional<PublicationRow> publication(Source source, ResponseId id);
std::vector<Endorser> endorsers(Source source, ResponseId id);  // By name bytes.
// Gives the endorsers the positions 1, 2, … in the order of `order` (each must be an endorser of
// `id`), or clears every position (the default order) when `order` is empty.
void set_endorser_order(store::Connection& connection, ResponseId id,
                        const std::vector<accounts::OrganisationId>& order);
// Newest first, at most `limit`.
std::vector<PublishedResponse> published(Source source, std::size_t limit);

}  // namespace coalition::responses::endorsement_store
