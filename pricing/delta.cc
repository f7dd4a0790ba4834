#include "pricing/delta.h"

#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "core/absl_compat.h"

namespace combo::pricing {
namespace {

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

constexpr double kSecondsPerYear = 365.0 * 24 * 3600;

}  // namespace

double BlackScholesDelta(core::OptionRight right, double underlying_price, double strike,
                         double years, double volatility, double rate) {
  const double vol_sqrt_t = volatility * std::sqrt(years);
  const double d1 =
      (std::log(underlying_price / strike) + (rate + 0.5 * volatility * volatility) * years) /
      vol_sqrt_t;
  return right == core::OptionRight::kCall ? NormalCdf(d1) : NormalCdf(d1) - 1.0;
}

absl::Status DeltaModel::SetUnderlying(std::string_view underlying,
                                       UnderlyingParameters parameters) {
  if (underlying.empty()) return absl::InvalidArgumentError("underlying symbol is empty");
  if (!(parameters.volatility > 0.0 && parameters.volatility <= 10.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("underlying ", core::AsAbsl(underlying), ": volatility ",
                     parameters.volatility, " must be in (0, 10] (annualized, 0.25 is 25%)"));
  }
  if (!(parameters.rate >= -1.0 && parameters.rate <= 1.0)) {
    return absl::InvalidArgumentError(absl::StrCat("underlying ", core::AsAbsl(underlying),
                                                   ": rate ", parameters.rate,
                                                   " must be in [-1, 1] (annualized, 0.05 is 5%)"));
  }
  parameters_[std::string(underlying)] = parameters;
  return absl::OkStatus();
}

double YearsToExpiry(core::Timestamp now, const absl::CivilDay& expiry) {
  const absl::Time end = absl::FromCivil(expiry + 1, absl::UTCTimeZone());
  const double end_seconds = static_cast<double>(absl::ToUnixSeconds(end));
  const double now_seconds = static_cast<double>(now.unix_nanos()) / 1e9;
  return (end_seconds - now_seconds) / kSecondsPerYear;
}

absl::StatusOr<double> DeltaModel::Delta(const core::Instrument& instrument,
                                         core::Price underlying_price, core::Timestamp now) const {
  if (!underlying_price.is_positive()) {
    return absl::InvalidArgumentError(absl::StrCat(instrument.symbol(), ": underlying price ",
                                                   underlying_price.ToString(),
                                                   " must be positive for a delta"));
  }
  if (!instrument.is_option()) return 1.0;
  const auto it = parameters_.find(instrument.underlying());
  if (it == parameters_.end()) {
    return absl::NotFoundError(absl::StrCat(instrument.symbol(),
                                            ": no volatility and rate "
                                            "configured for underlying ",
                                            instrument.underlying()));
  }
  const core::OptionTerms& terms = *instrument.option();
  const double spot = underlying_price.ToDouble();
  const double strike = terms.strike.ToDouble();
  const double years = YearsToExpiry(now, terms.expiry);
  const double sign = terms.right == core::OptionRight::kCall ? 1.0 : -1.0;
  if (years <= 0.0) {
    if (underlying_price == terms.strike) return 0.5 * sign;
    const bool in_the_money = terms.right == core::OptionRight::kCall
                                  ? underlying_price > terms.strike
                                  : underlying_price < terms.strike;
    return in_the_money ? sign : 0.0;
  }
  return BlackScholesDelta(terms.right, spot, strike, years, it->second.volatility,
                           it->second.rate);
}

double DollarDelta(double delta, int64_t multiplier, int64_t ratio, core::Side side,
                   core::Price underlying_price) {
  return core::Sign(side) * delta * static_cast<double>(multiplier) * static_cast<double>(ratio) *
         underlying_price.ToDouble();
}

double DeltaAdjustedSpread(core::Price bid, core::Price ask, double delta) {
  const double spread = (ask - bid).ToDouble();
  const double magnitude = std::fabs(delta);
  if (magnitude == 0.0) return std::numeric_limits<double>::infinity();
  return spread / magnitude;
}

}  // namespace combo::pricing
