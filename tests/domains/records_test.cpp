// Records as a zone file writes them, the checks of their fields, TTL rounding, SOA serials,
// and a zone transfer read back into records.
#include "domains/records.hpp"

#include <gtest/gtest.h>

#include "domains/domains.hpp"
#include "domains/zone_file.hpp"
#include "domains/zone_transfer.hpp"

namespace linnet::domains {
namespace {

namespace json = boost::json;

Record read(const std::string& body, std::vector<ErrorDetail>& problems) {
    Record r;
    read_record(json::parse(body).as_object(), "example.com", "203.0.113.9", true, r, problems);
    if (problems.empty()) check_record(r, "example.com", problems);
    return r;
}

std::string field_of(const std::string& body) {
    std::vector<ErrorDetail> problems;
    read(body, problems);
    return problems.empty() ? "" : problems.front().field.value_or("");
}

TEST(DomainRecords, EachTypeIsWrittenAsTheZoneFileWantsIt) {
    std::vector<ErrorDetail> problems;
    EXPECT_EQ(zone_line(read(R"({"type":"A","name":"www.example.com","target":"192.0.2.1",
                                 "ttl_sec":3500})",
                             problems)),
              "www 3600 IN A 192.0.2.1");
    EXPECT_EQ(zone_line(read(R"({"type":"MX","name":"","target":"mail.example.com",
                                 "priority":10})",
                             problems)),
              "@ IN MX 10 mail.example.com.");
    EXPECT_EQ(zone_line(read(R"({"type":"SRV","service":"_xmpp","protocol":"tcp","priority":5,
                                 "weight":0,"port":5222,"target":"chat.example.com.",
                                 "name":"im"})",
                             problems)),
              "_xmpp._tcp.im IN SRV 5 0 5222 chat.example.com.");
    EXPECT_EQ(zone_line(read(R"({"type":"TXT","name":"t","target":"say \"hi\"\\ok"})", problems)),
              R"(t IN TXT "say \"hi\"\\ok")");
    EXPECT_EQ(zone_line(read(R"({"type":"CAA","name":"","tag":"issuewild","target":"ca.example"})",
                             problems)),
              R"(@ IN CAA 0 issuewild "ca.example")");
    EXPECT_EQ(zone_line(read(R"({"type":"A","name":"me","target":"[remote_addr]"})", problems)),
              "me IN A 203.0.113.9");
    // A long TXT is cut into character strings of 255 bytes.
    const std::string long_text(300, 'x');
    const auto line =
        zone_line(read(R"({"type":"TXT","name":"","target":")" + long_text + "\"}", problems));
    EXPECT_EQ(line, "@ IN TXT \"" + std::string(255, 'x') + "\" \"" + std::string(45, 'x') + "\"");
    EXPECT_TRUE(problems.empty());
}

TEST(DomainRecords, BadFieldsAreNamed) {
    EXPECT_EQ(field_of(R"({"type":"A","name":"www","target":"::1"})"), "target");
    EXPECT_EQ(field_of(R"({"type":"CNAME","name":"","target":"a.example"})"), "name");
    EXPECT_EQ(field_of(R"({"type":"CNAME","name":"x","target":"-bad.example"})"), "target");
    EXPECT_EQ(field_of(R"({"type":"NS","name":"*","target":"ns.example"})"), "name");
    EXPECT_EQ(field_of(R"({"type":"A","name":"a b","target":"192.0.2.1"})"), "name");
    EXPECT_EQ(field_of(R"({"type":"A","name":"w","target":"192.0.2.1","ttl_sec":9999999})"),
              "ttl_sec");
    EXPECT_EQ(field_of(R"({"type":"SRV","service":"sip","priority":1,"weight":1,
                           "target":"s.example"})"),
              "port");
    EXPECT_EQ(field_of(R"({"type":"MX","target":"","priority":5})"), "priority");
    EXPECT_EQ(field_of(R"({"type":"MX","target":"","priority":0})"), "");
    EXPECT_EQ(field_of(R"({"type":"A","name":"*","target":"192.0.2.1"})"), "");
}

TEST(DomainRecords, ACnameStandsAlone) {
    std::vector<ErrorDetail> problems;
    auto cname = read(R"({"type":"CNAME","name":"www","target":"elsewhere.example"})", problems);
    auto a = read(R"({"type":"A","name":"WWW","target":"192.0.2.1"})", problems);
    auto other = read(R"({"type":"A","name":"api","target":"192.0.2.1"})", problems);
    check_neighbours(cname, {other}, problems);
    EXPECT_TRUE(problems.empty());
    check_neighbours(cname, {other, a}, problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].field, "name");
    problems.clear();
    check_neighbours(a, {cname}, problems);
    EXPECT_EQ(problems.size(), 1u);
}

TEST(DomainRecords, TtlsRoundToTheNearestLinodeTakes) {
    EXPECT_EQ(rounded_ttl(0, true), 0);
    EXPECT_EQ(rounded_ttl(0, false), std::nullopt);
    EXPECT_EQ(rounded_ttl(1, true), 300);
    EXPECT_EQ(rounded_ttl(2000, true), 3600);
    EXPECT_EQ(rounded_ttl(1900, true), 300);
    EXPECT_EQ(rounded_ttl(2419200, true), 2419200);
    EXPECT_EQ(rounded_ttl(2419201, true), std::nullopt);
    EXPECT_EQ(rounded_ttl(-1, true), std::nullopt);
}

TEST(DomainZones, SerialsMoveOnFromTodaysDate) {
    const std::int64_t day = 1'764'547'200;  // 2025-12-01T00:00:00Z
    EXPECT_EQ(next_serial(0, day), 2025120101);
    EXPECT_EQ(next_serial(2025120101, day), 2025120102);
    EXPECT_EQ(next_serial(2025120199, day + 3600), 2025120200);
    EXPECT_EQ(next_serial(2025120105, day + 86400), 2025120201);
}

TEST(DomainZones, TheZoneFileAndATransferOfItAgree) {
    Domain d;
    d.id = 7;
    d.domain = "example.com";
    d.soa_email = "host.master@example.com";
    d.serial = 2025120103;
    d.ttl_sec = 3600;
    std::vector<ErrorDetail> problems;
    std::vector<Record> records = {
        read(R"({"type":"A","name":"www","target":"192.0.2.1"})", problems),
        read(R"({"type":"TXT","name":"","target":"a \"b\""})", problems),
        read(R"({"type":"MX","name":"","target":"mail.example.com","priority":10})", problems),
        read(R"({"type":"SRV","service":"sip","protocol":"udp","priority":1,"weight":2,
                 "port":5060,"target":"sip.example.com"})",
             problems)};
    ASSERT_TRUE(problems.empty());
    const auto lines = zone_lines(d, records);
    EXPECT_EQ(lines[0], "; example.com [7]");
    EXPECT_EQ(lines[1], "$ORIGIN example.com.");
    EXPECT_EQ(lines[3],
              "@ IN SOA ns1.linnet.internal. host\\.master.example.com. 2025120103 14400 14400 "
              "1209600 3600");
    // kdig's text of a transfer of that zone.
    const std::string axfr =
        ";; a transfer\n"
        "example.com. 3600 IN SOA ns1.linnet.internal. host\\.master.example.com. 2025120103 "
        "14400 14400 1209600 3600\n"
        "example.com. 3600 IN NS ns1.linnet.internal.\n"
        "www.example.com. 3600 IN A 192.0.2.1\n"
        "example.com. 3600 IN TXT \"a \\\"b\\\"\"\n"
        "example.com. 3600 IN MX 10 mail.example.com.\n"
        "_sip._udp.example.com. 3600 IN SRV 1 2 5060 sip.example.com.\n"
        "example.com. 3600 IN HINFO \"pc\" \"linux\"\n"
        "example.com. 3600 IN SOA ns1.linnet.internal. host\\.master.example.com. 2025120103 "
        "14400 14400 1209600 3600\n";
    const auto t = read_transfer(axfr, "example.com");
    EXPECT_EQ(t.domain.soa_email, "host.master@example.com");
    EXPECT_EQ(t.domain.ttl_sec, 3600);
    ASSERT_EQ(t.records.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        auto r = t.records[i];
        r.ttl_sec = 0;
        EXPECT_EQ(zone_line(r), zone_line(records[i])) << i;
    }
    EXPECT_EQ(t.skipped, std::vector<std::string>{"HINFO @"});
    EXPECT_THROW(read_transfer(";; nothing\n", "example.com"), ApiError);
}

}  // namespace
}  // namespace linnet::domains
