// SimulatedVenue's leg orders: a new order into its instrument's OrderBook, and what the book
// reports back (trades, cancels, level updates) turned into the step's events (see
// venues/simulated_venue.h).
#include <utility>

#include "absl/strings/str_cat.h"
#include "venues/exchange/venue_adapters.h"
#include "venues/simulated_venue.h"

namespace combo::venues {

// Seed 001 R26 (Fig. 3a), the order dispatch: (1) validate; (2) a block or facilitation order is
// rejected in a fast market, else goes to the block process; (3) with the FARMM process on, a
// FARMM order is rejected in a fast market, else goes to the FARMM process (R40); (4) any other
// order in a call phase (fast market, or before the opening) is accumulated for the next
// single-price trade; (5) otherwise the buy / sell path: hidden orders, the away-market check
// for public customers (R28), then the book's matching.
void SimulatedVenue::ProcessNew(const OrderRequest& request) {
  auto it = books_.find(request.instrument);
  if (it == books_.end()) {
    Reject(request.participant, request.order_id, RequestKind::kNew,
           RejectCode::kUnlistedInstrument,
           absl::StrCat("instrument ", request.instrument.value(), " is not listed"));
    Flush();
    return;
  }
  if (request.type == OrderType::kInterest) {
    Reject(request.participant, request.order_id, RequestKind::kNew,
           RejectCode::kUnsupportedCondition, "an interest order is a complex order only");
    Flush();
    return;
  }
  OrderBook& book = it->second->book();
  BookOrder order;
  static_cast<OrderTerms&>(order) = NewOrderTerms(request, next_tag_++);
  order.instrument = request.instrument;
  const bool farmm = request.handling == OrderHandling::kRegular &&
                     request.role == ParticipantRole::kFarAwayMarketMaker &&
                     config_.leg_processes.farmm.enabled;
  const bool held = request.handling != OrderHandling::kRegular || farmm ||
                    Series(request.instrument).phase != SeriesPhase::kOpen;
  OrderRecord record = NewOrderRecord(request, held ? BookKind::kHeld : BookKind::kLeg);
  record.instrument = request.instrument;
  std::optional<Rejection> rejection = book.Check(order);
  if (!rejection.has_value()) rejection = CheckDispatch(request);
  if (!rejection.has_value() && request.autofill_threshold.has_value()) {
    rejection = CheckAutofill(request);
  }
  if (!AcceptNew(RequestKind::kNew, order.tag, record, std::move(rejection))) return;
  if (request.handling != OrderHandling::kRegular) {
    StartBlock(order.tag, request);
  } else if (farmm) {
    StartFarmm(order.tag, order);
  } else if (held) {
    HoldInCall(order.tag, order);
  } else {
    // Seed 004 R53: a dealer's autofill may let the order reach a protected level it misses.
    if (request.type == OrderType::kLimit) {
      order.limit_price = AopAutofillLimit(request);
      aop_incoming_limit_ = order.limit_price;
    }
    MatchRegular(order.tag, order, AwayCheck::kApply);
    aop_incoming_limit_.reset();
  }
  Flush();
}

void SimulatedVenue::MatchRegular(uint64_t tag, BookOrder order, AwayCheck away) {
  if (OrderRecord* record = registry_.Find(tag)) record->book = BookKind::kLeg;
  if (!TradeWithHidden(tag, order)) return;
  if (away == AwayCheck::kApply && AwayProcess(tag, order)) return;
  const AddResult result = books_.at(order.instrument)->book().Add(order);
  if (result.handle.valid()) {
    OrderRecord* resting = registry_.Find(tag);
    resting->handle = result.handle;
    activity_.CountResting(BookKind::kLeg, resting->role);
    if (aop_market_ != nullptr && AopCovers(order.owner)) {
      AopTrack(tag, order.side, order.limit_price, result.resting);
      AopOnQuote(order.instrument);  // protection applies from entry (docs/VENUES.md)
    }
  } else {
    Forget(tag);
  }
}

void SimulatedVenue::OnBookTrade(OrderBook& book, const BookTrade& trade) {
  const uint64_t execution_id = next_execution_id_++;
  const core::Timestamp now = scheduler_->Now();
  if (config_.allocation == AllocationRule::kSeed001Options) {
    if (const OrderRecord* resting = registry_.Find(trade.resting_tag); resting != nullptr) {
      activity_.CountAllocation(book.config().instrument, trade.incoming_tag, trade.price,
                                resting->role);
    }
  }
  const core::Price price = AopTradePrice(trade);
  const auto fill_for = [&](uint64_t tag, core::Quantity leaves, Liquidity liquidity) {
    OrderRecord* record = registry_.Find(tag);
    if (record == nullptr) return;  // the complex book's own leg orders (tag 0)
    record->filled += trade.quantity;
    // A PMM's trade beside its quote (R34 derive-or-trade) leaves the quote's size as it was:
    // its total grows by what it traded, as FIX counts CumQty + LeavesQty.
    if (record->filled + leaves > record->total_quantity) {
      record->total_quantity = record->filled + leaves;
    }
    Fill fill = FillFor<Fill>(*record, trade.quantity, leaves, liquidity, trade.quantity,
                              execution_id, now);
    fill.instrument = record->instrument;
    fill.price = price;
    transport_.Queue(record->participant, fill);
  };
  fill_for(trade.resting_tag, trade.resting_leaves, Liquidity::kAdded);
  fill_for(trade.incoming_tag, trade.incoming_leaves, Liquidity::kRemoved);
  for (const auto& [tag, leaves] : {std::pair{trade.resting_tag, trade.resting_leaves},
                                    std::pair{trade.incoming_tag, trade.incoming_leaves}}) {
    if (aop_orders_.contains(tag)) {
      aop_orders_.Modify(tag,
                         [&, left = leaves](aop::ProtectedOrder& order) { order.leaves = left; });
    }
  }
  if (trade.resting_leaves.is_zero()) Forget(trade.resting_tag);
  // The incoming order is forgotten by its caller once matching ends (it may still rest).

  core::TradePrint print;
  print.venue = config_.id;
  print.instrument = book.config().instrument;
  print.sequence = ++trade_sequence_[print.instrument];
  print.price = price;
  print.quantity = trade.quantity;
  print.aggressor = trade.incoming_side;
  print.time = now;
  // A complex order legging in trades through the reserved leg owner (R17): its leg prints are
  // marked as part of a complex trade, whose combo print went first.
  print.kind = trade.incoming_owner == kComplexLegOwner ? core::PrintKind::kComplexVsLeg
                                                        : core::PrintKind::kLegVsLeg;
  activity_.CountPrint(PrintSubject::kLeg, print.kind);
  transport_.QueueMarketData(print);
  // Seed 001 R22: a restricted stock's last sale decides its short sales (the up-tick trigger).
  if (complex_book_ != nullptr) complex_book_->OnLastSale(print.instrument, price);
}

void SimulatedVenue::OnBookCancel(uint64_t tag, CancelReason reason, core::Quantity quantity) {
  const OrderRecord* record = registry_.Find(tag);
  if (record == nullptr) return;
  // Latency protection: the untraded rest of an IOC / market order is cancelled while its held
  // part stays open until its holds resolve (D7).
  const bool still_held = latency_guard_ != nullptr && latency_guard_->HasPendingHold(tag) &&
                          reason == CancelReason::kImmediateOrCancel;
  QueueCancelled(*record, reason, quantity);
  if (!still_held) Forget(tag);
}

void SimulatedVenue::OnBookQuoteRestated(uint64_t tag, RestatementReason reason,
                                         core::Price limit_price, core::Quantity leaves,
                                         QueuePriority priority) {
  OrderRecord* record = registry_.Find(tag);
  if (record == nullptr) return;
  // As in FIX, the total counts what has filled: the venue's new size is the open quantity.
  record->total_quantity = record->filled + leaves;
  QueueRestated(*record, reason, limit_price, leaves, priority);
  prometheus::Counter* counter =
      reason == RestatementReason::kTickWorse ? tick_worse_counter_ : step_up_counter_;
  if (counter != nullptr) counter->Increment();
  // A protected quote starts protection again from the terms the venue gave it.
  if (aop_orders_.contains(tag)) AopTrack(tag, record->side, limit_price, leaves);
}

void SimulatedVenue::OnBookQuoteMatchDelayed(OrderBook& book, OrderHandle handle, uint64_t tag) {
  // R41 (Fig. 13): both quotes are marked now; after T the book looks again and trades the
  // quotes that still cross (a second mark), or nothing (the marks go).
  if (quote_match_delay_counter_ != nullptr) quote_match_delay_counter_->Increment();
  scheduler_->ScheduleAfter(config_.market_maker.quote_match_delay, [this, &book, handle, tag]() {
    book.ReleaseQuoteMatchDelay(handle, tag);
    if (!book.FindLive(handle, tag).has_value()) Forget(tag);
    Flush();
  });
}

void SimulatedVenue::OnBookDeriveOrTrade(DeriveOrTradeOutcome outcome) {
  prometheus::Counter* counter =
      outcome == DeriveOrTradeOutcome::kDerived ? derived_counter_ : traded_counter_;
  if (counter != nullptr) counter->Increment();
}

void SimulatedVenue::OnBookLevel(OrderBook& book, core::Side side, core::Price price,
                                 core::Quantity quantity, uint64_t sequence) {
  core::LegBookUpdate update;
  update.venue = config_.id;
  update.instrument = book.config().instrument;
  update.sequence = sequence;
  update.side = side;
  update.price = price;
  update.quantity = quantity;
  // Level updates come after the book operation completes: this is the step's final top.
  update.top = book.Top();
  update.time = scheduler_->Now();
  transport_.QueueMarketData(update);
  // A leg's best bid/offer may have changed: a trigger for the complex book (seed 001 R10).
  if (complex_book_ != nullptr) complex_book_->OnLegBookChanged(update.instrument);
}

}  // namespace combo::venues
