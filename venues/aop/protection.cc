// The seed-004 protected-order loop (see protection.h).
#include "venues/aop/protection.h"

#include <algorithm>
#include <limits>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"

namespace combo::venues::aop {
namespace {

// The contra moved against the client since `last`: a higher offer for a bid, a lower bid for
// an offer.
bool LessFavourable(core::Side side, core::Price now, core::Price last) {
  return BetterForClient(side, last, now);
}

// At or through `reference`, allowing `tolerance` on the wrong side.
bool AtOrThrough(core::Side side, core::Price contra, core::Price reference,
                 core::Price tolerance) {
  return side == core::Side::kBuy ? contra <= reference + tolerance
                                  : contra >= reference - tolerance;
}

Reprice Protect(ProtectedOrder& order, core::Price level, ProtectionBasis basis,
                core::Price contra_reference) {
  Reprice reprice{order.level, level, basis};
  order.level = level;
  order.aop_flag = order.level != order.original;
  order.basis = order.aop_flag ? basis : ProtectionBasis::kNone;
  order.contra_at_last_mod = contra_reference;
  order.wff = false;
  return reprice;
}

std::optional<Reprice> Unprotect(ProtectedOrder& order, std::optional<core::Price> contra_top,
                                 const ContraMarket& contra, const ProtectionConfig& config) {
  core::Price target = order.original;
  if (contra_top.has_value()) {
    core::Price reference = *contra_top;
    // Inconsistency 3: an AWP-protected order goes back to the AWP of the full size now, not
    // to a top level at which the size cannot be had.
    if (order.basis == ProtectionBasis::kAwp && config.awp_enabled) {
      if (auto awp = AverageWeightedPrice(contra.levels, order.leaves, config.awp_max_levels,
                                          config.awp_tick, config.awp_rounding)) {
        reference = *awp;
      }
    }
    target = BetterOf(order.side, order.original, reference);
  }
  order.wff = false;
  if (target == order.level) {
    order.contra_at_last_mod = contra_top;
    return std::nullopt;
  }
  Reprice reprice{order.level, target, ProtectionBasis::kUnprotect};
  order.level = target;
  order.aop_flag = order.level != order.original;
  order.basis = order.aop_flag ? ProtectionBasis::kUnprotect : ProtectionBasis::kNone;
  order.contra_at_last_mod = contra_top;
  return reprice;
}

void ExpireWaitForFollow(ProtectedOrder& order, const ProtectionConfig& config,
                         core::Timestamp now) {
  if (order.wff && config.wff_max_age > core::Duration::Zero() &&
      now - order.wff_armed_at > config.wff_max_age) {
    order.wff = false;
  }
}

// R35-R39.
std::optional<Reprice> QuoteRules(ProtectedOrder& order, const ContraMarket& contra,
                                  const ProtectionConfig& config) {
  const std::optional<core::PriceLevel> top = contra.top();
  if (!top.has_value() || !Through(order.side, top->price, order.level)) return std::nullopt;
  if (top->quantity >= order.leaves) {
    return Protect(order, top->price, ProtectionBasis::kTopOfBook, top->price);
  }
  if (config.awp_enabled) {
    const std::optional<core::Price> awp = AverageWeightedPrice(
        contra.levels, order.leaves, config.awp_max_levels, config.awp_tick, config.awp_rounding);
    // R38 guard: never move a bid up (or an offer down) in the name of protection.
    if (awp.has_value() && BetterForClient(order.side, *awp, order.level)) {
      return Protect(order, *awp, ProtectionBasis::kAwp, top->price);
    }
  }
  if (config.wff_enabled && order.wff &&
      AtOrThrough(order.side, top->price, order.wff_level, config.wff_tolerance)) {
    return Protect(order, top->price, ProtectionBasis::kWaitForFollow, top->price);
  }
  return std::nullopt;
}

// R40-R43.
std::optional<Reprice> TradeRules(ProtectedOrder& order, core::Price price, core::Quantity quantity,
                                  const ContraMarket& contra, const ProtectionConfig& config,
                                  core::Timestamp now) {
  order.wff = false;
  if (!Through(order.side, price, order.level)) return std::nullopt;
  if (quantity >= order.leaves) {
    core::Price target = price;
    const std::optional<core::PriceLevel> top = contra.top();
    if (config.active_level == ActiveProtectLevel::kContraTop && top.has_value() &&
        Through(order.side, top->price, order.level)) {
      target = top->price;
    }
    return Protect(order, target, ProtectionBasis::kTrade, target);
  }
  if (config.wff_enabled) {
    order.wff = true;
    order.wff_level = price;
    order.wff_armed_at = now;
  }
  return std::nullopt;
}

// R31-R32 for a protected order; nullopt in `handled` means "run the AOP rules".
bool ProtectedChecks(ProtectedOrder& order, const ContraMarket& contra,
                     const ProtectionConfig& config, std::optional<Reprice>& result) {
  const std::optional<core::PriceLevel> top = contra.top();
  if (!top.has_value()) {
    if (config.empty_contra == EmptyContraPolicy::kUnprotectToOriginal) {
      result = Unprotect(order, std::nullopt, contra, config);
    }
    return true;
  }
  if (top->price == order.level) return true;  // R31
  if (order.contra_at_last_mod.has_value() &&
      LessFavourable(order.side, top->price, *order.contra_at_last_mod)) {
    result = Unprotect(order, top->price, contra, config);  // R32
    return true;
  }
  return false;
}

}  // namespace

std::string_view ToString(ProtectionBasis basis) {
  switch (basis) {
    case ProtectionBasis::kNone:
      return "none";
    case ProtectionBasis::kTopOfBook:
      return "top_of_book";
    case ProtectionBasis::kAwp:
      return "awp";
    case ProtectionBasis::kWaitForFollow:
      return "wait_for_follow";
    case ProtectionBasis::kTrade:
      return "trade";
    case ProtectionBasis::kUnprotect:
      return "unprotect";
  }
  return "unknown";
}

RestatementReason RestatementReasonFor(ProtectionBasis basis) {
  switch (basis) {
    case ProtectionBasis::kTopOfBook:
      return RestatementReason::kAopTopOfBook;
    case ProtectionBasis::kAwp:
      return RestatementReason::kAopAwp;
    case ProtectionBasis::kWaitForFollow:
      return RestatementReason::kAopWaitForFollow;
    case ProtectionBasis::kTrade:
      return RestatementReason::kAopTradeThrough;
    case ProtectionBasis::kNone:
    case ProtectionBasis::kUnprotect:
      break;
  }
  return RestatementReason::kAopUnprotect;
}

absl::Status ValidateProtectionConfig(const ProtectionConfig& config) {
  if (!config.awp_tick.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("AOP: AWP tick ", config.awp_tick.ToString(), " is not positive"));
  }
  if (config.awp_max_levels < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("AOP: AWP levels ", config.awp_max_levels, " must be at least 1"));
  }
  if (config.wff_tolerance.is_negative()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "AOP: wait-for-follow tolerance ", config.wff_tolerance.ToString(), " is negative"));
  }
  if (config.wff_max_age < core::Duration::Zero()) {
    return absl::InvalidArgumentError(absl::StrCat("AOP: wait-for-follow max age ",
                                                   config.wff_max_age.ToString(), " is negative"));
  }
  return absl::OkStatus();
}

bool BetterForClient(core::Side side, core::Price a, core::Price b) {
  return side == core::Side::kBuy ? a < b : a > b;
}

bool Through(core::Side side, core::Price contra, core::Price level) {
  return BetterForClient(side, contra, level);
}

core::Price BetterOf(core::Side side, core::Price a, core::Price b) {
  return BetterForClient(side, a, b) ? a : b;
}

std::optional<core::Price> AverageWeightedPrice(std::span<const core::PriceLevel> contra,
                                                core::Quantity quantity, int max_levels,
                                                core::Price tick, core::RoundingMode mode) {
  if (!quantity.is_positive() || !tick.is_positive()) return std::nullopt;
  absl::int128 total = 0;
  int64_t remaining = quantity.value();
  int used = 0;
  for (const core::PriceLevel& level : contra) {
    if (remaining == 0 || used == max_levels) break;
    const int64_t take = std::min(level.quantity.value(), remaining);
    if (take <= 0) continue;
    total += absl::int128(level.price.raw()) * take;
    remaining -= take;
    ++used;
  }
  if (remaining > 0) return std::nullopt;  // R45: the stack is too shallow
  const absl::int128 ticks =
      core::DivideRounded(total, absl::int128(quantity.value()) * tick.raw(), mode);
  const absl::int128 raw = ticks * tick.raw();
  if (raw > std::numeric_limits<int64_t>::max() || raw < std::numeric_limits<int64_t>::min()) {
    return std::nullopt;
  }
  return core::Price::FromRaw(static_cast<int64_t>(raw));
}

std::optional<Reprice> OnQuote(ProtectedOrder& order, const ContraMarket& contra,
                               const ProtectionConfig& config, core::Timestamp now) {
  if (!order.leaves.is_positive()) return std::nullopt;
  ExpireWaitForFollow(order, config, now);
  if (order.aop_flag) {
    std::optional<Reprice> result;
    if (ProtectedChecks(order, contra, config, result)) return result;
  }
  return QuoteRules(order, contra, config);  // R30, R33
}

std::optional<Reprice> OnTrade(ProtectedOrder& order, core::Price price, core::Quantity quantity,
                               const ContraMarket& contra, const ProtectionConfig& config,
                               core::Timestamp now) {
  if (!order.leaves.is_positive()) return std::nullopt;
  ExpireWaitForFollow(order, config, now);
  if (order.aop_flag) {
    std::optional<Reprice> result;
    if (ProtectedChecks(order, contra, config, result)) {
      order.wff = false;  // R40: every trade event clears WFF
      return result;
    }
  }
  return TradeRules(order, price, quantity, contra, config, now);
}

}  // namespace combo::venues::aop
