// Journal events: everything about orders, fills and accounts that must survive a crash.
//
// The router records one of these (through AccountsService) before it tells a client anything:
// an accepted order, a leg execution, a combo fill reported to the client, a transfer to (or an
// unwind fill of) the error account, a cancel, a replace. Marks of the error account are
// journaled too, so its P&L can be shown without a live market. The journal stores each event
// as a versioned text record (EncodePayload); replaying the records in order rebuilds every
// account (Ledger). Value types; safe to copy between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "core/ids.h"
#include "core/instrument.h"
#include "core/money.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"
#include "core/time.h"

namespace combo::accounts {

// One leg of an accepted order, in the client's terms, with the instrument facts the accounts
// need (so the journal describes itself: replay and the operator command need no catalog).
struct LegTerms {
  core::InstrumentId instrument;
  std::string symbol;
  core::AssetClass asset_class = core::AssetClass::kStock;
  int64_t multiplier = 1;
  // Contracts (or shares) of this leg per unit of the combo.
  int64_t ratio = 1;
  // The leg's side when the combo is bought.
  core::Side side = core::Side::kBuy;
  friend bool operator==(const LegTerms&, const LegTerms&) = default;
};

// An order's type and time in force as the journal keeps them (the router's own enums live
// above accounts/; these mirror them so that a restarted router can rebuild the order).
enum class JournaledOrderType : uint8_t { kLimit, kMarket };
enum class JournaledTimeInForce : uint8_t {
  kDay,
  kGoodTillCancel,
  kImmediateOrCancel,
  kFillOrKill,
  kGoodTillDate,
};

// The router accepted a client's combo order (before the New ack goes out).
struct OrderAccepted {
  core::OrderId order;
  core::AccountId account;
  core::ClientOrderId client_order;
  core::Side side = core::Side::kBuy;
  // Combo units, in the client's form.
  core::Quantity quantity;
  // Net limit price per combo unit, in the client's form.
  core::Price limit;
  std::vector<LegTerms> legs;
  core::Timestamp time;
  // What a restarted router needs to resume the order and report on it (journals written before
  // these were recorded read them as: the account's name, limit, day, no SecurityID).
  // The client (FIX SenderCompID) whose session reports go to.
  std::string client;
  JournaledOrderType type = JournaledOrderType::kLimit;
  JournaledTimeInForce time_in_force = JournaledTimeInForce::kDay;
  // The defined combo the client named (FIX SecurityID), if it named one.
  std::optional<core::ComboId> security_id;
  // When the order expires on its own (a day order's close, a good-till-date order's end), fixed
  // at acceptance; absent for good till cancel, and in journals written before it was recorded.
  std::optional<core::Timestamp> expires_at = std::nullopt;
  friend bool operator==(const OrderAccepted&, const OrderAccepted&) = default;
};

// A client defined a combo (FIX SecurityDefinitionRequest): the id it was given, so that orders
// naming it by SecurityID still find it after a restart. Legs in canonical form.
struct ComboDefined {
  core::ComboId combo;
  std::vector<LegTerms> legs;
  core::Timestamp time;
  friend bool operator==(const ComboDefined&, const ComboDefined&) = default;
};

// A venue executed one leg of an order (a leg-in child or a leg of a native combo fill).
struct LegFill {
  core::OrderId order;
  core::VenueId venue;
  // The venue's execution id: a second fill with the same (venue, execution id) is refused.
  std::string execution_id;
  core::InstrumentId instrument;
  // The side the leg traded: the leg's side, flipped when the client sells the combo.
  core::Side side = core::Side::kBuy;
  core::Quantity quantity;
  core::Price price;
  core::Timestamp time;
  friend bool operator==(const LegFill&, const LegFill&) = default;
};

struct LegPrice {
  core::InstrumentId instrument;
  core::Price price;
  friend bool operator==(const LegPrice&, const LegPrice&) = default;
};

// Whole combo units reported to the client as filled (one trade in the client's account).
// Consumes units x ratio of each leg's unallocated fills.
struct ComboFillReported {
  core::OrderId order;
  core::Quantity units;
  // Net price per combo unit, in the client's form.
  core::Price price;
  // The price of each leg of this fill, every leg exactly once.
  std::vector<LegPrice> leg_prices;
  // Set by AccountsService from the configured schedule; journaled so that a later change of
  // schedule does not rewrite history.
  core::Money commission;
  core::Timestamp time;
  friend bool operator==(const ComboFillReported&, const ComboFillReported&) = default;
};

enum class ErrorBookingKind : uint8_t {
  // Leg executions of `order` that did not form whole combo units, moved to the error account.
  kLegInFailure,
  // An execution of an unwind order that closes (part of) an error-account position.
  kUnwindFill,
  // Ledger-made, never recorded: a residual resolver's trade (ResolverFill) and units of a
  // residue handed to the client's order (ResidualDelivered), listed among the bookings.
  kResolverFill,
  kDelivered,
};

struct ErrorAccountBooking {
  ErrorBookingKind kind = ErrorBookingKind::kLegInFailure;
  // The client order whose leg-in failed, or the unwind order.
  core::OrderId order;
  core::InstrumentId instrument;
  core::Side side = core::Side::kBuy;
  core::Quantity quantity;
  core::Price price;
  // Why: "leg timeout", "other leg rejected", "unwind", ...
  std::string reason;
  core::Timestamp time;
  friend bool operator==(const ErrorAccountBooking&, const ErrorAccountBooking&) = default;
};

// The order's remaining quantity is cancelled (client request, expiry, risk). Fills racing the
// cancel may still arrive and are recorded.
struct OrderCancelled {
  core::OrderId order;
  std::string reason;
  core::Timestamp time;
  friend bool operator==(const OrderCancelled&, const OrderCancelled&) = default;
};

// The client replaced the order's quantity and limit (MultilegOrderCancelReplace).
struct OrderReplaced {
  core::OrderId order;
  core::ClientOrderId client_order;
  core::Quantity quantity;
  core::Price limit;
  core::Timestamp time;
  friend bool operator==(const OrderReplaced&, const OrderReplaced&) = default;
};

struct InstrumentMark {
  core::InstrumentId instrument;
  // The mid of the consolidated market.
  core::Price mid;
  friend bool operator==(const InstrumentMark&, const InstrumentMark&) = default;
};

// Marks of error-account instruments at one moment (for P&L when no market is live).
struct MarksRecorded {
  std::vector<InstrumentMark> marks;
  core::Timestamp time;
  friend bool operator==(const MarksRecorded&, const MarksRecorded&) = default;
};

// --- The residual resolver (resolver/, docs/RESOLVER.md) ------------------------------------
// A residual is the error-account residue of one client order (the leg executions R16 booked
// there for it), named by that order's id, with whatever the resolver traded on its behalf.

// What the resolver did with a residual.
enum class ResidualActionKind : uint8_t {
  kComplete,  // sent orders for the missing legs (whole units)
  kUnwind,    // sent orders closing the orphan legs
  kHedge,     // sent an order neutralising the residual's delta (or closing that hedge)
  kHold,      // left it in the error account (the last resort)
  kHandOff,   // handed to a person: the resolver stops working it
  kDeliver,   // completed units went to the client's order
  kResolved,  // nothing of it is left
};

struct ResidualAction {
  // The origin order: the residual's name.
  core::OrderId order;
  ResidualActionKind action = ResidualActionKind::kHold;
  // "sent", "filled", "partial", "no_fill", "held", "handed_off", "resolved", ...
  std::string outcome;
  // For people: the expected costs it chose between, what it sent, why it held.
  std::string detail;
  core::Timestamp time;
  friend bool operator==(const ResidualAction&, const ResidualAction&) = default;
};

enum class ResolverPurpose : uint8_t { kComplete, kUnwind, kHedge };

// An execution of an order the resolver sent for a residual: a trade of the error account. It
// may open a position (a missing leg, a hedge), so it carries the instrument's facts.
struct ResolverFill {
  // The residual (its origin order).
  core::OrderId order;
  ResolverPurpose purpose = ResolverPurpose::kUnwind;
  core::VenueId venue;
  std::string execution_id;
  core::InstrumentId instrument;
  std::string symbol;
  core::AssetClass asset_class = core::AssetClass::kStock;
  int64_t multiplier = 1;
  core::Side side = core::Side::kBuy;
  core::Quantity quantity;
  core::Price price;
  core::Timestamp time;
  friend bool operator==(const ResolverFill&, const ResolverFill&) = default;
};

// Whole units the resolver completed from an order's residual go to that order (it still
// wanted them): each leg's units x ratio leave the error account at the leg's price and become
// unallocated executions of the order, which the combo fill reported next takes.
struct ResidualDelivered {
  core::OrderId order;
  // Combo units in the client's form.
  core::Quantity units;
  // Every leg of the order exactly once.
  std::vector<LegPrice> leg_prices;
  core::Timestamp time;
  friend bool operator==(const ResidualDelivered&, const ResidualDelivered&) = default;
};

using JournalEvent = std::variant<OrderAccepted, LegFill, ComboFillReported, ErrorAccountBooking,
                                  OrderCancelled, OrderReplaced, MarksRecorded, ComboDefined,
                                  ResidualAction, ResolverFill, ResidualDelivered>;

// An event with the journal sequence number it was (or will be) stored under.
struct StoredEvent {
  uint64_t sequence = 0;
  JournalEvent event;
  friend bool operator==(const StoredEvent&, const StoredEvent&) = default;
};

enum class EventKind : uint8_t {
  kOrderAccepted,
  kLegFill,
  kComboFillReported,
  kErrorAccountBooking,
  kOrderCancelled,
  kOrderReplaced,
  kMarksRecorded,
  kComboDefined,
  kResidualAction,
  kResolverFill,
  kResidualDelivered,
};

EventKind KindOf(const JournalEvent& event);
// "order_accepted", "leg_fill", ...: the journal's kind column and the operator's tables.
std::string_view ToString(EventKind kind);
absl::StatusOr<EventKind> ParseEventKind(std::string_view text);
std::string_view ToString(ErrorBookingKind kind);
std::string_view ToString(ResidualActionKind kind);
absl::StatusOr<ResidualActionKind> ParseResidualActionKind(std::string_view text);
std::string_view ToString(ResolverPurpose purpose);

// The order an event belongs to, or none (marks, combo definitions).
std::optional<core::OrderId> OrderOf(const JournalEvent& event);
core::Timestamp TimeOf(const JournalEvent& event);

// The event as a text record: "v=1;order=7;account=ACME;..." with every value escaped.
std::string EncodePayload(const JournalEvent& event);
// The inverse; fails naming the field that is missing or malformed.
absl::StatusOr<JournalEvent> DecodePayload(EventKind kind, std::string_view payload);

// One line for people: "leg fill buy 3 SPY C 460 @ 1.25 at venue 2 (X-17)". `name_of` gives an
// instrument's symbol; the first form writes "#<id>".
std::string Describe(const JournalEvent& event,
                     absl::FunctionRef<std::string(core::InstrumentId)> name_of);
std::string Describe(const JournalEvent& event);

// Money as its exact raw integer text (the journal's form) and back.
std::string MoneyToRawText(core::Money money);
absl::StatusOr<core::Money> MoneyFromRawText(std::string_view text);

}  // namespace combo::accounts
