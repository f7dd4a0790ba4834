// Randomized differential test: the OrderBook against a deliberately simple reference book (a
// flat vector of orders, every question answered by a full scan) must agree on every trade,
// every cancellation, every best bid/offer and every displayed level, for both allocation rules.
// The default run is 100,000 operations per rule; the "soak" form runs ten times as many.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/random.h"
#include "gtest/gtest.h"
#include "venues/order_book.h"
#include "venues/order_book_test_util.h"

namespace combo::venues {
namespace {

using core::Side;
using testing::RecordedCancel;
using testing::RecordingEvents;

struct RefTrade {
  uint64_t resting_tag;
  uint64_t incoming_tag;
  int64_t price;
  int64_t quantity;
  friend bool operator==(const RefTrade&, const RefTrade&) = default;
};

// The reference: no pools, no levels, no lists. Orders in a vector in arrival order; a level is
// whatever orders share a price.
class ReferenceBook {
 public:
  ReferenceBook(AllocationRule rule, Seed001AllocationParams params, int64_t tick)
      : rule_(rule), params_(params), tick_(tick) {}

  struct Order {
    uint64_t tag;
    uint32_t owner;
    ParticipantRole role;
    Side side;
    int64_t price;
    int64_t leaves;
    bool all_or_none;
    TimeInForce time_in_force;
    uint64_t time;
  };

  // False when rejected (and nothing changes).
  bool Add(const BookOrder& order) {
    if (order.instrument != core::InstrumentId(1) || order.quantity.value() <= 0) return false;
    const bool is_market = order.type == OrderType::kMarket;
    const bool tif_rests = order.time_in_force == TimeInForce::kDay ||
                           order.time_in_force == TimeInForce::kGoodTillCancel;
    const bool rests = !is_market && tif_rests;
    const bool aon_condition = order.condition == FillCondition::kAllOrNone;
    if (!is_market && order.limit_price.raw() % tick_ != 0) return false;
    if (is_market && tif_rests && aon_condition) return false;
    if (rule_ == AllocationRule::kSeed001Options && aon_condition &&
        order.role != ParticipantRole::kCustomer && !is_market && rests) {
      return false;
    }
    Order incoming{order.tag,     order.owner.value(),     order.role,
                   order.side,    order.limit_price.raw(), order.quantity.value(),
                   aon_condition, order.time_in_force,     ++clock_};
    const bool whole_only = aon_condition || order.time_in_force == TimeInForce::kFillOrKill;
    if (whole_only &&
        Walk(incoming, is_market, incoming.leaves, /*commit=*/false) < incoming.leaves) {
      if (rests) {
        orders_.push_back(incoming);
      } else {
        cancels.push_back({order.tag, CancelReason::kFillOrKill, incoming.leaves});
      }
      return true;
    }
    const int64_t filled = Walk(incoming, is_market, incoming.leaves, /*commit=*/true);
    incoming.leaves -= filled;
    if (incoming.leaves > 0) {
      if (rests) {
        orders_.push_back(incoming);
      } else {
        cancels.push_back({order.tag, CancelReason::kImmediateOrCancel, incoming.leaves});
      }
    }
    return true;
  }

  bool Cancel(uint64_t tag) {
    for (auto it = orders_.begin(); it != orders_.end(); ++it) {
      if (it->tag == tag) {
        orders_.erase(it);
        return true;
      }
    }
    return false;
  }

  bool Replace(uint64_t tag, int64_t price, int64_t leaves) {
    auto it =
        std::find_if(orders_.begin(), orders_.end(), [&](const Order& o) { return o.tag == tag; });
    if (it == orders_.end() || leaves <= 0 || price % tick_ != 0) return false;
    if (price == it->price && leaves <= it->leaves) {
      it->leaves = leaves;
      return true;
    }
    Order order = *it;
    orders_.erase(it);
    order.price = price;
    order.leaves = leaves;
    order.time = ++clock_;
    if (!order.all_or_none || Walk(order, false, leaves, /*commit=*/false) >= leaves) {
      order.leaves -= Walk(order, false, leaves, /*commit=*/true);
    }
    if (order.leaves > 0) orders_.push_back(order);
    return true;
  }

  void ExpireDayOrders() {
    // Bids best first, then asks best first, time order within a price.
    for (Side side : {Side::kBuy, Side::kSell}) {
      for (int64_t price : Prices(side)) {
        for (const Order& o : At(side, price)) {
          if (o.time_in_force == TimeInForce::kDay) {
            cancels.push_back({o.tag, CancelReason::kEndOfDay, o.leaves});
            Cancel(o.tag);
          }
        }
      }
    }
  }

  // Displayed levels of a side, best first.
  std::vector<std::pair<int64_t, int64_t>> Displayed(Side side) const {
    std::vector<std::pair<int64_t, int64_t>> out;
    for (int64_t price : Prices(side)) {
      int64_t total = 0;
      for (const Order& o : At(side, price)) {
        if (!o.all_or_none) total += o.leaves;
      }
      if (total > 0) out.emplace_back(price, total);
    }
    return out;
  }

  size_t size() const { return orders_.size(); }
  std::vector<RefTrade> trades;
  std::vector<RecordedCancel> cancels;

 private:
  // Distinct prices on a side, best first.
  std::vector<int64_t> Prices(Side side) const {
    std::vector<int64_t> prices;
    for (const Order& o : orders_) {
      if (o.side == side) prices.push_back(o.price);
    }
    std::sort(prices.begin(), prices.end());
    prices.erase(std::unique(prices.begin(), prices.end()), prices.end());
    if (side == Side::kBuy) std::reverse(prices.begin(), prices.end());
    return prices;
  }

  // Copies of the orders at a price, in time order.
  std::vector<Order> At(Side side, int64_t price) const {
    std::vector<Order> out;
    for (const Order& o : orders_) {
      if (o.side == side && o.price == price) out.push_back(o);
    }
    std::sort(out.begin(), out.end(),
              [](const Order& a, const Order& b) { return a.time < b.time; });
    return out;
  }

  Order* Get(uint64_t tag) {
    for (Order& o : orders_) {
      if (o.tag == tag) return &o;
    }
    return nullptr;
  }

  void Trade(const Order& incoming, uint64_t resting_tag, int64_t price, int64_t quantity) {
    Order* resting = Get(resting_tag);
    resting->leaves -= quantity;
    trades.push_back({resting_tag, incoming.tag, price, quantity});
    if (resting->leaves == 0) Cancel(resting_tag);
  }

  // Trades (or, without commit, only counts) up to `quantity` of `incoming`.
  int64_t Walk(const Order& incoming, bool is_market, int64_t quantity, bool commit) {
    const Side contra = incoming.side == Side::kBuy ? Side::kSell : Side::kBuy;
    int64_t remaining = quantity;
    for (int64_t price : Prices(contra)) {
      if (remaining == 0) break;
      const bool crosses = is_market || (incoming.side == Side::kBuy ? price <= incoming.price
                                                                     : price >= incoming.price);
      if (!crosses) break;
      if (rule_ == AllocationRule::kPriceTime) {
        for (const Order& o : At(contra, price)) {
          if (remaining == 0) break;
          if (o.owner == incoming.owner) {
            if (commit) {
              cancels.push_back({o.tag, CancelReason::kSelfTradePrevention, o.leaves});
              Cancel(o.tag);
            }
            continue;
          }
          if (o.all_or_none && o.leaves > remaining) continue;
          const int64_t q = std::min(o.leaves, remaining);
          if (commit) Trade(incoming, o.tag, price, q);
          remaining -= q;
        }
      } else {
        remaining -= Seed001Level(incoming, contra, price, remaining, commit);
      }
    }
    return quantity - remaining;
  }

  int64_t Seed001Level(const Order& incoming, Side contra, int64_t price, int64_t quantity,
                       bool commit) {
    // Customers in time order; the owner's own orders met on the way are cancelled.
    std::vector<Order> level;
    int64_t remaining = quantity;
    std::vector<std::pair<uint64_t, int64_t>> fills;
    for (const Order& o : At(contra, price)) {
      if (o.owner == incoming.owner) {
        if (commit && remaining > 0) {
          cancels.push_back({o.tag, CancelReason::kSelfTradePrevention, o.leaves});
          Cancel(o.tag);
        }
        continue;
      }
      level.push_back(o);
      if (o.role != ParticipantRole::kCustomer || remaining == 0) continue;
      if (o.all_or_none && o.leaves > remaining) continue;
      const int64_t q = std::min(o.leaves, remaining);
      fills.emplace_back(o.tag, q);
      remaining -= q;
    }
    std::vector<Order> pmm;
    std::vector<Order> pros;
    for (const Order& o : level) {
      if (o.role == ParticipantRole::kPrimaryMarketMaker) pmm.push_back(o);
      if (o.role == ParticipantRole::kProfessional || o.role == ParticipantRole::kMarketMaker) {
        pros.push_back(o);
      }
    }
    int64_t pmm_size = 0;
    int64_t pro_size = 0;
    for (const Order& o : pmm) pmm_size += o.leaves;
    for (const Order& o : pros) pro_size += o.leaves;
    if (remaining > 0 && pmm_size > 0) {
      int64_t share;
      if (incoming.leaves < params_.small_order_threshold.value() || pros.empty()) {
        share = std::min(remaining, pmm_size);
      } else {
        const int64_t percent = pros.size() == 1   ? params_.pmm_share_percent_one_other
                                : pros.size() == 2 ? params_.pmm_share_percent_two_others
                                                   : params_.pmm_share_percent_three_or_more;
        // Smallest whole number at or above remaining x percent / 100, and likewise for the
        // PMM's fraction of the professional size.
        int64_t by_percent = 0;
        while (by_percent * 100 < remaining * percent) ++by_percent;
        int64_t by_size = 0;
        while (by_size * (pmm_size + pro_size) < remaining * pmm_size) ++by_size;
        share = std::min({std::max(by_percent, by_size), pmm_size, remaining});
      }
      remaining -= share;
      for (const Order& o : pmm) {
        const int64_t q = std::min(o.leaves, share);
        if (q > 0) fills.emplace_back(o.tag, q);
        share -= q;
      }
    }
    std::stable_sort(pros.begin(), pros.end(),
                     [](const Order& a, const Order& b) { return a.leaves > b.leaves; });
    int64_t unallocated = pro_size;
    for (const Order& o : pros) {
      if (remaining == 0) break;
      int64_t q = 0;
      while (q * unallocated < remaining * o.leaves) ++q;
      q = std::min(q, o.leaves);
      if (q > 0) fills.emplace_back(o.tag, q);
      remaining -= q;
      unallocated -= o.leaves;
    }
    if (commit) {
      for (const auto& [tag, q] : fills) Trade(incoming, tag, price, q);
    }
    return quantity - remaining;
  }

  AllocationRule rule_;
  Seed001AllocationParams params_;
  int64_t tick_;
  std::vector<Order> orders_;
  uint64_t clock_ = 0;
};

constexpr int64_t kTick = 10'000'000;  // 0.01

// The soak build (label "soak") runs ten times as many operations, under its own suite name so
// that CTest keeps the two apart.
#ifndef COMBO_DIFFERENTIAL_OPERATIONS
#define COMBO_DIFFERENTIAL_OPERATIONS 100'000
#endif
#ifndef COMBO_DIFFERENTIAL_SUITE
#define COMBO_DIFFERENTIAL_SUITE OrderBookDifferentialTest
#endif
constexpr int kOperations = COMBO_DIFFERENTIAL_OPERATIONS;

void RunDifferential(AllocationRule rule, uint64_t seed, int operations) {
  OrderBookConfig config;
  config.instrument = core::InstrumentId(1);
  config.tick_rule = core::TickRule::Uniform(core::Price::FromRaw(kTick));
  config.allocation = rule;
  // Small enough that the pool and level arrays have to grow during the run.
  config.initial_order_capacity = 8;
  config.initial_level_capacity = 2;
  RecordingEvents events;
  OrderBook book(config, &events);
  ReferenceBook reference(rule, config.seed001, kTick);
  core::Rng rng(seed);

  std::map<uint64_t, OrderHandle> live;  // tag -> handle, for orders that may rest
  std::vector<uint64_t> tags;            // tags that may still rest (some are gone)
  uint64_t next_tag = 1;
  int64_t mid = 10'000;  // in ticks; drifts so that levels come and go
  const ParticipantRole roles[] = {ParticipantRole::kCustomer, ParticipantRole::kProfessional,
                                   ParticipantRole::kMarketMaker,
                                   ParticipantRole::kPrimaryMarketMaker};

  // Coverage of the run: it must have exercised what it claims to compare.
  int64_t total_trades = 0;
  std::map<CancelReason, int64_t> cancels_by_reason;
  size_t max_orders = 0;

  for (int op = 0; op < operations; ++op) {
    events.Clear();
    reference.trades.clear();
    reference.cancels.clear();
    // Adds half the time while the book is small, else cancels, replaces, rarely an end of day.
    int64_t kind = rng.UniformInt(0, 999);
    if (kind < 600 && tags.size() >= 600) kind = 600;
    if (kind == 999 && rng.UniformInt(0, 4) != 0) kind = 998;
    if (rng.UniformInt(0, 999) == 0) mid += rng.UniformInt(-20, 20);
    std::string what;
    if (kind < 600 || tags.empty()) {
      BookOrder order;
      order.tag = next_tag++;
      order.owner = core::ParticipantId(static_cast<uint32_t>(rng.UniformInt(1, 6)));
      order.role = roles[rng.UniformInt(0, 3)];
      order.instrument = core::InstrumentId(rng.UniformInt(0, 499) == 0 ? 2 : 1);
      order.side = rng.UniformInt(0, 1) == 0 ? Side::kBuy : Side::kSell;
      order.type = rng.UniformInt(0, 19) == 0 ? OrderType::kMarket : OrderType::kLimit;
      const int64_t offset = rng.UniformInt(-6, 10);  // mostly passive, sometimes crossing
      int64_t ticks = order.side == Side::kBuy ? mid - offset : mid + offset;
      int64_t raw = ticks * kTick;
      if (rng.UniformInt(0, 199) == 0) raw += kTick / 2;  // off tick
      order.limit_price = core::Price::FromRaw(raw);
      order.quantity = core::Quantity(rng.UniformInt(0, 299) == 0 ? rng.UniformInt(-3, 0)
                                                                  : rng.UniformInt(1, 40));
      const int64_t tif = rng.UniformInt(0, 19);
      order.time_in_force = tif < 9    ? TimeInForce::kDay
                            : tif < 16 ? TimeInForce::kGoodTillCancel
                            : tif < 18 ? TimeInForce::kImmediateOrCancel
                                       : TimeInForce::kFillOrKill;
      if (rng.UniformInt(0, 14) == 0) order.condition = FillCondition::kAllOrNone;
      what = "add " + std::to_string(order.tag);
      const AddResult result = book.Add(order);
      const bool accepted = reference.Add(order);
      ASSERT_EQ(!result.rejection.has_value(), accepted) << "op " << op << " " << what;
      if (result.handle.valid()) {
        live[order.tag] = result.handle;
        tags.push_back(order.tag);
      }
    } else {
      const size_t pick =
          static_cast<size_t>(rng.UniformInt(0, static_cast<int64_t>(tags.size()) - 1));
      const uint64_t tag = tags[pick];
      auto it = live.find(tag);
      std::optional<RestingOrderView> view;
      if (it != live.end()) view = book.Find(it->second);
      if (!view.has_value() || view->tag != tag) {
        // Gone (filled or cancelled): both books must say so.
        tags[pick] = tags.back();
        tags.pop_back();
        if (it != live.end()) live.erase(it);
        ASSERT_FALSE(reference.Cancel(tag)) << "op " << op << ": reference still has " << tag;
        continue;
      }
      if (kind < 800) {
        what = "cancel " + std::to_string(tag);
        ASSERT_EQ(book.Cancel(it->second), view->leaves);
        ASSERT_TRUE(reference.Cancel(tag)) << "op " << op << " " << what;
        live.erase(it);
      } else if (kind < 999) {
        const int64_t price_ticks = rng.UniformInt(0, 2) == 0
                                        ? view->limit_price.raw() / kTick
                                        : view->limit_price.raw() / kTick + rng.UniformInt(-3, 3);
        const int64_t leaves = rng.UniformInt(0, 1) == 0
                                   ? std::max<int64_t>(1, view->leaves.value() - 1)
                                   : rng.UniformInt(0, 40);
        what = "replace " + std::to_string(tag);
        const ReplaceResult result = book.Replace(
            it->second, core::Price::FromRaw(price_ticks * kTick), core::Quantity(leaves));
        const bool accepted = reference.Replace(tag, price_ticks * kTick, leaves);
        ASSERT_EQ(!result.rejection.has_value(), accepted) << "op " << op << " " << what;
      } else {
        what = "end of day";
        book.ExpireDayOrders();
        reference.ExpireDayOrders();
      }
    }
    total_trades += static_cast<int64_t>(events.trades.size());
    for (const RecordedCancel& c : events.cancels) ++cancels_by_reason[c.reason];
    max_orders = std::max(max_orders, book.order_count());
    std::vector<RefTrade> trades;
    for (const BookTrade& t : events.trades) {
      trades.push_back({t.resting_tag, t.incoming_tag, t.price.raw(), t.quantity.value()});
    }
    ASSERT_EQ(trades, reference.trades) << "op " << op << " " << what;
    ASSERT_EQ(events.cancels, reference.cancels) << "op " << op << " " << what;
    ASSERT_EQ(book.order_count(), reference.size()) << "op " << op << " " << what;
    for (Side side : {Side::kBuy, Side::kSell}) {
      const auto expected = reference.Displayed(side);
      const std::optional<core::PriceLevel> best = book.Best(side);
      if (expected.empty()) {
        ASSERT_FALSE(best.has_value()) << "op " << op << " " << what;
      } else {
        ASSERT_TRUE(best.has_value()) << "op " << op << " " << what;
        ASSERT_EQ(best->price.raw(), expected.front().first) << "op " << op << " " << what;
        ASSERT_EQ(best->quantity.value(), expected.front().second) << "op " << op << " " << what;
      }
      // The level updates alone rebuild every displayed level.
      const auto& rebuilt = side == Side::kBuy ? events.rebuilt_bids : events.rebuilt_asks;
      ASSERT_EQ(rebuilt.size(), expected.size()) << "op " << op << " " << what;
      for (const auto& [price, quantity] : expected) {
        auto found = rebuilt.find(core::Price::FromRaw(price));
        ASSERT_TRUE(found != rebuilt.end()) << "op " << op << " " << what;
        ASSERT_EQ(found->second, quantity) << "op " << op << " " << what;
      }
    }
  }
  EXPECT_GT(total_trades, operations / 10);
  EXPECT_GT(cancels_by_reason[CancelReason::kSelfTradePrevention], operations / 1000);
  EXPECT_GT(cancels_by_reason[CancelReason::kFillOrKill], operations / 1000);
  EXPECT_GT(cancels_by_reason[CancelReason::kImmediateOrCancel], operations / 1000);
  EXPECT_GT(cancels_by_reason[CancelReason::kEndOfDay], operations / 10'000);
  EXPECT_GT(max_orders, 100u);
  std::printf("trades %lld, stp %lld, fok %lld, ioc %lld, eod %lld, max orders %zu\n",
              static_cast<long long>(total_trades),
              static_cast<long long>(cancels_by_reason[CancelReason::kSelfTradePrevention]),
              static_cast<long long>(cancels_by_reason[CancelReason::kFillOrKill]),
              static_cast<long long>(cancels_by_reason[CancelReason::kImmediateOrCancel]),
              static_cast<long long>(cancels_by_reason[CancelReason::kEndOfDay]), max_orders);
}

TEST(COMBO_DIFFERENTIAL_SUITE, PriceTimeAgreesWithReferenceOnEveryFillAndBestPrice) {
  RunDifferential(AllocationRule::kPriceTime, 20261121, kOperations);
}

TEST(COMBO_DIFFERENTIAL_SUITE, Seed001AllocationAgreesWithReferenceOnEveryFillAndBestPrice) {
  RunDifferential(AllocationRule::kSeed001Options, 1001, kOperations);
}

}  // namespace
}  // namespace combo::venues
