// The market simulator's CBO desks (see cbo_desk.h and CboDeskConfig).
#include "venues/market_sim/cbo_desk.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status.h"

namespace combo::venues::market_sim {
namespace {

core::Duration Between(core::Duration low, core::Duration high, core::Rng& rng) {
  return Jittered(low, high - low, rng);
}

core::Duration PoissonGap(double per_second, core::Rng& rng) {
  const double seconds = rng.Exponential(per_second);
  return core::Duration::Nanoseconds(static_cast<int64_t>(std::min(seconds, 86400.0) * 1e9) + 1);
}

}  // namespace

absl::Status MarketSimulator::AddCboDesks(const std::vector<CboLink>& links, core::Rng& root,
                                          uint32_t& next_participant) {
  std::map<core::VenueId, SimulatedVenue*> exchanges;
  for (const CboLink& link : links) {
    if (!venues_.contains(link.venue) || link.exchange == nullptr ||
        link.exchange->id() != link.venue) {
      return absl::InvalidArgumentError(
          absl::StrCat("CBO link: venue ", link.venue.value(), " is not given"));
    }
    if (link.exchange->cbo_book() == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("CBO link: venue ", link.venue.value(), " has no open CBO book"));
    }
    exchanges[link.venue] = link.exchange;
  }
  for (size_t i = 0; i < config_.cbo_desks.size(); ++i) {
    const CboDeskConfig& desk = config_.cbo_desks[i];
    const std::string who = absl::StrCat("CBO desk ", i);
    auto exchange = exchanges.find(desk.venue);
    if (exchange == exchanges.end()) {
      return absl::InvalidArgumentError(absl::StrCat(who, ": venue ", desk.venue.value(),
                                                     " is not a linked venue with a CBO book"));
    }
    if (desk.instruments.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(who, ": no instruments"));
    }
    for (core::InstrumentId instrument : desk.instruments) {
      if (!exchange->second->Lists(instrument)) {
        return absl::InvalidArgumentError(absl::StrCat(
            who, ": venue ", desk.venue.value(), " does not list instrument ", instrument.value()));
      }
      COMBO_RETURN_IF_ERROR(Value(instrument, who));
    }
    if (!(desk.cbos_per_second > 0 && std::isfinite(desk.cbos_per_second)) ||
        !(desk.leg_orders_per_second >= 0 && std::isfinite(desk.leg_orders_per_second))) {
      return absl::InvalidArgumentError(
          absl::StrCat(who, ": the CBO rate must be positive, the leg order rate not negative"));
    }
    if (!desk.min_quantity.is_positive() || desk.max_quantity < desk.min_quantity ||
        desk.min_limit_offset_ticks > desk.max_limit_offset_ticks ||
        desk.min_edge_ticks > desk.max_edge_ticks || desk.client_autofill_ticks < 0 ||
        desk.dealer_autofill_ticks < 0 || desk.cbo_lifetime <= core::Duration::Zero() ||
        desk.min_response_delay < core::Duration::Zero() ||
        desk.max_response_delay < desk.min_response_delay) {
      return absl::InvalidArgumentError(
          absl::StrCat(who,
                       ": quantities, offsets, edges and delays must satisfy min <= max, "
                       "autofill ticks >= 0 and a positive lifetime"));
    }
    auto client = std::make_unique<CboClient>(this, core::ParticipantId(next_participant++), desk,
                                              exchange->second, root.Fork());
    for (int64_t d = 0; d < desk.exclusive_dealers + desk.open_dealers; ++d) {
      const bool exclusive = d < desk.exclusive_dealers;
      auto dealer =
          std::make_unique<CboDealer>(this, core::ParticipantId(next_participant++), desk,
                                      exchange->second, client->id(), exclusive, root.Fork());
      client->AddDealer(dealer.get(), exclusive);
      for (core::InstrumentId instrument : desk.instruments) {
        instruments_.at(instrument).watchers.push_back(dealer.get());
      }
      venues_.at(desk.venue).agents.push_back(dealer.get());
      agents_.push_back(std::move(dealer));
    }
    venues_.at(desk.venue).agents.push_back(client.get());
    agents_.push_back(std::move(client));
  }
  return absl::OkStatus();
}

// --- Client -----------------------------------------------------------------------------------

MarketSimulator::CboClient::CboClient(MarketSimulator* sim, core::ParticipantId id,
                                      const CboDeskConfig& config, SimulatedVenue* exchange,
                                      core::Rng rng)
    : Agent(sim, id, config.venue, rng), config_(config), exchange_(exchange) {}

void MarketSimulator::CboClient::AddDealer(CboDealer* dealer, bool exclusive) {
  dealers_.push_back(dealer);
  (exclusive ? exclusive_ : open_).push_back(dealer->id());
}

void MarketSimulator::CboClient::Start() {
  // R2: the client deals only with permissioned dealers; the desk's are.
  for (CboDealer* dealer : dealers_) exchange_->cbo_book()->Permit(id_, dealer->id());
  ScheduleArrival();
}

void MarketSimulator::CboClient::StopAgent() {
  Agent::StopAgent();
  if (arrival_timer_.valid()) sim_->scheduler_->Cancel(arrival_timer_);
  arrival_timer_ = core::TimerId{};
}

void MarketSimulator::CboClient::ScheduleArrival() {
  arrival_timer_ = sim_->Schedule(PoissonGap(config_.cbos_per_second, rng_), [this]() {
    arrival_timer_ = core::TimerId{};
    Arrive();
    ScheduleArrival();
  });
}

void MarketSimulator::CboClient::Arrive() {
  const auto [index, side, quantity] =
      DrawOrder(config_.instruments.size(), config_.min_quantity, config_.max_quantity);
  const core::InstrumentId instrument = config_.instruments[index];
  const int64_t offset =
      rng_.UniformInt(config_.min_limit_offset_ticks, config_.max_limit_offset_ticks);
  if (venue_halted()) return;
  const InstrumentState& state = sim_->instruments_.at(instrument);
  const core::TickRule& rule = state.instrument->tick_rule();
  const double tick = TickAtValue(rule, state.fair);
  // A bid `offset` ticks below fair value (an offer above it), on the passive side.
  const double target = side == core::Side::kBuy ? state.fair - static_cast<double>(offset) * tick
                                                 : state.fair + static_cast<double>(offset) * tick;
  const std::optional<core::Price> limit = ToTick(
      target, rule, side == core::Side::kBuy ? core::RoundingMode::kDown : core::RoundingMode::kUp);
  if (!limit.has_value()) return;
  aop::CboRequest request;
  request.client = id_;
  request.id = core::OrderId(next_cbo_id_++);
  request.instrument = instrument;
  request.side = side;
  request.limit = *limit;
  request.quantity = quantity;
  request.time_in_force = aop::CboTimeInForce::kGoodForTime;
  request.good_for = config_.cbo_lifetime;
  request.exclusive_dealers = exclusive_;
  request.open_dealers = open_;
  if (config_.client_autofill_ticks > 0) {
    request.client_autofill_threshold = ToPrice(static_cast<double>(config_.client_autofill_ticks) *
                                                rule.TickAt(*limit).ToDouble());
  }
  // The dealers learn the terms first: the book reports the CBO's first phase as it accepts it.
  for (CboDealer* dealer : dealers_) dealer->Offered(request);
  if (!exchange_->cbo_book()->Submit(request).ok()) {
    ++sim_->stats_.admission_errors;
    const aop::CboDone refused{{request.client, request.id},
                               aop::CboDoneReason::kCancelled,
                               core::Quantity::Zero(),
                               sim_->scheduler_->Now()};
    for (CboDealer* dealer : dealers_) dealer->OnCboDone(refused);
    return;
  }
  ++sim_->stats_.cbos_submitted;
}

// --- Dealer -----------------------------------------------------------------------------------

MarketSimulator::CboDealer::CboDealer(MarketSimulator* sim, core::ParticipantId id,
                                      const CboDeskConfig& config, SimulatedVenue* exchange,
                                      core::ParticipantId client, bool exclusive, core::Rng rng)
    : Agent(sim, id, config.venue, rng),
      config_(config),
      exchange_(exchange),
      client_(client),
      exclusive_(exclusive) {}

MarketSimulator::CboDealer::~CboDealer() {
  // The venue outlives the simulator: it must not call a dealer that is gone.
  if (subscribed_) exchange_->UnsubscribeCbo(this);
}

void MarketSimulator::CboDealer::Start() {
  subscribed_ = exchange_->SubscribeCbo(this).ok();
  if (!subscribed_) ++sim_->stats_.admission_errors;
  if (config_.leg_orders_per_second > 0) ScheduleLegOrder();
}

void MarketSimulator::CboDealer::StopAgent() {
  Agent::StopAgent();
  for (auto& [key, timer] : timers_) sim_->scheduler_->Cancel(timer);
  timers_.clear();
  answering_.clear();
  cbos_.clear();
  if (leg_timer_.valid()) sim_->scheduler_->Cancel(leg_timer_);
  leg_timer_ = core::TimerId{};
}

void MarketSimulator::CboDealer::Offered(const aop::CboRequest& request) {
  if (sim_->stopped_) return;
  View view;
  view.request = request;
  view.level = request.limit;
  cbos_[{request.client, request.id}] = view;
}

void MarketSimulator::CboDealer::OnFairValueChanged() {
  std::vector<aop::CboKey> keys;
  for (const auto& [key, view] : cbos_) keys.push_back(key);
  for (const aop::CboKey& key : keys) Consider(key);
}

void MarketSimulator::CboDealer::OnCboPhaseChanged(const aop::CboPhaseChanged& event) {
  auto it = cbos_.find(event.cbo);
  if (it == cbos_.end()) return;
  it->second.phase = event.phase;
  Consider(event.cbo);
}

void MarketSimulator::CboDealer::OnCboRestated(const aop::CboRestated& event) {
  auto it = cbos_.find(event.cbo);
  if (it == cbos_.end()) return;
  it->second.level = event.level;
  Consider(event.cbo);
}

void MarketSimulator::CboDealer::OnCboFill(const aop::CboFill& event) {
  if (event.dealer == id_) answering_.erase(event.cbo);
}

void MarketSimulator::CboDealer::OnResponseRejected(const aop::ResponseRejected& event) {
  if (event.dealer == id_) answering_.erase(event.cbo);
}

void MarketSimulator::CboDealer::OnCboDone(const aop::CboDone& event) {
  cbos_.erase(event.cbo);
  answering_.erase(event.cbo);
  if (auto timer = timers_.find(event.cbo); timer != timers_.end()) {
    sim_->scheduler_->Cancel(timer->second);
    timers_.erase(timer);
  }
}

bool MarketSimulator::CboDealer::MayAnswer(const View& view) const {
  switch (view.phase) {
    case aop::CboPhase::kExclusive:
    case aop::CboPhase::kProtected:
      return exclusive_;
    case aop::CboPhase::kOpen:
      return !exclusive_;
    case aop::CboPhase::kDone:
      break;
  }
  return false;
}

core::Price MarketSimulator::CboDealer::Tick(core::InstrumentId instrument) const {
  const InstrumentState& state = sim_->instruments_.at(instrument);
  return ToPrice(TickAtValue(state.instrument->tick_rule(), state.fair))
      .value_or(core::Price::FromParts(0, 10'000'000));
}

std::optional<core::Price> MarketSimulator::CboDealer::PriceFor(const View& view) {
  const core::InstrumentId instrument = *view.request.instrument;
  const InstrumentState& state = sim_->instruments_.at(instrument);
  const double edge =
      static_cast<double>(rng_.UniformInt(config_.min_edge_ticks, config_.max_edge_ticks)) *
      Tick(instrument).ToDouble();
  // A client bid is met by the dealer's sale, at fair value plus its edge (an offer mirrored).
  return view.request.side == core::Side::kBuy
             ? ToTick(state.fair + edge, state.instrument->tick_rule(), core::RoundingMode::kUp)
             : ToTick(state.fair - edge, state.instrument->tick_rule(), core::RoundingMode::kDown);
}

bool MarketSimulator::CboDealer::Worth(const View& view, core::Price price) const {
  const core::Side side = view.request.side;
  const auto worse_by = [side](core::Price p, core::Price level) {
    return side == core::Side::kBuy ? p - level : level - p;
  };
  const core::Price miss = worse_by(price, view.level);
  if (!miss.is_positive()) return true;  // R56: it matches, at its own price
  const core::Price tick = Tick(*view.request.instrument);
  if (config_.dealer_autofill_ticks > 0 &&
      miss <= core::Price::FromRaw(tick.raw() * config_.dealer_autofill_ticks)) {
    return true;  // R53
  }
  // R54: a protected CBO with client autofill may take a price within its original limit.
  return view.request.client_autofill_threshold.has_value() &&
         !worse_by(price, view.request.limit).is_positive();
}

void MarketSimulator::CboDealer::Consider(const aop::CboKey& key) {
  if (sim_->stopped_ || answering_.contains(key)) return;
  auto it = cbos_.find(key);
  if (it == cbos_.end() || !MayAnswer(it->second)) return;
  const std::optional<core::Price> price = PriceFor(it->second);
  if (!price.has_value() || !Worth(it->second, *price)) return;
  answering_.insert(key);
  timers_[key] = sim_->Schedule(
      Between(config_.min_response_delay, config_.max_response_delay, rng_), [this, key]() {
        timers_.erase(key);
        Answer(key);
      });
}

void MarketSimulator::CboDealer::Answer(const aop::CboKey& key) {
  auto it = cbos_.find(key);
  std::optional<core::Price> price;
  if (it != cbos_.end() && MayAnswer(it->second)) price = PriceFor(it->second);
  if (!price.has_value() || !Worth(it->second, *price) || venue_halted()) {
    answering_.erase(key);
    return;
  }
  aop::DealerResponse response;
  response.dealer = id_;
  response.cbo = key;
  response.price = *price;
  response.quantity = it->second.request.quantity;
  if (config_.dealer_autofill_ticks > 0) {
    response.autofill_threshold = core::Price::FromRaw(Tick(*it->second.request.instrument).raw() *
                                                       config_.dealer_autofill_ticks);
  }
  ++sim_->stats_.cbo_responses;
  aop::CboBook* book = exchange_->cbo_book();
  MarketSimulator* sim = sim_;
  sim_->Send(slot(), [sim, book, response]() {
    if (!book->Respond(response).ok()) ++sim->stats_.admission_errors;
  });
}

void MarketSimulator::CboDealer::ScheduleLegOrder() {
  leg_timer_ = sim_->Schedule(PoissonGap(config_.leg_orders_per_second, rng_), [this]() {
    leg_timer_ = core::TimerId{};
    SendLegOrder();
    ScheduleLegOrder();
  });
}

void MarketSimulator::CboDealer::SendLegOrder() {
  const auto [index, side, quantity] =
      DrawOrder(config_.instruments.size(), config_.min_quantity, config_.max_quantity);
  const core::InstrumentId instrument = config_.instruments[index];
  if (venue_halted()) return;
  // At the top it last saw: AOP may have repriced that order meanwhile, which the autofill
  // threshold absorbs (R53).
  std::optional<OrderRequest> request = TakeLastTop(instrument, side, quantity);
  if (!request.has_value()) return;
  if (config_.dealer_autofill_ticks > 0) {
    request->autofill_threshold =
        core::Price::FromRaw(Tick(instrument).raw() * config_.dealer_autofill_ticks);
  }
  SendSubmit(*request);
}

}  // namespace combo::venues::market_sim
