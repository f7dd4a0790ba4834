// LatencyLog: the venue's latency value log (seed 002 R8, "latency value log 56"): per
// participant connection, the latency values the venue measured (one-way, from a test order's
// send timestamp, R6) and the round trips the participant reported (R2, R7), each with the time it
// was logged; plus the tier table that turns a latency into a protection period (R17, R18, D1).
//
// Not thread-safe: owned by one venue on the core thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "core/ids.h"
#include "core/time.h"

namespace combo::venues {

// Where a logged latency value came from.
enum class LatencySource : uint8_t {
  kReportedRoundTrip,  // the participant's round trip of a test order, reported to the venue
  kVenueOneWay,        // measured by the venue: receive time minus the test order's send stamp
};

// Which logged values count as a participant's latency.
enum class LatencyMeasure : uint8_t {
  kRoundTrip,     // reported round trips (the seed's examples)
  kOneWay,        // the venue's own one-way measurements (D11: the venue trusts itself)
  kLargerOfBoth,  // the larger of the two
};

// Which values of the log a condition looks at (R8: historic values or one current value).
enum class LogScope : uint8_t {
  kCurrentValue,  // each participant's latest value (per counted source)
  kHistory,       // every value still in the participant's history
};

std::string_view ToString(LatencySource value);
std::string_view ToString(LatencyMeasure value);
std::string_view ToString(LogScope value);

struct LatencyEntry {
  core::ParticipantId participant;
  LatencySource source = LatencySource::kReportedRoundTrip;
  core::Duration value;
  core::Timestamp time;
  // D10: a negative one-way value (clock skew) is logged as zero and flagged.
  bool clamped = false;
};

class LatencyLog {
 public:
  // Keeps at most `history_per_participant` (>= 1) entries per participant, oldest dropped.
  explicit LatencyLog(size_t history_per_participant);

  void Record(LatencyEntry entry);

  // The participant's latency under `measure` and `scope`, or nullopt if nothing counts yet.
  std::optional<core::Duration> Latency(core::ParticipantId participant, LatencyMeasure measure,
                                        LogScope scope) const;
  // The largest latency of any participant in the log (the seed's whole-log condition, R18).
  std::optional<core::Duration> LargestLatency(LatencyMeasure measure, LogScope scope) const;

  // Oldest first; empty for a participant never logged.
  const std::deque<LatencyEntry>& History(core::ParticipantId participant) const;
  size_t participant_count() const { return entries_.size(); }

 private:
  size_t history_per_participant_;
  std::map<core::ParticipantId, std::deque<LatencyEntry>> entries_;
};

// One row of the condition table: latencies from `from` (inclusive or exclusive) up to the next
// row's bound get `period`. Zero means no protection.
enum class TierBound : uint8_t { kInclusive, kExclusive };

struct LatencyTier {
  core::Duration from;
  TierBound bound = TierBound::kInclusive;
  core::Duration period;
};

// The seed's table with D1's half-open intervals: [0, 0.30 s] -> 0, (0.30 s, 0.60 s) -> 0.20 s,
// [0.60 s, inf) -> 0.40 s.
std::vector<LatencyTier> Seed002Tiers();

// Rows ascending by bound (at an equal bound the inclusive row first), the first from 0
// inclusive, periods non-negative.
absl::Status ValidateLatencyTiers(const std::vector<LatencyTier>& tiers);

// The period of the last row whose bound `latency` reaches (zero below every row).
core::Duration PeriodForLatency(const std::vector<LatencyTier>& tiers, core::Duration latency);

}  // namespace combo::venues
