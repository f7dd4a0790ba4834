// SimulatedVenue: one embedded exchange, built from a plain config struct: the instruments it
// lists with their tick sizes, its allocation rule, maker and taker fees, and a latency model.
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
//
// Not thread-safe: lives on the thread that runs its Scheduler.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/random.h"
#include "core/scheduler.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "venues/aop/cbo_book.h"
#include "venues/aop/implied_market.h"
#include "venues/aop/protection.h"
#include "venues/aop/third_party_market.h"
#include "venues/complex_book.h"
#include "venues/latency_guard.h"
#include "venues/latency_probe.h"
#include "venues/order_book.h"
#include "venues/venue.h"

namespace combo::venues {

// A delay of `fixed` plus a uniform draw from [0, jitter].
struct LatencySpec {
  core::Duration fixed;
  core::Duration jitter;
};

// Participant to venue, by request type.
struct InboundLatency {
  LatencySpec new_order;
  LatencySpec complex_order;
  LatencySpec cancel;
  LatencySpec replace;
};

// Venue to participant (or subscriber), by event type.
struct OutboundLatency {
  LatencySpec ack;
  LatencySpec reject;
  LatencySpec fill;
  LatencySpec cancelled;
  LatencySpec restated;
  LatencySpec market_data;
};

struct LatencyModel {
  InboundLatency inbound;
  OutboundLatency outbound;
  // Seeds the jitter; the same seed and the same messages give the same delays.
  uint64_t seed = 1;
};

struct ListedInstrument {
  core::InstrumentId instrument;
  core::Price tick_size;
};

// Which resting leg orders automated order protection manages.
enum class AopCoverage : uint8_t {
  kAllRestingOrders,    // every resting limit order
  kListedParticipants,  // only the orders of `AopConfig::protected_participants`
};

// Automated order protection (seed 004), off unless `enabled` (docs/VENUES.md "Automated order
// protection"). The venue keeps a Third Party Inside Market from the source venues' market data
// (connect them with ConnectAopSource), reprices its covered resting leg orders through the
// protected loop (each reprice an OrderRestated with an kAop* reason, keeping time priority),
// protects its resting complex orders against the implied market of their legs' TPIMs, publishes
// AopStatusChanged while that data is stale, and can open a CBO book (OpenCboBook) for client
// bid/offers and dealer responses.
struct AopConfig {
  bool enabled = false;
  aop::ThirdPartyMarketConfig third_party;
  aop::ProtectionConfig protection;
  AopCoverage coverage = AopCoverage::kAllRestingOrders;
  std::vector<core::ParticipantId> protected_participants;
  aop::CboBookConfig cbo;
  // Optional (not owned): receives combo_venue_aop_reprices_total{venue,reason}, one count per
  // restatement AOP makes (leg or complex order), by its basis.
  prometheus::Registry* metrics = nullptr;
};

struct SimulatedVenueConfig {
  core::VenueId id;
  std::string name;
  std::vector<ListedInstrument> instruments;
  AllocationRule allocation = AllocationRule::kPriceTime;
  Seed001AllocationParams seed001;
  // Per contract; positive is paid by the participant, negative is a rebate.
  core::Price maker_fee_per_contract;
  core::Price taker_fee_per_contract;
  LatencyModel latency;
  AopConfig aop;
  // Latency protection (seed 002), off unless `latency_protection.enabled` (docs/VENUES.md
  // "Latency protection"). Needs the price_time allocation.
  LatencyProtectionConfig latency_protection;

  // The native complex-order book (seed 001); disabled by default.
  ComplexBookConfig complex_book;
};

// Checks a config: a name, at least one instrument, no instrument twice, positive ticks,
// non-negative latencies, seed-001 percentages within 0..100, a valid complex-book config.
absl::Status ValidateSimulatedVenueConfig(const SimulatedVenueConfig& config);

class SimulatedVenue final : public Venue, public LatencyProbeTarget {
 public:
  // `scheduler` is not owned and must outlive the venue.
  static absl::StatusOr<std::unique_ptr<SimulatedVenue>> Create(SimulatedVenueConfig config,
                                                                core::Scheduler* scheduler);
  ~SimulatedVenue() override;

  core::VenueId id() const override { return config_.id; }
  std::string_view name() const override { return config_.name; }
  bool Lists(core::InstrumentId instrument) const override;
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

  // AOP (config.aop.enabled): subscribes this venue's third-party market to `source`, which must
  // be one of the configured sources (never this venue).
  absl::Status ConnectAopSource(Venue& source);
  // Opens the venue's CBO book, once, reporting to `listener` (not owned).
  absl::StatusOr<aop::CboBook*> OpenCboBook(aop::CboListener* listener);
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
  // R9: the complex-order exposure delay for orders accepted from now on (changeable intraday).
  absl::Status SetComplexExposureDelay(core::Duration delay);
  // The native market of a combo now (no latency). Fails for a combo not traded natively.
  absl::StatusOr<core::TopOfBook> NativeTopOfBook(core::ComboId combo) const;

  const SimulatedVenueConfig& config() const { return config_; }
  // Orders open at the venue (resting in a leg book or the complex book).
  size_t open_orders() const { return orders_.size() + complex_orders_.size(); }

 private:
  using OrderKey = std::pair<uint32_t, uint64_t>;  // (participant, order id)

  struct OrderRecord {
    core::ParticipantId participant;
    core::OrderId order_id;
    core::InstrumentId instrument;
    core::Side side = core::Side::kBuy;
    uint64_t tag = 0;
    OrderHandle handle;
    core::Quantity total_quantity;
    core::Quantity filled;
  };

  struct ComplexRecord {
    core::ParticipantId participant;
    core::OrderId order_id;
    core::ComboId combo;
    core::Side side = core::Side::kBuy;
    core::Quantity total_quantity;
    core::Quantity filled;
  };

  // An event waiting for the end of its step.
  using ParticipantEvent = std::variant<OrderAcked, OrderRejected, Fill, OrderCancelled,
                                        OrderRestated, ComplexFill, TradePending, TradeVoided>;
  using MarketDataEvent = std::variant<core::LegBookUpdate, core::TradePrint,
                                       core::NativeComboUpdate, AopStatusChanged>;

  // Forwards one book's events into the venue's step buffer.
  class BookAdapter;
  // Forwards the third-party market's events to the venue's AOP hooks.
  class AopObserver;
  // Installs the latency guard in every book (latency protection).
  class LatencyInterceptor;
  // Forwards the complex book's events into the venue's step buffer.
  class ComplexAdapter;
  // Holds complex executions as packages through the latency guard (latency protection).
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

  SimulatedVenue(SimulatedVenueConfig config, core::Scheduler* scheduler);

  absl::Status Admit(core::ParticipantId participant) const;
  // Runs `process` at the venue after the inbound latency, behind the participant's earlier
  // messages.
  void SendInbound(core::ParticipantId participant, const LatencySpec& latency,
                   absl::AnyInvocable<void(SimulatedVenue&) &&> process);
  core::Duration Draw(const LatencySpec& latency);

  void ProcessNew(const OrderRequest& request);
  void ProcessComplex(const ComplexOrderRequest& request);
  void ProcessCancel(const CancelRequest& request);
  void ProcessReplace(const ReplaceRequest& request);
  // Cancel / replace of a complex order (`tag` is in complex_orders_).
  void ProcessComplexCancel(uint64_t tag);
  void ProcessComplexReplace(const ReplaceRequest& request, uint64_t tag);
  // Complex-book callbacks (through ComplexAdapter).
  void OnComplexExecution(const ComplexExecution& execution);
  void OnComplexCancelled(uint64_t tag, CancelReason reason, core::Quantity quantity);
  void OnComplexTop(core::ComboId combo, const core::TopOfBook& top);
  void ScheduleComplexWakeUp(core::Timestamp when);
  void ForgetComplex(uint64_t tag);

  void Reject(core::ParticipantId participant, core::OrderId order_id, RequestKind request,
              RejectCode code, std::string reason);
  // Queues the ack of a request the book took (sent on the next Flush).
  void Acknowledge(core::ParticipantId participant, core::OrderId order_id, RequestKind request);
  // Book callbacks (through BookAdapter).
  void OnBookTrade(OrderBook& book, const BookTrade& trade);
  void OnBookCancel(uint64_t tag, CancelReason reason, core::Quantity quantity);
  void OnBookLevel(OrderBook& book, core::Side side, core::Price price, core::Quantity quantity,
                   uint64_t sequence);
  OrderRecord* FindByTag(uint64_t tag);
  void Forget(uint64_t tag);
  // Schedules the step's events for delivery and clears the buffers.
  void Flush();

  // AOP hooks (simulated_venue.cc, "Automated order protection").
  bool AopCovers(core::ParticipantId participant) const;
  void AopTrack(uint64_t tag, core::Side side, core::Price limit, core::Quantity leaves);
  void AopOnQuote(core::InstrumentId instrument);
  void AopOnTrade(const core::TradePrint& print);
  void AopOnFeedState(aop::FeedState state, std::string_view reason);
  void AopApply(uint64_t tag, const aop::Reprice& reprice);
  void AopCount(aop::ProtectionBasis basis);
  // Complex orders (seed 004 spec 6.1): their TPIM is the implied market of their legs' TPIMs.
  void AopTrackComplex(uint64_t tag);
  void AopOnComplexQuote(std::optional<core::InstrumentId> instrument);
  void AopOnComplexTrade(const core::TradePrint& print);
  void AopApplyComplex(uint64_t tag, const aop::Reprice& reprice);
  // The implied contra ladder of `combo` for an order on `side` (offers for a bid).
  std::vector<core::PriceLevel> AopImpliedContra(core::ComboId combo, core::Side side) const;

  // Latency protection hooks (simulated_venue.cc, "Latency protection").
  void LatencyOnHeld(const HeldMatch& hold);
  void LatencyResolve(const PendingTrade& trade);
  void LatencyOnPackageHeld(const HeldPackage& package);
  void LatencyResolvePackage(uint64_t package_id);
  void LatencyRecord(core::ParticipantId participant, LatencySource source, core::Duration value);
  void SendLatencyEvent(core::ParticipantId participant,
                        std::function<void(LatencyListener&)> deliver);

  SimulatedVenueConfig config_;
  core::Scheduler* scheduler_;
  core::Rng rng_;
  std::map<core::InstrumentId, std::unique_ptr<BookAdapter>> books_;
  std::map<core::ParticipantId, VenueListener*> sessions_;
  std::vector<MarketDataListener*> subscribers_;
  absl::flat_hash_map<OrderKey, uint64_t> tag_by_key_;
  absl::flat_hash_map<uint64_t, OrderRecord> orders_;
  // Every (participant, order id) ever submitted, for the duplicate-id admission check.
  absl::flat_hash_set<OrderKey> used_ids_;
  // Keeps each direction of each session in order.
  std::map<core::ParticipantId, core::Timestamp> last_inbound_;
  std::map<core::ParticipantId, core::Timestamp> last_outbound_;
  absl::flat_hash_map<MarketDataListener*, core::Timestamp> last_market_data_;
  std::vector<std::pair<core::ParticipantId, ParticipantEvent>> pending_;
  std::vector<MarketDataEvent> pending_market_data_;
  uint64_t next_tag_ = 1;
  uint64_t next_execution_id_ = 1;
  std::map<core::InstrumentId, uint64_t> trade_sequence_;
  // AOP; all null/empty unless config_.aop.enabled.
  std::unique_ptr<aop::ThirdPartyMarket> aop_market_;
  std::unique_ptr<AopObserver> aop_observer_;
  std::unique_ptr<aop::CboBook> cbo_book_;
  // Resting leg orders under protection, by tag: reprices run in order of entry.
  std::map<uint64_t, aop::ProtectedOrder> aop_orders_;
  // Resting complex orders under protection (canonical net prices), by tag.
  std::map<uint64_t, aop::ProtectedOrder> aop_complex_orders_;
  // Each listed combo's legs for the implied market.
  std::map<core::ComboId, std::vector<aop::ImpliedLeg>> aop_combo_legs_;
  std::map<aop::ProtectionBasis, prometheus::Counter*> aop_reprice_counters_;
  // Latency protection; null/empty unless config_.latency_protection.enabled.
  std::unique_ptr<LatencyGuard> latency_guard_;
  std::unique_ptr<LatencyInterceptor> latency_interceptor_;
  std::map<core::ParticipantId, LatencyListener*> latency_listeners_;
  std::unique_ptr<PackagePolicy> package_policy_;
  std::map<uint64_t, std::vector<PackageParty>> package_parties_;

  // The complex-order book and its bookkeeping; null when the config does not enable it.
  std::unique_ptr<ComplexAdapter> complex_adapter_;
  std::unique_ptr<ComplexBook> complex_book_;
  absl::flat_hash_map<OrderKey, uint64_t> complex_tag_by_key_;
  absl::flat_hash_map<uint64_t, ComplexRecord> complex_orders_;
  std::map<core::ComboId, uint64_t> combo_sequence_;
  // Shared with scheduled callbacks, which do nothing once the venue is gone.
  std::shared_ptr<SimulatedVenue*> self_;
};

}  // namespace combo::venues
