#include "core/combo_spec.h"

#include "core/instrument_catalog.h"
#include "gtest/gtest.h"

namespace combo::core {
namespace {

constexpr InstrumentId kA(1), kB(2), kC(3);

ComboLeg Leg(InstrumentId id, int64_t ratio, Side side) { return ComboLeg{id, ratio, side}; }

TEST(ComboSpecCreate, RejectsFewerThanTwoLegs) {
  auto empty = ComboSpec::Create({});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("at least 2 legs, got 0"), std::string::npos);
  auto single = ComboSpec::Create({Leg(kA, 1, Side::kBuy)});
  ASSERT_FALSE(single.ok());
  EXPECT_NE(single.status().message().find("got 1"), std::string::npos);
}

TEST(ComboSpecCreate, RejectsZeroOrNegativeRatioNamingTheLeg) {
  auto zero = ComboSpec::Create({Leg(kA, 1, Side::kBuy), Leg(kB, 0, Side::kSell)});
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.status().message().find("leg 2"), std::string::npos);
  EXPECT_NE(zero.status().message().find("got 0"), std::string::npos);
  auto negative = ComboSpec::Create({Leg(kA, -1, Side::kBuy), Leg(kB, 1, Side::kSell)});
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.status().message().find("leg 1"), std::string::npos);
}

TEST(ComboSpecCreate, RejectsTheSameInstrumentTwiceNamingTheLeg) {
  auto twice =
      ComboSpec::Create({Leg(kA, 1, Side::kBuy), Leg(kB, 1, Side::kSell), Leg(kA, 1, Side::kSell)});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("leg 3"), std::string::npos);
  EXPECT_NE(twice.status().message().find("more than one leg"), std::string::npos);
}

TEST(ComboSpecCreate, KeepsTheClientsLegOrder) {
  auto spec = *ComboSpec::Create({Leg(kB, 1, Side::kSell), Leg(kA, 1, Side::kBuy)});
  EXPECT_EQ(spec.leg(0).instrument, kB);
  EXPECT_EQ(spec.ToString(), "-1 #2 / +1 #1");
}

TEST(ComboCanonicalForm, SortsLegsByInstrument) {
  auto spec = *ComboSpec::Create({Leg(kC, 1, Side::kBuy), Leg(kA, 1, Side::kBuy)});
  CanonicalCombo c = Canonicalize(spec);
  EXPECT_EQ(c.spec.ToString(), "+1 #1 / +1 #3");
  EXPECT_TRUE(c.spec.IsCanonical());
  EXPECT_EQ(c.orientation, ComboOrientation::kSame);
}

TEST(ComboCanonicalForm, DividesRatiosByTheirGcdAndScalesQuantity) {
  // Q units of a 2:2 combo are 2Q units of the 1:1 form; the per-unit price is unchanged.
  auto spec = *ComboSpec::Create({Leg(kA, 2, Side::kBuy), Leg(kB, 2, Side::kSell)});
  CanonicalCombo c = Canonicalize(spec);
  EXPECT_EQ(c.spec.ToString(), "+1 #1 / -1 #2");
  EXPECT_EQ(c.unit_factor, 2);
  EXPECT_EQ(c.ToCanonical(Quantity(5)), Quantity(10));
  EXPECT_EQ(c.ToClient(Quantity(10)), Quantity(5));
  EXPECT_EQ(c.ToClient(Quantity(9)), Quantity(4));
  EXPECT_EQ(c.ToCanonical(*Price::Parse("2.35")), *Price::Parse("2.35"));
}

TEST(ComboCanonicalForm, ButterflyRatiosKeepTheirShape) {
  auto fly =
      *ComboSpec::Create({Leg(kA, 2, Side::kBuy), Leg(kB, 4, Side::kSell), Leg(kC, 2, Side::kBuy)});
  CanonicalCombo c = Canonicalize(fly);
  EXPECT_EQ(c.spec.ToString(), "+1 #1 / -2 #2 / +1 #3");
  EXPECT_EQ(c.unit_factor, 2);
}

TEST(ComboCanonicalForm, MirrorIsSellingTheCanonicalAtTheNegatedPrice) {
  // Selling A, buying B: canonical is buying A, selling B; a buy becomes a sell at -price.
  auto mirror = *ComboSpec::Create({Leg(kB, 1, Side::kBuy), Leg(kA, 1, Side::kSell)});
  CanonicalCombo c = Canonicalize(mirror);
  EXPECT_EQ(c.spec.ToString(), "+1 #1 / -1 #2");
  EXPECT_EQ(c.orientation, ComboOrientation::kMirrored);
  EXPECT_EQ(c.ToCanonical(Side::kBuy), Side::kSell);
  EXPECT_EQ(c.ToCanonical(*Price::Parse("1.20")), *Price::Parse("-1.20"));
  EXPECT_EQ(c.ToClient(*Price::Parse("-1.20")), *Price::Parse("1.20"));
  EXPECT_EQ(c.ToClient(Side::kSell), Side::kBuy);
}

TEST(ComboCanonicalForm, TheSameComboEnteredTwiceHasOneCanonicalForm) {
  auto one = *ComboSpec::Create({Leg(kA, 1, Side::kBuy), Leg(kB, 1, Side::kSell)});
  auto two = *ComboSpec::Create({Leg(kB, 3, Side::kBuy), Leg(kA, 3, Side::kSell)});
  EXPECT_EQ(Canonicalize(one).spec, Canonicalize(two).spec);
  EXPECT_EQ(Canonicalize(two).unit_factor, 3);
  EXPECT_TRUE(Canonicalize(two).mirrored());
}

TEST(ComboCanonicalForm, MirrorFlipsEverySide) {
  auto spec = *ComboSpec::Create({Leg(kA, 1, Side::kBuy), Leg(kB, 2, Side::kSell)});
  EXPECT_EQ(spec.Mirror().ToString(), "-1 #1 / +2 #2");
  EXPECT_FALSE(spec.Mirror().IsCanonical());
}

InstrumentCatalog Catalog() {
  InstrumentCatalog catalog;
  auto option = [](uint32_t id, std::string symbol, int strike) {
    InstrumentDefinition d;
    d.id = InstrumentId(id);
    d.symbol = std::move(symbol);
    d.asset_class = AssetClass::kOption;
    d.underlying = "SPY";
    d.multiplier = 100;
    d.option =
        OptionTerms{OptionRight::kCall, *Price::FromUnits(strike), absl::CivilDay(2026, 12, 18)};
    return *Instrument::Create(std::move(d));
  };
  EXPECT_TRUE(catalog.Add(option(11, "SPY 20261218 C 450", 450)).ok());
  EXPECT_TRUE(catalog.Add(option(12, "SPY 20261218 C 460", 460)).ok());
  return catalog;
}

TEST(ComboText, ParsesSymbolsAndSignedRatios) {
  const InstrumentCatalog catalog = Catalog();
  auto spec = ParseComboText("SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1", catalog);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->ToString(), "+1 #11 / -1 #12");
  EXPECT_EQ(DescribeCombo(*spec, catalog), "SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1");
}

TEST(ComboText, RejectsUnknownSymbolUnsignedRatioAndMissingRatio) {
  const InstrumentCatalog catalog = Catalog();
  EXPECT_EQ(ParseComboText("SPY 20261218 C 450 +1 / QQQ +1", catalog).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(ParseComboText("SPY 20261218 C 450 1 / SPY 20261218 C 460 -1", catalog).ok());
  EXPECT_FALSE(ParseComboText("SPY 20261218 C 450 +1 / SPY 20261218 C 460", catalog).ok());
  EXPECT_FALSE(ParseComboText("SPY 20261218 C 450 +1 / ", catalog).ok());
  EXPECT_FALSE(ParseComboText("SPY 20261218 C 450 +x / SPY 20261218 C 460 -1", catalog).ok());
  EXPECT_FALSE(ParseComboText("SPY 20261218 C 450 +0 / SPY 20261218 C 460 -1", catalog).ok());
  EXPECT_FALSE(ParseComboText("SPY 20261218 C 450 -+1 / SPY 20261218 C 460 -1", catalog).ok());
}

}  // namespace
}  // namespace combo::core
