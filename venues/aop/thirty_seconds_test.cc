// 32nds notation (spec E7).
#include "venues/aop/thirty_seconds.h"

#include "gtest/gtest.h"

namespace combo::venues::aop {
namespace {

core::Price P(std::string_view text) { return core::Price::Parse(text).value(); }

TEST(ThirtySecondsTest, ParsesTheSeedQuotesExactly) {
  EXPECT_EQ(ParseThirtySeconds("99-26").value(), P("99.8125"));
  EXPECT_EQ(ParseThirtySeconds("99-26+").value(), P("99.828125"));
  EXPECT_EQ(ParseThirtySeconds("99-266").value(), P("99.8359375"));
  EXPECT_EQ(ParseThirtySeconds("99-267").value(), P("99.83984375"));
  EXPECT_EQ(ParseThirtySeconds("99-27").value(), P("99.84375"));
  EXPECT_EQ(ParseThirtySeconds("99-27+").value(), P("99.859375"));
  EXPECT_EQ(ParseThirtySeconds("99-28").value(), P("99.875"));
  EXPECT_EQ(ParseThirtySeconds("-0-16").value(), P("-0.5"));
}

TEST(ThirtySecondsTest, QuotesOrderAsTheSeedSays) {
  EXPECT_LT(ParseThirtySeconds("99-26+").value(), ParseThirtySeconds("99-266").value());
  EXPECT_LT(ParseThirtySeconds("99-266").value(), ParseThirtySeconds("99-27").value());
}

TEST(ThirtySecondsTest, FormatsBackToTheSameText) {
  for (std::string_view text :
       {"99-26", "99-26+", "99-266", "99-261", "99-267", "99-00", "100-31+", "-0-16"}) {
    EXPECT_EQ(FormatThirtySeconds(ParseThirtySeconds(text).value()).value(), text);
  }
}

TEST(ThirtySecondsTest, RejectsMalformedTextWithTheReason) {
  for (std::string_view text : {"99-264", "99-268", "99-269", "99-32", "99", "99-2", "99-2a", "-99",
                                "a-10", "99-26++", "", "99-"}) {
    absl::StatusOr<core::Price> parsed = ParseThirtySeconds(text);
    EXPECT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.status().message().find("32nds price"), std::string_view::npos) << text;
  }
  EXPECT_NE(ParseThirtySeconds("99-264").status().message().find("'+'"), std::string_view::npos);
}

TEST(ThirtySecondsTest, FormatRejectsAPriceFinerThanA256th) {
  EXPECT_FALSE(FormatThirtySeconds(P("99.001")).ok());
}

}  // namespace
}  // namespace combo::venues::aop
