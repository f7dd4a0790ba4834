// The market simulator's agents (venues/market_sim/market_simulator.h): each one participant at
// one venue, trading only through venues::Venue. Market makers quote a leg two-sided around
// fair value, takers hit the best quote with IOC orders at Poisson arrivals, complex quoters
// rest a native combo two-sided; negotiators (answered in negotiators.cc) are participants of a
// negotiation service. Private to venues/market_sim/: nested classes of MarketSimulator, so
// they reach its state (fair values, last tops, venue slots, log, stats).
//
// Not thread-safe: they live with their simulator, on its Scheduler's thread.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "venues/market_sim/market_simulator.h"
#include "venues/market_sim/sim_values.h"
#include "venues/simulated_venue.h"

namespace combo::venues::market_sim {

// ---------------------------------------------------------------------------------------------
// Agents: one participant each, at one venue.

// Every agent sends through its own link (ParticipantLink: its latency, in order) and, at a
// venue running latency protection, runs a latency probe whose test orders and reports cross
// that link too; the probe hears the venue's answers through the agent.
class MarketSimulator::Agent : public VenueListener,
                               public LatencyProbeTarget,
                               public LatencyListener {
 public:
  Agent(MarketSimulator* sim, core::ParticipantId id, core::VenueId venue, core::Rng rng)
      : sim_(sim), id_(id), venue_id_(venue), rng_(rng) {}
  ~Agent() override = default;

  core::ParticipantId id() const { return id_; }
  core::VenueId venue_id() const { return venue_id_; }
  const LatencyProbe* probe() const { return probe_.get(); }

  // MarketSimulator::Equip: the link's latency and stream; the probe and its venue, if any.
  void SetLink(const ParticipantLink& link, core::Rng link_rng) {
    link_ = link;
    link_rng_ = link_rng;
  }
  void SetProbe(std::unique_ptr<LatencyProbe> probe, SimulatedVenue* venue) {
    probe_ = std::move(probe);
    probe_venue_ = venue;
  }
  // Opens the latency session and starts probing (after the agent connected and started).
  absl::Status StartProbe() {
    if (probe_ == nullptr) return absl::OkStatus();
    if (absl::Status status = probe_venue_->ConnectLatency(id_, this); !status.ok()) return status;
    probe_->Start();
    return absl::OkStatus();
  }

  // LatencyProbeTarget: the probe's messages cross the agent's link like its orders.
  absl::Status SubmitTestOrder(const TestOrder& order) override {
    ++sim_->stats_.probes_sent;
    MarketSimulator* sim = sim_;
    SimulatedVenue* venue = probe_venue_;
    SendToVenue([sim, venue, order]() {
      if (!venue->SubmitTestOrder(order).ok()) ++sim->stats_.admission_errors;
    });
    return absl::OkStatus();
  }
  absl::Status ReportLatency(core::ParticipantId participant, core::Duration round_trip) override {
    MarketSimulator* sim = sim_;
    SimulatedVenue* venue = probe_venue_;
    SendToVenue([sim, venue, participant, round_trip]() {
      if (!venue->ReportLatency(participant, round_trip).ok()) ++sim->stats_.admission_errors;
    });
    return absl::OkStatus();
  }
  // LatencyListener: the venue's answers, to the probe.
  void OnTestOrderAccepted(const TestOrderAccepted& event) override {
    ++sim_->stats_.probes_answered;
    if (probe_ != nullptr) probe_->OnTestOrderAccepted(event);
  }
  void OnLatencyReport(const LatencyReport& event) override {
    if (probe_ != nullptr) probe_->OnLatencyReport(event);
  }

  // Called once after the agent connected.
  virtual void Start() = 0;
  // A fair value the agent watches moved.
  virtual void OnFairValueChanged() {}
  // The venue halted or resumed, or quotes were pulled or restored (`instrument` absent: all).
  virtual void OnPull(std::optional<core::InstrumentId> /*instrument*/, bool /*pulled*/) {}
  virtual void OnVenueState() {}
  virtual void StopAgent() {
    CancelTimer();
    if (probe_ != nullptr) probe_->Stop();
  }

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
    HandleRestated(event);
  }

 protected:
  VenueSlot& slot() { return sim_->venues_.at(venue_id_); }
  bool venue_halted() { return slot().state == VenueState::kHalted; }
  core::OrderId NextOrderId() { return core::OrderId(next_order_id_++); }

  virtual void HandleReject(const OrderRejected& /*event*/) {}
  virtual void HandleFill(core::OrderId /*order*/, core::Quantity /*quantity*/,
                          core::Quantity /*leaves*/) {}
  virtual void HandleFinished(core::OrderId /*order*/) {}
  virtual void HandleRestated(const OrderRestated& /*event*/) {}
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

  // Sends through the agent's link: `send` runs at the venue's door after the link's latency,
  // never before a message the agent sent earlier (then behind a venue's latency spike).
  void SendToVenue(absl::AnyInvocable<void() &&> send) {
    const core::Timestamp now = sim_->scheduler_->Now();
    const core::Timestamp arrival =
        std::max(now + Jittered(link_.fixed, link_.jitter, link_rng_), last_arrival_);
    last_arrival_ = arrival;
    if (arrival <= now) {
      sim_->Send(slot(), std::move(send));
      return;
    }
    MarketSimulator* sim = sim_;
    const core::VenueId venue = venue_id_;
    sim_->Schedule(arrival - now, [sim, venue, send = std::move(send)]() mutable {
      sim->Send(sim->venues_.at(venue), std::move(send));
    });
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
    SendToVenue([sim, venue, request]() {
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
    SendToVenue([sim, venue, request]() {
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
    SendToVenue([sim, venue, request]() {
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
    SendToVenue([sim, venue, request]() {
      if (!venue->Cancel(request).ok()) ++sim->stats_.admission_errors;
    });
  }

  // An IOC order taking the contra side's best price in `instrument` as the agent last saw it;
  // none when that side is empty.
  std::optional<OrderRequest> TakeLastTop(core::InstrumentId instrument, core::Side side,
                                          core::Quantity quantity) {
    const core::TopOfBook top = sim_->LastTop(venue_id_, instrument);
    const std::optional<core::PriceLevel>& contra = side == core::Side::kBuy ? top.ask : top.bid;
    if (!contra.has_value()) return std::nullopt;
    OrderRequest request;
    request.participant = id_;
    request.order_id = NextOrderId();
    request.instrument = instrument;
    request.side = side;
    request.limit_price = contra->price;
    request.quantity = quantity;
    request.time_in_force = TimeInForce::kImmediateOrCancel;
    return request;
  }

  // An arriving order's first draws, made in this order by every agent that sends one (a run's
  // draws must not depend on anything else): which of `choices`, its side, its quantity.
  struct OrderDraw {
    size_t choice;
    core::Side side;
    core::Quantity quantity;
  };
  OrderDraw DrawOrder(size_t choices, core::Quantity min_quantity, core::Quantity max_quantity) {
    const auto choice = static_cast<size_t>(rng_.UniformInt(0, static_cast<int64_t>(choices) - 1));
    const core::Side side = rng_.Bernoulli(0.5) ? core::Side::kBuy : core::Side::kSell;
    const core::Quantity quantity(rng_.UniformInt(min_quantity.value(), max_quantity.value()));
    return OrderDraw{choice, side, quantity};
  }

  MarketSimulator* sim_;
  core::ParticipantId id_;
  core::VenueId venue_id_;
  core::Rng rng_;
  uint64_t next_order_id_ = 1;
  core::TimerId requote_timer_;

 private:
  ParticipantLink link_;
  core::Rng link_rng_{0};
  core::Timestamp last_arrival_;
  std::unique_ptr<LatencyProbe> probe_;
  SimulatedVenue* probe_venue_ = nullptr;
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
  // The venue itself moved the quote (seed 001 tick-worse): the maker learns where it now rests,
  // so its next requote puts it back where it means to quote.
  void HandleRestated(const OrderRestated& event) override {
    if (event.reason != RestatementReason::kTickWorse) return;
    QuoteSide* side = Find(event.order_id);
    if (side == nullptr) return;
    side->price = event.limit_price;
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
    tick_ = sim->instruments_.at(config_.instrument).instrument->tick_rule();
  }

 private:
  bool AnswersPull(std::optional<core::InstrumentId> instrument) const override {
    return !instrument.has_value() || *instrument == config_.instrument;
  }

  // A maker moves its quote once fair value has moved a whole tick from where it quoted (or a
  // side is gone: filled, cancelled, rejected); smaller moves send nothing and schedule nothing.
  // So a chain of hundreds of options, all moving with the underlying every step, costs only
  // the quotes that change, as a real maker's does.
  void OnFairValueChanged() override {
    if (pulled_ || Stands()) return;
    RequoteLater();
  }

  void Requote() override {
    if (pulled_ || venue_halted() || Stands()) return;
    // The half spread is drawn at every move of the quote.
    half_ticks_ = rng_.UniformInt(config_.min_half_spread_ticks, config_.max_half_spread_ticks);
    quoted_fair_ = Fair();
    const Targets targets = TargetsAt(*quoted_fair_, *half_ticks_);
    Quote(bid_, core::Side::kBuy, targets.bid);
    Quote(ask_, core::Side::kSell, targets.ask);
  }

  struct Targets {
    std::optional<core::Price> bid;
    std::optional<core::Price> ask;
  };
  double Fair() const { return sim_->instruments_.at(config_.instrument).fair; }
  // The half spread is in ticks of the band fair value lies in; each side is then rounded onto
  // the rule (its own band's tick), so a quote straddling a band boundary is still on tick.
  Targets TargetsAt(double fair, int64_t half_ticks) const {
    const double half_spread = static_cast<double>(half_ticks) * TickAtValue(tick_, fair);
    // Bids round down and offers up, so a quote never sits inside the chosen spread.
    return Targets{ToTick(fair - half_spread, tick_, core::RoundingMode::kDown),
                   ToTick(fair + half_spread, tick_, core::RoundingMode::kUp)};
  }
  // Whether the quote stands: fair value within a tick of where it quoted, and both sides
  // resting where that quote put them.
  bool Stands() const {
    if (!half_ticks_.has_value() || !quoted_fair_.has_value()) return false;
    if (std::abs(Fair() - *quoted_fair_) >= TickAtValue(tick_, *quoted_fair_)) return false;
    const Targets targets = TargetsAt(*quoted_fair_, *half_ticks_);
    auto stands = [](const QuoteSide& side, const std::optional<core::Price>& target) {
      const bool showable = target.has_value() && target->is_positive();
      if (!showable) return !side.order.has_value();
      return side.order.has_value() && side.price == *target;
    };
    return stands(bid_, targets.bid) && stands(ask_, targets.ask);
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
  core::TickRule tick_ = core::TickRule::Uniform(core::Price::FromParts(0, 10'000'000));
  std::optional<int64_t> half_ticks_;
  // The fair value the standing quote was made at.
  std::optional<double> quoted_fair_;
};

class MarketSimulator::Taker final : public Agent {
 public:
  Taker(MarketSimulator* sim, core::ParticipantId id, TakerConfig config, core::Rng rng)
      : Agent(sim, id, config.venue, rng), config_(std::move(config)) {}

  const TakerConfig& config() const { return config_; }
  // An instrument listed while running (MarketSimulator::AddListings).
  void AddInstrument(core::InstrumentId instrument) { config_.instruments.push_back(instrument); }

  void Start() override { ScheduleArrival(); }
  void StopAgent() override {
    Agent::StopAgent();
    if (arrival_timer_.valid()) sim_->scheduler_->Cancel(arrival_timer_);
    arrival_timer_ = core::TimerId{};
  }

 private:
  void ScheduleArrival() {
    arrival_timer_ = sim_->Schedule(PoissonGap(rng_, config_.arrivals_per_second), [this]() {
      arrival_timer_ = core::TimerId{};
      Arrive();
      ScheduleArrival();
    });
  }

  void Arrive() {
    const auto [index, side, quantity] =
        DrawOrder(config_.instruments.size() + config_.combos.size(), config_.min_quantity,
                  config_.max_quantity);
    if (venue_halted()) return;
    if (index >= config_.instruments.size()) {
      TakeCombo(config_.combos[index - config_.instruments.size()], side, quantity);
      return;
    }
    std::optional<OrderRequest> request = TakeLastTop(config_.instruments[index], side, quantity);
    if (!request.has_value()) return;
    request->role = config_.role;
    SendSubmit(*request);
  }

  // An IOC complex order up to the price the venue's legs trade for (seed 001 R17): it takes the
  // complex orders priced better, then legs into the leg books for the rest.
  void TakeCombo(core::ComboId combo, core::Side side, core::Quantity quantity) {
    const core::TopOfBook legs = sim_->LastLegsImpliedTop(venue_id_, combo);
    const core::TopOfBook native = sim_->LastNativeTop(venue_id_, combo);
    const core::Side contra = core::Opposite(side);
    const std::optional<core::PriceLevel>& level =
        legs.side(contra).has_value() ? legs.side(contra) : native.side(contra);
    if (!level.has_value()) return;
    ComplexOrderRequest request;
    request.participant = id_;
    request.order_id = NextOrderId();
    request.combo = combo;
    request.side = side;
    request.limit_price = level->price;
    request.quantity = quantity;
    request.time_in_force = TimeInForce::kImmediateOrCancel;
    request.role = config_.role;
    SendSubmitComplex(request);
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

}  // namespace combo::venues::market_sim
