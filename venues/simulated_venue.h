// SimulatedVenue: one embedded exchange, built from a plain config struct
// (venues/exchange/venue_config.h): the instruments it lists with their tick sizes, its
// allocation rule, maker and taker fees, and a latency model. It is the facade of the exchange;
// its parts, one concern each, are in venues/exchange/:
//   transport          latency both ways, per-session ordering, the end-of-step flush;
//   order_registry     one record of every open order, leg or complex;
//   order_entry.cc     admission, and the cancel / replace path both kinds of order share;
//   leg_orders.cc      leg orders in their OrderBooks, trades, level updates;
//   complex_orders.cc  complex orders in the ComplexBook (seed 001);
//   aop_hooks.cc       automated order protection (seed 004);
//   latency_hooks.cc   latency protection (seed 002);
//   simulated_venue.cc building the venue, sessions, snapshots, trading status.
//
// Every message crosses the configured latency through the Scheduler: a request reaches the
// exchange after the inbound latency of its type, and each event reaches its participant (or
// market-data subscriber) after the outbound latency of its type. Latency is fixed plus a
// uniform jitter drawn from the venue's seeded core::Rng; messages between one participant and
// the venue stay in order (a later message never overtakes an earlier one in the same
// direction), as on one TCP session. docs/VENUES.md has the details.
//
// Each listed instrument has its own OrderBook; several venues listing the same instrument keep
// independent books. A request is one matching step: the venue finishes it, then schedules its
// events, so a listener that submits from a callback never sees a half-updated book.
// With config.complex_book.enabled, the venue owns a ComplexBook (seed 001) for the combos it
// lists: complex orders, their cancels and replaces go to it, leg-book changes re-evaluate it at
// the end of each step, and its best bid/offer per combo is published as core::NativeComboUpdate
// with a sequence per combo. Without it, a complex order is rejected with the reason
// "venue <name> has no complex-order book".
// An exchange-wide halt (SetTradingStatus) halts every listed leg for the complex book and is
// published to the market-data subscribers as a VenueTradingStatusChanged.
//
// Not thread-safe: lives on the thread that runs its Scheduler.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/scheduler.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "venues/aop/cbo_book.h"
#include "venues/aop/implied_market.h"
#include "venues/aop/protected_orders.h"
#include "venues/aop/protection.h"
#include "venues/aop/third_party_market.h"
#include "venues/complex_book.h"
#include "venues/exchange/cbo_hub.h"
#include "venues/exchange/leg_process_activity.h"
#include "venues/exchange/order_registry.h"
#include "venues/exchange/transport.h"
#include "venues/exchange/venue_activity.h"
#include "venues/exchange/venue_config.h"
#include "venues/latency_guard.h"
#include "venues/latency_probe.h"
#include "venues/leg_processes/block_cross.h"
#include "venues/leg_processes/single_price_auction.h"
#include "venues/order_book.h"
#include "venues/venue.h"

namespace combo::venues {

class SimulatedVenue final : public Venue, public LatencyProbeTarget {
 public:
  // `scheduler` is not owned and must outlive the venue.
  static absl::StatusOr<std::unique_ptr<SimulatedVenue>> Create(SimulatedVenueConfig config,
                                                                core::Scheduler* scheduler);
  ~SimulatedVenue() override;

  core::VenueId id() const override { return config_.id; }
  std::string_view name() const override { return config_.name; }
  bool Lists(core::InstrumentId instrument) const override;
  // Lists one more instrument while running (an instrument master reload): an empty book at its
  // tick, under the venue's allocation rule and latency protection. The complex book's combos
  // stay as configured, and a CBO book already open does not take CBOs on it. Fails, changing
  // nothing, if it is listed already, is the latency-protection test instrument or the tick is
  // not positive.
  absl::Status ListInstrument(const ListedInstrument& listed);
  bool TradesNatively(core::ComboId combo) const override {
    return complex_book_ != nullptr && complex_book_->Lists(combo);
  }

  absl::Status Connect(core::ParticipantId participant, VenueListener* listener) override;
  absl::Status Subscribe(MarketDataListener* listener) override;
  absl::Status Unsubscribe(MarketDataListener* listener) override;

  absl::Status Submit(const OrderRequest& request) override;
  absl::Status SubmitComplex(const ComplexOrderRequest& request) override;
  absl::Status Cancel(const CancelRequest& request) override;
  absl::Status Replace(const ReplaceRequest& request) override;

  absl::StatusOr<core::TopOfBook> TopOfBook(core::InstrumentId instrument) const override;
  absl::StatusOr<core::Depth> BookDepth(core::InstrumentId instrument, int levels) const override;

  // The venue's end of day: cancels every resting Day order now (CancelReason::kEndOfDay).
  void EndOfDay();
  // Numbers the executions it reports from after `last` on: an embedded venue starts afresh with
  // its process, and a journal that booked its earlier executions must never see an id again.
  void ContinueExecutionIdsAfter(uint64_t last) {
    next_execution_id_ = std::max(next_execution_id_, last + 1);
  }

  // AOP (config.aop.enabled): subscribes this venue's third-party market to `source`, which must
  // be one of the configured sources (never this venue).
  absl::Status ConnectAopSource(Venue& source);
  // Opens the venue's CBO book, once, reporting to `listener` (not owned). A venue whose config
  // sets aop.cbo_book opened it when it was built: subscribe to that one with SubscribeCbo.
  absl::StatusOr<aop::CboBook*> OpenCboBook(aop::CboListener* listener);
  // The open CBO book (nullptr when none), on which clients submit and dealers respond.
  aop::CboBook* cbo_book() { return cbo_book_.get(); }
  // Adds `listener` (not owned; must outlive the venue or leave with UnsubscribeCbo) to the
  // receivers of the CBO book's events, after those already there. Fails without an open book.
  absl::Status SubscribeCbo(aop::CboListener* listener);
  void UnsubscribeCbo(aop::CboListener* listener);
  // The venue's third-party market; nullptr without AOP.
  const aop::ThirdPartyMarket* aop_market() const { return aop_market_.get(); }
  // The protection state of a resting leg or complex order, or nullopt if AOP does not manage
  // it. A complex order's levels are canonical net prices.
  std::optional<aop::ProtectedOrder> AopProtection(core::ParticipantId participant,
                                                   core::OrderId order_id) const;

  // Latency protection (config.latency_protection.enabled). Test orders and latency reports
  // cross the inbound latency of new orders; their answers the outbound latency of acks.
  // Routes `participant`'s test-order acceptances and latency reports to `listener` (not owned).
  absl::Status ConnectLatency(core::ParticipantId participant, LatencyListener* listener);
  // A test order for the artificial product (R4): logs the one-way latency, answers with
  // TestOrderAccepted, never trades. Fails without protection, for an unconnected participant or
  // another instrument than the configured test instrument.
  absl::Status SubmitTestOrder(const TestOrder& order) override;
  // The participant's measured round trip (R7), logged (capped, D11) and answered with a
  // LatencyReport. Fails for a negative value.
  absl::Status ReportLatency(core::ParticipantId participant, core::Duration round_trip) override;
  // The venue's guard; nullptr without latency protection.
  const LatencyGuard* latency_guard() const { return latency_guard_.get(); }
  // The exchange's trading status of a listed leg: complex orders with a halted leg are not
  // evaluated (seed 001 R10/R11). Takes effect at once, as one step. Fails for an unlisted one.
  absl::Status SetLegTradingStatus(core::InstrumentId instrument, LegTradingStatus status);
  // An exchange-wide halt or resume: every listed leg takes that status (as SetLegTradingStatus)
  // and the change reaches every market-data subscriber as a VenueTradingStatusChanged. Orders
  // stay where they are. Takes effect at once, as one step.
  absl::Status SetTradingStatus(VenueTradingStatus status) override;
  VenueTradingStatus trading_status() const { return trading_status_; }
  // R9: the complex-order exposure delay for orders accepted from now on (changeable intraday).
  absl::Status SetComplexExposureDelay(core::Duration delay);
  // The native market of a combo now (no latency). Fails for a combo not traded natively.
  absl::StatusOr<core::TopOfBook> NativeTopOfBook(core::ComboId combo) const;
  // What a complex order arriving now fills by legging in (seed 001 R17; no latency). Fails for
  // a combo not traded natively.
  absl::StatusOr<core::TopOfBook> LegsImpliedTopOfBook(core::ComboId combo) const;

  // Seed 001 Part A's leg-book processes (config.leg_processes; leg_processes.cc;
  // docs/VENUES.md "Seed-001 leg-book processes"). Each takes effect at once, as one step.
  // R47: the primary market maker starts the opening rotation of `instruments` (every listed
  // series when empty). A series that cannot open keeps trying after each later step. Fails
  // without the opening process or for an unlisted instrument.
  absl::Status StartOpening(std::vector<core::InstrumentId> instruments = {});
  // R47 (S610): the test run: what the opening of `instrument` would do now. Changes nothing.
  absl::StatusOr<leg_processes::AuctionPrice> TestOpening(core::InstrumentId instrument) const;
  // R46: the exchange calls a fast market in `instrument` at `level` (1..5: Table XII's delays;
  // 6: `entered_delay`), or ends it (level 0) with a last single-price trade. Fails without the
  // fast-market process, for an unlisted or not yet opened series, or a level outside 0..6.
  absl::Status SetFastMarket(core::InstrumentId instrument, int level,
                             core::Duration entered_delay = core::Duration::Zero()) override;
  // R46's automatic fast market (config.leg_processes.fast_market.automatic): watches `primary`,
  // the configured primary market of the underlyings, for its fast markets. Fails without the
  // automatic fast market or for another venue than the configured one.
  absl::Status ConnectPrimaryMarket(Venue& primary);
  // The phase of a listed series.
  absl::StatusOr<SeriesPhase> series_phase(core::InstrumentId instrument) const;
  // R48: a response to a block notice; crosses the inbound latency of new orders, then is
  // accepted or rejected like an order. Admission fails as Submit's does.
  absl::Status RespondToBlock(const BlockResponse& response);
  // R44: the orders stored hidden in `instrument`.
  size_t hidden_orders(core::InstrumentId instrument) const;
  // R40: the primary market maker's decision on a held FARMM order; crosses the inbound latency
  // of new orders, then is acknowledged as a new order named (participant, order_id), and for
  // kExecute filled with the FARMM order, or rejected with the reason. Admission fails as
  // Submit's does.
  absl::Status DecideFarmm(const FarmmDecision& decision);
  // R40: the FARMM orders held in `instrument`, waiting for the primary market maker.
  size_t held_farmm_orders(core::InstrumentId instrument) const;

  const SimulatedVenueConfig& config() const { return config_; }
  // Prints by kind, resting orders by role and the customer rules at work, so far.
  const VenueActivity& activity() const { return activity_; }
  // What the seed-001 leg-book processes did so far: openings, fast markets, hidden orders,
  // blocks.
  const LegProcessActivity& leg_process_activity() const { return leg_process_activity_; }
  // Orders open at the venue (resting in a leg book or the complex book).
  size_t open_orders() const { return registry_.size(); }

 private:
  // Forwards one book's events into the venue's step (leg_orders.cc).
  class BookAdapter;
  // Forwards the third-party market's events to the venue's AOP hooks (aop_hooks.cc).
  class AopObserver;
  // Installs the latency guard in every book (latency_hooks.cc).
  class LatencyInterceptor;
  // Hears the underlying's primary market's series phases (leg_processes.cc).
  class PrimaryMarketWatcher;
  // Forwards the complex book's events into the venue's step (complex_orders.cc).
  class ComplexAdapter;
  // The complex book's view of the third-party market as its away market (complex_orders.cc).
  class ComplexAwayMarket;
  // Holds complex executions as packages through the latency guard (latency_hooks.cc).
  class PackagePolicy;

  // A party of a held package, for its pending and voided events.
  struct PackageParty {
    core::ParticipantId participant;
    core::OrderId order_id;
    // Units for a complex order, contracts for a leg order.
    core::Quantity quantity;
    // The leg order's book tag; 0 for a complex order.
    uint64_t leg_tag = 0;
  };

  // An open order's price and open quantity as its book holds them.
  struct RestingTerms {
    core::Price limit_price;
    core::Quantity leaves;
  };

  SimulatedVenue(SimulatedVenueConfig config, core::Scheduler* scheduler);
  // The book of one listed instrument, created empty.
  BookAdapter& OpenBook(const ListedInstrument& listed);
  // Create's parts: the AOP state, and latency protection's hooks into the books.
  absl::Status SetUpAop();
  absl::Status SetUpMarketMakerMetrics();
  absl::Status SetUpLatencyProtection();

  // Order entry (order_entry.cc): admission, events of a step, and the paths leg and complex
  // orders share.
  absl::Status Admit(core::ParticipantId participant) const;
  absl::Status AdmitNew(core::ParticipantId participant, core::OrderId order_id);
  void Reject(core::ParticipantId participant, core::OrderId order_id, RequestKind request,
              RejectCode code, std::string reason);
  // Queues the ack of a request the book took (sent on the next Flush).
  void Acknowledge(core::ParticipantId participant, core::OrderId order_id, RequestKind request);
  // A new order (leg or complex) its book has checked: rejected with the book's reason (and the
  // step flushed), or acknowledged and registered under `tag` as `record`. True when accepted.
  bool AcceptNew(RequestKind request, uint64_t tag, const OrderRecord& record,
                 std::optional<Rejection> rejection);
  void QueueCancelled(const OrderRecord& record, CancelReason reason, core::Quantity quantity);
  void QueueRestated(const OrderRecord& record, RestatementReason reason, core::Price limit_price,
                     core::Quantity leaves, QueuePriority priority);
  // What a participant pays for `contracts` with that liquidity (negative: a rebate).
  core::Money FeeFor(Liquidity liquidity, core::Quantity contracts) const {
    const core::Price fee_per_contract = liquidity == Liquidity::kAdded
                                             ? config_.maker_fee_per_contract
                                             : config_.taker_fee_per_contract;
    return core::Money::Notional(fee_per_contract, contracts, 1);
  }
  // A fill event (a leg Fill or a ComplexFill) of `record`'s order, with the fields both share;
  // the fee is for `contracts` (a complex fill's fee counts every leg contract).
  template <typename FillEvent>
  FillEvent FillFor(const OrderRecord& record, core::Quantity quantity, core::Quantity leaves,
                    Liquidity liquidity, core::Quantity contracts, uint64_t execution_id,
                    core::Timestamp time) const {
    FillEvent fill;
    fill.venue = config_.id;
    fill.participant = record.participant;
    fill.order_id = record.order_id;
    fill.side = record.side;
    fill.quantity = quantity;
    fill.leaves_quantity = leaves;
    fill.liquidity = liquidity;
    fill.fee = FeeFor(liquidity, contracts);
    fill.execution_id = execution_id;
    fill.time = time;
    return fill;
  }
  void ProcessCancel(const CancelRequest& request);
  void ProcessReplace(const ReplaceRequest& request);
  // The order's book, whichever kind it is: its resting terms, a replace check, the replace
  // (the open quantity left resting, nullopt when the order is gone), a cancel (the open
  // quantity it removed).
  std::optional<RestingTerms> RestingInBook(uint64_t tag, const OrderRecord& record) const;
  std::optional<Rejection> CheckReplaceInBook(uint64_t tag, const OrderRecord& record,
                                              core::Price limit_price, core::Quantity leaves) const;
  std::optional<core::Quantity> ReplaceInBook(uint64_t tag, const OrderRecord& record,
                                              core::Price limit_price, core::Quantity leaves);
  std::optional<core::Quantity> CancelInBook(uint64_t tag, const OrderRecord& record);
  // Cancels an open order for `reason`: out of its book, reported, forgotten, the step flushed.
  // `record` is a copy: the book's cancel may already forget the order.
  void CancelOpen(uint64_t tag, OrderRecord record, CancelReason reason);
  // The order left its book: it leaves the registry and AOP.
  void Forget(uint64_t tag);
  // A complex order's "delete after n minutes" ran out: it is cancelled if still open (tags are
  // never reused, so a finished order's timer finds nothing).
  void DeleteExpired(uint64_t tag);
  // Schedules the step's events for delivery (after the complex book's re-evaluation).
  void Flush();

  // Leg orders (leg_orders.cc).
  void ProcessNew(const OrderRequest& request);
  OrderBook* LegBook(const OrderRecord& record) const;
  void OnBookTrade(OrderBook& book, const BookTrade& trade);
  void OnBookCancel(uint64_t tag, CancelReason reason, core::Quantity quantity);
  void OnBookLevel(OrderBook& book, core::Side side, core::Price price, core::Quantity quantity,
                   uint64_t sequence);
  // The book moved or topped up a quote (seed 001 tick-worse, step-up): its owner hears it.
  void OnBookQuoteRestated(uint64_t tag, RestatementReason reason, core::Price limit_price,
                           core::Quantity leaves, QueuePriority priority);
  // Seed 001 R41: a quote rests crossing another's; after the delay T the book re-checks it.
  void OnBookQuoteMatchDelayed(OrderBook& book, OrderHandle handle, uint64_t tag);
  // Seed 001 R34: the book derived the PMM an order, or traded a customer's order against it.
  void OnBookDeriveOrTrade(DeriveOrTradeOutcome outcome);

  // Seed-001 leg processes (leg_processes.cc).
  // An order held outside its book: accumulated for a single-price trade, hidden, a block or a
  // block response. `order.quantity` is its open quantity.
  struct HeldOrder {
    uint64_t tag = 0;
    BookOrder order;
  };
  struct SeriesState {
    SeriesPhase phase = SeriesPhase::kOpen;
    int fast_market_level = 0;
    core::Duration call_delay;
    // Numbers fast-market cycles, so that a timer of an ended fast market does nothing.
    uint64_t cycle = 0;
    // R46: the fast market was set automatically (not by the exchange), and numbers its
    // interval's timers, so that a renewed interval's earlier timer does nothing.
    bool automatic_fast_market = false;
    uint64_t automatic_interval = 0;
    bool opening_started = false;
    // The call changed since the last opening attempt.
    bool call_changed = false;
    std::vector<HeldOrder> call;
    std::vector<HeldOrder> hidden;
    // R40: FARMM orders waiting for the primary market maker's decision.
    std::vector<HeldOrder> farmm;
  };
  struct BlockState {
    OrderHandling handling = OrderHandling::kBlock;
    leg_processes::BlockTerms terms;
    core::InstrumentId instrument;
    std::vector<HeldOrder> responses;
  };
  enum class AwayCheck : uint8_t { kApply, kSkip };
  void SetUpLegProcesses();
  // A series' state, to change: the series is then looked at by the next RunLegProcesses.
  SeriesState& Series(core::InstrumentId instrument) {
    series_to_process_.insert(instrument);
    return series_[instrument];
  }
  // R26's checks before an order is accepted, by the phase of its series.
  std::optional<Rejection> CheckDispatch(const OrderRequest& request) const;
  // R26 step 5, the buy / sell path: hidden orders, the away-market check (R28), the book.
  void MatchRegular(uint64_t tag, BookOrder order, AwayCheck away);
  // R44: trades `order` with hidden orders it reaches; false when nothing of it is left.
  bool TradeWithHidden(uint64_t tag, BookOrder& order);
  // R28 / R45: true when the away-market process took the order (traded or stored hidden).
  bool AwayProcess(uint64_t tag, BookOrder& order);
  // The away market's contra price for an order on `side`, when fresh.
  std::optional<core::Price> AwayContra(core::InstrumentId instrument, core::Side side) const;
  // R28's question: may `order` trade here now, while the away market shows better?
  bool AwayWouldTakeIt(const BookOrder& order) const;
  void HoldInCall(uint64_t tag, const BookOrder& order);
  // The book's resting orders and the call as one auction, in time priority.
  std::vector<leg_processes::AuctionOrder> AuctionOrders(core::InstrumentId instrument,
                                                         bool include_call) const;
  // Runs one single-price trade of the series (R46 / R47); false when an opening failed.
  bool RunAuction(core::InstrumentId instrument, bool opening);
  void TryOpen(core::InstrumentId instrument);
  void ScheduleFastMarketCycle(core::InstrumentId instrument);
  // R46: the primary market changed the phase of `change.instrument`; a fast market there sets
  // one in every series of that underlying here for the configured interval.
  void OnPrimaryMarketStatus(const SeriesStatusChanged& change);
  void SetPhase(core::InstrumentId instrument, SeriesPhase phase);
  void StartBlock(uint64_t tag, const OrderRequest& request);
  void ProcessBlockResponse(const BlockResponse& response);
  void EndBlock(uint64_t tag);
  // R40: holds a FARMM order, tells the series' market makers, and arms the decision window.
  void StartFarmm(uint64_t tag, const BookOrder& order);
  void ProcessFarmmDecision(const FarmmDecision& decision);
  // Why the PMM's execution of `farmm` at `price` cannot be done; nullopt when it can.
  std::optional<Rejection> CheckFarmmExecution(const BookOrder& farmm, core::Price price) const;
  // Takes held FARMM order `tag` out of its series' list; nullopt when it is no longer held.
  std::optional<HeldOrder> TakeFarmm(uint64_t tag);
  // Sends a held FARMM order into bid / offer matching (the PMM's kMatch, or the window's end);
  // in a call phase it joins the call.
  void MatchFarmm(const HeldOrder& held);
  // Trades between two registered orders outside a book's own matching, at `price`; `resting`
  // adds liquidity. The caller has taken the quantity out of wherever the orders are.
  void TradeOffBook(core::InstrumentId instrument, uint64_t resting, core::Quantity resting_leaves,
                    uint64_t incoming, core::Quantity incoming_leaves, core::Side incoming_side,
                    core::Price price, core::Quantity quantity);
  // Takes `quantity` off a resting book order (keeping its priority).
  void ReduceResting(OrderBook& book, OrderHandle handle, core::Quantity quantity);
  // The held order `tag` and the list that holds it, or nulls.
  std::pair<std::vector<HeldOrder>*, HeldOrder*> FindHeld(uint64_t tag, const OrderRecord& record);
  const HeldOrder* FindHeldView(uint64_t tag, const OrderRecord& record) const;
  // Releases hidden orders the away market no longer holds back and retries openings (R44,
  // R47); run at the end of every step.
  void RunLegProcesses();

  // Complex orders (complex_orders.cc).
  void ProcessComplex(const ComplexOrderRequest& request);
  void OnComplexExecution(const ComplexExecution& execution);
  // The combo print of a complex execution, and for one against a complex order its leg prints
  // (a leg-in's leg prints come from the leg books' trades).
  void PrintComplexExecution(const ComplexExecution& execution);
  void OnComplexCancelled(uint64_t tag, CancelReason reason, core::Quantity quantity);
  void OnComplexTop(core::ComboId combo, const core::TopOfBook& top,
                    const core::TopOfBook& legs_implied);
  // R10(3): the away market of `instrument` (nullopt: of every leg) changed.
  void ComplexOnAwayQuote(std::optional<core::InstrumentId> instrument);
  void ScheduleComplexWakeUp(core::Timestamp when);

  // AOP hooks (aop_hooks.cc).
  bool AopCovers(core::ParticipantId participant) const;
  void AopTrack(uint64_t tag, core::Side side, core::Price limit, core::Quantity leaves);
  void AopOnQuote(core::InstrumentId instrument);
  void AopOnTrade(const core::TradePrint& print);
  void AopOnFeedState(aop::FeedState state, std::string_view reason);
  // Moves a protected order (leg or complex) to the reprice's level, as its book allows.
  void AopApply(uint64_t tag, const aop::Reprice& reprice);
  void AopCount(aop::ProtectionBasis basis);
  // Opens the CBO book with the venue's hub as its listener (aop_hooks.cc).
  absl::Status AopOpenCboBook();
  // Seed 004 R56: the price of a leg trade, the dealer's (incoming) limit when that is better
  // for a protected resting order than its level.
  core::Price AopTradePrice(const BookTrade& trade) const;
  // Seed 004 R53: the limit an immediate order with an autofill threshold trades at: its own,
  // or the level of a protected contra order AOP repriced that it misses within the threshold
  // (with its price within the threshold of the third-party contra). Counts an autofill.
  core::Price AopAutofillLimit(const OrderRequest& request);
  // Why an autofill threshold cannot be taken (not positive, not an immediate limit order, no
  // AOP at the venue); nullopt when it can.
  std::optional<Rejection> CheckAutofill(const OrderRequest& request) const;
  // Complex orders (seed 004 spec 6.1): their TPIM is the implied market of their legs' TPIMs.
  void AopTrackComplex(uint64_t tag);
  void AopOnComplexQuote(std::optional<core::InstrumentId> instrument);
  void AopOnComplexTrade(const core::TradePrint& print);
  // The implied contra ladder of `combo` for an order on `side` (offers for a bid).
  std::vector<core::PriceLevel> AopImpliedContra(core::ComboId combo, core::Side side) const;

  // Latency protection hooks (latency_hooks.cc).
  void LatencyOnHeld(const HeldMatch& hold);
  void LatencyResolve(const PendingTrade& trade);
  void LatencyOnPackageHeld(const HeldPackage& package);
  void LatencyResolvePackage(uint64_t package_id);
  void LatencyRecord(core::ParticipantId participant, LatencySource source, core::Duration value);

  SimulatedVenueConfig config_;
  core::Scheduler* scheduler_;
  Transport transport_;
  std::map<core::InstrumentId, std::unique_ptr<BookAdapter>> books_;
  OrderRegistry registry_;
  uint64_t next_tag_ = 1;
  uint64_t next_execution_id_ = 1;
  std::map<core::InstrumentId, uint64_t> trade_sequence_;
  VenueTradingStatus trading_status_ = VenueTradingStatus::kOpen;
  // AOP; all null/empty unless config_.aop.enabled.
  std::unique_ptr<aop::ThirdPartyMarket> aop_market_;
  std::unique_ptr<AopObserver> aop_observer_;
  std::unique_ptr<CboHub> cbo_hub_;
  std::unique_ptr<aop::CboBook> cbo_book_;
  // Seed 004 R56: the limit of the leg order being matched (a limit order, in ProcessNew), so a
  // trade with a protected resting order takes the dealer's better price.
  std::optional<core::Price> aop_incoming_limit_;
  prometheus::Counter* aop_autofill_counter_ = nullptr;
  prometheus::Counter* aop_dealer_price_counter_ = nullptr;
  // Resting leg orders under protection, grouped by instrument: reprices run in order of entry.
  aop::ProtectedOrders aop_orders_;
  // Resting complex orders under protection (canonical net prices), grouped by combo.
  aop::ProtectedOrders aop_complex_orders_;
  // Each listed combo's legs for the implied market.
  std::map<core::ComboId, std::vector<aop::ImpliedLeg>> aop_combo_legs_;
  std::map<aop::ProtectionBasis, prometheus::Counter*> aop_reprice_counters_;
  // Seed 001 market-maker rules: tick-worse and step-up counts (null without a registry).
  prometheus::Counter* tick_worse_counter_ = nullptr;
  prometheus::Counter* step_up_counter_ = nullptr;
  // R34 outcomes (derived, traded) and R41 delayed quote matches (null without a registry).
  prometheus::Counter* derived_counter_ = nullptr;
  prometheus::Counter* traded_counter_ = nullptr;
  prometheus::Counter* quote_match_delay_counter_ = nullptr;
  // Latency protection; null/empty unless config_.latency_protection.enabled.
  std::unique_ptr<LatencyGuard> latency_guard_;
  std::unique_ptr<LatencyInterceptor> latency_interceptor_;
  std::unique_ptr<PackagePolicy> package_policy_;
  std::map<uint64_t, std::vector<PackageParty>> package_parties_;

  // The complex-order book and its bookkeeping; null when the config does not enable it.
  std::unique_ptr<ComplexAdapter> complex_adapter_;
  // With AOP and a complex book: the third-party market as the complex book's away market.
  std::unique_ptr<ComplexAwayMarket> complex_away_market_;
  std::unique_ptr<ComplexBook> complex_book_;
  std::map<core::ComboId, uint64_t> combo_sequence_;
  std::map<core::ComboId, uint64_t> combo_trade_sequence_;
  VenueActivity activity_;
  LegProcessActivity leg_process_activity_;

  // Seed-001 leg processes: each listed series' phase, call and hidden orders; open blocks by
  // their order's tag.
  std::map<core::InstrumentId, SeriesState> series_;
  // The series changed since RunLegProcesses last ran, and those it must look at again (a
  // pending opening, hidden orders): the end of a step does not walk every listed series.
  absl::btree_set<core::InstrumentId> series_to_process_;
  std::map<uint64_t, BlockState> blocks_;
  // R40: who may decide each held FARMM order (the owners of the series' PMM orders at entry).
  std::map<uint64_t, std::set<core::ParticipantId>> farmm_deciders_;
  std::unique_ptr<PrimaryMarketWatcher> primary_market_watcher_;
  bool running_leg_processes_ = false;
};

}  // namespace combo::venues
