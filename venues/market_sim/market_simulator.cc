// MarketSimulator: building it from its config, starting and stopping it, the underlyings'
// steps and revaluation, and the venues' market data it keeps (see market_simulator.h). The
// agents are in agents.h, the negotiators' answers in negotiators.cc, the script in
// scripted_events.cc.
#include "venues/market_sim/market_simulator.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/rounding.h"
#include "core/status.h"
#include "venues/market_sim/agents.h"
#include "venues/market_sim/fair_value.h"
#include "venues/market_sim/resting_trader_agent.h"
#include "venues/market_sim/sim_values.h"
#include "venues/negotiation/instrument_text.h"
#include "venues/negotiation/protocol.h"

namespace combo::venues::market_sim {
namespace {

// The agents' link streams start from the seed mixed with this, apart from every other stream.
constexpr uint64_t kLinkStreamSalt = 0x6c696e6b5f726e67;  // "link_rng"

// Black-Scholes needs a positive volatility; a zero-volatility path is valued with this one.
constexpr double kMinValuationVolatility = 0.01;

absl::Status CheckSpread(int64_t min_ticks, int64_t max_ticks, std::string_view what) {
  if (min_ticks < 1 || max_ticks < min_ticks) {
    return absl::InvalidArgumentError(absl::StrCat(core::AsAbsl(what), ": half spread [", min_ticks,
                                                   ", ", max_ticks,
                                                   "] ticks must satisfy 1 <= min <= max"));
  }
  return absl::OkStatus();
}

absl::Status CheckDelay(core::Duration delay, core::Duration jitter, std::string_view what) {
  if (delay < core::Duration::Zero() || jitter < core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat(core::AsAbsl(what), ": requote delay and jitter must not be negative"));
  }
  return absl::OkStatus();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The simulator.

MarketSimulator::MarketSimulator(MarketSimConfig config, core::Scheduler* scheduler)
    : config_(std::move(config)),
      scheduler_(scheduler),
      process_rng_(config_.seed),
      log_(config_.keep_lines) {}

MarketSimulator::~MarketSimulator() {
  *alive_ = false;
  if (started_) {
    for (auto& [id, slot] : venues_) (void)slot.venue->Unsubscribe(this);
  }
  Stop();
}

absl::StatusOr<std::unique_ptr<MarketSimulator>> MarketSimulator::Create(
    MarketSimConfig config, core::Scheduler* scheduler, const core::InstrumentCatalog* instruments,
    const core::ComboCatalog* combos, std::vector<Venue*> venues,
    std::vector<NegotiationLink> negotiation, std::vector<CboLink> cbo) {
  if (scheduler == nullptr || instruments == nullptr || combos == nullptr) {
    return absl::InvalidArgumentError("market simulator needs a scheduler and both catalogs");
  }
  if (config.step <= core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat("market simulator step ", config.step.ToString(), " is not positive"));
  }
  if (!(config.rate >= -1 && config.rate <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("market simulator rate ", config.rate, " is not in [-1, 1]"));
  }
  uint64_t agent_count = config.market_makers.size() + config.takers.size() +
                         config.complex_quoters.size() + config.resting_traders.size();
  for (const CboDeskConfig& desk : config.cbo_desks) {
    if (desk.exclusive_dealers < 1 || desk.open_dealers < 0 ||
        desk.exclusive_dealers + desk.open_dealers > 64) {
      return absl::InvalidArgumentError(
          "CBO desk: dealers must satisfy 1 <= exclusive, 0 <= open, exclusive + open <= 64");
    }
    agent_count += DeskParticipants(desk);
  }
  if (uint64_t{config.first_participant_id} + agent_count > UINT32_MAX) {
    return absl::InvalidArgumentError("market simulator participant ids overflow");
  }
  // The simulator's own random streams: the paths first, then one per agent in config order.
  core::Rng root(config.seed);
  auto sim = std::unique_ptr<MarketSimulator>(new MarketSimulator(std::move(config), scheduler));
  sim->catalog_ = instruments;
  sim->process_rng_ = root.Fork();
  sim->link_rng_ = core::Rng(sim->config_.seed ^ kLinkStreamSalt);
  const MarketSimConfig& cfg = sim->config_;

  for (Venue* venue : venues) {
    if (venue == nullptr) return absl::InvalidArgumentError("market simulator: null venue");
    if (!sim->venues_.emplace(venue->id(), VenueSlot{venue, VenueState::kOpen, {}, {}, {}})
             .second) {
      return absl::InvalidArgumentError(
          absl::StrCat("market simulator: venue ", venue->id().value(), " given twice"));
    }
  }
  for (const UnderlyingProcessConfig& underlying : cfg.underlyings) {
    absl::StatusOr<UnderlyingProcess> process = UnderlyingProcess::Create(underlying);
    if (!process.ok()) return process.status();
    if (!sim->underlyings_.emplace(underlying.underlying, UnderlyingState{*std::move(process), {}})
             .second) {
      return absl::InvalidArgumentError(
          absl::StrCat("underlying ", underlying.underlying, " has two processes"));
    }
  }
  auto value = [&](core::InstrumentId id, std::string_view who) { return sim->Value(id, who); };
  auto venue_of = [&](core::VenueId id, std::string_view who) -> absl::StatusOr<Venue*> {
    auto found = sim->venues_.find(id);
    if (found == sim->venues_.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(core::AsAbsl(who), ": venue ", id.value(), " is not given"));
    }
    return found->second.venue;
  };

  uint32_t next_participant = cfg.first_participant_id;
  for (size_t i = 0; i < cfg.market_makers.size(); ++i) {
    const MarketMakerConfig& maker = cfg.market_makers[i];
    const std::string who = absl::StrCat("market maker ", i);
    COMBO_RETURN_IF_ERROR(sim->CheckMaker(maker, who));
    COMBO_RETURN_IF_ERROR(value(maker.instrument, who));
    auto agent = std::make_unique<MarketMaker>(sim.get(), core::ParticipantId(next_participant++),
                                               maker, root.Fork());
    COMBO_RETURN_IF_ERROR(sim->Equip(*agent, maker.link, who));
    sim->instruments_.at(maker.instrument).watchers.push_back(agent.get());
    sim->venues_.at(maker.venue).agents.push_back(agent.get());
    sim->agents_.push_back(std::move(agent));
  }
  for (size_t i = 0; i < cfg.takers.size(); ++i) {
    const TakerConfig& taker = cfg.takers[i];
    const std::string who = absl::StrCat("taker ", i);
    COMBO_ASSIGN_OR_RETURN(Venue * venue, venue_of(taker.venue, who));
    if (taker.instruments.empty() && taker.combos.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(who, ": no instruments and no combos"));
    }
    for (core::ComboId combo : taker.combos) {
      if (!venue->TradesNatively(combo)) {
        return absl::InvalidArgumentError(absl::StrCat(who, ": venue ", taker.venue.value(),
                                                       " does not trade combo ", combo.value()));
      }
    }
    for (core::InstrumentId instrument : taker.instruments) {
      if (!venue->Lists(instrument)) {
        return absl::InvalidArgumentError(absl::StrCat(who, ": venue ", taker.venue.value(),
                                                       " does not list instrument ",
                                                       instrument.value()));
      }
    }
    if (!(taker.arrivals_per_second > 0 && std::isfinite(taker.arrivals_per_second))) {
      return absl::InvalidArgumentError(
          absl::StrCat(who, ": arrival rate ", taker.arrivals_per_second, " is not positive"));
    }
    if (!taker.min_quantity.is_positive() || taker.max_quantity < taker.min_quantity) {
      return absl::InvalidArgumentError(
          absl::StrCat(who, ": quantities must satisfy 1 <= min <= max"));
    }
    auto agent = std::make_unique<Taker>(sim.get(), core::ParticipantId(next_participant++), taker,
                                         root.Fork());
    COMBO_RETURN_IF_ERROR(sim->Equip(*agent, taker.link, who));
    sim->venues_.at(taker.venue).agents.push_back(agent.get());
    sim->takers_.push_back(agent.get());
    sim->agents_.push_back(std::move(agent));
  }
  for (size_t i = 0; i < cfg.complex_quoters.size(); ++i) {
    const ComplexQuoterConfig& quoter = cfg.complex_quoters[i];
    const std::string who = absl::StrCat("complex quoter ", i);
    COMBO_ASSIGN_OR_RETURN(Venue * venue, venue_of(quoter.venue, who));
    if (!venue->TradesNatively(quoter.combo)) {
      return absl::InvalidArgumentError(absl::StrCat(
          who, ": venue ", quoter.venue.value(), " does not trade combo ", quoter.combo.value()));
    }
    const core::ComboSpec* spec = combos->Find(quoter.combo);
    if (spec == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(who, ": combo ", quoter.combo.value(), " is not in the catalog"));
    }
    if (!quoter.net_tick.is_positive()) {
      return absl::InvalidArgumentError(absl::StrCat(who, ": net tick must be positive"));
    }
    COMBO_RETURN_IF_ERROR(
        CheckSpread(quoter.min_half_spread_ticks, quoter.max_half_spread_ticks, who));
    COMBO_RETURN_IF_ERROR(CheckDelay(quoter.requote_delay, quoter.requote_jitter, who));
    if (!quoter.quantity.is_positive()) {
      return absl::InvalidArgumentError(absl::StrCat(who, ": quantity must be positive"));
    }
    if (!sim->combos_.contains(quoter.combo)) {
      COMBO_ASSIGN_OR_RETURN(pricing::ComboTerms terms,
                             pricing::ComboTerms::Create(*spec, *instruments));
      for (const pricing::LegTerms& leg : terms.legs()) {
        COMBO_RETURN_IF_ERROR(value(leg.instrument, who));
      }
      sim->combos_.emplace(quoter.combo, ComboState{std::move(terms), {}});
    }
    auto agent = std::make_unique<ComplexQuoter>(sim.get(), core::ParticipantId(next_participant++),
                                                 quoter, root.Fork());
    COMBO_RETURN_IF_ERROR(sim->Equip(*agent, quoter.link, who));
    ComboState& combo = sim->combos_.at(quoter.combo);
    combo.watchers.push_back(agent.get());
    for (const pricing::LegTerms& leg : combo.terms.legs()) {
      sim->instruments_.at(leg.instrument).watchers.push_back(agent.get());
    }
    sim->venues_.at(quoter.venue).agents.push_back(agent.get());
    sim->agents_.push_back(std::move(agent));
  }
  std::map<core::VenueId, negotiation::NegotiationService*> services;
  for (const NegotiationLink& link : negotiation) {
    if (!sim->venues_.contains(link.venue)) {
      return absl::InvalidArgumentError(
          absl::StrCat("negotiation link: venue ", link.venue.value(), " is not given"));
    }
    if (link.service == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("negotiation link: venue ", link.venue.value(), " has no service"));
    }
    if (!services.emplace(link.venue, link.service).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("negotiation link: venue ", link.venue.value(), " linked twice"));
    }
  }
  if (!services.empty()) {
    // Offers may name any instrument (or combo of them): value every one the paths move.
    for (const auto& [id, instrument] : instruments->all()) {
      const std::string& underlying =
          instrument.underlying().empty() ? instrument.symbol() : instrument.underlying();
      if (sim->underlyings_.contains(underlying)) COMBO_RETURN_IF_ERROR(value(id, "negotiation"));
    }
  }
  std::set<std::string> accounts;
  for (size_t i = 0; i < cfg.negotiators.size(); ++i) {
    const NegotiatorConfig& negotiator = cfg.negotiators[i];
    const std::string who = absl::StrCat("negotiator ", i);
    auto service = services.find(negotiator.venue);
    if (service == services.end()) {
      return absl::InvalidArgumentError(absl::StrCat(who, ": venue ", negotiator.venue.value(),
                                                     " is not a linked negotiation venue"));
    }
    if (!negotiation::IsValidToken(negotiator.account)) {
      return absl::InvalidArgumentError(
          absl::StrCat(who, ": account '", negotiator.account, "' is not 1..32 of [A-Za-z0-9_.-]"));
    }
    if (negotiator.account.size() > 20) {
      return absl::InvalidArgumentError(absl::StrCat(who, ": account '", negotiator.account,
                                                     "' is longer than 20 (its offer ids grow)"));
    }
    if (!accounts.insert(negotiator.account).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(who, ": account '", negotiator.account, "' used twice"));
    }
    if (negotiator.min_edge_ticks < 0 || negotiator.max_edge_ticks < negotiator.min_edge_ticks ||
        negotiator.counter_band_ticks < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(who, ": edge [", negotiator.min_edge_ticks, ", ", negotiator.max_edge_ticks,
                       "] and counter band ", negotiator.counter_band_ticks,
                       " ticks must satisfy 0 <= min <= max and band >= 0"));
    }
    if (!negotiator.combo_tick.is_positive()) {
      return absl::InvalidArgumentError(absl::StrCat(who, ": combo tick must be positive"));
    }
    if (!negotiator.max_quantity.is_positive()) {
      return absl::InvalidArgumentError(absl::StrCat(who, ": max quantity must be positive"));
    }
    if (negotiator.min_think_time < core::Duration::Zero() ||
        negotiator.max_think_time < negotiator.min_think_time) {
      return absl::InvalidArgumentError(
          absl::StrCat(who, ": think times must satisfy 0 <= min <= max"));
    }
    if (negotiator.counter_timeout_seconds < 1 ||
        negotiator.counter_timeout_seconds > negotiation::kMaxTimeoutSeconds) {
      return absl::InvalidArgumentError(absl::StrCat(who, ": counter timeout ",
                                                     negotiator.counter_timeout_seconds,
                                                     " s is not in [1, 86400]"));
    }
    auto state = std::make_unique<Negotiator>();
    state->config = negotiator;
    state->index = i;
    state->rng = root.Fork();
    state->service = service->second;
    negotiation::SimulatedParticipantConfig participant;
    participant.account = core::AccountId(negotiator.account);
    participant.min_think_time = negotiator.min_think_time;
    participant.max_think_time = negotiator.max_think_time;
    participant.counter_timeout_seconds = negotiator.counter_timeout_seconds;
    participant.seed = root.NextU64();
    state->participant = std::make_unique<negotiation::SimulatedParticipant>(
        *scheduler, *service->second, std::move(participant));
    MarketSimulator* raw = sim.get();
    Negotiator* self = state.get();
    state->participant->SetOfferJudge(
        [raw, self](const negotiation::Message& offer) { return raw->Answer(*self, offer); });
    state->participant->SetMessageHook(
        [raw, self](negotiation::MessageDirection direction, const negotiation::Message& message) {
          raw->LogNegotiationMessage(*self, direction, message);
        });
    sim->negotiators_.push_back(std::move(state));
  }
  for (size_t i = 0; i < cfg.script.size(); ++i) {
    absl::Status status = sim->CheckEvent(cfg.script[i]);
    if (!status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("scripted event ", i, ": ", status.message()));
    }
    if (cfg.script[i].at < core::Duration::Zero()) {
      return absl::InvalidArgumentError(
          absl::StrCat("scripted event ", i, ": negative offset ", cfg.script[i].at.ToString()));
    }
  }
  for (auto& [name, underlying] : sim->underlyings_) sim->Revalue(underlying);
  sim->agent_rng_ = root.Fork();
  // Resting traders draw their streams last, so adding them changes no other agent's draws.
  for (size_t i = 0; i < cfg.resting_traders.size(); ++i) {
    const RestingTraderConfig& trader = cfg.resting_traders[i];
    const std::string who = absl::StrCat("resting trader ", i);
    COMBO_ASSIGN_OR_RETURN(Venue * venue, venue_of(trader.venue, who));
    if (absl::Status status = ValidateRestingTraderValues(trader); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(who, ": ", status.message()));
    }
    for (core::InstrumentId instrument : trader.instruments) {
      if (!venue->Lists(instrument)) {
        return absl::InvalidArgumentError(absl::StrCat(who, ": venue ", trader.venue.value(),
                                                       " does not list instrument ",
                                                       instrument.value()));
      }
      COMBO_RETURN_IF_ERROR(value(instrument, who));
    }
    for (core::ComboId combo : trader.combos) {
      if (!venue->TradesNatively(combo)) {
        return absl::InvalidArgumentError(absl::StrCat(who, ": venue ", trader.venue.value(),
                                                       " does not trade combo ", combo.value()));
      }
      const core::ComboSpec* spec = combos->Find(combo);
      if (spec == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat(who, ": combo ", combo.value(), " is not in the catalog"));
      }
      if (!sim->combos_.contains(combo)) {
        COMBO_ASSIGN_OR_RETURN(pricing::ComboTerms terms,
                               pricing::ComboTerms::Create(*spec, *instruments));
        for (const pricing::LegTerms& leg : terms.legs()) {
          COMBO_RETURN_IF_ERROR(value(leg.instrument, who));
        }
        sim->combos_.emplace(combo, ComboState{std::move(terms), {}});
      }
    }
    auto agent = std::make_unique<RestingTrader>(sim.get(), core::ParticipantId(next_participant++),
                                                 trader, root.Fork());
    sim->venues_.at(trader.venue).agents.push_back(agent.get());
    sim->agents_.push_back(std::move(agent));
  }
  COMBO_RETURN_IF_ERROR(sim->AddCboDesks(cbo, root, next_participant));
  return sim;
}

absl::Status MarketSimulator::Value(core::InstrumentId id, std::string_view who) {
  if (instruments_.contains(id)) return absl::OkStatus();
  const core::Instrument* instrument = catalog_->Find(id);
  if (instrument == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(core::AsAbsl(who), ": instrument ", id.value(), " is not in the catalog"));
  }
  const std::string& underlying =
      instrument->underlying().empty() ? instrument->symbol() : instrument->underlying();
  auto found = underlyings_.find(underlying);
  if (found == underlyings_.end()) {
    return absl::InvalidArgumentError(absl::StrCat(core::AsAbsl(who), ": underlying ", underlying,
                                                   " of ", instrument->symbol(),
                                                   " has no process"));
  }
  found->second.instruments.push_back(id);
  InstrumentState& state =
      instruments_.emplace(id, InstrumentState{instrument, underlying, 0.0, {}}).first->second;
  Price(state, found->second, scheduler_->Now());
  return absl::OkStatus();
}

absl::Status MarketSimulator::CheckMaker(const MarketMakerConfig& maker,
                                         std::string_view who_view) const {
  const std::string who(who_view);
  auto slot = venues_.find(maker.venue);
  if (slot == venues_.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat(who, ": venue ", maker.venue.value(), " is not given"));
  }
  if (!slot->second.venue->Lists(maker.instrument)) {
    return absl::InvalidArgumentError(absl::StrCat(who, ": venue ", maker.venue.value(),
                                                   " does not list instrument ",
                                                   maker.instrument.value()));
  }
  const core::Instrument* instrument = catalog_->Find(maker.instrument);
  if (instrument == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(who, ": instrument ", maker.instrument.value(), " is not in the catalog"));
  }
  const std::string& underlying =
      instrument->underlying().empty() ? instrument->symbol() : instrument->underlying();
  if (!underlyings_.contains(underlying)) {
    return absl::InvalidArgumentError(absl::StrCat(who, ": underlying ", underlying, " of ",
                                                   instrument->symbol(), " has no process"));
  }
  COMBO_RETURN_IF_ERROR(CheckSpread(maker.min_half_spread_ticks, maker.max_half_spread_ticks, who));
  COMBO_RETURN_IF_ERROR(CheckDelay(maker.requote_delay, maker.requote_jitter, who));
  if (!maker.quantity.is_positive()) {
    return absl::InvalidArgumentError(absl::StrCat(who, ": quantity must be positive"));
  }
  return CheckLink(maker.link, who);
}

absl::Status MarketSimulator::CheckLink(const ParticipantLink& link, std::string_view who) const {
  if (link.fixed < core::Duration::Zero() || link.jitter < core::Duration::Zero() ||
      link.probe_interval < core::Duration::Zero()) {
    return absl::InvalidArgumentError(
        absl::StrCat(core::AsAbsl(who), ": link latency ", link.fixed.ToString(), " + jitter ",
                     link.jitter.ToString(), " and probe interval ", link.probe_interval.ToString(),
                     " must not be negative"));
  }
  return absl::OkStatus();
}

absl::Status MarketSimulator::Equip(Agent& agent, const ParticipantLink& link,
                                    std::string_view who) {
  COMBO_RETURN_IF_ERROR(CheckLink(link, who));
  agent.SetLink(link, link_rng_.Fork());
  // Only an embedded exchange runs latency protection (the one downcast of a venue here: the
  // probe protocol is SimulatedVenue's, not every Venue's).
  auto* simulated = dynamic_cast<SimulatedVenue*>(venues_.at(agent.venue_id()).venue);
  if (simulated == nullptr || simulated->latency_guard() == nullptr ||
      link.probe_interval <= core::Duration::Zero()) {
    return absl::OkStatus();
  }
  LatencyProbeConfig probe;
  probe.participant = agent.id();
  probe.test_instrument = simulated->config().latency_protection.test_instrument;
  probe.interval = link.probe_interval;
  probe.metrics = config_.metrics;
  probe.venue_name = std::string(simulated->name());
  probe.submitter = link.group.empty() ? std::string("simulation") : link.group;
  COMBO_ASSIGN_OR_RETURN(std::unique_ptr<LatencyProbe> created,
                         LatencyProbe::Create(std::move(probe), scheduler_, &agent));
  agent.SetProbe(std::move(created), simulated);
  return absl::OkStatus();
}

absl::Status MarketSimulator::AddListings(
    const std::vector<MarketMakerConfig>& makers,
    const std::vector<std::pair<size_t, core::InstrumentId>>& takers) {
  for (size_t i = 0; i < makers.size(); ++i) {
    COMBO_RETURN_IF_ERROR(CheckMaker(makers[i], absl::StrCat("new market maker ", i)));
  }
  for (const auto& [index, instrument] : takers) {
    if (index >= takers_.size()) {
      return absl::InvalidArgumentError(absl::StrCat("taker ", index, " does not exist"));
    }
    const TakerConfig& taker = takers_[index]->config();
    if (!venues_.at(taker.venue).venue->Lists(instrument)) {
      return absl::InvalidArgumentError(
          absl::StrCat("taker ", index, ": venue ", taker.venue.value(),
                       " does not list instrument ", instrument.value()));
    }
  }
  if (uint64_t{config_.first_participant_id} + agents_.size() + makers.size() > UINT32_MAX) {
    return absl::InvalidArgumentError("market simulator participant ids overflow");
  }
  for (const MarketMakerConfig& maker : makers) {
    // Checked above: the instrument is known and its underlying simulated.
    (void)Value(maker.instrument, "new market maker");
    const core::ParticipantId id(
        static_cast<uint32_t>(config_.first_participant_id + agents_.size()));
    auto agent = std::make_unique<MarketMaker>(this, id, maker, agent_rng_.Fork());
    // Checked above (CheckMaker checks the link); a probe's metrics were declared at Create.
    (void)Equip(*agent, maker.link, "new market maker");
    MarketMaker* raw = agent.get();
    instruments_.at(maker.instrument).watchers.push_back(raw);
    venues_.at(maker.venue).agents.push_back(raw);
    agents_.push_back(std::move(agent));
    config_.market_makers.push_back(maker);
    if (started_ && !stopped_) {
      // A venue refuses a connection only for a null listener.
      (void)venues_.at(maker.venue).venue->Connect(id, raw);
      raw->Start();
      // A venue refuses a latency session only for a null listener or without protection.
      (void)raw->StartProbe();
    }
  }
  for (const auto& [index, instrument] : takers) {
    takers_[index]->AddInstrument(instrument);
    config_.takers[index].instruments.push_back(instrument);
  }
  return absl::OkStatus();
}

void MarketSimulator::Price(InstrumentState& state, const UnderlyingState& underlying,
                            core::Timestamp now) {
  const UnderlyingProcessConfig& process = underlying.process.config();
  const pricing::UnderlyingParameters parameters{
      std::max(process.volatility, kMinValuationVolatility), config_.rate};
  absl::StatusOr<double> fair =
      market_sim::FairValue(*state.instrument, underlying.process.price(), parameters, now);
  // Keeps the last value if the path ever leaves the representable range.
  if (fair.ok()) state.fair = *fair;
}

absl::Status MarketSimulator::Start() {
  if (started_) return absl::FailedPreconditionError("market simulator already started");
  for (auto& agent : agents_) {
    COMBO_RETURN_IF_ERROR(venues_.at(agent->venue_id()).venue->Connect(agent->id(), agent.get()));
  }
  for (auto& [id, slot] : venues_) COMBO_RETURN_IF_ERROR(slot.venue->Subscribe(this));
  for (auto& negotiator : negotiators_) COMBO_RETURN_IF_ERROR(negotiator->participant->Start());
  started_ = true;
  for (auto& agent : agents_) agent->Start();
  for (auto& agent : agents_) COMBO_RETURN_IF_ERROR(agent->StartProbe());
  step_timer_ = Schedule(config_.step, [this]() { StepUnderlyings(); });
  for (const ScriptedEvent& event : config_.script) {
    script_timers_.push_back(Schedule(event.at, [this, event]() { (void)Apply(event); }));
  }
  return absl::OkStatus();
}

void MarketSimulator::Stop() {
  stopped_ = true;
  for (auto& agent : agents_) agent->StopAgent();
  if (step_timer_.valid()) scheduler_->Cancel(step_timer_);
  step_timer_ = core::TimerId{};
  for (core::TimerId timer : script_timers_) scheduler_->Cancel(timer);
  script_timers_.clear();
}

core::TimerId MarketSimulator::Schedule(core::Duration delay,
                                        absl::AnyInvocable<void() &&> callback) {
  return scheduler_->ScheduleAfter(
      delay, [alive = std::weak_ptr<bool>(alive_), this, callback = std::move(callback)]() mutable {
        std::shared_ptr<bool> live = alive.lock();
        if (!live || !*live || stopped_) return;
        std::move(callback)();
      });
}

void MarketSimulator::Send(VenueSlot& slot, absl::AnyInvocable<void() &&> send) {
  const core::Timestamp now = scheduler_->Now();
  if (now < slot.spike_until) {
    // The link to the venue is slow: the message leaves late, behind the spike.
    Schedule(slot.extra_latency, std::move(send));
    return;
  }
  std::move(send)();
}

void MarketSimulator::StepUnderlyings() {
  step_timer_ = Schedule(config_.step, [this]() { StepUnderlyings(); });
  ++stats_.underlying_steps;
  for (auto& [name, underlying] : underlyings_) {
    stats_.jumps += underlying.process.Step(config_.step, process_rng_);
    Revalue(underlying);
  }
}

void MarketSimulator::Revalue(UnderlyingState& underlying) {
  const core::Timestamp now = scheduler_->Now();
  log_.Begin(LogKind::kUnderlyingMove);
  log_.Add(static_cast<uint64_t>(std::llround(underlying.process.price() * 1e6)));
  log_.Add(now.unix_nanos());
  std::set<Agent*> told;
  for (core::InstrumentId id : underlying.instruments) {
    InstrumentState& state = instruments_.at(id);
    Price(state, underlying, now);
    for (Agent* agent : state.watchers) told.insert(agent);
  }
  if (!started_) return;
  // Agents hear of a move once per step, in creation order (the set is ordered by address, so
  // order by position in agents_ instead to stay deterministic across runs).
  for (auto& agent : agents_) {
    if (told.contains(agent.get())) agent->OnFairValueChanged();
  }
}

double MarketSimulator::ComboFair(const ComboState& combo) const {
  double net = 0;
  for (const pricing::LegTerms& leg : combo.terms.legs()) {
    const double fair = instruments_.at(leg.instrument).fair;
    const double signed_weight = static_cast<double>(leg.weight);
    net += leg.side == core::Side::kBuy ? signed_weight * fair : -signed_weight * fair;
  }
  return net;
}

std::optional<double> MarketSimulator::UnderlyingPrice(std::string_view underlying) const {
  auto found = underlyings_.find(underlying);
  if (found == underlyings_.end()) return std::nullopt;
  return found->second.process.price();
}

std::optional<double> MarketSimulator::FairValue(core::InstrumentId instrument) const {
  auto found = instruments_.find(instrument);
  if (found == instruments_.end()) return std::nullopt;
  return found->second.fair;
}

std::optional<double> MarketSimulator::FairNetPrice(core::ComboId combo) const {
  auto found = combos_.find(combo);
  if (found == combos_.end()) return std::nullopt;
  return ComboFair(found->second);
}

core::TopOfBook MarketSimulator::LastTop(core::VenueId venue, core::InstrumentId instrument) const {
  auto found = tops_.find(std::make_pair(venue, instrument));
  return found == tops_.end() ? core::TopOfBook{} : found->second;
}

core::TopOfBook MarketSimulator::LastNativeTop(core::VenueId venue, core::ComboId combo) const {
  auto found = native_tops_.find(std::make_pair(venue, combo));
  return found == native_tops_.end() ? core::TopOfBook{} : found->second;
}

core::TopOfBook MarketSimulator::LastLegsImpliedTop(core::VenueId venue,
                                                    core::ComboId combo) const {
  auto found = legs_implied_tops_.find(std::make_pair(venue, combo));
  return found == legs_implied_tops_.end() ? core::TopOfBook{} : found->second;
}

bool MarketSimulator::halted(core::VenueId venue) const {
  auto found = venues_.find(venue);
  return found != venues_.end() && found->second.state == VenueState::kHalted;
}

void MarketSimulator::OnLegBookUpdate(const core::LegBookUpdate& update) {
  ++stats_.market_data_updates;
  log_.Begin(LogKind::kLegBookUpdate);
  log_.Add(uint64_t{update.venue.value()});
  log_.Add(uint64_t{update.instrument.value()});
  log_.Add(update.sequence);
  log_.Add(Word(update.side));
  log_.Add(update.price.raw());
  log_.Add(update.quantity.value());
  log_.Add(update.time.unix_nanos());
  tops_[std::make_pair(update.venue, update.instrument)] = update.top;
}

void MarketSimulator::OnNativeComboUpdate(const core::NativeComboUpdate& update) {
  ++stats_.market_data_updates;
  log_.Begin(LogKind::kNativeComboUpdate);
  log_.Add(uint64_t{update.venue.value()});
  log_.Add(uint64_t{update.combo.value()});
  log_.Add(update.sequence);
  log_.Add(update.top.bid.has_value() ? update.top.bid->price.raw() : 0);
  log_.Add(update.top.ask.has_value() ? update.top.ask->price.raw() : 0);
  log_.Add(update.time.unix_nanos());
  native_tops_[std::make_pair(update.venue, update.combo)] = update.top;
  legs_implied_tops_[std::make_pair(update.venue, update.combo)] = update.legs_implied;
}

void MarketSimulator::OnTradePrint(const core::TradePrint& print) {
  ++stats_.market_data_updates;
  log_.Begin(LogKind::kTradePrint);
  log_.Add(uint64_t{print.venue.value()});
  log_.Add(uint64_t{print.instrument.value()});
  log_.Add(print.sequence);
  log_.Add(print.price.raw());
  log_.Add(print.quantity.value());
  log_.Add(Word(print.aggressor));
  log_.Add(print.time.unix_nanos());
  log_.Add(static_cast<uint64_t>(print.kind));
}

void MarketSimulator::OnComboTradePrint(const core::ComboTradePrint& print) {
  ++stats_.market_data_updates;
  log_.Begin(LogKind::kComboTradePrint);
  log_.Add(uint64_t{print.venue.value()});
  log_.Add(uint64_t{print.combo.value()});
  log_.Add(print.sequence);
  log_.Add(print.net_price.raw());
  log_.Add(print.units.value());
  for (const core::ComboPrintLeg& leg : print.legs) {
    log_.Add(uint64_t{leg.instrument.value()});
    log_.Add(leg.price.raw());
    log_.Add(leg.quantity.value());
  }
  log_.Add(Word(print.aggressor));
  log_.Add(print.time.unix_nanos());
  log_.Add(static_cast<uint64_t>(print.kind));
}

}  // namespace combo::venues::market_sim
