// Leg ranking (seed 003 R19-R23): which leg of a combo the engine sends first, second, ...
// One configurable list of keys (LegInPolicy::ranking) applied in order, ties broken by the next
// key, and finally by the leg's place in the canonical combo (so the order is always defined).
// Pure function over per-leg facts the engine gathers; thread-compatible.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "core/time.h"
#include "router/leg_in_policy.h"

namespace combo::router {

// What the ranking knows about one leg of the slice about to be legged in. Deltas, spreads and
// risk are analytics (doubles), never prices.
struct LegFacts {
  // Position in LegInPolicy::desk_prefers_to_hold (0 is the most preferred); absent legs rank
  // after every listed one.
  std::optional<size_t> desk_preference;
  // |delta| of one contract (R20).
  double absolute_delta = 0.0;
  // Expected one-way latency of the venue the leg would go to (R21).
  core::Duration venue_latency = core::Duration::Zero();
  // (ask - bid) / |delta| of the leg's consolidated quote (R22); +inf when unknown.
  double delta_adjusted_spread = 0.0;
  // |dollar delta| of the leg order (R23): what the operator holds if only this leg fills.
  double risk = 0.0;
};

// The order in which to send the legs: indexes into `legs`, first leg first.
std::vector<size_t> RankLegs(const LegInPolicy& policy, const std::vector<LegFacts>& legs);

}  // namespace combo::router
