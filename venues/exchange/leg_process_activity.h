// LegProcessActivity: what a simulated venue's seed-001 Part A leg-book processes did, counted
// for operators and tests (docs/VENUES.md "Seed-001 leg-book processes", docs/METRICS.md):
//   - opening rotations (R47): attempts that opened a series, and attempts that could not and
//     are retried when the series' call changes;
//   - fast markets (R46): a series entering one, and leaving it;
//   - hidden orders (R28, R44, R45): public customer orders stored hidden while the away market
//     was better, hidden orders filled by an incoming order, and hidden orders released to the
//     book once the away market no longer held them back;
//   - block and facilitation orders (R48), by handling: started (taken into the response
//     window), executed (filled in full when the window closed) and expired (the window closed
//     with a part unexecuted, which is cancelled).
// The counts are always kept (SimulatedVenue::leg_process_activity()); with a registry each
// enabled process's counts are also exported as Prometheus counters, looked up once.
//
// Not thread-safe: owned by one venue, on its Scheduler's thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "venues/leg_processes/leg_process_config.h"
#include "venues/venue.h"

namespace combo::venues {

enum class OpeningOutcome : uint8_t { kOpened, kRetried };
enum class FastMarketEvent : uint8_t { kEntered, kEnded };
enum class HiddenOrderEvent : uint8_t { kHeld, kTraded, kReleased };
enum class BlockEvent : uint8_t { kStarted, kExecuted, kExpired };

std::string_view ToString(OpeningOutcome outcome);
std::string_view ToString(FastMarketEvent event);
std::string_view ToString(HiddenOrderEvent event);
std::string_view ToString(BlockEvent event);

class LegProcessActivity {
 public:
  // Exports the counts of the processes `processes` enables to `registry` (not owned; must
  // outlive the activity) under the venue's name.
  absl::Status Export(prometheus::Registry& registry, const std::string& venue,
                      const leg_processes::LegProcessesConfig& processes);

  void CountOpening(OpeningOutcome outcome) { openings_[Index(outcome)].Add(); }
  void CountFastMarket(FastMarketEvent event) { fast_markets_[Index(event)].Add(); }
  void CountHidden(HiddenOrderEvent event) { hidden_[Index(event)].Add(); }
  // `handling` is kBlock or kFacilitation.
  void CountBlock(OrderHandling handling, BlockEvent event) {
    blocks_[BlockIndex(handling)][Index(event)].Add();
  }

  int64_t openings(OpeningOutcome outcome) const { return openings_[Index(outcome)].count; }
  int64_t fast_markets(FastMarketEvent event) const { return fast_markets_[Index(event)].count; }
  int64_t hidden_orders(HiddenOrderEvent event) const { return hidden_[Index(event)].count; }
  int64_t blocks(OrderHandling handling, BlockEvent event) const {
    return blocks_[BlockIndex(handling)][Index(event)].count;
  }

 private:
  struct Count {
    int64_t count = 0;
    prometheus::Counter* exported = nullptr;
    void Add() {
      ++count;
      if (exported != nullptr) exported->Increment();
    }
  };
  template <typename Enum>
  static size_t Index(Enum value) {
    return static_cast<size_t>(value);
  }
  static size_t BlockIndex(OrderHandling handling) {
    return handling == OrderHandling::kFacilitation ? 1 : 0;
  }

  std::array<Count, 2> openings_{};
  std::array<Count, 2> fast_markets_{};
  std::array<Count, 3> hidden_{};
  std::array<std::array<Count, 3>, 2> blocks_{};
};

}  // namespace combo::venues
