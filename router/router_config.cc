#include "router/router_config.h"

#include "absl/strings/str_cat.h"

namespace combo::router {

std::string_view ToString(RestartPolicy policy) {
  return policy == RestartPolicy::kCancel ? "cancel" : "resume";
}

absl::Status ValidateRouterConfig(const RouterConfig& config) {
  if (config.stability_wait < core::Duration::Zero()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "router stability_wait must not be negative, got ", config.stability_wait.ToString()));
  }
  if (config.cancel_timeout_with_legs_working < core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat("router cancel_timeout_with_legs_working must not be negative, got ",
                     config.cancel_timeout_with_legs_working.ToString()));
  }
  if (config.combo_tick.has_value() && !config.combo_tick->is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("router combo_tick must be positive, got ", config.combo_tick->ToString()));
  }
  if (config.first_order_id == 0) {
    return absl::InvalidArgumentError("router first_order_id must be at least 1");
  }
  if (absl::Status status = ValidateMarketOrderCollar(config.market_order_collar); !status.ok()) {
    return status;
  }
  if (config.calendar.has_value()) return ValidateTradingCalendarConfig(*config.calendar);
  return absl::OkStatus();
}

}  // namespace combo::router
