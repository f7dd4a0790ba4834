#include "risk/risk_manager.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/status.h"

namespace combo::risk {

absl::StatusOr<std::unique_ptr<RiskManager>> RiskManager::Create(RiskLimits limits,
                                                                 const core::Clock& clock,
                                                                 prometheus::Registry& registry) {
  COMBO_RETURN_IF_ERROR(limits.Validate());
  COMBO_ASSIGN_OR_RETURN(RiskMetrics metrics, RiskMetrics::Create(registry));
  return std::unique_ptr<RiskManager>(
      new RiskManager(std::move(limits), clock, std::move(metrics)));
}

RiskManager::RiskManager(RiskLimits limits, const core::Clock& clock, RiskMetrics metrics)
    : limits_(std::move(limits)),
      clock_(clock),
      metrics_(std::move(metrics)),
      instruments_(limits_),
      clients_(limits_.max_remembered_client_order_ids),
      exposure_(limits_),
      error_account_(limits_) {}

absl::StatusOr<RiskDecision> RiskManager::CheckOrder(const OrderCheckRequest& request) {
  const PreTradeContext ctx{limits_, instruments_, state_, clients_, venues_};
  COMBO_ASSIGN_OR_RETURN(RiskDecision decision, RunPreTradeChecks(request, ctx));
  if (decision.denied()) {
    metrics_.CountDenial(decision.rule());
    if (listener_ != nullptr) listener_->OnOrderDenied({request, decision, clock_.Now()});
  }
  return decision;
}

absl::Status RiskManager::OnOrderAccepted(core::OrderId order, const core::ClientId& client,
                                          const core::ClientOrderId& client_order_id,
                                          core::Quantity units, core::Money notional) {
  return clients_.Accept(order, client, client_order_id, units, notional);
}

absl::Status RiskManager::OnOrderReplaced(core::OrderId order,
                                          const core::ClientOrderId& client_order_id,
                                          core::Quantity open_units, core::Money open_notional) {
  return clients_.Replace(order, client_order_id, open_units, open_notional);
}

absl::Status RiskManager::OnFill(core::OrderId order, core::Quantity units) {
  return clients_.Fill(order, units);
}

absl::Status RiskManager::OnOrderFinished(core::OrderId order) { return clients_.Finish(order); }

absl::StatusOr<RiskDecision> RiskManager::CheckLegIn(const LegInRequest& request) {
  COMBO_RETURN_IF_ERROR(LeggingExposureBook::Validate(request.added));
  const RiskDecision decision = exposure_.Check(request.added, state_);
  if (decision.denied()) {
    metrics_.CountDenial(decision.rule());
    if (listener_ != nullptr) listener_->OnLegInDenied({request, decision, clock_.Now()});
  }
  return decision;
}

absl::Status RiskManager::ReportLegInExposure(core::OrderId order, const LegInExposure& exposure) {
  std::vector<LegInLimitChange> changes;
  COMBO_RETURN_IF_ERROR(exposure_.Report(order, exposure, changes));
  metrics_.SetExposure(exposure_.total());
  ApplyLegInLimitChanges(changes);
  return absl::OkStatus();
}

void RiskManager::ApplyLegInLimitChanges(const std::vector<LegInLimitChange>& changes) {
  for (const LegInLimitChange& change : changes) {
    metrics_.SetLegInLimitReached(change.limit, change.transition == LimitTransition::kReached);
    if (listener_ != nullptr) listener_->OnLegInLimit({change, clock_.Now()});
  }
}

absl::Status RiskManager::UpdateLimits(RiskLimits limits) {
  if (absl::Status valid = limits.Validate(); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("risk limits not updated: ", valid.message()));
  }
  // Everything below reads limits_ by reference; nothing can fail from here on.
  limits_ = std::move(limits);
  instruments_ = InstrumentFilter(limits_);
  clients_.SetMaxRememberedIds(limits_.max_remembered_client_order_ids);
  std::vector<LegInLimitChange> legin_changes;
  exposure_.Reevaluate(legin_changes);
  ApplyLegInLimitChanges(legin_changes);
  std::vector<ErrorAccountBreachChange> breach_changes;
  error_account_.Reevaluate(breach_changes);
  ApplyBreachChanges(breach_changes);
  return absl::OkStatus();
}

void RiskManager::OnErrorAccountPosition(core::InstrumentId instrument,
                                         core::SignedQuantity position) {
  std::vector<ErrorAccountBreachChange> changes;
  error_account_.SetPosition(instrument, position, changes);
  ApplyBreachChanges(changes);
}

void RiskManager::OnErrorAccountPnl(core::Money pnl) {
  std::vector<ErrorAccountBreachChange> changes;
  error_account_.SetPnl(pnl, changes);
  ApplyBreachChanges(changes);
}

void RiskManager::ApplyBreachChanges(const std::vector<ErrorAccountBreachChange>& changes) {
  for (const ErrorAccountBreachChange& change : changes) {
    const RiskRule limit = change.breach.rule();
    if (change.transition == BreachTransition::kRaised) metrics_.CountErrorAccountBreach(limit);
    // The alert stays up while any breach of this limit lasts (per-instrument positions share
    // one series).
    metrics_.SetErrorAccountBreach(limit, error_account_.breached(limit));
    if (listener_ != nullptr) listener_->OnErrorAccountBreach({change, clock_.Now()});
  }
  // Breaches only raise the state; lowering it is the operator's call.
  const TradingState required = error_account_.RequiredState();
  if (required > state_) {
    StateChangeCause cause;
    cause.kind = StateChangeCause::Kind::kBreach;
    cause.breach = error_account_.RequiringBreach();
    ChangeState(required, std::move(cause));
  }
}

absl::Status RiskManager::SetTradingState(TradingState target, const OperatorCommand& command) {
  if (command.who.empty()) {
    return absl::InvalidArgumentError("trading state command: who must not be empty");
  }
  if (command.why.empty()) {
    return absl::InvalidArgumentError("trading state command: why must not be empty");
  }
  const TradingState required = error_account_.RequiredState();
  if (target < required) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot set trading state ", core::AsAbsl(ToString(target)), ": ",
                     error_account_.RequiringBreach().Describe(), " requires at least ",
                     core::AsAbsl(ToString(required))));
  }
  if (target == state_) return absl::OkStatus();
  StateChangeCause cause;
  cause.kind = StateChangeCause::Kind::kOperator;
  cause.command = command;
  ChangeState(target, std::move(cause));
  return absl::OkStatus();
}

void RiskManager::ChangeState(TradingState to, StateChangeCause cause) {
  const TradingStateChange change{state_, to, std::move(cause), clock_.Now()};
  state_ = to;
  metrics_.SetTradingState(to);
  metrics_.CountStateChange(to);
  if (to == TradingState::kHalted && control_ != nullptr) {
    control_->CancelAllRestingNativeOrders(change);
    control_->StopLegIns(change);
  }
  if (listener_ != nullptr) listener_->OnTradingStateChanged(change);
}

}  // namespace combo::risk
