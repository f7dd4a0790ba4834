#include "venues/leg_processes/block_cross.h"

#include <algorithm>
#include <set>

namespace combo::venues::leg_processes {

std::optional<core::Price> BlockExecutionPrice(const AuctionOrder& block,
                                               std::span<const AuctionOrder> contra,
                                               bool fill_or_kill) {
  const bool buy = block.side == core::Side::kBuy;
  // Contra prices at the block's price or better, best for the block first.
  std::set<core::Price> prices;
  for (const AuctionOrder& order : contra) {
    if (order.side == block.side || order.type == OrderType::kMarket) continue;
    if (buy ? order.limit <= block.limit : order.limit >= block.limit) prices.insert(order.limit);
  }
  const auto walk = [&](auto begin, auto end) -> std::optional<core::Price> {
    for (auto it = begin; it != end; ++it) {
      if (QuantityAt(contra, core::Opposite(block.side), *it) >= block.quantity) return *it;
    }
    return std::nullopt;
  };
  std::optional<core::Price> whole =
      buy ? walk(prices.begin(), prices.end()) : walk(prices.rbegin(), prices.rend());
  if (whole.has_value()) return whole;
  if (fill_or_kill || prices.empty()) return std::nullopt;
  return block.limit;  // only part can trade: at the block's own price
}

std::optional<BlockOutcome> CrossBlock(const BlockTerms& block,
                                       std::span<const AuctionOrder> contra,
                                       const LevelAllocation& allocation) {
  BlockOutcome outcome;
  AuctionOrder rest = block.order;
  if (block.facilitation_percent.has_value()) {
    // Rounded up, as the seed's allocations are.
    outcome.facilitated =
        core::Quantity((block.order.quantity.value() * *block.facilitation_percent + 99) / 100);
    rest.quantity = block.order.quantity - outcome.facilitated;
  }
  std::optional<core::Price> price;
  if (rest.quantity.is_positive()) {
    price = BlockExecutionPrice(rest, contra, block.fill_or_kill && !block.facilitation_percent);
  }
  if (!price.has_value()) {
    if (!block.facilitation_percent.has_value()) return std::nullopt;
    // Nobody else trades: the facilitating member takes it all at the order's price.
    outcome.price = block.order.limit;
    outcome.facilitated = block.order.quantity;
    return outcome;
  }
  outcome.price = *price;
  std::vector<AuctionOrder> orders(contra.begin(), contra.end());
  orders.push_back(rest);  // the block is the latest: it never shares a level with its contra
  outcome.trades = CrossAt(orders, *price, allocation);
  if (block.facilitation_percent.has_value()) {
    core::Quantity traded;
    for (const AuctionTrade& trade : outcome.trades) traded += trade.quantity;
    outcome.facilitated += rest.quantity - traded;
  }
  return outcome;
}

}  // namespace combo::venues::leg_processes
