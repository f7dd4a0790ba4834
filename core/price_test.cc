#include "core/price.h"

#include <cstdint>
#include <limits>

#include "gtest/gtest.h"

namespace combo::core {
namespace {

Price P(std::string_view text) { return *Price::Parse(text); }

TEST(PriceParse, ParsesDecimalStringsExactly) {
  EXPECT_EQ(P("84.45").raw(), 84'450'000'000);
  EXPECT_EQ(P("-0.05").raw(), -50'000'000);
  EXPECT_EQ(P("99.828125").raw(), 99'828'125'000);
  EXPECT_EQ(P("0").raw(), 0);
  EXPECT_EQ(P("+3").raw(), 3'000'000'000);
  EXPECT_EQ(P(".5").raw(), 500'000'000);
  EXPECT_EQ(P("7.").raw(), 7'000'000'000);
  EXPECT_EQ(P("0.000000001").raw(), 1);
}

TEST(PriceParse, AcceptsTrailingZerosBeyondNineDecimals) {
  EXPECT_EQ(P("1.1000000000000").raw(), 1'100'000'000);
}

TEST(PriceParse, RejectsMoreThanNineSignificantDecimals) {
  auto parsed = Price::Parse("1.0000000001");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("more than 9 decimal places"), std::string::npos);
}

TEST(PriceParse, RejectsMalformedTextWithReason) {
  for (std::string_view bad : {"", "-", "+", ".", "abc", "1.2.3", "1e5", " 1", "1 ", "1,000", "--1",
                               "0x10", "NaN", "inf"}) {
    auto parsed = Price::Parse(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(parsed.status().message().find("price"), std::string::npos) << bad;
  }
}

TEST(PriceParse, RejectsValuesBeyondRange) {
  EXPECT_FALSE(Price::Parse("9223372037").ok());  // just above int64 max / 1e9
  EXPECT_FALSE(Price::Parse("99999999999999999999999").ok());
  EXPECT_TRUE(Price::Parse("9223372036.854775807").ok());
  EXPECT_TRUE(Price::Parse("-9223372036.854775808").ok());
  EXPECT_FALSE(Price::Parse("9223372036.854775808").ok());
}

TEST(PriceFormat, FormatsShortestExactDecimal) {
  EXPECT_EQ(P("84.45").ToString(), "84.45");
  EXPECT_EQ(P("-0.05").ToString(), "-0.05");
  EXPECT_EQ(P("99.828125").ToString(), "99.828125");
  EXPECT_EQ(P("3.000").ToString(), "3");
  EXPECT_EQ(Price::Zero().ToString(), "0");
  EXPECT_EQ(Price::FromRaw(1).ToString(), "0.000000001");
  EXPECT_EQ(Price::Min().ToString(), "-9223372036.854775808");
  EXPECT_EQ(Price::Max().ToString(), "9223372036.854775807");
}

TEST(PriceFormat, RoundTripsEveryParsedValue) {
  for (std::string_view text : {"84.45", "-0.05", "99.828125", "0.01", "-1234.567891234"}) {
    EXPECT_EQ(P(text).ToString(), text);
  }
}

TEST(PriceFormat, FixedDecimalsRoundByMode) {
  EXPECT_EQ(P("84.45").ToString(4), "84.4500");
  EXPECT_EQ(P("0.125").ToString(2, RoundingMode::kHalfEven), "0.12");
  EXPECT_EQ(P("0.125").ToString(2, RoundingMode::kHalfUp), "0.13");
  EXPECT_EQ(P("-0.125").ToString(2, RoundingMode::kHalfUp), "-0.13");
  EXPECT_EQ(P("-0.001").ToString(2, RoundingMode::kDown), "-0.01");
  EXPECT_EQ(P("12.5").ToString(0, RoundingMode::kHalfEven), "12");
}

TEST(PriceNegative, NegativeAndZeroPricesAreLegalCreditSpreads) {
  const Price credit = P("-1.25");
  EXPECT_TRUE(credit.is_negative());
  EXPECT_EQ(credit + P("1.25"), Price::Zero());
  EXPECT_LT(credit, Price::Zero());
  EXPECT_EQ(-credit, P("1.25"));
}

TEST(PriceArithmetic, SumsAndWeightsAreExact) {
  // 0.1 + 0.2 is exactly 0.3 in fixed point.
  EXPECT_EQ(P("0.1") + P("0.2"), P("0.3"));
  EXPECT_EQ(P("2.35") * 3, P("7.05"));
  EXPECT_EQ(P("10") - P("12.5"), P("-2.5"));
}

TEST(PriceCheckedArithmetic, ReportsOverflowInsteadOfWrapping) {
  EXPECT_EQ(CheckedAdd(Price::Max(), Price::FromRaw(1)).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(CheckedSubtract(Price::Min(), Price::FromRaw(1)).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(CheckedMultiply(P("5000000000"), 2).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(CheckedNegate(Price::Min()).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(*CheckedAdd(P("1.5"), P("-2")), P("-0.5"));
  EXPECT_EQ(*CheckedMultiply(P("-0.05"), 2500), P("-125"));
  EXPECT_EQ(*CheckedNegate(Price::Max()), Price::FromRaw(-std::numeric_limits<int64_t>::max()));
}

TEST(PriceCheckedArithmetic, DivisionRoundsByModeAndRejectsZero) {
  EXPECT_EQ(*CheckedDivide(P("1"), 3, RoundingMode::kDown), Price::FromRaw(333'333'333));
  EXPECT_EQ(*CheckedDivide(P("1"), 3, RoundingMode::kUp), Price::FromRaw(333'333'334));
  EXPECT_EQ(*CheckedDivide(P("-1"), 3, RoundingMode::kDown), Price::FromRaw(-333'333'334));
  EXPECT_EQ(CheckedDivide(P("1"), 0, RoundingMode::kDown).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckedDivide(Price::Min(), -1, RoundingMode::kDown).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(PriceFromUnits, ReportsOverflow) {
  EXPECT_EQ(*Price::FromUnits(84), P("84"));
  EXPECT_EQ(*Price::FromUnits(-3), P("-3"));
  EXPECT_FALSE(Price::FromUnits(10'000'000'000).ok());
}

TEST(PriceTick, OnTickMeansWholeMultipleOfTick) {
  const Price nickel = P("0.05");
  EXPECT_TRUE(P("84.45").IsOnTick(nickel));
  EXPECT_TRUE(P("-0.05").IsOnTick(nickel));
  EXPECT_TRUE(Price::Zero().IsOnTick(nickel));
  EXPECT_FALSE(P("84.46").IsOnTick(nickel));
  EXPECT_FALSE(P("84.45").IsOnTick(Price::Zero()));
  // 1/32 and 1/64 ticks of Treasury prices are exact at 1e-9.
  EXPECT_TRUE(P("99.828125").IsOnTick(P("0.015625")));
}

TEST(PriceTick, RoundsToTickWithExplicitMode) {
  const Price nickel = P("0.05");
  EXPECT_EQ(*P("84.47").RoundToTick(nickel, RoundingMode::kDown), P("84.45"));
  EXPECT_EQ(*P("84.47").RoundToTick(nickel, RoundingMode::kUp), P("84.5"));
  EXPECT_EQ(*P("84.47").RoundToTick(nickel, RoundingMode::kHalfUp), P("84.45"));
  EXPECT_EQ(*P("84.475").RoundToTick(nickel, RoundingMode::kHalfUp), P("84.5"));
  EXPECT_EQ(*P("84.475").RoundToTick(nickel, RoundingMode::kHalfEven), P("84.5"));
  EXPECT_EQ(*P("84.425").RoundToTick(nickel, RoundingMode::kHalfEven), P("84.4"));
  EXPECT_EQ(*P("-0.07").RoundToTick(nickel, RoundingMode::kDown), P("-0.1"));
  EXPECT_EQ(*P("-0.07").RoundToTick(nickel, RoundingMode::kUp), P("-0.05"));
  EXPECT_EQ(*P("-0.07").RoundToTick(nickel, RoundingMode::kTowardZero), P("-0.05"));
  EXPECT_EQ(*P("-0.07").RoundToTick(nickel, RoundingMode::kAwayFromZero), P("-0.1"));
  EXPECT_EQ(*P("84.45").RoundToTick(nickel, RoundingMode::kUp), P("84.45"));
}

TEST(PriceTick, RoundingRejectsNonPositiveTickAndOverflow) {
  EXPECT_EQ(P("1").RoundToTick(Price::Zero(), RoundingMode::kDown).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(P("1").RoundToTick(P("-0.01"), RoundingMode::kDown).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Price::Max().RoundToTick(P("1"), RoundingMode::kUp).status().code(),
            absl::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace combo::core
