#include "router/leg_ranking.h"

#include <cmath>

namespace combo::router {
namespace {

// -1 when `a` goes before `b` on `key`, 1 when after, 0 when the key does not separate them.
int CompareOn(LegRankKey key, const LegInPolicy& policy, const LegFacts& a, const LegFacts& b) {
  switch (key) {
    case LegRankKey::kDeskPreference: {
      if (a.desk_preference == b.desk_preference) return 0;
      if (!b.desk_preference.has_value()) return -1;
      if (!a.desk_preference.has_value()) return 1;
      return *a.desk_preference < *b.desk_preference ? -1 : 1;
    }
    case LegRankKey::kHighestAbsoluteDelta: {
      // Deltas within the tolerance are "similar" (R21): the next key decides.
      const double difference = a.absolute_delta - b.absolute_delta;
      if (std::fabs(difference) <= policy.similar_delta_tolerance) return 0;
      return difference > 0 ? -1 : 1;
    }
    case LegRankKey::kVenueSpeed:
      if (a.venue_latency == b.venue_latency) return 0;
      return a.venue_latency < b.venue_latency ? -1 : 1;
    case LegRankKey::kDeltaAdjustedSpread:
      if (a.delta_adjusted_spread == b.delta_adjusted_spread) return 0;
      return a.delta_adjusted_spread < b.delta_adjusted_spread ? -1 : 1;
    case LegRankKey::kLowestRisk:
      if (a.risk == b.risk) return 0;
      return a.risk < b.risk ? -1 : 1;
  }
  return 0;
}

bool GoesBefore(const LegInPolicy& policy, const std::vector<LegFacts>& legs, size_t a, size_t b) {
  for (LegRankKey key : policy.ranking) {
    if (int order = CompareOn(key, policy, legs[a], legs[b]); order != 0) return order < 0;
  }
  return a < b;
}

}  // namespace

std::vector<size_t> RankLegs(const LegInPolicy& policy, const std::vector<LegFacts>& legs) {
  std::vector<size_t> order;
  order.reserve(legs.size());
  // Insertion sort: a handful of legs, and the delta tolerance makes the comparison
  // non-transitive, which std::sort must not be given.
  for (size_t leg = 0; leg < legs.size(); ++leg) {
    size_t at = order.size();
    while (at > 0 && GoesBefore(policy, legs, leg, order[at - 1])) --at;
    order.insert(order.begin() + static_cast<std::ptrdiff_t>(at), leg);
  }
  return order;
}

}  // namespace combo::router
