#include "daemon/order_gate.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "core/metrics.h"
#include "core/status.h"

namespace combo::daemon {

std::string_view ToString(OrderOutcome outcome) {
  switch (outcome) {
    case OrderOutcome::kReceived:
      return "received";
    case OrderOutcome::kAccepted:
      return "accepted";
    case OrderOutcome::kRejected:
      return "rejected";
    case OrderOutcome::kFilled:
      return "filled";
    case OrderOutcome::kCancelled:
      return "cancelled";
    case OrderOutcome::kRefusedDraining:
      return "refused_draining";
    case OrderOutcome::kRefusedJournal:
      return "refused_journal";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<OrderGate>> OrderGate::Create(router::OrderEntry& inner,
                                                             prometheus::Registry& registry) {
  COMBO_ASSIGN_OR_RETURN(
      auto* family,
      core::DeclareCounterFamily(registry, "combo_orders_total",
                                 "Client combo orders by outcome: received from FIX, accepted, "
                                 "rejected, filled completely, cancelled (or expired), "
                                 "refused because the daemon was draining, and refused because "
                                 "the journal could not be written"));
  std::unique_ptr<OrderGate> gate(new OrderGate(inner));
  for (int i = 0; i < kOrderOutcomeCount; ++i) {
    const auto outcome = static_cast<OrderOutcome>(i);
    COMBO_ASSIGN_OR_RETURN(
        gate->counters_[static_cast<size_t>(i)],
        core::AddCounter(*family, {{"outcome", std::string(ToString(outcome))}}));
  }
  inner.SetListener(gate.get());
  return gate;
}

double OrderGate::count(OrderOutcome outcome) const {
  return counters_[static_cast<size_t>(outcome)]->Value();
}

absl::Status OrderGate::Submit(const router::NewComboOrder& order) {
  Count(OrderOutcome::kReceived);
  if (draining_) {
    Count(OrderOutcome::kRefusedDraining);
    return absl::UnavailableError("combo-routerd is shutting down: no new orders");
  }
  if (absl::Status refusal = JournalRefusal(); !refusal.ok()) {
    Count(OrderOutcome::kRefusedJournal);
    return refusal;
  }
  return inner_.Submit(order);
}

absl::Status OrderGate::JournalRefusal() const {
  if (accounts_ == nullptr) return absl::OkStatus();
  absl::Status health = accounts_->journal_health();
  if (health.ok()) return health;
  return absl::UnavailableError(absl::StrCat(
      "combo-routerd cannot write its journal: no new orders (", health.message(), ")"));
}

absl::Status OrderGate::Cancel(const router::CancelComboOrder& cancel) {
  return inner_.Cancel(cancel);
}

absl::Status OrderGate::CancelAllOf(const core::ClientId& client, std::string_view why) {
  return inner_.CancelAllOf(client, why);
}

absl::Status OrderGate::Replace(const router::ReplaceComboOrder& replace) {
  if (draining_) {
    return absl::UnavailableError("combo-routerd is shutting down: no replaces");
  }
  COMBO_RETURN_IF_ERROR(JournalRefusal());
  return inner_.Replace(replace);
}

absl::Status OrderGate::RequestStatus(const router::ComboOrderStatusRequest& request) {
  return inner_.RequestStatus(request);
}

absl::StatusOr<router::ComboDefinition> OrderGate::DefineCombo(const core::ComboSpec& combo) {
  return inner_.DefineCombo(combo);
}

const core::ComboSpec* OrderGate::FindDefinedCombo(core::ComboId combo) const {
  return inner_.FindDefinedCombo(combo);
}

absl::StatusOr<router::ComboQuote> OrderGate::SubscribeQuotes(
    core::ComboId combo, router::ComboQuoteListener* listener) {
  return inner_.SubscribeQuotes(combo, listener);
}

absl::Status OrderGate::UnsubscribeQuotes(core::ComboId combo,
                                          router::ComboQuoteListener* listener) {
  return inner_.UnsubscribeQuotes(combo, listener);
}

void OrderGate::OnAccepted(const router::ComboOrderAccepted& event) {
  Count(OrderOutcome::kAccepted);
  if (listener_ != nullptr) listener_->OnAccepted(event);
}

void OrderGate::OnRejected(const router::ComboOrderRejected& event) {
  if (event.rejected_request == router::RejectedRequest::kNewOrder) Count(OrderOutcome::kRejected);
  if (listener_ != nullptr) listener_->OnRejected(event);
}

void OrderGate::OnExecution(const router::ComboExecution& event) {
  if (event.order.status == router::ClientOrderStatus::kFilled) Count(OrderOutcome::kFilled);
  if (listener_ != nullptr) listener_->OnExecution(event);
}

void OrderGate::OnCancelled(const router::ComboOrderCancelled& event) {
  Count(OrderOutcome::kCancelled);
  if (listener_ != nullptr) listener_->OnCancelled(event);
}

void OrderGate::OnReplaced(const router::ComboOrderReplaced& event) {
  if (listener_ != nullptr) listener_->OnReplaced(event);
}

void OrderGate::OnCancelRejected(const router::CancelRejected& event) {
  if (listener_ != nullptr) listener_->OnCancelRejected(event);
}

void OrderGate::OnStatus(const router::ComboOrderStatusReport& event) {
  if (listener_ != nullptr) listener_->OnStatus(event);
}

void OrderGate::OnPending(const router::ComboOrderPending& event) {
  if (listener_ != nullptr) listener_->OnPending(event);
}

}  // namespace combo::daemon
