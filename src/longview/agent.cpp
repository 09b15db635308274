// Agents' posts: unpacked, checked and kept; and the fetch of what they sent.
#include "longview/agent.hpp"

#include <zlib.h>

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <vector>

#include "account/account_repository.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "http/form.hpp"
#include "longview/longview_repository.hpp"

namespace linnet::longview {

namespace {

namespace json = boost::json;

// An agent's post holds a few minutes of samples: a few hundred kilobytes unpacked at most.
constexpr std::size_t kMaxUnpacked = 16 << 20;
constexpr std::int64_t kKeepSeconds = 86400;
// A post holds at most this many samples (the agent keeps ten while it cannot post).
constexpr std::size_t kMaxSamples = 60;
constexpr int kSleepSeconds = 60;

std::optional<std::string> gunzip(std::string_view packed) {
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return std::nullopt;
    std::string out;
    std::vector<unsigned char> chunk(64 * 1024);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    z.avail_in = static_cast<uInt>(packed.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = chunk.data();
        z.avail_out = static_cast<uInt>(chunk.size());
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(reinterpret_cast<char*>(chunk.data()), chunk.size() - z.avail_out);
        if (out.size() > kMaxUnpacked || (rc == Z_BUF_ERROR && z.avail_in == 0)) break;
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) return std::nullopt;
    return out;
}

// The JSON an agent sent: the `data` field of a form (gzip-compressed or not), or the body.
std::optional<json::object> document(std::string_view content_type, std::string_view body) {
    std::string text(body);
    if (content_type.find("multipart/form-data") != std::string_view::npos ||
        content_type.find("application/x-www-form-urlencoded") != std::string_view::npos) {
        const auto form = http::parse_form(content_type, body);
        const auto data = form ? form->get("data") : std::nullopt;
        if (!data) return std::nullopt;
        text = *data;
    }
    if (text.size() >= 2 && static_cast<unsigned char>(text[0]) == 0x1f &&
        static_cast<unsigned char>(text[1]) == 0x8b) {
        auto unpacked = gunzip(text);
        if (!unpacked) return std::nullopt;
        text = std::move(*unpacked);
    }
    boost::system::error_code ec;
    auto value = json::parse(text, ec);
    if (ec || !value.is_object()) return std::nullopt;
    return std::move(value.as_object());
}

// Nested objects as the agent's flat keys ("CPU.cpu0.user"); other values as they are.
void flatten(const json::object& o, const std::string& prefix, json::object& out) {
    for (const auto& [key, value] : o) {
        const std::string name =
            prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
        if (value.is_object())
            flatten(value.as_object(), name, out);
        else
            out[name] = value;
    }
}

json::object flat(const json::object& sample, const char* part) {
    json::object out;
    if (const auto* v = sample.if_contains(part); v && v->is_object())
        flatten(v->as_object(), "", out);
    return out;
}

AgentAnswer answer(const json::value& v, int status = 200) {
    return {status, to_json(v)};
}

AgentAnswer refused(const std::string& why) {
    return answer(json::object{{"errors", json::array{json::object{{"reason", why}}}}}, 400);
}

}  // namespace

AgentAnswer receive(store::Transaction& tx, std::string_view content_type, std::string_view body) {
    const auto doc = document(content_type, body);
    if (!doc) return refused("The post is not the JSON of a Longview agent (gzip or not)");
    const auto* key = doc->if_contains("apikey");
    const auto* payload = doc->if_contains("payload");
    if (!key || !key->is_string() || !payload || !payload->is_array())
        return refused("The post needs an apikey and a payload array");
    LongviewRepository repo(tx);
    auto client = repo.find_by_api_key(std::string(key->as_string()));
    // An agent whose key names no client (or a client of a cancelled account) is asked to stop.
    if (!client || account::AccountRepository(tx).is_cancelled(client->account_id))
        return answer(json::object{{"die", "please"}});
    if (payload->as_array().size() > kMaxSamples)
        return refused("A post holds at most " + std::to_string(kMaxSamples) + " samples");
    const std::int64_t now = clock::unix_seconds();
    bool apache = false, mysql = false, nginx = false;
    for (const auto& item : payload->as_array()) {
        if (!item.is_object()) continue;
        const auto& sample = item.as_object();
        const auto* at = sample.if_contains("timestamp");
        // The agent's clock: taken within the day kept and a few minutes ahead.
        const std::int64_t sent =
            at && at->is_number() ? static_cast<std::int64_t>(at->to_number<double>()) : now;
        const std::int64_t when = std::clamp(sent, now - kKeepSeconds, now + 300);
        const auto instant = flat(sample, "INSTANT");
        const auto longterm = flat(sample, "LONGTERM");
        for (const auto* part : {&instant, &longterm})
            for (const auto& [name, value] : *part) {
                const std::string_view k = name;
                apache = apache || k.starts_with("Applications.Apache.");
                mysql = mysql || k.starts_with("Applications.MySQL.");
                nginx = nginx || k.starts_with("Applications.Nginx.");
            }
        repo.add_sample(client->id, when, to_json(instant), to_json(longterm), now - kKeepSeconds);
    }
    const auto saved = tx.scope();
    tx.set_scope(store::Scope::account(client->account_id));
    client->apps = to_json(json::object{{"apache", apache}, {"mysql", mysql}, {"nginx", nginx}});
    client->updated = now_utc();
    repo.save(*client);
    tx.set_scope(saved);
    return answer(json::object{{"sleep", kSleepSeconds}});
}

AgentAnswer fetch(store::Transaction& tx, std::string_view content_type, std::string_view body) {
    const auto form = http::parse_form(content_type, body);
    const auto key = form ? form->get("api_key") : std::nullopt;
    const std::string action = form ? form->get("api_action").value_or("") : "";
    json::object reply{{"ACTION", action},
                       {"DATA", json::object{}},
                       {"NOTIFICATIONS", json::array{}},
                       {"ERRORARRAY", json::array{}}};
    const auto fail = [&](int code, const char* text) {
        reply["ERRORARRAY"].as_array().push_back(json::object{{"CODE", code}, {"TEXT", text}});
        return answer(json::array{reply});
    };
    LongviewRepository repo(tx);
    const auto client = key ? repo.find_by_api_key(*key) : std::nullopt;
    if (!client) return fail(4, "Authentication failed");
    const auto saved = tx.scope();
    tx.set_scope(store::Scope::account(client->account_id));
    const auto sample = repo.latest_sample(client->id);
    tx.set_scope(saved);
    json::object data;
    if (action == "lastUpdated") {
        data["updated"] = sample ? sample->at : 0;
    } else if (action == "getLatestValue") {
        std::vector<std::string> patterns;
        boost::system::error_code ec;
        const auto keys = json::parse(form->get("keys").value_or("[]"), ec);
        if (ec || !keys.is_array()) return fail(5, "keys must be a JSON array of keys");
        for (const auto& k : keys.as_array())
            if (k.is_string()) patterns.emplace_back(k.as_string());
        if (sample)
            for (const auto* part : {&sample->instant, &sample->longterm}) {
                const json::value values = json::parse(*part);
                for (const auto& [name, value] : values.as_object())
                    for (const auto& p : patterns) {
                        const std::string_view n = name;
                        const bool wild = !p.empty() && p.back() == '*';
                        if (wild ? n.starts_with(std::string_view(p).substr(0, p.size() - 1))
                                 : n == p)
                            data[name] = value;
                    }
            }
    } else {
        return fail(3, "api_action must be lastUpdated or getLatestValue");
    }
    reply["DATA"] = std::move(data);
    return answer(json::array{reply});
}

}  // namespace linnet::longview
