// ComboOrderState: where a combo order is in its lifecycle, and the record of one transition
// (what changed, when, and why). Every transition the router makes is one StateTransition in the
// order's history and goes to the RouterObserver. Value types; safe to copy between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "core/time.h"

namespace combo::router {

enum class ComboOrderState : uint8_t {
  kReceived,         // the client's request arrived
  kValidated,        // it passed validation and the pre-trade checks
  kPriced,           // the combo is tracked and its smart tick known
  kRestingNative,    // resting in a venue's complex-order book
  kWorking,          // held by the router, watching the implied price (R11, R13 stability wait)
  kLeggingIn,        // handed to the leg-in engine
  kPartiallyFilled,  // some units filled; the rest keeps its placement
  kFilled,
  kCancelled,
  kRejected,
};

std::string_view ToString(ComboOrderState state);

// Whether nothing more will happen to an order in this state.
inline bool IsFinal(ComboOrderState state) {
  return state == ComboOrderState::kFilled || state == ComboOrderState::kCancelled ||
         state == ComboOrderState::kRejected;
}

struct StateTransition {
  core::OrderId order;
  ComboOrderState from = ComboOrderState::kReceived;
  ComboOrderState to = ComboOrderState::kReceived;
  core::Timestamp time;
  std::string reason;
};

// Hears every transition of every order (the scenario runner, metrics). Not owned by the router.
class RouterObserver {
 public:
  virtual ~RouterObserver() = default;
  virtual void OnTransition(const StateTransition& transition) = 0;
  // The journal refused or failed to record an event of `order` (its kind, e.g. "leg_fill"): the
  // report behind it was withheld, so the client never heard of it. Always an operator's matter.
  virtual void OnJournalRefused(core::OrderId /*order*/, std::string_view /*kind*/,
                                std::string_view /*why*/) {}
};

}  // namespace combo::router
