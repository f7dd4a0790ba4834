// Translation of inbound messages: every way a broker's message can be malformed or
// unsupported gets a reject on the right channel with a Text naming the problem.
#include "fix/translation.h"

#include <memory>
#include <string>

#include "fix/client.h"
#include "fix/testing/gateway_harness.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "quickfix/DataDictionary.h"
#include "quickfix/FixFieldNumbers.h"

namespace combo::fix {
namespace {

using ::testing::HasSubstr;

constexpr core::Timestamp kTime = core::Timestamp::FromUnixNanos(1'795'000'000'000'000'000);

class TranslationTest : public ::testing::Test {
 protected:
  TranslationTest() : catalog_(testing::TestCatalog()), dictionary_(COMBO_FIX_DICTIONARY) {
    dictionary_.checkUserDefinedFields(true);
    dictionary_.allowUnknownMsgFields(false);
    context_.client = core::ClientId("BROKER1");
    context_.default_account = core::AccountId("ACC1");
    context_.instruments = &catalog_;
    context_.max_legs = 4;
    context_.find_combo = [this](core::ComboId id) -> const core::ComboSpec* {
      return id == core::ComboId(7) ? &*defined_ : nullptr;
    };
    defined_ = *core::ComboSpec::Create({{core::InstrumentId(2), 1, core::Side::kBuy},
                                         {core::InstrumentId(3), 1, core::Side::kSell}});
  }

  static ComboOrderParams Vertical() {
    ComboOrderParams params;
    params.client_order_id = "o1";
    params.side = core::Side::kBuy;
    params.quantity = 10;
    params.legs = *ParseLegText("SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1");
    params.limit_price = core::Price::FromParts(2, 350'000'000);
    return params;
  }
  static FIX::Message VerticalMessage() { return MakeNewOrderMultileg(Vertical(), kTime); }

  // Serializes `message` as a client would send it, parses it back with the gateway's
  // dictionary and validates it as the session does, then translates it.
  Inbound Roundtrip(FIX::Message message) {
    FIX::Header& header = message.getHeader();
    header.setField(FIX::FIELD::BeginString, "FIX.4.4");
    header.setField(FIX::FIELD::SenderCompID, "BROKER1");
    header.setField(FIX::FIELD::TargetCompID, "COMBO");
    header.setField(FIX::FIELD::MsgSeqNum, "2");
    header.setField(FIX::FIELD::SendingTime, "20261120-14:22:27.040");
    const std::string wire = message.toString();
    FIX::Message parsed(wire, dictionary_, true);
    EXPECT_NO_THROW(dictionary_.validate(parsed)) << wire;
    return Translate(parsed, context_);
  }
  // Translates without the dictionary's validation (as the fuzz target does).
  Inbound Direct(FIX::Message message) {
    message.getHeader().setField(FIX::FIELD::MsgSeqNum, "2");
    return Translate(message, context_);
  }

  static InboundReject RejectOf(const Inbound& inbound) {
    const InboundReject* reject = std::get_if<InboundReject>(&inbound);
    EXPECT_NE(reject, nullptr) << "expected a reject, got request #" << inbound.index();
    return reject != nullptr ? *reject : InboundReject{};
  }

  core::InstrumentCatalog catalog_;
  FIX::DataDictionary dictionary_;
  TranslationContext context_;
  std::optional<core::ComboSpec> defined_;
};

TEST_F(TranslationTest, VerticalSpreadBecomesANewComboOrderInTheClientsTerms) {
  Inbound inbound = Roundtrip(VerticalMessage());
  auto* order = std::get_if<router::NewComboOrder>(&inbound);
  ASSERT_NE(order, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(order->client, core::ClientId("BROKER1"));
  EXPECT_EQ(order->client_order_id, core::ClientOrderId("o1"));
  EXPECT_EQ(order->account, core::AccountId("ACC1"));
  EXPECT_EQ(order->side, core::Side::kBuy);
  EXPECT_EQ(order->quantity, core::Quantity(10));
  EXPECT_EQ(order->type, router::ComboOrderType::kLimit);
  EXPECT_EQ(order->limit_price, core::Price::FromParts(2, 350'000'000));
  EXPECT_EQ(order->time_in_force, router::ComboTimeInForce::kDay);
  ASSERT_EQ(order->combo.size(), 2u);
  EXPECT_EQ(order->combo.leg(0).instrument, core::InstrumentId(2));
  EXPECT_EQ(order->combo.leg(0).side, core::Side::kBuy);
  EXPECT_EQ(order->combo.leg(1).instrument, core::InstrumentId(3));
  EXPECT_EQ(order->combo.leg(1).side, core::Side::kSell);
}

TEST_F(TranslationTest, LegsMayBeNamedBySecurityId) {
  ComboOrderParams params = Vertical();
  params.legs[0].instrument = LegInstrumentFields{};
  params.legs[0].instrument.symbol = "[N/A]";
  params.legs[0].instrument.security_id = "2";
  Inbound inbound = Roundtrip(MakeNewOrderMultileg(params, kTime));
  auto* order = std::get_if<router::NewComboOrder>(&inbound);
  ASSERT_NE(order, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(order->combo.leg(0).instrument, core::InstrumentId(2));
}

TEST_F(TranslationTest, OrderMayNameADefinedComboBySecurityId) {
  ComboOrderParams params = Vertical();
  params.legs.clear();
  params.combo_id = 7;
  Inbound inbound = Roundtrip(MakeNewOrderMultileg(params, kTime));
  auto* order = std::get_if<router::NewComboOrder>(&inbound);
  ASSERT_NE(order, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(order->combo, *defined_);
  EXPECT_EQ(order->security_id, core::ComboId(7));
}

TEST_F(TranslationTest, MarketOrderDefaultsToImmediateOrCancel) {
  ComboOrderParams params = Vertical();
  params.type = router::ComboOrderType::kMarket;
  params.limit_price.reset();
  Inbound inbound = Roundtrip(MakeNewOrderMultileg(params, kTime));
  auto* order = std::get_if<router::NewComboOrder>(&inbound);
  ASSERT_NE(order, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(order->time_in_force, router::ComboTimeInForce::kImmediateOrCancel);
  EXPECT_FALSE(order->limit_price.has_value());
}

TEST_F(TranslationTest, AGoodTillDateOrderCarriesItsExpireTimeOrDate) {
  FIX::Message message = MakeNewOrderMultileg(Vertical(), kTime);
  message.setField(FIX::FIELD::TimeInForce, "6");
  message.setField(FIX::FIELD::ExpireTime, "20261207-15:00:00.250");
  Inbound inbound = Roundtrip(message);
  auto* order = std::get_if<router::NewComboOrder>(&inbound);
  ASSERT_NE(order, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(order->time_in_force, router::ComboTimeInForce::kGoodTillDate);
  ASSERT_TRUE(order->expire_time.has_value());
  EXPECT_EQ(order->expire_time->unix_nanos(), 1796655600'250'000'000LL);
  message.removeField(FIX::FIELD::ExpireTime);
  message.setField(FIX::FIELD::ExpireDate, "20261218");
  inbound = Roundtrip(message);
  order = std::get_if<router::NewComboOrder>(&inbound);
  ASSERT_NE(order, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(order->expire_date, absl::CivilDay(2026, 12, 18));
}

// Whether the router takes an order of a given type, time in force and price (its tick, a
// market order's price) is the router's rule (router/order_checks_test.cc): translation passes
// such an order on as the client wrote it.
TEST_F(TranslationTest, PriceOffTheCombosTickIsLeftToTheRouter) {
  FIX::Message message = VerticalMessage();
  message.setField(FIX::FIELD::Price, "2.355");
  Inbound inbound = Roundtrip(message);
  auto* order = std::get_if<router::NewComboOrder>(&inbound);
  ASSERT_NE(order, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(order->limit_price, core::Price::FromParts(2, 355'000'000));
}

TEST_F(TranslationTest, MarketOrderWithAPriceOrForTheDayIsLeftToTheRouter) {
  FIX::Message message = VerticalMessage();
  message.setField(FIX::FIELD::OrdType, "1");
  message.setField(FIX::FIELD::TimeInForce, "0");
  Inbound inbound = Roundtrip(message);
  auto* order = std::get_if<router::NewComboOrder>(&inbound);
  ASSERT_NE(order, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(order->type, router::ComboOrderType::kMarket);
  EXPECT_EQ(order->limit_price, core::Price::FromParts(2, 350'000'000));
  EXPECT_EQ(order->time_in_force, router::ComboTimeInForce::kDay);
}

TEST_F(TranslationTest, NegativeNetPriceIsLegal) {
  FIX::Message message = VerticalMessage();
  message.setField(FIX::FIELD::Price, "-1.25");
  Inbound inbound = Roundtrip(message);
  auto* order = std::get_if<router::NewComboOrder>(&inbound);
  ASSERT_NE(order, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(order->limit_price, core::Price::FromParts(-1, -250'000'000));
}

// --- Rejects of NewOrderMultileg: ExecutionReport(Rejected) naming the problem. ---

struct BadOrderCase {
  std::string name;
  std::function<void(FIX::Message&)> spoil;
  router::RejectReason reason;
  std::string text;
};

class BadOrderTest : public TranslationTest, public ::testing::WithParamInterface<BadOrderCase> {};

TEST_P(BadOrderTest, IsRejectedWithAnExecutionReportNamingTheProblem) {
  FIX::Message message = VerticalMessage();
  GetParam().spoil(message);
  const InboundReject reject = RejectOf(Roundtrip(message));
  EXPECT_EQ(reject.channel, RejectChannel::kOrderReject);
  EXPECT_EQ(reject.reason, GetParam().reason) << reject.text;
  EXPECT_THAT(reject.text, HasSubstr(GetParam().text));
  EXPECT_EQ(reject.client_order_id, "o1");
  EXPECT_EQ(reject.msg_type, "AB");
}

FIX::FieldMap& Leg(FIX::Message& message, int n) {
  return message.getGroupRef(n, FIX::FIELD::NoLegs);
}

void AddThirdLeg(FIX::Message& message, const std::string& symbol, int ratio) {
  LegSpec leg{*SymbolToLegFields(symbol), ratio, core::Side::kBuy};
  AddLeg(message, leg);
}

using router::RejectReason;

INSTANTIATE_TEST_SUITE_P(
    Kinds, BadOrderTest,
    ::testing::Values(
        BadOrderCase{"ZeroRatio", [](FIX::Message& m) { Leg(m, 2).setField(FIX::FIELD::LegRatioQty, "0"); },
                     RejectReason::kInvalidCombo,
                     "leg 2: LegRatioQty(623) must be a whole number of at least 1, got \"0\""},
        BadOrderCase{"NegativeRatio", [](FIX::Message& m) { Leg(m, 1).setField(FIX::FIELD::LegRatioQty, "-2"); },
                     RejectReason::kInvalidCombo, "leg 1: LegRatioQty(623) must be a whole number"},
        BadOrderCase{"FractionalRatio", [](FIX::Message& m) { Leg(m, 1).setField(FIX::FIELD::LegRatioQty, "1.5"); },
                     RejectReason::kInvalidCombo, "got \"1.5\""},
        BadOrderCase{"MissingRatio", [](FIX::Message& m) { Leg(m, 2).removeField(FIX::FIELD::LegRatioQty); },
                     RejectReason::kInvalidCombo, "leg 2: LegRatioQty(623) is required"},
        BadOrderCase{"UnknownLeg", [](FIX::Message& m) { Leg(m, 2).setField(FIX::FIELD::LegStrikePrice, "470"); },
                     RejectReason::kUnknownInstrument,
                     "leg 2: unknown instrument: no SPY call 470 expiring 20261218"},
        BadOrderCase{"TooManyLegs",
                     [](FIX::Message& m) {
                       AddThirdLeg(m, "SPY 20261218 P 440", 1);
                       AddThirdLeg(m, "SPY", 100);
                       AddThirdLeg(m, "ES 202612", 1);
                     },
                     RejectReason::kInvalidCombo, "too many legs: 5, at most 4"},
        BadOrderCase{"OneLeg", [](FIX::Message& m) { static_cast<FIX::FieldMap&>(m).removeGroup(2, FIX::FIELD::NoLegs); },
                     RejectReason::kInvalidCombo, "a combo needs at least 2 legs, got 1"},
        BadOrderCase{"NoLegsAtAll", [](FIX::Message& m) { static_cast<FIX::FieldMap&>(m).removeGroup(FIX::FIELD::NoLegs); },
                     RejectReason::kInvalidCombo, "NoLegs(555) is required"},
        BadOrderCase{"SameInstrumentTwice",
                     [](FIX::Message& m) { Leg(m, 2).setField(FIX::FIELD::LegStrikePrice, "450"); },
                     RejectReason::kInvalidCombo, "appears in more than one leg"},
        BadOrderCase{"ZeroQuantity", [](FIX::Message& m) { m.setField(FIX::FIELD::OrderQty, "0"); },
                     RejectReason::kInvalidQuantity,
                     "OrderQty(38) must be a whole number of at least 1, got \"0\""},
        BadOrderCase{"NegativeQuantity", [](FIX::Message& m) { m.setField(FIX::FIELD::OrderQty, "-5"); },
                     RejectReason::kInvalidQuantity, "got \"-5\""},
        BadOrderCase{"FractionalQuantity", [](FIX::Message& m) { m.setField(FIX::FIELD::OrderQty, "2.5"); },
                     RejectReason::kInvalidQuantity, "got \"2.5\""},
        BadOrderCase{"TooManyDecimals", [](FIX::Message& m) { m.setField(FIX::FIELD::Price, "1.0000000001"); },
                     RejectReason::kInvalidPrice, "at most 9 decimals"},
        BadOrderCase{"LimitWithoutPrice", [](FIX::Message& m) { m.removeField(FIX::FIELD::Price); },
                     RejectReason::kInvalidPrice, "Price(44) is required for a limit order"},
        BadOrderCase{"StopOrder", [](FIX::Message& m) { m.setField(FIX::FIELD::OrdType, "3"); },
                     RejectReason::kUnsupportedOrder,
                     "OrdType(40) \"3\" is not supported: use 1 (market) or 2 (limit)"},
        BadOrderCase{"GoodTillCrossing", [](FIX::Message& m) { m.setField(FIX::FIELD::TimeInForce, "5"); },
                     RejectReason::kUnsupportedOrder, "TimeInForce(59) \"5\" is not supported"},
        BadOrderCase{"ExpireDateNotADate", [](FIX::Message& m) {
                       m.setField(FIX::FIELD::TimeInForce, "6");
                       m.setField(FIX::FIELD::ExpireDate, "20261232");
                     },
                     RejectReason::kUnsupportedOrder, "ExpireDate(432) \"20261232\" is not a YYYYMMDD date"},
        BadOrderCase{"SideCross", [](FIX::Message& m) { m.setField(FIX::FIELD::Side, "8"); },
                     RejectReason::kUnsupportedOrder,
                     "Side(54) \"8\" is not supported: use 1 (buy) or 2 (sell)"},
        BadOrderCase{"BadLegSide", [](FIX::Message& m) { Leg(m, 1).setField(FIX::FIELD::LegSide, "5"); },
                     RejectReason::kInvalidCombo, "leg 1: LegSide(624) \"5\" is not supported"},
        BadOrderCase{"OptionWithoutCfi", [](FIX::Message& m) { Leg(m, 1).removeField(FIX::FIELD::LegCFICode); },
                     RejectReason::kUnknownInstrument, "leg 1: an option leg needs LegCFICode(608)"},
        BadOrderCase{"OptionWithoutStrike", [](FIX::Message& m) { Leg(m, 2).removeField(FIX::FIELD::LegStrikePrice); },
                     RejectReason::kUnknownInstrument, "leg 2: an option leg needs a positive"},
        BadOrderCase{"BadExpiry", [](FIX::Message& m) { Leg(m, 1).setField(FIX::FIELD::LegMaturityDate, "20261232"); },
                     RejectReason::kUnknownInstrument, "LegMaturityDate(611)"},
        BadOrderCase{"UnsupportedSecurityType",
                     [](FIX::Message& m) { Leg(m, 1).setField(FIX::FIELD::LegSecurityType, "CORP"); },
                     RejectReason::kUnknownInstrument,
                     "LegSecurityType(609) \"CORP\" is not supported: use CS, OPT or FUT"},
        BadOrderCase{"FutureFieldsNamingNoListedFuture",
                     [](FIX::Message& m) {
                       FIX::FieldMap& leg = Leg(m, 1);
                       for (int tag : {FIX::FIELD::LegCFICode, FIX::FIELD::LegMaturityDate, FIX::FIELD::LegStrikePrice}) leg.removeField(tag);
                       leg.setField(FIX::FIELD::LegSecurityType, "FUT");
                       leg.setField(FIX::FIELD::LegMaturityMonthYear, "202612");
                     },
                     RejectReason::kUnknownInstrument,
                     "unknown instrument: no future on SPY delivering in 202612"},
        BadOrderCase{"UnknownLegSecurityId",
                     [](FIX::Message& m) {
                       Leg(m, 1).setField(FIX::FIELD::LegSecurityID, "99");
                       Leg(m, 1).setField(FIX::FIELD::LegSecurityIDSource, "8");
                     },
                     RejectReason::kUnknownInstrument,
                     "leg 1: unknown instrument: LegSecurityID(602) 99"},
        BadOrderCase{"LegSymbolContradictsSecurityId",
                     [](FIX::Message& m) {
                       Leg(m, 1).setField(FIX::FIELD::LegSymbol, "QQQ");
                       Leg(m, 1).setField(FIX::FIELD::LegSecurityID, "2");
                     },
                     RejectReason::kInvalidCombo, "LegSymbol(600) \"QQQ\" does not match"},
        BadOrderCase{"ForeignSecurityIdSource",
                     [](FIX::Message& m) {
                       Leg(m, 1).setField(FIX::FIELD::LegSecurityID, "US78462F1030");
                       Leg(m, 1).setField(FIX::FIELD::LegSecurityIDSource, "4");
                     },
                     RejectReason::kUnknownInstrument, "LegSecurityIDSource(603) \"4\""},
        BadOrderCase{"UndefinedComboSecurityId",
                     [](FIX::Message& m) {
                       static_cast<FIX::FieldMap&>(m).removeGroup(FIX::FIELD::NoLegs);
                       m.setField(FIX::FIELD::SecurityID, "8");
                     },
                     RejectReason::kInvalidCombo,
                     "SecurityID(48) 8 is not a combo defined by SecurityDefinitionRequest"},
        BadOrderCase{"SecurityIdAndLegsBoth", [](FIX::Message& m) { m.setField(FIX::FIELD::SecurityID, "7"); },
                     RejectReason::kInvalidCombo, "not both"},
        BadOrderCase{"AccountTooLong",
                     [](FIX::Message& m) { m.setField(FIX::FIELD::Account, std::string(65, 'a')); },
                     RejectReason::kUnsupportedOrder, "Account(1) is longer than 64"},
        BadOrderCase{"ForeignCurrency", [](FIX::Message& m) { m.setField(FIX::FIELD::Currency, "EUR"); },
                     RejectReason::kUnsupportedOrder,
                     "Currency(15) \"EUR\" is not supported: every product here trades in USD"},
        BadOrderCase{"AllOrNoneInstruction", [](FIX::Message& m) { m.setField(FIX::FIELD::ExecInst, "G"); },
                     RejectReason::kUnsupportedOrder,
                     "ExecInst(18) \"G\" is not supported: the router takes no execution instructions"}),
    [](const ::testing::TestParamInfo<BadOrderCase>& info) { return info.param.name; });

TEST_F(TranslationTest, DataFormatErrorsTheDictionaryWouldCatchAreStillRejectedWithoutIt) {
  FIX::Message message = VerticalMessage();
  message.setField(FIX::FIELD::OrderQty, "ten");
  EXPECT_THAT(RejectOf(Direct(message)).text, HasSubstr("OrderQty(38)"));
  message = VerticalMessage();
  message.setField(FIX::FIELD::NoLegs, "3");  // count disagrees with the entries
  EXPECT_THAT(RejectOf(Direct(message)).text, HasSubstr("does not match the 2 legs"));
  message = VerticalMessage();
  message.removeField(FIX::FIELD::ClOrdID);
  const InboundReject reject = RejectOf(Direct(message));
  EXPECT_EQ(reject.channel, RejectChannel::kBusinessReject);
  EXPECT_THAT(reject.text, HasSubstr("ClOrdID(11) is required"));
}

// --- Cancel, replace, status. ---

TEST_F(TranslationTest, CancelRequestBecomesCancelComboOrder) {
  Inbound inbound = Roundtrip(MakeCancelRequest("c1", "o1", core::Side::kBuy, kTime));
  auto* cancel = std::get_if<router::CancelComboOrder>(&inbound);
  ASSERT_NE(cancel, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(cancel->client_order_id, core::ClientOrderId("c1"));
  EXPECT_EQ(cancel->original_client_order_id, core::ClientOrderId("o1"));
}

// A cancel must carry a new ClOrdID: the router's rule (router/order_checks_test.cc).
TEST_F(TranslationTest, CancelReusingTheOrdersClOrdIdIsLeftToTheRouter) {
  Inbound inbound = Roundtrip(MakeCancelRequest("o1", "o1", core::Side::kBuy, kTime));
  auto* cancel = std::get_if<router::CancelComboOrder>(&inbound);
  ASSERT_NE(cancel, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(cancel->client_order_id, cancel->original_client_order_id);
}

TEST_F(TranslationTest, ReplaceBecomesReplaceRequest) {
  Inbound inbound = Roundtrip(MakeReplaceRequest("r1", "o1", core::Side::kBuy, 12,
                                                 core::Price::FromParts(2, 400'000'000), kTime));
  auto* replace = std::get_if<router::ReplaceComboOrder>(&inbound);
  ASSERT_NE(replace, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(replace->total_quantity, core::Quantity(12));
  EXPECT_EQ(replace->limit_price, core::Price::FromParts(2, 400'000'000));
  EXPECT_EQ(replace->type, router::ComboOrderType::kLimit);
  EXPECT_EQ(replace->side, core::Side::kBuy);
  EXPECT_FALSE(replace->combo.has_value());
}

// Only a limit order can be replaced: the router's rule (router/order_checks_test.cc).
TEST_F(TranslationTest, ReplaceToMarketIsLeftToTheRouter) {
  FIX::Message message =
      MakeReplaceRequest("r1", "o1", core::Side::kBuy, 12, core::Price::FromParts(2, 0), kTime);
  message.setField(FIX::FIELD::OrdType, "1");
  Inbound inbound = Roundtrip(message);
  auto* replace = std::get_if<router::ReplaceComboOrder>(&inbound);
  ASSERT_NE(replace, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(replace->type, router::ComboOrderType::kMarket);
}

TEST_F(TranslationTest, ReplaceOfAnUnknownOrderTypeIsRejectedWithCancelReject) {
  FIX::Message message =
      MakeReplaceRequest("r1", "o1", core::Side::kBuy, 12, core::Price::FromParts(2, 0), kTime);
  message.setField(FIX::FIELD::OrdType, "3");
  const InboundReject reject = RejectOf(Roundtrip(message));
  EXPECT_EQ(reject.channel, RejectChannel::kCancelReject);
  EXPECT_EQ(reject.response_to, router::CancelRejectResponseTo::kReplace);
  EXPECT_THAT(reject.text, HasSubstr("OrdType(40) \"3\" is not supported"));
}

TEST_F(TranslationTest, ReplaceWithZeroQuantityIsRejected) {
  FIX::Message message =
      MakeReplaceRequest("r1", "o1", core::Side::kBuy, 1, core::Price::FromParts(2, 0), kTime);
  message.setField(FIX::FIELD::OrderQty, "0");
  EXPECT_THAT(RejectOf(Roundtrip(message)).text, HasSubstr("OrderQty(38) must be a whole number"));
}

TEST_F(TranslationTest, StatusRequestWithBadSideIsABusinessReject) {
  FIX::Message message = MakeStatusRequest("o1", core::Side::kBuy);
  message.setField(FIX::FIELD::Side, "0");
  const InboundReject reject = RejectOf(Roundtrip(message));
  EXPECT_EQ(reject.channel, RejectChannel::kBusinessReject);
  EXPECT_THAT(reject.text, HasSubstr("Side(54) \"0\""));
}

// --- SecurityDefinitionRequest and MarketDataRequest. ---

TEST_F(TranslationTest, SecurityDefinitionRequestCarriesTheCombo) {
  Inbound inbound = Roundtrip(MakeSecurityDefinitionRequest(
      "d1", *ParseLegText("SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1")));
  auto* define = std::get_if<DefineComboRequest>(&inbound);
  ASSERT_NE(define, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(define->request_id, "d1");
  EXPECT_EQ(define->combo, *defined_);
}

TEST_F(TranslationTest, SecurityDefinitionRequestOfAnotherTypeIsRejected) {
  FIX::Message message = MakeSecurityDefinitionRequest(
      "d1", *ParseLegText("SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1"));
  message.setField(FIX::FIELD::SecurityRequestType, "3");
  const InboundReject reject = RejectOf(Roundtrip(message));
  EXPECT_EQ(reject.channel, RejectChannel::kSecurityDefinitionReject);
  EXPECT_EQ(reject.request_id, "d1");
  EXPECT_THAT(reject.text, HasSubstr("SecurityRequestType(321) \"3\" is not supported"));
}

// Seed 003 R3 over FIX: SecuritySubType(762) names the template, Symbol(55) its underlying, the
// legs its instruments; ratios and sides left out are the template's.
TEST_F(TranslationTest, R3AStrategyTemplateRequestIsCompletedFromTheTemplate) {
  Inbound inbound = Roundtrip(MakeStrategyDefinitionRequest(
      "s1", "Butterfly", "SPY",
      *ParseTemplateLegText("SPY 20261218 C 460 / SPY 20261218 C 455 / SPY 20261218 C 450")));
  auto* define = std::get_if<DefineComboRequest>(&inbound);
  ASSERT_NE(define, nullptr) << RejectOf(inbound).text;
  ASSERT_TRUE(define->strategy.has_value());
  EXPECT_EQ(define->strategy->strategy, pricing::Strategy::kButterfly);
  EXPECT_EQ(define->strategy->underlying, "SPY");
  // The template's legs in its order: +1 450, -2 455, +1 460.
  EXPECT_EQ(define->combo.ToString(), "+1 #2 / -2 #6 / +1 #3");

  // Sides and ratios given are checked: all opposite is the sold form.
  inbound = Roundtrip(MakeStrategyDefinitionRequest(
      "s2", "butterfly", "SPY",
      *ParseTemplateLegText(
          "SPY 20261218 C 450 -1 / SPY 20261218 C 455 +2 / SPY 20261218 C 460 -1")));
  define = std::get_if<DefineComboRequest>(&inbound);
  ASSERT_NE(define, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(define->combo.ToString(), "-1 #2 / +2 #6 / -1 #3");
}

TEST_F(TranslationTest, R3AStrategyRequestThatDoesNotFitIsRejectedWithTheReason) {
  auto reject_of = [&](std::string_view strategy, std::string_view underlying,
                       std::string_view legs) {
    return RejectOf(Roundtrip(
        MakeStrategyDefinitionRequest("s1", strategy, underlying, *ParseTemplateLegText(legs))));
  };
  InboundReject reject = reject_of("jade lizard", "SPY", "SPY 20261218 C 450 / SPY 20261218 C 460");
  EXPECT_EQ(reject.channel, RejectChannel::kSecurityDefinitionReject);
  EXPECT_EQ(reject.request_id, "s1");
  EXPECT_EQ(reject.ref_tag, FIX::FIELD::SecuritySubType);
  EXPECT_THAT(reject.text,
              HasSubstr("SecuritySubType(762): unknown strategy \"jade lizard\"; known: vertical"));
  reject = reject_of("butterfly", "SPY",
                     "SPY 20261218 C 450 / SPY 20261218 C 455 +1 / SPY 20261218 C 460");
  EXPECT_EQ(reject.channel, RejectChannel::kSecurityDefinitionReject);
  EXPECT_THAT(reject.text, HasSubstr("butterfly: leg 2 (SPY 20261218 C 455) has ratio 1 where the "
                                     "butterfly has 2"));
  reject = reject_of("straddle", "SPY", "SPY 20261218 C 450 / SPY 20261218 C 460");
  EXPECT_EQ(reject.text, "straddle: needs 1 strike {K}, got 2");
  reject = reject_of("vertical", "ES", "SPY 20261218 C 450 / SPY 20261218 C 460");
  EXPECT_EQ(reject.text, "vertical: leg 1 (SPY 20261218 C 450) is not on ES");
  reject = reject_of("vertical", "SPY", "SPY 20261218 C 450 / SPY 20261218 C 470");
  EXPECT_THAT(reject.text, HasSubstr("leg 2: "));
  EXPECT_THAT(reject.text, HasSubstr("470"));

  FIX::Message no_symbol = MakeStrategyDefinitionRequest(
      "s1", "vertical", "SPY", *ParseTemplateLegText("SPY 20261218 C 450 / SPY 20261218 C 460"));
  no_symbol.removeField(FIX::FIELD::Symbol);
  EXPECT_EQ(RejectOf(Roundtrip(no_symbol)).text,
            "Symbol(55) is required with SecuritySubType(762): the vertical's underlying");
  // Without SecuritySubType a leg still needs its ratio and side.
  FIX::Message plain = MakeStrategyDefinitionRequest(
      "s1", "vertical", "SPY", *ParseTemplateLegText("SPY 20261218 C 450 / SPY 20261218 C 460"));
  plain.removeField(FIX::FIELD::SecuritySubType);
  EXPECT_EQ(RejectOf(Roundtrip(plain)).text, "leg 1: LegRatioQty(623) is required");
}

TEST_F(TranslationTest, MarketDataRequestSubscribesToAComboId) {
  Inbound inbound = Roundtrip(MakeMarketDataRequest("m1", 7, '1'));
  auto* quote = std::get_if<QuoteRequest>(&inbound);
  ASSERT_NE(quote, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(quote->combo, core::ComboId(7));
  EXPECT_EQ(quote->subscription, QuoteSubscription::kSnapshotAndUpdates);
  EXPECT_TRUE(quote->bids);
  EXPECT_TRUE(quote->offers);
}

TEST_F(TranslationTest, MarketDataRequestForFullDepthIsRejected) {
  FIX::Message message = MakeMarketDataRequest("m1", 7, '1');
  message.setField(FIX::FIELD::MarketDepth, "0");
  const InboundReject reject = RejectOf(Roundtrip(message));
  EXPECT_EQ(reject.channel, RejectChannel::kMarketDataReject);
  EXPECT_EQ(reject.request_id, "m1");
  EXPECT_THAT(reject.text, HasSubstr("MarketDepth(264) \"0\" is not supported"));
}

TEST_F(TranslationTest, MarketDataRequestForTradesIsRejected) {
  FIX::Message message = MakeMarketDataRequest("m1", 7, '1');
  message.getGroupRef(1, FIX::FIELD::NoMDEntryTypes).setField(FIX::FIELD::MDEntryType, "2");
  EXPECT_THAT(RejectOf(Roundtrip(message)).text, HasSubstr("MDEntryType(269) \"2\""));
}

TEST_F(TranslationTest, MarketDataRequestWithBadSubscriptionTypeIsRejected) {
  EXPECT_THAT(RejectOf(Roundtrip(MakeMarketDataRequest("m1", 7, '9'))).text,
              HasSubstr("SubscriptionRequestType(263) \"9\""));
}

TEST_F(TranslationTest, MessageTheGatewayOnlySendsIsAnUnsupportedBusinessReject) {
  FIX::Message message;
  message.getHeader().setField(FIX::FIELD::MsgType, "j");
  message.setField(FIX::FIELD::RefMsgType, "8");
  message.setField(FIX::FIELD::BusinessRejectReason, "0");
  const InboundReject reject = RejectOf(Roundtrip(message));
  EXPECT_EQ(reject.channel, RejectChannel::kBusinessReject);
  EXPECT_EQ(reject.business_code, BusinessRejectCode::kUnsupportedMessageType);
  EXPECT_THAT(reject.text, HasSubstr("MsgType(35) \"j\" is not accepted"));
}

// ---- sharded sets (docs/FIX.md "Sharded sets") -----------------------------------------

// This gateway is shard equity-index (SPY, SPX, ES: the test catalog's SPY options and ES
// future); shard nasdaq owns QQQ and NQ.
class ShardedTranslationTest : public TranslationTest {
 protected:
  ShardedTranslationTest() {
    router::ShardMap map;
    map.product_groups = {{"equity-index", {"SPY", "SPX", "ES"}}, {"nasdaq", {"QQQ", "NQ"}}};
    map.shards = {{"equity-index", {"equity-index"}, "combo-router-shard-0:9878"},
                  {"nasdaq", {"nasdaq"}, "combo-router-shard-1:9878"}};
    map.this_shard = "equity-index";
    shards_.emplace(*router::ShardOwnership::Create(map));
    context_.shards = &*shards_;
  }
  static ComboOrderParams Order(const std::string& legs) {
    ComboOrderParams params = Vertical();
    params.legs = *ParseLegText(legs);
    return params;
  }

  std::optional<router::ShardOwnership> shards_;
};

constexpr char kSpanText[] =
    "legs span shards equity-index (SPY) and nasdaq (QQQ): a combo routes on one shard; send "
    "combos of one shard's product groups to that shard";
constexpr char kOwnerText[] =
    "QQQ belongs to shard nasdaq (combo-router-shard-1:9878); this is shard equity-index";

TEST_F(ShardedTranslationTest, AnInterProductComboOfThisShardsGroupIsTranslated) {
  Inbound inbound =
      Roundtrip(MakeNewOrderMultileg(Order("ES 202612 +2 / SPY 20261218 C 450 -1"), kTime));
  auto* order = std::get_if<router::NewComboOrder>(&inbound);
  ASSERT_NE(order, nullptr) << RejectOf(inbound).text;
  EXPECT_EQ(order->combo.legs().size(), 2u);
}

TEST_F(ShardedTranslationTest, AnOrderSpanningShardsIsRejectedNamingBoth) {
  const InboundReject reject = RejectOf(Roundtrip(
      MakeNewOrderMultileg(Order("SPY 20261218 C 450 +1 / QQQ 20261218 C 400 -1"), kTime)));
  EXPECT_EQ(reject.channel, RejectChannel::kOrderReject);
  EXPECT_EQ(reject.reason, router::RejectReason::kUnknownInstrument);
  EXPECT_EQ(reject.text, kSpanText);
  EXPECT_EQ(reject.client_order_id, "o1");
}

TEST_F(ShardedTranslationTest, AnOrderWhollyOfAnotherShardIsRejectedNamingItsOwner) {
  // However the legs are named: a symbol, the root with option fields, an OCC symbol.
  ComboOrderParams params = Order("QQQ 20261218 C 400 +1 / QQQ 20261218 C 410 -1");
  params.legs[0].instrument = {.symbol = "QQQ",
                               .security_type = "OPT",
                               .cfi_code = "OCXXXS",
                               .maturity_date = "20261218",
                               .strike = "400"};
  params.legs[1].instrument = {.symbol = "QQQ   261218C00410000"};
  EXPECT_EQ(RejectOf(Roundtrip(MakeNewOrderMultileg(params, kTime))).text, kOwnerText);
}

TEST_F(ShardedTranslationTest, AReplaceOrDefinitionSpanningShardsIsRejectedOnItsChannel) {
  FIX::Message replace =
      MakeReplaceRequest("r1", "o1", core::Side::kBuy, 12, core::Price::FromParts(2, 0), kTime);
  FIX::Message legs =
      MakeNewOrderMultileg(Order("SPY 20261218 C 450 +1 / QQQ 20261218 C 400 -1"), kTime);
  for (unsigned i = 1; i <= 2; ++i) {
    FIX::Group leg(FIX::FIELD::NoLegs, FIX::FIELD::LegSymbol);
    legs.getGroup(i, leg);
    replace.addGroup(leg);
  }
  const InboundReject replaced = RejectOf(Roundtrip(replace));
  EXPECT_EQ(replaced.channel, RejectChannel::kCancelReject);
  EXPECT_EQ(replaced.response_to, router::CancelRejectResponseTo::kReplace);
  EXPECT_EQ(replaced.text, kSpanText);

  const InboundReject defined = RejectOf(Roundtrip(MakeSecurityDefinitionRequest(
      "d1", *ParseLegText("QQQ 20261218 C 400 +1 / SPY 20261218 C 450 -1"))));
  EXPECT_EQ(defined.channel, RejectChannel::kSecurityDefinitionReject);
  EXPECT_EQ(defined.request_id, "d1");
  EXPECT_EQ(defined.text,
            "legs span shards nasdaq (QQQ) and equity-index (SPY): a combo routes on one shard; "
            "send combos of one shard's product groups to that shard");
}

TEST_F(ShardedTranslationTest, AProductOfNoGroupIsStillAnUnknownInstrument) {
  EXPECT_THAT(RejectOf(Roundtrip(MakeNewOrderMultileg(
                           Order("SPY 20261218 C 450 +1 / XYZ 20261218 C 40 -1"), kTime)))
                  .text,
              HasSubstr("leg 2: unknown instrument"));
  // And unsharded, another shard's product is simply unknown.
  context_.shards = nullptr;
  EXPECT_THAT(RejectOf(Roundtrip(MakeNewOrderMultileg(
                           Order("SPY 20261218 C 450 +1 / QQQ 20261218 C 400 -1"), kTime)))
                  .text,
              HasSubstr("leg 2: unknown instrument"));
}

}  // namespace
}  // namespace combo::fix
