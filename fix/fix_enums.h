// FixEnums: the mapping between the domain's enums and FIX 4.4 field values, both ways, in one
// place: Side(54)/LegSide(624), OrdType(40), TimeInForce(59), OrdStatus(39), CxlRejResponseTo
// (434), OrdRejReason(103) and CxlRejReason(102) of a reject, SubscriptionRequestType(263),
// MDEntryType(269), SecurityResponseType(323), MDReqRejReason(281), and the names combo-client
// prints for MsgType(35), ExecType(150), OrdStatus(39) and Side(54) values. Values are QuickFIX's
// constants (quickfix/FixValues.h). A value the gateway does not take reads as std::nullopt.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/side.h"
#include "fix/translation.h"
#include "quickfix/FixValues.h"
#include "router/order_entry.h"

namespace combo::fix {

// A one-character FIX value as the text QuickFIX's setField takes.
std::string FixValue(char value);

// Side(54), LegSide(624): 1 buy, 2 sell.
char SideToFix(core::Side side);
std::optional<core::Side> SideFromFix(std::string_view value);

// OrdType(40): 1 market, 2 limit.
char OrdTypeToFix(router::ComboOrderType type);
std::optional<router::ComboOrderType> OrdTypeFromFix(std::string_view value);

// TimeInForce(59): 0 day, 1 good till cancel, 3 immediate or cancel, 4 fill or kill.
char TimeInForceToFix(router::ComboTimeInForce time_in_force);
std::optional<router::ComboTimeInForce> TimeInForceFromFix(std::string_view value);

// OrdStatus(39): 0 new, 1 partially filled, 2 filled, 4 canceled, 6 pending cancel, 8 rejected,
// E pending replace.
char OrdStatusToFix(router::ClientOrderStatus status);
std::optional<router::ClientOrderStatus> OrdStatusFromFix(std::string_view value);

// CxlRejResponseTo(434): 1 cancel request, 2 cancel/replace request.
char CxlRejResponseToFix(router::CancelRejectResponseTo response_to);
std::optional<router::CancelRejectResponseTo> CxlRejResponseToFromFix(std::string_view value);

// OrdRejReason(103) of an order reject; 99 (other) for reasons FIX has no code for.
int OrdRejReasonToFix(router::RejectReason reason);
// CxlRejReason(102) of a cancel reject; 99 (other) for reasons FIX has no code for.
int CxlRejReasonToFix(router::RejectReason reason);

// SubscriptionRequestType(263): 0 snapshot, 1 snapshot and updates, 2 unsubscribe.
char SubscriptionRequestTypeToFix(QuoteSubscription subscription);
std::optional<QuoteSubscription> SubscriptionRequestTypeFromFix(std::string_view value);

// Which side of the smart combo tick an MDEntryType(269) names: 0 bid, 1 offer.
enum class QuoteSide : uint8_t { kBid, kOffer };
char MdEntryTypeToFix(QuoteSide side);
std::optional<QuoteSide> MdEntryTypeFromFix(std::string_view value);

// SecurityResponseType(323) of a SecurityDefinition: 1 accepted as proposed, 2 accepted with
// revisions (the canonical form differs), 5 rejected.
enum class SecurityResponse : uint8_t { kAcceptedAsProposed, kAcceptedWithRevisions, kRejected };
int SecurityResponseTypeToFix(SecurityResponse response);
std::optional<SecurityResponse> SecurityResponseTypeFromFix(std::string_view value);

// MDReqRejReason(281) for a MarketDataRequest refused over the field `ref_tag` (0 unknown symbol
// when no field is at fault or the field has no code of its own).
char MdReqRejReasonForTag(int ref_tag);

// Display names of values in the gateway's reports ("Trade", "PartiallyFilled", "buy"); a value
// without one reads "ExecType?", "OrdStatus?", "side?", and a MsgType without one is itself.
std::string_view MsgTypeName(std::string_view msg_type);
std::string_view ExecTypeName(std::string_view exec_type);
std::string_view OrdStatusName(std::string_view ord_status);
std::string_view SideName(std::string_view side);

}  // namespace combo::fix
