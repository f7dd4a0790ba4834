#include "accounts/unwind.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::accounts {

std::string_view ToString(UnwindAggression aggression) {
  switch (aggression) {
    case UnwindAggression::kPassive:
      return "passive";
    case UnwindAggression::kMid:
      return "mid";
    case UnwindAggression::kCross:
      return "cross";
  }
  return "unknown";
}

absl::StatusOr<UnwindAggression> ParseUnwindAggression(std::string_view text) {
  if (text == "passive") return UnwindAggression::kPassive;
  if (text == "mid") return UnwindAggression::kMid;
  if (text == "cross") return UnwindAggression::kCross;
  return absl::InvalidArgumentError(absl::StrCat("unknown unwind aggression '", core::AsAbsl(text),
                                                 "' (expected passive, mid or cross)"));
}

absl::Status UnwindPolicy::Validate() const {
  if (interval <= core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unwind interval must be positive, not ", interval.ToString()));
  }
  if (max_order_quantity.value() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unwind max_order_quantity must not be negative: ", max_order_quantity.value()));
  }
  return absl::OkStatus();
}

std::optional<UnwindOrder> PlanUnwind(core::InstrumentId instrument, core::SignedQuantity held,
                                      const core::TopOfBook& top, const core::TickRule& tick_rule,
                                      const UnwindPolicy& policy) {
  if (held.is_zero()) return std::nullopt;
  UnwindOrder order;
  order.instrument = instrument;
  order.side = held.is_long() ? core::Side::kSell : core::Side::kBuy;
  order.quantity = held.Magnitude();
  if (policy.max_order_quantity.is_positive()) {
    order.quantity = core::Min(order.quantity, policy.max_order_quantity);
  }
  const bool selling = order.side == core::Side::kSell;
  switch (policy.aggression) {
    case UnwindAggression::kPassive: {
      // Join the best price on our own side: a seller offers at the ask.
      const auto& own = selling ? top.ask : top.bid;
      if (!own.has_value()) return std::nullopt;
      order.limit = own->price;
      break;
    }
    case UnwindAggression::kCross: {
      const auto& opposite = selling ? top.bid : top.ask;
      if (!opposite.has_value()) return std::nullopt;
      order.limit = opposite->price;
      break;
    }
    case UnwindAggression::kMid: {
      std::optional<core::Price> mid = MidOf(top);
      if (!mid.has_value()) return std::nullopt;
      // Away from crossing: a seller rounds up, a buyer down.
      auto on_tick =
          tick_rule.Round(*mid, selling ? core::RoundingMode::kUp : core::RoundingMode::kDown);
      if (!on_tick.ok()) return std::nullopt;
      order.limit = *on_tick;
      break;
    }
  }
  return order;
}

ErrorAccountUnwinder::ErrorAccountUnwinder(UnwindPolicy policy, core::Scheduler& scheduler,
                                           const Ledger& ledger, const MarkSource& marks,
                                           const core::InstrumentCatalog& catalog,
                                           UnwindOrderSink& sink)
    : policy_(policy),
      scheduler_(scheduler),
      ledger_(ledger),
      marks_(marks),
      catalog_(catalog),
      sink_(sink) {}

ErrorAccountUnwinder::~ErrorAccountUnwinder() { Stop(); }

absl::Status ErrorAccountUnwinder::Start() {
  if (absl::Status status = policy_.Validate(); !status.ok()) return status;
  if (policy_.mode == UnwindMode::kOn && !timer_.valid()) ScheduleNext();
  return absl::OkStatus();
}

void ErrorAccountUnwinder::Stop() {
  if (timer_.valid()) scheduler_.Cancel(timer_);
  timer_ = core::TimerId{};
}

void ErrorAccountUnwinder::ScheduleNext() {
  timer_ = scheduler_.ScheduleAfter(policy_.interval, [this] {
    timer_ = core::TimerId{};
    RunOnce();
    ScheduleNext();
  });
}

int ErrorAccountUnwinder::RunOnce() {
  if (policy_.mode != UnwindMode::kOn) return 0;
  int sent = 0;
  for (const auto& [instrument, position] : ledger_.error_account().positions) {
    if (position.is_flat() || working_.contains(instrument)) continue;
    const core::Instrument* listed = catalog_.Find(instrument);
    std::optional<core::TopOfBook> top = marks_.ConsolidatedTop(instrument);
    if (listed == nullptr || !top.has_value()) continue;
    std::optional<UnwindOrder> order =
        PlanUnwind(instrument, position.quantity(), *top, listed->tick_rule(), policy_);
    if (!order.has_value()) continue;
    absl::StatusOr<core::OrderId> id = sink_.SendUnwindOrder(*order);
    // A refused order is retried at the next evaluation.
    if (!id.ok()) continue;
    working_.emplace(instrument, *id);
    ++sent;
  }
  return sent;
}

void ErrorAccountUnwinder::OnUnwindOrderDone(core::OrderId order) {
  for (auto it = working_.begin(); it != working_.end(); ++it) {
    if (it->second == order) {
      working_.erase(it);
      return;
    }
  }
}

}  // namespace combo::accounts
