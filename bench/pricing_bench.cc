// The smart combo tick's hot path (docs/BENCHMARKS.md "Pricing: smart combo tick"): 1,000
// tracked combos of 2 to 4 legs over 6 venues; one leg quote change that moves the leg's
// consolidated quote and so re-prices the 10 combos holding that leg. Target: median at most
// 1 microsecond per update and no heap allocation on the path. At chain scale
// (docs/BENCHMARKS.md "Instrument master at chain scale"): 10,000 tracked combos over the 520
// instruments of the demo's master, the changed leg held by 10 combos, or by 58 (10,000 combos
// of 3 legs on average spread over 520 legs). This file replaces the global
// operator new to count allocations; the count per update is reported as a counter.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <new>
#include <set>
#include <vector>

#include "bench/quantile.h"
#include "benchmark/benchmark.h"
#include "core/combo_catalog.h"
#include "core/combo_spec.h"
#include "core/instrument_catalog.h"
#include "core/market_data.h"
#include "core/random.h"
#include "pricing/pricing_engine.h"

namespace {
// Allocations since the program started (single-threaded benchmark).
int64_t g_allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace combo::pricing {
namespace {

using core::InstrumentId;
using core::Price;
using core::PriceLevel;
using core::Quantity;
using core::Side;
using core::VenueId;

constexpr int kVenues = 6;
// Instrument 1 is the hot leg: exactly `combos_on_hot_leg` combos hold it.
constexpr InstrumentId kHotLeg{1};

class CountingListener : public ComboTickListener {
 public:
  void OnComboTick(core::ComboId, const SmartComboTick&) override { ++ticks; }
  int64_t ticks = 0;
};

// The market the benchmarks share: built once, then updated in place.
struct Market {
  core::InstrumentCatalog instruments;
  core::ComboCatalog combos;
  std::unique_ptr<PricingEngine> engine;
  CountingListener listener;
  std::vector<core::ComboId> hot_combos;
  uint64_t sequence = 0;
  // Updates of the hot leg so far (their parity picks the next one).
  int64_t hot_updates = 0;

  Market(int instruments_count, int combos_count, int combos_on_hot_leg) {
    const int kInstruments = instruments_count;
    const int kCombos = combos_count;
    const int kCombosOnHotLeg = combos_on_hot_leg;
    for (int i = 1; i <= kInstruments; ++i) {
      core::InstrumentDefinition d;
      d.id = InstrumentId(static_cast<uint32_t>(i));
      d.symbol = "OPT" + std::to_string(i);
      d.asset_class = core::AssetClass::kOption;
      d.underlying = "XYZ";
      d.multiplier = 100;
      d.option = core::OptionTerms{core::OptionRight::kCall, Price::FromParts(100 + i, 0),
                                   absl::CivilDay(2026, 12, 18)};
      (void)instruments.Add(*core::Instrument::Create(std::move(d)));
    }
    std::vector<VenueId> venues;
    for (int v = 1; v <= kVenues; ++v) venues.push_back(VenueId(static_cast<uint32_t>(v)));
    engine = *PricingEngine::Create(instruments, combos, PricingConfig{venues, {}, {}});

    core::Rng rng(20261121);
    std::set<core::ComboId> tracked;
    while (static_cast<int>(tracked.size()) < kCombos) {
      const bool on_hot_leg = static_cast<int>(hot_combos.size()) < kCombosOnHotLeg;
      const int legs = static_cast<int>(rng.UniformInt(2, 4));
      std::set<uint32_t> chosen;
      if (on_hot_leg) chosen.insert(kHotLeg.value());
      while (static_cast<int>(chosen.size()) < legs) {
        chosen.insert(static_cast<uint32_t>(rng.UniformInt(2, kInstruments)));
      }
      std::vector<core::ComboLeg> spec_legs;
      spec_legs.reserve(chosen.size());
      for (uint32_t id : chosen) {
        spec_legs.push_back(core::ComboLeg{InstrumentId(id), rng.UniformInt(1, 2),
                                           rng.Bernoulli(0.5) ? Side::kBuy : Side::kSell});
      }
      const core::CanonicalCombo canonical =
          core::Canonicalize(*core::ComboSpec::Create(std::move(spec_legs)));
      const core::ComboId id = *combos.Intern(canonical.spec);
      if (!tracked.insert(id).second) continue;
      (void)engine->Track(id);
      if (on_hot_leg) hot_combos.push_back(id);
    }
    // Every leg quoted on every venue: bids 1.00 + venue cents, asks 1.50 - venue cents.
    for (int i = 1; i <= kInstruments; ++i) {
      for (int64_t v = 1; v <= kVenues; ++v) {
        (void)engine->OnLegBookUpdate(
            LegQuote(v, InstrumentId(static_cast<uint32_t>(i)), Price::FromParts(1, v * 10'000'000),
                     50, Price::FromParts(1, 500'000'000 - v * 10'000'000), 50));
      }
    }
    // Native markets on half the combos at venue 1, wide enough that implied stays the best.
    for (core::ComboId id : tracked) {
      if (id.value() % 2 != 0) continue;
      core::NativeComboUpdate u;
      u.venue = VenueId(1);
      u.combo = id;
      u.sequence = ++sequence;
      u.top.bid = PriceLevel{Price::FromParts(-1000, 0), Quantity(5)};
      u.top.ask = PriceLevel{Price::FromParts(1000, 0), Quantity(5)};
      (void)engine->OnNativeComboUpdate(u);
    }
    engine->Subscribe(&listener);
    tracked_count = tracked.size();
    hot[0] = LegQuote(3, kHotLeg, Price::FromParts(1, 30'000'000), 50,
                      Price::FromParts(1, 400'000'000), 50);
    hot[1] = LegQuote(3, kHotLeg, Price::FromParts(1, 30'000'000), 50,
                      Price::FromParts(1, 470'000'000), 50);
    resized[0] = LegQuote(3, kHotLeg, Price::FromParts(1, 30'000'000), 50,
                          Price::FromParts(1, 400'000'000), 20);
    resized[1] = LegQuote(3, kHotLeg, Price::FromParts(1, 30'000'000), 50,
                          Price::FromParts(1, 470'000'000), 50);
  }

  size_t tracked_count = 0;
  // The two alternating updates of the hot leg (NextHotUpdate).
  core::LegBookUpdate hot[2];
  // The same with the size changing too: the best ask alternates between 1.40 for 20 (smaller
  // than any other leg's 50, so it limits every implied size on that side) and 1.44 for 50.
  core::LegBookUpdate resized[2];

  core::LegBookUpdate LegQuote(int64_t venue, InstrumentId instrument, Price bid, int64_t bid_size,
                               Price ask, int64_t ask_size) {
    core::LegBookUpdate u;
    u.venue = VenueId(static_cast<uint32_t>(venue));
    u.instrument = instrument;
    u.sequence = ++sequence;
    u.side = Side::kSell;
    u.price = ask;
    u.quantity = Quantity(ask_size);
    u.top.bid = PriceLevel{bid, Quantity(bid_size)};
    u.top.ask = PriceLevel{ask, Quantity(ask_size)};
    return u;
  }
};

Market& SharedMarket() {
  static Market* market = new Market(600, 1000, 10);
  return *market;
}

// 10,000 combos over the demo master's 520 instruments.
Market& ChainMarket(int combos_on_hot_leg) {
  static Market* ten = new Market(520, 10'000, 10);
  static Market* average = new Market(520, 10'000, 58);
  return combos_on_hot_leg == 10 ? *ten : *average;
}

// Venue 3's ask on the hot leg alternates between 1.40 (the best ask alone) and 1.47 (behind
// venue 6's 1.44), so every update moves the consolidated ask (1.40 <-> 1.44) and re-prices the
// 10 combos holding the leg. The alternation is kept in the shared market, so it holds across
// benchmark runs too.
core::LegBookUpdate& NextHotUpdate(Market& m, bool resize = false) {
  core::LegBookUpdate& u = (resize ? m.resized : m.hot)[m.hot_updates++ % 2];
  u.sequence = ++m.sequence;
  return u;
}

void BM_LegUpdateTouchingTenCombos(benchmark::State& state) {
  Market& m = SharedMarket();
  const int64_t ticks_before = m.listener.ticks;
  int64_t allocations = 0;
  int64_t updates_done = 0;
  for (auto _ : state) {
    const core::LegBookUpdate& u = NextHotUpdate(m);
    const int64_t before = g_allocations;
    absl::Status status = m.engine->OnLegBookUpdate(u);
    allocations += g_allocations - before;
    benchmark::DoNotOptimize(status);
    ++updates_done;
  }
  state.counters["combos_notified_per_update"] = benchmark::Counter(
      static_cast<double>(m.listener.ticks - ticks_before) / static_cast<double>(updates_done));
  state.counters["allocations_per_update"] =
      benchmark::Counter(static_cast<double>(allocations) / static_cast<double>(updates_done));
}
BENCHMARK(BM_LegUpdateTouchingTenCombos);

// The same update timed one by one, for the median and the tail.
void LegUpdateLatency(benchmark::State& state, Market& m, bool resize = false) {
  const int64_t ticks_before = m.listener.ticks;
  int64_t updates_done = 0;
  std::vector<int64_t> nanos;
  nanos.reserve(1 << 20);
  for (auto _ : state) {
    const core::LegBookUpdate& u = NextHotUpdate(m, resize);
    const auto start = std::chrono::steady_clock::now();
    absl::Status status = m.engine->OnLegBookUpdate(u);
    const auto end = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(status);
    if (nanos.size() < nanos.capacity()) {
      nanos.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count());
    }
    ++updates_done;
  }
  std::sort(nanos.begin(), nanos.end());
  state.counters["p50_ns"] = combo::bench::QuantileOfSorted(nanos, 0.5);
  state.counters["p99_ns"] = combo::bench::QuantileOfSorted(nanos, 0.99);
  state.counters["p999_ns"] = combo::bench::QuantileOfSorted(nanos, 0.999);
  state.counters["combos_tracked"] = static_cast<double>(m.tracked_count);
  state.counters["combos_notified_per_update"] = benchmark::Counter(
      static_cast<double>(m.listener.ticks - ticks_before) / static_cast<double>(updates_done));
}

void BM_LegUpdateTouchingTenCombosLatency(benchmark::State& state) {
  LegUpdateLatency(state, SharedMarket());
}
BENCHMARK(BM_LegUpdateTouchingTenCombosLatency);

// Chain scale: 10,000 tracked combos; the changed leg is in 10 of them, or in 58 (the average).
void BM_TenThousandCombosLegUpdateTouchingTenLatency(benchmark::State& state) {
  LegUpdateLatency(state, ChainMarket(10));
}
BENCHMARK(BM_TenThousandCombosLegUpdateTouchingTenLatency);

void BM_TenThousandCombosLegUpdateTouchingAverageLatency(benchmark::State& state) {
  LegUpdateLatency(state, ChainMarket(58));
}
BENCHMARK(BM_TenThousandCombosLegUpdateTouchingAverageLatency);

// The same leg with its size changing as well as its price: every other update makes the leg
// the one limiting the implied size, then lifts that limit, so half the re-prices look at every
// leg of the combo again.
void BM_TenThousandCombosLegResizeTouchingAverageLatency(benchmark::State& state) {
  LegUpdateLatency(state, ChainMarket(58), /*resize=*/true);
}
BENCHMARK(BM_TenThousandCombosLegResizeTouchingAverageLatency);

// A leg update behind the best price on every side: the consolidated quote does not move and
// no combo is re-priced.
void BM_LegUpdateBehindTheBest(benchmark::State& state) {
  Market& m = SharedMarket();
  int64_t i = 0;
  for (auto _ : state) {
    core::LegBookUpdate u =
        m.LegQuote(2, InstrumentId(5), Price::FromParts(0, 500'000'000 + (i % 2) * 10'000'000), 50,
                   Price::FromParts(2, 0), 50);
    absl::Status status = m.engine->OnLegBookUpdate(u);
    benchmark::DoNotOptimize(status);
    ++i;
  }
}
BENCHMARK(BM_LegUpdateBehindTheBest);

// A native combo quote change that moves the combo's tick.
void BM_NativeUpdate(benchmark::State& state) {
  Market& m = SharedMarket();
  const core::ComboId combo = m.hot_combos.front();
  int64_t i = 0;
  for (auto _ : state) {
    core::NativeComboUpdate u;
    u.venue = VenueId(2);
    u.combo = combo;
    u.sequence = ++m.sequence;
    u.top.bid = PriceLevel{Price::FromParts(-2000, 0), Quantity(1 + (i % 2))};
    absl::Status status = m.engine->OnNativeComboUpdate(u);
    benchmark::DoNotOptimize(status);
    ++i;
  }
}
BENCHMARK(BM_NativeUpdate);

// The depth-aware price and leg plan of one hot combo for 20 units (walks 6 venues per leg;
// allocates its plan, not a tick-path cost).
void BM_DepthAwareImpliedTwentyUnits(benchmark::State& state) {
  Market& m = SharedMarket();
  const core::ComboId combo = m.hot_combos.back();
  for (auto _ : state) {
    absl::StatusOr<ImpliedFill> fill =
        m.engine->ImpliedForQuantity(combo, Side::kBuy, Quantity(20));
    benchmark::DoNotOptimize(fill);
  }
}
BENCHMARK(BM_DepthAwareImpliedTwentyUnits);

}  // namespace
}  // namespace combo::pricing
