// ComplexBook: a venue's native complex-order book (seed 001 R1-R22).
//
// Complex orders (net-price limit or market; all-or-none, immediate-or-cancel or fill-and-store;
// Day or GTC) for the combos the venue lists, keyed by the canonical combo (core::ComboId),
// grouped by combo and ranked by price, then time. An order trades whole units only, either
// against its best inverse complex order at the older order's price clipped into the synthetic
// range [low, high] of the leg books (one net tick inward at an edge where a customer rests), or
// by legging into the leg books at their best prices while the synthetic high is within its
// limit, one level at a time. Orders are re-evaluated when a leg's best bid/offer changes, when
// a leg's trading status changes, when the away market of a leg changes (R10's OPRA trigger, with
// an AwayMarket installed), and when complex orders arrive or change; an optional exposure delay
// (R9) holds a new order back from trading actively for a while, during which it is displayed and
// inverse orders may trade against it. A leg-in that would trade a leg through the away market
// (an "inverted" leg, R15) is not made. The book publishes per combo both its resting orders'
// top and the top it can fill by legging in (R17). docs/VENUES.md has the decisions.
//
// The book executes the legs of a leg-in directly on the leg OrderBooks it is given, as
// fill-or-kill orders of the reserved owner kComplexLegOwner with tag 0, so the leg books emit
// their usual trades (and the owners of the resting leg orders get their fills). The book's own
// outcomes go to a ComplexBookListener, synchronously. Leg-book changes must be reported with
// OnLegBookChanged (cheap; it only marks combos) and then ProcessPending() run once the leg
// operation has finished.
//
// With latency protection (SetPackageHoldPolicy), an execution whose period is not zero is held
// as one package instead: its complex units and the leg orders it would trade with are reserved
// until ResolvePackage executes it whole-units-all-legs or prevents it (seed 002 spec 6.1).
//
// Not thread-safe: one book belongs to one venue on the core thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "core/clock.h"
#include "core/combo_spec.h"
#include "core/ids.h"
#include "core/market_data.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/time.h"
#include "venues/complex_pricing.h"
#include "venues/order_book.h"
#include "venues/venue.h"

namespace combo::venues {

// The owner of the leg orders a complex order sends into the leg books when it legs in. Leg
// orders of this owner never rest; self-trade prevention does not apply across the two books.
inline constexpr core::ParticipantId kComplexLegOwner(UINT32_MAX);

// Where the price buffer (R12's "P <= H + buffer") applies: the seed's open decision E-C8.
enum class BufferScope : uint8_t {
  // Only to complex-vs-complex matching: an order priced beyond high + buffer does not match an
  // inverse complex order, but still legs in at the leg books' prices up to its limit.
  kComplexMatchingOnly,
  // To everything (the seed's literal reading): such an order waits until the range moves.
  kAllMatching,
};

// Whether a leg trades (R10/R11): complex orders with a halted leg are not evaluated.
enum class LegTradingStatus : uint8_t { kOpen, kHalted };

// The away market of the legs (seed 001 R8's "OPRA BBO": the linked other venues), which R15's
// inverted predicate compares the leg books with. Not owned by the book.
class AwayMarket {
 public:
  virtual ~AwayMarket() = default;
  // The away best bid and offer of `instrument`; nullopt while the away market is unusable
  // (e.g. stale), which counts as no away market.
  virtual std::optional<core::TopOfBook> AwayTop(core::InstrumentId instrument) const = 0;
};

std::string_view ToString(BufferScope value);
std::string_view ToString(LegTradingStatus value);

// A combo the venue trades natively.
struct ListedCombo {
  core::ComboId id;
  // The canonical spec the ComboCatalog interned for `id`.
  core::ComboSpec spec;
  // Per canonical leg, the leg's weight in the net price (ratio x leg multiplier / combo
  // multiplier). Empty: the ratios (legs of equal multiplier, the usual options combo).
  std::vector<int64_t> price_weights;
};

struct ComplexBookConfig {
  // A venue without a complex book rejects complex orders (RejectCode::kNoComplexBook).
  bool enabled = false;
  std::vector<ListedCombo> combos;
  // The net-price tick τ (R16): limit prices must be multiples of it; the inward step at an edge.
  core::Price net_tick = core::Price::FromParts(0, 10'000'000);
  // The price buffer β (R12, R14); zero or positive.
  core::Price price_buffer;
  BufferScope buffer_scope = BufferScope::kComplexMatchingOnly;
  // R9: how long a new resting order waits before it looks for matches itself. Zero: none.
  core::Duration exposure_delay;
  // R22: listed stocks whose short sales the up-tick rule restricts. A complex order marked as a
  // short sale sells such a leg only at a price above its last sale, or at the last sale when
  // that was an up-tick (or a zero tick after one); a change of last sale re-evaluates the
  // combos holding it (the up-tick trigger).
  std::vector<core::InstrumentId> up_tick_restricted;
};

// Checks the complex-book part of a venue config: unique combo ids, canonical specs of at most
// kMaxComplexLegs legs on instruments the venue lists, weights that match the legs, a positive
// net tick, a non-negative buffer and delay.
absl::Status ValidateComplexBookConfig(const ComplexBookConfig& config,
                                       absl::FunctionRef<bool(core::InstrumentId)> lists);

// A complex order as the book sees it (the common terms in order_book.h's OrderTerms); side,
// price and quantity are canonical (net price of one unit, units of the combo).
struct ComplexBookOrder : OrderTerms {
  core::ComboId combo;
  // R22: its sold stock legs are short sales.
  bool short_sale = false;
};

// One complex order's part in an execution.
struct ComplexExecutionParty {
  uint64_t tag = 0;
  core::ParticipantId owner;
  core::Side side = core::Side::kBuy;
  core::Quantity leaves;
  Liquidity liquidity = Liquidity::kRemoved;
};

// An atomic execution of whole units: against an inverse complex order (`resting` set) or
// against the leg books (leg-in; `resting` empty, the leg books' own trades follow).
struct ComplexExecution {
  core::ComboId combo;
  core::Quantity units;
  // Canonical net price of one unit (what the buyer of the canonical combo pays).
  core::Price net_price;
  // Every leg in canonical order and sides (the buyer's view), quantity = ratio x units; the
  // prices reproduce net_price exactly.
  std::vector<LegExecution> legs;
  ComplexExecutionParty incoming;
  std::optional<ComplexExecutionParty> resting;
};

// Latency protection of complex executions (seed 002 spec 6.1; docs/VENUES.md "Latency
// protection"): a resting leg order a held leg-in package trades with.
struct HeldLegOrder {
  // Index of the leg in the combo's canonical legs.
  size_t leg = 0;
  core::InstrumentId instrument;
  OrderHandle handle;
  uint64_t tag = 0;
  core::ParticipantId owner;
  // Its price when the package was held (a price change during the hold voids the package).
  core::Price price;
  // Reserved on it for the package.
  core::Quantity quantity;
  // What the package traded with it at expiry (set by ComplexBook::ResolvePackage).
  core::Quantity executed;
};

// A complex execution held as one package: every leg of it, and for a leg-in every leg order it
// trades with, wait together for `period`; nothing of it executes before ResolvePackage.
struct HeldPackage {
  uint64_t id = 0;
  core::ComboId combo;
  core::Quantity units;
  core::Price net_price;
  // Every leg (canonical order and sides), quantity = ratio x units, prices reproducing
  // net_price; fixed when the package was held.
  std::vector<LegExecution> legs;
  // `leaves` is not meaningful here.
  ComplexExecutionParty incoming;
  std::optional<ComplexExecutionParty> resting;
  // Leg-in packages only.
  std::vector<HeldLegOrder> leg_orders;
  core::Duration period;
};

// What a resolved package did: `executed` whole units traded (all legs together), the rest of
// the held units were prevented, for `reason`.
struct PackageOutcome {
  core::Quantity executed;
  core::Quantity prevented;
  std::string reason;
  std::vector<HeldLegOrder> leg_orders;
};

// Decides whether complex executions are held (installed only with latency protection on).
class PackageHoldPolicy {
 public:
  virtual ~PackageHoldPolicy() = default;
  // The hold period of a package between the incoming complex order's owner and the resting
  // parties (the inverse complex order's owner, or the owners of the leg orders); zero
  // executes at once.
  virtual core::Duration PackagePeriod(core::ParticipantId incoming,
                                       std::span<const core::ParticipantId> resting) = 0;
  // A package was held; the policy must call ComplexBook::ResolvePackage at its expiry.
  virtual void OnPackageHeld(const HeldPackage& package) = 0;
};

// Receives what the complex book does, synchronously and in order.
class ComplexBookListener {
 public:
  virtual ~ComplexBookListener() = default;
  // Sent before a leg-in's leg orders reach the leg books, so the books are still as priced.
  virtual void OnComplexExecution(const ComplexExecution& execution) = 0;
  // An order (or its remainder) left the book without trading (not for Cancel, the caller's).
  virtual void OnComplexCancelled(uint64_t tag, CancelReason reason, core::Quantity quantity) = 0;
  // The native market of a combo changed: the displayed best bid and offer of its resting
  // orders (`top`), or what an arriving order fills by legging in (`legs_implied`, R17).
  virtual void OnComplexTop(core::ComboId combo, const core::TopOfBook& top,
                            const core::TopOfBook& legs_implied) = 0;
  // The book needs OnWakeUp() called at `when` (the end of an exposure delay).
  virtual void RequestWakeUp(core::Timestamp when) = 0;
};

struct ComplexAddResult {
  std::optional<Rejection> rejection;
  core::Quantity filled;
  // Open quantity now resting (zero if nothing rests).
  core::Quantity resting;
};

// A complex order's replace: the leg book's ReplaceResult, in units of the combo.
using ComplexReplaceResult = ReplaceResult;

struct ComplexOrderView {
  uint64_t tag = 0;
  core::ParticipantId owner;
  core::ComboId combo;
  core::Side side = core::Side::kBuy;
  core::Price limit_price;
  core::Quantity leaves;
  TimeInForce time_in_force = TimeInForce::kDay;
  FillCondition condition = FillCondition::kAnyQuantity;
  OrderType type = OrderType::kLimit;
  // Priority sequence: lower is older (a change that keeps time priority keeps it).
  uint64_t sequence = 0;
  // Still inside its exposure delay (R9).
  bool exposed = false;
  // Units of `leaves` held by pending packages (latency protection).
  core::Quantity reserved;
};

class ComplexBook {
 public:
  // `leg_books` holds a book for every leg of every listed combo; books, clock and listener are
  // not owned and must outlive this book. The config must have passed ValidateComplexBookConfig.
  ComplexBook(ComplexBookConfig config, const std::map<core::InstrumentId, OrderBook*>& leg_books,
              const core::Clock* clock, ComplexBookListener* listener);
  ComplexBook(const ComplexBook&) = delete;
  ComplexBook& operator=(const ComplexBook&) = delete;

  const ComplexBookConfig& config() const { return config_; }
  bool Lists(core::ComboId combo) const { return combo_index_.contains(combo); }

  // Why `order` cannot enter this book, or nullopt when it can.
  std::optional<Rejection> Check(const ComplexBookOrder& order) const;
  // Accepts the order and trades what it can (unless it is held by the exposure delay); the
  // rest rests (Day, GTC) or is cancelled (IOC, FOK, market).
  ComplexAddResult Add(const ComplexBookOrder& order);
  // Removes a resting order; the open quantity removed, or nullopt for an unknown tag.
  std::optional<core::Quantity> Cancel(uint64_t tag);
  // R5: a quantity decrease at the same price keeps priority; anything else loses it and the
  // order is evaluated again at once.
  std::optional<Rejection> CheckReplace(uint64_t tag, core::Price limit_price,
                                        core::Quantity leaves) const;
  ComplexReplaceResult Replace(uint64_t tag, core::Price limit_price, core::Quantity leaves);
  // R5's changes that keep time priority besides a decrease: the validity (Day <-> GTC) and the
  // order type from interest to limit. Why they cannot be made, or nullopt (absent: unchanged).
  std::optional<Rejection> CheckAmend(uint64_t tag, std::optional<TimeInForce> time_in_force,
                                      std::optional<OrderType> type) const;
  // Makes them; an interest order that became a limit order is evaluated at once (R10).
  ComplexReplaceResult Amend(uint64_t tag, std::optional<TimeInForce> time_in_force,
                             std::optional<OrderType> type);
  // A venue-initiated price change (automated order protection, seed 004 spec 6.1): the order
  // keeps its time priority (its sequence) at the new price and is evaluated again at once, so
  // a new price that meets an inverse order or the legs trades.
  ComplexReplaceResult RepriceKeepingTime(uint64_t tag, core::Price limit_price);
  // Cancels every resting Day order (CancelReason::kEndOfDay).
  void ExpireDayOrders();

  // A leg book's top may have changed: marks the combos holding the leg for re-evaluation.
  // Safe to call from inside a leg-book operation; does no matching.
  void OnLegBookChanged(core::InstrumentId instrument);
  // Re-evaluates the marked combos (repeatedly, while leg-ins keep changing leg books) and
  // publishes changed tops.
  void ProcessPending();
  // R10: a leg's trading status changed; re-evaluates its combos.
  void SetLegStatus(core::InstrumentId instrument, LegTradingStatus status);
  // R22: a trade printed in leg `instrument` at `price`. For an up-tick restricted stock it is
  // the last sale (an up-tick when above the previous one, a down-tick when below, a zero tick
  // keeps the direction); a change marks the combos holding it for re-evaluation. Safe to call
  // from inside a leg-book operation; does no matching.
  void OnLastSale(core::InstrumentId instrument, core::Price price);
  // R9: the exposure delay for orders accepted from now on.
  void SetExposureDelay(core::Duration delay) { config_.exposure_delay = delay; }
  // Installs the away market (not owned; nullptr removes it) for R15's inverted predicate.
  void SetAwayMarket(const AwayMarket* away) { away_ = away; }
  // R10(3): the away market of `instrument` changed (nullopt: of every leg, e.g. it went stale
  // or fresh); re-evaluates the combos holding it.
  void OnAwayMarketChanged(std::optional<core::InstrumentId> instrument);
  // Releases orders whose exposure delay has ended and evaluates them.
  void OnWakeUp();

  // Latency protection: installs `policy` (not owned), consulted for every later execution.
  void SetPackageHoldPolicy(PackageHoldPolicy* policy) { hold_policy_ = policy; }
  // Resolves a held package at its expiry: releases its reservations; if every component is
  // still there (the complex orders, each leg order at its held price) and the complex limits
  // still accept the net price, trades the smaller of the held units and what every component
  // still has open beyond its other holds, in whole units, all legs together (an all-or-none
  // party only whole); otherwise prevents the whole package. Survivors are evaluated again.
  PackageOutcome ResolvePackage(uint64_t id);
  size_t held_package_count() const { return packages_.size(); }

  std::optional<ComplexOrderView> Find(uint64_t tag) const;
  core::TopOfBook Top(core::ComboId combo) const;
  // R17: what a complex order arriving now fills by legging in (LegsImpliedTop of the legs'
  // tradable quotes); empty when a leg is halted or the combo unknown.
  core::TopOfBook LegsImpliedTop(core::ComboId combo) const;
  // The synthetic range of `combo` now (edges may be missing), or nullopt when a leg is halted
  // or the combo is unknown.
  std::optional<SyntheticRange> Range(core::ComboId combo) const;
  size_t order_count() const { return orders_.size(); }

 private:
  struct Order {
    ComplexBookOrder order;
    uint32_t combo = 0;
    core::Quantity leaves;
    core::Quantity filled;
    // Part of `leaves` held by pending packages: open, but no one else can trade it.
    core::Quantity reserved;
    // Priority sequence: lower is older; renewed when a replace loses priority.
    uint64_t sequence = 0;
    // Inside its exposure delay (R9): displayed and tradable against, but not trading actively.
    bool exposed = false;
    bool resting = false;
  };

  // Price-time key: `rank` is -price for bids and price for offers, so smaller ranks first.
  struct RankKey {
    int64_t rank = 0;
    uint64_t sequence = 0;
    uint64_t tag = 0;
    friend auto operator<=>(const RankKey&, const RankKey&) = default;
  };

  struct Combo {
    core::ComboId id;
    std::vector<ComplexLeg> legs;
    absl::btree_set<RankKey> bids;
    absl::btree_set<RankKey> asks;
    // The displayed quantity resting at each price, by rank (best first): the top is the first
    // level, so publishing it does not walk a deep level order by order.
    absl::btree_map<int64_t, core::Quantity> displayed_bids;
    absl::btree_map<int64_t, core::Quantity> displayed_asks;
    // How many all-or-none orders rest at each price, by rank: a level with none is passed over
    // at once when R11 stops its orders (they all share the stopped order's attributes).
    absl::btree_map<int64_t, int> all_or_none_bids;
    absl::btree_map<int64_t, int> all_or_none_asks;
    bool dirty = false;
    // Its resting orders changed / a leg's quote, status or away market changed: the displayed
    // top, or the legs-implied top, is computed again before publishing (each only when due:
    // a leg-in must not walk a deep resting side, nor a resting order's change the legs).
    bool top_dirty = false;
    bool legs_top_dirty = false;
    std::optional<core::TopOfBook> published;
    core::TopOfBook published_legs_implied;
  };

  // How much of a leg's quote a caller needs: matching needs everything; the legs-implied top
  // needs no customer flags (they cost a look into each best level).
  enum class QuoteDetail : uint8_t { kForMatching, kPricesAndSizes };
  // The legs' quotes of a combo; false when a leg is halted (R11).
  bool Quotes(const Combo& combo, std::span<LegQuote> quotes,
              QuoteDetail detail = QuoteDetail::kForMatching) const;
  static RankKey KeyOf(const Order& order);
  absl::btree_set<RankKey>& SideSet(Combo& combo, core::Side side) {
    return side == core::Side::kBuy ? combo.bids : combo.asks;
  }
  static absl::btree_map<int64_t, int>& AllOrNoneCounts(Combo& combo, core::Side side) {
    return side == core::Side::kBuy ? combo.all_or_none_bids : combo.all_or_none_asks;
  }
  void Rest(Order& order);
  void Unrest(Order& order);
  // Whether a resting order shows in the displayed top: all-or-none and interest orders do not.
  static bool Displayed(const Order& order);
  // Adds (or, with kRemove, takes away) a displayed order's open quantity at its price level;
  // called around every change of a resting order's quantity, type or price.
  enum class LevelChange : uint8_t { kAdd, kRemove };
  void ChangeLevel(const Order& order, LevelChange change);
  void Erase(uint64_t tag);
  void MarkDirty(uint32_t combo) {
    if (!combos_[combo].dirty) {
      combos_[combo].dirty = true;
      dirty_.push_back(combo);
    }
  }

  // Trades `order` actively until it is filled or nothing more is possible; returns the units
  // traded.
  int64_t Process(uint64_t tag);
  // One matching decision for the order; returns the units traded (zero: nothing possible).
  int64_t ProcessOnce(Order& order);
  // R13/R14: the best inverse for `order`, or nullptr.
  Order* BestInverse(Combo& combo, const Order& order, const SyntheticRange& frame_range,
                     core::Price window_high);
  int64_t MatchInverse(Combo& combo, Order& order, Order& inverse, core::Price frame_price,
                       std::span<const LegQuote> quotes);
  int64_t LegIn(Combo& combo, Order& order, std::span<const LegQuote> quotes);
  static core::Quantity Available(const Order& order) { return order.leaves - order.reserved; }
  // Latency protection: enters a package for `execution` (and `leg_orders` for a leg-in).
  void HoldPackage(const ComplexExecution& execution, std::vector<HeldLegOrder> leg_orders,
                   core::Duration period);
  // R22: whether `order` may sell its up-tick restricted legs at `leg_prices` (canonical leg
  // order): always unless it is a short sale.
  bool ShortSaleAllowed(const Combo& combo, const Order& order,
                        std::span<const core::Price> leg_prices) const;
  // Whether `order`'s limit accepts a unit at `net_price` (canonical terms).
  static bool Accepts(const Order& order, core::Price net_price);
  void Account(Order& order, int64_t units);
  // Walks a dirty combo's active orders in priority order (R10 a-d, R11).
  void ProcessCombo(uint32_t combo);
  void FinishImmediate(uint64_t tag);
  void PublishTops();
  core::TopOfBook ComputeTop(const Combo& combo) const;
  core::TopOfBook ComputeLegsImpliedTop(const Combo& combo) const;
  // Marks the combos holding leg book `book` for re-evaluation and a new published top.
  void MarkCombosOf(uint32_t book);

  ComplexBookConfig config_;
  const core::Clock* clock_;
  ComplexBookListener* listener_;
  std::vector<OrderBook*> books_;
  std::vector<core::InstrumentId> book_instruments_;
  std::vector<LegTradingStatus> book_status_;
  // R22, per leg book: whether the up-tick rule restricts its short sales, and its last sale.
  struct LastSale {
    bool known = false;
    core::Price price;
    // The last sale was an up-tick, or a zero tick after one.
    bool plus = false;
  };
  std::vector<bool> up_tick_restricted_;
  std::vector<LastSale> last_sale_;
  // For each leg book, the combos that hold it.
  std::vector<std::vector<uint32_t>> combos_of_book_;
  absl::flat_hash_map<core::InstrumentId, uint32_t> book_index_;
  std::vector<Combo> combos_;
  absl::flat_hash_map<core::ComboId, uint32_t> combo_index_;
  absl::flat_hash_map<uint64_t, Order> orders_;
  std::vector<uint32_t> dirty_;
  std::vector<uint32_t> dirty_batch_;
  // (end of exposure, tag), earliest first.
  absl::btree_set<std::pair<core::Timestamp, uint64_t>> exposures_;
  std::optional<core::Timestamp> wake_up_requested_;
  ComplexExecution execution_scratch_;
  uint64_t next_sequence_ = 1;
  bool processing_ = false;
  PackageHoldPolicy* hold_policy_ = nullptr;
  const AwayMarket* away_ = nullptr;
  std::map<uint64_t, HeldPackage> packages_;
  uint64_t next_package_id_ = 1;
};

}  // namespace combo::venues
