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
