// The market simulator's CBO desk (CboDeskConfig) on a venue whose CBO book its config opens:
// every phase, price auctions and autofill happen, and a seed repeats exactly.
#include <map>
#include <memory>
#include <string>

#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "venues/market_sim/market_simulator.h"
#include "venues/simulated_venue.h"

namespace combo::venues::market_sim {
namespace {

using core::Duration;

const core::InstrumentId kXyz(1);
const core::VenueId kSource(1);
const core::VenueId kAop(2);

double Sum(prometheus::Registry& registry, const std::string& name, const std::string& key,
           const std::string& value) {
  double total = 0;
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) {
        if (label.name == key && (value.empty() || label.value == value)) {
          total += metric.counter.value;
        }
      }
    }
  }
  return total;
}

struct DeskRun {
  core::SimulatedTime time;
  core::InstrumentCatalog instruments;
  core::ComboCatalog combos;
  prometheus::Registry registry;
  std::unique_ptr<SimulatedVenue> source;
  std::unique_ptr<SimulatedVenue> aop;
  std::unique_ptr<MarketSimulator> sim;
};

// XYZ at 100 on a source venue with fast makers and an AOP venue with slow ones (their quotes
// go stale across the price jumps), the AOP venue's CBO book traded by one desk.
std::unique_ptr<DeskRun> RunDesk(uint64_t seed, Duration length) {
  auto run = std::make_unique<DeskRun>();
  core::InstrumentDefinition xyz;
  xyz.id = kXyz;
  xyz.symbol = "XYZ";
  xyz.asset_class = core::AssetClass::kStock;
  xyz.underlying = "XYZ";
  xyz.tick_rule = core::TickRule::Uniform(core::Price::FromParts(0, 10'000'000));
  EXPECT_TRUE(run->instruments.Add(*core::Instrument::Create(xyz)).ok());
  SimulatedVenueConfig source;
  source.id = kSource;
  source.name = "SRC";
  source.instruments = {{kXyz, xyz.tick_rule}};
  SimulatedVenueConfig aop = source;
  aop.id = kAop;
  aop.name = "AOPX";
  aop.aop.enabled = true;
  aop.aop.third_party.sources = {kSource};
  // A quiet source is no stale one here: its makers requote only when fair value moves a tick.
  aop.aop.third_party.stale_after = Duration::Seconds(600);
  aop.aop.cbo_book = true;
  aop.aop.cbo.exclusive_time = Duration::Seconds(1);
  aop.aop.cbo.open_time = Duration::Seconds(1);
  aop.aop.cbo.tie_break = aop::TieBreak::kPriceAuction;
  aop.aop.metrics = &run->registry;
  run->source = SimulatedVenue::Create(source, &run->time).value();
  run->aop = SimulatedVenue::Create(aop, &run->time).value();
  EXPECT_TRUE(run->aop->ConnectAopSource(*run->source).ok());

  MarketSimConfig config;
  config.seed = seed;
  config.underlyings.push_back({"XYZ", core::Price::FromParts(100, 0), 0.0, 0.3});
  MarketMakerConfig fast;
  fast.venue = kSource;
  fast.instrument = kXyz;
  fast.quantity = core::Quantity(50);
  MarketMakerConfig slow = fast;
  slow.venue = kAop;
  slow.requote_delay = Duration::Seconds(3);
  slow.requote_jitter = Duration::Zero();
  config.market_makers = {fast, slow};
  CboDeskConfig desk;
  desk.venue = kAop;
  desk.instruments = {kXyz};
  desk.exclusive_dealers = 3;
  desk.cbos_per_second = 5;
  // Limits up to 10 ticks off fair value: the far ones wait out exclusive and open, protected,
  // until a jump moves the market through them.
  desk.min_limit_offset_ticks = 0;
  desk.max_limit_offset_ticks = 10;
  desk.min_edge_ticks = -1;
  desk.max_edge_ticks = 2;
  desk.dealer_autofill_ticks = 1;
  desk.client_autofill_ticks = 1;
  desk.leg_orders_per_second = 4;
  config.cbo_desks = {desk};
  for (int i = 1; i <= 6; ++i) {
    ScriptedEvent jump;
    jump.at = Duration::Seconds(4 * i);
    jump.kind = ScriptedEventKind::kPriceJump;
    jump.underlying = "XYZ";
    jump.log_return = i % 2 == 0 ? 0.01 : -0.01;
    config.script.push_back(jump);
  }
  absl::StatusOr<std::unique_ptr<MarketSimulator>> sim =
      MarketSimulator::Create(config, &run->time, &run->instruments, &run->combos,
                              {run->source.get(), run->aop.get()}, {}, {{kAop, run->aop.get()}});
  EXPECT_TRUE(sim.ok()) << sim.status();
  run->sim = *std::move(sim);
  EXPECT_TRUE(run->sim->Start().ok());
  run->time.AdvanceBy(length);
  return run;
}

TEST(CboDeskTest, ADeskDrivesEveryPhaseTheAuctionAndAutofill) {
  std::unique_ptr<DeskRun> run = RunDesk(7, Duration::Seconds(30));
  prometheus::Registry& r = run->registry;
  EXPECT_GT(run->sim->stats().cbos_submitted, 50);
  EXPECT_GT(run->sim->stats().cbo_responses, 0);
  EXPECT_EQ(run->sim->stats().admission_errors, 0);
  for (const char* phase : {"exclusive", "open", "protected"}) {
    EXPECT_GT(Sum(r, "combo_venue_cbo_phases_total", "phase", phase), 0) << phase;
  }
  EXPECT_GT(Sum(r, "combo_venue_cbo_windows_total", "outcome", "price_auction"), 0);
  EXPECT_GT(Sum(r, "combo_venue_cbo_fills_total", "kind", "standard"), 0);
  EXPECT_GT(Sum(r, "combo_venue_cbo_fills_total", "kind", "dealer_autofill") +
                Sum(r, "combo_venue_cbo_fills_total", "kind", "client_autofill"),
            0);
  EXPECT_GT(Sum(r, "combo_venue_cbo_reprices_total", "reason", ""), 0)
      << Sum(r, "combo_venue_cbo_phases_total", "phase", "protected") << " protected, "
      << Sum(r, "combo_venue_cbo_fills_total", "kind", "") << " fills, "
      << Sum(r, "combo_venue_aop_reprices_total", "reason", "") << " order reprices, "
      << run->sim->stats().scripted_events << " jumps";
  EXPECT_GT(Sum(r, "combo_venue_aop_reprices_total", "reason", ""), 0);
}

TEST(CboDeskTest, TheSameSeedRepeatsTheDeskExactly) {
  std::unique_ptr<DeskRun> first = RunDesk(11, Duration::Seconds(15));
  std::unique_ptr<DeskRun> second = RunDesk(11, Duration::Seconds(15));
  EXPECT_EQ(first->sim->stats().cbos_submitted, second->sim->stats().cbos_submitted);
  EXPECT_EQ(first->sim->stats().cbo_responses, second->sim->stats().cbo_responses);
  EXPECT_EQ(first->sim->stats().fills, second->sim->stats().fills);
  EXPECT_EQ(first->sim->log().hash(), second->sim->log().hash());
  for (const char* kind : {"standard", "dealer_autofill", "client_autofill"}) {
    EXPECT_EQ(Sum(first->registry, "combo_venue_cbo_fills_total", "kind", kind),
              Sum(second->registry, "combo_venue_cbo_fills_total", "kind", kind));
  }
}

}  // namespace
}  // namespace combo::venues::market_sim
