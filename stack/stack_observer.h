// StackObserver: what the routing stack tells its owner after it has reacted itself, so that a
// process shell (the daemon) can log it. Every risk event is forwarded as it happened (the stack
// is the RiskManager's one listener); venue availability changes come after risk, the venue's
// legs and combo_venue_up were updated. Called on the thread that drives the stack.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "accounts/events.h"
#include "core/ids.h"
#include "risk/risk_events.h"
#include "venues/venue.h"

namespace combo::stack {

enum class VenueAvailability : uint8_t {
  kUp,    // the venue trades: routable, legs open
  kDown,  // the venue is halted: risk keeps orders away from it, its legs are halted
};
std::string_view ToString(VenueAvailability availability);

class StackObserver : public risk::RiskListener {
 public:
  virtual void OnVenueAvailability(core::VenueId /*venue*/, std::string_view /*name*/,
                                   VenueAvailability /*availability*/) {}
  // A venue's series entered or left a call phase (before its opening, a fast market); the
  // leg-in engine has been told.
  virtual void OnSeriesStatus(std::string_view /*venue_name*/,
                              const venues::SeriesStatusChanged& /*change*/) {}
  // The periodic error-account valuation could not export its figures (it still reached risk).
  virtual void OnValuationMetricsError(const absl::Status& /*status*/) {}
  // The journal could not be written (told once, when combo_journal_writable drops to 0): new
  // orders are refused until a restart.
  virtual void OnJournalUnwritable(const absl::Status& /*status*/) {}
  // The residual resolver journaled an action (docs/RESOLVER.md); a hold is for a person.
  virtual void OnResidualAction(const accounts::ResidualAction& /*action*/) {}
  // The journal refused or failed one of the resolver's events.
  virtual void OnResolverJournalError(const absl::Status& /*status*/) {}
};

}  // namespace combo::stack
