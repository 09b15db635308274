// A host's NodeBalancers as its load balancer is given them (a Linode's private address reached
// at its public one, of the NodeBalancer's account only; a firewall's rules with them), and what
// the load balancer reports written back: node statuses and five-minute samples.
#include "nodebalancers/keeper.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "firewalls/firewalls.hpp"
#include "hosts/hosts_fixture.hpp"
#include "hosts/reaper.hpp"
#include "linodes/address_repository.hpp"
#include "nodebalancers/nodebalancers.hpp"

namespace linnet::nodebalancers {
namespace {

// A driver that serves what it is given by remembering it, and reports the health it is told.
class RecordingDriver : public compute::Driver {
  public:
    bool serve_nodebalancers(const std::vector<Balancer>& balancers) override {
        served = balancers;
        return true;
    }
    Health nodebalancer_health() override { return health; }
    std::string name() const override { return "recording"; }
    std::chrono::milliseconds perform(compute::Operation, const compute::Machine&) override {
        return {};
    }
    std::vector<Balancer> served;
    Health health;
};

class KeeperTest : public hosts::HostsFixture, public ::testing::Test {
  protected:
    KeeperTest() : HostsFixture("nb-keeper") {}

    // A Linode of the current account with a public and a private address.
    std::int64_t linode_with(const std::string& public_ip, const std::string& private_ip) {
        const auto id = linode("web-" + public_ip, "us-east", host_);
        linodes::AddressRepository ips(tx());
        for (const auto& [address, is_public] : {std::pair{public_ip, true}, {private_ip, false}}) {
            linodes::Address a;
            a.address = address;
            a.linode_id = id;
            a.family = "ipv4";
            a.kind = is_public ? "public" : "private";
            a.is_public = is_public;
            a.prefix = 24;
            a.subnet_mask = "255.255.255.0";
            a.region = "us-east";
            ips.insert(a);
        }
        return id;
    }

    NodeBalancer balancer(std::vector<Node> nodes) {
        NewNodeBalancer request;
        request.region = "us-east";
        ConfigRequest config;
        config.config.port = 80;
        config.config.check = "connection";
        config.nodes = std::move(nodes);
        request.configs.push_back(std::move(config));
        return create(tx(), {1, "u"}, settings_, request);
    }

    static Node node(const std::string& label, const std::string& address) {
        Node n;
        n.label = label;
        n.address = address;
        return n;
    }

    Settings settings_{linodes::Ipv4Pool::parse("127.64.0.0/16"), true};
    std::int64_t host_ = host("h1", "n1", "us-east", 100'000);
};

TEST_F(KeeperTest, PrivateAddressesAreReachedAtTheLinodesPublicOne) {
    linode_with("127.64.9.9", "192.168.128.9");
    const auto nb = balancer({node("web", "192.168.128.9:80"), node("local", "127.0.0.7:8080")});
    const auto served = NodeBalancerRepository(tx()).served_on_node("n1");
    ASSERT_EQ(served.size(), 1u);
    EXPECT_EQ(served[0].id, nb.id);
    EXPECT_EQ(served[0].address, nb.ipv4);
    EXPECT_EQ(served[0].address.rfind("127.64.", 0), 0u);
    ASSERT_EQ(served[0].ports.size(), 1u);
    const auto& port = served[0].ports[0];
    EXPECT_EQ(port.port, 80);
    EXPECT_EQ(port.check, "connection");
    ASSERT_EQ(port.nodes.size(), 2u);
    EXPECT_EQ(port.nodes[0].address, "127.64.9.9:80");
    EXPECT_EQ(port.nodes[1].address, "127.0.0.7:8080");
    EXPECT_FALSE(served[0].firewall);
    // Another node's balancer serves none of them.
    EXPECT_TRUE(NodeBalancerRepository(tx()).served_on_node("n2").empty());
}

TEST_F(KeeperTest, AnotherAccountsPrivateAddressIsNeverReached) {
    const auto nb = balancer({});
    const auto config = NodeBalancerRepository(tx()).configs_of(nb.id).at(0);
    const auto account_a = store_.account_id();
    store_.commit();  // the store's transactions now run as another account
    linode_with("127.64.8.8", "192.168.128.8");
    tx().set_scope(store::Scope::account(account_a));
    try {
        create_node(tx(), {1, "u"}, settings_, nb, config, node("theirs", "192.168.128.8:80"));
        FAIL() << "a node of A's at B's Linode's private address";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status(), 400);
        EXPECT_NE(render_error(e).find("your Linodes"), std::string::npos) << render_error(e);
    }
    // As the API refuses it, such a node is made here by hand: it is never reached.
    Node theirs = node("theirs", "192.168.128.8:80");
    theirs.config_id = config.id;
    NodeBalancerRepository(tx()).insert_node(theirs);
    const auto served = NodeBalancerRepository(tx()).served_on_node("n1");
    ASSERT_EQ(served.size(), 1u);
    EXPECT_TRUE(served[0].ports.at(0).nodes.empty());
}

TEST_F(KeeperTest, AFirewallsRulesGoWithItsNodeBalancer) {
    const auto nb = balancer({node("local", "127.0.0.7:80")});
    firewalls::NewFirewall request;
    request.label = "guard";
    request.rules.inbound_policy = "DROP";
    request.nodebalancers = {nb.id};
    firewalls::create(tx(), {1, "u"}, request);
    const auto served = NodeBalancerRepository(tx()).served_on_node("n1");
    ASSERT_EQ(served.size(), 1u);
    ASSERT_TRUE(served[0].firewall);
    EXPECT_EQ(served[0].firewall->inbound_policy, "DROP");
}

TEST_F(KeeperTest, StatusesAndSamplesAreWrittenBack) {
    const auto nb = balancer({node("one", "127.0.0.7:80"), node("two", "127.0.0.8:80")});
    NodeBalancerRepository repo(tx());
    const auto config = repo.configs_of(nb.id).at(0);
    const auto nodes = repo.nodes_of(config.id);
    store_.finish();

    RecordingDriver driver;
    Keeper keeper(store_.db(), driver);
    // The sim driver's answer: nothing served, nothing recorded.
    EXPECT_TRUE(keeper.sync("n1", hosts::kNow));
    ASSERT_EQ(driver.served.size(), 1u);

    driver.health.nodes[nodes[0].id].status = "UP";
    driver.health.ports[config.id] = {10, 1000, 2000};
    keeper.sync("n1", hosts::kNow);
    // The second node is unknown to the balancer: it is DOWN.
    driver.health.ports[config.id] = {15, 1500, 2600};
    keeper.sync("n1", hosts::kNow + 1000);
    // The balancer started again: its counters count from zero.
    driver.health.ports[config.id] = {2, 100, 100};
    keeper.sync("n1", hosts::kNow + 2000);

    auto tx = store_.db().begin(store::Access::read);
    tx->set_scope(store::Scope::account(store_.account_id()));
    NodeBalancerRepository read(*tx);
    const auto now = read.nodes_of(config.id);
    EXPECT_EQ(now[0].status, "UP");
    EXPECT_EQ(now[1].status, "DOWN");
    const auto shown = read.find_config(nb.id, config.id).value();
    EXPECT_EQ(shown.nodes_up, 1);
    EXPECT_EQ(shown.nodes_down, 1);
    const auto samples = read.samples(nb.id, 0);
    ASSERT_EQ(samples.size(), 1u);
    EXPECT_EQ(samples[0].at % (5 * 60 * 1000), 0);
    EXPECT_EQ(samples[0].connections, 17);
    EXPECT_EQ(samples[0].bytes_in, 1600);
    EXPECT_EQ(samples[0].bytes_out, 2700);
}

TEST_F(KeeperTest, ALostHostsNodeBalancersMoveToALiveHostOfTheirRegion) {
    const auto nb = balancer({node("local", "127.0.0.7:80")});
    const auto other = host("h2", "n2", "us-east", 100'000, "sim", 60'000);
    host("far", "n3", "eu-west", 100'000, "sim", 60'000);
    // h1's lease (30 s) runs out; h2's holds.
    const auto reaped = hosts::reap_lost_hosts(tx(), hosts::kNow + 40'000);
    EXPECT_EQ(reaped.nodebalancers, 1);
    EXPECT_EQ(NodeBalancerRepository(tx()).find(nb.id)->host_id, other);
    EXPECT_TRUE(NodeBalancerRepository(tx()).served_on_node("n1").empty());
    const auto served = NodeBalancerRepository(tx()).served_on_node("n2");
    ASSERT_EQ(served.size(), 1u);
    EXPECT_EQ(served[0].address, nb.ipv4);
}

}  // namespace
}  // namespace linnet::nodebalancers
