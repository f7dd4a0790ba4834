// DaemonMetrics: the daemon's own metric families.
//
//   combo_build_info{version}  1; the version of the running binary
//   combo_drain_in_progress    1 from SIGTERM until exit
//   combo_config_reloads_total{outcome=applied|refused}
//
// (combo_venue_up belongs to the routing stack: stack/stack_metrics.h.) Series are built once at
// start. Not thread-safe: the core thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ids.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace combo::daemon {

// The version combo_build_info reports (and --version prints).
std::string_view Version();

enum class ReloadOutcome : uint8_t { kApplied, kRefused };
std::string_view ToString(ReloadOutcome outcome);

class DaemonMetrics {
 public:
  // Fails when a family cannot be declared.
  static absl::StatusOr<std::unique_ptr<DaemonMetrics>> Create(prometheus::Registry& registry);

  void SetDraining() { draining_->Set(1); }
  void CountReload(ReloadOutcome outcome);

 private:
  DaemonMetrics() = default;

  prometheus::Gauge* draining_ = nullptr;
  prometheus::Counter* reloads_applied_ = nullptr;
  prometheus::Counter* reloads_refused_ = nullptr;
};

}  // namespace combo::daemon
