#include "fix/fix_enums.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "quickfix/FixFieldNumbers.h"

namespace combo::fix {
namespace {

using router::CancelRejectResponseTo;
using router::ClientOrderStatus;
using router::ComboOrderType;
using router::ComboTimeInForce;
using router::RejectReason;

TEST(FixEnumsTest, EverySideRoundTripsThroughItsFixValue) {
  for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
    EXPECT_EQ(SideFromFix(FixValue(SideToFix(side))), side);
  }
  EXPECT_EQ(SideToFix(core::Side::kBuy), '1');
  EXPECT_EQ(SideToFix(core::Side::kSell), '2');
}

TEST(FixEnumsTest, EveryOrdTypeRoundTripsThroughItsFixValue) {
  for (ComboOrderType type : {ComboOrderType::kLimit, ComboOrderType::kMarket}) {
    EXPECT_EQ(OrdTypeFromFix(FixValue(OrdTypeToFix(type))), type);
  }
  EXPECT_EQ(OrdTypeToFix(ComboOrderType::kMarket), '1');
  EXPECT_EQ(OrdTypeToFix(ComboOrderType::kLimit), '2');
}

TEST(FixEnumsTest, EveryTimeInForceRoundTripsThroughItsFixValue) {
  for (ComboTimeInForce tif :
       {ComboTimeInForce::kDay, ComboTimeInForce::kGoodTillCancel,
        ComboTimeInForce::kImmediateOrCancel, ComboTimeInForce::kFillOrKill}) {
    EXPECT_EQ(TimeInForceFromFix(FixValue(TimeInForceToFix(tif))), tif);
  }
  EXPECT_EQ(TimeInForceToFix(ComboTimeInForce::kDay), '0');
  EXPECT_EQ(TimeInForceToFix(ComboTimeInForce::kGoodTillCancel), '1');
  EXPECT_EQ(TimeInForceToFix(ComboTimeInForce::kImmediateOrCancel), '3');
  EXPECT_EQ(TimeInForceToFix(ComboTimeInForce::kFillOrKill), '4');
}

TEST(FixEnumsTest, EveryOrdStatusRoundTripsThroughItsFixValue) {
  for (ClientOrderStatus status :
       {ClientOrderStatus::kNew, ClientOrderStatus::kPartiallyFilled, ClientOrderStatus::kFilled,
        ClientOrderStatus::kCanceled, ClientOrderStatus::kRejected,
        ClientOrderStatus::kPendingCancel, ClientOrderStatus::kPendingReplace}) {
    EXPECT_EQ(OrdStatusFromFix(FixValue(OrdStatusToFix(status))), status);
  }
  EXPECT_EQ(OrdStatusToFix(ClientOrderStatus::kPendingReplace), 'E');
  EXPECT_EQ(OrdStatusToFix(ClientOrderStatus::kRejected), '8');
}

TEST(FixEnumsTest, EveryCxlRejResponseToRoundTripsThroughItsFixValue) {
  for (CancelRejectResponseTo to :
       {CancelRejectResponseTo::kCancel, CancelRejectResponseTo::kReplace}) {
    EXPECT_EQ(CxlRejResponseToFromFix(FixValue(CxlRejResponseToFix(to))), to);
  }
  EXPECT_EQ(CxlRejResponseToFix(CancelRejectResponseTo::kCancel), '1');
  EXPECT_EQ(CxlRejResponseToFix(CancelRejectResponseTo::kReplace), '2');
}

TEST(FixEnumsTest, EverySubscriptionRoundTripsThroughItsFixValue) {
  for (QuoteSubscription subscription :
       {QuoteSubscription::kSnapshot, QuoteSubscription::kSnapshotAndUpdates,
        QuoteSubscription::kUnsubscribe}) {
    EXPECT_EQ(SubscriptionRequestTypeFromFix(FixValue(SubscriptionRequestTypeToFix(subscription))),
              subscription);
  }
}

TEST(FixEnumsTest, EveryQuoteSideRoundTripsThroughItsMdEntryType) {
  for (QuoteSide side : {QuoteSide::kBid, QuoteSide::kOffer}) {
    EXPECT_EQ(MdEntryTypeFromFix(FixValue(MdEntryTypeToFix(side))), side);
  }
  EXPECT_EQ(MdEntryTypeToFix(QuoteSide::kBid), '0');
  EXPECT_EQ(MdEntryTypeToFix(QuoteSide::kOffer), '1');
}

TEST(FixEnumsTest, EverySecurityResponseRoundTripsThroughItsFixValue) {
  for (SecurityResponse response :
       {SecurityResponse::kAcceptedAsProposed, SecurityResponse::kAcceptedWithRevisions,
        SecurityResponse::kRejected}) {
    EXPECT_EQ(SecurityResponseTypeFromFix(absl::StrCat(SecurityResponseTypeToFix(response))),
              response);
  }
  EXPECT_EQ(SecurityResponseTypeToFix(SecurityResponse::kRejected), 5);
}

TEST(FixEnumsTest, UnknownValuesAreRefused) {
  for (std::string_view value : {"", "9", "12", "x", " 1", "1 "}) {
    EXPECT_EQ(SideFromFix(value), std::nullopt) << value;
    EXPECT_EQ(OrdTypeFromFix(value), std::nullopt) << value;
    EXPECT_EQ(TimeInForceFromFix(value), std::nullopt) << value;
    EXPECT_EQ(OrdStatusFromFix(value), std::nullopt) << value;
    EXPECT_EQ(CxlRejResponseToFromFix(value), std::nullopt) << value;
    EXPECT_EQ(SubscriptionRequestTypeFromFix(value), std::nullopt) << value;
    EXPECT_EQ(MdEntryTypeFromFix(value), std::nullopt) << value;
    EXPECT_EQ(SecurityResponseTypeFromFix(value), std::nullopt) << value;
  }
  // Values FIX defines that the gateway does not take.
  EXPECT_EQ(SideFromFix("5"), std::nullopt);         // sell short
  EXPECT_EQ(OrdTypeFromFix("3"), std::nullopt);      // stop
  EXPECT_EQ(TimeInForceFromFix("5"), std::nullopt);  // good till crossing
  EXPECT_EQ(OrdStatusFromFix("3"), std::nullopt);    // done for day
  EXPECT_EQ(MdEntryTypeFromFix("2"), std::nullopt);  // trade
  EXPECT_EQ(SecurityResponseTypeFromFix("6"), std::nullopt);
}

TEST(FixEnumsTest, RejectReasonsWithoutAFixCodeAreOther) {
  EXPECT_EQ(OrdRejReasonToFix(RejectReason::kUnknownInstrument), 1);
  EXPECT_EQ(OrdRejReasonToFix(RejectReason::kUnsupportedOrder), 11);
  EXPECT_EQ(OrdRejReasonToFix(RejectReason::kInvalidQuantity), 13);
  EXPECT_EQ(OrdRejReasonToFix(RejectReason::kInvalidPrice), 99);
  EXPECT_EQ(OrdRejReasonToFix(RejectReason::kShuttingDown), 99);
  EXPECT_EQ(CxlRejReasonToFix(RejectReason::kTooLateToCancel), 0);
  EXPECT_EQ(CxlRejReasonToFix(RejectReason::kUnknownOrder), 1);
  EXPECT_EQ(CxlRejReasonToFix(RejectReason::kDuplicateClientOrderId), 6);
  EXPECT_EQ(CxlRejReasonToFix(RejectReason::kRiskDenied), 99);
}

TEST(FixEnumsTest, MarketDataRejectReasonNamesTheFieldAtFault) {
  EXPECT_EQ(MdReqRejReasonForTag(FIX::FIELD::SubscriptionRequestType), '4');
  EXPECT_EQ(MdReqRejReasonForTag(FIX::FIELD::MarketDepth), '5');
  EXPECT_EQ(MdReqRejReasonForTag(FIX::FIELD::MDUpdateType), '6');
  EXPECT_EQ(MdReqRejReasonForTag(FIX::FIELD::NoMDEntryTypes), '8');
  EXPECT_EQ(MdReqRejReasonForTag(FIX::FIELD::MDEntryType), '8');
  EXPECT_EQ(MdReqRejReasonForTag(FIX::FIELD::SecurityID), '0');
  EXPECT_EQ(MdReqRejReasonForTag(0), '0');
}

TEST(FixEnumsTest, DisplayNamesNameKnownValuesAndMarkUnknownOnes) {
  EXPECT_EQ(MsgTypeName("8"), "ExecutionReport");
  EXPECT_EQ(MsgTypeName("j"), "BusinessMessageReject");
  EXPECT_EQ(MsgTypeName("ZZ"), "ZZ");
  EXPECT_EQ(ExecTypeName("F"), "Trade");
  EXPECT_EQ(ExecTypeName("I"), "Status");
  EXPECT_EQ(ExecTypeName("6"), "PendingCancel");
  EXPECT_EQ(ExecTypeName("E"), "PendingReplace");
  EXPECT_EQ(ExecTypeName("FF"), "ExecType?");
  EXPECT_EQ(OrdStatusName("1"), "PartiallyFilled");
  EXPECT_EQ(OrdStatusName("E"), "PendingReplace");
  EXPECT_EQ(OrdStatusName("3"), "OrdStatus?");
  EXPECT_EQ(SideName("1"), "buy");
  EXPECT_EQ(SideName("2"), "sell");
  EXPECT_EQ(SideName(""), "side?");
}

}  // namespace
}  // namespace combo::fix
