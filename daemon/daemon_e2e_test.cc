// End to end: combo-routerd as a child process on ephemeral ports, a FIX initiator trading
// through it, /metrics scraped over HTTP, SIGHUP with a changed (and then a broken) config,
// trading-state signals, and SIGTERM with a clean exit and an intact journal.
//
// The daemon runs in real time with the market simulator quoting two venues, so the test waits
// for what it needs with bounded deadlines (polling), never for a fixed time.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "accounts/journal.h"
#include "accounts/ledger.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "core/absl_compat.h"
#include "core/clock.h"
#include "core/tick_rule.h"
#include "daemon/testing/daemon_process.h"
#include "daemon/testing/scrape.h"
#include "gtest/gtest.h"

// fix/client.h brings QuickFIX's headers (dynamic exception specifications; DESIGN.md
// "Toolchain"). The test uses QuickFIX only through fix/'s client and formatter.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdynamic-exception-spec"
#include "fix/client.h"
#include "fix/report_format.h"
#include "fix/testing/gateway_harness.h"
#pragma clang diagnostic pop

namespace combo::daemon {
namespace {

using namespace std::chrono_literals;
using testing::ReadFile;
using testing::WaitFor;

constexpr char kLegs[] = "SPY 20361219 C 450 +1 / SPY 20361219 C 460 -1";

// The test configuration: two option venues without complex books (so the vertical is only
// tradable by legging in), market makers on both, a FIX session for the test.
std::string Config(const std::string& data_dir, int fix_port, int metrics_port,
                   const std::string& leg_in_mode, int max_combo_quantity) {
  return absl::StrCat(R"(daemon:
  name: e2e
  data_dir: )",
                      data_dir, R"(
  drain_timeout: 3s
  shutdown_timeout: 20s
logging:
  level: info
  file: daemon.log
metrics:
  enabled: true
  listen_address: 127.0.0.1
  port: )",
                      metrics_port, R"(
)",
                      testing::kSpyCallsConfig, R"(venues:
  - name: ALPHA
    id: 1
    option_underlyings: [SPY]
    latency:
      seed: 1
      default: {fixed: 200us, jitter: 100us}
    latency_protection:
      tiers:
        - {from: 0s, bound: inclusive, period: 0s}
      test_instrument_id: 9001
  - name: BETA
    id: 2
    option_underlyings: [SPY]
    latency:
      seed: 2
      default: {fixed: 300us, jitter: 100us}
    aop:
      sources: [ALPHA]
      stale_after: 5s
router:
  stability_wait: 0s
leg_in:
  mode: )",
                      leg_in_mode, R"(
  leg_timeout: 500ms
risk:
  max_combo_quantity: )",
                      max_combo_quantity, R"(
)",
                      testing::JournalAndFixConfig(fix_port, "E2E", COMBO_FIX_DICTIONARY),
                      R"(simulation:
  enabled: true
  seed: 5
  underlyings:
    - {underlying: SPY, initial_price: 450.00, volatility: 0.20}
  market_makers:
    - {venue: ALPHA, min_half_spread_ticks: 1, max_half_spread_ticks: 2, quantity: 50}
    - {venue: BETA, min_half_spread_ticks: 1, max_half_spread_ticks: 3, quantity: 50}
)");
}

// The families docs/METRICS.md lists: name -> (type, present-when).
std::map<std::string, std::pair<std::string, std::string>> DocumentedFamilies() {
  std::map<std::string, std::pair<std::string, std::string>> families;
  std::ifstream in(std::string(COMBO_SOURCE_DIR) + "/docs/METRICS.md");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| `combo_", 0) != 0) continue;
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, '|');) {
      const size_t first = cell.find_first_not_of(' ');
      const size_t last = cell.find_last_not_of(' ');
      cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
    }
    // "", name, type, labels, present, meaning
    if (cells.size() < 6) continue;
    const std::string name = absl::StrReplaceAll(cells[1], {{"`", ""}});
    families[name] = {cells[2], cells[4]};
  }
  return families;
}

// combo-routerd (the build's) as a child process; killed if the test ends early.
class DaemonProcess {
 public:
  void Start(const std::string& config, const std::string& listen_file, const std::string& out) {
    ASSERT_TRUE(process_.Start(COMBO_ROUTERD, config, listen_file, out));
  }
  void Signal(int signal_number) const { ASSERT_TRUE(process_.Signal(signal_number)); }
  std::optional<int> WaitExit(std::chrono::milliseconds limit) { return process_.WaitExit(limit); }
  bool running() const { return process_.running(); }

 private:
  testing::DaemonProcess process_;
};

class DaemonEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / absl::StrCat("combo_daemon_e2e_", getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    data_dir_ = (dir_ / "data").string();
    config_path_ = (dir_ / "e2e.yaml").string();
    listen_file_ = (dir_ / "listening").string();
    fix_port_ = testing::FreeLoopbackPort();
    metrics_port_ = testing::FreeLoopbackPort();
  }
  void TearDown() override {
    client_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  void WriteConfig(const std::string& text) {
    const std::string temporary = config_path_ + ".tmp";
    std::ofstream(temporary) << text;
    std::filesystem::rename(temporary, config_path_);
  }

  std::string Log() const { return ReadFile(data_dir_ + "/daemon.log"); }

  int MetricsPort() const { return testing::ListenedPort(listen_file_, "metrics_port"); }

  absl::StatusOr<std::map<std::string, testing::ParsedFamily>> Scrape() const {
    absl::StatusOr<std::string> body = testing::HttpGet("127.0.0.1", metrics_port_, "/metrics");
    if (!body.ok()) return body.status();
    return testing::ParseExposition(*body);
  }
  double Metric(const std::string& family, const std::map<std::string, std::string>& labels = {},
                const std::string& sample = "") const {
    auto families = Scrape();
    if (!families.ok()) return -1;
    return testing::SumOf(*families, family, sample.empty() ? family : sample, labels);
  }

  // The resolver's residuals in `state` on /metrics.
  double ResidualsIn(const std::string& state) const {
    return Metric("combo_resolver_residuals", {{"state", state}});
  }

  // The resolver's journaled `action`s (any outcome) on /metrics.
  double ResolverActions(const std::string& action) const {
    return Metric("combo_resolver_actions_total", {{"action", action}});
  }

  // SIGKILL, then a new combo-routerd on the same config and data, listening.
  void KillAndRestart() {
    daemon_.Signal(SIGKILL);
    ASSERT_EQ(daemon_.WaitExit(30s), 128 + SIGKILL);
    std::filesystem::remove(listen_file_);
    StartDaemon();
  }

  // Starts combo-routerd on the written config and waits until it listens.
  void StartDaemon() {
    daemon_.Start(config_path_, listen_file_, (dir_ / "stdout.txt").string());
    ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(listen_file_); }, 30s))
        << ReadFile((dir_ / "stdout.txt").string());
  }

  void ConnectClient() {
    fix::ClientConfig config;
    config.port = fix_port_;
    config.sender_comp_id = "E2E";
    config.data_dictionary = COMBO_FIX_DICTIONARY;
    config.store_directory = (dir_ / "client-store").string();
    auto client = fix::FixClient::Create(config, [this](const FIX::Message& message) {
      std::lock_guard<std::mutex> lock(mutex_);
      std::string line = fix::DescribeMessage(message);
      // A report sent while the client was away arrives as a resend.
      if (message.getHeader().isSetField(FIX::FIELD::PossDupFlag) &&
          message.getHeader().getField(FIX::FIELD::PossDupFlag) == "Y") {
        line += " PossDupFlag=Y";
      }
      reports_.push_back(std::move(line));
    });
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = std::move(*client);
    ASSERT_TRUE(client_->Start().ok());
    ASSERT_TRUE(client_->WaitForLogon(core::Duration::Seconds(10)));
  }

  void SendOrder(const std::string& id, int64_t quantity, router::ComboOrderType type,
                 std::optional<core::Price> limit = std::nullopt) {
    fix::ComboOrderParams params;
    params.client_order_id = id;
    params.side = core::Side::kBuy;
    params.quantity = quantity;
    auto legs = fix::ParseLegText(kLegs);
    ASSERT_TRUE(legs.ok()) << legs.status();
    params.legs = *legs;
    params.type = type;
    params.limit_price = limit;
    params.time_in_force = router::ComboTimeInForce::kDay;
    ASSERT_TRUE(client_->Send(fix::MakeNewOrderMultileg(params, clock_.Now())).ok());
  }

  // Sends a SecurityDefinitionRequest for `legs` (combo text) and returns its answer's line, or
  // empty when none came back.
  std::string Define(const std::string& request_id, const std::string& legs) {
    auto parsed = fix::ParseLegText(legs);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    if (!parsed.ok() ||
        !client_->Send(fix::MakeSecurityDefinitionRequest(request_id, *parsed)).ok()) {
      return "";
    }
    const std::string key = absl::StrCat("SecurityReqID=", request_id, " ");
    std::string answer;
    WaitFor([&] { return !(answer = Find(key, "\n")).empty(); }, 10s);
    return answer;
  }

  // Defines the vertical (kLegs) over FIX: its SecurityID, or empty when none came back.
  std::string DefineVertical(const std::string& request_id) {
    auto legs = fix::ParseLegText(kLegs);
    if (!legs.ok() || !client_->Send(fix::MakeSecurityDefinitionRequest(request_id, *legs)).ok()) {
      return "";
    }
    const std::string key = absl::StrCat("SecurityReqID=", request_id, " SecurityID=");
    std::string id;
    WaitFor([&] { return !(id = Find(key, " ")).empty(); }, 10s);
    return id;
  }

  // A report about `id` containing `text`, received so far.
  bool Reported(const std::string& id, const std::string& text) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const std::string& report : reports_) {
      if (report.find("ClOrdID=" + id) != std::string::npos &&
          report.find(text) != std::string::npos) {
        return true;
      }
    }
    return false;
  }
  // From the latest report holding `key`: the text after `key` (after `then` within it, when
  // given) up to `end`. Empty when no report holds it.
  // One unit of kLegs bought at 0.01: an order that rests (no one sells the vertical that low).
  static fix::ComboOrderParams RestingVertical(const std::string& id,
                                               router::ComboTimeInForce time_in_force) {
    fix::ComboOrderParams params;
    params.client_order_id = id;
    params.quantity = 1;
    params.legs = *fix::ParseLegText(kLegs);
    params.limit_price = core::Price::FromParts(0, 10'000'000);
    params.time_in_force = time_in_force;
    return params;
  }

  std::string Find(const std::string& key, const std::string& end, const std::string& then = "") {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto report = reports_.rbegin(); report != reports_.rend(); ++report) {
      size_t at = report->find(key);
      if (at == std::string::npos) continue;
      at += key.size();
      if (!then.empty()) {
        const size_t then_at = report->find(then, at);
        if (then_at == std::string::npos) continue;
        at = then_at + then.size();
      }
      const size_t stop = report->find(end, at);
      return report->substr(at, stop == std::string::npos ? std::string::npos : stop - at);
    }
    return "";
  }
  std::string Reports() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string all;
    for (const std::string& report : reports_) absl::StrAppend(&all, report, "\n");
    return all;
  }

  std::filesystem::path dir_;
  std::string data_dir_;
  std::string config_path_;
  std::string listen_file_;
  int fix_port_ = 0;
  int metrics_port_ = 0;
  core::WallClock clock_;
  DaemonProcess daemon_;
  std::unique_ptr<fix::FixClient> client_;
  std::mutex mutex_;
  std::vector<std::string> reports_;
};

TEST_F(DaemonEndToEndTest, TradesReloadsChangesStateAndDrainsWithTheJournalIntact) {
  WriteConfig(Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100));
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ASSERT_EQ(MetricsPort(), metrics_port_) << ReadFile(listen_file_);
  const std::string banner = ReadFile((dir_ / "stdout.txt").string());
  EXPECT_NE(banner.find(absl::StrCat("FIX 4.4 acceptor: 127.0.0.1:", fix_port_)), std::string::npos)
      << banner;
  EXPECT_NE(banner.find(absl::StrCat("http://127.0.0.1:", metrics_port_, "/metrics")),
            std::string::npos)
      << banner;

  // Every documented family is exported with its type, and the scrape parses.
  {
    auto families = Scrape();
    ASSERT_TRUE(families.ok()) << families.status();
    const auto documented = DocumentedFamilies();
    ASSERT_GT(documented.size(), 20u);
    for (const auto& [name, doc] : documented) {
      const auto& [type, present] = doc;
      auto found = families->find(name);
      // The test's config runs FIX, latency protection (ALPHA) and AOP (BETA).
      if (present == "always" || present == "with FIX" || present == "with latency protection" ||
          present == "with AOP") {
        ASSERT_NE(found, families->end()) << name << " is documented but not exported";
      }
      if (found != families->end()) {
        EXPECT_EQ(found->second.type, type) << name;
        EXPECT_FALSE(found->second.help.empty()) << name;
      }
    }
    // And no combo_ family is exported that the documentation does not list (prometheus-cpp
    // adds its own exposer_* families to every scrape).
    for (const auto& [name, family] : *families) {
      if (name.rfind("combo_", 0) != 0) continue;
      EXPECT_TRUE(documented.contains(name)) << name << " is exported but not in docs/METRICS.md";
    }
  }

  // Trade: define the vertical (no venue lists it natively), watch its smart combo tick, and
  // buy at the implied ask with a day limit order: the router legs it in.
  ConnectClient();
  ASSERT_TRUE(WaitFor([&] { return Metric("combo_venue_up", {{"venue", "ALPHA"}}) == 1; }, 10s));
  const std::string combo_id = DefineVertical("D1");
  ASSERT_FALSE(combo_id.empty()) << Reports();
  ASSERT_TRUE(client_->Send(fix::MakeMarketDataRequest("Q1", std::stoul(combo_id), '1')).ok());
  int attempt = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        if (Metric("combo_legin_attempts_total") > 0) return true;
        const std::string ask = Find(" ask ", " (", " @ ");
        if (ask.empty()) return false;
        auto price = core::Price::Parse(ask);
        if (!price.ok()) return false;
        SendOrder(absl::StrCat("B", ++attempt), 1, router::ComboOrderType::kLimit,
                  *price + core::Price::FromParts(0, 20'000'000));
        return WaitFor([&] { return Metric("combo_legin_attempts_total") > 0; }, 5s);
      },
      45s))
      << Reports();
  EXPECT_TRUE(WaitFor(
      [&] {
        return Metric("combo_legin_leg_orders_total", {{"outcome", "sent"}}) > 0;
      },
      10s));
  EXPECT_GE(Metric("combo_router_decisions_total", {{"outcome", "implied"}}), 1);
  // Every order's first decision is timed, so the latency histogram has observations.
  EXPECT_GE(Metric("combo_router_decision_seconds", {}, "combo_router_decision_seconds_count"), 1);
  // Ticks re-decide resting orders: their wait for the decision pass is timed apart.
  EXPECT_GE(Metric("combo_router_tick_wait_seconds", {}, "combo_router_tick_wait_seconds_count"),
            1);
  EXPECT_GE(Metric("combo_orders_total", {{"outcome", "received"}}), 1);
  EXPECT_GE(Metric("combo_orders_total", {{"outcome", "accepted"}}), 1);
  // The error-account and journal gauges follow the journal once a second.
  EXPECT_TRUE(WaitFor([&] { return Metric("combo_journal_events_total") >= 1; }, 10s));

  // SIGHUP with a changed policy and tighter limits: applied, sessions stay up.
  WriteConfig(Config(data_dir_, fix_port_, metrics_port_, "defensive", 1));
  daemon_.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor(
      [&] {
        return Metric("combo_config_reloads_total", {{"outcome", "applied"}}) == 1;
      },
      10s))
      << Log();
  EXPECT_NE(Log().find("event=reload_applied"), std::string::npos);
  EXPECT_NE(Log().find("leg_in_mode=defensive"), std::string::npos) << Log();
  EXPECT_TRUE(client_->logged_on());
  // The new max_combo_quantity of 1 decides the next order.
  SendOrder("Q2", 2, router::ComboOrderType::kLimit, core::Price::FromParts(5, 0));
  EXPECT_TRUE(WaitFor([&] { return Reported("Q2", "Rejected"); }, 10s)) << Reports();
  EXPECT_GE(Metric("combo_risk_denials_total", {{"reason", "max_combo_quantity"}}), 1);

  // SIGHUP with a broken file: refused with a clear line, the running config stays.
  WriteConfig("leg_in:\n  mode: fast\n");
  daemon_.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor(
      [&] {
        return Metric("combo_config_reloads_total", {{"outcome", "refused"}}) == 1;
      },
      10s));
  EXPECT_NE(Log().find("event=reload_refused"), std::string::npos) << Log();
  EXPECT_TRUE(client_->logged_on());
  EXPECT_TRUE(daemon_.running());

  // Trading state by signal.
  daemon_.Signal(SIGUSR1);
  EXPECT_TRUE(WaitFor([&] { return Metric("combo_risk_trading_state") == 2; }, 10s));
  daemon_.Signal(SIGRTMIN);
  EXPECT_TRUE(WaitFor([&] { return Metric("combo_risk_trading_state") == 1; }, 10s));
  daemon_.Signal(SIGUSR2);
  EXPECT_TRUE(WaitFor([&] { return Metric("combo_risk_trading_state") == 0; }, 10s));
  EXPECT_NE(Log().find("cause=\"operator SIGUSR1 via signal"), std::string::npos) << Log();

  // SIGTERM: a clean exit.
  daemon_.Signal(SIGTERM);
  const std::optional<int> code = daemon_.WaitExit(30s);
  ASSERT_TRUE(code.has_value()) << "the daemon did not exit\n" << Log();
  EXPECT_EQ(*code, 0) << Log();
  EXPECT_NE(Log().find("event=drain_finished how=drained"), std::string::npos) << Log();

  // The journal is intact: it reads, replays into a ledger that reconciles, and holds the
  // accepted orders.
  auto journal = accounts::Journal::OpenReadOnly(data_dir_ + "/journal.sqlite");
  ASSERT_TRUE(journal.ok()) << journal.status();
  auto events = (*journal)->ReadAll();
  ASSERT_TRUE(events.ok()) << events.status();
  accounts::Ledger ledger;
  int accepted = 0;
  for (const accounts::StoredEvent& stored : *events) {
    ASSERT_TRUE(ledger.Apply(stored.sequence, stored.event).ok());
    if (std::holds_alternative<accounts::OrderAccepted>(stored.event)) ++accepted;
  }
  EXPECT_GE(accepted, 1);
  EXPECT_TRUE(ledger.Reconcile().ok()) << ledger.Reconcile();
}

// Every durability mode promises that an acknowledged order survives the death of the process:
// the client kills the daemon with SIGKILL from inside its callback, the moment the last of its
// acknowledgements arrives (more orders are still in flight), and every acknowledged order is in
// the journal.
TEST_F(DaemonEndToEndTest, KilledTheMomentItAcknowledgesItHasJournaledEveryAcknowledgedOrder) {
  constexpr int kOrders = 60;
  constexpr int kKillAfter = 40;
  for (const char* mode : {"process", "disk", "group_commit"}) {
    SCOPED_TRACE(mode);
    const std::filesystem::path run = dir_ / mode;
    const std::string data_dir = (run / "data").string();
    const std::string listen_file = (run / "listening").string();
    std::filesystem::create_directories(run);
    WriteConfig(absl::StrReplaceAll(
        Config(data_dir, testing::FreeLoopbackPort(), testing::FreeLoopbackPort(), "aggressive",
               100),
        {{"accounts:\n", absl::StrCat("accounts:\n  durability: ", mode, "\n")}}));
    DaemonProcess daemon;
    daemon.Start(config_path_, listen_file, (run / "stdout.txt").string());
    ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(listen_file); }, 30s))
        << ReadFile((run / "stdout.txt").string());
    const int fix_port = testing::ListenedPort(listen_file, "fix_port");
    ASSERT_GT(fix_port, 0) << ReadFile(listen_file);

    std::mutex mutex;
    std::vector<std::string> acknowledged;
    fix::ClientConfig config;
    config.port = fix_port;
    config.sender_comp_id = "E2E";
    config.data_dictionary = COMBO_FIX_DICTIONARY;
    config.store_directory = (run / "client-store").string();
    auto client = fix::FixClient::Create(config, [&](const FIX::Message& message) {
      if (!message.isSetField(FIX::FIELD::ExecType) ||
          message.getField(FIX::FIELD::ExecType) != "0")
        return;
      if (message.isSetField(FIX::FIELD::MultiLegReportingType) &&
          message.getField(FIX::FIELD::MultiLegReportingType) == "2")
        return;
      std::lock_guard<std::mutex> lock(mutex);
      acknowledged.push_back(message.getField(FIX::FIELD::ClOrdID));
      if (acknowledged.size() == kKillAfter) daemon.Signal(SIGKILL);
    });
    ASSERT_TRUE(client.ok()) << client.status();
    ASSERT_TRUE((*client)->Start().ok());
    ASSERT_TRUE((*client)->WaitForLogon(core::Duration::Seconds(10)));
    auto legs = fix::ParseLegText(kLegs);
    ASSERT_TRUE(legs.ok()) << legs.status();
    // Resting buys far below the market: each is acknowledged and stays open.
    for (int i = 0; i < kOrders; ++i) {
      fix::ComboOrderParams params;
      params.client_order_id = absl::StrCat(mode, "-", i);
      params.side = core::Side::kBuy;
      params.quantity = 1;
      params.legs = *legs;
      params.type = router::ComboOrderType::kLimit;
      params.limit_price = core::Price::FromParts(0, 50'000'000);
      params.time_in_force = router::ComboTimeInForce::kDay;
      ASSERT_TRUE((*client)->Send(fix::MakeNewOrderMultileg(params, clock_.Now())).ok());
    }
    const std::optional<int> code = daemon.WaitExit(30s);
    ASSERT_TRUE(code.has_value()) << "not killed: " << acknowledged.size() << " acks\n"
                                  << ReadFile(data_dir + "/daemon.log");
    EXPECT_EQ(*code, 128 + SIGKILL);
    client->reset();

    auto journal = accounts::Journal::OpenReadOnly(data_dir + "/journal.sqlite");
    ASSERT_TRUE(journal.ok()) << journal.status();
    auto events = (*journal)->ReadAll();
    ASSERT_TRUE(events.ok()) << events.status();
    std::set<std::string> journaled;
    for (const accounts::StoredEvent& stored : *events) {
      if (const auto* order = std::get_if<accounts::OrderAccepted>(&stored.event)) {
        journaled.insert(order->client_order.value());
      }
    }
    std::lock_guard<std::mutex> lock(mutex);
    ASSERT_GE(acknowledged.size(), static_cast<size_t>(kKillAfter));
    for (const std::string& id : acknowledged) {
      EXPECT_TRUE(journaled.contains(id)) << id << " was acknowledged but is not in the journal";
    }
  }
}

// daemon.busy_poll: the core thread spins over its sockets and timers; an order is answered and
// SIGTERM logs the FIX session out before a clean exit, as without it.
TEST_F(DaemonEndToEndTest, BusyPollingCoreTradesAndDrainsWithALogout) {
  std::string config = Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100);
  const std::string daemon_section = "daemon:\n";
  ASSERT_EQ(config.rfind(daemon_section, 0), 0u);
  config.insert(daemon_section.size(), "  busy_poll: true\n");
  WriteConfig(config);
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  EXPECT_NE(Log().find("fix_sockets=core_thread busy_poll=on"), std::string::npos) << Log();
  ConnectClient();
  SendOrder("busy1", 1, router::ComboOrderType::kLimit, core::Price::FromParts(1, 0));
  // Answered (whatever the router decided: the core thread served the socket both ways).
  EXPECT_TRUE(WaitFor([&] { return Reported("busy1", ""); }, 10s)) << Reports();

  daemon_.Signal(SIGTERM);
  EXPECT_TRUE(client_->WaitForLogout(core::Duration::Seconds(20))) << Log();
  const std::optional<int> code = daemon_.WaitExit(30s);
  ASSERT_TRUE(code.has_value()) << "the daemon did not exit\n" << Log();
  EXPECT_EQ(*code, 0) << Log();
  EXPECT_NE(Log().find("event=drain_finished how=drained"), std::string::npos) << Log();
}

// A cancel is acknowledged at once with a Pending Cancel (150=6 39=6); the Canceled (150=4)
// follows.
TEST_F(DaemonEndToEndTest, ACancelIsAcknowledgedPendingBeforeItsOutcome) {
  WriteConfig(Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100));
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  SendOrder("p1", 1, router::ComboOrderType::kLimit, core::Price::FromParts(0, 10'000'000));
  ASSERT_TRUE(WaitFor([&] { return Reported("p1", " New New "); }, 10s)) << Reports();
  ASSERT_TRUE(
      client_->Send(fix::MakeCancelRequest("p1c", "p1", core::Side::kBuy, clock_.Now())).ok());
  ASSERT_TRUE(WaitFor([&] { return Reported("p1c", " Canceled Canceled "); }, 10s)) << Reports();
  const std::string all = Reports();
  const size_t pending = all.find("ClOrdID=p1c");
  ASSERT_NE(pending, std::string::npos) << all;
  const std::string first = all.substr(pending, all.find('\n', pending) - pending);
  EXPECT_NE(first.find(" PendingCancel PendingCancel "), std::string::npos) << all;
  EXPECT_NE(first.find("OrigClOrdID=p1 "), std::string::npos) << all;
}

// A broker names a future the standard way (LegSymbol ES, LegSecurityType FUT,
// LegMaturityMonthYear 202612) though the catalog calls it ESZ6, and an option by its OCC symbol:
// both resolve, and the definition's legs name them as the daemon's reports do.
TEST_F(DaemonEndToEndTest, InstrumentsResolveByEveryStandardName) {
  std::string config = Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100);
  const std::string spy = "  - {id: 1, symbol: SPY, asset_class: etf, tick_size: 0.01}\n";
  ASSERT_NE(config.find(spy), std::string::npos);
  config.insert(config.find(spy) + spy.size(),
                "  - {id: 2, symbol: ESZ6, asset_class: future, underlying: ES, multiplier: 50, "
                "tick_size: 0.25, expiry: 2026-12-18}\n");
  const std::string router = "router:\n";
  ASSERT_NE(config.find(router), std::string::npos);
  config.insert(config.find(router),
                "  - name: GAMMA\n    id: 3\n    instruments: [ESZ6]\n    latency:\n      seed: 3\n"
                "      default: {fixed: 300us, jitter: 100us}\n");
  WriteConfig(config);
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();

  fix::LegSpec future;
  future.instrument.symbol = "ES";
  future.instrument.security_type = "FUT";
  future.instrument.maturity_month_year = "202612";
  future.ratio = 1;
  fix::LegSpec option;
  option.instrument.symbol = "SPY   361219C00450000";  // OCC
  option.ratio = 1;
  option.side = core::Side::kSell;
  ASSERT_TRUE(client_->Send(fix::MakeSecurityDefinitionRequest("D1", {future, option})).ok());
  ASSERT_TRUE(WaitFor([&] { return Reports().find("SecurityReqID=D1") != std::string::npos; }, 10s))
      << Reports();
  const std::string answer = Reports();
  EXPECT_NE(answer.find("SecurityDefinition SecurityReqID=D1 SecurityID="), std::string::npos)
      << answer;
  EXPECT_NE(answer.find("ES 202612"), std::string::npos) << answer;
  EXPECT_NE(answer.find("SPY 20361219 C 450"), std::string::npos) << answer;
}

// A killed daemon resumes what it acknowledged (docs/OPERATIONS.md "What survives a restart"):
// 20 resting orders (one replaced, one naming a defined combo by SecurityID) are acknowledged,
// the daemon is killed with SIGKILL and started again on the same data; the client logs on
// again from its store, and every order answers status as working, with its terms, and
// cancels; the defined combo keeps its SecurityID; order ids continue; and after a drain the
// journal holds no order open.
TEST_F(DaemonEndToEndTest, AcknowledgedRestingOrdersSurviveAKill9AndAnswerStatusAndCancel) {
  constexpr int kOrders = 20;
  WriteConfig(Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100));
  const std::string out = (dir_ / "stdout.txt").string();
  daemon_.Start(config_path_, listen_file_, out);
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(listen_file_); }, 30s)) << ReadFile(out);
  ConnectClient();

  // Another combo first, finished before the crash, so that the defined one's id is not the
  // first a restarted router would hand out.
  {
    fix::ComboOrderParams params;
    params.client_order_id = "other";
    params.quantity = 1;
    auto legs = fix::ParseLegText("SPY 20361219 C 450 +1 / SPY 20361219 C 460 -2");
    ASSERT_TRUE(legs.ok()) << legs.status();
    params.legs = *legs;
    params.limit_price = core::Price::FromParts(-100, 0);
    params.time_in_force = router::ComboTimeInForce::kDay;
    ASSERT_TRUE(client_->Send(fix::MakeNewOrderMultileg(params, clock_.Now())).ok());
    ASSERT_TRUE(WaitFor([&] { return Reported("other", " New New "); }, 10s)) << Reports();
    ASSERT_TRUE(
        client_->Send(fix::MakeCancelRequest("otherc", "other", core::Side::kBuy, clock_.Now()))
            .ok());
    ASSERT_TRUE(WaitFor([&] { return Reported("otherc", " Canceled Canceled "); }, 10s))
        << Reports();
  }
  auto legs = fix::ParseLegText(kLegs);
  ASSERT_TRUE(legs.ok()) << legs.status();
  const std::string combo_id = DefineVertical("D1");
  ASSERT_FALSE(combo_id.empty()) << Reports();
  ASSERT_NE(combo_id, "1") << Reports();

  // Resting buys far below the market; the last names the defined combo by SecurityID.
  for (int i = 0; i < kOrders; ++i) {
    fix::ComboOrderParams params;
    params.client_order_id = absl::StrCat("r", i);
    params.quantity = 1 + i % 3;
    if (i == kOrders - 1) {
      params.combo_id = static_cast<uint32_t>(std::stoul(combo_id));
    } else {
      params.legs = *legs;
    }
    params.limit_price = core::Price::FromParts(0, 10'000'000 * (1 + i));
    params.time_in_force =
        i % 2 == 0 ? router::ComboTimeInForce::kDay : router::ComboTimeInForce::kGoodTillCancel;
    ASSERT_TRUE(client_->Send(fix::MakeNewOrderMultileg(params, clock_.Now())).ok());
  }
  for (int i = 0; i < kOrders; ++i) {
    ASSERT_TRUE(WaitFor([&] { return Reported(absl::StrCat("r", i), " New New "); }, 10s))
        << Reports();
  }
  const std::string last_order_id = Find(absl::StrCat("ClOrdID=r", kOrders - 1, " OrderID="), " ");
  ASSERT_TRUE(
      client_
          ->Send(fix::MakeReplaceRequest("r0x", "r0", core::Side::kBuy, 4,
                                         core::Price::FromParts(0, 20'000'000), clock_.Now()))
          .ok());
  ASSERT_TRUE(WaitFor([&] { return Reported("r0x", " Replaced New "); }, 10s)) << Reports();

  daemon_.Signal(SIGKILL);
  ASSERT_EQ(daemon_.WaitExit(30s), 128 + SIGKILL);
  client_.reset();
  std::filesystem::remove(listen_file_);
  daemon_.Start(config_path_, listen_file_, out);
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(listen_file_); }, 30s))
      << ReadFile(out) << Log();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    reports_.clear();
  }
  ConnectClient();

  // Status: every order is working, in the terms it had.
  for (int i = 0; i < kOrders; ++i) {
    const std::string id = i == 0 ? "r0x" : absl::StrCat("r", i);
    ASSERT_TRUE(client_->Send(fix::MakeStatusRequest(id, core::Side::kBuy)).ok());
    ASSERT_TRUE(WaitFor([&] { return Reported(id, " Status New "); }, 10s)) << id << Reports();
  }
  EXPECT_NE(Find("ClOrdID=r0x ", "\n").find("qty 4 cum 0 leaves 4 avg 0 limit 0.02"),
            std::string::npos)
      << Reports();
  EXPECT_NE(Find("ClOrdID=r5 ", "\n").find("qty 3 cum 0 leaves 3 avg 0 limit 0.06"),
            std::string::npos)
      << Reports();
  // The defined combo kept its SecurityID: the order that named it still does, and defining the
  // same legs again answers the same id.
  EXPECT_NE(Find(absl::StrCat("ClOrdID=r", kOrders - 1, " "), "\n").find("limit 0.2 "),
            std::string::npos)
      << Reports();
  EXPECT_EQ(DefineVertical("D2"), combo_id) << Reports();
  // Order ids continue after the journal's highest.
  SendOrder("n1", 1, router::ComboOrderType::kLimit, core::Price::FromParts(0, 10'000'000));
  ASSERT_TRUE(WaitFor([&] { return Reported("n1", " New New "); }, 10s)) << Reports();
  EXPECT_GT(std::stoull(Find("ClOrdID=n1 OrderID=", " ")), std::stoull(last_order_id));

  // A replace of a restored order works as before the restart.
  ASSERT_TRUE(
      client_
          ->Send(fix::MakeReplaceRequest("r1x", "r1", core::Side::kBuy, 5,
                                         core::Price::FromParts(0, 30'000'000), clock_.Now()))
          .ok());
  ASSERT_TRUE(WaitFor([&] { return Reported("r1x", " Replaced New "); }, 10s)) << Reports();
  EXPECT_NE(Find("ClOrdID=r1x ", "\n", " Replaced ").find("qty 5 cum 0 leaves 5 avg 0 limit 0.03"),
            std::string::npos)
      << Reports();

  // Cancel: every restored order cancels.
  for (int i = 0; i < kOrders; ++i) {
    const std::string id = i == 0 ? "r0x" : i == 1 ? "r1x" : absl::StrCat("r", i);
    ASSERT_TRUE(
        client_->Send(fix::MakeCancelRequest(id + "c", id, core::Side::kBuy, clock_.Now())).ok());
    ASSERT_TRUE(WaitFor([&] { return Reported(id + "c", " Canceled Canceled "); }, 10s))
        << id << Reports();
  }
  ASSERT_TRUE(
      client_->Send(fix::MakeCancelRequest("n1c", "n1", core::Side::kBuy, clock_.Now())).ok());
  ASSERT_TRUE(WaitFor([&] { return Reported("n1c", " Canceled Canceled "); }, 10s)) << Reports();

  // Drained, the journal holds no order open, and it reconciles.
  daemon_.Signal(SIGTERM);
  ASSERT_EQ(daemon_.WaitExit(30s), 0) << Log();
  auto journal = accounts::Journal::OpenReadOnly(data_dir_ + "/journal.sqlite");
  ASSERT_TRUE(journal.ok()) << journal.status();
  auto events = (*journal)->ReadAll();
  ASSERT_TRUE(events.ok()) << events.status();
  auto ledger = accounts::ReplayJournal(*events);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(ledger->orders().size(), static_cast<size_t>(kOrders + 2));
  for (const auto& [id, order] : ledger->orders()) {
    EXPECT_EQ(order.state, accounts::OrderState::kCancelled) << "order " << id.value();
  }
}

// At start, a restored day order whose trading day ended while the daemon was down expires
// (ExecType C, OrdStatus C, Text saying why) and a GTC order resumes; the report reaches the
// broker on its next logon as a resend. With router.on_restart: cancel, every restored order is
// cancelled at start instead (150=4 with Text).
TEST_F(DaemonEndToEndTest, RestoredDayOrdersOfAnEndedDayExpireAndOnRestartCancelCancelsAll) {
  // A trading day end twelve hours from now (UTC): no day ends during the test by itself.
  const int64_t minute_now = (clock_.Now().unix_nanos() / 60'000'000'000) % (24 * 60);
  const int64_t end_minute = (minute_now + 12 * 60) % (24 * 60);
  const std::string day_end = absl::StrCat(end_minute / 600, (end_minute / 60) % 10, ":",
                                           (end_minute % 60) / 10, end_minute % 10);
  const auto config_with = [&](const std::string& router_keys) {
    return absl::StrCat(
        absl::StrReplaceAll(Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100),
                            {{"router:\n", absl::StrCat("router:\n", router_keys)}}),
        "calendar:\n  time_zone: UTC\n  close: \"", day_end, "\"\n");
  };
  const auto restart = [&] {
    daemon_.Signal(SIGKILL);
    ASSERT_EQ(daemon_.WaitExit(30s), 128 + SIGKILL);
    client_.reset();
    std::filesystem::remove(listen_file_);
    daemon_.Start(config_path_, listen_file_, (dir_ / "stdout.txt").string());
    ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(listen_file_); }, 30s)) << Log();
  };
  WriteConfig(config_with(""));
  daemon_.Start(config_path_, listen_file_, (dir_ / "stdout.txt").string());
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(listen_file_); }, 30s)) << Log();
  ConnectClient();
  for (const auto& [id, tif] : {std::pair{"g1", router::ComboTimeInForce::kGoodTillCancel},
                                std::pair{"d1", router::ComboTimeInForce::kDay}}) {
    ASSERT_TRUE(
        client_->Send(fix::MakeNewOrderMultileg(RestingVertical(id, tif), clock_.Now())).ok());
    const std::string sent = id;
    ASSERT_TRUE(WaitFor([&] { return Reported(sent, " New New "); }, 10s)) << Reports();
  }
  daemon_.Signal(SIGKILL);
  ASSERT_EQ(daemon_.WaitExit(30s), 128 + SIGKILL);
  // A day order accepted a week ago, still open in the journal (as a daemon down since then
  // would have left it): g1's terms under another id. (A week, so that its trading day, weekend
  // or not, has ended.)
  {
    auto journal = accounts::Journal::Open(data_dir_ + "/journal.sqlite");
    ASSERT_TRUE(journal.ok()) << journal.status();
    auto events = (*journal)->ReadAll();
    ASSERT_TRUE(events.ok()) << events.status();
    accounts::OrderAccepted old;
    for (const accounts::StoredEvent& stored : *events) {
      if (const auto* order = std::get_if<accounts::OrderAccepted>(&stored.event)) old = *order;
    }
    old.order = core::OrderId(old.order.value() + 100);
    old.client_order = core::ClientOrderId("old1");
    old.time_in_force = accounts::JournaledTimeInForce::kDay;
    old.time = old.time - core::Duration::Seconds(7 * 24 * 3600);
    // Recorded without its expiry, as journals before schema 4 were: its day comes from the
    // calendar.
    old.expires_at.reset();
    const std::vector<accounts::StoredEvent> appended = {{events->size() + 1, old}};
    ASSERT_TRUE((*journal)->Append(appended).ok());
  }
  client_.reset();
  std::filesystem::remove(listen_file_);
  daemon_.Start(config_path_, listen_file_, (dir_ / "stdout.txt").string());
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(listen_file_); }, 30s)) << Log();
  ConnectClient();
  ASSERT_TRUE(WaitFor([&] { return Reported("old1", " Expired Expired "); }, 10s)) << Reports();
  const std::string expired = Find("ClOrdID=old1 ", "\n");
  EXPECT_NE(expired.find("trading day ended"), std::string::npos) << expired;
  EXPECT_NE(expired.find("PossDupFlag=Y"), std::string::npos) << expired;
  for (const char* id : {"g1", "d1"}) {
    ASSERT_TRUE(client_->Send(fix::MakeStatusRequest(id, core::Side::kBuy)).ok());
    ASSERT_TRUE(WaitFor([&] { return Reported(id, " Status New "); }, 10s)) << id << Reports();
  }

  // The operator wants a clean slate: every restored order is cancelled at start.
  WriteConfig(config_with("  on_restart: cancel\n"));
  restart();
  ConnectClient();
  for (const char* id : {"g1", "d1"}) {
    ASSERT_TRUE(WaitFor([&] { return Reported(id, " Canceled Canceled "); }, 10s))
        << id << Reports();
    EXPECT_NE(Find(absl::StrCat("ClOrdID=", id, " "), "\n", " Canceled Canceled ")
                  .find("cancelled at start"),
              std::string::npos)
        << Reports();
  }
}

// fix.sessions[].cancel_on_disconnect: when the session logs out, its working orders are
// cancelled (150=4, Text saying why); the reports reach the broker on its next Logon as resends.
TEST_F(DaemonEndToEndTest, ASessionThatCancelsOnDisconnectHasItsOrdersCancelledWhenItLogsOut) {
  WriteConfig(absl::StrReplaceAll(
      Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100),
      {{"{client_comp_id: E2E}", "{client_comp_id: E2E, cancel_on_disconnect: true}"}}));
  daemon_.Start(config_path_, listen_file_, (dir_ / "stdout.txt").string());
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(listen_file_); }, 30s)) << Log();
  ConnectClient();
  for (const char* id : {"c1", "c2"}) {
    SendOrder(id, 1, router::ComboOrderType::kLimit, core::Price::FromParts(0, 10'000'000));
    const std::string sent = id;
    ASSERT_TRUE(WaitFor([&] { return Reported(sent, " New New "); }, 10s)) << Reports();
  }
  client_->Stop();
  client_.reset();
  ConnectClient();
  for (const char* id : {"c1", "c2"}) {
    const std::string sent = id;
    ASSERT_TRUE(WaitFor([&] { return Reported(sent, " Canceled Canceled "); }, 10s)) << Reports();
    const std::string report = Find(absl::StrCat("ClOrdID=", id, " "), "\n", " Canceled Canceled ");
    EXPECT_NE(report.find("cancelled on disconnect"), std::string::npos) << report;
    EXPECT_NE(report.find("PossDupFlag=Y"), std::string::npos) << report;
  }
}

TEST_F(DaemonEndToEndTest, CheckConfigValidatesAFileAndExits) {
  WriteConfig(Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100));
  const std::string ok_out = (dir_ / "ok.txt").string();
  const std::string command = absl::StrCat(COMBO_ROUTERD, " --check-config ", config_path_);
  EXPECT_EQ(std::system((command + " > " + ok_out + " 2>&1").c_str()), 0) << ReadFile(ok_out);
  EXPECT_NE(ReadFile(ok_out).find(": OK ("), std::string::npos) << ReadFile(ok_out);
  // Nothing was started: no data directory.
  EXPECT_FALSE(std::filesystem::exists(data_dir_));

  WriteConfig("leg_in:\n  mode: fast\n");
  const std::string bad_out = (dir_ / "bad.txt").string();
  EXPECT_NE(std::system((command + " > " + bad_out + " 2>&1").c_str()), 0);
  EXPECT_NE(ReadFile(bad_out).find("leg_in.mode"), std::string::npos) << ReadFile(bad_out);
}

// An order as mainstream FIX engines send it: HandlInst, OrderCapacity, Currency,
// SecondaryClOrdID, PositionEffect, MultiLegRptTypeReq and, on each leg, LegPositionEffect,
// LegCoveredOrUncovered and LegPrice are standard FIX 4.4 fields of NewOrderMultileg: accepted
// (and ignored, docs/FIX.md), never a session Reject. A field FIX 4.4 does not have is still
// refused.
TEST_F(DaemonEndToEndTest, AnOrderWithTheStandardFieldsOtherEnginesSetIsAccepted) {
  WriteConfig(Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100));
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  fix::ComboOrderParams params;
  params.client_order_id = "std1";
  params.side = core::Side::kBuy;
  params.quantity = 1;
  params.legs = *fix::ParseLegText(kLegs);
  params.type = router::ComboOrderType::kLimit;
  params.limit_price = core::Price::FromParts(0, 10'000'000);
  params.time_in_force = router::ComboTimeInForce::kDay;
  FIX::Message order = fix::MakeNewOrderMultileg(params, clock_.Now());
  order.setField(FIX::FIELD::HandlInst, "1");
  order.setField(FIX::FIELD::OrderCapacity, "A");
  order.setField(FIX::FIELD::Currency, "USD");
  order.setField(FIX::FIELD::SecondaryClOrdID, "desk-77");
  order.setField(FIX::FIELD::PositionEffect, "O");
  order.setField(FIX::FIELD::MultiLegRptTypeReq, "1");
  for (int leg = 1; leg <= 2; ++leg) {
    FIX::FieldMap& group = order.getGroupRef(leg, FIX::FIELD::NoLegs);
    group.setField(FIX::FIELD::LegPositionEffect, "O");
    group.setField(FIX::FIELD::LegCoveredOrUncovered, "0");
  }
  ASSERT_TRUE(client_->Send(order).ok());
  EXPECT_TRUE(WaitFor([&] { return Reported("std1", " New New "); }, 10s)) << Reports();

  FIX::Message odd = fix::MakeNewOrderMultileg(
      [&] {
        fix::ComboOrderParams p = params;
        p.client_order_id = "std2";
        return p;
      }(),
      clock_.Now());
  odd.setField(5001, "x");  // not a FIX 4.4 field
  ASSERT_TRUE(client_->Send(odd).ok());
  EXPECT_TRUE(WaitFor(
      [&] {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const std::string& report : reports_) {
          if (report.find("Reject") != std::string::npos &&
              report.find("5001") != std::string::npos) {
            return true;
          }
        }
        return false;
      },
      10s))
      << Reports();
  EXPECT_FALSE(Reported("std2", " New New ")) << Reports();
}

// A vertical's legs as another FIX engine lays them out: each leg's fields in its own group
// entry, MultiLegRptTypeReq after the legs.
constexpr std::string_view kRawVerticalLegs =
    "555=2|600=SPY|608=OCXXXS|609=OPT|611=20361219|612=450|564=O|565=0|566=4.10|623=1|624=1|"
    "600=SPY|608=OCXXXS|609=OPT|611=20361219|612=460|564=O|565=0|566=0.12|623=1|624=2|"
    "563=0";

// Logs `connection` on as E2E (its Logon is sequence number 1) and waits for the answer.
void LogOnRaw(fix::testing::RawConnection& connection) {
  ASSERT_TRUE(connection.connected());
  connection.Send(fix::testing::RawLogon("E2E", 1));
  ASSERT_NE(connection
                .ReadUntil("\x01"
                           "35=A\x01")
                .find("35=A"),
            std::string::npos);
}

// The same order as raw bytes, its fields in the order another FIX engine lays them out (header,
// then the order's fields by tag, each leg's fields in its own group entry, MultiLegRptTypeReq
// after the legs): acknowledged. An instruction the router cannot honour (ExecInst G,
// all-or-none) is refused by the router with its reason, not by the session.
TEST_F(DaemonEndToEndTest, AnOrderAsRawBytesFromAnotherEngineIsAcknowledged) {
  WriteConfig(Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100));
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  fix::testing::RawConnection connection(fix_port_);
  ASSERT_NO_FATAL_FAILURE(LogOnRaw(connection));
  const std::string legs(kRawVerticalLegs);
  connection.Send(fix::testing::RawFix(
      "AB", "E2E", "COMBO", 2,
      "1=ACCT1|11=raw1|15=USD|21=1|38=1|40=2|44=0.01|54=1|59=0|60=20261207-14:30:00.000|77=O|"
      "526=oms-4471|528=A|" +
          legs));
  const std::string ack = connection.ReadUntil(
      "\x01"
      "150=0\x01");
  EXPECT_NE(ack.find("\x01"
                     "11=raw1\x01"),
            std::string::npos)
      << ack;
  EXPECT_EQ(ack.find("35=3\x01"), std::string::npos) << ack;

  connection.Send(fix::testing::RawFix(
      "AB", "E2E", "COMBO", 3,
      "11=raw2|18=G|21=1|38=1|40=2|44=0.01|54=1|60=20261207-14:30:01.000|" + legs));
  const std::string refused = connection.ReadUntil(
      "\x01"
      "150=8\x01");
  EXPECT_NE(refused.find("\x01"
                         "11=raw2\x01"),
            std::string::npos)
      << refused;
  EXPECT_NE(refused.find("ExecInst(18) \"G\" is not supported"), std::string::npos) << refused;
}

// A pipelining client's orders arrive many to a read, and a message may be cut between reads:
// the acceptor hands QuickFIX's parser a read a slice at a time (docs/FIX.md "Sockets"). Sixty
// orders in one write (about 20 KiB, many slices) and one more cut in two writes are each
// acknowledged, in the order sent.
TEST_F(DaemonEndToEndTest, OrdersPipelinedInOneWriteOrCutBetweenWritesAreEachAcknowledgedInOrder) {
  WriteConfig(Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100));
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  fix::testing::RawConnection connection(fix_port_);
  ASSERT_NO_FATAL_FAILURE(LogOnRaw(connection));
  const std::string legs(kRawVerticalLegs);
  const auto order = [&](int n) {
    return fix::testing::RawFix("AB", "E2E", "COMBO", n + 1,
                                absl::StrCat("1=ACCT1|11=p", n,
                                             "|21=1|38=1|40=2|44=0.01|54=1|59=0|"
                                             "60=20261207-14:30:00.000|",
                                             legs));
  };
  constexpr int kInOneWrite = 60;
  std::string burst;
  for (int n = 1; n <= kInOneWrite; ++n) burst += order(n);
  ASSERT_GT(burst.size(), 16u * 1024u);
  connection.Send(burst);
  const std::string cut = order(kInOneWrite + 1);
  connection.Send(cut.substr(0, cut.size() / 2));
  ASSERT_NE(connection
                .ReadUntil(absl::StrCat("\x01"
                                        "11=p",
                                        kInOneWrite, "\x01"))
                .find("150=0"),
            std::string::npos);
  connection.Send(cut.substr(cut.size() / 2));
  const std::string received =
      connection.ReadUntil(absl::StrCat("\x01"
                                        "11=p",
                                        kInOneWrite + 1, "\x01"));
  size_t from = 0;
  for (int n = 1; n <= kInOneWrite + 1; ++n) {
    const size_t at = received.find(absl::StrCat("\x01"
                                                 "11=p",
                                                 n, "\x01"),
                                    from);
    ASSERT_NE(at, std::string::npos) << "order p" << n << " was not acknowledged in its turn";
    from = at;
  }
  EXPECT_EQ(received.find("35=3\x01"), std::string::npos) << "nothing was refused";
}

// Orders end on their own while the daemon runs (docs/ROUTER.md "Trading day"): a calendar whose
// close is a few seconds away (every weekday a session, so the test runs any day), a
// good-till-date order ending sooner (ExpireTime), a day order and a GTC order. The GTD order
// expires at its time, the day order at the close, each with ExecType C / OrdStatus C and the
// reason; the GTC order still works and answers status.
TEST_F(DaemonEndToEndTest, DayAndGoodTillDateOrdersExpireWhileTheDaemonRuns) {
  const int64_t now_s = clock_.Now().unix_nanos() / 1'000'000'000;
  const int64_t close_s = (now_s + 8) % (24 * 3600);
  const std::string close =
      absl::StrFormat("%02d:%02d:%02d", close_s / 3600, close_s / 60 % 60, close_s % 60);
  WriteConfig(absl::StrCat(Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100),
                           "calendar:\n  time_zone: UTC\n  close: \"", close,
                           "\"\n  weekdays: [mon, tue, wed, thu, fri, sat, sun]\n"));
  daemon_.Start(config_path_, listen_file_, (dir_ / "stdout.txt").string());
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(listen_file_); }, 30s)) << Log();
  ConnectClient();
  for (const auto& [id, tif] : {std::pair{"gtc", router::ComboTimeInForce::kGoodTillCancel},
                                std::pair{"day", router::ComboTimeInForce::kDay},
                                std::pair{"gtd", router::ComboTimeInForce::kGoodTillDate}}) {
    FIX::Message order = fix::MakeNewOrderMultileg(RestingVertical(id, tif), clock_.Now());
    if (tif == router::ComboTimeInForce::kGoodTillDate) {
      order.setField(FIX::ExpireTime(FIX::UtcTimeStamp(static_cast<time_t>(now_s + 3), 0, 3)));
    }
    ASSERT_TRUE(client_->Send(order).ok());
    const std::string sent = id;
    ASSERT_TRUE(WaitFor([&] { return Reported(sent, " New New "); }, 10s)) << Reports();
  }
  ASSERT_TRUE(WaitFor([&] { return Reported("gtd", " Expired Expired "); }, 15s)) << Reports();
  EXPECT_FALSE(Reported("day", " Expired Expired ")) << Reports();
  EXPECT_NE(Find("ClOrdID=gtd ", "\n", " Expired Expired ").find("expired: good till"),
            std::string::npos)
      << Reports();
  ASSERT_TRUE(WaitFor([&] { return Reported("day", " Expired Expired "); }, 15s)) << Reports();
  EXPECT_NE(Find("ClOrdID=day ", "\n", " Expired Expired ").find("its trading day ended"),
            std::string::npos)
      << Reports();
  ASSERT_TRUE(client_->Send(fix::MakeStatusRequest("gtc", core::Side::kBuy)).ok());
  EXPECT_TRUE(WaitFor([&] { return Reported("gtc", " Status New "); }, 10s)) << Reports();
  EXPECT_FALSE(Reported("gtc", " Expired ")) << Reports();
}

// Immediate orders (docs/ROUTER.md "Immediate orders"): a market, IOC or FOK order for the
// vertical, sent with its time in force.
void SendImmediateOrder(fix::FixClient& client, const std::string& id, int64_t quantity,
                        router::ComboOrderType type, std::optional<core::Price> limit,
                        router::ComboTimeInForce time_in_force, const core::Clock& clock) {
  fix::ComboOrderParams params;
  params.client_order_id = id;
  params.side = core::Side::kBuy;
  params.quantity = quantity;
  auto legs = fix::ParseLegText(kLegs);
  ASSERT_TRUE(legs.ok()) << legs.status();
  params.legs = *legs;
  params.type = type;
  params.limit_price = limit;
  params.time_in_force = time_in_force;
  ASSERT_TRUE(client.Send(fix::MakeNewOrderMultileg(params, clock.Now())).ok());
}

// The combo reports (not the per-leg ones) about `id` that contain `text`, in arrival order.
std::vector<std::string> ComboReportsOf(const std::string& all, const std::string& id,
                                        const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(all);
  for (std::string line; std::getline(in, line);) {
    if (line.find("combo ClOrdID=" + id + " ") != std::string::npos &&
        line.find(text) != std::string::npos) {
      lines.push_back(line);
    }
  }
  return lines;
}

// The price after `key` in `line` (up to the next space), or nullopt.
std::optional<core::Price> PriceAfter(const std::string& line, const std::string& key) {
  const size_t at = line.find(key);
  if (at == std::string::npos) return std::nullopt;
  const size_t from = at + key.size();
  auto price = core::Price::Parse(line.substr(from, line.find(' ', from) - from));
  if (!price.ok()) return std::nullopt;
  return *price;
}

// A market IOC buy of the vertical (no venue lists it: the router legs it in) gets its limit
// from the collar at arrival (the implied ask + the larger of 10 ticks and 1%), reported as
// Price(44), and fills within it; a market Day order is rejected with the reason.
TEST_F(DaemonEndToEndTest, AMarketIocBuyOfAVerticalFillsWithinItsCollarAndAMarketDayIsRejected) {
  WriteConfig(Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100));
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  ASSERT_TRUE(WaitFor([&] { return Metric("combo_venue_up", {{"venue", "ALPHA"}}) == 1; }, 10s));
  const std::string combo_id = DefineVertical("D1");
  ASSERT_FALSE(combo_id.empty()) << Reports();
  ASSERT_TRUE(client_->Send(fix::MakeMarketDataRequest("Q1", std::stoul(combo_id), '1')).ok());
  ASSERT_TRUE(WaitFor([&] { return !Find(" ask ", " (", " @ ").empty(); }, 20s)) << Reports();

  SendImmediateOrder(*client_, "MD1", 1, router::ComboOrderType::kMarket, std::nullopt,
                     router::ComboTimeInForce::kDay, clock_);
  ASSERT_TRUE(WaitFor([&] { return Reported("MD1", " Rejected "); }, 10s)) << Reports();
  EXPECT_TRUE(
      Reported("MD1", "a market order never rests: its time in force must be ioc or fok, not day"))
      << Reports();

  // The leg-in may lose a race with the market makers now and then (its legs go to the error
  // account and the client sees a cancel); a few attempts see a fill.
  std::string filled;
  for (int attempt = 1; attempt <= 10 && filled.empty(); ++attempt) {
    const std::string id = absl::StrCat("MK", attempt);
    SendImmediateOrder(*client_, id, 1, router::ComboOrderType::kMarket, std::nullopt,
                       router::ComboTimeInForce::kImmediateOrCancel, clock_);
    ASSERT_TRUE(
        WaitFor([&] { return Reported(id, " Filled ") || Reported(id, " Canceled "); }, 15s))
        << Reports();
    if (Reported(id, " Filled ")) {
      filled = id;
    } else {
      // Cancelled: with its reason, never resting.
      EXPECT_FALSE(ComboReportsOf(Reports(), id,
                                  "Text=\"market order (ioc): 0 of 1 units "
                                  "executed; ")
                       .empty())
          << Reports();
    }
  }
  ASSERT_FALSE(filled.empty()) << Reports();
  const std::vector<std::string> acks = ComboReportsOf(Reports(), filled, " New New ");
  ASSERT_EQ(acks.size(), 1u) << Reports();
  const std::vector<std::string> trades = ComboReportsOf(Reports(), filled, " Trade Filled ");
  ASSERT_EQ(trades.size(), 1u) << Reports();
  // Price(44) of a market order's reports is its collar's limit; the fill is within it.
  const std::optional<core::Price> collar = PriceAfter(acks[0], " limit ");
  const std::optional<core::Price> price = PriceAfter(trades[0], " last 1 @ ");
  ASSERT_TRUE(collar.has_value()) << acks[0];
  ASSERT_TRUE(price.has_value()) << trades[0];
  EXPECT_LE(*price, *collar) << trades[0];
  EXPECT_NE(trades[0].find(absl::StrCat(" limit ", collar->ToString())), std::string::npos)
      << trades[0];
  EXPECT_GE(Metric("combo_router_decisions_total", {{"outcome", "implied"}}), 1);
}

// On a market whose top levels show 50 contracts at each venue, with a zero collar: a market
// IOC for 150 takes what the arrival ask shows and its rest is cancelled with the reason; a
// limit IOC for 400 at the ask fills in part and its rest is cancelled; a FOK for 150 is
// cancelled at once with no fill, since the whole quantity does not show.
TEST_F(DaemonEndToEndTest, ImmediateOrdersTakeWhatShowsAtOnceAndTheRestIsCancelledWithItsReason) {
  std::string config = Config(data_dir_, fix_port_, metrics_port_, "aggressive", 1000);
  const std::string risk = "risk:\n";
  ASSERT_NE(config.find(risk), std::string::npos);
  // Slices of 50 contracts carry more dollar delta than the default legging limit.
  config.insert(config.find(risk) + risk.size(), "  max_legin_dollar_delta: 10000000\n");
  const std::string router = "router:\n";
  ASSERT_NE(config.find(router), std::string::npos);
  config.insert(config.find(router) + router.size(),
                "  market_order_collar: {ticks: 0, basis_points: 0}\n");
  WriteConfig(config);
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  ASSERT_TRUE(WaitFor([&] { return Metric("combo_venue_up", {{"venue", "ALPHA"}}) == 1; }, 10s));
  const std::string combo_id = DefineVertical("D1");
  ASSERT_FALSE(combo_id.empty()) << Reports();
  ASSERT_TRUE(client_->Send(fix::MakeMarketDataRequest("Q1", std::stoul(combo_id), '1')).ok());
  ASSERT_TRUE(WaitFor([&] { return !Find(" ask ", " (", " @ ").empty(); }, 20s)) << Reports();

  // FOK: the ask never shows 150 (two venues of 50 at most): cancelled at once, nothing traded.
  auto ask = core::Price::Parse(Find(" ask ", " (", " @ "));
  ASSERT_TRUE(ask.ok()) << Reports();
  SendImmediateOrder(*client_, "F1", 150, router::ComboOrderType::kLimit,
                     *ask + core::Price::FromParts(0, 100'000'000),
                     router::ComboTimeInForce::kFillOrKill, clock_);
  ASSERT_TRUE(WaitFor([&] { return Reported("F1", " Canceled "); }, 10s)) << Reports();
  EXPECT_FALSE(
      ComboReportsOf(Reports(), "F1",
                     "Text=\"limit order (fok): 0 of 150 units executed; the whole quantity is "
                     "not available within the limit ")
          .empty())
      << Reports();
  EXPECT_TRUE(ComboReportsOf(Reports(), "F1", " Trade ").empty()) << Reports();

  // Market IOC for 150 at a zero collar: the rest is cancelled with the reason.
  SendImmediateOrder(*client_, "M1", 150, router::ComboOrderType::kMarket, std::nullopt,
                     router::ComboTimeInForce::kImmediateOrCancel, clock_);
  ASSERT_TRUE(WaitFor([&] { return Reported("M1", " Canceled "); }, 20s)) << Reports();
  const std::vector<std::string> market_cancel =
      ComboReportsOf(Reports(), "M1", "Text=\"market order (ioc): ");
  ASSERT_EQ(market_cancel.size(), 1u) << Reports();
  EXPECT_NE(market_cancel[0].find(" of 150 units executed; "), std::string::npos)
      << market_cancel[0];
  EXPECT_EQ(market_cancel[0].find(" cum 150 "), std::string::npos) << market_cancel[0];

  // Limit IOC for 400 at the ask: what shows within the limit fills, the rest is cancelled (an
  // attempt that finds the ask gone, or whose leg-in loses its race, fills nothing; one that
  // meets market makers re-quoting within the limit may fill whole: another attempt).
  std::string partial;
  for (int attempt = 1; attempt <= 10 && partial.empty(); ++attempt) {
    // A fresh quote, after the previous attempt's trades.
    const std::string before = Reports();
    const auto seen = static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
    std::string fresh;
    ASSERT_TRUE(WaitFor(
        [&] {
          std::stringstream in(Reports());
          size_t line_number = 0;
          for (std::string line; std::getline(in, line); ++line_number) {
            if (line_number >= seen && line.find("MDReqID=Q1") != std::string::npos &&
                line.find(" ask ") != std::string::npos) {
              fresh = line;
            }
          }
          return !fresh.empty();
        },
        20s))
        << Reports();
    const size_t at = fresh.find(" @ ", fresh.find(" ask "));
    ask = core::Price::Parse(fresh.substr(at + 3, fresh.find(' ', at + 3) - at - 3));
    ASSERT_TRUE(ask.ok()) << fresh;
    const std::string id = absl::StrCat("L", attempt);
    SendImmediateOrder(*client_, id, 400, router::ComboOrderType::kLimit, *ask,
                       router::ComboTimeInForce::kImmediateOrCancel, clock_);
    ASSERT_TRUE(
        WaitFor([&] { return Reported(id, " Canceled ") || Reported(id, " Filled "); }, 20s))
        << Reports();
    if (Reported(id, " Canceled ") &&
        !ComboReportsOf(Reports(), id, " Trade PartiallyFilled ").empty()) {
      partial = id;
    }
  }
  ASSERT_FALSE(partial.empty()) << Reports();
  const std::vector<std::string> rest = ComboReportsOf(Reports(), partial, " Canceled Canceled ");
  ASSERT_EQ(rest.size(), 1u) << Reports();
  EXPECT_NE(rest[0].find("Text=\"limit order (ioc): "), std::string::npos) << rest[0];
  EXPECT_NE(rest[0].find(" of 400 units executed; "), std::string::npos) << rest[0];
  EXPECT_EQ(rest[0].find("Text=\"limit order (ioc): 0 of"), std::string::npos) << rest[0];
}

// The e2e config with a 440 call and a 450 put beside the two calls (a butterfly, a straddle)
// and a commission schedule: 1.50 a trade and 0.65 an option contract.
std::string TellConfig(const std::string& data_dir, int fix_port, int metrics_port) {
  return absl::StrReplaceAll(
      Config(data_dir, fix_port, metrics_port, "aggressive", 100),
      {{"strike: 460, expiry: 2036-12-19}\n",
        "strike: 460, expiry: 2036-12-19}\n"
        "  - {id: 13, asset_class: option, underlying: SPY, right: call, strike: 440, expiry: "
        "2036-12-19}\n"
        "  - {id: 14, asset_class: option, underlying: SPY, right: put, strike: 450, expiry: "
        "2036-12-19}\n"},
       {"accounts:\n  journal:",
        "accounts:\n  commission: {per_trade: 1.50, per_leg_contract: {options: 0.65}}\n"
        "  journal:"}});
}

// Seed 003 R4 over FIX: a definition's ContractMultiplier is that of the legs it returns, and
// every report of an order states its combo's multiplier, however the order named the combo.
TEST_F(DaemonEndToEndTest, R4DefinitionsAndOrderReportsStateTheMultiplierOfTheirLegs) {
  WriteConfig(TellConfig(data_dir_, fix_port_, metrics_port_));
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  // 2:2: the 1:1 legs with their multiplier 100, and what a requested unit is in them.
  const std::string two_two = Define("D22", "SPY 20361219 C 450 +2 / SPY 20361219 C 460 -2");
  EXPECT_NE(two_two.find("ContractMultiplier=100 canonical [SPY 20361219 C 450 +1 / SPY 20361219 "
                         "C 460 -1]"),
            std::string::npos)
      << two_two;
  EXPECT_NE(two_two.find("one unit as requested is 2 units of this combo"), std::string::npos)
      << two_two;
  // 1:2, ratios without a common factor: as requested, gcd(100, 200) = 100.
  const std::string one_two = Define("D12", "SPY 20361219 C 450 +1 / SPY 20361219 C 460 -2");
  EXPECT_NE(one_two.find("ContractMultiplier=100 canonical [SPY 20361219 C 450 +1 / SPY 20361219 "
                         "C 460 -2]"),
            std::string::npos)
      << one_two;
  EXPECT_EQ(one_two.find("Text="), std::string::npos) << one_two;
  // 3:6:3, a butterfly times three: the 1:2:1 butterfly, 3 of its units per requested unit.
  const std::string fly =
      Define("D363", "SPY 20361219 C 440 +3 / SPY 20361219 C 450 -6 / SPY 20361219 C 460 +3");
  EXPECT_NE(fly.find("ContractMultiplier=100 canonical [SPY 20361219 C 450 +2 / SPY 20361219 C "
                     "460 -1 / SPY 20361219 C 440 -1]"),
            std::string::npos)
      << fly;
  EXPECT_NE(fly.find("buying this combo sells the combo as requested"), std::string::npos) << fly;
  EXPECT_NE(fly.find("one unit as requested is 3 units of this combo"), std::string::npos) << fly;
  // 3:3:3: the 1:1:1 combo.
  const std::string threes =
      Define("D333", "SPY 20361219 C 440 +3 / SPY 20361219 C 450 -3 / SPY 20361219 C 460 +3");
  EXPECT_NE(threes.find("ContractMultiplier=100"), std::string::npos) << threes;
  EXPECT_NE(threes.find("one unit as requested is 3 units of this combo"), std::string::npos)
      << threes;

  // An order with the 2:2 legs inline trades units of 2:2 (multiplier 200); one by the
  // SecurityID trades the defined 1:1 combo (multiplier 100).
  const std::string combo_id = Find("SecurityReqID=D22 SecurityID=", " ");
  ASSERT_FALSE(combo_id.empty()) << Reports();
  fix::ComboOrderParams inline_legs;
  inline_legs.client_order_id = "m22";
  inline_legs.quantity = 1;
  inline_legs.legs = *fix::ParseLegText("SPY 20361219 C 450 +2 / SPY 20361219 C 460 -2");
  inline_legs.limit_price = core::Price::FromParts(0, 10'000'000);
  ASSERT_TRUE(client_->Send(fix::MakeNewOrderMultileg(inline_legs, clock_.Now())).ok());
  fix::ComboOrderParams by_id = inline_legs;
  by_id.client_order_id = "m11";
  by_id.legs.clear();
  by_id.combo_id = static_cast<uint32_t>(std::stoul(combo_id));
  ASSERT_TRUE(client_->Send(fix::MakeNewOrderMultileg(by_id, clock_.Now())).ok());
  EXPECT_TRUE(WaitFor([&] { return Reported("m22", " New New "); }, 10s)) << Reports();
  EXPECT_TRUE(Reported("m22", " multiplier 200")) << Reports();
  EXPECT_TRUE(WaitFor([&] { return Reported("m11", " New New "); }, 10s)) << Reports();
  EXPECT_TRUE(Reported("m11", " multiplier 100")) << Reports();
}

// Seed 003 R18 over FIX: a fill report carries the commission the journal booked for it
// (Commission(12), CommType(13) 3 absolute): 1.50 + 2 contracts x 0.65 = 2.8 for one vertical.
TEST_F(DaemonEndToEndTest, R18AFillReportCarriesTheCommissionBookedForIt) {
  WriteConfig(TellConfig(data_dir_, fix_port_, metrics_port_));
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  ASSERT_TRUE(WaitFor([&] { return Metric("combo_venue_up", {{"venue", "ALPHA"}}) == 1; }, 10s));
  const std::string combo_id = DefineVertical("D1");
  ASSERT_FALSE(combo_id.empty()) << Reports();
  ASSERT_TRUE(client_->Send(fix::MakeMarketDataRequest("Q1", std::stoul(combo_id), '1')).ok());
  // Buy one vertical 0.10 through the implied ask (aggressive leg-in) until one fills.
  int attempt = 0;
  std::string filled;
  ASSERT_TRUE(WaitFor(
      [&] {
        const std::string ask = Find(" ask ", " (", " @ ");
        auto price = core::Price::Parse(ask);
        if (ask.empty() || !price.ok()) return false;
        const std::string id = absl::StrCat("F", ++attempt);
        SendOrder(id, 1, router::ComboOrderType::kLimit,
                  *price + core::Price::FromParts(0, 100'000'000));
        if (!WaitFor([&] { return Reported(id, " Trade "); }, 5s)) return false;
        filled = id;
        return true;
      },
      60s))
      << Reports();
  EXPECT_TRUE(Reported(filled, " commission 2.8")) << Reports();
  EXPECT_TRUE(Reported(filled, " multiplier 100")) << Reports();

  // The amount reported is the amount booked: the journal's trades hold it.
  daemon_.Signal(SIGTERM);
  ASSERT_TRUE(daemon_.WaitExit(30s).has_value()) << Log();
  auto journal = accounts::Journal::OpenReadOnly(data_dir_ + "/journal.sqlite");
  ASSERT_TRUE(journal.ok()) << journal.status();
  auto events = journal.value()->ReadAll();
  ASSERT_TRUE(events.ok()) << events.status();
  int fills = 0;
  for (const accounts::StoredEvent& stored : *events) {
    if (const auto* fill = std::get_if<accounts::ComboFillReported>(&stored.event)) {
      ++fills;
      EXPECT_EQ(fill->commission.ToString(), "2.8");
    }
  }
  EXPECT_GE(fills, 1);
}

// Seed 003 R3 over FIX: a strategy asked for by name (SecuritySubType 762) on its underlying
// (Symbol 55) with its legs' instruments is answered with the template's legs, the SecurityID
// and the multiplier; one whose legs do not fit is refused with the reason.
TEST_F(DaemonEndToEndTest, R3AStrategyTemplateIsDefinedByNameOrRefusedWithTheReason) {
  WriteConfig(TellConfig(data_dir_, fix_port_, metrics_port_));
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  auto ask = [&](const std::string& request_id, const std::string& strategy,
                 const std::string& legs) {
    auto parsed = fix::ParseTemplateLegText(legs);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_TRUE(
        client_->Send(fix::MakeStrategyDefinitionRequest(request_id, strategy, "SPY", *parsed))
            .ok());
    const std::string key = absl::StrCat("SecurityReqID=", request_id, " ");
    std::string answer;
    WaitFor([&] { return !(answer = Find(key, "\n")).empty(); }, 10s);
    return answer;
  };
  const std::string straddle = ask("S1", "straddle", "SPY 20361219 C 450 / SPY 20361219 P 450");
  EXPECT_NE(straddle.find("ContractMultiplier=100 strategy straddle on SPY canonical [SPY 20361219 "
                          "C 450 +1 / SPY 20361219 P 450 +1]"),
            std::string::npos)
      << straddle;
  const std::string fly =
      ask("S2", "butterfly", "SPY 20361219 C 440 / SPY 20361219 C 450 / SPY 20361219 C 460");
  EXPECT_NE(fly.find("strategy butterfly on SPY canonical [SPY 20361219 C 450 +2 / SPY 20361219 C "
                     "460 -1 / SPY 20361219 C 440 -1]"),
            std::string::npos)
      << fly;
  EXPECT_NE(fly.find("buying this combo sells the combo as requested"), std::string::npos) << fly;
  // The SecurityID trades: an order by it is acknowledged with the butterfly's legs.
  const std::string fly_id = Find("SecurityReqID=S2 SecurityID=", " ");
  ASSERT_FALSE(fly_id.empty()) << Reports();
  fix::ComboOrderParams order;
  order.client_order_id = "fly1";
  order.quantity = 1;
  order.combo_id = static_cast<uint32_t>(std::stoul(fly_id));
  order.limit_price = core::Price::FromParts(0, 10'000'000);
  ASSERT_TRUE(client_->Send(fix::MakeNewOrderMultileg(order, clock_.Now())).ok());
  EXPECT_TRUE(WaitFor([&] { return Reported("fly1", " New New "); }, 10s)) << Reports();

  const std::string refused =
      ask("S3", "butterfly", "SPY 20361219 C 440 / SPY 20361219 C 450 +1 / SPY 20361219 C 460");
  EXPECT_NE(refused.find("rejected Text=\"butterfly: leg 2 (SPY 20361219 C 450) has ratio 1 where "
                         "the butterfly has 2"),
            std::string::npos)
      << refused;
  const std::string unknown = ask("S4", "jade lizard", "SPY 20361219 C 450 / SPY 20361219 P 450");
  EXPECT_NE(unknown.find("rejected Text=\"SecuritySubType(762): unknown strategy \"jade lizard\""),
            std::string::npos)
      << unknown;
}

// An instrument master names the chain (config instruments_file): a broker trades and defines an
// arbitrary listed strike by the standard leg fields (root, LegCFICode, LegMaturityDate,
// LegStrikePrice), is refused for a strike the master does not list and for an expired one with
// the reason, and a SIGHUP with a new row lists the new strike at once; a reload that drops a
// row is refused and changes nothing.
TEST_F(DaemonEndToEndTest, AnInstrumentMasterListsTheChainAndAReloadAddsAStrike) {
  std::string master =
      "id,symbol,asset_class,underlying,expiry,strike,right,venues\n"
      "1,SPY,etf,,,,,\n"
      "90,,option,SPY,2025-01-17,430,P,ALPHA;BETA\n";
  uint32_t id = 100;
  for (int strike = 400; strike <= 500; strike += 5) {
    for (const char* right : {"C", "P"}) {
      absl::StrAppend(&master, id++, ",,option,SPY,2037-01-16,", strike, ",", right,
                      ",ALPHA;BETA\n");
    }
  }
  const std::string master_path = (dir_ / "master.csv").string();
  std::ofstream(master_path) << master;
  const std::string config = absl::StrReplaceAll(
      Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100),
      {{testing::kSpyCallsConfig,
        "instruments_file: master.csv\npricing:\n  underlyings:\n    SPY: {volatility: 0.20}\n"},
       {"    option_underlyings: [SPY]\n", ""}});
  WriteConfig(config);
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  EXPECT_NE(Log().find("event=instrument_master"), std::string::npos) << Log();
  EXPECT_NE(Log().find("listed=43 expired_skipped=1"), std::string::npos) << Log();
  ConnectClient();

  auto send = [&](const std::string& clordid, const std::string& legs_text) {
    fix::ComboOrderParams params;
    params.client_order_id = clordid;
    params.side = core::Side::kBuy;
    params.quantity = 1;
    auto legs = fix::ParseLegText(legs_text);
    ASSERT_TRUE(legs.ok()) << legs.status();
    // ParseLegText writes each option leg as the standard fields, the root in LegSymbol.
    ASSERT_EQ((*legs)[0].instrument.symbol, "SPY");
    params.legs = *legs;
    params.type = router::ComboOrderType::kLimit;
    params.limit_price = core::Price::FromParts(0, 10'000'000);
    params.time_in_force = router::ComboTimeInForce::kDay;
    ASSERT_TRUE(client_->Send(fix::MakeNewOrderMultileg(params, clock_.Now())).ok());
  };
  // A listed put vertical, 430/425: acknowledged.
  send("M1", "SPY 20370116 P 430 +1 / SPY 20370116 P 425 -1");
  EXPECT_TRUE(WaitFor([&] { return Reported("M1", " New New "); }, 10s)) << Reports();
  auto legs = fix::ParseLegText("SPY 20370116 P 435 +1 / SPY 20370116 P 445 -1");
  ASSERT_TRUE(legs.ok());
  ASSERT_TRUE(client_->Send(fix::MakeSecurityDefinitionRequest("DEF1", *legs)).ok());
  EXPECT_TRUE(WaitFor([&] { return !Find("SecurityReqID=DEF1 SecurityID=", " ").empty(); }, 10s))
      << Reports();
  // A strike the master does not list, and an expired contract: refused with the reason.
  send("M2", "SPY 20370116 P 432.5 +1 / SPY 20370116 P 425 -1");
  EXPECT_TRUE(WaitFor(
      [&] { return Reported("M2", "unknown instrument: no SPY put 432.5 expiring 20370116"); },
      10s))
      << Reports();
  send("M3", "SPY 20250117 P 430 +1 / SPY 20370116 P 425 -1");
  EXPECT_TRUE(WaitFor(
      [&] {
        return Reported("M3",
                        "instrument \"SPY 20250117 P 430\" expired on 2025-01-17: it is no "
                        "longer listed");
      },
      10s))
      << Reports();

  // The vendor lists 432.5 intraday: a SIGHUP adds it at both venues, and it trades.
  std::ofstream(master_path) << master << "200,,option,SPY,2037-01-16,432.5,P,ALPHA;BETA\n";
  daemon_.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor(
      [&] {
        return Metric("combo_config_reloads_total", {{"outcome", "applied"}}) == 1;
      },
      10s))
      << Log();
  EXPECT_NE(Log().find("new_instruments=1 new_listings=2"), std::string::npos) << Log();
  send("M4", "SPY 20370116 P 432.5 +1 / SPY 20370116 P 425 -1");
  EXPECT_TRUE(WaitFor([&] { return Reported("M4", " New New "); }, 10s)) << Reports();
  // The simulator quotes the new strike: a combo on it has an implied bid and ask.
  auto new_strike = fix::ParseLegText("SPY 20370116 P 432.5 +1 / SPY 20370116 P 425 -1");
  ASSERT_TRUE(new_strike.ok());
  ASSERT_TRUE(client_->Send(fix::MakeSecurityDefinitionRequest("DEF2", *new_strike)).ok());
  std::string defined;
  ASSERT_TRUE(WaitFor(
      [&] { return !(defined = Find("SecurityReqID=DEF2 SecurityID=", " ")).empty(); }, 10s))
      << Reports();
  ASSERT_TRUE(client_->Send(fix::MakeMarketDataRequest("MD2", std::stoul(defined), '1')).ok());
  EXPECT_TRUE(WaitFor(
      [&] {
        const std::string quote = Find("MDReqID=MD2 ", "\n");
        return quote.find(" bid ") != std::string::npos && quote.find(" ask ") != std::string::npos;
      },
      15s))
      << Reports();
  EXPECT_EQ(Log().find("simulation_listing_failed"), std::string::npos) << Log();

  // A master that drops a listed row is refused with the reason; the running master stays.
  std::ofstream(master_path) << master;
  daemon_.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor(
      [&] {
        return Metric("combo_config_reloads_total", {{"outcome", "refused"}}) == 1;
      },
      10s))
      << Log();
  EXPECT_NE(Log().find("instrument \\\"SPY 20370116 P 432.5\\\" (id 200) is no longer defined"),
            std::string::npos)
      << Log();
  send("M5", "SPY 20370116 P 432.5 +1 / SPY 20370116 P 430 -1");
  EXPECT_TRUE(WaitFor([&] { return Reported("M5", " New New "); }, 10s)) << Reports();
}

// Replace in place over FIX (docs/ROUTER.md "Cancel and replace"): an order resting in a venue's
// complex-order book is replaced there, in one venue replace, never pulled and routed again. A
// quantity decrease keeps its queue place, a price change loses it; each replace is acknowledged
// Pending Replace (150=E) first, and the Replaced report (150=5) says in Text how it was done.
TEST_F(DaemonEndToEndTest, AReplaceOfANativeRestIsDoneInPlaceAtTheVenueKeepingItsQueuePlace) {
  const std::string beta = "  - name: BETA\n    id: 2\n    option_underlyings: [SPY]\n";
  std::string config = Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100);
  ASSERT_NE(config.find(beta), std::string::npos);
  config.insert(config.find(beta) + beta.size(),
                absl::StrCat("    complex_book:\n      combos: [", kLegs, "]\n"));
  WriteConfig(config);
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  // Far below the market: it rests in BETA's complex-order book.
  SendOrder("q1", 10, router::ComboOrderType::kLimit, core::Price::FromParts(0, 50'000'000));
  ASSERT_TRUE(WaitFor([&] { return Reported("q1", " New New "); }, 10s)) << Reports();

  auto replace = [&](const std::string& id, const std::string& original, int64_t quantity,
                     core::Price limit) {
    ASSERT_TRUE(client_
                    ->Send(fix::MakeReplaceRequest(id, original, core::Side::kBuy, quantity, limit,
                                                   clock_.Now()))
                    .ok());
    ASSERT_TRUE(WaitFor([&] { return Reported(id, " Replaced New "); }, 10s)) << Reports();
  };
  replace("q2", "q1", 6, core::Price::FromParts(0, 50'000'000));
  replace("q3", "q2", 6, core::Price::FromParts(0, 40'000'000));

  const std::string all = Reports();
  for (const std::string id : {"q2", "q3"}) {
    const size_t pending = all.find(absl::StrCat("ClOrdID=", id, " "));
    const size_t replaced = all.find(" Replaced New ", pending);
    ASSERT_NE(pending, std::string::npos) << all;
    EXPECT_NE(all.substr(pending, all.find('\n', pending) - pending)
                  .find(" PendingReplace PendingReplace "),
              std::string::npos)
        << all;
    EXPECT_NE(replaced, std::string::npos) << all;
  }
  EXPECT_TRUE(Reported("q2", " Replaced New buy qty 6 cum 0 leaves 6 avg 0 limit 0.05 ")) << all;
  EXPECT_TRUE(Reported("q2", "Text=\"replaced in place at venue 2, queue place kept\"")) << all;
  EXPECT_TRUE(Reported("q3", " Replaced New buy qty 6 cum 0 leaves 6 avg 0 limit 0.04 ")) << all;
  EXPECT_TRUE(Reported("q3", "Text=\"replaced in place at venue 2, queue place lost\"")) << all;
  // The order still rests at BETA under its new ClOrdID, and cancels as usual.
  ASSERT_TRUE(client_->Send(fix::MakeStatusRequest("q3", core::Side::kBuy)).ok());
  ASSERT_TRUE(WaitFor([&] { return Reported("q3", " Status New "); }, 10s)) << Reports();
  ASSERT_TRUE(
      client_->Send(fix::MakeCancelRequest("q4", "q3", core::Side::kBuy, clock_.Now())).ok());
  ASSERT_TRUE(WaitFor([&] { return Reported("q4", " Canceled Canceled "); }, 10s)) << Reports();
}

// A replace with legs working waits for them (docs/ROUTER.md "Cancel and replace"): the leg-in
// starts no new slice but finishes the one in flight, so its legs make a whole unit for the
// client and nothing goes to the error account; the replace then takes effect and the order is
// routed again. The venues' 20 ms latency keeps the first leg in flight when the replace arrives
// (pulling it instead would book that leg to the error account). A leg-in can lose a race with the
// market makers now and then (its legs then go to the error account on their own): a few
// attempts see a clean one.
TEST_F(DaemonEndToEndTest,
       AReplaceWithLegsWorkingWaitsForTheSliceAndBooksNothingToTheErrorAccount) {
  WriteConfig(absl::StrReplaceAll(
      Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100),
      {{"default: {fixed: 200us, jitter: 100us}", "default: {fixed: 20ms, jitter: 0us}"},
       {"default: {fixed: 300us, jitter: 100us}", "default: {fixed: 20ms, jitter: 0us}"},
       {"  leg_timeout: 500ms\n", "  leg_timeout: 500ms\n  max_units_per_slice: 1\n"},
       {"risk:\n", "risk:\n  collar_ticks: 0\n  collar_basis_points: 0\n"}}));
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  const std::string combo_id = DefineVertical("D1");
  ASSERT_FALSE(combo_id.empty()) << Reports();
  ASSERT_TRUE(client_->Send(fix::MakeMarketDataRequest("Q1", std::stoul(combo_id), '1')).ok());
  ASSERT_TRUE(WaitFor([&] { return !Find(" ask ", " (", " @ ").empty(); }, 20s)) << Reports();

  auto error_account = [&] {
    return std::abs(
               Metric("combo_error_account_position", {{"instrument", "SPY 20361219 C 450"}})) +
           std::abs(Metric("combo_error_account_position", {{"instrument", "SPY 20361219 C 460"}}));
  };
  bool clean = false;
  for (int attempt = 1; attempt <= 5 && !clean; ++attempt) {
    const double booked_before = error_account();
    const std::string id = absl::StrCat("W", attempt);
    const std::string replace_id = absl::StrCat("W", attempt, "x");
    // A call vertical 450/460 is worth at most 10.00: a buy at 10.00 legs in at once.
    SendOrder(id, 3, router::ComboOrderType::kLimit, core::Price::FromParts(10, 0));
    ASSERT_TRUE(WaitFor([&] { return Reported(id, " New New "); }, 10s)) << Reports();
    ASSERT_TRUE(client_
                    ->Send(fix::MakeReplaceRequest(replace_id, id, core::Side::kBuy, 4,
                                                   core::Price::FromParts(10, 0), clock_.Now()))
                    .ok());
    ASSERT_TRUE(WaitFor(
        [&] { return Reported(replace_id, " Replaced ") || Reported(replace_id, "CancelReject"); },
        20s))
        << Reports();
    ASSERT_TRUE(Reported(replace_id, " PendingReplace PendingReplace ")) << Reports();
    ASSERT_FALSE(Reported(replace_id, "CancelReject")) << Reports();
    // The slice in flight made its unit for the client before the replace took effect.
    const std::vector<std::string> replaced = ComboReportsOf(Reports(), replace_id, " Replaced ");
    ASSERT_EQ(replaced.size(), 1u) << Reports();
    clean = replaced[0].find(" cum 0 ") == std::string::npos &&
            replaced[0].find("(the working legs finished); routed again") != std::string::npos &&
            error_account() == booked_before;
    // The rest ends before the next attempt measures the error account.
    ASSERT_TRUE(client_
                    ->Send(fix::MakeCancelRequest(absl::StrCat(replace_id, "c"), replace_id,
                                                  core::Side::kBuy, clock_.Now()))
                    .ok());
    ASSERT_TRUE(WaitFor(
        [&] {
          return Reported(absl::StrCat(replace_id, "c"), " Canceled ") ||
                 Reported(absl::StrCat(replace_id, "c"), "CancelReject");
        },
        20s))
        << Reports();
  }
  EXPECT_TRUE(clean) << Reports();
}

// --- SecurityListRequest (35=x) -> SecurityList (35=y): what a broker can trade ---------------

// A demo-like chain from an instrument master: SPY shares, SPY calls and puts of strikes 380 to
// 520 every 5 on two expiries (116 options, more than one SecurityList fragment), all listed at
// ALPHA and BETA; ALPHA's complex book lists two SPY combos natively.
class SecurityListEndToEndTest : public DaemonEndToEndTest {
 protected:
  // Logs the test client on too unless told not to (a raw connection takes the session).
  void StartWithChain(bool connect_client = true) {
    std::string master =
        "id,symbol,asset_class,underlying,expiry,strike,right,multiplier,tick,venues\n"
        "1,SPY,etf,,,,,1,0.01,ALPHA;BETA\n";
    uint32_t id = 100;
    for (const char* expiry : {"2036-12-19", "2037-01-16"}) {
      for (int strike = 380; strike <= 520; strike += 5) {
        for (const char* right : {"C", "P"}) {
          absl::StrAppend(&master, id++, ",,option,SPY,", expiry, ",", strike, ",", right,
                          ",100,0.01,ALPHA;BETA\n");
          options_.push_back(absl::StrCat("SPY ", absl::StrReplaceAll(expiry, {{"-", ""}}), " ",
                                          right, " ", strike));
        }
      }
    }
    std::ofstream((dir_ / "master.csv").string()) << master;
    WriteConfig(absl::StrReplaceAll(
        Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100),
        {{testing::kSpyCallsConfig,
          "instruments_file: master.csv\npricing:\n  underlyings:\n    SPY: {volatility: 0.20}\n"},
         {"    option_underlyings: [SPY]\n", ""},
         {"      test_instrument_id: 9001\n",
          "      test_instrument_id: 9001\n"
          "    complex_book:\n"
          "      combos:\n"
          "        - SPY 20370116 C 450 +1 / SPY 20370116 C 460 -1\n"
          "        - SPY 20361219 P 450 +1 / SPY 20361219 P 440 -1\n"}}));
    daemon_.Start(config_path_, listen_file_, (dir_ / "stdout.txt").string());
    ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(listen_file_); }, 30s))
        << ReadFile((dir_ / "stdout.txt").string());
    if (connect_client) ConnectClient();
  }

  // The SecurityList lines answering `request_id`, once the last fragment is in.
  std::vector<std::string> Answer(const std::string& request_id) {
    const std::string key = absl::StrCat("SecurityList SecurityReqID=", request_id, " ");
    std::vector<std::string> lines;
    WaitFor(
        [&] {
          std::lock_guard<std::mutex> lock(mutex_);
          lines.clear();
          for (const std::string& report : reports_) {
            if (report.rfind(key, 0) == 0) lines.push_back(report);
          }
          return !lines.empty() && lines.back().find(" LastFragment=Y ") != std::string::npos;
        },
        10s);
    return lines;
  }

  // The entries of an answer's lines: "SPY 20361219 C 450 #101 OPT @ALPHA,BETA".
  static std::vector<std::string> Entries(const std::vector<std::string>& lines) {
    std::vector<std::string> entries;
    for (const std::string& line : lines) {
      const size_t open = line.find(" [");
      if (open == std::string::npos) continue;
      const size_t close = line.rfind(']');
      for (absl::string_view entry :
           absl::StrSplit(absl::string_view(line).substr(open + 2, close - open - 2), "; ")) {
        entries.emplace_back(entry);
      }
    }
    return entries;
  }

  std::vector<std::string> options_;
};

// A QuickFIX-built request for SPY options (SecurityListRequestType 1, SecurityType OPT, the
// underlying in NoUnderlyings) returns every listed SPY option, in chain order, across two
// fragments that each state the total and only the last of which says LastFragment=Y.
TEST_F(SecurityListEndToEndTest, SpyOptionsComeInFragmentsWithTheTotalAndLastFragment) {
  StartWithChain();
  fix::SecurityListParams params;
  params.request_type = 1;
  params.security_type = "OPT";
  params.underlying = "SPY";
  ASSERT_TRUE(client_->Send(fix::MakeSecurityListRequest("L1", params)).ok());
  const std::vector<std::string> lines = Answer("L1");
  ASSERT_EQ(lines.size(), 2u) << Reports();
  EXPECT_NE(
      lines[0].find(" SecurityRequestResult=0 TotNoRelatedSym=116 LastFragment=N entries=100 "),
      std::string::npos)
      << lines[0];
  EXPECT_NE(
      lines[1].find(" SecurityRequestResult=0 TotNoRelatedSym=116 LastFragment=Y entries=16 "),
      std::string::npos)
      << lines[1];
  const std::vector<std::string> entries = Entries(lines);
  ASSERT_EQ(entries.size(), options_.size());
  // Chain order: expiry, strike, the call before the put (the order the master lists them in).
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].substr(0, entries[i].find(" #")), options_[i]) << i;
    EXPECT_NE(entries[i].find(" OPT @ALPHA,BETA"), std::string::npos) << entries[i];
  }
  // A maturity narrows to one expiry: one fragment.
  params.maturity_month_year = "203701";
  ASSERT_TRUE(client_->Send(fix::MakeSecurityListRequest("L2", params)).ok());
  const std::vector<std::string> january = Answer("L2");
  ASSERT_EQ(january.size(), 1u) << Reports();
  EXPECT_NE(january[0].find(" TotNoRelatedSym=58 LastFragment=Y entries=58 "), std::string::npos)
      << january[0];
}

// SecurityType MLEG lists the combos ALPHA's complex book lists natively, with their legs and
// venue (no SecurityID until defined), and a combo defined over FIX with its SecurityID.
TEST_F(SecurityListEndToEndTest, MlegListsTheVenuesNativeCombosAndTheDefinedOnes) {
  StartWithChain();
  const std::string defined = DefineVertical("D1");
  ASSERT_FALSE(defined.empty()) << Reports();
  fix::SecurityListParams params;
  params.request_type = 1;
  params.security_type = "MLEG";
  ASSERT_TRUE(client_->Send(fix::MakeSecurityListRequest("M1", params)).ok());
  const std::vector<std::string> entries = Entries(Answer("M1"));
  EXPECT_EQ(
      entries,
      (std::vector<std::string>{
          "SPY 20370116 C 450 +1 / SPY 20370116 C 460 -1 #- MLEG @ALPHA",
          // Canonical: legs by instrument id, the first a buy.
          "SPY 20361219 P 440 +1 / SPY 20361219 P 450 -1 #- MLEG @ALPHA",
          absl::StrCat("SPY 20361219 C 450 +1 / SPY 20361219 C 460 -1 #", defined, " MLEG @-")}))
      << Reports();
  // The legs travel in NoLegs: the formatter printed them from LegSymbol/LegRatioQty/LegSide.
  EXPECT_NE(Reports().find("TotNoRelatedSym=3 LastFragment=Y entries=3"), std::string::npos)
      << Reports();
}

// A request as another engine writes it, raw bytes: by OCC symbol, and by SecurityType with
// the underlying in NoUnderlyings and a maturity; answered with the daemon's naming.
TEST_F(SecurityListEndToEndTest, ARawRequestFromAnotherEngineIsAnswered) {
  StartWithChain(/*connect_client=*/false);
  fix::testing::RawConnection connection(fix_port_);
  ASSERT_NO_FATAL_FAILURE(LogOnRaw(connection));
  connection.Send(
      fix::testing::RawFix("x", "E2E", "COMBO", 2, "320=R1|559=0|55=SPY   361219C00450000|263=0"));
  // The entry comes before SecurityReqID (tag order), LastFragment after it.
  const std::string answer = connection.ReadUntil(
      "\x01"
      "893=Y\x01");
  EXPECT_NE(answer.find("35=y\x01"), std::string::npos) << answer;
  EXPECT_NE(answer.find("\x01"
                        "320=R1\x01"),
            std::string::npos)
      << answer;
  EXPECT_NE(answer.find("\x01"
                        "560=0\x01"),
            std::string::npos)
      << answer;
  EXPECT_NE(answer.find("\x01"
                        "393=1\x01"),
            std::string::npos)
      << answer;
  EXPECT_NE(answer.find("\x01"
                        "146=1\x01"
                        "55=SPY\x01"),
            std::string::npos)
      << answer;
  EXPECT_NE(answer.find("\x01"
                        "107=SPY 20361219 C 450\x01"),
            std::string::npos)
      << answer;
  EXPECT_NE(answer.find("\x01"
                        "167=OPT\x01"),
            std::string::npos)
      << answer;
  EXPECT_NE(answer.find("\x01"
                        "201=1\x01"
                        "202=450\x01"),
            std::string::npos)
      << answer;
  EXPECT_NE(answer.find("\x01"
                        "461=OCXXXS\x01"
                        "541=20361219\x01"),
            std::string::npos)
      << answer;
  EXPECT_NE(answer.find("\x01"
                        "870=2\x01"
                        "871=99\x01"
                        "872=ALPHA\x01"
                        "871=99\x01"
                        "872=BETA\x01"),
            std::string::npos)
      << answer;
  EXPECT_NE(answer.find("\x01"
                        "969=0.01\x01"),
            std::string::npos)
      << answer;
  EXPECT_EQ(answer.find("35=3\x01"), std::string::npos) << answer;

  // By type, with the underlying in NoUnderlyings and a month: December's 58 options.
  connection.Send(fix::testing::RawFix("x", "E2E", "COMBO", 3,
                                       "320=R2|559=1|167=OPT|200=203612|711=1|311=SPY"));
  const std::string december = connection.ReadUntil(
      "\x01"
      "393=58\x01");
  EXPECT_NE(december.find("\x01"
                          "320=R2\x01"),
            std::string::npos)
      << december;
  EXPECT_NE(december.find("\x01"
                          "393=58\x01"),
            std::string::npos)
      << december;
}

// Requests the gateway does not answer get a SecurityList with SecurityRequestResult 1 and the
// reason, one that matches nothing result 2; a missing SecurityReqID is refused by the session
// (Reject, RefTagID 320). None changes anything: the next request is answered.
TEST_F(SecurityListEndToEndTest, AnInvalidRequestGetsTheReasonAndChangesNothing) {
  StartWithChain();
  fix::SecurityListParams params;
  params.request_type = 2;
  ASSERT_TRUE(client_->Send(fix::MakeSecurityListRequest("B1", params)).ok());
  EXPECT_NE(Answer("B1").front().find(
                "SecurityRequestResult=1 TotNoRelatedSym=0 LastFragment=Y entries=0 "
                "Text=\"SecurityListRequestType(559) 2 (Product) is not supported"),
            std::string::npos)
      << Reports();
  params.request_type = 1;
  params.security_type = "WARRANT";
  ASSERT_TRUE(client_->Send(fix::MakeSecurityListRequest("B2", params)).ok());
  EXPECT_NE(Answer("B2").front().find("SecurityRequestResult=1 TotNoRelatedSym=0 LastFragment=Y "
                                      "entries=0 Text=\"SecurityType(167) \"WARRANT\" is not "
                                      "supported: use CS, OPT, FUT or MLEG\""),
            std::string::npos)
      << Reports();
  params.security_type = "FUT";
  ASSERT_TRUE(client_->Send(fix::MakeSecurityListRequest("B3", params)).ok());
  EXPECT_NE(Answer("B3").front().find("SecurityRequestResult=2 TotNoRelatedSym=0 LastFragment=Y "
                                      "entries=0 Text=\"no listed instrument or combo matches"),
            std::string::npos)
      << Reports();
  EXPECT_TRUE(WaitFor(
      [&] {
        return Metric("combo_fix_rejects_total", {{"kind", "security_list"}}) == 2;
      },
      10s));
  EXPECT_TRUE(client_->logged_on());
  params = {};
  params.request_type = 0;
  params.symbol = "SPY";
  params.security_type = "CS";
  ASSERT_TRUE(client_->Send(fix::MakeSecurityListRequest("B4", params)).ok());
  EXPECT_EQ(Entries(Answer("B4")), (std::vector<std::string>{"SPY #1 CS @ALPHA,BETA"}))
      << Reports();

  client_.reset();
  fix::testing::RawConnection connection(fix_port_);
  ASSERT_TRUE(connection.connected());
  // The client's session resumes its sequence numbers from its store: start both over.
  connection.Send(fix::testing::RawLogon("E2E", 1, "141=Y"));
  ASSERT_NE(connection
                .ReadUntil("\x01"
                           "35=A\x01")
                .find("35=A"),
            std::string::npos);
  connection.Send(fix::testing::RawFix("x", "E2E", "COMBO", 2, "559=4"));
  const std::string reject = connection.ReadUntil(
      "\x01"
      "371=320\x01");
  EXPECT_NE(reject.find("35=3\x01"), std::string::npos) << reject;
  EXPECT_NE(reject.find("\x01"
                        "371=320\x01"),
            std::string::npos)
      << reject;
}

// Shard equity-index of a sharded set (docs/DEPLOY.md "Sharded by product group"): the e2e
// config plus the ES future on a futures venue, and the map of two shards: equity-index owns
// SPY, SPX and ES (this daemon), nasdaq owns QQQ and NQ.
std::string EquityIndexShardConfig(const std::string& data_dir, int fix_port, int metrics_port) {
  return absl::StrReplaceAll(
      Config(data_dir, fix_port, metrics_port, "aggressive", 100),
      {{"strike: 460, expiry: 2036-12-19}\n",
        "strike: 460, expiry: 2036-12-19}\n"
        "  - {id: 30, symbol: ESZ6, asset_class: future, underlying: ES, multiplier: 50, "
        "tick_size: 0.25, expiry: 2026-12-18}\n"},
       {"router:\n",
        "  - name: FUT\n"
        "    id: 3\n"
        "    instruments: [ESZ6]\n"
        "    latency:\n"
        "      seed: 3\n"
        "      default: {fixed: 200us, jitter: 100us}\n"
        "router:\n"},
       {"    - {underlying: SPY, initial_price: 450.00, volatility: 0.20}\n",
        "    - {underlying: SPY, initial_price: 450.00, volatility: 0.20}\n"
        "    - {underlying: ES, initial_price: 4500.00, volatility: 0.18}\n"},
       {"  market_makers:\n",
        "  market_makers:\n"
        "    - {venue: FUT, min_half_spread_ticks: 1, max_half_spread_ticks: 2, quantity: 20}\n"},
       {"simulation:\n",
        "sharding:\n"
        "  product_groups:\n"
        "    equity-index: [SPY, SPX, ES]\n"
        "    nasdaq: [QQQ, NQ]\n"
        "  shards:\n"
        "    - {name: equity-index, product_groups: [equity-index],\n"
        "       fix_endpoint: \"combo-router-shard-0:9878\"}\n"
        "    - {name: nasdaq, product_groups: [nasdaq], fix_endpoint: "
        "\"combo-router-shard-1:9878\"}\n"
        "  this_shard: equity-index\n"
        "simulation:\n"}});
}

// Shards own product groups, never single underlyings: on the shard owning SPY and ES, an ES
// future against SPY options (an inter-product combo, seed 003 R1) is acknowledged, while a
// combo with a QQQ leg is refused with Text naming the shards, and one wholly of QQQ naming the
// shard that owns it and how to reach it.
TEST_F(DaemonEndToEndTest, AShardRoutesInterProductCombosOfItsGroupAndNamesTheOwnerOfOthers) {
  WriteConfig(EquityIndexShardConfig(data_dir_, fix_port_, metrics_port_));
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  auto send = [&](const std::string& id, const std::string& legs, core::Price limit) {
    fix::ComboOrderParams params;
    params.client_order_id = id;
    params.quantity = 1;
    auto parsed = fix::ParseLegText(legs);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    params.legs = *parsed;
    params.limit_price = limit;
    params.time_in_force = router::ComboTimeInForce::kDay;
    ASSERT_TRUE(client_->Send(fix::MakeNewOrderMultileg(params, clock_.Now())).ok());
  };
  // Buy the future, sell two SPY calls: about 4500 - 2 x 2 x 10; bid far below, so it rests.
  send("inter", "ES 202612 +1 / SPY 20361219 C 450 -2", core::Price::FromParts(1000, 0));
  EXPECT_TRUE(WaitFor([&] { return Reported("inter", " New New "); }, 10s)) << Reports();
  EXPECT_TRUE(Reported("inter", " multiplier 50")) << Reports();

  send("span", "SPY 20361219 C 450 +1 / QQQ 20261218 C 400 -1", core::Price::FromParts(1, 0));
  ASSERT_TRUE(WaitFor([&] { return Reported("span", " Rejected "); }, 10s)) << Reports();
  EXPECT_TRUE(Reported("span",
                       "Text=\"legs span shards equity-index (SPY) and nasdaq (QQQ): a combo "
                       "routes on one shard; send combos of one shard's product groups to that "
                       "shard\""))
      << Reports();

  send("foreign", "QQQ 20261218 C 390 +1 / QQQ 20261218 C 400 -1", core::Price::FromParts(1, 0));
  ASSERT_TRUE(WaitFor([&] { return Reported("foreign", " Rejected "); }, 10s)) << Reports();
  EXPECT_TRUE(Reported("foreign",
                       "Text=\"QQQ belongs to shard nasdaq (combo-router-shard-1:9878); this "
                       "is shard equity-index\""))
      << Reports();
  // Refused before the router: nothing of them reached it.
  EXPECT_EQ(Metric("combo_orders_total", {{"outcome", "received"}}), 1) << Reports();
  // The log and --check-config say which shard this is and what it owns.
  EXPECT_NE(Log().find("event=shard name=equity-index shards=2 product_groups=equity-index "
                       "underlyings=SPY,SPX,ES"),
            std::string::npos)
      << Log();
  const std::string out = (dir_ / "check.txt").string();
  EXPECT_EQ(
      std::system(absl::StrCat(COMBO_ROUTERD, " --check-config ", config_path_, " > ", out, " 2>&1")
                      .c_str()),
      0);
  EXPECT_NE(ReadFile(out).find("simulation on, shard equity-index of 2)"), std::string::npos)
      << ReadFile(out);
}

// A SecurityDefinitionRequest on a shard: an inter-product combo of its group is defined (the
// multiplier of an ES future against SPY options is gcd(50, 100) = 50); one spanning shards is
// refused with the reason.
TEST_F(DaemonEndToEndTest, ADefinitionSpanningShardsIsRefusedNamingTheShards) {
  WriteConfig(EquityIndexShardConfig(data_dir_, fix_port_, metrics_port_));
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  const std::string inter = Define("D1", "ES 202612 +1 / SPY 20361219 C 450 -2");
  EXPECT_NE(inter.find("ContractMultiplier=50 "), std::string::npos) << inter;
  const std::string span = Define("D2", "ES 202612 +1 / NQ 202612 -1");
  EXPECT_NE(span.find("rejected Text=\"legs span shards equity-index (ES) and nasdaq "
                      "(NQ): a combo routes on one shard; send combos of one shard's product "
                      "groups to that shard\""),
            std::string::npos)
      << span;
}

// Tick rules (docs/OPERATIONS.md "Tick rules"): the vertical's options trade in 0.01 below 3.00
// and 0.05 from 3.00. Its 450 call is worth about 6, so the leg-in buys it above 3.00: every leg
// price it sends and fills is on the 0.05 tick there (and the sold 460 call on its band's tick).
// A second vertical on the classic rule (0.05 below 3.00, 0.10 from it) has combo tick 0.05: a
// limit of 1.02 is refused with the reason in Text(58), 1.05 is accepted.
TEST_F(DaemonEndToEndTest, LegPricesFollowTheTickRuleAtTheirPriceAndAnOffTickLimitIsRefused) {
  const std::string penny = "tick_size: \"0.01<3.00;0.05\", ";
  std::string config = absl::StrReplaceAll(
      Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100),
      {{"right: call, strike: 450,", absl::StrCat(penny, "right: call, strike: 450,")},
       {"right: call, strike: 460,", absl::StrCat(penny, "right: call, strike: 460,")}});
  const std::string classic =
      "  - {id: 13, asset_class: option, underlying: SPY, right: call, strike: 470, "
      "expiry: 2036-12-19, tick_size: \"0.05<3.00;0.10\"}\n"
      "  - {id: 14, asset_class: option, underlying: SPY, right: call, strike: 480, "
      "expiry: 2036-12-19, tick_size: \"0.05<3.00;0.10\"}\n";
  const std::string after_460 = "strike: 460, expiry: 2036-12-19}\n";
  config.insert(config.find(after_460) + after_460.size(), classic);
  WriteConfig(config);
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  ASSERT_TRUE(WaitFor([&] { return Metric("combo_venue_up", {{"venue", "ALPHA"}}) == 1; }, 10s));
  const std::string combo_id = DefineVertical("D1");
  ASSERT_FALSE(combo_id.empty()) << Reports();
  ASSERT_TRUE(client_->Send(fix::MakeMarketDataRequest("Q1", std::stoul(combo_id), '1')).ok());
  ASSERT_TRUE(WaitFor([&] { return !Find(" ask ", " (", " @ ").empty(); }, 20s)) << Reports();

  // The leg-in may lose a race with the market makers now and then; a few attempts see a fill.
  std::string filled;
  for (int attempt = 1; attempt <= 10 && filled.empty(); ++attempt) {
    const std::string id = absl::StrCat("TK", attempt);
    SendImmediateOrder(*client_, id, 1, router::ComboOrderType::kMarket, std::nullopt,
                       router::ComboTimeInForce::kImmediateOrCancel, clock_);
    ASSERT_TRUE(
        WaitFor([&] { return Reported(id, " Filled ") || Reported(id, " Canceled "); }, 15s))
        << Reports();
    if (Reported(id, " Filled ")) filled = id;
  }
  ASSERT_FALSE(filled.empty()) << Reports();
  const core::TickRule rule = *core::TickRule::Parse("0.01<3.00;0.05");
  std::vector<core::Price> leg_prices;
  std::stringstream all(Reports());
  for (std::string line; std::getline(all, line);) {
    if (line.find("leg ClOrdID=" + filled + " ") == std::string::npos) continue;
    const std::optional<core::Price> price = PriceAfter(line, " @ ");
    if (!price.has_value()) continue;
    leg_prices.push_back(*price);
    EXPECT_TRUE(rule.IsOnTick(*price)) << line;
  }
  ASSERT_EQ(leg_prices.size(), 2u) << Reports();
  EXPECT_TRUE(std::any_of(leg_prices.begin(), leg_prices.end(), [](core::Price p) {
    return p > core::Price::FromParts(3, 0);
  })) << Reports();
  // The leg orders the leg-in sent are all on the rule: the venues refused none.
  EXPECT_GE(Metric("combo_legin_leg_orders_total", {{"outcome", "sent"}}), 2);
  EXPECT_EQ(Metric("combo_legin_leg_orders_total", {{"outcome", "rejected"}}), 0);

  auto send_classic = [&](const std::string& id, core::Price limit) {
    fix::ComboOrderParams params;
    params.client_order_id = id;
    params.quantity = 1;
    params.legs = *fix::ParseLegText("SPY 20361219 C 470 +1 / SPY 20361219 C 480 -1");
    params.limit_price = limit;
    params.time_in_force = router::ComboTimeInForce::kDay;
    ASSERT_TRUE(client_->Send(fix::MakeNewOrderMultileg(params, clock_.Now())).ok());
  };
  send_classic("OFF1", core::Price::FromParts(1, 20'000'000));
  ASSERT_TRUE(WaitFor([&] { return Reported("OFF1", " Rejected "); }, 10s)) << Reports();
  EXPECT_TRUE(Reported("OFF1", "Text=\"limit price 1.02 is not a multiple of tick 0.05"))
      << Reports();
  send_classic("ON1", core::Price::FromParts(1, 50'000'000));
  EXPECT_TRUE(WaitFor([&] { return Reported("ON1", " New New "); }, 10s)) << Reports();
}

// The negotiation venue (seed 000) on the assembled daemon: NEGO lists the vertical (no exchange
// of the test's does natively), so a FIX client's order rests there as an offer; a simulated
// dealer ACCEPTs it, the trade is confirmed, and the client is filled. /metrics counts the
// offer, its taking and the trade (docs/METRICS.md), and no withdrawal.
TEST_F(DaemonEndToEndTest, AnOrderRestingAtTheNegotiationVenueIsFilledWhenADealerAcceptsIt) {
  std::string config = Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100);
  config = absl::StrReplaceAll(config, {{"router:\n", absl::StrCat(R"(  - name: NEGO
    id: 6
    kind: negotiation
    option_underlyings: [SPY]
    negotiation:
      account: ROUTER
      combos: [)",
                                                                   kLegs, R"(]
router:
)")}});
  absl::StrAppend(&config, R"(  negotiation_participants:
    - account: DEALER
      interests:
        - {instrument: "[)",
                  kLegs, R"(]", sell_limit: 0.01, max_quantity: 5}
      min_think_time: 200ms
      max_think_time: 400ms
      seed: 3
)");
  WriteConfig(config);
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  // One unit at 0.01: far from the legs' implied price, so it rests where the combo is listed.
  ASSERT_TRUE(client_
                  ->Send(fix::MakeNewOrderMultileg(
                      RestingVertical("NEG1", router::ComboTimeInForce::kDay), clock_.Now()))
                  .ok());
  ASSERT_TRUE(WaitFor([&] { return Reported("NEG1", " Filled "); }, 20s)) << Reports();
  EXPECT_TRUE(Reported("NEG1", " Trade Filled ")) << Reports();
  EXPECT_EQ(Metric("combo_negotiation_offers_total", {{"venue", "NEGO"}, {"outcome", "posted"}}),
            1);
  EXPECT_EQ(Metric("combo_negotiation_offers_total", {{"venue", "NEGO"}, {"outcome", "taken"}}), 1);
  EXPECT_EQ(Metric("combo_negotiation_trades_total", {{"venue", "NEGO"}, {"outcome", "confirmed"}}),
            1);
  EXPECT_EQ(Metric("combo_negotiation_withdrawals_total", {{"venue", "NEGO"}, {"outcome", "sent"}}),
            0);
  EXPECT_EQ(Metric("combo_negotiation_accepts_total", {{"venue", "NEGO"}, {"outcome", "sent"}}), 0);
}

// Latency protection (seed 002) measured and fed in the running daemon: PROT runs it per
// submitter with the seed's tiers; its market makers are slow (a 350-450 ms link), so the venue
// learns their round trip from their test orders and holds their trades 0.20 s; the takers are
// fast. The router probes PROT too. /metrics must show trades held, executed after the hold and
// prevented (a maker's requote landing inside the hold), and the probes of every submitter.
TEST_F(DaemonEndToEndTest, LatencyProtectionHoldsExecutesAndPreventsOnMeasuredLatencies) {
  WriteConfig(absl::StrCat(R"(daemon:
  name: e2e-latency
  data_dir: )",
                           data_dir_, R"(
  drain_timeout: 3s
logging:
  level: info
  file: daemon.log
metrics:
  enabled: true
  listen_address: 127.0.0.1
  port: )",
                           metrics_port_, R"(
)",
                           testing::kSpyCallsConfig, R"(venues:
  - name: PROT
    id: 1
    option_underlyings: [SPY]
    latency:
      seed: 1
      default: {fixed: 200us, jitter: 100us}
    latency_protection:
      tiers:
        - {from: 0s, bound: inclusive, period: 0s}
        - {from: 300ms, bound: exclusive, period: 200ms}
        - {from: 600ms, bound: inclusive, period: 400ms}
      scope: per_submitter
      test_instrument_id: 9001
      router_probe_interval: 200ms
router:
  stability_wait: 0s
)",
                           testing::JournalAndFixConfig(fix_port_, "E2E", COMBO_FIX_DICTIONARY),
                           R"(simulation:
  enabled: true
  seed: 9
  underlyings:
    - {underlying: SPY, initial_price: 450.00, volatility: 0.80}
  market_makers:
    - {venue: PROT, min_half_spread_ticks: 1, max_half_spread_ticks: 2, quantity: 50,
       requote_delay: 10ms, requote_jitter: 20ms,
       latency: {fixed: 350ms, jitter: 100ms}, probe_interval: 500ms, group: slow-makers}
  takers:
    - {venue: PROT, arrivals_per_second: 20, max_quantity: 5, probe_interval: 500ms,
       group: fast-takers}
)"));
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  auto trades = [&](const std::string& outcome) {
    return Metric("combo_venue_latency_trades_total", {{"venue", "PROT"}, {"outcome", outcome}});
  };
  EXPECT_TRUE(WaitFor(
      [&] { return trades("held") > 0 && trades("executed") > 0 && trades("prevented") > 0; }, 60s))
      << "held " << trades("held") << " executed " << trades("executed") << " prevented "
      << trades("prevented") << "\n"
      << Log();
  auto probes = [&](const std::string& submitter, const std::string& outcome) {
    return Metric("combo_latency_probes_total",
                  {{"venue", "PROT"}, {"submitter", submitter}, {"outcome", outcome}});
  };
  for (const std::string submitter : {"router", "router_legs", "slow-makers", "fast-takers"}) {
    EXPECT_GT(probes(submitter, "sent"), 0) << submitter;
    EXPECT_GT(probes(submitter, "answered"), 0) << submitter;
  }
  // The makers' measured round trips lie in the seed's (0.30 s, 0.60 s) tier; the router's are
  // the venue's own sub-millisecond model.
  const auto mean_round_trip = [&](const std::string& submitter) {
    const std::map<std::string, std::string> labels{{"venue", "PROT"}, {"submitter", submitter}};
    const double count = Metric("combo_latency_probe_round_trip_seconds", labels,
                                "combo_latency_probe_round_trip_seconds_count");
    return count > 0 ? Metric("combo_latency_probe_round_trip_seconds", labels,
                              "combo_latency_probe_round_trip_seconds_sum") /
                           count
                     : -1.0;
  };
  const double makers = mean_round_trip("slow-makers");
  EXPECT_GT(makers, 0.30);
  EXPECT_LT(makers, 0.60);
  const double router = mean_round_trip("router");
  EXPECT_GT(router, 0);
  EXPECT_LT(router, 0.01);
  // A held trade's outcomes never exceed what was held.
  EXPECT_LE(trades("executed") + trades("prevented"), trades("held"));
  daemon_.Signal(SIGTERM);
  EXPECT_EQ(daemon_.WaitExit(20s), 0);
}

// A demo-like market on one seed-001 allocation venue with a complex-order book: makers, customer
// takers, a complex quoter and resting customers on the vertical and its legs.
std::string RestingCustomersConfig(const std::string& data_dir, int fix_port, int metrics_port) {
  return absl::StrCat(R"(daemon:
  name: e2e-prints
  data_dir: )",
                      data_dir, R"(
  drain_timeout: 3s
  shutdown_timeout: 20s
logging:
  level: info
  file: daemon.log
metrics:
  enabled: true
  listen_address: 127.0.0.1
  port: )",
                      metrics_port, R"(
)",
                      testing::kSpyCallsConfig, R"(venues:
  - name: SEED
    id: 1
    option_underlyings: [SPY]
    allocation: seed001_options
    latency:
      seed: 1
      default: {fixed: 200us, jitter: 100us}
    complex_book:
      combos: [)",
                      kLegs, R"(]
router:
  stability_wait: 0s
)",
                      testing::JournalAndFixConfig(fix_port, "E2E", COMBO_FIX_DICTIONARY),
                      R"(simulation:
  enabled: true
  seed: 9
  underlyings:
    - {underlying: SPY, initial_price: 450.00, volatility: 0.20}
  market_makers:
    - {venue: SEED, min_half_spread_ticks: 1, max_half_spread_ticks: 2, quantity: 20}
  takers:
    - {venue: SEED, arrivals_per_second: 10, min_quantity: 5, max_quantity: 15}
  complex_quoters:
    - {venue: SEED, quantity: 5, requote_delay: 50ms, requote_jitter: 50ms}
  resting_traders:
    - {venue: SEED, role: customer, instruments: [SPY 20361219 C 450, SPY 20361219 C 460],
       combos: [)",
                      kLegs, R"(], orders_per_second: 20, min_offset_ticks: 0,
       max_offset_ticks: 1, max_quantity: 3, min_lifetime: 300ms, max_lifetime: 2s}
)");
}

// Seed 001 R21/R50 and R30 on the assembled daemon: the complex book's trades print (scraped as
// combo prints), resting customers' orders rest, and seed-001 allocation fills them ahead of the
// makers at their price.
TEST_F(DaemonEndToEndTest, R30ComplexPrintsAndCustomerPriorityShowOnTheMetricsOfTheDemoMarket) {
  WriteConfig(RestingCustomersConfig(data_dir_, fix_port_, metrics_port_));
  StartDaemon();
  const std::map<std::string, std::string> seed{{"venue", "SEED"}};
  EXPECT_TRUE(WaitFor(
      [&] {
        return Metric("combo_venue_resting_orders_total", {{"venue", "SEED"}, {"role", "customer"}},
                      "combo_venue_resting_orders_total") > 0;
      },
      60s))
      << Log();
  EXPECT_TRUE(WaitFor(
      [&] {
        return Metric("combo_venue_prints_total", {{"venue", "SEED"}, {"print", "combo"}}) > 0;
      },
      60s))
      << Log();
  EXPECT_TRUE(WaitFor(
      [&] { return Metric("combo_venue_customer_priority_allocations_total", seed) > 0; }, 60s))
      << Log();
  // Every combo print's legs print too, marked complex; regular leg trades print as such.
  EXPECT_GT(Metric("combo_venue_prints_total", {{"venue", "SEED"}, {"kind", "leg_vs_leg"}}), 0);
  const double complex_legs =
      Metric("combo_venue_prints_total",
             {{"venue", "SEED"}, {"print", "leg"}, {"kind", "complex_vs_complex"}}) +
      Metric("combo_venue_prints_total",
             {{"venue", "SEED"}, {"print", "leg"}, {"kind", "complex_vs_leg"}});
  EXPECT_GT(complex_legs, 0);
}

// Seed 001 R17 published to the router (docs/ROUTER.md "Native venues that leg in"): BETA lists
// the vertical natively and only BETA's market maker quotes (ALPHA's is removed), so BETA's leg
// books make the best legs. What BETA fills by legging an arriving complex order in is native
// liquidity at BETA: the smart combo tick shows BETA (MDMkt 2) at its legs-implied ask, which
// ties the implied market and beats a resting complex offer far above it. A buy at that price
// goes to BETA's complex-order book and fills there, atomically, as a native fill: the router
// never legs in itself.
TEST_F(DaemonEndToEndTest, AVenuesLegsImpliedTopIsItsNativeQuoteAndAnOrderSentThereFills) {
  const std::string beta = "  - name: BETA\n    id: 2\n    option_underlyings: [SPY]\n";
  const std::string alpha_maker =
      "    - {venue: ALPHA, min_half_spread_ticks: 1, max_half_spread_ticks: 2, quantity: 50}\n";
  std::string config = Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100);
  ASSERT_NE(config.find(beta), std::string::npos);
  ASSERT_NE(config.find(alpha_maker), std::string::npos);
  config.insert(config.find(beta) + beta.size(),
                absl::StrCat("    complex_book:\n      combos: [", kLegs, "]\n"));
  config.erase(config.find(alpha_maker), alpha_maker.size());
  WriteConfig(config);
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  const std::string combo_id = DefineVertical("D1");
  ASSERT_FALSE(combo_id.empty()) << Reports();

  // A resting complex offer far above the market: the client's own sell rests at BETA.
  fix::ComboOrderParams sell;
  sell.client_order_id = "S1";
  sell.side = core::Side::kSell;
  sell.quantity = 1;
  sell.legs = *fix::ParseLegText(kLegs);
  sell.type = router::ComboOrderType::kLimit;
  sell.limit_price = core::Price::FromParts(50, 0);
  sell.time_in_force = router::ComboTimeInForce::kDay;
  ASSERT_TRUE(client_->Send(fix::MakeNewOrderMultileg(sell, clock_.Now())).ok());
  ASSERT_TRUE(WaitFor([&] { return Reported("S1", " New New "); }, 10s)) << Reports();

  ASSERT_TRUE(client_->Send(fix::MakeMarketDataRequest("Q1", std::stoul(combo_id), '1')).ok());
  // BETA's ask below the resting 50: what its leg books fill (the market maker quotes after a
  // moment; before that the resting offer is BETA's only ask).
  auto legs_ask = [&]() -> std::optional<core::Price> {
    if (Find(" ask ", ")", " @ ").find("(2") == std::string::npos) return std::nullopt;
    const absl::StatusOr<core::Price> price = core::Price::Parse(Find(" ask ", " (", " @ "));
    if (!price.ok() || *price >= core::Price::FromParts(50, 0)) return std::nullopt;
    return *price;
  };
  ASSERT_TRUE(WaitFor([&] { return legs_ask().has_value(); }, 20s)) << Reports();

  // A buy at that ask (plus room for a requote) is decided native and sent to BETA, which legs it
  // in: it fills with no leg-in of the router's. A tick can show the implied market for a moment
  // (BETA's leg update reaches the router just before its native update), so a few attempts see
  // one decided on a BETA tick.
  std::string filled;
  for (int attempt = 1; attempt <= 5 && filled.empty(); ++attempt) {
    const std::string id = absl::StrCat("B", attempt);
    ASSERT_TRUE(WaitFor([&] { return legs_ask().has_value(); }, 20s)) << Reports();
    const std::optional<core::Price> price = legs_ask();
    ASSERT_TRUE(price.has_value());
    const double native_before = Metric("combo_router_decisions_total", {{"outcome", "native"}});
    const double legins_before = Metric("combo_legin_attempts_total");
    SendOrder(id, 1, router::ComboOrderType::kLimit,
              *price + core::Price::FromParts(0, 20'000'000));
    ASSERT_TRUE(WaitFor([&] { return Reported(id, " Filled "); }, 15s)) << Reports();
    if (Metric("combo_router_decisions_total", {{"outcome", "native"}}) == native_before + 1 &&
        Metric("combo_legin_attempts_total") == legins_before) {
      filled = id;
    }
  }
  ASSERT_FALSE(filled.empty()) << Reports();
  // The resting offer at 50 did not trade: BETA legged the buy into its leg books.
  EXPECT_FALSE(Reported("S1", " Filled ")) << Reports();
}

// Seed 001 R42 on the assembled daemon: BETA runs the market-maker rules with a one-level
// tick-worse table of 7 contracts, and its only quotes are a primary market maker's 50 a side
// (slow to re-quote). A 50-lot leg-in exhausts a quote: the venue renews it one tick worse at 7,
// which the smart combo tick shows as an implied size of 7, and counts it.
TEST_F(DaemonEndToEndTest, R42ALegInThatExhaustsAPrimaryMarketMakersQuoteTicksItWorse) {
  std::string config = absl::StrReplaceAll(
      Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100),
      {{"      stale_after: 5s\n",
        "      stale_after: 5s\n    market_maker_rules: {tick_worse_sizes: [7]}\n"},
       {"    - {venue: ALPHA, min_half_spread_ticks: 1, max_half_spread_ticks: 2, quantity: 50}\n",
        ""},
       {"max_half_spread_ticks: 3, quantity: 50}",
        "max_half_spread_ticks: 3, quantity: 50,\n       role: primary_market_maker, "
        "requote_delay: 5s}"},
       {"risk:\n",
        "risk:\n  max_legin_dollar_delta: 100000000\n  max_legin_notional: 100000000\n"}});
  WriteConfig(config);
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  ASSERT_TRUE(WaitFor([&] { return Metric("combo_venue_up", {{"venue", "BETA"}}) == 1; }, 10s));
  EXPECT_EQ(
      Metric("combo_venue_quote_restatements_total", {{"venue", "BETA"}, {"reason", "tick_worse"}}),
      0);
  const std::string combo_id = DefineVertical("D1");
  ASSERT_FALSE(combo_id.empty()) << Reports();
  ASSERT_TRUE(client_->Send(fix::MakeMarketDataRequest("Q1", std::stoul(combo_id), '1')).ok());
  ASSERT_TRUE(WaitFor([&] { return Find(" ask 50 @ ", " ").size() > 0; }, 20s)) << Reports();
  EXPECT_EQ(Find(" ask 7 @ ", " "), "") << Reports();

  // A market IOC for the 50 the ask shows; a leg-in that loses a race to a re-quote tries again.
  for (int attempt = 1; attempt <= 5; ++attempt) {
    const std::string id = absl::StrCat("TW", attempt);
    SendImmediateOrder(*client_, id, 50, router::ComboOrderType::kMarket, std::nullopt,
                       router::ComboTimeInForce::kImmediateOrCancel, clock_);
    ASSERT_TRUE(
        WaitFor([&] { return Reported(id, " Filled ") || Reported(id, " Canceled "); }, 20s))
        << Reports();
    if (Metric("combo_venue_quote_restatements_total",
               {{"venue", "BETA"}, {"reason", "tick_worse"}}) >= 1) {
      break;
    }
  }
  EXPECT_GE(
      Metric("combo_venue_quote_restatements_total", {{"venue", "BETA"}, {"reason", "tick_worse"}}),
      1);
  // The renewed quote, 7 a tick worse, is the leg's market now: the vertical's ask shows 7.
  EXPECT_TRUE(WaitFor([&] { return !Find(" ask 7 @ ", " ").empty(); }, 10s)) << Reports();
}

// Seed 001 Part A's leg processes act in the assembled daemon: BETA starts every series before
// its opening and its primary market maker's rotation opens them 1 s after start (R47); the
// script calls a fast market in one series at level 1 (Table XII: 20 s) and ends it (R46). The
// router hears each phase (the leg-in leaves such series alone) and the daemon logs it.
TEST_F(DaemonEndToEndTest, Seed001OpeningRotationAndFastMarketActInTheDaemon) {
  std::string config = Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100);
  config =
      absl::StrReplaceAll(config, {{"    aop:\n      sources: [ALPHA]\n      stale_after: 5s\n",
                                    "    aop:\n      sources: [ALPHA]\n      stale_after: 5s\n"
                                    "    leg_processes:\n"
                                    "      opening: {start_after: 1s}\n"
                                    "      fast_market: {}\n"
                                    "      away_market: {}\n"}});
  config +=
      "  script:\n"
      "    - {at: 3s, kind: fast_market, venue: BETA, instrument: SPY 20361219 C 450, "
      "level: 1}\n"
      "    - {at: 5s, kind: fast_market, venue: BETA, instrument: SPY 20361219 C 450, "
      "level: 0}\n";
  ASSERT_NE(config.find("leg_processes"), std::string::npos);
  WriteConfig(config);
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  // The opening rotation: both series of BETA open.
  EXPECT_TRUE(WaitFor(
      [&] {
        const std::string log = Log();
        return log.find(
                   "event=series_phase venue=BETA instrument=\"SPY 20361219 C 450\" "
                   "phase=open") != std::string::npos &&
               log.find(
                   "event=series_phase venue=BETA instrument=\"SPY 20361219 C 460\" "
                   "phase=open") != std::string::npos;
      },
      30s))
      << Log();
  // The exchange's fast market, level 1 = 20 s between single-price trades, then its end.
  EXPECT_TRUE(WaitFor(
      [&] {
        return Log().find(
                   "instrument=\"SPY 20361219 C 450\" phase=fast_market "
                   "fast_market_level=1 call_delay=20s") != std::string::npos;
      },
      30s))
      << Log();
  const size_t fast = Log().find("phase=fast_market");
  EXPECT_TRUE(WaitFor(
      [&] {
        const std::string log = Log();
        return log.find("instrument=\"SPY 20361219 C 450\" phase=open", fast) != std::string::npos;
      },
      30s))
      << Log();
  // BETA trades continuously again: its open series display the simulated makers' quotes.
  EXPECT_TRUE(WaitFor([&] { return Metric("combo_venue_up", {{"venue", "BETA"}}) == 1; }, 10s));
}

}  // namespace
}  // namespace combo::daemon

namespace combo::daemon {
namespace {

// Seed 004 in the assembled daemon: BETA runs automated order protection on ALPHA's market and
// opens its CBO book from the config (aop.cbo: 1 s exclusive, 1 s open, the price auction); the
// simulation's CBO desk at BETA sends client bid/offers, its dealers answer them and send IOC
// leg orders with an autofill threshold. Price jumps leave BETA's slow makers' quotes stale
// against ALPHA's: AOP reprices them and the protected CBOs. /metrics, scraped over HTTP, must
// show every phase, a price auction, an autofill and AOP reprices of both kinds. (With the
// book not opened by the venue the desk has no book and the CBO families stay absent, and the
// test fails.)
TEST_F(DaemonEndToEndTest, Seed004CboBookAndAopRunInTheDaemonWithEveryPhaseAuctionAndAutofill) {
  std::string config = Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100);
  const std::string aop = "      sources: [ALPHA]\n      stale_after: 5s\n";
  ASSERT_NE(config.find(aop), std::string::npos);
  config.insert(config.find(aop) + aop.size(),
                "      cbo: {exclusive_time: 1s, open_time: 1s, tie_break: price_auction}\n");
  config = absl::StrReplaceAll(
      config,
      {{"    - {venue: BETA, min_half_spread_ticks: 1, max_half_spread_ticks: 3, quantity: 50}\n",
        "    - {venue: BETA, min_half_spread_ticks: 1, max_half_spread_ticks: 2, quantity: 50,\n"
        "       requote_delay: 3s, requote_jitter: 0s}\n"
        "  cbo_desks:\n"
        "    - {venue: BETA, exclusive_dealers: 3, open_dealers: 1, cbos_per_second: 6,\n"
        "       min_limit_offset_ticks: -1, max_limit_offset_ticks: 3, cbo_lifetime: 20s,\n"
        "       client_autofill_ticks: 1, min_edge_ticks: -1, max_edge_ticks: 1,\n"
        "       dealer_autofill_ticks: 2, min_response_delay: 1ms, max_response_delay: 100ms,\n"
        "       leg_orders_per_second: 4}\n"
        "  script:\n"
        "    - {at: 4s, kind: price_jump, underlying: SPY, log_return: -0.01}\n"
        "    - {at: 8s, kind: price_jump, underlying: SPY, log_return: 0.02}\n"
        "    - {at: 12s, kind: price_jump, underlying: SPY, log_return: -0.01}\n"}});
  WriteConfig(config);
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  const std::map<std::string, std::string> beta = {{"venue", "BETA"}};
  auto at_beta = [&](const std::string& key, const std::string& value) {
    std::map<std::string, std::string> labels = beta;
    labels[key] = value;
    return labels;
  };
  auto all_seen = [&] {
    return Metric("combo_venue_cbo_phases_total", at_beta("phase", "exclusive")) > 0 &&
           Metric("combo_venue_cbo_phases_total", at_beta("phase", "open")) > 0 &&
           Metric("combo_venue_cbo_phases_total", at_beta("phase", "protected")) > 0 &&
           Metric("combo_venue_cbo_windows_total", at_beta("outcome", "price_auction")) > 0 &&
           Metric("combo_venue_cbo_fills_total", at_beta("kind", "dealer_autofill")) +
                   Metric("combo_venue_cbo_fills_total", at_beta("kind", "client_autofill")) >
               0 &&
           Metric("combo_venue_cbo_reprices_total", beta) > 0 &&
           Metric("combo_venue_aop_reprices_total", beta) > 0;
  };
  EXPECT_TRUE(WaitFor(all_seen, 60s)) << [&] {
    auto families = Scrape();
    std::string out;
    if (!families.ok()) return std::string(families.status().message());
    for (const char* name : {"combo_venue_cbo_phases_total", "combo_venue_cbo_windows_total",
                             "combo_venue_cbo_fills_total", "combo_venue_cbo_reprices_total",
                             "combo_venue_aop_reprices_total", "combo_venue_aop_autofills_total",
                             "combo_venue_aop_dealer_price_fills_total"}) {
      absl::StrAppend(&out, name, " ", testing::SumOf(*families, name, name, {}), "\n");
    }
    return out;
  }();
  // The standard fills at the dealers' own prices (R56) happen too.
  EXPECT_GT(Metric("combo_venue_cbo_fills_total", at_beta("kind", "standard")), 0);
}

}  // namespace
}  // namespace combo::daemon

namespace combo::daemon {
namespace {

// The residual resolver on the assembled daemon (seed 003 R16; docs/RESOLVER.md): a failed
// leg-in left 1 C450 of a cancelled order in the error account (the journal the daemon starts
// on holds it, as a crash right after the failure would leave it). With a zero band nothing is
// inside it: the resolver waits (journaled once). Killed with SIGKILL and started again, it
// resumes from the journal (still waiting, not journaled twice); a SIGHUP widening the unwind
// band lets it close the leg at the demo market inside the band, well within its horizon, every
// step journaled and on /metrics, the ledger reconciled.
// What a failed leg-in of the vertical (kLegs) left: order `order` (ClOrdID `clordid`, buying one
// unit at `limit`, good till cancelled) accepted, its 450 call bought at `booked` and booked to
// the error account when the 460 call's leg failed; cancelled by the client or still open.
enum class Cancelled : bool { kNo, kYes };
struct FailedLegIn {
  uint64_t order = 1;
  std::string clordid;
  core::Price limit;
  core::Price booked;
  Cancelled cancelled = Cancelled::kYes;
};

// Writes `failed` to a fresh journal at `path`, as a daemon that ran them would have.
void JournalFailedLegIns(const std::string& path, const std::vector<FailedLegIn>& failed) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  auto journal = accounts::Journal::Open(path);
  ASSERT_TRUE(journal.ok()) << journal.status();
  const core::Timestamp now = core::WallClock().Now();
  const std::vector<accounts::LegTerms> legs = {
      {core::InstrumentId(11), "SPY 20361219 C 450", core::AssetClass::kOption, 100, 1,
       core::Side::kBuy},
      {core::InstrumentId(12), "SPY 20361219 C 460", core::AssetClass::kOption, 100, 1,
       core::Side::kSell}};
  std::vector<accounts::StoredEvent> stored;
  const auto append = [&](accounts::JournalEvent event) {
    stored.push_back({stored.size() + 1, std::move(event)});
  };
  for (const FailedLegIn& leg_in : failed) {
    const core::OrderId order(leg_in.order);
    append(accounts::OrderAccepted{
        order, core::AccountId("E2E"), core::ClientOrderId(leg_in.clordid), core::Side::kBuy,
        core::Quantity(1), leg_in.limit, legs, now, "E2E", accounts::JournaledOrderType::kLimit,
        accounts::JournaledTimeInForce::kGoodTillCancel, std::nullopt});
    append(accounts::LegFill{order, core::VenueId(1), absl::StrCat("router-leg-", leg_in.order),
                             core::InstrumentId(11), core::Side::kBuy, core::Quantity(1),
                             leg_in.booked, now});
    append(accounts::ErrorAccountBooking{accounts::ErrorBookingKind::kLegInFailure, order,
                                         core::InstrumentId(11), core::Side::kBuy,
                                         core::Quantity(1), leg_in.booked, "leg timed out", now});
    if (leg_in.cancelled == Cancelled::kYes) {
      append(accounts::OrderCancelled{order, "cancelled by client", now});
    }
  }
  ASSERT_TRUE((*journal)->Append(stored).ok());
}

// The resolver's journaled actions on the residual of `order`, "action outcome", in order.
std::vector<std::string> ResidualActions(const std::string& path, uint64_t order) {
  std::vector<std::string> seen;
  auto journal = accounts::Journal::OpenReadOnly(path);
  if (!journal.ok()) return seen;
  auto events = (*journal)->ReadAll();
  if (!events.ok()) return seen;
  for (const accounts::StoredEvent& stored : *events) {
    const auto* a = std::get_if<accounts::ResidualAction>(&stored.event);
    if (a != nullptr && a->order == core::OrderId(order)) {
      seen.push_back(absl::StrCat(core::AsAbsl(accounts::ToString(a->action)), " ", a->outcome));
    }
  }
  return seen;
}

// The journal replayed: its ledger (error account, residuals), or an error.
absl::StatusOr<accounts::Ledger> ReplayedLedger(const std::string& path) {
  auto journal = accounts::Journal::OpenReadOnly(path);
  if (!journal.ok()) return journal.status();
  auto events = (*journal)->ReadAll();
  if (!events.ok()) return events.status();
  return accounts::ReplayJournal(*events);
}

TEST_F(DaemonEndToEndTest, R16AFailedLegInsResidualIsUnwoundWithinItsHorizonAcrossAKillAndAReload) {
  const std::string journal_path = data_dir_ + "/journal.sqlite";
  JournalFailedLegIns(journal_path, {FailedLegIn{1, "failed", core::Price::FromParts(5, 0),
                                                 core::Price::FromParts(100, 0), Cancelled::kYes}});
  const auto config = [&](int band_ticks) {
    return absl::StrCat(Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100),
                        "resolver:\n  enabled: true\n  interval: 200ms\n  horizon: 60s\n"
                        "  complete: {enabled: false}\n  unwind: {band_ticks: ",
                        band_ticks, ", max_band_ticks: ", band_ticks, "}\n");
  };
  const auto actions = [&] { return ResidualActions(journal_path, 1); };
  WriteConfig(config(0));
  StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return ResidualsIn("waiting") == 1; }, 30s)) << Log();
  EXPECT_EQ(actions(), (std::vector<std::string>{"hold waiting"}));

  KillAndRestart();
  ASSERT_TRUE(WaitFor([&] { return ResidualsIn("waiting") == 1; }, 30s)) << Log();
  EXPECT_EQ(Metric("combo_resolver_horizon_seconds"), 60);

  WriteConfig(config(5));
  daemon_.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] { return ResolverActions("resolved") >= 1; }, 30s)) << Log();
  EXPECT_EQ(Metric("combo_resolver_actions_total", {{"action", "unwind"}, {"outcome", "filled"}}),
            1);
  EXPECT_LT(Metric("combo_resolver_oldest_residual_age_seconds"), 60);
  EXPECT_NE(Log().find("event=residual_action"), std::string::npos);
  EXPECT_EQ(actions(), (std::vector<std::string>{"hold waiting", "unwind sent", "unwind filled",
                                                 "resolved resolved"}));
  daemon_.Signal(SIGTERM);
  ASSERT_EQ(daemon_.WaitExit(30s), 0);
  auto journal = accounts::Journal::OpenReadOnly(journal_path);
  ASSERT_TRUE(journal.ok());
  auto events = (*journal)->ReadAll();
  ASSERT_TRUE(events.ok());
  auto ledger = accounts::ReplayJournal(*events);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_TRUE(ledger->error_account().positions.at(core::InstrumentId(11)).is_flat());
  int resolver_fills = 0;
  for (const accounts::StoredEvent& stored : *events) {
    resolver_fills += std::holds_alternative<accounts::ResolverFill>(stored.event) ? 1 : 0;
  }
  EXPECT_GE(resolver_fills, 1);
}

// The test market with SPY shares as well, the way demo.yaml lists them: an STK venue with a
// market maker quoting 500 shares, so the resolver can hedge an option residual's delta.
std::string WithSpyShares(const std::string& config) {
  return absl::StrReplaceAll(
      config, {{"router:\n  stability_wait: 0s\n", R"(  - name: STK
    id: 3
    instruments: [SPY]
    latency:
      seed: 3
      default: {fixed: 200us, jitter: 50us}
router:
  stability_wait: 0s
)"},
               {"max_half_spread_ticks: 3, quantity: 50}\n",
                "max_half_spread_ticks: 3, quantity: 50}\n"
                "    - {venue: STK, min_half_spread_ticks: 1, max_half_spread_ticks: 2, "
                "quantity: 500}\n"}});
}

// Seed 003 R16 "for hedging": a failed leg-in left one long 450 call (delta about 0.86, 86
// shares) and nothing completes or unwinds it, so the resolver sells SPY shares against its delta
// while it waits. The hedge is journaled (resolver_fill purpose hedge), counted on /metrics, and
// after a SIGKILL the restarted daemon knows the residual is hedged and does not hedge it again;
// unwinding (enabled by a reload) closes the call and the shares together.
TEST_F(DaemonEndToEndTest, R16AFailedLegInsDeltaIsHedgedWithSharesAcrossAKillAndUnwoundAfter) {
  const std::string journal_path = data_dir_ + "/journal.sqlite";
  JournalFailedLegIns(journal_path, {FailedLegIn{1, "failed", core::Price::FromParts(5, 0),
                                                 core::Price::FromParts(100, 0), Cancelled::kYes}});
  const auto config = [&](bool unwind) {
    return absl::StrCat(
        WithSpyShares(Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100)),
        "resolver:\n  enabled: true\n  interval: 200ms\n  horizon: 120s\n"
        "  complete: {enabled: false}\n  unwind: {enabled: ",
        unwind ? "true" : "false", ", band_ticks: 10}\n  hedge: {enabled: true}\n");
  };
  const auto shares = [&]() -> int64_t {
    auto ledger = ReplayedLedger(journal_path);
    if (!ledger.ok()) return 0;
    auto held = ledger->error_account().positions.find(core::InstrumentId(1));
    return held == ledger->error_account().positions.end() ? 0 : held->second.quantity().value();
  };
  WriteConfig(config(false));
  StartDaemon();
  ASSERT_TRUE(WaitFor(
      [&] {
        return Metric("combo_resolver_residuals", {{"state", "hedged"}}) == 1 &&
               Metric("combo_resolver_actions_total", {{"action", "hold"}}) == 1;
      },
      30s))
      << Log();
  EXPECT_EQ(Metric("combo_resolver_actions_total", {{"action", "hedge"}, {"outcome", "filled"}}),
            1);
  EXPECT_EQ(ResidualActions(journal_path, 1),
            (std::vector<std::string>{"hedge sent", "hedge filled", "hold waiting"}));
  // Short the call's delta in shares: between 0.5 and 1 of the 100 the call stands for.
  const int64_t hedged = shares();
  EXPECT_LT(hedged, -50);
  EXPECT_GT(hedged, -100);

  KillAndRestart();
  ASSERT_TRUE(WaitFor([&] { return ResidualsIn("hedged") == 1; }, 30s)) << Log();
  // A few evaluations later it is still the one hedge.
  ASSERT_TRUE(
      WaitFor([&] { return Metric("combo_resolver_oldest_residual_age_seconds") > 2; }, 30s));
  EXPECT_EQ(Metric("combo_resolver_actions_total", {{"action", "hedge"}}), 0);
  EXPECT_EQ(ResidualActions(journal_path, 1),
            (std::vector<std::string>{"hedge sent", "hedge filled", "hold waiting"}));
  EXPECT_EQ(shares(), hedged);

  WriteConfig(config(true));
  daemon_.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] { return ResolverActions("resolved") >= 1; }, 30s)) << Log();
  EXPECT_EQ(ResidualActions(journal_path, 1),
            (std::vector<std::string>{"hedge sent", "hedge filled", "hold waiting", "unwind sent",
                                      "unwind filled", "resolved resolved"}));
  daemon_.Signal(SIGTERM);
  ASSERT_EQ(daemon_.WaitExit(30s), 0);
  auto ledger = ReplayedLedger(journal_path);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_TRUE(ledger->error_account().positions.at(core::InstrumentId(11)).is_flat());
  EXPECT_TRUE(ledger->error_account().positions.at(core::InstrumentId(1)).is_flat());
  EXPECT_TRUE(ledger->Reconcile().ok()) << ledger->Reconcile();
}

// Seed 003 R16 and R15: two failed leg-ins each left a long 450 call while no one bid the 460
// call (the makers' 460 quotes are pulled for the first 5 s). When the 460 bids come back inside
// the band the resolver sells it for both: order "wanted" is still open and its limit (0.00)
// takes the unit (90.00 paid for the 450, about 108 received for the 460), so the client gets one
// consolidated fill of the vertical; order "gone" was cancelled, so its unit stays in the error
// account as a complete combo.
TEST_F(DaemonEndToEndTest, R16AMissingLegThatComesBackInsideTheBandCompletesUnitsForTheClient) {
  const std::string journal_path = data_dir_ + "/journal.sqlite";
  JournalFailedLegIns(journal_path, {FailedLegIn{1, "wanted", core::Price::Zero(),
                                                 core::Price::FromParts(90, 0), Cancelled::kNo},
                                     FailedLegIn{2, "gone", core::Price::Zero(),
                                                 core::Price::FromParts(90, 0), Cancelled::kYes}});
  WriteConfig(absl::StrCat(
      Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100),
      "  script:\n"
      "    - {at: 0s, kind: pull_quotes, venue: ALPHA, instrument: SPY 20361219 C 460}\n"
      "    - {at: 0s, kind: pull_quotes, venue: BETA, instrument: SPY 20361219 C 460}\n"
      "    - {at: 5s, kind: restore_quotes, venue: ALPHA, instrument: SPY 20361219 C 460}\n"
      "    - {at: 5s, kind: restore_quotes, venue: BETA, instrument: SPY 20361219 C 460}\n",
      // The delta risk priced high (the whole notional over the horizon): completing, which
      // hands the client the 450 call's gain, costs less than carrying it.
      "resolver:\n  enabled: true\n  interval: 200ms\n  horizon: 120s\n"
      "  unwind: {enabled: false}\n  adverse_move_bps: 10000\n"));
  StartDaemon();
  ConnectClient();
  ASSERT_TRUE(WaitFor([&] { return Reported("wanted", " Trade Filled "); }, 30s))
      << Reports() << Log();
  ASSERT_TRUE(WaitFor(
      [&] {
        return ResidualActions(journal_path, 1).size() == 5 &&
               ResidualActions(journal_path, 2).size() == 4;
      },
      30s))
      << Log();
  EXPECT_EQ(ResidualActions(journal_path, 1),
            (std::vector<std::string>{"hold waiting", "complete sent", "complete filled",
                                      "deliver delivered", "resolved resolved"}));
  EXPECT_EQ(ResidualActions(journal_path, 2),
            (std::vector<std::string>{"hold waiting", "complete sent", "complete filled",
                                      "hold waiting"}));
  // One consolidated fill: one combo report of the trade, its price the two legs' net.
  const std::vector<std::string> fills = ComboReportsOf(Reports(), "wanted", " Trade Filled ");
  ASSERT_EQ(fills.size(), 1u) << Reports();
  const std::optional<core::Price> net = PriceAfter(fills[0], " last 1 @ ");
  ASSERT_TRUE(net.has_value()) << fills[0];
  EXPECT_LT(*net, core::Price::Zero()) << fills[0];
  EXPECT_EQ(Metric("combo_resolver_actions_total", {{"action", "deliver"}}), 1);
  daemon_.Signal(SIGTERM);
  ASSERT_EQ(daemon_.WaitExit(30s), 0);
  auto ledger = ReplayedLedger(journal_path);
  ASSERT_TRUE(ledger.ok()) << ledger.status();
  EXPECT_EQ(ledger->FindOrder(core::OrderId(1))->filled, core::Quantity(1));
  const accounts::ResidualRecord* kept = ledger->FindResidual(core::OrderId(2));
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->positions.at(core::InstrumentId(11)).quantity().value(), 1);
  EXPECT_EQ(kept->positions.at(core::InstrumentId(12)).quantity().value(), -1);
  EXPECT_EQ(ledger->error_account().positions.at(core::InstrumentId(11)).quantity().value(), 1);
  EXPECT_EQ(ledger->error_account().positions.at(core::InstrumentId(12)).quantity().value(), -1);
  EXPECT_TRUE(ledger->Reconcile().ok()) << ledger->Reconcile();
}

}  // namespace
}  // namespace combo::daemon

namespace combo::daemon {
namespace {

// Seed 001 R34 on the assembled daemon: BETA, the only market, runs derive-or-trade with X = 10
// (Y = 9 up to 0.05 of improvement); its primary market maker quotes 50 a side (slow to
// re-quote) and a public customer rests 20-lot orders one tick inside its quotes in the 460 call.
// A 20-lot customer bid there shows as the vertical's ask of 20. A broker's 15-lot leg-in sells
// 15 of it, leaving 5 < X at the best bid: the venue derives the PMM 5 beside it, counted as
// "derived", and the vertical's ask shows the level's 10.
TEST_F(DaemonEndToEndTest, R34ALegInLeavingACustomerOrderBelowXDerivesThePmmTheShortfall) {
  std::string config = absl::StrReplaceAll(
      Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100),
      {{"    aop:\n      sources: [ALPHA]\n      stale_after: 5s\n",
        "    market_maker_rules:\n      minimum_market_size: 10\n"
        "      derive_matrix: [{improvement: 0.05, contracts: 9}]\n"},
       {"    - {venue: ALPHA, min_half_spread_ticks: 1, max_half_spread_ticks: 2, quantity: 50}\n",
        ""},
       {"max_half_spread_ticks: 3, quantity: 50}",
        "max_half_spread_ticks: 3, quantity: 50,\n       role: primary_market_maker, "
        "requote_delay: 5s}\n"
        "  resting_traders:\n"
        "    - {venue: BETA, instruments: [SPY 20361219 C 460], role: customer,\n"
        "       orders_per_second: 5, min_offset_ticks: 1, max_offset_ticks: 1,\n"
        "       min_quantity: 20, max_quantity: 20, min_lifetime: 5s, max_lifetime: 5s,\n"
        "       replace_percent: 0, max_open_orders: 2}"},
       {"risk:\n",
        "risk:\n  max_legin_dollar_delta: 100000000\n  max_legin_notional: 100000000\n"}});
  ASSERT_NE(config.find("resting_traders"), std::string::npos);
  WriteConfig(config);
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ConnectClient();
  ASSERT_TRUE(WaitFor([&] { return Metric("combo_venue_up", {{"venue", "BETA"}}) == 1; }, 10s));
  const std::map<std::string, std::string> derived = {{"venue", "BETA"}, {"outcome", "derived"}};
  // The customer's 20-lots are at least X: resting them derives nothing.
  EXPECT_EQ(Metric("combo_venue_derive_or_trade_total", derived), 0);
  const std::string combo_id = DefineVertical("D1");
  ASSERT_FALSE(combo_id.empty()) << Reports();
  ASSERT_TRUE(client_->Send(fix::MakeMarketDataRequest("Q1", std::stoul(combo_id), '1')).ok());

  // The vertical's ask size in the latest market data; the first other than 20 in the market
  // data received since report `from` (empty while there is none).
  auto ask_size = [&] { return Find("MDReqID=Q1 ", " @ ", " ask "); };
  auto report_count = [&] {
    std::lock_guard<std::mutex> lock(mutex_);
    return reports_.size();
  };
  auto first_ask_size_change = [&](size_t from) -> std::string {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = from; i < reports_.size(); ++i) {
      const std::string& report = reports_[i];
      const size_t ask = report.find(" ask ");
      if (report.find("MDReqID=Q1 ") == std::string::npos || ask == std::string::npos) continue;
      const size_t at = report.find(" @ ", ask);
      std::string size = report.substr(ask + 5, at == std::string::npos ? 0 : at - ask - 5);
      if (size != "20") return size;
    }
    return "";
  };

  // A market IOC for 15 while a customer's 20 is the 460 call's best bid (the vertical's ask
  // shows 20); a leg-in that meets a cancelled customer order (5 s lives) tries again.
  size_t sent_at = 0;
  for (int attempt = 1; attempt <= 5; ++attempt) {
    ASSERT_TRUE(WaitFor([&] { return ask_size() == "20"; }, 20s)) << Reports();
    const std::string id = absl::StrCat("DV", attempt);
    sent_at = report_count();
    SendImmediateOrder(*client_, id, 15, router::ComboOrderType::kMarket, std::nullopt,
                       router::ComboTimeInForce::kImmediateOrCancel, clock_);
    ASSERT_TRUE(WaitFor(
        [&] {
          return Reported(id, " Filled ") || Reported(id, " Canceled ") ||
                 Reported(id, " Rejected ");
        },
        20s))
        << Reports();
    if (Metric("combo_venue_derive_or_trade_total", derived) >= 1) break;
  }
  EXPECT_GE(Metric("combo_venue_derive_or_trade_total", derived), 1) << Reports();
  EXPECT_EQ(Metric("combo_venue_derive_or_trade_total", {{"venue", "BETA"}, {"outcome", "traded"}}),
            0);
  // The customer's 5 and the PMM's derived 5 are the 460 call's best bid: the vertical's ask goes
  // from 20 to X (without the derived order it would show the customer's 5).
  EXPECT_TRUE(WaitFor([&] { return !first_ask_size_change(sent_at).empty(); }, 10s)) << Reports();
  EXPECT_EQ(first_ask_size_change(sent_at), "10") << Reports();
}

// Seed 001 R41 on the assembled daemon: BETA runs a quote match delay of 1 s, and two market
// makers quote its series one tick either side of fair value, one re-quoting at once and one
// slow (3 s). When SPY moves, the fast maker's new quotes reach the slow maker's stale ones (a
// 3% jump at 4 s makes sure of it): those quotes would lock or cross, and the venue holds them
// for T before matching them (counted).
TEST_F(DaemonEndToEndTest, R41TwoMarketMakersQuotesThatCrossWaitTheQuoteMatchDelay) {
  std::string config = absl::StrReplaceAll(
      Config(data_dir_, fix_port_, metrics_port_, "aggressive", 100),
      {{"    aop:\n      sources: [ALPHA]\n      stale_after: 5s\n",
        "    market_maker_rules: {quote_match_delay: 1s}\n"},
       {"    - {venue: BETA, min_half_spread_ticks: 1, max_half_spread_ticks: 3, quantity: 50}\n",
        "    - {venue: BETA, min_half_spread_ticks: 1, max_half_spread_ticks: 1, quantity: 50}\n"
        "    - {venue: BETA, min_half_spread_ticks: 1, max_half_spread_ticks: 1, quantity: 50,\n"
        "       requote_delay: 3s}\n"}});
  config +=
      "  script:\n"
      "    - {at: 4s, kind: price_jump, underlying: SPY, log_return: 0.03}\n";
  ASSERT_NE(config.find("requote_delay: 3s"), std::string::npos);
  WriteConfig(config);
  ASSERT_NO_FATAL_FAILURE(StartDaemon());
  ASSERT_TRUE(WaitFor([&] { return Metric("combo_venue_up", {{"venue", "BETA"}}) == 1; }, 10s));
  EXPECT_TRUE(WaitFor(
      [&] {
        return Metric("combo_venue_quote_match_delays_total", {{"venue", "BETA"}}) >= 1;
      },
      30s))
      << Log();
}

}  // namespace
}  // namespace combo::daemon
