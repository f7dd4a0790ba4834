#include "router/shard_ownership.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace combo::router {
namespace {

// The shipped layout (deploy/k8s/shards/): equity-index = SPY, SPX, ES on shard 0; nasdaq =
// QQQ, NQ on shard 1.
ShardMap TwoShards(const std::string& this_shard) {
  ShardMap map;
  map.product_groups = {{"equity-index", {"SPY", "SPX", "ES"}}, {"nasdaq", {"QQQ", "NQ"}}};
  map.shards = {{"equity-index", {"equity-index"}, "combo-router-shard-0:9878"},
                {"nasdaq", {"nasdaq"}, "combo-router-shard-1:9878"}};
  map.this_shard = this_shard;
  return map;
}

TEST(ShardOwnership, AComboRoutesOnlyOnTheShardOwningEveryLeg) {
  auto ownership = ShardOwnership::Create(TwoShards("equity-index"));
  ASSERT_TRUE(ownership.ok()) << ownership.status();
  struct Case {
    std::vector<std::string> legs;
    std::optional<std::string> refusal;
  };
  const Case cases[] = {
      // Inter-product within the shard's group: ES future against SPY options.
      {{"ES", "SPY", "SPY"}, std::nullopt},
      {{"ESZ6", "SPX"}, std::nullopt},
      // A product no group holds is the catalog's to answer (unknown instrument).
      {{"SPY", "XYZ"}, std::nullopt},
      {{"", "SPY"}, std::nullopt},
      // Wholly in another shard: the owner and how to reach it.
      {{"QQQ", "QQQ"},
       "QQQ belongs to shard nasdaq (combo-router-shard-1:9878); this is shard equity-index"},
      {{"QQQ", "NQH27"},
       "QQQ and NQ belong to shard nasdaq (combo-router-shard-1:9878); this is shard "
       "equity-index"},
      {{"QQQ", "XYZ"},
       "QQQ belongs to shard nasdaq (combo-router-shard-1:9878); this is shard equity-index"},
      // Spanning shards: every shard named with its legs' roots, in leg order.
      {{"SPY", "QQQ"},
       "legs span shards equity-index (SPY) and nasdaq (QQQ): a combo routes on one shard; send "
       "combos of one shard's product groups to that shard"},
      {{"QQQ", "SPY", "ESZ6"},
       "legs span shards nasdaq (QQQ) and equity-index (SPY, ES): a combo routes on one shard; "
       "send combos of one shard's product groups to that shard"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ownership->Refusal(c.legs), c.refusal) << testing::PrintToString(c.legs);
  }
}

TEST(ShardOwnership, FuturesContractCodesBelongToTheirRoot) {
  auto ownership = ShardOwnership::Create(TwoShards("nasdaq"));
  ASSERT_TRUE(ownership.ok());
  struct Case {
    std::string name;
    std::optional<std::string> root;
  };
  const Case cases[] = {{"ES", "ES"}, {"ESZ6", "ES"}, {"ESH27", "ES"}, {"NQM6", "NQ"},
                        {"ESA6", {}}, {"ESZ", {}},    {"ESZ678", {}},  {"Z6", {}},
                        {"SPYW", {}}, {"", {}},       {"QQQ", "QQQ"}};
  for (const Case& c : cases) {
    const std::optional<ProductOwner> owner = ownership->OwnerOf(c.name);
    EXPECT_EQ(owner.has_value(), c.root.has_value()) << c.name;
    if (owner.has_value() && c.root.has_value()) {
      EXPECT_EQ(owner->root, *c.root) << c.name;
    }
  }
  EXPECT_TRUE(ownership->OwnedHere(*ownership->OwnerOf("NQZ6")));
  EXPECT_FALSE(ownership->OwnedHere(*ownership->OwnerOf("SPY")));
  EXPECT_EQ(ownership->OwnerOf("SPX")->shard->fix_endpoint, "combo-router-shard-0:9878");
}

TEST(ShardOwnership, AnInconsistentMapIsRefusedNamingTheProblem) {
  struct Case {
    std::string what;
    std::function<void(ShardMap&)> change;
    std::string error;
  };
  const Case cases[] = {
      {"unknown this shard", [](ShardMap& m) { m.this_shard = "energy"; },
       "this shard energy is not one of the shards"},
      {"root in two groups", [](ShardMap& m) { m.product_groups[1].roots.push_back("SPY"); },
       "SPY is in product groups equity-index and nasdaq"},
      {"group in two shards",
       [](ShardMap& m) { m.shards[1].product_groups.push_back("equity-index"); },
       "product group equity-index is owned by shards equity-index and nasdaq"},
      {"group in no shard", [](ShardMap& m) { m.shards[1].product_groups.clear(); },
       "product group nasdaq is owned by no shard"},
      {"unknown group",
       [](ShardMap& m) {
         m.shards[1].product_groups = {"nasdaq", "energy"};
       },
       "shard nasdaq owns unknown product group energy"},
      {"no shard", [](ShardMap& m) { m.shards.clear(); }, "a sharded set needs a shard"},
  };
  for (const Case& c : cases) {
    ShardMap map = TwoShards("equity-index");
    c.change(map);
    auto ownership = ShardOwnership::Create(map);
    ASSERT_FALSE(ownership.ok()) << c.what;
    EXPECT_EQ(ownership.status().message(), c.error) << c.what;
  }
}

}  // namespace
}  // namespace combo::router
