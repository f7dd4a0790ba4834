// VenueProber: the router's latency probes (seed 002 R2, R5, R7; spec 6.2 "Latency probing"):
// for every embedded exchange running latency protection, a LatencyProbe per router participant
// (the router's native orders and the leg-in engine's leg orders are separate submitters there)
// sends a test order every configured interval on the injected Scheduler, measures each round
// trip to the venue's acceptance and reports it to the venue, which logs it and so learns the
// router's latency; the venue's answers (its logged latency and the period in force, R11) are
// kept. Probes count in combo_latency_probes_total / combo_latency_probe_round_trip_seconds /
// combo_latency_probe_venue_period_seconds with submitter "router" or "router_legs".
//
// Not thread-safe: the thread that drives the stack's scheduler.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ids.h"
#include "core/scheduler.h"
#include "core/time.h"
#include "prometheus/registry.h"
#include "venues/latency_probe.h"
#include "venues/simulated_venue.h"

namespace combo::stack {

class VenueProber {
 public:
  // One venue to probe, every `interval` (positive).
  struct Target {
    venues::SimulatedVenue* venue = nullptr;
    core::Duration interval;
  };
  // A participant the router submits as, and its submitter class in metrics.
  struct Submitter {
    core::ParticipantId participant;
    std::string name;
  };

  // Opens a latency session at every target for every submitter. Fails, naming the venue, for a
  // venue without latency protection, a non-positive interval or a session the venue refuses.
  static absl::StatusOr<std::unique_ptr<VenueProber>> Create(std::vector<Target> targets,
                                                             std::vector<Submitter> submitters,
                                                             core::Scheduler* scheduler,
                                                             prometheus::Registry* registry);

  // Every probe sends a test order now and then every interval, until Stop.
  void Start();
  void Stop();

  // The latest round trip `participant` measured at `venue`; nullopt before the first answer or
  // for a venue not probed.
  std::optional<core::Duration> LastRoundTrip(core::VenueId venue,
                                              core::ParticipantId participant) const;
  // The probe of (venue, participant); null for one not probed.
  const venues::LatencyProbe* probe(core::VenueId venue, core::ParticipantId participant) const;
  size_t probe_count() const { return probes_.size(); }

 private:
  struct Probe {
    core::VenueId venue;
    core::ParticipantId participant;
    std::unique_ptr<venues::LatencyProbe> probe;
  };

  VenueProber() = default;

  std::vector<Probe> probes_;
};

}  // namespace combo::stack
