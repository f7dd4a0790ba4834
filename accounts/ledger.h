// Ledger: the state that journal events build: orders, clients' universal accounts and the
// error account.
//
// Apply takes one event at a time, in journal order, and is all or nothing: an event that does
// not fit the state (an unknown order, a fill over the order's quantity, a combo fill whose legs
// were never executed) fails with a message naming the problem and changes nothing. Replaying
// the journal through Apply rebuilds exactly the state the daemon had. Reconcile checks the
// ledger's books against each other (every leg execution is in a client trade, the error account
// or still unallocated). A value type (copyable, comparable); not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "accounts/events.h"
#include "accounts/position.h"
#include "accounts/sub_account.h"
#include "core/ids.h"
#include "core/instrument.h"
#include "core/money.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"
#include "core/time.h"

namespace combo::accounts {

enum class OrderState : uint8_t { kAccepted, kPartiallyFilled, kFilled, kCancelled };
std::string_view ToString(OrderState state);

// The side a leg trades for an order: the leg's side, flipped when the client sells the combo.
constexpr core::Side LegExecutionSide(core::Side order_side, const LegTerms& leg) {
  return order_side == core::Side::kBuy ? leg.side : core::Opposite(leg.side);
}

// Leg executions of an order not yet in a combo fill nor in the error account, oldest first,
// with the price each traded at (what a restart settles a leg-in that was in flight from).
struct LegLot {
  core::Quantity quantity;
  core::Price price;
  friend bool operator==(const LegLot&, const LegLot&) = default;
};

struct OrderRecord {
  OrderAccepted accepted;
  // Current terms, after any replace.
  core::ClientOrderId client_order;
  core::Quantity quantity;
  core::Price limit;
  // Combo units reported filled to the client.
  core::Quantity filled;
  OrderState state = OrderState::kAccepted;
  // Per leg instrument: every leg execution, the part moved to the error account, and the part
  // not yet in a combo fill nor in the error account.
  std::map<core::InstrumentId, core::Quantity> leg_executed;
  std::map<core::InstrumentId, core::Quantity> to_error_account;
  std::map<core::InstrumentId, core::Quantity> unallocated;
  std::map<core::InstrumentId, std::vector<LegLot>> unallocated_lots;
  // Every ClOrdID the order has had, first to current (the accepted one, then each replace's).
  std::vector<core::ClientOrderId> client_orders;
  // Sum over the combo fills reported of net price x units, in the client's form (exact), and
  // per leg instrument the notional of the leg contracts in those fills: a restarted router
  // reports the same averages.
  core::Money filled_value;
  std::map<core::InstrumentId, core::Money> reported_leg_notional;
  // Journal sequence numbers of this order's events, in order: its history.
  std::vector<uint64_t> events;

  const LegTerms* FindLeg(core::InstrumentId instrument) const;
  friend bool operator==(const OrderRecord&, const OrderRecord&) = default;
};

struct TradeLeg {
  core::InstrumentId instrument;
  std::string symbol;
  SubAccount sub_account = SubAccount::kSecurities;
  core::Side side = core::Side::kBuy;
  core::Quantity quantity;
  core::Price price;
  friend bool operator==(const TradeLeg&, const TradeLeg&) = default;
};

// One combo fill: a single trade in the client's account, its legs in their sub-accounts.
struct Trade {
  uint64_t sequence = 0;
  core::OrderId order;
  core::ClientOrderId client_order;
  core::Side side = core::Side::kBuy;
  core::Quantity units;
  core::Price price;
  std::vector<TradeLeg> legs;
  core::Money commission;
  core::Timestamp time;
  friend bool operator==(const Trade&, const Trade&) = default;
};

struct ClientAccount {
  std::map<SubAccount, std::map<core::InstrumentId, Position>> sub_accounts;
  std::vector<Trade> trades;
  core::Money commissions;
  friend bool operator==(const ClientAccount&, const ClientAccount&) = default;
};

struct ErrorBooking {
  uint64_t sequence = 0;
  ErrorAccountBooking booking;
  friend bool operator==(const ErrorBooking&, const ErrorBooking&) = default;
};

// Owned by the operator: leg executions that did not form whole combo units, and their unwinds.
struct ErrorAccount {
  std::map<core::InstrumentId, Position> positions;
  std::vector<ErrorBooking> bookings;
  friend bool operator==(const ErrorAccount&, const ErrorAccount&) = default;
};

// The error-account residue of one client order (docs/RESOLVER.md): what its failed leg-ins
// booked there, plus and minus what the resolver traded for it and delivered to the order.
// Positions of the order's legs and of any hedge, first in, first out (exact realized P&L).
struct ResidualRecord {
  std::map<core::InstrumentId, Position> positions;
  // When it last went from nothing to something (its age runs from here).
  core::Timestamp opened_at;
  // The resolver's last journaled action on it, and its outcome.
  std::optional<ResidualActionKind> last_action;
  std::string last_outcome;
  core::Timestamp last_action_at;
  // A person took it over (ResidualActionKind::kHandOff): the resolver leaves it alone.
  bool handed_off = false;
  // The resolver held it for good (its horizon passed with nothing it could do).
  bool held = false;
  // Actions journaled for it.
  uint64_t actions = 0;

  bool is_open() const;
  friend bool operator==(const ResidualRecord&, const ResidualRecord&) = default;
};

// What the ledger knows of an instrument, from the orders that traded it.
struct InstrumentInfo {
  std::string symbol;
  core::AssetClass asset_class = core::AssetClass::kStock;
  int64_t multiplier = 1;
  friend bool operator==(const InstrumentInfo&, const InstrumentInfo&) = default;
};

struct RecordedMarks {
  std::map<core::InstrumentId, core::Price> mids;
  core::Timestamp time;
  friend bool operator==(const RecordedMarks&, const RecordedMarks&) = default;
};

class Ledger {
 public:
  // Applies the event the journal holds at `sequence` (which must exceed every earlier one).
  absl::Status Apply(uint64_t sequence, const JournalEvent& event);

  // Checks that the books agree: per order and leg, executed = filled x ratio + error account +
  // unallocated, filled <= quantity; per instrument, client positions + error-account positions
  // equal the executions that were allocated plus unwind and resolver fills less deliveries;
  // each account's positions equal the sum of its trades; the residuals' positions add up to
  // the error account's (less old unwind fills, which belong to no residual). Fails naming the
  // first disagreement.
  absl::Status Reconcile() const;

  const std::map<core::OrderId, OrderRecord>& orders() const { return orders_; }
  const OrderRecord* FindOrder(core::OrderId order) const;
  const std::map<core::AccountId, ClientAccount>& clients() const { return clients_; }
  const ErrorAccount& error_account() const { return error_account_; }
  const std::map<core::InstrumentId, InstrumentInfo>& instruments() const { return instruments_; }
  const InstrumentInfo* FindInstrument(core::InstrumentId instrument) const;
  const RecordedMarks& marks() const { return marks_; }
  // The combos clients defined, by the id (FIX SecurityID) they were given.
  const std::map<core::ComboId, ComboDefined>& defined_combos() const { return defined_combos_; }
  // The residuals, by origin order; kept (flat) once resolved, for their history.
  const std::map<core::OrderId, ResidualRecord>& residuals() const { return residuals_; }
  const ResidualRecord* FindResidual(core::OrderId order) const;
  uint64_t last_sequence() const { return last_sequence_; }
  // (venue, execution id) of every leg fill booked, with its order: a restarted router numbers
  // the executions it names itself after these.
  const std::map<std::pair<core::VenueId, std::string>, core::OrderId>& executions() const {
    return executions_;
  }
  // The highest order id accepted, so a restarted router numbers new orders after it.
  std::optional<core::OrderId> max_order_id() const;

  friend bool operator==(const Ledger&, const Ledger&) = default;

 private:
  absl::Status ApplyEvent(uint64_t sequence, const OrderAccepted& e);
  absl::Status ApplyEvent(uint64_t sequence, const LegFill& e);
  absl::Status ApplyEvent(uint64_t sequence, const ComboFillReported& e);
  absl::Status ApplyEvent(uint64_t sequence, const ErrorAccountBooking& e);
  absl::Status ApplyEvent(uint64_t sequence, const OrderCancelled& e);
  absl::Status ApplyEvent(uint64_t sequence, const OrderReplaced& e);
  absl::Status ApplyEvent(uint64_t sequence, const MarksRecorded& e);
  absl::Status ApplyEvent(uint64_t sequence, const ComboDefined& e);
  absl::Status ApplyEvent(uint64_t sequence, const ResidualAction& e);
  absl::Status ApplyEvent(uint64_t sequence, const ResolverFill& e);
  absl::Status ApplyEvent(uint64_t sequence, const ResidualDelivered& e);
  // A residual position changes by `quantity` at `price` (opening the residual when it was flat).
  void ApplyToResidual(core::OrderId order, core::InstrumentId instrument, int64_t multiplier,
                       core::SignedQuantity quantity, core::Price price, core::Timestamp time);
  absl::StatusOr<OrderRecord*> MutableOrder(core::OrderId order);

  std::map<core::OrderId, OrderRecord> orders_;
  std::map<core::AccountId, ClientAccount> clients_;
  ErrorAccount error_account_;
  std::map<core::InstrumentId, InstrumentInfo> instruments_;
  // (venue, execution id) of every leg fill: a venue's execution is booked once.
  std::map<std::pair<core::VenueId, std::string>, core::OrderId> executions_;
  RecordedMarks marks_;
  std::map<core::ComboId, ComboDefined> defined_combos_;
  std::map<core::OrderId, ResidualRecord> residuals_;
  uint64_t last_sequence_ = 0;
};

// Rebuilds the ledger from journal events (sequence numbers 1, 2, 3, ...) and reconciles it.
// Fails with DataLoss naming a missing event, the first event that does not apply, or the
// reconciliation that fails.
absl::StatusOr<Ledger> ReplayJournal(std::span<const StoredEvent> events);

}  // namespace combo::accounts
