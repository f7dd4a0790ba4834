#include "fix/fix_enums.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "quickfix/FixFieldNumbers.h"

namespace combo::fix {

std::string FixValue(char value) { return std::string(1, value); }

namespace {

using router::CancelRejectResponseTo;
using router::ClientOrderStatus;
using router::ComboOrderType;
using router::ComboTimeInForce;
using router::RejectReason;

std::string Text(char value) { return FixValue(value); }
std::string Text(int value) { return absl::StrCat(value); }

// The enumerator of `all` whose FIX value (by `to_fix`) is `value`. `all` lists every
// enumerator: fix_enums_test round-trips each of them.
template <typename Enum, size_t N, typename ToFix>
std::optional<Enum> FromFix(std::string_view value, const std::array<Enum, N>& all, ToFix to_fix) {
  for (Enum e : all) {
    if (value == Text(to_fix(e))) return e;
  }
  return std::nullopt;
}

}  // namespace

char SideToFix(core::Side side) {
  switch (side) {
    case core::Side::kBuy:
      return FIX::Side_BUY;
    case core::Side::kSell:
      return FIX::Side_SELL;
  }
  return FIX::Side_BUY;
}

std::optional<core::Side> SideFromFix(std::string_view value) {
  return FromFix(value, std::array{core::Side::kBuy, core::Side::kSell}, SideToFix);
}

char OrdTypeToFix(ComboOrderType type) {
  switch (type) {
    case ComboOrderType::kMarket:
      return FIX::OrdType_MARKET;
    case ComboOrderType::kLimit:
      return FIX::OrdType_LIMIT;
  }
  return FIX::OrdType_LIMIT;
}

std::optional<ComboOrderType> OrdTypeFromFix(std::string_view value) {
  return FromFix(value, std::array{ComboOrderType::kLimit, ComboOrderType::kMarket}, OrdTypeToFix);
}

char TimeInForceToFix(ComboTimeInForce time_in_force) {
  switch (time_in_force) {
    case ComboTimeInForce::kDay:
      return FIX::TimeInForce_DAY;
    case ComboTimeInForce::kGoodTillCancel:
      return FIX::TimeInForce_GOOD_TILL_CANCEL;
    case ComboTimeInForce::kImmediateOrCancel:
      return FIX::TimeInForce_IMMEDIATE_OR_CANCEL;
    case ComboTimeInForce::kFillOrKill:
      return FIX::TimeInForce_FILL_OR_KILL;
    case ComboTimeInForce::kGoodTillDate:
      return FIX::TimeInForce_GOOD_TILL_DATE;
  }
  return FIX::TimeInForce_DAY;
}

std::optional<ComboTimeInForce> TimeInForceFromFix(std::string_view value) {
  return FromFix(value,
                 std::array{ComboTimeInForce::kDay, ComboTimeInForce::kGoodTillCancel,
                            ComboTimeInForce::kImmediateOrCancel, ComboTimeInForce::kFillOrKill,
                            ComboTimeInForce::kGoodTillDate},
                 TimeInForceToFix);
}

char OrdStatusToFix(ClientOrderStatus status) {
  switch (status) {
    case ClientOrderStatus::kNew:
      return FIX::OrdStatus_NEW;
    case ClientOrderStatus::kPartiallyFilled:
      return FIX::OrdStatus_PARTIALLY_FILLED;
    case ClientOrderStatus::kFilled:
      return FIX::OrdStatus_FILLED;
    case ClientOrderStatus::kCanceled:
      return FIX::OrdStatus_CANCELED;
    case ClientOrderStatus::kRejected:
      return FIX::OrdStatus_REJECTED;
    case ClientOrderStatus::kPendingCancel:
      return FIX::OrdStatus_PENDING_CANCEL;
    case ClientOrderStatus::kPendingReplace:
      return FIX::OrdStatus_PENDING_REPLACE;
    case ClientOrderStatus::kExpired:
      return FIX::OrdStatus_EXPIRED;
  }
  return FIX::OrdStatus_NEW;
}

std::optional<ClientOrderStatus> OrdStatusFromFix(std::string_view value) {
  return FromFix(value,
                 std::array{ClientOrderStatus::kNew, ClientOrderStatus::kPartiallyFilled,
                            ClientOrderStatus::kFilled, ClientOrderStatus::kCanceled,
                            ClientOrderStatus::kRejected, ClientOrderStatus::kPendingCancel,
                            ClientOrderStatus::kPendingReplace, ClientOrderStatus::kExpired},
                 OrdStatusToFix);
}

char CxlRejResponseToFix(CancelRejectResponseTo response_to) {
  switch (response_to) {
    case CancelRejectResponseTo::kCancel:
      return FIX::CxlRejResponseTo_ORDER_CANCEL_REQUEST;
    case CancelRejectResponseTo::kReplace:
      return FIX::CxlRejResponseTo_ORDER_CANCEL_REPLACE_REQUEST;
  }
  return FIX::CxlRejResponseTo_ORDER_CANCEL_REQUEST;
}

std::optional<CancelRejectResponseTo> CxlRejResponseToFromFix(std::string_view value) {
  return FromFix(value,
                 std::array{CancelRejectResponseTo::kCancel, CancelRejectResponseTo::kReplace},
                 CxlRejResponseToFix);
}

int OrdRejReasonToFix(RejectReason reason) {
  switch (reason) {
    case RejectReason::kUnknownInstrument:
      return FIX::OrdRejReason_UNKNOWN_SYMBOL;
    case RejectReason::kTradingHalted:
      return FIX::OrdRejReason_EXCHANGE_CLOSED;
    case RejectReason::kRiskDenied:
      return FIX::OrdRejReason_ORDER_EXCEEDS_LIMIT;
    case RejectReason::kTooLateToCancel:
      return FIX::OrdRejReason_TOO_LATE_TO_ENTER;
    case RejectReason::kUnknownOrder:
      return FIX::OrdRejReason_UNKNOWN_ORDER;
    case RejectReason::kDuplicateClientOrderId:
      return FIX::OrdRejReason_DUPLICATE_ORDER;
    case RejectReason::kInvalidQuantity:
      return FIX::OrdRejReason_INCORRECT_QUANTITY;
    case RejectReason::kUnsupportedOrder:
      return FIX::OrdRejReason_UNSUPPORTED_ORDER_CHARACTERISTIC;
    case RejectReason::kInvalidCombo:
    case RejectReason::kInvalidPrice:
    case RejectReason::kReplaceBelowFilled:
    case RejectReason::kShuttingDown:
      return FIX::OrdRejReason_OTHER;
  }
  return FIX::OrdRejReason_OTHER;
}

int CxlRejReasonToFix(RejectReason reason) {
  switch (reason) {
    case RejectReason::kTooLateToCancel:
      return FIX::CxlRejReason_TOO_LATE_TO_CANCEL;
    case RejectReason::kUnknownOrder:
      return FIX::CxlRejReason_UNKNOWN_ORDER;
    case RejectReason::kDuplicateClientOrderId:
      return FIX::CxlRejReason_DUPLICATE_CLORDID_RECEIVED;
    case RejectReason::kInvalidCombo:
    case RejectReason::kUnknownInstrument:
    case RejectReason::kInvalidQuantity:
    case RejectReason::kInvalidPrice:
    case RejectReason::kUnsupportedOrder:
    case RejectReason::kReplaceBelowFilled:
    case RejectReason::kRiskDenied:
    case RejectReason::kTradingHalted:
    case RejectReason::kShuttingDown:
      return FIX::CxlRejReason_OTHER;
  }
  return FIX::CxlRejReason_OTHER;
}

char SubscriptionRequestTypeToFix(QuoteSubscription subscription) {
  switch (subscription) {
    case QuoteSubscription::kSnapshot:
      return FIX::SubscriptionRequestType_SNAPSHOT;
    case QuoteSubscription::kSnapshotAndUpdates:
      return FIX::SubscriptionRequestType_SNAPSHOT_PLUS_UPDATES;
    case QuoteSubscription::kUnsubscribe:
      return FIX::SubscriptionRequestType_DISABLE_PREVIOUS_SNAPSHOT_PLUS_UPDATE_REQUEST;
  }
  return FIX::SubscriptionRequestType_SNAPSHOT;
}

std::optional<QuoteSubscription> SubscriptionRequestTypeFromFix(std::string_view value) {
  return FromFix(value,
                 std::array{QuoteSubscription::kSnapshot, QuoteSubscription::kSnapshotAndUpdates,
                            QuoteSubscription::kUnsubscribe},
                 SubscriptionRequestTypeToFix);
}

char MdEntryTypeToFix(QuoteSide side) {
  switch (side) {
    case QuoteSide::kBid:
      return FIX::MDEntryType_BID;
    case QuoteSide::kOffer:
      return FIX::MDEntryType_OFFER;
  }
  return FIX::MDEntryType_BID;
}

std::optional<QuoteSide> MdEntryTypeFromFix(std::string_view value) {
  return FromFix(value, std::array{QuoteSide::kBid, QuoteSide::kOffer}, MdEntryTypeToFix);
}

int SecurityResponseTypeToFix(SecurityResponse response) {
  switch (response) {
    case SecurityResponse::kAcceptedAsProposed:
      return FIX::SecurityResponseType_ACCEPT_SECURITY_PROPOSAL_AS_IS;
    case SecurityResponse::kAcceptedWithRevisions:
      return FIX::
          SecurityResponseType_ACCEPT_SECURITY_PROPOSAL_WITH_REVISIONS_AS_INDICATED_IN_THE_MESSAGE;
    case SecurityResponse::kRejected:
      return FIX::SecurityResponseType_REJECT_SECURITY_PROPOSAL;
  }
  return FIX::SecurityResponseType_REJECT_SECURITY_PROPOSAL;
}

std::optional<SecurityResponse> SecurityResponseTypeFromFix(std::string_view value) {
  return FromFix(value,
                 std::array{SecurityResponse::kAcceptedAsProposed,
                            SecurityResponse::kAcceptedWithRevisions, SecurityResponse::kRejected},
                 SecurityResponseTypeToFix);
}

char MdReqRejReasonForTag(int ref_tag) {
  switch (ref_tag) {
    case FIX::FIELD::SubscriptionRequestType:
      return FIX::MDReqRejReason_UNSUPPORTED_SUBSCRIPTIONREQUESTTYPE;
    case FIX::FIELD::MarketDepth:
      return FIX::MDReqRejReason_UNSUPPORTED_MARKETDEPTH;
    case FIX::FIELD::MDUpdateType:
      return FIX::MDReqRejReason_UNSUPPORTED_MDUPDATETYPE;
    case FIX::FIELD::NoMDEntryTypes:
    case FIX::FIELD::MDEntryType:
      return FIX::MDReqRejReason_UNSUPPORTED_MDENTRYTYPE;
    default:
      return FIX::MDReqRejReason_UNKNOWN_SYMBOL;
  }
}

std::string_view MsgTypeName(std::string_view msg_type) {
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {FIX::MsgType_Reject, "Reject"},
      {FIX::MsgType_ExecutionReport, "ExecutionReport"},
      {FIX::MsgType_OrderCancelReject, "OrderCancelReject"},
      {FIX::MsgType_SecurityDefinition, "SecurityDefinition"},
      {FIX::MsgType_BusinessMessageReject, "BusinessMessageReject"},
      {FIX::MsgType_MarketDataSnapshotFullRefresh, "MarketDataSnapshotFullRefresh"},
      {FIX::MsgType_MarketDataRequestReject, "MarketDataRequestReject"},
      {FIX::MsgType_SecurityList, "SecurityList"},
  };
  for (const auto& [type, name] : kNames) {
    if (type == msg_type) return name;
  }
  return msg_type;
}

std::string_view ExecTypeName(std::string_view exec_type) {
  if (exec_type.size() != 1) return "ExecType?";
  switch (exec_type.front()) {
    case FIX::ExecType_NEW:
      return "New";
    case FIX::ExecType_CANCELED:
      return "Canceled";
    case FIX::ExecType_REPLACED:
      return "Replaced";
    case FIX::ExecType_REJECTED:
      return "Rejected";
    case FIX::ExecType_TRADE:
      return "Trade";
    case FIX::ExecType_ORDER_STATUS:
      return "Status";
    case FIX::ExecType_PENDING_CANCEL:
      return "PendingCancel";
    case FIX::ExecType_PENDING_REPLACE:
      return "PendingReplace";
    case FIX::ExecType_EXPIRED:
      return "Expired";
    case FIX::ExecType_RESTATED:
      return "Restated";
    default:
      return "ExecType?";
  }
}

std::string_view OrdStatusName(std::string_view ord_status) {
  const std::optional<ClientOrderStatus> status = OrdStatusFromFix(ord_status);
  if (!status.has_value()) return "OrdStatus?";
  switch (*status) {
    case ClientOrderStatus::kNew:
      return "New";
    case ClientOrderStatus::kPartiallyFilled:
      return "PartiallyFilled";
    case ClientOrderStatus::kFilled:
      return "Filled";
    case ClientOrderStatus::kCanceled:
      return "Canceled";
    case ClientOrderStatus::kRejected:
      return "Rejected";
    case ClientOrderStatus::kPendingCancel:
      return "PendingCancel";
    case ClientOrderStatus::kPendingReplace:
      return "PendingReplace";
    case ClientOrderStatus::kExpired:
      return "Expired";
  }
  return "OrdStatus?";
}

std::string_view SideName(std::string_view side) {
  const std::optional<core::Side> parsed = SideFromFix(side);
  if (!parsed.has_value()) return "side?";
  switch (*parsed) {
    case core::Side::kBuy:
      return "buy";
    case core::Side::kSell:
      return "sell";
  }
  return "side?";
}

}  // namespace combo::fix
