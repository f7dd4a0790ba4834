// MarketOrderCollar: the protection that turns a market combo order into a limit order at
// arrival (docs/ROUTER.md "Immediate orders"), so that a market order never trades through a
// fair price. The limit is the best price on the side the order trades against (the smart combo
// tick's ask for a buy, its bid for a sell), on the combo's tick, plus (buy) or minus (sell) a
// width: the larger of `ticks` combo ticks and `basis_points` of |best price|, the latter
// rounded down to the combo's tick. The order then works as a limit IOC or FOK at that price.
//
// Pure functions and value types; thread-safe.
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/price.h"
#include "core/side.h"

namespace combo::router {

struct MarketOrderCollar {
  // Combo ticks beyond the best price at arrival.
  int64_t ticks = 10;
  // Hundredths of a percent of |best price| beyond it (100 = 1%).
  int64_t basis_points = 100;
  friend bool operator==(const MarketOrderCollar&, const MarketOrderCollar&) = default;
};

// Fails, naming the field, for negative ticks or basis points outside 0..10000. Both zero is
// legal: the order then trades only at the best price it found on arrival.
absl::Status ValidateMarketOrderCollar(const MarketOrderCollar& collar);

// The limit and the width behind it.
struct CollaredLimit {
  core::Price limit;
  core::Price width;
};

// The limit of a market order of `side` (canonical terms) against `best` (the opposite level's
// price at arrival) on a combo whose tick is `combo_tick` (positive). Fails only for a price so
// far out that the arithmetic would leave Price's range.
absl::StatusOr<CollaredLimit> CollarLimit(const MarketOrderCollar& collar, core::Side side,
                                          core::Price best, core::Price combo_tick);

}  // namespace combo::router
