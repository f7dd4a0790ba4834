#include "router/order_entry.h"

namespace combo::router {

std::string_view ToString(ComboOrderType value) {
  switch (value) {
    case ComboOrderType::kLimit:
      return "limit";
    case ComboOrderType::kMarket:
      return "market";
  }
  return "unknown";
}

std::string_view ToString(ComboTimeInForce value) {
  switch (value) {
    case ComboTimeInForce::kDay:
      return "day";
    case ComboTimeInForce::kGoodTillCancel:
      return "gtc";
    case ComboTimeInForce::kImmediateOrCancel:
      return "ioc";
    case ComboTimeInForce::kFillOrKill:
      return "fok";
  }
  return "unknown";
}

std::string_view ToString(ClientOrderStatus value) {
  switch (value) {
    case ClientOrderStatus::kNew:
      return "new";
    case ClientOrderStatus::kPartiallyFilled:
      return "partially_filled";
    case ClientOrderStatus::kFilled:
      return "filled";
    case ClientOrderStatus::kCanceled:
      return "canceled";
    case ClientOrderStatus::kRejected:
      return "rejected";
    case ClientOrderStatus::kPendingCancel:
      return "pending_cancel";
    case ClientOrderStatus::kPendingReplace:
      return "pending_replace";
  }
  return "unknown";
}

std::string_view ToString(RejectReason value) {
  switch (value) {
    case RejectReason::kInvalidCombo:
      return "invalid_combo";
    case RejectReason::kUnknownInstrument:
      return "unknown_instrument";
    case RejectReason::kInvalidQuantity:
      return "invalid_quantity";
    case RejectReason::kInvalidPrice:
      return "invalid_price";
    case RejectReason::kUnsupportedOrder:
      return "unsupported_order";
    case RejectReason::kDuplicateClientOrderId:
      return "duplicate_client_order_id";
    case RejectReason::kUnknownOrder:
      return "unknown_order";
    case RejectReason::kTooLateToCancel:
      return "too_late_to_cancel";
    case RejectReason::kReplaceBelowFilled:
      return "replace_below_filled";
    case RejectReason::kRiskDenied:
      return "risk_denied";
    case RejectReason::kTradingHalted:
      return "trading_halted";
    case RejectReason::kShuttingDown:
      return "shutting_down";
  }
  return "unknown";
}

}  // namespace combo::router
