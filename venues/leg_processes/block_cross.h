// BlockCross: the execution of a block or facilitation order at the end of its response window
// (seed 001 R48, Fig. 11): the execution price, and who trades how much at it.
//
// A block to buy executes at its own price unless its whole size can execute at a lower one; then
// it executes at the lowest price at which its whole size can (a block to sell: the highest).
// The contra orders (the book's and the responses, which never touch the book) priced better than
// the execution price trade first, at the execution price; then the level at the execution price
// is shared by the venue's allocation (customers first, then the primary market maker's share and
// pro-rata, responses counting as professional interest). A fill-or-kill block with too little
// contra interest does not trade. A facilitation order first gives a configured percentage of its
// original size to the entering member's own proprietary side, and that member takes whatever
// the others leave, so a facilitation order always fills in full.
//
// Pure functions; exact arithmetic; deterministic. Thread-compatible.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "venues/leg_processes/single_price_auction.h"

namespace combo::venues::leg_processes {

struct BlockTerms {
  AuctionOrder order;  // a limit order
  bool fill_or_kill = false;
  // A facilitation order: the percentage of its original size the entering member's proprietary
  // side takes before allocation. nullopt: a block order.
  std::optional<int64_t> facilitation_percent;
};

struct BlockOutcome {
  core::Price price;
  // The block (buy_key or sell_key = the block's key) against contra orders.
  std::vector<AuctionTrade> trades;
  // Facilitation: the contracts the entering member's proprietary side takes at `price`.
  core::Quantity facilitated;
};

// R48: the block's execution price against `contra` (orders on the other side), or nullopt when
// nothing can trade at the block's price or better (or a fill-or-kill block cannot fill whole).
std::optional<core::Price> BlockExecutionPrice(const AuctionOrder& block,
                                               std::span<const AuctionOrder> contra,
                                               bool fill_or_kill);

// R48: the whole execution; nullopt when the block does not trade.
std::optional<BlockOutcome> CrossBlock(const BlockTerms& block,
                                       std::span<const AuctionOrder> contra,
                                       const LevelAllocation& allocation);

}  // namespace combo::venues::leg_processes
