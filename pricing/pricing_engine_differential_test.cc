// The engine's incremental re-price (an implied price moved in place by a leg's price change,
// the implied size re-derived only when the leg limited it) gives exactly the ticks of pricing
// every combo from scratch: a reference model re-prices every tracked combo from all its legs
// after every random update (ImpliedQuote by catalog look-ups, the best native level across
// venues, Combine) and must agree with the engine's ticks, implied quotes and notifications.
#include <map>
#include <utility>
#include <vector>

#include "core/random.h"
#include "gtest/gtest.h"
#include "pricing/pricing_engine.h"
#include "pricing/test_market.h"

namespace combo::pricing {
namespace {

using core::ComboId;
using core::InstrumentId;
using core::Price;
using core::PriceLevel;
using core::Quantity;
using core::Side;
using core::VenueId;

class RecordingListener : public ComboTickListener {
 public:
  void OnComboTick(ComboId combo, const SmartComboTick& tick) override {
    ticks.emplace_back(combo, tick);
  }
  std::vector<std::pair<ComboId, SmartComboTick>> ticks;
};

// Options (multiplier 100), the stock (1) and futures of multipliers 50, 20 and 2500, so that
// combos get weights other than 1.
const InstrumentId kPool[] = {testing::kC440,   testing::kC450,  testing::kC460,  testing::kC470,
                              testing::kP440,   testing::kP450,  testing::kP460,  testing::kC450Mar,
                              testing::kSpy,    testing::kEsDec, testing::kEsMar, testing::kFut20,
                              testing::kFut2500};
constexpr uint32_t kVenueCount = 3;

// How large the random prices are: kCents draws prices of a few dollars; kHuge draws raw prices
// near the 64-bit limit, so that implied sums overflow (an empty side) or nearly do.
enum class PriceScale { kCents, kHuge };

class DifferentialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = *PricingEngine::Create(catalog_, combos_,
                                     PricingConfig{{VenueId(1), VenueId(2), VenueId(3)}, {}, {}});
    engine_->Subscribe(&listener_);
  }

  ComboId RandomCombo() {
    std::vector<core::ComboLeg> legs;
    const int64_t count = rng_.UniformInt(2, 4);
    while (static_cast<int64_t>(legs.size()) < count) {
      const InstrumentId id = kPool[rng_.UniformInt(0, std::size(kPool) - 1)];
      bool seen = false;
      for (const core::ComboLeg& leg : legs) seen = seen || leg.instrument == id;
      if (seen) continue;
      const int64_t ratio =
          id == testing::kSpy ? 50 * rng_.UniformInt(1, 3) : rng_.UniformInt(1, 3);
      legs.push_back(core::ComboLeg{id, ratio, rng_.Bernoulli(0.5) ? Side::kBuy : Side::kSell});
    }
    return *combos_.Intern(core::Canonicalize(*core::ComboSpec::Create(std::move(legs))).spec);
  }

  Price RandomPrice(PriceScale scale, int64_t lo_cents, int64_t hi_cents) {
    if (scale == PriceScale::kHuge) {
      // Multiples of 2^58: a few of them times weights up to 5 overflow 64 bits.
      return Price::FromRaw(rng_.UniformInt(lo_cents, hi_cents) * (int64_t{1} << 58) / 4);
    }
    return Price::FromRaw(rng_.UniformInt(lo_cents, hi_cents) * 10'000'000);
  }

  std::optional<PriceLevel> RandomLevel(PriceScale scale, int64_t lo_cents, int64_t hi_cents) {
    if (rng_.Bernoulli(0.15)) return std::nullopt;
    return PriceLevel{RandomPrice(scale, lo_cents, hi_cents), Quantity(rng_.UniformInt(1, 6))};
  }

  // A venue's new top of book for a leg; the ask is never below the bid.
  core::TopOfBook RandomTop(PriceScale scale) {
    core::TopOfBook top;
    top.bid = RandomLevel(scale, 1, 12);
    top.ask = RandomLevel(scale, 1, 12);
    if (top.bid.has_value() && top.ask.has_value() && top.ask->price < top.bid->price) {
      std::swap(top.bid->price, top.ask->price);
    }
    return top;
  }

  absl::Status RandomLegUpdate(PriceScale scale) {
    core::LegBookUpdate u;
    u.venue = VenueId(static_cast<uint32_t>(rng_.UniformInt(1, kVenueCount)));
    u.instrument = kPool[rng_.UniformInt(0, std::size(kPool) - 1)];
    u.sequence = ++sequence_;
    u.top = RandomTop(scale);
    // The level change carried: the new top's bid (or ask), or the removal of an old level.
    if (u.top.bid.has_value()) {
      u.side = Side::kBuy;
      u.price = u.top.bid->price;
      u.quantity = u.top.bid->quantity;
    } else if (u.top.ask.has_value()) {
      u.side = Side::kSell;
      u.price = u.top.ask->price;
      u.quantity = u.top.ask->quantity;
    } else {
      u.side = Side::kBuy;
      u.price = RandomPrice(scale, 1, 12);
      u.quantity = Quantity(0);
    }
    return engine_->OnLegBookUpdate(u);
  }

  absl::Status RandomSnapshot(PriceScale scale) {
    core::Depth depth;
    const core::TopOfBook top = RandomTop(scale);
    // Deeper levels one step worse each.
    const int64_t step = scale == PriceScale::kHuge ? (int64_t{1} << 58) / 4 : 10'000'000;
    if (top.bid.has_value()) {
      for (int64_t i = 0; i < rng_.UniformInt(1, 3); ++i) {
        depth.bids.push_back(PriceLevel{Price::FromRaw(top.bid->price.raw() - i * step),
                                        Quantity(rng_.UniformInt(1, 6))});
      }
    }
    if (top.ask.has_value()) {
      for (int64_t i = 0; i < rng_.UniformInt(1, 3); ++i) {
        depth.asks.push_back(PriceLevel{Price::FromRaw(top.ask->price.raw() + i * step),
                                        Quantity(rng_.UniformInt(1, 6))});
      }
    }
    return engine_->ResetLegBook(VenueId(static_cast<uint32_t>(rng_.UniformInt(1, kVenueCount))),
                                 kPool[rng_.UniformInt(0, std::size(kPool) - 1)], ++sequence_,
                                 depth);
  }

  absl::Status RandomNative() {
    core::NativeComboUpdate u;
    u.venue = VenueId(static_cast<uint32_t>(rng_.UniformInt(1, kVenueCount)));
    u.combo = tracked_[rng_.UniformInt(0, static_cast<int64_t>(tracked_.size()) - 1)];
    u.sequence = ++sequence_;
    // Combo prices of these legs fall within about +-$30: natives win, tie and lose.
    u.top.bid = RandomLevel(PriceScale::kCents, -3000, 3000);
    u.top.ask = RandomLevel(PriceScale::kCents, -3000, 3000);
    if (u.top.bid.has_value() && u.top.ask.has_value() && u.top.ask->price < u.top.bid->price) {
      std::swap(u.top.bid->price, u.top.ask->price);
    }
    absl::Status status = engine_->OnNativeComboUpdate(u);
    if (status.ok()) native_[{u.combo, u.venue.value()}] = u.top;
    return status;
  }

  // What the engine's tick for `combo` must be: every part priced from scratch.
  SmartComboTick Reference(ComboId combo) const {
    SmartComboTick native;
    for (uint32_t venue = 1; venue <= kVenueCount; ++venue) {
      const auto it = native_.find({combo, venue});
      if (it == native_.end()) continue;
      const core::TopOfBook& top = it->second;
      if (top.bid.has_value()) {
        native.bid = BestOf(
            Side::kBuy, native.bid,
            SourcedLevel{top.bid->price, top.bid->quantity, PriceSource::kNative, VenueId(venue)});
      }
      if (top.ask.has_value()) {
        native.ask = BestOf(
            Side::kSell, native.ask,
            SourcedLevel{top.ask->price, top.ask->quantity, PriceSource::kNative, VenueId(venue)});
      }
    }
    return Combine(native, ImpliedQuote(**engine_->Terms(combo), engine_->legs()));
  }

  // Checks the engine against the reference after one update: the notifications are exactly the
  // combos whose reference tick changed, in tracking order, with the new ticks.
  void ExpectAgreement(int step) {
    std::vector<std::pair<ComboId, SmartComboTick>> expected;
    for (ComboId combo : tracked_) {
      const SmartComboTick tick = Reference(combo);
      ASSERT_NE(engine_->Tick(combo), nullptr);
      ASSERT_EQ(*engine_->Tick(combo), tick) << "step " << step << " combo " << combo;
      ASSERT_EQ(*engine_->Implied(combo), ImpliedQuote(**engine_->Terms(combo), engine_->legs()))
          << "step " << step << " combo " << combo;
      if (tick != last_[combo]) expected.emplace_back(combo, tick);
      last_[combo] = tick;
    }
    ASSERT_EQ(listener_.ticks, expected) << "step " << step;
    listener_.ticks.clear();
  }

  void Track(ComboId combo) {
    if (engine_->Tick(combo) != nullptr) return;
    ASSERT_TRUE(engine_->Track(combo).ok());
    tracked_.push_back(combo);
    // Tracking publishes the first tick unless it is empty.
    const SmartComboTick first = Reference(combo);
    if (first == SmartComboTick{}) {
      EXPECT_TRUE(listener_.ticks.empty());
    } else {
      ASSERT_EQ(listener_.ticks.size(), 1u);
      EXPECT_EQ(listener_.ticks[0], std::make_pair(combo, first));
    }
    listener_.ticks.clear();
    last_[combo] = first;
  }

  // `steps` random updates: mostly leg quotes, some snapshots, native quotes and new combos.
  void Run(int steps, PriceScale scale) {
    for (int step = 0; step < steps; ++step) {
      const int64_t kind = rng_.UniformInt(0, 99);
      absl::Status status;
      if (kind < 80) {
        status = RandomLegUpdate(scale);
      } else if (kind < 88) {
        status = RandomSnapshot(scale);
      } else if (kind < 97) {
        status = RandomNative();
      } else {
        ASSERT_NO_FATAL_FAILURE(Track(RandomCombo()));
        continue;
      }
      ASSERT_TRUE(status.ok()) << "step " << step << ": " << status;
      ASSERT_NO_FATAL_FAILURE(ExpectAgreement(step));
    }
  }

  core::InstrumentCatalog catalog_ = testing::MakeCatalog();
  core::ComboCatalog combos_;
  std::unique_ptr<PricingEngine> engine_;
  RecordingListener listener_;
  core::Rng rng_{20261207};
  uint64_t sequence_ = 0;
  std::vector<ComboId> tracked_;
  std::map<ComboId, SmartComboTick> last_;
  std::map<std::pair<ComboId, uint32_t>, core::TopOfBook> native_;
};

TEST_F(DifferentialTest, IncrementalRepriceGivesTheTicksOfAFullRecompute) {
  for (int i = 0; i < 60; ++i) ASSERT_NO_FATAL_FAILURE(Track(RandomCombo()));
  ASSERT_NO_FATAL_FAILURE(Run(20'000, PriceScale::kCents));
}

// Prices near the 64-bit limit: sums overflow (the side is empty) and moving a price in place
// could overflow, so the engine must re-price such combos from all their legs.
TEST_F(DifferentialTest, PricesNearTheLimitRepriceFromAllLegsLikeAFullRecompute) {
  for (int i = 0; i < 40; ++i) ASSERT_NO_FATAL_FAILURE(Track(RandomCombo()));
  ASSERT_NO_FATAL_FAILURE(Run(2'000, PriceScale::kCents));
  ASSERT_NO_FATAL_FAILURE(Run(3'000, PriceScale::kHuge));
  ASSERT_NO_FATAL_FAILURE(Run(2'000, PriceScale::kCents));
}

}  // namespace
}  // namespace combo::pricing
