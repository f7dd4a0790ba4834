// The daemon and the backtest route with the same assembly: both build their routing stack with
// stack::RoutingStack (the daemon from its YAML through StackConfigFrom, the backtest from the
// sample market through BacktestStackConfig), and the stacks both follow the builder's wiring
// rules (stack/routing_stack.h).
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "backtest/real_router.h"
#include "boost/asio/io_context.hpp"
#include "config/daemon_config.h"
#include "core/simulated_time.h"
#include "daemon/daemon.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "stack/routing_stack.h"
#include "stack/stack_config.h"
#include "venues/market_sim/sample_market.h"

namespace combo::tests {
namespace {

// The rules every stack follows, whoever built its config.
void ExpectWiringRules(const stack::RoutingStack& built, const stack::StackConfig& config) {
  const stack::StackWiring& wiring = built.wiring();
  EXPECT_EQ(wiring.leg_in_participant.value(), wiring.router_participant.value() + 1);
  EXPECT_EQ(wiring.router_participant, config.router.participant);
  EXPECT_EQ(wiring.first_leg_order_id, wiring.first_order_id + stack::kLegOrderIdOffset);
  // Every venue feeds pricing; the routable ones are priced, rested at and legged into.
  ASSERT_EQ(wiring.fed_venues.size(), config.venues.size());
  std::vector<core::VenueId> routable;
  for (size_t i = 0; i < config.venues.size(); ++i) {
    EXPECT_EQ(built.venues()[i]->id(), wiring.fed_venues[i]);
    if (config.venues[i].routable) routable.push_back(wiring.fed_venues[i]);
  }
  EXPECT_EQ(wiring.routable_venues, routable);
  EXPECT_EQ(built.pricing().legs().venues(), routable);
  ASSERT_EQ(built.leg_venues().size(), routable.size());
  for (size_t i = 0; i < routable.size(); ++i) {
    EXPECT_EQ(built.leg_venues()[i].venue->id(), routable[i]);
  }
  EXPECT_EQ(built.metrics().venue_up(wiring.fed_venues.front()), 1);
}

absl::StatusOr<std::unique_ptr<stack::RoutingStack>> BuildOnSimulatedTime(
    const stack::StackConfig& config, const core::InstrumentCatalog& instruments,
    core::ComboCatalog& combos, core::SimulatedTime& time, prometheus::Registry& registry) {
  stack::StackDependencies deps;
  deps.instruments = &instruments;
  deps.combos = &combos;
  deps.scheduler = &time;
  deps.registry = &registry;
  return stack::RoutingStack::Build(config, deps);
}

// The daemon's stack is the builder's, made from its config by StackConfigFrom: the demo config
// (embedded exchanges and the negotiation network), without FIX, metrics or simulation, its
// data directory moved out of the tree.
TEST(OneAssemblyTest, TheDaemonRunsTheStackTheBuilderMadeFromItsConfig) {
  absl::StatusOr<config::DaemonConfig> loaded =
      config::LoadDaemonConfigFile(COMBO_SOURCE_DIR "/config/examples/demo.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / absl::StrCat("combo_one_assembly_test_", getpid());
  std::filesystem::remove_all(dir);
  loaded->daemon.data_dir = dir.string();
  loaded->accounts.journal_path = (dir / "journal.sqlite").string();
  loaded->fix.enabled = false;
  loaded->metrics.enabled = false;
  loaded->simulation.enabled = false;
  {
    boost::asio::io_context io;
    absl::StatusOr<std::unique_ptr<daemon::Daemon>> daemon = daemon::Daemon::Create(*loaded, io);
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    const stack::RoutingStack& running = (*daemon)->stack();
    const stack::StackConfig expected = stack::StackConfigFrom((*daemon)->config());
    ExpectWiringRules(running, expected);
    EXPECT_EQ(running.config().journal.placement, stack::JournalPlacement::kFile);
    EXPECT_EQ(running.config().journal.path, loaded->accounts.journal_path);
    EXPECT_EQ(running.config().error_account_valuation, core::Duration::Seconds(1));
    EXPECT_EQ(running.built_simulated_venues().size() + 1, loaded->venues.size());
    EXPECT_NE(running.negotiation_venue(), nullptr);
  }
  std::filesystem::remove_all(dir);
}

TEST(OneAssemblyTest, TheBacktestsStackFollowsTheWiringRules) {
  core::SimulatedTime time;
  venues::market_sim::SampleMarketOptions options;
  options.negotiation = venues::market_sim::NegotiationVenueInMarket::kPresent;
  absl::StatusOr<std::unique_ptr<venues::market_sim::SampleMarket>> market =
      venues::market_sim::BuildSampleMarket(options, &time);
  ASSERT_TRUE(market.ok()) << market.status();
  const stack::StackConfig config =
      backtest::BacktestStackConfig({}, router::LegInMode::kDefensive, **market);
  EXPECT_EQ(config.leg_in.mode, router::LegInMode::kDefensive);
  EXPECT_EQ(config.journal.placement, stack::JournalPlacement::kTemporaryDirectory);
  prometheus::Registry registry;
  absl::StatusOr<std::unique_ptr<stack::RoutingStack>> built =
      BuildOnSimulatedTime(config, (*market)->instruments, (*market)->combos, time, registry);
  ASSERT_TRUE(built.ok()) << built.status();
  ExpectWiringRules(**built, config);
  // The sample venues are the market's own, used as they are.
  EXPECT_TRUE((*built)->built_simulated_venues().empty());
  EXPECT_EQ((*built)->venues(), (*market)->venue_pointers());
}

}  // namespace
}  // namespace combo::tests
