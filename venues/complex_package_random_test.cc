// Randomized run of a venue with latency protection and a complex-order book: leg and complex
// orders (Day and IOC), cancels, replaces and time passing, with some participants slow enough
// to be held and others not. After every step it checks that contracts are conserved per leg
// (every leg contract bought, by a leg order or inside a complex fill, was sold by someone, so
// held quantity never trades twice and no package trades a partial set of legs), that every
// complex fill is whole units whose leg prices reproduce its net price, and that no order fills
// more than it ever asked for; at the end, with every timer run, no hold or package is pending.
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "core/random.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "venues/complex_book_test_util.h"
#include "venues/simulated_venue.h"

#ifndef COMBO_PACKAGE_RANDOM_OPERATIONS
#define COMBO_PACKAGE_RANDOM_OPERATIONS 3000
#endif
// The soak build renames the suite so that CTest keeps both runs apart.
#ifndef COMBO_PACKAGE_RANDOM_SUITE
#define COMBO_PACKAGE_RANDOM_SUITE ComplexPackageRandomTest
#endif

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
using testing::Cents;
using testing::MakeCombo;

constexpr InstrumentId kLeg1(3);
constexpr InstrumentId kLeg2(4);
constexpr InstrumentId kTestProduct(99);
constexpr ComboId kTwoToOne(2);  // buy 2 x leg 1, sell 1 x leg 2
constexpr int kParticipants = 4;

class Checker : public VenueListener {
 public:
  void OnAck(const OrderAcked& /*e*/) override {}
  void OnReject(const OrderRejected& /*e*/) override {}
  void OnFill(const Fill& e) override {
    Count({e.participant.value(), e.order_id.value()}, e.quantity.value());
    (e.side == Side::kBuy ? bought : sold)[e.instrument.value()] += e.quantity.value();
  }
  void OnComplexFill(const ComplexFill& e) override {
    Count({e.participant.value(), e.order_id.value()}, e.quantity.value());
    ASSERT_EQ(e.legs.size(), 2u);
    const int64_t ratios[2] = {2, 1};
    Price net;
    for (size_t i = 0; i < 2; ++i) {
      const LegExecution& leg = e.legs[i];
      EXPECT_EQ(leg.quantity.value(), ratios[i] * e.quantity.value());
      (leg.side == Side::kBuy ? bought : sold)[leg.instrument.value()] += leg.quantity.value();
      // The legs are from this party's side; in canonical terms leg 1 is bought.
      const bool canonical_buy = (leg.side == Side::kBuy) == (e.side == Side::kBuy);
      const Price weighted = leg.price * ratios[i];
      net = canonical_buy ? net + weighted : net - weighted;
    }
    EXPECT_EQ(net, e.net_price);
    ++complex_fills;
  }
  void OnCancelled(const OrderCancelled& /*e*/) override {}
  void OnRestated(const OrderRestated& /*e*/) override {}
  void OnTradePending(const TradePending& e) override {
    ++pending;
    if (complex_ids.contains({e.participant.value(), e.order_id.value()})) ++complex_pending;
  }

  // No order fills more than the most it ever asked for.
  void Count(std::pair<uint32_t, uint64_t> key, int64_t quantity) {
    const int64_t total = filled[key] += quantity;
    EXPECT_LE(total, (*asked)[key]) << "order " << key.second << " of " << key.first;
  }

  std::map<std::pair<uint32_t, uint64_t>, int64_t>* asked = nullptr;
  std::map<std::pair<uint32_t, uint64_t>, int64_t> filled;
  std::map<uint32_t, int64_t> bought;
  std::map<uint32_t, int64_t> sold;
  int64_t complex_fills = 0;
  int64_t pending = 0;
  int64_t complex_pending = 0;
  std::set<std::pair<uint32_t, uint64_t>> complex_ids;
};

class NullLatencyListener : public LatencyListener {
 public:
  void OnTestOrderAccepted(const TestOrderAccepted& /*e*/) override {}
  void OnLatencyReport(const LatencyReport& /*e*/) override {}
};

void RunPackages(uint64_t seed) {
  core::SimulatedTime time;
  core::Rng rng(seed);
  SimulatedVenueConfig config;
  config.id = core::VenueId(9);
  config.name = "PKG-RANDOM";
  config.instruments = {{kLeg1, Cents(1)}, {kLeg2, Cents(1)}};
  config.complex_book.enabled = true;
  config.complex_book.combos.push_back(
      MakeCombo(kTwoToOne.value(), {{kLeg1, 2, Side::kBuy}, {kLeg2, 1, Side::kSell}}));
  config.latency_protection.enabled = true;
  config.latency_protection.scope = ConditionScope::kPerSubmitter;
  config.latency_protection.test_instrument = kTestProduct;
  std::unique_ptr<SimulatedVenue> venue = SimulatedVenue::Create(config, &time).value();
  Checker checker;
  NullLatencyListener latency;
  // 0.12 s (never held), 0.31 s (0.20 s), 0.65 s (0.40 s), 0.12 s.
  const int64_t latencies_ms[kParticipants] = {120, 310, 650, 120};
  for (uint32_t p = 1; p <= kParticipants; ++p) {
    ASSERT_TRUE(venue->Connect(ParticipantId(p), &checker).ok());
    ASSERT_TRUE(venue->ConnectLatency(ParticipantId(p), &latency).ok());
    ASSERT_TRUE(
        venue->ReportLatency(ParticipantId(p), Duration::Milliseconds(latencies_ms[p - 1])).ok());
  }
  time.AdvanceBy(Duration::Milliseconds(1));

  std::map<std::pair<uint32_t, uint64_t>, int64_t> asked;
  checker.asked = &asked;
  std::vector<std::pair<uint32_t, uint64_t>> ids;
  uint64_t next_id = 1;
  for (int op = 0; op < COMBO_PACKAGE_RANDOM_OPERATIONS; ++op) {
    const uint32_t participant = static_cast<uint32_t>(rng.UniformInt(1, kParticipants));
    const int64_t kind = rng.UniformInt(0, 99);
    if (kind < 45) {
      OrderRequest request;
      request.participant = ParticipantId(participant);
      request.order_id = OrderId(next_id++);
      const bool leg1 = rng.UniformInt(0, 1) == 0;
      request.instrument = leg1 ? kLeg1 : kLeg2;
      request.side = rng.UniformInt(0, 1) == 0 ? Side::kBuy : Side::kSell;
      request.limit_price = Cents(leg1 ? rng.UniformInt(95, 105) : rng.UniformInt(45, 55));
      request.quantity = Quantity(rng.UniformInt(1, 10));
      if (rng.UniformInt(0, 9) == 0) request.time_in_force = TimeInForce::kImmediateOrCancel;
      asked[{participant, request.order_id.value()}] = request.quantity.value();
      ids.emplace_back(participant, request.order_id.value());
      ASSERT_TRUE(venue->Submit(request).ok());
    } else if (kind < 70) {
      ComplexOrderRequest request;
      request.participant = ParticipantId(participant);
      request.order_id = OrderId(next_id++);
      request.combo = kTwoToOne;
      request.side = rng.UniformInt(0, 1) == 0 ? Side::kBuy : Side::kSell;
      request.limit_price = Cents(rng.UniformInt(130, 160));
      request.quantity = Quantity(rng.UniformInt(1, 5));
      if (rng.UniformInt(0, 9) == 0) request.time_in_force = TimeInForce::kImmediateOrCancel;
      if (rng.UniformInt(0, 19) == 0) request.condition = FillCondition::kAllOrNone;
      asked[{participant, request.order_id.value()}] = request.quantity.value();
      ids.emplace_back(participant, request.order_id.value());
      checker.complex_ids.insert({participant, request.order_id.value()});
      ASSERT_TRUE(venue->SubmitComplex(request).ok());
    } else if (kind < 82 && !ids.empty()) {
      const auto [owner, id] = ids[rng.UniformInt(0, static_cast<int64_t>(ids.size()) - 1)];
      ASSERT_TRUE(venue->Cancel({ParticipantId(owner), OrderId(id)}).ok());
    } else if (kind < 90 && !ids.empty()) {
      const auto [owner, id] = ids[rng.UniformInt(0, static_cast<int64_t>(ids.size()) - 1)];
      ReplaceRequest request;
      request.participant = ParticipantId(owner);
      request.order_id = OrderId(id);
      // Prices that suit either kind; an unsuitable one simply does not trade.
      request.limit_price = Cents(rng.UniformInt(45, 160));
      request.total_quantity = Quantity(rng.UniformInt(1, 10));
      int64_t& most = asked[{owner, id}];
      most = std::max(most, request.total_quantity.value());
      ASSERT_TRUE(venue->Replace(request).ok());
    } else {
      time.AdvanceBy(Duration::Milliseconds(rng.UniformInt(0, 150)));
    }
    time.AdvanceBy(Duration::Zero());
    for (uint32_t instrument : {kLeg1.value(), kLeg2.value()}) {
      ASSERT_EQ(checker.bought[instrument], checker.sold[instrument])
          << "instrument " << instrument << " after operation " << op << " (seed " << seed << ")";
    }
    if (::testing::Test::HasFailure()) return;
    // A venue's end of day now and then keeps the books at a working size (and voids the
    // packages of the Day orders it cancels).
    if (op % 1000 == 999) {
      venue->EndOfDay();
      time.AdvanceBy(Duration::Zero());
    }
  }
  time.RunUntilIdle();
  EXPECT_EQ(venue->latency_guard()->pending_count(), 0u);
  EXPECT_EQ(venue->latency_guard()->pending_package_count(), 0u);
  for (uint32_t instrument : {kLeg1.value(), kLeg2.value()}) {
    EXPECT_EQ(checker.bought[instrument], checker.sold[instrument]);
  }
  // The run exercised what it is meant to.
  EXPECT_GT(checker.complex_fills, 20);
  EXPECT_GT(checker.pending, 20);
  EXPECT_GT(checker.complex_pending, 20);  // packages were held
  std::cout << "seed " << seed << ": complex fills " << checker.complex_fills << ", pending "
            << checker.pending << " (complex " << checker.complex_pending << ")\n";
}

TEST(COMBO_PACKAGE_RANDOM_SUITE, ContractsAreConservedAndEveryPackageResolves) {
  RunPackages(11);
  RunPackages(12);
}

}  // namespace
}  // namespace combo::venues
