#include "accounts/ledger.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/status.h"

namespace combo::accounts {
namespace {

core::SignedQuantity Signed(core::Side side, core::Quantity quantity) {
  return core::SignedQuantity(core::Sign(side) * quantity.value());
}

std::string OrderName(core::OrderId order) { return absl::StrCat("order ", order.value()); }

// Reads a per-leg quantity without inserting a zero entry (validation must change nothing).
core::Quantity QuantityOf(const std::map<core::InstrumentId, core::Quantity>& quantities,
                          core::InstrumentId instrument) {
  auto it = quantities.find(instrument);
  return it == quantities.end() ? core::Quantity(0) : it->second;
}

// Takes `quantity` from the front of the lots (the oldest executions first).
void ConsumeLots(std::vector<LegLot>& lots, core::Quantity quantity) {
  size_t used = 0;
  while (quantity.is_positive() && used < lots.size()) {
    LegLot& lot = lots[used];
    const core::Quantity take = std::min(lot.quantity, quantity);
    lot.quantity -= take;
    quantity -= take;
    if (lot.quantity.is_zero()) ++used;
  }
  lots.erase(lots.begin(), lots.begin() + static_cast<std::ptrdiff_t>(used));
}

}  // namespace

std::string_view ToString(OrderState state) {
  switch (state) {
    case OrderState::kAccepted:
      return "accepted";
    case OrderState::kPartiallyFilled:
      return "partially_filled";
    case OrderState::kFilled:
      return "filled";
    case OrderState::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

const LegTerms* OrderRecord::FindLeg(core::InstrumentId instrument) const {
  for (const LegTerms& leg : accepted.legs) {
    if (leg.instrument == instrument) return &leg;
  }
  return nullptr;
}

bool ResidualRecord::is_open() const {
  for (const auto& [instrument, position] : positions) {
    if (!position.is_flat()) return true;
  }
  return false;
}

const ResidualRecord* Ledger::FindResidual(core::OrderId order) const {
  auto it = residuals_.find(order);
  return it == residuals_.end() ? nullptr : &it->second;
}

void Ledger::ApplyToResidual(core::OrderId order, core::InstrumentId instrument, int64_t multiplier,
                             core::SignedQuantity quantity, core::Price price,
                             core::Timestamp time) {
  ResidualRecord& residual = residuals_[order];
  if (!residual.is_open()) {
    residual.opened_at = time;
    residual.held = false;
  }
  residual.positions.try_emplace(instrument, multiplier).first->second.Apply(quantity, price);
}

const OrderRecord* Ledger::FindOrder(core::OrderId order) const {
  auto it = orders_.find(order);
  return it == orders_.end() ? nullptr : &it->second;
}

const InstrumentInfo* Ledger::FindInstrument(core::InstrumentId instrument) const {
  auto it = instruments_.find(instrument);
  return it == instruments_.end() ? nullptr : &it->second;
}

std::optional<core::OrderId> Ledger::max_order_id() const {
  if (orders_.empty()) return std::nullopt;
  return orders_.rbegin()->first;
}

absl::StatusOr<OrderRecord*> Ledger::MutableOrder(core::OrderId order) {
  auto it = orders_.find(order);
  if (it == orders_.end()) {
    return absl::NotFoundError(absl::StrCat(OrderName(order), " is unknown"));
  }
  return &it->second;
}

absl::Status Ledger::Apply(uint64_t sequence, const JournalEvent& event) {
  if (sequence <= last_sequence_) {
    return absl::InvalidArgumentError(
        absl::StrCat("journal sequence ", sequence, " does not follow ", last_sequence_));
  }
  COMBO_RETURN_IF_ERROR(std::visit([&](const auto& e) { return ApplyEvent(sequence, e); }, event));
  last_sequence_ = sequence;
  return absl::OkStatus();
}

absl::Status Ledger::ApplyEvent(uint64_t sequence, const OrderAccepted& e) {
  if (orders_.contains(e.order)) {
    return absl::AlreadyExistsError(absl::StrCat(OrderName(e.order), " was already accepted"));
  }
  if (e.account.value().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(OrderName(e.order), " has no account"));
  }
  if (!e.quantity.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat(OrderName(e.order), " quantity must be positive, not ", e.quantity.value()));
  }
  if (e.legs.size() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat(OrderName(e.order), " has ", e.legs.size(), " legs; a combo needs two"));
  }
  for (auto leg_it = e.legs.begin(); leg_it != e.legs.end(); ++leg_it) {
    const LegTerms& leg = *leg_it;
    // A combo has a handful of legs: the earlier ones are looked through, nothing allocated.
    const auto same_instrument = [&leg](const LegTerms& other) {
      return other.instrument == leg.instrument;
    };
    if (std::any_of(e.legs.begin(), leg_it, same_instrument)) {
      return absl::InvalidArgumentError(
          absl::StrCat(OrderName(e.order), " lists instrument ", leg.instrument.value(), " twice"));
    }
    if (leg.ratio < 1 || leg.multiplier < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(OrderName(e.order), " leg ", leg.symbol, " needs a ratio and multiplier",
                       " of at least 1 (ratio ", leg.ratio, ", multiplier ", leg.multiplier, ")"));
    }
    const InstrumentInfo* known = FindInstrument(leg.instrument);
    if (known != nullptr && (known->asset_class != leg.asset_class ||
                             known->multiplier != leg.multiplier || known->symbol != leg.symbol)) {
      return absl::InvalidArgumentError(
          absl::StrCat(OrderName(e.order), " leg ", leg.symbol, " (#", leg.instrument.value(),
                       ") contradicts the instrument already booked as ", known->symbol, " ",
                       core::AsAbsl(core::ToString(known->asset_class)), " x", known->multiplier));
    }
  }
  for (const LegTerms& leg : e.legs) {
    // Known instruments are the rule: their description is not built again to be thrown away.
    if (instruments_.contains(leg.instrument)) continue;
    instruments_.emplace(leg.instrument,
                         InstrumentInfo{leg.symbol, leg.asset_class, leg.multiplier});
  }
  OrderRecord record;
  record.accepted = e;
  record.client_order = e.client_order;
  record.quantity = e.quantity;
  record.limit = e.limit;
  record.client_orders.push_back(e.client_order);
  record.events.push_back(sequence);
  orders_.emplace(e.order, std::move(record));
  clients_.try_emplace(e.account);
  return absl::OkStatus();
}

absl::Status Ledger::ApplyEvent(uint64_t sequence, const LegFill& e) {
  COMBO_ASSIGN_OR_RETURN(OrderRecord * order, MutableOrder(e.order));
  const LegTerms* leg = order->FindLeg(e.instrument);
  if (leg == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("leg fill of instrument ", e.instrument.value(),
                                                   " is not a leg of ", OrderName(e.order)));
  }
  if (!e.quantity.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("leg fill quantity must be positive, not ", e.quantity.value()));
  }
  const core::Side expected = LegExecutionSide(order->accepted.side, *leg);
  if (e.side != expected) {
    return absl::InvalidArgumentError(
        absl::StrCat("leg fill of ", leg->symbol, " for ", OrderName(e.order), " is a ",
                     core::AsAbsl(core::ToString(e.side)), "; the leg trades as a ",
                     core::AsAbsl(core::ToString(expected))));
  }
  if (e.execution_id.empty()) {
    return absl::InvalidArgumentError("leg fill has no execution id");
  }
  auto key = std::make_pair(e.venue, e.execution_id);
  if (executions_.contains(key)) {
    return absl::AlreadyExistsError(absl::StrCat("execution ", e.execution_id, " of venue ",
                                                 e.venue.value(), " is already booked"));
  }
  executions_.emplace(std::move(key), e.order);
  order->leg_executed[e.instrument] += e.quantity;
  order->unallocated[e.instrument] += e.quantity;
  order->unallocated_lots[e.instrument].push_back(LegLot{e.quantity, e.price});
  order->events.push_back(sequence);
  return absl::OkStatus();
}

absl::Status Ledger::ApplyEvent(uint64_t sequence, const ComboFillReported& e) {
  COMBO_ASSIGN_OR_RETURN(OrderRecord * order, MutableOrder(e.order));
  if (!e.units.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("combo fill units must be positive, not ", e.units.value()));
  }
  if (order->filled + e.units > order->quantity) {
    return absl::FailedPreconditionError(
        absl::StrCat("combo fill of ", e.units.value(), " would over-fill ", OrderName(e.order),
                     " (filled ", order->filled.value(), " of ", order->quantity.value(), ")"));
  }
  if (e.commission.is_negative()) {
    return absl::InvalidArgumentError("combo fill commission is negative");
  }
  if (e.leg_prices.size() != order->accepted.legs.size()) {
    return absl::InvalidArgumentError(absl::StrCat("combo fill of ", OrderName(e.order), " prices ",
                                                   e.leg_prices.size(), " legs; the order has ",
                                                   order->accepted.legs.size()));
  }
  std::vector<TradeLeg> trade_legs;
  for (const LegTerms& leg : order->accepted.legs) {
    const LegPrice* priced = nullptr;
    for (const LegPrice& p : e.leg_prices) {
      if (p.instrument == leg.instrument) priced = &p;
    }
    if (priced == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("combo fill of ", OrderName(e.order), " has no price for leg ", leg.symbol));
    }
    const core::Quantity needed = e.units * leg.ratio;
    const core::Quantity available = QuantityOf(order->unallocated, leg.instrument);
    if (needed > available) {
      return absl::FailedPreconditionError(
          absl::StrCat("combo fill of ", e.units.value(), " units of ", OrderName(e.order),
                       " needs ", needed.value(), " of leg ", leg.symbol, " but only ",
                       available.value(), " executed and unallocated"));
    }
    trade_legs.push_back(TradeLeg{leg.instrument, leg.symbol, SubAccountFor(leg.asset_class),
                                  LegExecutionSide(order->accepted.side, leg), needed,
                                  priced->price});
  }
  // Everything checked: book it.
  ClientAccount& client = clients_[order->accepted.account];
  for (const TradeLeg& leg : trade_legs) {
    order->unallocated[leg.instrument] -= leg.quantity;
    ConsumeLots(order->unallocated_lots[leg.instrument], leg.quantity);
    order->reported_leg_notional[leg.instrument] +=
        core::Money::FromPrice(leg.price) * leg.quantity.value();
    const int64_t multiplier = instruments_.at(leg.instrument).multiplier;
    client.sub_accounts[leg.sub_account]
        .try_emplace(leg.instrument, multiplier)
        .first->second.Apply(Signed(leg.side, leg.quantity), leg.price);
  }
  order->filled += e.units;
  order->filled_value += core::Money::FromPrice(e.price) * e.units.value();
  if (order->state != OrderState::kCancelled) {
    order->state =
        order->filled == order->quantity ? OrderState::kFilled : OrderState::kPartiallyFilled;
  }
  order->events.push_back(sequence);
  client.trades.push_back(Trade{sequence, e.order, order->client_order, order->accepted.side,
                                e.units, e.price, std::move(trade_legs), e.commission, e.time});
  client.commissions += e.commission;
  return absl::OkStatus();
}

absl::Status Ledger::ApplyEvent(uint64_t sequence, const ErrorAccountBooking& e) {
  if (!e.quantity.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("error-account booking quantity must be positive, not ", e.quantity.value()));
  }
  const InstrumentInfo* info = FindInstrument(e.instrument);
  if (info == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("error-account booking of instrument ",
                                                   e.instrument.value(),
                                                   ", which no order has traded"));
  }
  if (e.kind == ErrorBookingKind::kLegInFailure) {
    COMBO_ASSIGN_OR_RETURN(OrderRecord * order, MutableOrder(e.order));
    const LegTerms* leg = order->FindLeg(e.instrument);
    if (leg == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("instrument ", e.instrument.value(),
                                                     " is not a leg of ", OrderName(e.order)));
    }
    const core::Side expected = LegExecutionSide(order->accepted.side, *leg);
    if (e.side != expected) {
      return absl::InvalidArgumentError(
          absl::StrCat("error-account booking of ", leg->symbol, " for ", OrderName(e.order),
                       " is a ", core::AsAbsl(core::ToString(e.side)), "; the leg traded as a ",
                       core::AsAbsl(core::ToString(expected))));
    }
    const core::Quantity available = QuantityOf(order->unallocated, e.instrument);
    if (e.quantity > available) {
      return absl::FailedPreconditionError(absl::StrCat(
          "error-account booking of ", e.quantity.value(), " ", leg->symbol, " for ",
          OrderName(e.order), " exceeds its ", available.value(), " unallocated leg executions"));
    }
    order->unallocated[e.instrument] -= e.quantity;
    ConsumeLots(order->unallocated_lots[e.instrument], e.quantity);
    order->to_error_account[e.instrument] += e.quantity;
    order->events.push_back(sequence);
    ApplyToResidual(e.order, e.instrument, info->multiplier, Signed(e.side, e.quantity), e.price,
                    e.time);
  } else if (e.kind != ErrorBookingKind::kUnwindFill) {
    return absl::InvalidArgumentError(absl::StrCat("an error-account booking of kind ",
                                                   core::AsAbsl(ToString(e.kind)),
                                                   " is made by the ledger, never recorded"));
  } else {
    auto position = error_account_.positions.find(e.instrument);
    const core::SignedQuantity held = position == error_account_.positions.end()
                                          ? core::SignedQuantity(0)
                                          : position->second.quantity();
    const core::SignedQuantity after = held + Signed(e.side, e.quantity);
    // An unwind closes; it never opens or flips a position.
    if (held.is_zero() || (held.is_long() && after.is_short()) ||
        (held.is_short() && after.is_long()) || (held.is_long() && e.side == core::Side::kBuy) ||
        (held.is_short() && e.side == core::Side::kSell)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "unwind fill ", core::AsAbsl(core::ToString(e.side)), " ", e.quantity.value(), " ",
          info->symbol, " does not close the error account's position of ", held.value()));
    }
  }
  error_account_.positions.try_emplace(e.instrument, info->multiplier)
      .first->second.Apply(Signed(e.side, e.quantity), e.price);
  error_account_.bookings.push_back(ErrorBooking{sequence, e});
  return absl::OkStatus();
}

absl::Status Ledger::ApplyEvent(uint64_t sequence, const OrderCancelled& e) {
  COMBO_ASSIGN_OR_RETURN(OrderRecord * order, MutableOrder(e.order));
  if (order->state == OrderState::kFilled || order->state == OrderState::kCancelled) {
    return absl::FailedPreconditionError(
        absl::StrCat(OrderName(e.order), " is already ", core::AsAbsl(ToString(order->state))));
  }
  order->state = OrderState::kCancelled;
  order->events.push_back(sequence);
  return absl::OkStatus();
}

absl::Status Ledger::ApplyEvent(uint64_t sequence, const OrderReplaced& e) {
  COMBO_ASSIGN_OR_RETURN(OrderRecord * order, MutableOrder(e.order));
  if (order->state == OrderState::kFilled || order->state == OrderState::kCancelled) {
    return absl::FailedPreconditionError(absl::StrCat(OrderName(e.order), " is ",
                                                      core::AsAbsl(ToString(order->state)),
                                                      "; it cannot be replaced"));
  }
  if (!e.quantity.is_positive() || e.quantity < order->filled) {
    return absl::InvalidArgumentError(absl::StrCat("replace of ", OrderName(e.order),
                                                   " to quantity ", e.quantity.value(), " (filled ",
                                                   order->filled.value(), ")"));
  }
  order->client_order = e.client_order;
  order->client_orders.push_back(e.client_order);
  order->quantity = e.quantity;
  order->limit = e.limit;
  if (order->filled == order->quantity) {
    order->state = OrderState::kFilled;
  } else {
    order->state = order->filled.is_zero() ? OrderState::kAccepted : OrderState::kPartiallyFilled;
  }
  order->events.push_back(sequence);
  return absl::OkStatus();
}

absl::Status Ledger::ApplyEvent(uint64_t /*sequence*/, const MarksRecorded& e) {
  for (const InstrumentMark& mark : e.marks) {
    if (FindInstrument(mark.instrument) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("mark for instrument ", mark.instrument.value(), ", which is unknown"));
    }
  }
  for (const InstrumentMark& mark : e.marks) marks_.mids[mark.instrument] = mark.mid;
  marks_.time = e.time;
  return absl::OkStatus();
}

absl::Status Ledger::ApplyEvent(uint64_t /*sequence*/, const ComboDefined& e) {
  if (e.legs.size() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("combo ", e.combo.value(), " is defined with ", e.legs.size(), " legs"));
  }
  auto [it, inserted] = defined_combos_.try_emplace(e.combo, e);
  if (!inserted && it->second.legs != e.legs) {
    return absl::AlreadyExistsError(
        absl::StrCat("combo ", e.combo.value(), " is already defined with other legs"));
  }
  return absl::OkStatus();
}

absl::Status Ledger::ApplyEvent(uint64_t sequence, const ResidualAction& e) {
  auto it = residuals_.find(e.order);
  if (it == residuals_.end()) {
    return absl::NotFoundError(
        absl::StrCat("residual action for ", OrderName(e.order), ", which has no residual"));
  }
  ResidualRecord& residual = it->second;
  residual.last_action = e.action;
  residual.last_outcome = e.outcome;
  residual.last_action_at = e.time;
  ++residual.actions;
  if (e.action == ResidualActionKind::kHandOff) residual.handed_off = true;
  if (e.action == ResidualActionKind::kHold && e.outcome == "held") residual.held = true;
  if (auto order = orders_.find(e.order); order != orders_.end()) {
    order->second.events.push_back(sequence);
  }
  return absl::OkStatus();
}

absl::Status Ledger::ApplyEvent(uint64_t sequence, const ResolverFill& e) {
  if (!residuals_.contains(e.order)) {
    return absl::NotFoundError(
        absl::StrCat("resolver fill for ", OrderName(e.order), ", which has no residual"));
  }
  if (!e.quantity.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("resolver fill quantity must be positive, not ", e.quantity.value()));
  }
  if (e.multiplier < 1 || e.symbol.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("resolver fill of instrument ", e.instrument.value(),
                     " needs a symbol and a multiplier of at least 1"));
  }
  const InstrumentInfo* known = FindInstrument(e.instrument);
  if (known != nullptr && (known->asset_class != e.asset_class ||
                           known->multiplier != e.multiplier || known->symbol != e.symbol)) {
    return absl::InvalidArgumentError(
        absl::StrCat("resolver fill of ", e.symbol, " (#", e.instrument.value(),
                     ") contradicts the instrument already booked as ", known->symbol));
  }
  if (e.execution_id.empty())
    return absl::InvalidArgumentError("resolver fill has no execution id");
  auto key = std::make_pair(e.venue, e.execution_id);
  if (executions_.contains(key)) {
    return absl::AlreadyExistsError(absl::StrCat("execution ", e.execution_id, " of venue ",
                                                 e.venue.value(), " is already booked"));
  }
  executions_.emplace(std::move(key), e.order);
  instruments_.try_emplace(e.instrument, InstrumentInfo{e.symbol, e.asset_class, e.multiplier});
  ApplyToResidual(e.order, e.instrument, e.multiplier, Signed(e.side, e.quantity), e.price, e.time);
  error_account_.positions.try_emplace(e.instrument, e.multiplier)
      .first->second.Apply(Signed(e.side, e.quantity), e.price);
  error_account_.bookings.push_back(ErrorBooking{
      sequence,
      ErrorAccountBooking{ErrorBookingKind::kResolverFill, e.order, e.instrument, e.side,
                          e.quantity, e.price,
                          absl::StrCat("resolver ", core::AsAbsl(ToString(e.purpose))), e.time}});
  if (auto order = orders_.find(e.order); order != orders_.end()) {
    order->second.events.push_back(sequence);
  }
  return absl::OkStatus();
}

absl::Status Ledger::ApplyEvent(uint64_t sequence, const ResidualDelivered& e) {
  COMBO_ASSIGN_OR_RETURN(OrderRecord * order, MutableOrder(e.order));
  auto residual = residuals_.find(e.order);
  if (residual == residuals_.end()) {
    return absl::NotFoundError(absl::StrCat(OrderName(e.order), " has no residual to deliver"));
  }
  if (!e.units.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("delivered units must be positive, not ", e.units.value()));
  }
  if (order->state == OrderState::kFilled || order->state == OrderState::kCancelled) {
    return absl::FailedPreconditionError(absl::StrCat(
        OrderName(e.order), " is ", core::AsAbsl(ToString(order->state)), "; it takes no units"));
  }
  if (order->filled + e.units > order->quantity) {
    return absl::FailedPreconditionError(
        absl::StrCat("delivering ", e.units.value(), " units would over-fill ", OrderName(e.order),
                     " (filled ", order->filled.value(), " of ", order->quantity.value(), ")"));
  }
  if (e.leg_prices.size() != order->accepted.legs.size()) {
    return absl::InvalidArgumentError(absl::StrCat("delivery to ", OrderName(e.order), " prices ",
                                                   e.leg_prices.size(), " legs; the order has ",
                                                   order->accepted.legs.size()));
  }
  struct Move {
    core::InstrumentId instrument;
    core::Side side;
    core::Quantity quantity;
    core::Price price;
    int64_t multiplier;
  };
  std::vector<Move> moves;
  for (const LegTerms& leg : order->accepted.legs) {
    const LegPrice* priced = nullptr;
    for (const LegPrice& p : e.leg_prices) {
      if (p.instrument == leg.instrument) priced = &p;
    }
    if (priced == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("delivery to ", OrderName(e.order), " has no price for leg ", leg.symbol));
    }
    const core::Side side = LegExecutionSide(order->accepted.side, leg);
    const core::Quantity needed = e.units * leg.ratio;
    auto held = residual->second.positions.find(leg.instrument);
    const int64_t have = held == residual->second.positions.end()
                             ? 0
                             : core::Sign(side) * held->second.quantity().value();
    if (have < needed.value()) {
      return absl::FailedPreconditionError(
          absl::StrCat("delivering ", e.units.value(), " units to ", OrderName(e.order), " needs ",
                       needed.value(), " of leg ", leg.symbol, " but its residual holds ", have));
    }
    moves.push_back(Move{leg.instrument, side, needed, priced->price, leg.multiplier});
  }
  for (const Move& move : moves) {
    const core::SignedQuantity out = -Signed(move.side, move.quantity);
    ApplyToResidual(e.order, move.instrument, move.multiplier, out, move.price, e.time);
    error_account_.positions.try_emplace(move.instrument, move.multiplier)
        .first->second.Apply(out, move.price);
    error_account_.bookings.push_back(ErrorBooking{
        sequence, ErrorAccountBooking{ErrorBookingKind::kDelivered, e.order, move.instrument,
                                      core::Opposite(move.side), move.quantity, move.price,
                                      "completed units delivered to the order", e.time}});
    order->leg_executed[move.instrument] += move.quantity;
    order->unallocated[move.instrument] += move.quantity;
    order->unallocated_lots[move.instrument].push_back(LegLot{move.quantity, move.price});
  }
  order->events.push_back(sequence);
  return absl::OkStatus();
}

absl::Status Ledger::Reconcile() const {
  // Net quantity per instrument that should sit in accounts: allocated executions + unwinds.
  std::map<core::InstrumentId, int64_t> expected_client;
  std::map<core::InstrumentId, int64_t> expected_error;
  for (const auto& [id, order] : orders_) {
    if (order.filled > order.quantity) {
      return absl::DataLossError(absl::StrCat(OrderName(id),
                                              " is over-filled: ", order.filled.value(), " of ",
                                              order.quantity.value()));
    }
    for (const LegTerms& leg : order.accepted.legs) {
      auto get = [&](const std::map<core::InstrumentId, core::Quantity>& m) {
        return QuantityOf(m, leg.instrument);
      };
      const core::Quantity executed = get(order.leg_executed);
      const core::Quantity in_combos = order.filled * leg.ratio;
      const core::Quantity in_error = get(order.to_error_account);
      const core::Quantity unallocated = get(order.unallocated);
      if (executed != in_combos + in_error + unallocated) {
        return absl::DataLossError(
            absl::StrCat(OrderName(id), " leg ", leg.symbol, ": executed ", executed.value(),
                         " != in combos ", in_combos.value(), " + error account ", in_error.value(),
                         " + unallocated ", unallocated.value()));
      }
      const int sign = core::Sign(LegExecutionSide(order.accepted.side, leg));
      expected_client[leg.instrument] += sign * in_combos.value();
      expected_error[leg.instrument] += sign * in_error.value();
    }
  }
  for (const ErrorBooking& booking : error_account_.bookings) {
    if (booking.booking.kind != ErrorBookingKind::kLegInFailure) {
      expected_error[booking.booking.instrument] +=
          core::Sign(booking.booking.side) * booking.booking.quantity.value();
    }
  }
  // The residuals hold the error account, less the old unwinder's fills (no residual's).
  std::map<core::InstrumentId, int64_t> in_residuals;
  std::map<core::InstrumentId, int64_t> unwound;
  for (const auto& [order, residual] : residuals_) {
    for (const auto& [instrument, position] : residual.positions) {
      in_residuals[instrument] += position.quantity().value();
    }
  }
  for (const ErrorBooking& booking : error_account_.bookings) {
    if (booking.booking.kind == ErrorBookingKind::kUnwindFill) {
      unwound[booking.booking.instrument] +=
          core::Sign(booking.booking.side) * booking.booking.quantity.value();
    }
  }
  std::map<core::InstrumentId, int64_t> client_held;
  for (const auto& [account, client] : clients_) {
    std::map<core::InstrumentId, int64_t> traded;
    for (const Trade& trade : client.trades) {
      for (const TradeLeg& leg : trade.legs) {
        traded[leg.instrument] += core::Sign(leg.side) * leg.quantity.value();
      }
    }
    for (const auto& [sub_account, positions] : client.sub_accounts) {
      for (const auto& [instrument, position] : positions) {
        if (SubAccountFor(instruments_.at(instrument).asset_class) != sub_account) {
          return absl::DataLossError(absl::StrCat("account ", account.value(), " holds ",
                                                  instruments_.at(instrument).symbol, " in its ",
                                                  core::AsAbsl(ToString(sub_account)), " account"));
        }
        client_held[instrument] += position.quantity().value();
        if (traded[instrument] != position.quantity().value()) {
          return absl::DataLossError(absl::StrCat(
              "account ", account.value(), " position in ", instruments_.at(instrument).symbol,
              " is ", position.quantity().value(), " but its trades sum to ", traded[instrument]));
        }
      }
    }
  }
  for (const auto& [instrument, info] : instruments_) {
    const int64_t client_qty = client_held[instrument];
    auto error_it = error_account_.positions.find(instrument);
    const int64_t error_qty =
        error_it == error_account_.positions.end() ? 0 : error_it->second.quantity().value();
    if (client_qty != expected_client[instrument]) {
      return absl::DataLossError(absl::StrCat("client positions in ", info.symbol, " sum to ",
                                              client_qty, " but combo fills allocated ",
                                              expected_client[instrument]));
    }
    if (error_qty != expected_error[instrument]) {
      return absl::DataLossError(absl::StrCat("error-account position in ", info.symbol, " is ",
                                              error_qty, " but its bookings sum to ",
                                              expected_error[instrument]));
    }
    if (error_qty - unwound[instrument] != in_residuals[instrument]) {
      return absl::DataLossError(absl::StrCat(
          "error-account position in ", info.symbol, " is ", error_qty, " but its residuals hold ",
          in_residuals[instrument], " (and unwind fills ", unwound[instrument], ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Ledger> ReplayJournal(std::span<const StoredEvent> events) {
  Ledger ledger;
  for (const StoredEvent& stored : events) {
    // Sequence numbers are consecutive from 1: a gap is a lost event, not a quirk.
    if (stored.sequence != ledger.last_sequence() + 1) {
      return absl::DataLossError(absl::StrCat("journal is missing event ",
                                              ledger.last_sequence() + 1, " (next stored is ",
                                              stored.sequence, ")"));
    }
    absl::Status status = ledger.Apply(stored.sequence, stored.event);
    if (!status.ok()) {
      return absl::DataLossError(absl::StrCat("journal event ", stored.sequence, " (",
                                              core::AsAbsl(ToString(KindOf(stored.event))),
                                              ") cannot be replayed: ", status.message()));
    }
  }
  absl::Status reconciled = ledger.Reconcile();
  if (!reconciled.ok()) {
    return absl::DataLossError(
        absl::StrCat("journal replayed but does not reconcile: ", reconciled.message()));
  }
  return ledger;
}

}  // namespace combo::accounts
