#include "accounts/accounts_metrics.h"

#include <memory>
#include <string>

#include "accounts/accounts_service.h"
#include "accounts/test_util.h"
#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"

namespace combo::accounts {
namespace {

using core::Side;
using testing::P;

class AccountsMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto service = AccountsService::Open(testing::FreshDir() + "/journal.db", {}, time_);
    ASSERT_TRUE(service.ok()) << service.status();
    service_ = std::move(*service);
    auto metrics = AccountsMetrics::Create(registry_);
    ASSERT_TRUE(metrics.ok()) << metrics.status();
    metrics_ = std::make_unique<AccountsMetrics>(std::move(*metrics));
  }
  void Record(JournalEvent event) {
    ASSERT_TRUE(service_->Record(std::move(event), [](absl::Status) {}).ok());
  }
  // The sample of `family` whose labels include instrument=`instrument` (any when empty).
  const prometheus::ClientMetric* Find(const std::string& family, const std::string& instrument) {
    collected_ = registry_.Collect();
    for (const auto& f : collected_) {
      if (f.name != family) continue;
      for (const auto& metric : f.metric) {
        if (instrument.empty()) return &metric;
        for (const auto& label : metric.label) {
          if (label.name == "instrument" && label.value == instrument) return &metric;
        }
      }
    }
    return nullptr;
  }

  core::SimulatedTime time_;
  prometheus::Registry registry_;
  std::unique_ptr<AccountsService> service_;
  std::unique_ptr<AccountsMetrics> metrics_;
  std::vector<prometheus::MetricFamily> collected_;
};

TEST_F(AccountsMetricsTest, ErrorAccountPositionIsLabelledByInstrumentSymbolAndSigned) {
  Record(testing::Vertical(1, 4));
  Record(testing::Fill(1, 2, Side::kSell, 3, P(2), "a"));
  Record(testing::ToErrorAccount(1, 2, Side::kSell, 3, P(2)));
  const ErrorAccountValue value = ValueErrorAccount(service_->ledger(), {});
  ASSERT_TRUE(metrics_->Observe(service_->ledger(), value, service_->durable_events()).ok());
  const prometheus::ClientMetric* position = Find("combo_error_account_position", "B");
  ASSERT_NE(position, nullptr);
  EXPECT_EQ(position->gauge.value, -3.0);
  EXPECT_EQ(metrics_->position(core::InstrumentId(2)), -3.0);
  // No mark: the open position is unmarked and its P&L left out.
  EXPECT_EQ(Find("combo_error_account_unmarked_positions", "")->gauge.value, 1.0);
  EXPECT_EQ(metrics_->pnl(), 0.0);
}

TEST_F(AccountsMetricsTest, PnlIncludesUnrealizedAtTheMarks) {
  Record(testing::Vertical(1, 4));
  Record(testing::Fill(1, 1, Side::kBuy, 4, P(3), "a"));
  Record(testing::ToErrorAccount(1, 1, Side::kBuy, 4, P(3)));
  const ErrorAccountValue value =
      ValueErrorAccount(service_->ledger(), {{core::InstrumentId(1), P(3, 200'000'000)}});
  ASSERT_TRUE(metrics_->Observe(service_->ledger(), value, service_->durable_events()).ok());
  // (3.20 - 3) x 4 x 100.
  EXPECT_DOUBLE_EQ(metrics_->pnl(), 80.0);
  EXPECT_EQ(Find("combo_error_account_unmarked_positions", "")->gauge.value, 0.0);
}

TEST_F(AccountsMetricsTest, JournalEventsCountEachDurableEventOnce) {
  Record(testing::Vertical(1, 4));
  Record(testing::Fill(1, 1, Side::kBuy, 4, P(3), "a"));
  ASSERT_TRUE(metrics_
                  ->Observe(service_->ledger(), ValueErrorAccount(service_->ledger(), {}),
                            service_->durable_events())
                  .ok());
  EXPECT_EQ(metrics_->journal_events(), 2.0);
  // Observing again without new events counts nothing.
  ASSERT_TRUE(metrics_
                  ->Observe(service_->ledger(), ValueErrorAccount(service_->ledger(), {}),
                            service_->durable_events())
                  .ok());
  EXPECT_EQ(metrics_->journal_events(), 2.0);
  Record(testing::ToErrorAccount(1, 1, Side::kBuy, 4, P(3)));
  ASSERT_TRUE(metrics_
                  ->Observe(service_->ledger(), ValueErrorAccount(service_->ledger(), {}),
                            service_->durable_events())
                  .ok());
  EXPECT_EQ(metrics_->journal_events(), 3.0);
}

TEST_F(AccountsMetricsTest, AnnouncedInstrumentsAreExportedAtZeroBeforeAnyPosition) {
  ASSERT_TRUE(metrics_->AddInstrument(core::InstrumentId(9), "XYZ 100 C").ok());
  ASSERT_TRUE(metrics_->AddInstrument(core::InstrumentId(9), "XYZ 100 C").ok());
  const prometheus::ClientMetric* position = Find("combo_error_account_position", "XYZ 100 C");
  ASSERT_NE(position, nullptr);
  EXPECT_EQ(position->gauge.value, 0.0);
}

}  // namespace
}  // namespace combo::accounts
