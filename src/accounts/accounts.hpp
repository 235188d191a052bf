#pragma once
// accounts: users, organisations, sign-in links, sessions, roles and the audit log. A domain
// module: it uses core, store, mail (the outbox, for sign-in mail) and i18n, and every other
// domain may use it through this header only. Services take value types (OrganisationDraft →
// OrganisationFields, core::Email) and return core::Result; each keeps its SQL in a *_store.cpp.
// Start reading at organisations.hpp and users.hpp; sign_in.hpp and sessions.hpp for the web.

#include "accounts/actor.hpp"          // IWYU pragma: export
#include "accounts/api_tokens.hpp"     // IWYU pragma: export
#include "accounts/audit_log.hpp"      // IWYU pragma: export
#include "accounts/ids.hpp"            // IWYU pragma: export
#include "accounts/organisation.hpp"   // IWYU pragma: export
#include "accounts/organisations.hpp"  // IWYU pragma: export
#include "accounts/reference.hpp"      // IWYU pragma: export
#include "accounts/sessions.hpp"       // IWYU pragma: export
#include "accounts/sign_in.hpp"        // IWYU pragma: export
#include "accounts/slug.hpp"           // IWYU pragma: export
#include "accounts/user.hpp"           // IWYU pragma: export
#include "accounts/users.hpp"          // IWYU pragma: export
#include "accounts/validation.hpp"     // IWYU pragma: export
#include "accounts/website_url.hpp"    // IWYU pragma: export
