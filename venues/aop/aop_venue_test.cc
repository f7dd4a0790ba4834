// Automated order protection switched on in a SimulatedVenue: the TPIM from two other simulated
// venues (spec V1), restatements with their reasons, the stale path, coverage, config errors,
// and over random runs no fill of a protected order worse than its limit.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/random.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "venues/aop/thirty_seconds.h"
#include "venues/simulated_venue.h"

#ifndef COMBO_AOP_RANDOM_RUNS
#define COMBO_AOP_RANDOM_RUNS 200
#endif

#ifdef COMBO_AOP_SOAK
// The soak build compiles only the randomized invariant test, under a suite name of its own, so
// that CTest still finds every ordinary test (and the short randomized run) in the default build.
#define COMBO_AOP_INVARIANT_SUITE(name) name##Soak
#else
#define COMBO_AOP_INVARIANT_SUITE(name) name
#endif

namespace combo::venues {
namespace {

using core::Duration;
using core::OrderId;
using core::ParticipantId;
using core::Price;
using core::Quantity;
using core::Side;

const core::InstrumentId kNote(7);
const core::VenueId kAopVenue(1);
const core::VenueId kVenueB(2);
const core::VenueId kVenueC(3);
const ParticipantId kClient(10);
const ParticipantId kOther(11);
const ParticipantId kDealer(20);
const ParticipantId kMaker(30);

Price P(std::string_view text) { return Price::Parse(text).value(); }
[[maybe_unused]] Price T(std::string_view text) { return aop::ParseThirtySeconds(text).value(); }

class Events : public VenueListener, public MarketDataListener {
 public:
  void OnAck(const OrderAcked& e) override { acks.push_back(e); }
  void OnReject(const OrderRejected& e) override { rejects.push_back(e); }
  void OnFill(const Fill& e) override { fills.push_back(e); }
  void OnComplexFill(const ComplexFill& /*e*/) override {}
  void OnCancelled(const OrderCancelled& e) override { cancels.push_back(e); }
  void OnRestated(const OrderRestated& e) override { restates.push_back(e); }
  void OnLegBookUpdate(const core::LegBookUpdate& /*update*/) override {}
  void OnAopStatus(const AopStatusChanged& status) override { statuses.push_back(status); }
  std::vector<OrderAcked> acks;
  std::vector<OrderRejected> rejects;
  std::vector<Fill> fills;
  std::vector<OrderCancelled> cancels;
  std::vector<OrderRestated> restates;
  std::vector<AopStatusChanged> statuses;
};

SimulatedVenueConfig PlainVenue(core::VenueId id, std::string name, Price tick) {
  SimulatedVenueConfig config;
  config.id = id;
  config.name = std::move(name);
  config.instruments = {{kNote, tick}};
  return config;
}

SimulatedVenueConfig AopVenue(Price tick) {
  SimulatedVenueConfig config = PlainVenue(kAopVenue, "AOPX", tick);
  config.aop.enabled = true;
  config.aop.third_party.sources = {kVenueB, kVenueC};
  config.aop.third_party.stale_after = Duration::Seconds(10);
  return config;
}

class AopVenueTest : public ::testing::Test {
 protected:
  void Build(SimulatedVenueConfig aop_config, Price source_tick = P("0.01")) {
    b_ = SimulatedVenue::Create(PlainVenue(kVenueB, "B", source_tick), &time_).value();
    c_ = SimulatedVenue::Create(PlainVenue(kVenueC, "C", source_tick), &time_).value();
    a_ = SimulatedVenue::Create(std::move(aop_config), &time_).value();
    ASSERT_TRUE(a_->ConnectAopSource(*b_).ok());
    ASSERT_TRUE(a_->ConnectAopSource(*c_).ok());
    ASSERT_TRUE(a_->Subscribe(&market_data_).ok());
    for (SimulatedVenue* venue : {a_.get(), b_.get(), c_.get()}) {
      for (ParticipantId participant : {kClient, kOther, kDealer, kMaker}) {
        ASSERT_TRUE(venue->Connect(participant, &events_[venue->id()][participant]).ok());
      }
    }
  }
  void Rest(SimulatedVenue& venue, ParticipantId who, uint64_t id, Side side, Price price,
            int64_t quantity) {
    OrderRequest request;
    request.participant = who;
    request.order_id = OrderId(id);
    request.instrument = kNote;
    request.side = side;
    request.limit_price = price;
    request.quantity = Quantity(quantity);
    ASSERT_TRUE(venue.Submit(request).ok());
    Settle();
  }
  void Cancel(SimulatedVenue& venue, ParticipantId who, uint64_t id) {
    ASSERT_TRUE(venue.Cancel({who, OrderId(id)}).ok());
    Settle();
  }
  void Settle() { time_.AdvanceBy(Duration::Milliseconds(1)); }
  Events& Of(core::VenueId venue, ParticipantId who) { return events_[venue][who]; }

  // V1 with E1's stack split over B and C: offers 99.00x100 and 99.10x90 at B, 99.15x75,
  // 99.20x600 and 99.25x670 at C; bids 98.75 at both.
  void SeedStack() {
    Rest(*b_, kMaker, 1, Side::kSell, P("99.00"), 100);
    Rest(*b_, kMaker, 2, Side::kSell, P("99.10"), 90);
    Rest(*c_, kMaker, 3, Side::kSell, P("99.15"), 75);
    Rest(*c_, kMaker, 4, Side::kSell, P("99.20"), 600);
    Rest(*c_, kMaker, 5, Side::kSell, P("99.25"), 670);
    Rest(*b_, kMaker, 6, Side::kBuy, P("98.75"), 50);
    Rest(*c_, kMaker, 7, Side::kBuy, P("98.75"), 50);
  }

  core::SimulatedTime time_;
  std::unique_ptr<SimulatedVenue> a_, b_, c_;
  std::map<core::VenueId, std::map<ParticipantId, Events>> events_;
  Events market_data_;
};

#ifndef COMBO_AOP_SOAK  // the ordinary tests

TEST_F(AopVenueTest, V1ConsolidatedMarketOfTwoVenuesIsTheSeedsTpim) {
  Build(AopVenue(P("0.01")));
  SeedStack();
  const aop::ThirdPartyMarket& tpim = *a_->aop_market();
  EXPECT_FALSE(tpim.stale());
  const core::TopOfBook top = tpim.Top(kNote);
  EXPECT_EQ(top.ask->price, P("99.00"));
  EXPECT_EQ(top.ask->quantity, Quantity(100));
  EXPECT_EQ(top.bid->price, P("98.75"));
  EXPECT_EQ(top.bid->quantity, Quantity(100));
  EXPECT_EQ(tpim.Contra(kNote, Side::kBuy).size(), 5u);
  ASSERT_EQ(market_data_.statuses.size(), 1u);
  EXPECT_EQ(market_data_.statuses[0].state, AopState::kActive);
}

TEST_F(AopVenueTest, E3RestingBidIsRestatedToTheAwp9907AndBackToItsLimit) {
  SimulatedVenueConfig config = AopVenue(P("0.01"));
  config.aop.protection.awp_enabled = true;
  config.aop.protection.awp_tick = P("0.01");
  config.aop.protection.awp_rounding = core::RoundingMode::kHalfUp;
  Build(config);
  SeedStack();
  Rest(*a_, kClient, 1, Side::kBuy, P("99.11"), 250);
  const Events& client = Of(kAopVenue, kClient);
  ASSERT_EQ(client.restates.size(), 1u);
  EXPECT_EQ(client.restates[0].reason, RestatementReason::kAopAwp);
  EXPECT_EQ(client.restates[0].limit_price, P("99.07"));
  EXPECT_EQ(client.restates[0].leaves_quantity, Quantity(250));
  EXPECT_EQ(a_->TopOfBook(kNote)->bid->price, P("99.07"));
  EXPECT_EQ(ToString(client.restates[0].reason), "aop_awp");
  // B's 99.00 offer goes: the AWP of 250 over the rest is 99.149 -> 99.15, above the limit.
  Cancel(*b_, kMaker, 1);
  ASSERT_EQ(client.restates.size(), 2u);
  EXPECT_EQ(client.restates[1].reason, RestatementReason::kAopUnprotect);
  EXPECT_EQ(client.restates[1].limit_price, P("99.11"));
  EXPECT_FALSE(a_->AopProtection(kClient, OrderId(1))->aop_flag);
}

TEST_F(AopVenueTest, E9E10ProtectToTheInvertedOfferThenUnprotectAndFillAtTheOriginal) {
  prometheus::Registry registry;
  SimulatedVenueConfig config = AopVenue(aop::kOneTwoFiftySixth);
  config.aop.metrics = &registry;
  Build(config, aop::kOneTwoFiftySixth);
  Rest(*b_, kMaker, 1, Side::kSell, T("99-27"), 100);
  Rest(*c_, kMaker, 2, Side::kBuy, T("99-26"), 100);
  Rest(*a_, kClient, 1, Side::kBuy, T("99-266"), 10);
  const Events& client = Of(kAopVenue, kClient);
  EXPECT_TRUE(client.restates.empty());  // E8: inside the market
  Rest(*c_, kMaker, 3, Side::kSell, T("99-26+"), 100);
  ASSERT_EQ(client.restates.size(), 1u);
  EXPECT_EQ(client.restates[0].reason, RestatementReason::kAopTopOfBook);
  EXPECT_EQ(client.restates[0].limit_price, P("99.828125"));
  EXPECT_EQ(client.restates[0].priority, QueuePriority::kKept);  // spec 6.1's recommendation
  Cancel(*c_, kMaker, 3);
  ASSERT_EQ(client.restates.size(), 2u);
  EXPECT_EQ(client.restates[1].reason, RestatementReason::kAopUnprotect);
  EXPECT_EQ(client.restates[1].limit_price, T("99-266"));
  // E10 row 4: a seller at the client's level fills it at the original level.
  Rest(*a_, kDealer, 1, Side::kSell, T("99-266"), 10);
  ASSERT_EQ(client.fills.size(), 1u);
  EXPECT_EQ(client.fills[0].price, T("99-266"));
  // combo_venue_aop_reprices_total{venue="AOPX",reason}: one protect, one unprotect.
  std::map<std::string, double> reprices;
  for (const auto& family : registry.Collect()) {
    if (family.name != "combo_venue_aop_reprices_total") continue;
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) {
        if (label.name == "reason") reprices[label.value] = metric.counter.value;
      }
    }
  }
  EXPECT_EQ(reprices["top_of_book"], 1);
  EXPECT_EQ(reprices["unprotect"], 1);
  EXPECT_EQ(reprices["awp"], 0);
}

// Spec 6.1 "Repricing inside the venue": the recommended policy keeps the original timestamp.
TEST_F(AopVenueTest, RepriceKeepsTheOrdersTimePriorityAtItsNewLevel) {
  Build(AopVenue(P("0.01")));
  Rest(*b_, kMaker, 1, Side::kSell, P("99.10"), 100);
  Rest(*b_, kMaker, 2, Side::kBuy, P("98.00"), 100);
  Rest(*a_, kClient, 1, Side::kBuy, P("99.00"), 10);  // first in
  Rest(*a_, kOther, 1, Side::kBuy, P("98.90"), 10);   // later, already at 98.90
  // 98.90 is offered elsewhere: the client's bid is protected down to 98.90 (the other bid, at
  // the contra level exactly, is no inversion and stays).
  Rest(*c_, kMaker, 3, Side::kSell, P("98.90"), 100);
  const Events& client = Of(kAopVenue, kClient);
  ASSERT_EQ(client.restates.size(), 1u);
  EXPECT_EQ(client.restates[0].limit_price, P("98.90"));
  EXPECT_EQ(client.restates[0].priority, QueuePriority::kKept);
  EXPECT_TRUE(Of(kAopVenue, kOther).restates.empty());
  // A seller of 10 at 98.90 meets the client first: it arrived before the other bid.
  Rest(*a_, kDealer, 1, Side::kSell, P("98.90"), 10);
  ASSERT_EQ(client.fills.size(), 1u);
  EXPECT_EQ(client.fills[0].price, P("98.90"));
  EXPECT_TRUE(Of(kAopVenue, kOther).fills.empty());
}

TEST_F(AopVenueTest, ATradeThroughArmsWaitForFollowAndTheFollowQuoteProtects) {
  Build(AopVenue(P("0.01")));
  Rest(*b_, kMaker, 1, Side::kSell, P("99.25"), 65);
  Rest(*c_, kMaker, 2, Side::kBuy, P("98.00"), 10);
  Rest(*a_, kClient, 1, Side::kBuy, P("99.12"), 100);
  // E5 on real venues: 15 trade at 99.08 on B, then 50 offered at 99.08.
  Rest(*b_, kMaker, 3, Side::kSell, P("99.08"), 15);
  Rest(*b_, kDealer, 1, Side::kBuy, P("99.08"), 15);
  EXPECT_TRUE(a_->AopProtection(kClient, OrderId(1))->wff);
  EXPECT_TRUE(Of(kAopVenue, kClient).restates.empty());
  Rest(*b_, kMaker, 4, Side::kSell, P("99.08"), 50);
  const Events& client = Of(kAopVenue, kClient);
  ASSERT_EQ(client.restates.size(), 1u);
  EXPECT_EQ(client.restates[0].reason, RestatementReason::kAopWaitForFollow);
  EXPECT_EQ(client.restates[0].limit_price, P("99.08"));
}

TEST_F(AopVenueTest, ATradeThroughOfFullSizeProtectsAtTheTradePrice) {
  Build(AopVenue(P("0.01")));
  Rest(*b_, kMaker, 1, Side::kSell, P("99.25"), 65);
  Rest(*c_, kMaker, 2, Side::kBuy, P("98.00"), 10);
  Rest(*a_, kClient, 1, Side::kBuy, P("99.12"), 100);
  Rest(*c_, kMaker, 3, Side::kSell, P("99.05"), 100);  // protects to 99.05 (top of book)
  Rest(*c_, kDealer, 1, Side::kBuy, P("99.05"), 100);  // the offer trades away
  const Events& client = Of(kAopVenue, kClient);
  ASSERT_GE(client.restates.size(), 1u);
  EXPECT_EQ(client.restates[0].reason, RestatementReason::kAopTopOfBook);
  // The 99.05 offer is gone and 99.25 is back: the level unprotects to the limit.
  EXPECT_EQ(client.restates.back().reason, RestatementReason::kAopUnprotect);
  EXPECT_EQ(client.restates.back().limit_price, P("99.12"));
}

TEST_F(AopVenueTest, ALevelOffTheVenueTickIsRoundedInTheClientsFavour) {
  Build(AopVenue(P("0.01")), P("0.005"));
  Rest(*c_, kMaker, 1, Side::kBuy, P("98.00"), 100);
  Rest(*a_, kClient, 1, Side::kBuy, P("99.12"), 100);
  Rest(*a_, kOther, 1, Side::kSell, P("99.50"), 100);
  Rest(*b_, kMaker, 2, Side::kSell, P("99.005"), 100);  // through both; off A's 0.01 tick
  Rest(*c_, kMaker, 3, Side::kBuy, P("99.555"), 100);
  ASSERT_EQ(Of(kAopVenue, kClient).restates.size(), 1u);
  EXPECT_EQ(Of(kAopVenue, kClient).restates[0].limit_price, P("99.00"));  // a bid rounds down
  ASSERT_EQ(Of(kAopVenue, kOther).restates.size(), 1u);
  EXPECT_EQ(Of(kAopVenue, kOther).restates[0].limit_price, P("99.56"));  // an offer rounds up
  EXPECT_EQ(a_->TopOfBook(kNote)->bid->price, P("99.00"));
}

TEST_F(AopVenueTest, StaleSourceSuspendsProtectionAndFreshDataResumesIt) {
  Build(AopVenue(P("0.01")));
  Rest(*b_, kMaker, 1, Side::kSell, P("99.25"), 100);
  Rest(*c_, kMaker, 2, Side::kBuy, P("98.00"), 100);
  Rest(*a_, kClient, 1, Side::kBuy, P("99.12"), 100);
  time_.AdvanceBy(Duration::Seconds(8));
  Rest(*b_, kMaker, 3, Side::kSell, P("99.30"), 10);  // B keeps publishing; C is silent
  time_.AdvanceBy(Duration::Seconds(3));
  ASSERT_EQ(market_data_.statuses.size(), 2u);
  EXPECT_EQ(market_data_.statuses[1].state, AopState::kSuspended);
  EXPECT_NE(market_data_.statuses[1].reason.find("source venue 3"), std::string::npos);
  // Frozen: an offer through the bid does not protect it.
  Rest(*b_, kMaker, 4, Side::kSell, P("99.00"), 100);
  EXPECT_TRUE(Of(kAopVenue, kClient).restates.empty());
  // C speaks: resumed, and the first fresh data runs as a price-only update.
  Rest(*c_, kMaker, 5, Side::kBuy, P("97.00"), 10);
  ASSERT_EQ(market_data_.statuses.size(), 3u);
  EXPECT_EQ(market_data_.statuses[2].state, AopState::kActive);
  ASSERT_EQ(Of(kAopVenue, kClient).restates.size(), 1u);
  EXPECT_EQ(Of(kAopVenue, kClient).restates[0].limit_price, P("99.00"));
}

TEST_F(AopVenueTest, CoverageCanBeLimitedToListedParticipants) {
  SimulatedVenueConfig config = AopVenue(P("0.01"));
  config.aop.coverage = AopCoverage::kListedParticipants;
  config.aop.protected_participants = {kClient};
  Build(config);
  Rest(*b_, kMaker, 1, Side::kSell, P("99.00"), 500);
  Rest(*c_, kMaker, 2, Side::kBuy, P("98.00"), 100);
  Rest(*a_, kClient, 1, Side::kBuy, P("99.12"), 100);
  Rest(*a_, kOther, 1, Side::kBuy, P("99.11"), 100);
  EXPECT_EQ(Of(kAopVenue, kClient).restates.size(), 1u);
  EXPECT_TRUE(Of(kAopVenue, kOther).restates.empty());
  EXPECT_FALSE(a_->AopProtection(kOther, OrderId(1)).has_value());
}

TEST_F(AopVenueTest, AnOwnersReplaceSetsANewOriginal) {
  Build(AopVenue(P("0.01")));
  Rest(*b_, kMaker, 1, Side::kSell, P("99.00"), 500);
  Rest(*c_, kMaker, 2, Side::kBuy, P("98.00"), 100);
  Rest(*a_, kClient, 1, Side::kBuy, P("99.12"), 100);
  ASSERT_EQ(a_->AopProtection(kClient, OrderId(1))->level, P("99.00"));
  ASSERT_TRUE(a_->Replace({kClient, OrderId(1), P("98.90"), Quantity(100)}).ok());
  Settle();
  const std::optional<aop::ProtectedOrder> state = a_->AopProtection(kClient, OrderId(1));
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->original, P("98.90"));
  EXPECT_EQ(state->level, P("98.90"));
  EXPECT_FALSE(state->aop_flag);
}

TEST(AopVenueConfigTest, BadAopConfigIsRejectedWithTheReason) {
  core::SimulatedTime time;
  SimulatedVenueConfig config = AopVenue(P("0.01"));
  config.aop.third_party.sources = {kAopVenue};
  absl::StatusOr<std::unique_ptr<SimulatedVenue>> venue = SimulatedVenue::Create(config, &time);
  ASSERT_FALSE(venue.ok());
  EXPECT_NE(venue.status().message().find("venue itself"), std::string_view::npos);
  config = AopVenue(P("0.01"));
  config.aop.third_party.sources.clear();
  EXPECT_NE(SimulatedVenue::Create(config, &time).status().message().find("no source"),
            std::string_view::npos);
  config = AopVenue(P("0.01"));
  config.aop.protection.awp_tick = Price::Zero();
  EXPECT_FALSE(SimulatedVenue::Create(config, &time).ok());
  config = AopVenue(P("0.01"));
  config.aop.coverage = AopCoverage::kListedParticipants;
  EXPECT_FALSE(SimulatedVenue::Create(config, &time).ok());

  auto plain = SimulatedVenue::Create(PlainVenue(kVenueB, "B", P("0.01")), &time).value();
  auto other = SimulatedVenue::Create(PlainVenue(core::VenueId(9), "Z", P("0.01")), &time).value();
  EXPECT_EQ(plain->ConnectAopSource(*other).code(), absl::StatusCode::kFailedPrecondition);
  auto aop = SimulatedVenue::Create(AopVenue(P("0.01")), &time).value();
  EXPECT_EQ(aop->ConnectAopSource(*other).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(plain->aop_market(), nullptr);
}

TEST_F(AopVenueTest, TheVenueOpensACboBookOnItsTpim) {
  Build(AopVenue(P("0.01")));
  class NullCbo : public aop::CboListener {
   public:
    void OnCboAccepted(const aop::CboAccepted& /*e*/) override { ++accepted; }
    void OnCboPhaseChanged(const aop::CboPhaseChanged& /*e*/) override {}
    void OnCboRestated(const aop::CboRestated& e) override { restated.push_back(e); }
    void OnCboFill(const aop::CboFill& /*e*/) override {}
    void OnCboDone(const aop::CboDone& /*e*/) override {}
    void OnResponseRejected(const aop::ResponseRejected& /*e*/) override {}
    void OnAopStatus(const AopStatusChanged& /*e*/) override {}
    int accepted = 0;
    std::vector<aop::CboRestated> restated;
  } listener;
  absl::StatusOr<aop::CboBook*> book = a_->OpenCboBook(&listener);
  ASSERT_TRUE(book.ok()) << book.status();
  EXPECT_EQ(a_->OpenCboBook(&listener).status().code(), absl::StatusCode::kAlreadyExists);
  (*book)->Permit(kClient, kDealer);
  aop::CboRequest request;
  request.client = kClient;
  request.id = OrderId(1);
  request.instrument = kNote;
  request.limit = P("99.12");
  request.quantity = Quantity(10);
  request.exclusive_dealers = {kDealer};
  ASSERT_TRUE((*book)->Submit(request).ok());
  Rest(*b_, kMaker, 1, Side::kSell, P("99.00"), 500);
  Rest(*c_, kMaker, 2, Side::kBuy, P("98.00"), 100);
  time_.AdvanceBy(Duration::Seconds(3));
  ASSERT_EQ(listener.restated.size(), 1u);
  EXPECT_EQ(listener.restated[0].level, P("99.00"));
}

// Checks every fill of a client's orders against the limit the client last set: the submitted
// one, or the one a replace restated (events arrive in order, so a fill before the replace took
// effect is checked against the old limit).
// The value of a counter series with these labels in `registry` (-1 when it does not exist).
double Counter(prometheus::Registry& registry, const std::string& name,
               const std::map<std::string, std::string>& labels) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      std::map<std::string, std::string> have;
      for (const auto& label : metric.label) have[label.name] = label.value;
      bool match = true;
      for (const auto& [key, value] : labels) match = match && have[key] == value;
      if (match) return metric.counter.value;
    }
  }
  return -1;
}

// Seed 004 R56 with E8's numbers: a client bid of 99-266 inside the TPIM (99-26 / 99-27) is
// met by a dealer selling at 99-26: the fill is at the dealer's better price, for both sides.
// An order AOP does not cover trades at its resting price as in any book.
TEST_F(AopVenueTest, R56ADealersBetterPriceIsHonouredOnAProtectedOrder) {
  prometheus::Registry registry;
  SimulatedVenueConfig config = AopVenue(aop::kOneTwoFiftySixth);
  config.aop.coverage = AopCoverage::kListedParticipants;
  config.aop.protected_participants = {kClient};
  config.aop.metrics = &registry;
  Build(config, aop::kOneTwoFiftySixth);
  Rest(*b_, kMaker, 1, Side::kSell, T("99-27"), 100);
  Rest(*c_, kMaker, 2, Side::kBuy, T("99-26"), 100);
  Rest(*a_, kClient, 1, Side::kBuy, T("99-266"), 10);
  Rest(*a_, kDealer, 1, Side::kSell, T("99-26"), 10);
  const Events& client = Of(kAopVenue, kClient);
  const Events& dealer = Of(kAopVenue, kDealer);
  ASSERT_EQ(client.fills.size(), 1u);
  EXPECT_EQ(client.fills[0].price, T("99-26"));
  ASSERT_EQ(dealer.fills.size(), 1u);
  EXPECT_EQ(dealer.fills[0].price, T("99-26"));
  EXPECT_EQ(Counter(registry, "combo_venue_aop_dealer_price_fills_total", {{"venue", "AOPX"}}), 1);
  // kOther is not covered: its bid trades at its own price.
  Rest(*a_, kOther, 1, Side::kBuy, T("99-266"), 10);
  Rest(*a_, kDealer, 2, Side::kSell, T("99-26"), 10);
  ASSERT_EQ(Of(kAopVenue, kOther).fills.size(), 1u);
  EXPECT_EQ(Of(kAopVenue, kOther).fills[0].price, T("99-266"));
  EXPECT_EQ(Counter(registry, "combo_venue_aop_dealer_price_fills_total", {{"venue", "AOPX"}}), 1);
}

// Seed 004 R53 / E6 on a leg order: the client's bid of 99-28 is protected to the TPIM offer of
// 99-27+; a dealer's IOC sell at 99-28 (priced before the reprice) misses it by half a 32nd.
// With an autofill threshold of 1/32 it still fills, at the protected level 99-27+; with 1/4 of
// a 32nd it does not.
TEST_F(AopVenueTest, E6DealerAutofillFillsALegOrderAtTheProtectedLevel) {
  prometheus::Registry registry;
  SimulatedVenueConfig config = AopVenue(aop::kOneTwoFiftySixth);
  config.aop.metrics = &registry;
  Build(config, aop::kOneTwoFiftySixth);
  Rest(*c_, kMaker, 1, Side::kBuy, T("99-26"), 100);
  Rest(*a_, kClient, 1, Side::kBuy, T("99-28"), 20);
  Rest(*b_, kMaker, 2, Side::kSell, T("99-27+"), 100);
  const Events& client = Of(kAopVenue, kClient);
  ASSERT_EQ(client.restates.size(), 1u);
  EXPECT_EQ(client.restates[0].limit_price, T("99-27+"));
  const auto dealer_sells = [&](uint64_t id, Price threshold) {
    OrderRequest request;
    request.participant = kDealer;
    request.order_id = OrderId(id);
    request.instrument = kNote;
    request.side = Side::kSell;
    request.limit_price = T("99-28");
    request.quantity = Quantity(10);
    request.time_in_force = TimeInForce::kImmediateOrCancel;
    request.autofill_threshold = threshold;
    ASSERT_TRUE(a_->Submit(request).ok());
    Settle();
  };
  dealer_sells(1, aop::kOneTwoFiftySixth +
                      aop::kOneTwoFiftySixth);  // a quarter of a 32nd: ½/32 > ¼/32, no autofill
  EXPECT_TRUE(client.fills.empty());
  ASSERT_EQ(Of(kAopVenue, kDealer).cancels.size(), 1u);
  dealer_sells(2, T("0-01"));  // 1/32: ½/32 <= 1/32, filled at the protected level
  ASSERT_EQ(client.fills.size(), 1u);
  EXPECT_EQ(client.fills[0].price, T("99-27+"));
  EXPECT_EQ(client.fills[0].quantity, Quantity(10));
  ASSERT_EQ(Of(kAopVenue, kDealer).fills.size(), 1u);
  EXPECT_EQ(Of(kAopVenue, kDealer).fills[0].price, T("99-27+"));
  EXPECT_EQ(Counter(registry, "combo_venue_aop_autofills_total", {{"venue", "AOPX"}}), 1);
}

// An autofill threshold is for immediate limit orders at an AOP venue: a resting order, a
// threshold that is not positive, and a venue without AOP refuse it with the reason.
TEST_F(AopVenueTest, AnAutofillThresholdIsRefusedWhereItCannotAct) {
  Build(AopVenue(P("0.01")));
  OrderRequest request;
  request.participant = kDealer;
  request.order_id = OrderId(1);
  request.instrument = kNote;
  request.side = Side::kSell;
  request.limit_price = P("99.00");
  request.quantity = Quantity(10);
  request.autofill_threshold = P("0.03");
  ASSERT_TRUE(a_->Submit(request).ok());
  Settle();
  request.order_id = OrderId(2);
  request.time_in_force = TimeInForce::kImmediateOrCancel;
  request.autofill_threshold = P("0");
  ASSERT_TRUE(a_->Submit(request).ok());
  request.order_id = OrderId(3);
  request.autofill_threshold = P("0.03");
  ASSERT_TRUE(b_->Submit(request).ok());
  Settle();
  const Events& at_a = Of(kAopVenue, kDealer);
  ASSERT_EQ(at_a.rejects.size(), 2u);
  EXPECT_EQ(at_a.rejects[0].reason,
            "venue AOPX: autofill threshold: only on an immediate (IOC or FOK) limit order");
  EXPECT_EQ(at_a.rejects[1].reason, "venue AOPX: autofill threshold 0 is not positive");
  ASSERT_EQ(Of(kVenueB, kDealer).rejects.size(), 1u);
  EXPECT_EQ(Of(kVenueB, kDealer).rejects[0].reason,
            "venue B: autofill threshold: no automated order protection here");
  EXPECT_EQ(a_->open_orders(), 0u);
}

// The CBO book opened from the venue's config (aop.cbo_book), on the venue's Scheduler, with
// the seed's numbers. CBO 1 (E8's bid of 99-266 x 10): dealers 1 and 2 answer 5 ms apart
// inside the 300 ms window (E11 T-d), 2 at the better 99-26: the price auction gives it to 2 at
// 99-26 (R28, R56). CBO 2 (the same bid) meets no dealer: exclusive (1 s) -> open (1 s) ->
// protected; the TPIM offer drops to 99-26+ and AOP protects it there (E9); dealer 1 then sells
// at 99-27 with an autofill threshold of 1/32 and fills at the protected 99-26+ (R53).
TEST_F(AopVenueTest, TheConfiguredCboBookRunsEveryPhaseTheAuctionAndAutofill) {
  prometheus::Registry registry;
  SimulatedVenueConfig config = AopVenue(aop::kOneTwoFiftySixth);
  config.aop.metrics = &registry;
  config.aop.cbo_book = true;
  config.aop.cbo.exclusive_time = Duration::Seconds(1);
  config.aop.cbo.open_time = Duration::Seconds(1);
  config.aop.cbo.tie_break = aop::TieBreak::kPriceAuction;
  Build(config, aop::kOneTwoFiftySixth);
  class Recorder : public aop::CboListener {
   public:
    void OnCboAccepted(const aop::CboAccepted& /*e*/) override {}
    void OnCboPhaseChanged(const aop::CboPhaseChanged& e) override { phases.push_back(e.phase); }
    void OnCboRestated(const aop::CboRestated& e) override { restated.push_back(e); }
    void OnCboFill(const aop::CboFill& e) override { fills.push_back(e); }
    void OnCboDone(const aop::CboDone& /*e*/) override {}
    void OnResponseRejected(const aop::ResponseRejected& /*e*/) override {}
    void OnAopStatus(const AopStatusChanged& /*e*/) override {}
    void OnWindowClosed(const aop::CboWindowClosed& e) override { windows.push_back(e); }
    std::vector<aop::CboPhase> phases;
    std::vector<aop::CboRestated> restated;
    std::vector<aop::CboFill> fills;
    std::vector<aop::CboWindowClosed> windows;
  } recorder;
  aop::CboBook* book = a_->cbo_book();
  ASSERT_NE(book, nullptr);
  ASSERT_TRUE(a_->SubscribeCbo(&recorder).ok());
  EXPECT_EQ(a_->OpenCboBook(&recorder).status().code(), absl::StatusCode::kAlreadyExists);
  const ParticipantId dealer1(21), dealer2(22), dealer3(23);
  for (ParticipantId dealer : {dealer1, dealer2, dealer3}) book->Permit(kClient, dealer);
  Rest(*b_, kMaker, 1, Side::kSell, T("99-27"), 100);
  Rest(*c_, kMaker, 2, Side::kBuy, T("99-26"), 100);
  const auto submit = [&](uint64_t id) {
    aop::CboRequest request;
    request.client = kClient;
    request.id = OrderId(id);
    request.instrument = kNote;
    request.limit = T("99-266");
    request.quantity = Quantity(10);
    request.exclusive_dealers = {dealer1, dealer2};
    request.open_dealers = {dealer3};
    ASSERT_TRUE(book->Submit(request).ok());
  };
  const auto respond = [&](ParticipantId dealer, uint64_t id, Price price,
                           std::optional<Price> autofill) {
    ASSERT_TRUE(
        book->Respond({dealer, {kClient, OrderId(id)}, price, Quantity(10), autofill}).ok());
  };
  submit(1);
  time_.AdvanceBy(Duration::Milliseconds(10));
  respond(dealer1, 1, T("99-266"), std::nullopt);
  time_.AdvanceBy(Duration::Milliseconds(5));
  respond(dealer2, 1, T("99-26"), std::nullopt);
  time_.AdvanceBy(Duration::Milliseconds(300));
  ASSERT_EQ(recorder.fills.size(), 1u);
  EXPECT_EQ(recorder.fills[0].dealer, dealer2);
  EXPECT_EQ(recorder.fills[0].price, T("99-26"));
  ASSERT_EQ(recorder.windows.size(), 1u);
  EXPECT_EQ(recorder.windows[0].outcome, aop::WindowOutcome::kPriceAuction);
  EXPECT_EQ(recorder.windows[0].matching, 2u);

  submit(2);
  time_.AdvanceBy(Duration::Milliseconds(2001));
  EXPECT_EQ(book->Phase({kClient, OrderId(2)}), aop::CboPhase::kProtected);
  Rest(*b_, kMaker, 3, Side::kSell, T("99-26+"), 100);
  ASSERT_EQ(recorder.restated.size(), 1u);
  EXPECT_EQ(recorder.restated[0].level, T("99-26+"));
  EXPECT_EQ(recorder.restated[0].basis, aop::ProtectionBasis::kTopOfBook);
  respond(dealer1, 2, T("99-27"), T("0-01"));
  time_.AdvanceBy(Duration::Milliseconds(300));
  ASSERT_EQ(recorder.fills.size(), 2u);
  EXPECT_EQ(recorder.fills[1].kind, aop::FillKind::kDealerAutofill);
  EXPECT_EQ(recorder.fills[1].price, T("99-26+"));

  const std::map<std::string, std::string> venue = {{"venue", "AOPX"}};
  auto with = [&](std::string key, std::string value) {
    auto labels = venue;
    labels[key] = value;
    return labels;
  };
  EXPECT_EQ(Counter(registry, "combo_venue_cbo_phases_total", with("phase", "exclusive")), 2);
  EXPECT_EQ(Counter(registry, "combo_venue_cbo_phases_total", with("phase", "open")), 1);
  EXPECT_EQ(Counter(registry, "combo_venue_cbo_phases_total", with("phase", "protected")), 1);
  EXPECT_EQ(Counter(registry, "combo_venue_cbo_windows_total", with("outcome", "price_auction")),
            1);
  EXPECT_EQ(Counter(registry, "combo_venue_cbo_windows_total", with("outcome", "single")), 1);
  EXPECT_EQ(Counter(registry, "combo_venue_cbo_fills_total", with("kind", "standard")), 1);
  EXPECT_EQ(Counter(registry, "combo_venue_cbo_fills_total", with("kind", "dealer_autofill")), 1);
  EXPECT_EQ(Counter(registry, "combo_venue_cbo_reprices_total", with("reason", "top_of_book")), 1);
}

TEST(AopVenueConfigTest, ACboBookNeedsAop) {
  SimulatedVenueConfig config = PlainVenue(kAopVenue, "AOPX", P("0.01"));
  config.aop.cbo_book = true;
  core::SimulatedTime time;
  absl::StatusOr<std::unique_ptr<SimulatedVenue>> venue =
      SimulatedVenue::Create(std::move(config), &time);
  ASSERT_FALSE(venue.ok());
  EXPECT_EQ(venue.status().message(),
            "venue AOPX: a CBO book needs automated order protection (aop.enabled)");
}

#endif  // COMBO_AOP_SOAK

class LimitChecker : public Events {
 public:
  void Submitted(const OrderRequest& request) {
    limits[request.order_id.value()] = {request.side, request.limit_price};
  }
  void OnFill(const Fill& e) override {
    ++fills_seen;
    const auto& [side, limit] = limits.at(e.order_id.value());
    if (aop::BetterForClient(side, limit, e.price)) {
      ++violations;
      ADD_FAILURE() << "fill at " << e.price << " worse than the limit " << limit;
    }
  }
  void OnRestated(const OrderRestated& e) override {
    ++restated_seen;
    if (e.reason == RestatementReason::kReplaced) {
      limits.at(e.order_id.value()).second = e.limit_price;
    } else {
      const auto& [side, limit] = limits.at(e.order_id.value());
      if (aop::BetterForClient(side, limit, e.limit_price)) {
        ++violations;
        ADD_FAILURE() << "restated to " << e.limit_price << " beyond the limit " << limit;
      }
    }
  }
  std::map<uint64_t, std::pair<Side, Price>> limits;
  int64_t fills_seen = 0;
  int64_t restated_seen = 0;
  int64_t violations = 0;
};

// R58 on the venue: random makers on B and C move the TPIM and print trades; clients rest bids
// and offers on the AOP venue, replace them now and then, and dealers hit them. No fill (and no
// AOP restatement) of a client order is worse than the limit the client set.
TEST(COMBO_AOP_INVARIANT_SUITE(AopVenueInvariantTest), NoFillOfAProtectedOrderIsWorseThanItsLimit) {
  core::Rng rng(777);
  int64_t fills = 0;
  int64_t restatements = 0;
  const int runs = COMBO_AOP_RANDOM_RUNS / 10;
  for (int run = 0; run < runs; ++run) {
    core::SimulatedTime time;
    auto b = SimulatedVenue::Create(PlainVenue(kVenueB, "B", P("0.01")), &time).value();
    auto c = SimulatedVenue::Create(PlainVenue(kVenueC, "C", P("0.01")), &time).value();
    SimulatedVenueConfig config = AopVenue(P("0.01"));
    config.aop.protection.awp_enabled = rng.Bernoulli(0.5);
    config.aop.protection.awp_tick = P("0.001");  // finer than the venue: AopApply rounds
    config.aop.third_party.stale_after = Duration::Seconds(rng.UniformInt(1, 5));
    config.latency.outbound.market_data = {Duration::Microseconds(50), Duration::Microseconds(200)};
    config.latency.seed = rng.NextU64();
    auto a = SimulatedVenue::Create(config, &time).value();
    ASSERT_TRUE(a->ConnectAopSource(*b).ok());
    ASSERT_TRUE(a->ConnectAopSource(*c).ok());
    std::map<ParticipantId, LimitChecker> clients;
    Events others;
    for (SimulatedVenue* venue : {a.get(), b.get(), c.get()}) {
      for (ParticipantId who : {kClient, kOther}) {
        ASSERT_TRUE(venue->Connect(who, &clients[who]).ok());
      }
      for (ParticipantId who : {kDealer, kMaker}) ASSERT_TRUE(venue->Connect(who, &others).ok());
    }
    std::vector<std::pair<ParticipantId, uint64_t>> client_orders;
    uint64_t next_id = 1;
    const auto price = [&] { return P("99.00") + P("0.01") * rng.UniformInt(-20, 20); };
    for (int step = 0; step < 150; ++step) {
      OrderRequest request;
      request.order_id = OrderId(next_id++);
      request.instrument = kNote;
      request.side = rng.Bernoulli(0.5) ? Side::kBuy : Side::kSell;
      request.limit_price = price();
      request.quantity = Quantity(rng.UniformInt(1, 100));
      const int64_t action = rng.UniformInt(0, 9);
      if (action <= 4) {
        request.participant = kMaker;
        ASSERT_TRUE((rng.Bernoulli(0.5) ? b : c)->Submit(request).ok());
      } else if (action <= 6) {
        request.participant = rng.Bernoulli(0.5) ? kClient : kOther;
        clients[request.participant].Submitted(request);
        client_orders.emplace_back(request.participant, request.order_id.value());
        ASSERT_TRUE(a->Submit(request).ok());
      } else if (action == 7) {
        request.participant = kDealer;
        request.time_in_force = TimeInForce::kImmediateOrCancel;
        ASSERT_TRUE(a->Submit(request).ok());
      } else if (!client_orders.empty()) {
        const auto& [who, id] = client_orders[static_cast<size_t>(
            rng.UniformInt(0, static_cast<int64_t>(client_orders.size()) - 1))];
        ASSERT_TRUE(a->Replace({who, OrderId(id), price(), Quantity(rng.UniformInt(1, 100))}).ok());
      }
      time.AdvanceBy(Duration::Milliseconds(rng.UniformInt(0, 1500)));
    }
    time.AdvanceBy(Duration::Seconds(1));
    for (auto& [who, checker] : clients) {
      ASSERT_EQ(checker.violations, 0);
      fills += checker.fills_seen;
      restatements += checker.restated_seen;
    }
  }
  EXPECT_GT(fills, runs);
  EXPECT_GT(restatements, runs);
}

}  // namespace
}  // namespace combo::venues
