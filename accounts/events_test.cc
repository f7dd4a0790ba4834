#include "accounts/events.h"

#include "accounts/test_util.h"
#include "gtest/gtest.h"

namespace combo::accounts {
namespace {

using testing::P;
using testing::T;

std::vector<JournalEvent> OneOfEach() {
  std::vector<JournalEvent> events;
  OrderAccepted accepted = testing::Vertical(7, 5);
  accepted.client_order = core::ClientOrderId("odd;id=100%");
  events.push_back(accepted);
  accepted.client = "BROKER1";
  accepted.time_in_force = JournaledTimeInForce::kGoodTillCancel;
  accepted.security_id = core::ComboId(4);
  events.push_back(accepted);
  events.push_back(testing::Fill(7, 1, core::Side::kBuy, 3, P(1, 250'000'000), "X-1"));
  ComboFillReported fill = testing::ComboFill(
      7, 3, P(-0, 50'000'000),
      {{core::InstrumentId(1), P(1, 250'000'000)}, {core::InstrumentId(2), P(1, 300'000'000)}});
  fill.commission = core::Money::FromRaw(absl::MakeInt128(3, 17));
  events.push_back(fill);
  events.push_back(testing::ToErrorAccount(7, 1, core::Side::kBuy, 2, P(1), "line\nbreak"));
  events.push_back(OrderCancelled{core::OrderId(7), "client request", T(4)});
  events.push_back(OrderReplaced{core::OrderId(7), core::ClientOrderId("CL7R"), core::Quantity(9),
                                 P(-1, -250'000'000), T(5)});
  events.push_back(MarksRecorded{{{core::InstrumentId(1), P(1, 5)}}, T(6)});
  events.push_back(ComboDefined{core::ComboId(4), testing::Vertical(7, 5).legs, T(7)});
  return events;
}

TEST(EventsTest, OrderAcceptedWrittenBeforeTheRestoreFieldsReadsWithDefaults) {
  // A record as schema version 2 wrote it: no client, type, time in force or SecurityID.
  const std::string old_record =
      "v=1;order=7;account=ACME;client_order=CL7;side=buy;quantity=5;limit=2500000000;time=0;"
      "legs=2;leg0.instrument=1;leg0.symbol=A;leg0.asset_class=option;leg0.multiplier=100;"
      "leg0.ratio=1;leg0.side=buy;leg1.instrument=2;leg1.symbol=B;leg1.asset_class=option;"
      "leg1.multiplier=100;leg1.ratio=1;leg1.side=sell;";
  auto decoded = DecodePayload(EventKind::kOrderAccepted, old_record);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  const auto& accepted = std::get<OrderAccepted>(*decoded);
  EXPECT_EQ(accepted.client, "ACME");
  EXPECT_EQ(accepted.type, JournaledOrderType::kLimit);
  EXPECT_EQ(accepted.time_in_force, JournaledTimeInForce::kDay);
  EXPECT_FALSE(accepted.security_id.has_value());
  EXPECT_EQ(accepted.legs, testing::Vertical(7, 5).legs);
}

TEST(EventsTest, EveryEventKindRoundTripsThroughItsRecord) {
  for (const JournalEvent& event : OneOfEach()) {
    SCOPED_TRACE(ToString(KindOf(event)));
    auto decoded = DecodePayload(KindOf(event), EncodePayload(event));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_TRUE(*decoded == event);
  }
}

TEST(EventsTest, EventKindNamesRoundTrip) {
  for (const JournalEvent& event : OneOfEach()) {
    auto kind = ParseEventKind(ToString(KindOf(event)));
    ASSERT_TRUE(kind.ok());
    EXPECT_EQ(*kind, KindOf(event));
  }
  EXPECT_FALSE(ParseEventKind("order_teleported").ok());
}

TEST(EventsTest, MissingFieldIsNamedInTheError) {
  const std::string record = EncodePayload(testing::Fill(7, 1, core::Side::kBuy, 3, P(1), "X"));
  std::string without_price = record;
  without_price.erase(without_price.find("price="),
                      record.find(';', record.find("price=")) - record.find("price=") + 1);
  auto decoded = DecodePayload(EventKind::kLegFill, without_price);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("'price' missing"), std::string::npos)
      << decoded.status();
}

TEST(EventsTest, RecordOfANewerFormatIsRefused) {
  auto decoded = DecodePayload(EventKind::kOrderCancelled, "v=2;order=1;reason=x;time=0;");
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("version 2"), std::string::npos);
}

TEST(EventsTest, MalformedRecordsAreRefused) {
  EXPECT_FALSE(DecodePayload(EventKind::kOrderCancelled, "v=1;order=1;reason=x;time=0").ok());
  EXPECT_FALSE(DecodePayload(EventKind::kOrderCancelled, "v=1;order=one;reason=x;time=0;").ok());
  EXPECT_FALSE(DecodePayload(EventKind::kOrderCancelled, "v=1;order=1;reason=%G1;time=0;").ok());
  EXPECT_FALSE(DecodePayload(EventKind::kLegFill, "garbage").ok());
}

TEST(EventsTest, MoneyRawTextRoundTripsBeyondSixtyFourBits) {
  for (core::Money m : {core::Money::Zero(), core::Money::FromRaw(-1),
                        core::Money::FromRaw(absl::MakeInt128(123456, 789)),
                        -core::Money::FromRaw(absl::MakeInt128(99, 1))}) {
    auto back = MoneyFromRawText(MoneyToRawText(m));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, m);
  }
  EXPECT_FALSE(MoneyFromRawText("12a").ok());
  EXPECT_FALSE(MoneyFromRawText("").ok());
}

}  // namespace
}  // namespace combo::accounts
