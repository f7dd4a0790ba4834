#include "stack/stack_metrics.h"

#include "core/metrics.h"
#include "core/status.h"

namespace combo::stack {

absl::StatusOr<std::unique_ptr<StackMetrics>> StackMetrics::Create(
    prometheus::Registry& registry, const std::vector<VenueName>& venues) {
  std::unique_ptr<StackMetrics> m(new StackMetrics());
  COMBO_ASSIGN_OR_RETURN(
      auto* up, core::DeclareGaugeFamily(registry, "combo_venue_up",
                                         "1 while the venue trades, 0 while it is halted"));
  for (const VenueName& venue : venues) {
    COMBO_ASSIGN_OR_RETURN(prometheus::Gauge * gauge, core::AddGauge(*up, {{"venue", venue.name}}));
    gauge->Set(1);
    m->venue_up_[venue.id] = gauge;
  }
  return m;
}

void StackMetrics::SetVenueUp(core::VenueId venue, bool up) {
  auto found = venue_up_.find(venue);
  if (found != venue_up_.end()) found->second->Set(up ? 1 : 0);
}

double StackMetrics::venue_up(core::VenueId venue) const {
  auto found = venue_up_.find(venue);
  return found == venue_up_.end() ? 0 : found->second->Value();
}

}  // namespace combo::stack
