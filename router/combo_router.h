// ComboRouter: the combo order lifecycle and the native-versus-implied decision (seed 003
// R9-R18, DESIGN.md "Router", docs/ROUTER.md).
//
// It takes client orders through OrderEntry, maps them onto canonical combos, checks them with
// risk, tracks their smart combo tick in the PricingEngine and places each one:
//  - resting natively at the venue with the best native price (a tie with the implied market
//    goes to the native venue), or at a venue that lists the combo when nothing is marketable;
//  - working in the router (R11) when no venue lists the combo, or while it waits out the
//    stability period (R13) after the implied price became the best and fillable one;
//  - legging in through the LegInEngine once the implied price stayed best and fillable.
// It re-decides after every change of the order's combo tick that can change its decision (a
// settled native rest only when the opposite price reaches its limit: docs/ROUTER.md "Which
// orders a tick re-decides"), and after every venue or leg-in event that changes where the
// order stands. Native fills and leg-in units become consolidated
// ComboExecutions with per-leg details; an order is never over-filled (a leg-in starts only once
// the native order is confirmed gone, so a fill racing the cancel is simply counted).
//
// Not thread-safe: everything runs on the core thread that owns the Scheduler. Tick callbacks
// only mark the combo; the decision runs right after the pricing update (ProcessPendingTicks, or
// a timer scheduled for "now").
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "accounts/accounts_service.h"
#include "core/clock.h"
#include "core/combo_catalog.h"
#include "core/combo_spec.h"
#include "core/ids.h"
#include "core/instrument_catalog.h"
#include "core/money.h"
#include "core/scheduler.h"
#include "pricing/pricing_engine.h"
#include "risk/risk_events.h"
#include "risk/risk_manager.h"
#include "router/combo_order_state.h"
#include "router/leg_in_engine.h"
#include "router/order_entry.h"
#include "router/order_expiry.h"
#include "router/router_config.h"
#include "router/router_metrics.h"
#include "router/routing_decision.h"
#include "router/trading_calendar.h"
#include "venues/venue.h"

namespace combo::router {

// What the router is connected to. None owned; all must outlive the router.
struct RouterDependencies {
  const core::InstrumentCatalog* instruments = nullptr;
  core::ComboCatalog* combos = nullptr;
  pricing::PricingEngine* pricing = nullptr;
  risk::RiskManager* risk = nullptr;
  core::Scheduler* scheduler = nullptr;
  LegInEngine* leg_in = nullptr;
  // Journal and accounts. Every client report (accepted, execution, cancelled, replaced) is
  // recorded first and goes out only from the durability callback. Null: reports go out at once
  // (benchmarks, tools without a journal).
  accounts::AccountsService* accounts = nullptr;
  // The venues the router may rest native orders at (it connects to each as config.participant).
  std::vector<venues::Venue*> venues;
  // Metrics (combo_router_decisions_total, combo_router_decision_seconds). Null: none.
  prometheus::Registry* registry = nullptr;
  // Measures tick-to-decision for the histogram (a monotonic clock in the daemon). Null: the
  // scheduler.
  const core::Clock* clock = nullptr;
};

// One leg execution the router booked to the error account, with the order and why.
struct ErrorAccountBooking {
  core::OrderId order;
  LegInExecution leg;
  std::string reason;
};

// The highest execution id of `venue` among the native fills the journal holds (0 when none):
// a restarted embedded venue numbers its executions after it.
uint64_t LastNativeExecutionId(const accounts::Ledger& ledger, core::VenueId venue);

class ComboRouter final : public OrderEntry,
                          public pricing::ComboTickListener,
                          public venues::VenueListener,
                          public LegInListener,
                          public risk::TradingControl {
 public:
  // Fails for a missing dependency, an invalid config, or a venue that refuses the connection.
  static absl::StatusOr<std::unique_ptr<ComboRouter>> Create(RouterConfig config,
                                                             RouterDependencies deps);
  ~ComboRouter() override;

  ComboRouter(const ComboRouter&) = delete;
  ComboRouter& operator=(const ComboRouter&) = delete;

  // Not owned; null for none.
  void SetObserver(RouterObserver* observer) { observer_ = observer; }

  // --- OrderEntry ---------------------------------------------------------------------------
  void SetListener(OrderEntryListener* listener) override { listener_ = listener; }
  absl::Status Submit(const NewComboOrder& order) override;
  absl::Status Cancel(const CancelComboOrder& cancel) override;
  absl::Status Replace(const ReplaceComboOrder& replace) override;
  absl::Status RequestStatus(const ComboOrderStatusRequest& request) override;
  absl::Status CancelAllOf(const core::ClientId& client, std::string_view why) override;
  absl::StatusOr<ComboDefinition> DefineCombo(const core::ComboSpec& combo) override;
  const core::ComboSpec* FindDefinedCombo(core::ComboId combo) const override;
  absl::StatusOr<ComboQuote> SubscribeQuotes(core::ComboId combo,
                                             ComboQuoteListener* listener) override;
  absl::Status UnsubscribeQuotes(core::ComboId combo, ComboQuoteListener* listener) override;
  // A burst holds the journal's commits (AccountsService::HoldCommits) until it ends.
  void BeginBurst() override;
  void EndBurst() override;

  // Rebuilds, from the accounts' replayed ledger, what the router owned before a restart
  // (docs/OPERATIONS.md "What survives a restart"): the combos clients defined keep their ids
  // (SecurityIDs), finished orders answer status and cancel as before, and every open order is
  // restored with its ClOrdID chain, terms, fills and
  // per-leg totals, registered with risk, and decided again under the normal rules (the venues
  // start empty: a native order rests again, an implied one is watched again). Leg executions
  // of a leg-in cut short by the restart (journaled fills in no combo fill yet) are booked to
  // the error account, as when a leg-in fails. Order ids continue after the journal's highest.
  // Call once, on a router that has taken no order, before any client request. Fails, naming
  // the order or combo, for a journal this router cannot resume (an instrument or a combo id
  // the configuration no longer has); the router must then not be used.
  absl::Status Restore(const accounts::Ledger& ledger);
  // Orders Restore resumed, by id.
  const std::vector<core::OrderId>& restored_orders() const { return restored_orders_; }

  // Runs the decisions for combos whose tick changed since the last call. Called by the timer
  // the first tick schedules; callers that drive pricing directly may call it right away.
  void ProcessPendingTicks();
  // Runs the decision for every open order (after the trading state returned to active).
  void ReevaluateAll();
  // Checks, on every tick pass, that each order the pass skips would have decided nothing
  // (docs/ROUTER.md "Which orders a tick re-decides"); tests count the failures.
  void VerifySkippedDecisions() { verify_skips_ = true; }
  // Applies a reloaded router section (SIGHUP): the stability wait and the cancel timeout take
  // effect for waits started from now on, the market order collar for orders arriving from now.
  // Fails, changing nothing, for an invalid config or one that changes what only a restart can
  // (participant, combo tick, first order id).
  absl::Status Reconfigure(const RouterConfig& config);
  const RouterConfig& config() const { return config_; }

  // --- Units the residual resolver completed (docs/RESOLVER.md) -------------------------------
  // Client units `order` takes now from its residue at these leg prices (every leg once, the
  // leg's execution price): its leaves when it is open with nothing working at a venue or in a
  // leg-in, no cancel or replace pending, not immediate, and the net price is inside its limit;
  // otherwise zero.
  core::Quantity ResidualUnitsWanted(core::OrderId order,
                                     const std::vector<accounts::LegPrice>& leg_prices) const;
  // Journals the delivery (accounts::ResidualDelivered) and reports the units to the client as
  // one consolidated fill (source "resolver"). Fails, changing nothing, when the order does not
  // take that many now.
  absl::Status DeliverResidualUnits(core::OrderId order, core::Quantity units,
                                    std::vector<accounts::LegPrice> leg_prices);

  // --- Inspection ---------------------------------------------------------------------------
  // The order's current state and its transitions; fails for an unknown order.
  absl::StatusOr<ComboOrderState> State(core::OrderId order) const;
  absl::StatusOr<std::vector<StateTransition>> History(core::OrderId order) const;
  // The router's id of a client's order (new or replace ClOrdID).
  std::optional<core::OrderId> Find(const core::ClientId& client,
                                    const core::ClientOrderId& client_order_id) const;
  // Native fills received after the router had asked the venue to cancel (counted, not lost).
  uint64_t fills_racing_cancel() const { return fills_racing_cancel_; }
  // Routing decisions run (DecideRouting calls), from every cause.
  uint64_t decisions_run() const { return decisions_run_; }
  // Orders a tick pass skipped although deciding them would have acted (VerifySkippedDecisions).
  uint64_t skipped_decisions_that_act() const { return skipped_decisions_that_act_; }
  // Skipped decisions VerifySkippedDecisions checked.
  uint64_t skipped_decisions_checked() const { return skipped_decisions_checked_; }
  // Events the journal refused or could not make durable (each one also withheld its report).
  uint64_t journal_failures() const { return journal_failures_; }
  // Leg executions handed to the error account by the leg-in engine, in arrival order.
  const std::vector<LegInExecution>& error_account_legs() const { return error_account_legs_; }
  // The same bookings with their order and reason.
  const std::vector<ErrorAccountBooking>& error_account_bookings() const {
    return error_account_bookings_;
  }

  // --- Callbacks ----------------------------------------------------------------------------
  void OnComboTick(core::ComboId combo, const pricing::SmartComboTick& tick) override;

  void OnAck(const venues::OrderAcked& event) override;
  void OnReject(const venues::OrderRejected& event) override;
  void OnFill(const venues::Fill& event) override;
  void OnComplexFill(const venues::ComplexFill& event) override;
  void OnCancelled(const venues::OrderCancelled& event) override;
  void OnRestated(const venues::OrderRestated& event) override;

  void OnLegInUnits(const LegInUnits& event) override;
  void OnLegInFailed(const LegInFailure& event) override;
  void OnLegInFinished(const LegInDone& event) override;

  void CancelAllRestingNativeOrders(const risk::TradingStateChange& change) override;
  void StopLegIns(const risk::TradingStateChange& change) override;

 private:
  enum class PendingKind : uint8_t { kNone, kCancel, kReplace };
  // Where a listed order sits in its combo's tick index (kNone: not listed, or finished).
  enum class IndexPlace : uint8_t { kNone, kUnsettled, kSettled };

  struct NativeOrder {
    core::VenueId venue;
    core::OrderId venue_order_id;
    core::Quantity units;  // canonical units sent (the venue order's total, after a replace)
    bool cancel_sent = false;
    // A client replace sent to the venue as a replace of this order, not yet answered.
    bool replace_sent = false;
    // Units the venue filled: a replace's total counts them, as in FIX.
    core::Quantity filled;
    // Where the venue's automated order protection works the order (canonical net price), when
    // it moved it from the limit sent (OrderRestated with an AOP reason); reset by a replace.
    std::optional<core::Price> working_price;
    // Units the venue filled or cancelled so far: an immediate order whose match latency
    // protection holds is cancelled in parts (its unheld rest first), so it is done only when
    // these reach `units` (docs/VENUES.md D7).
    core::Quantity done;
  };

  struct PendingRequest {
    PendingKind kind = PendingKind::kNone;
    core::ClientOrderId client_order_id;
    std::optional<core::Price> limit_price;  // client terms
    core::Quantity total_quantity;           // client units
    core::TimerId timeout;
    // A cancel the router started for the client (CancelAllOf, an expiry): the report's text;
    // empty for the client's own request.
    std::string why = {};
    // The cancel is the order's expiry (reported as expired, not cancelled).
    bool expire = false;
  };

  struct Order {
    Order(NewComboOrder client_terms, core::CanonicalCombo canonical_combo)
        : terms(std::move(client_terms)), canonical(std::move(canonical_combo)) {}

    core::OrderId id;
    NewComboOrder terms;  // client terms; limit and quantity follow replaces
    core::ClientOrderId current_client_order_id;
    core::CanonicalCombo canonical;
    core::ComboId combo;
    core::Side side = core::Side::kBuy;  // canonical
    int64_t combo_multiplier = 1;
    // The increment its limit price sits on (docs/ROUTER.md "Combo tick").
    core::Price combo_tick;
    // The client's legs in its order, with what reached the client of each (reports).
    std::vector<OrderLeg> legs;
    core::Quantity quantity;           // canonical units
    std::optional<core::Price> limit;  // canonical
    core::Quantity filled;             // canonical units
    core::Money filled_value;          // sum of canonical net price x units
    ComboOrderState state = ComboOrderState::kReceived;
    std::vector<StateTransition> history;
    Placement placement = Placement::kNone;
    std::optional<NativeOrder> native;
    // Venues that rejected this order's native request: not tried again for it.
    std::set<core::VenueId> refused_by;
    bool was_non_marketable = false;
    core::TimerId stability_timer;
    bool stability_elapsed = false;
    bool halted_by_risk = false;
    PendingRequest pending;
    // Leg-ins of this order that failed with legs sent (R25, R28): counted here only.
    int64_t legin_failures = 0;
    // After a leg-in ended short, the next one waits for a fresh combo tick (no busy restarts).
    bool legin_needs_fresh_tick = false;
    // Why the last decision did not leg in although the implied price was fillable (R24-R28):
    // a new hold is recorded as a transition, the same one again is not.
    LegInHold legin_hold;
    // Listed under its combo for tick passes (accepted by risk), and its place in the index.
    bool listed = false;
    IndexPlace index_place = IndexPlace::kNone;
    // The limit it is indexed under among its combo's settled orders.
    core::Price settled_limit;
    // When the router accepted it (its trading day is the one this falls in).
    core::Timestamp accepted_at;
    // When it ends on its own (OrderExpiries): its trading day's close, its good-till-date end.
    std::optional<core::Timestamp> expires_at;
    // Finished because its trading day ended (reported as expired, not cancelled).
    bool expired = false;
    // IOC or FOK (a market order is one or the other at its collar), or neither.
    Immediacy immediacy = Immediacy::kNone;
    // An immediate order's one attempt was made; `attempt_outcome` says how it ended (the
    // cancel's reason, for the client).
    bool attempted = false;
    std::string attempt_outcome;
    // FOK by leg-in: the units the engine completed, held back from the client until the whole
    // quantity is done (then reported) or the leg-in ends short (then booked to the error
    // account: the client sees no fill). Their leg executions are journaled when they are held,
    // so a crash meanwhile finds them in the journal (settled to the error account at start).
    std::vector<LegInUnits> held_units;
  };

  // A restored order that ends at start (RestartPolicy::kCancel, or its trading day ended).
  struct FinishAtStart {
    core::OrderId order;
    std::string reason;
    bool expired = false;
  };

  // The listed orders of one combo, indexed for tick passes (docs/ROUTER.md "Which orders a tick
  // re-decides"). Every listed open order is in exactly one of the three sets.
  struct ComboOrders {
    // Orders every tick decides, by id (ids grow with arrival, so this is arrival order).
    std::set<core::OrderId> unsettled;
    // Settled orders (IsSettled) by (limit, id): a tick decides a buy only when the ask is at or
    // below its limit, a sell only when the bid is at or above it.
    std::set<std::pair<core::Price, core::OrderId>> settled_buys;
    std::set<std::pair<core::Price, core::OrderId>> settled_sells;
    // Orders listed and not yet dropped, and those that finished since the last pass (dropped
    // at its end), for the decision-latency histogram.
    size_t listed = 0;
    size_t finished_since_pass = 0;
    core::OrderId last_listed;
  };

  // The tick pass in progress (DecideTickedOrders): a change to the index of an order it has not
  // reached yet makes it collect its remaining orders again.
  struct TickPass {
    bool active = false;
    core::ComboId combo;
    core::OrderId cursor;
    core::OrderId last;
    bool rescan = false;
  };

  ComboRouter(RouterConfig config, RouterDependencies deps);

  // An order of the journal, open (`finished` false: resumed) or finished (answers status and
  // cancel as before the restart, nothing more).
  absl::Status RestoreOrder(const accounts::OrderRecord& record, bool finished);
  // A leg-in the restart cut short: the order's journaled leg executions that no combo fill took
  // go to the error account, as when a leg-in fails (its client was never told of them). Any
  // order, open or finished.
  void SettleInterruptedLegs(const accounts::OrderRecord& record);
  // Why a restored order ends at start instead of resuming; nullopt when it resumes.
  absl::StatusOr<std::optional<FinishAtStart>> EndAtStart(const Order& order) const;
  // Ends the orders Restore set aside, each with its journaled cancel and unsolicited report;
  // runs on the first turn of the scheduler, once the client sessions are attached.
  void FinishRestoredAtStart();
  // Day and good-till-date orders end on their own: one timer, at the earliest expiry.
  void ScheduleExpiry(const Order& order);
  void ArmExpiryTimer();
  void OnExpiryDue();
  void Expire(Order& order);
  // Lists the order under its combo for tick passes (it passed the pre-trade checks).
  void List(Order& order);

  Order* FindOrder(core::OrderId id);
  const Order* FindOrder(core::OrderId id) const;
  Order* FindByVenueOrder(core::OrderId venue_order_id);
  venues::Venue* VenueById(core::VenueId id) const;

  void Transition(Order& order, ComboOrderState to, std::string reason);
  void Reject(const NewComboOrder& order, RejectReason reason, std::string text);
  OrderSnapshot Snapshot(const Order& order, const core::ClientOrderId& answering) const;
  core::Quantity Leaves(const Order& order) const { return order.quantity - order.filled; }

  // The routing decision for one order (docs/ROUTER.md "Decision"): gathers the order's view,
  // asks DecideRouting (routing_decision.h) and applies what it returns.
  void Decide(Order& order);
  // Whether the decision for `order` can change only when the opposite price reaches its limit
  // or trading halts (docs/ROUTER.md "Which orders a tick re-decides").
  bool IsSettled(const Order& order) const;
  // Keeps the order's place in its combo's index in step with its state (after a decision, and
  // on every transition).
  void MoveInIndex(Order& order, IndexPlace place);
  // A tick pass over one combo: decides, in arrival order, the orders the tick can affect.
  void DecideTickedOrders(core::ComboId combo, ComboOrders& book);
  // The pass's remaining orders, ids in (pass_.cursor, pass_.last], sorted.
  void CollectCandidates(const ComboOrders& book, const pricing::SmartComboTick& tick,
                         risk::TradingState trading, std::vector<core::OrderId>& out) const;
  // The decision for the order now, without applying it.
  RoutingDecision DecisionFor(const Order& order) const;
  // VerifySkippedDecisions: counts the settled orders with ids in (after, before) that deciding
  // now would make act although the pass skips them.
  void VerifySkipped(const ComboOrders& book, core::OrderId after, core::OrderId before);
  void ApplyDecision(Order& order, const RoutingDecision& decision);
  void RestNative(Order& order, core::VenueId venue, std::string reason);
  // Sends the order's leaves to the venue's complex book at its limit with `time_in_force`; on
  // the venue's refusal, undoes the placement and returns why.
  std::optional<std::string> SubmitNative(Order& order, core::VenueId venue,
                                          venues::TimeInForce time_in_force, std::string reason);
  void CancelNative(Order& order, std::string reason);
  // A pending replace of an order resting natively goes to the venue as a replace of the native
  // order (its queue place kept wherever the venue's rules allow). False when it cannot: then
  // the native order is pulled and the order routed again at its new terms.
  bool ReplaceNativeInPlace(Order& order);
  // The venue refused the replace of the native order: the client's replace is refused with the
  // venue's reason and the order rests on unchanged.
  void OnReplaceRefused(Order& order, const venues::OrderRejected& event);
  void StartStabilityWait(Order& order, std::string reason);
  void StopStabilityWait(Order& order);
  void OnStabilityElapsed(core::OrderId id);
  void StartLegIn(Order& order, core::Price implied, LegInMode mode);
  // An immediate order's one native attempt: an IOC/FOK complex order at its limit.
  void SendImmediate(Order& order, core::VenueId venue, std::string reason);
  // Ends an immediate order: what is left is cancelled with `why` after the units executed.
  void CancelImmediate(Order& order, std::string_view why);
  // "market order (ioc): 3 of 5 units executed; <why>": the text of an immediate order's end.
  std::string ImmediateEndText(const Order& order, std::string_view why) const;
  // "limit 84.45" or, for a market order, "collar 6.4": the bound an immediate order works to.
  std::string BoundText(const Order& order) const;
  // Records how an immediate order's attempt ended (first outcome wins).
  void RecordAttemptOutcome(Order& order, std::string outcome);
  // Cancels `order` (not by a client request): journaled, then the unsolicited report.
  void CancelWithReport(Order& order, std::string text);
  // Whether a leg-in's executions are in the journal already (a FOK's held units) or are
  // journaled with the report or booking that allocates them.
  enum class LegsJournaled : bool { kNo, kYes };
  // Reports units a leg-in completed (a FOK's only once the whole quantity is done).
  void ReportLegInUnits(Order& order, const LegInUnits& event,
                        LegsJournaled journaled = LegsJournaled::kNo);
  // A FOK leg-in ended: its held units reach the client when they are the whole order,
  // otherwise the error account.
  void SettleHeldUnits(Order& order, bool whole_quantity_done, std::string_view why,
                       core::Timestamp time);
  // The canonical net price of one unit at these leg prices; none when a leg has no price.
  std::optional<core::Price> NetPriceOf(const Order& order,
                                        const std::vector<accounts::LegPrice>& leg_prices) const;
  // R24-R26: aggressive or defensive for this order now.
  LegInMode LegInModeFor(const Order& order) const;

  // Consolidation: one client execution for `units` canonical units at `net_price`.
  void ApplyFill(Order& order, core::Quantity units, core::Price net_price,
                 std::vector<LegExecutionReport> legs, core::Timestamp time, std::string source);
  void Finish(Order& order, ComboOrderState to, std::string reason);
  // The answer to a pending cancel or replace of an order that finished by itself (filled):
  // kTooLateToCancel with the order's final state. Clears the pending request; nullopt when none.
  std::optional<CancelRejected> AnswerPendingTooLate(Order& order, std::string_view why,
                                                     core::Timestamp time);
  // A pending cancel or replace whose working part is now gone.
  void CompletePending(Order& order, std::string why);
  // The pending replace takes effect: new terms, risk told, the replaced report journaled. The
  // caller routes the order afterwards (Decide).
  void ApplyReplace(Order& order, std::string why);
  // The client's pending replace is refused with `text`; the order goes on unchanged.
  void RefusePendingReplace(Order& order, RejectReason reason, std::string text);
  void OnPendingTimeout(core::OrderId id);
  // Whether the order has something at a venue or in the leg-in engine.
  bool HasWorkingPart(const Order& order) const;
  // Starts a client cancel or replace: pulls back whatever works, or completes it at once.
  void BeginPending(Order& order, std::string_view what);
  // After a partial fill, the state names the placement again.
  void RestoreStateAfterFill(Order& order);
  // Journals `event`, then runs `report` once it is durable (at once without accounts). A
  // refused or failed event is counted and its report withheld: the client must not hear of it.
  void Journal(accounts::JournalEvent event, absl::AnyInvocable<void() &&> report);
  // Counted, measured and told to the observer (the daemon logs it as an error).
  void OnJournalRefused(core::OrderId order, accounts::EventKind kind, const absl::Status& status);
  // A report that journals nothing (a reject, a cancel reject, a status). Tell sends it behind
  // the reports of every event recorded before it, so a burst's reports keep the order of its
  // requests.
  using Report = std::variant<ComboOrderRejected, CancelRejected, ComboOrderStatusReport,
                              ComboOrderPending, ComboOrderRestated>;
  void Tell(Report report);
  void Deliver(const ComboOrderRejected& event);
  void Deliver(const CancelRejected& event);
  void Deliver(const ComboOrderStatusReport& event);
  void Deliver(const ComboOrderPending& event);
  void Deliver(const ComboOrderRestated& event);
  // A venue's AOP moved the native order's working price: the router's view, and the client.
  void OnAopRestated(Order& order, const venues::OrderRestated& event);
  // Journals each leg execution of a fill (the venue's or the engine's), for the combo fill.
  void JournalLegFills(const Order& order, const std::vector<LegExecutionReport>& legs,
                       std::string_view execution_key, core::Timestamp time);
  // Leg executions that reach no client: journaled as fills (unless they are already) and booked
  // to the error account.
  void BookToErrorAccount(core::OrderId order, const std::vector<LegInExecution>& legs,
                          std::string_view reason, core::Timestamp time,
                          LegsJournaled journaled = LegsJournaled::kNo);
  ComboQuote ToQuote(core::ComboId combo, const pricing::SmartComboTick& tick) const;

  RouterConfig config_;
  RouterDependencies deps_;
  OrderEntryListener* listener_ = nullptr;
  RouterObserver* observer_ = nullptr;
  std::map<core::OrderId, Order> orders_;
  // (client, ClOrdID) of every order and of each of its replaces and cancels; looked up on every
  // request and never walked, so hashed.
  absl::flat_hash_map<std::pair<std::string, std::string>, core::OrderId> by_client_order_id_;
  std::map<core::OrderId, core::OrderId> by_venue_order_id_;
  std::map<core::ComboId, ComboOrders> orders_by_combo_;
  TickPass pass_;
  bool verify_skips_ = false;
  uint64_t decisions_run_ = 0;
  uint64_t skipped_decisions_that_act_ = 0;
  uint64_t skipped_decisions_checked_ = 0;
  std::map<core::ComboId, std::vector<ComboQuoteListener*>> quote_listeners_;
  // Combos a client defined (DefineCombo): the SecurityIDs orders may name.
  std::set<core::ComboId> defined_combos_;
  // Combos whose tick changed since the last ProcessPendingTicks, in arrival order.
  std::vector<core::ComboId> dirty_combos_;
  std::vector<core::ComboId> processing_;
  std::vector<core::OrderId> candidates_;
  std::vector<core::VenueId> venue_ids_;
  // The timer that runs ProcessPendingTicks after a tick; cancelled when a caller runs it first.
  core::TimerId tick_timer_;
  std::vector<core::OrderId> restored_orders_;
  std::vector<FinishAtStart> finish_at_start_;
  std::optional<TradingCalendar> calendar_;
  OrderExpiries expiries_;
  core::TimerId expiry_timer_;
  std::optional<core::Timestamp> expiry_timer_at_;
  uint64_t next_order_id_ = 1;
  uint64_t next_execution_id_ = 1;
  uint64_t fills_racing_cancel_ = 0;
  uint64_t journal_failures_ = 0;
  // Numbers the execution ids of the leg executions the router names itself; continues after the
  // journal's on a restart (a reused id would be refused as already booked).
  uint64_t next_leg_execution_key_ = 1;
  std::vector<LegInExecution> error_account_legs_;
  std::vector<ErrorAccountBooking> error_account_bookings_;
  std::optional<RouterMetrics> metrics_;
  // When the oldest unprocessed combo tick arrived (decision latency).
  core::Timestamp first_dirty_at_;
  void CountDecision(DecisionOutcome outcome) {
    if (metrics_.has_value()) metrics_->Decision(outcome);
  }
  std::shared_ptr<ComboRouter*> self_;
};

}  // namespace combo::router
