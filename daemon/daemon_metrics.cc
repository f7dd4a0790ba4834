#include "daemon/daemon_metrics.h"

#include "core/metrics.h"
#include "core/status.h"

#ifndef COMBO_ROUTERD_VERSION
#define COMBO_ROUTERD_VERSION "dev"
#endif

namespace combo::daemon {

std::string_view Version() { return COMBO_ROUTERD_VERSION; }

std::string_view ToString(ReloadOutcome outcome) {
  return outcome == ReloadOutcome::kApplied ? "applied" : "refused";
}

absl::StatusOr<std::unique_ptr<DaemonMetrics>> DaemonMetrics::Create(
    prometheus::Registry& registry) {
  std::unique_ptr<DaemonMetrics> m(new DaemonMetrics());
  COMBO_ASSIGN_OR_RETURN(auto* build,
                         core::DeclareGaugeFamily(registry, "combo_build_info",
                                                  "Always 1; the version label names the build"));
  COMBO_ASSIGN_OR_RETURN(auto* info, core::AddGauge(*build, {{"version", std::string(Version())}}));
  info->Set(1);
  COMBO_ASSIGN_OR_RETURN(
      auto* draining,
      core::DeclareGaugeFamily(registry, "combo_drain_in_progress",
                               "1 from SIGTERM until the daemon exits: no new orders are taken"));
  COMBO_ASSIGN_OR_RETURN(m->draining_, core::AddGauge(*draining, {}));
  COMBO_ASSIGN_OR_RETURN(
      auto* reloads,
      core::DeclareCounterFamily(registry, "combo_config_reloads_total",
                                 "SIGHUP reloads of the leg-in policy and risk limits, by outcome "
                                 "(refused: the file did not load or validate; nothing changed)"));
  COMBO_ASSIGN_OR_RETURN(m->reloads_applied_, core::AddCounter(*reloads, {{"outcome", "applied"}}));
  COMBO_ASSIGN_OR_RETURN(m->reloads_refused_, core::AddCounter(*reloads, {{"outcome", "refused"}}));
  return m;
}

void DaemonMetrics::CountReload(ReloadOutcome outcome) {
  (outcome == ReloadOutcome::kApplied ? reloads_applied_ : reloads_refused_)->Increment();
}

}  // namespace combo::daemon
