// Market simulator throughput: simulated market events per second of wall time.
//
// The sample market (three venues, eight instruments, two native combos; venues/market_sim/
// sample_market.h) runs on SimulatedTime; each iteration advances one simulated second. An
// "event" is one EventLog record: an underlying move, an order the agents send, an event they
// receive, or a market-data update of a venue. items_per_second is events per wall second;
// the sim_seconds_per_second counter says how much faster than real time the market runs.
#include <algorithm>
#include <cmath>
#include <cstdint>
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

// Ignores what the negotiation venue reports to the offering participant.
class IgnoreVenueEvents final : public VenueListener {
 public:
  void OnAck(const OrderAcked&) override {}
  void OnReject(const OrderRejected&) override {}
  void OnFill(const Fill&) override {}
  void OnComplexFill(const ComplexFill&) override {}
  void OnCancelled(const OrderCancelled&) override {}
  void OnRestated(const OrderRestated&) override {}
};

// The same market with the negotiation venue and its three negotiators; a participant posts
// `state.range(0)` offers per simulated second on the venue (alternating sides and options, at
// fair value +/- a few ticks), which the negotiators hear, value and answer through the signed
// protocol (accepts, counters, TRADE REQUESTs). Events include every negotiator message.
void BM_MarketSimWithNegotiation(benchmark::State& state) {
  core::SimulatedTime time;
  SampleMarketOptions options;
  options.seed = 11;
  options.jump_intensity = 500;
  options.negotiation = NegotiationVenueInMarket::kPresent;
  std::unique_ptr<SampleMarket> market = BuildSampleMarket(options, &time).value();
  IgnoreVenueEvents ignore;
  constexpr core::ParticipantId kOfferer{7};
  if (!market->negotiation_venue->Connect(kOfferer, &ignore).ok() ||
      !market->simulator->Start().ok()) {
    state.SkipWithError("market did not start");
    return;
  }
  time.AdvanceBy(core::Duration::Seconds(5));
  const int64_t first = market->simulator->log().events();
  const int64_t offers_per_second = state.range(0);
  const core::InstrumentId options_traded[] = {SampleMarket::kCall100, SampleMarket::kPut95,
                                               SampleMarket::kCall105, SampleMarket::kPut100};
  uint64_t next_order = 1;
  int64_t seconds = 0;
  for (auto _ : state) {
    for (int64_t i = 0; i < offers_per_second; ++i) {
      const core::InstrumentId instrument = options_traded[next_order % 4];
      const double fair = market->simulator->FairValue(instrument).value_or(1.0);
      // -3..+3 cents around fair: some accepted, some countered, some declined.
      const int64_t cents = std::llround(fair * 100) + static_cast<int64_t>(next_order % 7) - 3;
      OrderRequest request;
      request.participant = kOfferer;
      request.order_id = core::OrderId(next_order);
      request.instrument = instrument;
      request.side = next_order % 2 == 0 ? core::Side::kBuy : core::Side::kSell;
      request.limit_price = core::Price::FromRaw(std::max<int64_t>(cents, 1) * 10'000'000);
      request.quantity = core::Quantity(5);
      (void)market->negotiation_venue->Submit(request);
      ++next_order;
      time.AdvanceBy(core::Duration::Seconds(1) / offers_per_second);
    }
    ++seconds;
  }
  const int64_t events = market->simulator->log().events() - first;
  state.SetItemsProcessed(events);
  state.counters["events_per_sim_second"] =
      benchmark::Counter(static_cast<double>(events) / static_cast<double>(seconds));
  state.counters["answers_per_sim_second"] = benchmark::Counter(
      static_cast<double>(market->simulator->stats().negotiation_offers_answered) /
      static_cast<double>(seconds));
  state.counters["sim_seconds_per_second"] =
      benchmark::Counter(static_cast<double>(seconds), benchmark::Counter::kIsRate);
  benchmark::DoNotOptimize(market->simulator->log().hash());
}
// Offers per simulated second on the negotiation venue.
BENCHMARK(BM_MarketSimWithNegotiation)->Arg(1)->Arg(10)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace combo::venues::market_sim
