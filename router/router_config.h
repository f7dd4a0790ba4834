// RouterConfig: the router's tunables, a plain struct with documented defaults (docs/ROUTER.md).
// The YAML loader comes with the daemon. Value type; safe to copy between threads.
#pragma once

#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "core/ids.h"
#include "core/price.h"
#include "core/time.h"

namespace combo::router {

struct RouterConfig {
  // The router's participant id at every venue (its session for native orders).
  core::ParticipantId participant{1};
  // R13: how long an implied price that became marketable must stay so before legging in.
  core::Duration stability_wait = core::Duration::Seconds(1);
  // How long a client cancel or replace waits for working legs before it is confirmed anyway.
  core::Duration cancel_timeout_with_legs_working = core::Duration::Seconds(5);
  // An override of every combo's price increment. Absent (the default): each combo's limit price
  // must sit on the combo's own tick, the one pricing derives from its legs' ticks and weights
  // (pricing::ComboTerms::tick). Set: every combo's limit must sit on this one instead. Either
  // way it is the one tick the router checks and tells risk (docs/ROUTER.md "Combo tick").
  std::optional<core::Price> combo_tick;
  // The first router order id (ids increase from here; also the venue order ids it sends).
  uint64_t first_order_id = 1;
};

// Fails, naming the field, for a negative wait or timeout or a non-positive tick.
absl::Status ValidateRouterConfig(const RouterConfig& config);

}  // namespace combo::router
