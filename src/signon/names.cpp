// The stored, URL, JSON and CSV names of signon's enums (signon.hpp).
#include "signon/signon.hpp"

#include <array>
#include <utility>

namespace coalition::signon {
namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> find(const std::array<std::pair<Enum, std::string_view>, N>& table,
                         std::string_view text) {
    for (const auto& [value, name] : table) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                         Enum value) {
    for (const auto& [candidate, name] : table) {
        if (candidate == value) {
            return name;
        }
    }
    COALITION_ASSERT(false, "an enum value without a name");
    return {};
}

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
    return name_of(kKinds, kind);
}
std::string_view to_string(SignatureStatus status) {
    return name_of(kStatuses, status);
}
std::string_view to_string(Verification level) {
    return name_of(kVerifications, level);
}
std::optional<SignatoryKind> parse_kind(std::string_view text) {
    return find(kKinds, text);
}
std::optional<SignatureStatus> parse_status(std::string_view text) {
    return find(kStatuses, text);
}
std::optional<Verification> parse_verification(std::string_view text) {
    return find(kVerifications, text);
}

}  // namespace coalition::signon
