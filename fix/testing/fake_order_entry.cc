#include "fix/testing/fake_order_entry.h"

#include <numeric>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/rounding.h"
#include "router/order_checks.h"

namespace combo::fix::testing {
namespace {

// gcd over legs of ratio x leg multiplier (a leg not in `instruments` counts its ratio).
int64_t Multiplier(const core::ComboSpec& combo, const core::InstrumentCatalog& instruments) {
  int64_t multiplier = 0;
  for (const core::ComboLeg& leg : combo.legs()) {
    const core::Instrument* instrument = instruments.Find(leg.instrument);
    multiplier =
        std::gcd(multiplier, leg.ratio * (instrument != nullptr ? instrument->multiplier() : 1));
  }
  return multiplier;
}

}  // namespace

using router::ClientOrderStatus;
using router::RejectReason;

FakeOrderEntry::FakeOrderEntry(const core::InstrumentCatalog& instruments, const core::Clock& clock,
                               Fills fills)
    : instruments_(instruments), clock_(clock), fills_(fills) {}

bool FakeOrderEntry::Finished(const Order& order) const {
  const ClientOrderStatus status = order.snapshot.status;
  return status == ClientOrderStatus::kFilled || status == ClientOrderStatus::kCanceled ||
         status == ClientOrderStatus::kRejected;
}

std::optional<core::OrderId> FakeOrderEntry::FindOrder(const core::ClientId& client,
                                                       const core::ClientOrderId& id) const {
  auto it = by_client_id_.find({client.value(), id.value()});
  if (it == by_client_id_.end()) return std::nullopt;
  return it->second;
}

size_t FakeOrderEntry::subscribers() const {
  size_t count = 0;
  for (const auto& [combo, listeners] : subscribers_) count += listeners.size();
  return count;
}

absl::Status FakeOrderEntry::Submit(const router::NewComboOrder& order) {
  if (on_submit_) on_submit_();
  submitted_.push_back(order);
  if (listener_ == nullptr) return absl::FailedPreconditionError("no listener");
  if (!used_ids_.insert({order.client.value(), order.client_order_id.value()}).second) {
    listener_->OnRejected(
        {order.client, order.client_order_id, RejectReason::kDuplicateClientOrderId,
         absl::StrCat("duplicate ClOrdID \"", order.client_order_id.value(), "\""), clock_.Now(),
         router::RejectedRequest::kNewOrder, order});
    return absl::OkStatus();
  }
  if (std::optional<router::Refusal> refusal = router::CheckNewOrder(order)) {
    listener_->OnRejected({order.client, order.client_order_id, refusal->reason,
                           std::move(refusal->text), clock_.Now(),
                           router::RejectedRequest::kNewOrder, order});
    return absl::OkStatus();
  }
  const core::OrderId id(next_order_id_++);
  Order& stored = orders_.emplace(id, Order{order, {}, 0}).first->second;
  router::OrderSnapshot& s = stored.snapshot;
  s.client = order.client;
  s.client_order_id = order.client_order_id;
  s.order_id = id;
  s.original_client_order_id = order.client_order_id;
  s.account = order.account;
  s.side = order.side;
  s.type = order.type;
  s.time_in_force = order.time_in_force;
  s.security_id = order.security_id;
  s.combo_multiplier = Multiplier(order.combo, instruments_);
  for (const core::ComboLeg& leg : order.combo.legs()) s.legs.push_back({leg, {}, {}});
  s.status = ClientOrderStatus::kNew;
  s.order_quantity = order.quantity;
  s.leaves_quantity = order.quantity;
  s.limit_price = order.limit_price;
  by_client_id_[{order.client.value(), order.client_order_id.value()}] = id;
  listener_->OnAccepted({s, clock_.Now()});
  if (fills_ == Fills::kImmediately && order.limit_price.has_value()) {
    std::vector<core::Price> legs(order.combo.size(), core::Price::Zero());
    legs[0] =
        order.combo.leg(0).side == core::Side::kBuy ? *order.limit_price : -*order.limit_price;
    return Fill(id, order.quantity, *order.limit_price, legs, core::VenueId(1));
  }
  return absl::OkStatus();
}

absl::Status FakeOrderEntry::Fill(core::OrderId order_id, core::Quantity units, core::Price price,
                                  const std::vector<core::Price>& leg_prices, core::VenueId venue) {
  auto it = orders_.find(order_id);
  if (it == orders_.end() || Finished(it->second)) {
    return absl::FailedPreconditionError("no open order to fill");
  }
  Order& order = it->second;
  router::OrderSnapshot& s = order.snapshot;
  if (units > s.leaves_quantity || !units.is_positive()) {
    return absl::InvalidArgumentError("more units than are left");
  }
  if (leg_prices.size() != order.request.combo.size()) {
    return absl::InvalidArgumentError("one leg price per leg");
  }
  s.cumulative_quantity += units;
  s.leaves_quantity -= units;
  order.notional += absl::int128(price.raw()) * units.value();
  s.average_price = core::Price::FromRaw(static_cast<int64_t>(core::DivideRounded(
      order.notional, s.cumulative_quantity.value(), core::RoundingMode::kHalfEven)));
  s.status = s.leaves_quantity.is_zero() ? ClientOrderStatus::kFilled
                                         : ClientOrderStatus::kPartiallyFilled;
  router::ComboExecution execution;
  execution.execution_id = next_execution_id_++;
  execution.last_quantity = units;
  execution.last_price = price;
  execution.time = clock_.Now();
  for (size_t i = 0; i < order.request.combo.size(); ++i) {
    const core::ComboLeg& leg = order.request.combo.leg(i);
    execution.legs.push_back(
        {leg.instrument,
         order.request.side == core::Side::kBuy ? leg.side : core::Opposite(leg.side), venue,
         leg_prices[i], units * leg.ratio});
  }
  router::AddLegFills(s.legs, execution.legs);
  execution.order = s;
  listener_->OnExecution(execution);
  return absl::OkStatus();
}

absl::Status FakeOrderEntry::Cancel(const router::CancelComboOrder& cancel) {
  ++cancels_;
  if (std::optional<router::Refusal> refusal = router::CheckCancel(cancel)) {
    listener_->OnCancelRejected({cancel.client, cancel.client_order_id,
                                 cancel.original_client_order_id,
                                 router::CancelRejectResponseTo::kCancel, refusal->reason,
                                 std::move(refusal->text), std::nullopt, clock_.Now()});
    return absl::OkStatus();
  }
  const std::optional<core::OrderId> id = FindOrder(cancel.client, cancel.original_client_order_id);
  router::CancelRejected rejected{cancel.client,
                                  cancel.client_order_id,
                                  cancel.original_client_order_id,
                                  router::CancelRejectResponseTo::kCancel,
                                  RejectReason::kUnknownOrder,
                                  "",
                                  std::nullopt,
                                  clock_.Now()};
  if (!id.has_value()) {
    rejected.text = absl::StrCat("unknown order: OrigClOrdID \"",
                                 cancel.original_client_order_id.value(), "\"");
    listener_->OnCancelRejected(rejected);
    return absl::OkStatus();
  }
  Order& order = orders_.at(*id);
  if (Finished(order)) {
    rejected.reason = RejectReason::kTooLateToCancel;
    rejected.text = absl::StrCat("too late to cancel: the order is ",
                                 core::AsAbsl(router::ToString(order.snapshot.status)));
    rejected.order = order.snapshot;
    listener_->OnCancelRejected(rejected);
    return absl::OkStatus();
  }
  order.snapshot.status = ClientOrderStatus::kCanceled;
  order.snapshot.leaves_quantity = core::Quantity::Zero();
  order.snapshot.original_client_order_id = order.snapshot.client_order_id;
  order.snapshot.client_order_id = cancel.client_order_id;
  listener_->OnCancelled({order.snapshot, "cancelled by client", clock_.Now()});
  return absl::OkStatus();
}

absl::Status FakeOrderEntry::Replace(const router::ReplaceComboOrder& replace) {
  ++replaces_;
  const std::optional<core::OrderId> id =
      FindOrder(replace.client, replace.original_client_order_id);
  router::CancelRejected rejected{replace.client,
                                  replace.client_order_id,
                                  replace.original_client_order_id,
                                  router::CancelRejectResponseTo::kReplace,
                                  RejectReason::kUnknownOrder,
                                  "",
                                  std::nullopt,
                                  clock_.Now()};
  if (!id.has_value()) {
    rejected.text = absl::StrCat("unknown order: OrigClOrdID \"",
                                 replace.original_client_order_id.value(), "\"");
    listener_->OnCancelRejected(rejected);
    return absl::OkStatus();
  }
  Order& order = orders_.at(*id);
  rejected.order = order.snapshot;
  if (Finished(order)) {
    rejected.reason = RejectReason::kTooLateToCancel;
    rejected.text = absl::StrCat("too late to replace: the order is ",
                                 core::AsAbsl(router::ToString(order.snapshot.status)));
    listener_->OnCancelRejected(rejected);
    return absl::OkStatus();
  }
  if (std::optional<router::Refusal> refusal = router::CheckReplace(replace, order.request)) {
    rejected.reason = refusal->reason;
    rejected.text = std::move(refusal->text);
    listener_->OnCancelRejected(rejected);
    return absl::OkStatus();
  }
  if (replace.total_quantity <= order.snapshot.cumulative_quantity) {
    rejected.reason = RejectReason::kReplaceBelowFilled;
    rejected.text =
        absl::StrCat("replace to ", replace.total_quantity.value(), " units is not above the ",
                     order.snapshot.cumulative_quantity.value(), " already filled");
    listener_->OnCancelRejected(rejected);
    return absl::OkStatus();
  }
  router::OrderSnapshot& s = order.snapshot;
  s.original_client_order_id = s.client_order_id;
  s.client_order_id = replace.client_order_id;
  s.order_quantity = replace.total_quantity;
  s.leaves_quantity = replace.total_quantity - s.cumulative_quantity;
  s.limit_price = replace.limit_price;
  by_client_id_[{replace.client.value(), replace.client_order_id.value()}] = *id;
  listener_->OnReplaced({s, clock_.Now()});
  return absl::OkStatus();
}

absl::Status FakeOrderEntry::RequestStatus(const router::ComboOrderStatusRequest& request) {
  ++status_requests_;
  const std::optional<core::OrderId> id = FindOrder(request.client, request.client_order_id);
  if (!id.has_value()) {
    listener_->OnRejected(
        {request.client, request.client_order_id, RejectReason::kUnknownOrder,
         absl::StrCat("unknown order: ClOrdID \"", request.client_order_id.value(), "\""),
         clock_.Now(), router::RejectedRequest::kStatusRequest});
    return absl::OkStatus();
  }
  listener_->OnStatus({orders_.at(*id).snapshot, clock_.Now()});
  return absl::OkStatus();
}

absl::StatusOr<router::ComboDefinition> FakeOrderEntry::DefineCombo(const core::ComboSpec& combo) {
  for (size_t i = 0; i < combo.size(); ++i) {
    if (instruments_.Find(combo.leg(i).instrument) == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("leg ", i + 1, ": unknown instrument ", combo.leg(i).instrument.value()));
    }
  }
  core::CanonicalCombo canonical = core::Canonicalize(combo);
  // The canonical combo's multiplier: its units are the ones quoted and traded.
  const int64_t multiplier = Multiplier(canonical.spec, instruments_);
  absl::StatusOr<core::ComboId> id = combos_.Intern(canonical.spec);
  if (!id.ok()) return id.status();
  quotes_.try_emplace(*id, router::ComboQuote{*id, std::nullopt, std::nullopt, clock_.Now()});
  return router::ComboDefinition{*id, std::move(canonical), multiplier};
}

// Its catalog holds exactly the combos DefineCombo defined.
const core::ComboSpec* FakeOrderEntry::FindDefinedCombo(core::ComboId combo) const {
  return combos_.Find(combo);
}

absl::StatusOr<router::ComboQuote> FakeOrderEntry::SubscribeQuotes(
    core::ComboId combo, router::ComboQuoteListener* listener) {
  auto it = quotes_.find(combo);
  if (it == quotes_.end()) {
    return absl::NotFoundError(
        absl::StrCat("unknown combo: SecurityID ", combo.value(), " was not defined"));
  }
  subscribers_[combo].insert(listener);
  return it->second;
}

absl::Status FakeOrderEntry::UnsubscribeQuotes(core::ComboId combo,
                                               router::ComboQuoteListener* listener) {
  auto it = subscribers_.find(combo);
  if (it == subscribers_.end() || it->second.erase(listener) == 0) {
    return absl::NotFoundError("not subscribed");
  }
  return absl::OkStatus();
}

absl::Status FakeOrderEntry::PublishQuote(const router::ComboQuote& quote) {
  auto it = quotes_.find(quote.combo);
  if (it == quotes_.end()) return absl::NotFoundError("unknown combo");
  it->second = quote;
  // Copy: a listener may unsubscribe while being told.
  const std::set<router::ComboQuoteListener*> listeners = subscribers_[quote.combo];
  for (router::ComboQuoteListener* listener : listeners) listener->OnComboQuote(quote);
  return absl::OkStatus();
}

}  // namespace combo::fix::testing
