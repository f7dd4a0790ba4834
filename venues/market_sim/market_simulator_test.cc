#include "venues/market_sim/market_simulator.h"

#include <cmath>
#include <memory>
#include <optional>
#include <vector>

#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "venues/market_sim/sample_market.h"

namespace combo::venues::market_sim {
namespace {

using core::Duration;

struct SimRun {
  core::SimulatedTime time;
  std::unique_ptr<SampleMarket> market;
  MarketSimulator& sim() { return *market->simulator; }
};

std::unique_ptr<SimRun> StartRun(SampleMarketOptions options) {
  auto run = std::make_unique<SimRun>();
  absl::StatusOr<std::unique_ptr<SampleMarket>> market = BuildSampleMarket(options, &run->time);
  EXPECT_TRUE(market.ok()) << market.status();
  run->market = *std::move(market);
  EXPECT_TRUE(run->sim().Start().ok());
  return run;
}

uint64_t HashAfter(uint64_t seed, Duration length) {
  SampleMarketOptions options;
  options.seed = seed;
  options.jump_intensity = 2000;
  std::unique_ptr<SimRun> run = StartRun(options);
  run->time.AdvanceBy(length);
  EXPECT_GT(run->sim().stats().fills, 0);
  return run->sim().log().hash();
}

TEST(MarketSimulatorTest, SameSeedGivesTheSameEventLogHash) {
  const uint64_t first = HashAfter(17, Duration::Seconds(120));
  const uint64_t second = HashAfter(17, Duration::Seconds(120));
  EXPECT_EQ(first, second);
}

TEST(MarketSimulatorTest, DifferentSeedGivesADifferentEventLogHash) {
  EXPECT_NE(HashAfter(17, Duration::Seconds(30)), HashAfter(18, Duration::Seconds(30)));
}

TEST(MarketSimulatorTest, MakersQuoteAroundFairValueOnEveryVenue) {
  std::unique_ptr<SimRun> run = StartRun({});
  run->time.AdvanceBy(Duration::Seconds(10));
  for (core::VenueId venue : {SampleMarket::kAlpha, SampleMarket::kBeta, SampleMarket::kGamma}) {
    for (core::InstrumentId instrument : {SampleMarket::kStock, SampleMarket::kCall100,
                                          SampleMarket::kPut95, SampleMarket::kFuture}) {
      const core::TopOfBook top = run->market->venue(venue)->TopOfBook(instrument).value();
      ASSERT_TRUE(top.bid.has_value() && top.ask.has_value())
          << "venue " << venue << " instrument " << instrument;
      const double fair = *run->sim().FairValue(instrument);
      const double tick =
          run->market->instruments.Find(instrument)->tick_rule().FinestTick().ToDouble();
      // Quotes lag the fair value by at most a requote; allow a few ticks of drift.
      EXPECT_LT(top.bid->price.ToDouble(), fair + 3 * tick);
      EXPECT_GT(top.ask->price.ToDouble(), fair - 3 * tick);
      EXPECT_LT(top.bid->price, top.ask->price);
      EXPECT_LE(top.ask->price.ToDouble() - top.bid->price.ToDouble(), 16 * tick);
    }
  }
}

// A chain of hundreds of options moves with its underlying every step: a maker whose fair value
// moved less than a tick keeps its quote and sends nothing; a move of a tick or more requotes.
TEST(MarketSimulatorTest, AMakerMovesItsQuoteOnlyWhenFairValueMovesATick) {
  SampleMarketOptions options;
  options.volatility = 0;  // only the jumps below move the underlying
  options.taker_rate = 1e-9;
  std::unique_ptr<SimRun> run = StartRun(options);
  run->time.AdvanceBy(Duration::Seconds(1));
  auto tops = [&] {
    std::vector<core::TopOfBook> out;
    for (core::VenueId venue : {SampleMarket::kAlpha, SampleMarket::kBeta, SampleMarket::kGamma}) {
      out.push_back(run->market->venue(venue)->TopOfBook(SampleMarket::kStock).value());
      EXPECT_TRUE(out.back().bid.has_value() && out.back().ask.has_value());
    }
    return out;
  };
  auto jump = [&](double dollars) {
    ScriptedEvent event;
    event.kind = ScriptedEventKind::kPriceJump;
    event.underlying = "XYZ";
    event.log_return = std::log1p(dollars / *run->sim().UnderlyingPrice("XYZ"));
    ASSERT_TRUE(run->sim().Apply(event).ok());
  };
  // The stock's fair value is the underlying: a jump of a tenth of a tick leaves its quotes
  // (spread and all) at every venue.
  const std::vector<core::TopOfBook> before = tops();
  jump(0.001);
  run->time.AdvanceBy(Duration::Milliseconds(500));
  EXPECT_EQ(tops(), before);
  // A jump of two ticks moves them at every venue.
  jump(0.02);
  run->time.AdvanceBy(Duration::Milliseconds(500));
  const std::vector<core::TopOfBook> after = tops();
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_NE(after[i].bid->price, before[i].bid->price) << "venue " << i + 1;
    EXPECT_NE(after[i].ask->price, before[i].ask->price) << "venue " << i + 1;
  }
}

TEST(MarketSimulatorTest, AddListingsQuotesAnInstrumentListedWhileRunning) {
  std::unique_ptr<SimRun> run = StartRun({});
  run->time.AdvanceBy(Duration::Seconds(1));
  core::InstrumentDefinition d =
      run->market->instruments.Find(SampleMarket::kCall100)->definition();
  d.id = core::InstrumentId(99);
  d.symbol = "XYZ new call";
  d.option->strike = d.option->strike + core::Price::FromParts(2, 500'000'000);
  ASSERT_TRUE(run->market->instruments.Add(*core::Instrument::Create(d)).ok());
  SimulatedVenue* gamma = run->market->venue(SampleMarket::kGamma);
  ASSERT_TRUE(gamma->ListInstrument({d.id, d.tick_rule}).ok());
  EXPECT_EQ(gamma->ListInstrument({d.id, d.tick_rule}).code(), absl::StatusCode::kAlreadyExists);
  MarketMakerConfig maker;
  maker.venue = SampleMarket::kGamma;
  maker.instrument = d.id;
  maker.max_half_spread_ticks = 3;
  // A maker at a venue that does not list it is refused, and nothing is added.
  MarketMakerConfig unlisted = maker;
  unlisted.venue = SampleMarket::kAlpha;
  EXPECT_FALSE(run->sim().AddListings({maker, unlisted}, {}).ok());
  EXPECT_FALSE(run->sim().FairValue(d.id).has_value());
  size_t gamma_taker = 0;
  while (run->sim().config().takers[gamma_taker].venue != SampleMarket::kGamma) ++gamma_taker;
  ASSERT_TRUE(run->sim().AddListings({maker}, {{gamma_taker, d.id}}).ok());
  EXPECT_EQ(run->sim().config().takers[gamma_taker].instruments.back(), d.id);
  EXPECT_GT(*run->sim().FairValue(d.id), 0.0);
  run->time.AdvanceBy(Duration::Seconds(1));
  const core::TopOfBook top = gamma->TopOfBook(d.id).value();
  ASSERT_TRUE(top.bid.has_value() && top.ask.has_value());
  EXPECT_LT(top.bid->price.ToDouble(), *run->sim().FairValue(d.id));
  EXPECT_GT(top.ask->price.ToDouble(), *run->sim().FairValue(d.id));
}

TEST(MarketSimulatorTest, VenuesDifferInSpreadAndSize) {
  std::unique_ptr<SimRun> run = StartRun({});
  double spread_sum[4] = {0, 0, 0, 0};
  for (int i = 0; i < 200; ++i) {
    run->time.AdvanceBy(Duration::Milliseconds(250));
    for (core::VenueId venue : {SampleMarket::kAlpha, SampleMarket::kGamma}) {
      const core::TopOfBook top =
          run->market->venue(venue)->TopOfBook(SampleMarket::kStock).value();
      if (top.bid && top.ask) {
        spread_sum[venue.value()] += (top.ask->price - top.bid->price).ToDouble();
      }
    }
  }
  // ALPHA quotes 1-3 ticks each side, GAMMA 1-6: GAMMA is wider on average.
  EXPECT_LT(spread_sum[1], spread_sum[3]);
  const core::TopOfBook beta =
      run->market->venue(SampleMarket::kBeta)->TopOfBook(SampleMarket::kCall100).value();
  const core::TopOfBook alpha =
      run->market->venue(SampleMarket::kAlpha)->TopOfBook(SampleMarket::kCall100).value();
  ASSERT_TRUE(beta.bid.has_value() && alpha.bid.has_value());
  EXPECT_GT(beta.bid->quantity, alpha.bid->quantity);
}

TEST(MarketSimulatorTest, TakersTradeAndComplexQuotersRestNativeCombos) {
  std::unique_ptr<SimRun> run = StartRun({});
  run->time.AdvanceBy(Duration::Seconds(30));
  EXPECT_GT(run->sim().stats().fills, 10);
  EXPECT_GT(run->sim().stats().market_data_updates, 100);
  for (core::VenueId venue : {SampleMarket::kAlpha, SampleMarket::kBeta}) {
    const core::TopOfBook native =
        run->market->venue(venue)->NativeTopOfBook(run->market->call_spread).value();
    ASSERT_TRUE(native.bid.has_value() && native.ask.has_value()) << "venue " << venue;
    const double fair = *run->sim().FairNetPrice(run->market->call_spread);
    EXPECT_LT(native.bid->price.ToDouble(), fair + 0.05);
    EXPECT_GT(native.ask->price.ToDouble(), fair - 0.05);
    // The simulator heard the same native market.
    EXPECT_EQ(run->sim().LastNativeTop(venue, run->market->call_spread).bid.has_value(), true);
  }
}

// The implied ask of the call spread (buy the 100 call at the best offer, sell the 105 call at
// the best bid, across venues) against ALPHA's native offer, sampled through a run.
TEST(MarketSimulatorTest, ImpliedPriceBeatsTheNativeOneAtTimesAndLosesAtOthers) {
  SampleMarketOptions options;
  options.seed = 5;
  std::unique_ptr<SimRun> run = StartRun(options);
  int implied_better = 0;
  int native_better = 0;
  for (int i = 0; i < 600; ++i) {
    run->time.AdvanceBy(Duration::Milliseconds(100));
    std::optional<core::Price> best_ask;
    std::optional<core::Price> best_bid;
    for (const auto& venue : run->market->venues) {
      const core::TopOfBook buy = venue->TopOfBook(SampleMarket::kCall100).value();
      const core::TopOfBook sell = venue->TopOfBook(SampleMarket::kCall105).value();
      if (buy.ask && (!best_ask || buy.ask->price < *best_ask)) best_ask = buy.ask->price;
      if (sell.bid && (!best_bid || sell.bid->price > *best_bid)) best_bid = sell.bid->price;
    }
    const core::TopOfBook native =
        run->market->venue(SampleMarket::kAlpha)->NativeTopOfBook(run->market->call_spread).value();
    if (!best_ask || !best_bid || !native.ask) continue;
    const core::Price implied = *best_ask - *best_bid;
    if (implied < native.ask->price) ++implied_better;
    if (native.ask->price < implied) ++native_better;
  }
  EXPECT_GT(implied_better, 0);
  EXPECT_GT(native_better, 0);
}

TEST(MarketSimulatorTest, PulledQuotesLeaveTheBookAndComeBackWhenRestored) {
  SampleMarketOptions options;
  ScriptedEvent pull;
  pull.at = Duration::Seconds(5);
  pull.kind = ScriptedEventKind::kPullQuotes;
  pull.venue = SampleMarket::kBeta;
  pull.instrument = SampleMarket::kCall100;
  ScriptedEvent restore = pull;
  restore.at = Duration::Seconds(10);
  restore.kind = ScriptedEventKind::kRestoreQuotes;
  options.script = {pull, restore};
  options.taker_rate = 0.01;
  std::unique_ptr<SimRun> run = StartRun(options);
  SimulatedVenue* beta = run->market->venue(SampleMarket::kBeta);
  run->time.AdvanceBy(Duration::Seconds(4));
  EXPECT_FALSE(beta->TopOfBook(SampleMarket::kCall100).value().empty());
  run->time.AdvanceBy(Duration::Seconds(2));
  EXPECT_TRUE(beta->TopOfBook(SampleMarket::kCall100).value().empty());
  // Only that instrument was pulled.
  EXPECT_FALSE(beta->TopOfBook(SampleMarket::kCall105).value().empty());
  run->time.AdvanceBy(Duration::Seconds(6));
  EXPECT_FALSE(beta->TopOfBook(SampleMarket::kCall100).value().empty());
}

TEST(MarketSimulatorTest, HaltedVenueGoesQuietAndResumes) {
  SampleMarketOptions options;
  ScriptedEvent halt;
  halt.at = Duration::Seconds(5);
  halt.kind = ScriptedEventKind::kHaltVenue;
  halt.venue = SampleMarket::kAlpha;
  ScriptedEvent resume = halt;
  resume.at = Duration::Seconds(10);
  resume.kind = ScriptedEventKind::kResumeVenue;
  options.script = {halt, resume};
  std::unique_ptr<SimRun> run = StartRun(options);
  SimulatedVenue* alpha = run->market->venue(SampleMarket::kAlpha);
  run->time.AdvanceBy(Duration::Seconds(6));
  EXPECT_TRUE(run->sim().halted(SampleMarket::kAlpha));
  EXPECT_EQ(alpha->open_orders(), 0u);
  EXPECT_TRUE(alpha->NativeTopOfBook(run->market->call_spread).value().empty());
  // The other venues keep trading.
  EXPECT_FALSE(run->market->venue(SampleMarket::kBeta)->TopOfBook(SampleMarket::kStock)->empty());
  run->time.AdvanceBy(Duration::Seconds(6));
  EXPECT_FALSE(run->sim().halted(SampleMarket::kAlpha));
  EXPECT_GT(alpha->open_orders(), 0u);
}

// What a market-data subscriber of one venue hears of the venue's trading status.
class TradingStatusListener : public MarketDataListener {
 public:
  void OnLegBookUpdate(const core::LegBookUpdate& /*update*/) override {}
  void OnVenueTradingStatus(const VenueTradingStatusChanged& change) override {
    changes.push_back(change);
  }
  std::vector<VenueTradingStatusChanged> changes;
};

TEST(MarketSimulatorTest, ScriptedHaltReachesMarketDataListenersAsTheVenuesOwnEvent) {
  std::unique_ptr<SimRun> run = StartRun({});
  SimulatedVenue* alpha = run->market->venue(SampleMarket::kAlpha);
  TradingStatusListener listener;
  ASSERT_TRUE(alpha->Subscribe(&listener).ok());
  ScriptedEvent event;
  event.kind = ScriptedEventKind::kHaltVenue;
  event.venue = SampleMarket::kAlpha;
  ASSERT_TRUE(run->sim().Apply(event).ok());
  EXPECT_EQ(alpha->trading_status(), VenueTradingStatus::kHalted);
  run->time.AdvanceBy(Duration::Seconds(1));
  ASSERT_EQ(listener.changes.size(), 1u);
  EXPECT_EQ(listener.changes[0].venue, SampleMarket::kAlpha);
  EXPECT_EQ(listener.changes[0].status, VenueTradingStatus::kHalted);
  event.kind = ScriptedEventKind::kResumeVenue;
  ASSERT_TRUE(run->sim().Apply(event).ok());
  run->time.AdvanceBy(Duration::Seconds(1));
  EXPECT_EQ(alpha->trading_status(), VenueTradingStatus::kOpen);
  ASSERT_EQ(listener.changes.size(), 2u);
  EXPECT_EQ(listener.changes[1].status, VenueTradingStatus::kOpen);
  ASSERT_TRUE(alpha->Unsubscribe(&listener).ok());
}

TEST(MarketSimulatorTest, PriceJumpMovesFairValuesAndQuotes) {
  SampleMarketOptions options;
  ScriptedEvent jump;
  jump.at = Duration::Seconds(5);
  jump.kind = ScriptedEventKind::kPriceJump;
  jump.underlying = "XYZ";
  jump.log_return = std::log(1.10);
  options.script = {jump};
  std::unique_ptr<SimRun> run = StartRun(options);
  run->time.AdvanceBy(Duration::Seconds(4));
  const double before = *run->sim().UnderlyingPrice("XYZ");
  const double call_before = *run->sim().FairValue(SampleMarket::kCall100);
  run->time.AdvanceBy(Duration::Seconds(3));
  EXPECT_GT(*run->sim().UnderlyingPrice("XYZ"), before * 1.08);
  EXPECT_GT(*run->sim().FairValue(SampleMarket::kCall100), call_before + 5);
  const core::TopOfBook top =
      run->market->venue(SampleMarket::kAlpha)->TopOfBook(SampleMarket::kStock).value();
  ASSERT_TRUE(top.bid.has_value());
  EXPECT_GT(top.bid->price.ToDouble(), before * 1.08);
}

// During a latency spike GAMMA's makers' messages wait: after a jump, ALPHA's quotes follow
// at once and GAMMA's only once the spike's delay has passed.
TEST(MarketSimulatorTest, LatencySpikeDelaysTheAgentsMessagesToTheVenue) {
  SampleMarketOptions options;
  ScriptedEvent spike;
  spike.at = Duration::Seconds(5);
  spike.kind = ScriptedEventKind::kLatencySpike;
  spike.venue = SampleMarket::kGamma;
  spike.extra_latency = Duration::Seconds(3);
  spike.spike_length = Duration::Seconds(1);
  ScriptedEvent jump;
  jump.at = Duration::Seconds(5);
  jump.kind = ScriptedEventKind::kPriceJump;
  jump.underlying = "XYZ";
  jump.log_return = std::log(1.10);
  options.script = {spike, jump};
  options.taker_rate = 0.01;
  std::unique_ptr<SimRun> run = StartRun(options);
  run->time.AdvanceBy(Duration::Seconds(6));
  const double underlying = *run->sim().UnderlyingPrice("XYZ");
  auto bid = [&](core::VenueId venue) {
    return run->market->venue(venue)->TopOfBook(SampleMarket::kStock)->bid->price.ToDouble();
  };
  EXPECT_GT(bid(SampleMarket::kAlpha), underlying - 0.5);
  EXPECT_LT(bid(SampleMarket::kGamma), underlying - 5);
  run->time.AdvanceBy(Duration::Seconds(3));
  EXPECT_GT(bid(SampleMarket::kGamma), *run->sim().UnderlyingPrice("XYZ") - 0.5);
}

TEST(MarketSimulatorTest, BadConfigIsRejectedWithTheProblemNamed) {
  core::SimulatedTime time;
  std::unique_ptr<SampleMarket> market = BuildSampleMarket({}, &time).value();
  const MarketSimConfig good = market->simulator->config();
  auto error = [&](MarketSimConfig config) {
    absl::StatusOr<std::unique_ptr<MarketSimulator>> sim = MarketSimulator::Create(
        std::move(config), &time, &market->instruments, &market->combos, market->venue_pointers());
    EXPECT_FALSE(sim.ok());
    return std::string(sim.status().message());
  };
  MarketSimConfig config = good;
  config.market_makers[0].venue = core::VenueId(99);
  EXPECT_NE(error(config).find("venue 99 is not given"), std::string::npos);
  config = good;
  config.market_makers[0].instrument = core::InstrumentId(77);
  EXPECT_NE(error(config).find("does not list instrument 77"), std::string::npos);
  config = good;
  config.market_makers[0].max_half_spread_ticks = 0;
  EXPECT_NE(error(config).find("half spread"), std::string::npos);
  config = good;
  config.underlyings.clear();
  EXPECT_NE(error(config).find("has no process"), std::string::npos);
  config = good;
  config.takers[0].arrivals_per_second = 0;
  EXPECT_NE(error(config).find("arrival rate"), std::string::npos);
  config = good;
  config.complex_quoters[0].venue = SampleMarket::kGamma;
  EXPECT_NE(error(config).find("does not trade combo"), std::string::npos);
  config = good;
  ScriptedEvent bad;
  bad.kind = ScriptedEventKind::kHaltVenue;
  bad.venue = core::VenueId(42);
  config.script = {bad};
  EXPECT_NE(error(config).find("unknown venue 42"), std::string::npos);
  config = good;
  config.step = Duration::Zero();
  EXPECT_NE(error(config).find("step"), std::string::npos);
}

TEST(MarketSimulatorTest, BadScriptedEventChangesNothing) {
  std::unique_ptr<SimRun> run = StartRun({});
  run->time.AdvanceBy(Duration::Seconds(1));
  const uint64_t hash = run->sim().log().hash();
  const double price = *run->sim().UnderlyingPrice("XYZ");
  ScriptedEvent jump;
  jump.kind = ScriptedEventKind::kPriceJump;
  jump.underlying = "NOPE";
  jump.log_return = 0.1;
  absl::Status status = run->sim().Apply(jump);
  EXPECT_NE(status.message().find("unknown underlying 'NOPE'"), std::string_view::npos);
  ScriptedEvent spike;
  spike.kind = ScriptedEventKind::kLatencySpike;
  spike.venue = SampleMarket::kAlpha;
  EXPECT_FALSE(run->sim().Apply(spike).ok());
  EXPECT_EQ(run->sim().log().hash(), hash);
  EXPECT_EQ(*run->sim().UnderlyingPrice("XYZ"), price);
  EXPECT_EQ(run->sim().stats().scripted_events, 0);
}

TEST(MarketSimulatorTest, StartTwiceFailsAndStopQuietsTheMarket) {
  std::unique_ptr<SimRun> run = StartRun({});
  EXPECT_FALSE(run->sim().Start().ok());
  run->time.AdvanceBy(Duration::Seconds(2));
  run->sim().Stop();
  run->time.AdvanceBy(Duration::Seconds(1));
  const int64_t sent = run->sim().stats().orders_sent;
  run->time.AdvanceBy(Duration::Seconds(10));
  EXPECT_EQ(run->sim().stats().orders_sent, sent);
  EXPECT_EQ(run->time.pending(), 0u);
}

}  // namespace
}  // namespace combo::venues::market_sim
