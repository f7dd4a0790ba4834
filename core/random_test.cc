#include "core/random.h"

#include "gtest/gtest.h"

namespace combo::core {
namespace {

TEST(Rng, SameSeedGivesTheSameSequence) {
  Rng a(42), b(42);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.NextU64(), b.NextU64());
}

TEST(Rng, DifferentSeedsDiffer) {
  Rng a(1), b(2);
  EXPECT_NE(a.NextU64(), b.NextU64());
}

TEST(Rng, SequenceIsPinnedAcrossPlatforms) {
  // xoshiro256** seeded by splitmix64(0): a change here changes every simulation.
  Rng rng(0);
  const uint64_t first = rng.NextU64();
  Rng again(0);
  EXPECT_EQ(again.NextU64(), first);
  EXPECT_EQ(first, 0x99ec5f36cb75f2b4ULL);
}

TEST(Rng, UniformIntStaysInClosedRange) {
  Rng rng(7);
  bool saw_lo = false, saw_hi = false;
  for (int i = 0; i < 10'000; ++i) {
    const int64_t v = rng.UniformInt(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    saw_lo |= v == -3;
    saw_hi |= v == 3;
  }
  EXPECT_TRUE(saw_lo && saw_hi);
}

TEST(Rng, DistributionsHaveTheirMeans) {
  Rng rng(11);
  double uniform = 0, normal = 0, exponential = 0;
  const int n = 200'000;
  for (int i = 0; i < n; ++i) {
    uniform += rng.UniformDouble();
    normal += rng.Normal();
    exponential += rng.Exponential(4.0);
  }
  EXPECT_NEAR(uniform / n, 0.5, 0.01);
  EXPECT_NEAR(normal / n, 0.0, 0.01);
  EXPECT_NEAR(exponential / n, 0.25, 0.01);
}

}  // namespace
}  // namespace combo::core
