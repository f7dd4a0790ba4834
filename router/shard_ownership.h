// ShardOwnership: which shard of a sharded deployment owns a product, and the rule that a combo
// routes only on the shard that owns every one of its legs (docs/DEPLOY.md "Sharded by product
// group").
//
// Shards own product groups, never single underlyings: a group is a set of roots whose combos
// may mix them (SPY shares and options, SPX options and ES futures are one group), so an
// inter-product combo (ES futures against SPY options, seed 003 R1) routes within one shard.
// Every shard's config carries the whole map, so a shard can name the owner of a leg it does not
// trade and tell the broker where to send it.
//
// Built from a validated map (config/ checks it and reports each problem at its file and line):
// each root in one group, each group owned by one shard, this shard one of the shards. Immutable
// after construction; thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace combo::router {

// A set of roots (underlyings) whose combos may mix them.
struct ProductGroup {
  std::string name;
  // In the operator's order.
  std::vector<std::string> roots;
  friend bool operator==(const ProductGroup&, const ProductGroup&) = default;
};

// One daemon of the sharded set.
struct ShardSpec {
  std::string name;
  // Names of the product groups it owns.
  std::vector<std::string> product_groups;
  // How brokers reach it (its FIX Service or host:port), named in refusals sent elsewhere.
  std::string fix_endpoint;
  friend bool operator==(const ShardSpec&, const ShardSpec&) = default;
};

struct ShardMap {
  std::vector<ProductGroup> product_groups;
  std::vector<ShardSpec> shards;
  // The shard this daemon is.
  std::string this_shard;
  friend bool operator==(const ShardMap&, const ShardMap&) = default;
};

// Who owns a root.
struct ProductOwner {
  // The group's root the product named (ES for ESZ6).
  std::string_view root;
  const ProductGroup* group = nullptr;
  const ShardSpec* shard = nullptr;
};

class ShardOwnership {
 public:
  // Fails naming the first problem: no shard, this shard not one of them, a root in two
  // groups, a group owned by no shard or by two, a shard owning a group that does not exist.
  static absl::StatusOr<ShardOwnership> Create(ShardMap map);

  const ShardMap& map() const { return map_; }
  const ShardSpec& this_shard() const { return map_.shards[this_shard_]; }

  // The owner of the product `name` names: a group's root ("ES"), or a futures contract code of
  // one (root, delivery-month letter, one or two year digits: "ESZ6", "NQH27"). Nullopt when no
  // group holds it.
  std::optional<ProductOwner> OwnerOf(std::string_view name) const;
  // Whether this shard owns the root.
  bool OwnedHere(const ProductOwner& owner) const { return owner.shard == &this_shard(); }

  // The refusal of a combo whose legs name `leg_products` (one per leg, in leg order: a root, or
  // empty when the leg names no product that can be read without the catalog), or nullopt when
  // no leg belongs to another shard (legs this shard owns, and products no group holds, are for
  // the catalog to answer). Either
  //   "legs span shards equity-index (SPY, ES) and nasdaq (QQQ): a combo routes on one shard;
  //    send combos of one shard's product groups to that shard", or
  //   "QQQ belongs to shard nasdaq (combo-router-shard-1:9878); this is shard equity-index".
  std::optional<std::string> Refusal(const std::vector<std::string>& leg_products) const;

 private:
  ShardOwnership() = default;

  ShardMap map_;
  // Root -> (group index, shard index).
  std::map<std::string, std::pair<size_t, size_t>, std::less<>> owners_;
  size_t this_shard_ = 0;
};

}  // namespace combo::router
