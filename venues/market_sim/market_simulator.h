// MarketSimulator: the background market that brings the embedded exchanges to life, so that
// routing decisions meet moving, venue-specific liquidity in tests, backtests and the daemon.
//
// Underlyings follow seeded GBM-with-jumps paths (UnderlyingProcess); instruments are valued
// from them (fair_value.h: Black-Scholes, cost of carry). Agents trade on the venues as ordinary
// participants, only through venues::Venue (Connect, Submit, SubmitComplex, Cancel, Replace):
//   - market makers, one per (venue, instrument), quote a bid and an offer around fair value
//     with their own spread (drawn per requote from a range), size and requote delay, so the
//     venues differ leg by leg and the implied combo price beats the native one at times and
//     loses at others;
//   - takers, Poisson arrivals per venue, hit the best quote they last saw with an IOC order;
//   - complex quoters rest native combos on venues with a complex-order book, around the
//     combo's fair net price.
// Scripted events (pull quotes, restore them, price jump, venue halt and resume, latency spike)
// run at fixed offsets from Start. The simulator also subscribes to every venue's market data,
// and folds every order it sends, every event its agents receive and every market-data update
// into an EventLog, whose hash is the same for the same seed.
//
// All time comes from the injected core::Scheduler and all randomness from core::Rng streams
// forked from the configured seed, in configuration order: on core::SimulatedTime a run repeats
// exactly; on the daemon's Asio scheduler the same code runs in real time.
//
// Lifetime: the venues must outlive the simulator; destroy the simulator only when no venue
// callback to its agents is still scheduled (e.g. destroy venues and simulator together, or
// stop advancing time first). Not thread-safe: lives on the thread that owns the Scheduler.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/combo_catalog.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/market_data.h"
#include "core/random.h"
#include "core/scheduler.h"
#include "pricing/combo_terms.h"
#include "venues/market_sim/event_log.h"
#include "venues/market_sim/underlying_process.h"
#include "venues/venue.h"

namespace combo::venues::market_sim {

// Quotes one instrument at one venue. Its half spread, in the instrument's ticks, is drawn
// uniformly from [min_half_spread_ticks, max_half_spread_ticks] at every requote; a requote
// follows a fair-value change (or a fill) after requote_delay plus a uniform [0, jitter] draw.
struct MarketMakerConfig {
  core::VenueId venue;
  core::InstrumentId instrument;
  int64_t min_half_spread_ticks = 1;
  int64_t max_half_spread_ticks = 1;
  core::Quantity quantity{10};
  core::Duration requote_delay = core::Duration::Milliseconds(50);
  core::Duration requote_jitter = core::Duration::Milliseconds(50);
  ParticipantRole role = ParticipantRole::kMarketMaker;
};

// Sends IOC orders at a venue: Poisson arrivals at `arrivals_per_second`, each on an instrument
// drawn uniformly from `instruments`, a side drawn evenly and a quantity uniform in
// [min_quantity, max_quantity], priced at the best contra quote the simulator last saw (no
// order when that side is empty).
struct TakerConfig {
  core::VenueId venue;
  std::vector<core::InstrumentId> instruments;
  double arrivals_per_second = 1.0;
  core::Quantity min_quantity{1};
  core::Quantity max_quantity{5};
  ParticipantRole role = ParticipantRole::kCustomer;
};

// Rests a bid and an offer for a native combo (canonical terms) at a venue with a complex-order
// book, around the combo's fair net price; half spread in `net_tick`s, drawn per requote.
struct ComplexQuoterConfig {
  core::VenueId venue;
  core::ComboId combo;
  core::Price net_tick = core::Price::FromParts(0, 10'000'000);
  int64_t min_half_spread_ticks = 1;
  int64_t max_half_spread_ticks = 3;
  core::Quantity quantity{5};
  core::Duration requote_delay = core::Duration::Milliseconds(100);
  core::Duration requote_jitter = core::Duration::Milliseconds(100);
  ParticipantRole role = ParticipantRole::kMarketMaker;
};

enum class ScriptedEventKind : uint8_t {
  kPullQuotes,     // makers (and, for a whole venue, complex quoters) cancel and stop quoting
  kRestoreQuotes,  // they quote again
  kPriceJump,      // the underlying's price is multiplied by exp(log_return)
  kHaltVenue,      // every agent at the venue cancels and goes silent; the hook is told
  kResumeVenue,    // they come back; the hook is told
  kLatencySpike,   // agents' messages to the venue wait `extra_latency` for `spike_length`
};

std::string_view ToString(ScriptedEventKind kind);

enum class VenueState : uint8_t { kOpen, kHalted };

struct ScriptedEvent {
  // Offset from Start.
  core::Duration at;
  ScriptedEventKind kind = ScriptedEventKind::kPullQuotes;
  // Every kind but kPriceJump.
  core::VenueId venue;
  // kPullQuotes / kRestoreQuotes: one instrument, or every instrument at the venue when absent.
  std::optional<core::InstrumentId> instrument;
  // kPriceJump.
  std::string underlying;
  double log_return = 0.0;
  // kLatencySpike.
  core::Duration extra_latency;
  core::Duration spike_length;
};

struct MarketSimConfig {
  uint64_t seed = 1;
  // The step of the underlyings' paths (and of fair-value updates).
  core::Duration step = core::Duration::Milliseconds(100);
  // The risk-free rate of every valuation; each underlying's valuation volatility is its
  // process volatility (a floor of 1% keeps Black-Scholes defined for a zero-volatility path).
  double rate = 0.0;
  std::vector<UnderlyingProcessConfig> underlyings;
  std::vector<MarketMakerConfig> market_makers;
  std::vector<TakerConfig> takers;
  std::vector<ComplexQuoterConfig> complex_quoters;
  std::vector<ScriptedEvent> script;
  // The agents' participant ids are first_participant_id, +1, ... in the order makers, takers,
  // complex quoters; keep them clear of the router's own.
  uint32_t first_participant_id = 1000;
  KeepLines keep_lines = KeepLines::kNo;
};

// Called when a scripted halt or resume reaches a venue, so the owner can halt the venue
// itself (the Venue interface has no halt) and tell the router.
using VenueStateHook = absl::AnyInvocable<void(core::VenueId, VenueState)>;

struct MarketSimStats {
  int64_t underlying_steps = 0;
  int64_t jumps = 0;
  int64_t orders_sent = 0;  // submits, complex submits, replaces and cancels
  int64_t rejects = 0;
  int64_t fills = 0;  // leg fills and complex fills of the agents
  int64_t market_data_updates = 0;
  int64_t scripted_events = 0;
  // Requests a venue refused at admission (never expected; counted, not fatal).
  int64_t admission_errors = 0;
};

class MarketSimulator final : public MarketDataListener {
 public:
  // Checks the config against the catalogs and venues (not owned; all must outlive the
  // simulator) and fails, naming the problem and changing nothing, on: a duplicate venue id; an
  // agent at an unknown venue, on an instrument the venue does not list or the catalog does not
  // know, or on a combo the venue does not trade natively; an instrument whose underlying has
  // no process; bad spreads, quantities, rates or delays; a scripted event naming an unknown
  // venue, instrument or underlying, or at a negative offset.
  static absl::StatusOr<std::unique_ptr<MarketSimulator>> Create(
      MarketSimConfig config, core::Scheduler* scheduler,
      const core::InstrumentCatalog* instruments, const core::ComboCatalog* combos,
      std::vector<Venue*> venues);
  ~MarketSimulator() override;
  MarketSimulator(const MarketSimulator&) = delete;
  MarketSimulator& operator=(const MarketSimulator&) = delete;

  void SetVenueStateHook(VenueStateHook hook) { venue_state_hook_ = std::move(hook); }

  // Connects the agents, subscribes to every venue, schedules the first quotes, arrivals,
  // steps and the script. Fails if already started or a venue refuses a connection.
  absl::Status Start();
  // Stops every agent and timer; resting orders stay where they are.
  void Stop();

  // Applies a scripted event now (the script calls this at its offsets). Fails, changing
  // nothing, on an event that names an unknown venue, instrument or underlying.
  absl::Status Apply(const ScriptedEvent& event);

  // The underlying's current price; nullopt for an unknown one.
  std::optional<double> UnderlyingPrice(std::string_view underlying) const;
  // The instrument's current fair value; nullopt for one the simulator does not value.
  std::optional<double> FairValue(core::InstrumentId instrument) const;
  // The combo's fair net price (canonical terms); nullopt for one no quoter trades.
  std::optional<double> FairNetPrice(core::ComboId combo) const;
  // The last top of book the simulator saw for (venue, instrument) or (venue, combo).
  core::TopOfBook LastTop(core::VenueId venue, core::InstrumentId instrument) const;
  core::TopOfBook LastNativeTop(core::VenueId venue, core::ComboId combo) const;
  bool halted(core::VenueId venue) const;

  const EventLog& log() const { return log_; }
  const MarketSimStats& stats() const { return stats_; }
  const MarketSimConfig& config() const { return config_; }

  // MarketDataListener: the venues' public data, logged and kept for the takers.
  void OnLegBookUpdate(const core::LegBookUpdate& update) override;
  void OnNativeComboUpdate(const core::NativeComboUpdate& update) override;
  void OnTradePrint(const core::TradePrint& print) override;

 private:
  class Agent;
  class MarketMaker;
  class Taker;
  class ComplexQuoter;

  struct InstrumentState {
    const core::Instrument* instrument = nullptr;
    std::string underlying;
    double fair = 0.0;
    std::vector<Agent*> watchers;
  };
  struct UnderlyingState {
    UnderlyingProcess process;
    std::vector<core::InstrumentId> instruments;
  };
  struct ComboState {
    pricing::ComboTerms terms;
    std::vector<Agent*> watchers;
  };
  struct VenueSlot {
    Venue* venue = nullptr;
    VenueState state = VenueState::kOpen;
    core::Timestamp spike_until;
    core::Duration extra_latency;
    std::vector<Agent*> agents;
  };

  MarketSimulator(MarketSimConfig config, core::Scheduler* scheduler);

  absl::Status CheckEvent(const ScriptedEvent& event) const;
  void StepUnderlyings();
  // Revalues the instruments of an underlying and tells their watchers.
  void Revalue(UnderlyingState& underlying);
  double ComboFair(const ComboState& combo) const;
  // Runs `send` now, or after the venue's latency spike while one lasts.
  void Send(VenueSlot& slot, absl::AnyInvocable<void() &&> send);
  core::TimerId Schedule(core::Duration delay, absl::AnyInvocable<void() &&> callback);

  MarketSimConfig config_;
  core::Scheduler* scheduler_;
  core::Rng process_rng_;
  std::map<std::string, UnderlyingState, std::less<>> underlyings_;
  std::map<core::InstrumentId, InstrumentState> instruments_;
  std::map<core::ComboId, ComboState> combos_;
  std::map<core::VenueId, VenueSlot> venues_;
  std::vector<std::unique_ptr<Agent>> agents_;
  absl::flat_hash_map<std::pair<core::VenueId, core::InstrumentId>, core::TopOfBook> tops_;
  absl::flat_hash_map<std::pair<core::VenueId, core::ComboId>, core::TopOfBook> native_tops_;
  VenueStateHook venue_state_hook_;
  EventLog log_;
  MarketSimStats stats_;
  bool started_ = false;
  bool stopped_ = false;
  core::TimerId step_timer_;
  std::vector<core::TimerId> script_timers_;
  // Shared with scheduled callbacks, which do nothing once the simulator is gone or stopped.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace combo::venues::market_sim
