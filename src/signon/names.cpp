// The stored, URL, JSON and CSV names of signon's enums (signon.hpp).
#include "core/names.hpp"

#include "signon/signon.hpp"

#include <array>
#include <utility>

namespace coalition::signon {
namespace {

constexpr std::array<std::pair<SignatoryKind, std::string_view>, 2> kKinds{{
    {SignatoryKind::Individual, "individual"},
    {SignatoryKind::Organisation, "organisation"},
}};

constexpr std::array<std::pair<SignatureStatus, std::string_view>, 8> kStatuses{{
    {SignatureStatus::Pending, "pending"},
    {SignatureStatus::Confirmed, "confirmed"},
    {SignatureStatus::InformationRequested, "information-requested"},
    {SignatureStatus::Published, "published"},
    {SignatureStatus::Rejected, "rejected"},
    {SignatureStatus::Withdrawn, "withdrawn"},
    {SignatureStatus::Cancelled, "cancelled"},
    {SignatureStatus::Erased, "erased"},
}};

constexpr std::array<std::pair<Verification, std::string_view>, 5> kVerifications{{
    {Verification::None, "none"},
    {Verification::Email, "email"},
    {Verification::OrganisationDomain, "organisation-domain"},
    {Verification::Dns, "dns"},
    {Verification::DnsSec, "dns-dnssec"},
}};

}  // namespace

std::string_view to_string(SignatoryKind kind) {
    return core::name_of(kKinds, kind);
}
std::string_view to_string(SignatureStatus status) {
    return core::name_of(kStatuses, status);
}
std::string_view to_string(Verification level) {
    return core::name_of(kVerifications, level);
}
std::optional<SignatoryKind> parse_kind(std::string_view text) {
    return core::value_of(kKinds, text);
}
std::optional<SignatureStatus> parse_status(std::string_view text) {
    return core::value_of(kStatuses, text);
}
std::optional<Verification> parse_verification(std::string_view text) {
    return core::value_of(kVerifications, text);
}

}  // namespace coalition::signon
