#include "fix/leg_fields.h"

#include "fix/testing/gateway_harness.h"
#include "gtest/gtest.h"

namespace combo::fix {
namespace {

TEST(LegFieldsTest, OptionSymbolBecomesRootCfiDateAndStrike) {
  absl::StatusOr<LegInstrumentFields> fields = SymbolToLegFields("SPY 20261218 C 450");
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_EQ(fields->symbol, "SPY");
  EXPECT_EQ(fields->security_type, "OPT");
  EXPECT_EQ(fields->cfi_code, "OCXXXS");
  EXPECT_EQ(fields->maturity_date, "20261218");
  EXPECT_EQ(fields->strike, "450");
  EXPECT_EQ(*LegFieldsToSymbol(*fields), "SPY 20261218 C 450");
}

TEST(LegFieldsTest, PutStrikeKeepsItsDecimals) {
  absl::StatusOr<LegInstrumentFields> fields = SymbolToLegFields("SPY 20261218 P 452.50");
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->cfi_code, "OPXXXS");
  EXPECT_EQ(fields->strike, "452.5");
  EXPECT_EQ(*LegFieldsToSymbol(*fields), "SPY 20261218 P 452.5");
}

TEST(LegFieldsTest, StockAndFutureSymbols) {
  EXPECT_EQ(SymbolToLegFields("SPY")->security_type, "CS");
  absl::StatusOr<LegInstrumentFields> future = SymbolToLegFields("ES 202612");
  ASSERT_TRUE(future.ok());
  EXPECT_EQ(future->security_type, "FUT");
  EXPECT_EQ(future->maturity_month_year, "202612");
  EXPECT_EQ(*LegFieldsToSymbol(*future), "ES 202612");
}

TEST(LegFieldsTest, MalformedSymbolsNameThePart) {
  EXPECT_NE(SymbolToLegFields("SPY 20261318 C 450").status().message().find("expiry"),
            std::string::npos);
  EXPECT_NE(SymbolToLegFields("SPY 20261218 X 450").status().message().find("right"),
            std::string::npos);
  EXPECT_NE(SymbolToLegFields("SPY 20261218 C -5").status().message().find("strike"),
            std::string::npos);
  EXPECT_NE(SymbolToLegFields("ES 2026").status().message().find("future"), std::string::npos);
  EXPECT_FALSE(SymbolToLegFields("A B C").ok());
}

TEST(LegFieldsTest, FullSymbolInLegSymbolIsAccepted) {
  LegInstrumentFields fields;
  fields.symbol = "SPY 20261218 C 450";
  EXPECT_EQ(*LegFieldsToSymbol(fields), "SPY 20261218 C 450");
}

TEST(LegFieldsTest, OptionFieldsMustBeComplete) {
  LegInstrumentFields fields = *SymbolToLegFields("SPY 20261218 C 450");
  fields.cfi_code = "";
  EXPECT_NE(LegFieldsToSymbol(fields).status().message().find("LegCFICode(608)"),
            std::string::npos);
  fields = *SymbolToLegFields("SPY 20261218 C 450");
  fields.maturity_date = "";
  fields.maturity_month_year = "202612";
  EXPECT_NE(LegFieldsToSymbol(fields).status().message().find("LegMaturityDate(611)"),
            std::string::npos);
  fields = *SymbolToLegFields("SPY 20261218 C 450");
  fields.security_type = "CORP";
  EXPECT_NE(LegFieldsToSymbol(fields).status().message().find("not supported"), std::string::npos);
  fields = *SymbolToLegFields("SPY");
  fields.strike = "450";
  EXPECT_NE(LegFieldsToSymbol(fields).status().message().find("CS takes no"), std::string::npos);
}

TEST(LegFieldsTest, OptionExpiryMayComeAsFullMaturityMonthYear) {
  LegInstrumentFields fields = *SymbolToLegFields("SPY 20261218 C 450");
  fields.maturity_date = "";
  fields.maturity_month_year = "20261218";
  EXPECT_EQ(*LegFieldsToSymbol(fields), "SPY 20261218 C 450");
}

TEST(LegFieldsTest, InstrumentToLegFieldsRoundTripsThroughTheCatalogSymbol) {
  const core::InstrumentCatalog catalog = testing::TestCatalog();
  for (const auto& [id, instrument] : catalog.all()) {
    const LegInstrumentFields fields = InstrumentToLegFields(instrument);
    EXPECT_EQ(fields.security_id, std::to_string(id.value()));
    LegInstrumentFields without_id = fields;
    without_id.security_id.clear();
    EXPECT_EQ(*LegFieldsToSymbol(without_id), instrument.symbol());
  }
}

TEST(LegTextTest, ParsesTheClientNotation) {
  absl::StatusOr<std::vector<LegSpec>> legs =
      ParseLegText("SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1");
  ASSERT_TRUE(legs.ok()) << legs.status();
  ASSERT_EQ(legs->size(), 2u);
  EXPECT_EQ((*legs)[0].instrument.strike, "450");
  EXPECT_EQ((*legs)[0].ratio, 1);
  EXPECT_EQ((*legs)[0].side, core::Side::kBuy);
  EXPECT_EQ((*legs)[1].instrument.strike, "460");
  EXPECT_EQ((*legs)[1].side, core::Side::kSell);
}

TEST(LegTextTest, StockAndOptionWithRatios) {
  absl::StatusOr<std::vector<LegSpec>> legs = ParseLegText("SPY +100 / SPY 20261218 C 450 -1");
  ASSERT_TRUE(legs.ok());
  EXPECT_EQ((*legs)[0].instrument.security_type, "CS");
  EXPECT_EQ((*legs)[0].ratio, 100);
}

TEST(LegTextTest, RejectsMalformedLegsNamingTheLeg) {
  EXPECT_NE(ParseLegText("SPY 20261218 C 450 1 / SPY -1").status().message().find("leg 1"),
            std::string::npos);
  EXPECT_NE(ParseLegText("SPY +1 / SPY 20261218 C 450 +0").status().message().find("leg 2"),
            std::string::npos);
  EXPECT_NE(ParseLegText("SPY +1").status().message().find("at least 2 legs"), std::string::npos);
  EXPECT_FALSE(ParseLegText("SPY +1 / ").ok());
  EXPECT_FALSE(ParseLegText("SPY +1x / ES 202612 -1").ok());
  EXPECT_FALSE(ParseLegText("FOO BAR +1 / SPY -1").ok());
}

}  // namespace
}  // namespace combo::fix
