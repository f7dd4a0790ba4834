#include "router/router_config.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace combo::router {

std::string_view ToString(RestartPolicy policy) {
  return policy == RestartPolicy::kCancel ? "cancel" : "resume";
}

absl::StatusOr<core::Timestamp> TradingDayEndAfter(core::Timestamp time, const TradingDayEnd& end) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(end.time_zone, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("time zone \"", end.time_zone, "\" is not known to this system"));
  }
  const absl::Time at = absl::FromUnixNanos(time.unix_nanos());
  const auto end_of = [&](absl::CivilDay day) {
    return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(),
                                             end.minute_of_day / 60, end.minute_of_day % 60, 0),
                           zone);
  };
  const absl::CivilDay day = absl::ToCivilDay(at, zone);
  absl::Time candidate = end_of(day);
  if (candidate <= at) candidate = end_of(day + 1);
  return core::Timestamp::FromUnixNanos(absl::ToUnixNanos(candidate));
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
  if (config.trading_day_end.has_value()) {
    const TradingDayEnd& end = *config.trading_day_end;
    if (end.minute_of_day < 0 || end.minute_of_day >= 24 * 60) {
      return absl::InvalidArgumentError(
          absl::StrCat("router trading_day_end must be a time of day from 00:00 to 23:59, got ",
                       end.minute_of_day, " minutes"));
    }
    if (absl::StatusOr<core::Timestamp> probe = TradingDayEndAfter(core::Timestamp{}, end);
        !probe.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("router time_zone: ", probe.status().message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace combo::router
