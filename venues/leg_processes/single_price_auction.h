// SinglePriceAuction: the single-price trade of seed 001 Part A that the fast-market process
// (R46, Fig. 10), the opening rotation (R47, Fig. 12) and the block process (R48, Fig. 11) share:
// find the price, then cross every order that trades at it, at that one price.
//
// The price search (R46): the bids are scanned from the best down to the primary market maker's
// bid, the offers from the best up to its offer; the price that trades the most contracts wins.
// When several prices trade the same maximum, the lowest (L) and highest (H) of them stand for
// "the current bid and the current offer": an even number of ticks between them trades at the
// midpoint; one tick trades a put at L and a call at H; otherwise N = ticks - 2 and a put trades
// at L + N ticks, a call at H - N ticks (the seed's rule, flagged in spec section 2B). A series
// that is not an option takes the midpoint, rounded down to the tick when the ticks are odd. The
// opening (R47) refuses a price that would leave a market order unexecuted, or leave limit
// orders that still cross (a marketable limit order unexecuted: R27's marketability).
//
// The cross: on each side, orders priced better than the auction price fill first (market
// orders first of all); the price level where the side's quantity runs out is shared by the
// venue's allocation rule (price-time, or the seed-001 allocation with customers first) through
// a scratch OrderBook, so an auction allocates exactly as a continuous match at that level would.
//
// Pure functions over the caller's orders; exact arithmetic; deterministic. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/instrument.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"
#include "core/tick_rule.h"
#include "venues/order_book.h"
#include "venues/venue.h"

namespace combo::venues::leg_processes {

// One order taking part in a single-price trade.
struct AuctionOrder {
  // The caller's reference, echoed in the fills.
  uint64_t key = 0;
  core::Side side = core::Side::kBuy;
  OrderType type = OrderType::kLimit;
  core::Price limit;  // limit orders only
  core::Quantity quantity;
  ParticipantRole role = ParticipantRole::kProfessional;
  core::ParticipantId owner;
};

// What the price search needs besides the orders.
struct PriceSearch {
  const core::TickRule* tick_rule = nullptr;  // not owned; required
  // Puts and calls break two-price ties differently (R46); nullopt: not an option.
  std::optional<core::OptionRight> right;
  // R47: a price that leaves a market order or a better-priced limit order unexecuted fails.
  bool opening = false;
};

enum class AuctionResult : uint8_t {
  kTrade,    // `price` trades `volume`
  kNoCross,  // nothing crosses: no trade at any price
  kFailed,   // the opening cannot complete (R47): `reason` says why
};

struct AuctionPrice {
  AuctionResult result = AuctionResult::kNoCross;
  core::Price price;
  core::Quantity volume;
  std::string reason;
};

// R46 / R47: the price of the next single-price trade of `orders`.
AuctionPrice FindAuctionPrice(std::span<const AuctionOrder> orders, const PriceSearch& search);

// The contracts one order buys or sells at `price`: its market orders and limits that reach the
// price, summed.
core::Quantity QuantityAt(std::span<const AuctionOrder> orders, core::Side side, core::Price price);

// One trade of the cross, both sides at the auction price.
struct AuctionTrade {
  uint64_t buy_key = 0;
  uint64_t sell_key = 0;
  core::Quantity quantity;
};

// How the level where a side runs out is shared.
struct LevelAllocation {
  AllocationRule rule = AllocationRule::kPriceTime;
  Seed001AllocationParams seed001;
};

// Crosses `orders` at `price`: min(buy, sell) contracts trade. `orders` are in time priority
// (earlier first). Trades pair the two sides' fills in priority order.
std::vector<AuctionTrade> CrossAt(std::span<const AuctionOrder> orders, core::Price price,
                                  const LevelAllocation& allocation);

// The number of ticks of `rule` from `low` up to `high` (both on the rule, low <= high).
int64_t TicksBetween(const core::TickRule& rule, core::Price low, core::Price high);

}  // namespace combo::venues::leg_processes
