// The Linodes repository: rows, tags as rows in their given order, the stored document, names,
// and the lists it describes.
#include "linodes/linode_repository.hpp"

#include <gtest/gtest.h>

#include "core/filter/filter.hpp"
#include "linodes/address_repository.hpp"
#include "store/temp_store.hpp"

namespace linnet::linodes {
namespace {

namespace json = boost::json;

std::int64_t make_user(store::Transaction& tx, std::int64_t account_id) {
    return tx
        .query(
            "INSERT INTO users (account_id, username, email, profile, created) VALUES (?, 'owner', "
            "'o@example.com', '{}', '2026-01-01T00:00:00') RETURNING id",
            {account_id})
        .at(0)
        .integer("id");
}

Instance sample(std::int64_t user_id, const std::string& label) {
    Instance l;
    l.user_id = user_id;
    l.label = label;
    l.region = "us-east";
    l.type = "g6-nanode-1";
    l.image = "linode/debian12";
    l.status = "offline";
    l.settings = json::object{{"specs", json::object{{"disk", 25600}}},
                              {"alerts", json::object{}},
                              {"backups", json::object{}},
                              {"watchdog_enabled", true},
                              {"host_uuid", "h"},
                              {"has_user_data", false},
                              {"disk_encryption", "disabled"}};
    l.created = l.updated = "2026-01-01T00:00:00";
    return l;
}

class LinodeRepositoryTest : public ::testing::Test {
  protected:
    store::TempStore store_{"linode-repo"};
    store::Transaction& tx() { return store_.tx(); }
    std::int64_t create(const std::string& label, std::vector<std::string> tags = {}) {
        LinodeRepository repo(tx());
        auto l = sample(make_user_once(), label);
        l.account_id = store_.account_id();
        l.id = repo.insert(l);
        l.tags = std::move(tags);
        repo.save(l);
        return l.id;
    }
    std::int64_t make_user_once() {
        if (!user_) user_ = make_user(tx(), store_.account_id());
        return user_;
    }
    std::int64_t user_ = 0;
};

TEST_F(LinodeRepositoryTest, TheIdSetAsideIsTheNextLinodesWithItsDefaultLabelsAvailability) {
    LinodeRepository repo(tx());
    const auto first = repo.next_id();
    EXPECT_FALSE(first.default_label_taken);
    auto l = sample(make_user_once(), "linode" + std::to_string(first.id));
    l.account_id = store_.account_id();
    l.id = first.id;
    EXPECT_EQ(repo.insert(l), first.id);
    repo.save(l);
    EXPECT_EQ(repo.find(first.id)->label, "linode" + std::to_string(first.id));
    // A Linode given the next one's default label: the next id comes with the label taken.
    const auto taker = create("linode" + std::to_string(first.id + 2));
    EXPECT_EQ(taker, first.id + 1);
    const auto next = repo.next_id();
    EXPECT_EQ(next.id, first.id + 2);
    EXPECT_TRUE(next.default_label_taken);
    // Only in its own account.
    const auto other = tx().query(
                               "INSERT INTO accounts (doc, settings, created) VALUES ('{}', '{}', "
                               "'2026-01-01T00:00:00') RETURNING id")
                           .at(0)
                           .integer("id");
    tx().set_scope(store::Scope::account(other));
    const auto elsewhere = LinodeRepository(tx()).next_id();
    EXPECT_FALSE(elsewhere.default_label_taken);
    tx().set_scope(store::Scope::account(store_.account_id()));
}

TEST_F(LinodeRepositoryTest, SaveKeepsTagsAsRowsInTheGivenOrder) {
    const auto id = create("web-1", {"zeta", "alpha", "mid"});
    auto found = LinodeRepository(tx()).find(id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->tags, (std::vector<std::string>{"zeta", "alpha", "mid"}));
    EXPECT_EQ(tx().query("SELECT COUNT(*) AS n FROM linode_tags WHERE linode_id = ?", {id})
                  .at(0)
                  .integer("n"),
              3);
    found->tags = {"alpha"};
    LinodeRepository(tx()).save(*found);
    EXPECT_EQ(LinodeRepository(tx()).find(id)->tags, std::vector<std::string>{"alpha"});
    EXPECT_EQ(LinodeRepository(tx()).ids_tagged("zeta"), std::vector<std::int64_t>{});
    EXPECT_EQ(LinodeRepository(tx()).ids_tagged("alpha"), std::vector<std::int64_t>{id});
}

TEST_F(LinodeRepositoryTest, DocumentIsRebuiltBySaveWithAddressesAndTags) {
    const auto id = create("web-2", {"t"});
    Address a;
    a.address = "198.51.100.7";
    a.linode_id = id;
    a.family = "ipv4";
    a.kind = "public";
    a.is_public = true;
    a.prefix = 24;
    a.subnet_mask = "255.255.255.0";
    a.region = "us-east";
    AddressRepository(tx()).insert(a);
    auto linode = *LinodeRepository(tx()).find(id);
    linode.status = "running";
    LinodeRepository(tx()).save(linode);
    const auto doc = json::parse(*LinodeRepository(tx()).document(id)).as_object();
    EXPECT_EQ(doc.at("status"), "running");
    EXPECT_EQ(doc.at("ipv4").as_array().at(0), "198.51.100.7");
    EXPECT_EQ(doc.at("tags").as_array().at(0), "t");
    EXPECT_EQ(doc.at("label"), "web-2");
}

TEST_F(LinodeRepositoryTest, LabelsAndNames) {
    const auto a = create("alpha-1");
    const auto b = create("beta-1");
    LinodeRepository repo(tx());
    EXPECT_TRUE(repo.label_taken("alpha-1"));
    EXPECT_FALSE(repo.label_taken("alpha-1", a));
    EXPECT_FALSE(repo.label_taken("gamma-1"));
    auto names = repo.names();
    ASSERT_EQ(names.size(), 2u);
    EXPECT_EQ(names[0].id, a);
    EXPECT_EQ(names[1].label, "beta-1");
    EXPECT_EQ(repo.ids_with_status("offline"), (std::vector<std::int64_t>{a, b}));
    repo.remove(a);
    EXPECT_FALSE(repo.exists(a));
    EXPECT_TRUE(repo.exists(b));
}

TEST_F(LinodeRepositoryTest, DisplayLabelHasItsOwnColumn) {
    const auto id = create("my-box");
    auto linode = *LinodeRepository(tx()).find(id);
    linode.display_label = "My Box";
    LinodeRepository(tx()).save(linode);
    EXPECT_EQ(LinodeRepository(tx()).find(id)->display_label, "My Box");
    const auto listing = LinodeRepository(tx()).alpha_listing({"1=1", {}});
    const auto query = filter::parse(R"({"label":"My Box"})", listing.schema);
    const auto page = store::read_page(tx(), listing, query, Page{});
    EXPECT_EQ(page.results, 1);
}

TEST_F(LinodeRepositoryTest, TaggedListingNarrowsToTheTag) {
    const auto a = create("tagged-1", {"prod"});
    create("tagged-2", {"dev"});
    const auto listing = LinodeRepository(tx()).tagged_listing("prod", {"1=1", {}});
    const auto page = store::read_page(tx(), listing, filter::Query{}, Page{});
    ASSERT_EQ(page.results, 1);
    EXPECT_EQ(json::parse(page.docs.at(0)).at("id").as_int64(), a);
}

TEST_F(LinodeRepositoryTest, Ipv4FilterMatchesOnlyIpv4Rows) {
    const auto id = create("addr-1");
    Address v6;
    v6.address = "2001:db8::1";
    v6.linode_id = id;
    v6.family = "ipv6";
    v6.kind = "slaac";
    v6.is_public = true;
    v6.prefix = 64;
    v6.subnet_mask = "ffff:ffff:ffff:ffff::";
    v6.region = "us-east";
    AddressRepository(tx()).insert(v6);
    const auto listing = LinodeRepository(tx()).listing({"1=1", {}});
    const auto by_v6 = filter::parse(R"({"ipv4":"2001:db8::1"})", listing.schema);
    EXPECT_EQ(store::read_page(tx(), listing, by_v6, Page{}).results, 0);
}

TEST_F(LinodeRepositoryTest, CountsFollowRegionsTagsRemovalsAndAccounts) {
    const auto account = store_.account_id();
    const auto a = create("count-1", {"web", "web", "db"});
    const auto b = create("count-2", {"web"});
    const auto c = create("count-3");
    store_.finish();
    auto counts = [&](std::int64_t of) {
        auto tx = store_.db().begin(store::Access::read);
        std::vector<std::int64_t> out;
        for (const char* key : {"", "region=us-east|", "region=eu-west|", "tag=web", "tag=db",
                                "region=us-east|tag=web", "region=eu-west|tag=web"})
            out.push_back(store::list_count(*tx, kListFamily, of, key));
        return out;
    };
    EXPECT_EQ(counts(account), (std::vector<std::int64_t>{3, 3, 0, 2, 1, 2, 0}));
    {
        auto tx = store_.db().begin(store::Access::write);
        tx->set_scope(store::Scope::account(account));
        LinodeRepository repo(*tx);
        auto moved = repo.find(a).value();
        moved.region = "eu-west";
        moved.tags = {"web"};
        repo.save(moved);
        repo.remove(c);
        tx->commit();
    }
    EXPECT_EQ(counts(account), (std::vector<std::int64_t>{2, 1, 1, 2, 0, 1, 1}));
    // A Linode handed to another account is counted there.
    std::int64_t other = 0;
    {
        auto tx = store_.db().begin(store::Access::write);
        tx->set_scope(store::Scope::system());
        other = tx->query(
                      "INSERT INTO accounts (doc, settings, created) VALUES ('{}', '{}', "
                      "'2026-01-01T00:00:00') RETURNING id")
                    .at(0)
                    .integer("id");
        const auto user = tx->query(
                                "INSERT INTO users (account_id, username, email, profile, "
                                "created) VALUES (?, 'taker', 't@example.com', '{}', "
                                "'2026-01-01T00:00:00') RETURNING id",
                                {other})
                              .at(0)
                              .integer("id");
        LinodeRepository(*tx).move_to_account(b, other, user, "count-2");
        tx->commit();
    }
    EXPECT_EQ(counts(account), (std::vector<std::int64_t>{1, 0, 1, 1, 0, 0, 1}));
    EXPECT_EQ(counts(other), (std::vector<std::int64_t>{1, 1, 0, 1, 0, 1, 0}));
    // A rolled-back change moves nothing.
    {
        auto tx = store_.db().begin(store::Access::write);
        tx->set_scope(store::Scope::account(account));
        LinodeRepository(*tx).remove(a);
    }
    EXPECT_EQ(counts(account)[0], 1);
}

}  // namespace
}  // namespace linnet::linodes
