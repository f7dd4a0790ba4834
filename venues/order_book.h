// OrderBook: the limit order book of one instrument at one venue (a "leg book").
//
// Limit and market orders; Day, GTC, IOC and FOK; all-or-none; cancel; replace (a quantity
// decrease at the same price keeps time priority, any other change loses it); partial fills;
// trades at the resting order's price, sweeping levels; self-trade prevention by owner (the
// resting orders of the incoming order's owner that it reaches are cancelled); best bid/offer and
// N-level depth; incremental level updates with a per-book sequence number. Allocation at a level
// is price-time or the seed-001 options allocation (customers first, the primary market maker's
// share, then pro-rata among professionals); docs/VENUES.md records the decisions.
//
// Seed 001 Part A's market-maker rules (venues/market_maker_rules.h: minimum market size and
// step-up, the professional band, quote availability, tick-worse) apply when the config turns any
// of them on; the default path checks one flag and is otherwise unchanged.
//
// An invalid order (off tick, quantity not positive, another instrument) is rejected with a
// reason and changes nothing. Everything an operation causes (trades, cancellations, level
// updates) goes to the OrderBookEvents given at construction, synchronously and in order; the
// venue buffers them so that its listeners only see a finished step.
//
// Storage: orders live in a pre-allocated pool linked into a FIFO per level; levels are a flat
// array per side with the best level last. Adding, cancelling and matching allocate nothing once
// the pool and the level arrays have grown to the book's working size.
//
// Not thread-safe: one book belongs to one venue on the core thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "core/ids.h"
#include "core/market_data.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"
#include "core/tick_rule.h"
#include "core/time.h"
#include "venues/market_maker_rules.h"
#include "venues/venue.h"

namespace combo::venues {

enum class AllocationRule : uint8_t {
  kPriceTime,  // first in, first out at each price
  // Seed 001 R30-R38: customers first in time order; then the primary market maker's share
  // (small-order preference R31, guarantee R36); then the rest pro-rata among professionals,
  // largest first, rounding up (R37).
  kSeed001Options,
};

std::string_view ToString(AllocationRule rule);

// Parameters of the seed-001 allocation (seed 001 section 4).
struct Seed001AllocationParams {
  // R31: an incoming order whose original quantity is strictly below this gives the primary
  // market maker everything left after the customers (up to its size).
  core::Quantity small_order_threshold = core::Quantity(5);
  // R36: the primary market maker's minimum share, in percent, with 1, 2 and 3 or more other
  // professional orders at the price.
  int64_t pmm_share_percent_one_other = 60;
  int64_t pmm_share_percent_two_others = 40;
  int64_t pmm_share_percent_three_or_more = 30;
};

struct OrderBookConfig {
  core::InstrumentId instrument;
  // The instrument's tick at each price: a limit must be on the tick of the band that holds it.
  core::TickRule tick_rule = core::TickRule::Uniform(core::Price::FromParts(0, 10'000'000));
  AllocationRule allocation = AllocationRule::kPriceTime;
  Seed001AllocationParams seed001;
  // Seed 001 R32-R43 for market makers' quotes and professional orders; all off by default.
  MarketMakerRules market_maker;
  // Orders the pool holds before it has to grow.
  uint32_t initial_order_capacity = 1024;
  // Price levels per side the level arrays hold before they have to grow.
  uint32_t initial_level_capacity = 64;
};

// A resting order inside one book. Stable for the order's life, including across a replace.
struct OrderHandle {
  uint32_t index = UINT32_MAX;
  bool valid() const { return index != UINT32_MAX; }
  friend bool operator==(OrderHandle, OrderHandle) = default;
};

// What every book order has, whatever it trades (a leg here, a native combo in the
// ComplexBook): the order's instructions (venue.h), its owner and `tag`, the owner's reference
// echoed in every event.
struct OrderTerms : OrderInstructions {
  uint64_t tag = 0;
  core::ParticipantId owner;
};

// An order as the leg book sees it.
struct BookOrder : OrderTerms {
  core::InstrumentId instrument;
};

// One trade between the incoming order and a resting one, at the resting order's price.
struct BookTrade {
  uint64_t resting_tag = 0;
  core::ParticipantId resting_owner;
  uint64_t incoming_tag = 0;
  core::ParticipantId incoming_owner;
  // The incoming (aggressing) order's side.
  core::Side incoming_side = core::Side::kBuy;
  core::Price price;
  core::Quantity quantity;
  // A quote the trade exhausted that tick-worse renews (R42) shows its renewed size here; an
  // OnQuoteRestated with its new price follows.
  core::Quantity resting_leaves;
  core::Quantity incoming_leaves;
};

// What R34 derive-or-trade did with a public customer's order below the minimum market size.
enum class DeriveOrTradeOutcome : uint8_t {
  kDerived,  // the PMM was derived an order for the shortfall beside the customer's
  kTraded,   // the customer's order (or its balance) traded against the PMM at its price
};
std::string_view ToString(DeriveOrTradeOutcome outcome);

// Receives what one book operation causes, synchronously, in the order it happens.
class OrderBookEvents {
 public:
  virtual ~OrderBookEvents() = default;
  virtual void OnTrade(const BookTrade& trade) = 0;
  // An order (resting, or the incoming one's remainder) left the book without trading.
  virtual void OnOrderCancelled(uint64_t tag, CancelReason reason, core::Quantity quantity) = 0;
  // A displayed level's total changed; zero means the level is gone. Sent once per level per
  // operation, after the operation, numbered by the book's sequence.
  virtual void OnLevelUpdate(core::Side side, core::Price price, core::Quantity quantity,
                             uint64_t sequence) = 0;
  // The book itself changed a resting quote's terms (market-maker rules only: tick-worse, step-up).
  // Books without those rules never call it, so listeners of such books need not override it.
  virtual void OnQuoteRestated(uint64_t /*tag*/, RestatementReason /*reason*/,
                               core::Price /*limit_price*/, core::Quantity /*leaves*/,
                               QueuePriority /*priority*/) {}
  // R41: the quote `tag` rests at `handle` without trading another market maker's quote it
  // crosses; after the venue's delay T it calls OrderBook::ReleaseQuoteMatchDelay. Only with a
  // quote match delay.
  virtual void OnQuoteMatchDelayed(OrderHandle /*handle*/, uint64_t /*tag*/) {}
  // R34: the book acted for the primary market maker on a public customer's order below the
  // minimum market size: derived it an order beside the customer's, or traded the customer's
  // order against it. Only with derive-or-trade.
  virtual void OnDeriveOrTrade(DeriveOrTradeOutcome /*outcome*/) {}
};

struct Rejection {
  RejectCode code = RejectCode::kInvalidRequest;
  std::string reason;
};

struct AddResult {
  // Set when the order was rejected; the book is then unchanged.
  std::optional<Rejection> rejection;
  core::Quantity filled;
  // Open quantity now resting (zero if nothing rests).
  core::Quantity resting;
  // Valid when part of the order rests.
  OrderHandle handle;
};

struct ReplaceResult {
  std::optional<Rejection> rejection;
  QueuePriority priority = QueuePriority::kKept;
  core::Quantity filled;
  // Open quantity resting after the replace (zero: the order filled completely and is gone).
  core::Quantity resting;
};

// A resting order's current state, for the venue and tests.
struct RestingOrderView {
  uint64_t tag = 0;
  core::ParticipantId owner;
  core::Side side = core::Side::kBuy;
  core::Price limit_price;
  core::Quantity leaves;
  TimeInForce time_in_force = TimeInForce::kDay;
  FillCondition condition = FillCondition::kAnyQuantity;
  // Part of `leaves` held by pending latency-protection holds (no one else can trade it).
  core::Quantity reserved;
  ParticipantRole role = ParticipantRole::kProfessional;
};

// A resting order with its handle, as RestingOrders lists them.
struct RestingEntry {
  OrderHandle handle;
  RestingOrderView view;
};

// Latency protection (seed 002, docs/VENUES.md "Latency protection"): a match the book found but
// did not execute. Both orders stay in the book with `quantity` reserved on each until the venue
// resolves the hold (OrderBook::ResolveHold).
struct HeldMatch {
  core::InstrumentId instrument;
  OrderHandle resting;
  uint64_t resting_tag = 0;
  core::ParticipantId resting_owner;
  OrderHandle incoming;
  uint64_t incoming_tag = 0;
  core::ParticipantId incoming_owner;
  // The incoming (aggressing) order's side.
  core::Side incoming_side = core::Side::kBuy;
  // The resting order's price when the match was found.
  core::Price price;
  core::Quantity quantity;
  core::Duration period;
};

// What a resolved hold did: `executed` traded, the rest of the held quantity was prevented.
struct HoldOutcome {
  core::Quantity executed;
  core::Quantity prevented;
};

// Latency protection of complex-order packages: one resting order's part in a take by a taker
// that never rests (the complex book's leg order), as OrderBook::PlanTake finds it.
struct LegTake {
  OrderHandle handle;
  uint64_t tag = 0;
  core::ParticipantId owner;
  core::Quantity quantity;
};

// Consulted by a book for every match, only when the venue installed it (latency protection on).
// The book has no clock: the interceptor decides the period and keeps the timers.
class MatchInterceptor {
 public:
  virtual ~MatchInterceptor() = default;
  // The hold period for a match between these owners; zero executes the match at once.
  virtual core::Duration HoldPeriod(core::ParticipantId resting_owner,
                                    core::ParticipantId incoming_owner) = 0;
  // A match was held (called after the book operation, once the incoming order rests).
  virtual void OnHeld(const HeldMatch& hold) = 0;
};

class OrderBook {
 public:
  // `events` is not owned and must outlive the book.
  OrderBook(OrderBookConfig config, OrderBookEvents* events);
  OrderBook(const OrderBook&) = delete;
  OrderBook& operator=(const OrderBook&) = delete;

  const OrderBookConfig& config() const { return config_; }

  // Why `order` cannot enter this book, or nullopt when it can.
  std::optional<Rejection> Check(const BookOrder& order) const;
  // A limit off the tick rule's tick at its price, with the reason.
  std::optional<Rejection> CheckOnTick(core::Price limit_price) const;

  // Matches `order` and rests what is left if its type and time in force allow.
  AddResult Add(const BookOrder& order);

  // Removes a resting order; returns the open quantity removed, or nullopt for a handle that is
  // not resting here. Emits no cancel event (the caller asked for it), only the level update.
  std::optional<core::Quantity> Cancel(OrderHandle handle);

  // Why the replace cannot be done, or nullopt.
  std::optional<Rejection> CheckReplace(OrderHandle handle, core::Price limit_price,
                                        core::Quantity leaves) const;
  // Sets a resting order's price and open quantity. Keeps priority only for a quantity decrease
  // at the same price; otherwise the order goes to the back of its (new) level, after trading
  // against the other side if the new price crosses.
  ReplaceResult Replace(OrderHandle handle, core::Price limit_price, core::Quantity leaves);
  // A venue-initiated price change (automated order protection, seed 004 spec 6.1): the order
  // keeps its time priority. It first trades against the other side if the new price crosses
  // (at the resting prices), then rests at the new level in the place its original time gives
  // it, ahead of every order that arrived after it.
  ReplaceResult RepriceKeepingTime(OrderHandle handle, core::Price limit_price);

  // R41: the delay T of the quote `tag` resting at `handle` is over: if it still rests, it trades
  // what it crosses now, quotes included (at the resting prices), keeping its time priority for
  // what rests. Nothing happens to a quote no longer there or no longer crossing.
  ReplaceResult ReleaseQuoteMatchDelay(OrderHandle handle, uint64_t tag);

  // Cancels every resting Day order (CancelReason::kEndOfDay), best levels first, bids first.
  void ExpireDayOrders();

  // Latency protection: installs `interceptor` (not owned), which every later match consults.
  // Only on an empty price-time book; without it the matching path is the unprotected one.
  absl::Status SetMatchInterceptor(MatchInterceptor* interceptor);
  // Resolves a hold at its expiry: releases its reservations; if both orders are still in the
  // book and still cross, trades the smaller of the held quantity and what each still has open
  // (beyond its other holds) at the resting order's current price. Each surviving order is then
  // matched again against the other side (and may be held again); a survivor that may not rest
  // (IOC / FOK / market) and holds nothing more is cancelled (CancelReason::kImmediateOrCancel).
  HoldOutcome ResolveHold(const HeldMatch& hold);

  // Latency protection of complex-order packages (docs/VENUES.md "Latency protection"): the
  // complex book reserves leg quantity for a held package and trades it at the package's expiry.
  // The best level on `side` with displayed quantity that no hold reserves, with that quantity;
  // the same as Best() without an interceptor (nothing is ever reserved then).
  std::optional<core::PriceLevel> BestTradable(core::Side side) const;
  // The resting orders at `price` on `side` that a taker of `quantity` who never rests would
  // trade with, in time order, with the unreserved quantity each would give (an all-or-none
  // order only whole). Changes nothing; the parts may sum to less than `quantity`.
  std::vector<LegTake> PlanTake(core::Side side, core::Price price, core::Quantity quantity) const;
  // Adds `quantity` to a resting order's reservation (from a PlanTake of this step).
  void Reserve(OrderHandle handle, core::Quantity quantity);
  // Takes up to `quantity` off the reservation of the order `tag` if it still rests at `handle`.
  void Release(OrderHandle handle, uint64_t tag, core::Quantity quantity);
  // The order `tag` if it still rests at `handle`.
  std::optional<RestingOrderView> FindLive(OrderHandle handle, uint64_t tag) const;
  // Trades `quantity` of a resting order with `taker`, an order that never rests (tag 0), at the
  // resting order's current price. The quantity must not exceed its leaves.
  void TradeWithResting(OrderHandle handle, core::Quantity quantity, core::ParticipantId taker);
  // The order `tag`, if it still rests at `handle` and holds no reservation, matches the other
  // side again (R29(d)), as a survivor of a resolved hold does.
  void Rematch(OrderHandle handle, uint64_t tag);

  std::optional<RestingOrderView> Find(OrderHandle handle) const;
  // Every resting order on `side`, best level first, each level in time order: the seed-001 leg
  // processes (venues/leg_processes/) auction the book and find the primary market maker's quote.
  // Allocates; not for the matching path.
  std::vector<RestingEntry> RestingOrders(core::Side side) const;
  core::TopOfBook Top() const;
  std::optional<core::PriceLevel> Best(core::Side side) const;
  core::Depth GetDepth(int levels) const;
  // Whether a public customer's order rests at `price` on `side`: the complex-order book's
  // "customer at the edge" test (seed 001 R12). Walks that level's queue.
  bool CustomerRestsAt(core::Side side, core::Price price) const;
  // Resting orders, all-or-none ones included.
  size_t order_count() const { return order_count_; }
  uint64_t sequence() const { return sequence_; }

 private:
  static constexpr uint32_t kNil = UINT32_MAX;

  struct Node {
    core::Price price;
    int64_t leaves = 0;
    uint64_t tag = 0;
    uint32_t prev = kNil;
    uint32_t next = kNil;
    uint32_t owner = 0;
    core::Side side = core::Side::kBuy;
    ParticipantRole role = ParticipantRole::kProfessional;
    FillCondition condition = FillCondition::kAnyQuantity;
    TimeInForce time_in_force = TimeInForce::kDay;
    bool in_use = false;
    // R34: an order the book derived for the primary market maker beside a customer's (its tag
    // is the PMM quote's on that side, to which its fills are reported).
    bool derived = false;
    // Time priority: lower arrived earlier; renewed whenever the order loses priority.
    uint64_t sequence = 0;
  };

  struct Level {
    core::Price price;
    // Displayed quantity: all-or-none orders are not displayed.
    int64_t displayed = 0;
    uint32_t head = kNil;
    uint32_t tail = kNil;
  };

  // The order being matched: a new order, or a resting one being replaced.
  struct Incoming {
    uint64_t tag = 0;
    uint32_t owner = 0;
    core::Side side = core::Side::kBuy;
    bool is_market = false;
    // The order's class for the market-maker rules (R35, R39).
    ParticipantRole role = ParticipantRole::kProfessional;
    core::Price limit;
    int64_t original_quantity = 0;
    int64_t remaining = 0;
    // Latency protection: quantity of this order held in pending matches (open, not matchable).
    int64_t held = 0;
    // R41: a quote under the quote match delay trades no other market maker's quote; set when
    // matching stopped at one it crosses (it then rests, and the venue starts the delay).
    bool delays_quote_matches = false;
    bool quote_match_delayed = false;
  };

  struct Touched {
    core::Side side;
    core::Price price;
    int64_t displayed_before;
  };

  struct Allocation {
    uint32_t node;
    int64_t size;
    int64_t quantity;
  };

  std::vector<Level>& levels(core::Side side) { return side == core::Side::kBuy ? bids_ : asks_; }
  const std::vector<Level>& levels(core::Side side) const {
    return side == core::Side::kBuy ? bids_ : asks_;
  }
  // Index of the level at `price` on `side`, or -1.
  int FindLevel(core::Side side, core::Price price) const;
  // Index of the level at `price`, created empty if absent.
  int FindOrCreateLevel(core::Side side, core::Price price);
  void RemoveLevelIfEmpty(core::Side side, int index);

  uint32_t AllocateNode();
  void FreeNode(uint32_t index);
  void LinkAtTail(Level& level, uint32_t index);
  // Links the node in time order (by sequence) instead of at the tail.
  void LinkInTimeOrder(Level& level, uint32_t index);
  void Unlink(Level& level, uint32_t index);
  // Removes a resting order's open quantity from the book and frees its node.
  void RemoveResting(core::Side side, int level_index, uint32_t node);

  // Remembers the level's displayed quantity before the operation changes it (once per level).
  void Touch(core::Side side, const Level& level);
  void PublishTouched();

  // Quantity the incoming order would trade now, without changing anything.
  int64_t Fillable(const Incoming& incoming) const;
  // Trades the incoming order against the other side; updates incoming.remaining.
  void Match(Incoming& incoming);
  // kQuoteRules: the market-maker rules' variant (R39 availability); the default one is as tuned.
  template <bool kQuoteRules>
  void MatchLevelPriceTime(Incoming& incoming, int level_index);
  template <bool kQuoteRules>
  void MatchLevelSeed001(Incoming& incoming, int level_index);
  // R31-R37 at a level once its customers have traded.
  template <bool kQuoteRules>
  void MatchProfessionalsSeed001(Incoming& incoming, int level_index);
  int64_t FillableAtLevelPriceTime(const Incoming& incoming, const Level& level,
                                   int64_t remaining) const;
  int64_t FillableAtLevelSeed001(const Incoming& incoming, const Level& level,
                                 int64_t remaining) const;
  // Trades `quantity` with resting node; frees the node (and maybe the level) when it is done.
  void Execute(Incoming& incoming, core::Side resting_side, int level_index, uint32_t node,
               int64_t quantity);
  bool Crosses(const Incoming& incoming, core::Price resting_price) const;
  // Rests the incoming remainder at its limit, in `node` if given (a replace) or a new node.
  // With `keep_sequence` the order keeps that time priority (RepriceKeepingTime).
  OrderHandle Rest(const Incoming& incoming, uint32_t node, ParticipantRole role,
                   TimeInForce time_in_force, FillCondition condition,
                   std::optional<uint64_t> keep_sequence = std::nullopt);
  // The unprotected replace that moves the order (price change or increase).
  // `quote_delay_over`: R41's delay for this quote has run (it may trade quotes now).
  ReplaceResult ReplaceMoving(OrderHandle handle, core::Price limit_price, core::Quantity leaves,
                              std::optional<uint64_t> keep_sequence, bool quote_delay_over = false);
  // R41: whether matching `incoming` must leave other market makers' quotes for now.
  bool DelaysQuoteMatches(ParticipantRole role) const {
    return mm_rules_ && IsQuote(role) && config_.market_maker.quote_match_delay.nanoseconds() > 0;
  }
  // R41: whether level `index` on `side` holds a quote of someone other than `owner`.
  bool HoldsOthersQuote(core::Side side, int index, uint32_t owner) const;

  // Seed 001 market-maker rules (order_book.cc, "Market-maker rules"); only with mm_rules_.
  struct QuoteState {
    // Tick-worse table levels used so far (R42).
    int32_t ticks_worse = 0;
    // What is left of the step-up budget Z (R43).
    int64_t step_up_left = 0;
    // What professional and FARMM orders may still trade of the quote (R39); INT64_MAX: no limit.
    int64_t professional_left = 0;
    int64_t farmm_left = 0;
  };
  struct Renewal {
    uint32_t node;
    TickWorseStep step;
  };
  static bool IsQuote(ParticipantRole role) {
    return role == ParticipantRole::kMarketMaker || role == ParticipantRole::kPrimaryMarketMaker;
  }
  // A market maker's own resting order (not one the book derived for it, R34).
  bool IsQuoteNode(uint32_t node) const {
    return IsQuote(nodes_[node].role) && !nodes_[node].derived;
  }
  // R34 derive-or-trade (order_book.cc, "Derive-or-trade"); only with derive_or_trade().
  // A node and the order it held when recorded: a freed and reused node no longer matches.
  struct NodeRef {
    uint32_t node = kNil;
    uint64_t sequence = 0;
  };
  bool Holds(NodeRef ref) const {
    return ref.node != kNil && nodes_[ref.node].in_use && nodes_[ref.node].sequence == ref.sequence;
  }
  struct Derivation {
    NodeRef derived;
    NodeRef customer;
    // The PMM's quote on the derived order's side, whose tag the derived order's fills carry.
    NodeRef anchor;
    // Y for the customer order's improvement when it arrived; -1: it improved nothing (the best
    // fell below X around it), so the PMM keeps the market at X without the Y test.
    int64_t derive_limit = -1;
  };
  // The PMM's first quote on `side`, best level first.
  std::optional<NodeRef> FindPmmQuote(core::Side side) const;
  // Y for a customer's order that would rest improving its side's best price with fewer than X
  // contracts (R33's customer branch); -1 when derive-or-trade does not take it.
  int64_t ArrivalDeriveLimit(const Incoming& incoming, FillCondition condition) const;
  // The PMM takes the other side of `quantity` of a customer's order at `price` (R34 "trade"):
  // one trade with the PMM's quote on the contra side, which keeps its size. False (nothing
  // done) without such a quote. `customer_rests`: the customer's order is the resting one.
  bool TradeAgainstPmm(core::Side customer_side, core::Price price, int64_t quantity,
                       uint64_t customer_tag, uint32_t customer_owner, bool customer_rests);
  // Rests a PMM order of `size` behind the customer order at its price.
  void Derive(NodeRef customer, NodeRef anchor, int64_t size, int64_t derive_limit);
  // R34 at the end of every operation: derived orders follow their customer orders (removed,
  // resized, or the customer's balance traded against the PMM); at a best level below X without
  // a quote, professional orders are deleted and a customer's order gets a derived order.
  void DeriveOrTrade();
  // The leaves of the PMM quote a derived order's fills are reported on (0 if it is gone).
  int64_t DerivedAnchorLeaves(uint32_t derived_node) const;
  // Sum of the displayed non-derived orders at a level.
  int64_t LimitOrdersAt(const Level& level) const;
  void MatchWithQuoteRules(Incoming& incoming);
  // Index of the best level on `side` worse than `price`, or -1.
  int NextWorseLevel(core::Side side, core::Price price) const;
  // A fresh quote's state from its size (R39 availability, R43 budget).
  void StartQuote(uint32_t node);
  // What `incoming` may trade of a resting order: its leaves, or less for a quote (R39).
  int64_t Tradable(uint32_t node, const Incoming& incoming) const;
  int64_t& AvailabilityLeft(uint32_t node, const Incoming& incoming);
  // After a trade with a quote: counts R39 availability down; a quote the trade exhausted is
  // taken off its level for a tick-worse renewal (R42), and its renewed size returned.
  std::optional<int64_t> AfterQuoteTrade(const Incoming& incoming, core::Side side, Level& level,
                                         uint32_t node, int64_t quantity);
  // R39: the incoming order still wants more at this level: each quote there it may no longer
  // trade is ticked worse (or, with no tick-worse level left, deleted), so it never rests
  // crossed by the order.
  void TickWorseUnavailableQuotes(const Incoming& incoming, core::Side side, int level_index);
  // Takes a quote off its level and queues its tick-worse renewal; false (nothing changed) when
  // its table has no further level.
  bool StartTickWorse(core::Side side, Level& level, uint32_t node);
  // Rests the quotes waiting for a tick-worse renewal at their new levels.
  void RenewQuotes();
  // R35: whether a professional limit order must be deleted whole.
  bool OutsideProfessionalBand(const Incoming& incoming) const;
  // R33: whether a professional order or quote resting `remaining` at its limit would improve
  // its side's best price with fewer than X contracts.
  bool BelowMinimumImproving(const Incoming& incoming, ParticipantRole role,
                             FillCondition condition) const;
  // R43 on both sides: a quote at a best level below X is stepped up or ticked worse.
  void EnforceMinimumMarket();

  // Latency protection (order_book.cc, "Latency protection"); only with an interceptor.
  struct PendingHold {
    uint32_t node;
    uint64_t tag;
    uint32_t owner;
    core::Price price;
    int64_t quantity;
    core::Duration period;
  };
  AddResult AddProtected(const BookOrder& order, Incoming& incoming);
  // The two halves every replace shares: a same-price decrease in place (true when it applied,
  // with `result` filled in), or taking the order out of its level to match it as if new.
  bool ReduceKeepingPriority(OrderHandle handle, core::Price limit_price, core::Quantity leaves,
                             ReplaceResult& result);
  Incoming TakeOutForRematch(OrderHandle handle, core::Price limit_price, core::Quantity leaves);
  ReplaceResult ReplaceProtected(OrderHandle handle, core::Price limit_price, core::Quantity leaves,
                                 std::optional<uint64_t> keep_sequence = std::nullopt);
  int64_t Reserved(uint32_t node) const { return node < reserved_.size() ? reserved_[node] : 0; }
  void SetReserved(uint32_t node, int64_t quantity);
  bool Alive(OrderHandle handle, uint64_t tag) const;
  int64_t FillableProtected(const Incoming& incoming) const;
  // Price-time matching that asks the interceptor for each match; held matches go to
  // pending_holds_ with their quantity reserved on the resting order.
  void MatchProtected(Incoming& incoming);
  void NotifyHolds(uint32_t incoming_node, const Incoming& incoming);
  void ExecuteHeld(uint32_t resting, uint32_t incoming, int64_t quantity);
  void MatchSurvivor(uint32_t node);

  OrderBookConfig config_;
  OrderBookEvents* events_;
  // Whether any market-maker rule is on (config_.market_maker.any()).
  bool mm_rules_ = false;
  std::vector<QuoteState> quote_state_;
  std::vector<Renewal> renewals_;
  std::vector<Derivation> derivations_;
  MatchInterceptor* interceptor_ = nullptr;
  std::vector<int64_t> reserved_;
  std::vector<PendingHold> pending_holds_;
  std::vector<Node> nodes_;
  std::vector<uint32_t> free_nodes_;
  // Worst level first, best level last.
  std::vector<Level> bids_;
  std::vector<Level> asks_;
  std::vector<Touched> touched_;
  std::vector<Allocation> allocation_scratch_;
  std::vector<Allocation> pmm_scratch_;
  size_t order_count_ = 0;
  uint64_t sequence_ = 0;
  uint64_t next_order_sequence_ = 1;
};

}  // namespace combo::venues
