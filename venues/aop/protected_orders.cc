// The protected-order index (see protected_orders.h).
#include "venues/aop/protected_orders.h"

#include <algorithm>

namespace combo::venues::aop {

void ProtectedOrders::Add(uint64_t tag, uint64_t group, const ProtectedOrder& order) {
  Erase(tag);
  Entry& entry = orders_[tag];
  entry.order = order;
  entry.group = group;
  File(tag, entry);
}

void ProtectedOrders::Erase(uint64_t tag) {
  auto it = orders_.find(tag);
  if (it == orders_.end()) return;
  Unfile(tag, it->second);
  orders_.erase(it);
}

const ProtectedOrder* ProtectedOrders::Find(uint64_t tag) const {
  auto it = orders_.find(tag);
  return it == orders_.end() ? nullptr : &it->second.order;
}

std::vector<uint64_t> ProtectedOrders::Groups() const {
  std::vector<uint64_t> groups;
  for (const auto& [key, side_index] : index_) {
    if (groups.empty() || groups.back() != key.first) groups.push_back(key.first);
  }
  return groups;
}

bool ProtectedOrders::HasOrders(uint64_t group, core::Side side) const {
  return index_.contains({group, side});
}

std::vector<uint64_t> ProtectedOrders::Candidates(uint64_t group, core::Side side,
                                                  std::optional<core::Price> contra) const {
  auto found = index_.find({group, side});
  if (found == index_.end()) return {};
  const SideIndex& side_index = found->second;
  std::vector<uint64_t> tags(side_index.engaged.begin(), side_index.engaged.end());
  if (contra.has_value()) {
    // Through a bid's level: an offer below it; through an offer's level: a bid above it.
    if (side == core::Side::kBuy) {
      for (auto it = side_index.quiet.upper_bound({*contra, UINT64_MAX});
           it != side_index.quiet.end(); ++it) {
        tags.push_back(it->second);
      }
    } else {
      for (auto it = side_index.quiet.begin(); it != side_index.quiet.end() && it->first < *contra;
           ++it) {
        tags.push_back(it->second);
      }
    }
  }
  std::sort(tags.begin(), tags.end());
  return tags;
}

void ProtectedOrders::File(uint64_t tag, const Entry& entry) {
  SideIndex& side_index = index_[{entry.group, entry.order.side}];
  if (Engaged(entry.order)) {
    side_index.engaged.insert(tag);
  } else {
    side_index.quiet.insert({entry.order.level, tag});
  }
}

void ProtectedOrders::Unfile(uint64_t tag, const Entry& entry) {
  auto found = index_.find({entry.group, entry.order.side});
  if (found == index_.end()) return;
  SideIndex& side_index = found->second;
  if (Engaged(entry.order)) {
    side_index.engaged.erase(tag);
  } else {
    side_index.quiet.erase({entry.order.level, tag});
  }
  if (side_index.empty()) index_.erase(found);
}

}  // namespace combo::venues::aop
