// StackMetrics: the routing stack's own metric family.
//
//   combo_venue_up{venue}      1 while the venue trades, 0 while it is halted
//
// Series are built once, at Build, for every venue of the stack. Not thread-safe: the thread
// that drives the stack.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ids.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace combo::stack {

class StackMetrics {
 public:
  struct VenueName {
    core::VenueId id;
    std::string name;
  };
  // Fails when the family cannot be declared. Every venue starts up.
  static absl::StatusOr<std::unique_ptr<StackMetrics>> Create(prometheus::Registry& registry,
                                                              const std::vector<VenueName>& venues);

  // No-op for a venue that was not listed at Create.
  void SetVenueUp(core::VenueId venue, bool up);
  // 0 for a venue that was not listed at Create.
  double venue_up(core::VenueId venue) const;

 private:
  StackMetrics() = default;

  std::map<core::VenueId, prometheus::Gauge*> venue_up_;
};

}  // namespace combo::stack
