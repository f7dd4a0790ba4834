#include "accounts/commission.h"

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::accounts {

absl::Status CommissionSchedule::Validate() const {
  if (per_trade.is_negative()) {
    return absl::InvalidArgumentError(
        absl::StrCat("commission per_trade is negative: ", per_trade.ToString()));
  }
  if (per_combo_unit.is_negative()) {
    return absl::InvalidArgumentError(
        absl::StrCat("commission per_combo_unit is negative: ", per_combo_unit.ToString()));
  }
  for (const auto& [sub_account, rate] : per_leg_contract) {
    if (rate.is_negative()) {
      return absl::InvalidArgumentError(absl::StrCat("commission per_leg_contract for ",
                                                     core::AsAbsl(ToString(sub_account)),
                                                     " is negative: ", rate.ToString()));
    }
  }
  if (minimum.is_negative()) {
    return absl::InvalidArgumentError(
        absl::StrCat("commission minimum is negative: ", minimum.ToString()));
  }
  return absl::OkStatus();
}

core::Money CommissionSchedule::ChargeFor(std::span<const LegTerms> legs,
                                          core::Quantity units) const {
  if (units.is_zero()) return core::Money::Zero();
  core::Money charge = per_trade + core::Money::Notional(per_combo_unit, units, 1);
  for (const LegTerms& leg : legs) {
    auto rate = per_leg_contract.find(SubAccountFor(leg.asset_class));
    if (rate == per_leg_contract.end()) continue;
    charge += core::Money::Notional(rate->second, units * leg.ratio, 1);
  }
  return charge < minimum ? minimum : charge;
}

}  // namespace combo::accounts
