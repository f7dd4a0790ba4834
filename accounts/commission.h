// CommissionSchedule: what a client is charged for an executed combo (seed 003 R15, R18).
//
// Only whole combo units reported to the client are charged: a leg that executed without its
// partner legs costs the client nothing (it goes to the error account). The charge of one combo
// fill is per_trade + per_combo_unit x units + sum over legs of per_leg_contract[sub-account] x
// leg quantity, and at least `minimum`. Immutable value type; thread-safe to read.
#pragma once

#include <map>
#include <span>

#include "absl/status/status.h"
#include "accounts/events.h"
#include "accounts/sub_account.h"
#include "core/money.h"
#include "core/price.h"
#include "core/quantity.h"

namespace combo::accounts {

struct CommissionSchedule {
  core::Money per_trade;
  core::Price per_combo_unit;
  // Per contract (or share) of each leg, by the sub-account the leg posts to; absent is zero.
  std::map<SubAccount, core::Price> per_leg_contract;
  core::Money minimum;

  // Fails naming the first negative rate.
  absl::Status Validate() const;
  // The charge for `units` combo units of an order with `legs`.
  core::Money ChargeFor(std::span<const LegTerms> legs, core::Quantity units) const;
};

}  // namespace combo::accounts
