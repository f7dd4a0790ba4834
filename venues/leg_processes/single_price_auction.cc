#include "venues/leg_processes/single_price_auction.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "venues/complex_book.h"

namespace combo::venues::leg_processes {
namespace {

bool Reaches(const AuctionOrder& order, core::Price price) {
  if (order.type == OrderType::kMarket) return true;
  return order.side == core::Side::kBuy ? order.limit >= price : order.limit <= price;
}

core::Price Step(const core::TickRule& rule, core::Price from, int64_t ticks) {
  core::Price price = from;
  for (int64_t i = 0; i < ticks; ++i) price = rule.NextAbove(price).value_or(price);
  for (int64_t i = 0; i > ticks; --i) price = rule.NextBelow(price).value_or(price);
  return price;
}

// R47: the opening's refusal of `price`, or empty. Filling `volume` on each side in price
// priority, the opening fails if a market order is left with quantity, or if what is left still
// crosses (a marketable limit order left unexecuted: the best buy left reaches the best sell left).
std::string OpeningRefusal(std::span<const AuctionOrder> orders, core::Price price,
                           core::Quantity volume) {
  struct Left {
    bool market = false;
    std::optional<core::Price> best;  // the best limit with quantity left
  };
  Left left[2];
  for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
    std::vector<const AuctionOrder*> sorted;
    for (const AuctionOrder& order : orders) {
      if (order.side == side) sorted.push_back(&order);
    }
    const auto better = [side](const AuctionOrder* a, const AuctionOrder* b) {
      if (a->type != b->type) return a->type == OrderType::kMarket;
      return side == core::Side::kBuy ? a->limit > b->limit : a->limit < b->limit;
    };
    std::stable_sort(sorted.begin(), sorted.end(), better);
    core::Quantity to_fill = volume;
    Left& side_left = left[side == core::Side::kBuy ? 0 : 1];
    for (const AuctionOrder* order : sorted) {
      const core::Quantity filled = std::min(to_fill, order->quantity);
      to_fill -= filled;
      if (filled == order->quantity) continue;
      if (order->type == OrderType::kMarket) {
        side_left.market = true;
      } else if (!side_left.best.has_value()) {
        side_left.best = order->limit;
      }
    }
  }
  if (left[0].market || left[1].market) {
    return absl::StrCat("at ", price.ToString(), " a market ", left[0].market ? "buy" : "sell",
                        " order would be left unexecuted");
  }
  if (left[0].best.has_value() && left[1].best.has_value() && *left[0].best >= *left[1].best) {
    return absl::StrCat("at ", price.ToString(),
                        " a marketable limit order would be left "
                        "unexecuted (a buy at ",
                        left[0].best->ToString(), ", a sell at ", left[1].best->ToString(), ")");
  }
  return std::string();
}

// Shares `remaining` among `group` (one price level of one side, in time order) as a continuous
// match at that level would: a scratch book of the group and one incoming order of `remaining`.
class ScratchEvents final : public OrderBookEvents {
 public:
  explicit ScratchEvents(std::vector<core::Quantity>* filled) : filled_(filled) {}
  void OnTrade(const BookTrade& trade) override {
    (*filled_)[trade.resting_tag - 1] += trade.quantity;
  }
  void OnOrderCancelled(uint64_t, CancelReason, core::Quantity) override {}
  void OnLevelUpdate(core::Side, core::Price, core::Quantity, uint64_t) override {}

 private:
  std::vector<core::Quantity>* filled_;
};

std::vector<core::Quantity> Allocate(std::span<const AuctionOrder* const> group,
                                     core::Quantity remaining, core::Price price,
                                     const LevelAllocation& allocation) {
  std::vector<core::Quantity> filled(group.size());
  OrderBookConfig config;
  config.instrument = core::InstrumentId(1);
  config.tick_rule = core::TickRule::Uniform(core::Price::FromParts(0, 1));
  config.allocation = allocation.rule;
  config.seed001 = allocation.seed001;
  config.initial_order_capacity = static_cast<uint32_t>(group.size() + 1);
  config.initial_level_capacity = 2;
  ScratchEvents events(&filled);
  OrderBook book(config, &events);
  const core::Side side = group.front()->side;
  for (size_t i = 0; i < group.size(); ++i) {
    BookOrder order;
    order.instrument = config.instrument;
    order.side = side;
    order.limit_price = price;
    order.quantity = group[i]->quantity;
    order.time_in_force = TimeInForce::kGoodTillCancel;
    order.role = group[i]->role;
    // The scratch incoming order's owner is never one of theirs (no self-trade prevention).
    order.owner = group[i]->owner == kComplexLegOwner ? core::ParticipantId(0) : group[i]->owner;
    order.tag = i + 1;
    (void)book.Add(order);
  }
  BookOrder incoming;
  incoming.instrument = config.instrument;
  incoming.side = core::Opposite(side);
  incoming.limit_price = price;
  incoming.quantity = remaining;
  incoming.time_in_force = TimeInForce::kImmediateOrCancel;
  incoming.owner = kComplexLegOwner;
  incoming.tag = group.size() + 1;
  (void)book.Add(incoming);
  return filled;
}

// One side's fills at `price` totalling `volume`, in priority order: (key, quantity).
std::vector<std::pair<uint64_t, core::Quantity>> FillSide(std::span<const AuctionOrder> orders,
                                                          core::Side side, core::Price price,
                                                          core::Quantity volume,
                                                          const LevelAllocation& allocation) {
  std::vector<const AuctionOrder*> eligible;
  for (const AuctionOrder& order : orders) {
    if (order.side == side && Reaches(order, price)) eligible.push_back(&order);
  }
  // Market orders first, then by price, each group in time order (stable).
  const auto rank = [side](const AuctionOrder* order) {
    if (order->type == OrderType::kMarket) return std::pair{0, core::Price()};
    return std::pair{1, side == core::Side::kBuy ? -order->limit : order->limit};
  };
  std::stable_sort(
      eligible.begin(), eligible.end(),
      [&rank](const AuctionOrder* a, const AuctionOrder* b) { return rank(a) < rank(b); });
  std::vector<std::pair<uint64_t, core::Quantity>> fills;
  core::Quantity left = volume;
  for (size_t begin = 0; begin < eligible.size() && left.is_positive();) {
    size_t end = begin;
    core::Quantity group_total;
    while (end < eligible.size() && rank(eligible[end]) == rank(eligible[begin])) {
      group_total += eligible[end]->quantity;
      ++end;
    }
    const std::span<const AuctionOrder* const> group(eligible.data() + begin, end - begin);
    if (group_total <= left) {
      for (const AuctionOrder* order : group) fills.emplace_back(order->key, order->quantity);
      left -= group_total;
    } else {
      const std::vector<core::Quantity> shares = Allocate(group, left, price, allocation);
      for (size_t i = 0; i < group.size(); ++i) {
        if (shares[i].is_positive()) fills.emplace_back(group[i]->key, shares[i]);
      }
      left = core::Quantity::Zero();
    }
    begin = end;
  }
  return fills;
}

}  // namespace

core::Quantity QuantityAt(std::span<const AuctionOrder> orders, core::Side side,
                          core::Price price) {
  core::Quantity total;
  for (const AuctionOrder& order : orders) {
    if (order.side == side && Reaches(order, price)) total += order.quantity;
  }
  return total;
}

int64_t TicksBetween(const core::TickRule& rule, core::Price low, core::Price high) {
  int64_t ticks = 0;
  for (core::Price price = low; price < high; ++ticks) {
    absl::StatusOr<core::Price> next = rule.NextAbove(price);
    if (!next.ok()) break;
    price = *next;
  }
  return ticks;
}

AuctionPrice FindAuctionPrice(std::span<const AuctionOrder> orders, const PriceSearch& search) {
  // The scan's bounds: the primary market maker's bid and offer (R46, steps S571 / S579).
  std::optional<core::Price> pmm_bid;
  std::optional<core::Price> pmm_offer;
  std::set<core::Price> bids;
  std::set<core::Price> offers;
  bool has_market = false;
  for (const AuctionOrder& order : orders) {
    if (order.type == OrderType::kMarket) {
      has_market = true;
      continue;
    }
    const bool pmm = order.role == ParticipantRole::kPrimaryMarketMaker;
    if (order.side == core::Side::kBuy) {
      bids.insert(order.limit);
      if (pmm && (!pmm_bid.has_value() || order.limit > *pmm_bid)) pmm_bid = order.limit;
    } else {
      offers.insert(order.limit);
      if (pmm && (!pmm_offer.has_value() || order.limit < *pmm_offer)) pmm_offer = order.limit;
    }
  }
  std::vector<core::Price> candidates;
  for (auto it = bids.rbegin(); it != bids.rend(); ++it) {
    candidates.push_back(*it);
    if (pmm_bid.has_value() && *it <= *pmm_bid) break;
  }
  for (core::Price offer : offers) {
    candidates.push_back(offer);
    if (pmm_offer.has_value() && offer >= *pmm_offer) break;
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  core::Quantity best;
  std::vector<core::Price> tied;
  for (core::Price price : candidates) {
    const core::Quantity volume = std::min(QuantityAt(orders, core::Side::kBuy, price),
                                           QuantityAt(orders, core::Side::kSell, price));
    if (volume > best) {
      best = volume;
      tied.assign(1, price);
    } else if (volume == best && volume.is_positive()) {
      tied.push_back(price);
    }
  }
  AuctionPrice outcome;
  if (!best.is_positive()) {
    outcome.result = AuctionResult::kNoCross;
    if (search.opening && has_market) {
      outcome.result = AuctionResult::kFailed;
      outcome.reason = "a market order would be left unexecuted: nothing trades against it";
    }
    return outcome;
  }
  const core::Price low = tied.front();
  const core::Price high = tied.back();
  core::Price price = low;
  if (low != high) {
    const int64_t ticks = TicksBetween(*search.tick_rule, low, high);
    if (ticks % 2 == 0 || !search.right.has_value()) {
      price = Step(*search.tick_rule, low, ticks / 2);  // the midpoint (rounded down if odd)
    } else if (ticks == 1) {
      price = *search.right == core::OptionRight::kPut ? low : high;
    } else {
      const int64_t n = ticks - 2;
      price = *search.right == core::OptionRight::kPut ? Step(*search.tick_rule, low, n)
                                                       : Step(*search.tick_rule, high, -n);
    }
  }
  outcome.price = price;
  outcome.volume = std::min(QuantityAt(orders, core::Side::kBuy, price),
                            QuantityAt(orders, core::Side::kSell, price));
  outcome.result = outcome.volume.is_positive() ? AuctionResult::kTrade : AuctionResult::kNoCross;
  if (search.opening) {
    std::string refusal = OpeningRefusal(orders, price, outcome.volume);
    if (!refusal.empty()) {
      outcome.result = AuctionResult::kFailed;
      outcome.reason = std::move(refusal);
    }
  }
  return outcome;
}

std::vector<AuctionTrade> CrossAt(std::span<const AuctionOrder> orders, core::Price price,
                                  const LevelAllocation& allocation) {
  const core::Quantity volume = std::min(QuantityAt(orders, core::Side::kBuy, price),
                                         QuantityAt(orders, core::Side::kSell, price));
  std::vector<AuctionTrade> trades;
  if (!volume.is_positive()) return trades;
  auto buys = FillSide(orders, core::Side::kBuy, price, volume, allocation);
  auto sells = FillSide(orders, core::Side::kSell, price, volume, allocation);
  size_t b = 0;
  size_t s = 0;
  while (b < buys.size() && s < sells.size()) {
    const core::Quantity quantity = std::min(buys[b].second, sells[s].second);
    trades.push_back({buys[b].first, sells[s].first, quantity});
    buys[b].second -= quantity;
    sells[s].second -= quantity;
    if (buys[b].second.is_zero()) ++b;
    if (sells[s].second.is_zero()) ++s;
  }
  return trades;
}

}  // namespace combo::venues::leg_processes
