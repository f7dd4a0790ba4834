#include "router/order_expiry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace combo::router {

namespace {

const core::Instrument* FindAny(const core::InstrumentCatalog& instruments, core::InstrumentId id) {
  const core::Instrument* instrument = instruments.Find(id);
  return instrument != nullptr ? instrument : instruments.FindExpired(id);
}

// The time in force's own end (absent: good till cancel, or a day order without a calendar).
absl::StatusOr<std::optional<core::Timestamp>> TimeInForceEnd(
    const NewComboOrder& order, core::Timestamp accepted_at, const TradingCalendar* calendar,
    const core::InstrumentCatalog& instruments) {
  const bool day = order.time_in_force == ComboTimeInForce::kDay;
  const bool good_till_date = order.time_in_force == ComboTimeInForce::kGoodTillDate;
  if (!day && !good_till_date) return std::optional<core::Timestamp>();
  if (good_till_date && order.expire_time.has_value()) {
    if (*order.expire_time <= accepted_at) {
      return absl::InvalidArgumentError(
          absl::StrCat("expire time ", order.expire_time->ToString(), " is already past"));
    }
    return std::optional<core::Timestamp>(*order.expire_time);
  }
  if (calendar == nullptr) {
    if (day) return std::optional<core::Timestamp>();
    return absl::InvalidArgumentError(
        "a good-till-date order naming a date needs a trading calendar (the daemon's calendar "
        "section) to know when that date's session closes; send ExpireTime instead");
  }
  if (good_till_date && !order.expire_date.has_value()) {
    return absl::InvalidArgumentError("a good-till-date order needs an expire time or date");
  }
  std::optional<core::Timestamp> earliest;
  for (const core::ComboLeg& leg : order.combo.legs()) {
    const core::Instrument* instrument = FindAny(instruments, leg.instrument);
    const std::string product = instrument == nullptr ? std::string() : instrument->underlying();
    const core::Timestamp close = day ? calendar->ProductDayEndAfter(accepted_at, product)
                                      : calendar->ProductCloseOn(*order.expire_date, product);
    earliest = earliest.has_value() ? std::min(*earliest, close) : close;
  }
  if (good_till_date && earliest.has_value() && *earliest <= accepted_at) {
    const absl::CivilDay date = *order.expire_date;
    return absl::InvalidArgumentError(absl::StrCat("expire date ", absl::FormatCivilTime(date),
                                                   " has no session left: it closed at ",
                                                   earliest->ToString()));
  }
  return earliest;
}

}  // namespace

std::optional<LegExpiry> EarliestLegExpiry(const NewComboOrder& order,
                                           const TradingCalendar* calendar,
                                           const core::InstrumentCatalog& instruments) {
  if (calendar == nullptr) return std::nullopt;
  std::optional<LegExpiry> earliest;
  for (const core::ComboLeg& leg : order.combo.legs()) {
    const core::Instrument* instrument = FindAny(instruments, leg.instrument);
    if (instrument == nullptr || !instrument->expiry().has_value()) continue;
    const core::Timestamp close =
        calendar->ProductCloseOn(*instrument->expiry(), instrument->underlying());
    if (!earliest.has_value() || close < earliest->at) {
      earliest = LegExpiry{close, instrument->symbol()};
    }
  }
  return earliest;
}

absl::StatusOr<std::optional<core::Timestamp>> ExpiryOf(
    const NewComboOrder& order, core::Timestamp accepted_at, const TradingCalendar* calendar,
    const core::InstrumentCatalog& instruments) {
  absl::StatusOr<std::optional<core::Timestamp>> end =
      TimeInForceEnd(order, accepted_at, calendar, instruments);
  if (!end.ok()) return end;
  const std::optional<LegExpiry> leg = EarliestLegExpiry(order, calendar, instruments);
  if (!leg.has_value()) return end;
  if (leg->at <= accepted_at) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leg ", leg->symbol, " has expired: it stopped trading at ", leg->at.ToString()));
  }
  return std::optional<core::Timestamp>(end->has_value() ? std::min(**end, leg->at) : leg->at);
}

std::string ExpiryReason(const NewComboOrder& order, core::Timestamp at,
                         const TradingCalendar* calendar,
                         const core::InstrumentCatalog& instruments) {
  if (const std::optional<LegExpiry> leg = EarliestLegExpiry(order, calendar, instruments);
      leg.has_value() && leg->at <= at) {
    return absl::StrCat("expired: leg ", leg->symbol, " stopped trading at its expiry close ",
                        leg->at.ToString());
  }
  if (order.time_in_force == ComboTimeInForce::kGoodTillDate) {
    return absl::StrCat("expired: good till ", at.ToString());
  }
  return absl::StrCat("expired: its trading day ended at ", at.ToString());
}

std::optional<core::Timestamp> OrderExpiries::Next() const {
  if (by_time_.empty()) return std::nullopt;
  return by_time_.begin()->first;
}

std::vector<core::OrderId> OrderExpiries::TakeDue(core::Timestamp now) {
  std::vector<core::OrderId> due;
  auto end = by_time_.upper_bound(now);
  for (auto it = by_time_.begin(); it != end; ++it) due.push_back(it->second);
  by_time_.erase(by_time_.begin(), end);
  return due;
}

}  // namespace combo::router
