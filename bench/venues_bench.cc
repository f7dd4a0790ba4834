// Leg order book costs (docs/BENCHMARKS.md "Leg order book"): on a book of 1,000 resting orders
// over 10 levels per side, (a) a passive add followed by a cancel, and (b) an aggressive fill
// followed by a replenishing add. Each also reports heap allocations per operation, which must be
// zero in steady state.
#include "benchmark/benchmark.h"
#include "venues/allocation_counter.h"
#include "venues/order_book.h"
#include "venues/order_book_workload.h"

namespace combo::venues {
namespace {

AllocationRule RuleOf(const benchmark::State& state) {
  return state.range(0) == 0 ? AllocationRule::kPriceTime : AllocationRule::kSeed001Options;
}

// Items are single operations (an add or a cancel): time per item is the figure to compare with
// the 60 ns target.
void BM_OrderBookAddCancel(benchmark::State& state) {
  OrderBookWorkload workload(RuleOf(state));
  for (int i = 0; i < 100'000; ++i) workload.AddThenCancel();  // warm up to steady state
  const int64_t allocations_before = HeapAllocations();
  for (auto _ : state) {
    workload.AddThenCancel();
  }
  state.SetItemsProcessed(2 * state.iterations());
  state.counters["ns_per_op"] =
      benchmark::Counter(2.0 * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["allocs_per_op"] =
      benchmark::Counter(static_cast<double>(HeapAllocations() - allocations_before) /
                         (2.0 * static_cast<double>(state.iterations())));
  state.counters["orders"] = static_cast<double>(workload.book().order_count());
  state.SetLabel(std::string(ToString(RuleOf(state))));
}
BENCHMARK(BM_OrderBookAddCancel)->Arg(0)->Arg(1);

// One iteration is an aggressive fill plus its replenishing add: compare with the 100 ns target.
void BM_OrderBookFillReplenish(benchmark::State& state) {
  OrderBookWorkload workload(RuleOf(state));
  for (int i = 0; i < 100'000; ++i) workload.FillThenReplenish();
  const int64_t allocations_before = HeapAllocations();
  for (auto _ : state) {
    workload.FillThenReplenish();
  }
  state.counters["allocs_per_op"] =
      benchmark::Counter(static_cast<double>(HeapAllocations() - allocations_before) /
                         static_cast<double>(state.iterations()));
  state.counters["orders"] = static_cast<double>(workload.book().order_count());
  benchmark::DoNotOptimize(workload.events().last_quantity());
  state.SetLabel(std::string(ToString(RuleOf(state))));
}
BENCHMARK(BM_OrderBookFillReplenish)->Arg(0)->Arg(1);

}  // namespace
}  // namespace combo::venues
