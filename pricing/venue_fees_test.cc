#include "pricing/venue_fees.h"

#include "gtest/gtest.h"
#include "pricing/test_market.h"

namespace combo::pricing {
namespace {

using testing::P;

TEST(VenueFeesTest, UnconfiguredVenueTradesFree) {
  VenueFees fees;
  EXPECT_EQ(fees.Find(core::VenueId(1), core::AssetClass::kOption), FeeSchedule{});
}

TEST(VenueFeesTest, FeesAreKeptPerVenueAndAssetClass) {
  VenueFees fees;
  ASSERT_TRUE(fees.Set(core::VenueId(1), core::AssetClass::kOption, {P("-0.20"), P("0.50")}).ok());
  ASSERT_TRUE(fees.Set(core::VenueId(1), core::AssetClass::kStock, {P("0"), P("0.003")}).ok());
  EXPECT_EQ(fees.Find(core::VenueId(1), core::AssetClass::kOption).taker, P("0.50"));
  EXPECT_EQ(fees.Find(core::VenueId(1), core::AssetClass::kOption).maker, P("-0.20"));
  EXPECT_EQ(fees.Find(core::VenueId(1), core::AssetClass::kStock).taker, P("0.003"));
  EXPECT_EQ(fees.Find(core::VenueId(2), core::AssetClass::kOption).taker, P("0"));
}

TEST(VenueFeesTest, AbsurdFeeIsRefusedAndChangesNothing) {
  VenueFees fees;
  ASSERT_TRUE(fees.Set(core::VenueId(1), core::AssetClass::kOption, {P("0"), P("0.50")}).ok());
  const absl::Status status =
      fees.Set(core::VenueId(1), core::AssetClass::kOption, {P("0"), P("5000")});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("taker fee 5000"), std::string::npos) << status;
  EXPECT_EQ(fees.Find(core::VenueId(1), core::AssetClass::kOption).taker, P("0.50"));
}

TEST(VenueFeesTest, FeePerPriceUnitRoundsAgainstTheTrader) {
  // 0.50 per option contract of 100 is 0.005 per price unit, exactly.
  EXPECT_EQ(FeePerPriceUnit(P("0.50"), 100), P("0.005"));
  // 1e-9 over 100 is not representable: rounded up, so a buyer pays at least the fee.
  EXPECT_EQ(FeePerPriceUnit(P("0.000000001"), 100), P("0.000000001"));
  // A rebate rounds toward zero: the trader is credited no more than the exact rebate.
  EXPECT_EQ(FeePerPriceUnit(P("-0.000000001"), 100), P("0"));
  EXPECT_EQ(NetOfFee(P("5.20"), core::Side::kBuy, P("0.005")), P("5.205"));
  EXPECT_EQ(NetOfFee(P("5.00"), core::Side::kSell, P("0.005")), P("4.995"));
}

}  // namespace
}  // namespace combo::pricing
