// RiskRule: the reason code of every risk denial and every limit breach.
//
// Each pre-trade rule, each legging-exposure limit and each error-account limit has its own code,
// so a denial names exactly which protection fired, metrics count denials by it, and the router
// can pass it on in the client's reject text. Appended to, never renumbered (the values index
// metric series). Plain enum and functions; safe to share between threads.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace combo::risk {

enum class RiskRule : uint8_t {
  // Pre-trade checks on a combo order or a replace.
  kTradingHalted,           // the trading state is halted
  kDuplicateClientOrderId,  // the client already used this ClOrdID today
  kInstrumentNotAllowed,    // a leg's instrument is blocked or not on the allow-list
  kMaxLegs,                 // more legs than allowed
  kMaxComboQuantity,        // more combo units than allowed
  kMaxNotional,             // the order's notional is above the per-order maximum
  kPriceCollar,             // the limit price is too far through the best combo price
  kVenueNotAvailable,       // none of the venues the order may use is available
  kClientCreditLimit,       // the client's open notional with this order is above its limit
  // Leg-in checks (legging exposure across all orders).
  kReducingOnly,              // trading is reducing and the leg-in would not reduce delta
  kLegInExposureUnits,        // open unhedged units would pass their limit
  kLegInExposureNotional,     // open unhedged notional would pass its limit
  kLegInExposureDollarDelta,  // open unhedged dollar delta would pass its limit
  // Error-account limits (breaches, not denials: they move the trading state).
  kErrorAccountPosition,       // one instrument's absolute position
  kErrorAccountTotalPosition,  // the sum of absolute positions over instruments
  kErrorAccountLoss,           // the loss that moves trading to reducing
  kErrorAccountHaltLoss,       // the loss that halts trading
};

inline constexpr std::array<RiskRule, 17> kAllRiskRules = {
    RiskRule::kTradingHalted,
    RiskRule::kDuplicateClientOrderId,
    RiskRule::kInstrumentNotAllowed,
    RiskRule::kMaxLegs,
    RiskRule::kMaxComboQuantity,
    RiskRule::kMaxNotional,
    RiskRule::kPriceCollar,
    RiskRule::kVenueNotAvailable,
    RiskRule::kClientCreditLimit,
    RiskRule::kReducingOnly,
    RiskRule::kLegInExposureUnits,
    RiskRule::kLegInExposureNotional,
    RiskRule::kLegInExposureDollarDelta,
    RiskRule::kErrorAccountPosition,
    RiskRule::kErrorAccountTotalPosition,
    RiskRule::kErrorAccountLoss,
    RiskRule::kErrorAccountHaltLoss,
};

// Snake-case name, used as the metric label value and in logs: "max_combo_quantity".
std::string_view ToString(RiskRule rule);

}  // namespace combo::risk
