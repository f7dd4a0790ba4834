#include "venues/market_sim/fair_value.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace combo::venues::market_sim {
namespace {

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double Intrinsic(core::OptionRight right, double underlying_price, double strike) {
  return right == core::OptionRight::kCall ? std::max(underlying_price - strike, 0.0)
                                           : std::max(strike - underlying_price, 0.0);
}

}  // namespace

double BlackScholesPrice(core::OptionRight right, double underlying_price, double strike,
                         double years, double volatility, double rate) {
  const double sigma_root_t = volatility * std::sqrt(years);
  const double d1 =
      (std::log(underlying_price / strike) + (rate + 0.5 * volatility * volatility) * years) /
      sigma_root_t;
  const double d2 = d1 - sigma_root_t;
  const double discount = std::exp(-rate * years);
  if (right == core::OptionRight::kCall) {
    return underlying_price * NormalCdf(d1) - strike * discount * NormalCdf(d2);
  }
  return strike * discount * NormalCdf(-d2) - underlying_price * NormalCdf(-d1);
}

absl::StatusOr<double> FairValue(const core::Instrument& instrument, double underlying_price,
                                 const pricing::UnderlyingParameters& parameters,
                                 core::Timestamp now) {
  if (!std::isfinite(underlying_price) || underlying_price <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("underlying price ", underlying_price, " of ",
                                                   instrument.symbol(), " is not positive"));
  }
  switch (instrument.asset_class()) {
    case core::AssetClass::kStock:
    case core::AssetClass::kEtf:
      return underlying_price;
    case core::AssetClass::kFuture: {
      if (!instrument.expiry().has_value()) return underlying_price;
      const double years = std::max(pricing::YearsToExpiry(now, *instrument.expiry()), 0.0);
      return underlying_price * std::exp(parameters.rate * years);
    }
    case core::AssetClass::kOption: {
      const core::OptionTerms& terms = *instrument.option();
      const double strike = terms.strike.ToDouble();
      const double years = pricing::YearsToExpiry(now, terms.expiry);
      if (years <= 0 || parameters.volatility <= 0) {
        return Intrinsic(terms.right, underlying_price, strike);
      }
      return BlackScholesPrice(terms.right, underlying_price, strike, years, parameters.volatility,
                               parameters.rate);
    }
  }
  return absl::InternalError("unknown asset class");
}

}  // namespace combo::venues::market_sim
