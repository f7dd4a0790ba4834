// ProtectedOrders: a venue's orders under automated order protection, indexed so that a quote or
// a trade visits only the orders it can act on.
//
// A market update can change an order only in two cases (protection.h): the order is engaged
// (protected away from its original limit, or armed for wait-for-follow), or the contra price is
// through its working level. A quiet order whose level the contra does not cross is left
// untouched by OnQuote and OnTrade alike, so it need not be visited. The index keeps, per group
// (an instrument for leg orders, a combo for complex orders) and side, the engaged orders and the
// quiet orders sorted by level; Candidates returns the engaged ones and the quiet ones the contra
// crosses, in order of entry (tag), which is the order the venue reprices in. With many resting
// orders far from the market, a quote costs a lookup rather than a walk over every order.
//
// Every change to an order goes through Modify, which re-files it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "core/price.h"
#include "core/side.h"
#include "venues/aop/protection.h"

namespace combo::venues::aop {

class ProtectedOrders {
 public:
  // Puts `order` under protection in `group`, replacing any earlier entry of `tag`.
  void Add(uint64_t tag, uint64_t group, const ProtectedOrder& order);
  void Erase(uint64_t tag);

  bool empty() const { return orders_.empty(); }
  size_t size() const { return orders_.size(); }
  bool contains(uint64_t tag) const { return orders_.contains(tag); }
  const ProtectedOrder* Find(uint64_t tag) const;
  // The group `tag` was added in; the tag must be present.
  uint64_t GroupOf(uint64_t tag) const { return orders_.at(tag).group; }
  // Every group with at least one order, ascending.
  std::vector<uint64_t> Groups() const;
  bool HasOrders(uint64_t group, core::Side side) const;

  // Runs `change` on the order of `tag` (which must be present) and re-files it; returns what
  // `change` returns.
  template <typename Change>
  auto Modify(uint64_t tag, Change&& change) {
    Entry& entry = orders_.at(tag);
    Unfile(tag, entry);
    struct Refile {
      ProtectedOrders* self;
      uint64_t tag;
      Entry* entry;
      ~Refile() { self->File(tag, *entry); }
    } refile{this, tag, &entry};
    return change(entry.order);
  }

  // The orders of `group` on `side` that a contra at `contra` (the contra top for a quote, the
  // trade price for a trade; nullopt for no contra market) may change: every engaged order and
  // every quiet order whose level `contra` is through. Ascending by tag.
  std::vector<uint64_t> Candidates(uint64_t group, core::Side side,
                                   std::optional<core::Price> contra) const;

 private:
  struct Entry {
    ProtectedOrder order;
    uint64_t group = 0;
  };
  struct SideIndex {
    std::set<uint64_t> engaged;
    // Quiet orders by (level, tag).
    std::set<std::pair<core::Price, uint64_t>> quiet;
    bool empty() const { return engaged.empty() && quiet.empty(); }
  };
  using Key = std::pair<uint64_t, core::Side>;

  static bool Engaged(const ProtectedOrder& order) { return order.aop_flag || order.wff; }
  void File(uint64_t tag, const Entry& entry);
  void Unfile(uint64_t tag, const Entry& entry);

  std::map<uint64_t, Entry> orders_;
  std::map<Key, SideIndex> index_;
};

}  // namespace combo::venues::aop
