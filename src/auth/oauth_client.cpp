// Looking up OAuth clients and checking their credentials. Secrets are compared as hashes in
// constant time, so a response's timing says nothing about how much of a secret was right.
#include "auth/oauth_client.hpp"

#include <sodium.h>

#include "auth/oauth_error.hpp"
#include "auth/token.hpp"

namespace linnet::auth {

std::optional<OAuthClient> find_client(store::Transaction& tx, std::string_view id) {
    if (id.empty() || id.size() > 64) return std::nullopt;
    return OAuthRepository(tx).find_client(std::string(id));
}

OAuthClient authenticate_client(store::Transaction& tx, std::string_view id,
                                std::optional<std::string_view> secret) {
    if (id.empty()) throw oauth_errors::invalid_client("client_id is required");
    auto client = find_client(tx, id);
    if (!client || client->status != "active")
        throw oauth_errors::invalid_client("Unknown or inactive client");
    if (client->is_public) return *client;
    if (!secret || secret->empty() || !client->secret_hash)
        throw oauth_errors::invalid_client("client_secret is required for this client");
    const std::string presented = sha256_hex(*secret);
    if (presented.size() != client->secret_hash->size() ||
        sodium_memcmp(presented.data(), client->secret_hash->data(), presented.size()) != 0)
        throw oauth_errors::invalid_client("Wrong client secret");
    return *client;
}

bool valid_redirect_uri(std::string_view uri) {
    if (uri.size() > 2048) return false;
    std::string_view rest;
    if (uri.rfind("https://", 0) == 0)
        rest = uri.substr(8);
    else if (uri.rfind("http://", 0) == 0)
        rest = uri.substr(7);
    else
        return false;
    for (char c : uri)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '#' || c == '"' ||
            c == '<' || c == '>' || c == '\\')
            return false;
    const std::string_view host = rest.substr(0, rest.find_first_of("/?"));
    return !host.empty() && host.find('@') == std::string_view::npos && host.front() != ':';
}

bool redirect_uri_matches(std::string_view registered, std::string_view sent) {
    if (sent == registered) return true;
    if (sent.size() <= registered.size() + 1 || sent.substr(0, registered.size()) != registered)
        return false;
    const char joint = registered.find('?') == std::string_view::npos ? '?' : '&';
    return sent[registered.size()] == joint && valid_redirect_uri(sent);
}

}  // namespace linnet::auth
