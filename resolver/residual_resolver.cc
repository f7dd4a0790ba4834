#include "resolver/residual_resolver.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "accounts/marks.h"
#include "core/absl_compat.h"

namespace combo::resolver {
namespace {

using accounts::ResidualActionKind;
using accounts::ResolverPurpose;

core::Money Abs(core::Money money) { return money.is_negative() ? -money : money; }

// Delta in basis points (the one floating-point input, rounded at once; docs/RESOLVER.md).
std::optional<int64_t> DeltaBps(const pricing::DeltaModel& model,
                                const core::Instrument& instrument,
                                std::optional<core::Price> underlying, core::Timestamp now) {
  if (!instrument.is_option()) return 10000;
  if (!underlying.has_value()) return std::nullopt;
  absl::StatusOr<double> delta = model.Delta(instrument, *underlying, now);
  if (!delta.ok()) return std::nullopt;
  return static_cast<int64_t>(std::llround(*delta * 10000.0));
}

}  // namespace

absl::StatusOr<std::unique_ptr<ResidualResolver>> ResidualResolver::Create(
    ResolverConfig config, ResolverDependencies deps) {
  if (deps.instruments == nullptr || deps.market == nullptr || deps.delta == nullptr ||
      deps.accounts == nullptr || deps.scheduler == nullptr) {
    return absl::InvalidArgumentError(
        "residual resolver: the catalog, the market, the delta model, the accounts and the "
        "scheduler are required");
  }
  if (absl::Status status = config.Validate(); !status.ok()) return status;
  std::unique_ptr<ResidualResolver> resolver(
      new ResidualResolver(std::move(config), std::move(deps)));
  if (resolver->deps_.registry != nullptr) {
    absl::StatusOr<ResolverMetrics> metrics = ResolverMetrics::Create(*resolver->deps_.registry);
    if (!metrics.ok()) return metrics.status();
    resolver->metrics_ = std::move(*metrics);
    resolver->metrics_->SetHorizon(resolver->config_.horizon.ToSecondsDouble());
  }
  for (venues::Venue* venue : resolver->deps_.venues) {
    if (absl::Status status = venue->Connect(resolver->deps_.participant, resolver.get());
        !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "residual resolver: venue ", core::AsAbsl(venue->name()), ": ", status.message()));
    }
  }
  return resolver;
}

ResidualResolver::ResidualResolver(ResolverConfig config, ResolverDependencies deps)
    : config_(std::move(config)),
      deps_(std::move(deps)),
      next_order_id_(deps_.first_order_id),
      epoch_(deps_.accounts->ledger().last_sequence()) {}

ResidualResolver::~ResidualResolver() { Stop(); }

void ResidualResolver::Start() {
  started_ = true;
  // Off, it keeps no timer (a simulated run must not see one the daemon would not have).
  if (config_.enabled && !timer_.valid()) ScheduleNext();
}

void ResidualResolver::Stop() {
  started_ = false;
  if (timer_.valid()) deps_.scheduler->Cancel(timer_);
  timer_ = core::TimerId{};
}

void ResidualResolver::ScheduleNext() {
  timer_ = deps_.scheduler->ScheduleAfter(config_.interval, [this] {
    timer_ = core::TimerId{};
    RunOnce();
    if (started_ && config_.enabled) ScheduleNext();
  });
}

absl::Status ResidualResolver::Reconfigure(const ResolverConfig& config) {
  if (absl::Status status = config.Validate(); !status.ok()) return status;
  const bool interval_changed = config.interval != config_.interval;
  config_ = config;
  if (metrics_.has_value()) metrics_->SetHorizon(config_.horizon.ToSecondsDouble());
  if (timer_.valid() && (interval_changed || !config_.enabled)) {
    deps_.scheduler->Cancel(timer_);
    timer_ = core::TimerId{};
  }
  if (started_ && config_.enabled && !timer_.valid()) ScheduleNext();
  return absl::OkStatus();
}

std::optional<core::Price> ResidualResolver::Mid(core::InstrumentId instrument) const {
  if (!deps_.market->Find(instrument).has_value()) return std::nullopt;
  return accounts::MidOf(deps_.market->Consolidated(instrument));
}

void ResidualResolver::RunOnce() {
  const accounts::Ledger& ledger = deps_.accounts->ledger();
  // Residuals are named by order id; the journal's map is ordered, so evaluation order is too.
  std::vector<core::OrderId> ids;
  for (const auto& [order, residual] : ledger.residuals()) ids.push_back(order);
  for (core::OrderId order : ids) {
    const accounts::ResidualRecord* residual = deps_.accounts->ledger().FindResidual(order);
    const accounts::OrderRecord* record = deps_.accounts->ledger().FindOrder(order);
    if (residual == nullptr || record == nullptr) continue;
    if (!residual->is_open()) {
      // Worked to nothing: resolved (once), unless the resolver never touched it.
      if (residual->actions > 0 && residual->last_action != ResidualActionKind::kResolved &&
          !in_flight_.contains(order)) {
        const core::Duration open = deps_.scheduler->Now() - residual->opened_at;
        if (metrics_.has_value()) metrics_->ObserveTimeInResidue(open.ToSecondsDouble());
        Journal(order, ResidualActionKind::kResolved, "resolved",
                absl::StrCat("flat after ", open.ToString()));
      }
      continue;
    }
    if (!config_.enabled || residual->handed_off || residual->held || in_flight_.contains(order)) {
      continue;
    }
    Evaluate(order, *residual, *record);
  }
  ObserveMetrics();
}

void ResidualResolver::Evaluate(core::OrderId order, const accounts::ResidualRecord& residual,
                                const accounts::OrderRecord& record) {
  if (config_.hand_off.contains(order)) {
    Journal(order, ResidualActionKind::kHandOff, "handed_off",
            "resolver.hand_off names it: a person works it from now on");
    return;
  }
  const core::Timestamp now = deps_.scheduler->Now();
  if (now - residual.opened_at >= config_.horizon) {
    Journal(order, ResidualActionKind::kHold, "held",
            absl::StrCat("open for ", (now - residual.opened_at).ToString(), ", past the ",
                         config_.horizon.ToString(), " horizon: held for a person"));
    return;
  }
  if (deps_.risk != nullptr && deps_.risk->trading_state() == risk::TradingState::kHalted) return;
  // Whole units first: the client's order takes them when it still wants them.
  std::vector<accounts::LegPrice> prices;
  const core::Quantity whole = WholeUnits(residual, record, &prices);
  if (whole.is_positive() && deps_.taker != nullptr) {
    const core::Quantity wanted = std::min(whole, deps_.taker->UnitsWanted(order, prices));
    if (wanted.is_positive()) {
      absl::Status delivered = deps_.taker->Deliver(order, wanted, prices);
      Journal(order, ResidualActionKind::kDeliver, delivered.ok() ? "delivered" : "refused",
              delivered.ok() ? absl::StrCat(wanted.value(), " units to the order")
                             : std::string(delivered.message()));
      if (delivered.ok()) return;
    }
  }
  const ResidualView view = View(residual, record);
  const Decision decision = Choose(view, config_);
  switch (decision.choice) {
    case Choice::kComplete:
      if (Send(order, ResidualActionKind::kComplete, ResolverPurpose::kComplete, view.complete)) {
        Journal(order, ResidualActionKind::kComplete, "sent", decision.Describe());
      }
      return;
    case Choice::kUnwind:
      if (Send(order, ResidualActionKind::kUnwind, ResolverPurpose::kUnwind, view.unwind)) {
        Journal(order, ResidualActionKind::kUnwind, "sent", decision.Describe());
      }
      return;
    case Choice::kHedge:
      if (Send(order, ResidualActionKind::kHedge, ResolverPurpose::kHedge, {view.hedge})) {
        Journal(order, ResidualActionKind::kHedge, "sent", decision.Describe());
      }
      return;
    case Choice::kWait:
      // Journaled when it starts waiting, not at every evaluation.
      if (residual.last_action != ResidualActionKind::kHold || residual.last_outcome != "waiting") {
        Journal(order, ResidualActionKind::kHold, "waiting", decision.Describe());
      }
      return;
  }
}

core::Quantity ResidualResolver::WholeUnits(const accounts::ResidualRecord& residual,
                                            const accounts::OrderRecord& record,
                                            std::vector<accounts::LegPrice>* prices) const {
  std::optional<int64_t> units;
  for (const accounts::LegTerms& leg : record.accepted.legs) {
    auto held = residual.positions.find(leg.instrument);
    if (held == residual.positions.end()) return core::Quantity::Zero();
    const core::Side side = accounts::LegExecutionSide(record.accepted.side, leg);
    const int64_t have = core::Sign(side) * held->second.quantity().value();
    const std::optional<core::Price> average = held->second.AveragePrice();
    if (have <= 0 || !average.has_value()) return core::Quantity::Zero();
    units = std::min(units.value_or(INT64_MAX), have / leg.ratio);
    prices->push_back(accounts::LegPrice{leg.instrument, *average});
  }
  return core::Quantity(units.value_or(0));
}

ResidualView ResidualResolver::View(const accounts::ResidualRecord& residual,
                                    const accounts::OrderRecord& record) const {
  ResidualView view;
  const core::Timestamp now = deps_.scheduler->Now();
  const core::Duration age = now - residual.opened_at;
  view.complete_band_ticks = config_.complete.BandTicksAt(age, config_.horizon);
  view.unwind_band_ticks = config_.unwind.BandTicksAt(age, config_.horizon);
  view.time_left_bps = age >= config_.horizon
                           ? 0
                           : 10000 - static_cast<int64_t>(absl::int128(age.nanoseconds()) * 10000 /
                                                          config_.horizon.nanoseconds());
  const auto capped = [&](core::Quantity quantity) {
    return config_.max_order_quantity.is_positive() ? std::min(quantity, config_.max_order_quantity)
                                                    : quantity;
  };
  std::set<core::InstrumentId> legs;
  for (const accounts::LegTerms& leg : record.accepted.legs) legs.insert(leg.instrument);
  // Unwind: every open position, legs and hedge.
  for (const auto& [instrument, position] : residual.positions) {
    if (position.is_flat()) continue;
    const core::Instrument* listed = deps_.instruments->Find(instrument);
    if (listed == nullptr) {
      view.unwind.push_back(std::nullopt);
      continue;
    }
    if (!legs.contains(instrument)) view.hedged = true;
    view.unwind.push_back(
        PlanTrade(*deps_.market, *listed,
                  position.quantity().is_long() ? core::Side::kSell : core::Side::kBuy,
                  capped(position.quantity().Magnitude()), view.unwind_band_ticks));
  }
  // Complete: the missing legs of the smallest number of whole units holding every leg.
  int64_t units = 0;
  for (const accounts::LegTerms& leg : record.accepted.legs) {
    auto held = residual.positions.find(leg.instrument);
    const int64_t have = held == residual.positions.end()
                             ? 0
                             : core::Sign(accounts::LegExecutionSide(record.accepted.side, leg)) *
                                   held->second.quantity().value();
    units = std::max(units, (std::max<int64_t>(have, 0) + leg.ratio - 1) / leg.ratio);
  }
  std::vector<accounts::LegPrice> prices;
  for (const accounts::LegTerms& leg : record.accepted.legs) {
    const core::Side side = accounts::LegExecutionSide(record.accepted.side, leg);
    auto held = residual.positions.find(leg.instrument);
    const int64_t have =
        held == residual.positions.end() ? 0 : core::Sign(side) * held->second.quantity().value();
    const int64_t missing = units * leg.ratio - std::max<int64_t>(have, 0);
    const core::Instrument* listed = deps_.instruments->Find(leg.instrument);
    const std::optional<core::Price> mid = Mid(leg.instrument);
    if (missing > 0) {
      view.complete.push_back(listed == nullptr
                                  ? std::nullopt
                                  : PlanTrade(*deps_.market, *listed, side, core::Quantity(missing),
                                              view.complete_band_ticks));
      if (view.complete.back().has_value() && view.complete.back()->full()) {
        const core::Price worst = view.complete.back()->slices.back().price;
        prices.push_back(accounts::LegPrice{leg.instrument, worst});
      }
    } else if (held != residual.positions.end() && held->second.AveragePrice().has_value()) {
      prices.push_back(accounts::LegPrice{leg.instrument, *held->second.AveragePrice()});
      // Handing the leg over gives up its marked P&L (a loss handed over is a gain).
      if (mid.has_value()) view.handed_over += held->second.Unrealized(*mid);
    }
  }
  if (units > 0 && deps_.taker != nullptr && prices.size() == record.accepted.legs.size()) {
    view.deliverable =
        deps_.taker->UnitsWanted(record.accepted.order, prices) >= core::Quantity(units);
  }
  // Delta: in shares of the first option leg's underlying (or the first leg's symbol).
  std::string underlying;
  for (const accounts::LegTerms& leg : record.accepted.legs) {
    const core::Instrument* listed = deps_.instruments->Find(leg.instrument);
    if (listed != nullptr && underlying.empty()) {
      underlying = listed->underlying().empty() ? listed->symbol() : listed->underlying();
    }
  }
  const core::Instrument* hedge_instrument = nullptr;
  for (const auto& [id, instrument] : deps_.instruments->all()) {
    if (instrument.symbol() == underlying &&
        (instrument.asset_class() == core::AssetClass::kStock ||
         instrument.asset_class() == core::AssetClass::kEtf)) {
      hedge_instrument = &instrument;
    }
  }
  const std::optional<core::Price> spot =
      hedge_instrument != nullptr ? Mid(hedge_instrument->id()) : std::nullopt;
  // Shares x 10000 (delta in basis points), exact.
  absl::int128 delta_shares_bps = 0;
  for (const auto& [instrument, position] : residual.positions) {
    if (position.is_flat()) continue;
    const core::Instrument* listed = deps_.instruments->Find(instrument);
    if (listed == nullptr) continue;
    const std::optional<core::Price> mid = Mid(instrument);
    const std::optional<int64_t> delta = DeltaBps(*deps_.delta, *listed, spot, now);
    if (delta.has_value() && spot.has_value()) {
      delta_shares_bps += absl::int128(*delta) * position.quantity().value() * listed->multiplier();
    } else if (mid.has_value()) {
      // Without a delta, the position's own notional is the dollar risk (a floor for an option).
      view.dollar_delta +=
          Abs(core::Money::FromPrice(*mid) * (position.quantity().value() * listed->multiplier()));
    }
  }
  const absl::int128 delta_shares = delta_shares_bps / 10000;
  view.delta_shares = static_cast<int64_t>(delta_shares < 0 ? -delta_shares : delta_shares);
  if (spot.has_value()) {
    view.dollar_delta +=
        core::Money::FromRaw(core::Money::FromPrice(*spot).raw() * absl::int128(view.delta_shares));
  }
  if (hedge_instrument != nullptr && view.delta_shares > 0 &&
      !legs.contains(hedge_instrument->id())) {
    const int64_t hedge = view.delta_shares / hedge_instrument->multiplier();
    if (hedge > 0) {
      view.hedge = PlanTrade(*deps_.market, *hedge_instrument,
                             delta_shares > 0 ? core::Side::kSell : core::Side::kBuy,
                             capped(core::Quantity(hedge)), config_.hedge.band_ticks);
    }
  }
  return view;
}

bool ResidualResolver::Send(core::OrderId residual, ResidualActionKind action,
                            ResolverPurpose purpose,
                            const std::vector<std::optional<TradePlan>>& plans) {
  InFlight flight;
  flight.action = action;
  for (const std::optional<TradePlan>& plan : plans) {
    if (!plan.has_value() || !plan->available.is_positive()) continue;
    // One immediate order per venue, at the worst price of that venue's slices (inside the band).
    std::map<core::VenueId, std::pair<core::Quantity, core::Price>> per_venue;
    for (const pricing::LegAllocation& slice : plan->slices) {
      auto [it, inserted] = per_venue.try_emplace(slice.venue, slice.quantity, slice.price);
      if (inserted) continue;
      it->second.first += slice.quantity;
      it->second.second = plan->side == core::Side::kBuy ? std::max(it->second.second, slice.price)
                                                         : std::min(it->second.second, slice.price);
    }
    for (const auto& [venue_id, order] : per_venue) {
      venues::Venue* venue = nullptr;
      for (venues::Venue* candidate : deps_.venues) {
        if (candidate->id() == venue_id) venue = candidate;
      }
      if (venue == nullptr) continue;
      venues::OrderRequest request;
      request.side = plan->side;
      request.type = venues::OrderType::kLimit;
      request.limit_price = order.second;
      request.quantity = order.first;
      request.time_in_force = venues::TimeInForce::kImmediateOrCancel;
      request.participant = deps_.participant;
      request.order_id = core::OrderId(next_order_id_++);
      request.instrument = plan->instrument;
      if (!venue->Submit(request).ok()) continue;
      orders_.emplace(request.order_id,
                      WorkingOrder{residual, purpose, venue_id, plan->instrument, plan->side,
                                   order.first, core::Quantity::Zero(), core::Quantity::Zero()});
      flight.orders.insert(request.order_id);
      flight.wanted += order.first;
    }
  }
  if (flight.orders.empty()) return false;
  in_flight_.emplace(residual, std::move(flight));
  return true;
}

void ResidualResolver::OnAck(const venues::OrderAcked& /*event*/) {}
void ResidualResolver::OnComplexFill(const venues::ComplexFill& /*event*/) {}
void ResidualResolver::OnRestated(const venues::OrderRestated& /*event*/) {}

void ResidualResolver::OnReject(const venues::OrderRejected& event) {
  if (event.request == venues::RequestKind::kNew) Finished(event.order_id);
}

void ResidualResolver::OnCancelled(const venues::OrderCancelled& event) {
  auto it = orders_.find(event.order_id);
  if (it == orders_.end()) return;
  it->second.done += event.cancelled_quantity;
  if (it->second.done >= it->second.quantity) Finished(event.order_id);
}

void ResidualResolver::OnFill(const venues::Fill& event) {
  auto it = orders_.find(event.order_id);
  if (it == orders_.end()) return;
  WorkingOrder& order = it->second;
  order.filled += event.quantity;
  order.done += event.quantity;
  if (auto flight = in_flight_.find(order.residual); flight != in_flight_.end()) {
    flight->second.filled += event.quantity;
  }
  const core::Instrument* listed = deps_.instruments->Find(event.instrument);
  accounts::ResolverFill fill;
  fill.order = order.residual;
  fill.purpose = order.purpose;
  fill.venue = event.venue;
  fill.execution_id =
      absl::StrCat("resolver/", epoch_, "/", event.order_id.value(), "/", event.execution_id);
  fill.instrument = event.instrument;
  fill.symbol = listed != nullptr ? listed->symbol() : absl::StrCat("#", event.instrument.value());
  fill.asset_class = listed != nullptr ? listed->asset_class() : core::AssetClass::kStock;
  fill.multiplier = listed != nullptr ? listed->multiplier() : 1;
  fill.side = event.side;
  fill.quantity = event.quantity;
  fill.price = event.price;
  fill.time = event.time;
  RecordEvent(std::move(fill));
  if (order.done >= order.quantity) Finished(event.order_id);
}

void ResidualResolver::Finished(core::OrderId order_id) {
  auto it = orders_.find(order_id);
  if (it == orders_.end()) return;
  const core::OrderId residual = it->second.residual;
  orders_.erase(it);
  auto flight = in_flight_.find(residual);
  if (flight == in_flight_.end()) return;
  flight->second.orders.erase(order_id);
  if (!flight->second.orders.empty()) return;
  const InFlight done = flight->second;
  in_flight_.erase(flight);
  const std::string outcome = done.filled == done.wanted  ? "filled"
                              : done.filled.is_positive() ? "partial"
                                                          : "no_fill";
  Journal(residual, done.action, outcome,
          absl::StrCat(done.filled.value(), " of ", done.wanted.value(), " executed"));
}

void ResidualResolver::Journal(core::OrderId residual, ResidualActionKind action,
                               std::string outcome, std::string detail) {
  accounts::ResidualAction event{residual, action, outcome, detail, deps_.scheduler->Now()};
  if (metrics_.has_value()) metrics_->CountAction(accounts::ToString(action), outcome);
  if (deps_.observer != nullptr) deps_.observer->OnResidualAction(event);
  RecordEvent(std::move(event));
}

void ResidualResolver::RecordEvent(accounts::JournalEvent event) {
  ResolverObserver* observer = deps_.observer;
  absl::Status refused = deps_.accounts->Record(std::move(event), [observer](absl::Status durable) {
    if (!durable.ok() && observer != nullptr) observer->OnResolverJournalError(durable);
  });
  if (!refused.ok() && observer != nullptr) observer->OnResolverJournalError(refused);
}

void ResidualResolver::ObserveMetrics() {
  if (!metrics_.has_value()) return;
  std::map<std::string, double, std::less<>> states = {
      {"working", 0}, {"waiting", 0}, {"hedged", 0}, {"held", 0}, {"handed_off", 0}};
  core::Money pnl = core::Money::Zero();
  core::Money exposure = core::Money::Zero();
  core::Duration oldest = core::Duration::Zero();
  const core::Timestamp now = deps_.scheduler->Now();
  for (const auto& [order, residual] : deps_.accounts->ledger().residuals()) {
    const accounts::OrderRecord* record = deps_.accounts->ledger().FindOrder(order);
    for (const auto& [instrument, position] : residual.positions) {
      pnl += position.realized();
      if (position.is_flat()) continue;
      if (std::optional<core::Price> mid = Mid(instrument); mid.has_value()) {
        pnl += position.Unrealized(*mid);
        exposure += Abs(core::Money::FromPrice(*mid) *
                        (position.quantity().value() * position.multiplier()));
      }
    }
    if (!residual.is_open()) continue;
    oldest = std::max(oldest, now - residual.opened_at);
    bool hedged = false;
    if (record != nullptr) {
      for (const auto& [instrument, position] : residual.positions) {
        if (!position.is_flat() && record->FindLeg(instrument) == nullptr) hedged = true;
      }
    }
    const char* state = residual.handed_off          ? "handed_off"
                        : residual.held              ? "held"
                        : in_flight_.contains(order) ? "working"
                        : hedged                     ? "hedged"
                                                     : "waiting";
    states[state] += 1;
  }
  for (const auto& [state, count] : states) metrics_->SetResidual(state, count);
  metrics_->SetPnl(pnl.ToDouble());
  metrics_->SetExposure(exposure.ToDouble());
  metrics_->SetOldestAge(oldest.ToSecondsDouble());
}

}  // namespace combo::resolver
