// ScenarioRunner: runs a router scenario file (tests/scenarios/*.scn) deterministically on
// simulated time, against the routing stack the daemon runs (stack::RoutingStack: real
// SimulatedVenues, PricingEngine, RiskManager, AccountsService with its journal in a temporary
// directory, the ComboRouter and the real VenueLegInEngine, whose leg orders trade against the
// scripted leg quotes), and checks the expected events written inline (and that the journal
// refused nothing).
//
// Format (one statement per line; '#' starts a comment; docs/ROUTER.md "Scenario files"):
//   stability <duration>                 router stability wait (default 1s)
//   cancel_timeout <duration>            router cancel timeout with legs working (default 5s)
//   collar <ticks> <basis_points>        router.market_order_collar (default 10 100)
//   cancel_latency <venue> <duration>   the venue's inbound cancel latency (to race fills)
//   replace_latency <venue> <duration>  the venue's inbound replace latency (to race fills)
//   latency <venue> <duration>           every message to and from the venue (also the engine's
//                                        expected latency of the venue, for the ranking)
//   max_order <venue> <contracts>        the venue's largest leg order (pre-flight)
//   latency_protection <venue> <rtt>     latency protection on at the venue (docs/VENUES.md);
//                                        the leg market maker reports round trip <rtt>, which
//                                        sets the whole-log hold period (0.5s -> 0.2s holds)
//   venue_tick <venue> <symbol> <tick>   the venue's tick or tick rule for an instrument, e.g.
//                                        0.05 or 0.01<3.00;0.05 (pre-flight)
//   native_tick <venue> <tick>           the net price tick of the venue's complex-order book
//   policy <knob> <value...>             a leg-in policy knob in its config spelling: mode,
//                                        leg_order_type, ranking <keys...>, desk_prefers_to_hold
//                                        <symbols...>, max_units_per_slice, defensive_ticks,
//                                        failures_before_defensive, always_defensive_above_legs,
//                                        max_failures_per_order, displayed_size_percent,
//                                        max_leg_resubmits, max_leg_reroutes, leg_timeout,
//                                        leg_resubmit_delay
//   instrument <id> <symbol>             a stock (multiplier 1, tick 0.01)
//   combo <name> <symbol> <+n|-n> / <symbol> <+n|-n> ...   a combo in ParseComboText notation
//   venue <id> <name> [native <combo>...] a simulated venue (zero latency) listing every
//                                        instrument; with native combos, a complex-order book
//   at <ms> <action>                     advances simulated time to <ms> (running what is due),
//                                        then performs the action:
//     quote <venue> <symbol> <bid|-> <bidqty> <ask|-> <askqty>   a market maker's leg quote
//     native <venue> <combo> <bid|-> <bidqty> <ask|-> <askqty>   a market maker's native quote
//     hit <venue> <combo|symbol> <buy|sell> <qty> <price>       another participant's IOC order
//     order <clordid> <buy|sell> <qty> <combo> <limit|market> [day|gtc|ioc|fok]  a client order
//     cancel <clordid> <orig>  |  replace <clordid> <orig> <qty> <limit>  |  status <clordid>
//     halt  |  resume
//   run <ms>                             advances simulated time to <ms>
//   expect [@<ms>] <text>                the next event at or after the previous match whose text
//                                        contains <text> (and, with @, happened at <ms>)
//   expect_none <text>                   no event of the whole run contains <text>
// Events are rendered as lines: "state <clordid> <state>: <reason>", "accepted <clordid>",
// "rejected <clordid> <reason>: <text>", "exec <clordid> <qty> @ <price> cum <n> avg <price>
// legs <symbol> <side> <venue> <qty>@<price>, ...", "cancelled <clordid> ...", "replaced ...",
// "cancel_rejected <clordid> <reason>: <text>", "status <clordid> ...", "legin <clordid>
// <kind>: <text>" (the engine's LegInEvents: started, not_started, leg_sent, leg_done, rerouted,
// resubmitted, exposure, ended), "error_account <clordid> <symbol> <side> <venue> <qty>@<price>:
// <reason>".
// Not thread-safe; test-only.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace combo::tests {

struct ScenarioEvent {
  int64_t millis = 0;
  std::string text;
};

struct ScenarioResult {
  std::vector<ScenarioEvent> events;
  // Empty when every expectation matched; otherwise what did not.
  std::vector<std::string> failures;
};

// Fails (naming the line) on a malformed file; expectations that do not match are failures in
// the result, not errors.
absl::StatusOr<ScenarioResult> RunScenarioText(const std::string& text);
absl::StatusOr<ScenarioResult> RunScenarioFile(const std::string& path);

}  // namespace combo::tests
