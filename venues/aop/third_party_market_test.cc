// The Third Party Inside Market: consolidation across source venues and staleness.
#include "venues/aop/third_party_market.h"

#include <string>
#include <vector>

#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "venues/aop/aop_test_util.h"

namespace combo::venues::aop {
namespace {

using testing::P;
using testing::ScriptedSource;

const core::InstrumentId kNote(7);
const core::VenueId kVenueA(2);
const core::VenueId kVenueB(3);
const core::VenueId kOutsider(9);

class Recorder : public ThirdPartyMarketObserver {
 public:
  void OnTpimQuote(core::InstrumentId instrument) override { quotes.push_back(instrument); }
  void OnTpimTrade(const core::TradePrint& print) override { trades.push_back(print); }
  void OnFeedState(FeedState state, std::string_view reason) override {
    states.emplace_back(state, std::string(reason));
  }
  std::vector<core::InstrumentId> quotes;
  std::vector<core::TradePrint> trades;
  std::vector<std::pair<FeedState, std::string>> states;
};

class ThirdPartyMarketTest : public ::testing::Test {
 protected:
  ThirdPartyMarketTest() {
    ThirdPartyMarketConfig config;
    config.sources = {kVenueA, kVenueB};
    config.stale_after = core::Duration::Seconds(2);
    market_ = ThirdPartyMarket::Create(config, &time_).value();
    market_->AddObserver(&recorder_);
  }
  core::SimulatedTime time_;
  std::unique_ptr<ThirdPartyMarket> market_;
  Recorder recorder_;
};

TEST_F(ThirdPartyMarketTest, ConsolidatesTheBestBidAndOfferAndDepthAcrossSources) {
  ScriptedSource a(kVenueA, &time_, market_.get());
  ScriptedSource b(kVenueB, &time_, market_.get());
  a.Level(kNote, core::Side::kSell, P("99.10"), 90);
  a.Level(kNote, core::Side::kSell, P("99.00"), 60);
  b.Level(kNote, core::Side::kSell, P("99.00"), 40);
  b.Level(kNote, core::Side::kBuy, P("98.75"), 100);
  a.Level(kNote, core::Side::kBuy, P("98.70"), 10);
  const core::TopOfBook top = market_->Top(kNote);
  ASSERT_TRUE(top.ask.has_value());
  EXPECT_EQ(top.ask->price, P("99.00"));
  EXPECT_EQ(top.ask->quantity, core::Quantity(100));  // 60 at A + 40 at B
  EXPECT_EQ(top.bid->price, P("98.75"));
  const std::vector<core::PriceLevel> offers = market_->Contra(kNote, core::Side::kBuy);
  ASSERT_EQ(offers.size(), 2u);
  EXPECT_EQ(offers[1].price, P("99.10"));
  EXPECT_EQ(market_->Levels(kNote, core::Side::kBuy).size(), 2u);
  // A level removed at one venue leaves the other's.
  a.Level(kNote, core::Side::kSell, P("99.00"), 0);
  EXPECT_EQ(market_->Top(kNote).ask->quantity, core::Quantity(40));
  EXPECT_EQ(recorder_.quotes.size(), 6u);
}

TEST_F(ThirdPartyMarketTest, IgnoresVenuesOutsideTheSourcesAndLateSequences) {
  ScriptedSource outsider(kOutsider, &time_, market_.get());
  outsider.Level(kNote, core::Side::kSell, P("98.00"), 100);
  EXPECT_FALSE(market_->Top(kNote).ask.has_value());
  EXPECT_TRUE(recorder_.quotes.empty());
  core::LegBookUpdate update;
  update.venue = kVenueA;
  update.instrument = kNote;
  update.sequence = 5;
  update.side = core::Side::kSell;
  update.price = P("99.00");
  update.quantity = core::Quantity(10);
  market_->OnLegBookUpdate(update);
  update.sequence = 4;  // older than what was applied
  update.quantity = core::Quantity(0);
  market_->OnLegBookUpdate(update);
  EXPECT_EQ(market_->Top(kNote).ask->quantity, core::Quantity(10));
}

TEST_F(ThirdPartyMarketTest, StaleWhileASourceIsSilentBeyondTheConfiguredAge) {
  ScriptedSource a(kVenueA, &time_, market_.get());
  ScriptedSource b(kVenueB, &time_, market_.get());
  EXPECT_TRUE(market_->stale());  // nothing heard yet
  a.Level(kNote, core::Side::kSell, P("99.00"), 10);
  EXPECT_TRUE(market_->stale());  // B never spoke
  b.Level(kNote, core::Side::kBuy, P("98.00"), 10);
  EXPECT_FALSE(market_->stale());
  ASSERT_EQ(recorder_.states.size(), 1u);
  EXPECT_EQ(recorder_.states[0].first, FeedState::kFresh);
  // A keeps publishing; B goes silent.
  for (int i = 0; i < 3; ++i) {
    time_.AdvanceBy(core::Duration::Milliseconds(900));
    a.Level(kNote, core::Side::kSell, P("99.00"), 20 + i);
  }
  time_.AdvanceBy(core::Duration::Milliseconds(100));
  ASSERT_TRUE(market_->stale());
  ASSERT_EQ(recorder_.states.size(), 2u);
  EXPECT_EQ(recorder_.states[1].first, FeedState::kStale);
  EXPECT_NE(recorder_.states[1].second.find("source venue 3 silent for 2s"), std::string::npos)
      << recorder_.states[1].second;
  // B speaks again: fresh.
  b.Trade(kNote, P("98.50"), 5);
  EXPECT_FALSE(market_->stale());
  EXPECT_EQ(recorder_.states.back().first, FeedState::kFresh);
  EXPECT_EQ(recorder_.trades.size(), 1u);
}

TEST_F(ThirdPartyMarketTest, R16AComplexVsComplexLegPrintIsNoTradingUpdateButKeepsTheSourceFresh) {
  ScriptedSource b(kVenueB, &time_, market_.get());
  b.Level(kNote, core::Side::kBuy, P("98.00"), 10);
  core::TradePrint print;
  print.venue = kVenueA;
  print.instrument = kNote;
  print.price = P("98.50");
  print.quantity = core::Quantity(4);
  // A leg priced by a complex-vs-complex trade says nothing about the leg's own market...
  print.sequence = 1;
  print.kind = core::PrintKind::kComplexVsComplex;
  market_->OnTradePrint(print);
  EXPECT_TRUE(recorder_.trades.empty());
  EXPECT_FALSE(market_->stale());  // ...but A is publishing.
  // A complex order legging in traded the leg's book at its best price: a trade.
  print.sequence = 2;
  print.kind = core::PrintKind::kComplexVsLeg;
  market_->OnTradePrint(print);
  print.sequence = 3;
  print.kind = core::PrintKind::kLegVsLeg;
  market_->OnTradePrint(print);
  ASSERT_EQ(recorder_.trades.size(), 2u);
  EXPECT_EQ(recorder_.trades[0].kind, core::PrintKind::kComplexVsLeg);
  EXPECT_EQ(recorder_.trades[1].kind, core::PrintKind::kLegVsLeg);
}

TEST(ThirdPartyMarketConfigTest, RejectsABadConfig) {
  core::SimulatedTime time;
  ThirdPartyMarketConfig config;
  EXPECT_NE(ThirdPartyMarket::Create(config, &time).status().message().find("no source"),
            std::string_view::npos);
  config.sources = {kVenueA, kVenueA};
  EXPECT_NE(ThirdPartyMarket::Create(config, &time).status().message().find("twice"),
            std::string_view::npos);
  config.sources = {kVenueA};
  config.stale_after = core::Duration::Zero();
  EXPECT_FALSE(ThirdPartyMarket::Create(config, &time).ok());
  config.stale_after = core::Duration::Seconds(1);
  EXPECT_FALSE(ThirdPartyMarket::Create(config, nullptr).ok());
}

}  // namespace
}  // namespace combo::venues::aop
