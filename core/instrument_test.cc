#include "core/instrument.h"

#include "core/instrument_catalog.h"
#include "gtest/gtest.h"

namespace combo::core {
namespace {

InstrumentDefinition Stock(uint32_t id, std::string symbol) {
  InstrumentDefinition d;
  d.id = InstrumentId(id);
  d.symbol = std::move(symbol);
  d.asset_class = AssetClass::kStock;
  d.tick_rule = TickRule::Uniform(*Price::Parse("0.01"));
  return d;
}

InstrumentDefinition Call(uint32_t id, std::string symbol) {
  InstrumentDefinition d = Stock(id, std::move(symbol));
  d.asset_class = AssetClass::kOption;
  d.underlying = "SPY";
  d.multiplier = 100;
  d.option = OptionTerms{OptionRight::kCall, *Price::Parse("450"), absl::CivilDay(2026, 12, 18)};
  return d;
}

TEST(Instrument, StockIsItsOwnUnderlying) {
  auto spy = Instrument::Create(Stock(1, "SPY"));
  ASSERT_TRUE(spy.ok());
  EXPECT_EQ(spy->underlying(), "SPY");
  EXPECT_EQ(spy->multiplier(), 1);
  EXPECT_FALSE(spy->option().has_value());
}

TEST(Instrument, OptionCarriesRightStrikeAndExpiry) {
  auto call = Instrument::Create(Call(2, "SPY 20261218 C 450"));
  ASSERT_TRUE(call.ok());
  EXPECT_TRUE(call->is_option());
  EXPECT_EQ(call->option()->right, OptionRight::kCall);
  EXPECT_EQ(call->option()->strike, *Price::Parse("450"));
  EXPECT_EQ(call->option()->expiry, absl::CivilDay(2026, 12, 18));
}

TEST(Instrument, RejectsNonPositiveMultiplierOrTick) {
  InstrumentDefinition d = Stock(1, "SPY");
  d.multiplier = 0;
  EXPECT_FALSE(Instrument::Create(d).ok());
  d = Stock(1, "SPY");
  d.tick_rule = TickRule::Uniform(Price::Zero());
  EXPECT_FALSE(Instrument::Create(d).ok());
  d = Stock(1, "");
  EXPECT_FALSE(Instrument::Create(d).ok());
}

TEST(Instrument, OptionTermsExactlyForOptions) {
  InstrumentDefinition option = Call(2, "X");
  option.option.reset();
  EXPECT_FALSE(Instrument::Create(option).ok());
  InstrumentDefinition stock = Stock(1, "SPY");
  stock.option = OptionTerms{};
  EXPECT_FALSE(Instrument::Create(stock).ok());
  InstrumentDefinition no_underlying = Call(2, "X");
  no_underlying.underlying.clear();
  EXPECT_FALSE(Instrument::Create(no_underlying).ok());
  InstrumentDefinition zero_strike = Call(2, "X");
  zero_strike.option->strike = Price::Zero();
  EXPECT_FALSE(Instrument::Create(zero_strike).ok());
}

TEST(Instrument, ParsesAssetClassNames) {
  EXPECT_EQ(*ParseAssetClass("etf"), AssetClass::kEtf);
  EXPECT_FALSE(ParseAssetClass("bond").ok());
}

TEST(InstrumentCatalog, RejectsDuplicateIdOrSymbolChangingNothing) {
  InstrumentCatalog catalog;
  ASSERT_TRUE(catalog.Add(*Instrument::Create(Stock(1, "SPY"))).ok());
  EXPECT_EQ(catalog.Add(*Instrument::Create(Stock(1, "QQQ"))).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(catalog.Add(*Instrument::Create(Stock(2, "SPY"))).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(catalog.size(), 1u);
  EXPECT_EQ(catalog.FindBySymbol("QQQ"), nullptr);
  EXPECT_EQ(catalog.Find(InstrumentId(2)), nullptr);
  EXPECT_EQ(catalog.FindBySymbol("SPY")->id(), InstrumentId(1));
}

TEST(InstrumentCatalog, ExpiredInstrumentsAreKnownButNeverTradable) {
  InstrumentCatalog catalog;
  ASSERT_TRUE(catalog.Add(*Instrument::Create(Stock(1, "SPY"))).ok());
  ASSERT_TRUE(catalog.AddExpired(*Instrument::Create(Call(2, "SPY 20261218 C 450"))).ok());
  EXPECT_EQ(catalog.Find(InstrumentId(2)), nullptr);
  EXPECT_EQ(catalog.FindBySymbol("SPY 20261218 C 450"), nullptr);
  EXPECT_TRUE(catalog
                  .FindOptions("SPY", OptionRight::kCall, *Price::Parse("450"),
                               absl::CivilDay(2026, 12, 18), absl::CivilDay(2026, 12, 18))
                  .empty());
  EXPECT_EQ(catalog.size(), 1u);
  ASSERT_NE(catalog.FindExpired(InstrumentId(2)), nullptr);
  EXPECT_EQ(catalog.FindExpiredBySymbol("SPY 20261218 C 450")->id(), InstrumentId(2));
  EXPECT_EQ(catalog
                .FindExpiredOptions("SPY", OptionRight::kCall, *Price::Parse("450"),
                                    absl::CivilDay(2026, 12, 1), absl::CivilDay(2026, 12, 31))
                .size(),
            1u);
  EXPECT_EQ(catalog.FindExpired(InstrumentId(2))->last_trading_day(), absl::CivilDay(2026, 12, 18));
  // Ids and symbols are one namespace across both tables.
  EXPECT_EQ(catalog.Add(*Instrument::Create(Stock(2, "QQQ"))).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(catalog.AddExpired(*Instrument::Create(Stock(3, "SPY"))).code(),
            absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace combo::core
