// Marks: where the error account's P&L gets its prices, and the P&L itself.
//
// Accounts do not know the venues: the router (or the daemon) implements MarkSource with the
// consolidated top of book across all venues, and positions are marked to its mid. With no live
// market (the operator command) the marks last journaled by AccountsService::RecordMarks are
// used. MarkSource implementations are called on the core thread; the functions are pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "accounts/ledger.h"
#include "core/ids.h"
#include "core/market_data.h"
#include "core/money.h"
#include "core/price.h"
#include "core/quantity.h"

namespace combo::accounts {

class MarkSource {
 public:
  virtual ~MarkSource() = default;
  // The best bid and offer across every venue, or none when the instrument has no market.
  virtual std::optional<core::TopOfBook> ConsolidatedTop(core::InstrumentId instrument) const = 0;
};

// The mid of a two-sided market ((bid + ask) / 2, half-even at the price scale); none when a
// side is missing.
std::optional<core::Price> MidOf(const core::TopOfBook& top);

// The mids of the error account's open positions that have a two-sided market now.
std::map<core::InstrumentId, core::Price> LiveMarks(const Ledger& ledger, const MarkSource& source);

struct PositionValue {
  core::InstrumentId instrument;
  std::string symbol;
  core::SignedQuantity quantity;
  std::optional<core::Price> average_price;
  std::optional<core::Price> mark;
  core::Money realized;
  // None when the position is open and has no mark.
  std::optional<core::Money> unrealized;
};

struct ErrorAccountValue {
  // Instrument order; flat positions are listed too (they carry realized P&L).
  std::vector<PositionValue> positions;
  core::Money realized;
  // Over the marked open positions only.
  core::Money unrealized;
  // Open positions without a mark (their unrealized P&L is unknown, not zero).
  int unmarked = 0;
};

ErrorAccountValue ValueErrorAccount(const Ledger& ledger,
                                    const std::map<core::InstrumentId, core::Price>& marks);

}  // namespace combo::accounts
