// Market simulator throughput: simulated market events per second of wall time.
//
// The sample market (three venues, eight instruments, two native combos; venues/market_sim/
// sample_market.h) runs on SimulatedTime; each iteration advances one simulated second. An
// "event" is one EventLog record: an underlying move, an order the agents send, an event they
// receive, or a market-data update of a venue. items_per_second is events per wall second;
// the sim_seconds_per_second counter says how much faster than real time the market runs.
#include <memory>

#include "benchmark/benchmark.h"
#include "core/simulated_time.h"
#include "venues/market_sim/sample_market.h"

namespace combo::venues::market_sim {
namespace {

void BM_MarketSimEvents(benchmark::State& state) {
  core::SimulatedTime time;
  SampleMarketOptions options;
  options.seed = 11;
  options.jump_intensity = 500;
  options.taker_rate = static_cast<double>(state.range(0));
  std::unique_ptr<SampleMarket> market = BuildSampleMarket(options, &time).value();
  if (!market->simulator->Start().ok()) {
    state.SkipWithError("simulator did not start");
    return;
  }
  // Warm up: the books fill.
  time.AdvanceBy(core::Duration::Seconds(5));
  const int64_t first = market->simulator->log().events();
  int64_t seconds = 0;
  for (auto _ : state) {
    time.AdvanceBy(core::Duration::Seconds(1));
    ++seconds;
  }
  const int64_t events = market->simulator->log().events() - first;
  state.SetItemsProcessed(events);
  state.counters["events_per_sim_second"] =
      benchmark::Counter(static_cast<double>(events) / static_cast<double>(seconds));
  state.counters["sim_seconds_per_second"] =
      benchmark::Counter(static_cast<double>(seconds), benchmark::Counter::kIsRate);
  benchmark::DoNotOptimize(market->simulator->log().hash());
}
// Taker arrivals per second at each venue.
BENCHMARK(BM_MarketSimEvents)->Arg(2)->Arg(50)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace combo::venues::market_sim
