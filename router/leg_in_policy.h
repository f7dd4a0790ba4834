// LegInPolicy: every knob of how the leg-in engine works a combo (seed 003 R12, R19-R29;
// docs/ROUTER.md "Leg-in policy"). A plain value type with documented defaults; the daemon loads
// it from YAML and may swap it at run time (SIGHUP). Safe to copy between threads.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/ids.h"
#include "core/quantity.h"
#include "core/time.h"

namespace combo::router {

// R24/R25: when a leg-in may start against the order's limit.
enum class LegInMode : uint8_t {
  // Start when the implied combo price reaches the limit.
  kAggressive,
  // Start only when the implied price beats the limit by `defensive_ticks` combo ticks.
  kDefensive,
};

// R19-R23, one configurable ranking: keys applied in order, ties broken by the next key.
enum class LegRankKey : uint8_t {
  // R19: legs the operator's desk would rather be left holding go first.
  kDeskPreference,
  // R20: the leg with the highest absolute delta (the fastest-moving one) goes first.
  kHighestAbsoluteDelta,
  // R21: legs whose target venue executes faster go first.
  kVenueSpeed,
  // R22: the tightest delta-adjusted bid-ask spread goes first (it is the likeliest to vanish).
  kDeltaAdjustedSpread,
  // R23: the leg whose order carries the least risk goes first.
  kLowestRisk,
};

// How each leg order is sent.
enum class LegOrderType : uint8_t {
  // Immediate-or-cancel at the leg's price: what does not fill at once is gone.
  kImmediateOrCancel,
  // A limit order that rests until it fills or its leg timeout cancels it.
  kLimit,
};

struct LegInPolicy {
  // R19-R23.
  std::vector<LegRankKey> ranking = {LegRankKey::kDeskPreference, LegRankKey::kHighestAbsoluteDelta,
                                     LegRankKey::kVenueSpeed, LegRankKey::kDeltaAdjustedSpread,
                                     LegRankKey::kLowestRisk};
  // R19: instruments the desk would rather hold should a combo fail, most preferred first.
  std::vector<core::InstrumentId> desk_prefers_to_hold;
  // R21: absolute deltas closer than this count as "similar" (analytics, not pricing).
  double similar_delta_tolerance = 0.05;

  // R24-R26.
  LegInMode mode = LegInMode::kAggressive;
  int64_t defensive_ticks = 1;
  // Failed leg-ins of one order before that order is switched to defensive.
  int64_t failures_before_defensive = 3;
  // Orders with more legs than this are always defensive.
  int64_t always_defensive_above_legs = 2;
  // R28: failed leg-ins of one order after which it is no longer legged in (rests or waits).
  int64_t max_failures_per_order = 5;

  // R27: slicing. A leg-in works at most this many combo units at a time...
  core::Quantity max_units_per_slice{50};
  // ...and at most this percentage of the displayed size of each leg's best price.
  int64_t displayed_size_percent = 100;

  // Execution.
  LegOrderType leg_order_type = LegOrderType::kImmediateOrCancel;
  // How long a leg order may work before it is cancelled and the leg counts as failed.
  core::Duration leg_timeout = core::Duration::Milliseconds(500);
  // R29: how many times a non-marketable leg order is resubmitted, and the pause before each.
  int64_t max_leg_resubmits = 3;
  core::Duration leg_resubmit_delay = core::Duration::Milliseconds(100);
  // How many other venues a failed leg is re-routed to (while the combo still meets its limit).
  int64_t max_leg_reroutes = 2;
};

// Fails, naming the field and what was expected: an empty or repeated ranking, negative counts or
// durations, a non-positive slice, a displayed-size percentage outside 1..100.
absl::Status ValidateLegInPolicy(const LegInPolicy& policy);

std::string_view ToString(LegInMode mode);
std::string_view ToString(LegRankKey key);
std::string_view ToString(LegOrderType type);
// The config spellings: "aggressive"/"defensive"; "desk_preference", "highest_absolute_delta",
// "venue_speed", "delta_adjusted_spread", "lowest_risk"; "ioc"/"limit". Anything else fails,
// listing what is accepted.
absl::StatusOr<LegInMode> ParseLegInMode(std::string_view text);
absl::StatusOr<LegRankKey> ParseLegRankKey(std::string_view text);
absl::StatusOr<LegOrderType> ParseLegOrderType(std::string_view text);

}  // namespace combo::router
