// OrderEntry: the router's front door. Brokers' combo orders come in here (through fix/), and
// everything a client hears back about them goes out through an OrderEntryListener.
//
// Requests speak the client's terms: the combo as the client wrote it (leg order, ratios,
// sides), the side the client chose, quantities in units of that combo and net prices per unit
// of it. The router maps them onto the canonical combo internally and maps every report back,
// so a client never sees the canonical form.
//
// The router is the one owner of an order: every event carries everything a report about the
// order needs (its legs as sent, account, type, time in force, ClOrdIDs, per-leg totals), so a
// front end such as fix/ formats reports from the events alone and keeps no order state.
//
// Submit, Cancel, Replace and RequestStatus return admission status only (an error means the
// request could not be looked at, e.g. the router is shut down); whether an order is accepted,
// rejected, filled or cancelled arrives as events, in order, on the listener.
//
// Not thread-safe: called on the core thread; listeners are called on it too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "core/combo_spec.h"
#include "core/ids.h"
#include "core/money.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"
#include "core/time.h"

namespace combo::router {

enum class ComboOrderType : uint8_t {
  kLimit,
  // Trades at the best combo price available; never rests.
  kMarket,
};

enum class ComboTimeInForce : uint8_t {
  kDay,
  kGoodTillCancel,
  kImmediateOrCancel,
  kFillOrKill,
  // Works until its expire time, or the close of its expire date (FIX 59=6, ExpireTime(126) or
  // ExpireDate(432)).
  kGoodTillDate,
};

// A client's view of where its order stands (FIX OrdStatus).
enum class ClientOrderStatus : uint8_t {
  kNew,              // accepted, nothing filled
  kPartiallyFilled,  // some units filled, the rest working
  kFilled,
  kCanceled,  // finished with units unfilled (cancel, IOC remainder, expiry)
  kRejected,
  kPendingCancel,   // a cancel waits for working legs to finish
  kPendingReplace,  // a replace waits for working legs to finish
  kExpired,         // finished with units unfilled because its trading day ended
};

// Why a request was refused. Appended to, never renumbered.
enum class RejectReason : uint8_t {
  kInvalidCombo,       // the legs do not make a combo (names the leg)
  kUnknownInstrument,  // a leg names an instrument the router does not know
  kInvalidQuantity,    // zero, negative or not a whole number of client units
  kInvalidPrice,       // missing for a limit order, off the combo's tick, out of range
  kUnsupportedOrder,   // an order type / time in force combination the router does not take
  kDuplicateClientOrderId,
  kUnknownOrder,        // cancel, replace or status of an order the client does not have open
  kTooLateToCancel,     // the order is already finished
  kReplaceBelowFilled,  // a replace asked for fewer units than have filled
  kRiskDenied,          // a pre-trade check failed (the text names the rule)
  kTradingHalted,       // the operator halted trading
  kShuttingDown,
};

std::string_view ToString(ComboOrderType value);
std::string_view ToString(ComboTimeInForce value);
std::string_view ToString(ClientOrderStatus value);
std::string_view ToString(RejectReason value);

struct NewComboOrder {
  core::ClientId client;
  core::ClientOrderId client_order_id;
  core::AccountId account;
  core::ComboSpec combo;
  core::Side side = core::Side::kBuy;
  // Units of the client's combo.
  core::Quantity quantity;
  ComboOrderType type = ComboOrderType::kLimit;
  // Net price per unit, present exactly for limit orders. Zero and negative are legal.
  std::optional<core::Price> limit_price;
  ComboTimeInForce time_in_force = ComboTimeInForce::kDay;
  // Set when the client named a defined combo (FIX SecurityID) rather than its legs; `combo`
  // then holds that combo's legs. Reports name the combo the same way.
  std::optional<core::ComboId> security_id = std::nullopt;
  // A good-till-date order's end, exactly one of them: a time, or a date whose session close on
  // the trading calendar ends it. Neither for any other time in force.
  std::optional<core::Timestamp> expire_time = std::nullopt;
  std::optional<absl::CivilDay> expire_date = std::nullopt;
};

struct CancelComboOrder {
  core::ClientId client;
  // The cancel request's own id, and the id of the order to cancel.
  core::ClientOrderId client_order_id;
  core::ClientOrderId original_client_order_id;
};

// Changes an open order's limit price and/or total quantity (as in FIX, the total counts what
// has filled). The order keeps its legs, side, time in force and account: a replace may restate
// them, and the router refuses one whose restated terms differ from the order's.
struct ReplaceComboOrder {
  core::ClientId client;
  core::ClientOrderId client_order_id;
  core::ClientOrderId original_client_order_id;
  std::optional<core::Price> limit_price;
  core::Quantity total_quantity;
  // Only a limit order can be replaced.
  ComboOrderType type = ComboOrderType::kLimit;
  // Restated terms; absent when the request did not restate them.
  std::optional<core::Side> side = std::nullopt;
  std::optional<core::ComboSpec> combo = std::nullopt;
  std::optional<ComboTimeInForce> time_in_force = std::nullopt;
};

struct ComboOrderStatusRequest {
  core::ClientId client;
  core::ClientOrderId client_order_id;
};

// A canonical combo as the router defines it for a client (FIX SecurityDefinition).
struct ComboDefinition {
  core::ComboId id;
  // The combo the id names (canonical.spec), and how the requested combo maps onto it: one
  // requested unit is canonical.unit_factor of its units, mirrored when the sides were flipped.
  core::CanonicalCombo canonical;
  // The canonical combo's multiplier: gcd over its legs of ratio x leg multiplier (seed 003
  // R4a), so legs x ratios and multiplier describe the same combo unit.
  int64_t combo_multiplier = 1;
};

// One leg's part of a combo execution, in the client's terms.
struct LegExecutionReport {
  core::InstrumentId instrument;
  core::Side side = core::Side::kBuy;
  core::VenueId venue;
  core::Price price;
  // Contracts (or shares) of this leg: units x ratio.
  core::Quantity quantity;
};

// One leg of an order's combo as the client sent it, with what has filled of it so far.
struct OrderLeg {
  core::ComboLeg leg;
  // Contracts (shares) of this leg in the fills reported to the client.
  core::Quantity cumulative_quantity;
  // Sum over those fills of price x contracts, exact.
  core::Money notional;

  // The exact average price of the leg's fills (half-even to the price grid); zero when none.
  core::Price AveragePrice() const;
};

// Adds the leg executions of one reported fill to the totals of `legs` (matched by instrument).
void AddLegFills(std::vector<OrderLeg>& legs, const std::vector<LegExecutionReport>& fills);

// What every report carries about the order it concerns: enough to describe it in full.
struct OrderSnapshot {
  core::ClientId client;
  // The id the report answers (a cancel's or replace's own id where it answers one).
  core::ClientOrderId client_order_id;
  // The order's ClOrdID before this request (FIX OrigClOrdID): on a cancel's report the id the
  // cancel named, on a replace's report the id it replaced. Equal to client_order_id when the
  // report answers the order's own id.
  core::ClientOrderId original_client_order_id;
  core::OrderId order_id;
  core::AccountId account;
  core::Side side = core::Side::kBuy;
  ComboOrderType type = ComboOrderType::kLimit;
  ComboTimeInForce time_in_force = ComboTimeInForce::kDay;
  // The defined combo the client named, if it named one (NewComboOrder::security_id).
  std::optional<core::ComboId> security_id;
  // The multiplier of the combo in `legs` (the client's form, or the defined combo's legs for
  // an order by SecurityID): one unit of order_quantity is worth price x this (seed 003 R4).
  int64_t combo_multiplier = 1;
  // The client's legs in its order, with their fill totals.
  std::vector<OrderLeg> legs;
  ClientOrderStatus status = ClientOrderStatus::kNew;
  core::Quantity order_quantity;
  core::Quantity cumulative_quantity;
  core::Quantity leaves_quantity;
  // Exact average of the filled units' net prices; absent until something filled.
  std::optional<core::Price> average_price;
  std::optional<core::Price> limit_price;
};

struct ComboOrderAccepted {
  OrderSnapshot order;
  core::Timestamp time;
};

// Which request a ComboOrderRejected answers.
enum class RejectedRequest : uint8_t {
  kNewOrder,
  // A status request for an order the client does not have (FIX: ExecType=I, OrdStatus=8).
  kStatusRequest,
};

struct ComboOrderRejected {
  core::ClientId client;
  core::ClientOrderId client_order_id;
  RejectReason reason = RejectReason::kUnsupportedOrder;
  // Names the problem, e.g. "leg 2: ratio must be at least 1, got 0".
  std::string text;
  core::Timestamp time;
  RejectedRequest rejected_request = RejectedRequest::kNewOrder;
  // The refused new order as the client sent it (absent for a status request).
  std::optional<NewComboOrder> order = std::nullopt;
};

// One consolidated fill: whole units of the client's combo at one net price, with the legs
// behind them. The legs' prices reproduce the net price exactly:
// sum over legs of sign(side) x weight x price == last_price.
struct ComboExecution {
  OrderSnapshot order;
  // Increasing per router; unique across all orders.
  uint64_t execution_id = 0;
  core::Quantity last_quantity;
  core::Price last_price;
  std::vector<LegExecutionReport> legs;
  // What the client is charged for this fill, exactly as the accounts booked it (seed 003 R18);
  // absent when the router keeps no accounts (then nothing is booked).
  std::optional<core::Money> commission;
  core::Timestamp time;
};

struct ComboOrderCancelled {
  OrderSnapshot order;
  // Why the rest will not fill: "cancelled by client", "IOC remainder", "expired", ...
  std::string text;
  core::Timestamp time;
};

struct ComboOrderReplaced {
  OrderSnapshot order;
  core::Timestamp time;
  // How it was replaced: in place at the native venue (queue place kept or lost), or by pulling
  // what worked and routing again (FIX Text).
  std::string text = {};
};

// A venue's automated order protection (seed 004) moved the working price of the order's native
// order: the client's limit and quantities are unchanged, the order now works at
// `working_price` (FIX ExecType D Restated, ExecRestatementReason 3 Repricing of order).
struct ComboOrderRestated {
  OrderSnapshot order;
  // Net price per unit in the client's terms; never worse than its limit.
  core::Price working_price;
  // Which venue and why: "venue 2 AOP aop_top_of_book: working at 1.02 (limit 1.05)".
  std::string text;
  core::Timestamp time;
};

enum class CancelRejectResponseTo : uint8_t { kCancel, kReplace };

// A cancel or replace that cannot be done (FIX OrderCancelReject).
struct CancelRejected {
  core::ClientId client;
  core::ClientOrderId client_order_id;
  core::ClientOrderId original_client_order_id;
  CancelRejectResponseTo response_to = CancelRejectResponseTo::kCancel;
  RejectReason reason = RejectReason::kUnknownOrder;
  std::string text;
  // The order's state when known.
  std::optional<OrderSnapshot> order;
  core::Timestamp time;
};

// The answer to a status request.
struct ComboOrderStatusReport {
  OrderSnapshot order;
  core::Timestamp time;
};

// A cancel or replace the router has taken in hand and is carrying out (FIX ExecType 6 Pending
// Cancel, E Pending Replace; the snapshot's status says which). It is told at once, before any
// venue answers; the outcome (cancelled, replaced, or a cancel reject) follows.
struct ComboOrderPending {
  OrderSnapshot order;
  core::Timestamp time;
};

class OrderEntryListener {
 public:
  virtual ~OrderEntryListener() = default;
  virtual void OnAccepted(const ComboOrderAccepted& event) = 0;
  virtual void OnRejected(const ComboOrderRejected& event) = 0;
  virtual void OnExecution(const ComboExecution& event) = 0;
  virtual void OnCancelled(const ComboOrderCancelled& event) = 0;
  virtual void OnReplaced(const ComboOrderReplaced& event) = 0;
  virtual void OnCancelRejected(const CancelRejected& event) = 0;
  virtual void OnStatus(const ComboOrderStatusReport& event) = 0;
  // Only the FIX gateway reports it; listeners that keep no client session may ignore it.
  virtual void OnPending(const ComboOrderPending& /*event*/) {}
  // Informational (nothing filled or changed on the client's side); may be ignored likewise.
  virtual void OnRestated(const ComboOrderRestated& /*event*/) {}
};

// Where the best combo price comes from (seed 003 R7: the smart combo tick names its source).
struct QuoteSource {
  // Absent: implied from the legs; present: the native venue.
  std::optional<core::VenueId> venue;
  friend bool operator==(const QuoteSource&, const QuoteSource&) = default;
};

struct ComboQuoteSide {
  core::Price price;
  core::Quantity quantity;
  QuoteSource source;
  friend bool operator==(const ComboQuoteSide&, const ComboQuoteSide&) = default;
};

// The best combo bid and ask of a defined combo, in canonical terms.
struct ComboQuote {
  core::ComboId combo;
  std::optional<ComboQuoteSide> bid;
  std::optional<ComboQuoteSide> ask;
  core::Timestamp time;
};

class ComboQuoteListener {
 public:
  virtual ~ComboQuoteListener() = default;
  // Called when the combo's best bid or ask changes, not on every leg update.
  virtual void OnComboQuote(const ComboQuote& quote) = 0;
};

class OrderEntry {
 public:
  virtual ~OrderEntry() = default;

  // Where reports go (not owned). One listener serves every client; reports name the client.
  virtual void SetListener(OrderEntryListener* listener) = 0;

  virtual absl::Status Submit(const NewComboOrder& order) = 0;
  virtual absl::Status Cancel(const CancelComboOrder& cancel) = 0;
  virtual absl::Status Replace(const ReplaceComboOrder& replace) = 0;
  virtual absl::Status RequestStatus(const ComboOrderStatusRequest& request) = 0;
  // Cancels every working order of `client` as if it had asked to cancel each (a session that
  // cancels on disconnect); each gets its Canceled report, with `why` as its text. Orders with
  // a cancel or replace already pending are left to it. Front ends without it refuse.
  virtual absl::Status CancelAllOf(const core::ClientId& /*client*/, std::string_view /*why*/) {
    return absl::UnimplementedError("this order entry cannot cancel a client's orders");
  }

  // Defines a combo (its canonical form, id and combo multiplier). Fails, naming the leg, for a
  // combo the router cannot trade (unknown instrument).
  virtual absl::StatusOr<ComboDefinition> DefineCombo(const core::ComboSpec& combo) = 0;
  // The canonical legs of a combo defined with DefineCombo (what a SecurityID names), or null
  // for an id never defined. The pointer is good until the next DefineCombo.
  virtual const core::ComboSpec* FindDefinedCombo(core::ComboId combo) const = 0;
  // The current best quote of a defined combo, and updates to `listener` (not owned) as it
  // changes. Fails for an unknown combo.
  virtual absl::StatusOr<ComboQuote> SubscribeQuotes(core::ComboId combo,
                                                     ComboQuoteListener* listener) = 0;
  virtual absl::Status UnsubscribeQuotes(core::ComboId combo, ComboQuoteListener* listener) = 0;

  // A burst: requests that arrived together (the messages of one socket read), between
  // BeginBurst and EndBurst. The router may journal the burst's events in one commit at
  // EndBurst and send their reports then, in the order of the requests, each still only once
  // its event is in the journal. Implementations without a journal need do nothing.
  virtual void BeginBurst() {}
  virtual void EndBurst() {}
};

}  // namespace combo::router
