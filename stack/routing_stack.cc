#include "stack/routing_stack.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "accounts/marks.h"
#include "core/absl_compat.h"
#include "core/status.h"
#include "stack/build_status.h"

namespace combo::stack {
namespace {

// The latency model's fixed part of a round trip: new order in, ack out.
core::Duration ModelLatency(const venues::SimulatedVenueConfig& config) {
  return config.latency.inbound.new_order.fixed + config.latency.outbound.ack.fixed;
}

}  // namespace

std::string_view ToString(VenueAvailability availability) {
  return availability == VenueAvailability::kUp ? "up" : "down";
}

// One venue's market data on its way to the venue's pricing feed; the venue's own trading-status
// changes (an exchange-wide halt or resume) go to the stack's venue-availability reaction. One
// listener per venue: a venue draws its market-data latency per subscriber.
class RoutingStack::VenueFeed final : public venues::MarketDataListener {
 public:
  VenueFeed(RoutingStack& stack, router::PricingFeed& feed) : stack_(stack), feed_(feed) {}
  void OnLegBookUpdate(const core::LegBookUpdate& update) override {
    feed_.OnLegBookUpdate(update);
  }
  void OnNativeComboUpdate(const core::NativeComboUpdate& update) override {
    feed_.OnNativeComboUpdate(update);
  }
  void OnTradePrint(const core::TradePrint& print) override { feed_.OnTradePrint(print); }
  void OnAopStatus(const venues::AopStatusChanged& status) override { feed_.OnAopStatus(status); }
  void OnSeriesStatus(const venues::SeriesStatusChanged& change) override {
    stack_.OnSeriesStatus(change);
  }
  void OnVenueTradingStatus(const venues::VenueTradingStatusChanged& change) override {
    stack_.SetVenueAvailability(change.venue, change.status == venues::VenueTradingStatus::kOpen
                                                  ? VenueAvailability::kUp
                                                  : VenueAvailability::kDown);
  }

 private:
  RoutingStack& stack_;
  router::PricingFeed& feed_;
};

// Marks the error account at the consolidated top of book pricing keeps.
class RoutingStack::PricingMarks final : public accounts::MarkSource {
 public:
  explicit PricingMarks(const pricing::PricingEngine& engine) : engine_(engine) {}
  std::optional<core::TopOfBook> ConsolidatedTop(core::InstrumentId instrument) const override {
    if (!engine_.legs().Find(instrument).has_value()) return std::nullopt;
    return engine_.legs().Consolidated(instrument);
  }

 private:
  const pricing::PricingEngine& engine_;
};

// The router takes the units the resolver completed for its orders.
class RoutingStack::RouterUnitsTaker final : public resolver::CompletedUnitsTaker {
 public:
  explicit RouterUnitsTaker(router::ComboRouter& router) : router_(router) {}
  core::Quantity UnitsWanted(core::OrderId order,
                             const std::vector<accounts::LegPrice>& leg_prices) const override {
    return router_.ResidualUnitsWanted(order, leg_prices);
  }
  absl::Status Deliver(core::OrderId order, core::Quantity units,
                       std::vector<accounts::LegPrice> leg_prices) override {
    return router_.DeliverResidualUnits(order, units, std::move(leg_prices));
  }

 private:
  router::ComboRouter& router_;
};

// The resolver's actions and journal errors, to the stack's observer.
class RoutingStack::ResolverEvents final : public resolver::ResolverObserver {
 public:
  explicit ResolverEvents(StackObserver* observer) : observer_(observer) {}
  void OnResidualAction(const accounts::ResidualAction& action) override {
    if (observer_ != nullptr) observer_->OnResidualAction(action);
  }
  void OnResolverJournalError(const absl::Status& status) override {
    if (observer_ != nullptr) observer_->OnResolverJournalError(status);
  }

 private:
  StackObserver* observer_;
};

RoutingStack::RoutingStack(StackConfig config, StackDependencies deps)
    : config_(std::move(config)), deps_(deps) {}

RoutingStack::~RoutingStack() {
  if (valuing_) deps_.scheduler->Cancel(valuation_timer_);
  // Market data stops first (venues someone else owns outlive the stack), then the router
  // before the engine and the journal it writes to, and the venues last.
  for (size_t i = 0; i < feeds_.size(); ++i) (void)venues_[i]->Unsubscribe(feeds_[i].get());
  resolver_.reset();
  router_.reset();
  tracker_.reset();
  engine_.reset();
  accounts_.reset();
  if (!temporary_journal_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(temporary_journal_dir_, ignored);
  }
  negotiation_venue_.reset();
  negotiation_service_.reset();
  simulated_venues_.clear();
  prober_.reset();
}

absl::StatusOr<std::unique_ptr<RoutingStack>> RoutingStack::Build(StackConfig config,
                                                                  StackDependencies deps) {
  if (deps.instruments == nullptr || deps.combos == nullptr || deps.scheduler == nullptr ||
      deps.registry == nullptr) {
    return absl::InvalidArgumentError(
        "routing stack: the catalogs, the scheduler and the registry are required");
  }
  std::unique_ptr<RoutingStack> stack(new RoutingStack(std::move(config), deps));
  COMBO_RETURN_IF_ERROR(stack->BuildPricingAndRisk());
  COMBO_RETURN_IF_ERROR(stack->BuildVenues());
  COMBO_RETURN_IF_ERROR(stack->BuildJournal());
  COMBO_RETURN_IF_ERROR(stack->BuildRouting());
  COMBO_RETURN_IF_ERROR(stack->BuildProber());
  COMBO_RETURN_IF_ERROR(stack->BuildResolver());
  return stack;
}

absl::Status RoutingStack::BuildPricingAndRisk() {
  for (const auto& [underlying, parameters] : config_.underlyings) {
    COMBO_RETURN_IF_ERROR(
        Annotate(delta_.SetUnderlying(underlying, parameters), "pricing.underlyings"));
  }
  pricing::PricingConfig pricing_config;
  pricing_config.fee_mode = config_.fee_mode;
  pricing_config.fees = config_.fees;
  for (const StackVenue& venue : config_.venues) {
    if (!venue.routable) continue;
    core::VenueId id;
    if (const auto* built = std::get_if<BuildSimulatedVenue>(&venue.source)) {
      id = built->config.id;
    } else if (const auto* negotiation = std::get_if<BuildNegotiationVenue>(&venue.source)) {
      id = negotiation->venue.id;
    } else if (const auto* used = std::get_if<UseSimulatedVenue>(&venue.source)) {
      if (used->venue == nullptr) return absl::InvalidArgumentError("a used venue is null");
      id = used->venue->id();
    } else {
      const auto& other = std::get<UseVenue>(venue.source);
      if (other.venue == nullptr) return absl::InvalidArgumentError("a used venue is null");
      id = other.venue->id();
    }
    pricing_config.venues.push_back(id);
  }
  COMBO_ASSIGN_OR_RETURN(
      pricing_, WithContext("pricing", pricing::PricingEngine::Create(
                                           *deps_.instruments, *deps_.combos, pricing_config)));
  // Catalog ids run from 1 (core/combo_catalog.h).
  for (size_t id = 1; id <= deps_.combos->size(); ++id) {
    COMBO_RETURN_IF_ERROR(
        Annotate(pricing_->Track(core::ComboId(static_cast<uint32_t>(id))), "pricing"));
  }
  const core::Clock& risk_clock =
      deps_.risk_clock != nullptr ? *deps_.risk_clock : *deps_.scheduler;
  COMBO_ASSIGN_OR_RETURN(
      risk_,
      WithContext("risk", risk::RiskManager::Create(config_.risk, risk_clock, *deps_.registry)));
  risk_->SetListener(this);
  return absl::OkStatus();
}

absl::Status RoutingStack::BuildVenues() {
  for (StackVenue& venue : config_.venues) {
    venues::Venue* joined = nullptr;
    venues::SimulatedVenue* simulated = nullptr;
    if (auto* built = std::get_if<BuildSimulatedVenue>(&venue.source)) {
      venues::SimulatedVenueConfig venue_config = built->config;
      venue_config.latency_protection.metrics = deps_.registry;
      venue_config.aop.metrics = deps_.registry;
      venue_config.metrics = deps_.registry;
      const std::string name = venue_config.name;
      COMBO_ASSIGN_OR_RETURN(
          std::unique_ptr<venues::SimulatedVenue> owned,
          WithContext(absl::StrCat("venue ", name),
                      venues::SimulatedVenue::Create(std::move(venue_config), deps_.scheduler)));
      simulated = owned.get();
      joined = simulated;
      simulated_venues_.push_back(std::move(owned));
    } else if (const auto* negotiation = std::get_if<BuildNegotiationVenue>(&venue.source)) {
      COMBO_RETURN_IF_ERROR(BuildNegotiation(*negotiation));
      joined = negotiation_venue_.get();
    } else if (const auto* used = std::get_if<UseSimulatedVenue>(&venue.source)) {
      if (used->venue == nullptr) return absl::InvalidArgumentError("a used venue is null");
      simulated = used->venue;
      joined = simulated;
    } else {
      joined = std::get<UseVenue>(venue.source).venue;
      if (joined == nullptr) return absl::InvalidArgumentError("a used venue is null");
    }
    feeds_.push_back(std::make_unique<router::PricingFeed>(*pricing_));
    venue_feeds_.push_back(std::make_unique<VenueFeed>(*this, *feeds_.back()));
    COMBO_RETURN_IF_ERROR(Annotate(joined->Subscribe(venue_feeds_.back().get()),
                                   absl::StrCat("venue ", core::AsAbsl(joined->name()))));
    venues_.push_back(joined);
    wiring_.fed_venues.push_back(joined->id());
    simulated_by_position_.push_back(simulated);
    if (venue.routable) {
      routable_venues_.push_back(joined);
      wiring_.routable_venues.push_back(joined->id());
    }
    risk_->SetVenueStatus(joined->id(), risk::VenueStatus::kAvailable);
  }
  // AOP venues watch their third-party sources (other venues), once every venue exists.
  for (const auto& simulated : simulated_venues_) {
    if (!simulated->config().aop.enabled) continue;
    for (core::VenueId source : simulated->config().aop.third_party.sources) {
      for (venues::Venue* venue : venues_) {
        if (venue->id() != source) continue;
        COMBO_RETURN_IF_ERROR(Annotate(simulated->ConnectAopSource(*venue),
                                       absl::StrCat("venue ", simulated->config().name, " AOP")));
      }
    }
  }
  // Venues with an automatic fast market watch their underlyings' primary market (seed 001 R46).
  for (const auto& simulated : simulated_venues_) {
    const auto& automatic = simulated->config().leg_processes.fast_market.automatic;
    if (!automatic.has_value()) continue;
    for (venues::Venue* venue : venues_) {
      if (venue->id() != automatic->primary_market) continue;
      COMBO_RETURN_IF_ERROR(
          Annotate(simulated->ConnectPrimaryMarket(*venue),
                   absl::StrCat("venue ", simulated->config().name, " primary market")));
    }
  }
  std::vector<StackMetrics::VenueName> names;
  for (venues::Venue* venue : venues_) names.push_back({venue->id(), std::string(venue->name())});
  COMBO_ASSIGN_OR_RETURN(metrics_, StackMetrics::Create(*deps_.registry, names));
  return absl::OkStatus();
}

std::vector<router::InstrumentListing> RoutingStack::ListedInstruments() const {
  std::vector<router::InstrumentListing> listed;
  for (const auto& [id, instrument] : deps_.instruments->all()) {
    router::InstrumentListing listing{&instrument, {}};
    for (const venues::Venue* venue : routable_venues_) {
      if (venue->Lists(id)) listing.venues.push_back({venue->id(), std::string(venue->name())});
    }
    if (!listing.venues.empty()) listed.push_back(std::move(listing));
  }
  return listed;
}

std::vector<router::ComboListing> RoutingStack::ListedCombos() const {
  // The combos a routable venue lists by name; a negotiation venue taking any combo lists none
  // by itself, but is named beside every combo listed here.
  std::set<core::ComboId> candidates;
  for (size_t i = 0; i < config_.venues.size(); ++i) {
    if (!config_.venues[i].routable) continue;
    if (const venues::SimulatedVenue* simulated = simulated_by_position_[i]; simulated != nullptr) {
      const venues::ComplexBookConfig& book = simulated->config().complex_book;
      if (!book.enabled) continue;
      for (const venues::ListedCombo& combo : book.combos) candidates.insert(combo.id);
    } else if (const auto* negotiation =
                   std::get_if<BuildNegotiationVenue>(&config_.venues[i].source)) {
      candidates.insert(negotiation->venue.combos.begin(), negotiation->venue.combos.end());
    }
  }
  for (size_t id = 1; id <= deps_.combos->size(); ++id) {
    if (router_->FindDefinedCombo(core::ComboId(static_cast<uint32_t>(id))) != nullptr) {
      candidates.insert(core::ComboId(static_cast<uint32_t>(id)));
    }
  }
  std::vector<router::ComboListing> listed;
  for (core::ComboId id : candidates) {
    const core::ComboSpec* spec = deps_.combos->Find(id);
    if (spec == nullptr) continue;
    router::ComboListing listing{id, spec, {}, router_->FindDefinedCombo(id) != nullptr};
    for (const venues::Venue* venue : routable_venues_) {
      if (venue->TradesNatively(id)) {
        listing.native_venues.push_back({venue->id(), std::string(venue->name())});
      }
    }
    if (listing.defined || !listing.native_venues.empty()) listed.push_back(std::move(listing));
  }
  return listed;
}

absl::Status RoutingStack::BuildNegotiation(const BuildNegotiationVenue& spec) {
  if (negotiation_venue_ != nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", spec.name, ": only one negotiation venue is supported"));
  }
  COMBO_RETURN_IF_ERROR(Annotate(venues::negotiation::ValidateServiceConfig(spec.service),
                                 absl::StrCat("venue ", spec.name)));
  negotiation_service_ = std::make_unique<venues::negotiation::NegotiationService>(
      *deps_.scheduler, *deps_.instruments,
      venues::negotiation::KeyPair::FromLabel(absl::StrCat(spec.name, "-SERVICE")), spec.service);
  venues::negotiation::NegotiationVenueConfig venue_config = spec.venue;
  venue_config.metrics = deps_.registry;
  negotiation_venue_ = std::make_unique<venues::negotiation::NegotiationVenue>(
      *deps_.scheduler, *negotiation_service_, *deps_.instruments, *deps_.combos, venue_config);
  // Legs of a combo trade are split at the consolidated mids pricing knows.
  const pricing::PricingEngine* pricing = pricing_.get();
  negotiation_venue_->SetLegReference(
      [pricing](core::InstrumentId instrument) -> std::optional<core::Price> {
        if (!pricing->legs().Find(instrument).has_value()) return std::nullopt;
        return accounts::MidOf(pricing->legs().Consolidated(instrument));
      });
  return Annotate(negotiation_venue_->Start(), absl::StrCat("venue ", spec.name));
}

absl::Status RoutingStack::BuildJournal() {
  const StackJournal& journal = config_.journal;
  std::string path;
  switch (journal.placement) {
    case JournalPlacement::kNone:
      return absl::OkStatus();
    case JournalPlacement::kTemporaryDirectory: {
      std::string dir_template =
          (std::filesystem::temp_directory_path() / "combo_stack_XXXXXX").string();
      if (mkdtemp(dir_template.data()) == nullptr) {
        return absl::InternalError("cannot create a temporary directory for the journal");
      }
      temporary_journal_dir_ = dir_template;
      path = temporary_journal_dir_ + "/journal.db";
      break;
    }
    case JournalPlacement::kFile:
      path = journal.path;
      COMBO_RETURN_IF_ERROR(
          MakeDirectories(std::filesystem::path(path).parent_path().string(), "journal"));
      break;
  }
  journal_path_ = path;
  COMBO_ASSIGN_OR_RETURN(accounts_, WithContext(absl::StrCat("accounts journal ", path),
                                                accounts::AccountsService::Open(
                                                    path, journal.options, *deps_.scheduler)));
  COMBO_ASSIGN_OR_RETURN(accounts::AccountsMetrics metrics,
                         accounts::AccountsMetrics::Create(*deps_.registry));
  accounts_metrics_ = std::make_unique<accounts::AccountsMetrics>(std::move(metrics));
  for (const auto& [id, instrument] : deps_.instruments->all()) {
    COMBO_RETURN_IF_ERROR(accounts_metrics_->AddInstrument(id, instrument.symbol()));
  }
  marks_ = std::make_unique<PricingMarks>(*pricing_);
  return absl::OkStatus();
}

absl::Status RoutingStack::BuildRouting() {
  // Orders (and leg orders) numbered after everything the journal already holds.
  router::RouterConfig router_config = config_.router;
  if (accounts_ != nullptr) {
    if (std::optional<core::OrderId> last = accounts_->ledger().max_order_id(); last.has_value()) {
      router_config.first_order_id = std::max(router_config.first_order_id, last->value() + 1);
    }
  }
  const core::Clock* latency_clock =
      deps_.latency_clock != nullptr ? deps_.latency_clock : deps_.scheduler;

  router::LegInEngineDependencies engine_deps;
  engine_deps.instruments = deps_.instruments;
  engine_deps.pricing = pricing_.get();
  engine_deps.risk = risk_.get();
  engine_deps.scheduler = deps_.scheduler;
  engine_deps.clock = latency_clock;
  engine_deps.delta = &delta_;
  engine_deps.registry = deps_.registry;
  engine_deps.participant = core::ParticipantId(router_config.participant.value() + 1);
  engine_deps.first_order_id = router_config.first_order_id + kLegOrderIdOffset;
  wiring_.leg_in_participant = engine_deps.participant;
  wiring_.first_leg_order_id = engine_deps.first_order_id;
  for (size_t i = 0; i < config_.venues.size(); ++i) {
    const StackVenue& venue = config_.venues[i];
    if (!venue.routable) continue;
    router::LegVenue leg_venue;
    leg_venue.venue = venues_[i];
    leg_venue.max_order_quantity = venue.max_order_quantity;
    const venues::SimulatedVenue* simulated = simulated_by_position_[i];
    if (simulated != nullptr) {
      for (const venues::ListedInstrument& listed : simulated->config().instruments) {
        leg_venue.tick_rules.insert_or_assign(listed.instrument, listed.tick_rule);
      }
      // The seed 001 rules the venue holds the router's professional leg orders to.
      leg_venue.professional_band_ticks = simulated->config().market_maker.professional_band_ticks;
      leg_venue.professional_availability =
          simulated->config().market_maker.professional_availability;
    }
    // The negotiation network ends its own orders (offer timeouts, trade-request timeouts).
    if (const auto* negotiation =
            dynamic_cast<const venues::negotiation::NegotiationVenue*>(venues_[i]);
        negotiation != nullptr) {
      leg_venue.order_life = negotiation->LongestOrderLife();
    }
    leg_venue.expected_latency = venue.expected_latency.has_value() ? *venue.expected_latency
                                 : simulated != nullptr ? ModelLatency(simulated->config())
                                                        : core::Duration::Zero();
    leg_venues_.push_back(leg_venue);
  }
  engine_deps.venues = leg_venues_;
  if (deps_.leg_in_stand_in != nullptr) {
    tracker_ = std::make_unique<LegInTracker>(*deps_.leg_in_stand_in);
  } else {
    COMBO_ASSIGN_OR_RETURN(
        engine_, WithContext("leg-in engine", router::VenueLegInEngine::Create(
                                                  config_.leg_in, std::move(engine_deps))));
    tracker_ = std::make_unique<LegInTracker>(*engine_);
  }

  router::RouterDependencies deps;
  deps.instruments = deps_.instruments;
  deps.combos = deps_.combos;
  deps.pricing = pricing_.get();
  deps.risk = risk_.get();
  deps.scheduler = deps_.scheduler;
  deps.leg_in = tracker_.get();
  deps.accounts = accounts_.get();
  deps.venues = routable_venues_;
  deps.registry = deps_.registry;
  deps.clock = latency_clock;
  wiring_.router_participant = router_config.participant;
  wiring_.first_order_id = router_config.first_order_id;
  COMBO_ASSIGN_OR_RETURN(
      router_, WithContext("router", router::ComboRouter::Create(router_config, std::move(deps))));
  // The one place a restarted stack takes back what the journal holds open (docs/OPERATIONS.md
  // "What survives a restart"): defined combos keep their ids, open orders resume.
  if (accounts_ != nullptr) {
    // Before any restored order rests again: a native fill after the restart must not reuse an
    // execution id the journal already booked (it would be refused, and its combo fill with it).
    for (const auto& venue : simulated_venues_) {
      venue->ContinueExecutionIdsAfter(
          router::LastNativeExecutionId(accounts_->ledger(), venue->id()));
    }
    COMBO_RETURN_IF_ERROR(Annotate(router_->Restore(accounts_->ledger()),
                                   absl::StrCat("restoring from journal ", journal_path_)));
  }
  return absl::OkStatus();
}

absl::Status RoutingStack::BuildProber() {
  std::vector<VenueProber::Target> targets;
  size_t built = 0;
  for (size_t i = 0; i < config_.venues.size(); ++i) {
    const StackVenue& venue = config_.venues[i];
    const bool is_built = std::holds_alternative<BuildSimulatedVenue>(venue.source);
    venues::SimulatedVenue* simulated = is_built ? simulated_venues_[built++].get() : nullptr;
    if (venue.latency_probe_interval == core::Duration::Zero()) continue;
    if (simulated == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("venue ", core::AsAbsl(venues_[i]->name()),
                       ": the router probes only a simulated venue the stack builds"));
    }
    targets.push_back({simulated, venue.latency_probe_interval});
  }
  if (targets.empty()) return absl::OkStatus();
  COMBO_ASSIGN_OR_RETURN(
      prober_, WithContext("latency prober",
                           VenueProber::Create(std::move(targets),
                                               {{wiring_.router_participant, "router"},
                                                {wiring_.leg_in_participant, "router_legs"}},
                                               deps_.scheduler, deps_.registry)));
  return absl::OkStatus();
}

absl::Status RoutingStack::BuildResolver() {
  if (accounts_ == nullptr) return absl::OkStatus();
  units_taker_ = std::make_unique<RouterUnitsTaker>(*router_);
  resolver_events_ = std::make_unique<ResolverEvents>(deps_.observer);
  resolver::ResolverDependencies deps;
  deps.instruments = deps_.instruments;
  deps.market = &pricing_->legs();
  deps.delta = &delta_;
  deps.accounts = accounts_.get();
  deps.scheduler = deps_.scheduler;
  deps.venues = routable_venues_;
  deps.participant = core::ParticipantId(wiring_.router_participant.value() + 2);
  deps.first_order_id = wiring_.first_order_id + 2 * kLegOrderIdOffset;
  deps.taker = units_taker_.get();
  deps.risk = risk_.get();
  deps.registry = deps_.registry;
  deps.observer = resolver_events_.get();
  COMBO_ASSIGN_OR_RETURN(resolver_,
                         WithContext("residual resolver", resolver::ResidualResolver::Create(
                                                              config_.resolver, std::move(deps))));
  return absl::OkStatus();
}

std::vector<venues::SimulatedVenue*> RoutingStack::built_simulated_venues() const {
  std::vector<venues::SimulatedVenue*> built;
  for (const auto& venue : simulated_venues_) built.push_back(venue.get());
  return built;
}

void RoutingStack::Start() {
  if (prober_ != nullptr) prober_->Start();
  if (resolver_ != nullptr) resolver_->Start();
  if (config_.router.calendar.has_value() && day_end_timers_.empty()) {
    // The router validated the same calendar when it was built.
    calendar_ = router::TradingCalendar::Create(*config_.router.calendar).value();
    day_end_timers_.resize(simulated_venues_.size());
    for (size_t i = 0; i < simulated_venues_.size(); ++i) ScheduleDayEnd(i);
  }
  if (valuing_ || accounts_ == nullptr) return;
  if (config_.error_account_valuation <= core::Duration::Zero()) return;
  valuing_ = true;
  ScheduleValuation();
}

void RoutingStack::Stop() {
  if (prober_ != nullptr) prober_->Stop();
  for (core::TimerId& timer : day_end_timers_) {
    if (timer.valid()) deps_.scheduler->Cancel(timer);
  }
  day_end_timers_.clear();
  if (resolver_ != nullptr) resolver_->Stop();
  if (valuing_) deps_.scheduler->Cancel(valuation_timer_);
  valuing_ = false;
  if (accounts_ == nullptr) return;
  accounts_->Flush();
  ValueErrorAccount();
}

void RoutingStack::ScheduleValuation() {
  valuation_timer_ = deps_.scheduler->ScheduleAfter(config_.error_account_valuation, [this] {
    ValueErrorAccount();
    ScheduleValuation();
  });
}

// A venue's day ends at its close on the calendar: its resting day orders are cancelled. The
// router's own day orders of a product closing then expire at the same moment (it expires
// rather than re-routes an order whose expiry is due).
void RoutingStack::ScheduleDayEnd(size_t venue) {
  venues::SimulatedVenue* simulated = simulated_venues_[venue].get();
  const core::Timestamp close =
      calendar_->VenueDayEndAfter(deps_.scheduler->Now(), simulated->name());
  day_end_timers_[venue] = deps_.scheduler->ScheduleAt(close, [this, venue, simulated] {
    simulated->EndOfDay();
    ScheduleDayEnd(venue);
  });
}

void RoutingStack::ValueErrorAccount() {
  if (accounts_ == nullptr) return;
  const accounts::Ledger& ledger = accounts_->ledger();
  const accounts::ErrorAccountValue value =
      accounts::ValueErrorAccount(ledger, accounts::LiveMarks(ledger, *marks_));
  if (absl::Status status = accounts_metrics_->Observe(ledger, value, accounts_->durable_events());
      !status.ok()) {
    if (deps_.observer != nullptr) deps_.observer->OnValuationMetricsError(status);
  }
  // A journal that could not be written is told once, when combo_journal_writable drops to 0.
  const absl::Status journal = accounts_->journal_health();
  if (!journal.ok() && accounts_metrics_->journal_writable() == 1 && deps_.observer != nullptr) {
    deps_.observer->OnJournalUnwritable(journal);
  }
  accounts_metrics_->ObserveJournalHealth(journal);
  for (const accounts::PositionValue& position : value.positions) {
    risk_->OnErrorAccountPosition(position.instrument, position.quantity);
  }
  risk_->OnErrorAccountPnl(value.realized + value.unrealized);
}

void RoutingStack::OnSeriesStatus(const venues::SeriesStatusChanged& change) {
  if (engine_ != nullptr) engine_->SetSeriesPhase(change.venue, change.instrument, change.phase);
  if (deps_.observer == nullptr) return;
  for (venues::Venue* joined : venues_) {
    if (joined->id() == change.venue) deps_.observer->OnSeriesStatus(joined->name(), change);
  }
}

void RoutingStack::SetVenueAvailability(core::VenueId venue, VenueAvailability availability) {
  const bool up = availability == VenueAvailability::kUp;
  std::string_view name;
  bool known = false;
  for (venues::Venue* joined : venues_) {
    if (joined->id() != venue) continue;
    known = true;
    name = joined->name();
  }
  if (!known) return;
  risk_->SetVenueStatus(venue,
                        up ? risk::VenueStatus::kAvailable : risk::VenueStatus::kUnavailable);
  metrics_->SetVenueUp(venue, up);
  if (deps_.observer != nullptr) deps_.observer->OnVenueAvailability(venue, name, availability);
}

void RoutingStack::OnOrderDenied(const risk::OrderDenied& event) {
  if (deps_.observer != nullptr) deps_.observer->OnOrderDenied(event);
}

void RoutingStack::OnLegInDenied(const risk::LegInDenied& event) {
  if (deps_.observer != nullptr) deps_.observer->OnLegInDenied(event);
}

void RoutingStack::OnTradingStateChanged(const risk::TradingStateChange& event) {
  if (deps_.observer != nullptr) deps_.observer->OnTradingStateChanged(event);
  // Orders that waited while trading was restricted are decided again.
  if (event.to == risk::TradingState::kActive && router_ != nullptr && reevaluate_on_resume_) {
    router_->ReevaluateAll();
  }
}

void RoutingStack::OnLegInLimit(const risk::LegInLimitEvent& event) {
  if (deps_.observer != nullptr) deps_.observer->OnLegInLimit(event);
}

void RoutingStack::OnErrorAccountBreach(const risk::ErrorAccountBreachEvent& event) {
  if (deps_.observer != nullptr) deps_.observer->OnErrorAccountBreach(event);
}

}  // namespace combo::stack
