// OAuth clients: the apps registered on the account that users may log into. A confidential
// client proves itself with its secret (stored only as a SHA-256 hash); a public one has none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/oauth_repository.hpp"
#include "store/database.hpp"

namespace linnet::auth {

std::optional<OAuthClient> find_client(store::Transaction& tx, std::string_view id);

// The client a token request speaks for. A confidential client must present its secret; a
// public one presents none. Throws OAuthError invalid_client (401) otherwise.
OAuthClient authenticate_client(store::Transaction& tx, std::string_view id,
                                std::optional<std::string_view> secret);

// An absolute http(s) URL with a host and no fragment, as RFC 6749 section 3.1.2 asks.
bool valid_redirect_uri(std::string_view uri);
// True when an app that registered `registered` may be sent back to `sent`: the same address, or
// the same scheme, host, port and path with a query the app added (Cloud Manager adds
// "?returnTo=..."); never another path, host or fragment.
bool redirect_uri_matches(std::string_view registered, std::string_view sent);

}  // namespace linnet::auth
