// Translation: an inbound FIX application message -> a domain request for router::OrderEntry,
// or a reject that names the problem and the FIX message that carries it. Translation parses:
// it rejects what cannot be read as a request (a missing or malformed field, an unknown
// instrument or one another shard owns, legs that make no combo). Whether the router takes a
// well-formed request (order type, time in force, the combo's tick, ClOrdIDs, what a replace may
// change) is the router's rule (router/order_checks.h), checked there once.
//
// Translation reads only the message and the TranslationContext (the instrument catalog and the
// combos this gateway defined): it changes no state, so a malformed message can never reach the
// router. It does not trust QuickFIX's dictionary validation to have run (the fuzz target feeds
// it unvalidated messages): every field it reads is checked here too.
//
// Pure functions over their arguments; thread-safe as long as the context's catalog is not
// being changed.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "core/combo_spec.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/price.h"
#include "core/side.h"
#include "fix/security_list.h"
#include "pricing/strategy.h"
#include "quickfix/Message.h"
#include "router/order_entry.h"
#include "router/shard_ownership.h"

namespace combo::fix {

// The facts translation needs beyond the message itself.
struct TranslationContext {
  // The session's counterparty (its SenderCompID): the router's ClientId.
  core::ClientId client;
  // Used when a message carries no Account(1).
  core::AccountId default_account;
  const core::InstrumentCatalog* instruments = nullptr;
  // A combo defined through SecurityDefinitionRequest, by its SecurityID; nullptr when unknown.
  std::function<const core::ComboSpec*(core::ComboId)> find_combo;
  // The most legs a combo may have.
  size_t max_legs = 8;
  // A sharded set's map (docs/DEPLOY.md "Sharded by product group"): a combo with a leg of
  // another shard's product group is refused naming the shards; nullptr when unsharded.
  const router::ShardOwnership* shards = nullptr;
};

// Which FIX message answers a rejected request.
enum class RejectChannel : uint8_t {
  kBusinessReject,            // BusinessMessageReject (35=j)
  kOrderReject,               // ExecutionReport (35=8) ExecType=8 OrdStatus=8
  kCancelReject,              // OrderCancelReject (35=9)
  kSecurityDefinitionReject,  // SecurityDefinition (35=d) SecurityResponseType=5
  kMarketDataReject,          // MarketDataRequestReject (35=Y)
  kSecurityListReject,        // SecurityList (35=y) SecurityRequestResult=1
};

// BusinessRejectReason(380) values the gateway uses.
enum class BusinessRejectCode : int {
  kOther = 0,
  kUnknownId = 1,
  kUnsupportedMessageType = 3,
  kConditionallyRequiredFieldMissing = 5,
};

struct InboundReject {
  RejectChannel channel = RejectChannel::kBusinessReject;
  // Names the problem: "leg 2: LegRatioQty(623) must be a whole number of at least 1, got 0".
  std::string text;
  // The rejected message's MsgType(35) and MsgSeqNum(34).
  std::string msg_type;
  int ref_seq_num = 0;
  // The field at fault, when one is (0: none).
  int ref_tag = 0;
  router::RejectReason reason = router::RejectReason::kUnsupportedOrder;
  BusinessRejectCode business_code = BusinessRejectCode::kOther;
  router::CancelRejectResponseTo response_to = router::CancelRejectResponseTo::kCancel;
  // Echoed back when the message carried them (empty otherwise).
  std::string client_order_id;
  std::string original_client_order_id;
  // SecurityReqID(320) (35=c or 35=x) or MDReqID(262).
  std::string request_id;
  std::string account;
  std::optional<core::Side> side;
};

// A strategy template a SecurityDefinitionRequest names: SecuritySubType(762) and the
// underlying in Symbol(55) (seed 003 R3, docs/FIX.md "Strategy templates").
struct StrategyTemplate {
  pricing::Strategy strategy = pricing::Strategy::kVertical;
  std::string underlying;
};

// SecurityDefinitionRequest (35=c): define a combo, from its legs or from a strategy template
// (then `combo` holds the template's legs, checked against and completed from those sent).
struct DefineComboRequest {
  std::string request_id;
  core::ComboSpec combo;
  std::optional<StrategyTemplate> strategy = std::nullopt;
};

enum class QuoteSubscription : uint8_t { kSnapshot, kSnapshotAndUpdates, kUnsubscribe };

// MarketDataRequest (35=V) for a defined combo's smart combo tick.
struct QuoteRequest {
  std::string request_id;
  QuoteSubscription subscription = QuoteSubscription::kSnapshot;
  core::ComboId combo;
  bool bids = true;
  bool offers = true;
};

// MultilegOrderCancelReplace (35=AC) becomes a router::ReplaceComboOrder restating the side
// and, when the message repeats them, the legs and time in force: the router refuses a replace
// that would change them (translation has no order state).
using Inbound = std::variant<InboundReject, router::NewComboOrder, router::CancelComboOrder,
                             router::ReplaceComboOrder, router::ComboOrderStatusRequest,
                             DefineComboRequest, QuoteRequest, SecurityListQuery>;

Inbound Translate(const FIX::Message& message, const TranslationContext& context);

// A whole, positive number from a FIX Qty/Float field ("10", "10.0"); fails naming `what`.
absl::StatusOr<int64_t> ParseWholeNumber(std::string_view text, std::string_view what);

}  // namespace combo::fix
