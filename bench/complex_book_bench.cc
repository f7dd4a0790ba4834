// Complex-order book costs (docs/BENCHMARKS.md "Complex-order book"): one complex order of one
// unit (IOC) that (a) legs into two leg books, (b) legs into four leg books, (c) matches a
// resting inverse complex order, (d) legs into two leg books with many complex orders resting
// away from the market. Each iteration is the whole operation: validation, synthetic
// range, inverse search, the leg orders' trades in the leg books, the re-evaluation the leg
// changes trigger, and the listener callbacks. Besides Google Benchmark's mean, each reports the
// median and 99th percentile of the per-operation time (steady_clock around each operation) and
// heap allocations per operation.
#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <vector>

#include "benchmark/benchmark.h"
#include "core/combo_spec.h"
#include "core/simulated_time.h"
#include "venues/allocation_counter.h"
#include "venues/complex_book.h"
#include "venues/order_book.h"

namespace combo::venues {
namespace {

using core::InstrumentId;
using core::Price;
using core::Quantity;
using core::Side;

Price Cents(int64_t cents) { return Price::FromRaw(cents * 10'000'000); }

// Leg books and a complex book listing one combo, with listeners that only count.
class ComplexFixture : public ComplexBookListener {
 public:
  explicit ComplexFixture(std::vector<core::ComboLeg> legs) {
    ComplexBookConfig config;
    config.enabled = true;
    config.net_tick = Cents(1);
    config.combos.push_back(
        ListedCombo{core::ComboId(1), core::ComboSpec::Create(legs).value(), {}});
    std::map<InstrumentId, OrderBook*> books;
    for (const core::ComboLeg& leg : legs) {
      events_.push_back(std::make_unique<LegEvents>(this, leg.instrument));
      OrderBookConfig book_config;
      book_config.instrument = leg.instrument;
      book_config.tick_rule = core::TickRule::Uniform(Cents(1));
      books_.push_back(std::make_unique<OrderBook>(book_config, events_.back().get()));
      books.emplace(leg.instrument, books_.back().get());
      // A deep two-sided market: 1.00 x 1.01 on every leg, far more than any run consumes.
      AddLeg(*books_.back(), leg.instrument, Side::kBuy, Cents(100));
      AddLeg(*books_.back(), leg.instrument, Side::kSell, Cents(101));
    }
    legs_ = std::move(legs);
    complex_ = std::make_unique<ComplexBook>(std::move(config), books, &time_, this);
  }

  // The combo's synthetic high: what a buyer pays legging in.
  Price High() const { return complex_->Range(core::ComboId(1))->high; }
  Price Low() const { return complex_->Range(core::ComboId(1))->low; }

  // Adds the order; returns its tag.
  uint64_t Submit(Side side, Price limit, int64_t quantity, TimeInForce tif, uint32_t owner = 1) {
    ComplexBookOrder order;
    order.tag = next_tag_++;
    order.owner = core::ParticipantId(owner);
    order.combo = core::ComboId(1);
    order.side = side;
    order.limit_price = limit;
    order.quantity = Quantity(quantity);
    order.time_in_force = tif;
    complex_->Add(order);
    return order.tag;
  }

  void Cancel(uint64_t tag) { complex_->Cancel(tag); }

  int64_t executions() const { return executions_; }

  void OnComplexExecution(const ComplexExecution& execution) override {
    ++executions_;
    benchmark::DoNotOptimize(execution.net_price);
  }
  void OnComplexCancelled(uint64_t, CancelReason, Quantity) override {}
  void OnComplexTop(core::ComboId, const core::TopOfBook&, const core::TopOfBook&) override {}
  void RequestWakeUp(core::Timestamp) override {}

 private:
  class LegEvents : public OrderBookEvents {
   public:
    LegEvents(ComplexFixture* fixture, InstrumentId instrument)
        : fixture_(fixture), instrument_(instrument) {}
    void OnTrade(const BookTrade& trade) override { benchmark::DoNotOptimize(trade.quantity); }
    void OnOrderCancelled(uint64_t, CancelReason, Quantity) override {}
    void OnLevelUpdate(Side, Price, Quantity, uint64_t) override {
      if (fixture_->complex_ != nullptr) fixture_->complex_->OnLegBookChanged(instrument_);
    }

   private:
    ComplexFixture* fixture_;
    InstrumentId instrument_;
  };

  void AddLeg(OrderBook& book, InstrumentId instrument, Side side, Price price) {
    BookOrder order;
    order.tag = next_tag_++;
    order.owner = core::ParticipantId(99);
    order.instrument = instrument;
    order.side = side;
    order.limit_price = price;
    order.quantity = Quantity(1'000'000'000'000);
    order.time_in_force = TimeInForce::kGoodTillCancel;
    book.Add(order);
  }

  core::SimulatedTime time_;
  std::vector<core::ComboLeg> legs_;
  std::vector<std::unique_ptr<LegEvents>> events_;
  std::vector<std::unique_ptr<OrderBook>> books_;
  std::unique_ptr<ComplexBook> complex_;
  uint64_t next_tag_ = 1;
  int64_t executions_ = 0;
};

std::vector<core::ComboLeg> TwoLegs() {
  return {{InstrumentId(1), 1, Side::kBuy}, {InstrumentId(2), 1, Side::kSell}};
}

std::vector<core::ComboLeg> FourLegs() {
  // An iron-condor-like shape: buy, sell, sell, buy.
  return {{InstrumentId(1), 1, Side::kBuy},
          {InstrumentId(2), 1, Side::kSell},
          {InstrumentId(3), 1, Side::kSell},
          {InstrumentId(4), 1, Side::kBuy}};
}

// Runs `operation` once per iteration, timing each one for the median and 99th percentile.
template <typename Operation>
void RunTimed(benchmark::State& state, ComplexFixture& fixture, Operation operation) {
  for (int i = 0; i < 20'000; ++i) operation();  // warm up to steady state
  std::vector<int64_t> samples;
  samples.reserve(1 << 22);
  const int64_t executions_before = fixture.executions();
  const int64_t allocations_before = HeapAllocations();
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    operation();
    const auto end = std::chrono::steady_clock::now();
    if (samples.size() < samples.capacity()) {
      samples.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count());
    }
  }
  const double iterations = static_cast<double>(state.iterations());
  state.counters["allocs_per_op"] =
      static_cast<double>(HeapAllocations() - allocations_before) / iterations;
  state.counters["executions_per_op"] =
      static_cast<double>(fixture.executions() - executions_before) / iterations;
  if (!samples.empty()) {
    std::sort(samples.begin(), samples.end());
    state.counters["median_ns"] = static_cast<double>(samples[samples.size() / 2]);
    state.counters["p99_ns"] = static_cast<double>(samples[samples.size() * 99 / 100]);
  }
}

void BM_ComplexLegIn2Legs(benchmark::State& state) {
  ComplexFixture fixture(TwoLegs());
  const Price limit = fixture.High();
  RunTimed(state, fixture,
           [&] { fixture.Submit(Side::kBuy, limit, 1, TimeInForce::kImmediateOrCancel); });
}
BENCHMARK(BM_ComplexLegIn2Legs);

void BM_ComplexLegIn4Legs(benchmark::State& state) {
  ComplexFixture fixture(FourLegs());
  const Price limit = fixture.High();
  RunTimed(state, fixture,
           [&] { fixture.Submit(Side::kBuy, limit, 1, TimeInForce::kImmediateOrCancel); });
}
BENCHMARK(BM_ComplexLegIn4Legs);

// BM_ComplexLegIn2Legs with state.range(0) GTC buys resting below the combo's low, none
// marketable: each leg-in changes the leg books, which makes the book walk the combo's resting
// orders again (R10, R11). The walk stops at the first one that cannot reach the legs, so the
// resting orders should cost nothing per operation.
void BM_ComplexLegInWithRestingOrders(benchmark::State& state) {
  ComplexFixture fixture(TwoLegs());
  const Price limit = fixture.High();
  for (int64_t i = 0; i < state.range(0); ++i) {
    fixture.Submit(Side::kBuy, fixture.Low() - Cents(1 + i % 20), 1, TimeInForce::kGoodTillCancel,
                   /*owner=*/3);
  }
  RunTimed(state, fixture,
           [&] { fixture.Submit(Side::kBuy, limit, 1, TimeInForce::kImmediateOrCancel); });
}
BENCHMARK(BM_ComplexLegInWithRestingOrders)->Arg(0)->Arg(10'000);

// state.range(0) GTC buys resting at one price below the legs (one deep level, as a flow of
// orders at the same limit builds); each iteration adds one more there and cancels it. Both
// publish the displayed top, whose size is the level's: kept per level, not summed per order.
void BM_ComplexAddCancelAtADeepLevel(benchmark::State& state) {
  ComplexFixture fixture(TwoLegs());
  const Price level = fixture.Low() - Cents(5);
  for (int64_t i = 0; i < state.range(0); ++i) {
    fixture.Submit(Side::kBuy, level, 1, TimeInForce::kGoodTillCancel, /*owner=*/3);
  }
  RunTimed(state, fixture, [&] {
    fixture.Cancel(fixture.Submit(Side::kBuy, level, 1, TimeInForce::kGoodTillCancel));
  });
}
BENCHMARK(BM_ComplexAddCancelAtADeepLevel)->Arg(1)->Arg(10'000);

// A resting GTC sell inside the range; each iteration a one-unit IOC buy matches it.
void BM_ComplexVersusComplex(benchmark::State& state) {
  ComplexFixture fixture(TwoLegs());
  const Price inside = fixture.Low() + Cents(1);
  fixture.Submit(Side::kSell, inside, 1'000'000'000'000, TimeInForce::kGoodTillCancel,
                 /*owner=*/2);
  RunTimed(state, fixture,
           [&] { fixture.Submit(Side::kBuy, inside, 1, TimeInForce::kImmediateOrCancel); });
}
BENCHMARK(BM_ComplexVersusComplex);

}  // namespace
}  // namespace combo::venues
