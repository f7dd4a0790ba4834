#include "pricing/combo_terms.h"

#include <string>

#include "gtest/gtest.h"
#include "pricing/test_market.h"

namespace combo::pricing {
namespace {

using core::Side;
using testing::MakeCatalog;
using testing::Spec;

// Seed 003 E1: two options of multiplier 100, 1:1.
TEST(ComboMultiplierTest, TwoOptionsOfOneHundredGiveOneHundred) {
  const core::InstrumentCatalog catalog = MakeCatalog();
  EXPECT_EQ(*ComboMultiplier(
                Spec({{testing::kC450, 1, Side::kBuy}, {testing::kC460, 1, Side::kSell}}), catalog),
            100);
}

// Seed 003 E2: two stocks, 1:1.
TEST(ComboMultiplierTest, TwoStocksGiveOne) {
  const core::InstrumentCatalog catalog = MakeCatalog();
  EXPECT_EQ(*ComboMultiplier(
                Spec({{testing::kSpy, 1, Side::kBuy}, {testing::kQqq, 1, Side::kSell}}), catalog),
            1);
}

// Seed 003 E3: +100 shares, -1 call of 100: a stock leg's ratio is in shares.
TEST(ComboMultiplierTest, BuyWriteOfOneHundredSharesGivesOneHundred) {
  const core::InstrumentCatalog catalog = MakeCatalog();
  const absl::StatusOr<ComboTerms> terms = ComboTerms::Create(
      Spec({{testing::kSpy, 100, Side::kBuy}, {testing::kC450, 1, Side::kSell}}), catalog);
  ASSERT_TRUE(terms.ok()) << terms.status();
  EXPECT_EQ(terms->multiplier(), 100);
  EXPECT_EQ(terms->legs()[0].weight, 1);
  EXPECT_EQ(terms->legs()[1].weight, 1);
}

// Seed 003 E4 [decision]: option 100 + future 2500 -> gcd 100; the future weighs 25.
TEST(ComboMultiplierTest, OptionAndFutureOf2500GiveOneHundred) {
  const core::InstrumentCatalog catalog = MakeCatalog();
  const absl::StatusOr<ComboTerms> terms = ComboTerms::Create(
      Spec({{testing::kC450, 1, Side::kBuy}, {testing::kFut2500, 1, Side::kSell}}), catalog);
  ASSERT_TRUE(terms.ok()) << terms.status();
  EXPECT_EQ(terms->multiplier(), 100);
  EXPECT_EQ(terms->legs()[0].weight, 1);
  EXPECT_EQ(terms->legs()[1].weight, 25);
}

// Seed 003 E5 [decision]: futures 12500 and 20 and an option of 100, 1:1:1 -> gcd 20.
TEST(ComboMultiplierTest, FuturesOf12500And20AndOptionGiveTwenty) {
  const core::InstrumentCatalog catalog = MakeCatalog();
  const absl::StatusOr<ComboTerms> terms =
      ComboTerms::Create(Spec({{testing::kFut12500, 1, Side::kBuy},
                               {testing::kFut20, 1, Side::kSell},
                               {testing::kC450, 1, Side::kBuy}}),
                         catalog);
  ASSERT_TRUE(terms.ok()) << terms.status();
  EXPECT_EQ(terms->multiplier(), 20);
  EXPECT_EQ(terms->legs()[0].weight, 625);
  EXPECT_EQ(terms->legs()[1].weight, 1);
  EXPECT_EQ(terms->legs()[2].weight, 5);
}

TEST(ComboMultiplierTest, RatiosEnterTheGcd) {
  const core::InstrumentCatalog catalog = MakeCatalog();
  // 1:-2:1 butterfly: gcd(100, 200, 100) = 100; weights 1, 2, 1.
  const absl::StatusOr<ComboTerms> terms =
      ComboTerms::Create(Spec({{testing::kC450, 1, Side::kBuy},
                               {testing::kC460, 2, Side::kSell},
                               {testing::kC470, 1, Side::kBuy}}),
                         catalog);
  ASSERT_TRUE(terms.ok()) << terms.status();
  EXPECT_EQ(terms->multiplier(), 100);
  EXPECT_EQ(terms->legs()[1].weight, 2);
  // 2:2 of two options: gcd 200, weights 1 and 1 (the per-unit price of the 1:1 form).
  EXPECT_EQ(*ComboMultiplier(
                Spec({{testing::kC450, 2, Side::kBuy}, {testing::kC460, 2, Side::kSell}}), catalog),
            200);
}

TEST(ComboMultiplierTest, UnknownInstrumentIsNamed) {
  const core::InstrumentCatalog catalog = MakeCatalog();
  const absl::StatusOr<int64_t> multiplier = ComboMultiplier(
      Spec({{testing::kC450, 1, Side::kBuy}, {core::InstrumentId(999), 1, Side::kSell}}), catalog);
  ASSERT_FALSE(multiplier.ok());
  EXPECT_EQ(multiplier.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(multiplier.status().message().find("leg 2: instrument 999"), std::string::npos)
      << multiplier.status();
}

TEST(ComboMultiplierTest, RatioTimesMultiplierOverflowIsAnError) {
  const core::InstrumentCatalog catalog = MakeCatalog();
  const absl::StatusOr<int64_t> multiplier = ComboMultiplier(
      Spec({{testing::kC450, 1, Side::kBuy}, {testing::kFut12500, INT64_MAX / 2, Side::kSell}}),
      catalog);
  ASSERT_FALSE(multiplier.ok());
  EXPECT_EQ(multiplier.status().code(), absl::StatusCode::kOutOfRange);
}

// The combo tick is the gcd over legs of weight x leg tick: +1 ES (50 x, 0.25 tick) / -100 SPY
// (1 x, 0.01 tick) has multiplier 50, weights 1 and 2, and tick gcd(0.25, 0.02) = 0.01.
TEST(ComboTickTest, TickIsTheWeightedGcdOfLegTicks) {
  const core::InstrumentCatalog catalog = MakeCatalog();
  const absl::StatusOr<ComboTerms> terms = ComboTerms::Create(
      Spec({{testing::kEsDec, 1, Side::kBuy}, {testing::kSpy, 100, Side::kSell}}), catalog);
  ASSERT_TRUE(terms.ok()) << terms.status();
  EXPECT_EQ(terms->multiplier(), 50);
  EXPECT_EQ(terms->tick(), core::Price::FromParts(0, 10'000'000));
}

TEST(ComboTickTest, LegsOnACoarserTickGiveACoarserComboTick) {
  const core::InstrumentCatalog catalog = MakeCatalog();
  // An ES calendar: two 0.25-tick futures of 50, weights 1 and 1.
  EXPECT_EQ(*ComboTick(Spec({{testing::kEsDec, 1, Side::kBuy}, {testing::kEsMar, 1, Side::kSell}}),
                       catalog),
            core::Price::FromParts(0, 250'000'000));
  // The same calendar 1:2: weights 1 and 2, so a step of one ES tick still moves the price.
  EXPECT_EQ(*ComboTick(Spec({{testing::kEsDec, 1, Side::kBuy}, {testing::kEsMar, 2, Side::kSell}}),
                       catalog),
            core::Price::FromParts(0, 250'000'000));
}

TEST(ComboTickTest, LegsOnOneTickGiveThatTickWhateverTheRatios) {
  const core::InstrumentCatalog catalog = MakeCatalog();
  // The weights' gcd is 1 (the multiplier is their gcd), so equal leg ticks are the combo's.
  EXPECT_EQ(*ComboTick(Spec({{testing::kC450, 1, Side::kBuy},
                             {testing::kC460, 2, Side::kSell},
                             {testing::kC470, 1, Side::kBuy}}),
                       catalog),
            core::Price::FromParts(0, 10'000'000));
}

// A leg whose tick depends on its price counts with its rule's finest tick, so the combo tick
// divides every net price on-rule legs can make and does not move with the legs' prices.
TEST(ComboTickTest, ALegWithABandedTickRuleCountsWithItsFinestTick) {
  core::InstrumentCatalog catalog = MakeCatalog();
  auto option = [&](uint32_t id, std::string_view strike, std::string_view rule) {
    core::InstrumentDefinition d =
        testing::MakeOption(core::InstrumentId(id), core::OptionRight::kCall, strike, testing::kDec)
            .definition();
    d.symbol = "BANDED " + std::string(strike);
    d.tick_rule = *core::TickRule::Parse(rule);
    ASSERT_TRUE(catalog.Add(*core::Instrument::Create(std::move(d))).ok());
  };
  option(101, "450", "0.05<3.00;0.10");  // the classic program
  option(102, "460", "0.05<3.00;0.10");
  option(103, "470", "0.01<3.00;0.05");  // a penny-pilot class
  // Both legs trade in 0.05 below 3.00 and 0.10 from it: every net price is a multiple of 0.05.
  EXPECT_EQ(*ComboTick(Spec({{core::InstrumentId(101), 1, Side::kBuy},
                             {core::InstrumentId(102), 1, Side::kSell}}),
                       catalog),
            testing::P("0.05"));
  // 1x2: weights 1 and 2 give steps of 0.05 and 0.10; the finest is the combo's.
  EXPECT_EQ(*ComboTick(Spec({{core::InstrumentId(101), 1, Side::kBuy},
                             {core::InstrumentId(102), 2, Side::kSell}}),
                       catalog),
            testing::P("0.05"));
  // A penny leg: 0.01.
  EXPECT_EQ(*ComboTick(Spec({{core::InstrumentId(101), 1, Side::kBuy},
                             {core::InstrumentId(103), 1, Side::kSell}}),
                       catalog),
            testing::P("0.01"));
}

TEST(ComboTickTest, UnknownInstrumentIsNamed) {
  const core::InstrumentCatalog catalog = MakeCatalog();
  const absl::StatusOr<core::Price> tick = ComboTick(
      Spec({{testing::kC450, 1, Side::kBuy}, {core::InstrumentId(999), 1, Side::kSell}}), catalog);
  ASSERT_FALSE(tick.ok());
  EXPECT_NE(tick.status().message().find("leg 2: instrument 999"), std::string::npos);
}

}  // namespace
}  // namespace combo::pricing
