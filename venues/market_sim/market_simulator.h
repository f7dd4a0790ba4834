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
//     combo's fair net price;
//   - resting traders (resting_traders.h), customers or professionals, rest limit Day orders at,
//     inside or behind the market in leg and complex books and replace or cancel them over time,
//     so customer priority and the customer-at-the-edge rules act;
//   - negotiators, on a negotiation venue (seed 000), are negotiation::SimulatedParticipants
//     that hear every offer through the real protocol and, after a seeded think time, answer it
//     from the fair value: accept, counter with an offer of their own, or decline.
// Every agent sends through its own link (ParticipantLink: its own latency, seeded) and, at a
// venue running latency protection, probes it with latency test orders (seed 002), so the venue
// learns each participant's latency.
// Scripted events (pull quotes, restore them, price jump, venue halt and resume, latency spike)
// run at fixed offsets from Start. A scripted halt or resume is the venue's own: the simulator
// calls Venue::SetTradingStatus, and the venue tells its market-data subscribers (the router,
// the daemon) itself. The simulator also subscribes to every venue's market data,
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
#include <set>
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
#include "prometheus/registry.h"
#include "venues/market_sim/event_log.h"
#include "venues/market_sim/resting_traders.h"
#include "venues/market_sim/underlying_process.h"
#include "venues/negotiation/service.h"
#include "venues/negotiation/simulated_participant.h"
#include "venues/simulated_venue.h"
#include "venues/venue.h"

namespace combo::venues::market_sim {

// A participant's own link to its venue (seed 002 R1: each participant's latency differs), and
// its latency probes. Every message the agent sends (orders, replaces, cancels, test orders and
// latency reports) reaches the venue `fixed` plus a uniform [0, `jitter`] draw later, in the order
// sent; the draws come from the agent's own stream, forked from the simulation seed, so a run
// repeats exactly. At a venue running latency protection the agent also runs a LatencyProbe: a
// test order every `probe_interval` (zero: none), whose round trip it reports (R2, R5, R7), so
// the venue learns its latency and holds its trades accordingly.
struct ParticipantLink {
  core::Duration fixed;
  core::Duration jitter;
  core::Duration probe_interval = core::Duration::Seconds(1);
  // The submitter class its probes are counted under (the agents of one config entry share it).
  std::string group;
};

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
  ParticipantLink link;
};

// Sends IOC orders at a venue: Poisson arrivals at `arrivals_per_second`, each on an instrument
// or native combo drawn uniformly from `instruments` and `combos`, a side drawn evenly and a
// quantity uniform in [min_quantity, max_quantity]. A leg order is priced at the best contra
// quote the simulator last saw; a complex order at the contra price the venue last published
// for legging into its leg books (seed 001 R17), so it takes the resting complex orders priced
// better and legs in for the rest, or, with no such price, at the resting complex contra. No
// order when there is no contra price.
struct TakerConfig {
  core::VenueId venue;
  std::vector<core::InstrumentId> instruments;
  // Native combos (canonical) of the venue's complex book.
  std::vector<core::ComboId> combos;
  double arrivals_per_second = 1.0;
  core::Quantity min_quantity{1};
  core::Quantity max_quantity{5};
  ParticipantRole role = ParticipantRole::kCustomer;
  ParticipantLink link;
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
  ParticipantLink link;
};

// A trader on a negotiation venue. After a think time uniform in [min_think_time,
// max_think_time] it answers each offer it hears from the offer's fair value (an instrument's,
// or a combo's fair net price in the offer's own leg terms), with an edge drawn uniformly from
// [min_edge_ticks, max_edge_ticks] ticks (the instrument's tick, or `combo_tick`):
//   - accept an offer priced at least the edge better than fair for it, of at most max_quantity;
//   - counter one within counter_band_ticks of fair (or a larger one at an acceptable price):
//     post its own offer on the other side at fair -/+ edge, for at most max_quantity, lasting
//     counter_timeout_seconds (one open counter per instrument and side; never a counter to
//     another negotiator's counter, which it only accepts or declines);
//   - decline the rest, anything it cannot value, and everything while its venue is halted or
//     the simulator is stopped.
struct NegotiatorConfig {
  core::VenueId venue;
  // Its account at the negotiation service (a protocol token; its key derives from it).
  std::string account;
  int64_t min_edge_ticks = 0;
  int64_t max_edge_ticks = 2;
  int64_t counter_band_ticks = 5;
  core::Price combo_tick = core::Price::FromParts(0, 10'000'000);
  core::Quantity max_quantity{20};
  core::Duration min_think_time = core::Duration::Milliseconds(200);
  core::Duration max_think_time = core::Duration::Milliseconds(1500);
  int64_t counter_timeout_seconds = 10;
};

// A desk of dealers and one client trading on a venue's CBO book (seed 004; the venue must have
// its CBO book open, given in MarketSimulator::Create's CBO links). Its participants are the
// client, then `exclusive_dealers` exclusive dealers, then `open_dealers` open-phase dealers.
//   - The client submits CBOs at Poisson arrivals (`cbos_per_second`) on an instrument drawn
//     from `instruments`, a side drawn evenly, a quantity uniform in [min_quantity,
//     max_quantity] and a limit `limit_offset_ticks` (drawn uniformly from [min, max]) on the
//     passive side of fair value (negative: through it), good for `cbo_lifetime`, naming every
//     dealer of the desk (with client autofill of `client_autofill_ticks` when positive).
//   - Each dealer sees its desk's CBOs (terms disclosed, R1) and, while it may answer (its
//     phase), answers after a think time uniform in [min_response_delay, max_response_delay] at
//     fair value plus an edge drawn from [min_edge_ticks, max_edge_ticks] ticks on its own side,
//     when that price meets the CBO's level, its original limit, or misses the level by at most
//     `dealer_autofill_ticks` (then with that dealer autofill threshold); it looks again when
//     fair value or the CBO moves. With `leg_orders_per_second`, each dealer also sends IOC leg
//     orders at the venue's last top it saw, with the dealer autofill threshold (R53).
struct CboDeskConfig {
  core::VenueId venue;
  std::vector<core::InstrumentId> instruments;
  int64_t exclusive_dealers = 2;
  int64_t open_dealers = 1;
  double cbos_per_second = 0.5;
  core::Quantity min_quantity{1};
  core::Quantity max_quantity{10};
  int64_t min_limit_offset_ticks = -1;
  int64_t max_limit_offset_ticks = 3;
  core::Duration cbo_lifetime = core::Duration::Seconds(30);
  int64_t client_autofill_ticks = 0;
  int64_t min_edge_ticks = 0;
  int64_t max_edge_ticks = 2;
  int64_t dealer_autofill_ticks = 1;
  core::Duration min_response_delay = core::Duration::Milliseconds(5);
  core::Duration max_response_delay = core::Duration::Milliseconds(150);
  double leg_orders_per_second = 0.0;
};

enum class ScriptedEventKind : uint8_t {
  kPullQuotes,     // makers (and, for a whole venue, complex quoters) cancel and stop quoting
  kRestoreQuotes,  // they quote again
  kPriceJump,      // the underlying's price is multiplied by exp(log_return)
  kHaltVenue,      // the venue halts (Venue::SetTradingStatus); its agents cancel, go silent
  kResumeVenue,    // the venue resumes; its agents come back
  kLatencySpike,   // agents' messages to the venue wait `extra_latency` for `spike_length`
  kFastMarket,     // the exchange calls (level 1..6) or ends (0) a fast market in `instrument`
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
  // kFastMarket (seed 001 R46): the level, and the delay the exchange enters for level 6.
  int fast_market_level = 0;
  core::Duration fast_market_delay;
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
  std::vector<RestingTraderConfig> resting_traders;
  // Each at a venue given in MarketSimulator::Create's negotiation links.
  std::vector<NegotiatorConfig> negotiators;
  // Each at a venue given in MarketSimulator::Create's CBO links; participant ids after the
  // complex quoters'.
  std::vector<CboDeskConfig> cbo_desks;
  std::vector<ScriptedEvent> script;
  // The agents' participant ids are first_participant_id, +1, ... in the order makers, takers,
  // complex quoters, resting traders; keep them clear of the router's own.
  uint32_t first_participant_id = 1000;
  KeepLines keep_lines = KeepLines::kNo;
  // Optional (not owned): the agents' latency probes count here (venues/latency_probe.h).
  prometheus::Registry* metrics = nullptr;
};

// A negotiation venue of the market and the service its negotiators talk to (not owned).
struct NegotiationLink {
  core::VenueId venue;
  negotiation::NegotiationService* service = nullptr;
};

// A venue of the market whose CBO book the desks trade on (not owned).
struct CboLink {
  core::VenueId venue;
  SimulatedVenue* exchange = nullptr;
};

// The number of participant ids a desk takes: its client and its dealers.
inline uint64_t DeskParticipants(const CboDeskConfig& desk) {
  return 1 + static_cast<uint64_t>(desk.exclusive_dealers + desk.open_dealers);
}

struct MarketSimStats {
  int64_t underlying_steps = 0;
  int64_t jumps = 0;
  int64_t orders_sent = 0;  // submits, complex submits, replaces and cancels
  int64_t rejects = 0;
  int64_t fills = 0;  // leg fills and complex fills of the agents
  int64_t market_data_updates = 0;
  int64_t scripted_events = 0;
  // Negotiators' answers to the offers they heard.
  int64_t negotiation_offers_answered = 0;
  int64_t negotiation_accepts = 0;
  int64_t negotiation_counters = 0;
  int64_t negotiation_declines = 0;
  // CBO desks: CBOs the clients submitted, responses the dealers sent.
  int64_t cbos_submitted = 0;
  int64_t cbo_responses = 0;
  // Requests a venue refused at admission (never expected; counted, not fatal).
  int64_t admission_errors = 0;
  // The agents' latency test orders sent, and answered by their venue.
  int64_t probes_sent = 0;
  int64_t probes_answered = 0;
  // Resting traders: orders sent, replaced and cancelled at the end of their lifetime, and fills
  // of their orders while resting (liquidity added).
  int64_t resting_orders_placed = 0;
  int64_t resting_orders_replaced = 0;
  int64_t resting_orders_cancelled = 0;
  int64_t resting_fills = 0;
  // Of the resting traders' orders, those sent as block or facilitation orders (seed 001 R48).
  int64_t block_orders_placed = 0;
};

class MarketSimulator final : public MarketDataListener {
 public:
  // Checks the config against the catalogs and venues (not owned; all must outlive the
  // simulator) and fails, naming the problem and changing nothing, on: a duplicate venue id; an
  // agent at an unknown venue, on an instrument the venue does not list or the catalog does not
  // know, or on a combo the venue does not trade natively; an instrument whose underlying has
  // no process; bad spreads, quantities, rates, delays or link latencies; a scripted event naming
  // an unknown venue, instrument or underlying, or at a negative offset; a negotiator at a venue
  // with no negotiation link, with a bad account, edge, quantity, tick, think time or timeout, or
  // an account used twice; a link to a venue not given or without a service.
  static absl::StatusOr<std::unique_ptr<MarketSimulator>> Create(
      MarketSimConfig config, core::Scheduler* scheduler,
      const core::InstrumentCatalog* instruments, const core::ComboCatalog* combos,
      std::vector<Venue*> venues, std::vector<NegotiationLink> negotiation = {},
      std::vector<CboLink> cbo = {});
  ~MarketSimulator() override;
  MarketSimulator(const MarketSimulator&) = delete;
  MarketSimulator& operator=(const MarketSimulator&) = delete;

  // Connects the agents, subscribes to every venue, logs the negotiators in, schedules the first
  // quotes, arrivals, steps and the script. Fails if already started, a venue refuses a
  // connection or a negotiation service refuses a negotiator's account.
  absl::Status Start();
  // Stops every agent and timer; resting orders stay where they are.
  void Stop();

  // Adds agents for instruments listed while running (an instrument master reload): market
  // makers, one per (venue, instrument), with participant ids after the existing agents', and
  // instruments for running takers (by their index in config().takers). Checks everything
  // first and fails, changing nothing, on what Create would refuse (an unknown venue, an
  // instrument the venue does not list or whose underlying has no process, bad spreads,
  // quantities or delays, an unknown taker). A started simulator starts the new makers at once.
  absl::Status AddListings(const std::vector<MarketMakerConfig>& makers,
                           const std::vector<std::pair<size_t, core::InstrumentId>>& takers);

  // Applies a scripted event now (the script calls this at its offsets). Fails, changing
  // nothing, on an event that names an unknown venue, instrument or underlying.
  absl::Status Apply(const ScriptedEvent& event);

  // The underlying's current price; nullopt for an unknown one.
  std::optional<double> UnderlyingPrice(std::string_view underlying) const;
  // The instrument's current fair value; nullopt for one the simulator does not value.
  std::optional<double> FairValue(core::InstrumentId instrument) const;
  // The combo's fair net price (canonical terms); nullopt for one no quoter trades.
  std::optional<double> FairNetPrice(core::ComboId combo) const;
  // The fair value of what a negotiation offer names (an instrument's symbol, or a combo in
  // brackets, in its own leg terms); nullopt for text that does not resolve or a leg the
  // simulator does not value.
  std::optional<double> FairValueOf(std::string_view offer_instrument) const;
  // How the negotiator with that account would answer `offer` now (with a fresh edge draw).
  // For tests and the negotiators themselves; a decline for an unknown account.
  negotiation::OfferResponse AnswerOffer(std::string_view account,
                                         const negotiation::Message& offer);
  // The negotiators, in config order.
  std::vector<const negotiation::SimulatedParticipant*> negotiators() const;
  // The last top of book the simulator saw for (venue, instrument) or (venue, combo).
  core::TopOfBook LastTop(core::VenueId venue, core::InstrumentId instrument) const;
  core::TopOfBook LastNativeTop(core::VenueId venue, core::ComboId combo) const;
  // The last legs-implied top (seed 001 R17) the venue published for a native combo.
  core::TopOfBook LastLegsImpliedTop(core::VenueId venue, core::ComboId combo) const;
  bool halted(core::VenueId venue) const;

  const EventLog& log() const { return log_; }
  const MarketSimStats& stats() const { return stats_; }
  const MarketSimConfig& config() const { return config_; }

  // MarketDataListener: the venues' public data, logged and kept for the takers.
  void OnLegBookUpdate(const core::LegBookUpdate& update) override;
  void OnNativeComboUpdate(const core::NativeComboUpdate& update) override;
  // Prints are logged with their kind; fair values come from the underlyings' paths, never from
  // prints, so a complex trade's leg prices move nothing.
  void OnTradePrint(const core::TradePrint& print) override;
  void OnComboTradePrint(const core::ComboTradePrint& print) override;

 private:
  class Agent;
  class TwoSidedQuoter;
  class MarketMaker;
  class Taker;
  class ComplexQuoter;
  class RestingTrader;
  struct Negotiator;
  class CboClient;
  class CboDealer;

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
  // Builds the CBO desks (cbo_desk.cc), with ids from `next_participant` and streams from `root`.
  absl::Status AddCboDesks(const std::vector<CboLink>& links, core::Rng& root,
                           uint32_t& next_participant);
  // Starts valuing `id` (once): it must be in the catalog and its underlying simulated.
  absl::Status Value(core::InstrumentId id, std::string_view who);
  absl::Status CheckMaker(const MarketMakerConfig& maker, std::string_view who) const;
  // The instrument's fair value from its underlying's current price.
  void Price(InstrumentState& state, const UnderlyingState& underlying, core::Timestamp now);
  void StepUnderlyings();
  // Revalues the instruments of an underlying and tells their watchers.
  void Revalue(UnderlyingState& underlying);
  double ComboFair(const ComboState& combo) const;
  negotiation::OfferResponse Answer(Negotiator& negotiator, const negotiation::Message& offer);
  void LogNegotiationMessage(const Negotiator& negotiator, negotiation::MessageDirection direction,
                             const negotiation::Message& message);
  // Runs `send` now, or after the venue's latency spike while one lasts.
  void Send(VenueSlot& slot, absl::AnyInvocable<void() &&> send);
  // Checks an agent's link (`who` names it in errors).
  absl::Status CheckLink(const ParticipantLink& link, std::string_view who) const;
  // Gives a new agent its link stream and, at a venue running latency protection with a positive
  // probe interval, its latency probe.
  absl::Status Equip(Agent& agent, const ParticipantLink& link, std::string_view who);
  core::TimerId Schedule(core::Duration delay, absl::AnyInvocable<void() &&> callback);

  MarketSimConfig config_;
  core::Scheduler* scheduler_;
  const core::InstrumentCatalog* catalog_ = nullptr;
  core::Rng process_rng_;
  std::map<std::string, UnderlyingState, std::less<>> underlyings_;
  std::map<core::InstrumentId, InstrumentState> instruments_;
  std::map<core::ComboId, ComboState> combos_;
  std::map<core::VenueId, VenueSlot> venues_;
  std::vector<std::unique_ptr<Agent>> agents_;
  std::vector<Taker*> takers_;
  // Where agents added later (AddListings) draw their random streams from.
  core::Rng agent_rng_{0};
  // The agents' link (latency) streams: a root of its own, so that links leave every other stream
  // of the simulation as it was.
  core::Rng link_rng_{0};
  std::vector<std::unique_ptr<Negotiator>> negotiators_;
  // Open offers the negotiators posted (their counters), by id.
  std::set<std::string, std::less<>> crowd_offers_;
  absl::flat_hash_map<std::pair<core::VenueId, core::InstrumentId>, core::TopOfBook> tops_;
  absl::flat_hash_map<std::pair<core::VenueId, core::ComboId>, core::TopOfBook> native_tops_;
  absl::flat_hash_map<std::pair<core::VenueId, core::ComboId>, core::TopOfBook> legs_implied_tops_;
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
