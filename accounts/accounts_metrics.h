// AccountsMetrics: the error account and the journal on Prometheus.
//
//   combo_error_account_position{instrument}  the error account's signed position (contracts,
//                                             shares for a stock), one series per instrument
//                                             announced with AddInstrument (or first held),
//                                             so bounded by the instrument catalog
//   combo_error_account_pnl                   realized plus marked unrealized P&L, currency units
//   combo_error_account_unmarked_positions    open positions with no mark (P&L unknown, not 0)
//   combo_journal_events_total                events made durable in the journal
//   combo_journal_writable                    1 while the journal can be written, 0 once a
//                                             write or a background sync failed (new orders
//                                             are refused until a restart)
//
// Observe() is called by the owner (the daemon, on a timer of the core thread) with the
// accounts, their valuation and how many events are durable; the gauges follow it. Series are built
// the first time an instrument appears and kept. Not thread-safe: the core thread (the registry
// itself is thread-safe).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "accounts/ledger.h"
#include "accounts/marks.h"
#include "core/ids.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace combo::accounts {

class AccountsMetrics {
 public:
  // Fails when a family cannot be declared (e.g. the name is taken with another type).
  static absl::StatusOr<AccountsMetrics> Create(prometheus::Registry& registry);

  // Builds the position series of `instrument` (at 0) under `symbol`, so the family lists every
  // tradable instrument before the error account holds any. Idempotent per instrument.
  absl::Status AddInstrument(core::InstrumentId instrument, const std::string& symbol);

  // Sets the gauges from `ledger` (the accounts) and `value` (its error account valued at the
  // current marks), and counts journal events up to `durable_events` (the sequence through which
  // the journal holds every event: AccountsService::durable_events()). Fails only when a new
  // instrument's series cannot be built; the other gauges are set regardless.
  absl::Status Observe(const Ledger& ledger, const ErrorAccountValue& value,
                       uint64_t durable_events);

  // Sets combo_journal_writable from AccountsService::journal_health().
  void ObserveJournalHealth(const absl::Status& health);

  double position(core::InstrumentId instrument) const;
  double pnl() const { return pnl_->Value(); }
  double journal_events() const { return journal_events_->Value(); }
  double journal_writable() const { return journal_writable_->Value(); }

 private:
  AccountsMetrics() = default;

  prometheus::Family<prometheus::Gauge>* positions_family_ = nullptr;
  std::map<core::InstrumentId, prometheus::Gauge*> positions_;
  prometheus::Gauge* pnl_ = nullptr;
  prometheus::Gauge* unmarked_ = nullptr;
  prometheus::Counter* journal_events_ = nullptr;
  prometheus::Gauge* journal_writable_ = nullptr;
  uint64_t counted_sequence_ = 0;
};

}  // namespace combo::accounts
