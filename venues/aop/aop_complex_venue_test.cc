// Automated order protection of a venue's native complex orders (seed 004 spec
// 6.1): a combo's third-party market is the implied market of its legs' Third Party Inside
// Markets (ratios, sides, exact fixed point, whole combo units), and resting complex orders run
// the protected loop against it: inversion, reprice with a restatement (keeping time priority),
// unprotect. The spec's V2 roll is here with its own numbers.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/random.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "venues/complex_book_test_util.h"
#include "venues/simulated_venue.h"

namespace combo::venues {
namespace {

using core::ComboId;
using core::Duration;
using core::InstrumentId;
using core::OrderId;
using core::ParticipantId;
using core::Price;
using core::Quantity;
using core::Side;
using testing::MakeCombo;

constexpr InstrumentId kLegA(41);
constexpr InstrumentId kLegB(42);
// V2's 1:1 roll: buy leg A, sell leg B.
constexpr ComboId kRoll(5);
// Buy 2 of leg A, sell 1 of leg B.
constexpr ComboId kTwoByOne(6);
const core::VenueId kAopVenue(1);
const core::VenueId kVenueB(2);
const core::VenueId kVenueC(3);
const ParticipantId kClient(10);
const ParticipantId kOther(11);
const ParticipantId kRouter(20);
const ParticipantId kMaker(30);

Price P(std::string_view text) { return Price::Parse(text).value(); }

class Events : public VenueListener {
 public:
  void OnAck(const OrderAcked& /*e*/) override {}
  void OnReject(const OrderRejected& e) override { rejects.push_back(e); }
  void OnFill(const Fill& e) override { fills.push_back(e); }
  void OnComplexFill(const ComplexFill& e) override { complex_fills.push_back(e); }
  void OnCancelled(const OrderCancelled& /*e*/) override {}
  void OnRestated(const OrderRestated& e) override { restates.push_back(e); }
  std::vector<OrderRejected> rejects;
  std::vector<Fill> fills;
  std::vector<ComplexFill> complex_fills;
  std::vector<OrderRestated> restates;
};

SimulatedVenueConfig LegVenue(core::VenueId id, std::string name) {
  SimulatedVenueConfig config;
  config.id = id;
  config.name = std::move(name);
  config.instruments = {{kLegA, P("0.01")}, {kLegB, P("0.01")}};
  return config;
}

class AopComplexVenueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SimulatedVenueConfig config = LegVenue(kAopVenue, "AOPX");
    config.aop.enabled = true;
    config.aop.third_party.sources = {kVenueB, kVenueC};
    config.aop.third_party.stale_after = Duration::Seconds(10);
    config.aop.metrics = &registry_;
    config.complex_book.enabled = true;
    config.complex_book.net_tick = P("0.01");
    config.complex_book.combos = {
        MakeCombo(kRoll.value(), {{kLegA, 1, Side::kBuy}, {kLegB, 1, Side::kSell}}),
        MakeCombo(kTwoByOne.value(), {{kLegA, 2, Side::kBuy}, {kLegB, 1, Side::kSell}})};
    b_ = SimulatedVenue::Create(LegVenue(kVenueB, "B"), &time_).value();
    c_ = SimulatedVenue::Create(LegVenue(kVenueC, "C"), &time_).value();
    a_ = SimulatedVenue::Create(std::move(config), &time_).value();
    ASSERT_TRUE(a_->ConnectAopSource(*b_).ok());
    ASSERT_TRUE(a_->ConnectAopSource(*c_).ok());
    for (SimulatedVenue* venue : {a_.get(), b_.get(), c_.get()}) {
      for (ParticipantId participant : {kClient, kOther, kRouter, kMaker}) {
        ASSERT_TRUE(venue->Connect(participant, &events_[venue->id()][participant]).ok());
      }
    }
  }
  void Rest(SimulatedVenue& venue, ParticipantId who, uint64_t id, InstrumentId instrument,
            Side side, Price price, int64_t quantity) {
    OrderRequest request;
    request.participant = who;
    request.order_id = OrderId(id);
    request.instrument = instrument;
    request.side = side;
    request.limit_price = price;
    request.quantity = Quantity(quantity);
    ASSERT_TRUE(venue.Submit(request).ok());
    Settle();
  }
  void RestComplex(ParticipantId who, uint64_t id, ComboId combo, Side side, Price price,
                   int64_t quantity) {
    ComplexOrderRequest request;
    request.participant = who;
    request.order_id = OrderId(id);
    request.combo = combo;
    request.side = side;
    request.limit_price = price;
    request.quantity = Quantity(quantity);
    ASSERT_TRUE(a_->SubmitComplex(request).ok());
    Settle();
  }
  void Cancel(SimulatedVenue& venue, ParticipantId who, uint64_t id) {
    ASSERT_TRUE(venue.Cancel({who, OrderId(id)}).ok());
    Settle();
  }
  void Settle() { time_.AdvanceBy(Duration::Milliseconds(1)); }
  Events& Of(core::VenueId venue, ParticipantId who) { return events_[venue][who]; }
  double Reprices(const std::string& reason) {
    for (const auto& family : registry_.Collect()) {
      if (family.name != "combo_venue_aop_reprices_total") continue;
      for (const auto& metric : family.metric) {
        bool venue = false;
        bool matches = false;
        for (const auto& label : metric.label) {
          venue = venue || (label.name == "venue" && label.value == "AOPX");
          matches = matches || (label.name == "reason" && label.value == reason);
        }
        if (venue && matches) return metric.counter.value;
      }
    }
    return -1;
  }
  // Third-party legs on B: A 0.95 / 1.02, B 1.05 / 1.12 (100 each): the roll's implied market is
  // -0.17 / -0.03 (C adds only a deep leg B bid). The AOP venue's own leg books make the roll's
  // range [-0.30, 0.10].
  void SeedLegs() {
    Rest(*b_, kMaker, 1, kLegA, Side::kBuy, P("0.95"), 100);
    Rest(*b_, kMaker, 2, kLegA, Side::kSell, P("1.02"), 100);
    Rest(*b_, kMaker, 3, kLegB, Side::kBuy, P("1.05"), 100);
    Rest(*b_, kMaker, 4, kLegB, Side::kSell, P("1.12"), 100);
    // C publishes too (a deep bid), so the third-party market is not stale (F1).
    Rest(*c_, kMaker, 9, kLegB, Side::kBuy, P("0.50"), 1);
    Rest(*a_, kMaker, 1, kLegA, Side::kBuy, P("0.90"), 100);
    Rest(*a_, kMaker, 2, kLegA, Side::kSell, P("1.10"), 100);
    Rest(*a_, kMaker, 3, kLegB, Side::kBuy, P("1.00"), 100);
    Rest(*a_, kMaker, 4, kLegB, Side::kSell, P("1.20"), 100);
  }

  core::SimulatedTime time_;
  prometheus::Registry registry_;
  std::unique_ptr<SimulatedVenue> a_, b_, c_;
  std::map<core::VenueId, std::map<ParticipantId, Events>> events_;
};

TEST_F(AopComplexVenueTest, V2RollBidIsRepricedToTheImpliedOfferAndFillsAtIt) {
  SeedLegs();
  RestComplex(kClient, 1, kRoll, Side::kBuy, P("-0.05"), 10);  // inside -0.17 / -0.03
  RestComplex(kOther, 1, kRoll, Side::kBuy, P("-0.07"), 10);   // later, already at -0.07
  const Events& client = Of(kAopVenue, kClient);
  EXPECT_TRUE(client.restates.empty());
  // Leg A is offered at 0.98 on C: the implied roll offer is 0.98 - 1.05 = -0.07 for 50 units.
  Rest(*c_, kMaker, 1, kLegA, Side::kSell, P("0.98"), 50);
  ASSERT_EQ(client.restates.size(), 1u);
  EXPECT_EQ(client.restates[0].reason, RestatementReason::kAopTopOfBook);
  EXPECT_EQ(client.restates[0].limit_price, P("-0.07"));
  EXPECT_EQ(client.restates[0].leaves_quantity, Quantity(10));
  EXPECT_EQ(client.restates[0].priority, QueuePriority::kKept);
  EXPECT_TRUE(Of(kAopVenue, kOther).restates.empty());  // at the contra exactly: no inversion
  const std::optional<aop::ProtectedOrder> state = a_->AopProtection(kClient, OrderId(1));
  ASSERT_TRUE(state.has_value());
  EXPECT_TRUE(state->aop_flag);
  EXPECT_EQ(state->original, P("-0.05"));
  EXPECT_EQ(a_->NativeTopOfBook(kRoll)->bid->price, P("-0.07"));
  EXPECT_EQ(Reprices("top_of_book"), 1);
  // The router sells 10 at -0.07: it meets the client's bid first (time kept), and the leg
  // prices net to -0.07.
  RestComplex(kRouter, 1, kRoll, Side::kSell, P("-0.07"), 10);
  ASSERT_EQ(client.complex_fills.size(), 1u);
  const ComplexFill& fill = client.complex_fills[0];
  EXPECT_EQ(fill.net_price, P("-0.07"));
  EXPECT_EQ(fill.quantity, Quantity(10));
  ASSERT_EQ(fill.legs.size(), 2u);
  EXPECT_EQ(fill.legs[0].price - fill.legs[1].price, P("-0.07"));
  EXPECT_TRUE(Of(kAopVenue, kOther).complex_fills.empty());
}

// The venue visits only the orders a leg update can change (venues/aop/protected_orders.h):
// with many bids resting below the market on both combos, the new implied offer reprices
// exactly the bids it is through, each once, and leaves the rest as they were.
TEST_F(AopComplexVenueTest, ALegQuoteRepricesExactlyTheBidsItsImpliedOfferIsThrough) {
  SeedLegs();
  // 200 roll bids from -0.29 to -0.10 and 200 2x1 bids far below: none inverted by -0.17/-0.03.
  for (uint64_t id = 1; id <= 200; ++id) {
    const Price limit = P("-0.29") + static_cast<int64_t>((id - 1) % 20) * P("0.01");
    RestComplex(kOther, id, kRoll, Side::kBuy, limit, 1);
    RestComplex(kOther, 1000 + id, kTwoByOne, Side::kBuy, P("-5.00"), 1);
  }
  RestComplex(kClient, 1, kRoll, Side::kBuy, P("-0.05"), 10);
  EXPECT_TRUE(Of(kAopVenue, kOther).restates.empty());
  // Leg A offered at 0.92 on C: the implied roll offer is 0.92 - 1.05 = -0.13 for 50 units,
  // through the client's -0.05 and the others' bids from -0.12 up (-0.12 to -0.10: 30 orders).
  Rest(*c_, kMaker, 1, kLegA, Side::kSell, P("0.92"), 50);
  const Events& client = Of(kAopVenue, kClient);
  ASSERT_EQ(client.restates.size(), 1u);
  EXPECT_EQ(client.restates[0].limit_price, P("-0.13"));
  const Events& other = Of(kAopVenue, kOther);
  ASSERT_EQ(other.restates.size(), 30u);
  for (size_t i = 1; i < other.restates.size(); ++i) {
    EXPECT_LT(other.restates[i - 1].order_id, other.restates[i].order_id);  // order of entry
  }
  for (const OrderRestated& restated : other.restates) {
    EXPECT_EQ(restated.limit_price, P("-0.13"));
    EXPECT_LT(restated.order_id, OrderId(1000));  // no 2x1 bid moved
  }
  EXPECT_EQ(Reprices("top_of_book"), 31);
}

TEST_F(AopComplexVenueTest, RollBidUnprotectsToItsOriginalWhenTheImpliedOfferMovesAway) {
  SeedLegs();
  RestComplex(kClient, 1, kRoll, Side::kBuy, P("-0.05"), 10);
  Rest(*c_, kMaker, 1, kLegA, Side::kSell, P("0.98"), 50);
  ASSERT_EQ(Of(kAopVenue, kClient).restates.size(), 1u);
  Cancel(*c_, kMaker, 1);  // back to -0.03, above the original: unprotect to -0.05
  const Events& client = Of(kAopVenue, kClient);
  ASSERT_EQ(client.restates.size(), 2u);
  EXPECT_EQ(client.restates[1].reason, RestatementReason::kAopUnprotect);
  EXPECT_EQ(client.restates[1].limit_price, P("-0.05"));
  EXPECT_FALSE(a_->AopProtection(kClient, OrderId(1))->aop_flag);
  EXPECT_EQ(Reprices("unprotect"), 1);
}

TEST_F(AopComplexVenueTest, RollOfferIsProtectedAgainstTheImpliedBid) {
  SeedLegs();
  RestComplex(kClient, 1, kRoll, Side::kSell, P("-0.10"), 10);  // inside -0.17 / -0.03
  // Leg B is offered at 1.04 on C: the implied roll bid is 0.95 - 1.04 = -0.09, through -0.10.
  Rest(*c_, kMaker, 1, kLegB, Side::kSell, P("1.04"), 10);
  const Events& client = Of(kAopVenue, kClient);
  ASSERT_EQ(client.restates.size(), 1u);
  EXPECT_EQ(client.restates[0].limit_price, P("-0.09"));  // an offer moves up
}

TEST_F(AopComplexVenueTest, LegTradeIsASyntheticComboTradeThatArmsWaitForFollow) {
  SeedLegs();
  RestComplex(kClient, 1, kRoll, Side::kBuy, P("-0.05"), 10);
  // 5 of leg A offered at 0.98 on B: the implied offer -0.07 is too small (5 < 10) to protect.
  Rest(*b_, kMaker, 5, kLegA, Side::kSell, P("0.98"), 5);
  const Events& client = Of(kAopVenue, kClient);
  EXPECT_TRUE(client.restates.empty());
  // They trade: a synthetic roll trade at 0.98 - 1.05 = -0.07 for 5 units, through the level
  // but too small to protect at once: wait-for-follow is armed (E5 on a combo).
  Rest(*b_, kRouter, 1, kLegA, Side::kBuy, P("0.98"), 5);
  EXPECT_TRUE(a_->AopProtection(kClient, OrderId(1))->wff);
  EXPECT_TRUE(client.restates.empty());
  // The follow quote: 8 offered at 0.98 again, still too small alone, but it follows the trade.
  Rest(*b_, kMaker, 6, kLegA, Side::kSell, P("0.98"), 8);
  ASSERT_EQ(client.restates.size(), 1u);
  EXPECT_EQ(client.restates[0].reason, RestatementReason::kAopWaitForFollow);
  EXPECT_EQ(client.restates[0].limit_price, P("-0.07"));
  EXPECT_EQ(Reprices("wait_for_follow"), 1);
}

TEST_F(AopComplexVenueTest, StaleThirdPartyMarketFreezesComplexProtectionUntilFreshData) {
  // Only B publishes: C has never sent anything, so the third-party market is stale (F1).
  Rest(*b_, kMaker, 1, kLegA, Side::kBuy, P("0.95"), 100);
  Rest(*b_, kMaker, 2, kLegA, Side::kSell, P("1.02"), 100);
  Rest(*b_, kMaker, 3, kLegB, Side::kBuy, P("1.05"), 100);
  Rest(*b_, kMaker, 4, kLegB, Side::kSell, P("1.12"), 100);
  RestComplex(kClient, 1, kRoll, Side::kBuy, P("-0.05"), 10);
  Rest(*b_, kMaker, 5, kLegA, Side::kSell, P("0.98"), 50);  // inverted, but frozen (F2)
  const Events& client = Of(kAopVenue, kClient);
  EXPECT_TRUE(client.restates.empty());
  // C speaks: the first fresh data runs as a price-only update (F3) and protects the roll.
  Rest(*c_, kMaker, 1, kLegB, Side::kBuy, P("0.50"), 1);
  ASSERT_EQ(client.restates.size(), 1u);
  EXPECT_EQ(client.restates[0].limit_price, P("-0.07"));
}

TEST_F(AopComplexVenueTest, ImpliedSizeCountsWholeCombosOnly) {
  SeedLegs();
  // 2 x A - B: implied offer 2 x 1.02 - 1.05 = 0.99 for 50 units.
  RestComplex(kClient, 1, kTwoByOne, Side::kBuy, P("0.98"), 10);
  const Events& client = Of(kAopVenue, kClient);
  EXPECT_TRUE(client.restates.empty());
  // A at 0.99 for 19 contracts: 2 x 0.99 - 1.05 = 0.93, but only 9 whole units (19 / 2): too
  // small for the 10 units resting (R36), so no protection.
  Rest(*c_, kMaker, 1, kLegA, Side::kSell, P("0.99"), 19);
  EXPECT_TRUE(client.restates.empty());
  // One more contract makes 10 whole units: protected to 0.93 exactly.
  Rest(*c_, kMaker, 2, kLegA, Side::kSell, P("0.99"), 1);
  ASSERT_EQ(client.restates.size(), 1u);
  EXPECT_EQ(client.restates[0].limit_price, P("0.93"));
}

TEST_F(AopComplexVenueTest, AnOwnersReplaceOfAComplexOrderSetsANewOriginal) {
  SeedLegs();
  RestComplex(kClient, 1, kRoll, Side::kBuy, P("-0.05"), 10);
  Rest(*c_, kMaker, 1, kLegA, Side::kSell, P("0.98"), 50);
  ASSERT_EQ(a_->AopProtection(kClient, OrderId(1))->level, P("-0.07"));
  ReplaceRequest replace;
  replace.participant = kClient;
  replace.order_id = OrderId(1);
  replace.limit_price = P("-0.12");
  replace.total_quantity = Quantity(10);
  ASSERT_TRUE(a_->Replace(replace).ok());
  Settle();
  const std::optional<aop::ProtectedOrder> state = a_->AopProtection(kClient, OrderId(1));
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->original, P("-0.12"));
  EXPECT_EQ(state->level, P("-0.12"));
  EXPECT_FALSE(state->aop_flag);
}

// R58 for complex orders: makers on B and C move the legs' TPIMs and print trades, clients rest
// roll bids and offers on the AOP venue and replace them now and then, dealers send immediate
// roll orders, and the venue's own leg books let orders leg in. No complex fill of a client (and
// no AOP restatement) is worse than the limit the client set, and the AOP flag always says
// whether the working level differs from the original.
class ComplexLimitChecker : public Events {
 public:
  void OnComplexFill(const ComplexFill& e) override {
    ++fills_seen;
    const auto& [side, limit] = limits.at(e.order_id.value());
    if (aop::BetterForClient(side, limit, e.net_price)) {
      ADD_FAILURE() << "complex fill at " << e.net_price << " worse than the limit " << limit;
    }
  }
  void OnRestated(const OrderRestated& e) override {
    if (e.reason == RestatementReason::kReplaced) {
      limits.at(e.order_id.value()).second = e.limit_price;
      return;
    }
    ++restated_seen;
    const auto& [side, limit] = limits.at(e.order_id.value());
    if (aop::BetterForClient(side, limit, e.limit_price)) {
      ADD_FAILURE() << "restated to " << e.limit_price << " beyond the limit " << limit;
    }
  }
  std::map<uint64_t, std::pair<Side, Price>> limits;
  int64_t fills_seen = 0;
  int64_t restated_seen = 0;
};

TEST(AopComplexInvariantTest, NoComplexFillOfAProtectedOrderIsWorseThanItsLimit) {
  core::Rng rng(4242);
  int64_t fills = 0;
  int64_t restatements = 0;
  const int runs = 20;
  for (int run = 0; run < runs; ++run) {
    core::SimulatedTime time;
    auto b = SimulatedVenue::Create(LegVenue(kVenueB, "B"), &time).value();
    auto c = SimulatedVenue::Create(LegVenue(kVenueC, "C"), &time).value();
    SimulatedVenueConfig config = LegVenue(kAopVenue, "AOPX");
    config.aop.enabled = true;
    config.aop.third_party.sources = {kVenueB, kVenueC};
    config.aop.third_party.stale_after = Duration::Seconds(rng.UniformInt(1, 5));
    config.aop.protection.awp_enabled = rng.Bernoulli(0.5);
    config.aop.protection.awp_tick = P("0.001");  // finer than the net tick: rounding applies
    config.complex_book.enabled = true;
    config.complex_book.net_tick = P("0.01");
    config.complex_book.combos = {
        MakeCombo(kRoll.value(), {{kLegA, 1, Side::kBuy}, {kLegB, 1, Side::kSell}})};
    auto a = SimulatedVenue::Create(config, &time).value();
    ASSERT_TRUE(a->ConnectAopSource(*b).ok());
    ASSERT_TRUE(a->ConnectAopSource(*c).ok());
    ComplexLimitChecker client;
    Events others;
    for (SimulatedVenue* venue : {a.get(), b.get(), c.get()}) {
      ASSERT_TRUE(venue->Connect(kClient, &client).ok());
      for (ParticipantId who : {kRouter, kMaker}) ASSERT_TRUE(venue->Connect(who, &others).ok());
    }
    std::vector<uint64_t> client_orders;
    uint64_t next_id = 1;
    const auto leg_price = [&](Price mid) { return mid + P("0.01") * rng.UniformInt(-8, 8); };
    const auto roll_price = [&] { return P("-0.05") + P("0.01") * rng.UniformInt(-10, 10); };
    for (int step = 0; step < 150; ++step) {
      const uint64_t id = next_id++;
      const int64_t action = rng.UniformInt(0, 11);
      const Side side = rng.Bernoulli(0.5) ? Side::kBuy : Side::kSell;
      if (action <= 5) {
        // Legs: A around 1.00, B around 1.05, on a source venue or on the AOP venue itself.
        OrderRequest request;
        request.participant = kMaker;
        request.order_id = OrderId(id);
        const bool leg_a = rng.Bernoulli(0.5);
        request.instrument = leg_a ? kLegA : kLegB;
        request.side = side;
        request.limit_price = leg_price(leg_a ? P("1.00") : P("1.05"));
        request.quantity = Quantity(rng.UniformInt(1, 40));
        SimulatedVenue& venue = action <= 1 ? *b : action <= 3 ? *c : *a;
        ASSERT_TRUE(venue.Submit(request).ok());
      } else if (action <= 8) {
        ComplexOrderRequest request;
        request.participant = action <= 7 ? kClient : kRouter;
        request.order_id = OrderId(id);
        request.combo = kRoll;
        request.side = side;
        request.limit_price = roll_price();
        request.quantity = Quantity(rng.UniformInt(1, 20));
        if (request.participant == kClient) {
          client.limits[id] = {side, request.limit_price};
          client_orders.push_back(id);
        } else {
          request.time_in_force = TimeInForce::kImmediateOrCancel;
        }
        ASSERT_TRUE(a->SubmitComplex(request).ok());
      } else if (!client_orders.empty()) {
        const uint64_t target = client_orders[static_cast<size_t>(
            rng.UniformInt(0, static_cast<int64_t>(client_orders.size()) - 1))];
        ASSERT_TRUE(
            a->Replace({kClient, OrderId(target), roll_price(), Quantity(rng.UniformInt(1, 20))})
                .ok());
      }
      time.AdvanceBy(Duration::Milliseconds(rng.UniformInt(0, 1500)));
      for (uint64_t order : client_orders) {
        if (std::optional<aop::ProtectedOrder> state = a->AopProtection(kClient, OrderId(order))) {
          ASSERT_EQ(state->aop_flag, state->level != state->original);
          ASSERT_FALSE(aop::BetterForClient(state->side, state->original, state->level));
        }
      }
    }
    ASSERT_FALSE(::testing::Test::HasFailure());
    fills += client.fills_seen;
    restatements += client.restated_seen;
  }
  EXPECT_GT(fills, runs);
  EXPECT_GT(restatements, runs);
}

}  // namespace
}  // namespace combo::venues
