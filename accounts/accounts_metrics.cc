#include "accounts/accounts_metrics.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "core/metrics.h"
#include "core/status.h"

namespace combo::accounts {

absl::StatusOr<AccountsMetrics> AccountsMetrics::Create(prometheus::Registry& registry) {
  AccountsMetrics m;
  COMBO_ASSIGN_OR_RETURN(
      m.positions_family_,
      core::DeclareGaugeFamily(registry, "combo_error_account_position",
                               "Signed position of the error account in an instrument (contracts; "
                               "shares for a stock)"));
  COMBO_ASSIGN_OR_RETURN(
      auto* pnl, core::DeclareGaugeFamily(registry, "combo_error_account_pnl",
                                          "Error account P&L: realized plus unrealized at the "
                                          "current marks, in currency units"));
  COMBO_ASSIGN_OR_RETURN(m.pnl_, core::AddGauge(*pnl, {}));
  COMBO_ASSIGN_OR_RETURN(
      auto* unmarked,
      core::DeclareGaugeFamily(registry, "combo_error_account_unmarked_positions",
                               "Open error-account positions without a mark (their unrealized "
                               "P&L is unknown and left out of combo_error_account_pnl)"));
  COMBO_ASSIGN_OR_RETURN(m.unmarked_, core::AddGauge(*unmarked, {}));
  COMBO_ASSIGN_OR_RETURN(auto* events,
                         core::DeclareCounterFamily(registry, "combo_journal_events_total",
                                                    "Events made durable in the journal"));
  COMBO_ASSIGN_OR_RETURN(m.journal_events_, core::AddCounter(*events, {}));
  COMBO_ASSIGN_OR_RETURN(
      auto* writable,
      core::DeclareGaugeFamily(registry, "combo_journal_writable",
                               "1 while the journal can be written; 0 once a write or a "
                               "background sync failed: new orders are refused until a restart"));
  COMBO_ASSIGN_OR_RETURN(m.journal_writable_, core::AddGauge(*writable, {}));
  m.journal_writable_->Set(1);
  return m;
}

void AccountsMetrics::ObserveJournalHealth(const absl::Status& health) {
  journal_writable_->Set(health.ok() ? 1 : 0);
}

absl::Status AccountsMetrics::AddInstrument(core::InstrumentId instrument,
                                            const std::string& symbol) {
  if (positions_.contains(instrument)) return absl::OkStatus();
  COMBO_ASSIGN_OR_RETURN(prometheus::Gauge * gauge,
                         core::AddGauge(*positions_family_, {{"instrument", symbol}}));
  positions_.emplace(instrument, gauge);
  return absl::OkStatus();
}

absl::Status AccountsMetrics::Observe(const Ledger& ledger, const ErrorAccountValue& value,
                                      uint64_t durable_events) {
  absl::Status status;
  for (const PositionValue& position : value.positions) {
    auto found = positions_.find(position.instrument);
    if (found == positions_.end()) {
      const InstrumentInfo* info = ledger.FindInstrument(position.instrument);
      const std::string label = info != nullptr && !info->symbol.empty()
                                    ? info->symbol
                                    : absl::StrCat("id:", position.instrument.value());
      absl::StatusOr<prometheus::Gauge*> gauge =
          core::AddGauge(*positions_family_, {{"instrument", label}});
      if (!gauge.ok()) {
        status.Update(gauge.status());
        continue;
      }
      found = positions_.emplace(position.instrument, *gauge).first;
    }
    found->second->Set(static_cast<double>(position.quantity.value()));
  }
  pnl_->Set((value.realized + value.unrealized).ToDouble());
  unmarked_->Set(value.unmarked);
  if (durable_events > counted_sequence_) {
    journal_events_->Increment(static_cast<double>(durable_events - counted_sequence_));
    counted_sequence_ = durable_events;
  }
  return status;
}

double AccountsMetrics::position(core::InstrumentId instrument) const {
  auto found = positions_.find(instrument);
  return found == positions_.end() ? 0.0 : found->second->Value();
}

}  // namespace combo::accounts
