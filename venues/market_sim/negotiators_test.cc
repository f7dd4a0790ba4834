// The market simulator's negotiators: seeded participants on the sample market's negotiation
// venue that answer the router's offers from fair value.
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "venues/market_sim/market_simulator.h"
#include "venues/market_sim/sample_market.h"

namespace combo::venues::market_sim {
namespace {

using core::Duration;

// What a router-like participant of the negotiation venue hears back.
class RecordingListener final : public VenueListener {
 public:
  void OnAck(const OrderAcked&) override { ++acks; }
  void OnReject(const OrderRejected&) override { ++rejects; }
  void OnFill(const Fill& event) override { fills.push_back(event); }
  void OnComplexFill(const ComplexFill& event) override { complex_fills.push_back(event); }
  void OnCancelled(const OrderCancelled&) override { ++cancels; }
  void OnRestated(const OrderRestated&) override {}

  int acks = 0;
  int rejects = 0;
  int cancels = 0;
  std::vector<Fill> fills;
  std::vector<ComplexFill> complex_fills;
};

constexpr core::ParticipantId kRouter{7};

struct NegotiationRun {
  core::SimulatedTime time;
  std::unique_ptr<SampleMarket> market;
  RecordingListener listener;
  uint64_t next_order = 1;

  MarketSimulator& sim() { return *market->simulator; }
  Venue& venue() { return *market->negotiation_venue; }

  // Offers `quantity` of `instrument` on `side` at fair value moved by `ticks` ticks (positive:
  // better for the counterparty), as a Day order through the venue.
  core::OrderId Offer(core::InstrumentId instrument, core::Side side, int64_t ticks,
                      int64_t quantity) {
    const double fair = *sim().FairValue(instrument);
    const double tick = market->instruments.Find(instrument)->tick_rule().FinestTick().ToDouble();
    // A buyer is better for the counterparty the more it pays.
    const double price = side == core::Side::kBuy ? fair + ticks * tick : fair - ticks * tick;
    OrderRequest request;
    request.participant = kRouter;
    request.order_id = core::OrderId(next_order++);
    request.instrument = instrument;
    request.side = side;
    request.limit_price =
        core::Price::FromRaw(std::llround(price * 100) * (core::Price::kScale / 100));
    request.quantity = core::Quantity(quantity);
    EXPECT_TRUE(venue().Submit(request).ok());
    return request.order_id;
  }
};

std::unique_ptr<NegotiationRun> StartNegotiationRun(uint64_t seed) {
  auto run = std::make_unique<NegotiationRun>();
  SampleMarketOptions options;
  options.seed = seed;
  options.negotiation = NegotiationVenueInMarket::kPresent;
  absl::StatusOr<std::unique_ptr<SampleMarket>> market = BuildSampleMarket(options, &run->time);
  EXPECT_TRUE(market.ok()) << market.status();
  run->market = *std::move(market);
  EXPECT_TRUE(run->venue().Connect(kRouter, &run->listener).ok());
  EXPECT_TRUE(run->sim().Start().ok());
  run->time.AdvanceBy(Duration::Seconds(2));
  return run;
}

TEST(NegotiatorsTest, TheSampleMarketCreatesSeededNegotiatorsWhenItHasANegotiationVenue) {
  std::unique_ptr<NegotiationRun> run = StartNegotiationRun(3);
  ASSERT_EQ(run->sim().negotiators().size(), 3u);
  EXPECT_EQ(run->market->venue_pointers().size(), 4u);
  core::SimulatedTime time;
  std::unique_ptr<SampleMarket> plain = BuildSampleMarket({}, &time).value();
  EXPECT_TRUE(plain->simulator->negotiators().empty());
  EXPECT_EQ(plain->venue_pointers().size(), 3u);
}

TEST(NegotiatorsTest, AnOfferWellBetterThanFairValueIsAcceptedAndFills) {
  std::unique_ptr<NegotiationRun> run = StartNegotiationRun(3);
  // Buying the 100 call 10 ticks above fair: a gift every negotiator takes; the quickest wins.
  run->Offer(SampleMarket::kCall100, core::Side::kBuy, 10, 5);
  run->time.AdvanceBy(Duration::Seconds(5));
  ASSERT_EQ(run->listener.fills.size(), 1u);
  EXPECT_EQ(run->listener.fills[0].quantity, core::Quantity(5));
  EXPECT_EQ(run->listener.fills[0].side, core::Side::kBuy);
  EXPECT_GE(run->sim().stats().negotiation_accepts, 1);
  ASSERT_EQ(run->market->negotiation_service->trades().size(), 1u);
  const std::string seller = run->market->negotiation_service->trades()[0].seller.value();
  EXPECT_EQ(seller.rfind("SIM-NEG", 0), 0u) << seller;
}

TEST(NegotiatorsTest, AnOfferNearFairValueIsCounteredOnTheOtherSide) {
  std::unique_ptr<NegotiationRun> run = StartNegotiationRun(3);
  // Selling the 100 call 2 ticks above fair (worse for a buyer than fair): no negotiator
  // accepts, every one answers with a bid of its own at or below fair; they do not counter one
  // another's counters.
  run->Offer(SampleMarket::kCall100, core::Side::kSell, -2, 5);
  run->time.AdvanceBy(Duration::Seconds(4));
  EXPECT_TRUE(run->listener.fills.empty());
  EXPECT_EQ(run->sim().stats().negotiation_accepts, 0);
  EXPECT_EQ(run->sim().stats().negotiation_counters, 3);
  // The counters are bids the venue's market data shows, none above fair value.
  const core::TopOfBook top = run->venue().TopOfBook(SampleMarket::kCall100).value();
  ASSERT_TRUE(top.bid.has_value());
  EXPECT_LE(top.bid->price.ToDouble(), *run->sim().FairValue(SampleMarket::kCall100) + 0.01);
  int64_t counters = 0;
  for (const negotiation::SimulatedParticipant* negotiator : run->sim().negotiators()) {
    counters += negotiator->stats().counters_sent;
  }
  EXPECT_EQ(counters, 3);
}

TEST(NegotiatorsTest, AnOfferFarFromFairValueIsDeclined) {
  std::unique_ptr<NegotiationRun> run = StartNegotiationRun(3);
  // Selling the stock 50 cents above fair: outside every negotiator's counter band.
  run->Offer(SampleMarket::kStock, core::Side::kSell, -50, 5);
  run->time.AdvanceBy(Duration::Seconds(4));
  EXPECT_TRUE(run->listener.fills.empty());
  EXPECT_EQ(run->sim().stats().negotiation_declines, 3);
  EXPECT_EQ(run->sim().stats().negotiation_counters, 0);
  EXPECT_FALSE(run->venue().TopOfBook(SampleMarket::kStock).value().bid.has_value());
}

TEST(NegotiatorsTest, ComboOffersAreValuedFromTheirLegs) {
  std::unique_ptr<NegotiationRun> run = StartNegotiationRun(3);
  const double fair = *run->sim().FairNetPrice(run->market->call_spread);
  ComplexOrderRequest request;
  request.participant = kRouter;
  request.order_id = core::OrderId(100);
  request.combo = run->market->call_spread;
  request.side = core::Side::kBuy;
  // Paying 20 cents over the fair net price of the spread.
  request.limit_price =
      core::Price::FromRaw(std::llround((fair + 0.20) * 100) * (core::Price::kScale / 100));
  request.quantity = core::Quantity(2);
  ASSERT_TRUE(run->venue().SubmitComplex(request).ok());
  run->time.AdvanceBy(Duration::Seconds(5));
  ASSERT_EQ(run->listener.complex_fills.size(), 1u);
  EXPECT_EQ(run->listener.complex_fills[0].quantity, core::Quantity(2));
  ASSERT_TRUE(run->sim().FairValueOf("[XYZ C100 +1 / XYZ C105 -1]").has_value());
  EXPECT_NEAR(*run->sim().FairValueOf("[XYZ C100 +1 / XYZ C105 -1]"), fair, 0.05);
  EXPECT_FALSE(run->sim().FairValueOf("NOPE").has_value());
}

TEST(NegotiatorsTest, NegotiatorsDeclineEverythingWhileTheirVenueIsHalted) {
  std::unique_ptr<NegotiationRun> run = StartNegotiationRun(3);
  ScriptedEvent halt;
  halt.kind = ScriptedEventKind::kHaltVenue;
  halt.venue = SampleMarket::kNegotiation;
  ASSERT_TRUE(run->sim().Apply(halt).ok());
  run->Offer(SampleMarket::kCall100, core::Side::kBuy, 10, 5);
  run->time.AdvanceBy(Duration::Seconds(4));
  EXPECT_TRUE(run->listener.fills.empty());
  EXPECT_EQ(run->sim().stats().negotiation_declines, 3);
}

// The same seed and the same offers give the same event-log hash, negotiation included; the
// negotiators' messages and answers are part of it.
uint64_t NegotiationHash(uint64_t seed, int64_t ticks) {
  std::unique_ptr<NegotiationRun> run = StartNegotiationRun(seed);
  for (int i = 0; i < 6; ++i) {
    run->Offer(i % 2 == 0 ? SampleMarket::kCall100 : SampleMarket::kPut95,
               i % 3 == 0 ? core::Side::kBuy : core::Side::kSell, ticks - i, 3 + i);
    run->time.AdvanceBy(Duration::Seconds(3));
  }
  run->time.AdvanceBy(Duration::Seconds(20));
  EXPECT_GT(run->sim().stats().negotiation_offers_answered, 0);
  return run->sim().log().hash();
}

TEST(NegotiatorsTest, SameSeedGivesTheSameHashAndTheAnswersAreInIt) {
  const uint64_t first = NegotiationHash(5, 3);
  EXPECT_EQ(first, NegotiationHash(5, 3));
  EXPECT_NE(first, NegotiationHash(6, 3));
  // Same market seed, other offers: the negotiators answer differently and the hash shows it.
  EXPECT_NE(first, NegotiationHash(5, 4));
}

TEST(NegotiatorsTest, SampleMarketRefusesABadLatencyFactor) {
  core::SimulatedTime time;
  SampleMarketOptions options;
  options.latency_factor = 0;
  EXPECT_NE(BuildSampleMarket(options, &time).status().message().find("latency factor 0"),
            std::string_view::npos);
}

TEST(NegotiatorsTest, BadNegotiatorConfigIsRejectedWithTheProblemNamed) {
  core::SimulatedTime time;
  SampleMarketOptions options;
  options.negotiation = NegotiationVenueInMarket::kPresent;
  std::unique_ptr<SampleMarket> market = BuildSampleMarket(options, &time).value();
  const MarketSimConfig good = market->simulator->config();
  const std::vector<NegotiationLink> links = {
      {SampleMarket::kNegotiation, market->negotiation_service.get()}};
  auto error = [&](MarketSimConfig config, std::vector<NegotiationLink> with) {
    absl::StatusOr<std::unique_ptr<MarketSimulator>> sim =
        MarketSimulator::Create(std::move(config), &time, &market->instruments, &market->combos,
                                market->venue_pointers(), std::move(with));
    EXPECT_FALSE(sim.ok());
    return std::string(sim.status().message());
  };
  EXPECT_NE(error(good, {}).find("venue 4 is not a linked negotiation venue"), std::string::npos);
  EXPECT_NE(error(good, {{core::VenueId(9), market->negotiation_service.get()}})
                .find("venue 9 is not given"),
            std::string::npos);
  EXPECT_NE(error(good, {{SampleMarket::kNegotiation, nullptr}}).find("has no service"),
            std::string::npos);
  MarketSimConfig config = good;
  config.negotiators[1].account = config.negotiators[0].account;
  EXPECT_NE(error(config, links).find("used twice"), std::string::npos);
  config = good;
  config.negotiators[0].account = "NOT VALID";
  EXPECT_NE(error(config, links).find("account 'NOT VALID'"), std::string::npos);
  config = good;
  config.negotiators[0].min_edge_ticks = 3;
  config.negotiators[0].max_edge_ticks = 1;
  EXPECT_NE(error(config, links).find("edge [3, 1]"), std::string::npos);
  config = good;
  config.negotiators[0].max_quantity = core::Quantity(0);
  EXPECT_NE(error(config, links).find("max quantity"), std::string::npos);
  config = good;
  config.negotiators[0].counter_timeout_seconds = 0;
  EXPECT_NE(error(config, links).find("counter timeout 0"), std::string::npos);
}

}  // namespace
}  // namespace combo::venues::market_sim
