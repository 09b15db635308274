// Reading and checking config interfaces.
#include "linodes/interfaces.hpp"

#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <set>

namespace linnet::linodes {

namespace json = boost::json;

namespace {

bool valid_vlan_label(std::string_view label) {
    if (label.empty() || label.size() > 64) return false;
    for (std::size_t i = 0; i < label.size(); ++i) {
        const auto c = static_cast<unsigned char>(label[i]);
        if (c == '-') {
            if (i + 1 < label.size() && label[i + 1] == '-') return false;
        } else if (!std::isalnum(c)) {
            return false;
        }
    }
    return true;
}

// "" or null: the empty value a field takes where its purpose has none.
bool empty_value(const json::value* v) {
    return !v || v->is_null() || (v->is_string() && v->as_string().empty());
}

// The interface at `path` (e.g. "interfaces[0]"), with id `id`; problems to `reader`.
std::optional<json::object> read_one(const json::value& sent, const std::string& path,
                                     BodyReader& reader, std::int64_t id) {
    const std::string at = path.empty() ? "" : path + ".";
    if (!sent.is_object()) {
        reader.fail(path.empty() ? "interface" : path, "An interface is an object");
        return std::nullopt;
    }
    const auto& in = sent.as_object();
    bool ok = true;
    auto fail = [&](const std::string& field, const std::string& reason) {
        reader.fail(at + field, reason);
        ok = false;
    };
    static const std::set<std::string, std::less<>> known{
        "purpose",   "label", "ipam_address", "primary", "subnet_id", "ipv4",
        "ip_ranges", "id",    "active",       "vpc_id"};  // the last three are read-only: ignored
    for (const auto& [key, value] : in)
        if (!known.contains(key)) fail(std::string(key), "Unknown field of an interface");

    std::string purpose;
    const auto* p = in.if_contains("purpose");
    if (!p || p->is_null())
        fail("purpose", "purpose is required");
    else if (!p->is_string() ||
             (p->as_string() != "public" && p->as_string() != "vlan" && p->as_string() != "vpc"))
        fail("purpose", "purpose must be public, vlan or vpc");
    else
        purpose = std::string(p->as_string());

    json::value label = nullptr, ipam = nullptr;
    const auto* l = in.if_contains("label");
    if (l && !l->is_null() && !l->is_string()) {
        fail("label", "label must be a string");
    } else if (purpose == "vlan") {
        if (empty_value(l))
            fail("label", "A vlan interface needs a label");
        else if (!valid_vlan_label(l->as_string()))
            fail("label",
                 "A vlan label is 1-64 letters, digits and hyphens, with no two hyphens together");
        else
            label = *l;
    } else if (!purpose.empty() && !empty_value(l)) {
        fail("label", "Only a vlan interface has a label");
    }

    const auto* a = in.if_contains("ipam_address");
    if (a && !a->is_null() && !a->is_string()) {
        fail("ipam_address", "ipam_address must be a string");
    } else if (purpose == "vlan" && !empty_value(a)) {
        if (!valid_cidr(a->as_string()))
            fail("ipam_address", "ipam_address must be an address with its prefix (10.0.0.1/24)");
        else
            ipam = *a;
    } else if (!purpose.empty() && purpose != "vlan" && !empty_value(a)) {
        fail("ipam_address", "Only a vlan interface has an ipam_address");
    }

    bool primary = false;
    if (const auto* pr = in.if_contains("primary"); pr && !pr->is_null()) {
        if (!pr->is_bool())
            fail("primary", "primary must be true or false");
        else
            primary = pr->as_bool();
    }
    if (primary && purpose == "vlan") fail("primary", "A vlan interface cannot be primary");

    json::value subnet = nullptr;
    const auto* s = in.if_contains("subnet_id");
    if (s && !s->is_null() && !s->is_int64()) fail("subnet_id", "subnet_id must be an integer");
    if (purpose == "vpc") {
        if (!s || s->is_null())
            fail("subnet_id", "A vpc interface needs a subnet_id");
        else if (s->is_int64())
            subnet = *s;
    } else if (!purpose.empty() && s && !s->is_null()) {
        fail("subnet_id", "Only a vpc interface has a subnet_id");
    }

    // A vpc interface's addresses as asked ("" and null: none); settled before it is saved.
    json::object vpc_ipv4{{"vpc", nullptr}, {"nat_1_1", nullptr}};
    if (const auto* v4 = in.if_contains("ipv4"); v4 && !v4->is_null()) {
        if (!v4->is_object()) {
            fail("ipv4", "ipv4 must be an object");
        } else {
            for (const auto& [key, value] : v4->as_object()) {
                const std::string field = "ipv4." + std::string(key);
                if (key != "vpc" && key != "nat_1_1")
                    fail(field, "Unknown field of ipv4");
                else if (!value.is_null() && !value.is_string())
                    fail(field, std::string(key) + " must be a string");
                else if (purpose != "vpc" && !empty_value(&value))
                    fail(field, "Only a vpc interface has ipv4 addresses");
                else if (!empty_value(&value) && !(key == "nat_1_1" && value == "any") &&
                         !valid_address(value.as_string()))
                    fail(field, std::string(key) + " must be an address");
                else if (!empty_value(&value))
                    vpc_ipv4[key] = value;
            }
        }
    }
    json::array ip_ranges;
    if (const auto* ranges = in.if_contains("ip_ranges"); ranges && !ranges->is_null()) {
        if (!ranges->is_array()) {
            fail("ip_ranges", "ip_ranges must be a list");
        } else if (!ranges->as_array().empty()) {
            if (purpose != "vpc") fail("ip_ranges", "Only a vpc interface has ip_ranges");
            std::size_t i = 0;
            for (const auto& r : ranges->as_array()) {
                if (!r.is_string() || !valid_cidr(r.as_string()))
                    fail("ip_ranges[" + std::to_string(i) + "]",
                         "A range is a CIDR (10.0.0.64/26)");
                ++i;
            }
            ip_ranges = ranges->as_array();
        }
    }
    if (!ok) return std::nullopt;
    const bool vpc = purpose == "vpc";
    return json::object{{"id", id},
                        {"purpose", purpose},
                        {"label", label},
                        {"ipam_address", ipam},
                        {"primary", primary},
                        {"active", false},
                        {"vpc_id", nullptr},
                        {"subnet_id", subnet},
                        {"ipv4", vpc ? json::value(std::move(vpc_ipv4)) : json::value(nullptr)},
                        {"ip_ranges", std::move(ip_ranges)}};
}

// The rules of a whole list: one public, one primary, vlan labels and ipam addresses unique.
// `field` names a field of the i-th interface in the request.
template <typename Name>
void check_list(const json::array& list, BodyReader& reader, Name field) {
    std::size_t publics = 0, primaries = 0, vpcs = 0;
    std::set<std::string> labels, addresses;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& itf = list[i].as_object();
        if (itf.at("purpose") == "public" && ++publics > 1)
            reader.fail(field(i, "purpose"), "Only one interface may be public");
        if (itf.at("purpose") == "vpc" && ++vpcs > 1)
            reader.fail(field(i, "purpose"), "Only one interface may be of purpose vpc");
        if (itf.at("primary").as_bool() && ++primaries > 1)
            reader.fail(field(i, "primary"), "Only one interface may be primary");
        if (const auto& l = itf.at("label");
            l.is_string() && !labels.insert(std::string(l.as_string())).second)
            reader.fail(field(i, "label"), "A Linode is attached to a VLAN once");
        if (const auto& a = itf.at("ipam_address");
            a.is_string() && !addresses.insert(std::string(a.as_string())).second)
            reader.fail(field(i, "ipam_address"), "ipam_address is used by another interface");
    }
}

}  // namespace

bool valid_cidr(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) return false;
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(std::string(text.substr(0, slash)), ec);
    if (ec) return false;
    const auto bits = text.substr(slash + 1);
    if (bits.empty() || bits.size() > 3) return false;
    unsigned n = 0;
    for (char c : bits) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        n = n * 10 + static_cast<unsigned>(c - '0');
    }
    return n <= (address.is_v4() ? 32u : 128u);
}

bool valid_address(std::string_view text) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(std::string(text), ec);
    return !ec;
}

std::optional<json::array> read_interfaces(const json::value& sent, BodyReader& reader,
                                           const json::array& existing) {
    if (sent.is_null()) return json::array{};
    if (!sent.is_array()) {
        reader.fail("interfaces", "interfaces must be a list");
        return std::nullopt;
    }
    const auto& items = sent.as_array();
    if (items.size() > kMaxInterfaces) {
        reader.fail("interfaces", "A config profile has at most three interfaces");
        return std::nullopt;
    }
    // The ids of the stored interfaces, by purpose: one sent back with its id keeps it.
    auto kept_id = [&](const json::value& item) -> std::int64_t {
        if (!item.is_object()) return 0;
        const auto* id = item.as_object().if_contains("id");
        const auto* purpose = item.as_object().if_contains("purpose");
        if (!id || !id->is_int64() || !purpose) return 0;
        for (const auto& e : existing)
            if (e.is_object() && e.as_object().if_contains("id") && e.as_object().at("id") == *id &&
                e.as_object().if_contains("purpose") && e.as_object().at("purpose") == *purpose)
                return id->as_int64();
        return 0;
    };
    std::int64_t next = next_interface_id(existing);
    std::set<std::int64_t> used;
    json::array out;
    bool ok = true;
    for (std::size_t i = 0; i < items.size(); ++i) {
        std::int64_t id = kept_id(items[i]);
        if (id == 0 || !used.insert(id).second) id = next++;
        auto itf = read_one(items[i], "interfaces[" + std::to_string(i) + "]", reader, id);
        if (itf)
            out.push_back(std::move(*itf));
        else
            ok = false;
    }
    if (!ok) return std::nullopt;
    const std::size_t before = reader.problems();
    check_list(out, reader, [](std::size_t i, const char* field) {
        return "interfaces[" + std::to_string(i) + "]." + field;
    });
    if (reader.problems() != before) return std::nullopt;
    return out;
}

std::optional<json::object> read_added_interface(const json::object& sent, BodyReader& reader,
                                                 const json::array& existing) {
    if (existing.size() >= kMaxInterfaces) {
        reader.fail("purpose", "A config profile has at most three interfaces");
        return std::nullopt;
    }
    auto itf = read_one(sent, "", reader, next_interface_id(existing));
    if (!itf) return std::nullopt;
    // The first interface added to a profile is its primary unless told otherwise.
    const auto* primary = sent.if_contains("primary");
    if ((!primary || primary->is_null()) && existing.empty() && (*itf)["purpose"] != "vlan")
        (*itf)["primary"] = true;
    json::array all = existing;
    all.push_back(*itf);
    // The list stood before: whatever clashes now clashes with the new interface.
    const std::size_t before = reader.problems();
    check_list(all, reader, [](std::size_t, const char* field) { return std::string(field); });
    if (reader.problems() != before) return std::nullopt;
    return itf;
}

std::int64_t next_interface_id(const json::array& existing) {
    std::int64_t next = 1;
    for (const auto& i : existing)
        if (const auto* id = i.is_object() ? i.as_object().if_contains("id") : nullptr;
            id && id->is_int64() && id->as_int64() >= next && id->as_int64() < (INT64_C(1) << 52))
            next = id->as_int64() + 1;
    return next;
}

}  // namespace linnet::linodes
