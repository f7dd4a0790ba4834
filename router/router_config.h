// RouterConfig: the router's tunables, a plain struct with documented defaults (docs/ROUTER.md).
// The YAML loader comes with the daemon. Value type; safe to copy between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/ids.h"
#include "core/price.h"
#include "core/time.h"
#include "router/market_order_collar.h"
#include "router/trading_calendar.h"

namespace combo::router {

// What a restarted router does with the open orders it restores from the journal.
enum class RestartPolicy : uint8_t {
  // Each resumes under the normal routing rules (a day order whose trading day ended expires).
  kResume,
  // Each is cancelled at start, with an unsolicited report to its client: a clean slate.
  kCancel,
};

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
  // Restart only: what happens to the open orders restored from the journal.
  RestartPolicy on_restart = RestartPolicy::kResume;
  // When trading days end (the daemon's `calendar` section). Absent, day orders never expire on
  // their own, good-till-date orders are refused and venues never end their day. Applies on
  // restart only: the expiries of accepted orders are fixed when they are accepted.
  std::optional<TradingCalendarConfig> calendar;
  // The limit a market order gets at arrival (docs/ROUTER.md "Immediate orders").
  MarketOrderCollar market_order_collar;
};

std::string_view ToString(RestartPolicy policy);

// Fails, naming the field, for a negative wait or timeout, a non-positive tick, a calendar
// ValidateTradingCalendarConfig refuses, or an invalid market order collar.
absl::Status ValidateRouterConfig(const RouterConfig& config);

}  // namespace combo::router
