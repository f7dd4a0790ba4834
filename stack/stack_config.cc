#include "stack/stack_config.h"

namespace combo::stack {

// How often the daemon values its error account for metrics and risk.
constexpr core::Duration kDaemonErrorAccountValuation = core::Duration::Seconds(1);

StackConfig StackConfigFrom(const config::DaemonConfig& config) {
  StackConfig stack;
  for (const config::VenueConfig& venue : config.venues) {
    StackVenue entry;
    if (venue.kind == config::VenueKind::kSimulated) {
      entry.source = BuildSimulatedVenue{venue.simulated};
    } else {
      entry.source =
          BuildNegotiationVenue{venue.name, venue.negotiation.venue, venue.negotiation.service};
    }
    entry.routable = venue.routable;
    // The loader resolved it (configured, or the latency model's round trip).
    entry.expected_latency = venue.expected_latency;
    entry.latency_probe_interval = venue.router_probe_interval;
    stack.venues.push_back(std::move(entry));
  }
  stack.fee_mode = config.pricing.engine.fee_mode;
  stack.fees = config.pricing.engine.fees;
  stack.underlyings = config.pricing.underlyings;
  stack.router = config.router;
  stack.leg_in = config.leg_in;
  stack.risk = config.risk;
  stack.resolver = config.resolver;
  stack.journal.placement = JournalPlacement::kFile;
  stack.journal.path = config.accounts.journal_path;
  stack.journal.options = config.accounts.options;
  stack.error_account_valuation = kDaemonErrorAccountValuation;
  return stack;
}

}  // namespace combo::stack
