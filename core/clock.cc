// The one place in the libraries that reads the real clock (tools/check_invariants.sh).
#include "core/clock.h"

#include <chrono>

namespace combo::core {

Timestamp WallClock::Now() const {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return Timestamp::FromUnixNanos(
      std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count());
}

Timestamp MonotonicClock::Now() const {
  const auto since_start = std::chrono::steady_clock::now().time_since_epoch();
  return Timestamp::FromUnixNanos(
      std::chrono::duration_cast<std::chrono::nanoseconds>(since_start).count());
}

}  // namespace combo::core
