// SimulatedVenue's order entry: admission of every request, the events a step queues, and the
// cancel / replace path that leg and complex orders share (see venues/simulated_venue.h). Only
// the few book calls differ by kind; they are the *InBook functions at the end.
#include <utility>

#include "absl/strings/str_cat.h"
#include "venues/exchange/venue_adapters.h"
#include "venues/simulated_venue.h"

namespace combo::venues {
namespace {

std::string OrderName(core::ParticipantId participant, core::OrderId order_id) {
  return absl::StrCat("order ", order_id.value(), " of participant ", participant.value());
}

}  // namespace

absl::Status SimulatedVenue::Admit(core::ParticipantId participant) const {
  if (!transport_.Connected(participant)) {
    return absl::FailedPreconditionError(absl::StrCat("participant ", participant.value(),
                                                      " is not connected to venue ", config_.name));
  }
  return absl::OkStatus();
}

absl::Status SimulatedVenue::AdmitNew(core::ParticipantId participant, core::OrderId order_id) {
  if (absl::Status status = Admit(participant); !status.ok()) return status;
  if (!registry_.UseId(participant, order_id)) {
    return absl::AlreadyExistsError(absl::StrCat(OrderName(participant, order_id),
                                                 " was already used at venue ", config_.name));
  }
  return absl::OkStatus();
}

absl::Status SimulatedVenue::Submit(const OrderRequest& request) {
  if (absl::Status status = AdmitNew(request.participant, request.order_id); !status.ok()) {
    return status;
  }
  transport_.SendInbound(request.participant, config_.latency.inbound.new_order,
                         [this, request]() { ProcessNew(request); });
  return absl::OkStatus();
}

absl::Status SimulatedVenue::SubmitComplex(const ComplexOrderRequest& request) {
  if (absl::Status status = AdmitNew(request.participant, request.order_id); !status.ok()) {
    return status;
  }
  transport_.SendInbound(request.participant, config_.latency.inbound.complex_order,
                         [this, request]() { ProcessComplex(request); });
  return absl::OkStatus();
}

absl::Status SimulatedVenue::Cancel(const CancelRequest& request) {
  if (absl::Status status = Admit(request.participant); !status.ok()) return status;
  transport_.SendInbound(request.participant, config_.latency.inbound.cancel,
                         [this, request]() { ProcessCancel(request); });
  return absl::OkStatus();
}

absl::Status SimulatedVenue::Replace(const ReplaceRequest& request) {
  if (absl::Status status = Admit(request.participant); !status.ok()) return status;
  transport_.SendInbound(request.participant, config_.latency.inbound.replace,
                         [this, request]() { ProcessReplace(request); });
  return absl::OkStatus();
}

void SimulatedVenue::Acknowledge(core::ParticipantId participant, core::OrderId order_id,
                                 RequestKind request) {
  OrderAcked ack;
  ack.venue = config_.id;
  ack.participant = participant;
  ack.order_id = order_id;
  ack.request = request;
  ack.time = scheduler_->Now();
  transport_.Queue(participant, ack);
}

void SimulatedVenue::Reject(core::ParticipantId participant, core::OrderId order_id,
                            RequestKind request, RejectCode code, std::string reason) {
  OrderRejected event;
  event.venue = config_.id;
  event.participant = participant;
  event.order_id = order_id;
  event.request = request;
  event.code = code;
  event.reason = absl::StrCat("venue ", config_.name, ": ", reason);
  event.time = scheduler_->Now();
  transport_.Queue(participant, std::move(event));
}

bool SimulatedVenue::AcceptNew(RequestKind request, uint64_t tag, const OrderRecord& record,
                               std::optional<Rejection> rejection) {
  if (rejection.has_value()) {
    Reject(record.participant, record.order_id, request, rejection->code,
           std::move(rejection->reason));
    Flush();
    return false;
  }
  Acknowledge(record.participant, record.order_id, request);
  // Registered before matching so that the incoming side of each trade can be attributed.
  registry_.Add(tag, record);
  return true;
}

void SimulatedVenue::QueueCancelled(const OrderRecord& record, CancelReason reason,
                                    core::Quantity quantity) {
  OrderCancelled event;
  event.venue = config_.id;
  event.participant = record.participant;
  event.order_id = record.order_id;
  event.reason = reason;
  event.cancelled_quantity = quantity;
  event.time = scheduler_->Now();
  transport_.Queue(record.participant, event);
}

void SimulatedVenue::QueueRestated(const OrderRecord& record, RestatementReason reason,
                                   core::Price limit_price, core::Quantity leaves,
                                   QueuePriority priority) {
  OrderRestated restated;
  restated.venue = config_.id;
  restated.participant = record.participant;
  restated.order_id = record.order_id;
  restated.reason = reason;
  restated.limit_price = limit_price;
  restated.leaves_quantity = leaves;
  restated.priority = priority;
  restated.time = scheduler_->Now();
  transport_.Queue(record.participant, restated);
}

void SimulatedVenue::ProcessCancel(const CancelRequest& request) {
  const uint64_t tag = registry_.TagOf(request.participant, request.order_id);
  const OrderRecord* open = registry_.Find(tag);
  if (open == nullptr) {
    Reject(request.participant, request.order_id, RequestKind::kCancel, RejectCode::kUnknownOrder,
           absl::StrCat(OrderName(request.participant, request.order_id), " is not open"));
    Flush();
    return;
  }
  CancelOpen(tag, *open, CancelReason::kRequested);
}

void SimulatedVenue::CancelOpen(uint64_t tag, OrderRecord record, CancelReason reason) {
  const std::optional<core::Quantity> removed = CancelInBook(tag, record);
  QueueCancelled(record, reason, removed.value_or(core::Quantity::Zero()));
  Forget(tag);
  Flush();
}

void SimulatedVenue::ProcessReplace(const ReplaceRequest& request) {
  const uint64_t tag = registry_.TagOf(request.participant, request.order_id);
  OrderRecord* open = registry_.Find(tag);
  if (open == nullptr) {
    Reject(request.participant, request.order_id, RequestKind::kReplace, RejectCode::kUnknownOrder,
           absl::StrCat(OrderName(request.participant, request.order_id), " is not open"));
    Flush();
    return;
  }
  if (!request.total_quantity.is_positive()) {
    Reject(request.participant, request.order_id, RequestKind::kReplace,
           RejectCode::kInvalidQuantity,
           absl::StrCat("quantity ", request.total_quantity.value(), " is not positive"));
    Flush();
    return;
  }
  const bool r5_changes =
      request.time_in_force.has_value() || request.type.has_value() || request.details.has_value();
  if (r5_changes && open->book == BookKind::kLeg) {
    Reject(request.participant, request.order_id, RequestKind::kReplace,
           RejectCode::kUnsupportedCondition,
           "a change of validity, order type or administrative details applies to complex orders "
           "only");
    Flush();
    return;
  }
  const OrderRecord record = *open;  // matching after the replace may forget the order
  const core::Quantity leaves = request.total_quantity - record.filled;
  if (!leaves.is_positive()) {
    // Done for the day, as in FIX: the new total is at or below what has filled.
    CancelOpen(tag, record, CancelReason::kReplacedBelowFilled);
    return;
  }
  std::optional<Rejection> rejection = CheckReplaceInBook(tag, record, request.limit_price, leaves);
  if (!rejection.has_value() && (request.time_in_force.has_value() || request.type.has_value())) {
    rejection = complex_book_->CheckAmend(tag, request.time_in_force, request.type);
  }
  if (rejection.has_value()) {
    Reject(request.participant, request.order_id, RequestKind::kReplace, rejection->code,
           std::move(rejection->reason));
    Flush();
    return;
  }
  const std::optional<RestingTerms> before = RestingInBook(tag, record);
  QueueRestated(record, RestatementReason::kReplaced, request.limit_price, leaves,
                before->limit_price == request.limit_price && leaves <= before->leaves
                    ? QueuePriority::kKept
                    : QueuePriority::kLost);
  open->total_quantity = request.total_quantity;
  // Seed 001 R5: the administrative terms first, so that fills of this step carry them.
  if (request.details.has_value()) open->details = *request.details;
  std::optional<core::Quantity> resting = ReplaceInBook(tag, record, request.limit_price, leaves);
  if (resting.has_value() && (request.time_in_force.has_value() || request.type.has_value())) {
    // Validity and interest -> limit keep time priority; a new limit order may trade at once.
    complex_book_->Amend(tag, request.time_in_force, request.type);
    const std::optional<ComplexOrderView> view = complex_book_->Find(tag);
    resting = view.has_value() ? std::optional<core::Quantity>(view->leaves) : std::nullopt;
  }
  if (!resting.has_value()) {
    Forget(tag);
  } else if (record.book == BookKind::kLeg && aop_orders_.contains(tag)) {
    // The owner's new limit is the new original; protection starts again from it.
    AopTrack(tag, record.side, request.limit_price, *resting);
    AopOnQuote(record.instrument);
  } else if (record.book == BookKind::kComplex &&
             (aop_complex_orders_.contains(tag) ||
              (request.type == OrderType::kLimit && aop_market_ != nullptr &&
               AopCovers(record.participant)))) {
    // Likewise; an interest order that became a limit order is protected from now on, as a
    // limit order is from entry.
    AopTrackComplex(tag);
  }
  Flush();
}

void SimulatedVenue::Forget(uint64_t tag) {
  registry_.Forget(tag);
  aop_orders_.Erase(tag);
  aop_complex_orders_.Erase(tag);
}

OrderBook* SimulatedVenue::LegBook(const OrderRecord& record) const {
  return &books_.at(record.instrument)->book();
}

std::optional<SimulatedVenue::RestingTerms> SimulatedVenue::RestingInBook(
    uint64_t tag, const OrderRecord& record) const {
  if (record.book == BookKind::kHeld) {
    const HeldOrder* held = FindHeldView(tag, record);
    if (held == nullptr) return std::nullopt;
    return RestingTerms{held->order.limit_price, held->order.quantity};
  }
  if (record.book == BookKind::kComplex) {
    const std::optional<ComplexOrderView> view = complex_book_->Find(tag);
    if (!view.has_value()) return std::nullopt;
    return RestingTerms{view->limit_price, view->leaves};
  }
  const std::optional<RestingOrderView> view = LegBook(record)->Find(record.handle);
  if (!view.has_value()) return std::nullopt;
  return RestingTerms{view->limit_price, view->leaves};
}

std::optional<Rejection> SimulatedVenue::CheckReplaceInBook(uint64_t tag, const OrderRecord& record,
                                                            core::Price limit_price,
                                                            core::Quantity leaves) const {
  if (record.book == BookKind::kHeld) {
    return Rejection{RejectCode::kUnsupportedCondition,
                     absl::StrCat(OrderName(record.participant, record.order_id),
                                  " is held by a leg process (a call before a single-price trade, "
                                  "a hidden order, a block or a FARMM order): cancel it instead")};
  }
  if (record.book == BookKind::kComplex) {
    return complex_book_->CheckReplace(tag, limit_price, leaves);
  }
  return LegBook(record)->CheckReplace(record.handle, limit_price, leaves);
}

std::optional<core::Quantity> SimulatedVenue::ReplaceInBook(uint64_t tag, const OrderRecord& record,
                                                            core::Price limit_price,
                                                            core::Quantity leaves) {
  if (record.book == BookKind::kComplex) {
    complex_book_->Replace(tag, limit_price, leaves);
    const std::optional<ComplexOrderView> view = complex_book_->Find(tag);
    if (!view.has_value()) return std::nullopt;
    return view->leaves;
  }
  const ReplaceResult result = LegBook(record)->Replace(record.handle, limit_price, leaves);
  if (!result.resting.is_positive()) return std::nullopt;
  return result.resting;
}

std::optional<core::Quantity> SimulatedVenue::CancelInBook(uint64_t tag,
                                                           const OrderRecord& record) {
  if (record.book == BookKind::kHeld) {
    auto [list, held] = FindHeld(tag, record);
    if (held == nullptr) {
      // A block order: its responses are cancelled when its window ends.
      auto block = blocks_.find(tag);
      if (block == blocks_.end()) return std::nullopt;
      const core::Quantity open = block->second.terms.order.quantity;
      for (const HeldOrder& response : block->second.responses) {
        if (const OrderRecord* open_response = registry_.Find(response.tag)) {
          QueueCancelled(*open_response, CancelReason::kExpired, response.order.quantity);
        }
        Forget(response.tag);
      }
      blocks_.erase(block);
      return open;
    }
    const core::Quantity open = held->order.quantity;
    list->erase(list->begin() + (held - list->data()));
    Series(record.instrument).call_changed = true;
    return open;
  }
  if (record.book == BookKind::kComplex) return complex_book_->Cancel(tag);
  return LegBook(record)->Cancel(record.handle);
}

}  // namespace combo::venues
