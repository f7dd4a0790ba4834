// LegInMetrics: the leg-in engine's Prometheus families (BRIEF names, docs/ROUTER.md "Metrics"),
// declared once with bounded labels (policy, reason, venue, outcome) and kept as pre-built
// series so the hot path only adds. prometheus-cpp series are thread-safe; the struct itself is
// filled once at start-up and then only read.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ids.h"
#include "core/metrics.h"
#include "router/leg_in_engine.h"
#include "router/leg_in_policy.h"

namespace combo::router {

// What became of one leg order (combo_legin_leg_orders_total{outcome}).
enum class LegOrderOutcome : uint8_t {
  kSent,
  kFilled,           // its whole quantity
  kPartiallyFilled,  // some, then the rest was cancelled
  kUnfilled,         // nothing (an IOC that found no liquidity, a timed-out limit order)
  kRejected,
  kTimedOut,  // the leg timeout cancelled it (also counted as filled/partial/unfilled)
};
std::string_view ToString(LegOrderOutcome outcome);

class LegInMetrics {
 public:
  // `venues` are (id, name) of every venue leg orders may go to.
  static absl::StatusOr<LegInMetrics> Create(
      prometheus::Registry& registry,
      const std::vector<std::pair<core::VenueId, std::string>>& venues);

  void Attempt(LegInMode mode) { attempts_[Index(mode)]->Increment(); }
  void Success(LegInMode mode) { successes_[Index(mode)]->Increment(); }
  void Failure(LegInMode mode, LegInEnd reason) { failures_[Index(mode)].Increment(reason); }
  void Duration(LegInMode mode, double seconds) { duration_[Index(mode)]->Observe(seconds); }
  void LegOrder(core::VenueId venue, LegOrderOutcome outcome);
  void SetOpenOrders(double value) { open_orders_->Set(value); }
  void SetUnhedged(double units, double notional, double dollar_delta) {
    unhedged_units_->Set(units);
    unhedged_notional_->Set(notional);
    unhedged_dollar_delta_->Set(dollar_delta);
  }

 private:
  static size_t Index(LegInMode mode) { return mode == LegInMode::kAggressive ? 0 : 1; }

  std::array<prometheus::Counter*, 2> attempts_{};
  std::array<prometheus::Counter*, 2> successes_{};
  std::array<core::CountersByEnum<LegInEnd>, 2> failures_;
  std::array<prometheus::Histogram*, 2> duration_{};
  std::map<core::VenueId, core::CountersByEnum<LegOrderOutcome>> leg_orders_;
  prometheus::Gauge* open_orders_ = nullptr;
  prometheus::Gauge* unhedged_units_ = nullptr;
  prometheus::Gauge* unhedged_notional_ = nullptr;
  prometheus::Gauge* unhedged_dollar_delta_ = nullptr;
};

}  // namespace combo::router
