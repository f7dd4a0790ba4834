// Delta: how much a leg moves with its underlying, for leg-in ranking and legging-exposure risk
// (seed 003 R20, R22; DESIGN.md "Pricing conventions").
//
// Options: Black-Scholes delta from a configured volatility and risk-free rate per underlying
// (no dividends; an option on a future is treated like one on its spot, a simplification the
// ranking tolerates). Stock, ETF and future: delta 1. Analytics only, so double is allowed
// here; no price that is matched or filled comes from this file. DeltaModel is immutable once
// filled; safe to read from many threads.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/instrument.h"
#include "core/price.h"
#include "core/side.h"
#include "core/time.h"

namespace combo::pricing {

struct UnderlyingParameters {
  // Annualized, e.g. 0.25 for 25%.
  double volatility = 0.0;
  // Annualized continuously compounded risk-free rate, e.g. 0.05.
  double rate = 0.0;
};

// Black-Scholes delta of a European option (no dividends). `years` to expiry must be positive.
double BlackScholesDelta(core::OptionRight right, double underlying_price, double strike,
                         double years, double volatility, double rate);

class DeltaModel {
 public:
  // Fails, changing nothing, on a volatility not in (0, 10] or a rate not in [-1, 1] (or NaN).
  absl::Status SetUnderlying(std::string_view underlying, UnderlyingParameters parameters);

  // Delta of one unit of the instrument (per share of an option's deliverable) at `now`, with
  // the underlying trading at `underlying_price`. Fails for an option whose underlying has no
  // parameters, or a non-positive underlying price. An option at or past expiry has its
  // intrinsic delta: 1 (call) or -1 (put) in the money, 0 out of it, 0.5 / -0.5 exactly at it.
  absl::StatusOr<double> Delta(const core::Instrument& instrument, core::Price underlying_price,
                               core::Timestamp now) const;

 private:
  std::map<std::string, UnderlyingParameters, std::less<>> parameters_;
};

// Years from `now` to the end of `expiry` day (UTC), ACT/365.
double YearsToExpiry(core::Timestamp now, const absl::CivilDay& expiry);

// Dollar delta of a leg: sign(side) x delta x multiplier x ratio x underlying price.
double DollarDelta(double delta, int64_t multiplier, int64_t ratio, core::Side side,
                   core::Price underlying_price);

// The bid-ask spread in underlying terms: (ask - bid) / |delta|, how far the underlying must
// move for the leg's quote to move across its own spread. The leg ranking (seed 003 R22) sorts
// tightest first. A zero delta gives +infinity (never the tightest).
double DeltaAdjustedSpread(core::Price bid, core::Price ask, double delta);

}  // namespace combo::pricing
