#include "router/order_entry.h"

#include "core/rounding.h"

namespace combo::router {

core::Price OrderLeg::AveragePrice() const {
  if (!cumulative_quantity.is_positive()) return core::Price::Zero();
  absl::StatusOr<core::Price> average =
      notional.DivideToPrice(cumulative_quantity.value(), core::RoundingMode::kHalfEven);
  // The average of prices lies between them, so it fits a price.
  return average.ok() ? *average : core::Price::Zero();
}

void AddLegFills(std::vector<OrderLeg>& legs, const std::vector<LegExecutionReport>& fills) {
  for (const LegExecutionReport& fill : fills) {
    for (OrderLeg& leg : legs) {
      if (leg.leg.instrument != fill.instrument) continue;
      leg.cumulative_quantity += fill.quantity;
      leg.notional += core::Money::FromPrice(fill.price) * fill.quantity.value();
    }
  }
}

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
    case ComboTimeInForce::kGoodTillDate:
      return "gtd";
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
    case ClientOrderStatus::kExpired:
      return "expired";
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
