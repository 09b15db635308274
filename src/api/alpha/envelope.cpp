// Rewrapping modern list pages in the 2016 envelope.
#include "api/alpha/envelope.hpp"

#include "core/json.hpp"

namespace linnet::api::alpha {

namespace json = boost::json;

http::Response rewrap(const http::Response& modern, std::string_view plural,
                      const Translate& translate) {
    if (modern.status != 200) return modern;
    const auto page = json::parse(modern.body).as_object();
    json::array items;
    for (const auto& item : page.at("data").as_array())
        items.push_back(translate ? translate(item.as_object()) : item);
    json::object out;
    out[plural] = std::move(items);
    out["page"] = page.at("page");
    out["total_pages"] = page.at("pages");
    out["total_results"] = page.at("results");
    http::Response response = http::Response::json(to_json(out));
    response.headers = modern.headers;
    return response;
}

http::Response object_response(const json::value& value) {
    return http::Response::json(to_json(value));
}

}  // namespace linnet::api::alpha
