#include "router/leg_in_units.h"

#include <algorithm>
#include <limits>

#include "core/money.h"
#include "core/rounding.h"

namespace combo::router {

core::Quantity WholeUnits(const std::vector<HeldLeg>& legs) {
  if (legs.empty()) return core::Quantity::Zero();
  int64_t whole = std::numeric_limits<int64_t>::max();
  for (const HeldLeg& leg : legs) {
    int64_t held = 0;
    for (const LegInExecution& execution : *leg.executions) held += execution.quantity.value();
    whole = std::min(whole, held / leg.ratio);
  }
  return core::Quantity(whole);
}

std::vector<LegInUnits> TakeWholeUnits(core::OrderId order, std::vector<HeldLeg> legs,
                                       core::Quantity units, int64_t combo_multiplier,
                                       core::Timestamp time) {
  std::vector<LegInUnits> reports;
  std::sort(legs.begin(), legs.end(),
            [](const HeldLeg& a, const HeldLeg& b) { return a.combo_leg < b.combo_leg; });
  units = Min(units, WholeUnits(legs));
  core::Quantity left = units;
  while (left.is_positive()) {
    // The most units every leg's oldest execution can carry alone (one price per leg).
    int64_t group = left.value();
    for (const HeldLeg& leg : legs) {
      group = std::min(group, leg.executions->front().quantity.value() / leg.ratio);
    }
    if (group == 0) group = 1;  // a unit that spans two executions of some leg
    LegInUnits report;
    report.order = order;
    report.units = core::Quantity(group);
    report.time = time;
    core::Money value = core::Money::Zero();
    for (HeldLeg& leg : legs) {
      int64_t need = group * leg.ratio;
      while (need > 0) {
        LegInExecution& front = leg.executions->front();
        const int64_t take = std::min(need, front.quantity.value());
        LegInExecution part = front;
        part.quantity = core::Quantity(take);
        report.legs.push_back(part);
        value += core::Money::Notional(part.price, part.quantity, leg.multiplier) * leg.sign;
        front.quantity -= part.quantity;
        if (front.quantity.is_zero()) leg.executions->erase(leg.executions->begin());
        need -= take;
      }
    }
    absl::StatusOr<core::Price> net =
        value.DivideToPrice(absl::int128(combo_multiplier) * group, core::RoundingMode::kHalfEven);
    report.net_price = net.ok() ? *net : core::Price::Zero();
    reports.push_back(std::move(report));
    left -= core::Quantity(group);
  }
  return reports;
}

}  // namespace combo::router
