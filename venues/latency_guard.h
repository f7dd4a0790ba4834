// LatencyGuard: a venue's latency protection (seed 002; docs/VENUES.md "Latency protection").
//
// It keeps the latency value log, decides for each match found by a book the hold period (the
// tier table over the whole log or per submitter, R16-R19, D1, D2), and keeps the timer queue of
// potential trades (R21-R24): each held match has its own timer, fixed when it was entered (D13).
// A hold's expiry runs in a second phase at its instant, so that every message already scheduled
// for that same instant is processed first (D3). The venue resolves the expired hold in the book.
// A complex execution is held as one package (spec 6.1) with its own record and timer, for the
// longest period among its parties (PeriodForPackage); the venue resolves it in the complex book.
// Held / executed / prevented counts, and matches executed at once because their period was zero
// (immediate, R32), go to combo_venue_latency_trades_total{venue,outcome} when a registry is
// given.
//
// Also here: the test-order and latency-report messages of the measurement protocol (R2-R7, R11).
//
// Not thread-safe: owned by one venue on the core thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/ids.h"
#include "core/scheduler.h"
#include "core/time.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "venues/latency_log.h"
#include "venues/order_book.h"

namespace combo::venues {

// How the condition is evaluated for one match (R18, R19).
enum class ConditionScope : uint8_t {
  kWholeLog,      // the largest latency of anyone in the log (the seed's figure 2 example)
  kPerSubmitter,  // the latencies of the two orders' submitters, combined by SubmitterRule
};

// D2: which side's period applies in per-submitter mode.
enum class SubmitterRule : uint8_t { kLargerOfBoth, kRestingOnly, kIncomingOnly };

std::string_view ToString(ConditionScope value);
std::string_view ToString(SubmitterRule value);

struct LatencyProtectionConfig {
  bool enabled = false;
  std::vector<LatencyTier> tiers = Seed002Tiers();
  ConditionScope scope = ConditionScope::kWholeLog;
  SubmitterRule submitter_rule = SubmitterRule::kLargerOfBoth;
  LatencyMeasure measure = LatencyMeasure::kRoundTrip;
  LogScope log_scope = LogScope::kCurrentValue;
  size_t history_per_participant = 16;
  // D11: a reported round trip above this is logged as this.
  core::Duration reported_cap = core::Duration::Seconds(10);
  // The artificial product test orders name (R4); it must not be a listed instrument.
  core::InstrumentId test_instrument = core::InstrumentId(0);
  // Optional (not owned): receives combo_venue_latency_trades_total.
  prometheus::Registry* metrics = nullptr;
};

// The config's own rules: valid tiers, history at least 1, a non-negative cap.
absl::Status ValidateLatencyProtectionConfig(const LatencyProtectionConfig& config);

// A test order (R4): an order for the artificial product, without a price; never traded.
struct TestOrder {
  core::ParticipantId participant;
  uint64_t test_id = 0;
  core::InstrumentId instrument;
  // When the participant sent it (its clock; in the simulation the one simulated clock).
  core::Timestamp sent_time;
};

// The venue's acceptance of a test order (R3: sent once the order left the inbound queue),
// with the one-way latency the venue measured from its send stamp (R6).
struct TestOrderAccepted {
  core::VenueId venue;
  core::ParticipantId participant;
  uint64_t test_id = 0;
  core::Timestamp sent_time;
  core::Timestamp received_time;
  core::Duration one_way;
  core::Timestamp time;
};

// The venue tells a participant its logged latency (R11) and the whole-log period now in force.
struct LatencyReport {
  core::VenueId venue;
  core::ParticipantId participant;
  LatencySource source = LatencySource::kReportedRoundTrip;
  core::Duration logged;
  std::optional<core::Duration> participant_latency;
  core::Duration whole_log_period;
  core::Timestamp time;
};

// The participant side of the measurement protocol.
class LatencyListener {
 public:
  virtual ~LatencyListener() = default;
  virtual void OnTestOrderAccepted(const TestOrderAccepted& event) = 0;
  virtual void OnLatencyReport(const LatencyReport& event) = 0;
};

// A held match with the order ids of its two sides, as the guard keeps it.
struct PendingTrade {
  uint64_t id = 0;
  HeldMatch match;
  core::OrderId resting_order;
  core::OrderId incoming_order;
  core::Timestamp created;
  core::Timestamp expiry;
};

class LatencyGuard {
 public:
  using ExpiryHandler = std::function<void(const PendingTrade&)>;

  // `scheduler` is not owned and must outlive the guard; `on_expiry` resolves an expired hold.
  static absl::StatusOr<std::unique_ptr<LatencyGuard>> Create(LatencyProtectionConfig config,
                                                              std::string venue_name,
                                                              core::Scheduler* scheduler,
                                                              ExpiryHandler on_expiry);
  ~LatencyGuard();
  LatencyGuard(const LatencyGuard&) = delete;
  LatencyGuard& operator=(const LatencyGuard&) = delete;

  const LatencyProtectionConfig& config() const { return config_; }
  LatencyLog& log() { return log_; }
  const LatencyLog& log() const { return log_; }

  // The whole-log period now (R18, D1).
  core::Duration WholeLogPeriod() const;
  // The period for one match between these submitters under the configured scope (R19, D2).
  core::Duration PeriodFor(core::ParticipantId resting, core::ParticipantId incoming) const;

  // The period of a complex-order package (spec 6.1: D2 generalised to every party): the
  // whole-log period, or per submitter the longest among the incoming complex order's owner and
  // the resting parties (kLargerOfBoth), among the resting parties only, or the incoming only.
  core::Duration PeriodForPackage(core::ParticipantId incoming,
                                  std::span<const core::ParticipantId> resting) const;

  // Enters a potential trade record (R21) whose timer expires after its period (R22, R23).
  uint64_t Hold(const HeldMatch& match, core::OrderId resting_order, core::OrderId incoming_order);
  // Enters a package's record (one for the whole complex execution); at its expiry, in the same
  // two phases as a match, the package expiry handler gets `package_id`.
  using PackageExpiryHandler = std::function<void(uint64_t package_id)>;
  void SetPackageExpiryHandler(PackageExpiryHandler handler) {
    on_package_expiry_ = std::move(handler);
  }
  uint64_t HoldPackage(uint64_t package_id, core::Duration period);
  size_t pending_package_count() const { return pending_packages_.size(); }
  // Counts what an expired hold (a match or a package) became.
  void CountOutcome(const HoldOutcome& outcome);
  // Counts a match or package executed at once: its period was zero (R16 step 316, R32).
  void CountImmediate();

  // Whether an order (by book tag) is in a pending potential trade.
  bool HasPendingHold(uint64_t tag) const;
  size_t pending_count() const { return pending_.size(); }
  const std::map<uint64_t, PendingTrade>& pending() const { return pending_; }
  uint64_t held_total() const { return held_total_; }
  uint64_t executed_total() const { return executed_total_; }
  uint64_t prevented_total() const { return prevented_total_; }
  uint64_t immediate_total() const { return immediate_total_; }

 private:
  LatencyGuard(LatencyProtectionConfig config, core::Scheduler* scheduler, ExpiryHandler on_expiry);
  core::Duration PeriodOf(core::ParticipantId participant) const;
  void Expire(uint64_t id);
  void ExpirePackage(uint64_t id);
  void ScheduleExpiry(core::Timestamp expiry, void (LatencyGuard::*expire)(uint64_t), uint64_t id);
  void CountHeld();

  struct PendingPackage {
    uint64_t package_id = 0;
    core::Timestamp created;
    core::Timestamp expiry;
  };

  LatencyProtectionConfig config_;
  core::Scheduler* scheduler_;
  ExpiryHandler on_expiry_;
  LatencyLog log_;
  std::map<uint64_t, PendingTrade> pending_;
  std::map<uint64_t, int> pending_by_tag_;
  std::map<uint64_t, PendingPackage> pending_packages_;
  PackageExpiryHandler on_package_expiry_;
  uint64_t next_id_ = 1;
  uint64_t held_total_ = 0;
  uint64_t executed_total_ = 0;
  uint64_t prevented_total_ = 0;
  uint64_t immediate_total_ = 0;
  prometheus::Counter* held_counter_ = nullptr;
  prometheus::Counter* immediate_counter_ = nullptr;
  prometheus::Counter* executed_counter_ = nullptr;
  prometheus::Counter* prevented_counter_ = nullptr;
  // Shared with scheduled timers, which do nothing once the guard is gone.
  std::shared_ptr<LatencyGuard*> self_;
};

}  // namespace combo::venues
