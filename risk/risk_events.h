// Risk events and the two interfaces through which risk talks to the rest of the daemon.
//
// RiskListener hears every risk event: denials (with their reason), trading-state changes
// (with their cause), legging limits reached and released, error-account breaches raised and
// cleared. Its methods default to doing nothing, so a listener overrides what it needs.
// TradingControl is what the router implements so that halting actually stops trading: cancel
// every resting native order, stop every working leg-in.
// Listeners are called synchronously on the thread that called risk (the router's core
// thread), after risk's own state has changed; they must not call back into risk.
#pragma once

#include "core/ids.h"
#include "core/time.h"
#include "risk/error_account_limits.h"
#include "risk/legging_exposure.h"
#include "risk/order_check.h"
#include "risk/risk_decision.h"
#include "risk/trading_state.h"

namespace combo::risk {

struct OrderDenied {
  // Valid only during the call.
  const OrderCheckRequest& request;
  RiskDecision decision;
  core::Timestamp time;
};

struct LegInDenied {
  const LegInRequest& request;
  RiskDecision decision;
  core::Timestamp time;
};

struct TradingStateChange {
  TradingState from = TradingState::kActive;
  TradingState to = TradingState::kActive;
  StateChangeCause cause;
  core::Timestamp time;
};

struct LegInLimitEvent {
  LegInLimitChange change;
  core::Timestamp time;
};

struct ErrorAccountBreachEvent {
  ErrorAccountBreachChange change;
  core::Timestamp time;
};

class RiskListener {
 public:
  virtual ~RiskListener() = default;
  virtual void OnOrderDenied(const OrderDenied& /*event*/) {}
  virtual void OnLegInDenied(const LegInDenied& /*event*/) {}
  virtual void OnTradingStateChanged(const TradingStateChange& /*event*/) {}
  virtual void OnLegInLimit(const LegInLimitEvent& /*event*/) {}
  virtual void OnErrorAccountBreach(const ErrorAccountBreachEvent& /*event*/) {}
};

class TradingControl {
 public:
  virtual ~TradingControl() = default;
  // Called once on entering halted, before listeners hear the change.
  virtual void CancelAllRestingNativeOrders(const TradingStateChange& change) = 0;
  virtual void StopLegIns(const TradingStateChange& change) = 0;
};

}  // namespace combo::risk
