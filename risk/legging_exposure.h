// LeggingExposure: the unhedged exposure that leg-ins carry across all orders, and the limits
// that decide whether a new leg-in may start.
//
// While a combo order is legged in, some legs fill before the others: those contracts are
// unhedged until the remaining legs complete them into whole combo units (or they go to the
// error account). The router reports each order's current unhedged exposure (units, notional,
// dollar delta; dollar delta is computed by pricing); this book sums them. A new leg-in may
// start only if the totals plus the exposure it would add stay within the limits; when a
// total reaches its limit new leg-ins are blocked, and released when it falls back below
// (orders may still rest natively meanwhile). In the reducing state a leg-in must reduce
// |net dollar delta|. Check does not allocate. Not thread-safe: the router's core thread.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "core/ids.h"
#include "core/money.h"
#include "core/quantity.h"
#include "risk/risk_decision.h"
#include "risk/risk_limits.h"
#include "risk/trading_state.h"

namespace combo::risk {

struct LegInExposure {
  // Unhedged leg contracts (filled on some legs and not yet in whole combo units), summed.
  core::Quantity units;
  // Their notional, a non-negative magnitude.
  core::Money notional;
  // Their net dollar delta (signed; analytics, so a double).
  double dollar_delta = 0.0;
};

// A leg-in the router wants to start: the most exposure it can add before it completes
// (typically its first leg or slice filling alone).
struct LegInRequest {
  core::OrderId order;
  LegInExposure added;
};

// One of the three legging limits reached or released.
enum class LimitTransition : uint8_t { kReached, kReleased };

struct LegInLimitChange {
  RiskRule limit = RiskRule::kLegInExposureUnits;
  LimitTransition transition = LimitTransition::kReached;
  // The total after the report, and the limit.
  RiskValue exposure;
  RiskValue limit_value;
};

class LeggingExposureBook {
 public:
  explicit LeggingExposureBook(const RiskLimits& limits) : limits_(limits) {}

  // Sets `order`'s current unhedged exposure (zero clears it) and appends to `changes` every
  // limit this reaches or releases, in the order units, notional, dollar delta. Fails
  // (changing nothing) on negative units or notional or a non-finite delta.
  absl::Status Report(core::OrderId order, const LegInExposure& exposure,
                      std::vector<LegInLimitChange>& changes);

  // May a leg-in adding `added` start now, in `state`? The first failing of: halted, reducing
  // (must reduce |net dollar delta|), units, notional, dollar delta (a leg-in that reduces
  // |net dollar delta| is never denied by the delta limit).
  RiskDecision Check(const LegInExposure& added, TradingState state) const;

  // Measures the current totals against the limits again (after the limits changed) and
  // appends every limit that this reaches or releases, in the order units, notional, delta.
  void Reevaluate(std::vector<LegInLimitChange>& changes);

  static absl::Status Validate(const LegInExposure& exposure);

  const LegInExposure& total() const { return total_; }
  bool blocked(RiskRule limit) const;
  size_t orders() const { return by_order_.size(); }

 private:
  std::array<bool, 3> Reached() const;
  void AppendTransitions(std::vector<LegInLimitChange>& changes);

  const RiskLimits& limits_;
  // Lookups only, never iterated into an event.
  absl::flat_hash_map<core::OrderId, LegInExposure> by_order_;
  LegInExposure total_;
  // Units, notional, dollar delta.
  std::array<bool, 3> reached_ = {false, false, false};
};

}  // namespace combo::risk
