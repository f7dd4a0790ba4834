#include "risk/risk_rule.h"

namespace combo::risk {

std::string_view ToString(RiskRule rule) {
  switch (rule) {
    case RiskRule::kTradingHalted:
      return "trading_halted";
    case RiskRule::kDuplicateClientOrderId:
      return "duplicate_client_order_id";
    case RiskRule::kInstrumentNotAllowed:
      return "instrument_not_allowed";
    case RiskRule::kMaxLegs:
      return "max_legs";
    case RiskRule::kMaxComboQuantity:
      return "max_combo_quantity";
    case RiskRule::kMaxNotional:
      return "max_notional";
    case RiskRule::kPriceCollar:
      return "price_collar";
    case RiskRule::kVenueNotAvailable:
      return "venue_not_available";
    case RiskRule::kClientCreditLimit:
      return "client_credit_limit";
    case RiskRule::kReducingOnly:
      return "reducing_only";
    case RiskRule::kLegInExposureUnits:
      return "legin_exposure_units";
    case RiskRule::kLegInExposureNotional:
      return "legin_exposure_notional";
    case RiskRule::kLegInExposureDollarDelta:
      return "legin_exposure_dollar_delta";
    case RiskRule::kErrorAccountPosition:
      return "error_account_position";
    case RiskRule::kErrorAccountTotalPosition:
      return "error_account_total_position";
    case RiskRule::kErrorAccountLoss:
      return "error_account_loss";
    case RiskRule::kErrorAccountHaltLoss:
      return "error_account_halt_loss";
  }
  return "unknown";
}

}  // namespace combo::risk
