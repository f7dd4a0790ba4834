#include "venues/negotiation/negotiation_venue.h"

#include <cstdlib>
#include <memory>
#include <vector>

#include "core/simulated_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "venues/negotiation/simulated_participant.h"
#include "venues/negotiation/test_participant.h"

namespace combo::venues::negotiation {
namespace {

using core::AccountId;
using core::ComboId;
using core::Duration;
using core::InstrumentId;
using core::OrderId;
using core::ParticipantId;
using core::Price;
using core::Quantity;
using core::Side;
using ::testing::HasSubstr;
using testing::P;
using testing::TestParticipant;

constexpr InstrumentId kIbm(1);
constexpr InstrumentId kMsft(2);
const ParticipantId kRouter(1);

class RecordingListener : public VenueListener {
 public:
  void OnAck(const OrderAcked& e) override { acks.push_back(e); }
  void OnReject(const OrderRejected& e) override { rejects.push_back(e); }
  void OnFill(const Fill& e) override { fills.push_back(e); }
  void OnComplexFill(const ComplexFill& e) override { complex_fills.push_back(e); }
  void OnCancelled(const OrderCancelled& e) override { cancels.push_back(e); }
  void OnRestated(const OrderRestated& e) override { restated.push_back(e); }
  std::vector<OrderAcked> acks;
  std::vector<OrderRejected> rejects;
  std::vector<Fill> fills;
  std::vector<ComplexFill> complex_fills;
  std::vector<OrderCancelled> cancels;
  std::vector<OrderRestated> restated;
};

class RecordingMarketData : public MarketDataListener {
 public:
  void OnLegBookUpdate(const core::LegBookUpdate& u) override { legs.push_back(u); }
  void OnNativeComboUpdate(const core::NativeComboUpdate& u) override { combos.push_back(u); }
  std::vector<core::LegBookUpdate> legs;
  std::vector<core::NativeComboUpdate> combos;
};

// The combo price of one unit from leg prices: sum of sign x weight x price.
Price ComboPrice(const ComplexFill& fill, const core::ComboSpec& spec,
                 const core::InstrumentCatalog& catalog) {
  Price total;
  for (size_t i = 0; i < spec.size(); ++i) {
    const int64_t weight = spec.leg(i).ratio * catalog.Find(spec.leg(i).instrument)->multiplier();
    total += core::Sign(spec.leg(i).side) * weight * fill.legs[i].price;
  }
  return total;
}

class NegotiationVenueTest : public ::testing::Test {
 protected:
  NegotiationVenueTest()
      : catalog_(testing::MakeCatalog()),
        service_(time_, catalog_, KeyPair::FromLabel("SERVICE"), ServiceConfig()) {
    spread_id_ = *combos_.Intern(spread_);
    NegotiationVenueConfig config;
    config.id = core::VenueId(7);
    config.account = AccountId("ROUTER");
    config.listed = {kIbm, kMsft};
    config.combos = {spread_id_};
    venue_ = std::make_unique<NegotiationVenue>(time_, service_, catalog_, combos_, config);
    EXPECT_TRUE(venue_->Start().ok());
    EXPECT_TRUE(venue_->Connect(kRouter, &listener_).ok());
    time_.AdvanceBy(Duration::Milliseconds(1));
  }

  std::unique_ptr<SimulatedParticipant> Dealer(const std::string& account, Interest interest) {
    SimulatedParticipantConfig config;
    config.account = AccountId(account);
    config.interests.push_back(std::move(interest));
    config.min_think_time = Duration::Milliseconds(250);
    config.max_think_time = Duration::Milliseconds(750);
    config.seed = 42;
    auto dealer = std::make_unique<SimulatedParticipant>(time_, service_, config);
    EXPECT_TRUE(dealer->Start().ok());
    time_.AdvanceBy(Duration::Milliseconds(1));
    return dealer;
  }

  ComplexOrderRequest BuySpread(uint64_t order_id, Quantity quantity, Price limit) const {
    ComplexOrderRequest request;
    request.participant = kRouter;
    request.order_id = OrderId(order_id);
    request.combo = spread_id_;
    request.side = Side::kBuy;
    request.limit_price = limit;
    request.quantity = quantity;
    return request;
  }

  core::SimulatedTime time_;
  core::InstrumentCatalog catalog_;
  core::ComboCatalog combos_;
  core::ComboSpec spread_ =
      *core::ComboSpec::Create({{kIbm, 1, Side::kBuy}, {kMsft, 1, Side::kSell}});
  ComboId spread_id_;
  NegotiationService service_;
  RecordingListener listener_;
  std::unique_ptr<NegotiationVenue> venue_;
};

TEST_F(NegotiationVenueTest, RouterComboOfferGetsOneAtomicFillFromASimulatedParticipant) {
  auto dealer = Dealer("DEALER", Interest{"[IBM +1 / MSFT -1]", std::nullopt, P(2), Quantity(50)});
  ASSERT_TRUE(
      venue_->SubmitComplex(BuySpread(1, Quantity(10), Price::FromParts(2, 500'000'000))).ok());
  time_.AdvanceBy(Duration::Milliseconds(1));
  ASSERT_EQ(listener_.acks.size(), 1u);
  EXPECT_EQ(listener_.acks[0].request, RequestKind::kNewComplex);
  // The dealer heard the whole combo as one offer.
  ASSERT_EQ(dealer->client().offers().size(), 1u);
  EXPECT_EQ(dealer->client().offers().begin()->second.offer.instrument, "[IBM +1 / MSFT -1]");

  time_.AdvanceBy(Duration::Seconds(2));
  ASSERT_EQ(listener_.complex_fills.size(), 1u);
  const ComplexFill& fill = listener_.complex_fills[0];
  EXPECT_EQ(fill.order_id, OrderId(1));
  EXPECT_EQ(fill.combo, spread_id_);
  EXPECT_EQ(fill.side, Side::kBuy);
  EXPECT_EQ(fill.quantity, Quantity(10));
  EXPECT_EQ(fill.leaves_quantity, Quantity(0));
  EXPECT_EQ(fill.net_price, Price::FromParts(2, 500'000'000));
  ASSERT_EQ(fill.legs.size(), 2u);
  EXPECT_EQ(fill.legs[0].instrument, kIbm);
  EXPECT_EQ(fill.legs[0].side, Side::kBuy);
  EXPECT_EQ(fill.legs[0].quantity, Quantity(10));
  EXPECT_EQ(fill.legs[1].instrument, kMsft);
  EXPECT_EQ(fill.legs[1].side, Side::kSell);
  EXPECT_EQ(fill.legs[1].quantity, Quantity(10));
  EXPECT_EQ(ComboPrice(fill, spread_, catalog_), fill.net_price);
  ASSERT_EQ(service_.trades().size(), 1u);
  EXPECT_EQ(service_.trades()[0].buyer, AccountId("ROUTER"));
  EXPECT_EQ(service_.trades()[0].seller, AccountId("DEALER"));
  EXPECT_TRUE(listener_.cancels.empty());
}

TEST_F(NegotiationVenueTest, LegPricesFollowTheReferenceAndSumExactly) {
  venue_->SetLegReference([](InstrumentId id) -> std::optional<Price> {
    if (id == kMsft) return Price::FromParts(300, 10'000'000);
    return std::nullopt;
  });
  auto dealer = Dealer("DEALER", Interest{"[IBM +1 / MSFT -1]", std::nullopt, P(2), Quantity(50)});
  ASSERT_TRUE(
      venue_->SubmitComplex(BuySpread(1, Quantity(10), Price::FromParts(2, 500'000'000))).ok());
  time_.AdvanceBy(Duration::Seconds(3));
  ASSERT_EQ(listener_.complex_fills.size(), 1u);
  const ComplexFill& fill = listener_.complex_fills[0];
  EXPECT_EQ(fill.legs[1].price, Price::FromParts(300, 10'000'000));
  EXPECT_EQ(fill.legs[0].price, Price::FromParts(302, 510'000'000));
}

TEST(SplitNetPriceTest, CoprimeWeightsAbsorbAnyRemainderExactly) {
  core::InstrumentCatalog catalog = testing::MakeCatalog();
  // 2 IBM against 3 MSFT: weights 2 and 3; a net of one nano cannot go on one leg alone.
  const core::ComboSpec combo =
      *core::ComboSpec::Create({{kIbm, 2, Side::kBuy}, {kMsft, 3, Side::kSell}});
  for (int64_t raw : {int64_t{1}, int64_t{-7}, int64_t{1'000'000'001}, int64_t{41'000'000'000}}) {
    const Price net = Price::FromRaw(raw);
    absl::StatusOr<std::vector<Price>> legs = SplitNetPrice(
        combo, catalog, net, [](InstrumentId) { return Price::FromUnits(5).value(); });
    ASSERT_TRUE(legs.ok()) << legs.status();
    EXPECT_EQ(2 * (*legs)[0] - 3 * (*legs)[1], net) << raw;
    // The remainder moves the legs by a few nanos at most.
    EXPECT_LT(std::abs(((*legs)[1] - Price::FromUnits(5).value()).raw()), 10);
  }
}

TEST(SplitNetPriceTest, UnknownLegIsAnError) {
  core::InstrumentCatalog catalog = testing::MakeCatalog();
  const core::ComboSpec combo =
      *core::ComboSpec::Create({{kIbm, 1, Side::kBuy}, {InstrumentId(99), 1, Side::kSell}});
  EXPECT_EQ(SplitNetPrice(combo, catalog, P(1), nullptr).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(NegotiationVenueTest, UntakenOfferExpiresAsItsTimeInForceSays) {
  ASSERT_TRUE(venue_->SubmitComplex(BuySpread(1, Quantity(10), P(2))).ok());
  ComplexOrderRequest ioc = BuySpread(2, Quantity(10), P(2));
  ioc.time_in_force = TimeInForce::kImmediateOrCancel;
  ASSERT_TRUE(venue_->SubmitComplex(ioc).ok());
  time_.AdvanceBy(Duration::Seconds(5));
  ASSERT_EQ(listener_.cancels.size(), 1u);
  EXPECT_EQ(listener_.cancels[0].order_id, OrderId(2));
  EXPECT_EQ(listener_.cancels[0].reason, CancelReason::kImmediateOrCancel);
  time_.AdvanceBy(Duration::Seconds(25));
  ASSERT_EQ(listener_.cancels.size(), 2u);
  EXPECT_EQ(listener_.cancels[1].order_id, OrderId(1));
  EXPECT_EQ(listener_.cancels[1].reason, CancelReason::kExpired);
  EXPECT_EQ(listener_.cancels[1].cancelled_quantity, Quantity(10));
}

TEST_F(NegotiationVenueTest, ExplicitTimeoutIsRoundedUpToWholeSeconds) {
  ASSERT_TRUE(
      venue_
          ->SubmitComplexWithTimeout(BuySpread(1, Quantity(1), P(2)), Duration::Milliseconds(1500))
          .ok());
  time_.AdvanceBy(Duration::Milliseconds(1999));
  EXPECT_TRUE(listener_.cancels.empty());
  time_.AdvanceBy(Duration::Milliseconds(1));
  EXPECT_EQ(listener_.cancels.size(), 1u);
}

TEST_F(NegotiationVenueTest, CancelWithdrawsTheOfferAndIsRefusedOnceTaken) {
  ASSERT_TRUE(venue_->SubmitComplex(BuySpread(1, Quantity(10), P(2))).ok());
  time_.AdvanceBy(Duration::Seconds(10));
  ASSERT_TRUE(venue_->Cancel(CancelRequest{kRouter, OrderId(1)}).ok());
  time_.AdvanceBy(Duration::Milliseconds(1));
  ASSERT_EQ(listener_.cancels.size(), 1u);
  EXPECT_EQ(listener_.cancels[0].reason, CancelReason::kRequested);
  EXPECT_EQ(service_.counters().withdrawals, 1);

  auto dealer = Dealer("DEALER", Interest{"[IBM +1 / MSFT -1]", std::nullopt, P(1), Quantity(50)});
  ASSERT_TRUE(venue_->SubmitComplex(BuySpread(2, Quantity(10), P(2))).ok());
  time_.AdvanceBy(Duration::Seconds(2));
  ASSERT_EQ(listener_.complex_fills.size(), 1u);
  ASSERT_TRUE(venue_->Cancel(CancelRequest{kRouter, OrderId(2)}).ok());
  time_.AdvanceBy(Duration::Milliseconds(1));
  ASSERT_EQ(listener_.rejects.size(), 1u);
  EXPECT_EQ(listener_.rejects[0].request, RequestKind::kCancel);
  EXPECT_EQ(listener_.rejects[0].code, RejectCode::kUnknownOrder);
}

TEST_F(NegotiationVenueTest, AcceptedTradeThatNeverCompletesEndsTheOrder) {
  // A counterparty that ACCEPTs but never sends its TRADE REQUEST.
  TestParticipant flaky(service_, "FLAKY");
  flaky.Login();
  ASSERT_TRUE(venue_->SubmitComplex(BuySpread(1, Quantity(10), P(2))).ok());
  const std::string id = flaky.One().message.id;
  flaky.Send(Message::Accept(id, Side::kSell, Quantity(10), "[IBM +1 / MSFT -1]", P(2)));
  time_.AdvanceBy(Duration::Seconds(31));
  EXPECT_TRUE(listener_.complex_fills.empty());
  ASSERT_EQ(listener_.cancels.size(), 1u);
  EXPECT_EQ(listener_.cancels[0].reason, CancelReason::kTradeFailed);
  EXPECT_EQ(service_.counters().lone_trade_requests_expired, 1);
}

TEST_F(NegotiationVenueTest, LegOrderFillsWhole) {
  auto dealer = Dealer("DEALER", Interest{"IBM", P(41), std::nullopt, Quantity(5000)});
  OrderRequest request;
  request.participant = kRouter;
  request.order_id = OrderId(9);
  request.instrument = kIbm;
  request.side = Side::kSell;
  request.limit_price = P(41);
  request.quantity = Quantity(1000);
  ASSERT_TRUE(venue_->Submit(request).ok());
  time_.AdvanceBy(Duration::Seconds(3));
  ASSERT_EQ(listener_.fills.size(), 1u);
  EXPECT_EQ(listener_.fills[0].instrument, kIbm);
  EXPECT_EQ(listener_.fills[0].side, Side::kSell);
  EXPECT_EQ(listener_.fills[0].price, P(41));
  EXPECT_EQ(listener_.fills[0].quantity, Quantity(1000));
  EXPECT_EQ(listener_.fills[0].leaves_quantity, Quantity(0));
}

TEST_F(NegotiationVenueTest, BadRequestsAreRejectedAsEventsOrRefusedAtAdmission) {
  // Admission: an unconnected participant, a reused order id.
  EXPECT_EQ(venue_
                ->SubmitComplex([&] {
                  ComplexOrderRequest r = BuySpread(1, Quantity(1), P(1));
                  r.participant = ParticipantId(99);
                  return r;
                }())
                .code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(venue_->SubmitComplex(BuySpread(1, Quantity(1), P(1))).ok());
  EXPECT_EQ(venue_->SubmitComplex(BuySpread(1, Quantity(1), P(1))).code(),
            absl::StatusCode::kAlreadyExists);
  // Events: unknown combo, market order, zero quantity, replace, unlisted leg.
  ComplexOrderRequest unknown = BuySpread(2, Quantity(1), P(1));
  unknown.combo = ComboId(77);
  ASSERT_TRUE(venue_->SubmitComplex(unknown).ok());
  ComplexOrderRequest market = BuySpread(3, Quantity(1), P(1));
  market.type = OrderType::kMarket;
  ASSERT_TRUE(venue_->SubmitComplex(market).ok());
  ASSERT_TRUE(venue_->SubmitComplex(BuySpread(4, Quantity(0), P(1))).ok());
  ASSERT_TRUE(venue_->Replace(ReplaceRequest{kRouter, OrderId(1), P(2), Quantity(1)}).ok());
  OrderRequest unlisted;
  unlisted.participant = kRouter;
  unlisted.order_id = OrderId(5);
  unlisted.instrument = InstrumentId(3);
  unlisted.limit_price = P(1);
  unlisted.quantity = Quantity(1);
  ASSERT_TRUE(venue_->Submit(unlisted).ok());
  EXPECT_TRUE(listener_.rejects.empty());  // never inside the request
  time_.AdvanceBy(Duration::Milliseconds(1));
  ASSERT_EQ(listener_.rejects.size(), 5u);
  EXPECT_EQ(listener_.rejects[0].code, RejectCode::kUnknownCombo);
  EXPECT_EQ(listener_.rejects[1].code, RejectCode::kUnsupportedCondition);
  EXPECT_EQ(listener_.rejects[2].code, RejectCode::kInvalidQuantity);
  EXPECT_EQ(listener_.rejects[3].request, RequestKind::kReplace);
  EXPECT_EQ(listener_.rejects[4].code, RejectCode::kUnlistedInstrument);
  for (const OrderRejected& reject : listener_.rejects) EXPECT_FALSE(reject.reason.empty());
  // Only order 1 reached the network.
  EXPECT_EQ(service_.counters().offers, 1);
}

TEST_F(NegotiationVenueTest, ServiceRefusalBecomesARejectEvent) {
  // A second venue instance under another account, both using the same offer-id prefix: the
  // second's first offer id is taken.
  NegotiationVenueConfig config;
  config.id = core::VenueId(8);
  config.account = AccountId("ROUTER2");
  config.combos = {spread_id_};
  NegotiationVenue other(time_, service_, catalog_, combos_, config);
  ASSERT_TRUE(other.Start().ok());
  RecordingListener other_listener;
  ASSERT_TRUE(other.Connect(kRouter, &other_listener).ok());
  time_.AdvanceBy(Duration::Milliseconds(1));
  ASSERT_TRUE(venue_->SubmitComplex(BuySpread(1, Quantity(1), P(1))).ok());
  ASSERT_TRUE(other.SubmitComplex(BuySpread(1, Quantity(1), P(1))).ok());
  time_.AdvanceBy(Duration::Milliseconds(1));
  ASSERT_EQ(other_listener.rejects.size(), 1u);
  EXPECT_EQ(other_listener.rejects[0].code, RejectCode::kInvalidRequest);
  EXPECT_THAT(other_listener.rejects[0].reason, HasSubstr("DUPLICATE_ID"));
  EXPECT_EQ(listener_.acks.size(), 1u);
}

TEST_F(NegotiationVenueTest, HeardOffersAreTheVenuesMarketData) {
  RecordingMarketData market_data;
  ASSERT_TRUE(venue_->Subscribe(&market_data).ok());
  EXPECT_EQ(venue_->Subscribe(&market_data).code(), absl::StatusCode::kAlreadyExists);
  TestParticipant seller(service_, "SELLER");
  seller.Login();
  seller.Send(Message::Offer("S1", Side::kSell, Quantity(500), "IBM", P(41), 60));
  seller.Send(Message::Offer("S2", Side::kSell, Quantity(300), "IBM", P(41), 60));
  // The mirror of the spread, sold: buying the canonical spread at -(-1.5) = 1.5... as a bid.
  seller.Send(Message::Offer("S3", Side::kSell, Quantity(4), "[MSFT +1 / IBM -1]",
                             Price::FromParts(-1, -500'000'000), 60));
  time_.AdvanceBy(Duration::Milliseconds(1));
  absl::StatusOr<core::TopOfBook> top = venue_->TopOfBook(kIbm);
  ASSERT_TRUE(top.ok());
  ASSERT_TRUE(top->ask.has_value());
  EXPECT_EQ(top->ask->price, P(41));
  EXPECT_EQ(top->ask->quantity, Quantity(800));
  EXPECT_FALSE(top->bid.has_value());
  ASSERT_EQ(market_data.legs.size(), 2u);
  EXPECT_EQ(market_data.legs[1].quantity, Quantity(800));
  EXPECT_EQ(market_data.legs[1].sequence, 2u);
  ASSERT_EQ(market_data.combos.size(), 1u);
  EXPECT_EQ(market_data.combos[0].combo, spread_id_);
  ASSERT_TRUE(market_data.combos[0].top.bid.has_value());
  EXPECT_EQ(market_data.combos[0].top.bid->price, Price::FromParts(1, 500'000'000));
  EXPECT_EQ(market_data.combos[0].top.bid->quantity, Quantity(4));

  seller.Send(Message::Withdraw("S1"));
  time_.AdvanceBy(Duration::Milliseconds(1));
  EXPECT_EQ(venue_->TopOfBook(kIbm)->ask->quantity, Quantity(300));
  EXPECT_EQ(venue_->BookDepth(kIbm, 5)->asks.size(), 1u);
  EXPECT_EQ(venue_->TopOfBook(InstrumentId(3)).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(NegotiationVenueTest, InvalidConfigIsRefusedNamingTheField) {
  NegotiationVenueConfig config;
  config.account = AccountId("X");
  config.offer_timeout = Duration::Zero();
  EXPECT_THAT(
      std::string(NegotiationVenue(time_, service_, catalog_, combos_, config).Start().message()),
      HasSubstr("offer_timeout"));
  config = NegotiationVenueConfig();
  config.account = AccountId("Y");
  config.offer_id_prefix = "bad prefix";
  EXPECT_THAT(
      std::string(NegotiationVenue(time_, service_, catalog_, combos_, config).Start().message()),
      HasSubstr("offer_id_prefix"));
  config = NegotiationVenueConfig();
  config.account = AccountId("Z");
  config.listed = {InstrumentId(99)};
  EXPECT_THAT(
      std::string(NegotiationVenue(time_, service_, catalog_, combos_, config).Start().message()),
      HasSubstr("unknown instrument"));
}

// --- Taking heard offers (seed 000 N1-N3: the router ACCEPTs instead of posting) -------------

class NegotiationTakeTest : public NegotiationVenueTest {
 protected:
  OrderRequest BuyIbm(uint64_t order_id, Quantity quantity, Price limit,
                      TimeInForce time_in_force = TimeInForce::kImmediateOrCancel) const {
    OrderRequest request;
    request.participant = kRouter;
    request.order_id = OrderId(order_id);
    request.instrument = kIbm;
    request.side = Side::kBuy;
    request.limit_price = limit;
    request.quantity = quantity;
    request.time_in_force = time_in_force;
    return request;
  }
  void Step() { time_.AdvanceBy(Duration::Milliseconds(1)); }
  // The ACCEPT the service relayed to `owner`, among its messages since the last drain.
  static std::optional<Incoming> RelayedAccept(TestParticipant& owner) {
    for (Incoming& incoming : owner.Drain()) {
      if (incoming.message.type == MessageType::kAccept) return incoming;
    }
    return std::nullopt;
  }
};

TEST_F(NegotiationTakeTest, N2AnOrderCrossingAHeardOfferAcceptsItAndTradesInsteadOfPosting) {
  TestParticipant seller(service_, "SELLER");
  seller.Login();
  seller.Send(Message::Offer("S1", Side::kSell, Quantity(100), "IBM", P(41), 60));
  Step();
  seller.Drain();
  ASSERT_TRUE(venue_->Submit(BuyIbm(1, Quantity(100), P(42))).ok());
  Step();
  // The venue took the offer: no offer of its own, its ACCEPT relayed to the seller.
  EXPECT_EQ(service_.counters().offers, 1);
  EXPECT_EQ(service_.counters().accepts_won, 1);
  ASSERT_EQ(listener_.acks.size(), 1u);
  std::optional<Incoming> accept = RelayedAccept(seller);
  ASSERT_TRUE(accept.has_value());
  EXPECT_EQ(accept->message.side, Side::kBuy);
  EXPECT_EQ(accept->message.price, P(41));
  seller.Send(
      Message::TradeRequest("S1", Side::kSell, Quantity(100), "IBM", P(41), accept->origin));
  Step();
  EXPECT_EQ(service_.counters().trades_confirmed, 1);
  ASSERT_EQ(listener_.fills.size(), 1u);
  EXPECT_EQ(listener_.fills[0].price, P(41));  // the offer's price, better than the limit
  EXPECT_EQ(listener_.fills[0].quantity, Quantity(100));
  EXPECT_EQ(listener_.fills[0].leaves_quantity, Quantity(0));
  EXPECT_EQ(listener_.fills[0].liquidity, Liquidity::kRemoved);
  EXPECT_EQ(venue_->count(NegotiationEvent::kOfferHeard), 1);
  EXPECT_EQ(venue_->count(NegotiationEvent::kAcceptSent), 1);
  EXPECT_EQ(venue_->count(NegotiationEvent::kAcceptWon), 1);
  EXPECT_EQ(venue_->count(NegotiationEvent::kTradeConfirmed), 1);
  EXPECT_EQ(venue_->count(NegotiationEvent::kOfferPosted), 0);
}

TEST_F(NegotiationTakeTest, AComboOrderTakesAMirroredComboOfferInItsOwnTerms) {
  TestParticipant seller(service_, "SELLER");
  seller.Login();
  // Selling the mirror at -1.5 is buying the canonical spread at 1.5: a bid for our sell.
  seller.Send(Message::Offer("S3", Side::kSell, Quantity(4), "[MSFT +1 / IBM -1]",
                             Price::FromParts(-1, -500'000'000), 60));
  Step();
  seller.Drain();
  ComplexOrderRequest sell = BuySpread(1, Quantity(4), P(1));
  sell.side = Side::kSell;
  ASSERT_TRUE(venue_->SubmitComplex(sell).ok());
  Step();
  std::optional<Incoming> accept = RelayedAccept(seller);
  ASSERT_TRUE(accept.has_value());
  EXPECT_EQ(accept->message.side, Side::kBuy);
  EXPECT_EQ(accept->message.instrument, "[MSFT +1 / IBM -1]");
  seller.Send(Message::TradeRequest("S3", Side::kSell, Quantity(4), "[MSFT +1 / IBM -1]",
                                    Price::FromParts(-1, -500'000'000), accept->origin));
  Step();
  ASSERT_EQ(listener_.complex_fills.size(), 1u);
  EXPECT_EQ(listener_.complex_fills[0].side, Side::kSell);
  EXPECT_EQ(listener_.complex_fills[0].net_price, Price::FromParts(1, 500'000'000));
  EXPECT_EQ(listener_.complex_fills[0].quantity, Quantity(4));
  EXPECT_EQ(ComboPrice(listener_.complex_fills[0], spread_, catalog_),
            Price::FromParts(1, 500'000'000));
}

TEST_F(NegotiationTakeTest, OwnOffersOffersLargerThanTheOrderAndOffersBeingTakenAreNotTaken) {
  RecordingMarketData market_data;
  ASSERT_TRUE(venue_->Subscribe(&market_data).ok());
  // Our own offer is never a price.
  ASSERT_TRUE(venue_->Submit(BuyIbm(1, Quantity(10), P(40), TimeInForce::kDay)).ok());
  Step();
  EXPECT_FALSE(venue_->TopOfBook(kIbm)->bid.has_value());
  EXPECT_TRUE(market_data.legs.empty());
  // An offer of 500 is all or none: an order for 100 cannot take it, and posts instead.
  TestParticipant seller(service_, "SELLER");
  seller.Login();
  seller.Send(Message::Offer("S1", Side::kSell, Quantity(500), "IBM", P(41), 60));
  Step();
  EXPECT_EQ(venue_->TopOfBook(kIbm)->ask->quantity, Quantity(500));
  ASSERT_TRUE(venue_->Submit(BuyIbm(2, Quantity(100), P(42))).ok());
  Step();
  EXPECT_EQ(venue_->count(NegotiationEvent::kAcceptSent), 0);
  EXPECT_EQ(venue_->count(NegotiationEvent::kOfferPosted), 2);
  // An order for 500 takes it, and while its ACCEPT is out the offer is no price any more.
  ASSERT_TRUE(venue_->Submit(BuyIbm(3, Quantity(500), P(42))).ok());
  Step();
  EXPECT_EQ(venue_->count(NegotiationEvent::kAcceptSent), 1);
  EXPECT_FALSE(venue_->TopOfBook(kIbm)->ask.has_value());
  EXPECT_EQ(market_data.legs.back().quantity, Quantity(0));
}

TEST_F(NegotiationTakeTest, N2AnOfferSomeoneTookFirstIsTooLateAndTheOrderPostsItsOwn) {
  TestParticipant seller(service_, "SELLER");
  TestParticipant rival(service_, "RIVAL");
  seller.Login();
  rival.Login();
  seller.Send(Message::Offer("S1", Side::kSell, Quantity(100), "IBM", P(41), 60));
  Step();
  // The rival takes it first; nobody else is told (N2), so the venue still counts it.
  rival.Send(Message::Accept("S1", Side::kBuy, Quantity(100), "IBM", P(41)));
  Step();
  EXPECT_EQ(venue_->TopOfBook(kIbm)->ask->price, P(41));
  ASSERT_TRUE(venue_->Submit(BuyIbm(1, Quantity(100), P(42), TimeInForce::kDay)).ok());
  Step();
  Step();
  EXPECT_EQ(venue_->count(NegotiationEvent::kAcceptLost), 1);
  EXPECT_FALSE(venue_->TopOfBook(kIbm)->ask.has_value());
  // It rests as an offer of its own at its limit, acknowledged once.
  EXPECT_EQ(venue_->count(NegotiationEvent::kOfferPosted), 1);
  ASSERT_EQ(listener_.acks.size(), 1u);
  EXPECT_TRUE(listener_.fills.empty());
  EXPECT_TRUE(listener_.cancels.empty());
}

TEST_F(NegotiationTakeTest, ACancelWhileAnAcceptIsOutEndsTheOrderWithWhatTheAcceptGot) {
  TestParticipant seller(service_, "SELLER");
  seller.Login();
  seller.Send(Message::Offer("S1", Side::kSell, Quantity(60), "IBM", P(41), 60));
  Step();
  seller.Drain();
  ASSERT_TRUE(venue_->Submit(BuyIbm(1, Quantity(100), P(42), TimeInForce::kDay)).ok());
  ASSERT_TRUE(venue_->Cancel(CancelRequest{kRouter, OrderId(1)}).ok());
  Step();
  std::optional<Incoming> accept = RelayedAccept(seller);
  ASSERT_TRUE(accept.has_value());
  seller.Send(Message::TradeRequest("S1", Side::kSell, Quantity(60), "IBM", P(41), accept->origin));
  Step();
  ASSERT_EQ(listener_.fills.size(), 1u);
  EXPECT_EQ(listener_.fills[0].quantity, Quantity(60));
  EXPECT_EQ(listener_.fills[0].leaves_quantity, Quantity(40));
  ASSERT_EQ(listener_.cancels.size(), 1u);
  EXPECT_EQ(listener_.cancels[0].reason, CancelReason::kRequested);
  EXPECT_EQ(listener_.cancels[0].cancelled_quantity, Quantity(40));
  EXPECT_EQ(venue_->count(NegotiationEvent::kOfferPosted), 0);
}

TEST_F(NegotiationTakeTest, N7APrematureWithdrawalThatWouldThrottleTheVenueWaitsForMinimumLife) {
  // The default policy: 5 s minimum life, throttled at 50% premature once 5 offers ended.
  for (uint64_t id = 1; id <= 6; ++id) {
    ASSERT_TRUE(venue_->Submit(BuyIbm(id, Quantity(1), P(40), TimeInForce::kDay)).ok());
    Step();
    ASSERT_TRUE(venue_->Cancel(CancelRequest{kRouter, OrderId(id)}).ok());
    Step();
  }
  // Four withdrew at once; the fifth would have been 5 premature of 5: it waits, as does the
  // sixth, until each offer has lived its 5 s.
  EXPECT_EQ(venue_->count(NegotiationEvent::kWithdrawalSent), 4);
  EXPECT_EQ(venue_->count(NegotiationEvent::kWithdrawalDeferred), 2);
  EXPECT_EQ(listener_.cancels.size(), 4u);
  time_.AdvanceBy(Duration::Seconds(5));
  EXPECT_EQ(listener_.cancels.size(), 6u);
  EXPECT_EQ(service_.withdrawal_stats(AccountId("ROUTER")).premature_withdrawals, 4);
  EXPECT_EQ(service_.withdrawal_stats(AccountId("ROUTER")).throttled_until, core::Timestamp());
  // Never throttled: a new offer is posted.
  ASSERT_TRUE(venue_->Submit(BuyIbm(7, Quantity(1), P(40), TimeInForce::kDay)).ok());
  Step();
  EXPECT_EQ(venue_->count(NegotiationEvent::kOfferThrottled), 0);
  EXPECT_EQ(venue_->count(NegotiationEvent::kOfferPosted), 7);
}

TEST_F(NegotiationTakeTest, TheLongestOrderLifeCoversAnAcceptsTradeAnOfferAndItsTrade) {
  // 30 s trade requests, 30 s offers: 30 + 30 + 30.
  EXPECT_EQ(venue_->LongestOrderLife(), Duration::Seconds(90));
}

}  // namespace
}  // namespace combo::venues::negotiation
