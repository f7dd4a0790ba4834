// SecurityListRequest -> SecurityList: what a request asks (refused with the reason when the
// gateway does not answer it), which listings it selects and in which order, and how the answer
// is written and fragmented (docs/FIX.md "SecurityListRequest").
#include "fix/security_list.h"

#include <algorithm>
#include <string>
#include <vector>

#include "fix/leg_fields.h"
#include "fix/report_format.h"
#include "fix/reports.h"
#include "fix/translation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "quickfix/DataDictionary.h"
#include "quickfix/FixFieldNumbers.h"
#include "quickfix/FixValues.h"

namespace combo::fix {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const router::ListingVenue kOptA{core::VenueId(1), "OPT-A"};
const router::ListingVenue kOptB{core::VenueId(2), "OPT-B"};
const router::ListingVenue kFut{core::VenueId(5), "FUT"};

// Listings as a test states them; `reversed` hands them out in the opposite of id order.
class FixedListings final : public router::Listings {
 public:
  std::vector<router::InstrumentListing> ListedInstruments() const override {
    std::vector<router::InstrumentListing> out = instruments;
    if (reversed) std::reverse(out.begin(), out.end());
    return out;
  }
  std::vector<router::ComboListing> ListedCombos() const override {
    std::vector<router::ComboListing> out = combos;
    if (reversed) std::reverse(out.begin(), out.end());
    return out;
  }
  std::vector<router::InstrumentListing> instruments;
  std::vector<router::ComboListing> combos;
  bool reversed = false;
};

class SecurityListTest : public ::testing::Test {
 protected:
  SecurityListTest() : dictionary_(COMBO_FIX_DICTIONARY) {
    Add({core::InstrumentId(1), "SPY", core::AssetClass::kEtf, "SPY", 1, Cents(1), std::nullopt,
         std::nullopt});
    // Ids out of chain order, so the order of the answer is the sort's, not the ids'.
    Option(10, "SPY", 2027, 1, 15, core::OptionRight::kPut, 450);
    Option(11, "SPY", 2026, 12, 18, core::OptionRight::kPut, 450);
    Option(12, "SPY", 2026, 12, 18, core::OptionRight::kCall, 460);
    Option(13, "SPY", 2026, 12, 18, core::OptionRight::kCall, 450);
    Option(14, "SPY", 2026, 12, 18, core::OptionRight::kCall, 1000);
    Option(20, "QQQ", 2026, 12, 18, core::OptionRight::kCall, 400);
    Add({core::InstrumentId(30), "ES 202612", core::AssetClass::kFuture, "ES", 50,
         core::Price::FromParts(0, 250'000'000), std::nullopt, absl::CivilDay(2026, 12, 18)});
    Add({core::InstrumentId(31), "ES 202703", core::AssetClass::kFuture, "ES", 50,
         core::Price::FromParts(0, 250'000'000), std::nullopt, absl::CivilDay(2027, 3, 19)});
    // Known to the catalog but listed nowhere: never in an answer.
    Option(40, "SPY", 2026, 12, 18, core::OptionRight::kCall, 470);
    for (const auto& [id, instrument] : catalog_.all()) {
      if (id == core::InstrumentId(40)) continue;
      std::vector<router::ListingVenue> venues = {kOptA};
      if (id == core::InstrumentId(30) || id == core::InstrumentId(31)) venues = {kFut};
      if (id == core::InstrumentId(13)) venues = {kOptA, kOptB};
      listings_.instruments.push_back({&instrument, venues});
    }
    vertical_ = *core::ComboSpec::Create({{core::InstrumentId(13), 1, core::Side::kBuy},
                                          {core::InstrumentId(12), 1, core::Side::kSell}});
    buy_write_ = *core::ComboSpec::Create({{core::InstrumentId(1), 100, core::Side::kBuy},
                                           {core::InstrumentId(12), 1, core::Side::kSell}});
    calendar_ = *core::ComboSpec::Create({{core::InstrumentId(10), 1, core::Side::kBuy},
                                          {core::InstrumentId(11), 1, core::Side::kSell}});
    // A native vertical a client also defined, a native buy-write nobody defined, a calendar
    // only defined.
    listings_.combos = {{core::ComboId(1), &*vertical_, {kOptA, kOptB}, true},
                        {core::ComboId(2), &*buy_write_, {kOptB}, false},
                        {core::ComboId(3), &*calendar_, {}, true}};
  }

  static core::Price Cents(int64_t cents) { return core::Price::FromParts(0, cents * 10'000'000); }

  void Add(core::InstrumentDefinition definition) {
    ASSERT_TRUE(catalog_.Add(*core::Instrument::Create(std::move(definition))).ok());
  }
  void Option(uint32_t id, const std::string& root, int year, int month, int day,
              core::OptionRight right, int64_t strike) {
    const absl::CivilDay expiry(year, month, day);
    Add({core::InstrumentId(id),
         absl::StrCat(root, " ", FixDateText(expiry), " ",
                      right == core::OptionRight::kCall ? "C" : "P", " ", strike),
         core::AssetClass::kOption, root, 100, Cents(1),
         core::OptionTerms{right, core::Price::FromParts(strike, 0), expiry}, std::nullopt});
  }

  // The request as a broker's engine sends it.
  static FIX::Message Request(const std::vector<std::pair<int, std::string>>& fields,
                              const std::string& underlying = "") {
    FIX::Message message;
    message.getHeader().setField(FIX::FIELD::MsgType, FIX::MsgType_SecurityListRequest);
    for (const auto& [tag, value] : fields) message.setField(tag, value);
    if (!underlying.empty()) {
      FIX::Group group(FIX::FIELD::NoUnderlyings, FIX::FIELD::UnderlyingSymbol);
      group.setField(FIX::FIELD::UnderlyingSymbol, underlying);
      message.addGroup(group);
    }
    return message;
  }

  SecurityListQuery Query(const std::vector<std::pair<int, std::string>>& fields,
                          const std::string& underlying = "") {
    absl::StatusOr<SecurityListQuery> query =
        ParseSecurityListRequest(Request(fields, underlying), "L1");
    EXPECT_TRUE(query.ok()) << query.status();
    return query.ok() ? *query : SecurityListQuery{};
  }

  std::string Refusal(const std::vector<std::pair<int, std::string>>& fields) {
    absl::StatusOr<SecurityListQuery> query = ParseSecurityListRequest(Request(fields), "L1");
    EXPECT_FALSE(query.ok());
    return query.ok() ? "" : std::string(query.status().message());
  }

  // Each selected entry as its catalog symbol, or a combo as "combo N".
  std::vector<std::string> Select(const SecurityListQuery& query) {
    std::vector<std::string> out;
    for (const SecurityListEntry& entry : SelectSecurities(query, listings_, catalog_)) {
      out.push_back(entry.instrument != nullptr ? entry.instrument->symbol()
                                                : absl::StrCat("combo ", entry.combo_id.value()));
    }
    return out;
  }

  // As the client sees it: serialized, parsed and validated with the dictionary.
  FIX::Message OverTheWire(FIX::Message message) {
    FIX::Header& header = message.getHeader();
    header.setField(FIX::FIELD::BeginString, "FIX.4.4");
    header.setField(FIX::FIELD::SenderCompID, "COMBO");
    header.setField(FIX::FIELD::TargetCompID, "BROKER1");
    header.setField(FIX::FIELD::MsgSeqNum, "5");
    header.setField(FIX::FIELD::SendingTime, "20261207-14:22:27.040");
    FIX::Message parsed(message.toString(), dictionary_, true);
    EXPECT_NO_THROW(dictionary_.validate(parsed)) << message.toString();
    return parsed;
  }

  static std::string Get(const FIX::FieldMap& map, int tag) {
    return map.isSetField(tag) ? map.getField(tag) : std::string();
  }

  core::InstrumentCatalog catalog_;
  FixedListings listings_;
  std::optional<core::ComboSpec> vertical_;
  std::optional<core::ComboSpec> buy_write_;
  std::optional<core::ComboSpec> calendar_;
  FIX::DataDictionary dictionary_;
};

TEST_F(SecurityListTest, OptionsOfAnUnderlyingComeByExpiryThenStrikeCallBeforePutIfListed) {
  // Strikes in numeric order (1000 after 460), the put of a strike after its call.
  const std::vector<std::string> expected = {"SPY 20261218 C 450", "SPY 20261218 P 450",
                                             "SPY 20261218 C 460", "SPY 20261218 C 1000",
                                             "SPY 20270115 P 450"};
  // Symbol as the underlying root with SecurityType, or UnderlyingSymbol: the same options.
  EXPECT_EQ(Select(Query({{FIX::FIELD::SecurityListRequestType, "1"},
                          {FIX::FIELD::SecurityType, "OPT"},
                          {FIX::FIELD::Symbol, "SPY"}})),
            expected);
  EXPECT_EQ(
      Select(Query({{FIX::FIELD::SecurityListRequestType, "1"}, {FIX::FIELD::SecurityType, "OPT"}},
                   "SPY")),
      expected);
}

TEST_F(SecurityListTest, TheOrderIsTheSortsWhateverOrderTheListingsComeIn) {
  const SecurityListQuery all = Query({{FIX::FIELD::SecurityListRequestType, "4"}});
  const std::vector<std::string> in_id_order = Select(all);
  listings_.reversed = true;
  EXPECT_EQ(Select(all), in_id_order);
  EXPECT_THAT(in_id_order, ElementsAre("ES 202612", "ES 202703", "QQQ 20261218 C 400", "SPY",
                                       "SPY 20261218 C 450", "SPY 20261218 P 450",
                                       "SPY 20261218 C 460", "SPY 20261218 C 1000",
                                       "SPY 20270115 P 450", "combo 1", "combo 2", "combo 3"));
}

TEST_F(SecurityListTest, MaturityMonthNarrowsOptionsFuturesAndCombosByALeg) {
  EXPECT_THAT(Select(Query({{FIX::FIELD::SecurityListRequestType, "4"},
                            {FIX::FIELD::MaturityMonthYear, "202703"}})),
              ElementsAre("ES 202703"));
  EXPECT_THAT(Select(Query({{FIX::FIELD::SecurityListRequestType, "1"},
                            {FIX::FIELD::SecurityType, "MLEG"},
                            {FIX::FIELD::MaturityMonthYear, "202701"}})),
              ElementsAre("combo 3"));
  // A day in MaturityMonthYear, and MaturityDate, name that expiry.
  EXPECT_THAT(Select(Query({{FIX::FIELD::SecurityListRequestType, "1"},
                            {FIX::FIELD::SecurityType, "FUT"},
                            {FIX::FIELD::MaturityDate, "20261218"}})),
              ElementsAre("ES 202612"));
  EXPECT_THAT(Select(Query({{FIX::FIELD::SecurityListRequestType, "1"},
                            {FIX::FIELD::CFICode, "OP"},
                            {FIX::FIELD::MaturityMonthYear, "20261218"}})),
              ElementsAre("SPY 20261218 P 450"));
}

TEST_F(SecurityListTest, ASymbolRequestNamesOneContractByItsSymbolOccSymbolOrSecurityId) {
  EXPECT_THAT(Select(Query({{FIX::FIELD::SecurityListRequestType, "0"},
                            {FIX::FIELD::Symbol, "SPY 20261218 C 460"}})),
              ElementsAre("SPY 20261218 C 460"));
  EXPECT_THAT(Select(Query({{FIX::FIELD::SecurityListRequestType, "0"},
                            {FIX::FIELD::Symbol, "SPY   261218C00460000"}})),
              ElementsAre("SPY 20261218 C 460"));
  EXPECT_THAT(
      Select(Query({{FIX::FIELD::SecurityListRequestType, "0"}, {FIX::FIELD::SecurityID, "12"}})),
      ElementsAre("SPY 20261218 C 460"));
  // With SecurityType MLEG a SecurityID names a defined combo; an undefined one has none.
  EXPECT_THAT(Select(Query({{FIX::FIELD::SecurityListRequestType, "0"},
                            {FIX::FIELD::SecurityID, "1"},
                            {FIX::FIELD::SecurityType, "MLEG"}})),
              ElementsAre("combo 1"));
  EXPECT_THAT(Select(Query({{FIX::FIELD::SecurityListRequestType, "0"},
                            {FIX::FIELD::SecurityID, "2"},
                            {FIX::FIELD::SecurityType, "MLEG"}})),
              ElementsAre());
  // The root and the option's terms, as in a leg.
  EXPECT_THAT(Select(Query({{FIX::FIELD::SecurityListRequestType, "0"},
                            {FIX::FIELD::Symbol, "SPY"},
                            {FIX::FIELD::SecurityType, "OPT"},
                            {FIX::FIELD::StrikePrice, "450"},
                            {FIX::FIELD::PutOrCall, "0"}})),
              ElementsAre("SPY 20261218 P 450", "SPY 20270115 P 450"));
}

TEST_F(SecurityListTest, AVenueNarrowsToWhatItListsOrTradesNatively) {
  EXPECT_THAT(Select(Query({{FIX::FIELD::SecurityListRequestType, "4"},
                            {FIX::FIELD::SecurityExchange, "OPT-B"}})),
              ElementsAre("SPY 20261218 C 450", "combo 1", "combo 2"));
}

TEST_F(SecurityListTest, EntriesCarryTheDaemonsNamingTickMultiplierAndVenues) {
  ReportBuilder builder(catalog_, "T");
  std::vector<FIX::Message> messages = builder.SecurityList(
      "L1", SelectSecurities(Query({{FIX::FIELD::SecurityListRequestType, "0"},
                                    {FIX::FIELD::Symbol, "SPY 20261218 C 450"}}),
                             listings_, catalog_));
  ASSERT_EQ(messages.size(), 1u);
  const FIX::Message list = OverTheWire(messages[0]);
  EXPECT_EQ(Get(list, FIX::FIELD::SecurityRequestResult), "0");
  ASSERT_EQ(list.groupCount(FIX::FIELD::NoRelatedSym), 1u);
  const FIX::FieldMap& entry = list.getGroupRef(1, FIX::FIELD::NoRelatedSym);
  EXPECT_EQ(Get(entry, FIX::FIELD::Symbol), "SPY");
  EXPECT_EQ(Get(entry, FIX::FIELD::SecurityID), "13");
  EXPECT_EQ(Get(entry, FIX::FIELD::SecurityIDSource), "8");
  EXPECT_EQ(Get(entry, FIX::FIELD::SecurityType), "OPT");
  EXPECT_EQ(Get(entry, FIX::FIELD::CFICode), "OCXXXS");
  EXPECT_EQ(Get(entry, FIX::FIELD::PutOrCall), "1");
  EXPECT_EQ(Get(entry, FIX::FIELD::MaturityMonthYear), "202612");
  EXPECT_EQ(Get(entry, FIX::FIELD::MaturityDate), "20261218");
  EXPECT_EQ(Get(entry, FIX::FIELD::StrikePrice), "450");
  EXPECT_EQ(Get(entry, FIX::FIELD::ContractMultiplier), "100");
  EXPECT_EQ(Get(entry, FIX::FIELD::MinPriceIncrement), "0.01");
  EXPECT_EQ(Get(entry, FIX::FIELD::SecurityDesc), "SPY 20261218 C 450");
  ASSERT_EQ(entry.groupCount(FIX::FIELD::NoInstrAttrib), 2u);
  EXPECT_EQ(Get(entry.getGroupRef(1, FIX::FIELD::NoInstrAttrib), FIX::FIELD::InstrAttribType),
            "99");
  EXPECT_EQ(Get(entry.getGroupRef(1, FIX::FIELD::NoInstrAttrib), FIX::FIELD::InstrAttribValue),
            "OPT-A");
  EXPECT_EQ(Get(entry.getGroupRef(2, FIX::FIELD::NoInstrAttrib), FIX::FIELD::InstrAttribValue),
            "OPT-B");
}

// A tick that depends on price is listed band by band (FIX 5.0 TickRules: 1205-1209), its
// finest tick as MinPriceIncrement; combo-client shows it as the config writes it.
TEST_F(SecurityListTest, ATickRuleThatDependsOnPriceIsListedBandByBand) {
  core::InstrumentDefinition banded{
      core::InstrumentId(50),
      "SPY 20261218 P 400",
      core::AssetClass::kOption,
      "SPY",
      100,
      *core::TickRule::Parse("0.01<3.00;0.05"),
      core::OptionTerms{core::OptionRight::kPut, core::Price::FromParts(400, 0),
                        absl::CivilDay(2026, 12, 18)},
      std::nullopt};
  Add(banded);
  listings_.instruments.push_back({catalog_.Find(core::InstrumentId(50)), {kOptA}});
  ReportBuilder builder(catalog_, "T");
  std::vector<FIX::Message> messages = builder.SecurityList(
      "L1", SelectSecurities(Query({{FIX::FIELD::SecurityListRequestType, "0"},
                                    {FIX::FIELD::Symbol, "SPY 20261218 P 400"}}),
                             listings_, catalog_));
  ASSERT_EQ(messages.size(), 1u);
  const FIX::Message list = OverTheWire(messages[0]);
  ASSERT_EQ(list.groupCount(FIX::FIELD::NoRelatedSym), 1u);
  const FIX::FieldMap& entry = list.getGroupRef(1, FIX::FIELD::NoRelatedSym);
  EXPECT_EQ(Get(entry, FIX::FIELD::MinPriceIncrement), "0.01");
  ASSERT_EQ(entry.groupCount(FIX::FIELD::NoTickRules), 2u);
  const FIX::FieldMap& below = entry.getGroupRef(1, FIX::FIELD::NoTickRules);
  const FIX::FieldMap& above = entry.getGroupRef(2, FIX::FIELD::NoTickRules);
  EXPECT_EQ(Get(below, FIX::FIELD::StartTickPriceRange), "");
  EXPECT_EQ(Get(below, FIX::FIELD::EndTickPriceRange), "3");
  EXPECT_EQ(Get(below, FIX::FIELD::TickIncrement), "0.01");
  EXPECT_EQ(Get(above, FIX::FIELD::StartTickPriceRange), "3");
  EXPECT_EQ(Get(above, FIX::FIELD::EndTickPriceRange), "");
  EXPECT_EQ(Get(above, FIX::FIELD::TickIncrement), "0.05");
  EXPECT_EQ(Get(above, FIX::FIELD::TickRuleType), "0");
  EXPECT_NE(SecurityListTable({list}).find(" 0.01<3;0.05 "), std::string::npos)
      << SecurityListTable({list});
}

TEST_F(SecurityListTest, MlegListsNativeCombosWithLegsAndVenuesAndOnlyDefinedOnesWithAnId) {
  ReportBuilder builder(catalog_, "T");
  std::vector<FIX::Message> messages =
      builder.SecurityList("L1", SelectSecurities(Query({{FIX::FIELD::SecurityListRequestType, "1"},
                                                         {FIX::FIELD::SecurityType, "MLEG"}}),
                                                  listings_, catalog_));
  ASSERT_EQ(messages.size(), 1u);
  const FIX::Message list = OverTheWire(messages[0]);
  ASSERT_EQ(list.groupCount(FIX::FIELD::NoRelatedSym), 3u);
  const FIX::FieldMap& vertical = list.getGroupRef(1, FIX::FIELD::NoRelatedSym);
  EXPECT_EQ(Get(vertical, FIX::FIELD::Symbol), "SPY");
  EXPECT_EQ(Get(vertical, FIX::FIELD::SecurityType), "MLEG");
  EXPECT_EQ(Get(vertical, FIX::FIELD::SecurityID), "1");
  EXPECT_EQ(Get(vertical, FIX::FIELD::ContractMultiplier), "100");
  EXPECT_EQ(Get(vertical, FIX::FIELD::SecurityDesc),
            "SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1");
  ASSERT_EQ(vertical.groupCount(FIX::FIELD::NoLegs), 2u);
  const FIX::FieldMap& short_leg = vertical.getGroupRef(2, FIX::FIELD::NoLegs);
  EXPECT_EQ(Get(short_leg, FIX::FIELD::LegSecurityID), "12");
  EXPECT_EQ(Get(short_leg, FIX::FIELD::LegRatioQty), "1");
  EXPECT_EQ(Get(short_leg, FIX::FIELD::LegSide), "2");
  EXPECT_EQ(vertical.groupCount(FIX::FIELD::NoInstrAttrib), 2u);
  // The buy-write: native at OPT-B, not defined, so no SecurityID; 100 shares a unit.
  const FIX::FieldMap& buy_write = list.getGroupRef(2, FIX::FIELD::NoRelatedSym);
  EXPECT_FALSE(buy_write.isSetField(FIX::FIELD::SecurityID));
  EXPECT_EQ(Get(buy_write, FIX::FIELD::SecurityDesc), "SPY +100 / SPY 20261218 C 460 -1");
  EXPECT_EQ(Get(buy_write.getGroupRef(1, FIX::FIELD::NoLegs), FIX::FIELD::LegRatioQty), "100");
  EXPECT_EQ(Get(buy_write.getGroupRef(1, FIX::FIELD::NoInstrAttrib), FIX::FIELD::InstrAttribValue),
            "OPT-B");
  // The calendar: defined only, no native venue.
  const FIX::FieldMap& calendar = list.getGroupRef(3, FIX::FIELD::NoRelatedSym);
  EXPECT_EQ(Get(calendar, FIX::FIELD::SecurityID), "3");
  EXPECT_EQ(calendar.groupCount(FIX::FIELD::NoInstrAttrib), 0u);
}

TEST_F(SecurityListTest, ALongAnswerIsFragmentedWithTheTotalOnEachAndLastFragmentOnTheLast) {
  std::vector<SecurityListEntry> entries;
  const SecurityListEntry spy{catalog_.Find(core::InstrumentId(1)), nullptr, {}, false, {kOptA}};
  entries.assign(250, spy);
  ReportBuilder builder(catalog_, "T");
  std::vector<FIX::Message> messages = builder.SecurityList("L1", entries);
  ASSERT_EQ(messages.size(), 3u);
  std::vector<size_t> sizes;
  for (size_t i = 0; i < messages.size(); ++i) {
    const FIX::Message fragment = OverTheWire(messages[i]);
    sizes.push_back(fragment.groupCount(FIX::FIELD::NoRelatedSym));
    EXPECT_EQ(Get(fragment, FIX::FIELD::SecurityReqID), "L1");
    EXPECT_EQ(Get(fragment, FIX::FIELD::SecurityResponseID),
              Get(messages[0], FIX::FIELD::SecurityResponseID));
    EXPECT_EQ(Get(fragment, FIX::FIELD::TotNoRelatedSym), "250");
    EXPECT_EQ(Get(fragment, FIX::FIELD::LastFragment), i + 1 == messages.size() ? "Y" : "N");
  }
  EXPECT_THAT(sizes, ElementsAre(100u, 100u, 50u));
  // A second answer has a response id of its own.
  EXPECT_NE(Get(builder.SecurityList("L2", entries).front(), FIX::FIELD::SecurityResponseID),
            Get(messages[0], FIX::FIELD::SecurityResponseID));
  // Exactly one fragment's worth is one message.
  entries.resize(kSecurityListFragmentSize);
  messages = builder.SecurityList("L3", entries);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(Get(messages[0], FIX::FIELD::LastFragment), "Y");
}

TEST_F(SecurityListTest, NothingMatchingAnswersResultTwoWithAText) {
  ReportBuilder builder(catalog_, "T");
  std::vector<FIX::Message> messages =
      builder.SecurityList("L1", SelectSecurities(Query({{FIX::FIELD::SecurityListRequestType, "1"},
                                                         {FIX::FIELD::SecurityType, "FUT"},
                                                         {FIX::FIELD::Symbol, "SPY"}}),
                                                  listings_, catalog_));
  ASSERT_EQ(messages.size(), 1u);
  const FIX::Message list = OverTheWire(messages[0]);
  EXPECT_EQ(Get(list, FIX::FIELD::SecurityRequestResult), "2");
  EXPECT_EQ(Get(list, FIX::FIELD::TotNoRelatedSym), "0");
  EXPECT_EQ(Get(list, FIX::FIELD::LastFragment), "Y");
  EXPECT_THAT(Get(list, FIX::FIELD::Text), HasSubstr("no listed instrument or combo matches"));
}

TEST_F(SecurityListTest, UnsupportedOrUnknownRequestsAreRefusedNamingTheField) {
  EXPECT_THAT(Refusal({{FIX::FIELD::SecurityListRequestType, "2"}}),
              HasSubstr("SecurityListRequestType(559) 2 (Product) is not supported: use 0"));
  EXPECT_THAT(Refusal({{FIX::FIELD::SecurityListRequestType, "3"}}),
              HasSubstr("3 (TradingSessionID) is not supported"));
  EXPECT_THAT(Refusal({{FIX::FIELD::SecurityListRequestType, "7"}}),
              HasSubstr("\"7\" is not a FIX 4.4 request type"));
  EXPECT_THAT(Refusal({}), HasSubstr("SecurityListRequestType(559) is required"));
  EXPECT_THAT(Refusal({{FIX::FIELD::SecurityListRequestType, "1"}}),
              HasSubstr("needs SecurityType(167) or CFICode(461)"));
  EXPECT_THAT(Refusal({{FIX::FIELD::SecurityListRequestType, "0"}}),
              HasSubstr("needs Symbol(55) or SecurityID(48)"));
  EXPECT_THAT(
      Refusal({{FIX::FIELD::SecurityListRequestType, "1"}, {FIX::FIELD::SecurityType, "BOND"}}),
      HasSubstr("SecurityType(167) \"BOND\" is not supported: use CS, OPT, FUT or MLEG"));
  EXPECT_THAT(Refusal({{FIX::FIELD::SecurityListRequestType, "4"},
                       {FIX::FIELD::MaturityMonthYear, "2026-12"}}),
              HasSubstr("MaturityMonthYear(200) \"2026-12\" is not a month (YYYYMM)"));
  EXPECT_THAT(Refusal({{FIX::FIELD::SecurityListRequestType, "4"},
                       {FIX::FIELD::SubscriptionRequestType, "1"}}),
              HasSubstr("SubscriptionRequestType(263) \"1\" is not supported"));
  EXPECT_THAT(Refusal({{FIX::FIELD::SecurityListRequestType, "0"},
                       {FIX::FIELD::SecurityID, "12"},
                       {FIX::FIELD::SecurityIDSource, "4"}}),
              HasSubstr("SecurityIDSource(22) \"4\" is not supported"));
}

TEST_F(SecurityListTest, ARefusedRequestIsAnsweredWithResultOneAndTheReason) {
  TranslationContext context;
  context.instruments = &catalog_;
  FIX::Message request =
      Request({{FIX::FIELD::SecurityReqID, "L9"}, {FIX::FIELD::SecurityListRequestType, "2"}});
  Inbound inbound = Translate(request, context);
  ASSERT_TRUE(std::holds_alternative<InboundReject>(inbound));
  ReportBuilder builder(catalog_, "T");
  const FIX::Message list =
      OverTheWire(builder.FromInboundReject(std::get<InboundReject>(inbound)));
  EXPECT_EQ(Get(list.getHeader(), FIX::FIELD::MsgType), FIX::MsgType_SecurityList);
  EXPECT_EQ(Get(list, FIX::FIELD::SecurityReqID), "L9");
  EXPECT_EQ(Get(list, FIX::FIELD::SecurityRequestResult), "1");
  EXPECT_THAT(Get(list, FIX::FIELD::Text), HasSubstr("2 (Product) is not supported"));

  // Without a SecurityReqID there is nothing to answer to: a BusinessMessageReject.
  inbound = Translate(Request({{FIX::FIELD::SecurityListRequestType, "4"}}), context);
  ASSERT_TRUE(std::holds_alternative<InboundReject>(inbound));
  EXPECT_EQ(std::get<InboundReject>(inbound).channel, RejectChannel::kBusinessReject);
  EXPECT_EQ(std::get<InboundReject>(inbound).ref_tag, FIX::FIELD::SecurityReqID);
  EXPECT_THAT(std::get<InboundReject>(inbound).text, HasSubstr("SecurityReqID(320) is required"));

  inbound = Translate(
      Request({{FIX::FIELD::SecurityReqID, "L10"}, {FIX::FIELD::SecurityListRequestType, "4"}}),
      context);
  ASSERT_TRUE(std::holds_alternative<SecurityListQuery>(inbound));
  EXPECT_EQ(std::get<SecurityListQuery>(inbound).request_id, "L10");
}

}  // namespace
}  // namespace combo::fix
