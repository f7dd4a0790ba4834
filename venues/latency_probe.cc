// LatencyProbe: periodic test orders and round-trip measurement (see latency_probe.h).
#include "venues/latency_probe.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace combo::venues {

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
  return std::unique_ptr<LatencyProbe>(new LatencyProbe(std::move(config), scheduler, target));
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
  timer_ = scheduler_->ScheduleAfter(config_.interval, [self = self_]() {
    if (*self != nullptr) (*self)->SendTestOrder();
  });
}

void LatencyProbe::OnTestOrderAccepted(const TestOrderAccepted& event) {
  auto it = sent_at_.find(event.test_id);
  if (it == sent_at_.end()) return;  // not ours
  const core::Duration round_trip = scheduler_->Now() - it->second;
  sent_at_.erase(it);
  last_one_way_ = event.one_way;
  round_trips_.push_back(round_trip);
  while (round_trips_.size() > config_.history) round_trips_.pop_front();
  if (absl::Status status = target_->ReportLatency(config_.participant, round_trip); !status.ok()) {
    last_error_ = status;
  }
}

void LatencyProbe::OnLatencyReport(const LatencyReport& event) { last_report_ = event; }

}  // namespace combo::venues
