// TradingCalendar: when a trading day ends, per product and per venue. Day orders expire at the
// close of the trading day they were accepted in, a good-till-date order at the close of its
// date, and each venue ends its day (cancelling its resting day orders) at its own close.
// Weekends (unless configured as trading weekdays) and the configured holidays are not trading
// days: an order accepted after Friday's
// close belongs to Monday's session (docs/ROUTER.md "Trading day").
// Not thread-safe: an instance remembers the day ends it computed (one thread uses it).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "core/time.h"

namespace combo::router {

struct TradingCalendarConfig {
  // An IANA zone name (America/New_York) or UTC: closes and dates are local to it.
  std::string time_zone = "UTC";
  // Seconds after local midnight at which the trading day ends (16:00 is 57,600).
  int32_t close = 16 * 3600;
  // The weekdays with a session (Monday to Friday unless configured).
  std::set<absl::Weekday> weekdays = {absl::Weekday::monday, absl::Weekday::tuesday,
                                      absl::Weekday::wednesday, absl::Weekday::thursday,
                                      absl::Weekday::friday};
  // Days without a session: day orders accepted on them belong to the next trading day.
  std::set<absl::CivilDay> holidays;
  // A product (an underlying's symbol: ES, SPY) whose session ends at another time.
  std::map<std::string, int32_t, std::less<>> product_closes;
  // A venue (by name) that ends its day at another time.
  std::map<std::string, int32_t, std::less<>> venue_closes;
  friend bool operator==(const TradingCalendarConfig&, const TradingCalendarConfig&) = default;
};

// Fails, naming the field, for a zone this system does not know or a close outside the day.
absl::Status ValidateTradingCalendarConfig(const TradingCalendarConfig& config);

class TradingCalendar {
 public:
  static absl::StatusOr<TradingCalendar> Create(TradingCalendarConfig config);

  const TradingCalendarConfig& config() const { return config_; }

  bool IsTradingDay(absl::CivilDay day) const;

  // The end of the trading day that `time` belongs to for `product`: the first close of a trading
  // day strictly after `time`.
  core::Timestamp ProductDayEndAfter(core::Timestamp time, std::string_view product) const;
  // The same for a venue's own day.
  core::Timestamp VenueDayEndAfter(core::Timestamp time, std::string_view venue) const;
  // Where a good-till-date order of `product` naming `date` expires: the close of that date, or
  // of the last trading day before it when the date has no session.
  core::Timestamp ProductCloseOn(absl::CivilDay date, std::string_view product) const;
  // The local calendar date of `time`.
  absl::CivilDay LocalDate(core::Timestamp time) const;

 private:
  TradingCalendar(TradingCalendarConfig config, absl::TimeZone zone)
      : config_(std::move(config)), zone_(zone) {}
  core::Timestamp CloseAt(absl::CivilDay day, int32_t close) const;
  core::Timestamp DayEndAfter(core::Timestamp time, int32_t close) const;
  core::Timestamp ComputeDayEndAfter(core::Timestamp time, int32_t close) const;

  TradingCalendarConfig config_;
  absl::TimeZone zone_;
  // Per close time, the last day end computed and the time it was computed for: a day's orders
  // all ask for the same end, and computing it converts civil times in the zone each time
  // (thousands of instructions on every order's path).
  struct KnownDayEnd {
    int32_t close = 0;
    core::Timestamp from;
    core::Timestamp end;
  };
  mutable std::vector<KnownDayEnd> known_day_ends_;
};

}  // namespace combo::router
