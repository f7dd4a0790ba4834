// RiskManager: the operator's protection, and the one object the router talks to about risk.
//
// It runs the pre-trade checks on every combo order and replace, answers whether a new leg-in
// may start given the legging exposure across all orders, watches the error account against its
// limits, and keeps the trading state (active, reducing, halted). Denials, state changes,
// legging limits reached/released and error-account breaches are events on the RiskListener,
// and are counted in RiskMetrics. Entering halted tells the TradingControl (the router) to
// cancel every resting native order and stop leg-ins.
//
// The router keeps risk informed: orders accepted, replaced, filled and finished (credit and
// duplicate ClOrdIDs), each legging order's current unhedged exposure, venue availability; the
// accounts side reports error-account positions and P&L; operators (FIX admin session, signal)
// set the trading state.
//
// CheckOrder and CheckLegIn do not allocate on the allow or the deny path (the denial's text
// is rendered by RiskDecision::Describe when reported). Calls that cannot be performed
// (malformed input) return an error and change nothing; denials are decisions, not errors.
// Not thread-safe: called on the router's core thread; listeners are called on it too.
#pragma once

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/money.h"
#include "core/quantity.h"
#include "prometheus/registry.h"
#include "risk/client_book.h"
#include "risk/error_account_limits.h"
#include "risk/legging_exposure.h"
#include "risk/order_check.h"
#include "risk/pre_trade_rules.h"
#include "risk/risk_decision.h"
#include "risk/risk_events.h"
#include "risk/risk_limits.h"
#include "risk/risk_metrics.h"
#include "risk/trading_state.h"
#include "risk/venue_availability.h"

namespace combo::risk {

class RiskManager {
 public:
  // Fails, naming the field, for limits that do not validate, or when the metric families
  // cannot be declared (e.g. already declared in `registry` with another type).
  static absl::StatusOr<std::unique_ptr<RiskManager>> Create(RiskLimits limits,
                                                             const core::Clock& clock,
                                                             prometheus::Registry& registry);

  RiskManager(const RiskManager&) = delete;
  RiskManager& operator=(const RiskManager&) = delete;

  // Not owned; null for none.
  void SetListener(RiskListener* listener) { listener_ = listener; }
  void SetTradingControl(TradingControl* control) { control_ = control; }

  // --- Pre-trade ----------------------------------------------------------------------------
  // The pre-trade checks in their fixed order (pre_trade_rules.h). A denial is counted and
  // reported to the listener. Fails for a request that cannot be evaluated.
  absl::StatusOr<RiskDecision> CheckOrder(const OrderCheckRequest& request);

  // The order started working: remembers its ClOrdID and reserves its open notional.
  absl::Status OnOrderAccepted(core::OrderId order, const core::ClientId& client,
                               const core::ClientOrderId& client_order_id, core::Quantity units,
                               core::Money notional);
  // A replace took effect: the order's open units and notional are now these.
  absl::Status OnOrderReplaced(core::OrderId order, const core::ClientOrderId& client_order_id,
                               core::Quantity open_units, core::Money open_notional);
  // Combo units of the order filled: its reserved notional shrinks in proportion.
  absl::Status OnFill(core::OrderId order, core::Quantity units);
  // The order is done: its reserved notional is released.
  absl::Status OnOrderFinished(core::OrderId order);

  void SetVenueStatus(core::VenueId venue, VenueStatus status) { venues_.Set(venue, status); }

  // --- Limits -------------------------------------------------------------------------------
  // Replaces every limit at once (the daemon's SIGHUP reload). Fails, naming the field and
  // changing nothing, for limits that do not validate. Otherwise the new limits apply to every
  // check from now on, and the running exposure and error account are measured against them
  // at once: legging limits reached or released and breaches raised or cleared are the usual
  // events (a breach may raise the trading state; lowering it stays the operator's call).
  // Orders already working keep their reserved notional; ClOrdIDs remembered beyond a lower
  // max_remembered_client_order_ids are forgotten as new ones arrive.
  absl::Status UpdateLimits(RiskLimits limits);
  // A new trading day: the ClOrdIDs of earlier days may be used again.
  void StartTradingDay() { clients_.StartTradingDay(); }

  // --- Legging exposure ---------------------------------------------------------------------
  // May this leg-in start now? A denial is counted and reported. Fails on a malformed request.
  absl::StatusOr<RiskDecision> CheckLegIn(const LegInRequest& request);
  // The order's current unhedged exposure (zero when its legs are complete or booked to the
  // error account). Limits reached or released are events.
  absl::Status ReportLegInExposure(core::OrderId order, const LegInExposure& exposure);

  // --- Error account ------------------------------------------------------------------------
  void OnErrorAccountPosition(core::InstrumentId instrument, core::SignedQuantity position);
  void OnErrorAccountPnl(core::Money pnl);

  // --- Trading state ------------------------------------------------------------------------
  // An operator moves the trading state. Fails (changing nothing) without who and why, or when
  // an outstanding error-account breach requires a more restrictive state than `target`.
  // Setting the current state again is accepted and is not an event.
  absl::Status SetTradingState(TradingState target, const OperatorCommand& command);

  TradingState trading_state() const { return state_; }
  const LeggingExposureBook& exposure() const { return exposure_; }
  const ClientBook& clients() const { return clients_; }
  const ErrorAccountLimits& error_account() const { return error_account_; }
  const RiskMetrics& metrics() const { return metrics_; }
  const RiskLimits& limits() const { return limits_; }

 private:
  RiskManager(RiskLimits limits, const core::Clock& clock, RiskMetrics metrics);

  void ChangeState(TradingState to, StateChangeCause cause);
  void ApplyBreachChanges(const std::vector<ErrorAccountBreachChange>& changes);
  void ApplyLegInLimitChanges(const std::vector<LegInLimitChange>& changes);

  // Replaced only by UpdateLimits; the parts below refer to this one object.
  RiskLimits limits_;
  const core::Clock& clock_;
  RiskMetrics metrics_;
  InstrumentFilter instruments_;
  ClientBook clients_;
  VenueAvailability venues_;
  LeggingExposureBook exposure_;
  ErrorAccountLimits error_account_;
  TradingState state_ = TradingState::kActive;
  RiskListener* listener_ = nullptr;
  TradingControl* control_ = nullptr;
};

}  // namespace combo::risk
