#include "accounts/report.h"

#include "accounts/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace combo::accounts {
namespace {

using core::Side;
using ::testing::HasSubstr;
using testing::P;
using testing::T;

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ComboFillReported fill = testing::ComboFill(
        1, 6, P(2), {{core::InstrumentId(1), P(3)}, {core::InstrumentId(2), P(1)}});
    fill.commission = core::Money::FromPrice(P(4, 900'000'000));
    events_ = {
        {1, testing::Vertical(1, 10)},
        {2, testing::Fill(1, 1, Side::kBuy, 10, P(3), "A-1")},
        {3, testing::Fill(1, 2, Side::kSell, 6, P(1), "B-1")},
        {4, fill},
        {5, testing::ToErrorAccount(1, 1, Side::kBuy, 4, P(3), "leg \"B\" timed out")},
        {6, MarksRecorded{{{core::InstrumentId(1), P(3, 200'000'000)}}, T(10)}},
    };
    auto ledger = ReplayJournal(events_);
    ASSERT_TRUE(ledger.ok()) << ledger.status();
    ledger_ = *std::move(ledger);
  }
  std::vector<StoredEvent> events_;
  Ledger ledger_;
};

TEST_F(ReportTest, PositionsTableListsEachSubAccountPosition) {
  const std::string table = PositionsReport(ledger_, ReportFormat::kTable);
  EXPECT_THAT(table,
              HasSubstr("ACME     options      A              6          3             0\n"
                        "ACME     options      B             -6          1             0\n"));
  EXPECT_THAT(table, HasSubstr("ACME          1          4.9\n"));
}

TEST_F(ReportTest, PositionsJsonCarriesExactDecimals) {
  const std::string json = PositionsReport(ledger_, ReportFormat::kJson);
  EXPECT_THAT(json, HasSubstr(R"("account":"ACME","commissions":"4.9","trades":1)"));
  EXPECT_THAT(json,
              HasSubstr(R"({"sub_account":"options","instrument":2,"symbol":"B","quantity":-6,)"
                        R"("average_price":"1","realized_pnl":"0"})"));
}

TEST_F(ReportTest, ErrorAccountShowsPnlAtTheJournaledMarks) {
  const std::string table = ErrorAccountReport(ledger_, ReportFormat::kTable);
  EXPECT_THAT(table, HasSubstr("unrealized P&L 80"));
  EXPECT_THAT(table, HasSubstr("leg_in_failure"));
  const std::string json = ErrorAccountReport(ledger_, ReportFormat::kJson);
  EXPECT_THAT(json, HasSubstr(R"("mark":"3.2","realized_pnl":"0","unrealized_pnl":"80")"));
  EXPECT_THAT(json, HasSubstr(R"("reason":"leg \"B\" timed out")"));
}

TEST_F(ReportTest, TradesShowOneTradePerComboFillWithItsLegs) {
  auto table = TradesReport(ledger_, core::AccountId("ACME"), ReportFormat::kTable);
  ASSERT_TRUE(table.ok());
  EXPECT_THAT(*table, HasSubstr("CL1"));
  auto json = TradesReport(ledger_, core::AccountId("ACME"), ReportFormat::kJson);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr(R"("units":6,"price":"2","commission":"4.9","legs":[)"));
  EXPECT_EQ(TradesReport(ledger_, core::AccountId("NOBODY"), ReportFormat::kTable).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ReportTest, OrderHistoryListsTheOrdersEventsInOrder) {
  std::vector<StoredEvent> order_events(events_.begin(), events_.begin() + 5);
  auto table = OrderHistoryReport(ledger_, order_events, core::OrderId(1), ReportFormat::kTable);
  ASSERT_TRUE(table.ok());
  EXPECT_THAT(*table, HasSubstr("filled 6, partially_filled"));
  EXPECT_THAT(*table, HasSubstr("leg fill sell 6 B @ 1 at venue 1 (B-1)"));
  EXPECT_LT(table->find("order_accepted"), table->find("combo_fill_reported"));
  auto json = OrderHistoryReport(ledger_, order_events, core::OrderId(1), ReportFormat::kJson);
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr(R"("state":"partially_filled")"));
  EXPECT_EQ(OrderHistoryReport(ledger_, {}, core::OrderId(2), ReportFormat::kJson).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace combo::accounts
