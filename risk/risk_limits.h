// RiskLimits: every limit the risk module enforces, as one plain, immutable config struct.
//
// The daemon's YAML config fills it (config/, later); the defaults below are the documented
// defaults of docs/RISK.md. Every "max" limit is inclusive: a value exactly at the limit is
// allowed, one unit (one contract, one 1e-9 of money) over it is denied or breaches.
// Validate() rejects a config that cannot be enforced, naming the field. Value type; safe to
// share between threads once built.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "core/ids.h"
#include "core/money.h"
#include "core/quantity.h"

namespace combo::risk {

// Money from whole currency units, for limits: Dollars(5'000'000).
core::Money Dollars(int64_t units);

struct RiskLimits {
  // --- Pre-trade checks ---------------------------------------------------------------------
  // Units of the combo in one order (or a replace's new total).
  core::Quantity max_combo_quantity{1'000};
  // Legs of one combo; at least 2.
  int64_t max_legs = 4;
  // Notional of one order (what the router computes from the limit or best price, legs'
  // multipliers and ratios).
  core::Money max_notional = Dollars(5'000'000);
  // Price collar around the best combo price on the side the order would trade against: a buy
  // limit may be at most `width` above the best ask, a sell limit at most `width` below the best
  // bid, where width is the larger of `collar_ticks` combo ticks and `collar_basis_points` of
  // |best price|. Both zero turns the collar off. No best price, or a market order: no collar.
  int64_t collar_ticks = 20;
  int64_t collar_basis_points = 500;
  // Open notional a client may have across its working orders, new order included. Clients not
  // listed in `client_credit_limits` get the default; no default means no limit for them.
  std::optional<core::Money> default_client_credit_limit = Dollars(10'000'000);
  std::map<core::ClientId, core::Money> client_credit_limits;
  // Instruments: when `allowed_instruments` is not empty only those may trade; the blocked
  // ones never may.
  std::vector<core::InstrumentId> allowed_instruments;
  std::vector<core::InstrumentId> blocked_instruments;
  // ClOrdIDs remembered per client for the duplicate check, per trading day; past it the
  // oldest is forgotten (bounded memory).
  int64_t max_remembered_client_order_ids = 100'000;

  // --- Legging exposure across all orders ---------------------------------------------------
  // Unhedged leg contracts (filled on some legs, not yet whole combo units), summed.
  core::Quantity max_legin_units{200};
  // Notional of those unhedged contracts, summed.
  core::Money max_legin_notional = Dollars(1'000'000);
  // |net dollar delta| of those unhedged contracts.
  double max_legin_dollar_delta = 500'000.0;

  // --- Error account ------------------------------------------------------------------------
  // |position| in any one instrument, in contracts (shares for a stock).
  core::Quantity max_error_account_position{500};
  // Sum over instruments of |position|.
  core::Quantity max_error_account_total_position{2'000};
  // A loss (negative P&L) above this moves trading to reducing...
  core::Money max_error_account_loss = Dollars(250'000);
  // ...and above this halts it. At least max_error_account_loss.
  core::Money halt_error_account_loss = Dollars(1'000'000);

  absl::Status Validate() const;
};

}  // namespace combo::risk
