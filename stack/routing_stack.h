// RoutingStack: the one builder of the routing stack (DESIGN.md "One owner, one assembly"):
// pricing and its feeds, risk, the venues (embedded exchanges and the negotiation network), the
// accounts journal, the leg-in engine behind its tracker, and the router. The daemon, the
// backtest, the scenario runner and the benchmarks all build it here, so they route the same way.
//
// Wiring rules (stack/routing_stack_test.cc pins each):
//  - Pricing tracks every combo of the catalog, in id order, and prices on the routable venues
//    in StackConfig order.
//  - Each venue (routable or not) feeds pricing through its own PricingFeed, subscribed when the
//    venue joins the stack, before the engine and the router exist.
//  - Risk knows every venue, available from the start.
//  - The router rests native orders, and the engine sends leg orders, on the routable venues.
//  - The router is participant router.participant at every venue, the engine the next id.
//  - Order ids: the router's start at router.first_order_id or after the highest the journal
//    holds, whichever is later; leg orders start 2^40 above, so the two ranges never meet.
//  - The engine's view of a simulated venue (built or used): the tick of every instrument it
//    lists, and its expected latency (StackVenue::expected_latency).
//  - The router probes every built simulated venue with a latency_probe_interval (VenueProber):
//    as the router participant (submitter "router") and the leg-in participant ("router_legs"),
//    from Start to Stop.
//  - Option deltas come from the configured underlyings; the engine and the router measure
//    their latencies on StackDependencies::latency_clock.
//  - Listings (router::Listings, what a broker can trade): instruments some routable venue
//    lists (Venue::Lists, so a reload's listings count at once); combos a routable venue lists
//    natively (a built or used embedded exchange's complex book, the built negotiation venue's
//    configured combos) or the router defined; each with the routable venues that list it or
//    trade it natively (Venue::TradesNatively), in venue order.
//
// Domain reactions it owns:
//  - SetVenueAvailability: a venue halted or resumed (its own VenueTradingStatusChanged; the
//    venue halts or opens its legs itself) moves risk's venue status and combo_venue_up, then
//    tells the observer.
//  - Trading resumed (risk): every held order is decided again (ReevaluateAll), unless
//    HoldOrdersOnResume was called (a draining daemon).
//  - The error account valued every StackConfig::error_account_valuation between Start and
//    Stop (positions and P&L to metrics and risk).
//  - The residual resolver (with a journal): participant router.participant + 2 at every
//    routable venue, its order ids 2 x 2^40 above the router's; it works the error account's
//    residue between Start and Stop, and hands completed units to the router.
//
// Not thread-safe: the thread that drives its scheduler (the daemon's core thread).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "accounts/accounts_metrics.h"
#include "accounts/accounts_service.h"
#include "core/clock.h"
#include "core/combo_catalog.h"
#include "core/instrument_catalog.h"
#include "core/scheduler.h"
#include "pricing/delta.h"
#include "pricing/pricing_engine.h"
#include "prometheus/registry.h"
#include "resolver/residual_resolver.h"
#include "risk/risk_manager.h"
#include "router/combo_router.h"
#include "router/listings.h"
#include "router/pricing_feed.h"
#include "router/venue_leg_in_engine.h"
#include "stack/leg_in_tracker.h"
#include "stack/stack_config.h"
#include "stack/stack_metrics.h"
#include "stack/stack_observer.h"
#include "stack/venue_prober.h"
#include "venues/negotiation/negotiation_venue.h"
#include "venues/negotiation/service.h"
#include "venues/simulated_venue.h"

namespace combo::stack {

// What the stack runs on; none owned, all must outlive it.
struct StackDependencies {
  const core::InstrumentCatalog* instruments = nullptr;
  // The router interns the combos clients send.
  core::ComboCatalog* combos = nullptr;
  core::Scheduler* scheduler = nullptr;
  // Risk's clock (its kill-switch and limit timestamps); null: the scheduler.
  const core::Clock* risk_clock = nullptr;
  // Where the router and the engine measure decision and leg-in latencies; null: the scheduler.
  const core::Clock* latency_clock = nullptr;
  prometheus::Registry* registry = nullptr;
  // Told of risk events and venue availability after the stack reacted; null: nobody.
  StackObserver* observer = nullptr;
  // Takes the router's leg-ins in place of router::VenueLegInEngine, behind the same tracker (a
  // benchmark timing the router alone); null: the stack builds the real engine.
  router::LegInEngine* leg_in_stand_in = nullptr;
};

// The distance between the router's order ids and the engine's leg order ids.
inline constexpr uint64_t kLegOrderIdOffset = uint64_t{1} << 40;

// What Build handed the parts, recorded as it was handed (the wiring tests read it).
struct StackWiring {
  core::ParticipantId router_participant;
  core::ParticipantId leg_in_participant;
  uint64_t first_order_id = 0;
  uint64_t first_leg_order_id = 0;
  // Venues whose market data feeds pricing, in order.
  std::vector<core::VenueId> fed_venues;
  // Venues the router rests native orders at and the engine sends leg orders to, in order.
  std::vector<core::VenueId> routable_venues;
};

class RoutingStack final : public risk::RiskListener, public router::Listings {
 public:
  // Builds every part in dependency order; fails naming the part that could not be built.
  static absl::StatusOr<std::unique_ptr<RoutingStack>> Build(StackConfig config,
                                                             StackDependencies deps);
  ~RoutingStack() override;
  RoutingStack(const RoutingStack&) = delete;
  RoutingStack& operator=(const RoutingStack&) = delete;

  // Starts the periodic error-account valuation (when configured), the router's latency probes,
  // and, with a trading calendar, ends each embedded exchange's day at its close
  // (SimulatedVenue::EndOfDay), every trading day.
  void Start();
  // Stops them (and the probes), flushes the journal and values the error account one last time.
  void Stop();

  // --- Reactions -------------------------------------------------------------------------------
  // A venue halted or resumed: its own trading-status event (VenueTradingStatusChanged, which
  // the venue publishes after halting or opening its legs itself). Unknown venues are ignored.
  void SetVenueAvailability(core::VenueId venue, VenueAvailability availability);
  // A venue's series entered or left a call phase (seed 001 R46 / R47): the leg-in engine stops
  // or resumes legging into it; the observer hears it.
  void OnSeriesStatus(const venues::SeriesStatusChanged& change);
  // From now on a return to active trading does not re-route held orders (a draining daemon).
  void HoldOrdersOnResume() { reevaluate_on_resume_ = false; }
  // The error account's positions and P&L to metrics and risk (no-op without a journal).
  void ValueErrorAccount();

  // --- Parts -----------------------------------------------------------------------------------
  const StackConfig& config() const { return config_; }
  const StackWiring& wiring() const { return wiring_; }
  pricing::PricingEngine& pricing() { return *pricing_; }
  const pricing::PricingEngine& pricing() const { return *pricing_; }
  risk::RiskManager& risk() { return *risk_; }
  router::ComboRouter& router() { return *router_; }
  // The real engine; not built when StackDependencies::leg_in_stand_in was given.
  router::VenueLegInEngine& leg_in_engine() { return *engine_; }
  // Null without a journal.
  resolver::ResidualResolver* resolver() { return resolver_.get(); }
  LegInTracker& leg_ins() { return *tracker_; }
  const LegInTracker& leg_ins() const { return *tracker_; }
  // Null with JournalPlacement::kNone.
  accounts::AccountsService* accounts() { return accounts_.get(); }
  const accounts::AccountsService* accounts() const { return accounts_.get(); }
  const StackMetrics& metrics() const { return *metrics_; }
  // Every venue, in StackConfig order, and the routable ones.
  const std::vector<venues::Venue*>& venues() const { return venues_; }
  const std::vector<venues::Venue*>& routable_venues() const { return routable_venues_; }
  // The embedded exchanges the stack built, in order.
  std::vector<venues::SimulatedVenue*> built_simulated_venues() const;
  // The negotiation network the stack built; null when it has none.
  venues::negotiation::NegotiationService* negotiation_service() {
    return negotiation_service_.get();
  }
  venues::negotiation::NegotiationVenue* negotiation_venue() { return negotiation_venue_.get(); }
  const venues::negotiation::NegotiationVenue* negotiation_venue() const {
    return negotiation_venue_.get();
  }
  // The router's latency probes; null when no venue is probed.
  const VenueProber* prober() const { return prober_.get(); }
  // The engine's view of each routable venue, as the engine was given it.
  const std::vector<router::LegVenue>& leg_venues() const { return leg_venues_; }
  // What a broker can trade, and where (see the wiring rules above).
  const router::Listings& listings() const { return *this; }

  // router::Listings.
  std::vector<router::InstrumentListing> ListedInstruments() const override;
  std::vector<router::ComboListing> ListedCombos() const override;

  // risk::RiskListener: forwarded to the observer, then reacted to.
  void OnOrderDenied(const risk::OrderDenied& event) override;
  void OnLegInDenied(const risk::LegInDenied& event) override;
  void OnTradingStateChanged(const risk::TradingStateChange& event) override;
  void OnLegInLimit(const risk::LegInLimitEvent& event) override;
  void OnErrorAccountBreach(const risk::ErrorAccountBreachEvent& event) override;

 private:
  class PricingMarks;
  class VenueFeed;
  class RouterUnitsTaker;
  class ResolverEvents;

  RoutingStack(StackConfig config, StackDependencies deps);

  absl::Status BuildPricingAndRisk();
  absl::Status BuildVenues();
  absl::Status BuildNegotiation(const BuildNegotiationVenue& spec);
  absl::Status BuildJournal();
  absl::Status BuildRouting();
  absl::Status BuildProber();
  absl::Status BuildResolver();
  void ScheduleValuation();
  void ScheduleDayEnd(size_t venue);

  StackConfig config_;
  StackDependencies deps_;
  StackWiring wiring_;
  pricing::DeltaModel delta_;
  std::unique_ptr<pricing::PricingEngine> pricing_;
  std::unique_ptr<risk::RiskManager> risk_;
  std::unique_ptr<StackMetrics> metrics_;
  std::vector<std::unique_ptr<venues::SimulatedVenue>> simulated_venues_;
  std::unique_ptr<venues::negotiation::NegotiationService> negotiation_service_;
  std::unique_ptr<venues::negotiation::NegotiationVenue> negotiation_venue_;
  std::vector<venues::Venue*> venues_;
  // The listing of each venue known to be an embedded exchange (built or used), by position.
  std::vector<venues::SimulatedVenue*> simulated_by_position_;
  std::vector<venues::Venue*> routable_venues_;
  std::vector<std::unique_ptr<router::PricingFeed>> feeds_;
  std::vector<std::unique_ptr<VenueFeed>> venue_feeds_;
  std::string temporary_journal_dir_;
  std::string journal_path_;
  std::unique_ptr<accounts::AccountsService> accounts_;
  std::unique_ptr<accounts::AccountsMetrics> accounts_metrics_;
  std::unique_ptr<PricingMarks> marks_;
  std::vector<router::LegVenue> leg_venues_;
  std::unique_ptr<router::VenueLegInEngine> engine_;
  std::unique_ptr<LegInTracker> tracker_;
  std::unique_ptr<router::ComboRouter> router_;
  // Destroyed after the venues, which hold its probes as latency listeners.
  std::unique_ptr<VenueProber> prober_;
  std::unique_ptr<RouterUnitsTaker> units_taker_;
  std::unique_ptr<ResolverEvents> resolver_events_;
  std::unique_ptr<resolver::ResidualResolver> resolver_;
  bool reevaluate_on_resume_ = true;
  core::TimerId valuation_timer_;
  bool valuing_ = false;
  std::optional<router::TradingCalendar> calendar_;
  // One per built simulated venue, in order: the timer of its next end of day.
  std::vector<core::TimerId> day_end_timers_;
};

}  // namespace combo::stack
