// LatencyGuard: periods, the timer queue and its counters (see latency_guard.h).
#include "venues/latency_guard.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/metrics.h"

namespace combo::venues {

std::string_view ToString(ConditionScope value) {
  switch (value) {
    case ConditionScope::kWholeLog:
      return "whole_log";
    case ConditionScope::kPerSubmitter:
      return "per_submitter";
  }
  return "unknown";
}

std::string_view ToString(SubmitterRule value) {
  switch (value) {
    case SubmitterRule::kLargerOfBoth:
      return "larger_of_both";
    case SubmitterRule::kRestingOnly:
      return "resting_only";
    case SubmitterRule::kIncomingOnly:
      return "incoming_only";
  }
  return "unknown";
}

absl::Status ValidateLatencyProtectionConfig(const LatencyProtectionConfig& config) {
  if (absl::Status status = ValidateLatencyTiers(config.tiers); !status.ok()) return status;
  if (config.history_per_participant == 0) {
    return absl::InvalidArgumentError("latency protection: history_per_participant must be >= 1");
  }
  if (config.reported_cap < core::Duration::Zero()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "latency protection: reported_cap ", config.reported_cap.nanoseconds(), " ns is negative"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<LatencyGuard>> LatencyGuard::Create(LatencyProtectionConfig config,
                                                                   std::string venue_name,
                                                                   core::Scheduler* scheduler,
                                                                   ExpiryHandler on_expiry) {
  if (scheduler == nullptr) return absl::InvalidArgumentError("latency guard: scheduler is null");
  if (!on_expiry) return absl::InvalidArgumentError("latency guard: no expiry handler");
  if (absl::Status status = ValidateLatencyProtectionConfig(config); !status.ok()) return status;
  prometheus::Registry* registry = config.metrics;
  auto guard = std::unique_ptr<LatencyGuard>(
      new LatencyGuard(std::move(config), scheduler, std::move(on_expiry)));
  if (registry != nullptr) {
    absl::StatusOr<prometheus::Family<prometheus::Counter>*> family = core::DeclareCounterFamily(
        *registry, "combo_venue_latency_trades_total",
        "Potential trades under latency protection, by outcome: held (entered the timer queue), "
        "executed or prevented at expiry, or immediate (period zero: executed at once)");
    if (!family.ok()) return family.status();
    for (const auto& [outcome, counter] : {std::pair{"held", &guard->held_counter_},
                                           std::pair{"executed", &guard->executed_counter_},
                                           std::pair{"prevented", &guard->prevented_counter_},
                                           std::pair{"immediate", &guard->immediate_counter_}}) {
      absl::StatusOr<prometheus::Counter*> series =
          core::AddCounter(**family, {{"venue", venue_name}, {"outcome", outcome}});
      if (!series.ok()) return series.status();
      *counter = *series;
    }
  }
  return guard;
}

LatencyGuard::LatencyGuard(LatencyProtectionConfig config, core::Scheduler* scheduler,
                           ExpiryHandler on_expiry)
    : config_(std::move(config)),
      scheduler_(scheduler),
      on_expiry_(std::move(on_expiry)),
      log_(config_.history_per_participant),
      self_(std::make_shared<LatencyGuard*>(this)) {}

LatencyGuard::~LatencyGuard() { *self_ = nullptr; }

core::Duration LatencyGuard::WholeLogPeriod() const {
  const std::optional<core::Duration> largest =
      log_.LargestLatency(config_.measure, config_.log_scope);
  return largest.has_value() ? PeriodForLatency(config_.tiers, *largest) : core::Duration::Zero();
}

core::Duration LatencyGuard::PeriodOf(core::ParticipantId participant) const {
  const std::optional<core::Duration> latency =
      log_.Latency(participant, config_.measure, config_.log_scope);
  return latency.has_value() ? PeriodForLatency(config_.tiers, *latency) : core::Duration::Zero();
}

core::Duration LatencyGuard::PeriodFor(core::ParticipantId resting,
                                       core::ParticipantId incoming) const {
  if (config_.scope == ConditionScope::kWholeLog) return WholeLogPeriod();
  switch (config_.submitter_rule) {
    case SubmitterRule::kRestingOnly:
      return PeriodOf(resting);
    case SubmitterRule::kIncomingOnly:
      return PeriodOf(incoming);
    case SubmitterRule::kLargerOfBoth:
      break;
  }
  return std::max(PeriodOf(resting), PeriodOf(incoming));
}

core::Duration LatencyGuard::PeriodForPackage(core::ParticipantId incoming,
                                              std::span<const core::ParticipantId> resting) const {
  if (config_.scope == ConditionScope::kWholeLog) return WholeLogPeriod();
  core::Duration period = config_.submitter_rule == SubmitterRule::kRestingOnly
                              ? core::Duration::Zero()
                              : PeriodOf(incoming);
  if (config_.submitter_rule == SubmitterRule::kIncomingOnly) return period;
  for (core::ParticipantId party : resting) period = std::max(period, PeriodOf(party));
  return period;
}

void LatencyGuard::CountHeld() {
  ++held_total_;
  if (held_counter_ != nullptr) held_counter_->Increment();
}

void LatencyGuard::ScheduleExpiry(core::Timestamp expiry, void (LatencyGuard::*expire)(uint64_t),
                                  uint64_t id) {
  // Two phases: the timer at the expiry instant only queues the resolution behind whatever
  // else is already due at that instant (inbound messages first, D3).
  scheduler_->ScheduleAt(expiry, [self = self_, expire, id]() {
    if (*self == nullptr) return;
    LatencyGuard* guard = *self;
    guard->scheduler_->ScheduleAt(guard->scheduler_->Now(), [self, expire, id]() {
      if (*self != nullptr) ((*self)->*expire)(id);
    });
  });
}

uint64_t LatencyGuard::HoldPackage(uint64_t package_id, core::Duration period) {
  const uint64_t id = next_id_++;
  PendingPackage package;
  package.package_id = package_id;
  package.created = scheduler_->Now();
  package.expiry = package.created + period;
  pending_packages_.emplace(id, package);
  CountHeld();
  ScheduleExpiry(package.expiry, &LatencyGuard::ExpirePackage, id);
  return id;
}

void LatencyGuard::ExpirePackage(uint64_t id) {
  auto it = pending_packages_.find(id);
  if (it == pending_packages_.end()) return;
  const uint64_t package_id = it->second.package_id;
  pending_packages_.erase(it);
  if (on_package_expiry_) on_package_expiry_(package_id);
}

uint64_t LatencyGuard::Hold(const HeldMatch& match, core::OrderId resting_order,
                            core::OrderId incoming_order) {
  const uint64_t id = next_id_++;
  PendingTrade trade;
  trade.id = id;
  trade.match = match;
  trade.resting_order = resting_order;
  trade.incoming_order = incoming_order;
  trade.created = scheduler_->Now();
  trade.expiry = trade.created + match.period;
  pending_.emplace(id, trade);
  ++pending_by_tag_[match.resting_tag];
  ++pending_by_tag_[match.incoming_tag];
  CountHeld();
  ScheduleExpiry(trade.expiry, &LatencyGuard::Expire, id);
  return id;
}

void LatencyGuard::Expire(uint64_t id) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  const PendingTrade trade = it->second;
  pending_.erase(it);
  for (uint64_t tag : {trade.match.resting_tag, trade.match.incoming_tag}) {
    auto count = pending_by_tag_.find(tag);
    if (count != pending_by_tag_.end() && --count->second == 0) pending_by_tag_.erase(count);
  }
  on_expiry_(trade);
}

void LatencyGuard::CountOutcome(const HoldOutcome& outcome) {
  if (outcome.executed.is_positive()) {
    ++executed_total_;
    if (executed_counter_ != nullptr) executed_counter_->Increment();
  } else {
    ++prevented_total_;
    if (prevented_counter_ != nullptr) prevented_counter_->Increment();
  }
}

void LatencyGuard::CountImmediate() {
  ++immediate_total_;
  if (immediate_counter_ != nullptr) immediate_counter_->Increment();
}

bool LatencyGuard::HasPendingHold(uint64_t tag) const { return pending_by_tag_.contains(tag); }

}  // namespace combo::venues
