// The CBO book: phases, dealer responses, tie-breaking, autofill, the protected loop on the
// TPIM, stale data, combos, and the no-fill-worse-than-the-limit invariant (spec E6-E11, R58).
#include "venues/aop/cbo_book.h"

#include <string>
#include <vector>

#include "core/absl_compat.h"
#include "core/random.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "venues/aop/aop_test_util.h"

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

namespace combo::venues::aop {
namespace {

using core::Duration;
using core::Quantity;
using core::Side;
using testing::P;
using testing::ScriptedSource;
using testing::T;

const core::InstrumentId kNote(7);
[[maybe_unused]] const core::InstrumentId kLegA(1);
[[maybe_unused]] const core::InstrumentId kLegB(2);
const core::VenueId kAopVenue(1);
const core::VenueId kSource(2);
const core::ParticipantId kClient(100);
const core::ParticipantId kDealerA(201);
const core::ParticipantId kDealerB(202);
const core::ParticipantId kDealerC(203);
const core::ParticipantId kOpenDealer(301);
[[maybe_unused]] const core::ParticipantId kStranger(999);

class Recorder : public CboListener {
 public:
  void OnCboAccepted(const CboAccepted& e) override { accepted.push_back(e); }
  void OnCboPhaseChanged(const CboPhaseChanged& e) override { phases.push_back(e); }
  void OnCboRestated(const CboRestated& e) override { restated.push_back(e); }
  void OnCboFill(const CboFill& e) override { fills.push_back(e); }
  void OnCboDone(const CboDone& e) override { done.push_back(e); }
  void OnResponseRejected(const ResponseRejected& e) override { rejected.push_back(e); }
  void OnAopStatus(const AopStatusChanged& e) override { status.push_back(e); }
  size_t total() const {
    return accepted.size() + phases.size() + restated.size() + fills.size() + done.size() +
           rejected.size() + status.size();
  }
  std::vector<CboAccepted> accepted;
  std::vector<CboPhaseChanged> phases;
  std::vector<CboRestated> restated;
  std::vector<CboFill> fills;
  std::vector<CboDone> done;
  std::vector<ResponseRejected> rejected;
  std::vector<AopStatusChanged> status;
};

class CboBookTest : public ::testing::Test {
 protected:
  void Build(CboBookConfig config = {}, Duration stale_after = Duration::Seconds(3600)) {
    ThirdPartyMarketConfig market_config;
    market_config.sources = {kSource};
    market_config.stale_after = stale_after;
    market_ = ThirdPartyMarket::Create(market_config, &time_).value();
    source_ = std::make_unique<ScriptedSource>(kSource, &time_, market_.get());
    if (config.instruments.empty()) config.instruments[kNote] = testing::T("0-001");
    book_ = CboBook::Create(config, market_.get(), &time_, &events_, kAopVenue).value();
    for (core::ParticipantId dealer : {kDealerA, kDealerB, kDealerC, kOpenDealer}) {
      book_->Permit(kClient, dealer);
    }
  }
  // Client bid on the note, exclusive dealers A, B, C.
  CboRequest Bid(uint64_t id, core::Price limit, int64_t quantity) {
    CboRequest request;
    request.client = kClient;
    request.id = core::OrderId(id);
    request.instrument = kNote;
    request.side = Side::kBuy;
    request.limit = limit;
    request.quantity = Quantity(quantity);
    request.exclusive_dealers = {kDealerA, kDealerB, kDealerC};
    return request;
  }
  DealerResponse Sell(core::ParticipantId dealer, uint64_t id, core::Price price,
                      int64_t quantity) {
    return DealerResponse{dealer, {kClient, core::OrderId(id)}, price, Quantity(quantity), {}};
  }
  // Market 99-26 / 99-27, deep enough for the top-of-book path.
  void SeedMarket() {
    source_->Level(kNote, Side::kBuy, T("99-26"), 100);
    source_->Level(kNote, Side::kSell, T("99-27"), 100);
  }
  void ToProtected() { time_.AdvanceBy(Duration::Seconds(3)); }

  core::SimulatedTime time_;
  std::unique_ptr<ThirdPartyMarket> market_;
  std::unique_ptr<ScriptedSource> source_;
  Recorder events_;
  std::unique_ptr<CboBook> book_;
};

[[maybe_unused]] const CboKey kFirst{kClient, core::OrderId(1)};

#ifndef COMBO_AOP_SOAK  // the ordinary tests

TEST_F(CboBookTest, PhasesRunExclusiveThenOpenThenProtectedOnTheirTimers) {
  Build();
  CboRequest request = Bid(1, T("99-266"), 1);
  request.open_dealers = {kOpenDealer};
  ASSERT_TRUE(book_->Submit(request).ok());
  EXPECT_EQ(book_->Phase(kFirst), CboPhase::kExclusive);
  // An open-phase dealer may not answer in the exclusive phase.
  ASSERT_TRUE(book_->Respond(Sell(kOpenDealer, 1, T("99-266"), 1)).ok());
  ASSERT_EQ(events_.rejected.size(), 1u);
  EXPECT_EQ(events_.rejected[0].code, ResponseRejectCode::kNotEligible);
  time_.AdvanceBy(Duration::Seconds(3));
  EXPECT_EQ(book_->Phase(kFirst), CboPhase::kOpen);
  time_.AdvanceBy(Duration::Seconds(3));
  EXPECT_EQ(book_->Phase(kFirst), CboPhase::kProtected);
  ASSERT_EQ(events_.phases.size(), 3u);
  EXPECT_EQ(events_.phases[2].time - events_.phases[0].time, Duration::Seconds(6));
  // In the protected phase only the exclusive dealers (R23).
  ASSERT_TRUE(book_->Respond(Sell(kOpenDealer, 1, T("99-266"), 1)).ok());
  EXPECT_EQ(events_.rejected.back().code, ResponseRejectCode::kNotEligible);
}

TEST_F(CboBookTest, WithoutOpenDealersExclusiveGoesStraightToProtected) {
  Build();
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-266"), 1)).ok());
  ToProtected();
  EXPECT_EQ(book_->Phase(kFirst), CboPhase::kProtected);
}

TEST_F(CboBookTest, E8ClientInsideTheMarketFillsAtItsOwnLevel) {
  Build();
  SeedMarket();
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-266"), 1)).ok());
  ToProtected();
  EXPECT_TRUE(events_.restated.empty());
  ASSERT_TRUE(book_->Respond(Sell(kDealerA, 1, T("99-266"), 1)).ok());
  time_.AdvanceBy(Duration::Milliseconds(300));
  ASSERT_EQ(events_.fills.size(), 1u);
  EXPECT_EQ(events_.fills[0].price, T("99-266"));
  EXPECT_EQ(events_.fills[0].kind, FillKind::kStandard);
  ASSERT_EQ(events_.done.size(), 1u);
  EXPECT_EQ(events_.done[0].reason, CboDoneReason::kFilled);
}

TEST_F(CboBookTest, E9InvertedOfferProtectsAndFillsAt99Dash26Plus) {
  Build();
  SeedMarket();
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-266"), 1)).ok());
  ToProtected();
  source_->Level(kNote, Side::kSell, T("99-26+"), 100);
  ASSERT_EQ(events_.restated.size(), 1u);
  EXPECT_EQ(events_.restated[0].reason, RestatementReason::kAopTopOfBook);
  EXPECT_EQ(events_.restated[0].level, P("99.828125"));
  EXPECT_EQ(events_.restated[0].original_limit, T("99-266"));
  EXPECT_EQ(events_.restated[0].tpim_contra, T("99-26+"));
  ASSERT_TRUE(book_->Respond(Sell(kDealerA, 1, T("99-26+"), 1)).ok());
  // A dealer still at the old level misses: the level changed.
  ASSERT_TRUE(book_->Respond(Sell(kDealerB, 1, T("99-266"), 1)).ok());
  time_.AdvanceBy(Duration::Milliseconds(300));
  ASSERT_EQ(events_.fills.size(), 1u);
  EXPECT_EQ(events_.fills[0].price, P("99.828125"));
  EXPECT_EQ(events_.fills[0].dealer, kDealerA);
  ASSERT_EQ(events_.rejected.size(), 1u);
  EXPECT_EQ(events_.rejected[0].code, ResponseRejectCode::kLevelChanged);
}

TEST_F(CboBookTest, E10UnprotectToMin99Dash266And99Dash27ThenFillAtTheOriginal) {
  Build();
  SeedMarket();
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-266"), 1)).ok());
  ToProtected();
  source_->Level(kNote, Side::kSell, T("99-26+"), 100);
  source_->Level(kNote, Side::kSell, T("99-26+"), 0);  // the offer goes back to 99-27
  ASSERT_EQ(events_.restated.size(), 2u);
  EXPECT_EQ(events_.restated[1].reason, RestatementReason::kAopUnprotect);
  EXPECT_EQ(events_.restated[1].level, T("99-266"));
  EXPECT_FALSE(book_->Protection(kFirst)->aop_flag);
  ASSERT_TRUE(book_->Respond(Sell(kDealerA, 1, T("99-266"), 1)).ok());
  time_.AdvanceBy(Duration::Milliseconds(300));
  ASSERT_EQ(events_.fills.size(), 1u);
  EXPECT_EQ(events_.fills[0].price, T("99-266"));
}

TEST_F(CboBookTest, NoProtectionBeforeTheProtectedPhaseUnlessConfigured) {
  Build();
  SeedMarket();
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-266"), 1)).ok());
  source_->Level(kNote, Side::kSell, T("99-26+"), 100);
  EXPECT_TRUE(events_.restated.empty());
  // Entering the protected phase runs the loop on the current TPIM.
  ToProtected();
  ASSERT_EQ(events_.restated.size(), 1u);
  EXPECT_EQ(events_.restated[0].level, T("99-26+"));
}

TEST_F(CboBookTest, AopPhasesAllProtectsFromEntry) {
  CboBookConfig config;
  config.aop_phases = AopPhases::kAll;
  Build(config);
  SeedMarket();
  source_->Level(kNote, Side::kSell, T("99-26+"), 100);
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-266"), 1)).ok());
  ASSERT_EQ(events_.restated.size(), 1u);
  EXPECT_EQ(events_.restated[0].level, T("99-26+"));
}

TEST_F(CboBookTest, E6DealerAutofillWithinAThirtySecondFillsAtTheProtectedLevel) {
  Build();
  source_->Level(kNote, Side::kSell, T("99-28+"), 100);
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-28+"), 1)).ok());
  ToProtected();
  source_->Level(kNote, Side::kSell, T("99-27+"), 100);  // protect to 99-27+
  ASSERT_EQ(book_->Protection(kFirst)->level, T("99-27+"));
  DealerResponse response = Sell(kDealerA, 1, T("99-28"), 1);
  response.autofill_threshold = kOneThirtySecond;
  ASSERT_TRUE(book_->Respond(response).ok());
  time_.AdvanceBy(Duration::Milliseconds(300));
  ASSERT_EQ(events_.fills.size(), 1u);
  EXPECT_EQ(events_.fills[0].kind, FillKind::kDealerAutofill);
  EXPECT_EQ(events_.fills[0].price, P("99.859375"));  // 99-27+, the dealer absorbs 1/64
}

TEST_F(CboBookTest, E6DealerAutofillBeyondItsThresholdIsALevelChange) {
  Build();
  source_->Level(kNote, Side::kSell, T("99-28+"), 100);
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-28+"), 1)).ok());
  ToProtected();
  source_->Level(kNote, Side::kSell, T("99-27+"), 100);
  DealerResponse response = Sell(kDealerA, 1, T("99-28"), 1);
  response.autofill_threshold = T("0-002");  // a quarter of a 32nd < half a 32nd away
  ASSERT_TRUE(book_->Respond(response).ok());
  time_.AdvanceBy(Duration::Milliseconds(300));
  EXPECT_TRUE(events_.fills.empty());
  ASSERT_EQ(events_.rejected.size(), 1u);
  EXPECT_EQ(events_.rejected[0].code, ResponseRejectCode::kLevelChanged);
}

TEST_F(CboBookTest, ClientAutofillFillsAtTheDealerPriceWithinTheClientThreshold) {
  Build();
  SeedMarket();
  CboRequest request = Bid(1, T("99-28"), 1);
  request.client_autofill_threshold = kOneThirtySecond;
  ASSERT_TRUE(book_->Submit(request).ok());
  ToProtected();  // protected to the 99-27 offer
  ASSERT_EQ(book_->Protection(kFirst)->level, T("99-27"));
  ASSERT_TRUE(book_->Respond(Sell(kDealerA, 1, T("99-27+"), 1)).ok());
  time_.AdvanceBy(Duration::Milliseconds(300));
  ASSERT_EQ(events_.fills.size(), 1u);
  EXPECT_EQ(events_.fills[0].kind, FillKind::kClientAutofill);
  EXPECT_EQ(events_.fills[0].price, T("99-27+"));
}

TEST_F(CboBookTest, ClientAutofillNeverGoesBeyondTheOriginalLimit) {
  Build();
  SeedMarket();
  CboRequest request = Bid(1, T("99-27+"), 1);
  request.client_autofill_threshold = T("1-00");  // generous, but the limit still binds
  ASSERT_TRUE(book_->Submit(request).ok());
  ToProtected();
  ASSERT_TRUE(book_->Respond(Sell(kDealerA, 1, T("99-28"), 1)).ok());
  time_.AdvanceBy(Duration::Milliseconds(300));
  EXPECT_TRUE(events_.fills.empty());
  EXPECT_EQ(events_.rejected.back().code, ResponseRejectCode::kLevelChanged);
}

TEST_F(CboBookTest, E11aNoResponseNoMatch) {
  Build();
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-266"), 1)).ok());
  time_.AdvanceBy(Duration::Milliseconds(300));
  EXPECT_TRUE(events_.fills.empty());
  EXPECT_TRUE(events_.rejected.empty());
}

TEST_F(CboBookTest, E11bOneResponseWinsWhenItsWindowCloses) {
  Build();
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-266"), 1)).ok());
  time_.AdvanceBy(Duration::Milliseconds(120));
  ASSERT_TRUE(book_->Respond(Sell(kDealerB, 1, T("99-266"), 1)).ok());
  time_.AdvanceBy(Duration::Milliseconds(299));
  EXPECT_TRUE(events_.fills.empty());
  time_.AdvanceBy(Duration::Milliseconds(1));
  ASSERT_EQ(events_.fills.size(), 1u);
  EXPECT_EQ(events_.fills[0].dealer, kDealerB);
}

// Runs T-c once with `seed`: A at +10 ms, B at +15 ms, same price. Returns the winner.
core::ParticipantId TieBreakWinner(uint64_t seed, TieBreak tie_break, core::Price price_a,
                                   core::Price price_b) {
  core::SimulatedTime time;
  ThirdPartyMarketConfig market_config;
  market_config.sources = {kSource};
  auto market = ThirdPartyMarket::Create(market_config, &time).value();
  Recorder events;
  CboBookConfig config;
  config.instruments[kNote] = T("0-001");
  config.rng_seed = seed;
  config.tie_break = tie_break;
  auto book = CboBook::Create(config, market.get(), &time, &events).value();
  book->Permit(kClient, kDealerA);
  book->Permit(kClient, kDealerB);
  CboRequest request;
  request.client = kClient;
  request.id = core::OrderId(1);
  request.instrument = kNote;
  request.limit = T("99-28");
  request.quantity = Quantity(1);
  request.exclusive_dealers = {kDealerA, kDealerB};
  EXPECT_TRUE(book->Submit(request).ok());
  time.AdvanceBy(Duration::Milliseconds(10));
  EXPECT_TRUE(book->Respond({kDealerA, kFirst, price_a, Quantity(1), {}}).ok());
  time.AdvanceBy(Duration::Milliseconds(5));  // B's 5 ms handicap
  EXPECT_TRUE(book->Respond({kDealerB, kFirst, price_b, Quantity(1), {}}).ok());
  time.AdvanceBy(Duration::Milliseconds(300));
  EXPECT_EQ(events.fills.size(), 1u);
  EXPECT_EQ(events.rejected.size(), 1u);
  return events.fills.empty() ? core::ParticipantId() : events.fills[0].dealer;
}

TEST(CboTieBreakTest, E11cResponsesInOneWindowTieAndTheSeededDrawPicksEitherFairly) {
  int a_wins = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    if (TieBreakWinner(seed, TieBreak::kRandom, T("99-27"), T("99-27")) == kDealerA) ++a_wins;
  }
  EXPECT_GT(a_wins, 70);
  EXPECT_LT(a_wins, 130);
  // The same seed gives the same winner.
  EXPECT_EQ(TieBreakWinner(42, TieBreak::kRandom, T("99-27"), T("99-27")),
            TieBreakWinner(42, TieBreak::kRandom, T("99-27"), T("99-27")));
}

TEST(CboTieBreakTest, E11dThePriceAuctionPicksTheBetterPriceWhateverTheArrival) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    EXPECT_EQ(TieBreakWinner(seed, TieBreak::kPriceAuction, T("99-27"), T("99-26+")), kDealerB);
  }
}

TEST_F(CboBookTest, E11eAuctionExcludesTheWorsePriceAndDrawsAmongTheTied) {
  std::map<core::ParticipantId, int> wins;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    events_ = Recorder();
    CboBookConfig config;
    config.tie_break = TieBreak::kPriceAuction;
    config.rng_seed = seed;
    Build(config);
    ASSERT_TRUE(book_->Submit(Bid(1, T("99-28"), 1)).ok());
    ASSERT_TRUE(book_->Respond(Sell(kDealerC, 1, T("99-27+"), 1)).ok());
    ASSERT_TRUE(book_->Respond(Sell(kDealerA, 1, T("99-27"), 1)).ok());
    ASSERT_TRUE(book_->Respond(Sell(kDealerB, 1, T("99-27"), 1)).ok());
    time_.AdvanceBy(Duration::Milliseconds(300));
    ASSERT_EQ(events_.fills.size(), 1u);
    ++wins[events_.fills[0].dealer];
    time_.AdvanceBy(Duration::Seconds(10));
  }
  EXPECT_EQ(wins[kDealerC], 0);
  EXPECT_GT(wins[kDealerA], 10);
  EXPECT_GT(wins[kDealerB], 10);
}

TEST_F(CboBookTest, E11fAResponseAfterTheWindowOpensTheNextWindow) {
  Build();
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-28"), 2)).ok());
  ASSERT_TRUE(book_->Respond(Sell(kDealerA, 1, T("99-27"), 1)).ok());
  time_.AdvanceBy(Duration::Milliseconds(301));
  ASSERT_TRUE(book_->Respond(Sell(kDealerB, 1, T("99-27"), 1)).ok());
  ASSERT_EQ(events_.fills.size(), 1u);
  EXPECT_EQ(events_.fills[0].dealer, kDealerA);
  time_.AdvanceBy(Duration::Milliseconds(300));
  ASSERT_EQ(events_.fills.size(), 2u);
  EXPECT_EQ(events_.fills[1].dealer, kDealerB);
  EXPECT_EQ(events_.fills[1].time - events_.fills[0].time, Duration::Milliseconds(301));
}

TEST_F(CboBookTest, LosersThatStillMatchFillWhatIsLeftInRankOrder) {
  CboBookConfig config;
  config.tie_break = TieBreak::kPriceAuction;
  Build(config);
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-28"), 10)).ok());
  ASSERT_TRUE(book_->Respond(Sell(kDealerA, 1, T("99-27"), 6)).ok());
  ASSERT_TRUE(book_->Respond(Sell(kDealerB, 1, T("99-26"), 6)).ok());
  time_.AdvanceBy(Duration::Milliseconds(300));
  ASSERT_EQ(events_.fills.size(), 2u);
  EXPECT_EQ(events_.fills[0].dealer, kDealerB);
  EXPECT_EQ(events_.fills[0].quantity, Quantity(6));
  EXPECT_EQ(events_.fills[1].dealer, kDealerA);
  EXPECT_EQ(events_.fills[1].quantity, Quantity(4));
  EXPECT_EQ(events_.fills[1].leaves_quantity, Quantity(0));
}

TEST_F(CboBookTest, APhaseTimerExpiringDuringAWindowWaitsForIt) {
  Build();
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-28"), 10)).ok());
  time_.AdvanceBy(Duration::Milliseconds(2900));
  ASSERT_TRUE(book_->Respond(Sell(kDealerA, 1, T("99-27"), 4)).ok());
  time_.AdvanceBy(Duration::Milliseconds(150));  // the exclusive time ends inside the window
  EXPECT_EQ(book_->Phase(kFirst), CboPhase::kExclusive);
  time_.AdvanceBy(Duration::Milliseconds(150));
  ASSERT_EQ(events_.fills.size(), 1u);
  EXPECT_EQ(book_->Phase(kFirst), CboPhase::kProtected);
}

TEST_F(CboBookTest, CancelDuringTheWindowWinsAndRejectsThePendingResponses) {
  Build();
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-28"), 1)).ok());
  ASSERT_TRUE(book_->Respond(Sell(kDealerA, 1, T("99-27"), 1)).ok());
  ASSERT_TRUE(book_->Cancel(kFirst).ok());
  time_.AdvanceBy(Duration::Milliseconds(300));
  EXPECT_TRUE(events_.fills.empty());
  ASSERT_EQ(events_.done.size(), 1u);
  EXPECT_EQ(events_.done[0].reason, CboDoneReason::kCancelled);
  ASSERT_EQ(events_.rejected.size(), 1u);
  EXPECT_EQ(events_.rejected[0].code, ResponseRejectCode::kNothingLeft);
  EXPECT_FALSE(book_->Cancel(kFirst).ok());
}

TEST_F(CboBookTest, FillOrKillGetsOneWindowAndNeverReachesProtected) {
  Build();
  CboRequest request = Bid(1, T("99-28"), 10);
  request.time_in_force = CboTimeInForce::kFillOrKill;
  ASSERT_TRUE(book_->Submit(request).ok());
  ASSERT_TRUE(book_->Respond(Sell(kDealerA, 1, T("99-27"), 6)).ok());
  time_.AdvanceBy(Duration::Milliseconds(300));
  EXPECT_TRUE(events_.fills.empty());
  ASSERT_EQ(events_.rejected.size(), 1u);
  EXPECT_EQ(events_.rejected[0].code, ResponseRejectCode::kAllOrNone);
  ASSERT_EQ(events_.done.size(), 1u);
  EXPECT_EQ(events_.done[0].reason, CboDoneReason::kFillOrKillUnfilled);
}

TEST_F(CboBookTest, GoodForTimeExpiresTheOrder) {
  Build();
  CboRequest request = Bid(1, T("99-28"), 10);
  request.time_in_force = CboTimeInForce::kGoodForTime;
  request.good_for = Duration::Seconds(10);
  ASSERT_TRUE(book_->Submit(request).ok());
  time_.AdvanceBy(Duration::Seconds(10));
  ASSERT_EQ(events_.done.size(), 1u);
  EXPECT_EQ(events_.done[0].reason, CboDoneReason::kExpired);
  EXPECT_FALSE(book_->Phase(kFirst).has_value());
}

TEST_F(CboBookTest, StaleDataFreezesAopAndAutofillUntilFreshDataReturns) {
  Build(CboBookConfig{}, Duration::Seconds(2));
  SeedMarket();
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-28+"), 1)).ok());
  source_->Level(kNote, Side::kSell, T("99-28"), 100);
  ToProtected();  // silent for 3 s: stale at +2 s, before the protected phase
  ASSERT_EQ(events_.status.size(), 2u);  // active on the first data, then suspended
  EXPECT_EQ(events_.status[0].state, AopState::kActive);
  EXPECT_EQ(events_.status[1].state, AopState::kSuspended);
  EXPECT_EQ(events_.status[1].venue, kAopVenue);
  EXPECT_EQ(events_.status[1].time - events_.status[0].time, Duration::Seconds(2));
  EXPECT_TRUE(book_->frozen());
  EXPECT_TRUE(events_.restated.empty());  // no protection on stale data
  // Autofill is off: a response that would autofill against the (stale) TPIM misses.
  DealerResponse response = Sell(kDealerA, 1, T("99-29"), 1);
  response.autofill_threshold = kOneThirtySecond;
  ASSERT_TRUE(book_->Respond(response).ok());
  time_.AdvanceBy(Duration::Milliseconds(300));
  EXPECT_TRUE(events_.fills.empty());
  EXPECT_EQ(events_.rejected.back().code, ResponseRejectCode::kLevelChanged);
  // Fresh data: resumed, and the first update runs as a price-only update.
  source_->Level(kNote, Side::kSell, T("99-27+"), 100);
  ASSERT_EQ(events_.status.size(), 3u);
  EXPECT_EQ(events_.status[2].state, AopState::kActive);
  ASSERT_EQ(events_.restated.size(), 1u);
  EXPECT_EQ(events_.restated[0].level, T("99-27"));
}

TEST_F(CboBookTest, BadRequestsFailWithAReasonAndChangeNothing) {
  Build();
  const auto expect_error = [&](CboRequest request, std::string_view text) {
    const size_t before = events_.total();
    const absl::Status status = book_->Submit(request);
    EXPECT_FALSE(status.ok()) << text;
    EXPECT_NE(status.message().find(core::AsAbsl(text)), absl::string_view::npos)
        << status.message();
    EXPECT_EQ(events_.total(), before);
  };
  CboRequest request = Bid(1, T("99-28"), 0);
  expect_error(request, "quantity 0 is not positive");
  request = Bid(1, T("99-28"), 1);
  request.exclusive_dealers.clear();
  expect_error(request, "no exclusive dealer");
  request = Bid(1, T("99-28"), 1);
  request.exclusive_dealers = {kStranger};
  expect_error(request, "dealer 999 is not permissioned");
  request = Bid(1, T("99-28"), 1);
  request.instrument = core::InstrumentId(55);
  expect_error(request, "instrument 55 is not traded");
  request = Bid(1, P("99.001"), 1);
  expect_error(request, "not a multiple of the client tick");
  request = Bid(1, T("99-28"), 1);
  request.combo = core::ComboId(1);
  expect_error(request, "exactly one");
  request = Bid(1, T("99-28"), 1);
  request.combo = core::ComboId(1);
  request.instrument.reset();
  expect_error(request, "combo 1 is not known");
  request = Bid(1, T("99-28"), 1);
  request.time_in_force = CboTimeInForce::kGoodForTime;
  expect_error(request, "good-for time");
  ASSERT_TRUE(book_->Submit(Bid(1, T("99-28"), 1)).ok());
  expect_error(Bid(1, T("99-28"), 1), "already used");
  EXPECT_FALSE(book_->Respond(Sell(kDealerA, 1, T("99-27"), 0)).ok());
  ASSERT_TRUE(book_->Respond(Sell(kDealerA, 77, T("99-27"), 1)).ok());
  EXPECT_EQ(events_.rejected.back().code, ResponseRejectCode::kUnknownCbo);
}

TEST(CboBookConfigTest, RejectsABadConfig) {
  core::SimulatedTime time;
  ThirdPartyMarketConfig market_config;
  market_config.sources = {kSource};
  auto market = ThirdPartyMarket::Create(market_config, &time).value();
  Recorder events;
  CboBookConfig config;
  config.exclusive_time = Duration::Zero();
  EXPECT_FALSE(CboBook::Create(config, market.get(), &time, &events).ok());
  config = CboBookConfig{};
  config.instruments[kNote] = core::Price::Zero();
  EXPECT_NE(
      CboBook::Create(config, market.get(), &time, &events).status().message().find("client tick"),
      std::string_view::npos);
  config = CboBookConfig{};
  config.protection.awp_tick = core::Price::Zero();
  EXPECT_FALSE(CboBook::Create(config, market.get(), &time, &events).ok());
  EXPECT_FALSE(CboBook::Create(CboBookConfig{}, market.get(), &time, nullptr).ok());
}

// V2: a roll (buy A, sell B) resting as a bid of -0.05 is protected to -0.07 when leg A's
// offer drops on the third-party market, and fills there.
TEST(CboComboTest, V2RollBidIsProtectedToTheImpliedSpreadOffer) {
  core::SimulatedTime time;
  core::InstrumentCatalog catalog;
  for (auto [id, symbol] : {std::pair{kLegA, "UST2Y"}, std::pair{kLegB, "UST3Y"}}) {
    core::InstrumentDefinition definition;
    definition.id = id;
    definition.symbol = symbol;
    definition.underlying = symbol;
    ASSERT_TRUE(catalog.Add(core::Instrument::Create(definition).value()).ok());
  }
  core::ComboCatalog combos;
  const core::ComboId roll =
      combos
          .Intern(
              core::ComboSpec::Create({{kLegA, 1, Side::kBuy}, {kLegB, 1, Side::kSell}}).value())
          .value();
  ThirdPartyMarketConfig market_config;
  market_config.sources = {kSource};
  auto market = ThirdPartyMarket::Create(market_config, &time).value();
  ScriptedSource source(kSource, &time, market.get());
  Recorder events;
  CboBookConfig config;
  config.combos = &combos;
  config.catalog = &catalog;
  config.aop_phases = AopPhases::kAll;
  auto book = CboBook::Create(config, market.get(), &time, &events).value();
  book->Permit(kClient, kDealerA);
  source.Level(kLegA, Side::kSell, P("100.00"), 50);
  source.Level(kLegB, Side::kBuy, P("100.05"), 50);  // implied offer -0.05: locked, no action
  CboRequest request;
  request.client = kClient;
  request.id = core::OrderId(1);
  request.combo = roll;
  request.limit = P("-0.05");
  request.quantity = Quantity(10);
  request.exclusive_dealers = {kDealerA};
  ASSERT_TRUE(book->Submit(request).ok());
  EXPECT_TRUE(events.restated.empty());
  source.Level(kLegA, Side::kSell, P("99.98"), 20);  // implied offer -0.07 for 20
  ASSERT_EQ(events.restated.size(), 1u);
  EXPECT_EQ(events.restated[0].level, P("-0.07"));
  EXPECT_EQ(events.restated[0].reason, RestatementReason::kAopTopOfBook);
  ASSERT_TRUE(book->Respond({kDealerA, kFirst, P("-0.07"), Quantity(10), {}}).ok());
  time.AdvanceBy(Duration::Milliseconds(300));
  ASSERT_EQ(events.fills.size(), 1u);
  EXPECT_EQ(events.fills[0].price, P("-0.07"));
}

#endif  // COMBO_AOP_SOAK

// R58 over random runs: whatever the TPIM, the trades, the dealers' prices and autofill
// thresholds, no fill is worse than the client's original limit, and the AOP flag always says
// whether the level differs from the original.
TEST(COMBO_AOP_INVARIANT_SUITE(CboInvariantTest), NoFillIsEverWorseThanTheOriginalLimit) {
  core::Rng rng(20260104);
  int64_t fills = 0;
  int64_t restatements = 0;
  for (int run = 0; run < COMBO_AOP_RANDOM_RUNS; ++run) {
    core::SimulatedTime time;
    ThirdPartyMarketConfig market_config;
    market_config.sources = {kSource};
    market_config.stale_after = Duration::Seconds(rng.UniformInt(1, 20));
    auto market = ThirdPartyMarket::Create(market_config, &time).value();
    ScriptedSource source(kSource, &time, market.get());
    Recorder events;
    CboBookConfig config;
    config.instruments[kNote] = T("0-001");
    config.rng_seed = rng.NextU64();
    config.tie_break = rng.Bernoulli(0.5) ? TieBreak::kRandom : TieBreak::kPriceAuction;
    config.aop_phases = rng.Bernoulli(0.5) ? AopPhases::kAll : AopPhases::kProtectedOnly;
    config.protection.awp_enabled = rng.Bernoulli(0.5);
    config.protection.awp_tick = T("0-001");
    config.protection.awp_rounding =
        rng.Bernoulli(0.5) ? core::RoundingMode::kHalfUp : core::RoundingMode::kUp;
    config.protection.wff_tolerance = T("0-001") * rng.UniformInt(0, 4);
    auto book = CboBook::Create(config, market.get(), &time, &events).value();
    for (core::ParticipantId dealer : {kDealerA, kDealerB, kDealerC}) {
      book->Permit(kClient, dealer);
    }
    std::map<uint64_t, std::pair<Side, core::Price>> originals;
    const core::Price mid = T("99-16");
    const auto random_price = [&] { return mid + T("0-001") * rng.UniformInt(-64, 64); };
    uint64_t next_id = 1;
    for (int step = 0; step < 60; ++step) {
      const int64_t action = rng.UniformInt(0, 9);
      if (action <= 3) {
        source.Level(kNote, rng.Bernoulli(0.5) ? Side::kBuy : Side::kSell, random_price(),
                     rng.Bernoulli(0.2) ? 0 : rng.UniformInt(1, 300));
      } else if (action == 4) {
        source.Trade(kNote, random_price(), rng.UniformInt(1, 300));
      } else if (action == 5) {
        CboRequest request;
        request.client = kClient;
        request.id = core::OrderId(next_id++);
        request.instrument = kNote;
        request.side = rng.Bernoulli(0.5) ? Side::kBuy : Side::kSell;
        request.limit = random_price();
        request.quantity = Quantity(rng.UniformInt(1, 200));
        request.quantity_instruction = rng.Bernoulli(0.2) ? QuantityInstruction::kAllOrNone
                                                          : QuantityInstruction::kPartialsAccepted;
        request.exclusive_dealers = {kDealerA, kDealerB};
        if (rng.Bernoulli(0.5)) request.open_dealers = {kDealerC};
        if (rng.Bernoulli(0.5))
          request.client_autofill_threshold = T("0-001") * rng.UniformInt(1, 16);
        ASSERT_TRUE(book->Submit(request).ok());
        originals[request.id.value()] = {request.side, request.limit};
      } else if (action <= 8 && next_id > 1) {
        const uint64_t id = static_cast<uint64_t>(rng.UniformInt(1, next_id - 1));
        const core::ParticipantId dealers[] = {kDealerA, kDealerB, kDealerC};
        DealerResponse response{dealers[rng.UniformInt(0, 2)],
                                {kClient, core::OrderId(id)},
                                random_price(),
                                Quantity(rng.UniformInt(1, 200)),
                                {}};
        if (rng.Bernoulli(0.5)) response.autofill_threshold = T("0-001") * rng.UniformInt(1, 16);
        ASSERT_TRUE(book->Respond(response).ok());
      } else if (next_id > 1) {
        book->Cancel({kClient, core::OrderId(rng.UniformInt(1, next_id - 1))}).IgnoreError();
      }
      time.AdvanceBy(Duration::Milliseconds(rng.UniformInt(0, 1500)));
      for (uint64_t id = 1; id < next_id; ++id) {
        if (auto state = book->Protection({kClient, core::OrderId(id)})) {
          ASSERT_EQ(state->aop_flag, state->level != state->original);
          ASSERT_FALSE(BetterForClient(state->side, state->original, state->level))
              << "level " << state->level << " is worse than the original " << state->original;
        }
      }
    }
    time.AdvanceBy(Duration::Seconds(10));
    for (const CboFill& fill : events.fills) {
      const auto& [side, original] = originals.at(fill.cbo.id.value());
      ASSERT_FALSE(BetterForClient(side, original, fill.price))
          << "fill at " << fill.price << " is worse than the limit " << original;
    }
    fills += static_cast<int64_t>(events.fills.size());
    restatements += static_cast<int64_t>(events.restated.size());
  }
  // The runs exercise what they claim to.
  EXPECT_GT(fills, COMBO_AOP_RANDOM_RUNS);
  EXPECT_GT(restatements, COMBO_AOP_RANDOM_RUNS);
}

}  // namespace
}  // namespace combo::venues::aop
