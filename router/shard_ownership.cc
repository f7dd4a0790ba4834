#include "router/shard_ownership.h"

#include <algorithm>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace combo::router {
namespace {

// Futures delivery-month letters (F = January ... Z = December).
constexpr std::string_view kMonthCodes = "FGHJKMNQUVXZ";

// "A", "A and B", "A, B and C".
std::string JoinAnd(const std::vector<std::string>& items) {
  if (items.size() <= 1) return items.empty() ? std::string() : items.front();
  return absl::StrCat(absl::StrJoin(std::vector<std::string>(items.begin(), items.end() - 1), ", "),
                      " and ", items.back());
}

// The root of a futures contract code ("ESZ6" -> "ES", "NQH27" -> "NQ"), or empty.
std::string_view FuturesCodeRoot(std::string_view code) {
  size_t digits = 0;
  while (digits < code.size() && digits < 2 &&
         absl::ascii_isdigit(static_cast<unsigned char>(code[code.size() - 1 - digits]))) {
    ++digits;
  }
  if (digits == 0 || code.size() < digits + 2) return {};
  const char month = code[code.size() - 1 - digits];
  if (kMonthCodes.find(month) == std::string_view::npos) return {};
  return code.substr(0, code.size() - 1 - digits);
}

}  // namespace

absl::StatusOr<ShardOwnership> ShardOwnership::Create(ShardMap map) {
  ShardOwnership ownership;
  if (map.shards.empty()) return absl::InvalidArgumentError("a sharded set needs a shard");
  std::map<std::string, size_t, std::less<>> group_index;
  for (size_t g = 0; g < map.product_groups.size(); ++g) {
    if (!group_index.emplace(map.product_groups[g].name, g).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("product group ", map.product_groups[g].name, " is declared twice"));
    }
  }
  std::vector<std::optional<size_t>> group_shard(map.product_groups.size());
  std::set<std::string> shard_names;
  bool this_found = false;
  for (size_t s = 0; s < map.shards.size(); ++s) {
    const ShardSpec& shard = map.shards[s];
    if (!shard_names.insert(shard.name).second) {
      return absl::InvalidArgumentError(absl::StrCat("shard ", shard.name, " is declared twice"));
    }
    if (shard.name == map.this_shard) {
      ownership.this_shard_ = s;
      this_found = true;
    }
    for (const std::string& group : shard.product_groups) {
      auto it = group_index.find(group);
      if (it == group_index.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("shard ", shard.name, " owns unknown product group ", group));
      }
      if (group_shard[it->second].has_value()) {
        return absl::InvalidArgumentError(
            absl::StrCat("product group ", group, " is owned by shards ",
                         map.shards[*group_shard[it->second]].name, " and ", shard.name));
      }
      group_shard[it->second] = s;
    }
  }
  if (!this_found) {
    return absl::InvalidArgumentError(
        absl::StrCat("this shard ", map.this_shard, " is not one of the shards"));
  }
  for (size_t g = 0; g < map.product_groups.size(); ++g) {
    if (!group_shard[g].has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("product group ", map.product_groups[g].name, " is owned by no shard"));
    }
    for (const std::string& root : map.product_groups[g].roots) {
      auto [it, inserted] = ownership.owners_.emplace(root, std::make_pair(g, *group_shard[g]));
      if (!inserted) {
        return absl::InvalidArgumentError(absl::StrCat(root, " is in product groups ",
                                                       map.product_groups[it->second.first].name,
                                                       " and ", map.product_groups[g].name));
      }
    }
  }
  ownership.map_ = std::move(map);
  return ownership;
}

std::optional<ProductOwner> ShardOwnership::OwnerOf(std::string_view name) const {
  auto it = owners_.find(name);
  if (it == owners_.end()) {
    const std::string_view root = FuturesCodeRoot(name);
    if (root.empty()) return std::nullopt;
    it = owners_.find(root);
    if (it == owners_.end()) return std::nullopt;
  }
  return ProductOwner{it->first, &map_.product_groups[it->second.first],
                      &map_.shards[it->second.second]};
}

std::optional<std::string> ShardOwnership::Refusal(
    const std::vector<std::string>& leg_products) const {
  // The shards the legs belong to, in the order the legs first name them, with their roots.
  std::vector<std::pair<const ShardSpec*, std::vector<std::string>>> shards;
  bool foreign = false;
  for (const std::string& product : leg_products) {
    const std::optional<ProductOwner> owner = OwnerOf(product);
    if (!owner.has_value()) continue;
    foreign |= !OwnedHere(*owner);
    auto at = std::find_if(shards.begin(), shards.end(),
                           [&](const auto& entry) { return entry.first == owner->shard; });
    if (at == shards.end()) at = shards.insert(shards.end(), {owner->shard, {}});
    if (std::find(at->second.begin(), at->second.end(), owner->root) == at->second.end()) {
      at->second.emplace_back(owner->root);
    }
  }
  if (!foreign) return std::nullopt;
  if (shards.size() == 1) {
    const auto& [shard, roots] = shards.front();
    return absl::StrCat(JoinAnd(roots), roots.size() == 1 ? " belongs" : " belong", " to shard ",
                        shard->name, " (", shard->fix_endpoint, "); this is shard ",
                        this_shard().name);
  }
  std::vector<std::string> named;
  for (const auto& [shard, roots] : shards) {
    named.push_back(absl::StrCat(shard->name, " (", absl::StrJoin(roots, ", "), ")"));
  }
  return absl::StrCat("legs span shards ", JoinAnd(named),
                      ": a combo routes on one shard; send combos of one shard's product groups "
                      "to that shard");
}

}  // namespace combo::router
