// LegInObserver: what the leg-in engine did, step by step, for the operator's log, the scenario
// tests and the daemon's event stream: a leg-in that does not start (pre-flight, risk, market)
// and why, each leg order sent and its outcome, re-routes and resubmits, slices, and the
// legging exposure while legs are open (R12, R15-R16, R27, R29).
// Observers are called on the engine's thread, after the engine's state is updated.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "core/quantity.h"
#include "core/time.h"
#include "risk/legging_exposure.h"

namespace combo::router {

enum class LegInEventKind : uint8_t {
  kStarted,      // a slice is about to send its first leg
  kNotStarted,   // pre-flight, risk or market refused the slice; nothing was sent
  kLegSent,      // a leg order went to a venue
  kLegDone,      // a leg order is finished (filled, part-filled, unfilled, rejected)
  kRerouted,     // a leg goes to another venue
  kResubmitted,  // a non-marketable leg is tried again after a pause (R29)
  kExposure,     // the order's unhedged exposure changed
  kEnded,        // the engine stopped working the order
  kLegHeld,      // latency protection holds a match of a leg order (not an execution yet)
  kLegVoided,    // a held match of a leg order was voided: not an execution
};
std::string_view ToString(LegInEventKind kind);

struct LegInEvent {
  core::OrderId order;
  LegInEventKind kind = LegInEventKind::kStarted;
  std::string text;
  // The order's unhedged legs now (every kind carries it; kExposure is when it changed).
  risk::LegInExposure exposure;
  core::Timestamp time;
  // kLegSent / kLegDone / kLegHeld / kLegVoided: the leg order (its venue, its id at the venue, its
  // instrument).
  core::VenueId venue;
  core::OrderId leg_order;
  core::InstrumentId instrument;
};

class LegInObserver {
 public:
  virtual ~LegInObserver() = default;
  virtual void OnLegInEvent(const LegInEvent& event) = 0;
};

}  // namespace combo::router
