// Venue: the contract between an exchange and the components that trade on it (the router, the
// market simulator).
//
// A Venue admits requests (Submit, SubmitComplex, Cancel, Replace) and answers only whether it
// could take the message at all: a participant that never connected, or an order id already
// used, fails at once with an absl::Status. Everything the exchange decides about an order
// (accepted, rejected with a reason, filled, cancelled, restated) arrives later as an event on
// the participant's VenueListener; venue rejects are events, never errors. Book changes reach
// every MarketDataListener as core::LegBookUpdate / core::NativeComboUpdate / core::TradePrint,
// each book numbering its updates; the venue's own halts and resumes reach them as
// VenueTradingStatusChanged.
//
// A venue finishes one matching step (one inbound message and everything it causes) before it
// emits that step's events, so a listener that sends a new request from inside a callback sees a
// complete book and its request is a new step. Orders are named by (participant, order id): the
// participant is the session that sent them and the owner used for self-trade prevention.
//
// Later kinds of event (latency protection's trade pending / trade voided, seed 002) have
// default no-op hooks so that listeners written before them keep compiling; enums that later
// venues extend (RejectCode, CancelReason, RestatementReason) are only ever appended to.
//
// Not thread-safe: a venue and its listeners live on the core thread that owns its Scheduler.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/ids.h"
#include "core/market_data.h"
#include "core/money.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"
#include "core/time.h"

namespace combo::venues {

enum class OrderType : uint8_t {
  kLimit,
  // Trades at whatever prices the book offers; never rests (its remainder is cancelled).
  kMarket,
  // Complex orders only (seed 001 R5's "interest"): a priced Day or GTC order that takes its
  // place in time but is neither displayed nor traded until its owner changes it to kLimit (a
  // replace), which keeps that place. A leg order of this type is rejected.
  kInterest,
};

// Whether an order opens or closes a position (seed 001 R5's "open or close").
enum class PositionEffect : uint8_t { kUnspecified, kOpen, kClose };

enum class TimeInForce : uint8_t {
  kDay,                // rests until filled, cancelled or the venue's end of day
  kGoodTillCancel,     // rests until filled or cancelled
  kImmediateOrCancel,  // trades what it can at once; the rest is cancelled
  kFillOrKill,         // trades its whole quantity at once, or nothing
};

// Whether an order may be filled in parts.
enum class FillCondition : uint8_t {
  kAnyQuantity,
  // All or none: only a fill of the whole open quantity at once (docs/VENUES.md).
  kAllOrNone,
};

// Who is behind an order; the seed-001 allocation ranks by it (customer priority, the primary
// market maker's share, pro-rata among professionals). Price-time allocation ignores it.
enum class ParticipantRole : uint8_t {
  kCustomer,            // a public customer (not a broker-dealer)
  kProfessional,        // a broker-dealer's own or agency order
  kMarketMaker,         // a competitive market maker: a professional in allocation
  kPrimaryMarketMaker,  // the instrument's primary market maker
  // A market maker of a competing exchange (seed 001 R23 "FARMM"): a professional in allocation;
  // quotes may limit what it can trade against them (R39).
  kFarAwayMarketMaker,
};

// Whether a fill added liquidity (the resting side) or removed it (the incoming side).
enum class Liquidity : uint8_t { kAdded, kRemoved };

// Which request an event answers.
enum class RequestKind : uint8_t { kNew, kNewComplex, kCancel, kReplace };

// Why a request was rejected. Appended to by later venues; never renumbered.
enum class RejectCode : uint8_t {
  kUnlistedInstrument,  // the venue does not list the instrument
  kOffTick,             // the price is not a multiple of the instrument's tick
  kInvalidQuantity,     // zero or negative quantity
  kInvalidPrice,        // a limit price that cannot be used (e.g. out of range)
  kUnknownOrder,   // cancel/replace of an order that is not open (filled, cancelled, never seen)
  kNoComplexBook,  // a complex order at a venue without a complex-order book
  kUnknownCombo,   // a complex order for a combo the venue does not trade natively
  kUnsupportedCondition,  // an order type / condition combination the venue does not accept
  kInvalidRequest,        // any other malformed request; the text says what
};

// Why an order (or its remainder) was cancelled. Appended to by later venues.
enum class CancelReason : uint8_t {
  kRequested,            // the owner's Cancel
  kImmediateOrCancel,    // the untraded rest of an IOC order (or of a market order)
  kFillOrKill,           // a FOK order (or an immediate AON order) that could not fill whole
  kSelfTradePrevention,  // it would have traded against an order of the same owner
  kEndOfDay,             // a Day order at the venue's end of day
  kReplacedBelowFilled,  // a replace set the total quantity at or below what had filled
  kExpired,              // its own timeout ran out (a negotiation offer's TIMEOUT)
  kTradeFailed,          // a negotiated trade was agreed but never confirmed (seed 000 N3)
  // Seed 001 market-maker rules (venues/market_maker_rules.h):
  kProfessionalBand,        // R35: a professional limit that could not trade whole in the band
  kBelowMinimumMarketSize,  // R33: a professional order or quote below X improving the market
  kTickWorseExhausted,  // R39/R42: a quote unavailable to an order meeting it, no tick-worse left
};

// Why a resting order's terms changed. Appended to by later venues (AOP repricing, ...).
enum class RestatementReason : uint8_t {
  kReplaced,  // the owner's Replace took effect
  // Automated order protection (seed 004) moved the working price; the basis says why.
  kAopTopOfBook,      // protected to the third-party contra level
  kAopAwp,            // protected to the average weighted price of the contra depth
  kAopWaitForFollow,  // protected to the contra level after a small trade-through
  kAopTradeThrough,   // protected after a trade through the level of sufficient size
  kAopUnprotect,      // moved back toward the original limit when the contra moved away
  // Seed 001 market-maker rules (venues/market_maker_rules.h):
  kTickWorse,  // R42: an exhausted quote replaced one or more ticks worse, at its table's size
  kStepUp,     // R43: a quote at the best price topped up to the minimum market size
};

// Whether a venue's automated order protection is acting (seed 004 spec F2).
enum class AopState : uint8_t {
  kActive,
  kSuspended,  // its third-party market data is stale: AOP frozen, autofill off
};

// Whether a restated order kept its place in the queue.
enum class QueuePriority : uint8_t { kKept, kLost };

// Whether a whole venue trades: an exchange-wide halt stops every book it runs.
enum class VenueTradingStatus : uint8_t { kOpen, kHalted };

// How one series (leg book) trades now (seed 001 R46, R47): continuously, or by accumulating
// orders for a single-price trade (before its opening rotation completes, or in a fast market).
enum class SeriesPhase : uint8_t { kOpen, kPreOpen, kFastMarket };

// Seed 001 R26 / R48: how the venue takes a leg order.
enum class OrderHandling : uint8_t {
  kRegular,
  kBlock,         // exposed to market makers for responses, then executed at one price
  kFacilitation,  // a block the entering member crosses with its own proprietary side
};

std::string_view ToString(OrderType value);
std::string_view ToString(PositionEffect value);
std::string_view ToString(TimeInForce value);
std::string_view ToString(FillCondition value);
std::string_view ToString(ParticipantRole value);
std::string_view ToString(Liquidity value);
std::string_view ToString(RequestKind value);
std::string_view ToString(RejectCode value);
std::string_view ToString(CancelReason value);
std::string_view ToString(RestatementReason value);
std::string_view ToString(QueuePriority value);
std::string_view ToString(AopState value);
std::string_view ToString(VenueTradingStatus value);
std::string_view ToString(SeriesPhase value);
std::string_view ToString(OrderHandling value);

// How an order trades, whatever it trades (a leg or a native combo): the part of an order that
// requests, and the books' orders, share.
struct OrderInstructions {
  core::Side side = core::Side::kBuy;
  OrderType type = OrderType::kLimit;
  // Limit orders only; a market order has no price (never a sentinel). A complex order's is the
  // net price of one unit; zero and negative (credit) prices are legal.
  core::Price limit_price;
  core::Quantity quantity;
  TimeInForce time_in_force = TimeInForce::kDay;
  FillCondition condition = FillCondition::kAnyQuantity;
  ParticipantRole role = ParticipantRole::kProfessional;
};

// A single-instrument (leg) order.
struct OrderRequest : OrderInstructions {
  core::ParticipantId participant;
  // The sender's id for the order, unique per participant at this venue.
  core::OrderId order_id;
  core::InstrumentId instrument;
  OrderHandling handling = OrderHandling::kRegular;
  // A block or facilitation order: what its notice to the market makers shows (R48).
  bool disclose_size = true;
  bool disclose_price = true;
  // Seed 004 R53 dealer-side autofill, for an immediate (IOC/FOK) limit order at a venue with
  // automated order protection: when the order misses a resting protected order that AOP has
  // just repriced, by at most this much, and its price is within this much of the third-party
  // contra, it fills at the protected order's level (docs/VENUES.md "Autofill of leg orders").
  std::optional<core::Price> autofill_threshold = std::nullopt;
};

// A market maker's or member's answer to a block notice (seed 001 R48): interest on the other
// side of block `block_id`, collected apart from the book until the response window ends.
struct BlockResponse {
  core::ParticipantId participant;
  core::OrderId order_id;
  uint64_t block_id = 0;
  core::Price limit_price;
  core::Quantity quantity;
  ParticipantRole role = ParticipantRole::kProfessional;
};

// Seed 001 R40: what the primary market maker does with a FARMM order the FARMM process holds.
enum class FarmmAction : uint8_t {
  kMatch,    // sends it into bid / offer matching (the book, under R39's FARMM availability)
  kExecute,  // executes it itself, whole, at `FarmmDecision::price`
};

// The primary market maker's decision on held FARMM order `farmm_id` (FarmmNotice::farmm_id).
// For kExecute, `order_id` is the PMM's own id for its side of the trade (unique as any order
// id) and `price` must be on the tick and within the FARMM order's limit.
struct FarmmDecision {
  core::ParticipantId participant;
  core::OrderId order_id;
  uint64_t farmm_id = 0;
  FarmmAction action = FarmmAction::kMatch;
  core::Price price;
};

// A complex order's administrative terms (seed 001 R5): they travel with the order to its fills
// (the trade record names the clearing member) and change without costing time priority.
struct ComplexOrderDetails {
  PositionEffect position_effect = PositionEffect::kUnspecified;
  std::string broker_id;
  std::string client_id;
  std::string free_text;
  std::string clearing_member;
  friend bool operator==(const ComplexOrderDetails&, const ComplexOrderDetails&) = default;
};

// A complex (combo) order for a venue's native complex-order book. The combo is the canonical
// one (core::Canonicalize, interned by core::ComboCatalog): side, price and quantity are in
// canonical terms (buying the canonical combo; net price per unit; canonical units).
struct ComplexOrderRequest : OrderInstructions {
  core::ParticipantId participant;
  core::OrderId order_id;
  core::ComboId combo;
  // Seed 001 Part B R4's "delete after n minutes": a resting (Day or GTC) complex order the
  // venue deletes once it has been on the book this long (CancelReason::kExpired). Absent: only
  // its time in force ends it.
  std::optional<core::Duration> delete_after;
  ComplexOrderDetails details;
  // Seed 001 R22: the order's stock legs that it sells are short sales; a venue that restricts
  // short sales of that stock by the up-tick rule (ComplexBookConfig::up_tick_restricted) trades
  // them only above the last sale, or at it after an up-tick.
  bool short_sale = false;
};

struct CancelRequest {
  core::ParticipantId participant;
  core::OrderId order_id;
};

// Changes a resting order's price and/or total quantity, keeping its order id. As in FIX,
// `total_quantity` counts what has already filled: the open quantity becomes total_quantity
// minus the filled quantity, and an order whose new total is at or below its filled quantity is
// finished (CancelReason::kReplacedBelowFilled). Only a quantity decrease at the same price keeps
// time priority; any other change of price or quantity loses it (and may trade at once if the new
// price crosses).
//
// A complex order may also take seed 001 R5's changes, none of which costs time priority; a
// leg order that asks for any of them is rejected (kUnsupportedCondition) and keeps its terms.
// Absent fields leave the order as it is.
struct ReplaceRequest {
  core::ParticipantId participant;
  core::OrderId order_id;
  core::Price limit_price;
  core::Quantity total_quantity;
  // The validity: between Day and GTC only (e.g. GTC to the rest of the day).
  std::optional<TimeInForce> time_in_force = std::nullopt;
  // From kInterest to kLimit only: the order is displayed and evaluated at once, in its time.
  std::optional<OrderType> type = std::nullopt;
  // Open/close, broker, client, free text, clearing member: the whole set is replaced.
  std::optional<ComplexOrderDetails> details = std::nullopt;
};

// The order was accepted; for a leg order it is now matched (and rests if it can).
struct OrderAcked {
  core::VenueId venue;
  core::ParticipantId participant;
  core::OrderId order_id;
  RequestKind request = RequestKind::kNew;
  core::Timestamp time;
};

struct OrderRejected {
  core::VenueId venue;
  core::ParticipantId participant;
  core::OrderId order_id;
  RequestKind request = RequestKind::kNew;
  RejectCode code = RejectCode::kInvalidRequest;
  // Names the problem, e.g. "price 10.005 is not a multiple of tick 0.01 for instrument 7".
  std::string reason;
  core::Timestamp time;
};

// One execution of a leg order (or of a leg of a complex order at this venue).
struct Fill {
  core::VenueId venue;
  core::ParticipantId participant;
  core::OrderId order_id;
  core::InstrumentId instrument;
  core::Side side = core::Side::kBuy;
  core::Price price;
  core::Quantity quantity;
  // Open quantity after this fill; zero means the order is finished.
  core::Quantity leaves_quantity;
  Liquidity liquidity = Liquidity::kAdded;
  // What the participant pays for this fill (negative: a rebate).
  core::Money fee;
  // Shared by the two sides of one trade; increasing per venue.
  uint64_t execution_id = 0;
  core::Timestamp time;
};

// One leg of a complex fill.
struct LegExecution {
  core::InstrumentId instrument;
  core::Side side = core::Side::kBuy;
  core::Price price;
  core::Quantity quantity;
};

// An atomic execution of whole units of a complex order: every leg in ratio at one net price.
struct ComplexFill {
  core::VenueId venue;
  core::ParticipantId participant;
  core::OrderId order_id;
  core::ComboId combo;
  core::Side side = core::Side::kBuy;
  // Net price of one unit.
  core::Price net_price;
  // Units of the combo.
  core::Quantity quantity;
  core::Quantity leaves_quantity;
  Liquidity liquidity = Liquidity::kAdded;
  core::Money fee;
  uint64_t execution_id = 0;
  std::vector<LegExecution> legs;
  // The order's administrative terms at this fill (R5 may have changed them since entry).
  ComplexOrderDetails details;
  core::Timestamp time;
};

struct OrderCancelled {
  core::VenueId venue;
  core::ParticipantId participant;
  core::OrderId order_id;
  CancelReason reason = CancelReason::kRequested;
  // The open quantity the cancel removed.
  core::Quantity cancelled_quantity;
  core::Timestamp time;
};

// A resting order's terms changed (the owner's replace, or later a venue's protection).
struct OrderRestated {
  core::VenueId venue;
  core::ParticipantId participant;
  core::OrderId order_id;
  RestatementReason reason = RestatementReason::kReplaced;
  core::Price limit_price;
  core::Quantity leaves_quantity;
  QueuePriority priority = QueuePriority::kKept;
  core::Timestamp time;
};

// Latency protection (seed 002): a match found and held; it executes or is voided later.
struct TradePending {
  core::VenueId venue;
  core::ParticipantId participant;
  core::OrderId order_id;
  core::Price price;
  core::Quantity quantity;
  core::Timestamp time;
};

struct TradeVoided {
  core::VenueId venue;
  core::ParticipantId participant;
  core::OrderId order_id;
  core::Quantity quantity;
  std::string reason;
  core::Timestamp time;
};

// An AOP venue's protection was suspended or resumed (published as market data).
struct AopStatusChanged {
  core::VenueId venue;
  AopState state = AopState::kActive;
  std::string reason;
  core::Timestamp time;
};

// A venue halted or resumed all its trading (published as market data).
struct VenueTradingStatusChanged {
  core::VenueId venue;
  VenueTradingStatus status = VenueTradingStatus::kOpen;
  core::Timestamp time;
};

// A block or facilitation order waits for responses (seed 001 R48); sent anonymously to the
// instrument's market makers and the members with professional orders at its best prices.
struct BlockNotice {
  core::VenueId venue;
  uint64_t block_id = 0;
  core::InstrumentId instrument;
  core::Side side = core::Side::kBuy;
  // Only what the entering member chose to disclose.
  std::optional<core::Price> limit_price;
  std::optional<core::Quantity> quantity;
  core::Timestamp responses_until;
  core::Timestamp time;
};

// Seed 001 R45 (S346): a public customer order the primary market maker's table does not match
// automatically, because another market shows a better price; it is stored hidden meanwhile.
struct AwayMarketAlert {
  core::VenueId venue;
  core::InstrumentId instrument;
  core::Side side = core::Side::kBuy;
  core::Quantity quantity;
  core::Price venue_price;
  core::Price away_price;
  core::Timestamp time;
};

// Seed 001 R40: a FARMM order (a far-away market maker's) is held apart from the book; the
// primary market maker and the market makers of the series hear of it. Only the primary market
// maker decides (FarmmDecision) until `decide_until`, when it goes to bid / offer matching.
struct FarmmNotice {
  core::VenueId venue;
  uint64_t farmm_id = 0;
  core::InstrumentId instrument;
  core::Side side = core::Side::kBuy;
  OrderType type = OrderType::kLimit;
  // A limit order's price.
  std::optional<core::Price> limit_price;
  core::Quantity quantity;
  core::Timestamp decide_until;
  core::Timestamp time;
};

// A series changed phase (published as market data).
struct SeriesStatusChanged {
  core::VenueId venue;
  core::InstrumentId instrument;
  SeriesPhase phase = SeriesPhase::kOpen;
  // A fast market's level (1..6) and the delay between its single-price trades.
  int fast_market_level = 0;
  core::Duration call_delay;
  core::Timestamp time;
};

// Receives the outcomes of one participant's orders, in the order the venue produced them.
class VenueListener {
 public:
  virtual ~VenueListener() = default;
  virtual void OnAck(const OrderAcked& event) = 0;
  virtual void OnReject(const OrderRejected& event) = 0;
  virtual void OnFill(const Fill& event) = 0;
  virtual void OnComplexFill(const ComplexFill& event) = 0;
  virtual void OnCancelled(const OrderCancelled& event) = 0;
  virtual void OnRestated(const OrderRestated& event) = 0;
  // Later event kinds; a listener that does not care ignores them.
  virtual void OnTradePending(const TradePending& /*event*/) {}
  virtual void OnTradeVoided(const TradeVoided& /*event*/) {}
  virtual void OnBlockNotice(const BlockNotice& /*event*/) {}
  virtual void OnAwayMarketAlert(const AwayMarketAlert& /*event*/) {}
  virtual void OnFarmmNotice(const FarmmNotice& /*event*/) {}
};

// Receives a venue's public market data.
class MarketDataListener {
 public:
  virtual ~MarketDataListener() = default;
  virtual void OnLegBookUpdate(const core::LegBookUpdate& update) = 0;
  virtual void OnNativeComboUpdate(const core::NativeComboUpdate& /*update*/) {}
  // Every execution prints (seed 001 R21, R50): leg prints, each with its kind, and a combo print
  // for each complex trade (before its leg prints).
  virtual void OnTradePrint(const core::TradePrint& /*print*/) {}
  virtual void OnComboTradePrint(const core::ComboTradePrint& /*print*/) {}
  // An AOP venue suspended or resumed its protection.
  virtual void OnAopStatus(const AopStatusChanged& /*status*/) {}
  // The venue halted or resumed all its trading.
  virtual void OnVenueTradingStatus(const VenueTradingStatusChanged& /*change*/) {}
  // A series entered or left a call phase (pre-open, fast market).
  virtual void OnSeriesStatus(const SeriesStatusChanged& /*change*/) {}
};

class Venue {
 public:
  virtual ~Venue() = default;

  virtual core::VenueId id() const = 0;
  virtual std::string_view name() const = 0;
  virtual bool Lists(core::InstrumentId instrument) const = 0;
  // Whether the venue has a complex-order book for `combo`.
  virtual bool TradesNatively(core::ComboId combo) const = 0;

  // Routes the outcomes of `participant`'s orders to `listener` (not owned; must outlive the
  // venue or be replaced). Connecting again replaces the listener.
  virtual absl::Status Connect(core::ParticipantId participant, VenueListener* listener) = 0;
  // Adds a market-data subscriber (not owned). Fails if it is already subscribed.
  virtual absl::Status Subscribe(MarketDataListener* listener) = 0;
  virtual absl::Status Unsubscribe(MarketDataListener* listener) = 0;

  // Admission only: fails for a participant that has not connected or an order id the
  // participant already used. Every other outcome is an event.
  virtual absl::Status Submit(const OrderRequest& request) = 0;
  virtual absl::Status SubmitComplex(const ComplexOrderRequest& request) = 0;
  virtual absl::Status Cancel(const CancelRequest& request) = 0;
  virtual absl::Status Replace(const ReplaceRequest& request) = 0;

  // The book as the venue holds it now (no latency): for start-up snapshots, reconciliation
  // and tests. Fails for an instrument the venue does not list.
  virtual absl::StatusOr<core::TopOfBook> TopOfBook(core::InstrumentId instrument) const = 0;
  virtual absl::StatusOr<core::Depth> BookDepth(core::InstrumentId instrument,
                                                int levels) const = 0;

  // Halts or resumes all trading at the venue (an exchange-wide halt, e.g. a market simulator's
  // scripted one) and publishes the change to every MarketDataListener as a
  // VenueTradingStatusChanged. A venue without an exchange-wide halt refuses (FailedPrecondition),
  // which is what this default does.
  virtual absl::Status SetTradingStatus(VenueTradingStatus status);
  // Seed 001 R46: the exchange calls a fast market in one series at `level` (1..5, or 6 with
  // `entered_delay`) or ends it (0). A venue without a fast-market process refuses
  // (FailedPrecondition), which is what this default does.
  virtual absl::Status SetFastMarket(core::InstrumentId instrument, int level,
                                     core::Duration entered_delay);
};

std::ostream& operator<<(std::ostream& os, RejectCode value);
std::ostream& operator<<(std::ostream& os, CancelReason value);
std::ostream& operator<<(std::ostream& os, ParticipantRole value);

}  // namespace combo::venues
