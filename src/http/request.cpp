// Target splitting, percent-decoding and small request helpers.
#include "http/request.hpp"

#include "core/error.hpp"

namespace linnet::http {

std::optional<std::string_view> Request::header(std::string_view name) const {
    auto it = headers.find(std::string(name));
    if (it == headers.end()) return std::nullopt;
    return it->second;
}

Response Response::json(std::string body, int status) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size()) return std::nullopt;
        int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

Target split_target(std::string_view target) {
    Target t;
    auto q = target.find('?');
    t.path = std::string(target.substr(0, q));
    if (q == std::string_view::npos) return t;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        auto amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string key(pair.substr(0, eq));
        std::string value(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
        for (auto& c : value)
            if (c == '+') c = ' ';
        for (auto& c : key)
            if (c == '+') c = ' ';
        auto k = percent_decode(key);
        auto v = percent_decode(value);
        if (!k || !v) continue;  // a malformed parameter is ignored like an unknown one
        t.query.emplace(std::move(*k), std::move(*v));
    }
    return t;
}

std::optional<std::string_view> Context::query_param(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
}

store::Transaction& Context::tx() {
    if (!tx_) {
        tx_ = db_.begin(access_);
        if (scope) tx_->set_scope(*scope);
    }
    return *tx_;
}

void Context::commit() {
    if (tx_) tx_->commit();
    for (auto& run : after_commit) run();
}

const auth::Principal& Context::caller() const {
    if (principal == nullptr) throw errors::invalid_token();
    return *principal;
}

}  // namespace linnet::http
