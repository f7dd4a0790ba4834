#include "router/order_checks.h"

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::router {

bool IsImmediate(ComboTimeInForce time_in_force) {
  return time_in_force == ComboTimeInForce::kImmediateOrCancel ||
         time_in_force == ComboTimeInForce::kFillOrKill;
}

std::optional<Refusal> CheckNewOrder(const NewComboOrder& order) {
  if (order.type == ComboOrderType::kMarket) {
    if (order.limit_price.has_value()) {
      return Refusal{RejectReason::kInvalidPrice, "a market order must not carry a limit price"};
    }
    if (!IsImmediate(order.time_in_force)) {
      return Refusal{RejectReason::kUnsupportedOrder,
                     absl::StrCat("a market order never rests: its time in force must be ioc or "
                                  "fok, not ",
                                  core::AsAbsl(ToString(order.time_in_force)))};
    }
  }
  const int ends =
      (order.expire_time.has_value() ? 1 : 0) + (order.expire_date.has_value() ? 1 : 0);
  if (order.time_in_force == ComboTimeInForce::kGoodTillDate && ends != 1) {
    return Refusal{RejectReason::kUnsupportedOrder,
                   "a good-till-date order needs exactly one of an expire time or an expire date"};
  }
  if (order.time_in_force != ComboTimeInForce::kGoodTillDate && ends != 0) {
    return Refusal{RejectReason::kUnsupportedOrder,
                   "an expire time or date needs time in force good till date"};
  }
  if (!order.quantity.is_positive()) {
    return Refusal{RejectReason::kInvalidQuantity,
                   absl::StrCat("quantity must be positive, got ", order.quantity.value())};
  }
  if (order.type == ComboOrderType::kLimit && !order.limit_price.has_value()) {
    return Refusal{RejectReason::kInvalidPrice, "a limit order needs a limit price"};
  }
  return std::nullopt;
}

std::optional<Refusal> CheckOnTick(core::Price limit_price, core::Price tick) {
  if (limit_price.IsOnTick(tick)) return std::nullopt;
  return Refusal{RejectReason::kInvalidPrice,
                 absl::StrCat("limit price ", limit_price.ToString(), " is not a multiple of tick ",
                              tick.ToString())};
}

std::optional<Refusal> CheckCancel(const CancelComboOrder& cancel) {
  if (cancel.client_order_id == cancel.original_client_order_id) {
    return Refusal{RejectReason::kDuplicateClientOrderId,
                   absl::StrCat("the client order id of a cancel must be new, not ",
                                cancel.original_client_order_id.value(), ", the order's")};
  }
  return std::nullopt;
}

std::optional<Refusal> CheckReplace(const ReplaceComboOrder& replace, const NewComboOrder& order) {
  if (replace.client_order_id == replace.original_client_order_id) {
    return Refusal{RejectReason::kDuplicateClientOrderId,
                   absl::StrCat("the client order id of a replace must be new, not ",
                                replace.original_client_order_id.value(), ", the order's")};
  }
  if (replace.side.has_value() && *replace.side != order.side) {
    return Refusal{RejectReason::kUnsupportedOrder,
                   absl::StrCat("the side differs from the order's (",
                                core::AsAbsl(core::ToString(order.side)),
                                "): a replace cannot change the side")};
  }
  if (replace.combo.has_value() && replace.combo->legs() != order.combo.legs()) {
    return Refusal{RejectReason::kInvalidCombo,
                   "the legs differ from the order's: a replace cannot change the legs"};
  }
  if (replace.time_in_force.has_value() && *replace.time_in_force != order.time_in_force) {
    return Refusal{
        RejectReason::kUnsupportedOrder,
        absl::StrCat("the time in force differs from the order's (",
                     core::AsAbsl(ToString(order.time_in_force)), "): a replace cannot change it")};
  }
  if (replace.type != ComboOrderType::kLimit || order.type != ComboOrderType::kLimit) {
    return Refusal{RejectReason::kUnsupportedOrder, "only a limit order can be replaced"};
  }
  if (IsImmediate(order.time_in_force)) {
    return Refusal{RejectReason::kUnsupportedOrder,
                   absl::StrCat("an ", core::AsAbsl(ToString(order.time_in_force)),
                                " order cannot be replaced: it makes one attempt at once and "
                                "never rests")};
  }
  return std::nullopt;
}

}  // namespace combo::router
