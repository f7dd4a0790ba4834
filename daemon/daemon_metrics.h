// DaemonMetrics: the daemon's own metric families.
//
//   combo_build_info{version}  1; the version of the running binary
//   combo_venue_up{venue}      1 while the venue trades, 0 while it is halted
//   combo_drain_in_progress    1 from SIGTERM until exit
//   combo_config_reloads_total{outcome=applied|refused}
//
// Series are built once at start for every configured venue. Not thread-safe: the core thread.
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
  struct VenueName {
    core::VenueId id;
    std::string name;
  };
  // Fails when a family cannot be declared.
  static absl::StatusOr<std::unique_ptr<DaemonMetrics>> Create(
      prometheus::Registry& registry, const std::vector<VenueName>& venues);

  // No-op for a venue that was not listed at Create.
  void SetVenueUp(core::VenueId venue, bool up);
  double venue_up(core::VenueId venue) const;
  void SetDraining() { draining_->Set(1); }
  void CountReload(ReloadOutcome outcome);

 private:
  DaemonMetrics() = default;

  std::map<core::VenueId, prometheus::Gauge*> venue_up_;
  prometheus::Gauge* draining_ = nullptr;
  prometheus::Counter* reloads_applied_ = nullptr;
  prometheus::Counter* reloads_refused_ = nullptr;
};

}  // namespace combo::daemon
