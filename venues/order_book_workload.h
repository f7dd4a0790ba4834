// OrderBookWorkload: the benchmark workload of docs/BENCHMARKS.md "Leg order book", shared by
// bench/venues_bench.cc and the test that proves it allocates nothing in steady state.
//
// A book of 1,000 resting orders over 10 levels per side (50 orders of 10 per level), and two
// operations: (a) a passive add at a random level followed by the cancel of a random resting
// order, and (b) an aggressive order that fills the best level's first order followed by a
// replenishing add at the same price. Both keep the book at 1,000 orders. Random choices come
// from a seeded core::Rng drawn ahead of time. Not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "core/random.h"
#include "venues/order_book.h"

namespace combo::venues {

// Discards every event (the benchmark measures the book, not a consumer).
class DiscardingBookEvents final : public OrderBookEvents {
 public:
  void OnTrade(const BookTrade& trade) override { last_quantity_ += trade.quantity.value(); }
  void OnOrderCancelled(uint64_t, CancelReason, core::Quantity) override {}
  void OnLevelUpdate(core::Side, core::Price, core::Quantity, uint64_t sequence) override {
    last_sequence_ = sequence;
  }
  int64_t last_quantity() const { return last_quantity_; }

 private:
  int64_t last_quantity_ = 0;
  uint64_t last_sequence_ = 0;
};

class OrderBookWorkload {
 public:
  static constexpr int kLevelsPerSide = 10;
  static constexpr int kOrdersPerLevel = 50;
  static constexpr int64_t kOrderQuantity = 10;
  static constexpr int64_t kBestBidTicks = 10'000;
  static constexpr int64_t kTick = 10'000'000;  // 0.01

  // Under the seed-001 allocation the resting orders are customers', which fill in time order as
  // under price-time; professional orders would share each fill pro-rata.
  explicit OrderBookWorkload(AllocationRule rule = AllocationRule::kPriceTime)
      : book_(MakeConfig(rule), &events_),
        rng_(42),
        resting_role_(rule == AllocationRule::kPriceTime ? ParticipantRole::kProfessional
                                                         : ParticipantRole::kCustomer) {
    live_.reserve(4 * kLevelsPerSide * kOrdersPerLevel);
    for (int level = 0; level < kLevelsPerSide; ++level) {
      for (int i = 0; i < kOrdersPerLevel; ++i) {
        live_.push_back(AddPassive(core::Side::kBuy, level));
        live_.push_back(AddPassive(core::Side::kSell, level));
      }
    }
    random_.resize(kRandomCount);
    for (uint32_t& r : random_) r = static_cast<uint32_t>(rng_.NextU64());
  }

  // (a): one passive add and one cancel of a random resting order.
  void AddThenCancel() {
    const uint32_t r = NextRandom();
    const core::Side side = (r & 1) != 0 ? core::Side::kBuy : core::Side::kSell;
    live_.push_back(AddPassive(side, static_cast<int>((r >> 1) % kLevelsPerSide)));
    const size_t pick = (r >> 8) % live_.size();
    book_.Cancel(live_[pick]);
    live_[pick] = live_.back();
    live_.pop_back();
  }

  // (b): an aggressive order that fills the best level's first order, then a replenishing add
  // at that price. Alternates sides.
  void FillThenReplenish() {
    aggress_buy_ = !aggress_buy_;
    const core::Side resting = aggress_buy_ ? core::Side::kSell : core::Side::kBuy;
    BookOrder order;
    order.tag = next_tag_++;
    order.owner = core::ParticipantId(2);
    order.instrument = core::InstrumentId(1);
    order.side = core::Opposite(resting);
    order.type = OrderType::kLimit;
    order.limit_price = PriceAt(resting, 0);
    order.quantity = core::Quantity(kOrderQuantity);
    order.time_in_force = TimeInForce::kImmediateOrCancel;
    book_.Add(order);
    // The replacement rests at the back of the same level. (The handles in live_ are for
    // AddThenCancel; a workload runs one of the two operations.)
    AddPassive(resting, 0);
  }

  OrderBook& book() { return book_; }
  const DiscardingBookEvents& events() const { return events_; }
  size_t live_orders() const { return live_.size(); }

 private:
  static constexpr size_t kRandomCount = 1 << 16;

  static OrderBookConfig MakeConfig(AllocationRule rule) {
    OrderBookConfig config;
    config.instrument = core::InstrumentId(1);
    config.tick_rule = core::TickRule::Uniform(core::Price::FromRaw(kTick));
    config.allocation = rule;
    config.initial_order_capacity = 4096;
    return config;
  }

  static core::Price PriceAt(core::Side side, int level) {
    const int64_t ticks =
        side == core::Side::kBuy ? kBestBidTicks - level : kBestBidTicks + 1 + level;
    return core::Price::FromRaw(ticks * kTick);
  }

  uint32_t NextRandom() {
    const uint32_t r = random_[random_index_];
    random_index_ = (random_index_ + 1) & (kRandomCount - 1);
    return r;
  }

  OrderHandle AddPassive(core::Side side, int level) {
    BookOrder order;
    order.tag = next_tag_++;
    order.owner = core::ParticipantId(1);
    order.role = resting_role_;
    order.instrument = core::InstrumentId(1);
    order.side = side;
    order.type = OrderType::kLimit;
    order.limit_price = PriceAt(side, level);
    order.quantity = core::Quantity(kOrderQuantity);
    order.time_in_force = TimeInForce::kDay;
    return book_.Add(order).handle;
  }

  DiscardingBookEvents events_;
  OrderBook book_;
  core::Rng rng_;
  ParticipantRole resting_role_;
  std::vector<OrderHandle> live_;
  std::vector<uint32_t> random_;
  size_t random_index_ = 0;
  uint64_t next_tag_ = 1;
  bool aggress_buy_ = false;
};

}  // namespace combo::venues
