#include "risk/error_account_limits.h"

namespace combo::risk {

RiskDecision ErrorAccountLimits::PositionBreach(core::InstrumentId instrument,
                                                core::Quantity magnitude) const {
  return RiskDecision::Deny(RiskRule::kErrorAccountPosition, RiskValue::Units(magnitude),
                            RiskValue::Units(limits_.max_error_account_position),
                            RiskValue::Of(instrument));
}

RiskDecision ErrorAccountLimits::TotalBreach() const {
  return RiskDecision::Deny(RiskRule::kErrorAccountTotalPosition,
                            RiskValue::Units(core::Quantity(total_)),
                            RiskValue::Units(limits_.max_error_account_total_position));
}

RiskDecision ErrorAccountLimits::LossBreach(RiskRule rule, core::Money limit) const {
  return RiskDecision::Deny(rule, RiskValue::Amount(-pnl_), RiskValue::Amount(limit));
}

void ErrorAccountLimits::Transition(bool was, bool now, const RiskDecision& breach,
                                    std::vector<ErrorAccountBreachChange>& changes) {
  if (was == now) return;
  changes.push_back(ErrorAccountBreachChange{
      breach, now ? BreachTransition::kRaised : BreachTransition::kCleared});
}

void ErrorAccountLimits::SetPosition(core::InstrumentId instrument, core::SignedQuantity position,
                                     std::vector<ErrorAccountBreachChange>& changes) {
  auto it = positions_.find(instrument);
  if (it != positions_.end()) total_ -= it->second.Magnitude().value();
  if (position.is_zero()) {
    if (it != positions_.end()) positions_.erase(it);
  } else {
    positions_[instrument] = position;
  }
  total_ += position.Magnitude().value();

  const bool was = position_breaches_.contains(instrument);
  const bool now = position.Magnitude() > limits_.max_error_account_position;
  if (now) {
    position_breaches_.insert(instrument);
  } else {
    position_breaches_.erase(instrument);
  }
  Transition(was, now, PositionBreach(instrument, position.Magnitude()), changes);

  const bool total_now = core::Quantity(total_) > limits_.max_error_account_total_position;
  Transition(total_breached_, total_now, TotalBreach(), changes);
  total_breached_ = total_now;
}

void ErrorAccountLimits::SetPnl(core::Money pnl, std::vector<ErrorAccountBreachChange>& changes) {
  pnl_ = pnl;
  const core::Money loss = -pnl;
  const bool loss_now = loss > limits_.max_error_account_loss;
  Transition(loss_breached_, loss_now,
             LossBreach(RiskRule::kErrorAccountLoss, limits_.max_error_account_loss), changes);
  loss_breached_ = loss_now;
  const bool halt_now = loss > limits_.halt_error_account_loss;
  Transition(halt_loss_breached_, halt_now,
             LossBreach(RiskRule::kErrorAccountHaltLoss, limits_.halt_error_account_loss), changes);
  halt_loss_breached_ = halt_now;
}

void ErrorAccountLimits::Reevaluate(std::vector<ErrorAccountBreachChange>& changes) {
  for (const auto& [instrument, position] : positions_) {
    const bool was = position_breaches_.contains(instrument);
    const bool now = position.Magnitude() > limits_.max_error_account_position;
    if (now) {
      position_breaches_.insert(instrument);
    } else {
      position_breaches_.erase(instrument);
    }
    Transition(was, now, PositionBreach(instrument, position.Magnitude()), changes);
  }
  const bool total_now = core::Quantity(total_) > limits_.max_error_account_total_position;
  Transition(total_breached_, total_now, TotalBreach(), changes);
  total_breached_ = total_now;
  SetPnl(pnl_, changes);
}

TradingState ErrorAccountLimits::RequiredState() const {
  if (halt_loss_breached_) return TradingState::kHalted;
  if (loss_breached_ || total_breached_ || !position_breaches_.empty()) {
    return TradingState::kReducing;
  }
  return TradingState::kActive;
}

RiskDecision ErrorAccountLimits::RequiringBreach() const {
  if (halt_loss_breached_) {
    return LossBreach(RiskRule::kErrorAccountHaltLoss, limits_.halt_error_account_loss);
  }
  if (loss_breached_)
    return LossBreach(RiskRule::kErrorAccountLoss, limits_.max_error_account_loss);
  if (total_breached_) return TotalBreach();
  if (!position_breaches_.empty()) {
    const core::InstrumentId first = *position_breaches_.begin();
    return PositionBreach(first, position(first).Magnitude());
  }
  return RiskDecision::Allow();
}

core::SignedQuantity ErrorAccountLimits::position(core::InstrumentId instrument) const {
  auto it = positions_.find(instrument);
  return it == positions_.end() ? core::SignedQuantity() : it->second;
}

bool ErrorAccountLimits::breached(RiskRule limit) const {
  switch (limit) {
    case RiskRule::kErrorAccountPosition:
      return !position_breaches_.empty();
    case RiskRule::kErrorAccountTotalPosition:
      return total_breached_;
    case RiskRule::kErrorAccountLoss:
      return loss_breached_;
    case RiskRule::kErrorAccountHaltLoss:
      return halt_loss_breached_;
    default:
      return false;
  }
}

}  // namespace combo::risk
