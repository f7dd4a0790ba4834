// ResolverConfig: how the residual resolver works the error account's residue (docs/RESOLVER.md,
// config section `resolver`): which actions it may take, their price bands, the horizon after
// which a residual is held for a person, the cost model's estimates and the limits. A plain
// value; Validate names the first bad field.
#pragma once

#include <cstdint>
#include <set>

#include "absl/status/status.h"
#include "core/ids.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/time.h"

namespace combo::resolver {

// One action's switch and band: its orders trade only at prices within a band of the
// instrument's ticks (at the mid) from the consolidated mid. The band is `band_ticks` when the
// residual opens and widens in step with its age to `max_band_ticks` at the horizon: a desk pays
// a little more to get out of a residual the longer it has carried it, up to a cap, rather than
// holding it for a person because a quote sits one tick outside a fixed band.
struct ActionSettings {
  bool enabled = true;
  int64_t band_ticks = 2;
  int64_t max_band_ticks = 10;

  // The band (in ticks) for a residual open `age` of `horizon`: band_ticks + (max_band_ticks -
  // band_ticks) x age / horizon, rounded down, and max_band_ticks from the horizon on.
  int64_t BandTicksAt(core::Duration age, core::Duration horizon) const;
  friend bool operator==(const ActionSettings&, const ActionSettings&) = default;
};

struct HedgeSettings {
  bool enabled = false;
  int64_t band_ticks = 2;
  // A residual whose delta is smaller than this many shares of the underlying is not hedged.
  int64_t min_delta_shares = 50;
  friend bool operator==(const HedgeSettings&, const HedgeSettings&) = default;
};

struct ResolverConfig {
  // Off: book and hold (leg executions stay in the error account; the seed's R16 alone).
  bool enabled = false;
  // How often every open residual is evaluated.
  core::Duration interval = core::Duration::Seconds(1);
  // A residual still open this long after it opened is held for a person (alerting).
  core::Duration horizon = core::Duration::Seconds(300);
  ActionSettings complete;
  ActionSettings unwind;
  HedgeSettings hedge;
  // The chance, in basis points, that the missing legs show inside the band within the horizon
  // when they are not there now (the cost model's estimate; docs/RESOLVER.md "Cost model").
  int64_t completion_probability_bps = 5000;
  // The adverse move of the underlying over the horizon, in basis points of the residual's
  // dollar delta: the carried delta risk of waiting unhedged.
  int64_t adverse_move_bps = 100;
  // The largest order the resolver sends; zero: no cap.
  core::Quantity max_order_quantity = core::Quantity::Zero();
  // The most an action may be expected to cost (currency units); zero: no cap. A residual
  // whose every action costs more waits (and is held at its horizon).
  core::Price max_action_cost = core::Price::Zero();
  // Residuals (by origin order id) a person works: the resolver journals the hand-off once and
  // leaves them alone from then on.
  std::set<core::OrderId> hand_off;

  absl::Status Validate() const;
  friend bool operator==(const ResolverConfig&, const ResolverConfig&) = default;
};

}  // namespace combo::resolver
