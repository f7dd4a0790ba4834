// Protection: the seed-004 protected-order loop for one order, as pure rules (spec R30-R51).
//
// A ProtectedOrder is a client bid or offer whose working level AOP may move: protect (to the
// Third Party Inside Market's contra level, to the average weighted price of the contra depth,
// or after a small trade-through via wait-for-follow), and unprotect (back toward the original
// limit when the contra moves away). OnQuote runs the price-only path, OnTrade the trade path;
// each returns the reprice it made, if any. The working level is never worse for the client
// than the original limit (R58): every protect moves it in the client's favour and every
// unprotect stops at the original.
//
// The spec's recommended decisions are taken (docs/VENUES.md "Automated order protection"):
// strict inversions; leaves quantity for the size tests; the AWP only if better than the current
// level (R38 guard) and recomputed on unprotect of an AWP-protected order (Inconsistency 3);
// the narrative wait-for-follow trigger with a client tolerance (R39/R50); active protection at
// the trade price by default (R42); an empty contra side is no information (A1); WFF cleared on
// protect, unprotect and after an optional maximum age (R51).
//
// Pure functions over value types; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "absl/status/status.h"
#include "core/market_data.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/rounding.h"
#include "core/side.h"
#include "core/time.h"
#include "venues/venue.h"

namespace combo::venues::aop {

// Why the working level is what it is (and why it last changed).
enum class ProtectionBasis : uint8_t {
  kNone,           // at the original limit
  kTopOfBook,      // the TPIM contra level, with enough size (R36)
  kAwp,            // the average weighted price of the contra depth (R38)
  kWaitForFollow,  // the contra level after an armed wait-for-follow (R39)
  kTrade,          // a trade through the level of enough size (R42)
  kUnprotect,      // moved back toward the original (R32); kNone once at the original
};

std::string_view ToString(ProtectionBasis basis);
// The restatement reason a reprice on `basis` is reported with.
RestatementReason RestatementReasonFor(ProtectionBasis basis);

// Where an active inversion of sufficient size protects to (R42 decision).
enum class ActiveProtectLevel : uint8_t { kTradePrice, kContraTop };

// What to do when the contra side is empty (spec A1).
enum class EmptyContraPolicy : uint8_t {
  kKeepLevel,            // no information: keep the level, do not unprotect (recommended)
  kUnprotectToOriginal,  // treat as infinitely unfavourable
};

struct ProtectionConfig {
  bool awp_enabled = false;
  // Contra levels the AWP walk may use (R47: 5 in the seed's example).
  int awp_max_levels = 5;
  // The AWP is rounded to this grid with this mode; the seed's figures are nearest at 0.01.
  core::Price awp_tick = core::Price::FromParts(0, 10'000'000);
  core::RoundingMode awp_rounding = core::RoundingMode::kHalfUp;
  bool wff_enabled = true;
  // How far the follow quote may sit on the wrong side of the trade price and still trigger.
  core::Price wff_tolerance;
  // Zero: WFF stays armed until the next trade (the seed).
  core::Duration wff_max_age;
  ActiveProtectLevel active_level = ActiveProtectLevel::kTradePrice;
  EmptyContraPolicy empty_contra = EmptyContraPolicy::kKeepLevel;
};

// The contra side of the TPIM for one order: the offers for a bid, the bids for an offer, best
// first. Empty means no contra market.
struct ContraMarket {
  std::span<const core::PriceLevel> levels;
  std::optional<core::PriceLevel> top() const {
    if (levels.empty()) return std::nullopt;
    return levels.front();
  }
};

// Checks a config: positive AWP tick, at least one AWP level, non-negative WFF tolerance and age.
absl::Status ValidateProtectionConfig(const ProtectionConfig& config);

struct ProtectedOrder {
  core::Side side = core::Side::kBuy;
  core::Price original;
  core::Price level;
  core::Quantity leaves;
  // R30-R33: true while level != original.
  bool aop_flag = false;
  ProtectionBasis basis = ProtectionBasis::kNone;
  // The contra reference at the last protect/unprotect (R32).
  std::optional<core::Price> contra_at_last_mod;
  bool wff = false;
  core::Price wff_level;
  core::Timestamp wff_armed_at;

  static ProtectedOrder Create(core::Side side, core::Price limit, core::Quantity leaves) {
    ProtectedOrder order;
    order.side = side;
    order.original = limit;
    order.level = limit;
    order.leaves = leaves;
    return order;
  }
};

struct Reprice {
  core::Price from;
  core::Price to;
  ProtectionBasis basis = ProtectionBasis::kNone;
};

// Side helpers in the client's terms (spec 2.1).
// `a` is better for the client than `b`: lower for a bid, higher for an offer.
bool BetterForClient(core::Side side, core::Price a, core::Price b);
// A contra price strictly through the order's level.
bool Through(core::Side side, core::Price contra, core::Price level);
// The better of two levels for the client.
core::Price BetterOf(core::Side side, core::Price a, core::Price b);

// R44-R46: the average price of taking `quantity` from `contra` (best first), rounded to `tick`
// by `mode`; nullopt when the levels (at most `max_levels`) hold less than `quantity` or the
// quantity is not positive. Exact: the sum is an integer and one division rounds it.
std::optional<core::Price> AverageWeightedPrice(std::span<const core::PriceLevel> contra,
                                                core::Quantity quantity, int max_levels,
                                                core::Price tick, core::RoundingMode mode);

// A price-only TPIM update (R30-R39).
std::optional<Reprice> OnQuote(ProtectedOrder& order, const ContraMarket& contra,
                               const ProtectionConfig& config, core::Timestamp now);
// A TPIM trade at `price` for `quantity` (R40-R43, then R31-R32 for a protected order).
std::optional<Reprice> OnTrade(ProtectedOrder& order, core::Price price, core::Quantity quantity,
                               const ContraMarket& contra, const ProtectionConfig& config,
                               core::Timestamp now);

}  // namespace combo::venues::aop
