// Outgoing reports: MultilegReportingType 3 for the combo and 2 per leg, linked; leg prices
// reproduce the combo price exactly; CumQty, LeavesQty and AvgPx consistent.
#include "fix/reports.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/absl_compat.h"
#include "fix/fix_enums.h"
#include "fix/testing/gateway_harness.h"
#include "fix/translation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "quickfix/DataDictionary.h"
#include "quickfix/FixFieldNumbers.h"

namespace combo::fix {
namespace {

constexpr core::Timestamp kTime = core::Timestamp::FromUnixNanos(1'795'000'000'000'000'000);

class ReportsTest : public ::testing::Test {
 protected:
  ReportsTest()
      : catalog_(testing::TestCatalog()),
        builder_(catalog_, "T"),
        dictionary_(COMBO_FIX_DICTIONARY) {
    order_ = router::NewComboOrder{
        core::ClientId("BROKER1"),
        core::ClientOrderId("o1"),
        core::AccountId("ACC1"),
        *core::ComboSpec::Create({{core::InstrumentId(2), 1, core::Side::kBuy},
                                  {core::InstrumentId(3), 1, core::Side::kSell}}),
        core::Side::kBuy,
        core::Quantity(10),
        router::ComboOrderType::kLimit,
        core::Price::FromParts(2, 350'000'000),
        router::ComboTimeInForce::kDay};
    snapshot_.client = order_->client;
    snapshot_.client_order_id = order_->client_order_id;
    snapshot_.original_client_order_id = order_->client_order_id;
    snapshot_.order_id = core::OrderId(42);
    snapshot_.account = order_->account;
    snapshot_.side = core::Side::kBuy;
    for (const core::ComboLeg& leg : order_->combo.legs()) snapshot_.legs.push_back({leg, {}, {}});
    snapshot_.order_quantity = core::Quantity(10);
    snapshot_.leaves_quantity = core::Quantity(10);
    snapshot_.limit_price = order_->limit_price;
  }

  // Each message as the client sees it: serialized, parsed and validated with the dictionary.
  FIX::Message OverTheWire(FIX::Message message) {
    FIX::Header& header = message.getHeader();
    header.setField(FIX::FIELD::BeginString, "FIX.4.4");
    header.setField(FIX::FIELD::SenderCompID, "COMBO");
    header.setField(FIX::FIELD::TargetCompID, "BROKER1");
    header.setField(FIX::FIELD::MsgSeqNum, "5");
    header.setField(FIX::FIELD::SendingTime, "20261120-14:22:27.040");
    FIX::Message parsed(message.toString(), dictionary_, true);
    EXPECT_NO_THROW(dictionary_.validate(parsed)) << message.toString();
    return parsed;
  }

  router::ComboExecution Fill(int64_t units, core::Price price, core::Price long_leg,
                              core::Price short_leg) {
    snapshot_.cumulative_quantity += core::Quantity(units);
    snapshot_.leaves_quantity -= core::Quantity(units);
    snapshot_.status = snapshot_.leaves_quantity.is_zero()
                           ? router::ClientOrderStatus::kFilled
                           : router::ClientOrderStatus::kPartiallyFilled;
    router::ComboExecution execution;
    execution.order = snapshot_;
    execution.execution_id = 1;
    execution.last_quantity = core::Quantity(units);
    execution.last_price = price;
    execution.legs = {{core::InstrumentId(2), core::Side::kBuy, core::VenueId(3), long_leg,
                       core::Quantity(units)},
                      {core::InstrumentId(3), core::Side::kSell, core::VenueId(4), short_leg,
                       core::Quantity(units)}};
    execution.time = kTime;
    // The router adds each reported fill to the order's leg totals before reporting it.
    router::AddLegFills(snapshot_.legs, execution.legs);
    execution.order = snapshot_;
    return execution;
  }

  static core::Price PriceField(const FIX::FieldMap& map, int tag) {
    return *core::Price::Parse(map.getField(tag));
  }
  static int64_t IntField(const FIX::FieldMap& map, int tag) {
    int64_t value = 0;
    EXPECT_TRUE(absl::SimpleAtoi(core::AsAbsl(map.getField(tag)), &value)) << tag;
    return value;
  }

  core::InstrumentCatalog catalog_;
  ReportBuilder builder_;
  FIX::DataDictionary dictionary_;
  std::optional<router::NewComboOrder> order_;
  router::OrderSnapshot snapshot_;
};

TEST_F(ReportsTest, NewReportDescribesTheComboAndItsLegs) {
  const FIX::Message report = OverTheWire(builder_.OrderReport(snapshot_, '0', kTime, ""));
  EXPECT_EQ(report.getField(FIX::FIELD::ExecType), "0");
  EXPECT_EQ(report.getField(FIX::FIELD::OrdStatus), "0");
  EXPECT_EQ(report.getField(FIX::FIELD::MultiLegReportingType), "3");
  EXPECT_EQ(report.getField(FIX::FIELD::OrderID), "42");
  EXPECT_EQ(report.getField(FIX::FIELD::Price), "2.35");
  EXPECT_EQ(report.getField(FIX::FIELD::Account), "ACC1");
  ASSERT_EQ(report.groupCount(FIX::FIELD::NoLegs), 2u);
  EXPECT_EQ(report.getGroupRef(1, FIX::FIELD::NoLegs).getField(FIX::FIELD::LegSymbol), "SPY");
  EXPECT_EQ(report.getGroupRef(1, FIX::FIELD::NoLegs).getField(FIX::FIELD::LegStrikePrice), "450");
  EXPECT_EQ(report.getGroupRef(2, FIX::FIELD::NoLegs).getField(FIX::FIELD::LegSide), "2");
  EXPECT_EQ(IntField(report, FIX::FIELD::CumQty) + IntField(report, FIX::FIELD::LeavesQty),
            IntField(report, FIX::FIELD::OrderQty));
}

// The acknowledgement the core-thread acceptor sends from bytes (OrderReportBody) is, field for
// field, the report QuickFIX would send (OrderReport): parsed and validated with the dictionary,
// it serializes to the same message once both carry the same ExecID.
TEST_F(ReportsTest, AReportWrittenAsBodyBytesIsTheSameReportAsTheMessage) {
  auto same_report = [&](std::string_view text) {
    const FIX::Message message = OverTheWire(builder_.OrderReport(snapshot_, '0', kTime, text));
    std::string body;
    builder_.OrderReportBody(snapshot_, '0', kTime, text, body);
    const std::string after_length = absl::StrCat(
        "35=8\x01"
        "34=5\x01"
        "49=COMBO\x01"
        "52=20261120-14:22:27.040\x01"
        "56=BROKER1\x01",
        body);
    std::string wire = absl::StrCat(
        "8=FIX.4.4\x01"
        "9=",
        after_length.size(), "\x01", after_length);
    unsigned checksum = 0;
    for (const char c : wire) checksum += static_cast<unsigned char>(c);
    absl::StrAppend(&wire, "10=", absl::Dec(checksum % 256, absl::kZeroPad3), "\x01");
    FIX::Message parsed(wire, dictionary_, true);
    EXPECT_NO_THROW(dictionary_.validate(parsed)) << wire;
    FIX::Message expected = message;
    expected.setField(FIX::FIELD::ExecID, "E");
    parsed.setField(FIX::FIELD::ExecID, "E");
    EXPECT_EQ(parsed.toString(), expected.toString());
  };
  same_report("");
  // With every optional field: a replaced order's OrigClOrdID, a SecurityID, a fill, a Text.
  snapshot_.original_client_order_id = core::ClientOrderId("o0");
  snapshot_.security_id = core::ComboId(7);
  snapshot_.cumulative_quantity = core::Quantity(4);
  snapshot_.leaves_quantity = core::Quantity(6);
  snapshot_.average_price = core::Price::FromParts(2, 300'000'000);
  same_report("replaced; a=b;c");
}

// docs/FIX.md: a venue's AOP repriced the native order; the client's terms stand.
TEST_F(ReportsTest, AnAopRestatementIsExecTypeRestatedWithRepricingAndTheWorkingPriceInText) {
  const router::ComboOrderRestated restated{
      snapshot_, *core::Price::Parse("2.30"),
      "venue 2 AOP aop_top_of_book: working at 2.3 (limit 2.35)", kTime};
  const FIX::Message report = OverTheWire(builder_.Restated(restated));
  EXPECT_EQ(report.getField(FIX::FIELD::ExecType), "D");
  EXPECT_EQ(report.getField(FIX::FIELD::ExecRestatementReason), "3");
  EXPECT_EQ(report.getField(FIX::FIELD::OrdStatus), "0");
  EXPECT_EQ(report.getField(FIX::FIELD::Price), "2.35");
  EXPECT_EQ(report.getField(FIX::FIELD::Text),
            "venue 2 AOP aop_top_of_book: working at 2.3 (limit 2.35)");
  EXPECT_EQ(ExecTypeName(report.getField(FIX::FIELD::ExecType)), "Restated");
}

TEST_F(ReportsTest, FillReportsLegsLinkedToTheComboAndReproducingItsPrice) {
  // 2.35 = 5.10 - 2.75, at weights 1 and 1.
  const std::vector<FIX::Message> messages = builder_.Execution(
      Fill(4, core::Price::FromParts(2, 350'000'000), core::Price::FromParts(5, 100'000'000),
           core::Price::FromParts(2, 750'000'000)));
  ASSERT_EQ(messages.size(), 3u);
  const FIX::Message combo = OverTheWire(messages[0]);
  EXPECT_EQ(combo.getField(FIX::FIELD::ExecType), "F");
  EXPECT_EQ(combo.getField(FIX::FIELD::OrdStatus), "1");
  EXPECT_EQ(combo.getField(FIX::FIELD::MultiLegReportingType), "3");
  EXPECT_EQ(combo.getField(FIX::FIELD::LastQty), "4");
  EXPECT_EQ(combo.getField(FIX::FIELD::LastPx), "2.35");
  EXPECT_EQ(IntField(combo, FIX::FIELD::CumQty), 4);
  EXPECT_EQ(IntField(combo, FIX::FIELD::LeavesQty), 6);
  const std::string exec_id = combo.getField(FIX::FIELD::ExecID);

  core::Price reproduced = core::Price::Zero();
  ASSERT_EQ(combo.groupCount(FIX::FIELD::NoLegs), 2u);
  for (int i = 1; i <= 2; ++i) {
    const FIX::FieldMap& entry = combo.getGroupRef(i, FIX::FIELD::NoLegs);
    const FIX::Message leg = OverTheWire(messages[static_cast<size_t>(i)]);
    EXPECT_EQ(leg.getField(FIX::FIELD::MultiLegReportingType), "2");
    EXPECT_EQ(leg.getField(FIX::FIELD::SecondaryExecID), exec_id);
    EXPECT_EQ(leg.getField(FIX::FIELD::ExecID), entry.getField(FIX::FIELD::LegRefID));
    EXPECT_EQ(leg.getField(FIX::FIELD::OrderID), combo.getField(FIX::FIELD::OrderID));
    EXPECT_EQ(leg.getField(FIX::FIELD::ClOrdID), "o1");
    EXPECT_EQ(PriceField(leg, FIX::FIELD::LastPx), PriceField(entry, FIX::FIELD::LegLastPx));
    EXPECT_EQ(IntField(leg, FIX::FIELD::LastQty), IntField(entry, FIX::FIELD::LegQty));
    EXPECT_EQ(IntField(leg, FIX::FIELD::CumQty) + IntField(leg, FIX::FIELD::LeavesQty),
              IntField(leg, FIX::FIELD::OrderQty));
    const int sign = leg.getField(FIX::FIELD::Side) == "1" ? 1 : -1;
    reproduced += PriceField(leg, FIX::FIELD::LastPx) * sign;  // weights are 1
  }
  EXPECT_EQ(reproduced, PriceField(combo, FIX::FIELD::LastPx));
  EXPECT_EQ(combo.getGroupRef(1, FIX::FIELD::NoLegs).getField(FIX::FIELD::LegStrikePrice), "450");
  EXPECT_EQ(OverTheWire(messages[1]).getField(FIX::FIELD::LastMkt), "3");
}

TEST_F(ReportsTest, LegAveragePriceIsTheExactAverageOfItsFills) {
  builder_.Execution(Fill(4, core::Price::FromParts(2, 350'000'000),
                          core::Price::FromParts(5, 100'000'000),
                          core::Price::FromParts(2, 750'000'000)));
  const std::vector<FIX::Message> second = builder_.Execution(
      Fill(6, core::Price::FromParts(2, 300'000'000), core::Price::FromParts(5, 0),
           core::Price::FromParts(2, 700'000'000)));
  const FIX::Message combo = OverTheWire(second[0]);
  EXPECT_EQ(combo.getField(FIX::FIELD::OrdStatus), "2");
  EXPECT_EQ(IntField(combo, FIX::FIELD::CumQty), 10);
  EXPECT_EQ(IntField(combo, FIX::FIELD::LeavesQty), 0);
  const FIX::Message long_leg = OverTheWire(second[1]);
  // (4 x 5.10 + 6 x 5.00) / 10 = 5.04.
  EXPECT_EQ(long_leg.getField(FIX::FIELD::AvgPx), "5.04");
  EXPECT_EQ(IntField(long_leg, FIX::FIELD::CumQty), 10);
  EXPECT_EQ(IntField(long_leg, FIX::FIELD::LeavesQty), 0);
  const FIX::Message short_leg = OverTheWire(second[2]);
  // (4 x 2.75 + 6 x 2.70) / 10 = 2.72.
  EXPECT_EQ(short_leg.getField(FIX::FIELD::AvgPx), "2.72");
}

TEST_F(ReportsTest, RejectAndCancelRejectAndDefinitionAreValidFix) {
  router::ComboOrderRejected rejected{order_->client,
                                      order_->client_order_id,
                                      router::RejectReason::kDuplicateClientOrderId,
                                      "duplicate ClOrdID \"o1\"",
                                      kTime,
                                      router::RejectedRequest::kNewOrder,
                                      order_};
  const FIX::Message reject = OverTheWire(builder_.Rejected(rejected));
  EXPECT_EQ(reject.getField(FIX::FIELD::ExecType), "8");
  EXPECT_EQ(reject.getField(FIX::FIELD::OrdRejReason), "6");
  EXPECT_EQ(reject.getField(FIX::FIELD::Text), "duplicate ClOrdID \"o1\"");

  router::CancelRejected cancel_rejected{order_->client,
                                         core::ClientOrderId("c1"),
                                         core::ClientOrderId("zz"),
                                         router::CancelRejectResponseTo::kCancel,
                                         router::RejectReason::kUnknownOrder,
                                         "unknown order",
                                         std::nullopt,
                                         kTime};
  const FIX::Message cxl = OverTheWire(builder_.CancelReject(cancel_rejected));
  EXPECT_EQ(cxl.getField(FIX::FIELD::CxlRejReason), "1");
  EXPECT_EQ(cxl.getField(FIX::FIELD::CxlRejResponseTo), "1");

  router::ComboDefinition definition{core::ComboId(7), core::Canonicalize(order_->combo), 100};
  const FIX::Message d =
      OverTheWire(builder_.SecurityDefinition(DefineComboRequest{"d1", order_->combo}, definition));
  EXPECT_EQ(d.getField(FIX::FIELD::SecurityID), "7");
  EXPECT_EQ(d.getField(FIX::FIELD::ContractMultiplier), "100");
  EXPECT_EQ(d.getField(FIX::FIELD::SecurityResponseType), "1");

  router::ComboQuote quote{
      core::ComboId(7),
      router::ComboQuoteSide{
          core::Price::FromParts(2, 300'000'000), core::Quantity(5), {core::VenueId(2)}},
      router::ComboQuoteSide{core::Price::FromParts(2, 400'000'000), core::Quantity(8), {}}, kTime};
  const FIX::Message w = OverTheWire(builder_.MarketData("m1", quote, true, true));
  ASSERT_EQ(w.groupCount(FIX::FIELD::NoMDEntries), 2u);
  EXPECT_EQ(w.getGroupRef(1, FIX::FIELD::NoMDEntries).getField(FIX::FIELD::MDMkt), "2");
  EXPECT_EQ(w.getGroupRef(2, FIX::FIELD::NoMDEntries).getField(FIX::FIELD::MDMkt), "IMPLIED");
  EXPECT_EQ(w.getGroupRef(2, FIX::FIELD::NoMDEntries).getField(FIX::FIELD::MDEntryPx), "2.4");
  InboundReject depth;
  depth.channel = RejectChannel::kMarketDataReject;
  depth.request_id = "m2";
  depth.ref_tag = FIX::FIELD::MarketDepth;
  depth.text = "MarketDepth(264) \"0\" is not supported";
  const FIX::Message y = OverTheWire(builder_.FromInboundReject(depth));
  EXPECT_EQ(y.getField(FIX::FIELD::MDReqRejReason), "5");
  EXPECT_EQ(y.getField(FIX::FIELD::MDReqID), "m2");
  const FIX::Message empty = OverTheWire(builder_.MarketData(
      "m1", router::ComboQuote{core::ComboId(7), std::nullopt, std::nullopt, kTime}, true, true));
  EXPECT_EQ(empty.getField(FIX::FIELD::NoMDEntries), "0");
}

// Seed 003 R4: the definition's multiplier is that of the legs it returns. A 2:2 request is
// defined as the 1:1 combo (multiplier 100), and the Text says one requested unit is 2 of it.
TEST_F(ReportsTest, R4ADefinitionsMultiplierAndLegsDescribeTheSameCombo) {
  const core::ComboSpec two_two =
      *core::ComboSpec::Create({{core::InstrumentId(2), 2, core::Side::kBuy},
                                {core::InstrumentId(3), 2, core::Side::kSell}});
  router::ComboDefinition definition{core::ComboId(7), core::Canonicalize(two_two), 100};
  const FIX::Message d =
      OverTheWire(builder_.SecurityDefinition(DefineComboRequest{"d22", two_two}, definition));
  EXPECT_EQ(d.getField(FIX::FIELD::SecurityResponseType), "2");
  EXPECT_EQ(d.getField(FIX::FIELD::ContractMultiplier), "100");
  ASSERT_EQ(d.groupCount(FIX::FIELD::NoLegs), 2u);
  EXPECT_EQ(d.getGroupRef(1, FIX::FIELD::NoLegs).getField(FIX::FIELD::LegRatioQty), "1");
  EXPECT_EQ(d.getGroupRef(2, FIX::FIELD::NoLegs).getField(FIX::FIELD::LegRatioQty), "1");
  EXPECT_THAT(d.getField(FIX::FIELD::Text),
              ::testing::HasSubstr("one unit as requested is 2 units of this combo"));
  EXPECT_FALSE(d.isSetField(FIX::FIELD::SecuritySubType));

  // A strategy template's name and underlying come back with it.
  const core::ComboSpec butterfly =
      *core::ComboSpec::Create({{core::InstrumentId(2), 1, core::Side::kBuy},
                                {core::InstrumentId(6), 2, core::Side::kSell},
                                {core::InstrumentId(3), 1, core::Side::kBuy}});
  router::ComboDefinition fly{core::ComboId(8), core::Canonicalize(butterfly), 100};
  const FIX::Message s = OverTheWire(builder_.SecurityDefinition(
      DefineComboRequest{"s1", butterfly, StrategyTemplate{pricing::Strategy::kButterfly, "SPY"}},
      fly));
  EXPECT_EQ(s.getField(FIX::FIELD::SecuritySubType), "butterfly");
  EXPECT_EQ(s.getField(FIX::FIELD::Symbol), "SPY");
  EXPECT_EQ(s.getField(FIX::FIELD::SecurityID), "8");
  // Canonical order is by instrument id (2, 3, 6): reordered, so "with revisions".
  EXPECT_EQ(s.getField(FIX::FIELD::SecurityResponseType), "2");
  EXPECT_EQ(s.getGroupRef(3, FIX::FIELD::NoLegs).getField(FIX::FIELD::LegRatioQty), "2");
  EXPECT_EQ(s.getGroupRef(3, FIX::FIELD::NoLegs).getField(FIX::FIELD::LegSide), "2");
  EXPECT_THAT(s.getField(FIX::FIELD::Text), ::testing::Not(::testing::HasSubstr("units")));
}

// Every report of a combo order states the multiplier of its legs (seed 003 R4); a fill states
// the commission booked for it (seed 003 R18), exact, as an absolute amount.
TEST_F(ReportsTest, R18FillReportsCarryTheCommissionAndEveryReportTheMultiplier) {
  snapshot_.combo_multiplier = 200;
  const FIX::Message report = OverTheWire(builder_.OrderReport(snapshot_, '0', kTime, ""));
  EXPECT_EQ(report.getField(FIX::FIELD::ContractMultiplier), "200");
  EXPECT_FALSE(report.isSetField(FIX::FIELD::Commission));

  router::ComboExecution execution =
      Fill(4, core::Price::FromParts(2, 350'000'000), core::Price::FromParts(5, 100'000'000),
           core::Price::FromParts(2, 750'000'000));
  execution.commission = core::Money::FromPrice(core::Price::FromParts(6, 700'000'000));
  const std::vector<FIX::Message> messages = builder_.Execution(execution);
  const FIX::Message combo = OverTheWire(messages[0]);
  EXPECT_EQ(combo.getField(FIX::FIELD::Commission), "6.7");
  EXPECT_EQ(combo.getField(FIX::FIELD::CommType), "3");
  EXPECT_EQ(combo.getField(FIX::FIELD::ContractMultiplier), "200");
  // The legs' own reports carry no second charge.
  EXPECT_FALSE(OverTheWire(messages[1]).isSetField(FIX::FIELD::Commission));

  // No accounts, nothing booked: no commission field rather than a zero.
  execution.commission.reset();
  EXPECT_FALSE(OverTheWire(builder_.Execution(execution)[0]).isSetField(FIX::FIELD::Commission));
}

}  // namespace
}  // namespace combo::fix

namespace combo::fix {
namespace {

// FIX UTCTimestamp to the millisecond, computed without a time zone lookup: the same text as
// absl's formatting, over leap days, century years, both sides of 1970 and to 2262.
TEST(FixTimestampTest, MatchesTheCivilUtcTimeToTheMillisecond) {
  const auto expected = [](int64_t unix_nanos) {
    return absl::FormatTime("%Y%m%d-%H:%M:%E3S", absl::FromUnixNanos(unix_nanos),
                            absl::UTCTimeZone());
  };
  EXPECT_EQ(FixTimestamp(core::Timestamp::FromUnixNanos(0)), "19700101-00:00:00.000");
  const int64_t leap_day_end = 1'709'251'199'999'000'000;  // 2024-02-29 23:59:59.999
  EXPECT_EQ(FixTimestamp(core::Timestamp::FromUnixNanos(leap_day_end)), "20240229-23:59:59.999");
  EXPECT_EQ(FixTimestamp(core::Timestamp::FromUnixNanos(-1)), "19691231-23:59:59.999");
  for (int64_t nanos = -2'000'000'000'000'000'000; nanos < 9'200'000'000'000'000'000;
       nanos += 987'654'321'098'765) {
    ASSERT_EQ(FixTimestamp(core::Timestamp::FromUnixNanos(nanos)), expected(nanos)) << nanos;
  }
}

}  // namespace
}  // namespace combo::fix
