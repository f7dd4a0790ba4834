#include "config/instrument_master.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace combo::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kHeader[] =
    "id,symbol,asset_class,underlying,expiry,strike,right,multiplier,tick,venues\n";

struct Parsed {
  std::vector<MasterRow> rows;
  std::vector<std::string> errors;
};

Parsed Parse(const std::string& text, std::optional<absl::CivilDay> today = std::nullopt) {
  Parsed parsed;
  parsed.rows = ParseInstrumentMaster(text, "m.csv", today, &parsed.errors);
  return parsed;
}

// One data row under the full header.
std::vector<std::string> RowErrors(const std::string& row) {
  return Parse(std::string(kHeader) + row + "\n").errors;
}

TEST(InstrumentMaster, ReadsEveryAssetClassWithDefaults) {
  const Parsed parsed =
      Parse(std::string("# a vendor file\n\n") + kHeader +
            "1,SPY,etf,,,,,,,STK;OPT-C\r\n"
            "2,AAPL,stock,,,,,,0.01,\n"
            "3,ESZ6,future,ES,2026-12-18,,,50,0.25,FUT\n"
            "4,,option,SPY,2026-12-18,430,P,,,OPT-A\n"
            "5,\"SPY 20261218 C 432.5\",option,SPY,2026-12-18,432.5,c,100,0.05,\n");
  ASSERT_THAT(parsed.errors, IsEmpty());
  ASSERT_THAT(parsed.rows, SizeIs(5));
  EXPECT_EQ(parsed.rows[0].line, 4);
  EXPECT_EQ(parsed.rows[0].instrument.asset_class(), core::AssetClass::kEtf);
  ASSERT_THAT(parsed.rows[0].venues, SizeIs(2));
  EXPECT_EQ(parsed.rows[0].venues[1].name, "OPT-C");
  EXPECT_EQ(parsed.rows[0].venues[1].column, 21);
  const core::Instrument& future = parsed.rows[2].instrument;
  EXPECT_EQ(future.multiplier(), 50);
  EXPECT_EQ(future.tick_rule(), core::TickRule(*core::Price::Parse("0.25")));
  EXPECT_EQ(future.expiry(), absl::CivilDay(2026, 12, 18));
  // An option's symbol defaults to the convention; multiplier 100, tick 0.01.
  const core::Instrument& put = parsed.rows[3].instrument;
  EXPECT_EQ(put.symbol(), "SPY 20261218 P 430");
  EXPECT_EQ(put.multiplier(), 100);
  EXPECT_EQ(put.tick_rule(), core::TickRule(*core::Price::Parse("0.01")));
  EXPECT_EQ(put.option()->strike, *core::Price::Parse("430"));
  EXPECT_EQ(put.option()->right, core::OptionRight::kPut);
  EXPECT_EQ(parsed.rows[4].instrument.symbol(), "SPY 20261218 C 432.5");
  EXPECT_EQ(parsed.rows[4].instrument.option()->strike, *core::Price::Parse("432.5"));
}

TEST(InstrumentMaster, ColumnsMayComeInAnyOrderAndOptionalOnesMayBeAbsent) {
  const Parsed parsed = Parse("asset_class,id,symbol\netf,7,SPY\n");
  ASSERT_THAT(parsed.errors, IsEmpty());
  ASSERT_THAT(parsed.rows, SizeIs(1));
  EXPECT_EQ(parsed.rows[0].instrument.id(), core::InstrumentId(7));
}

TEST(InstrumentMaster, RowsBeforeTheDateAreExpiredNotDropped) {
  const Parsed parsed = Parse(std::string(kHeader) +
                                  "1,SPY,etf,,,,,,,\n"
                                  "2,,option,SPY,2026-12-04,430,P,,,\n"
                                  "3,,option,SPY,2026-12-07,430,P,,,\n"
                                  "4,ESZ6,future,ES,2026-11-20,,,50,0.25,\n"
                                  "5,ES 202703,future,ES,,,,50,0.25,\n",
                              absl::CivilDay(2026, 12, 7));
  ASSERT_THAT(parsed.errors, IsEmpty());
  ASSERT_THAT(parsed.rows, SizeIs(5));
  EXPECT_FALSE(parsed.rows[0].expired);
  EXPECT_TRUE(parsed.rows[1].expired);
  // Expiring today: still trades today.
  EXPECT_FALSE(parsed.rows[2].expired);
  EXPECT_TRUE(parsed.rows[3].expired);
  // No expiry given: never expired by the file.
  EXPECT_FALSE(parsed.rows[4].expired);
  // Without a date nothing is expired.
  for (const MasterRow& row :
       Parse(std::string(kHeader) + "2,,option,SPY,2020-01-17,430,P,,,\n").rows) {
    EXPECT_FALSE(row.expired);
  }
}

TEST(InstrumentMasterErrors, DuplicateSymbolAndIdNameTheFirstLine) {
  EXPECT_THAT(Parse(std::string(kHeader) + "1,SPY,etf,,,,,,,\n"
                                           "2,SPY,etf,,,,,,,\n"
                                           "1,QQQ,etf,,,,,,,\n"
                                           "3,,option,SPY,2026-12-18,430,P,,,\n"
                                           "4,,option,SPY,2026-12-18,430.0,P,,,\n")
                  .errors,
              ElementsAre("m.csv:3:3: symbol: duplicate symbol \"SPY\" (first at line 2)",
                          "m.csv:4:1: id: duplicate id 1 (first at line 2)",
                          "m.csv:6:26: strike: duplicate symbol \"SPY 20261218 P 430\" (first at "
                          "line 5)"));
}

TEST(InstrumentMasterErrors, UnknownAssetClass) {
  EXPECT_THAT(RowErrors("1,SPX,index,,,,,,,"),
              ElementsAre("m.csv:2:7: asset_class: expected one of stock, etf, option, future, "
                          "got \"index\""));
}

TEST(InstrumentMasterErrors, StrikeNotAPrice) {
  EXPECT_THAT(RowErrors("1,,option,SPY,2026-12-18,4x0,P,,,"),
              ElementsAre("m.csv:2:26: strike: expected a positive price such as 430 or 432.5, "
                          "got \"4x0\""));
  EXPECT_THAT(RowErrors("1,,option,SPY,2026-12-18,-5,P,,,"),
              ElementsAre("m.csv:2:26: strike: expected a positive price such as 430 or 432.5, "
                          "got \"-5\""));
  EXPECT_THAT(RowErrors("1,,option,SPY,2026-12-18,430.0000000001,P,,,"), SizeIs(1));
}

TEST(InstrumentMasterErrors, AnOptionNeedsExpiryRightStrikeAndUnderlying) {
  EXPECT_THAT(RowErrors("1,,option,SPY,,430,P,,,"),
              ElementsAre("m.csv:2:15: expiry: required for an option: its expiry as YYYY-MM-DD"));
  EXPECT_THAT(RowErrors("1,,option,SPY,2026-12-18,430,,,,"),
              ElementsAre("m.csv:2:30: right: required for an option: C (call) or P (put)"));
  EXPECT_THAT(RowErrors("1,,option,SPY,2026-12-18,430,X,,,"),
              ElementsAre("m.csv:2:30: right: expected C (call) or P (put), got \"X\""));
  EXPECT_THAT(RowErrors("1,,option,SPY,2026-12-18,,P,,,"),
              ElementsAre("m.csv:2:26: strike: required for an option"));
  EXPECT_THAT(RowErrors("1,,option,,2026-12-18,430,P,,,"),
              ElementsAre("m.csv:2:11: underlying: required for options and futures: the root"));
  EXPECT_THAT(RowErrors("1,,option,SPY,2026-13-01,430,P,,,"),
              ElementsAre("m.csv:2:15: expiry: expected a date as YYYY-MM-DD, got \"2026-13-01\""));
}

TEST(InstrumentMasterErrors, TermsOnlyWhereTheAssetClassHasThem) {
  EXPECT_THAT(RowErrors("1,SPY,etf,,2026-12-18,430,P,,,"),
              ElementsAre("m.csv:2:12: expiry: only options and futures have this column, this row "
                          "is etf (leave it empty)",
                          "m.csv:2:23: strike: only options have this column, this row is etf "
                          "(leave it empty)",
                          "m.csv:2:27: right: only options have this column, this row is etf "
                          "(leave it empty)"));
  EXPECT_THAT(RowErrors("1,,future,ES,2026-12-18,,,50,0.25,"),
              ElementsAre("m.csv:2:3: symbol: required for a stock, an ETF or a future"));
}

TEST(InstrumentMasterErrors, MultiplierNotPositiveAndTickNotAnIncrement) {
  EXPECT_THAT(RowErrors("1,ESZ6,future,ES,,,,0,0.25,"),
              ElementsAre("m.csv:2:21: multiplier: expected a positive whole number, got \"0\""));
  EXPECT_THAT(RowErrors("1,ESZ6,future,ES,,,,-50,0.25,"), SizeIs(1));
  EXPECT_THAT(RowErrors("1,ESZ6,future,ES,,,,fifty,0.25,"), SizeIs(1));
  EXPECT_THAT(RowErrors("1,ESZ6,future,ES,,,,50,0,"),
              ElementsAre("m.csv:2:24: tick: expected a positive price increment such as 0.01 or "
                          "0.25, or a tick rule such as 0.01<3.00;0.05 (tick 0 is not positive), "
                          "got \"0\""));
}

TEST(InstrumentMaster, ATickColumnTakesARuleOfPriceBands) {
  const Parsed parsed = Parse(std::string(kHeader) +
                              "1,,option,SPY,2026-12-18,430,P,,0.01<3.00;0.05,\n"
                              "2,,option,SPY,2026-12-18,440,P,,\"0.05<3.00;0.10\",\n");
  ASSERT_THAT(parsed.errors, IsEmpty());
  ASSERT_THAT(parsed.rows, SizeIs(2));
  EXPECT_EQ(parsed.rows[0].instrument.tick_rule(), *core::TickRule::Parse("0.01<3;0.05"));
  EXPECT_EQ(parsed.rows[0].instrument.tick_rule().TickAt(*core::Price::Parse("3.02")),
            *core::Price::Parse("0.05"));
  EXPECT_EQ(parsed.rows[1].instrument.tick_rule().TickAt(*core::Price::Parse("2")),
            *core::Price::Parse("0.05"));
}

// Each way a rule can be wrong is refused at the tick field's line and column, saying what was
// expected and what is wrong.
TEST(InstrumentMasterErrors, ATickRuleThatDoesNotCoverEveryPriceIsRefused) {
  EXPECT_THAT(RowErrors("1,,option,SPY,2026-12-18,430,P,,0.01<3.00,"),
              ElementsAre(::testing::AllOf(
                  ::testing::StartsWith("m.csv:2:33: tick: expected a positive price increment"),
                  ::testing::HasSubstr("(the bands do not cover prices from 3 up: the last band "
                                       "must be a tick alone"),
                  ::testing::EndsWith("got \"0.01<3.00\""))));
}

TEST(InstrumentMasterErrors, ATickRuleWithUnsortedBandsIsRefused) {
  EXPECT_THAT(RowErrors("1,,option,SPY,2026-12-18,430,P,,0.01<5.00;0.05<3.00;0.10,"),
              ElementsAre(::testing::AllOf(::testing::StartsWith("m.csv:2:33: tick: "),
                                           ::testing::HasSubstr("ascending order of price"))));
}

TEST(InstrumentMasterErrors, ATickRuleBoundaryOffABandsTickIsRefused) {
  EXPECT_THAT(RowErrors("1,,option,SPY,2026-12-18,430,P,,0.01<3.02;0.05,"),
              ElementsAre(::testing::AllOf(
                  ::testing::StartsWith("m.csv:2:33: tick: "),
                  ::testing::HasSubstr("boundary 3.02 is not on the ticks of both bands it "
                                       "separates (0.01 below it, 0.05 from it)"))));
}

TEST(InstrumentMasterErrors, ATickRuleWithANonPriceIsRefused) {
  EXPECT_THAT(RowErrors("1,,option,SPY,2026-12-18,430,P,,0.01<three;0.05,"),
              ElementsAre(::testing::AllOf(::testing::StartsWith("m.csv:2:33: tick: "),
                                           ::testing::HasSubstr("boundary \"three\" is not a "
                                                                "price"))));
}

TEST(InstrumentMasterErrors, BadIdsAndVenueLists) {
  EXPECT_THAT(RowErrors("0,SPY,etf,,,,,,,"),
              ElementsAre("m.csv:2:1: id: expected an instrument id from 1 to 4294967295, got "
                          "\"0\""));
  EXPECT_THAT(RowErrors("x,SPY,etf,,,,,,,"), SizeIs(1));
  EXPECT_THAT(RowErrors("1,SPY,etf,,,,,,,STK;;OPT-A"),
              ElementsAre("m.csv:2:17: venues: expected venue names separated by ';' (such as "
                          "OPT-A;OPT-B), got an empty name"));
  EXPECT_THAT(RowErrors("1,SPY,etf,,,,,,,STK;STK"),
              ElementsAre("m.csv:2:17: venues: venue \"STK\" is named twice"));
}

TEST(InstrumentMasterErrors, MalformedLinesAndHeaders) {
  EXPECT_THAT(RowErrors("1,SPY,etf"),
              ElementsAre("m.csv:2: expected 10 fields as the header names, got 3"));
  EXPECT_THAT(RowErrors("1,\"SPY,etf,,,,,,,"),
              ElementsAre("m.csv:2: column 3: the quoted field is not closed"));
  EXPECT_THAT(
      Parse("id,symbol,asset_klass\n1,SPY,etf\n").errors,
      ElementsAre("m.csv:1:11: header: unknown column \"asset_klass\"; expected id, symbol, "
                  "asset_class, underlying, expiry, strike, right, multiplier, tick, venues",
                  "m.csv:1: header: the column \"asset_class\" is required"));
  EXPECT_THAT(Parse("id,asset_class,id\n").errors,
              ElementsAre("m.csv:1:16: header: column \"id\" is named twice"));
  EXPECT_THAT(Parse("# nothing but a comment\n").errors,
              ElementsAre("m.csv:1: the file has no header row (expected columns id, symbol, "
                          "asset_class, underlying, expiry, strike, right, multiplier, tick, "
                          "venues)"));
}

TEST(InstrumentMasterErrors, EveryBadRowIsReportedAndGoodRowsStillRead) {
  const Parsed parsed = Parse(std::string(kHeader) +
                              "1,SPY,etf,,,,,,,\n"
                              "2,,option,SPY,,430,P,,,\n"
                              "3,QQQ,etf,,,,,,,\n"
                              "4,,option,SPY,2026-12-18,abc,Q,0,,\n");
  EXPECT_THAT(parsed.rows, SizeIs(2));
  EXPECT_THAT(parsed.errors, SizeIs(4));
}

}  // namespace
}  // namespace combo::config
