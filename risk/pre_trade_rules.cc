#include "risk/pre_trade_rules.h"

#include <algorithm>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"

namespace combo::risk {

namespace {

std::vector<core::InstrumentId> Sorted(std::vector<core::InstrumentId> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

absl::int128 Abs(absl::int128 v) { return v < 0 ? -v : v; }

}  // namespace

InstrumentFilter::InstrumentFilter(const RiskLimits& limits)
    : allowed_(Sorted(limits.allowed_instruments)), blocked_(Sorted(limits.blocked_instruments)) {}

bool InstrumentFilter::IsAllowed(core::InstrumentId id) const {
  if (std::binary_search(blocked_.begin(), blocked_.end(), id)) return false;
  return allowed_.empty() || std::binary_search(allowed_.begin(), allowed_.end(), id);
}

RiskDecision CheckTradingNotHalted(const OrderCheckRequest&, const PreTradeContext& ctx) {
  if (ctx.state != TradingState::kHalted) return RiskDecision::Allow();
  return RiskDecision::Deny(RiskRule::kTradingHalted, RiskValue(), RiskValue());
}

RiskDecision CheckDuplicateClientOrderId(const OrderCheckRequest& request,
                                         const PreTradeContext& ctx) {
  if (!ctx.clients.IsDuplicate(request.client, request.client_order_id)) {
    return RiskDecision::Allow();
  }
  return RiskDecision::Deny(RiskRule::kDuplicateClientOrderId, RiskValue(), RiskValue());
}

RiskDecision CheckInstrumentsAllowed(const OrderCheckRequest& request, const PreTradeContext& ctx) {
  for (const core::ComboLeg& leg : request.legs) {
    if (!ctx.instruments.IsAllowed(leg.instrument)) {
      return RiskDecision::Deny(RiskRule::kInstrumentNotAllowed, RiskValue(), RiskValue(),
                                RiskValue::Of(leg.instrument));
    }
  }
  return RiskDecision::Allow();
}

RiskDecision CheckMaxLegs(const OrderCheckRequest& request, const PreTradeContext& ctx) {
  const auto legs = static_cast<int64_t>(request.legs.size());
  if (legs <= ctx.limits.max_legs) return RiskDecision::Allow();
  return RiskDecision::Deny(RiskRule::kMaxLegs, RiskValue::Count(legs),
                            RiskValue::Count(ctx.limits.max_legs));
}

RiskDecision CheckMaxComboQuantity(const OrderCheckRequest& request, const PreTradeContext& ctx) {
  if (request.quantity <= ctx.limits.max_combo_quantity) return RiskDecision::Allow();
  return RiskDecision::Deny(RiskRule::kMaxComboQuantity, RiskValue::Units(request.quantity),
                            RiskValue::Units(ctx.limits.max_combo_quantity));
}

RiskDecision CheckMaxNotional(const OrderCheckRequest& request, const PreTradeContext& ctx) {
  if (request.notional <= ctx.limits.max_notional) return RiskDecision::Allow();
  return RiskDecision::Deny(RiskRule::kMaxNotional, RiskValue::Amount(request.notional),
                            RiskValue::Amount(ctx.limits.max_notional));
}

RiskDecision CheckPriceCollar(const OrderCheckRequest& request, const PreTradeContext& ctx) {
  if (!request.limit_price.has_value() || !request.best_opposite_price.has_value()) {
    return RiskDecision::Allow();
  }
  const RiskLimits& limits = ctx.limits;
  if (limits.collar_ticks == 0 && limits.collar_basis_points == 0) return RiskDecision::Allow();
  const absl::int128 best = request.best_opposite_price->raw();
  const absl::int128 by_ticks = absl::int128(request.combo_tick.raw()) * limits.collar_ticks;
  // Rounded down: the narrower collar.
  const absl::int128 by_percent = Abs(best) * limits.collar_basis_points / 10'000;
  const absl::int128 width = by_ticks > by_percent ? by_ticks : by_percent;
  const absl::int128 limit = request.limit_price->raw();
  const bool buy = request.side == core::Side::kBuy;
  const absl::int128 bound = buy ? best + width : best - width;
  const bool through = buy ? limit > bound : limit < bound;
  if (!through) return RiskDecision::Allow();
  return RiskDecision::Deny(RiskRule::kPriceCollar, RiskValue::At(*request.limit_price),
                            RiskValue::AtRaw(bound), RiskValue::At(*request.best_opposite_price));
}

RiskDecision CheckVenueAvailable(const OrderCheckRequest& request, const PreTradeContext& ctx) {
  for (core::VenueId venue : request.venues) {
    if (ctx.venues.IsAvailable(venue)) return RiskDecision::Allow();
  }
  return RiskDecision::Deny(RiskRule::kVenueNotAvailable,
                            RiskValue::Count(static_cast<int64_t>(request.venues.size())),
                            RiskValue());
}

RiskDecision CheckClientCreditLimit(const OrderCheckRequest& request, const PreTradeContext& ctx) {
  const RiskLimits& limits = ctx.limits;
  const core::Money* limit = nullptr;
  if (auto it = limits.client_credit_limits.find(request.client);
      it != limits.client_credit_limits.end()) {
    limit = &it->second;
  } else if (limits.default_client_credit_limit.has_value()) {
    limit = &*limits.default_client_credit_limit;
  }
  if (limit == nullptr) return RiskDecision::Allow();
  core::Money open = ctx.clients.OpenNotional(request.client);
  if (request.replaces.has_value()) {
    // The replaced order's notional is superseded by the request's.
    open -= ctx.clients.OrderOpenNotional(*request.replaces).value_or(core::Money::Zero());
  }
  const core::Money total = open + request.notional;
  if (total <= *limit) return RiskDecision::Allow();
  return RiskDecision::Deny(RiskRule::kClientCreditLimit, RiskValue::Amount(total),
                            RiskValue::Amount(*limit));
}

absl::Status ValidateOrderCheckRequest(const OrderCheckRequest& request,
                                       const ClientBook& clients) {
  if (request.client.value().empty()) {
    return absl::InvalidArgumentError("risk check: client must not be empty");
  }
  if (request.client_order_id.value().empty()) {
    return absl::InvalidArgumentError("risk check: ClOrdID must not be empty");
  }
  if (request.legs.empty()) return absl::InvalidArgumentError("risk check: the order has no legs");
  if (request.venues.empty()) {
    return absl::InvalidArgumentError("risk check: the order names no venue");
  }
  if (!request.quantity.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("risk check: quantity must be positive, got ", request.quantity.value()));
  }
  if (!request.combo_tick.is_positive()) {
    return absl::InvalidArgumentError(absl::StrCat("risk check: combo tick must be positive, got ",
                                                   request.combo_tick.ToString()));
  }
  if (request.combo_multiplier < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "risk check: combo multiplier must be at least 1, got ", request.combo_multiplier));
  }
  if (request.notional.is_negative()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "risk check: notional must not be negative, got ", request.notional.ToString()));
  }
  if (request.replaces.has_value()) {
    const core::ClientId* owner = clients.OrderClient(*request.replaces);
    if (owner == nullptr) {
      return absl::NotFoundError(absl::StrCat("risk check: replaced order ",
                                              request.replaces->value(), " is not working"));
    }
    if (*owner != request.client) {
      return absl::InvalidArgumentError(absl::StrCat(
          "risk check: replaced order ", request.replaces->value(), " belongs to another client"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<RiskDecision> RunPreTradeChecks(const OrderCheckRequest& request,
                                               const PreTradeContext& ctx) {
  if (absl::Status s = ValidateOrderCheckRequest(request, ctx.clients); !s.ok()) return s;
  for (const PreTradeRule& rule : kPreTradeRules) {
    RiskDecision decision = rule.check(request, ctx);
    if (decision.denied()) return decision;
  }
  return RiskDecision::Allow();
}

}  // namespace combo::risk
