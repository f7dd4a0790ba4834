// The smart combo tick's hot path does not allocate once the books are warm. This test binary
// replaces the global operator new to count allocations, so it is separate from pricing_test.
#include <cstdlib>
#include <new>

#include "gtest/gtest.h"
#include "pricing/pricing_engine.h"
#include "pricing/test_market.h"

namespace {
int64_t g_allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  std::abort();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace combo::pricing {
namespace {

using core::Side;
using core::VenueId;
using testing::Quote;
using testing::Spec;

class CountingListener : public ComboTickListener {
 public:
  void OnComboTick(core::ComboId, const SmartComboTick&) override { ++ticks; }
  int64_t ticks = 0;
};

TEST(PricingEngineAllocationTest, LegAndNativeUpdatesDoNotAllocateOnceWarm) {
  const core::InstrumentCatalog catalog = testing::MakeCatalog();
  core::ComboCatalog combos;
  const core::ComboId vertical =
      *combos.Intern(Spec({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 1, Side::kSell}}));
  const core::ComboId butterfly = *combos.Intern(Spec({{testing::kC450, 1, Side::kBuy},
                                                       {testing::kC460, 2, Side::kSell},
                                                       {testing::kC470, 1, Side::kBuy}}));
  std::unique_ptr<PricingEngine> engine = *PricingEngine::Create(
      catalog, combos, PricingConfig{{VenueId(1), VenueId(2)}, FeeMode::kIgnoreFees, {}});
  CountingListener listener;
  engine->Subscribe(&listener);
  ASSERT_TRUE(engine->Track(vertical).ok());
  ASSERT_TRUE(engine->Track(butterfly).ok());
  uint64_t sequence = 0;
  for (uint32_t venue : {1u, 2u}) {
    ASSERT_TRUE(
        engine->OnLegBookUpdate(Quote(venue, testing::kC450, ++sequence, "5.00", 10, "5.20", 20))
            .ok());
    ASSERT_TRUE(
        engine->OnLegBookUpdate(Quote(venue, testing::kC460, ++sequence, "2.00", 30, "2.10", 5))
            .ok());
    ASSERT_TRUE(
        engine->OnLegBookUpdate(Quote(venue, testing::kC470, ++sequence, "0.80", 8, "0.90", 12))
            .ok());
  }
  const core::LegBookUpdate better = Quote(2, testing::kC450, 0, "5.00", 10, "5.10", 20);
  const core::LegBookUpdate back = Quote(2, testing::kC450, 0, "5.00", 10, "5.20", 20);
  core::NativeComboUpdate native;
  native.venue = VenueId(1);
  native.combo = vertical;
  native.top.bid = core::PriceLevel{testing::P("2.95"), core::Quantity(1)};

  const int64_t ticks_before = listener.ticks;
  const int64_t allocations_before = g_allocations;
  for (int i = 0; i < 100; ++i) {
    core::LegBookUpdate update = i % 2 == 0 ? better : back;
    update.sequence = ++sequence;
    ASSERT_TRUE(engine->OnLegBookUpdate(update).ok());
    native.sequence = ++sequence;
    native.top.bid->quantity = core::Quantity(1 + i % 2);
    ASSERT_TRUE(engine->OnNativeComboUpdate(native).ok());
  }
  EXPECT_EQ(g_allocations - allocations_before, 0);
  // Every leg update moved both combos' ticks; every native update moved the vertical's.
  EXPECT_EQ(listener.ticks - ticks_before, 300);
}

}  // namespace
}  // namespace combo::pricing
