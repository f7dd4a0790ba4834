// LatencyProbe: the participant side of latency measurement (seed 002 R2, R5, R7, R10; the
// "manager server"): sends a test order for the artificial product every `interval`, measures
// each round trip from its send time to the venue's acceptance, keeps them in its own log and
// reports each one to the venue. It also keeps what the venue reports back (R11). With a
// registry it counts its test orders sent and answered, the round trips it measured and the
// period the venue last reported, labelled by venue and submitter class (the router, or a
// simulated participant group; many probes of one class share their series).
//
// Not thread-safe: lives on the thread that runs its Scheduler.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/ids.h"
#include "core/scheduler.h"
#include "core/time.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "venues/latency_guard.h"

namespace combo::venues {

// Where a probe sends its test orders and reports (a venue running latency protection).
class LatencyProbeTarget {
 public:
  virtual ~LatencyProbeTarget() = default;
  virtual absl::Status SubmitTestOrder(const TestOrder& order) = 0;
  virtual absl::Status ReportLatency(core::ParticipantId participant,
                                     core::Duration round_trip) = 0;
};

struct LatencyProbeConfig {
  core::ParticipantId participant;
  core::InstrumentId test_instrument;
  core::Duration interval = core::Duration::Milliseconds(100);
  // Round trips kept, newest last.
  size_t history = 64;
  // Optional (not owned): combo_latency_probes_total, combo_latency_probe_round_trip_seconds and
  // combo_latency_probe_venue_period_seconds, labelled {venue, submitter}.
  prometheus::Registry* metrics = nullptr;
  std::string venue_name;
  std::string submitter;
};

class LatencyProbe final : public LatencyListener {
 public:
  // `scheduler` and `target` are not owned and must outlive the probe. Fails for a non-positive
  // interval or an empty history.
  static absl::StatusOr<std::unique_ptr<LatencyProbe>> Create(LatencyProbeConfig config,
                                                              core::Scheduler* scheduler,
                                                              LatencyProbeTarget* target);
  ~LatencyProbe() override;
  LatencyProbe(const LatencyProbe&) = delete;
  LatencyProbe& operator=(const LatencyProbe&) = delete;

  // Sends a test order now and then every interval, until Stop.
  void Start();
  void Stop();

  void OnTestOrderAccepted(const TestOrderAccepted& event) override;
  void OnLatencyReport(const LatencyReport& event) override;

  // Round trips measured, oldest first.
  const std::deque<core::Duration>& round_trips() const { return round_trips_; }
  std::optional<core::Duration> last_one_way() const { return last_one_way_; }
  std::optional<LatencyReport> last_report() const { return last_report_; }
  uint64_t sent() const { return next_test_id_ - 1; }
  // Test orders whose acceptance came back.
  uint64_t answered() const { return answered_; }
  // A status from the target that refused a test order or report (the probe then stops).
  const absl::Status& last_error() const { return last_error_; }

 private:
  LatencyProbe(LatencyProbeConfig config, core::Scheduler* scheduler, LatencyProbeTarget* target);
  absl::Status DeclareMetrics();
  void SendTestOrder();

  LatencyProbeConfig config_;
  core::Scheduler* scheduler_;
  LatencyProbeTarget* target_;
  uint64_t next_test_id_ = 1;
  std::map<uint64_t, core::Timestamp> sent_at_;
  std::deque<core::Duration> round_trips_;
  std::optional<core::Duration> last_one_way_;
  std::optional<LatencyReport> last_report_;
  absl::Status last_error_;
  core::TimerId timer_;
  bool running_ = false;
  uint64_t answered_ = 0;
  prometheus::Counter* sent_counter_ = nullptr;
  prometheus::Counter* answered_counter_ = nullptr;
  prometheus::Histogram* round_trip_histogram_ = nullptr;
  prometheus::Gauge* venue_period_gauge_ = nullptr;
  std::shared_ptr<LatencyProbe*> self_;
};

}  // namespace combo::venues
