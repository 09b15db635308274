// The price documents and the lookup of a region's price.
#include "billing/prices.hpp"

#include <cmath>

namespace linnet::billing {

namespace json = boost::json;

namespace {

std::int64_t micros(const json::value& dollars) {
    return dollars.is_number() ? std::llround(dollars.to_number<double>() * 1'000'000) : 0;
}

json::object type_doc(const char* id, const char* label, double hourly, double monthly,
                      json::array region_prices) {
    return json::object{{"id", id},
                        {"label", label},
                        {"price", json::object{{"hourly", hourly}, {"monthly", monthly}}},
                        {"region_prices", std::move(region_prices)},
                        {"transfer", 0}};
}

json::object region_price(const char* region, double hourly, const json::value& monthly) {
    return json::object{{"id", region}, {"hourly", hourly}, {"monthly", monthly}};
}

}  // namespace

Price price_in(const json::object& doc, const std::string& region) {
    const json::object* price = nullptr;
    if (const auto* regional = doc.if_contains("region_prices"); regional && regional->is_array())
        for (const auto& p : regional->as_array())
            if (p.is_object() && p.as_object().if_contains("id") &&
                p.as_object().at("id") == json::value(region))
                price = &p.as_object();
    if (price == nullptr)
        if (const auto* base = doc.if_contains("price"); base && base->is_object())
            price = &base->as_object();
    if (price == nullptr) return {};
    const auto* hourly = price->if_contains("hourly");
    const auto* monthly = price->if_contains("monthly");
    return {hourly ? micros(*hourly) : 0, monthly ? micros(*monthly) : 0};
}

const json::object& volume_type() {
    static const json::object doc = type_doc(
        "volume", "Storage Volume", 0.00015, 0.1,
        json::array{region_price("id-cgk", 0.00018, 0.12), region_price("br-gru", 0.00021, 0.14)});
    return doc;
}

const json::object& nodebalancer_type() {
    static const json::object doc = type_doc(
        "nodebalancer", "NodeBalancer", 0.015, 10.0,
        json::array{region_price("id-cgk", 0.018, 12.0), region_price("br-gru", 0.021, 14.0)});
    return doc;
}

const json::object& image_storage_type() {
    static const json::object doc =
        type_doc("image", "Custom Image Storage", 0.00015, 0.1, json::array{});
    return doc;
}

const json::array& transfer_types() {
    static const json::array docs = [] {
        json::object distributed =
            type_doc("distributed_network_transfer", "Distributed Network Transfer", 0.01, 0, {});
        json::object core = type_doc("network_transfer", "Network Transfer", 0.005, 0,
                                     json::array{region_price("id-cgk", 0.015, nullptr),
                                                 region_price("br-gru", 0.007, nullptr)});
        for (auto* doc : {&distributed, &core}) (*doc)["price"].as_object()["monthly"] = nullptr;
        return json::array{distributed, core};
    }();
    return docs;
}

std::int64_t transfer_micros_per_gb(const std::string& region) {
    return price_in(transfer_types().at(1).as_object(), region).hourly_micros;
}

}  // namespace linnet::billing
