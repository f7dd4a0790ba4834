// LatencyLog and the tier table (see latency_log.h).
#include "venues/latency_log.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace combo::venues {
namespace {

bool Counts(LatencySource source, LatencyMeasure measure) {
  switch (measure) {
    case LatencyMeasure::kRoundTrip:
      return source == LatencySource::kReportedRoundTrip;
    case LatencyMeasure::kOneWay:
      return source == LatencySource::kVenueOneWay;
    case LatencyMeasure::kLargerOfBoth:
      return true;
  }
  return false;
}

const std::deque<LatencyEntry>& EmptyHistory() {
  static const auto* const kEmpty = new std::deque<LatencyEntry>();
  return *kEmpty;
}

}  // namespace

std::string_view ToString(LatencySource value) {
  switch (value) {
    case LatencySource::kReportedRoundTrip:
      return "reported_round_trip";
    case LatencySource::kVenueOneWay:
      return "venue_one_way";
  }
  return "unknown";
}

std::string_view ToString(LatencyMeasure value) {
  switch (value) {
    case LatencyMeasure::kRoundTrip:
      return "round_trip";
    case LatencyMeasure::kOneWay:
      return "one_way";
    case LatencyMeasure::kLargerOfBoth:
      return "larger_of_both";
  }
  return "unknown";
}

std::string_view ToString(LogScope value) {
  switch (value) {
    case LogScope::kCurrentValue:
      return "current_value";
    case LogScope::kHistory:
      return "history";
  }
  return "unknown";
}

LatencyLog::LatencyLog(size_t history_per_participant)
    : history_per_participant_(std::max<size_t>(history_per_participant, 1)) {}

void LatencyLog::Record(LatencyEntry entry) {
  if (entry.value < core::Duration::Zero()) {
    entry.value = core::Duration::Zero();
    entry.clamped = true;
  }
  std::deque<LatencyEntry>& history = entries_[entry.participant];
  history.push_back(entry);
  while (history.size() > history_per_participant_) history.pop_front();
}

std::optional<core::Duration> LatencyLog::Latency(core::ParticipantId participant,
                                                  LatencyMeasure measure, LogScope scope) const {
  auto it = entries_.find(participant);
  if (it == entries_.end()) return std::nullopt;
  std::optional<core::Duration> largest;
  const auto take = [&largest](core::Duration value) {
    if (!largest.has_value() || value > *largest) largest = value;
  };
  if (scope == LogScope::kHistory) {
    for (const LatencyEntry& entry : it->second) {
      if (Counts(entry.source, measure)) take(entry.value);
    }
    return largest;
  }
  // The latest entry of each counted source.
  for (LatencySource source : {LatencySource::kReportedRoundTrip, LatencySource::kVenueOneWay}) {
    if (!Counts(source, measure)) continue;
    for (auto entry = it->second.rbegin(); entry != it->second.rend(); ++entry) {
      if (entry->source == source) {
        take(entry->value);
        break;
      }
    }
  }
  return largest;
}

std::optional<core::Duration> LatencyLog::LargestLatency(LatencyMeasure measure,
                                                         LogScope scope) const {
  std::optional<core::Duration> largest;
  for (const auto& [participant, history] : entries_) {
    const std::optional<core::Duration> value = Latency(participant, measure, scope);
    if (value.has_value() && (!largest.has_value() || *value > *largest)) largest = value;
  }
  return largest;
}

const std::deque<LatencyEntry>& LatencyLog::History(core::ParticipantId participant) const {
  auto it = entries_.find(participant);
  return it == entries_.end() ? EmptyHistory() : it->second;
}

std::vector<LatencyTier> Seed002Tiers() {
  return {
      {core::Duration::Zero(), TierBound::kInclusive, core::Duration::Zero()},
      {core::Duration::Milliseconds(300), TierBound::kExclusive, core::Duration::Milliseconds(200)},
      {core::Duration::Milliseconds(600), TierBound::kInclusive, core::Duration::Milliseconds(400)},
  };
}

absl::Status ValidateLatencyTiers(const std::vector<LatencyTier>& tiers) {
  if (tiers.empty()) return absl::InvalidArgumentError("the latency tier table is empty");
  if (tiers.front().from != core::Duration::Zero() ||
      tiers.front().bound != TierBound::kInclusive) {
    return absl::InvalidArgumentError(
        absl::StrCat("the first latency tier must start at 0 inclusive, not ",
                     tiers.front().from.nanoseconds(), " ns"));
  }
  for (size_t i = 0; i < tiers.size(); ++i) {
    if (tiers[i].period < core::Duration::Zero()) {
      return absl::InvalidArgumentError(absl::StrCat("latency tier ", i, " has a negative period (",
                                                     tiers[i].period.nanoseconds(), " ns)"));
    }
    if (i == 0) continue;
    const LatencyTier& before = tiers[i - 1];
    const bool ascending = tiers[i].from > before.from ||
                           (tiers[i].from == before.from && before.bound == TierBound::kInclusive &&
                            tiers[i].bound == TierBound::kExclusive);
    if (!ascending) {
      return absl::InvalidArgumentError(absl::StrCat(
          "latency tier ", i, " (from ", tiers[i].from.nanoseconds(),
          " ns) does not come after tier ", i - 1, " (from ", before.from.nanoseconds(), " ns)"));
    }
  }
  return absl::OkStatus();
}

core::Duration PeriodForLatency(const std::vector<LatencyTier>& tiers, core::Duration latency) {
  core::Duration period = core::Duration::Zero();
  for (const LatencyTier& tier : tiers) {
    const bool reaches =
        tier.bound == TierBound::kInclusive ? latency >= tier.from : latency > tier.from;
    if (!reaches) break;
    period = tier.period;
  }
  return period;
}

}  // namespace combo::venues
