// VenueLegInEngine: the leg-in engine (seed 003 R12, R15-R16, R19-R29; docs/ROUTER.md "Leg-in
// engine"). The router hands it canonical combo units at a limit; it works them slice by slice:
//  1. slice (leg_in_slicer.h): at most max_units_per_slice units and a share of each leg's
//     displayed size;
//  2. pre-flight (leg_in_preflight.h, R12): every leg order on its venue's tick, within its size
//     limit, trading through no better displayed price; and risk's CheckLegIn on the exposure
//     of the first leg filling alone. Any refusal: the leg-in does not start; the reason is an
//     event (LegInObserver) and the router hears OnLegInFinished with the cause;
//  3. ranking (leg_ranking.h, R19-R23): the order in which the legs go;
//  4. execution: the first leg at the venue with the best price (IOC or limit per policy);
//     each following leg sized by what the legs before it filled, in ratio; a leg that does not
//     fill is re-routed to the next venue while the combo still meets its limit, and resubmitted
//     after a pause a limited number of times (R29); every leg order has a timeout;
//  5. whole units go to the router (OnLegInUnits, one event per set of leg prices so the legs
//     reproduce the net price exactly); leg executions that make no whole unit go to the error
//     account through OnLegInFailed with the rest of the units (R16).
// While legs are open it reports the order's unhedged exposure to risk (ReportLegInExposure) and
// to the metrics. It never sends a leg order for more than the leg still needs, so no child
// order over-fills, and it never lets a leg order race another for the same leg: a re-route waits
// for the venue to confirm the previous order is done.
//
// The engine sends leg orders as its own participant (LegInEngineDependencies::participant) at
// every venue, so the venues report those orders' events straight to it (docs/ROUTER.md).
// Not thread-safe: the core thread that owns the Scheduler.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/scheduler.h"
#include "pricing/combo_terms.h"
#include "pricing/delta.h"
#include "pricing/pricing_engine.h"
#include "prometheus/registry.h"
#include "risk/risk_manager.h"
#include "router/leg_in_engine.h"
#include "router/leg_in_events.h"
#include "router/leg_in_metrics.h"
#include "router/leg_in_policy.h"
#include "router/leg_venue.h"
#include "venues/venue.h"

namespace combo::router {

// What the engine is connected to. None owned; all must outlive the engine.
struct LegInEngineDependencies {
  const core::InstrumentCatalog* instruments = nullptr;
  // The leg books and combo terms the engine reads (the router's own PricingEngine).
  const pricing::PricingEngine* pricing = nullptr;
  risk::RiskManager* risk = nullptr;
  core::Scheduler* scheduler = nullptr;
  // Measures leg-in durations for the metrics (the scheduler's clock, or a monotonic one).
  const core::Clock* clock = nullptr;
  // Option deltas for ranking and exposure; null: every option counts with |delta| 0.5, every
  // stock, ETF and future with delta 1.
  const pricing::DeltaModel* delta = nullptr;
  // The venues leg orders may go to (each with its latency and rules).
  std::vector<LegVenue> venues;
  // The engine's session at every venue; must differ from the router's own participant.
  core::ParticipantId participant{2};
  // The first venue order id of leg orders (ids increase from here).
  uint64_t first_order_id = 1;
  prometheus::Registry* registry = nullptr;
};

class VenueLegInEngine final : public LegInEngine, public venues::VenueListener {
 public:
  // Fails for an invalid policy, a missing dependency, a venue given twice, or a venue that
  // refuses the connection.
  static absl::StatusOr<std::unique_ptr<VenueLegInEngine>> Create(LegInPolicy policy,
                                                                  LegInEngineDependencies deps);
  ~VenueLegInEngine() override;

  VenueLegInEngine(const VenueLegInEngine&) = delete;
  VenueLegInEngine& operator=(const VenueLegInEngine&) = delete;

  // SIGHUP reload: validated first (an invalid policy changes nothing); applies to slices and
  // leg orders started from now on.
  absl::Status SetPolicy(LegInPolicy policy);
  // Not owned; null for none.
  void SetObserver(LegInObserver* observer) { observer_ = observer; }

  // --- LegInEngine --------------------------------------------------------------------------
  absl::Status Start(const LegInOrder& order, LegInListener* listener) override;
  absl::Status Cancel(core::OrderId order) override;
  absl::Status StopAfterSlice(core::OrderId order) override;
  const LegInPolicy& policy() const override { return policy_; }

  // Seed 001 R46 / R47: a venue's series that trades only at single prices (before its opening,
  // in a fast market) is not legged into: its displayed quotes are left out of the leg-in's
  // prices, venue choice and trade-through check until it is open again.
  void SetSeriesPhase(core::VenueId venue, core::InstrumentId instrument,
                      venues::SeriesPhase phase);

  // --- Inspection ---------------------------------------------------------------------------
  size_t working_orders() const { return work_.size(); }
  bool IsWorking(core::OrderId order) const { return work_.contains(order); }
  // Leg orders sent so far (for tests and the benchmark).
  uint64_t leg_orders_sent() const { return leg_orders_sent_; }

  // --- Venue events (the engine's own participant) -------------------------------------------
  void OnAck(const venues::OrderAcked& event) override;
  void OnReject(const venues::OrderRejected& event) override;
  void OnFill(const venues::Fill& event) override;
  void OnComplexFill(const venues::ComplexFill& event) override;
  void OnCancelled(const venues::OrderCancelled& event) override;
  void OnRestated(const venues::OrderRestated& event) override;
  // Latency protection (docs/VENUES.md): a held match is no execution; only a later fill is.
  void OnTradePending(const venues::TradePending& event) override;
  void OnTradeVoided(const venues::TradeVoided& event) override;

 private:
  // One leg of the slice being worked, in ranked order.
  struct Leg {
    size_t combo_leg = 0;  // index in the combo terms
    core::InstrumentId instrument;
    std::string symbol;
    core::Side side = core::Side::kBuy;  // the side this order trades the leg
    int64_t sign = 1;                    // +1 for a leg bought with the combo
    int64_t ratio = 1;
    int64_t weight = 1;
    int64_t multiplier = 1;
    core::Quantity target;  // contracts this slice needs
    core::Quantity filled;
    std::vector<LegInExecution> executions;  // in fill order
    std::set<core::VenueId> tried;           // venues that failed this leg since its last pause
    int64_t reroutes = 0;
    int64_t resubmits = 0;
  };

  // A leg order at a venue.
  struct LegOrder {
    core::VenueId venue;
    core::OrderId id;
    core::Quantity quantity;
    core::Quantity filled;
    // Quantity latency protection holds (TradePending not yet resolved by a fill or a void).
    // While any is held the order is not cancelled: a cancel would void a trade that may
    // still execute (R26); the cancel waits for the hold to resolve.
    core::Quantity held;
    // Quantity the venue cancelled (an IOC's unheld rest is cancelled while its held part
    // stays open).
    core::Quantity cancelled;
    core::TimerId timeout;
    bool cancel_sent = false;
    // A cancel (leg timeout or the router's) waits for the hold to resolve.
    bool cancel_deferred = false;
    bool timed_out = false;
    std::string rejected;
  };

  // The per-order state machine (docs/ROUTER.md "Leg-in engine").
  struct Work {
    LegInOrder order;
    LegInListener* listener = nullptr;
    // A copy: the pricing engine's own may move when it tracks more combos.
    std::optional<pricing::ComboTerms> terms;
    core::Timestamp started;
    core::Quantity units_done;
    bool cancel_requested = false;
    // StopAfterSlice: the slice in flight finishes, no further slice starts.
    bool stop_after_slice = false;
    bool slice_started = false;
    core::Quantity slice_units;
    std::vector<Leg> legs;  // ranked
    size_t current = 0;
    std::optional<LegOrder> working;
    core::TimerId pause;
    risk::LegInExposure exposure;
  };

  VenueLegInEngine(LegInPolicy policy, LegInEngineDependencies deps, LegInMetrics metrics);

  const LegVenue* FindVenue(core::VenueId id) const;
  Work* FindWork(core::OrderId id);
  Work* FindByLegOrder(core::OrderId leg_order, core::VenueId venue);

  // Step 1-4 for the next slice; ends the work (asynchronously) when it cannot start.
  void BeginSlice(core::OrderId id);
  struct Quote {
    core::VenueId venue;
    core::Price price;
    core::Quantity size;
  };
  // The best venue not yet tried for the current leg whose price keeps the combo within its
  // limit and passes the pre-flight check; empty (with the reason) when there is none.
  std::optional<Quote> ChooseVenue(Work& work, std::string* refusal);
  // Sends the current leg's missing quantity to `quote`'s venue; false if the venue refused.
  bool Send(Work& work, const Quote& quote);
  // ChooseVenue then Send, until one is sent (true) or none is left (last_refusal_ says why).
  bool SendCurrentLeg(Work& work);
  // The current leg's order is finished at its venue: next leg, re-route, resubmit or fail.
  void OnLegOrderDone(Work& work);
  void NextLeg(Work& work);
  void RetryOrFail(Work& work, const std::string& why);
  void OnPauseElapsed(core::OrderId id);
  void OnLegTimeout(core::OrderId id, core::OrderId leg_order);
  // Cancels the working leg order now, or once nothing of it is held any more.
  void CancelWorkingLeg(Work& work);
  // After a hold resolved: sends a deferred cancel, or finishes an order the venue is done with.
  void AfterHoldResolved(Work& work);
  void SliceDone(Work& work);
  // Reports whole units, books leftovers and ends the work with `cause` (leg failure or cancel).
  void Conclude(Work& work, LegInEnd cause, std::string reason);
  // Ends the work without leftovers: OnLegInFinished, asynchronously.
  void EndQuietly(Work& work, LegInEnd cause, std::string reason);
  // Takes `units` whole units out of the legs' executions (FIFO), one event per set of leg
  // prices so each reproduces its net price exactly.
  std::vector<LegInUnits> TakeUnits(Work& work, core::Quantity units);
  void Forget(core::OrderId id);

  // Pricing helpers.
  // Every venue's displayed price for `instrument` on the side a `side` order trades against,
  // best first (then larger size, faster venue, lower id).
  std::vector<Quote> Quotes(core::InstrumentId instrument, core::Side side) const;
  // The venue's tick rule for the instrument (else the instrument's); null when neither is known.
  const core::TickRule* TickRuleAt(const LegVenue& venue, core::InstrumentId instrument) const;
  venues::SeriesPhase PhaseAt(core::VenueId venue, core::InstrumentId instrument) const {
    auto it = closed_series_.find({venue, instrument});
    return it == closed_series_.end() ? venues::SeriesPhase::kOpen : it->second;
  }
  // |delta| of one contract, and the underlying price it uses.
  std::pair<double, core::Price> DeltaOf(core::InstrumentId instrument,
                                         core::Price leg_price) const;
  double DollarDeltaOf(const Leg& leg, core::Price price, core::Quantity quantity) const;
  // The combo's net price per unit if the current leg traded at `price`: done legs at their
  // average, later legs at their best displayed price. Empty when a later leg has no price.
  std::optional<core::Price> ProjectedNet(const Work& work, core::Price price) const;
  bool WithinLimit(const Work& work, core::Price net) const;

  void UpdateExposure(Work& work);
  void PublishTotals();
  void Emit(const Work& work, LegInEventKind kind, std::string text,
            const LegOrder* leg_order = nullptr);

  LegInPolicy policy_;
  LegInEngineDependencies deps_;
  LegInMetrics metrics_;
  LegInObserver* observer_ = nullptr;
  std::map<core::OrderId, Work> work_;
  // Series not open for continuous trading, by (venue, instrument).
  std::map<std::pair<core::VenueId, core::InstrumentId>, venues::SeriesPhase> closed_series_;
  // Venue order id of a leg order -> the combo order it works.
  std::map<std::pair<core::VenueId, core::OrderId>, core::OrderId> by_leg_order_;
  uint64_t next_order_id_ = 1;
  uint64_t leg_orders_sent_ = 0;
  std::string last_refusal_;
  std::shared_ptr<VenueLegInEngine*> self_;
};

}  // namespace combo::router
