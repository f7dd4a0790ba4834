// Backtest: runs N combo orders through a router against the simulated market for T simulated
// minutes and reports, per leg-in policy, the leg-in success rate, the error account's P&L, the
// price improvement versus the native price and the fill rate (docs/BACKTESTS.md).
//
// The market is venues/market_sim's SampleMarket on core::SimulatedTime, seeded, so the same
// seed gives the same market for every policy. The router is reached only through
// router::OrderEntry plus two readings (leg-in counts, error-account P&L), behind
// RouterUnderTest: a RouterFactory builds it for a policy, so wiring the real router
// is one factory. Orders arrive at uniformly drawn times, each a Day limit order for one of the
// sample combos priced from the best native price on its side when the order is sent (the
// reference for price improvement), and whatever is open at the end is cancelled. Not
// thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/money.h"
#include "core/price.h"
#include "core/scheduler.h"
#include "core/time.h"
#include "router/leg_in_engine.h"
#include "router/leg_in_policy.h"
#include "router/order_entry.h"
#include "stack/leg_in_tracker.h"
#include "venues/market_sim/sample_market.h"

namespace combo::backtest {

// The policy under test is the leg-in mode (router/leg_in_policy.h, seed 003 R24/R25):
// aggressive starts a leg-in when the implied price reaches the limit, defensive only when it
// beats the limit by the policy's defensive ticks. router::ToString / router::ParseLegInMode
// give and read its names.
using router::LegInMode;

// How the router's leg-ins ended: the routing stack's leg-in tracker tallies them
// (stack/leg_in_tracker.h).
using LegInCounts = stack::LegInTally;

// One residual (the error-account residue of one client order, accounts::ResidualRecord) at a
// moment, valued at the simulator's fair values.
struct ResidueSample {
  core::OrderId order;
  bool open = false;
  // When it last went from nothing to something.
  core::Timestamp opened_at;
  // When the residual resolver journaled it resolved (its last action is that).
  std::optional<core::Timestamp> resolved_at;
  // Realized plus its open positions at fair value, in currency (x multiplier).
  core::Money pnl;
  // Sum over its open positions of |quantity| x fair value x multiplier.
  core::Money gross_exposure;
};

// What the backtest needs of a router.
class RouterUnderTest {
 public:
  virtual ~RouterUnderTest() = default;
  virtual router::OrderEntry& entry() = 0;
  // Leg-in attempts so far, and how many completed whole combo units without the error account.
  virtual LegInCounts leg_in_counts() const = 0;
  // The error account's P&L (realized plus marked), read at the end of the run.
  virtual core::Money error_account_pnl() const = 0;
  // The leg executions the router booked to the error account, in order (none by default).
  virtual std::vector<router::LegInExecution> error_account_legs() const { return {}; }
  // Every residual the journal's ledger holds, in order id order (none by default).
  virtual std::vector<ResidueSample> residues() const { return {}; }
};

// How the error account's residue fared over a run, from residue samples taken once per
// simulated second and at the end.
struct ResidueFigures {
  // Per residual (order id order): its cost at the end, -(realized + open at fair value).
  std::vector<core::Money> costs;
  // Per residual: the time it spent with something in it. A residual still open at the end
  // counts until the end (censored); a resolved one until the resolver journaled it resolved.
  std::vector<core::Duration> times;
  int64_t open_at_end = 0;
  // Gross exposure of every open residual, summed over the samples.
  core::Money exposure_sum;
  int64_t exposure_samples = 0;
  core::Money exposure_at_end;

  friend bool operator==(const ResidueFigures&, const ResidueFigures&) = default;
};

// Follows residuals from samples: when each opened and closed, and the gross exposure.
class ResidueTracker {
 public:
  void Observe(core::Timestamp now, const std::vector<ResidueSample>& residues);
  // The last sample, at the run's end.
  ResidueFigures Finish(core::Timestamp now, const std::vector<ResidueSample>& residues);

 private:
  struct Track {
    std::optional<core::Timestamp> open_since;
    // The opening already counted (a residual reopens with a later opened_at).
    std::optional<core::Timestamp> counted;
    core::Duration total;
  };
  std::map<core::OrderId, Track> tracks_;
  ResidueFigures figures_;
};

// The P&L of leg executions held in an account: cash paid and received plus the positions left
// marked at `marks` (per unit, x the instrument's multiplier). Instruments with no mark are
// marked at zero. Exact except the marks, which are rounded to the nearest nano.
core::Money MarkedPnl(const std::vector<router::LegInExecution>& legs,
                      const core::InstrumentCatalog& instruments,
                      const std::map<core::InstrumentId, double>& marks);

// Builds the router for `mode` on the sample market's venues and scheduler.
using RouterFactory = absl::AnyInvocable<absl::StatusOr<std::unique_ptr<RouterUnderTest>>(
    LegInMode mode, venues::market_sim::SampleMarket& market, core::Scheduler& scheduler)>;

struct BacktestConfig {
  uint64_t seed = 1;
  int64_t orders = 100;
  int64_t minutes = 10;
  LegInMode policy = LegInMode::kAggressive;
  // Each order is for 1..max_units units.
  int64_t max_units = 5;
  // Each order's limit is the best native price on its side, moved 0..max_ticks_inside combo
  // ticks (drawn per order) in the client's favour: most orders wait for their price.
  int64_t max_ticks_inside = 1;
  // Underlying jumps per year in the market.
  double jump_intensity = 200;
  // The sample market's latency factor (SampleMarketOptions::latency_factor).
  int64_t latency_factor = 1;
  // Scripted liquidity pulls and venue halts per hour of the run (StressScript); 0: none.
  int64_t stress_events_per_hour = 0;
};

// The scripted stresses of a run: `stress_events_per_hour` x minutes / 60 events at times drawn
// from the seed (a stream of its own, so the order flow and the market's agents are the same with
// and without them), each at one of the sample market's three exchanges: two in three a pull of
// the makers' quotes (one leg of the spreads the flow trades, or the whole venue) restored
// 10-60 s later, one in three a halt of the venue resumed 5-30 s later. Ordered by time.
std::vector<venues::market_sim::ScriptedEvent> StressScript(const BacktestConfig& config);

// Checks: orders >= 1, minutes >= 1, max_units >= 1, max_ticks_inside >= 0, a finite
// non-negative jump intensity, stress events per hour in [0, 3600].
absl::Status ValidateBacktestConfig(const BacktestConfig& config);

struct PolicyReport {
  LegInMode policy = LegInMode::kAggressive;
  int64_t orders_sent = 0;
  int64_t orders_accepted = 0;
  int64_t orders_rejected = 0;
  int64_t units_ordered = 0;
  int64_t units_filled = 0;
  LegInCounts leg_in;
  core::Money error_account_pnl;
  // Leg executions booked to the error account, and their P&L recomputed from the router's own
  // record (MarkedPnl at the same marks): equal to error_account_pnl when the journal agrees.
  int64_t error_account_executions = 0;
  core::Money error_account_pnl_from_legs;
  // Sum over fills of (reference - fill price) x units for buys, (fill - reference) x units
  // for sells: positive is better than the native price. Per unit of combo (not x multiplier).
  core::Money price_improvement;
  // Units filled on orders that had a native reference price.
  int64_t units_with_reference = 0;
  // The market's event-log hash at the end: equal across policies means the same market seed.
  uint64_t market_hash = 0;
  ResidueFigures residue;

  friend bool operator==(const PolicyReport&, const PolicyReport&) = default;

  double fill_rate() const;
  double leg_in_success_rate() const;
  // Price improvement per filled unit with a reference.
  double improvement_per_unit() const;
};

// Receives the run's progress (simulated time done / total), at most once per percent.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void OnProgress(double fraction, core::Duration simulated) = 0;
};

// A text progress bar on `out` (a terminal's stderr), redrawn in place.
class ProgressBar final : public ProgressSink {
 public:
  explicit ProgressBar(std::ostream& out, std::string label)
      : out_(out), label_(std::move(label)) {}
  void OnProgress(double fraction, core::Duration simulated) override;

 private:
  std::ostream& out_;
  std::string label_;
};

// Collects a policy's figures from the router's reports; references come from NoteOrder.
class MetricsCollector final : public router::OrderEntryListener {
 public:
  explicit MetricsCollector(LegInMode policy) { report_.policy = policy; }

  // An order sent, with the native price on its side when it was sent (if any).
  void NoteOrder(const router::NewComboOrder& order, std::optional<core::Price> reference);

  void OnAccepted(const router::ComboOrderAccepted& event) override;
  void OnRejected(const router::ComboOrderRejected& event) override;
  void OnExecution(const router::ComboExecution& event) override;
  void OnCancelled(const router::ComboOrderCancelled& event) override;
  void OnReplaced(const router::ComboOrderReplaced& /*event*/) override {}
  void OnCancelRejected(const router::CancelRejected& /*event*/) override {}
  void OnStatus(const router::ComboOrderStatusReport& /*event*/) override {}

  PolicyReport& report() { return report_; }
  // Client order ids of orders not finished yet, in order.
  std::vector<core::ClientOrderId> open_orders() const;

 private:
  struct Tracked {
    core::Side side = core::Side::kBuy;
    std::optional<core::Price> reference;
    bool finished = false;
  };
  PolicyReport report_;
  std::map<std::string, Tracked> orders_;
};

// Runs one policy. Fails on a bad config, a market that cannot be built, or a factory error.
absl::StatusOr<PolicyReport> RunBacktest(const BacktestConfig& config, RouterFactory& factory,
                                         ProgressSink* progress);

// The markdown table of docs/BACKTESTS.md: one row per policy.
std::string FormatReportTable(const std::vector<PolicyReport>& reports);
// One line per policy: how its leg-ins ended, by cause ("completed 51, leg_failed 12").
std::string FormatLegInEnds(const std::vector<PolicyReport>& reports);

// The residue of several runs of one router setting (seeds), pooled: one row of the residue
// table.
struct ResidueSummary {
  std::string label;
  int64_t runs = 0;
  core::Money error_account_pnl;
  ResidueFigures pooled;

  void Add(const PolicyReport& report);
};

// Nearest-rank percentile (0 < percent <= 100) of values; zero when there are none.
core::Money Percentile(std::vector<core::Money> values, int percent);
core::Duration Percentile(std::vector<core::Duration> values, int percent);

// The markdown residue table of docs/BACKTESTS.md: one row per summary.
std::string FormatResidueTable(const std::vector<ResidueSummary>& summaries);

}  // namespace combo::backtest
