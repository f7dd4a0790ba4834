#include "fix/leg_fields.h"

#include "fix/testing/gateway_harness.h"
#include "gmock/gmock.h"
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

// A catalog as exchanges name things: the December E-mini is "ESZ6", an option "SPYZ6C450", two
// expiries in December 2026 for the 460 call, and a weekly 450 call alone in January 2027.
core::InstrumentCatalog ExchangeStyleCatalog() {
  core::InstrumentCatalog catalog;
  auto add = [&](core::InstrumentDefinition d) {
    ASSERT_TRUE(catalog.Add(*core::Instrument::Create(d)).ok()) << d.symbol;
  };
  add({core::InstrumentId(1), "SPY", core::AssetClass::kEtf, "SPY", 1,
       core::Price::FromParts(0, 10'000'000), std::nullopt, std::nullopt});
  add({core::InstrumentId(2), "ESZ6", core::AssetClass::kFuture, "ES", 50,
       core::Price::FromParts(0, 250'000'000), std::nullopt, absl::CivilDay(2026, 12, 18)});
  auto option = [&](uint32_t id, std::string symbol, core::OptionRight right, int64_t strike,
                    absl::CivilDay expiry) {
    add({core::InstrumentId(id), std::move(symbol), core::AssetClass::kOption, "SPY", 100,
         core::Price::FromParts(0, 10'000'000),
         core::OptionTerms{right, core::Price::FromParts(strike, 0), expiry}, std::nullopt});
  };
  option(10, "SPYZ6C450", core::OptionRight::kCall, 450, absl::CivilDay(2026, 12, 18));
  option(11, "SPYZ6P440", core::OptionRight::kPut, 440, absl::CivilDay(2026, 12, 18));
  option(12, "SPYZ6C460", core::OptionRight::kCall, 460, absl::CivilDay(2026, 12, 18));
  option(13, "SPYZ6C460W", core::OptionRight::kCall, 460, absl::CivilDay(2026, 12, 24));
  option(14, "SPYF7C450W", core::OptionRight::kCall, 450, absl::CivilDay(2027, 1, 8));
  return catalog;
}

uint32_t Resolved(const core::InstrumentCatalog& catalog, const LegInstrumentFields& fields) {
  absl::StatusOr<const core::Instrument*> found = ResolveLegInstrument(fields, catalog);
  EXPECT_TRUE(found.ok()) << found.status();
  return found.ok() ? (*found)->id().value() : 0;
}

// An SPY option leg by its terms, the expiry left to the test.
LegInstrumentFields SpyOption(std::string cfi_code, std::string strike) {
  LegInstrumentFields fields;
  fields.symbol = "SPY";
  fields.security_type = "OPT";
  fields.cfi_code = std::move(cfi_code);
  fields.strike = std::move(strike);
  return fields;
}

TEST(LegResolutionTest, AFutureIsFoundByRootAndDeliveryMonthOrByItsSymbol) {
  const core::InstrumentCatalog catalog = ExchangeStyleCatalog();
  LegInstrumentFields standard;
  standard.symbol = "ES";
  standard.security_type = "FUT";
  standard.maturity_month_year = "202612";
  EXPECT_EQ(Resolved(catalog, standard), 2u);
  LegInstrumentFields by_symbol;
  by_symbol.symbol = "ESZ6";
  EXPECT_EQ(Resolved(catalog, by_symbol), 2u);
  by_symbol.security_type = "FUT";
  EXPECT_EQ(Resolved(catalog, by_symbol), 2u);
  LegInstrumentFields convention;  // the project's "ROOT YYYYMM" in LegSymbol
  convention.symbol = "ES 202612";
  EXPECT_EQ(Resolved(catalog, convention), 2u);
  standard.maturity_month_year = "202703";
  const absl::Status missing = ResolveLegInstrument(standard, catalog).status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.message()),
              ::testing::HasSubstr("no future on ES delivering in 202703"));
}

TEST(LegResolutionTest, AnOptionIsFoundByItsTermsWhateverItsCatalogSymbol) {
  const core::InstrumentCatalog catalog = ExchangeStyleCatalog();
  LegInstrumentFields fields = SpyOption("OPXXXS", "440");
  fields.maturity_date = "20261218";
  EXPECT_EQ(Resolved(catalog, fields), 11u);
  // The month alone, when one expiry of it has the strike and right.
  fields.maturity_date.clear();
  fields.maturity_month_year = "202612";
  EXPECT_EQ(Resolved(catalog, fields), 11u);
  // A CFI code says it is an option without LegSecurityType.
  fields.security_type.clear();
  EXPECT_EQ(Resolved(catalog, fields), 11u);
  // The project's full symbol in LegSymbol, though the catalog calls it SPYZ6C450.
  LegInstrumentFields full;
  full.symbol = "SPY 20261218 C 450";
  EXPECT_EQ(Resolved(catalog, full), 10u);
}

TEST(LegResolutionTest, AMonthWithSeveralExpiriesIsAmbiguousAndNamesThem) {
  const core::InstrumentCatalog catalog = ExchangeStyleCatalog();
  LegInstrumentFields fields = SpyOption("OCXXXS", "460");
  fields.maturity_month_year = "202612";
  const absl::Status ambiguous = ResolveLegInstrument(fields, catalog).status();
  EXPECT_EQ(ambiguous.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(ambiguous.message()),
              ::testing::HasSubstr("names SPYZ6C460 (20261218), SPYZ6C460W (20261224): give "
                                   "LegMaturityDate(611)"));
  fields.maturity_date = "20261224";
  EXPECT_EQ(Resolved(catalog, fields), 13u);
}

TEST(LegResolutionTest, OccOptionSymbolsResolvePaddedOrNot) {
  const core::InstrumentCatalog catalog = ExchangeStyleCatalog();
  for (const char* occ : {"SPY   261218C00450000", "SPY261218C00450000"}) {
    LegInstrumentFields fields;
    fields.symbol = occ;
    EXPECT_EQ(Resolved(catalog, fields), 10u) << occ;
  }
  const std::optional<LegInstrumentFields> weekly = ParseOccSymbol("SPY   270108C00450000");
  ASSERT_TRUE(weekly.has_value());
  EXPECT_EQ(weekly->maturity_date, "20270108");
  EXPECT_EQ(weekly->strike, "450");
  EXPECT_EQ(ParseOccSymbol("SPY   271318C00450000"), std::nullopt);  // month 13
  EXPECT_EQ(ParseOccSymbol("SPY"), std::nullopt);
  const std::optional<LegInstrumentFields> fraction = ParseOccSymbol("XYZ   261218P00012500");
  ASSERT_TRUE(fraction.has_value());
  EXPECT_EQ(fraction->strike, "12.5");
}

// Whatever the gateway writes in its reports, it accepts back.
TEST(LegResolutionTest, EveryInstrumentsReportedFieldsResolveToItself) {
  for (const core::InstrumentCatalog& catalog : {ExchangeStyleCatalog(), testing::TestCatalog()}) {
    for (const auto& [id, instrument] : catalog.all()) {
      LegInstrumentFields fields = InstrumentToLegFields(instrument);
      fields.security_id.clear();
      EXPECT_EQ(Resolved(catalog, fields), id.value()) << instrument.symbol();
      LegInstrumentFields by_symbol;
      by_symbol.symbol = instrument.symbol();
      EXPECT_EQ(Resolved(catalog, by_symbol), id.value()) << instrument.symbol();
    }
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

TEST(LegResolutionTest, AnExpiredInstrumentIsRefusedSayingWhenItExpired) {
  core::InstrumentCatalog catalog = ExchangeStyleCatalog();
  ASSERT_TRUE(catalog
                  .AddExpired(*core::Instrument::Create(
                      {core::InstrumentId(20), "SPY 20261120 P 430", core::AssetClass::kOption,
                       "SPY", 100, core::Price::FromParts(0, 10'000'000),
                       core::OptionTerms{core::OptionRight::kPut, core::Price::FromParts(430, 0),
                                         absl::CivilDay(2026, 11, 20)},
                       std::nullopt}))
                  .ok());
  ASSERT_TRUE(
      catalog
          .AddExpired(*core::Instrument::Create(
              {core::InstrumentId(21), "ESU6", core::AssetClass::kFuture, "ES", 50,
               core::Price::FromParts(0, 250'000'000), std::nullopt, absl::CivilDay(2026, 9, 18)}))
          .ok());
  const std::string reason =
      "instrument \"SPY 20261120 P 430\" expired on 2026-11-20: it is no longer listed";
  // By the standard leg fields, by its symbol, by an OCC symbol: each says when it expired.
  LegInstrumentFields terms = SpyOption("OPXXXS", "430");
  terms.maturity_date = "20261120";
  EXPECT_EQ(ResolveLegInstrument(terms, catalog).status().message(), reason);
  terms.maturity_date.clear();
  terms.maturity_month_year = "202611";
  EXPECT_EQ(ResolveLegInstrument(terms, catalog).status().message(), reason);
  LegInstrumentFields symbol;
  symbol.symbol = "SPY 20261120 P 430";
  EXPECT_EQ(ResolveLegInstrument(symbol, catalog).status().message(), reason);
  LegInstrumentFields occ;
  occ.symbol = "SPY   261120P00430000";
  EXPECT_EQ(ResolveLegInstrument(occ, catalog).status().message(), reason);
  LegInstrumentFields future;
  future.symbol = "ES";
  future.security_type = "FUT";
  future.maturity_month_year = "202609";
  EXPECT_EQ(ResolveLegInstrument(future, catalog).status().message(),
            "instrument \"ESU6\" expired on 2026-09-18: it is no longer listed");
  // A contract never listed is still unknown.
  terms.maturity_month_year.clear();
  terms.maturity_date = "20261127";
  EXPECT_THAT(std::string(ResolveLegInstrument(terms, catalog).status().message()),
              ::testing::HasSubstr("unknown instrument"));
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

// A shard names the owner of a leg it does not list: the leg's product is read from its fields
// alone, however the broker named the instrument.
TEST(LegFieldsTest, TheProductOfALegIsReadWithoutTheCatalog) {
  struct Case {
    LegInstrumentFields fields;
    std::string product;
  };
  const Case cases[] = {
      {{.symbol = "QQQ"}, "QQQ"},
      {{.symbol = "QQQ 20261218 C 400"}, "QQQ"},
      {{.symbol = "QQQ",
        .security_type = "OPT",
        .cfi_code = "OCXXXS",
        .maturity_date = "20261218",
        .strike = "400"},
       "QQQ"},
      {{.symbol = "NQ", .security_type = "FUT", .maturity_month_year = "202612"}, "NQ"},
      {{.symbol = "NQZ6"}, "NQZ6"},
      {{.symbol = "QQQ   261218C00400000"}, "QQQ"},
      {{.symbol = "[N/A]", .security_id = "QQQ 20261218 P 380"}, "QQQ"},
      {{.security_id = "QQQ261218C00400000"}, "QQQ"},
      {{.security_id = "110"}, ""},
      {{}, ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(LegProductName(c.fields), c.product)
        << c.fields.symbol << "|" << c.fields.security_id;
  }
}

}  // namespace
}  // namespace combo::fix
