#include "venues/market_sim/market_simulator.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/rounding.h"
#include "core/status.h"
#include "venues/market_sim/fair_value.h"
#include "venues/negotiation/instrument_text.h"
#include "venues/negotiation/protocol.h"

namespace combo::venues::market_sim {
namespace {

// Black-Scholes needs a positive volatility; a zero-volatility path is valued with this one.
constexpr double kMinValuationVolatility = 0.01;
// Doubles beyond this cannot become a core::Price (int64 at 1e-9).
constexpr double kMaxPriceMagnitude = 9.0e9;

// `value` rounded to a multiple of `tick` in the direction of `mode`; nullopt if it cannot be
// represented.
std::optional<core::Price> ToTick(double value, core::Price tick, core::RoundingMode mode) {
  if (!std::isfinite(value) || std::fabs(value) > kMaxPriceMagnitude) return std::nullopt;
  const core::Price raw = core::Price::FromRaw(std::llround(value * core::Price::kScale));
  absl::StatusOr<core::Price> rounded = raw.RoundToTick(tick, mode);
  if (!rounded.ok()) return std::nullopt;
  return *rounded;
}

core::Duration Jittered(core::Duration fixed, core::Duration jitter, core::Rng& rng) {
  if (jitter.nanoseconds() <= 0) return fixed;
  return fixed + core::Duration::Nanoseconds(rng.UniformInt(0, jitter.nanoseconds()));
}

uint64_t Word(core::Side side) { return side == core::Side::kBuy ? 1 : 2; }

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
  }
  return "unknown";
}

// ---------------------------------------------------------------------------------------------
// Agents: one participant each, at one venue.

class MarketSimulator::Agent : public VenueListener {
 public:
  Agent(MarketSimulator* sim, core::ParticipantId id, core::VenueId venue, core::Rng rng)
      : sim_(sim), id_(id), venue_id_(venue), rng_(rng) {}
  ~Agent() override = default;

  core::ParticipantId id() const { return id_; }
  core::VenueId venue_id() const { return venue_id_; }

  // Called once after the agent connected.
  virtual void Start() = 0;
  // A fair value the agent watches moved.
  virtual void OnFairValueChanged() {}
  // The venue halted or resumed, or quotes were pulled or restored (`instrument` absent: all).
  virtual void OnPull(std::optional<core::InstrumentId> /*instrument*/, bool /*pulled*/) {}
  virtual void OnVenueState() {}
  virtual void StopAgent() { CancelTimer(); }

  void OnAck(const OrderAcked& event) override {
    EventLog& log = sim_->log_;
    log.Begin(LogKind::kAck);
    log.Add(uint64_t{id_.value()});
    log.Add(event.order_id.value());
    log.Add(static_cast<uint64_t>(event.request));
    log.Add(event.time.unix_nanos());
  }
  void OnReject(const OrderRejected& event) override {
    ++sim_->stats_.rejects;
    EventLog& log = sim_->log_;
    log.Begin(LogKind::kReject);
    log.Add(uint64_t{id_.value()});
    log.Add(event.order_id.value());
    log.Add(static_cast<uint64_t>(event.request));
    log.Add(static_cast<uint64_t>(event.code));
    log.Add(event.time.unix_nanos());
    if (log.keeps_lines()) {
      log.Describe(absl::StrCat(event.time.ToString(), " reject p", id_.value(), " o",
                                event.order_id.value(), " ", event.reason));
    }
    HandleReject(event);
  }
  void OnFill(const Fill& event) override {
    ++sim_->stats_.fills;
    EventLog& log = sim_->log_;
    log.Begin(LogKind::kFill);
    log.Add(uint64_t{id_.value()});
    log.Add(event.order_id.value());
    log.Add(uint64_t{event.instrument.value()});
    log.Add(Word(event.side));
    log.Add(event.price.raw());
    log.Add(event.quantity.value());
    log.Add(event.leaves_quantity.value());
    log.Add(event.execution_id);
    log.Add(event.time.unix_nanos());
    if (log.keeps_lines()) {
      log.Describe(absl::StrCat(event.time.ToString(), " fill p", id_.value(), " o",
                                event.order_id.value(), " i", event.instrument.value(), " ",
                                core::AsAbsl(core::ToString(event.side)), " ",
                                event.quantity.value(), "@", event.price.ToString()));
    }
    HandleFill(event.order_id, event.quantity, event.leaves_quantity);
  }
  void OnComplexFill(const ComplexFill& event) override {
    ++sim_->stats_.fills;
    EventLog& log = sim_->log_;
    log.Begin(LogKind::kComplexFill);
    log.Add(uint64_t{id_.value()});
    log.Add(event.order_id.value());
    log.Add(uint64_t{event.combo.value()});
    log.Add(Word(event.side));
    log.Add(event.net_price.raw());
    log.Add(event.quantity.value());
    log.Add(event.leaves_quantity.value());
    log.Add(event.execution_id);
    log.Add(event.time.unix_nanos());
    HandleFill(event.order_id, event.quantity, event.leaves_quantity);
  }
  void OnCancelled(const OrderCancelled& event) override {
    EventLog& log = sim_->log_;
    log.Begin(LogKind::kCancelled);
    log.Add(uint64_t{id_.value()});
    log.Add(event.order_id.value());
    log.Add(static_cast<uint64_t>(event.reason));
    log.Add(event.cancelled_quantity.value());
    log.Add(event.time.unix_nanos());
    HandleFinished(event.order_id);
  }
  void OnRestated(const OrderRestated& event) override {
    EventLog& log = sim_->log_;
    log.Begin(LogKind::kRestated);
    log.Add(uint64_t{id_.value()});
    log.Add(event.order_id.value());
    log.Add(event.limit_price.raw());
    log.Add(event.leaves_quantity.value());
    log.Add(event.time.unix_nanos());
  }

 protected:
  VenueSlot& slot() { return sim_->venues_.at(venue_id_); }
  bool venue_halted() { return slot().state == VenueState::kHalted; }
  core::OrderId NextOrderId() { return core::OrderId(next_order_id_++); }

  virtual void HandleReject(const OrderRejected& /*event*/) {}
  virtual void HandleFill(core::OrderId /*order*/, core::Quantity /*quantity*/,
                          core::Quantity /*leaves*/) {}
  virtual void HandleFinished(core::OrderId /*order*/) {}
  virtual void Requote() {}

  // Requotes after `fixed` + jitter unless a requote is already pending.
  void ScheduleRequote(core::Duration fixed, core::Duration jitter) {
    if (requote_timer_.valid()) return;
    requote_timer_ = sim_->Schedule(Jittered(fixed, jitter, rng_), [this]() {
      requote_timer_ = core::TimerId{};
      Requote();
    });
  }
  void CancelTimer() {
    if (requote_timer_.valid()) sim_->scheduler_->Cancel(requote_timer_);
    requote_timer_ = core::TimerId{};
  }

  void SendSubmit(const OrderRequest& request) {
    EventLog& log = sim_->log_;
    log.Begin(LogKind::kSubmit);
    log.Add(uint64_t{id_.value()});
    log.Add(request.order_id.value());
    log.Add(uint64_t{request.instrument.value()});
    log.Add(Word(request.side));
    log.Add(request.limit_price.raw());
    log.Add(request.quantity.value());
    log.Add(static_cast<uint64_t>(request.time_in_force));
    log.Add(sim_->scheduler_->Now().unix_nanos());
    ++sim_->stats_.orders_sent;
    MarketSimulator* sim = sim_;
    Venue* venue = slot().venue;
    sim_->Send(slot(), [sim, venue, request]() {
      if (!venue->Submit(request).ok()) ++sim->stats_.admission_errors;
    });
  }
  void SendSubmitComplex(const ComplexOrderRequest& request) {
    EventLog& log = sim_->log_;
    log.Begin(LogKind::kSubmitComplex);
    log.Add(uint64_t{id_.value()});
    log.Add(request.order_id.value());
    log.Add(uint64_t{request.combo.value()});
    log.Add(Word(request.side));
    log.Add(request.limit_price.raw());
    log.Add(request.quantity.value());
    log.Add(sim_->scheduler_->Now().unix_nanos());
    ++sim_->stats_.orders_sent;
    MarketSimulator* sim = sim_;
    Venue* venue = slot().venue;
    sim_->Send(slot(), [sim, venue, request]() {
      if (!venue->SubmitComplex(request).ok()) ++sim->stats_.admission_errors;
    });
  }
  void SendReplace(const ReplaceRequest& request) {
    EventLog& log = sim_->log_;
    log.Begin(LogKind::kReplace);
    log.Add(uint64_t{id_.value()});
    log.Add(request.order_id.value());
    log.Add(request.limit_price.raw());
    log.Add(request.total_quantity.value());
    log.Add(sim_->scheduler_->Now().unix_nanos());
    ++sim_->stats_.orders_sent;
    MarketSimulator* sim = sim_;
    Venue* venue = slot().venue;
    sim_->Send(slot(), [sim, venue, request]() {
      if (!venue->Replace(request).ok()) ++sim->stats_.admission_errors;
    });
  }
  void SendCancel(core::OrderId order) {
    EventLog& log = sim_->log_;
    log.Begin(LogKind::kCancel);
    log.Add(uint64_t{id_.value()});
    log.Add(order.value());
    log.Add(sim_->scheduler_->Now().unix_nanos());
    ++sim_->stats_.orders_sent;
    MarketSimulator* sim = sim_;
    Venue* venue = slot().venue;
    const CancelRequest request{id_, order};
    sim_->Send(slot(), [sim, venue, request]() {
      if (!venue->Cancel(request).ok()) ++sim->stats_.admission_errors;
    });
  }

  MarketSimulator* sim_;
  core::ParticipantId id_;
  core::VenueId venue_id_;
  core::Rng rng_;
  uint64_t next_order_id_ = 1;
  core::TimerId requote_timer_;
};

// One side of a two-sided quote: the order the agent currently works there, if any.
struct QuoteSide {
  std::optional<core::OrderId> order;
  core::Price price;
  core::Quantity filled;
};

// An agent that keeps a two-sided quote (a market maker's leg quote, a quoter's native combo
// quote): pulls and restores it, stops while its venue is halted, and requotes after fills.
class MarketSimulator::TwoSidedQuoter : public Agent {
 public:
  TwoSidedQuoter(MarketSimulator* sim, core::ParticipantId id, core::VenueId venue, core::Rng rng,
                 core::Duration requote_delay, core::Duration requote_jitter)
      : Agent(sim, id, venue, rng),
        requote_delay_(requote_delay),
        requote_jitter_(requote_jitter) {}

  void Start() override { RequoteLater(); }
  void OnFairValueChanged() override {
    if (!pulled_) RequoteLater();
  }
  void OnPull(std::optional<core::InstrumentId> instrument, bool pulled) override {
    if (!AnswersPull(instrument)) return;
    pulled_ = pulled;
    if (pulled) {
      CancelTimer();
      PullAll();
    } else {
      RequoteLater();
    }
  }
  void OnVenueState() override {
    if (venue_halted()) {
      CancelTimer();
      PullAll();
    } else if (!pulled_) {
      RequoteLater();
    }
  }

 protected:
  // Whether a pull of `instrument` (nullopt: the whole venue) concerns this quote.
  virtual bool AnswersPull(std::optional<core::InstrumentId> instrument) const = 0;

  void RequoteLater() { ScheduleRequote(requote_delay_, requote_jitter_); }
  void PullAll() {
    for (QuoteSide* side : {&bid_, &ask_}) {
      if (side->order.has_value()) SendCancel(*side->order);
      side->order.reset();
    }
  }
  QuoteSide* Find(core::OrderId order) {
    if (bid_.order == order) return &bid_;
    if (ask_.order == order) return &ask_;
    return nullptr;
  }
  void HandleFill(core::OrderId order, core::Quantity quantity, core::Quantity leaves) override {
    QuoteSide* side = Find(order);
    if (side == nullptr) return;
    side->filled += quantity;
    if (leaves.is_zero()) side->order.reset();
    // Replenish (and lean on the new fair value) after the usual delay.
    if (!pulled_) RequoteLater();
  }
  void HandleFinished(core::OrderId order) override {
    QuoteSide* side = Find(order);
    if (side == nullptr) return;
    side->order.reset();
    if (!pulled_ && !venue_halted()) RequoteLater();
  }

  QuoteSide bid_;
  QuoteSide ask_;
  bool pulled_ = false;

 private:
  core::Duration requote_delay_;
  core::Duration requote_jitter_;
};

class MarketSimulator::MarketMaker final : public TwoSidedQuoter {
 public:
  MarketMaker(MarketSimulator* sim, core::ParticipantId id, MarketMakerConfig config, core::Rng rng)
      : TwoSidedQuoter(sim, id, config.venue, rng, config.requote_delay, config.requote_jitter),
        config_(std::move(config)) {
    tick_ = sim->instruments_.at(config_.instrument).instrument->tick_size();
  }

 private:
  bool AnswersPull(std::optional<core::InstrumentId> instrument) const override {
    return !instrument.has_value() || *instrument == config_.instrument;
  }

  void Requote() override {
    if (pulled_ || venue_halted()) return;
    const double fair = sim_->instruments_.at(config_.instrument).fair;
    const int64_t half =
        rng_.UniformInt(config_.min_half_spread_ticks, config_.max_half_spread_ticks);
    const double half_spread = static_cast<double>(half) * tick_.ToDouble();
    // Bids round down and offers up, so a quote never sits inside the chosen spread.
    Quote(bid_, core::Side::kBuy, ToTick(fair - half_spread, tick_, core::RoundingMode::kDown));
    Quote(ask_, core::Side::kSell, ToTick(fair + half_spread, tick_, core::RoundingMode::kUp));
  }

  void Quote(QuoteSide& side, core::Side direction, std::optional<core::Price> target) {
    if (!target.has_value() || !target->is_positive()) {
      // No positive price to show on this side (a far out-of-the-money option's bid).
      if (side.order.has_value()) SendCancel(*side.order);
      side.order.reset();
      return;
    }
    if (!side.order.has_value()) {
      const core::OrderId order = NextOrderId();
      side = QuoteSide{order, *target, core::Quantity::Zero()};
      OrderRequest request;
      request.participant = id_;
      request.order_id = order;
      request.instrument = config_.instrument;
      request.side = direction;
      request.limit_price = *target;
      request.quantity = config_.quantity;
      request.time_in_force = TimeInForce::kGoodTillCancel;
      request.role = config_.role;
      SendSubmit(request);
      return;
    }
    if (side.price == *target) return;
    side.price = *target;
    SendReplace(ReplaceRequest{id_, *side.order, *target, side.filled + config_.quantity});
  }

  void HandleReject(const OrderRejected& event) override {
    // A rejected new order is gone; a rejected replace leaves the fills and cancels to say.
    if (event.request != RequestKind::kNew) return;
    if (QuoteSide* side = Find(event.order_id)) side->order.reset();
  }

  MarketMakerConfig config_;
  core::Price tick_;
};

class MarketSimulator::Taker final : public Agent {
 public:
  Taker(MarketSimulator* sim, core::ParticipantId id, TakerConfig config, core::Rng rng)
      : Agent(sim, id, config.venue, rng), config_(std::move(config)) {}

  void Start() override { ScheduleArrival(); }
  void StopAgent() override {
    Agent::StopAgent();
    if (arrival_timer_.valid()) sim_->scheduler_->Cancel(arrival_timer_);
    arrival_timer_ = core::TimerId{};
  }

 private:
  void ScheduleArrival() {
    const double seconds = rng_.Exponential(config_.arrivals_per_second);
    const auto gap =
        core::Duration::Nanoseconds(static_cast<int64_t>(std::min(seconds, 86400.0) * 1e9) + 1);
    arrival_timer_ = sim_->Schedule(gap, [this]() {
      arrival_timer_ = core::TimerId{};
      Arrive();
      ScheduleArrival();
    });
  }

  void Arrive() {
    const auto index = static_cast<size_t>(
        rng_.UniformInt(0, static_cast<int64_t>(config_.instruments.size()) - 1));
    const core::InstrumentId instrument = config_.instruments[index];
    const core::Side side = rng_.Bernoulli(0.5) ? core::Side::kBuy : core::Side::kSell;
    const core::Quantity quantity(
        rng_.UniformInt(config_.min_quantity.value(), config_.max_quantity.value()));
    if (venue_halted()) return;
    const core::TopOfBook top = sim_->LastTop(venue_id_, instrument);
    const std::optional<core::PriceLevel>& contra = side == core::Side::kBuy ? top.ask : top.bid;
    if (!contra.has_value()) return;
    OrderRequest request;
    request.participant = id_;
    request.order_id = NextOrderId();
    request.instrument = instrument;
    request.side = side;
    request.limit_price = contra->price;
    request.quantity = quantity;
    request.time_in_force = TimeInForce::kImmediateOrCancel;
    request.role = config_.role;
    SendSubmit(request);
  }

  TakerConfig config_;
  core::TimerId arrival_timer_;
};

class MarketSimulator::ComplexQuoter final : public TwoSidedQuoter {
 public:
  ComplexQuoter(MarketSimulator* sim, core::ParticipantId id, ComplexQuoterConfig config,
                core::Rng rng)
      : TwoSidedQuoter(sim, id, config.venue, rng, config.requote_delay, config.requote_jitter),
        config_(std::move(config)) {}

 private:
  bool AnswersPull(std::optional<core::InstrumentId> instrument) const override {
    // A quoter only answers a pull of the whole venue.
    return !instrument.has_value();
  }

  void Requote() override {
    if (pulled_ || venue_halted()) return;
    const double fair = sim_->ComboFair(sim_->combos_.at(config_.combo));
    const int64_t half =
        rng_.UniformInt(config_.min_half_spread_ticks, config_.max_half_spread_ticks);
    const double half_spread = static_cast<double>(half) * config_.net_tick.ToDouble();
    Quote(bid_, core::Side::kBuy,
          ToTick(fair - half_spread, config_.net_tick, core::RoundingMode::kDown));
    Quote(ask_, core::Side::kSell,
          ToTick(fair + half_spread, config_.net_tick, core::RoundingMode::kUp));
  }

  // Complex orders move by cancel and new order: a complex book need not support replace.
  void Quote(QuoteSide& side, core::Side direction, std::optional<core::Price> target) {
    if (side.order.has_value() && target.has_value() && side.price == *target) return;
    if (side.order.has_value()) SendCancel(*side.order);
    side.order.reset();
    if (!target.has_value()) return;
    const core::OrderId order = NextOrderId();
    side = QuoteSide{order, *target, core::Quantity::Zero()};
    ComplexOrderRequest request;
    request.participant = id_;
    request.order_id = order;
    request.combo = config_.combo;
    request.side = direction;
    request.limit_price = *target;
    request.quantity = config_.quantity;
    request.time_in_force = TimeInForce::kGoodTillCancel;
    request.role = config_.role;
    SendSubmitComplex(request);
  }

  void HandleReject(const OrderRejected& event) override {
    if (event.request != RequestKind::kNewComplex && event.request != RequestKind::kNew) return;
    if (QuoteSide* side = Find(event.order_id)) side->order.reset();
  }

  ComplexQuoterConfig config_;
};

// A negotiator: a simulated participant of the negotiation service whose answers come from the
// simulator (MarketSimulator::Answer), with its own edge stream.
struct MarketSimulator::Negotiator {
  NegotiatorConfig config;
  size_t index = 0;
  core::Rng rng{0};
  negotiation::NegotiationService* service = nullptr;
  std::unique_ptr<negotiation::SimulatedParticipant> participant;
};

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
    std::vector<NegotiationLink> negotiation) {
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
  const uint64_t agent_count =
      config.market_makers.size() + config.takers.size() + config.complex_quoters.size();
  if (uint64_t{config.first_participant_id} + agent_count > UINT32_MAX) {
    return absl::InvalidArgumentError("market simulator participant ids overflow");
  }
  // The simulator's own random streams: the paths first, then one per agent in config order.
  core::Rng root(config.seed);
  auto sim = std::unique_ptr<MarketSimulator>(new MarketSimulator(std::move(config), scheduler));
  sim->catalog_ = instruments;
  sim->process_rng_ = root.Fork();
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
  // Values an instrument (once): it must be known and its underlying simulated.
  auto value = [&](core::InstrumentId id, std::string_view who) -> absl::Status {
    if (sim->instruments_.contains(id)) return absl::OkStatus();
    const core::Instrument* instrument = instruments->Find(id);
    if (instrument == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(core::AsAbsl(who), ": instrument ", id.value(), " is not in the catalog"));
    }
    const std::string& underlying =
        instrument->underlying().empty() ? instrument->symbol() : instrument->underlying();
    auto found = sim->underlyings_.find(underlying);
    if (found == sim->underlyings_.end()) {
      return absl::InvalidArgumentError(absl::StrCat(core::AsAbsl(who), ": underlying ", underlying,
                                                     " of ", instrument->symbol(),
                                                     " has no process"));
    }
    found->second.instruments.push_back(id);
    sim->instruments_.emplace(id, InstrumentState{instrument, underlying, 0.0, {}});
    return absl::OkStatus();
  };
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
    COMBO_ASSIGN_OR_RETURN(Venue * venue, venue_of(maker.venue, who));
    if (!venue->Lists(maker.instrument)) {
      return absl::InvalidArgumentError(absl::StrCat(who, ": venue ", maker.venue.value(),
                                                     " does not list instrument ",
                                                     maker.instrument.value()));
    }
    COMBO_RETURN_IF_ERROR(value(maker.instrument, who));
    COMBO_RETURN_IF_ERROR(
        CheckSpread(maker.min_half_spread_ticks, maker.max_half_spread_ticks, who));
    COMBO_RETURN_IF_ERROR(CheckDelay(maker.requote_delay, maker.requote_jitter, who));
    if (!maker.quantity.is_positive()) {
      return absl::InvalidArgumentError(absl::StrCat(who, ": quantity must be positive"));
    }
    auto agent = std::make_unique<MarketMaker>(sim.get(), core::ParticipantId(next_participant++),
                                               maker, root.Fork());
    sim->instruments_.at(maker.instrument).watchers.push_back(agent.get());
    sim->venues_.at(maker.venue).agents.push_back(agent.get());
    sim->agents_.push_back(std::move(agent));
  }
  for (size_t i = 0; i < cfg.takers.size(); ++i) {
    const TakerConfig& taker = cfg.takers[i];
    const std::string who = absl::StrCat("taker ", i);
    COMBO_ASSIGN_OR_RETURN(Venue * venue, venue_of(taker.venue, who));
    if (taker.instruments.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(who, ": no instruments"));
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
    sim->venues_.at(taker.venue).agents.push_back(agent.get());
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
  return sim;
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
  return absl::OkStatus();
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
  const UnderlyingProcessConfig& process = underlying.process.config();
  log_.Begin(LogKind::kUnderlyingMove);
  log_.Add(static_cast<uint64_t>(std::llround(underlying.process.price() * 1e6)));
  log_.Add(now.unix_nanos());
  const pricing::UnderlyingParameters parameters{
      std::max(process.volatility, kMinValuationVolatility), config_.rate};
  std::set<Agent*> told;
  for (core::InstrumentId id : underlying.instruments) {
    InstrumentState& state = instruments_.at(id);
    absl::StatusOr<double> fair =
        market_sim::FairValue(*state.instrument, underlying.process.price(), parameters, now);
    // Keeps the last value if the path ever leaves the representable range.
    if (fair.ok()) state.fair = *fair;
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

std::optional<double> MarketSimulator::FairValueOf(std::string_view offer_instrument) const {
  absl::StatusOr<negotiation::Tradable> tradable =
      negotiation::ResolveInstrument(offer_instrument, *catalog_);
  if (!tradable.ok()) return std::nullopt;
  if (tradable->instrument.has_value()) return FairValue(*tradable->instrument);
  absl::StatusOr<pricing::ComboTerms> terms =
      pricing::ComboTerms::Create(*tradable->combo, *catalog_);
  if (!terms.ok()) return std::nullopt;
  double net = 0;
  for (const pricing::LegTerms& leg : terms->legs()) {
    const std::optional<double> fair = FairValue(leg.instrument);
    if (!fair.has_value()) return std::nullopt;
    const double weight = static_cast<double>(leg.weight);
    net += leg.side == core::Side::kBuy ? weight * *fair : -weight * *fair;
  }
  return net;
}

negotiation::OfferResponse MarketSimulator::AnswerOffer(std::string_view account,
                                                        const negotiation::Message& offer) {
  for (auto& negotiator : negotiators_) {
    if (negotiator->config.account == account) return Answer(*negotiator, offer);
  }
  return {};
}

std::vector<const negotiation::SimulatedParticipant*> MarketSimulator::negotiators() const {
  std::vector<const negotiation::SimulatedParticipant*> all;
  for (const auto& negotiator : negotiators_) all.push_back(negotiator->participant.get());
  return all;
}

negotiation::OfferResponse MarketSimulator::Answer(Negotiator& negotiator,
                                                   const negotiation::Message& offer) {
  using negotiation::OfferAnswer;
  const NegotiatorConfig& config = negotiator.config;
  negotiation::OfferResponse response;
  // The edge is drawn for every answer, whatever it turns out to be, so the stream does not
  // depend on the market's state.
  const int64_t edge_ticks =
      negotiator.rng.UniformInt(config.min_edge_ticks, config.max_edge_ticks);
  ++stats_.negotiation_offers_answered;
  const std::optional<double> fair = FairValueOf(offer.instrument);
  const bool single_instrument = !offer.instrument.empty() && offer.instrument.front() != '[';
  core::Price tick = config.combo_tick;
  if (single_instrument) {
    absl::StatusOr<negotiation::Tradable> tradable =
        negotiation::ResolveInstrument(offer.instrument, *catalog_);
    if (tradable.ok() && tradable->instrument.has_value()) {
      tick = catalog_->Find(*tradable->instrument)->tick_size();
    }
  }
  if (fair.has_value() && !stopped_ && venues_.at(config.venue).state == VenueState::kOpen) {
    const double edge = static_cast<double>(edge_ticks) * tick.ToDouble();
    const double band = static_cast<double>(config.counter_band_ticks) * tick.ToDouble();
    // The offer sells: we would buy, at most at fair - edge; and mirror.
    const bool we_buy = offer.side == core::Side::kSell;
    const std::optional<core::Price> ours =
        we_buy ? ToTick(*fair - edge, tick, core::RoundingMode::kDown)
               : ToTick(*fair + edge, tick, core::RoundingMode::kUp);
    const std::optional<core::Price> band_edge =
        we_buy ? ToTick(*fair + band, tick, core::RoundingMode::kUp)
               : ToTick(*fair - band, tick, core::RoundingMode::kDown);
    if (ours.has_value() && band_edge.has_value()) {
      const bool acceptable = we_buy ? offer.price <= *ours : offer.price >= *ours;
      const bool near = we_buy ? offer.price <= *band_edge : offer.price >= *band_edge;
      // The crowd's own counters are taken when good enough, never countered: two negotiators
      // would otherwise answer each other's counters back and forth.
      const bool from_crowd = crowd_offers_.contains(offer.id);
      if (acceptable && offer.quantity <= config.max_quantity) {
        response.answer = OfferAnswer::kAccept;
      } else if ((acceptable || near) && !from_crowd &&
                 (!single_instrument || ours->is_positive())) {
        response.answer = OfferAnswer::kCounter;
        response.price = *ours;
        response.quantity = std::min(offer.quantity, config.max_quantity);
      }
    }
  }
  switch (response.answer) {
    case OfferAnswer::kAccept:
      ++stats_.negotiation_accepts;
      break;
    case OfferAnswer::kCounter:
      ++stats_.negotiation_counters;
      break;
    case OfferAnswer::kDecline:
      ++stats_.negotiation_declines;
      break;
  }
  log_.Begin(LogKind::kNegotiationAnswer);
  log_.Add(uint64_t{negotiator.index});
  log_.AddString(offer.id);
  log_.Add(static_cast<uint64_t>(response.answer));
  log_.Add(response.price.raw());
  log_.Add(response.quantity.value());
  log_.Add(scheduler_->Now().unix_nanos());
  if (log_.keeps_lines()) {
    log_.Describe(absl::StrCat(scheduler_->Now().ToString(), " negotiator ", config.account, " ",
                               core::AsAbsl(negotiation::ToString(response.answer)), " #", offer.id,
                               " ", offer.instrument, " @", offer.price.ToString(),
                               response.answer == OfferAnswer::kCounter
                                   ? absl::StrCat(" with ", response.price.ToString())
                                   : std::string()));
  }
  return response;
}

void MarketSimulator::LogNegotiationMessage(const Negotiator& negotiator,
                                            negotiation::MessageDirection direction,
                                            const negotiation::Message& message) {
  if (direction == negotiation::MessageDirection::kSent &&
      message.type == negotiation::MessageType::kOffer) {
    crowd_offers_.insert(message.id);
  } else if (message.type == negotiation::MessageType::kExpired ||
             message.type == negotiation::MessageType::kWithdrawn) {
    crowd_offers_.erase(message.id);
  }
  log_.Begin(LogKind::kNegotiationMessage);
  log_.Add(uint64_t{negotiator.index});
  log_.Add(static_cast<uint64_t>(direction));
  log_.Add(static_cast<uint64_t>(message.type));
  log_.AddString(message.id);
  log_.Add(Word(message.side));
  log_.Add(message.quantity.value());
  log_.AddString(message.instrument);
  log_.Add(message.price.raw());
  log_.Add(message.timeout_seconds);
  log_.AddString(message.counterparty);
  log_.AddString(message.code);
  log_.Add(scheduler_->Now().unix_nanos());
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
      slot.state =
          event.kind == ScriptedEventKind::kHaltVenue ? VenueState::kHalted : VenueState::kOpen;
      if (venue_state_hook_) venue_state_hook_(event.venue, slot.state);
      for (Agent* agent : slot.agents) agent->OnVenueState();
      break;
    }
    case ScriptedEventKind::kLatencySpike: {
      VenueSlot& slot = venues_.at(event.venue);
      slot.spike_until = scheduler_->Now() + event.spike_length;
      slot.extra_latency = event.extra_latency;
      break;
    }
  }
  return absl::OkStatus();
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
}

}  // namespace combo::venues::market_sim
