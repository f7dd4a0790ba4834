// ScenarioRunner: runs a router scenario file (tests/scenarios/*.scn) deterministically on
// simulated time, against real SimulatedVenues, PricingEngine, RiskManager and AccountsService
// (journal in a temporary directory), the ComboRouter and a leg-in test double, and checks the
// expected events written inline (and that the journal refused nothing).
//
// Format (one statement per line; '#' starts a comment; docs/ROUTER.md "Scenario files"):
//   stability <duration>                 router stability wait (default 1s)
//   cancel_timeout <duration>            router cancel timeout with legs working (default 5s)
//   cancel_latency <venue> <duration>   the venue's inbound cancel latency (to race fills)
//   legin_cancel immediate|manual        whether the leg-in double finishes at once on Cancel
//   instrument <id> <symbol>             a stock (multiplier 1, tick 0.01)
//   combo <name> <symbol> <+n|-n> / <symbol> <+n|-n> ...   a combo in ParseComboText notation
//   venue <id> <name> [native <combo>...] a simulated venue (zero latency) listing every
//                                        instrument; with native combos, a complex-order book
//   at <ms> <action>                     advances simulated time to <ms> (running what is due),
//                                        then performs the action:
//     quote <venue> <symbol> <bid|-> <bidqty> <ask|-> <askqty>   a market maker's leg quote
//     native <venue> <combo> <bid|-> <bidqty> <ask|-> <askqty>   a market maker's native quote
//     hit <venue> <combo> <buy|sell> <qty> <price>              another participant's IOC order
//     order <clordid> <buy|sell> <qty> <combo> <limit> [gtc]    a client order
//     cancel <clordid> <orig>  |  replace <clordid> <orig> <qty> <limit>  |  status <clordid>
//     legin fill <orig> <units> <leg prices in canonical leg order...>
//     legin fail <orig> <units_left> <reason>  |  legin finish <orig>
//     halt  |  resume
//   run <ms>                             advances simulated time to <ms>
//   expect [@<ms>] <text>                the next event at or after the previous match whose text
//                                        contains <text> (and, with @, happened at <ms>)
// Events are rendered as lines: "state <clordid> <state>: <reason>", "accepted <clordid>",
// "rejected <clordid> <reason>: <text>", "exec <clordid> <qty> @ <price> cum <n> avg <price>
// legs <symbol> <side> <venue> <qty>@<price>, ...", "cancelled <clordid> ...", "replaced ...",
// "cancel_rejected <clordid> <reason>: <text>", "status <clordid> ...", "legin start <clordid>
// <units> limit <price>", "legin cancel <clordid>".
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
