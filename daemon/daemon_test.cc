// The Daemon's wiring in-process: built from a config text, operated through the same entry
// points the signals call (Reload, SetTradingState, Drain), on a real io_context.
#include "daemon/daemon.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "accounts/journal.h"
#include "accounts/ledger.h"
#include "daemon/logging.h"
#include "daemon/testing/scrape.h"
#include "gtest/gtest.h"

namespace combo::daemon {
namespace {

// No FIX (the end-to-end test covers it), no simulation: two venues listing a call spread.
std::string ConfigText(const std::string& data_dir, int metrics_port, const std::string& mode,
                       int64_t max_combo_quantity) {
  return absl::StrCat(R"(daemon:
  data_dir: )",
                      data_dir, R"(
  drain_timeout: 1s
  shutdown_timeout: 5s
logging:
  level: warn
metrics:
  port: )",
                      metrics_port, R"(
instruments:
  - {id: 1, asset_class: option, underlying: SPY, right: call, strike: 450, expiry: 2026-12-18}
  - {id: 2, asset_class: option, underlying: SPY, right: call, strike: 460, expiry: 2026-12-18}
pricing:
  underlyings:
    SPY: {volatility: 0.20}
venues:
  - name: OPT-A
    id: 1
    option_underlyings: [SPY]
    complex_book:
      combos: [SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1]
  - name: OPT-B
    id: 2
    option_underlyings: [SPY]
leg_in:
  mode: )",
                      mode, R"(
risk:
  max_combo_quantity: )",
                      max_combo_quantity, R"(
fix:
  enabled: false
)");
}

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("combo_daemon_test_", getpid(), "_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "daemon.yaml").string();
    metrics_port_ = testing::FreeLoopbackPort();
    Write(ConfigText((dir_ / "data").string(), metrics_port_, "aggressive", 100));
    auto config = config::LoadDaemonConfigFile(path_);
    ASSERT_TRUE(config.ok()) << config.status();
    auto daemon = Daemon::Create(*std::move(config), io_);
    ASSERT_TRUE(daemon.ok()) << daemon.status();
    daemon_ = std::move(*daemon);
    ASSERT_TRUE(daemon_->Start().ok());
  }
  void TearDown() override {
    daemon_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Write(const std::string& text) { std::ofstream(path_, std::ios::trunc) << text; }
  double Metric(const std::string& family, const std::map<std::string, std::string>& labels) {
    auto body = testing::HttpGet("127.0.0.1", daemon_->listening().metrics_port, "/metrics");
    if (!body.ok()) return -1;
    auto families = testing::ParseExposition(*body);
    if (!families.ok()) return -1;
    return testing::SumOf(*families, family, family, labels);
  }

  std::filesystem::path dir_;
  std::string path_;
  int metrics_port_ = 0;
  boost::asio::io_context io_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(DaemonTest, StartsWithMetricsOnAnEphemeralPortAndFixOff) {
  EXPECT_EQ(daemon_->listening().metrics_port, metrics_port_);
  EXPECT_EQ(daemon_->listening().fix_port, 0);
  EXPECT_NE(daemon_->listening().Describe().find("fix=off"), std::string::npos);
  EXPECT_EQ(Metric("combo_venue_up", {{"venue", "OPT-A"}}), 1);
  EXPECT_EQ(Metric("combo_build_info", {}), 1);
}

TEST_F(DaemonTest, ReloadAppliesTheNewPolicyAndLimitsTogether) {
  Write(ConfigText((dir_ / "data").string(), metrics_port_, "defensive", 7));
  ASSERT_TRUE(daemon_->Reload().ok());
  EXPECT_EQ(daemon_->leg_in_engine().policy().mode, router::LegInMode::kDefensive);
  EXPECT_EQ(daemon_->risk().limits().max_combo_quantity, core::Quantity(7));
  EXPECT_EQ(Metric("combo_config_reloads_total", {{"outcome", "applied"}}), 1);
}

TEST_F(DaemonTest, ReloadAppliesTheRoutersWaitsButLeavesRestartOnlyFieldsForARestart) {
  std::string text = ConfigText((dir_ / "data").string(), metrics_port_, "aggressive", 100);
  text +=
      "router:\n  stability_wait: 250ms\n  cancel_timeout_with_legs_working: 2s\n"
      "  combo_tick: 0.05\n  market_order_collar: {ticks: 3, basis_points: 0}\n";
  Write(text);
  ASSERT_TRUE(daemon_->Reload().ok());
  EXPECT_EQ(daemon_->router().config().stability_wait, core::Duration::Milliseconds(250));
  EXPECT_EQ(daemon_->router().config().cancel_timeout_with_legs_working,
            core::Duration::Seconds(2));
  EXPECT_EQ(daemon_->router().config().market_order_collar, (router::MarketOrderCollar{3, 0}));
  // The combo tick waits for a restart: open limits sit on the running one.
  EXPECT_EQ(daemon_->router().config().combo_tick, router::RouterConfig{}.combo_tick);
  EXPECT_EQ(Metric("combo_config_reloads_total", {{"outcome", "applied"}}), 1);
}

TEST_F(DaemonTest, AnInvalidFileIsRefusedAndTheRunningConfigStays) {
  Write(ConfigText((dir_ / "data").string(), metrics_port_, "fast", 7));
  const absl::Status refused = daemon_->Reload();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(refused.message()).find("leg_in.mode"), std::string::npos) << refused;
  EXPECT_EQ(daemon_->leg_in_engine().policy().mode, router::LegInMode::kAggressive);
  EXPECT_EQ(daemon_->risk().limits().max_combo_quantity, core::Quantity(100));
  EXPECT_EQ(Metric("combo_config_reloads_total", {{"outcome", "refused"}}), 1);

  // A file that is gone is refused the same way.
  std::filesystem::remove(path_);
  EXPECT_FALSE(daemon_->Reload().ok());
  EXPECT_EQ(daemon_->risk().limits().max_combo_quantity, core::Quantity(100));
}

TEST_F(DaemonTest, OperatorSignalsMoveTheTradingStateNamingTheSignal) {
  ASSERT_TRUE(daemon_->SetTradingState(risk::TradingState::kHalted, "SIGUSR1", "test").ok());
  EXPECT_EQ(daemon_->risk().trading_state(), risk::TradingState::kHalted);
  ASSERT_TRUE(daemon_->SetTradingState(risk::TradingState::kReducing, "SIGRTMIN", "test").ok());
  EXPECT_EQ(daemon_->risk().trading_state(), risk::TradingState::kReducing);
  ASSERT_TRUE(daemon_->SetTradingState(risk::TradingState::kActive, "SIGUSR2", "test").ok());
  EXPECT_EQ(daemon_->risk().trading_state(), risk::TradingState::kActive);
  EXPECT_EQ(Metric("combo_risk_trading_state_changes_total", {{"to", "halted"}}), 1);
}

TEST_F(DaemonTest, DrainWithNothingWorkingStopsNewOrdersHaltsAndRunReturnsZero) {
  daemon_->Drain("test");
  EXPECT_TRUE(daemon_->draining());
  EXPECT_TRUE(daemon_->gate().draining());
  EXPECT_EQ(daemon_->risk().trading_state(), risk::TradingState::kHalted);
  EXPECT_EQ(daemon_->Run(), 0);
  // The journal exists and reads.
  auto journal = accounts::Journal::OpenReadOnly(daemon_->config().accounts.journal_path);
  ASSERT_TRUE(journal.ok()) << journal.status();
  EXPECT_TRUE((*journal)->ReadAll().ok());
}

// Submits one order through the gate and runs the core until the venue acknowledged it.
class DaemonLoggingTest : public DaemonTest {
 protected:
  std::string RunOneOrder(spdlog::level::level_enum level) {
    const std::string log = (dir_ / "daemon.log").string();
    EXPECT_TRUE(ConfigureLogging(LogOptions{level, log}).ok());
    router::NewComboOrder order{
        .client = core::ClientId("BROKER1"),
        .client_order_id = core::ClientOrderId("C1"),
        .account = core::AccountId("A1"),
        .combo = *core::ComboSpec::Create({{core::InstrumentId(1), 1, core::Side::kBuy},
                                           {core::InstrumentId(2), 1, core::Side::kSell}}),
        .side = core::Side::kBuy,
        .quantity = core::Quantity(1),
        .limit_price = core::Price::FromParts(1, 0)};
    EXPECT_TRUE(daemon_->gate().Submit(order).ok());
    // Real time: the venue's latency model answers within milliseconds.
    for (int i = 0; i < 100 && daemon_->gate().count(OrderOutcome::kAccepted) == 0; ++i) {
      io_.run_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(daemon_->gate().count(OrderOutcome::kAccepted), 1);
    EXPECT_TRUE(ConfigureLogging(LogOptions{}).ok());  // closes the file
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

TEST_F(DaemonLoggingTest, AnOrderLogsNothingAtTheDefaultLevel) {
  EXPECT_EQ(RunOneOrder(spdlog::level::info), "");
}

TEST_F(DaemonLoggingTest, AtDebugEveryOrderTransitionIsOneRecord) {
  const std::string log = RunOneOrder(spdlog::level::debug);
  EXPECT_NE(log.find("event=order_state order=1 to="), std::string::npos) << log;
}

// The market simulator quotes both legs on both venues (real time); no venue lists the combo
// natively, so a marketable order is legged in.
std::string SimulatedConfigText(const std::string& data_dir, int metrics_port) {
  return absl::StrCat(R"(daemon:
  data_dir: )",
                      data_dir, R"(
  drain_timeout: 2s
  shutdown_timeout: 10s
logging:
  level: warn
metrics:
  port: )",
                      metrics_port, R"(
instruments:
  - {id: 1, asset_class: option, underlying: SPY, right: call, strike: 450, expiry: 2026-12-18}
  - {id: 2, asset_class: option, underlying: SPY, right: call, strike: 460, expiry: 2026-12-18}
pricing:
  underlyings:
    SPY: {volatility: 0.20}
venues:
  - name: OPT-A
    id: 1
    option_underlyings: [SPY]
    latency:
      seed: 1
      default: {fixed: 2ms, jitter: 1ms}
  - name: OPT-B
    id: 2
    option_underlyings: [SPY]
    latency:
      seed: 2
      default: {fixed: 3ms, jitter: 1ms}
router:
  stability_wait: 0s
leg_in:
  leg_order_type: limit
  leg_timeout: 300ms
fix:
  enabled: false
simulation:
  enabled: true
  seed: 3
  underlyings:
    - {underlying: SPY, initial_price: 450.00, volatility: 0.20}
  market_makers:
    - {venue: OPT-A, quantity: 50}
    - {venue: OPT-B, quantity: 50}
)");
}

TEST(DaemonDrainTest, DrainWaitsForWorkingLegsThenExitsZeroWithAJournalThatReconciles) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / absl::StrCat("combo_daemon_drain_", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "daemon.yaml").string();
  std::ofstream(path) << SimulatedConfigText((dir / "data").string(), testing::FreeLoopbackPort());
  auto config = config::LoadDaemonConfigFile(path);
  ASSERT_TRUE(config.ok()) << config.status();
  boost::asio::io_context io;
  auto daemon = Daemon::Create(*std::move(config), io);
  ASSERT_TRUE(daemon.ok()) << daemon.status();
  ASSERT_TRUE((*daemon)->Start().ok());
  // Real time: wait (bounded) for the makers' quotes to make an implied ask: buy the 450 call
  // at its ask, sell the 460 call at its bid (both weight 1).
  auto ask = [&]() -> std::optional<core::Price> {
    const pricing::LegMarket& legs = (*daemon)->pricing().legs();
    if (!legs.Find(core::InstrumentId(1)) || !legs.Find(core::InstrumentId(2))) {
      return std::nullopt;
    }
    const core::TopOfBook buy = legs.Consolidated(core::InstrumentId(1));
    const core::TopOfBook sell = legs.Consolidated(core::InstrumentId(2));
    if (!buy.ask.has_value() || !sell.bid.has_value()) return std::nullopt;
    return buy.ask->price - sell.bid->price;
  };
  for (int i = 0; i < 500 && !ask().has_value(); ++i) io.run_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(ask().has_value());

  // Buy at the implied ask until a leg-in is working, then drain at once.
  int sent = 0;
  for (int i = 0; i < 500 && (*daemon)->working_leg_ins() == 0; ++i) {
    if (i % 50 == 0 && ask().has_value()) {
      router::NewComboOrder order{
          .client = core::ClientId("BROKER1"),
          .client_order_id = core::ClientOrderId(absl::StrCat("D", ++sent)),
          .account = core::AccountId("A1"),
          .combo = *core::ComboSpec::Create({{core::InstrumentId(1), 1, core::Side::kBuy},
                                             {core::InstrumentId(2), 1, core::Side::kSell}}),
          .side = core::Side::kBuy,
          .quantity = core::Quantity(1),
          .limit_price = *ask()};
      ASSERT_TRUE((*daemon)->gate().Submit(order).ok());
    }
    io.run_for(std::chrono::milliseconds(2));
  }
  ASSERT_GT((*daemon)->working_leg_ins(), 0u);
  (*daemon)->Drain("test");
  EXPECT_EQ((*daemon)->Run(), 0);
  EXPECT_EQ((*daemon)->working_leg_ins(), 0u);

  // Every leg execution is in a combo fill or the error account: the books reconcile.
  auto journal = accounts::Journal::OpenReadOnly((*daemon)->config().accounts.journal_path);
  ASSERT_TRUE(journal.ok()) << journal.status();
  auto events = (*journal)->ReadAll();
  ASSERT_TRUE(events.ok()) << events.status();
  accounts::Ledger ledger;
  for (const accounts::StoredEvent& stored : *events) {
    ASSERT_TRUE(ledger.Apply(stored.sequence, stored.event).ok());
  }
  EXPECT_FALSE(ledger.orders().empty());
  EXPECT_TRUE(ledger.Reconcile().ok()) << ledger.Reconcile();
  daemon->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace combo::daemon
