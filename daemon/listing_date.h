// ListingDate: the daemon's date for instrument expiries (config::LoadOptions::today), the
// day in UTC of the clock it is given. A row of the instrument master whose last trading day is
// before this day is not listed.
//
// Stateless; safe from any thread.
#pragma once

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/clock.h"

namespace combo::daemon {

inline absl::CivilDay ListingDate(const core::Clock& clock) {
  return absl::ToCivilDay(absl::FromUnixNanos(clock.Now().unix_nanos()), absl::UTCTimeZone());
}

}  // namespace combo::daemon
