#include "router/market_order_collar.h"

#include "absl/strings/str_cat.h"
#include "core/rounding.h"
#include "core/status.h"

namespace combo::router {

absl::Status ValidateMarketOrderCollar(const MarketOrderCollar& collar) {
  if (collar.ticks < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("router market_order_collar.ticks must not be negative, got ", collar.ticks));
  }
  if (collar.basis_points < 0 || collar.basis_points > 10'000) {
    return absl::InvalidArgumentError(
        absl::StrCat("router market_order_collar.basis_points must be from 0 to 10000, got ",
                     collar.basis_points));
  }
  return absl::OkStatus();
}

absl::StatusOr<CollaredLimit> CollarLimit(const MarketOrderCollar& collar, core::Side side,
                                          core::Price best, core::Price combo_tick) {
  if (!combo_tick.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("combo tick must be positive, got ", combo_tick.ToString()));
  }
  const bool buy = side == core::Side::kBuy;
  // The best price on the combo's tick, never better for the order than the market shows.
  COMBO_ASSIGN_OR_RETURN(
      core::Price from,
      best.RoundToTick(combo_tick, buy ? core::RoundingMode::kUp : core::RoundingMode::kDown));
  COMBO_ASSIGN_OR_RETURN(core::Price by_ticks, core::CheckedMultiply(combo_tick, collar.ticks));
  // |best| x basis points / 10000, in whole ticks (rounded down: the narrower width).
  const absl::int128 magnitude = best.raw() < 0 ? -absl::int128(best.raw()) : best.raw();
  const absl::int128 tick_count =
      magnitude * collar.basis_points / (absl::int128(10'000) * combo_tick.raw());
  if (tick_count > absl::int128(INT64_MAX / combo_tick.raw())) {
    return absl::OutOfRangeError("market order collar width is out of range");
  }
  const core::Price by_percent = combo_tick * static_cast<int64_t>(tick_count);
  const core::Price width = by_ticks > by_percent ? by_ticks : by_percent;
  COMBO_ASSIGN_OR_RETURN(core::Price limit,
                         buy ? core::CheckedAdd(from, width) : core::CheckedSubtract(from, width));
  return CollaredLimit{limit, width};
}

}  // namespace combo::router
