// Latency protection (seed 002) measured and fed on the demo configuration: the stack built from
// config/examples/demo.yaml (StackConfigFrom, as the daemon builds it) and its market simulator,
// on simulated time. Within one simulated minute of demo flow OPT-A learns every submitter's
// latency from test orders (the router's VenueProber and the simulated participants' probes),
// and potential trades with its slow makers and quoters are held, then executed or prevented.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "config/daemon_config.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "prometheus/metric_family.h"
#include "prometheus/registry.h"
#include "stack/routing_stack.h"
#include "stack/stack_config.h"
#include "venues/market_sim/market_simulator.h"

namespace combo::tests {
namespace {

class DemoLatencyProtectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / absl::StrCat("combo_latency_demo_test_", getpid());
    std::filesystem::remove_all(dir_);
    absl::StatusOr<config::DaemonConfig> loaded =
        config::LoadDaemonConfigFile(COMBO_SOURCE_DIR "/config/examples/demo.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    config_ = *std::move(loaded);
    config_.accounts.journal_path = (dir_ / "journal.sqlite").string();
  }
  void TearDown() override {
    simulator_.reset();
    stack_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Builds the daemon's stack and simulator from the demo config and starts both.
  void Start() {
    stack::StackDependencies deps;
    deps.instruments = &config_.instruments;
    deps.combos = &config_.combos;
    deps.scheduler = &time_;
    deps.registry = &registry_;
    absl::StatusOr<std::unique_ptr<stack::RoutingStack>> built =
        stack::RoutingStack::Build(stack::StackConfigFrom(config_), deps);
    ASSERT_TRUE(built.ok()) << built.status();
    stack_ = *std::move(built);
    std::vector<venues::Venue*> simulated;
    // The CBO desks trade on the CBO books the venues opened from their config, as in the daemon.
    std::vector<venues::market_sim::CboLink> cbo_links;
    for (venues::SimulatedVenue* venue : stack_->built_simulated_venues()) {
      simulated.push_back(venue);
      if (venue->cbo_book() != nullptr) cbo_links.push_back({venue->id(), venue});
      if (venue->name() == "OPT-A") opt_a_ = venue;
    }
    ASSERT_NE(opt_a_, nullptr);
    venues::market_sim::MarketSimConfig market = config_.simulation.market;
    market.negotiators.clear();  // the negotiation network is not this test's
    market.metrics = &registry_;
    absl::StatusOr<std::unique_ptr<venues::market_sim::MarketSimulator>> sim =
        venues::market_sim::MarketSimulator::Create(std::move(market), &time_, &config_.instruments,
                                                    &config_.combos, std::move(simulated),
                                                    /*negotiation=*/{}, std::move(cbo_links));
    ASSERT_TRUE(sim.ok()) << sim.status();
    simulator_ = *std::move(sim);
    stack_->Start();
    ASSERT_TRUE(simulator_->Start().ok());
  }

  std::filesystem::path dir_;
  config::DaemonConfig config_;
  core::SimulatedTime time_;
  prometheus::Registry registry_;
  std::unique_ptr<stack::RoutingStack> stack_;
  std::unique_ptr<venues::market_sim::MarketSimulator> simulator_;
  venues::SimulatedVenue* opt_a_ = nullptr;
};

TEST_F(DemoLatencyProtectionTest, DemoFlowHoldsExecutesAndPreventsWithinASimulatedMinute) {
  ASSERT_NO_FATAL_FAILURE(Start());
  time_.AdvanceBy(core::Duration::Seconds(60));
  const venues::LatencyGuard& guard = *opt_a_->latency_guard();
  EXPECT_GT(guard.held_total(), 0u);
  EXPECT_GT(guard.executed_total(), 0u);
  EXPECT_GT(guard.prevented_total(), 0u);
  EXPECT_GT(guard.immediate_total(), 0u);
  // Every held record ended in one outcome, or is still pending.
  EXPECT_EQ(guard.held_total(), guard.executed_total() + guard.prevented_total() +
                                    guard.pending_count() + guard.pending_package_count());
  std::printf("OPT-A in 60 s: held %llu, executed %llu, prevented %llu, immediate %llu\n",
              static_cast<unsigned long long>(guard.held_total()),
              static_cast<unsigned long long>(guard.executed_total()),
              static_cast<unsigned long long>(guard.prevented_total()),
              static_cast<unsigned long long>(guard.immediate_total()));
}

// Seed 002 R2, R5, R7 (claims 2, 3, 5): the router's probe measures its round trip to OPT-A
// and reports it; the venue logs it with its own one-way value. The demo's OPT-A round trip is
// the new-order inbound plus the ack outbound latency (300 us + up to 100 us jitter each way).
TEST_F(DemoLatencyProtectionTest, TheRouterProbesOptAEverySecondAndTheVenueLogsItsRoundTrip) {
  ASSERT_NO_FATAL_FAILURE(Start());
  time_.AdvanceBy(core::Duration::Milliseconds(10'500));
  const stack::VenueProber* prober = stack_->prober();
  ASSERT_NE(prober, nullptr);
  const core::ParticipantId router = stack_->wiring().router_participant;
  const venues::LatencyProbe* probe = prober->probe(opt_a_->id(), router);
  ASSERT_NE(probe, nullptr);
  EXPECT_EQ(probe->sent(), 11u);  // at 0 s, 1 s, ... 10 s
  EXPECT_EQ(probe->answered(), 11u);
  const std::optional<core::Duration> round_trip = prober->LastRoundTrip(opt_a_->id(), router);
  ASSERT_TRUE(round_trip.has_value());
  EXPECT_GE(*round_trip, core::Duration::Microseconds(600));
  EXPECT_LE(*round_trip, core::Duration::Microseconds(800));
  const venues::LatencyLog& log = opt_a_->latency_guard()->log();
  EXPECT_EQ(
      log.Latency(router, venues::LatencyMeasure::kRoundTrip, venues::LogScope::kCurrentValue),
      round_trip);
  EXPECT_TRUE(log.Latency(router, venues::LatencyMeasure::kOneWay, venues::LogScope::kCurrentValue)
                  .has_value());
  // The leg-in engine's participant is probed too.
  EXPECT_NE(prober->LastRoundTrip(opt_a_->id(), stack_->wiring().leg_in_participant), std::nullopt);
}

// The sum of the registry's series of `family` whose labels include every one of `labels`.
double Counted(prometheus::Registry& registry, std::string_view family,
               const std::vector<std::pair<std::string, std::string>>& labels) {
  double total = 0;
  for (const prometheus::MetricFamily& f : registry.Collect()) {
    if (f.name != family) continue;
    for (const prometheus::ClientMetric& metric : f.metric) {
      bool matches = true;
      for (const auto& [name, value] : labels) {
        bool found = false;
        for (const prometheus::ClientMetric::Label& label : metric.label) {
          found = found || (label.name == name && label.value == value);
        }
        matches = matches && found;
      }
      if (matches) total += metric.counter.value;
    }
  }
  return total;
}

// Every venue feature the demo configures acts within one simulated minute of its flow, as
// /metrics counts it: latency protection at OPT-A; at OPT-B the CBO book (every phase, a price
// auction, an autofill), AOP reprices, the market-maker rules' quote moves, customer priority,
// the seed-001 leg-book processes (opening rotations, a fast market entered and ended, hidden
// customer orders, block and facilitation orders executed and expired); complex prints of every
// kind (a complex order legging into its venue's own books by the combo takers); resting
// customer orders. (The negotiation network and the router's own flow act in the daemon test
// DemoDaemonTest.EveryConfiguredVenueFeatureActsWithinAMinuteOnTheDaemon.)
TEST_F(DemoLatencyProtectionTest, EveryConfiguredVenueFeatureActsWithinOneSimulatedMinute) {
  ASSERT_NO_FATAL_FAILURE(Start());
  time_.AdvanceBy(core::Duration::Seconds(60));
  for (const char* outcome : {"held", "executed", "prevented"}) {
    EXPECT_GT(Counted(registry_, "combo_venue_latency_trades_total",
                      {{"venue", "OPT-A"}, {"outcome", outcome}}),
              0)
        << outcome;
  }
  for (const char* phase : {"exclusive", "open", "protected"}) {
    EXPECT_GT(
        Counted(registry_, "combo_venue_cbo_phases_total", {{"venue", "OPT-B"}, {"phase", phase}}),
        0)
        << phase;
  }
  EXPECT_GT(Counted(registry_, "combo_venue_cbo_windows_total",
                    {{"venue", "OPT-B"}, {"outcome", "price_auction"}}),
            0);
  EXPECT_GT(Counted(registry_, "combo_venue_aop_reprices_total", {{"venue", "OPT-B"}}), 0);
  EXPECT_GT(Counted(registry_, "combo_venue_quote_restatements_total", {{"venue", "OPT-B"}}), 0);
  EXPECT_GT(
      Counted(registry_, "combo_venue_customer_priority_allocations_total", {{"venue", "OPT-B"}}),
      0);
  EXPECT_GT(Counted(registry_, "combo_venue_resting_orders_total", {{"role", "customer"}}), 0);
  for (const char* kind : {"complex_vs_complex", "complex_vs_leg", "leg_vs_leg"}) {
    EXPECT_GT(Counted(registry_, "combo_venue_prints_total", {{"kind", kind}}), 0) << kind;
  }
  const std::pair<std::string, std::string> opt_b{"venue", "OPT-B"};
  EXPECT_GT(
      Counted(registry_, "combo_venue_opening_rotations_total", {opt_b, {"outcome", "opened"}}), 0);
  for (const char* event : {"entered", "ended"}) {
    EXPECT_GT(Counted(registry_, "combo_venue_fast_markets_total", {opt_b, {"event", event}}), 0)
        << event;
  }
  EXPECT_GT(Counted(registry_, "combo_venue_hidden_orders_total", {opt_b, {"event", "held"}}), 0);
  for (const char* handling : {"block", "facilitation"}) {
    EXPECT_GT(Counted(registry_, "combo_venue_block_orders_total",
                      {opt_b, {"handling", handling}, {"event", "started"}}),
              0)
        << handling;
  }
  EXPECT_GT(Counted(registry_, "combo_venue_block_orders_total", {opt_b, {"event", "executed"}}),
            0);
  EXPECT_GT(Counted(registry_, "combo_venue_block_orders_total", {opt_b, {"event", "expired"}}), 0);
  for (const char* family :
       {"combo_venue_opening_rotations_total", "combo_venue_fast_markets_total",
        "combo_venue_hidden_orders_total", "combo_venue_block_orders_total"}) {
    std::printf("%s at OPT-B in 60 s: %.0f\n", family, Counted(registry_, family, {opt_b}));
  }
  std::printf("complex_vs_leg combo prints in 60 s: %.0f\n",
              Counted(registry_, "combo_venue_prints_total",
                      {{"print", "combo"}, {"kind", "complex_vs_leg"}}));
}

}  // namespace
}  // namespace combo::tests
