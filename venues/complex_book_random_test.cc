// ComplexBook under a seeded random mix of leg orders, complex orders (every type, condition and
// time in force), cancels, replaces, halts, exposure delays and day ends, with invariants checked
// after every operation:
//  - every execution is whole ratio units (leg quantity = ratio x units, units >= 1);
//  - each execution's leg prices reproduce its net price exactly;
//  - no leg trades through its own book's best price (inverse matches price every leg within
//    the leg's best bid and offer; leg-ins trade exactly at the best price taken);
//  - the leg orders a leg-in sends trade exactly the execution's legs;
//  - both parties' limits hold;
//  - no active resting order is left that could leg in;
//  - the published native top equals the book's top, and leg books are never crossed.
// COMBO_COMPLEX_RANDOM_OPERATIONS sets the length (the soak build runs fifty times more).
#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "core/random.h"
#include "gtest/gtest.h"
#include "venues/complex_book.h"
#include "venues/complex_book_test_util.h"
#include "venues/complex_pricing.h"

#ifndef COMBO_COMPLEX_RANDOM_OPERATIONS
#define COMBO_COMPLEX_RANDOM_OPERATIONS 20000
#endif
// The soak build runs under its own suite name so that CTest keeps the two apart.
#ifndef COMBO_COMPLEX_RANDOM_SUITE
#define COMBO_COMPLEX_RANDOM_SUITE ComplexBookRandomTest
#endif

namespace combo::venues {
namespace {

using core::InstrumentId;
using core::Price;
using core::Quantity;
using core::Side;
using testing::Cents;
using testing::ComplexHarness;
using testing::MakeCombo;
using testing::RecordedExecution;
using testing::RecordedLegTrade;

constexpr int64_t kMidCents = 100;

class RandomComplexRun {
 public:
  RandomComplexRun(uint64_t seed, AllocationRule allocation, Price buffer)
      : rng_(seed), buffer_(buffer) {
    ComplexBookConfig config;
    config.net_tick = Cents(1);
    config.price_buffer = buffer;
    config.combos.push_back(
        MakeCombo(1, {{InstrumentId(1), 1, Side::kBuy}, {InstrumentId(2), 1, Side::kSell}}));
    config.combos.push_back(
        MakeCombo(2, {{InstrumentId(1), 2, Side::kBuy}, {InstrumentId(3), 1, Side::kSell}}));
    config.combos.push_back(MakeCombo(3, {{InstrumentId(2), 1, Side::kBuy},
                                          {InstrumentId(3), 1, Side::kBuy},
                                          {InstrumentId(4), 2, Side::kSell}}));
    config.combos.push_back(MakeCombo(4, {{InstrumentId(1), 1, Side::kBuy},
                                          {InstrumentId(2), 2, Side::kSell},
                                          {InstrumentId(3), 1, Side::kBuy}}));
    for (const ListedCombo& combo : config.combos) specs_.emplace(combo.id, combo.spec);
    harness_ = std::make_unique<ComplexHarness>(
        config,
        std::vector<InstrumentId>{InstrumentId(1), InstrumentId(2), InstrumentId(3),
                                  InstrumentId(4)},
        allocation);
  }

  void Run(int operations) {
    for (int op = 0; op < operations; ++op) {
      executions_seen_ = h().executions.size();
      leg_trades_seen_ = h().leg_trades.size();
      Step();
      CheckInvariants();
      if (::testing::Test::HasFatalFailure()) {
        ADD_FAILURE() << "after operation " << op;
        return;
      }
    }
  }

  int64_t executions() const { return static_cast<int64_t>(harness_->executions.size()); }
  int64_t leg_ins() const {
    int64_t count = 0;
    for (const auto& recorded : harness_->executions) count += !recorded.execution.resting;
    return count;
  }

 private:
  ComplexHarness& h() { return *harness_; }

  void Step() {
    const int64_t roll = rng_.UniformInt(0, 99);
    if (roll < 36) {
      AddLeg();
    } else if (roll < 46) {
      CancelLeg();
    } else if (roll < 76) {
      AddComplex();
    } else if (roll < 86) {
      CancelComplex();
    } else if (roll < 93) {
      ReplaceComplex();
    } else if (roll < 95) {
      const InstrumentId instrument(static_cast<uint32_t>(rng_.UniformInt(1, 4)));
      h().complex().SetLegStatus(instrument, rng_.UniformInt(0, 2) == 0 ? LegTradingStatus::kHalted
                                                                        : LegTradingStatus::kOpen);
    } else if (roll < 99) {
      h().complex().SetExposureDelay(rng_.UniformInt(0, 2) == 0
                                         ? core::Duration::Seconds(rng_.UniformInt(1, 3))
                                         : core::Duration::Zero());
      h().time().AdvanceBy(core::Duration::Milliseconds(rng_.UniformInt(0, 2500)));
    } else {
      h().complex().ExpireDayOrders();
    }
  }

  void AddLeg() {
    const InstrumentId instrument(static_cast<uint32_t>(rng_.UniformInt(1, 4)));
    const Side side = rng_.UniformInt(0, 1) == 0 ? Side::kBuy : Side::kSell;
    // Mostly on the own side of the mid, sometimes crossing it.
    const int64_t offset = rng_.UniformInt(-2, 10);
    const int64_t cents = side == Side::kBuy ? kMidCents - offset : kMidCents + offset;
    const ParticipantRole role =
        rng_.UniformInt(0, 3) == 0 ? ParticipantRole::kCustomer : ParticipantRole::kProfessional;
    const TimeInForce tif =
        rng_.UniformInt(0, 9) == 0 ? TimeInForce::kImmediateOrCancel : TimeInForce::kDay;
    const OrderHandle handle =
        h().AddLeg(instrument, side, Cents(cents), rng_.UniformInt(1, 30), role,
                   static_cast<uint32_t>(rng_.UniformInt(100, 104)), tif);
    if (handle.valid()) leg_orders_.push_back({instrument, handle});
  }

  void CancelLeg() {
    if (leg_orders_.empty()) return;
    const size_t index =
        static_cast<size_t>(rng_.UniformInt(0, static_cast<int64_t>(leg_orders_.size()) - 1));
    const auto [instrument, handle] = leg_orders_[index];
    leg_orders_[index] = leg_orders_.back();
    leg_orders_.pop_back();
    if (h().leg(instrument).Find(handle).has_value()) h().CancelLeg(instrument, handle);
  }

  Price NearRange(uint32_t combo, Side side) {
    const std::optional<SyntheticRange> range = h().complex().Range(core::ComboId(combo));
    int64_t center = 0;
    if (range.has_value() && range->has_low && range->has_high) {
      center = (range->low.raw() + range->high.raw()) / 2 / Cents(1).raw();
    } else if (range.has_value() && range->has_high) {
      center = range->high.raw() / Cents(1).raw();
    } else if (range.has_value() && range->has_low) {
      center = range->low.raw() / Cents(1).raw();
    }
    const int64_t skew = side == Side::kBuy ? rng_.UniformInt(-12, 5) : rng_.UniformInt(-5, 12);
    return Cents(center + skew);
  }

  void AddComplex() {
    if (live_.size() > 150) {
      CancelComplex();
      return;
    }
    const uint32_t combo = static_cast<uint32_t>(rng_.UniformInt(1, 4));
    const Side side = rng_.UniformInt(0, 1) == 0 ? Side::kBuy : Side::kSell;
    ComplexHarness::ComplexOptions options;
    const int64_t kind = rng_.UniformInt(0, 99);
    if (kind < 5) {
      options.type = OrderType::kMarket;
      options.tif = TimeInForce::kImmediateOrCancel;
    } else if (kind < 20) {
      options.tif = TimeInForce::kImmediateOrCancel;
    } else if (kind < 25) {
      options.tif = TimeInForce::kFillOrKill;
    } else if (kind < 35) {
      options.tif = TimeInForce::kGoodTillCancel;
    }
    if (rng_.UniformInt(0, 9) == 0) options.condition = FillCondition::kAllOrNone;
    options.owner = static_cast<uint32_t>(rng_.UniformInt(1, 6));
    const uint64_t tag = next_tag_++;
    const ComplexAddResult result =
        h().AddComplex(tag, combo, side, NearRange(combo, side), rng_.UniformInt(1, 10), options);
    ASSERT_FALSE(result.rejection.has_value()) << result.rejection->reason;
    if (result.resting.is_positive()) live_.insert(tag);
  }

  uint64_t PickLive() {
    auto it = live_.begin();
    std::advance(it, rng_.UniformInt(0, static_cast<int64_t>(live_.size()) - 1));
    return *it;
  }

  void CancelComplex() {
    Prune();
    if (live_.empty()) return;
    const uint64_t tag = PickLive();
    ASSERT_TRUE(h().complex().Cancel(tag).has_value());
    live_.erase(tag);
  }

  void ReplaceComplex() {
    Prune();
    if (live_.empty()) return;
    const uint64_t tag = PickLive();
    const std::optional<ComplexOrderView> view = h().complex().Find(tag);
    ASSERT_TRUE(view.has_value());
    const Price price = rng_.UniformInt(0, 1) == 0
                            ? view->limit_price
                            : view->limit_price + Cents(rng_.UniformInt(-5, 5));
    const ComplexReplaceResult result =
        h().complex().Replace(tag, price, Quantity(rng_.UniformInt(1, 10)));
    ASSERT_FALSE(result.rejection.has_value()) << result.rejection->reason;
    replaced_prices_[tag] = price;
  }

  void Prune() {
    for (auto it = live_.begin(); it != live_.end();) {
      it = h().complex().Find(*it).has_value() ? std::next(it) : live_.erase(it);
    }
  }

  Price LimitOf(uint64_t tag) const {
    auto it = replaced_prices_.find(tag);
    return it != replaced_prices_.end() ? it->second : harness_->submitted(tag).limit_price;
  }

  void CheckLimit(const ComplexExecutionParty& party, Price net) {
    const ComplexBookOrder& order = h().submitted(party.tag);
    if (order.type == OrderType::kMarket) return;
    const Price limit = LimitOf(party.tag);
    if (party.side == Side::kBuy) {
      ASSERT_LE(net, limit) << "buyer " << party.tag << " paid above its limit";
    } else {
      ASSERT_GE(net, limit) << "seller " << party.tag << " sold below its limit";
    }
  }

  void CheckInvariants() {
    std::map<std::pair<InstrumentId, Price>, int64_t> expected_leg_trades;
    for (size_t i = executions_seen_; i < h().executions.size(); ++i) {
      const RecordedExecution& recorded = h().executions[i];
      const ComplexExecution& execution = recorded.execution;
      const core::ComboSpec& spec = specs_.at(execution.combo);
      ASSERT_GE(execution.units.value(), 1);
      ASSERT_EQ(execution.legs.size(), spec.size());
      std::vector<ComplexLeg> legs;
      std::vector<Price> prices;
      for (size_t l = 0; l < spec.size(); ++l) {
        const LegExecution& leg = execution.legs[l];
        ASSERT_EQ(leg.instrument, spec.leg(l).instrument);
        ASSERT_EQ(leg.side, spec.leg(l).side);
        // Whole ratio units.
        ASSERT_EQ(leg.quantity, execution.units * spec.leg(l).ratio);
        legs.push_back({0, spec.leg(l).side, spec.leg(l).ratio, spec.leg(l).ratio});
        prices.push_back(leg.price);
        // No trade-through: within the leg's own best bid and offer.
        const core::TopOfBook& top = recorded.tops[l];
        if (top.bid.has_value()) ASSERT_GE(leg.price, top.bid->price) << "below the best bid";
        if (top.ask.has_value()) ASSERT_LE(leg.price, top.ask->price) << "above the best offer";
        if (!execution.resting.has_value()) {
          // A leg-in takes the best price of the side it trades against.
          const bool buys = (leg.side == Side::kBuy) == (execution.incoming.side == Side::kBuy);
          const auto& taken = buys ? top.ask : top.bid;
          ASSERT_TRUE(taken.has_value());
          ASSERT_EQ(leg.price, taken->price);
          ASSERT_LE(leg.quantity, taken->quantity);
          expected_leg_trades[{leg.instrument, leg.price}] += leg.quantity.value();
        } else {
          ASSERT_TRUE(top.bid.has_value() && top.ask.has_value());
        }
      }
      // The legs reproduce the net price exactly.
      ASSERT_EQ(NetPrice(legs, prices), execution.net_price);
      CheckLimit(execution.incoming, execution.net_price);
      if (execution.resting.has_value()) {
        CheckLimit(*execution.resting, execution.net_price);
        ASSERT_NE(execution.incoming.side, execution.resting->side);
        ASSERT_NE(execution.incoming.owner, execution.resting->owner);
      }
    }
    // The leg orders of the leg-ins traded exactly the executions' legs.
    std::map<std::pair<InstrumentId, Price>, int64_t> actual_leg_trades;
    for (size_t i = leg_trades_seen_; i < h().leg_trades.size(); ++i) {
      const RecordedLegTrade& trade = h().leg_trades[i];
      if (trade.trade.incoming_tag != 0) continue;
      actual_leg_trades[{trade.instrument, trade.trade.price}] += trade.trade.quantity.value();
    }
    ASSERT_EQ(actual_leg_trades, expected_leg_trades);
    for (uint32_t instrument = 1; instrument <= 4; ++instrument) {
      const core::TopOfBook top = h().leg(InstrumentId(instrument)).Top();
      if (top.bid.has_value() && top.ask.has_value()) ASSERT_LT(top.bid->price, top.ask->price);
    }
    for (const auto& [id, spec] : specs_) {
      auto published = h().tops.find(id);
      const core::TopOfBook top = h().complex().Top(id);
      if (published == h().tops.end()) {
        ASSERT_TRUE(top.empty());
      } else {
        ASSERT_EQ(published->second, top);
      }
    }
    CheckNothingLeftToLegIn();
  }

  // An active resting order whose limit reaches the synthetic high with a whole unit at every
  // leg's best price should have traded.
  void CheckNothingLeftToLegIn() {
    Prune();
    for (uint64_t tag : live_) {
      const std::optional<ComplexOrderView> view = h().complex().Find(tag);
      if (!view.has_value() || view->exposed || view->condition == FillCondition::kAllOrNone) {
        continue;
      }
      const std::optional<SyntheticRange> range = h().complex().Range(view->combo);
      if (!range.has_value()) continue;  // a leg is halted
      const SyntheticRange frame = InFrame(*range, view->side);
      const Price limit = InFrame(view->limit_price, view->side);
      if (!frame.has_high || frame.high > limit || !ReachesLow(limit, frame)) continue;
      const core::ComboSpec& spec = specs_.at(view->combo);
      int64_t units = INT64_MAX;
      for (const core::ComboLeg& leg : spec.legs()) {
        const bool buys = (leg.side == Side::kBuy) == (view->side == Side::kBuy);
        const auto best = h().leg(leg.instrument).Best(buys ? Side::kSell : Side::kBuy);
        units = std::min(units, best.has_value() ? best->quantity.value() / leg.ratio : 0);
      }
      ASSERT_EQ(units, 0) << "complex order " << tag << " could still leg in";
    }
  }

  core::Rng rng_;
  Price buffer_;
  std::unique_ptr<ComplexHarness> harness_;
  std::map<core::ComboId, core::ComboSpec> specs_;
  std::vector<std::pair<InstrumentId, OrderHandle>> leg_orders_;
  std::set<uint64_t> live_;
  std::map<uint64_t, Price> replaced_prices_;
  uint64_t next_tag_ = 1;
  size_t executions_seen_ = 0;
  size_t leg_trades_seen_ = 0;
};

TEST(COMBO_COMPLEX_RANDOM_SUITE, InvariantsHoldAfterEveryOperationSeed001Allocation) {
  RandomComplexRun run(20261121, AllocationRule::kSeed001Options, Cents(2));
  run.Run(COMBO_COMPLEX_RANDOM_OPERATIONS);
  // The mix must actually trade both ways, or the invariants prove nothing.
  EXPECT_GT(run.leg_ins(), 100);
  EXPECT_GT(run.executions() - run.leg_ins(), 100);
}

TEST(COMBO_COMPLEX_RANDOM_SUITE, InvariantsHoldAfterEveryOperationPriceTime) {
  RandomComplexRun run(7, AllocationRule::kPriceTime, Price::Zero());
  run.Run(COMBO_COMPLEX_RANDOM_OPERATIONS);
  EXPECT_GT(run.leg_ins(), 100);
  EXPECT_GT(run.executions() - run.leg_ins(), 100);
}

}  // namespace
}  // namespace combo::venues
