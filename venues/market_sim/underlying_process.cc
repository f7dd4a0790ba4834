#include "venues/market_sim/underlying_process.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::venues::market_sim {
namespace {

constexpr double kSecondsPerYear = 365.0 * 24 * 3600;
// Caps the Poisson draw of one step so a misconfigured intensity cannot loop for long.
constexpr int kMaxJumpsPerStep = 16;

}  // namespace

absl::Status ValidateUnderlyingProcessConfig(const UnderlyingProcessConfig& config) {
  if (config.underlying.empty()) {
    return absl::InvalidArgumentError("underlying process has no underlying symbol");
  }
  const std::string name = absl::StrCat("underlying ", config.underlying, ": ");
  if (!config.initial_price.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, "initial price ", config.initial_price.ToString(), " is not positive"));
  }
  if (!std::isfinite(config.drift)) {
    return absl::InvalidArgumentError(absl::StrCat(name, "drift is not finite"));
  }
  if (!(config.volatility >= 0 && config.volatility <= 10)) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, "volatility ", config.volatility, " is not in [0, 10]"));
  }
  if (!(config.jump_intensity >= 0 && std::isfinite(config.jump_intensity))) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, "jump intensity ", config.jump_intensity, " is negative"));
  }
  if (!std::isfinite(config.jump_mean) ||
      !(config.jump_deviation >= 0 && std::isfinite(config.jump_deviation))) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, "jump mean/deviation must be finite, deviation non-negative"));
  }
  return absl::OkStatus();
}

absl::StatusOr<UnderlyingProcess> UnderlyingProcess::Create(UnderlyingProcessConfig config) {
  absl::Status status = ValidateUnderlyingProcessConfig(config);
  if (!status.ok()) return status;
  return UnderlyingProcess(std::move(config));
}

int UnderlyingProcess::Step(core::Duration step, core::Rng& rng) {
  const double dt = step.ToSecondsDouble() / kSecondsPerYear;
  if (dt <= 0) return 0;
  const double sigma = config_.volatility;
  double log_return =
      (config_.drift - 0.5 * sigma * sigma) * dt + sigma * std::sqrt(dt) * rng.Normal();
  int jumps = 0;
  if (config_.jump_intensity > 0) {
    // Poisson count by inter-arrival times within the step.
    double elapsed = rng.Exponential(config_.jump_intensity);
    while (elapsed < dt && jumps < kMaxJumpsPerStep) {
      log_return += config_.jump_mean + config_.jump_deviation * rng.Normal();
      ++jumps;
      elapsed += rng.Exponential(config_.jump_intensity);
    }
  }
  price_ *= std::exp(log_return);
  return jumps;
}

void UnderlyingProcess::Jump(double log_return) { price_ *= std::exp(log_return); }

}  // namespace combo::venues::market_sim
