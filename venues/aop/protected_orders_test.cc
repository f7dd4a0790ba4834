// The protected-order index: a market update visits exactly the orders it could change.
#include "venues/aop/protected_orders.h"

#include <vector>

#include "core/random.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace combo::venues::aop {
namespace {

using core::Price;
using core::PriceLevel;
using core::Quantity;
using core::Side;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

Price P(std::string_view text) { return Price::Parse(text).value(); }

const core::Timestamp kNow = core::Timestamp::FromUtc(2026, 1, 2, 14, 30, 0);

TEST(ProtectedOrdersTest, AQuietBidIsACandidateOnlyWhenTheOfferIsThroughItsLevel) {
  ProtectedOrders orders;
  orders.Add(1, 7, ProtectedOrder::Create(Side::kBuy, P("1.00"), Quantity(10)));
  orders.Add(2, 7, ProtectedOrder::Create(Side::kBuy, P("1.20"), Quantity(10)));
  orders.Add(3, 7, ProtectedOrder::Create(Side::kBuy, P("1.10"), Quantity(10)));
  EXPECT_THAT(orders.Candidates(7, Side::kBuy, P("1.25")), IsEmpty());
  EXPECT_THAT(orders.Candidates(7, Side::kBuy, P("1.20")), IsEmpty());  // at, not through
  EXPECT_THAT(orders.Candidates(7, Side::kBuy, P("1.05")), ElementsAre(2, 3));
  EXPECT_THAT(orders.Candidates(7, Side::kBuy, std::nullopt), IsEmpty());
  EXPECT_THAT(orders.Candidates(7, Side::kSell, P("0.50")), IsEmpty());
  EXPECT_THAT(orders.Candidates(8, Side::kBuy, P("0.50")), IsEmpty());
}

TEST(ProtectedOrdersTest, AQuietOfferIsACandidateOnlyWhenTheBidIsThroughItsLevel) {
  ProtectedOrders orders;
  orders.Add(4, 7, ProtectedOrder::Create(Side::kSell, P("2.00"), Quantity(10)));
  orders.Add(5, 7, ProtectedOrder::Create(Side::kSell, P("1.80"), Quantity(10)));
  EXPECT_THAT(orders.Candidates(7, Side::kSell, P("1.80")), IsEmpty());
  EXPECT_THAT(orders.Candidates(7, Side::kSell, P("1.90")), ElementsAre(5));
  EXPECT_THAT(orders.Candidates(7, Side::kSell, P("2.10")), ElementsAre(4, 5));
}

TEST(ProtectedOrdersTest, AnEngagedOrderIsAlwaysACandidateAndModifyRefilesIt) {
  ProtectedOrders orders;
  orders.Add(1, 7, ProtectedOrder::Create(Side::kBuy, P("1.00"), Quantity(10)));
  orders.Add(2, 7, ProtectedOrder::Create(Side::kBuy, P("1.20"), Quantity(10)));
  orders.Modify(2, [](ProtectedOrder& order) {
    order.level = P("1.10");
    order.aop_flag = true;
  });
  EXPECT_THAT(orders.Candidates(7, Side::kBuy, P("5.00")), ElementsAre(2));
  EXPECT_THAT(orders.Candidates(7, Side::kBuy, std::nullopt), ElementsAre(2));
  orders.Modify(1, [](ProtectedOrder& order) { order.wff = true; });
  EXPECT_THAT(orders.Candidates(7, Side::kBuy, P("5.00")), ElementsAre(1, 2));
  orders.Modify(2, [](ProtectedOrder& order) {
    order.level = order.original;
    order.aop_flag = false;
  });
  EXPECT_THAT(orders.Candidates(7, Side::kBuy, P("5.00")), ElementsAre(1));
  EXPECT_THAT(orders.Candidates(7, Side::kBuy, P("1.15")), ElementsAre(1, 2));
  orders.Erase(1);
  orders.Erase(2);
  EXPECT_TRUE(orders.empty());
  EXPECT_FALSE(orders.HasOrders(7, Side::kBuy));
  EXPECT_THAT(orders.Groups(), IsEmpty());
}

// The index against the rules themselves: on random orders and random contra markets, every
// order that OnQuote or OnTrade would change is a candidate, so skipping the others changes
// nothing.
TEST(ProtectedOrdersTest, EveryOrderAnUpdateWouldChangeIsACandidate) {
  core::Rng rng(20261207);
  const auto draw = [&] { return rng.NextU64(); };
  ProtectionConfig config;
  config.awp_enabled = true;
  config.awp_tick = P("0.01");
  const auto price = [&] { return Price::FromParts(1, (draw() % 100) * 10'000'000); };
  int changed_orders = 0;
  for (int round = 0; round < 200; ++round) {
    ProtectedOrders orders;
    std::vector<ProtectedOrder> plain;
    for (uint64_t tag = 0; tag < 30; ++tag) {
      const Side side = draw() % 2 == 0 ? Side::kBuy : Side::kSell;
      ProtectedOrder order = ProtectedOrder::Create(side, price(), Quantity(1 + draw() % 20));
      // Some orders start engaged, as earlier updates would have left them.
      if (draw() % 4 == 0) {
        ProtectionConfig any = config;
        const std::vector<PriceLevel> contra{{price(), Quantity(1 + draw() % 30)}};
        (void)OnTrade(order, contra[0].price, Quantity(draw() % 30), ContraMarket{contra}, any,
                      kNow);
      }
      orders.Add(tag, 1, order);
      plain.push_back(order);
    }
    const std::vector<PriceLevel> contra{{price(), Quantity(1 + draw() % 30)},
                                         {price() + P("0.50"), Quantity(50)}};
    const bool trade = draw() % 2 == 0;
    const Price trade_price = price();
    for (Side side : {Side::kBuy, Side::kSell}) {
      const std::optional<Price> reference = trade ? trade_price : contra[0].price;
      const std::vector<uint64_t> candidates = orders.Candidates(1, side, reference);
      for (uint64_t tag = 0; tag < plain.size(); ++tag) {
        if (plain[tag].side != side) continue;
        ProtectedOrder changed = plain[tag];
        if (trade) {
          (void)OnTrade(changed, trade_price, Quantity(5), ContraMarket{contra}, config, kNow);
        } else {
          (void)OnQuote(changed, ContraMarket{contra}, config, kNow);
        }
        const bool differs = changed.level != plain[tag].level ||
                             changed.aop_flag != plain[tag].aop_flag ||
                             changed.wff != plain[tag].wff || changed.basis != plain[tag].basis ||
                             changed.contra_at_last_mod != plain[tag].contra_at_last_mod;
        if (differs) {
          ++changed_orders;
          EXPECT_TRUE(std::find(candidates.begin(), candidates.end(), tag) != candidates.end())
              << "round " << round << " tag " << tag;
        }
      }
    }
  }
  EXPECT_GT(changed_orders, 100);  // the rules did act: the check above was exercised
}

}  // namespace
}  // namespace combo::venues::aop
