#include "risk/legging_exposure.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace combo::risk {

namespace {

constexpr std::array<RiskRule, 3> kLegInLimits = {RiskRule::kLegInExposureUnits,
                                                  RiskRule::kLegInExposureNotional,
                                                  RiskRule::kLegInExposureDollarDelta};

}  // namespace

absl::Status LeggingExposureBook::Validate(const LegInExposure& exposure) {
  if (exposure.units.value() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("leg-in exposure: units must not be negative, got ", exposure.units.value()));
  }
  if (exposure.notional.is_negative()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leg-in exposure: notional must not be negative, got ", exposure.notional.ToString()));
  }
  if (!std::isfinite(exposure.dollar_delta)) {
    return absl::InvalidArgumentError("leg-in exposure: dollar delta must be finite");
  }
  return absl::OkStatus();
}

std::array<bool, 3> LeggingExposureBook::Reached() const {
  return {total_.units >= limits_.max_legin_units, total_.notional >= limits_.max_legin_notional,
          std::abs(total_.dollar_delta) >= limits_.max_legin_dollar_delta};
}

absl::Status LeggingExposureBook::Report(core::OrderId order, const LegInExposure& exposure,
                                         std::vector<LegInLimitChange>& changes) {
  if (absl::Status s = Validate(exposure); !s.ok()) return s;
  auto it = by_order_.find(order);
  if (it != by_order_.end()) {
    total_.units -= it->second.units;
    total_.notional -= it->second.notional;
    total_.dollar_delta -= it->second.dollar_delta;
  }
  const bool cleared =
      exposure.units.is_zero() && exposure.notional.is_zero() && exposure.dollar_delta == 0.0;
  if (cleared) {
    if (it != by_order_.end()) by_order_.erase(it);
  } else {
    by_order_[order] = exposure;
  }
  total_.units += exposure.units;
  total_.notional += exposure.notional;
  total_.dollar_delta += exposure.dollar_delta;
  // Sums of doubles drift; with nothing open the delta is exactly zero.
  if (by_order_.empty()) total_ = LegInExposure();

  AppendTransitions(changes);
  return absl::OkStatus();
}

void LeggingExposureBook::Reevaluate(std::vector<LegInLimitChange>& changes) {
  AppendTransitions(changes);
}

void LeggingExposureBook::AppendTransitions(std::vector<LegInLimitChange>& changes) {
  const std::array<bool, 3> now = Reached();
  const std::array<RiskValue, 3> values = {RiskValue::Units(total_.units),
                                           RiskValue::Amount(total_.notional),
                                           RiskValue::DollarDelta(std::abs(total_.dollar_delta))};
  const std::array<RiskValue, 3> limits = {RiskValue::Units(limits_.max_legin_units),
                                           RiskValue::Amount(limits_.max_legin_notional),
                                           RiskValue::DollarDelta(limits_.max_legin_dollar_delta)};
  for (size_t i = 0; i < now.size(); ++i) {
    if (now[i] == reached_[i]) continue;
    changes.push_back(LegInLimitChange{
        kLegInLimits[i], now[i] ? LimitTransition::kReached : LimitTransition::kReleased, values[i],
        limits[i]});
  }
  reached_ = now;
}

RiskDecision LeggingExposureBook::Check(const LegInExposure& added, TradingState state) const {
  if (state == TradingState::kHalted) {
    return RiskDecision::Deny(RiskRule::kTradingHalted, RiskValue(), RiskValue());
  }
  const double net_before = std::abs(total_.dollar_delta);
  const double net_after = std::abs(total_.dollar_delta + added.dollar_delta);
  const bool reduces_delta = net_after < net_before;
  if (state == TradingState::kReducing && !reduces_delta) {
    return RiskDecision::Deny(RiskRule::kReducingOnly, RiskValue::DollarDelta(net_after),
                              RiskValue::DollarDelta(net_before));
  }
  const core::Quantity units = total_.units + added.units;
  if (units > limits_.max_legin_units) {
    return RiskDecision::Deny(RiskRule::kLegInExposureUnits, RiskValue::Units(units),
                              RiskValue::Units(limits_.max_legin_units));
  }
  const core::Money notional = total_.notional + added.notional;
  if (notional > limits_.max_legin_notional) {
    return RiskDecision::Deny(RiskRule::kLegInExposureNotional, RiskValue::Amount(notional),
                              RiskValue::Amount(limits_.max_legin_notional));
  }
  if (net_after > limits_.max_legin_dollar_delta && !reduces_delta) {
    return RiskDecision::Deny(RiskRule::kLegInExposureDollarDelta,
                              RiskValue::DollarDelta(net_after),
                              RiskValue::DollarDelta(limits_.max_legin_dollar_delta));
  }
  return RiskDecision::Allow();
}

bool LeggingExposureBook::blocked(RiskRule limit) const {
  for (size_t i = 0; i < kLegInLimits.size(); ++i) {
    if (kLegInLimits[i] == limit) return reached_[i];
  }
  return false;
}

}  // namespace combo::risk
