// MarketSimulator's scripted events: checking one and applying it (pull and restore quotes, a
// price jump, a venue halt or resume, a latency spike); Start schedules the configured script
// at its offsets (see market_simulator.h, ScriptedEvent).
#include <cmath>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/status.h"
#include "venues/market_sim/agents.h"
#include "venues/market_sim/market_simulator.h"

namespace combo::venues::market_sim {

std::string_view ToString(ScriptedEventKind kind) {
  switch (kind) {
    case ScriptedEventKind::kPullQuotes:
      return "pull_quotes";
    case ScriptedEventKind::kRestoreQuotes:
      return "restore_quotes";
    case ScriptedEventKind::kPriceJump:
      return "price_jump";
    case ScriptedEventKind::kHaltVenue:
      return "halt_venue";
    case ScriptedEventKind::kResumeVenue:
      return "resume_venue";
    case ScriptedEventKind::kLatencySpike:
      return "latency_spike";
    case ScriptedEventKind::kFastMarket:
      return "fast_market";
  }
  return "unknown";
}

absl::Status MarketSimulator::CheckEvent(const ScriptedEvent& event) const {
  if (event.kind == ScriptedEventKind::kPriceJump) {
    if (!underlyings_.contains(event.underlying)) {
      return absl::InvalidArgumentError(
          absl::StrCat("price jump of unknown underlying '", event.underlying, "'"));
    }
    if (!std::isfinite(event.log_return) || std::fabs(event.log_return) > 5) {
      return absl::InvalidArgumentError(
          absl::StrCat("price jump log return ", event.log_return, " is not in [-5, 5]"));
    }
    return absl::OkStatus();
  }
  if (!venues_.contains(event.venue)) {
    return absl::InvalidArgumentError(absl::StrCat(core::AsAbsl(ToString(event.kind)),
                                                   " at unknown venue ", event.venue.value()));
  }
  if (event.instrument.has_value() && !venues_.at(event.venue).venue->Lists(*event.instrument)) {
    return absl::InvalidArgumentError(
        absl::StrCat(core::AsAbsl(ToString(event.kind)), ": venue ", event.venue.value(),
                     " does not list instrument ", event.instrument->value()));
  }
  if (event.kind == ScriptedEventKind::kLatencySpike &&
      (event.extra_latency <= core::Duration::Zero() ||
       event.spike_length <= core::Duration::Zero())) {
    return absl::InvalidArgumentError("latency spike needs a positive extra latency and length");
  }
  if (event.kind == ScriptedEventKind::kFastMarket &&
      (!event.instrument.has_value() || event.fast_market_level < 0 ||
       event.fast_market_level > 6)) {
    return absl::InvalidArgumentError("fast market needs an instrument and a level from 0 to 6");
  }
  return absl::OkStatus();
}

absl::Status MarketSimulator::Apply(const ScriptedEvent& event) {
  COMBO_RETURN_IF_ERROR(CheckEvent(event));
  ++stats_.scripted_events;
  log_.Begin(LogKind::kScripted);
  log_.Add(static_cast<uint64_t>(event.kind));
  log_.Add(uint64_t{event.venue.value()});
  log_.Add(scheduler_->Now().unix_nanos());
  if (log_.keeps_lines()) {
    log_.Describe(absl::StrCat(scheduler_->Now().ToString(), " scripted ",
                               core::AsAbsl(ToString(event.kind)), " venue ", event.venue.value()));
  }
  switch (event.kind) {
    case ScriptedEventKind::kPriceJump: {
      UnderlyingState& underlying = underlyings_.find(event.underlying)->second;
      underlying.process.Jump(event.log_return);
      Revalue(underlying);
      break;
    }
    case ScriptedEventKind::kPullQuotes:
    case ScriptedEventKind::kRestoreQuotes: {
      const bool pulled = event.kind == ScriptedEventKind::kPullQuotes;
      for (Agent* agent : venues_.at(event.venue).agents) agent->OnPull(event.instrument, pulled);
      break;
    }
    case ScriptedEventKind::kHaltVenue:
    case ScriptedEventKind::kResumeVenue: {
      VenueSlot& slot = venues_.at(event.venue);
      const bool halt = event.kind == ScriptedEventKind::kHaltVenue;
      slot.state = halt ? VenueState::kHalted : VenueState::kOpen;
      // The venue halts itself and publishes it; a venue without an exchange-wide halt refuses,
      // and then only its agents go quiet.
      (void)slot.venue->SetTradingStatus(halt ? VenueTradingStatus::kHalted
                                              : VenueTradingStatus::kOpen);
      for (Agent* agent : slot.agents) agent->OnVenueState();
      break;
    }
    case ScriptedEventKind::kLatencySpike: {
      VenueSlot& slot = venues_.at(event.venue);
      slot.spike_until = scheduler_->Now() + event.spike_length;
      slot.extra_latency = event.extra_latency;
      break;
    }
    case ScriptedEventKind::kFastMarket:
      // The exchange's own act: the agents keep quoting; their orders wait for the single-price
      // trades (seed 001 R46).
      return venues_.at(event.venue)
          .venue->SetFastMarket(*event.instrument, event.fast_market_level,
                                event.fast_market_delay);
  }
  return absl::OkStatus();
}

}  // namespace combo::venues::market_sim
