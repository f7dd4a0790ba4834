// Cost of the risk module on the order path: a full pre-trade check (every rule, allowed and
// denied at the last rule), and a leg-in check, against a book of 1000 clients with working
// orders and 10000 remembered ClOrdIDs for the checked client.
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "core/simulated_time.h"
#include "prometheus/registry.h"
#include "risk/risk_manager.h"

namespace combo::risk {
namespace {

struct RiskBench {
  RiskBench() {
    RiskLimits limits;
    limits.blocked_instruments = {core::InstrumentId(900), core::InstrumentId(901)};
    limits.client_credit_limits[core::ClientId("BROKER-ALPHA")] = Dollars(1'000'000);
    risk = std::move(*RiskManager::Create(limits, time, registry));
    for (uint32_t v = 1; v <= 4; ++v)
      risk->SetVenueStatus(core::VenueId(v), VenueStatus::kAvailable);
    uint64_t order = 1;
    for (int c = 0; c < 1'000; ++c) {
      (void)risk->OnOrderAccepted(
          core::OrderId(order++), core::ClientId("CLIENT" + std::to_string(c)),
          core::ClientOrderId("ORD" + std::to_string(c)), core::Quantity(10), Dollars(1'000));
    }
    for (int i = 0; i < 10'000; ++i) {
      (void)risk->OnOrderAccepted(core::OrderId(order++), core::ClientId("BROKER-ALPHA"),
                                  core::ClientOrderId("20261121-BROKER-ALPHA-" + std::to_string(i)),
                                  core::Quantity(1), Dollars(10));
    }
    (void)risk->ReportLegInExposure(core::OrderId(1),
                                    LegInExposure{core::Quantity(20), Dollars(20'000), 5'000.0});
    request.client = core::ClientId("BROKER-ALPHA");
    request.client_order_id = core::ClientOrderId("20261121-BROKER-ALPHA-NEW-ORDER");
    request.account = core::AccountId("ACC-ALPHA");
    request.legs = legs;
    request.side = core::Side::kBuy;
    request.quantity = core::Quantity(50);
    request.limit_price = core::Price::FromParts(84, 450'000'000);
    request.combo_tick = core::Price::FromParts(0, 50'000'000);
    request.combo_multiplier = 100;
    request.best_opposite_price = core::Price::FromParts(84, 500'000'000);
    request.notional = Dollars(422'250);
    request.venues = venues;
  }

  core::SimulatedTime time;
  prometheus::Registry registry;
  std::unique_ptr<RiskManager> risk;
  std::vector<core::ComboLeg> legs = {{core::InstrumentId(1), 1, core::Side::kBuy},
                                      {core::InstrumentId(2), 1, core::Side::kSell},
                                      {core::InstrumentId(3), 1, core::Side::kBuy}};
  std::vector<core::VenueId> venues = {core::VenueId(1), core::VenueId(2), core::VenueId(3)};
  OrderCheckRequest request;
};

void BM_RiskCheckOrderAllowed(benchmark::State& state) {
  RiskBench bench;
  for (auto _ : state) {
    auto decision = bench.risk->CheckOrder(bench.request);
    benchmark::DoNotOptimize(decision);
  }
}
BENCHMARK(BM_RiskCheckOrderAllowed);

void BM_RiskCheckOrderDeniedByCredit(benchmark::State& state) {
  RiskBench bench;
  bench.request.notional = Dollars(4'999'999);  // within max notional, over the credit left
  for (auto _ : state) {
    auto decision = bench.risk->CheckOrder(bench.request);
    benchmark::DoNotOptimize(decision);
  }
}
BENCHMARK(BM_RiskCheckOrderDeniedByCredit);

void BM_RiskCheckLegIn(benchmark::State& state) {
  RiskBench bench;
  const LegInRequest request{core::OrderId(2),
                             LegInExposure{core::Quantity(10), Dollars(8'000), 1'200.0}};
  for (auto _ : state) {
    auto decision = bench.risk->CheckLegIn(request);
    benchmark::DoNotOptimize(decision);
  }
}
BENCHMARK(BM_RiskCheckLegIn);

}  // namespace
}  // namespace combo::risk
