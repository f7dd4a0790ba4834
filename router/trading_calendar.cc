#include "router/trading_calendar.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::router {
namespace {

constexpr int32_t kSecondsPerDay = 24 * 3600;

absl::Status CheckClose(std::string_view what, int32_t close) {
  if (close >= 0 && close < kSecondsPerDay) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(core::AsAbsl(what), " must be a time of day from 00:00:00 to 23:59:59, got ",
                   close, " seconds"));
}

template <typename Map>
int32_t CloseOf(const Map& closes, std::string_view name, int32_t fallback) {
  auto it = closes.find(name);
  return it == closes.end() ? fallback : it->second;
}

}  // namespace

absl::Status ValidateTradingCalendarConfig(const TradingCalendarConfig& config) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(config.time_zone, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("calendar time_zone \"", config.time_zone, "\" is not known to this system"));
  }
  if (absl::Status s = CheckClose("calendar close", config.close); !s.ok()) return s;
  if (config.weekdays.empty()) {
    return absl::InvalidArgumentError("calendar weekdays: at least one weekday has a session");
  }
  for (const auto& [product, close] : config.product_closes) {
    if (absl::Status s = CheckClose(absl::StrCat("calendar close of product ", product), close);
        !s.ok())
      return s;
  }
  for (const auto& [venue, close] : config.venue_closes) {
    if (absl::Status s = CheckClose(absl::StrCat("calendar close of venue ", venue), close);
        !s.ok())
      return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<TradingCalendar> TradingCalendar::Create(TradingCalendarConfig config) {
  if (absl::Status s = ValidateTradingCalendarConfig(config); !s.ok()) return s;
  absl::TimeZone zone;
  absl::LoadTimeZone(config.time_zone, &zone);
  return TradingCalendar(std::move(config), zone);
}

bool TradingCalendar::IsTradingDay(absl::CivilDay day) const {
  return config_.weekdays.contains(absl::GetWeekday(day)) && !config_.holidays.contains(day);
}

absl::CivilDay TradingCalendar::LocalDate(core::Timestamp time) const {
  return absl::ToCivilDay(absl::FromUnixNanos(time.unix_nanos()), zone_);
}

core::Timestamp TradingCalendar::CloseAt(absl::CivilDay day, int32_t close) const {
  const absl::Time at =
      absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), close / 3600,
                                        close / 60 % 60, close % 60),
                      zone_);
  return core::Timestamp::FromUnixNanos(absl::ToUnixNanos(at));
}

core::Timestamp TradingCalendar::DayEndAfter(core::Timestamp time, int32_t close) const {
  // Every time from a computed `time` up to its end has that same end: the first trading day
  // closing after it can only be that day (an earlier one closed before `time` already).
  auto known = std::find_if(known_day_ends_.begin(), known_day_ends_.end(),
                            [close](const KnownDayEnd& day) { return day.close == close; });
  if (known == known_day_ends_.end()) {
    known =
        known_day_ends_.insert(known, KnownDayEnd{close, time, ComputeDayEndAfter(time, close)});
  } else if (time < known->from || time >= known->end) {
    *known = KnownDayEnd{close, time, ComputeDayEndAfter(time, close)};
  }
  return known->end;
}

core::Timestamp TradingCalendar::ComputeDayEndAfter(core::Timestamp time, int32_t close) const {
  absl::CivilDay day = LocalDate(time);
  // A year of holidays and weekends in a row is not a calendar: the bound only keeps a
  // misconfiguration from looping.
  for (int i = 0; i < 400; ++i, ++day) {
    if (!IsTradingDay(day)) continue;
    const core::Timestamp end = CloseAt(day, close);
    if (end > time) return end;
  }
  return CloseAt(day, close);
}

core::Timestamp TradingCalendar::ProductDayEndAfter(core::Timestamp time,
                                                    std::string_view product) const {
  return DayEndAfter(time, CloseOf(config_.product_closes, product, config_.close));
}

core::Timestamp TradingCalendar::VenueDayEndAfter(core::Timestamp time,
                                                  std::string_view venue) const {
  return DayEndAfter(time, CloseOf(config_.venue_closes, venue, config_.close));
}

core::Timestamp TradingCalendar::ProductCloseOn(absl::CivilDay date,
                                                std::string_view product) const {
  absl::CivilDay day = date;
  for (int i = 0; i < 400 && !IsTradingDay(day); ++i) --day;
  return CloseAt(day, CloseOf(config_.product_closes, product, config_.close));
}

}  // namespace combo::router
