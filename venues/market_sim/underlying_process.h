// UnderlyingProcess: the simulated price path of one underlying, geometric Brownian motion with
// optional Merton jumps, advanced in steps of simulated time.
//
// S(t+dt) = S(t) x exp((mu - sigma^2/2) dt + sigma sqrt(dt) Z) x J, where Z is standard normal
// and J = exp(N(jump_mean, jump_deviation)) for each of a Poisson(jump_intensity dt) number of
// jumps. Time is in years (ACT/365, as pricing::YearsToExpiry). All draws come from the Rng
// given to Step, so a seeded run repeats exactly. A value type; not thread-safe.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/price.h"
#include "core/random.h"
#include "core/time.h"

namespace combo::venues::market_sim {

struct UnderlyingProcessConfig {
  // The underlying's symbol, as core::Instrument::underlying() names it.
  std::string underlying;
  core::Price initial_price;
  // Annualized drift mu and volatility sigma of the diffusion.
  double drift = 0.0;
  double volatility = 0.2;
  // Expected jumps per year (0: no jumps), and the normal law of a jump's log size.
  double jump_intensity = 0.0;
  double jump_mean = 0.0;
  double jump_deviation = 0.0;
};

// Checks: a symbol, a positive initial price, finite drift, volatility in [0, 10], a finite
// non-negative jump intensity and deviation.
absl::Status ValidateUnderlyingProcessConfig(const UnderlyingProcessConfig& config);

class UnderlyingProcess {
 public:
  static absl::StatusOr<UnderlyingProcess> Create(UnderlyingProcessConfig config);

  // Advances the path by `step` (positive) with draws from `rng`; returns the number of jumps.
  int Step(core::Duration step, core::Rng& rng);
  // A scripted move: multiplies the price by exp(log_return).
  void Jump(double log_return);

  double price() const { return price_; }
  const UnderlyingProcessConfig& config() const { return config_; }

 private:
  explicit UnderlyingProcess(UnderlyingProcessConfig config)
      : config_(std::move(config)), price_(config_.initial_price.ToDouble()) {}

  UnderlyingProcessConfig config_;
  double price_;
};

}  // namespace combo::venues::market_sim
