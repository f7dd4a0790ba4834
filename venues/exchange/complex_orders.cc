// SimulatedVenue's complex orders: a new order into the venue's ComplexBook (seed 001), and
// what the book reports back (executions, cancels, native tops, wake-ups) turned into the
// step's events (see venues/simulated_venue.h). Cancels and replaces take the shared path in
// order_entry.cc.
#include <utility>

#include "absl/strings/str_cat.h"
#include "venues/exchange/venue_adapters.h"
#include "venues/simulated_venue.h"

namespace combo::venues {

void SimulatedVenue::ProcessComplex(const ComplexOrderRequest& request) {
  if (complex_book_ == nullptr) {
    Reject(request.participant, request.order_id, RequestKind::kNewComplex,
           RejectCode::kNoComplexBook,
           absl::StrCat("venue ", config_.name, " has no complex-order book"));
    Flush();
    return;
  }
  ComplexBookOrder order;
  static_cast<OrderTerms&>(order) = NewOrderTerms(request, next_tag_++);
  order.combo = request.combo;
  order.short_sale = request.short_sale;
  OrderRecord record = NewOrderRecord(request, BookKind::kComplex);
  record.combo = request.combo;
  record.details = request.details;
  std::optional<Rejection> rejection = complex_book_->Check(order);
  if (!rejection.has_value() && request.delete_after.has_value()) {
    // R4: a lifetime for an order that rests (an immediate one never does).
    if (*request.delete_after <= core::Duration::Zero()) {
      rejection = Rejection{RejectCode::kInvalidRequest,
                            absl::StrCat("delete after ", request.delete_after->ToString(),
                                         ": the lifetime must be positive")};
    } else if (order.time_in_force != TimeInForce::kDay &&
               order.time_in_force != TimeInForce::kGoodTillCancel) {
      rejection = Rejection{RejectCode::kUnsupportedCondition,
                            "delete after n minutes applies to an order that rests (day or gtc)"};
    }
  }
  if (!AcceptNew(RequestKind::kNewComplex, order.tag, record, std::move(rejection))) {
    return;
  }
  complex_book_->Add(order);
  if (complex_book_->Find(order.tag).has_value()) {
    activity_.CountResting(BookKind::kComplex, request.role);
  }
  if (complex_book_->Find(order.tag).has_value() && request.delete_after.has_value()) {
    const uint64_t tag = order.tag;
    scheduler_->ScheduleAfter(*request.delete_after, [this, tag]() { DeleteExpired(tag); });
  }
  if (!complex_book_->Find(order.tag).has_value()) {
    Forget(order.tag);
  } else if (aop_market_ != nullptr && AopCovers(request.participant) &&
             order.type == OrderType::kLimit &&
             (order.time_in_force == TimeInForce::kDay ||
              order.time_in_force == TimeInForce::kGoodTillCancel)) {
    // Protected from entry, as leg orders are (docs/VENUES.md).
    AopTrackComplex(order.tag);
  }
  Flush();
}

void SimulatedVenue::OnComplexExecution(const ComplexExecution& execution) {
  const uint64_t execution_id = next_execution_id_++;
  const core::Timestamp now = scheduler_->Now();
  int64_t contracts_per_unit = 0;
  for (const LegExecution& leg : execution.legs) contracts_per_unit += leg.quantity.value();
  const core::Quantity contracts(contracts_per_unit);
  const auto fill_for = [&](const ComplexExecutionParty& party) {
    OrderRecord* record = registry_.Find(party.tag);
    if (record == nullptr) return;  // cannot happen: every complex order is registered
    record->filled += execution.units;
    ComplexFill fill = FillFor<ComplexFill>(*record, execution.units, party.leaves, party.liquidity,
                                            contracts, execution_id, now);
    fill.combo = record->combo;
    fill.details = record->details;
    fill.net_price = execution.net_price;
    fill.legs = execution.legs;
    if (party.side == core::Side::kSell) {
      for (LegExecution& leg : fill.legs) leg.side = core::Opposite(leg.side);
    }
    transport_.Queue(record->participant, std::move(fill));
    if (aop_complex_orders_.contains(party.tag)) {
      aop_complex_orders_.Modify(party.tag,
                                 [&](aop::ProtectedOrder& order) { order.leaves = party.leaves; });
    }
    if (party.leaves.is_zero()) Forget(party.tag);
  };
  fill_for(execution.incoming);
  if (execution.resting.has_value()) fill_for(*execution.resting);
  PrintComplexExecution(execution);
}

void SimulatedVenue::PrintComplexExecution(const ComplexExecution& execution) {
  const core::Timestamp now = scheduler_->Now();
  const bool versus_complex = execution.resting.has_value();
  core::ComboTradePrint combo_print;
  combo_print.venue = config_.id;
  combo_print.combo = execution.combo;
  combo_print.sequence = ++combo_trade_sequence_[execution.combo];
  combo_print.net_price = execution.net_price;
  combo_print.units = execution.units;
  combo_print.aggressor = execution.incoming.side;
  combo_print.time = now;
  combo_print.kind =
      versus_complex ? core::PrintKind::kComplexVsComplex : core::PrintKind::kComplexVsLeg;
  bool customer_at_edge = false;
  for (const LegExecution& leg : execution.legs) {
    combo_print.legs.push_back({leg.instrument, leg.side, leg.price, leg.quantity});
    if (!versus_complex) continue;
    // The leg books are as the trade was priced: complex-vs-complex does not touch them.
    auto book = books_.find(leg.instrument);
    if (book == books_.end()) continue;
    const core::TopOfBook top = book->second->book().Top();
    customer_at_edge = customer_at_edge ||
                       (top.bid.has_value() &&
                        book->second->book().CustomerRestsAt(core::Side::kBuy, top.bid->price)) ||
                       (top.ask.has_value() &&
                        book->second->book().CustomerRestsAt(core::Side::kSell, top.ask->price));
  }
  activity_.CountPrint(PrintSubject::kCombo, combo_print.kind);
  transport_.QueueMarketData(std::move(combo_print));
  if (!versus_complex) return;  // the leg books print a leg-in's legs as they trade
  if (customer_at_edge) activity_.CountComplexTradeAtCustomerEdge();
  // OPRA-style: each leg of the complex trade prints on its instrument's tape, marked complex.
  for (const LegExecution& leg : execution.legs) {
    core::TradePrint print;
    print.venue = config_.id;
    print.instrument = leg.instrument;
    print.sequence = ++trade_sequence_[leg.instrument];
    print.price = leg.price;
    print.quantity = leg.quantity;
    // The incoming complex order's side of this leg: the buyer's leg side for a buy.
    print.aggressor =
        execution.incoming.side == core::Side::kBuy ? leg.side : core::Opposite(leg.side);
    print.time = now;
    print.kind = core::PrintKind::kComplexVsComplex;
    activity_.CountPrint(PrintSubject::kLeg, print.kind);
    transport_.QueueMarketData(print);
  }
}

void SimulatedVenue::OnComplexCancelled(uint64_t tag, CancelReason reason,
                                        core::Quantity quantity) {
  const OrderRecord* record = registry_.Find(tag);
  if (record == nullptr) return;
  QueueCancelled(*record, reason, quantity);
  // A held immediate order keeps its held part open until its packages resolve.
  if (!complex_book_->Find(tag).has_value()) Forget(tag);
}

void SimulatedVenue::OnComplexTop(core::ComboId combo, const core::TopOfBook& top,
                                  const core::TopOfBook& legs_implied) {
  core::NativeComboUpdate update;
  update.venue = config_.id;
  update.combo = combo;
  update.sequence = ++combo_sequence_[combo];
  update.top = top;
  update.legs_implied = legs_implied;
  update.time = scheduler_->Now();
  transport_.QueueMarketData(update);
}

void SimulatedVenue::ComplexOnAwayQuote(std::optional<core::InstrumentId> instrument) {
  if (complex_book_ != nullptr) complex_book_->OnAwayMarketChanged(instrument);
}

void SimulatedVenue::ScheduleComplexWakeUp(core::Timestamp when) {
  transport_.ScheduleAt(when, [this]() {
    complex_book_->OnWakeUp();
    Flush();
  });
}

void SimulatedVenue::DeleteExpired(uint64_t tag) {
  const OrderRecord* open = registry_.Find(tag);
  if (open != nullptr) CancelOpen(tag, *open, CancelReason::kExpired);
}

}  // namespace combo::venues
