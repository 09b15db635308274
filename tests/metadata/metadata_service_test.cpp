#include "metadata/metadata_service.hpp"

#include <gtest/gtest.h>

namespace linnet::metadata {
namespace {

TEST(MetadataFlatten, NestedKeysJoinWithDotsSortedEmptyLeftOutListsOneLineEach) {
    const auto doc = boost::json::parse(R"({
        "label": "web1", "id": 7,
        "specs": {"vcpus": 1, "memory": 1024},
        "backups": {"enabled": false, "status": null},
        "tags": ["a", "b"], "image": null, "note": "",
        "users": {"root": ["ssh-ed25519 AAAA one", "ssh-ed25519 BBBB two"]}})")
                         .as_object();
    EXPECT_EQ(flatten(doc),
              "backups.enabled: false\n"
              "id: 7\n"
              "label: web1\n"
              "specs.memory: 1024\n"
              "specs.vcpus: 1\n"
              "tags: a\n"
              "tags: b\n"
              "users.root: ssh-ed25519 AAAA one\n"
              "users.root: ssh-ed25519 BBBB two\n");
}

}  // namespace
}  // namespace linnet::metadata
