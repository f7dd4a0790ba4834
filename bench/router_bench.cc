// Router decision latency: from a leg quote change (PricingEngine::OnLegBookUpdate, the combo's
// tick changes, the router decides) to the venue request the router issues. Target: median under
// 2 us in process.
//
// One combo (AAA - BBB) with a native venue (a recording venue that only stores requests, so the
// figure is the router's and pricing's work, not a matching engine's) beside a leg venue, in the
// routing stack the daemon runs (stack::RoutingStack, no journal, a stand-in leg-in engine), and a
// client buy order at 84.45 resting there. BM_QuoteChangeToCancelRequest times the update that
// makes the implied ask 84.45 marketable, up to the router's Cancel of the native order; between
// timed iterations the venue's cancel, the stability wait (0 here), the leg-in double and the way
// back to the native venue run untimed. BM_QuoteChangeWithoutDecisionChange times a tick change
// that leaves the decision as it is (the order stays resting); BM_QuoteChangeWithManyRestingOrders
// the same with 100 to 10,000 more resting buys on the combo (a tick decides none of them:
// docs/ROUTER.md "Which orders a tick re-decides").
#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench/quantile.h"
#include "benchmark/benchmark.h"
#include "core/combo_catalog.h"
#include "core/instrument_catalog.h"
#include "core/simulated_time.h"
#include "prometheus/registry.h"
#include "stack/routing_stack.h"
#include "venues/venue.h"

namespace combo {
namespace {

using core::InstrumentId;
using core::Price;
using core::PriceLevel;
using core::Quantity;
using core::VenueId;

constexpr VenueId kLegs(1);
constexpr VenueId kNative(2);

Price Cents(int64_t cents) { return Price::FromParts(cents / 100, (cents % 100) * 10'000'000); }

// A venue that records the last request and answers nothing by itself.
class RecordingVenue final : public venues::Venue {
 public:
  explicit RecordingVenue(VenueId id) : id_(id) {}
  VenueId id() const override { return id_; }
  std::string_view name() const override { return id_ == kNative ? "REC" : "LEGS"; }
  bool Lists(InstrumentId) const override { return true; }
  bool TradesNatively(core::ComboId) const override { return id_ == kNative; }
  absl::Status Connect(core::ParticipantId, venues::VenueListener* listener) override {
    listener_ = listener;
    return absl::OkStatus();
  }
  absl::Status Subscribe(venues::MarketDataListener*) override { return absl::OkStatus(); }
  absl::Status Unsubscribe(venues::MarketDataListener*) override { return absl::OkStatus(); }
  absl::Status Submit(const venues::OrderRequest&) override { return absl::OkStatus(); }
  absl::Status SubmitComplex(const venues::ComplexOrderRequest& request) override {
    last_complex = request;
    ++requests;
    return absl::OkStatus();
  }
  absl::Status Cancel(const venues::CancelRequest& request) override {
    last_cancel = request;
    ++requests;
    return absl::OkStatus();
  }
  absl::Status Replace(const venues::ReplaceRequest&) override { return absl::OkStatus(); }
  absl::StatusOr<core::TopOfBook> TopOfBook(InstrumentId) const override {
    return core::TopOfBook{};
  }
  absl::StatusOr<core::Depth> BookDepth(InstrumentId, int) const override { return core::Depth{}; }

  void DeliverCancelled() {
    venues::OrderCancelled event;
    event.venue = kNative;
    event.participant = last_cancel.participant;
    event.order_id = last_cancel.order_id;
    event.cancelled_quantity = last_complex.quantity;
    listener_->OnCancelled(event);
  }

  venues::ComplexOrderRequest last_complex;
  venues::CancelRequest last_cancel;
  int64_t requests = 0;

 private:
  VenueId id_;
  venues::VenueListener* listener_ = nullptr;
};

// Takes every leg-in and finishes it when told.
class FinishingLegIn final : public router::LegInEngine {
 public:
  absl::Status Start(const router::LegInOrder& order, router::LegInListener* listener) override {
    order_ = order;
    listener_ = listener;
    return absl::OkStatus();
  }
  absl::Status Cancel(core::OrderId) override { return absl::OkStatus(); }
  absl::Status StopAfterSlice(core::OrderId) override { return absl::OkStatus(); }
  const router::LegInPolicy& policy() const override { return policy_; }
  void Finish() {
    listener_->OnLegInFinished(router::LegInDone{order_.order, order_.units, "bench", {}});
  }

 private:
  router::LegInOrder order_;
  router::LegInListener* listener_ = nullptr;
  router::LegInPolicy policy_;
};

struct Setup {
  Setup() {
    for (auto [id, symbol] : {std::pair{1u, "AAA"}, std::pair{2u, "BBB"}}) {
      core::InstrumentDefinition d;
      d.id = InstrumentId(id);
      d.symbol = symbol;
      d.underlying = symbol;
      (void)instruments.Add(*core::Instrument::Create(d));
    }
    spec = *core::ComboSpec::Create(
        {{InstrumentId(1), 1, core::Side::kBuy}, {InstrumentId(2), 1, core::Side::kSell}});
    (void)combos.Intern(core::Canonicalize(*spec).spec);
    stack::StackConfig config;
    for (venues::Venue* used :
         {static_cast<venues::Venue*>(&legs), static_cast<venues::Venue*>(&venue)}) {
      stack::StackVenue entry;
      entry.source = stack::UseVenue{used};
      config.venues.push_back(entry);
    }
    config.router.stability_wait = core::Duration::Zero();
    config.journal.placement = stack::JournalPlacement::kNone;
    stack::StackDependencies deps;
    deps.instruments = &instruments;
    deps.combos = &combos;
    deps.scheduler = &time;
    deps.registry = &registry;
    deps.leg_in_stand_in = &leg_in;
    routing = *stack::RoutingStack::Build(std::move(config), deps);
    engine = &routing->pricing();
    router = &routing->router();
    // Implied 84.40 / 84.50: the order is not marketable and rests at the native venue.
    Quote(InstrumentId(1), 10000, 10005);
    Quote(InstrumentId(2), 1555, 1560);
    Settle();
    router::NewComboOrder order{core::ClientId("C"),
                                core::ClientOrderId("O1"),
                                core::AccountId("A"),
                                *spec,
                                core::Side::kBuy,
                                Quantity(10),
                                router::ComboOrderType::kLimit,
                                Cents(8445),
                                router::ComboTimeInForce::kGoodTillCancel};
    (void)router->Submit(order);
  }

  void Quote(InstrumentId instrument, int64_t bid_cents, int64_t ask_cents) {
    core::LegBookUpdate u;
    u.venue = kLegs;
    u.instrument = instrument;
    u.sequence = ++sequence;
    u.top.bid = PriceLevel{Cents(bid_cents), Quantity(50)};
    u.top.ask = PriceLevel{Cents(ask_cents), Quantity(50)};
    u.price = Cents(ask_cents);
    u.quantity = Quantity(50);
    u.side = core::Side::kSell;
    (void)engine->OnLegBookUpdate(u);
  }
  // Runs what is due now (the router's tick timer, zero-length waits).
  void Settle() { time.AdvanceTo(time.Now()); }

  core::SimulatedTime time;
  core::InstrumentCatalog instruments;
  core::ComboCatalog combos;
  std::optional<core::ComboSpec> spec;
  prometheus::Registry registry;
  RecordingVenue legs{kLegs};
  RecordingVenue venue{kNative};
  FinishingLegIn leg_in;
  std::unique_ptr<stack::RoutingStack> routing;
  pricing::PricingEngine* engine = nullptr;
  router::ComboRouter* router = nullptr;
  uint64_t sequence = 0;
};

void Report(benchmark::State& state, std::vector<int64_t>& nanos) {
  if (nanos.empty()) return;
  std::sort(nanos.begin(), nanos.end());
  state.counters["p50_ns"] = combo::bench::QuantileOfSorted(nanos, 0.5);
  state.counters["p99_ns"] = combo::bench::QuantileOfSorted(nanos, 0.99);
}

void BM_QuoteChangeToCancelRequest(benchmark::State& state) {
  Setup s;
  std::vector<int64_t> nanos;
  nanos.reserve(1 << 20);
  int64_t misses = 0;
  for (auto _ : state) {
    const int64_t before = s.venue.requests;
    const auto start = std::chrono::steady_clock::now();
    // AAA ask 100.00: implied ask 84.45, now marketable -> the router cancels the native rest.
    s.Quote(InstrumentId(1), 9995, 10000);
    s.router->ProcessPendingTicks();
    const auto end = std::chrono::steady_clock::now();
    const int64_t elapsed =
        std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
    state.SetIterationTime(static_cast<double>(elapsed) * 1e-9);
    if (s.venue.requests != before + 1) ++misses;
    if (nanos.size() < nanos.capacity()) nanos.push_back(elapsed);
    // Untimed: the venue cancels, the (zero) stability wait passes, the leg-in starts; the quote
    // moves back and the leg-in ends, so the order rests natively again.
    s.venue.DeliverCancelled();
    s.Settle();
    s.Quote(InstrumentId(1), 10000, 10005);
    s.Settle();
    s.leg_in.Finish();
    s.Settle();
  }
  Report(state, nanos);
  state.counters["iterations_without_request"] = static_cast<double>(misses);
}
BENCHMARK(BM_QuoteChangeToCancelRequest)->UseManualTime();

// The implied ask moves between 84.50 and 84.55: the tick changes, every order stays resting.
void MoveTheAskWithoutDecisionChange(benchmark::State& state, Setup& s) {
  int64_t i = 0;
  const int64_t requests_before = s.venue.requests;
  for (auto _ : state) {
    s.Quote(InstrumentId(1), 10000, 10005 + (i % 2) * 5);
    s.router->ProcessPendingTicks();
    ++i;
  }
  state.counters["requests"] = static_cast<double>(s.venue.requests - requests_before);
}

void BM_QuoteChangeWithoutDecisionChange(benchmark::State& state) {
  Setup s;
  MoveTheAskWithoutDecisionChange(state, s);
}
BENCHMARK(BM_QuoteChangeWithoutDecisionChange);

void BM_QuoteChangeWithManyRestingOrders(benchmark::State& state) {
  // state.range(0) more resting buys below the implied ask (84.00 ... 84.44), as in a load of
  // resting orders: a tick that moves the ask within 84.50 ... 84.55 changes none of them.
  Setup s;
  for (int64_t i = 0; i < state.range(0); ++i) {
    router::NewComboOrder order{core::ClientId("C"),
                                core::ClientOrderId("R" + std::to_string(i)),
                                core::AccountId("A"),
                                *s.spec,
                                core::Side::kBuy,
                                Quantity(1),
                                router::ComboOrderType::kLimit,
                                Cents(8400 + i % 45),
                                router::ComboTimeInForce::kGoodTillCancel};
    (void)s.router->Submit(order);
  }
  s.Settle();
  MoveTheAskWithoutDecisionChange(state, s);
}
BENCHMARK(BM_QuoteChangeWithManyRestingOrders)->Arg(100)->Arg(1000)->Arg(10000);

}  // namespace
}  // namespace combo

BENCHMARK_MAIN();
