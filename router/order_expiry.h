// When an order ends on its own: a day order at the close of its trading day, a good-till-date
// order at its expire time or at the close of its expire date (TradingCalendar). OrderExpiries
// is the schedule the router keeps of them, so that one timer, armed at the earliest, serves
// every order.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/time.h"
#include "router/order_entry.h"
#include "router/trading_calendar.h"

namespace combo::router {

// When `order`, accepted at `accepted_at`, expires: a day order at its day's close, a good-till-
// date order at its end, and any order at the latest when its earliest leg expires (a contract
// that stops trading takes its orders with it; GTC too). Absent for good till cancel on legs
// without expiry (and without a calendar); for a combo over several products, the earliest of
// their closes. Fails, with the text of the client's reject, for a good-till-date order whose
// end is already past or that names a date without a calendar to close it on, and for an order
// whose leg has already expired.
absl::StatusOr<std::optional<core::Timestamp>> ExpiryOf(const NewComboOrder& order,
                                                        core::Timestamp accepted_at,
                                                        const TradingCalendar* calendar,
                                                        const core::InstrumentCatalog& instruments);

// The close at which `order`'s earliest-expiring leg stops trading: the close of its expiry date
// in the calendar, for that leg's product. A leg may be an expired instrument (a restored order).
// Absent without a calendar or when no leg has an expiry.
struct LegExpiry {
  core::Timestamp at;
  std::string symbol;
};
std::optional<LegExpiry> EarliestLegExpiry(const NewComboOrder& order,
                                           const TradingCalendar* calendar,
                                           const core::InstrumentCatalog& instruments);

// The text of an expiry report at `at`: the order's time in force, or its leg's expiry.
std::string ExpiryReason(const NewComboOrder& order, core::Timestamp at,
                         const TradingCalendar* calendar,
                         const core::InstrumentCatalog& instruments);

class OrderExpiries {
 public:
  void Add(core::OrderId order, core::Timestamp at) { by_time_.emplace(at, order); }
  // The earliest expiry scheduled, if any.
  std::optional<core::Timestamp> Next() const;
  // Removes and returns the orders due at or before `now`, earliest first.
  std::vector<core::OrderId> TakeDue(core::Timestamp now);
  size_t size() const { return by_time_.size(); }

 private:
  std::multimap<core::Timestamp, core::OrderId> by_time_;
};

}  // namespace combo::router
