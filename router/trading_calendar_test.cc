#include "router/trading_calendar.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace combo::router {
namespace {

core::Timestamp Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return core::Timestamp::FromUnixNanos(absl::ToUnixNanos(
      absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone())));
}

TradingCalendar NewYork() {
  TradingCalendarConfig config;
  config.time_zone = "America/New_York";
  config.close = 16 * 3600;
  config.holidays = {absl::CivilDay(2026, 12, 25), absl::CivilDay(2027, 1, 1)};
  config.product_closes = {{"ES", 17 * 3600}};
  config.venue_closes = {{"FUT-A", 17 * 3600}};
  return TradingCalendar::Create(config).value();
}

// Monday 2026-12-07, New York is UTC-5 in December: the 16:00 close is 21:00 UTC.
TEST(TradingCalendar, ADayOrderBelongsToTheSessionWhoseCloseFollowsIt) {
  const TradingCalendar calendar = NewYork();
  EXPECT_EQ(calendar.ProductDayEndAfter(Utc(2026, 12, 7, 14, 30), "SPY"), Utc(2026, 12, 7, 21, 0));
  // The close itself and after belong to the next trading day.
  EXPECT_EQ(calendar.ProductDayEndAfter(Utc(2026, 12, 7, 21, 0), "SPY"), Utc(2026, 12, 8, 21, 0));
}

// The calendar remembers the day end it computed last for each close: whatever was asked
// before, in whatever order, each answer is the one a fresh calendar gives.
TEST(TradingCalendar, ADayEndIsTheSameWhateverWasAskedBefore) {
  const TradingCalendar calendar = NewYork();
  const std::vector<std::pair<core::Timestamp, std::string>> asked = {
      {Utc(2026, 12, 7, 14, 30), "SPY"}, {Utc(2026, 12, 7, 20, 59, 59), "SPY"},
      {Utc(2026, 12, 7, 21, 30), "ES"},  {Utc(2026, 12, 4, 15, 0), "SPY"},
      {Utc(2026, 12, 7, 14, 30), "SPY"}, {Utc(2026, 12, 7, 21, 0), "SPY"},
      {Utc(2026, 12, 7, 20, 0), "SPY"},  {Utc(2026, 12, 24, 22, 0), "SPY"},
      {Utc(2026, 12, 24, 20, 0), "SPY"}, {Utc(2026, 12, 27, 12, 0), "SPY"},
      {Utc(2026, 12, 7, 22, 0), "ES"},   {Utc(2026, 12, 7, 21, 59), "ES"}};
  for (const auto& [time, product] : asked) {
    SCOPED_TRACE(absl::StrCat(product, " at ", time.ToString()));
    EXPECT_EQ(calendar.ProductDayEndAfter(time, product),
              NewYork().ProductDayEndAfter(time, product));
  }
  EXPECT_EQ(calendar.ProductDayEndAfter(Utc(2026, 12, 24, 20, 0), "SPY"), Utc(2026, 12, 24, 21, 0));
  EXPECT_EQ(calendar.ProductDayEndAfter(Utc(2026, 12, 27, 12, 0), "SPY"), Utc(2026, 12, 28, 21, 0));
}

TEST(TradingCalendar, AProductWithItsOwnCloseEndsThen) {
  const TradingCalendar calendar = NewYork();
  EXPECT_EQ(calendar.ProductDayEndAfter(Utc(2026, 12, 7, 21, 30), "ES"), Utc(2026, 12, 7, 22, 0));
  EXPECT_EQ(calendar.VenueDayEndAfter(Utc(2026, 12, 7, 21, 30), "FUT-A"), Utc(2026, 12, 7, 22, 0));
  EXPECT_EQ(calendar.VenueDayEndAfter(Utc(2026, 12, 7, 21, 30), "OPT-A"), Utc(2026, 12, 8, 21, 0));
}

TEST(TradingCalendar, WeekendsAndHolidaysHaveNoSession) {
  const TradingCalendar calendar = NewYork();
  // Friday 2026-12-11 after the close -> Monday 2026-12-14.
  EXPECT_EQ(calendar.ProductDayEndAfter(Utc(2026, 12, 11, 22, 0), "SPY"), Utc(2026, 12, 14, 21, 0));
  // Thursday 2026-12-24 after the close -> Christmas is a holiday -> Monday 2026-12-28.
  EXPECT_EQ(calendar.ProductDayEndAfter(Utc(2026, 12, 24, 22, 0), "SPY"), Utc(2026, 12, 28, 21, 0));
  EXPECT_FALSE(calendar.IsTradingDay(absl::CivilDay(2026, 12, 25)));
  EXPECT_FALSE(calendar.IsTradingDay(absl::CivilDay(2026, 12, 26)));
  EXPECT_TRUE(calendar.IsTradingDay(absl::CivilDay(2026, 12, 28)));
}

TEST(TradingCalendar, ConfiguredWeekdaysHaveSessions) {
  TradingCalendarConfig config;
  config.weekdays.insert(absl::Weekday::sunday);
  const TradingCalendar calendar = TradingCalendar::Create(config).value();
  // Friday 2026-12-11 after the 16:00 UTC close -> Sunday 2026-12-13.
  EXPECT_EQ(calendar.ProductDayEndAfter(Utc(2026, 12, 11, 17, 0), "ES"), Utc(2026, 12, 13, 16, 0));
  config.weekdays.clear();
  EXPECT_FALSE(TradingCalendar::Create(config).ok());
}

TEST(TradingCalendar, TheCloseFollowsDaylightSavingTime) {
  const TradingCalendar calendar = NewYork();
  // In July New York is UTC-4: the close is 20:00 UTC.
  EXPECT_EQ(calendar.ProductDayEndAfter(Utc(2027, 7, 7, 14, 0), "SPY"), Utc(2027, 7, 7, 20, 0));
}

TEST(TradingCalendar, AGoodTillDateOnADayWithoutSessionEndsAtThePreviousClose) {
  const TradingCalendar calendar = NewYork();
  EXPECT_EQ(calendar.ProductCloseOn(absl::CivilDay(2026, 12, 18), "SPY"), Utc(2026, 12, 18, 21, 0));
  EXPECT_EQ(calendar.ProductCloseOn(absl::CivilDay(2026, 12, 25), "SPY"), Utc(2026, 12, 24, 21, 0));
}

TEST(TradingCalendar, AnUnknownZoneOrACloseOutsideTheDayIsRefused) {
  TradingCalendarConfig config;
  config.time_zone = "Nowhere/Land";
  EXPECT_FALSE(TradingCalendar::Create(config).ok());
  config = TradingCalendarConfig{};
  config.product_closes = {{"ES", -1}};
  const absl::StatusOr<TradingCalendar> refused = TradingCalendar::Create(config);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("close of product ES"), std::string::npos);
}

}  // namespace
}  // namespace combo::router
