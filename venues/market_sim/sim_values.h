// Small value helpers the market simulator's parts share: a fair value to a price on a tick (or
// an instrument's tick rule), a
// jittered delay, and the event log's word for a side. Private to venues/market_sim/.
//
// Pure functions (Jittered draws from the Rng it is given): thread-safe as their arguments are.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

#include "core/price.h"
#include "core/random.h"
#include "core/rounding.h"
#include "core/side.h"
#include "core/tick_rule.h"
#include "core/time.h"

namespace combo::venues::market_sim {

// Doubles beyond this cannot become a core::Price (int64 at 1e-9).
inline constexpr double kMaxPriceMagnitude = 9.0e9;

// `value` as a Price (to the nearest 1e-9); nullopt if it cannot be represented.
inline std::optional<core::Price> ToPrice(double value) {
  if (!std::isfinite(value) || std::fabs(value) > kMaxPriceMagnitude) return std::nullopt;
  return core::Price::FromRaw(std::llround(value * core::Price::kScale));
}

// `value` rounded to a multiple of `tick` in the direction of `mode`; nullopt if it cannot be
// represented.
inline std::optional<core::Price> ToTick(double value, core::Price tick, core::RoundingMode mode) {
  const std::optional<core::Price> raw = ToPrice(value);
  if (!raw.has_value()) return std::nullopt;
  absl::StatusOr<core::Price> rounded = raw->RoundToTick(tick, mode);
  if (!rounded.ok()) return std::nullopt;
  return *rounded;
}

// `value` rounded onto an instrument's tick rule in the direction of `mode` (on the tick of the
// band the result lies in, so a quote is never off the rule); nullopt if it cannot be represented.
inline std::optional<core::Price> ToTick(double value, const core::TickRule& rule,
                                         core::RoundingMode mode) {
  const std::optional<core::Price> raw = ToPrice(value);
  if (!raw.has_value()) return std::nullopt;
  absl::StatusOr<core::Price> rounded = rule.Round(*raw, mode);
  if (!rounded.ok()) return std::nullopt;
  return *rounded;
}

// The tick of the band that holds `value` (the first band's for a value that is no price).
inline double TickAtValue(const core::TickRule& rule, double value) {
  const std::optional<core::Price> price = ToPrice(value);
  return rule.TickAt(price.value_or(core::Price::Zero())).ToDouble();
}

inline core::Duration Jittered(core::Duration fixed, core::Duration jitter, core::Rng& rng) {
  if (jitter.nanoseconds() <= 0) return fixed;
  return fixed + core::Duration::Nanoseconds(rng.UniformInt(0, jitter.nanoseconds()));
}

// The gap to the next arrival of a Poisson process of `rate` per second (at least 1 ns, at most
// a day).
inline core::Duration PoissonGap(core::Rng& rng, double rate) {
  const double seconds = rng.Exponential(rate);
  return core::Duration::Nanoseconds(static_cast<int64_t>(std::min(seconds, 86400.0) * 1e9) + 1);
}

inline uint64_t Word(core::Side side) { return side == core::Side::kBuy ? 1 : 2; }

}  // namespace combo::venues::market_sim
