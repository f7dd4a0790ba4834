// Fair values for the market simulator: Black-Scholes for options, cost of carry for futures,
// the underlying itself for stocks and ETFs.
//
// Analytics only (double is allowed here, as in pricing/delta.h): these numbers decide where
// simulated market makers centre their quotes; every price actually sent to a venue is a
// core::Price rounded to the instrument's tick by the caller with a named core::RoundingMode.
// Stateless functions; safe from any thread.
#pragma once

#include "absl/status/statusor.h"
#include "core/instrument.h"
#include "core/time.h"
#include "pricing/delta.h"

namespace combo::venues::market_sim {

// Black-Scholes value of a European option (no dividends). `years` must be positive; an option
// at expiry is worth its intrinsic value (see FairValue).
double BlackScholesPrice(core::OptionRight right, double underlying_price, double strike,
                         double years, double volatility, double rate);

// The fair value of one unit of `instrument` (per share of an option's deliverable) at `now`,
// with its underlying at `underlying_price` (> 0). Options: Black-Scholes with `parameters`
// (intrinsic value at or past expiry). Futures: underlying x exp(rate x years to expiry), the
// cost of carry (no expiry: the underlying). Stocks and ETFs: the underlying price.
// Fails on a non-positive or non-finite underlying price.
absl::StatusOr<double> FairValue(const core::Instrument& instrument, double underlying_price,
                                 const pricing::UnderlyingParameters& parameters,
                                 core::Timestamp now);

}  // namespace combo::venues::market_sim
