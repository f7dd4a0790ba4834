// Operator reports of the accounts: positions, the error account with P&L, a client's trades,
// an order's history; as aligned text tables or as JSON (exact decimals as strings).
//
// Built from a Ledger rebuilt from the journal (the read-only combo-accounts command), so they
// show what is durable. Pure functions; thread-safe.
#pragma once

#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "accounts/events.h"
#include "accounts/ledger.h"
#include "core/ids.h"

namespace combo::accounts {

enum class ReportFormat : uint8_t { kTable, kJson };

// Every client's positions by sub-account, with realized P&L and commissions paid.
std::string PositionsReport(const Ledger& ledger, ReportFormat format);
// The error account's positions marked to the last journaled mids, its P&L and its bookings.
std::string ErrorAccountReport(const Ledger& ledger, ReportFormat format);
// One client's trades (one per combo fill) with their legs. NotFound for an unknown client.
absl::StatusOr<std::string> TradesReport(const Ledger& ledger, const core::AccountId& client,
                                         ReportFormat format);
// One order's terms, state and journaled events. NotFound for an unknown order.
absl::StatusOr<std::string> OrderHistoryReport(const Ledger& ledger,
                                               std::span<const StoredEvent> order_events,
                                               core::OrderId order, ReportFormat format);

}  // namespace combo::accounts
