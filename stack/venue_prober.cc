// VenueProber: the router's latency probes (see venue_prober.h).
#include "stack/venue_prober.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status.h"

namespace combo::stack {

absl::StatusOr<std::unique_ptr<VenueProber>> VenueProber::Create(std::vector<Target> targets,
                                                                 std::vector<Submitter> submitters,
                                                                 core::Scheduler* scheduler,
                                                                 prometheus::Registry* registry) {
  if (scheduler == nullptr) return absl::InvalidArgumentError("venue prober: no scheduler");
  std::unique_ptr<VenueProber> prober(new VenueProber());
  for (const Target& target : targets) {
    if (target.venue == nullptr) return absl::InvalidArgumentError("venue prober: a null venue");
    const std::string venue(target.venue->name());
    if (target.venue->latency_guard() == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "venue ", venue, ": the router probes only a venue running latency protection"));
    }
    for (const Submitter& submitter : submitters) {
      venues::LatencyProbeConfig config;
      config.participant = submitter.participant;
      config.test_instrument = target.venue->config().latency_protection.test_instrument;
      config.interval = target.interval;
      config.metrics = registry;
      config.venue_name = venue;
      config.submitter = submitter.name;
      COMBO_ASSIGN_OR_RETURN(
          std::unique_ptr<venues::LatencyProbe> probe,
          venues::LatencyProbe::Create(std::move(config), scheduler, target.venue));
      if (absl::Status status = target.venue->ConnectLatency(submitter.participant, probe.get());
          !status.ok()) {
        return absl::Status(status.code(), absl::StrCat("venue ", venue, ": ", status.message()));
      }
      prober->probes_.push_back(Probe{target.venue->id(), submitter.participant, std::move(probe)});
    }
  }
  return prober;
}

void VenueProber::Start() {
  for (Probe& probe : probes_) probe.probe->Start();
}

void VenueProber::Stop() {
  for (Probe& probe : probes_) probe.probe->Stop();
}

const venues::LatencyProbe* VenueProber::probe(core::VenueId venue,
                                               core::ParticipantId participant) const {
  for (const Probe& probe : probes_) {
    if (probe.venue == venue && probe.participant == participant) return probe.probe.get();
  }
  return nullptr;
}

std::optional<core::Duration> VenueProber::LastRoundTrip(core::VenueId venue,
                                                         core::ParticipantId participant) const {
  const venues::LatencyProbe* found = probe(venue, participant);
  if (found == nullptr || found->round_trips().empty()) return std::nullopt;
  return found->round_trips().back();
}

}  // namespace combo::stack
