// Proves that a risk check evaluates without heap allocation: this test binary replaces the
// global operator new/delete with counting versions, and the checks run between two reads of
// the counter, on the allow path and on the deny path of every rule, with a listener attached.
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "risk/risk_test_fixture.h"

namespace {
std::atomic<int64_t> g_allocations{0};

void* CountedAllocate(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (size == 0) size = 1;
  if (void* p = std::malloc(size)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) { return CountedAllocate(size); }
void* operator new[](std::size_t size) { return CountedAllocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace combo::risk {
namespace {

using ::combo::risk::testing::Operator;
using ::combo::risk::testing::RiskTest;

// A listener that looks at every event without allocating, as a production one on the hot
// path would (it would render Describe() later, off the check path).
class CountingListener : public RiskListener {
 public:
  void OnOrderDenied(const OrderDenied& e) override {
    ++order_denials;
    last_rule = e.decision.rule();
  }
  void OnLegInDenied(const LegInDenied& e) override {
    ++legin_denials;
    last_rule = e.decision.rule();
  }
  int order_denials = 0;
  int legin_denials = 0;
  RiskRule last_rule = RiskRule::kTradingHalted;
};

class RiskAllocationTest : public RiskTest {
 protected:
  void SetUp() override {
    risk_->SetListener(&counting_);
    // Working orders and exposure so the credit and exposure paths look things up.
    ASSERT_TRUE(risk_
                    ->OnOrderAccepted(core::OrderId(1), core::ClientId("BRK1"),
                                      core::ClientOrderId("USED-CLORDID-LONGER-THAN-SSO"),
                                      core::Quantity(10), Dollars(10'000))
                    .ok());
    ASSERT_TRUE(
        risk_
            ->ReportLegInExposure(core::OrderId(1),
                                  LegInExposure{core::Quantity(50), Dollars(50'000), 20'000.0})
            .ok());
  }

  // Runs the check and returns how many allocations it made.
  int64_t AllocationsOf(const OrderCheckRequest& request, RiskDecision& decision) {
    const int64_t before = g_allocations.load();
    auto result = risk_->CheckOrder(request);
    const int64_t after = g_allocations.load();
    EXPECT_TRUE(result.ok());
    if (result.ok()) decision = *result;
    return after - before;
  }
  int64_t AllocationsOf(const LegInRequest& request, RiskDecision& decision) {
    const int64_t before = g_allocations.load();
    auto result = risk_->CheckLegIn(request);
    const int64_t after = g_allocations.load();
    EXPECT_TRUE(result.ok());
    if (result.ok()) decision = *result;
    return after - before;
  }

  CountingListener counting_;
};

TEST_F(RiskAllocationTest, TheCountingAllocatorSeesAllocations) {
  const int64_t before = g_allocations.load();
  auto* s = new std::string(100, 'x');
  delete s;
  EXPECT_GT(g_allocations.load(), before);
}

TEST_F(RiskAllocationTest, AnAllowedOrderCheckDoesNotAllocate) {
  RiskDecision decision = RiskDecision::Allow();
  OrderCheckRequest r = Baseline("A-CLIENT-ORDER-ID-LONGER-THAN-SSO");
  EXPECT_EQ(AllocationsOf(r, decision), 0);
  EXPECT_TRUE(decision.allowed());
  r.replaces = core::OrderId(1);
  EXPECT_EQ(AllocationsOf(r, decision), 0);
  EXPECT_TRUE(decision.allowed());
}

TEST_F(RiskAllocationTest, EveryOrderDenialPathDoesNotAllocate) {
  RiskLimits limits = testing::TestLimits();
  limits.blocked_instruments = {core::InstrumentId(99)};
  std::vector<std::pair<RiskRule, OrderCheckRequest>> cases;
  OrderCheckRequest r = Baseline("USED-CLORDID-LONGER-THAN-SSO");
  cases.emplace_back(RiskRule::kDuplicateClientOrderId, r);
  r = Baseline();
  r.quantity = core::Quantity(5'000);
  cases.emplace_back(RiskRule::kMaxComboQuantity, r);
  r = Baseline();
  r.notional = Dollars(2'000'000);
  cases.emplace_back(RiskRule::kMaxNotional, r);
  r = Baseline();
  r.limit_price = core::Price::FromParts(9, 0);
  cases.emplace_back(RiskRule::kPriceCollar, r);
  r = Baseline();
  r.notional = Dollars(45'000);
  cases.emplace_back(RiskRule::kClientCreditLimit, r);
  std::vector<core::VenueId> down = {core::VenueId(5)};
  r = Baseline();
  r.venues = down;
  cases.emplace_back(RiskRule::kVenueNotAvailable, r);
  std::vector<core::ComboLeg> many(5, core::ComboLeg{core::InstrumentId(1), 1, core::Side::kBuy});
  for (uint32_t i = 0; i < many.size(); ++i) many[i].instrument = core::InstrumentId(i + 1);
  r = Baseline();
  r.legs = many;
  cases.emplace_back(RiskRule::kMaxLegs, r);
  std::vector<core::ComboLeg> blocked = {{core::InstrumentId(1), 1, core::Side::kBuy},
                                         {core::InstrumentId(99), 1, core::Side::kSell}};
  OrderCheckRequest blocked_request = Baseline();
  blocked_request.legs = blocked;

  for (const auto& [rule, request] : cases) {
    RiskDecision decision = RiskDecision::Allow();
    EXPECT_EQ(AllocationsOf(request, decision), 0) << ToString(rule);
    EXPECT_EQ(decision.rule(), rule);
  }
  EXPECT_EQ(counting_.order_denials, static_cast<int>(cases.size()));

  Rebuild(limits);
  risk_->SetListener(&counting_);
  RiskDecision decision = RiskDecision::Allow();
  EXPECT_EQ(AllocationsOf(blocked_request, decision), 0);
  EXPECT_EQ(decision.rule(), RiskRule::kInstrumentNotAllowed);
  ASSERT_TRUE(risk_->SetTradingState(TradingState::kHalted, Operator("test")).ok());
  EXPECT_EQ(AllocationsOf(Baseline(), decision), 0);
  EXPECT_EQ(decision.rule(), RiskRule::kTradingHalted);
}

TEST_F(RiskAllocationTest, LegInChecksDoNotAllocateOnEitherPath) {
  RiskDecision decision = RiskDecision::Allow();
  LegInRequest ok{core::OrderId(2), LegInExposure{core::Quantity(10), Dollars(1'000), 100.0}};
  EXPECT_EQ(AllocationsOf(ok, decision), 0);
  EXPECT_TRUE(decision.allowed());
  LegInRequest units{core::OrderId(2), LegInExposure{core::Quantity(51), Dollars(1), 0.0}};
  EXPECT_EQ(AllocationsOf(units, decision), 0);
  EXPECT_EQ(decision.rule(), RiskRule::kLegInExposureUnits);
  LegInRequest notional{core::OrderId(2), LegInExposure{core::Quantity(1), Dollars(60'000), 0.0}};
  EXPECT_EQ(AllocationsOf(notional, decision), 0);
  EXPECT_EQ(decision.rule(), RiskRule::kLegInExposureNotional);
  LegInRequest delta{core::OrderId(2), LegInExposure{core::Quantity(1), Dollars(1), 40'000.0}};
  EXPECT_EQ(AllocationsOf(delta, decision), 0);
  EXPECT_EQ(decision.rule(), RiskRule::kLegInExposureDollarDelta);
  ASSERT_TRUE(risk_->SetTradingState(TradingState::kReducing, Operator("test")).ok());
  EXPECT_EQ(AllocationsOf(ok, decision), 0);
  EXPECT_EQ(decision.rule(), RiskRule::kReducingOnly);
  EXPECT_EQ(counting_.legin_denials, 4);
}

}  // namespace
}  // namespace combo::risk
