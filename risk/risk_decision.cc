#include "risk/risk_decision.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/absl_compat.h"

namespace combo::risk {

namespace {

// A signed 128-bit integer in decimal (absl::int128 has no StrCat overload in this Abseil).
std::string Int128ToString(absl::int128 value) {
  const bool negative = value < 0;
  absl::uint128 magnitude = negative ? absl::uint128(-(value + 1)) + 1 : absl::uint128(value);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  return negative ? "-" + digits : digits;
}

}  // namespace

std::string RiskValue::ToString() const {
  switch (kind_) {
    case Kind::kNone:
      return "";
    case Kind::kCount:
    case Kind::kQuantity:
      return Int128ToString(integer_);
    case Kind::kMoney:
    case Kind::kPrice:
      // Both are 1e-9 fixed point; Money's 128 bits also render a price beyond int64.
      return core::Money::FromRaw(integer_).ToString();
    case Kind::kDollarDelta:
      return absl::StrFormat("%.2f", real_);
    case Kind::kInstrument:
      return absl::StrCat("#", Int128ToString(integer_));
  }
  return "";
}

std::string RiskDecision::Describe() const {
  if (allowed_) return "allowed";
  const std::string actual = actual_.ToString();
  const std::string limit = limit_.ToString();
  switch (rule_) {
    case RiskRule::kTradingHalted:
      return "trading is halted";
    case RiskRule::kDuplicateClientOrderId:
      return "duplicate ClOrdID: already used by this client today";
    case RiskRule::kInstrumentNotAllowed:
      return absl::StrCat("instrument ", subject_.ToString(), " is not allowed");
    case RiskRule::kMaxLegs:
      return absl::StrCat(actual, " legs exceed max legs ", limit);
    case RiskRule::kMaxComboQuantity:
      return absl::StrCat("quantity ", actual, " exceeds max combo quantity ", limit);
    case RiskRule::kMaxNotional:
      return absl::StrCat("notional ", actual, " exceeds max notional ", limit);
    case RiskRule::kPriceCollar:
      return absl::StrCat("limit price ", actual, " is through the price collar at ", limit,
                          " (best combo price ", subject_.ToString(), ")");
    case RiskRule::kVenueNotAvailable:
      return absl::StrCat("none of the order's ", actual, " venues is available");
    case RiskRule::kClientCreditLimit:
      return absl::StrCat("client open notional ", actual, " with this order exceeds credit limit ",
                          limit);
    case RiskRule::kReducingOnly:
      return absl::StrCat("trading is reducing: leg-in would take |dollar delta| to ", actual,
                          " from ", limit);
    case RiskRule::kLegInExposureUnits:
      return absl::StrCat("open unhedged units ", actual, " would exceed limit ", limit);
    case RiskRule::kLegInExposureNotional:
      return absl::StrCat("open unhedged notional ", actual, " would exceed limit ", limit);
    case RiskRule::kLegInExposureDollarDelta:
      return absl::StrCat("open unhedged |dollar delta| ", actual, " would exceed limit ", limit);
    case RiskRule::kErrorAccountPosition:
      return absl::StrCat("error-account position ", actual, " in ", subject_.ToString(),
                          " exceeds limit ", limit);
    case RiskRule::kErrorAccountTotalPosition:
      return absl::StrCat("error-account total position ", actual, " exceeds limit ", limit);
    case RiskRule::kErrorAccountLoss:
      return absl::StrCat("error-account loss ", actual, " exceeds max loss ", limit);
    case RiskRule::kErrorAccountHaltLoss:
      return absl::StrCat("error-account loss ", actual, " exceeds halt loss ", limit);
  }
  return absl::StrCat(core::AsAbsl(ToString(rule_)), ": ", actual, " against ", limit);
}

}  // namespace combo::risk
