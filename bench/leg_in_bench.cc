// Leg-in latency inside the router, in process, on a release build:
//  - BM_QuoteChangeToFirstLegOrder: from the leg quote change that makes a combo fillable
//    (PricingEngine::OnLegBookUpdate) through the router's decision, the (zero) stability wait,
//    the engine's slice, pre-flight, ranking and risk check, to the first leg order handed to
//    the venue (Venue::Submit);
//  - BM_LegTurnaround: from the venue's fill of one leg (the engine's OnFill) to the next leg
//    order handed to the venue.
// The stack is the daemon's (stack::RoutingStack, without a journal); the venue is a recording stub
// (it stores requests and answers nothing by itself) so the figures are the router's, pricing's,
// risk's and the engine's work, not a matching engine's. Between
// timed iterations the rest of the leg-in completes and a new client order is set up, untimed.
#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
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

Price Cents(int64_t cents) { return Price::FromParts(cents / 100, (cents % 100) * 10'000'000); }

// A leg venue that records the engine's orders and fills them only when told.
class RecordingLegVenue final : public venues::Venue {
 public:
  VenueId id() const override { return kLegs; }
  std::string_view name() const override { return "LEGS"; }
  bool Lists(InstrumentId) const override { return true; }
  bool TradesNatively(core::ComboId) const override { return false; }
  absl::Status Connect(core::ParticipantId participant, venues::VenueListener* listener) override {
    listeners_[participant] = listener;
    return absl::OkStatus();
  }
  absl::Status Subscribe(venues::MarketDataListener*) override { return absl::OkStatus(); }
  absl::Status Unsubscribe(venues::MarketDataListener*) override { return absl::OkStatus(); }
  absl::Status Submit(const venues::OrderRequest& request) override {
    last = request;
    ++submits;
    return absl::OkStatus();
  }
  absl::Status SubmitComplex(const venues::ComplexOrderRequest&) override {
    return absl::OkStatus();
  }
  absl::Status Cancel(const venues::CancelRequest&) override { return absl::OkStatus(); }
  absl::Status Replace(const venues::ReplaceRequest&) override { return absl::OkStatus(); }
  absl::StatusOr<core::TopOfBook> TopOfBook(InstrumentId) const override {
    return core::TopOfBook{};
  }
  absl::StatusOr<core::Depth> BookDepth(InstrumentId, int) const override { return core::Depth{}; }

  // The last leg order fills completely.
  void FillLast() {
    venues::Fill fill;
    fill.venue = kLegs;
    fill.participant = last.participant;
    fill.order_id = last.order_id;
    fill.instrument = last.instrument;
    fill.side = last.side;
    fill.price = last.limit_price;
    fill.quantity = last.quantity;
    fill.leaves_quantity = Quantity::Zero();
    fill.liquidity = venues::Liquidity::kRemoved;
    listeners_.at(last.participant)->OnFill(fill);
  }

  venues::OrderRequest last;
  int64_t submits = 0;

 private:
  std::map<core::ParticipantId, venues::VenueListener*> listeners_;
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
    // The router rests nothing here (the venue trades no combo natively), but risk checks
    // that an order has a venue to go to.
    stack::StackVenue entry;
    entry.source = stack::UseVenue{&venue};
    config.venues.push_back(entry);
    config.risk.max_legin_units = Quantity(1'000'000);
    config.router.stability_wait = core::Duration::Zero();
    config.journal.placement = stack::JournalPlacement::kNone;
    stack::StackDependencies deps;
    deps.instruments = &instruments;
    deps.combos = &combos;
    deps.scheduler = &time;
    deps.registry = &registry;
    routing = *stack::RoutingStack::Build(std::move(config), deps);
    pricing = &routing->pricing();
    router = &routing->router();
    NotFillable();
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
    (void)pricing->OnLegBookUpdate(u);
  }
  void Settle() { time.AdvanceTo(time.Now()); }

  // Implied ask 84.50 against a new buy order at 84.45: the router watches it.
  void NotFillable() {
    Quote(InstrumentId(1), 10000, 10005);
    Quote(InstrumentId(2), 1555, 1560);
    router->ProcessPendingTicks();
    Settle();
    router::NewComboOrder order{core::ClientId("C"),
                                core::ClientOrderId(absl::StrCat("O", ++orders)),
                                core::AccountId("A"),
                                *spec,
                                core::Side::kBuy,
                                Quantity(10),
                                router::ComboOrderType::kLimit,
                                Cents(8445),
                                router::ComboTimeInForce::kDay};
    (void)router->Submit(order);
    Settle();
  }
  // AAA ask 100.00: implied ask 84.45 meets the limit.
  void MakeFillable() {
    Quote(InstrumentId(1), 9995, 10000);
    router->ProcessPendingTicks();
    Settle();
  }

  core::SimulatedTime time;
  core::InstrumentCatalog instruments;
  core::ComboCatalog combos;
  std::optional<core::ComboSpec> spec;
  prometheus::Registry registry;
  RecordingLegVenue venue;
  std::unique_ptr<stack::RoutingStack> routing;
  pricing::PricingEngine* pricing = nullptr;
  router::ComboRouter* router = nullptr;
  uint64_t sequence = 0;
  uint64_t orders = 0;
};

void Report(benchmark::State& state, std::vector<int64_t>& nanos, int64_t misses) {
  state.counters["iterations_without_leg_order"] = static_cast<double>(misses);
  if (nanos.empty()) return;
  std::sort(nanos.begin(), nanos.end());
  state.counters["p50_ns"] = combo::bench::QuantileOfSorted(nanos, 0.5);
  state.counters["p99_ns"] = combo::bench::QuantileOfSorted(nanos, 0.99);
}

void BM_QuoteChangeToFirstLegOrder(benchmark::State& state) {
  Setup s;
  std::vector<int64_t> nanos;
  nanos.reserve(1 << 20);
  int64_t misses = 0;
  for (auto _ : state) {
    const int64_t before = s.venue.submits;
    const auto start = std::chrono::steady_clock::now();
    s.MakeFillable();
    const auto end = std::chrono::steady_clock::now();
    const int64_t elapsed =
        std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
    state.SetIterationTime(static_cast<double>(elapsed) * 1e-9);
    if (s.venue.submits != before + 1) ++misses;
    if (nanos.size() < nanos.capacity()) nanos.push_back(elapsed);
    // Untimed: both legs fill, the order is done; a new order waits for the next change.
    s.venue.FillLast();
    s.venue.FillLast();
    s.Settle();
    s.NotFillable();
  }
  Report(state, nanos, misses);
}
BENCHMARK(BM_QuoteChangeToFirstLegOrder)->UseManualTime();

void BM_LegTurnaround(benchmark::State& state) {
  Setup s;
  std::vector<int64_t> nanos;
  nanos.reserve(1 << 20);
  int64_t misses = 0;
  s.MakeFillable();
  for (auto _ : state) {
    const int64_t before = s.venue.submits;
    const auto start = std::chrono::steady_clock::now();
    s.venue.FillLast();  // the first leg's fill -> the second leg's order
    const auto end = std::chrono::steady_clock::now();
    const int64_t elapsed =
        std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
    state.SetIterationTime(static_cast<double>(elapsed) * 1e-9);
    if (s.venue.submits != before + 1) ++misses;
    if (nanos.size() < nanos.capacity()) nanos.push_back(elapsed);
    s.venue.FillLast();
    s.Settle();
    s.NotFillable();
    s.MakeFillable();
  }
  Report(state, nanos, misses);
}
BENCHMARK(BM_LegTurnaround)->UseManualTime();

}  // namespace
}  // namespace combo

BENCHMARK_MAIN();
