// LegProcessActivity: counting the seed-001 leg-book processes (see leg_process_activity.h).
#include "venues/exchange/leg_process_activity.h"

#include <string_view>
#include <utility>
#include <vector>

#include "core/metrics.h"
#include "core/status.h"

namespace combo::venues {

std::string_view ToString(OpeningOutcome outcome) {
  switch (outcome) {
    case OpeningOutcome::kOpened:
      return "opened";
    case OpeningOutcome::kRetried:
      return "retried";
  }
  return "unknown";
}

std::string_view ToString(FastMarketEvent event) {
  switch (event) {
    case FastMarketEvent::kEntered:
      return "entered";
    case FastMarketEvent::kEnded:
      return "ended";
  }
  return "unknown";
}

std::string_view ToString(HiddenOrderEvent event) {
  switch (event) {
    case HiddenOrderEvent::kHeld:
      return "held";
    case HiddenOrderEvent::kTraded:
      return "traded";
    case HiddenOrderEvent::kReleased:
      return "released";
  }
  return "unknown";
}

std::string_view ToString(BlockEvent event) {
  switch (event) {
    case BlockEvent::kStarted:
      return "started";
    case BlockEvent::kExecuted:
      return "executed";
    case BlockEvent::kExpired:
      return "expired";
  }
  return "unknown";
}

namespace {

// Declares `name` and adds one series per (label value, where its counter goes), with `fixed`.
using Series = std::vector<std::pair<std::string_view, prometheus::Counter**>>;
absl::Status ExportEach(prometheus::Registry& registry, const std::string& name,
                        const std::string& help, const std::string& label, const Series& series,
                        const core::MetricLabels& fixed) {
  COMBO_ASSIGN_OR_RETURN(prometheus::Family<prometheus::Counter> * family,
                         core::DeclareCounterFamily(registry, name, help));
  for (const auto& [value, counter] : series) {
    core::MetricLabels labels = fixed;
    labels[label] = std::string(value);
    COMBO_ASSIGN_OR_RETURN(*counter, core::AddCounter(*family, labels));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status LegProcessActivity::Export(prometheus::Registry& registry, const std::string& venue,
                                        const leg_processes::LegProcessesConfig& processes) {
  const core::MetricLabels at_venue = {{"venue", venue}};
  if (processes.opening.enabled) {
    COMBO_RETURN_IF_ERROR(ExportEach(
        registry, "combo_venue_opening_rotations_total",
        "Opening rotation attempts of the venue's series (seed 001 R47), by outcome: opened, "
        "retried (could not open; tried again when the series' call changes)",
        "outcome",
        {{ToString(OpeningOutcome::kOpened), &openings_[Index(OpeningOutcome::kOpened)].exported},
         {ToString(OpeningOutcome::kRetried),
          &openings_[Index(OpeningOutcome::kRetried)].exported}},
        at_venue));
  }
  if (processes.fast_market.enabled) {
    COMBO_RETURN_IF_ERROR(ExportEach(
        registry, "combo_venue_fast_markets_total",
        "Fast-market periods of the venue's series (seed 001 R46), by event: entered, ended",
        "event",
        {{ToString(FastMarketEvent::kEntered),
          &fast_markets_[Index(FastMarketEvent::kEntered)].exported},
         {ToString(FastMarketEvent::kEnded),
          &fast_markets_[Index(FastMarketEvent::kEnded)].exported}},
        at_venue));
  }
  if (processes.away_market.enabled) {
    Series series;
    for (HiddenOrderEvent event :
         {HiddenOrderEvent::kHeld, HiddenOrderEvent::kTraded, HiddenOrderEvent::kReleased}) {
      series.emplace_back(ToString(event), &hidden_[Index(event)].exported);
    }
    COMBO_RETURN_IF_ERROR(ExportEach(
        registry, "combo_venue_hidden_orders_total",
        "Public customer orders the away-market process stored hidden (seed 001 R28, R44, R45), "
        "by event: held, traded (filled in full by an incoming order), released (to the book "
        "once the away market no longer held them back)",
        "event", series, at_venue));
  }
  if (processes.block.enabled) {
    for (OrderHandling handling : {OrderHandling::kBlock, OrderHandling::kFacilitation}) {
      core::MetricLabels labels = at_venue;
      labels["handling"] = std::string(ToString(handling));
      Series series;
      for (BlockEvent event : {BlockEvent::kStarted, BlockEvent::kExecuted, BlockEvent::kExpired}) {
        series.emplace_back(ToString(event), &blocks_[BlockIndex(handling)][Index(event)].exported);
      }
      COMBO_RETURN_IF_ERROR(ExportEach(
          registry, "combo_venue_block_orders_total",
          "Block and facilitation orders (seed 001 R48), by handling and event: started, "
          "executed (filled in full when the response window closed), expired (the window "
          "closed with a part unexecuted, which was cancelled)",
          "event", series, labels));
    }
  }
  return absl::OkStatus();
}

}  // namespace combo::venues
