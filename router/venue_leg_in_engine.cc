#include "router/venue_leg_in_engine.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/absl_compat.h"
#include "core/rounding.h"
#include "router/leg_in_preflight.h"
#include "router/leg_in_slicer.h"
#include "router/leg_in_units.h"
#include "router/leg_ranking.h"

namespace combo::router {
namespace {

const char* Verb(core::Side side) { return side == core::Side::kBuy ? "buy" : "sell"; }
const char* OpposingSide(core::Side side) { return side == core::Side::kBuy ? "ask" : "bid"; }

core::Money Magnitude(core::Money money) { return money.is_negative() ? -money : money; }

// Average price of `executions` (exact total, one half-even rounding to the price grid).
core::Price AveragePrice(const std::vector<LegInExecution>& executions, core::Price extra_price,
                         core::Quantity extra_quantity) {
  core::Money total = core::Money::FromPrice(extra_price) * extra_quantity.value();
  int64_t quantity = extra_quantity.value();
  for (const LegInExecution& execution : executions) {
    total += core::Money::FromPrice(execution.price) * execution.quantity.value();
    quantity += execution.quantity.value();
  }
  if (quantity == 0) return extra_price;
  absl::StatusOr<core::Price> average =
      total.DivideToPrice(quantity, core::RoundingMode::kHalfEven);
  return average.ok() ? *average : extra_price;
}

// Why the work ends at the router's request: a cancel, or a stop once the slice was done.
template <typename Work>
std::string StopReason(const Work& work) {
  return work.cancel_requested ? "cancelled by the router"
                               : "stopped after the slice at the router's request";
}

core::Quantity Held(const std::vector<LegInExecution>& executions) {
  core::Quantity held = core::Quantity::Zero();
  for (const LegInExecution& execution : executions) held += execution.quantity;
  return held;
}

}  // namespace

std::string_view ToString(LegInEventKind kind) {
  switch (kind) {
    case LegInEventKind::kStarted:
      return "started";
    case LegInEventKind::kNotStarted:
      return "not_started";
    case LegInEventKind::kLegSent:
      return "leg_sent";
    case LegInEventKind::kLegDone:
      return "leg_done";
    case LegInEventKind::kRerouted:
      return "rerouted";
    case LegInEventKind::kResubmitted:
      return "resubmitted";
    case LegInEventKind::kExposure:
      return "exposure";
    case LegInEventKind::kEnded:
      return "ended";
    case LegInEventKind::kLegHeld:
      return "leg_held";
    case LegInEventKind::kLegVoided:
      return "leg_voided";
  }
  return "unknown";
}

// --- Construction ----------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<VenueLegInEngine>> VenueLegInEngine::Create(
    LegInPolicy policy, LegInEngineDependencies deps) {
  if (absl::Status status = ValidateLegInPolicy(policy); !status.ok()) return status;
  if (deps.instruments == nullptr) return absl::InvalidArgumentError("leg-in: instruments is null");
  if (deps.pricing == nullptr) return absl::InvalidArgumentError("leg-in: pricing is null");
  if (deps.risk == nullptr) return absl::InvalidArgumentError("leg-in: risk is null");
  if (deps.scheduler == nullptr) return absl::InvalidArgumentError("leg-in: scheduler is null");
  if (deps.clock == nullptr) return absl::InvalidArgumentError("leg-in: clock is null");
  if (deps.registry == nullptr) return absl::InvalidArgumentError("leg-in: registry is null");
  if (deps.venues.empty()) return absl::InvalidArgumentError("leg-in: no venue to send legs to");
  std::vector<std::pair<core::VenueId, std::string>> names;
  for (const LegVenue& venue : deps.venues) {
    if (venue.venue == nullptr) return absl::InvalidArgumentError("leg-in: a venue is null");
    for (const auto& [id, name] : names) {
      if (id == venue.venue->id()) {
        return absl::InvalidArgumentError(
            absl::StrCat("leg-in: venue ", id.value(), " is given twice"));
      }
    }
    if (venue.expected_latency < core::Duration::Zero()) {
      return absl::InvalidArgumentError(absl::StrCat("leg-in: venue ", venue.venue->id().value(),
                                                     " has a negative expected latency"));
    }
    if (venue.max_order_quantity < core::Quantity::Zero()) {
      return absl::InvalidArgumentError(absl::StrCat("leg-in: venue ", venue.venue->id().value(),
                                                     " has a negative max order quantity"));
    }
    if (venue.order_life < core::Duration::Zero()) {
      return absl::InvalidArgumentError(
          absl::StrCat("leg-in: venue ", venue.venue->id().value(), " has a negative order life"));
    }
    names.emplace_back(venue.venue->id(), std::string(venue.venue->name()));
  }
  absl::StatusOr<LegInMetrics> metrics = LegInMetrics::Create(*deps.registry, names);
  if (!metrics.ok()) return metrics.status();
  auto engine = std::unique_ptr<VenueLegInEngine>(
      new VenueLegInEngine(std::move(policy), std::move(deps), std::move(*metrics)));
  for (const LegVenue& venue : engine->deps_.venues) {
    if (absl::Status status = venue.venue->Connect(engine->deps_.participant, engine.get());
        !status.ok()) {
      return status;
    }
  }
  return engine;
}

VenueLegInEngine::VenueLegInEngine(LegInPolicy policy, LegInEngineDependencies deps,
                                   LegInMetrics metrics)
    : policy_(std::move(policy)),
      deps_(std::move(deps)),
      metrics_(std::move(metrics)),
      next_order_id_(deps_.first_order_id),
      self_(std::make_shared<VenueLegInEngine*>(this)) {}

VenueLegInEngine::~VenueLegInEngine() {
  *self_ = nullptr;
  for (auto& [id, work] : work_) {
    if (work.pause.valid()) deps_.scheduler->Cancel(work.pause);
    if (work.working.has_value() && work.working->timeout.valid()) {
      deps_.scheduler->Cancel(work.working->timeout);
    }
  }
}

absl::Status VenueLegInEngine::SetPolicy(LegInPolicy policy) {
  if (absl::Status status = ValidateLegInPolicy(policy); !status.ok()) return status;
  policy_ = std::move(policy);
  return absl::OkStatus();
}

// --- Lookup ----------------------------------------------------------------------------------

const LegVenue* VenueLegInEngine::FindVenue(core::VenueId id) const {
  for (const LegVenue& venue : deps_.venues) {
    if (venue.venue->id() == id) return &venue;
  }
  return nullptr;
}

VenueLegInEngine::Work* VenueLegInEngine::FindWork(core::OrderId id) {
  auto it = work_.find(id);
  return it == work_.end() ? nullptr : &it->second;
}

VenueLegInEngine::Work* VenueLegInEngine::FindByLegOrder(core::OrderId leg_order,
                                                         core::VenueId venue) {
  auto it = by_leg_order_.find({venue, leg_order});
  if (it == by_leg_order_.end()) return nullptr;
  Work* work = FindWork(it->second);
  if (work == nullptr || !work->working.has_value() || work->working->id != leg_order) {
    return nullptr;
  }
  return work;
}

// --- Market view -----------------------------------------------------------------------------

std::vector<VenueLegInEngine::Quote> VenueLegInEngine::Quotes(core::InstrumentId instrument,
                                                              core::Side side) const {
  std::vector<Quote> quotes;
  for (const LegVenue& venue : deps_.venues) {
    if (closed_series_.contains({venue.venue->id(), instrument})) continue;
    const core::TopOfBook top = deps_.pricing->legs().VenueTop(venue.venue->id(), instrument);
    const std::optional<core::PriceLevel>& level = side == core::Side::kBuy ? top.ask : top.bid;
    if (!level.has_value() || !level->quantity.is_positive()) continue;
    quotes.push_back(Quote{venue.venue->id(), level->price, level->quantity});
  }
  std::sort(quotes.begin(), quotes.end(), [this, side](const Quote& a, const Quote& b) {
    if (a.price != b.price) return side == core::Side::kBuy ? a.price < b.price : a.price > b.price;
    if (a.size != b.size) return a.size > b.size;
    const core::Duration la = FindVenue(a.venue)->expected_latency;
    const core::Duration lb = FindVenue(b.venue)->expected_latency;
    if (la != lb) return la < lb;
    return a.venue < b.venue;
  });
  return quotes;
}

void VenueLegInEngine::SetSeriesPhase(core::VenueId venue, core::InstrumentId instrument,
                                      venues::SeriesPhase phase) {
  if (phase == venues::SeriesPhase::kOpen) {
    closed_series_.erase({venue, instrument});
  } else {
    closed_series_[{venue, instrument}] = phase;
  }
}

const core::TickRule* VenueLegInEngine::TickRuleAt(const LegVenue& venue,
                                                   core::InstrumentId instrument) const {
  if (auto it = venue.tick_rules.find(instrument); it != venue.tick_rules.end()) {
    return &it->second;
  }
  const core::Instrument* found = deps_.instruments->Find(instrument);
  return found == nullptr ? nullptr : &found->tick_rule();
}

std::pair<double, core::Price> VenueLegInEngine::DeltaOf(core::InstrumentId instrument,
                                                         core::Price leg_price) const {
  const core::Instrument* found = deps_.instruments->Find(instrument);
  if (found == nullptr || !found->is_option()) return {1.0, leg_price};
  core::Price underlying_price = leg_price;
  if (const core::Instrument* underlying = deps_.instruments->FindBySymbol(found->underlying());
      underlying != nullptr) {
    const core::TopOfBook top = deps_.pricing->legs().Consolidated(underlying->id());
    if (top.bid.has_value() && top.ask.has_value()) {
      underlying_price = core::Price::FromRaw(top.bid->price.raw() / 2 + top.ask->price.raw() / 2);
    } else if (top.bid.has_value()) {
      underlying_price = top.bid->price;
    } else if (top.ask.has_value()) {
      underlying_price = top.ask->price;
    }
  }
  if (deps_.delta != nullptr) {
    absl::StatusOr<double> delta =
        deps_.delta->Delta(*found, underlying_price, deps_.scheduler->Now());
    if (delta.ok()) return {std::fabs(*delta), underlying_price};
  }
  return {0.5, underlying_price};
}

double VenueLegInEngine::DollarDeltaOf(const Leg& leg, core::Price price,
                                       core::Quantity quantity) const {
  const auto [delta, underlying] = DeltaOf(leg.instrument, price);
  return pricing::DollarDelta(delta, leg.multiplier, quantity.value(), leg.side, underlying);
}

std::optional<core::Price> VenueLegInEngine::ProjectedNet(const Work& work,
                                                          core::Price price) const {
  core::Price net = core::Price::Zero();
  for (size_t i = 0; i < work.legs.size(); ++i) {
    const Leg& leg = work.legs[i];
    core::Price average;
    if (i < work.current) {
      average = AveragePrice(leg.executions, core::Price::Zero(), core::Quantity::Zero());
    } else if (i == work.current) {
      average = AveragePrice(leg.executions, price, leg.target - Held(leg.executions));
    } else {
      const std::vector<Quote> quotes = Quotes(leg.instrument, leg.side);
      if (quotes.empty()) return std::nullopt;
      average = quotes.front().price;
    }
    net += leg.sign * leg.weight * average;
  }
  return net;
}

bool VenueLegInEngine::WithinLimit(const Work& work, core::Price net) const {
  return work.order.side == core::Side::kBuy ? net <= work.order.limit : net >= work.order.limit;
}

// --- Start and cancel ------------------------------------------------------------------------

absl::Status VenueLegInEngine::Start(const LegInOrder& order, LegInListener* listener) {
  if (listener == nullptr) return absl::InvalidArgumentError("leg-in: listener is null");
  if (work_.contains(order.order)) {
    return absl::FailedPreconditionError(
        absl::StrCat("leg-in: order ", order.order.value(), " is already legging in"));
  }
  if (!order.units.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("leg-in: units must be positive, got ", order.units.value()));
  }
  absl::StatusOr<const pricing::ComboTerms*> terms = deps_.pricing->Terms(order.combo);
  if (!terms.ok()) return terms.status();
  for (const pricing::LegTerms& leg : (*terms)->legs()) {
    if (deps_.instruments->Find(leg.instrument) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("leg-in: instrument ", leg.instrument.value(), " is not in the catalog"));
    }
  }
  Work& work = work_[order.order];
  work.order = order;
  work.listener = listener;
  work.terms = **terms;
  work.started = deps_.clock->Now();
  metrics_.Attempt(order.mode);
  metrics_.SetOpenOrders(static_cast<double>(work_.size()));
  BeginSlice(order.order);
  return absl::OkStatus();
}

absl::Status VenueLegInEngine::Cancel(core::OrderId id) {
  Work* work = FindWork(id);
  if (work == nullptr) {
    return absl::NotFoundError(absl::StrCat("leg-in: not working order ", id.value()));
  }
  if (work->cancel_requested) return absl::OkStatus();
  work->cancel_requested = true;
  if (work->working.has_value()) {
    // The working leg order is pulled (once no match of it is held); the work ends once its
    // venue says it is done.
    CancelWorkingLeg(*work);
    return absl::OkStatus();
  }
  Conclude(*work, LegInEnd::kCancelled, "cancelled by the router");
  return absl::OkStatus();
}

absl::Status VenueLegInEngine::StopAfterSlice(core::OrderId id) {
  Work* work = FindWork(id);
  if (work == nullptr) {
    return absl::NotFoundError(absl::StrCat("leg-in: not working order ", id.value()));
  }
  // Between slices the next BeginSlice is already scheduled and ends the work; within a slice
  // SliceDone does once the legs have made their units.
  work->stop_after_slice = true;
  return absl::OkStatus();
}

// --- Slices ----------------------------------------------------------------------------------

void VenueLegInEngine::BeginSlice(core::OrderId id) {
  Work* found = FindWork(id);
  if (found == nullptr) return;
  Work& work = *found;
  work.pause = core::TimerId{};
  if (work.cancel_requested || work.stop_after_slice) {
    EndQuietly(work, LegInEnd::kCancelled, StopReason(work));
    return;
  }
  const core::Quantity units_left = work.order.units - work.units_done;
  const std::vector<pricing::LegTerms>& combo_legs = work.terms->legs();

  // The best displayed price of every leg, and the slice it allows (R27).
  std::vector<Leg> legs;
  std::vector<Quote> best;
  std::vector<std::vector<Quote>> all_quotes;
  std::vector<LegDisplay> display;
  core::Price net = core::Price::Zero();
  for (size_t i = 0; i < combo_legs.size(); ++i) {
    const pricing::LegTerms& terms = combo_legs[i];
    Leg leg;
    leg.combo_leg = i;
    leg.instrument = terms.instrument;
    leg.symbol = deps_.instruments->Find(terms.instrument)->symbol();
    leg.side = work.order.side == core::Side::kBuy ? terms.side : core::Opposite(terms.side);
    leg.sign = terms.side == core::Side::kBuy ? 1 : -1;
    leg.ratio = terms.ratio;
    leg.weight = terms.weight;
    leg.multiplier = terms.leg_multiplier;
    std::vector<Quote> quotes = Quotes(leg.instrument, leg.side);
    if (quotes.empty()) {
      EndQuietly(work, LegInEnd::kMarketMoved,
                 absl::StrCat("leg ", leg.symbol, ": no displayed ", OpposingSide(leg.side),
                              " at any venue"));
      return;
    }
    best.push_back(quotes.front());
    // R39: a professional leg order may take only part of a quote (docs/ROUTER.md).
    const LegVenue& best_venue = *FindVenue(quotes.front().venue);
    display.push_back(LegDisplay{
        leg.ratio, ProfessionalTakeable(best_venue.professional_availability, quotes.front().size),
        best_venue.max_order_quantity});
    net += leg.sign * leg.weight * quotes.front().price;
    all_quotes.push_back(std::move(quotes));
    legs.push_back(std::move(leg));
  }
  if (!WithinLimit(work, net)) {
    EndQuietly(work, LegInEnd::kMarketMoved,
               absl::StrCat("the legs' displayed prices make ", net.ToString(), ", beyond limit ",
                            work.order.limit.ToString()));
    return;
  }
  const core::Quantity units = NextSliceUnits(policy_, units_left, display);
  if (!units.is_positive()) {
    EndQuietly(work, LegInEnd::kMarketMoved,
               absl::StrCat("the displayed sizes (", policy_.displayed_size_percent,
                            "% usable) do not make one whole unit"));
    return;
  }

  // R12: every leg order must be sendable before the first one goes.
  for (size_t i = 0; i < legs.size(); ++i) {
    const LegVenue& venue = *FindVenue(best[i].venue);
    PreflightLeg check{legs[i].instrument,
                       legs[i].symbol,
                       legs[i].side,
                       best[i].venue,
                       best[i].price,
                       units * legs[i].ratio,
                       TickRuleAt(venue, legs[i].instrument),
                       venue.max_order_quantity,
                       PhaseAt(best[i].venue, legs[i].instrument),
                       best[i].price,
                       best[i].size,
                       venue.professional_band_ticks,
                       venue.professional_availability};
    std::vector<DisplayedPrice> elsewhere;
    for (const Quote& quote : all_quotes[i]) elsewhere.push_back({quote.venue, quote.price});
    if (std::optional<std::string> refusal = CheckLegOrder(check, elsewhere)) {
      EndQuietly(work, LegInEnd::kPreflightFailed, absl::StrCat("pre-flight: ", *refusal));
      return;
    }
  }

  // R19-R23: the order the legs go in.
  std::vector<LegFacts> facts;
  for (size_t i = 0; i < legs.size(); ++i) {
    LegFacts fact;
    for (size_t p = 0; p < policy_.desk_prefers_to_hold.size(); ++p) {
      if (policy_.desk_prefers_to_hold[p] == legs[i].instrument) {
        fact.desk_preference = p;
        break;
      }
    }
    const auto [delta, underlying] = DeltaOf(legs[i].instrument, best[i].price);
    fact.absolute_delta = delta;
    fact.venue_latency = FindVenue(best[i].venue)->expected_latency;
    const core::TopOfBook top = deps_.pricing->legs().Consolidated(legs[i].instrument);
    fact.delta_adjusted_spread =
        top.bid.has_value() && top.ask.has_value()
            ? pricing::DeltaAdjustedSpread(top.bid->price, top.ask->price, delta)
            : std::numeric_limits<double>::infinity();
    fact.risk = std::fabs(DollarDeltaOf(legs[i], best[i].price, units * legs[i].ratio));
    facts.push_back(fact);
  }
  const std::vector<size_t> ranked = RankLegs(policy_, facts);

  // Risk: the most this slice can leave open is its first leg filled alone.
  const Leg& first = legs[ranked.front()];
  const core::Quantity first_quantity = units * first.ratio;
  risk::LegInRequest request;
  request.order = work.order.order;
  request.added.units = first_quantity;
  request.added.notional = Magnitude(
      core::Money::Notional(best[ranked.front()].price, first_quantity, first.multiplier));
  request.added.dollar_delta = DollarDeltaOf(first, best[ranked.front()].price, first_quantity);
  absl::StatusOr<risk::RiskDecision> decision = deps_.risk->CheckLegIn(request);
  if (!decision.ok() || decision->denied()) {
    EndQuietly(work, LegInEnd::kRiskDenied,
               absl::StrCat("risk: ", decision.ok() ? decision->Describe()
                                                    : std::string(decision.status().message())));
    return;
  }

  work.legs.clear();
  std::vector<std::string> names;
  for (size_t index : ranked) {
    names.push_back(legs[index].symbol);
    work.legs.push_back(std::move(legs[index]));
  }
  work.slice_units = units;
  work.current = 0;
  work.legs.front().target = units * work.legs.front().ratio;
  work.slice_started = true;
  if (observer_ != nullptr) {
    Emit(work, LegInEventKind::kStarted,
         absl::StrCat("slice of ", units.value(), " of ", units_left.value(), " units ",
                      core::AsAbsl(ToString(work.order.mode)), ", legs in order ",
                      absl::StrJoin(names, ", ")));
  }
  if (!SendCurrentLeg(work)) RetryOrFail(work, "no venue could take the first leg");
}

std::optional<VenueLegInEngine::Quote> VenueLegInEngine::ChooseVenue(Work& work,
                                                                     std::string* refusal) {
  Leg& leg = work.legs[work.current];
  const core::Quantity need = leg.target - leg.filled;
  std::vector<Quote> quotes = Quotes(leg.instrument, leg.side);
  std::erase_if(quotes, [&leg](const Quote& q) { return leg.tried.contains(q.venue); });
  if (quotes.empty()) {
    *refusal =
        absl::StrCat("no other venue displays an ", OpposingSide(leg.side), " for ", leg.symbol);
    return std::nullopt;
  }
  std::vector<DisplayedPrice> elsewhere;
  for (const Quote& quote : quotes) elsewhere.push_back({quote.venue, quote.price});
  for (const Quote& quote : quotes) {
    std::optional<core::Price> net = ProjectedNet(work, quote.price);
    if (!net.has_value()) {
      *refusal = "a later leg has no displayed price";
      return std::nullopt;
    }
    if (!WithinLimit(work, *net)) {
      *refusal = absl::StrCat(leg.symbol, " at ", quote.price.ToString(), " makes the combo ",
                              net->ToString(), ", beyond limit ", work.order.limit.ToString());
      return std::nullopt;
    }
    const LegVenue& venue = *FindVenue(quote.venue);
    PreflightLeg check{leg.instrument,
                       leg.symbol,
                       leg.side,
                       quote.venue,
                       quote.price,
                       need,
                       TickRuleAt(venue, leg.instrument),
                       venue.max_order_quantity,
                       PhaseAt(quote.venue, leg.instrument),
                       quote.price,
                       quote.size,
                       venue.professional_band_ticks,
                       venue.professional_availability};
    if (std::optional<std::string> problem = CheckLegOrder(check, elsewhere)) {
      *refusal = absl::StrCat("pre-flight: ", *problem);
      leg.tried.insert(quote.venue);
      continue;
    }
    return quote;
  }
  return std::nullopt;
}

bool VenueLegInEngine::Send(Work& work, const Quote& quote) {
  Leg& leg = work.legs[work.current];
  const LegVenue& venue = *FindVenue(quote.venue);
  venues::OrderRequest request;
  request.participant = deps_.participant;
  request.order_id = core::OrderId(next_order_id_++);
  request.instrument = leg.instrument;
  request.side = leg.side;
  request.type = venues::OrderType::kLimit;
  request.limit_price = quote.price;
  request.quantity = leg.target - leg.filled;
  request.time_in_force = policy_.leg_order_type == LegOrderType::kImmediateOrCancel
                              ? venues::TimeInForce::kImmediateOrCancel
                              : venues::TimeInForce::kDay;
  if (absl::Status status = venue.venue->Submit(request); !status.ok()) {
    leg.tried.insert(quote.venue);
    return false;
  }
  ++leg_orders_sent_;
  metrics_.LegOrder(quote.venue, LegOrderOutcome::kSent);
  LegOrder order;
  order.venue = quote.venue;
  order.id = request.order_id;
  order.quantity = request.quantity;
  order.filled = core::Quantity::Zero();
  const core::OrderId combo_order = work.order.order;
  const core::OrderId leg_order = request.order_id;
  // A venue that works an order longer than the policy's timeout (a negotiation) ends it itself.
  const core::Duration timeout = std::max(policy_.leg_timeout, venue.order_life);
  order.timeout = deps_.scheduler->ScheduleAfter(timeout, [self = self_, combo_order, leg_order]() {
    if (*self != nullptr) (*self)->OnLegTimeout(combo_order, leg_order);
  });
  work.working = std::move(order);
  by_leg_order_[{quote.venue, leg_order}] = combo_order;
  if (observer_ != nullptr) {
    Emit(work, LegInEventKind::kLegSent,
         absl::StrCat("leg ", leg.symbol, " ", Verb(leg.side), " ", request.quantity.value(), " @ ",
                      quote.price.ToString(), " ",
                      policy_.leg_order_type == LegOrderType::kImmediateOrCancel ? "ioc" : "limit",
                      " to venue ", quote.venue.value()),
         &*work.working);
  }
  return true;
}

bool VenueLegInEngine::SendCurrentLeg(Work& work) {
  std::string refusal;
  while (std::optional<Quote> quote = ChooseVenue(work, &refusal)) {
    if (Send(work, *quote)) return true;
  }
  last_refusal_ = refusal;
  return false;
}

// --- Leg orders ------------------------------------------------------------------------------

void VenueLegInEngine::OnLegTimeout(core::OrderId id, core::OrderId leg_order) {
  Work* work = FindWork(id);
  if (work == nullptr || !work->working.has_value() || work->working->id != leg_order) return;
  LegOrder& order = *work->working;
  order.timeout = core::TimerId{};
  order.timed_out = true;
  metrics_.LegOrder(order.venue, LegOrderOutcome::kTimedOut);
  CancelWorkingLeg(*work);
}

void VenueLegInEngine::CancelWorkingLeg(Work& work) {
  LegOrder& order = *work.working;
  if (order.cancel_sent) return;
  if (order.held.is_positive()) {
    // A cancel applies at once and would void the held match (docs/VENUES.md, R26): the trade
    // may still execute, so the cancel waits for the hold to resolve.
    order.cancel_deferred = true;
    return;
  }
  order.cancel_deferred = false;
  order.cancel_sent = true;
  (void)FindVenue(order.venue)->venue->Cancel(venues::CancelRequest{deps_.participant, order.id});
}

void VenueLegInEngine::AfterHoldResolved(Work& work) {
  LegOrder& order = *work.working;
  if (order.held.is_positive()) return;
  if (order.filled + order.cancelled >= order.quantity) {
    OnLegOrderDone(work);
    return;
  }
  if (order.cancel_deferred) CancelWorkingLeg(work);
}

void VenueLegInEngine::OnTradePending(const venues::TradePending& event) {
  Work* work = FindByLegOrder(event.order_id, event.venue);
  if (work == nullptr) return;
  LegOrder& order = *work->working;
  order.held += event.quantity;
  if (observer_ != nullptr) {
    Emit(*work, LegInEventKind::kLegHeld,
         absl::StrCat("leg ", work->legs[work->current].symbol, " at venue ", event.venue.value(),
                      ": ", event.quantity.value(), " @ ", event.price.ToString(),
                      " held by latency protection"),
         &order);
  }
}

void VenueLegInEngine::OnTradeVoided(const venues::TradeVoided& event) {
  Work* work = FindByLegOrder(event.order_id, event.venue);
  if (work == nullptr) return;
  LegOrder& order = *work->working;
  // A void is no execution: nothing is counted filled; the held quantity is free (or cancelled)
  // again.
  order.held = order.held - Min(order.held, event.quantity);
  if (observer_ != nullptr) {
    Emit(*work, LegInEventKind::kLegVoided,
         absl::StrCat("leg ", work->legs[work->current].symbol, " at venue ", event.venue.value(),
                      ": ", event.quantity.value(), " voided (", event.reason, ")"),
         &order);
  }
  AfterHoldResolved(*work);
}

void VenueLegInEngine::OnAck(const venues::OrderAcked& /*event*/) {}

void VenueLegInEngine::OnReject(const venues::OrderRejected& event) {
  Work* work = FindByLegOrder(event.order_id, event.venue);
  if (work == nullptr) return;
  if (event.request != venues::RequestKind::kNew) return;  // a late cancel: the order is done
  work->working->rejected = event.reason;
  OnLegOrderDone(*work);
}

void VenueLegInEngine::OnFill(const venues::Fill& event) {
  Work* work = FindByLegOrder(event.order_id, event.venue);
  if (work == nullptr) return;
  LegOrder& order = *work->working;
  Leg& leg = work->legs[work->current];
  // Never more than the order asked for (a venue that over-fills is not believed).
  const core::Quantity quantity = Min(event.quantity, order.quantity - order.filled);
  // A fill resolves (part of) a hold: the held match executed.
  order.held = order.held - Min(order.held, event.quantity);
  if (quantity.is_positive()) {
    order.filled += quantity;
    leg.filled += quantity;
    if (!leg.executions.empty() && leg.executions.back().venue == event.venue &&
        leg.executions.back().price == event.price) {
      leg.executions.back().quantity += quantity;
    } else {
      leg.executions.push_back(
          LegInExecution{leg.instrument, leg.side, event.venue, event.price, quantity});
    }
    UpdateExposure(*work);
  }
  if (event.leaves_quantity.is_zero() || order.filled == order.quantity) {
    OnLegOrderDone(*work);
    return;
  }
  AfterHoldResolved(*work);
}

void VenueLegInEngine::OnComplexFill(const venues::ComplexFill& /*event*/) {}

void VenueLegInEngine::OnCancelled(const venues::OrderCancelled& event) {
  Work* work = FindByLegOrder(event.order_id, event.venue);
  if (work == nullptr) return;
  LegOrder& order = *work->working;
  order.cancelled += event.cancelled_quantity;
  if (order.held.is_positive()) {
    // An IOC's unheld rest is cancelled while its held part stays open (docs/VENUES.md D7): the
    // order is done only once the hold resolves too.
    if (order.filled + order.cancelled < order.quantity) return;
    // The venue cancelled the held part itself: the held match did not execute, a void (the
    // venue's TradeVoided follows for an order the engine is already done with).
    const core::Quantity voided = order.held;
    order.held = core::Quantity::Zero();
    if (observer_ != nullptr) {
      Emit(*work, LegInEventKind::kLegVoided,
           absl::StrCat("leg ", work->legs[work->current].symbol, " at venue ", event.venue.value(),
                        ": ", voided.value(), " voided (the venue cancelled the held part)"),
           &order);
    }
  }
  OnLegOrderDone(*work);
}

void VenueLegInEngine::OnRestated(const venues::OrderRestated& /*event*/) {}

void VenueLegInEngine::OnLegOrderDone(Work& work) {
  const LegOrder order = *work.working;
  work.working.reset();
  by_leg_order_.erase({order.venue, order.id});
  if (order.timeout.valid()) deps_.scheduler->Cancel(order.timeout);
  Leg& leg = work.legs[work.current];
  LegOrderOutcome outcome = LegOrderOutcome::kUnfilled;
  std::string what;
  if (!order.rejected.empty()) {
    outcome = LegOrderOutcome::kRejected;
    what = absl::StrCat("rejected (", order.rejected, ")");
  } else if (order.filled == order.quantity) {
    outcome = LegOrderOutcome::kFilled;
    what = absl::StrCat("filled ", order.filled.value());
  } else if (order.filled.is_positive()) {
    outcome = LegOrderOutcome::kPartiallyFilled;
    what = absl::StrCat("filled ", order.filled.value(), " of ", order.quantity.value());
  } else {
    what = absl::StrCat("not filled (0 of ", order.quantity.value(), ")");
  }
  if (order.timed_out) absl::StrAppend(&what, " after the leg timeout");
  metrics_.LegOrder(order.venue, outcome);
  if (observer_ != nullptr) {
    Emit(work, LegInEventKind::kLegDone,
         absl::StrCat("leg ", leg.symbol, " at venue ", order.venue.value(), ": ", what), &order);
  }

  if (work.cancel_requested) {
    Conclude(work, LegInEnd::kCancelled, "cancelled by the router");
    return;
  }
  if (leg.filled < leg.target) leg.tried.insert(order.venue);
  if (work.current == 0 && leg.filled.is_positive() && leg.filled < leg.target) {
    // A partially filled first leg (R15): the slice shrinks to the units it started; the
    // following legs are sized by it. A part unit still needs its rest of the first leg.
    const int64_t started = (leg.filled.value() + leg.ratio - 1) / leg.ratio;
    work.slice_units = core::Quantity(started);
    leg.target = work.slice_units * leg.ratio;
  }
  if (leg.filled >= leg.target) {
    NextLeg(work);
    return;
  }
  RetryOrFail(work, what);
}

void VenueLegInEngine::NextLeg(Work& work) {
  ++work.current;
  if (work.current == work.legs.size()) {
    SliceDone(work);
    return;
  }
  Leg& leg = work.legs[work.current];
  leg.target = work.slice_units * leg.ratio;
  if (!SendCurrentLeg(work)) RetryOrFail(work, last_refusal_);
}

void VenueLegInEngine::RetryOrFail(Work& work, const std::string& why) {
  Leg& leg = work.legs[work.current];
  if (leg.reroutes < policy_.max_leg_reroutes) {
    std::string refusal;
    if (std::optional<Quote> quote = ChooseVenue(work, &refusal)) {
      ++leg.reroutes;
      Emit(work, LegInEventKind::kRerouted,
           absl::StrCat("leg ", leg.symbol, " ", why, ": re-routed to venue ", quote->venue.value(),
                        " (", leg.reroutes, " of ", policy_.max_leg_reroutes, ")"));
      if (Send(work, *quote)) return;
      if (SendCurrentLeg(work)) return;
    }
  }
  if (leg.resubmits < policy_.max_leg_resubmits) {
    // R29: a leg that found nothing to trade with waits, then is tried again at every venue.
    ++leg.resubmits;
    leg.tried.clear();
    Emit(work, LegInEventKind::kResubmitted,
         absl::StrCat("leg ", leg.symbol, " ", why, ": resubmitting in ",
                      policy_.leg_resubmit_delay.ToString(), " (", leg.resubmits, " of ",
                      policy_.max_leg_resubmits, ")"));
    const core::OrderId id = work.order.order;
    work.pause = deps_.scheduler->ScheduleAfter(policy_.leg_resubmit_delay, [self = self_, id]() {
      if (*self != nullptr) (*self)->OnPauseElapsed(id);
    });
    return;
  }
  Conclude(work, LegInEnd::kLegFailed,
           absl::StrCat("leg ", leg.symbol, " could not be completed: ", why));
}

void VenueLegInEngine::OnPauseElapsed(core::OrderId id) {
  Work* work = FindWork(id);
  if (work == nullptr) return;
  work->pause = core::TimerId{};
  if (work->cancel_requested) {
    Conclude(*work, LegInEnd::kCancelled, "cancelled by the router");
    return;
  }
  if (SendCurrentLeg(*work)) return;
  RetryOrFail(*work, last_refusal_);
}

// --- Units, failure, end ---------------------------------------------------------------------

std::vector<LegInUnits> VenueLegInEngine::TakeUnits(Work& work, core::Quantity units) {
  std::vector<HeldLeg> held;
  for (Leg& leg : work.legs) {
    held.push_back(HeldLeg{leg.combo_leg, leg.ratio, leg.sign, leg.multiplier, &leg.executions});
  }
  std::vector<LegInUnits> reports = TakeWholeUnits(
      work.order.order, std::move(held), units, work.terms->multiplier(), deps_.scheduler->Now());
  for (const LegInUnits& report : reports) work.units_done += report.units;
  return reports;
}

void VenueLegInEngine::SliceDone(Work& work) {
  std::vector<LegInUnits> events = TakeUnits(work, work.slice_units);
  UpdateExposure(work);
  LegInListener* listener = work.listener;
  const core::OrderId id = work.order.order;
  const bool all_done = work.units_done >= work.order.units;
  const bool stopping = work.cancel_requested || work.stop_after_slice;
  if (all_done || stopping) {
    EndQuietly(work, all_done ? LegInEnd::kCompleted : LegInEnd::kCancelled,
               all_done ? "all units done" : StopReason(work));
  } else {
    // The next slice after the fills' market data is in (same time, later in the queue).
    work.pause = deps_.scheduler->ScheduleAfter(core::Duration::Zero(), [self = self_, id]() {
      if (*self != nullptr) (*self)->BeginSlice(id);
    });
  }
  for (const LegInUnits& event : events) listener->OnLegInUnits(event);
}

void VenueLegInEngine::Conclude(Work& work, LegInEnd cause, std::string reason) {
  // Whole units the legs still make go to the client; the rest to the error account (R16).
  std::vector<LegInUnits> units;
  if (work.slice_started)
    units = TakeUnits(work, core::Quantity(std::numeric_limits<int64_t>::max()));
  std::vector<LegInExecution> leftovers;
  for (Leg& leg : work.legs) {
    leftovers.insert(leftovers.end(), leg.executions.begin(), leg.executions.end());
    leg.executions.clear();
  }
  UpdateExposure(work);
  const core::Quantity units_left = work.order.units - work.units_done;
  const LegInMode mode = work.order.mode;
  metrics_.Failure(mode, cause);
  metrics_.Duration(mode, (deps_.clock->Now() - work.started).ToSecondsDouble());
  Emit(work, LegInEventKind::kEnded,
       absl::StrCat(core::AsAbsl(ToString(cause)), ": ", reason, "; ", units_left.value(),
                    " units back", leftovers.empty() ? "" : ", leftovers to the error account"));
  LegInListener* listener = work.listener;
  const core::OrderId id = work.order.order;
  Forget(id);
  const bool failed = cause == LegInEnd::kLegFailed || !leftovers.empty();
  deps_.scheduler->ScheduleAfter(
      core::Duration::Zero(),
      [self = self_, listener, id, cause, failed, units_left, reason = std::move(reason),
       units = std::move(units), leftovers = std::move(leftovers)]() {
        if (*self == nullptr) return;
        const core::Timestamp now = (*self)->deps_.scheduler->Now();
        for (const LegInUnits& event : units) listener->OnLegInUnits(event);
        if (failed) {
          listener->OnLegInFailed(LegInFailure{id, units_left, leftovers, reason, now, cause});
        } else {
          listener->OnLegInFinished(LegInDone{id, units_left, reason, now, cause});
        }
      });
}

void VenueLegInEngine::EndQuietly(Work& work, LegInEnd cause, std::string reason) {
  const core::Quantity units_left = work.order.units - work.units_done;
  const LegInMode mode = work.order.mode;
  if (cause == LegInEnd::kCompleted) {
    metrics_.Success(mode);
  } else {
    metrics_.Failure(mode, cause);
  }
  metrics_.Duration(mode, (deps_.clock->Now() - work.started).ToSecondsDouble());
  const bool started = cause == LegInEnd::kCompleted || cause == LegInEnd::kCancelled;
  Emit(work, started ? LegInEventKind::kEnded : LegInEventKind::kNotStarted,
       absl::StrCat(core::AsAbsl(ToString(cause)), ": ", reason, "; ", units_left.value(),
                    " units back"));
  LegInListener* listener = work.listener;
  const core::OrderId id = work.order.order;
  Forget(id);
  deps_.scheduler->ScheduleAfter(
      core::Duration::Zero(),
      [self = self_, listener, id, cause, units_left, reason = std::move(reason)]() {
        if (*self == nullptr) return;
        listener->OnLegInFinished(
            LegInDone{id, units_left, reason, (*self)->deps_.scheduler->Now(), cause});
      });
}

void VenueLegInEngine::Forget(core::OrderId id) {
  auto it = work_.find(id);
  if (it == work_.end()) return;
  if (it->second.pause.valid()) deps_.scheduler->Cancel(it->second.pause);
  if (it->second.exposure.units.is_positive()) {
    (void)deps_.risk->ReportLegInExposure(id, risk::LegInExposure{});
  }
  work_.erase(it);
  metrics_.SetOpenOrders(static_cast<double>(work_.size()));
  PublishTotals();
}

// --- Exposure and events ---------------------------------------------------------------------

void VenueLegInEngine::UpdateExposure(Work& work) {
  risk::LegInExposure exposure;
  for (const Leg& leg : work.legs) {
    for (const LegInExecution& execution : leg.executions) {
      exposure.units += execution.quantity;
      exposure.notional +=
          Magnitude(core::Money::Notional(execution.price, execution.quantity, leg.multiplier));
      exposure.dollar_delta += DollarDeltaOf(leg, execution.price, execution.quantity);
    }
  }
  if (exposure.units == work.exposure.units && exposure.notional == work.exposure.notional) return;
  work.exposure = exposure;
  (void)deps_.risk->ReportLegInExposure(work.order.order, exposure);
  PublishTotals();
  if (observer_ != nullptr) {
    Emit(work, LegInEventKind::kExposure,
         absl::StrCat("unhedged ", exposure.units.value(), " contracts, notional ",
                      core::AsAbsl(exposure.notional.ToString()), ", dollar delta ",
                      static_cast<int64_t>(std::llround(exposure.dollar_delta))));
  }
}

void VenueLegInEngine::PublishTotals() {
  double units = 0;
  double notional = 0;
  double dollar_delta = 0;
  for (const auto& [id, work] : work_) {
    units += static_cast<double>(work.exposure.units.value());
    notional += work.exposure.notional.ToDouble();
    dollar_delta += work.exposure.dollar_delta;
  }
  metrics_.SetUnhedged(units, notional, dollar_delta);
}

void VenueLegInEngine::Emit(const Work& work, LegInEventKind kind, std::string text,
                            const LegOrder* leg_order) {
  if (observer_ == nullptr) return;
  LegInEvent event;
  event.order = work.order.order;
  event.kind = kind;
  event.text = std::move(text);
  event.exposure = work.exposure;
  event.time = deps_.scheduler->Now();
  if (leg_order != nullptr) {
    event.venue = leg_order->venue;
    event.leg_order = leg_order->id;
    event.instrument = work.legs[work.current].instrument;
  }
  observer_->OnLegInEvent(event);
}

}  // namespace combo::router
