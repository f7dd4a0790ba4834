// Costs of the core vocabulary on hot paths: price parse and format (FIX in and out), and a
// SimulatedTime timer round trip (every simulated venue message goes through one).
#include <string>

#include "benchmark/benchmark.h"
#include "core/price.h"
#include "core/simulated_time.h"

namespace combo::core {
namespace {

void BM_PriceParse(benchmark::State& state) {
  const std::string text = "84.45";
  for (auto _ : state) {
    auto price = Price::Parse(text);
    benchmark::DoNotOptimize(price);
  }
}
BENCHMARK(BM_PriceParse);

void BM_PriceFormat(benchmark::State& state) {
  const Price price = *Price::Parse("99.828125");
  for (auto _ : state) {
    std::string text = price.ToString();
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_PriceFormat);

void BM_PriceRoundToTick(benchmark::State& state) {
  const Price price = *Price::Parse("84.47");
  const Price tick = *Price::Parse("0.05");
  for (auto _ : state) {
    auto rounded = price.RoundToTick(tick, RoundingMode::kHalfEven);
    benchmark::DoNotOptimize(rounded);
  }
}
BENCHMARK(BM_PriceRoundToTick);

void BM_SimulatedTimeScheduleAndRun(benchmark::State& state) {
  SimulatedTime time;
  int64_t ran = 0;
  for (auto _ : state) {
    time.ScheduleAfter(Duration::Microseconds(50), [&ran] { ++ran; });
    time.RunNext();
  }
  benchmark::DoNotOptimize(ran);
}
BENCHMARK(BM_SimulatedTimeScheduleAndRun);

}  // namespace
}  // namespace combo::core
