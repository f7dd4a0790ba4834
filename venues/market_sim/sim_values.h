// Small value helpers the market simulator's parts share: a fair value to a price on a tick, a
// jittered delay, and the event log's word for a side. Private to venues/market_sim/.
//
// Pure functions (Jittered draws from the Rng it is given): thread-safe as their arguments are.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>

#include "core/price.h"
#include "core/random.h"
#include "core/rounding.h"
#include "core/side.h"
#include "core/time.h"

namespace combo::venues::market_sim {

// Doubles beyond this cannot become a core::Price (int64 at 1e-9).
inline constexpr double kMaxPriceMagnitude = 9.0e9;

// `value` rounded to a multiple of `tick` in the direction of `mode`; nullopt if it cannot be
// represented.
inline std::optional<core::Price> ToTick(double value, core::Price tick, core::RoundingMode mode) {
  if (!std::isfinite(value) || std::fabs(value) > kMaxPriceMagnitude) return std::nullopt;
  const core::Price raw = core::Price::FromRaw(std::llround(value * core::Price::kScale));
  absl::StatusOr<core::Price> rounded = raw.RoundToTick(tick, mode);
  if (!rounded.ok()) return std::nullopt;
  return *rounded;
}

inline core::Duration Jittered(core::Duration fixed, core::Duration jitter, core::Rng& rng) {
  if (jitter.nanoseconds() <= 0) return fixed;
  return fixed + core::Duration::Nanoseconds(rng.UniformInt(0, jitter.nanoseconds()));
}

inline uint64_t Word(core::Side side) { return side == core::Side::kBuy ? 1 : 2; }

}  // namespace combo::venues::market_sim
