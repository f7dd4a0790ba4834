// Test helpers for accounts/: orders, fills and bookings with readable defaults, and a fresh
// journal path per test. Tests only; not thread-safe.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "accounts/events.h"
#include "gtest/gtest.h"

namespace combo::accounts::testing {

inline core::Price P(int64_t units, int64_t nanos = 0) {
  return core::Price::FromParts(units, nanos);
}
inline core::Timestamp T(int64_t seconds) {
  return core::Timestamp::FromUtc(2026, 11, 20, 14, 0, 0) + core::Duration::Seconds(seconds);
}

inline LegTerms CallLeg(uint32_t id, const std::string& symbol, int64_t ratio, core::Side side) {
  return LegTerms{core::InstrumentId(id), symbol, core::AssetClass::kOption, 100, ratio, side};
}
inline LegTerms StockLeg(uint32_t id, const std::string& symbol, int64_t ratio, core::Side side) {
  return LegTerms{core::InstrumentId(id), symbol, core::AssetClass::kStock, 1, ratio, side};
}
inline LegTerms FutureLeg(uint32_t id, const std::string& symbol, int64_t ratio, core::Side side) {
  return LegTerms{core::InstrumentId(id), symbol, core::AssetClass::kFuture, 50, ratio, side};
}

// Buy `quantity` of a 1:1 call vertical (#1 "A" bought, #2 "B" sold) for ACME.
inline OrderAccepted Vertical(uint64_t order, int64_t quantity,
                              core::Side side = core::Side::kBuy) {
  return OrderAccepted{
      core::OrderId(order),
      core::AccountId("ACME"),
      core::ClientOrderId(absl::StrCat("CL", order)),
      side,
      core::Quantity(quantity),
      P(2, 500'000'000),
      {CallLeg(1, "A", 1, core::Side::kBuy), CallLeg(2, "B", 1, core::Side::kSell)},
      T(0),
      "ACME",
      JournaledOrderType::kLimit,
      JournaledTimeInForce::kDay,
      std::nullopt};
}

inline LegFill Fill(uint64_t order, uint32_t instrument, core::Side side, int64_t quantity,
                    core::Price price, const std::string& execution_id) {
  return LegFill{core::OrderId(order),
                 core::VenueId(1),
                 execution_id,
                 core::InstrumentId(instrument),
                 side,
                 core::Quantity(quantity),
                 price,
                 T(1)};
}

inline ComboFillReported ComboFill(uint64_t order, int64_t units, core::Price price,
                                   std::vector<LegPrice> legs) {
  return ComboFillReported{core::OrderId(order), core::Quantity(units), price,
                           std::move(legs),      core::Money::Zero(),   T(2)};
}

inline ErrorAccountBooking ToErrorAccount(uint64_t order, uint32_t instrument, core::Side side,
                                          int64_t quantity, core::Price price,
                                          const std::string& reason = "leg timeout") {
  return ErrorAccountBooking{ErrorBookingKind::kLegInFailure,
                             core::OrderId(order),
                             core::InstrumentId(instrument),
                             side,
                             core::Quantity(quantity),
                             price,
                             reason,
                             T(3)};
}

// `count` stored cancels with consecutive sequence numbers from `first` (200-byte reasons), for
// tests of the journal itself.
inline std::vector<StoredEvent> CancelledEvents(uint64_t first, int count) {
  std::vector<StoredEvent> events;
  for (int i = 0; i < count; ++i) {
    events.push_back({first + static_cast<uint64_t>(i),
                      OrderCancelled{core::OrderId(first + static_cast<uint64_t>(i)),
                                     std::string(200, 'r'), T(i)}});
  }
  return events;
}

// A one-unit vertical whose record is large (a 300-character client order id), so that a
// journal with a page cap (JournalOptions::max_pages) fills in a few dozen orders.
inline OrderAccepted BulkyOrder(uint64_t order) {
  OrderAccepted bulky = Vertical(order, 1);
  bulky.client_order = core::ClientOrderId(std::string(300, 'c'));
  return bulky;
}

// A fresh, empty directory for this test's journal files.
inline std::string FreshDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string dir = absl::StrCat(::testing::TempDir(), "/combo_accounts_", getpid(), "_",
                                       info->test_suite_name(), "_", info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace combo::accounts::testing
