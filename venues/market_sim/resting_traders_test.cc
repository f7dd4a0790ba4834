// Resting traders in the market simulator: their orders are placed and rest, trade, are replaced
// and cancelled; at a seed-001 venue customers among them are filled ahead of the market makers
// at their price (R30) and the complex book prints; the run repeats exactly; bad configs fail.
#include <memory>
#include <utility>
#include <vector>

#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "venues/market_sim/market_simulator.h"
#include "venues/market_sim/sample_market.h"
#include "venues/simulated_venue.h"

namespace combo::venues::market_sim {
namespace {

using core::Duration;

constexpr core::VenueId kSeed001Venue(9);

// One seed-001 venue listing the sample market's instruments and trading its call spread
// natively, with makers, customer takers, a complex quoter and a group of resting customers.
struct World {
  core::SimulatedTime time;
  std::unique_ptr<SampleMarket> sample;  // its instruments and combos only
  std::unique_ptr<SimulatedVenue> venue;
  std::unique_ptr<MarketSimulator> sim;
};

RestingTraderConfig Customers(const SampleMarket& sample) {
  RestingTraderConfig customers;
  customers.venue = kSeed001Venue;
  customers.instruments = {SampleMarket::kCall100, SampleMarket::kCall105};
  customers.combos = {sample.call_spread};
  customers.role = ParticipantRole::kCustomer;
  customers.orders_per_second = 3;
  customers.min_offset_ticks = 0;
  customers.max_offset_ticks = 1;
  customers.min_quantity = core::Quantity(1);
  customers.max_quantity = core::Quantity(3);
  customers.min_lifetime = Duration::Seconds(1);
  customers.max_lifetime = Duration::Seconds(6);
  return customers;
}

// What a world adds to the basic one: the venue's block process (R48, blocks of at least 10,
// exposed 5 s) and takers of the call spread (R17).
struct WorldOptions {
  bool block_process = false;
  bool combo_takers = false;
};

absl::StatusOr<std::unique_ptr<World>> BuildWorld(uint64_t seed,
                                                  std::vector<RestingTraderConfig> traders,
                                                  WorldOptions options = {}) {
  auto world = std::make_unique<World>();
  absl::StatusOr<std::unique_ptr<SampleMarket>> sample = BuildSampleMarket({}, &world->time);
  if (!sample.ok()) return sample.status();
  world->sample = *std::move(sample);
  SimulatedVenueConfig config;
  config.id = kSeed001Venue;
  config.name = "SEED001";
  config.allocation = AllocationRule::kSeed001Options;
  for (core::InstrumentId id : {SampleMarket::kCall100, SampleMarket::kCall105}) {
    config.instruments.push_back({id, world->sample->instruments.Find(id)->tick_rule()});
  }
  config.complex_book.enabled = true;
  config.complex_book.combos.push_back(ListedCombo{
      world->sample->call_spread, *world->sample->combos.Find(world->sample->call_spread), {}});
  config.leg_processes.block.enabled = options.block_process;
  config.leg_processes.block.min_quantity = core::Quantity(10);
  config.leg_processes.block.response_window = Duration::Seconds(5);
  const LatencySpec latency{Duration::Microseconds(200), Duration::Microseconds(100)};
  config.latency.inbound = {latency, latency, latency, latency};
  config.latency.outbound = {latency, latency, latency, latency, latency, latency};
  absl::StatusOr<std::unique_ptr<SimulatedVenue>> venue =
      SimulatedVenue::Create(std::move(config), &world->time);
  if (!venue.ok()) return venue.status();
  world->venue = *std::move(venue);

  MarketSimConfig sim;
  sim.seed = seed;
  UnderlyingProcessConfig xyz;
  xyz.underlying = "XYZ";
  xyz.initial_price = core::Price::FromParts(100, 0);
  xyz.volatility = 0.3;
  sim.underlyings.push_back(xyz);
  for (core::InstrumentId id : {SampleMarket::kCall100, SampleMarket::kCall105}) {
    MarketMakerConfig maker;
    maker.venue = kSeed001Venue;
    maker.instrument = id;
    maker.min_half_spread_ticks = 1;
    maker.max_half_spread_ticks = 2;
    maker.quantity = core::Quantity(10);
    sim.market_makers.push_back(maker);
  }
  TakerConfig taker;
  taker.venue = kSeed001Venue;
  taker.instruments = {SampleMarket::kCall100, SampleMarket::kCall105};
  taker.arrivals_per_second = 2;
  taker.min_quantity = core::Quantity(4);
  taker.max_quantity = core::Quantity(10);
  sim.takers.push_back(taker);
  if (options.combo_takers) {
    TakerConfig combos;
    combos.venue = kSeed001Venue;
    combos.combos = {world->sample->call_spread};
    combos.arrivals_per_second = 1;
    // More than the complex quoter's 5 units: the rest legs in.
    combos.min_quantity = core::Quantity(8);
    combos.max_quantity = core::Quantity(12);
    sim.takers.push_back(combos);
  }
  ComplexQuoterConfig quoter;
  quoter.venue = kSeed001Venue;
  quoter.combo = world->sample->call_spread;
  sim.complex_quoters.push_back(quoter);
  sim.resting_traders = std::move(traders);
  absl::StatusOr<std::unique_ptr<MarketSimulator>> simulator =
      MarketSimulator::Create(std::move(sim), &world->time, &world->sample->instruments,
                              &world->sample->combos, {world->venue.get()});
  if (!simulator.ok()) return simulator.status();
  world->sim = *std::move(simulator);
  return world;
}

TEST(RestingTradersTest, R30CustomerOrdersRestTradeAndAreFilledAheadOfTheMakersAtTheirPrice) {
  absl::StatusOr<std::unique_ptr<World>> built = BuildWorld(11, {});
  ASSERT_TRUE(built.ok()) << built.status();
  std::vector<RestingTraderConfig> traders = {Customers(*(*built)->sample)};
  built = BuildWorld(11, std::move(traders));
  ASSERT_TRUE(built.ok()) << built.status();
  World& world = **built;
  ASSERT_TRUE(world.sim->Start().ok());
  world.time.AdvanceBy(Duration::Seconds(120));
  const MarketSimStats& stats = world.sim->stats();
  EXPECT_GT(stats.resting_orders_placed, 100);
  EXPECT_GT(stats.resting_orders_replaced, 0);
  EXPECT_GT(stats.resting_orders_cancelled, 0);
  EXPECT_GT(stats.resting_fills, 0);  // filled while resting
  const VenueActivity& activity = world.venue->activity();
  EXPECT_GT(activity.resting_orders(BookKind::kLeg, ParticipantRole::kCustomer), 0);
  EXPECT_GT(activity.resting_orders(BookKind::kComplex, ParticipantRole::kCustomer), 0);
  // Customers who joined the makers' price were filled first, then the makers (R30).
  EXPECT_GT(activity.customer_priority_allocations(), 0);
  // The complex book traded and printed.
  EXPECT_GT(activity.prints(PrintSubject::kCombo, core::PrintKind::kComplexVsComplex) +
                activity.prints(PrintSubject::kCombo, core::PrintKind::kComplexVsLeg),
            0);
  EXPECT_EQ(stats.admission_errors, 0);
}

TEST(RestingTradersTest, WithoutRestingTradersNoCustomerOrderEverRests) {
  absl::StatusOr<std::unique_ptr<World>> built = BuildWorld(11, {});
  ASSERT_TRUE(built.ok()) << built.status();
  World& world = **built;
  ASSERT_TRUE(world.sim->Start().ok());
  world.time.AdvanceBy(Duration::Seconds(60));
  EXPECT_GT(world.sim->stats().fills, 0);
  EXPECT_EQ(world.venue->activity().resting_orders(BookKind::kLeg, ParticipantRole::kCustomer), 0);
  EXPECT_EQ(world.venue->activity().customer_priority_allocations(), 0);
}

// Seed 001 R48 from the simulation: professionals who send every other leg order as a block of
// 10 (half of those facilitated); blocks execute against the book or expire when their 5 s
// window closes, facilitations always execute.
TEST(RestingTradersTest, R48BlocksFromRestingProfessionalsExecuteOrExpireAtTheVenue) {
  absl::StatusOr<std::unique_ptr<World>> base = BuildWorld(5, {});
  ASSERT_TRUE(base.ok()) << base.status();
  RestingTraderConfig professionals = Customers(*(*base)->sample);
  professionals.role = ParticipantRole::kProfessional;
  professionals.combos.clear();
  professionals.block_percent = 50;
  professionals.block_quantity = core::Quantity(10);
  professionals.facilitation_percent = 50;
  absl::StatusOr<std::unique_ptr<World>> built =
      BuildWorld(5, {professionals}, {.block_process = true});
  ASSERT_TRUE(built.ok()) << built.status();
  World& world = **built;
  ASSERT_TRUE(world.sim->Start().ok());
  world.time.AdvanceBy(Duration::Seconds(60));
  const LegProcessActivity& activity = world.venue->leg_process_activity();
  EXPECT_GT(world.sim->stats().block_orders_placed, 0);
  EXPECT_GT(activity.blocks(OrderHandling::kBlock, BlockEvent::kStarted), 0);
  EXPECT_GT(activity.blocks(OrderHandling::kFacilitation, BlockEvent::kStarted), 0);
  EXPECT_GT(activity.blocks(OrderHandling::kFacilitation, BlockEvent::kExecuted), 0);
  EXPECT_EQ(activity.blocks(OrderHandling::kFacilitation, BlockEvent::kExpired), 0);
  EXPECT_GT(activity.blocks(OrderHandling::kBlock, BlockEvent::kExpired), 0);
  EXPECT_EQ(world.sim->stats().admission_errors, 0);
}

// Seed 001 R17 from the simulation: a taker of the call spread up to the price its legs trade
// for takes the complex quote (5 units) and legs in for the rest, printed complex_vs_leg;
// without it the quoter alone never legs in within the minute.
TEST(RestingTradersTest, R17ComboTakersLegIntoTheVenuesBooksForWhatTheComplexQuoteDoesNotHold) {
  for (const bool combo_takers : {false, true}) {
    absl::StatusOr<std::unique_ptr<World>> built =
        BuildWorld(7, {}, {.combo_takers = combo_takers});
    ASSERT_TRUE(built.ok()) << built.status();
    World& world = **built;
    ASSERT_TRUE(world.sim->Start().ok());
    world.time.AdvanceBy(Duration::Seconds(60));
    const int64_t legged_in =
        world.venue->activity().prints(PrintSubject::kCombo, core::PrintKind::kComplexVsLeg);
    if (combo_takers) {
      EXPECT_GT(legged_in, 0);
      EXPECT_GT(
          world.venue->activity().prints(PrintSubject::kCombo, core::PrintKind::kComplexVsComplex),
          0);
    } else {
      EXPECT_EQ(legged_in, 0);
    }
    EXPECT_EQ(world.sim->stats().admission_errors, 0);
  }
}

TEST(RestingTradersTest, TheSameSeedRepeatsTheRunExactly) {
  uint64_t hashes[2] = {0, 0};
  int64_t placed[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<std::unique_ptr<World>> first = BuildWorld(23, {});
    ASSERT_TRUE(first.ok());
    absl::StatusOr<std::unique_ptr<World>> built = BuildWorld(23, {Customers(*(*first)->sample)});
    ASSERT_TRUE(built.ok());
    ASSERT_TRUE((*built)->sim->Start().ok());
    (*built)->time.AdvanceBy(Duration::Seconds(30));
    hashes[i] = (*built)->sim->log().hash();
    placed[i] = (*built)->sim->stats().resting_orders_placed;
  }
  EXPECT_EQ(hashes[0], hashes[1]);
  EXPECT_EQ(placed[0], placed[1]);
  EXPECT_GT(placed[0], 0);
}

TEST(RestingTradersTest, ABadGroupFailsNamingTheTraderAndTheValue) {
  absl::StatusOr<std::unique_ptr<World>> base = BuildWorld(1, {});
  ASSERT_TRUE(base.ok());
  RestingTraderConfig bad = Customers(*(*base)->sample);
  bad.min_offset_ticks = 2;
  bad.max_offset_ticks = 1;
  absl::StatusOr<std::unique_ptr<World>> built = BuildWorld(1, {bad});
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.status().message().find("resting trader 0: offset [2, 1] ticks"),
            std::string::npos)
      << built.status();
  bad = Customers(*(*base)->sample);
  bad.instruments = {SampleMarket::kPut100};  // not listed at the venue
  built = BuildWorld(1, {bad});
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.status().message().find("does not list instrument 14"), std::string::npos)
      << built.status();
  bad = Customers(*(*base)->sample);
  bad.replace_percent = 101;
  EXPECT_FALSE(BuildWorld(1, {bad}).ok());
}

}  // namespace
}  // namespace combo::venues::market_sim
