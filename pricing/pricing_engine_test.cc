#include "pricing/pricing_engine.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "pricing/test_market.h"

namespace combo::pricing {
namespace {

using core::ComboId;
using core::PriceLevel;
using core::Quantity;
using core::Side;
using core::VenueId;
using testing::P;
using testing::Quote;
using testing::Spec;

class RecordingListener : public ComboTickListener {
 public:
  void OnComboTick(ComboId combo, const SmartComboTick& tick) override {
    ticks.emplace_back(combo, tick);
  }
  int CountFor(ComboId combo) const {
    int n = 0;
    for (const auto& [id, tick] : ticks) n += id == combo ? 1 : 0;
    return n;
  }
  std::vector<std::pair<ComboId, SmartComboTick>> ticks;
};

SourcedLevel Implied(std::string_view price, int64_t size) {
  return SourcedLevel{P(price), Quantity(size), PriceSource::kImplied, VenueId()};
}
SourcedLevel Native(uint32_t venue, std::string_view price, int64_t size) {
  return SourcedLevel{P(price), Quantity(size), PriceSource::kNative, VenueId(venue)};
}

class PricingEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    vertical_ = Intern({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 1, Side::kSell}});
    butterfly_ = Intern({{testing::kC450, 1, Side::kBuy},
                         {testing::kC460, 2, Side::kSell},
                         {testing::kC470, 1, Side::kBuy}});
    calendar_ = Intern({{testing::kEsDec, 1, Side::kBuy}, {testing::kEsMar, 1, Side::kSell}});
    engine_ = *PricingEngine::Create(catalog_, combos_,
                                     PricingConfig{{VenueId(1), VenueId(2), VenueId(3)}, {}, {}});
    engine_->Subscribe(&listener_);
    for (ComboId id : {vertical_, butterfly_, calendar_}) ASSERT_TRUE(engine_->Track(id).ok());
  }

  ComboId Intern(std::initializer_list<core::ComboLeg> legs) {
    return *combos_.Intern(core::Canonicalize(Spec(legs)).spec);
  }

  absl::Status Leg(uint32_t venue, core::InstrumentId instrument, std::string_view bid,
                   int64_t bid_size, std::string_view ask, int64_t ask_size) {
    return engine_->OnLegBookUpdate(
        Quote(venue, instrument, ++sequence_, bid, bid_size, ask, ask_size));
  }

  absl::Status NativeQuote(uint32_t venue, ComboId combo, std::string_view bid, int64_t bid_size,
                           std::string_view ask, int64_t ask_size) {
    core::NativeComboUpdate u;
    u.venue = VenueId(venue);
    u.combo = combo;
    u.sequence = ++sequence_;
    if (!bid.empty()) u.top.bid = PriceLevel{P(bid), Quantity(bid_size)};
    if (!ask.empty()) u.top.ask = PriceLevel{P(ask), Quantity(ask_size)};
    return engine_->OnNativeComboUpdate(u);
  }

  void QuoteVerticalLegs() {
    ASSERT_TRUE(Leg(1, testing::kC450, "5.00", 10, "5.20", 20).ok());
    ASSERT_TRUE(Leg(1, testing::kC460, "2.00", 30, "2.10", 5).ok());
  }

  const core::InstrumentCatalog catalog_ = testing::MakeCatalog();
  core::ComboCatalog combos_;
  ComboId vertical_, butterfly_, calendar_;
  std::unique_ptr<PricingEngine> engine_;
  RecordingListener listener_;
  uint64_t sequence_ = 0;
};

TEST_F(PricingEngineTest, ImpliedIsTheTickWhenNoVenueTradesTheComboNatively) {
  QuoteVerticalLegs();
  const SmartComboTick* tick = engine_->Tick(vertical_);
  ASSERT_NE(tick, nullptr);
  EXPECT_EQ(tick->ask, Implied("3.20", 20));
  EXPECT_EQ(tick->bid, Implied("2.90", 5));
  EXPECT_EQ(listener_.ticks.back(), std::make_pair(vertical_, *tick));
}

TEST_F(PricingEngineTest, BetterNativePriceWinsAndNamesItsVenue) {
  QuoteVerticalLegs();
  ASSERT_TRUE(NativeQuote(2, vertical_, "2.95", 3, "3.25", 4).ok());
  const SmartComboTick* tick = engine_->Tick(vertical_);
  // Native bid 2.95 beats implied 2.90; implied ask 3.20 beats native 3.25.
  EXPECT_EQ(tick->bid, Native(2, "2.95", 3));
  EXPECT_EQ(tick->ask, Implied("3.20", 20));
  EXPECT_EQ(engine_->BestNative(vertical_)->ask, Native(2, "3.25", 4));
}

// Seed 003 R9: at an equal price the native venue is the source, even with less size, because
// the router rests natively when a native venue is at the best price.
TEST_F(PricingEngineTest, NativeWinsATieWithImplied) {
  QuoteVerticalLegs();
  ASSERT_TRUE(NativeQuote(3, vertical_, "2.90", 1, "3.20", 1).ok());
  const SmartComboTick* tick = engine_->Tick(vertical_);
  EXPECT_EQ(tick->bid, Native(3, "2.90", 1));
  EXPECT_EQ(tick->ask, Native(3, "3.20", 1));
}

// Seed 001 R17 published (NativeComboUpdate::legs_implied): what a venue fills by legging an
// arriving complex order into its own leg books is native liquidity at that venue. Venue 1 holds
// the best of both legs, so its legs-implied 2.90 / 3.20 ties the implied market and wins it:
// the router sends the combo there, where it fills atomically, not by its own leg-in.
TEST_F(PricingEngineTest, VenueLegsImpliedTopIsNativeAndWinsATieWithImplied) {
  QuoteVerticalLegs();
  core::NativeComboUpdate u;
  u.venue = VenueId(1);
  u.combo = vertical_;
  u.sequence = ++sequence_;
  u.top.ask = PriceLevel{P("3.40"), Quantity(7)};  // a resting complex offer, worse
  u.legs_implied.bid = PriceLevel{P("2.90"), Quantity(5)};
  u.legs_implied.ask = PriceLevel{P("3.20"), Quantity(5)};
  ASSERT_TRUE(engine_->OnNativeComboUpdate(u).ok());
  const SmartComboTick* tick = engine_->Tick(vertical_);
  SourcedLevel legs_ask = Native(1, "3.20", 5);
  legs_ask.native_source = NativeSource::kVenueLegs;
  SourcedLevel legs_bid = Native(1, "2.90", 5);
  legs_bid.native_source = NativeSource::kVenueLegs;
  EXPECT_EQ(tick->ask, legs_ask);
  EXPECT_EQ(tick->bid, legs_bid);
  EXPECT_EQ(listener_.ticks.back().second, *tick);
  // A resting complex offer at the legs' price adds its size: an arriving buy meets it first,
  // then legs in.
  u.sequence = ++sequence_;
  u.top.ask = PriceLevel{P("3.20"), Quantity(7)};
  ASSERT_TRUE(engine_->OnNativeComboUpdate(u).ok());
  SourcedLevel both = Native(1, "3.20", 12);
  both.native_source = NativeSource::kComplexOrdersAndVenueLegs;
  EXPECT_EQ(engine_->Tick(vertical_)->ask, both);
  // A better resting offer is the venue's level on its own.
  u.sequence = ++sequence_;
  u.top.ask = PriceLevel{P("3.15"), Quantity(2)};
  ASSERT_TRUE(engine_->OnNativeComboUpdate(u).ok());
  EXPECT_EQ(engine_->Tick(vertical_)->ask, Native(1, "3.15", 2));
  // A crossed legs-implied top is bad input and changes nothing.
  u.sequence = ++sequence_;
  u.legs_implied.bid = PriceLevel{P("3.30"), Quantity(5)};
  const absl::Status crossed = engine_->OnNativeComboUpdate(u);
  EXPECT_FALSE(crossed.ok());
  EXPECT_NE(crossed.message().find("native legs-implied book is crossed"), std::string::npos)
      << crossed;
  EXPECT_EQ(engine_->Tick(vertical_)->ask, Native(1, "3.15", 2));
}

// Fee-aware pricing counts the venue's taker fee on every leg of a leg-in there, as it does for
// the implied market: 0.50 per contract of multiplier 100 is 0.005 a leg, so venue 1's
// legs-implied 2.90 / 3.20 is 2.89 / 3.21 net, which still ties the implied market's net prices.
TEST_F(PricingEngineTest, FeeAwareVenueLegsImpliedTopIsNetOfTheVenuesTakerFees) {
  VenueFees fees;
  ASSERT_TRUE(fees.Set(VenueId(1), core::AssetClass::kOption, {P("0.50"), P("0.50")}).ok());
  engine_ = *PricingEngine::Create(
      catalog_, combos_, PricingConfig{{VenueId(1), VenueId(2)}, FeeMode::kNetOfTakerFees, fees});
  ASSERT_TRUE(engine_->Track(vertical_).ok());
  QuoteVerticalLegs();
  core::NativeComboUpdate u;
  u.venue = VenueId(1);
  u.combo = vertical_;
  u.sequence = ++sequence_;
  u.legs_implied.bid = PriceLevel{P("2.90"), Quantity(5)};
  u.legs_implied.ask = PriceLevel{P("3.20"), Quantity(5)};
  ASSERT_TRUE(engine_->OnNativeComboUpdate(u).ok());
  EXPECT_EQ(engine_->Implied(vertical_)->ask->price, P("3.21"));
  SourcedLevel ask = Native(1, "3.21", 5);
  ask.native_source = NativeSource::kVenueLegs;
  SourcedLevel bid = Native(1, "2.89", 5);
  bid.native_source = NativeSource::kVenueLegs;
  EXPECT_EQ(engine_->Tick(vertical_)->ask, ask);
  EXPECT_EQ(engine_->Tick(vertical_)->bid, bid);
}

TEST_F(PricingEngineTest, EqualNativePricesTieBreakLargerSizeThenLowerVenue) {
  ASSERT_TRUE(NativeQuote(3, vertical_, "3.00", 5, "3.30", 5).ok());
  ASSERT_TRUE(NativeQuote(2, vertical_, "3.00", 5, "3.30", 7).ok());
  const SmartComboTick* tick = engine_->Tick(vertical_);
  EXPECT_EQ(tick->bid, Native(2, "3.00", 5));  // equal sizes: lower venue id
  EXPECT_EQ(tick->ask, Native(2, "3.30", 7));  // larger size
}

TEST_F(PricingEngineTest, SubscribersHearOnlyWhenTheTickChanges) {
  QuoteVerticalLegs();
  const size_t before = listener_.ticks.size();
  // Venue 2 quotes C450 behind venue 1: the consolidated quote does not move.
  ASSERT_TRUE(Leg(2, testing::kC450, "4.90", 10, "5.30", 20).ok());
  EXPECT_EQ(listener_.ticks.size(), before);
  // A native market better on both sides: the tick changes once.
  ASSERT_TRUE(NativeQuote(1, vertical_, "3.00", 2, "3.10", 2).ok());
  EXPECT_EQ(listener_.ticks.size(), before + 1);
  // The implied market moves but stays worse than the native one: no tick change.
  ASSERT_TRUE(Leg(1, testing::kC450, "5.00", 10, "5.25", 20).ok());
  EXPECT_EQ(listener_.ticks.size(), before + 1);
  EXPECT_EQ(engine_->Implied(vertical_)->ask, (PriceLevel{P("3.25"), Quantity(20)}));
  // A same-price size change on the source is a change.
  ASSERT_TRUE(NativeQuote(1, vertical_, "3.00", 9, "3.10", 2).ok());
  EXPECT_EQ(listener_.ticks.size(), before + 2);
  EXPECT_EQ(listener_.ticks.back().second.bid, Native(1, "3.00", 9));
}

TEST_F(PricingEngineTest, LegUpdateTouchesOnlyCombosHoldingThatLeg) {
  QuoteVerticalLegs();
  ASSERT_TRUE(Leg(1, testing::kC470, "0.80", 8, "0.90", 12).ok());
  ASSERT_TRUE(Leg(1, testing::kEsDec, "4500.00", 10, "4500.25", 12).ok());
  ASSERT_TRUE(Leg(1, testing::kEsMar, "4550.50", 7, "4550.75", 9).ok());
  listener_.ticks.clear();
  // C470 is only in the butterfly.
  ASSERT_TRUE(Leg(1, testing::kC470, "0.85", 8, "0.90", 12).ok());
  EXPECT_EQ(listener_.CountFor(butterfly_), 1);
  EXPECT_EQ(listener_.CountFor(vertical_), 0);
  EXPECT_EQ(listener_.CountFor(calendar_), 0);
  // C460 is in the vertical and the butterfly.
  ASSERT_TRUE(Leg(1, testing::kC460, "2.05", 30, "2.10", 5).ok());
  EXPECT_EQ(listener_.CountFor(butterfly_), 2);
  EXPECT_EQ(listener_.CountFor(vertical_), 1);
  EXPECT_EQ(listener_.CountFor(calendar_), 0);
  // Butterfly: ask = 5.20 - 2 x 2.05 + 0.90 = 2.00; bid = 5.00 - 2 x 2.10 + 0.85 = 1.65.
  EXPECT_EQ(engine_->Tick(butterfly_)->ask, Implied("2.00", 12));
  EXPECT_EQ(engine_->Tick(butterfly_)->bid, Implied("1.65", 2));
}

// The calendar interned as +ESZ6 -ESH7 (canonical: first leg bought); its implied prices are the
// negatives of the client's sell-near/buy-far calendar.
TEST_F(PricingEngineTest, CanonicalCalendarPricesFromItsOwnLegs) {
  ASSERT_TRUE(Leg(1, testing::kEsDec, "4500.00", 10, "4500.25", 12).ok());
  ASSERT_TRUE(Leg(1, testing::kEsMar, "4550.50", 7, "4550.75", 9).ok());
  // ask = 4500.25 - 4550.50 = -50.25 (size min(12, 7)); bid = 4500.00 - 4550.75 = -50.75.
  EXPECT_EQ(engine_->Tick(calendar_)->ask, Implied("-50.25", 7));
  EXPECT_EQ(engine_->Tick(calendar_)->bid, Implied("-50.75", 9));
}

TEST_F(PricingEngineTest, LegLosingItsQuoteRemovesTheImpliedSide) {
  QuoteVerticalLegs();
  ASSERT_TRUE(Leg(1, testing::kC460, "", 0, "2.10", 5).ok());
  const SmartComboTick* tick = engine_->Tick(vertical_);
  EXPECT_FALSE(tick->ask.has_value());
  EXPECT_EQ(tick->bid, Implied("2.90", 5));
  EXPECT_EQ(listener_.ticks.back().second, *tick);
}

TEST_F(PricingEngineTest, TrackingAComboWithQuotedLegsPublishesItsFirstTick) {
  QuoteVerticalLegs();
  const ComboId ratio = Intern({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 2, Side::kSell}});
  listener_.ticks.clear();
  ASSERT_TRUE(engine_->Track(ratio).ok());
  ASSERT_EQ(listener_.ticks.size(), 1u);
  EXPECT_EQ(listener_.ticks[0].second.ask, Implied("1.20", 15));
  // Tracking again is a no-op.
  ASSERT_TRUE(engine_->Track(ratio).ok());
  EXPECT_EQ(listener_.ticks.size(), 1u);
}

TEST_F(PricingEngineTest, NativeUpdateForAnUntrackedCatalogComboStartsTrackingIt) {
  const ComboId straddle =
      Intern({{testing::kC450, 1, Side::kBuy}, {testing::kP450, 1, Side::kBuy}});
  EXPECT_EQ(engine_->Tick(straddle), nullptr);
  ASSERT_TRUE(NativeQuote(1, straddle, "9.80", 3, "10.00", 4).ok());
  ASSERT_NE(engine_->Tick(straddle), nullptr);
  EXPECT_EQ(engine_->Tick(straddle)->ask, Native(1, "10.00", 4));
}

TEST_F(PricingEngineTest, BadInputIsRefusedAndChangesNothing) {
  QuoteVerticalLegs();
  ASSERT_TRUE(NativeQuote(1, vertical_, "3.00", 2, "3.10", 2).ok());
  const SmartComboTick before = *engine_->Tick(vertical_);
  const size_t heard = listener_.ticks.size();

  EXPECT_EQ(engine_->Track(ComboId(99)).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(NativeQuote(1, ComboId(99), "1", 1, "2", 1).code(), absl::StatusCode::kNotFound);
  absl::Status s = NativeQuote(9, vertical_, "3.00", 2, "3.10", 2);
  EXPECT_NE(s.message().find("venue 9 is not one the router may use"), std::string::npos) << s;
  s = NativeQuote(1, vertical_, "3.20", 2, "3.10", 2);
  EXPECT_NE(s.message().find("native book is crossed"), std::string::npos) << s;
  s = NativeQuote(1, vertical_, "3.05", 0, "3.10", 2);
  EXPECT_NE(s.message().find("native bid has size 0"), std::string::npos) << s;
  core::NativeComboUpdate stale;
  stale.venue = VenueId(1);
  stale.combo = vertical_;
  stale.sequence = 1;
  s = engine_->OnNativeComboUpdate(stale);
  EXPECT_NE(s.message().find("stale or duplicate"), std::string::npos) << s;
  s = engine_->OnLegBookUpdate(Quote(1, testing::kC450, 1, "5.10", 10, "5.20", 20));
  EXPECT_NE(s.message().find("stale or duplicate"), std::string::npos) << s;

  EXPECT_EQ(*engine_->Tick(vertical_), before);
  EXPECT_EQ(listener_.ticks.size(), heard);
}

TEST_F(PricingEngineTest, UnsubscribedListenerHearsNothing) {
  engine_->Unsubscribe(&listener_);
  QuoteVerticalLegs();
  EXPECT_TRUE(listener_.ticks.empty());
  EXPECT_TRUE(engine_->Tick(vertical_)->ask.has_value());
}

TEST_F(PricingEngineTest, DepthAwarePlanOfATrackedCombo) {
  QuoteVerticalLegs();
  ASSERT_TRUE(Leg(2, testing::kC450, "4.90", 10, "5.20", 20).ok());
  const absl::StatusOr<ImpliedFill> fill =
      engine_->ImpliedForQuantity(vertical_, Side::kBuy, Quantity(30));
  ASSERT_TRUE(fill.ok()) << fill.status();
  EXPECT_EQ(fill->price, P("3.20"));
  // 20 and 20 at 5.20: venue 1 (lower id) first.
  EXPECT_EQ(fill->legs[0].allocations[0].venue, VenueId(1));
  EXPECT_EQ(fill->legs[0].allocations[0].quantity, Quantity(20));
  EXPECT_EQ(fill->legs[0].allocations[1].venue, VenueId(2));
  EXPECT_EQ(fill->legs[0].allocations[1].quantity, Quantity(10));
  EXPECT_EQ(engine_->ImpliedForQuantity(ComboId(99), Side::kBuy, Quantity(1)).status().code(),
            absl::StatusCode::kNotFound);
}

// A late join or resync installs a venue's whole book; the combos holding the leg re-price.
TEST_F(PricingEngineTest, LegBookSnapshotRepricesTheCombosHoldingTheLeg) {
  QuoteVerticalLegs();
  const size_t heard = listener_.ticks.size();
  ASSERT_TRUE(engine_
                  ->ResetLegBook(VenueId(2), testing::kC450, 1,
                                 core::Depth{{{P("5.05"), Quantity(4)}},
                                             {{P("5.15"), Quantity(6)}, {P("5.25"), Quantity(9)}}})
                  .ok());
  // ask = 5.15 - 2.00 = 3.15 (size min(6, 30)); bid = 5.05 - 2.10 = 2.95 (size min(4, 5)).
  EXPECT_EQ(engine_->Tick(vertical_)->ask, Implied("3.15", 6));
  EXPECT_EQ(engine_->Tick(vertical_)->bid, Implied("2.95", 4));
  // The vertical and the butterfly hold C450; the butterfly has no C470 quote, so no tick.
  EXPECT_EQ(listener_.ticks.size(), heard + 1);
  EXPECT_EQ(engine_->legs().VenueDepth(VenueId(2), testing::kC450).asks.size(), 2u);
  // A snapshot with a level of size zero is refused and changes nothing.
  const absl::Status s = engine_->ResetLegBook(VenueId(2), testing::kC450, 2,
                                               core::Depth{{{P("5.10"), Quantity(0)}}, {}});
  EXPECT_NE(s.message().find("bid level 0 has size 0"), std::string::npos) << s;
  EXPECT_EQ(engine_->Tick(vertical_)->bid, Implied("2.95", 4));
}

TEST(PricingEngineCreateTest, RefusesAnEmptyVenueList) {
  const core::InstrumentCatalog catalog = testing::MakeCatalog();
  core::ComboCatalog combos;
  EXPECT_EQ(PricingEngine::Create(catalog, combos, PricingConfig{}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace combo::pricing
