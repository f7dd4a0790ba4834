// LatencyProbe: periodic test orders and round-trip measurement (see latency_probe.h).
#include "venues/latency_probe.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/metrics.h"
#include "core/status.h"

namespace combo::venues {
namespace {

// Round trips from a co-located link (sub-millisecond) to the seed's tiers (0.30 s, 0.60 s).
const std::vector<double>& RoundTripBuckets() {
  static const auto* const kBuckets = new std::vector<double>{
      0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 2.0};
  return *kBuckets;
}

}  // namespace

absl::StatusOr<std::unique_ptr<LatencyProbe>> LatencyProbe::Create(LatencyProbeConfig config,
                                                                   core::Scheduler* scheduler,
                                                                   LatencyProbeTarget* target) {
  if (scheduler == nullptr || target == nullptr) {
    return absl::InvalidArgumentError("latency probe: scheduler or target is null");
  }
  if (config.interval <= core::Duration::Zero()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "latency probe: interval ", config.interval.nanoseconds(), " ns is not positive"));
  }
  if (config.history == 0) return absl::InvalidArgumentError("latency probe: history is 0");
  auto probe =
      std::unique_ptr<LatencyProbe>(new LatencyProbe(std::move(config), scheduler, target));
  if (probe->config_.metrics != nullptr) {
    if (absl::Status status = probe->DeclareMetrics(); !status.ok()) return status;
  }
  return probe;
}

absl::Status LatencyProbe::DeclareMetrics() {
  prometheus::Registry& registry = *config_.metrics;
  const core::MetricLabels labels{{"venue", config_.venue_name}, {"submitter", config_.submitter}};
  COMBO_ASSIGN_OR_RETURN(
      prometheus::Family<prometheus::Counter> * probes,
      core::DeclareCounterFamily(registry, "combo_latency_probes_total",
                                 "Latency test orders (seed 002 R4, R5) by venue, submitter class "
                                 "and outcome: sent, or answered (the venue's acceptance came "
                                 "back)"));
  core::MetricLabels sent = labels;
  sent["outcome"] = "sent";
  core::MetricLabels answered = labels;
  answered["outcome"] = "answered";
  COMBO_ASSIGN_OR_RETURN(sent_counter_, core::AddCounter(*probes, sent));
  COMBO_ASSIGN_OR_RETURN(answered_counter_, core::AddCounter(*probes, answered));
  COMBO_ASSIGN_OR_RETURN(
      prometheus::Family<prometheus::Histogram> * round_trips,
      core::DeclareHistogramFamily(registry, "combo_latency_probe_round_trip_seconds",
                                   "Round trips of latency test orders, send to acceptance "
                                   "(seed 002 R2), by venue and submitter class"));
  COMBO_ASSIGN_OR_RETURN(round_trip_histogram_,
                         core::AddHistogram(*round_trips, labels, RoundTripBuckets()));
  COMBO_ASSIGN_OR_RETURN(
      prometheus::Family<prometheus::Gauge> * periods,
      core::DeclareGaugeFamily(registry, "combo_latency_probe_venue_period_seconds",
                               "The whole-log protection period the venue last reported to the "
                               "submitter class (seed 002 R11)"));
  COMBO_ASSIGN_OR_RETURN(venue_period_gauge_, core::AddGauge(*periods, labels));
  return absl::OkStatus();
}

LatencyProbe::LatencyProbe(LatencyProbeConfig config, core::Scheduler* scheduler,
                           LatencyProbeTarget* target)
    : config_(std::move(config)),
      scheduler_(scheduler),
      target_(target),
      self_(std::make_shared<LatencyProbe*>(this)) {}

LatencyProbe::~LatencyProbe() {
  Stop();
  *self_ = nullptr;
}

void LatencyProbe::Start() {
  if (running_) return;
  running_ = true;
  SendTestOrder();
}

void LatencyProbe::Stop() {
  running_ = false;
  if (timer_.valid()) scheduler_->Cancel(timer_);
  timer_ = core::TimerId();
}

void LatencyProbe::SendTestOrder() {
  if (!running_) return;
  TestOrder order;
  order.participant = config_.participant;
  order.test_id = next_test_id_++;
  order.instrument = config_.test_instrument;
  order.sent_time = scheduler_->Now();
  sent_at_[order.test_id] = order.sent_time;
  if (absl::Status status = target_->SubmitTestOrder(order); !status.ok()) {
    last_error_ = status;
    sent_at_.erase(order.test_id);
    running_ = false;
    return;
  }
  if (sent_counter_ != nullptr) sent_counter_->Increment();
  timer_ = scheduler_->ScheduleAfter(config_.interval, [self = self_]() {
    if (*self != nullptr) (*self)->SendTestOrder();
  });
}

void LatencyProbe::OnTestOrderAccepted(const TestOrderAccepted& event) {
  auto it = sent_at_.find(event.test_id);
  if (it == sent_at_.end()) return;  // not ours
  const core::Duration round_trip = scheduler_->Now() - it->second;
  sent_at_.erase(it);
  ++answered_;
  if (answered_counter_ != nullptr) answered_counter_->Increment();
  if (round_trip_histogram_ != nullptr)
    round_trip_histogram_->Observe(round_trip.ToSecondsDouble());
  last_one_way_ = event.one_way;
  round_trips_.push_back(round_trip);
  while (round_trips_.size() > config_.history) round_trips_.pop_front();
  if (absl::Status status = target_->ReportLatency(config_.participant, round_trip); !status.ok()) {
    last_error_ = status;
  }
}

void LatencyProbe::OnLatencyReport(const LatencyReport& event) {
  last_report_ = event;
  if (venue_period_gauge_ != nullptr)
    venue_period_gauge_->Set(event.whole_log_period.ToSecondsDouble());
}

}  // namespace combo::venues
