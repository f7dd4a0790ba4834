// VenueAvailability: which venues can take orders right now, as the router or daemon reports
// (a venue connects, disconnects, halts). A venue never reported is unavailable.
// Lookups do not allocate. Not thread-safe: used on the router's core thread.
#pragma once

#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "core/ids.h"

namespace combo::risk {

enum class VenueStatus : uint8_t { kUnavailable, kAvailable };

class VenueAvailability {
 public:
  void Set(core::VenueId venue, VenueStatus status) { status_[venue] = status; }
  bool IsAvailable(core::VenueId venue) const {
    auto it = status_.find(venue);
    return it != status_.end() && it->second == VenueStatus::kAvailable;
  }

 private:
  // Lookups only, never iterated.
  absl::flat_hash_map<core::VenueId, VenueStatus> status_;
};

}  // namespace combo::risk
