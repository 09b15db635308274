// Turning two-factor sign-in on and off, and taking its codes.
#include "auth/two_factor.hpp"

#include "auth/token.hpp"
#include "auth/totp.hpp"
#include "auth/two_factor_repository.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace linnet::auth::two_factor {

namespace {

// Scratch codes: ten characters of an alphabet with nothing to misread.
std::string new_scratch_code() {
    static constexpr std::string_view kAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    const std::string random = random_hex(10);
    std::string code;
    for (std::size_t i = 0; i < 10; ++i)
        code += kAlphabet[static_cast<unsigned>(std::stoi(random.substr(2 * i, 2), nullptr, 16)) %
                          kAlphabet.size()];
    return code;
}

std::string normalized(const std::string& code) {
    std::string out;
    for (char c : code) {
        if (c == ' ' || c == '-') continue;
        out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return out;
}

}  // namespace

Enrolment begin(store::Transaction& tx, std::int64_t user_id) {
    TwoFactorRepository repo(tx);
    auto t = repo.find(user_id);
    if (t.secret) throw errors::bad_request("Two-factor authentication is already enabled.");
    t.pending_secret = totp::new_secret();
    t.pending_expiry_unix = unix_now() + kPendingSeconds;
    t.last_step = 0;  // the steps of a new secret
    repo.save(t);
    return {*t.pending_secret, format_time(t.pending_expiry_unix)};
}

std::string confirm(store::Transaction& tx, std::int64_t user_id, const std::string& code) {
    TwoFactorRepository repo(tx);
    auto t = repo.find(user_id);
    if (t.secret) throw errors::bad_request("Two-factor authentication is already enabled.");
    if (!t.pending_secret || t.pending_expiry_unix <= unix_now())
        throw errors::bad_request(
            "No two-factor secret waits for confirmation: POST /profile/tfa-enable first.");
    const auto step =
        totp::match(*t.pending_secret, normalized(code), totp::step_of(unix_now()), t.last_step);
    if (!step) throw errors::bad_request("Invalid token", "tfa_code");
    const std::string scratch = new_scratch_code();
    t.secret = t.pending_secret;
    t.pending_secret.reset();
    t.pending_expiry_unix = 0;
    t.scratch_hash = sha256_hex(scratch);
    t.last_step = *step;
    repo.save(t);
    return scratch;
}

void disable(store::Transaction& tx, std::int64_t user_id) {
    TwoFactorRepository repo(tx);
    auto t = repo.find(user_id);
    if (!t.secret) throw errors::bad_request("Two-factor authentication is not enabled.");
    repo.save(TwoFactor{user_id, std::nullopt, std::nullopt, 0, std::nullopt, t.last_step});
    repo.remove_devices_of(user_id);
}

bool enabled(store::Transaction& tx, std::int64_t user_id) {
    return TwoFactorRepository(tx).enabled(user_id);
}

bool take_code(store::Transaction& tx, std::int64_t user_id, const std::string& code) {
    TwoFactorRepository repo(tx);
    auto t = repo.find(user_id);
    if (!t.secret) return false;
    const std::string given = normalized(code);
    if (auto step = totp::match(*t.secret, given, totp::step_of(unix_now()), t.last_step)) {
        t.last_step = *step;
        repo.save(t);
        return true;
    }
    if (t.scratch_hash && given.size() == 10 && sha256_hex(given) == *t.scratch_hash) {
        t.scratch_hash.reset();
        repo.save(t);
        return true;
    }
    return false;
}

std::string trust_device(store::Transaction& tx, std::int64_t user_id,
                         const std::string& user_agent, const std::string& address) {
    const std::string token = random_hex(32);
    const std::int64_t now = unix_now();
    TrustedDevice d;
    d.user_id = user_id;
    d.user_agent = user_agent.substr(0, 512);
    d.last_remote_addr = address;
    d.created = d.last_authenticated = format_time(now);
    d.expiry_unix = now + kTrustSeconds;
    d.expiry = format_time(d.expiry_unix);
    TwoFactorRepository(tx).add_device(d, sha256_hex(token));
    return token;
}

bool trusted(store::Transaction& tx, std::int64_t user_id, const std::string& token,
             const std::string& address) {
    if (token.size() != 64) return false;
    TwoFactorRepository repo(tx);
    auto d = repo.device_by_token(sha256_hex(token), unix_now());
    if (!d || d->user_id != user_id) return false;
    repo.touch_device(d->id, now_utc(), address);
    return true;
}

}  // namespace linnet::auth::two_factor
