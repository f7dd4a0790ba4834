// OrderBook: matching, allocation and level bookkeeping (see order_book.h).
#include "venues/order_book.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::venues {
namespace {

// Whether price `a` is better than `b` for a resting order on `side`.
bool Better(core::Side side, core::Price a, core::Price b) {
  return side == core::Side::kBuy ? a > b : a < b;
}

int64_t CeilDiv(__int128 numerator, __int128 denominator) {
  return static_cast<int64_t>((numerator + denominator - 1) / denominator);
}

bool IsProfessional(ParticipantRole role) {
  return role == ParticipantRole::kProfessional || role == ParticipantRole::kMarketMaker ||
         role == ParticipantRole::kFarAwayMarketMaker;
}

}  // namespace

std::string_view ToString(AllocationRule rule) {
  switch (rule) {
    case AllocationRule::kPriceTime:
      return "price_time";
    case AllocationRule::kSeed001Options:
      return "seed001_options";
  }
  return "unknown";
}

std::string_view ToString(DeriveOrTradeOutcome outcome) {
  switch (outcome) {
    case DeriveOrTradeOutcome::kDerived:
      return "derived";
    case DeriveOrTradeOutcome::kTraded:
      return "traded";
  }
  return "unknown";
}

OrderBook::OrderBook(OrderBookConfig config, OrderBookEvents* events)
    : config_(std::move(config)), events_(events), mm_rules_(config_.market_maker.any()) {
  nodes_.reserve(config_.initial_order_capacity);
  if (mm_rules_) {
    quote_state_.reserve(config_.initial_order_capacity);
    renewals_.reserve(16);
  }
  free_nodes_.reserve(config_.initial_order_capacity);
  bids_.reserve(config_.initial_level_capacity);
  asks_.reserve(config_.initial_level_capacity);
  touched_.reserve(64);
  allocation_scratch_.reserve(256);
  pmm_scratch_.reserve(16);
}

std::optional<Rejection> OrderBook::CheckOnTick(core::Price limit_price) const {
  if (config_.tick_rule.IsOnTick(limit_price)) return std::nullopt;
  // The reason names the tick at that price: under a banded rule that is what the sender missed.
  return Rejection{
      RejectCode::kOffTick,
      absl::StrCat("price ", limit_price.ToString(), " is not a multiple of tick ",
                   config_.tick_rule.TickAt(limit_price).ToString(),
                   config_.tick_rule.is_uniform() ? std::string()
                                                  : absl::StrCat(" (the tick at that price; rule ",
                                                                 config_.tick_rule.ToString(), ")"),
                   " for instrument ", config_.instrument.value())};
}

std::optional<Rejection> OrderBook::Check(const BookOrder& order) const {
  if (order.instrument != config_.instrument) {
    return Rejection{
        RejectCode::kUnlistedInstrument,
        absl::StrCat("instrument ", order.instrument.value(),
                     " is not listed in this book (instrument ", config_.instrument.value(), ")")};
  }
  if (!order.quantity.is_positive()) {
    return Rejection{RejectCode::kInvalidQuantity,
                     absl::StrCat("quantity ", order.quantity.value(), " is not positive")};
  }
  if (order.type == OrderType::kLimit) {
    if (std::optional<Rejection> off_tick = CheckOnTick(order.limit_price)) return off_tick;
  }
  if (order.type == OrderType::kMarket &&
      (order.time_in_force == TimeInForce::kDay ||
       order.time_in_force == TimeInForce::kGoodTillCancel) &&
      order.condition == FillCondition::kAllOrNone) {
    return Rejection{RejectCode::kUnsupportedCondition,
                     "an all-or-none market order cannot rest; send it as fill-or-kill"};
  }
  if (config_.allocation == AllocationRule::kSeed001Options &&
      order.condition == FillCondition::kAllOrNone && order.role != ParticipantRole::kCustomer &&
      order.type == OrderType::kLimit &&
      (order.time_in_force == TimeInForce::kDay ||
       order.time_in_force == TimeInForce::kGoodTillCancel)) {
    return Rejection{RejectCode::kUnsupportedCondition,
                     absl::StrCat("a resting all-or-none order is for customers only under the ",
                                  core::AsAbsl(ToString(config_.allocation)), " allocation (role ",
                                  core::AsAbsl(ToString(order.role)), ")")};
  }
  return std::nullopt;
}

AddResult OrderBook::Add(const BookOrder& order) {
  AddResult result;
  if (auto rejection = Check(order); rejection.has_value()) {
    result.rejection = std::move(rejection);
    return result;
  }
  Incoming incoming;
  incoming.tag = order.tag;
  incoming.owner = order.owner.value();
  incoming.side = order.side;
  incoming.is_market = order.type == OrderType::kMarket;
  incoming.role = order.role;
  incoming.limit = order.limit_price;
  incoming.original_quantity = order.quantity.value();
  incoming.remaining = order.quantity.value();
  incoming.delays_quote_matches = DelaysQuoteMatches(order.role);
  if (interceptor_ != nullptr) return AddProtected(order, incoming);
  if (mm_rules_ && OutsideProfessionalBand(incoming)) {
    // R35: deleted whole; none of it trades.
    events_->OnOrderCancelled(order.tag, CancelReason::kProfessionalBand, order.quantity);
    PublishTouched();
    return result;
  }

  const bool all_or_none = order.condition == FillCondition::kAllOrNone ||
                           order.time_in_force == TimeInForce::kFillOrKill;
  const bool may_rest =
      !incoming.is_market && (order.time_in_force == TimeInForce::kDay ||
                              order.time_in_force == TimeInForce::kGoodTillCancel);
  if (all_or_none && Fillable(incoming) < incoming.remaining) {
    if (may_rest) {
      result.handle = Rest(incoming, kNil, order.role, order.time_in_force, order.condition);
      result.resting = core::Quantity(incoming.remaining);
    } else {
      events_->OnOrderCancelled(order.tag, CancelReason::kFillOrKill, order.quantity);
    }
    PublishTouched();
    return result;
  }
  Match(incoming);
  result.filled = core::Quantity(incoming.original_quantity - incoming.remaining);
  if (incoming.remaining > 0) {
    if (may_rest && mm_rules_ && BelowMinimumImproving(incoming, order.role, order.condition)) {
      events_->OnOrderCancelled(order.tag, CancelReason::kBelowMinimumMarketSize,
                                core::Quantity(incoming.remaining));
    } else if (may_rest) {
      const int64_t derive_limit = mm_rules_ ? ArrivalDeriveLimit(incoming, order.condition) : -1;
      const int64_t shortfall =
          config_.market_maker.minimum_market_size.value() - incoming.remaining;
      if (derive_limit >= 0 && shortfall > derive_limit &&
          TradeAgainstPmm(order.side, order.limit_price, incoming.remaining, order.tag,
                          incoming.owner, false)) {
        // R34 "trade": the PMM takes it at its price; the best price is unchanged.
        incoming.remaining = 0;
        result.filled = order.quantity;
      } else {
        result.handle = Rest(incoming, kNil, order.role, order.time_in_force, order.condition);
        result.resting = core::Quantity(incoming.remaining);
        // R34 "derive": the PMM's order for X - S beside it (S: the new level holds only it).
        std::optional<NodeRef> anchor;
        if (derive_limit >= 0) anchor = FindPmmQuote(order.side);
        if (anchor.has_value()) {
          Derive({result.handle.index, nodes_[result.handle.index].sequence}, *anchor, shortfall,
                 derive_limit);
        }
      }
    } else {
      events_->OnOrderCancelled(order.tag, CancelReason::kImmediateOrCancel,
                                core::Quantity(incoming.remaining));
    }
  }
  PublishTouched();
  return result;
}

std::optional<core::Quantity> OrderBook::Cancel(OrderHandle handle) {
  if (handle.index >= nodes_.size() || !nodes_[handle.index].in_use) return std::nullopt;
  const Node& node = nodes_[handle.index];
  const core::Side side = node.side;
  const int64_t leaves = node.leaves;
  const int index = FindLevel(side, node.price);
  RemoveResting(side, index, handle.index);
  RemoveLevelIfEmpty(side, index);
  PublishTouched();
  return core::Quantity(leaves);
}

std::optional<Rejection> OrderBook::CheckReplace(OrderHandle handle, core::Price limit_price,
                                                 core::Quantity leaves) const {
  if (handle.index >= nodes_.size() || !nodes_[handle.index].in_use) {
    return Rejection{RejectCode::kUnknownOrder, "the order is not resting in this book"};
  }
  if (!leaves.is_positive()) {
    return Rejection{RejectCode::kInvalidQuantity,
                     absl::StrCat("quantity ", leaves.value(), " is not positive")};
  }
  return CheckOnTick(limit_price);
}

bool OrderBook::ReduceKeepingPriority(OrderHandle handle, core::Price limit_price,
                                      core::Quantity leaves, ReplaceResult& result) {
  Node& node = nodes_[handle.index];
  if (limit_price != node.price || leaves.value() > node.leaves) return false;
  // A quantity decrease at the same price keeps the order's place in the queue.
  Level& level = levels(node.side)[FindLevel(node.side, node.price)];
  Touch(node.side, level);
  if (node.condition != FillCondition::kAllOrNone) {
    level.displayed -= node.leaves - leaves.value();
  }
  node.leaves = leaves.value();
  result.priority = QueuePriority::kKept;
  result.resting = leaves;
  PublishTouched();
  return true;
}

OrderBook::Incoming OrderBook::TakeOutForRematch(OrderHandle handle, core::Price limit_price,
                                                 core::Quantity leaves) {
  // Take the order out of its level and match it as if new, keeping its node (and handle).
  Node& node = nodes_[handle.index];
  const core::Side side = node.side;
  const int index = FindLevel(side, node.price);
  Level& level = levels(side)[index];
  Touch(side, level);
  if (node.condition != FillCondition::kAllOrNone) level.displayed -= node.leaves;
  Unlink(level, handle.index);
  --order_count_;
  RemoveLevelIfEmpty(side, index);
  Incoming incoming;
  incoming.tag = node.tag;
  incoming.owner = node.owner;
  incoming.side = side;
  incoming.role = node.role;
  incoming.limit = limit_price;
  incoming.original_quantity = leaves.value();
  incoming.remaining = leaves.value();
  return incoming;
}

ReplaceResult OrderBook::Replace(OrderHandle handle, core::Price limit_price,
                                 core::Quantity leaves) {
  ReplaceResult result;
  if (auto rejection = CheckReplace(handle, limit_price, leaves); rejection.has_value()) {
    result.rejection = std::move(rejection);
    return result;
  }
  if (interceptor_ != nullptr) return ReplaceProtected(handle, limit_price, leaves);
  if (ReduceKeepingPriority(handle, limit_price, leaves, result)) return result;
  return ReplaceMoving(handle, limit_price, leaves, std::nullopt);
}

ReplaceResult OrderBook::RepriceKeepingTime(OrderHandle handle, core::Price limit_price) {
  ReplaceResult result;
  if (handle.index >= nodes_.size() || !nodes_[handle.index].in_use) {
    result.rejection =
        Rejection{RejectCode::kUnknownOrder, "the order is not resting in this book"};
    return result;
  }
  const core::Quantity leaves(nodes_[handle.index].leaves);
  if (auto rejection = CheckReplace(handle, limit_price, leaves); rejection.has_value()) {
    result.rejection = std::move(rejection);
    return result;
  }
  const uint64_t sequence = nodes_[handle.index].sequence;
  if (limit_price == nodes_[handle.index].price) {
    result.resting = leaves;
    return result;
  }
  result = interceptor_ != nullptr ? ReplaceProtected(handle, limit_price, leaves, sequence)
                                   : ReplaceMoving(handle, limit_price, leaves, sequence);
  result.priority = QueuePriority::kKept;
  return result;
}

ReplaceResult OrderBook::ReplaceMoving(OrderHandle handle, core::Price limit_price,
                                       core::Quantity leaves, std::optional<uint64_t> keep_sequence,
                                       bool quote_delay_over) {
  ReplaceResult result;
  const Node& node = nodes_[handle.index];
  result.priority = QueuePriority::kLost;
  Incoming incoming = TakeOutForRematch(handle, limit_price, leaves);
  incoming.delays_quote_matches = !quote_delay_over && DelaysQuoteMatches(incoming.role);
  const ParticipantRole role = node.role;
  const TimeInForce time_in_force = node.time_in_force;
  const FillCondition condition = node.condition;
  if (condition != FillCondition::kAllOrNone || Fillable(incoming) >= incoming.remaining) {
    Match(incoming);
  }
  result.filled = core::Quantity(incoming.original_quantity - incoming.remaining);
  if (incoming.remaining > 0) {
    Rest(incoming, handle.index, role, time_in_force, condition, keep_sequence);
    result.resting = core::Quantity(incoming.remaining);
  } else {
    FreeNode(handle.index);
  }
  PublishTouched();
  return result;
}

ReplaceResult OrderBook::ReleaseQuoteMatchDelay(OrderHandle handle, uint64_t tag) {
  ReplaceResult result;
  if (!Alive(handle, tag) || nodes_[handle.index].derived) return result;
  const Node& node = nodes_[handle.index];
  // Matched as if new but with its own time: what it no longer crosses rests where it was.
  result = ReplaceMoving(handle, node.price, core::Quantity(node.leaves), node.sequence,
                         /*quote_delay_over=*/true);
  result.priority = QueuePriority::kKept;
  return result;
}

void OrderBook::ExpireDayOrders() {
  for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
    std::vector<Level>& side_levels = levels(side);
    for (int index = static_cast<int>(side_levels.size()) - 1; index >= 0; --index) {
      uint32_t cursor = side_levels[index].head;
      while (cursor != kNil) {
        const uint32_t next = nodes_[cursor].next;
        if (nodes_[cursor].time_in_force == TimeInForce::kDay) {
          const uint64_t tag = nodes_[cursor].tag;
          const int64_t leaves = nodes_[cursor].leaves;
          const bool derived = nodes_[cursor].derived;
          RemoveResting(side, index, cursor);
          if (!derived) {
            events_->OnOrderCancelled(tag, CancelReason::kEndOfDay, core::Quantity(leaves));
          }
        }
        cursor = next;
      }
      RemoveLevelIfEmpty(side, index);
    }
  }
  PublishTouched();
}

std::optional<RestingOrderView> OrderBook::Find(OrderHandle handle) const {
  if (handle.index >= nodes_.size() || !nodes_[handle.index].in_use) return std::nullopt;
  const Node& node = nodes_[handle.index];
  return RestingOrderView{node.tag,
                          core::ParticipantId(node.owner),
                          node.side,
                          node.price,
                          core::Quantity(node.leaves),
                          node.time_in_force,
                          node.condition,
                          core::Quantity(Reserved(handle.index)),
                          node.role};
}

std::vector<RestingEntry> OrderBook::RestingOrders(core::Side side) const {
  std::vector<RestingEntry> entries;
  const std::vector<Level>& side_levels = levels(side);
  for (auto it = side_levels.rbegin(); it != side_levels.rend(); ++it) {
    for (uint32_t cursor = it->head; cursor != kNil; cursor = nodes_[cursor].next) {
      entries.push_back({OrderHandle{cursor}, *Find(OrderHandle{cursor})});
    }
  }
  return entries;
}

std::optional<core::PriceLevel> OrderBook::Best(core::Side side) const {
  const std::vector<Level>& side_levels = levels(side);
  for (auto it = side_levels.rbegin(); it != side_levels.rend(); ++it) {
    if (it->displayed > 0) return core::PriceLevel{it->price, core::Quantity(it->displayed)};
  }
  return std::nullopt;
}

core::TopOfBook OrderBook::Top() const {
  return core::TopOfBook{Best(core::Side::kBuy), Best(core::Side::kSell)};
}

core::Depth OrderBook::GetDepth(int levels_wanted) const {
  core::Depth depth;
  for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
    std::vector<core::PriceLevel>& out = side == core::Side::kBuy ? depth.bids : depth.asks;
    const std::vector<Level>& side_levels = levels(side);
    for (auto it = side_levels.rbegin();
         it != side_levels.rend() && static_cast<int>(out.size()) < levels_wanted; ++it) {
      if (it->displayed > 0) out.push_back({it->price, core::Quantity(it->displayed)});
    }
  }
  return depth;
}

int OrderBook::FindLevel(core::Side side, core::Price price) const {
  const std::vector<Level>& side_levels = levels(side);
  // Most activity is near the best level, which is last: search from the back.
  for (int i = static_cast<int>(side_levels.size()) - 1; i >= 0; --i) {
    const core::Price level_price = side_levels[i].price;
    if (level_price == price) return i;
    if (Better(side, price, level_price)) return -1;
  }
  return -1;
}

int OrderBook::FindOrCreateLevel(core::Side side, core::Price price) {
  std::vector<Level>& side_levels = levels(side);
  int i = static_cast<int>(side_levels.size()) - 1;
  for (; i >= 0; --i) {
    const core::Price level_price = side_levels[i].price;
    if (level_price == price) return i;
    if (Better(side, price, level_price)) break;
  }
  // `price` belongs right after index i (worse levels sit before better ones).
  const int position = i + 1;
  Level level;
  level.price = price;
  side_levels.insert(side_levels.begin() + position, level);
  return position;
}

void OrderBook::RemoveLevelIfEmpty(core::Side side, int index) {
  std::vector<Level>& side_levels = levels(side);
  if (side_levels[index].head == kNil) side_levels.erase(side_levels.begin() + index);
}

uint32_t OrderBook::AllocateNode() {
  if (!free_nodes_.empty()) {
    const uint32_t index = free_nodes_.back();
    free_nodes_.pop_back();
    return index;
  }
  nodes_.emplace_back();
  return static_cast<uint32_t>(nodes_.size() - 1);
}

void OrderBook::FreeNode(uint32_t index) {
  nodes_[index].in_use = false;
  free_nodes_.push_back(index);
}

void OrderBook::LinkAtTail(Level& level, uint32_t index) {
  Node& node = nodes_[index];
  node.prev = level.tail;
  node.next = kNil;
  if (level.tail == kNil) {
    level.head = index;
  } else {
    nodes_[level.tail].next = index;
  }
  level.tail = index;
}

void OrderBook::LinkInTimeOrder(Level& level, uint32_t index) {
  const uint64_t sequence = nodes_[index].sequence;
  uint32_t after = level.tail;
  while (after != kNil && nodes_[after].sequence > sequence) after = nodes_[after].prev;
  if (after == level.tail) {
    LinkAtTail(level, index);
    return;
  }
  Node& node = nodes_[index];
  const uint32_t before = after == kNil ? level.head : nodes_[after].next;
  node.prev = after;
  node.next = before;
  nodes_[before].prev = index;
  if (after == kNil) {
    level.head = index;
  } else {
    nodes_[after].next = index;
  }
}

void OrderBook::Unlink(Level& level, uint32_t index) {
  Node& node = nodes_[index];
  if (node.prev == kNil) {
    level.head = node.next;
  } else {
    nodes_[node.prev].next = node.next;
  }
  if (node.next == kNil) {
    level.tail = node.prev;
  } else {
    nodes_[node.next].prev = node.prev;
  }
  node.prev = kNil;
  node.next = kNil;
}

void OrderBook::RemoveResting(core::Side side, int level_index, uint32_t node_index) {
  Level& level = levels(side)[level_index];
  Node& node = nodes_[node_index];
  Touch(side, level);
  if (node.condition != FillCondition::kAllOrNone) level.displayed -= node.leaves;
  Unlink(level, node_index);
  FreeNode(node_index);
  --order_count_;
}

void OrderBook::Touch(core::Side side, const Level& level) {
  for (const Touched& t : touched_) {
    if (t.side == side && t.price == level.price) return;
  }
  touched_.push_back({side, level.price, level.displayed});
}

void OrderBook::PublishTouched() {
  // R43 runs at the end of every operation: whatever changed a best level, the quotes there
  // answer before the level updates go out.
  if (mm_rules_ && config_.market_maker.minimum_market_size.is_positive()) {
    // R34 first: a derived order or a deleted professional order changes what R43 sees.
    if (config_.market_maker.derive_or_trade()) DeriveOrTrade();
    EnforceMinimumMarket();
  }
  for (const Touched& t : touched_) {
    const int index = FindLevel(t.side, t.price);
    const int64_t now = index < 0 ? 0 : levels(t.side)[index].displayed;
    if (now != t.displayed_before) {
      events_->OnLevelUpdate(t.side, t.price, core::Quantity(now), ++sequence_);
    }
  }
  touched_.clear();
}

bool OrderBook::Crosses(const Incoming& incoming, core::Price resting_price) const {
  if (incoming.is_market) return true;
  return incoming.side == core::Side::kBuy ? resting_price <= incoming.limit
                                           : resting_price >= incoming.limit;
}

int64_t OrderBook::Fillable(const Incoming& incoming) const {
  const std::vector<Level>& contra = levels(core::Opposite(incoming.side));
  int64_t remaining = incoming.remaining;
  for (auto it = contra.rbegin(); it != contra.rend() && remaining > 0; ++it) {
    if (!Crosses(incoming, it->price)) break;
    remaining -= config_.allocation == AllocationRule::kPriceTime
                     ? FillableAtLevelPriceTime(incoming, *it, remaining)
                     : FillableAtLevelSeed001(incoming, *it, remaining);
  }
  return incoming.remaining - remaining;
}

int64_t OrderBook::FillableAtLevelPriceTime(const Incoming& incoming, const Level& level,
                                            int64_t remaining) const {
  int64_t filled = 0;
  for (uint32_t cursor = level.head; cursor != kNil && filled < remaining;
       cursor = nodes_[cursor].next) {
    const Node& node = nodes_[cursor];
    if (node.owner == incoming.owner) continue;
    if (node.condition == FillCondition::kAllOrNone && node.leaves > remaining - filled) continue;
    const int64_t size = mm_rules_ ? Tradable(cursor, incoming) : node.leaves;
    filled += std::min(size, remaining - filled);
  }
  return filled;
}

int64_t OrderBook::FillableAtLevelSeed001(const Incoming& incoming, const Level& level,
                                          int64_t remaining) const {
  // Customers in time order (their all-or-none orders fill whole or are passed over), then
  // everyone else, whose orders can always be split.
  int64_t filled = 0;
  int64_t others = 0;
  for (uint32_t cursor = level.head; cursor != kNil; cursor = nodes_[cursor].next) {
    const Node& node = nodes_[cursor];
    if (node.owner == incoming.owner) continue;
    if (node.role != ParticipantRole::kCustomer) {
      others += mm_rules_ ? Tradable(cursor, incoming) : node.leaves;
      continue;
    }
    if (filled >= remaining) continue;
    if (node.condition == FillCondition::kAllOrNone && node.leaves > remaining - filled) continue;
    filled += std::min(node.leaves, remaining - filled);
  }
  return filled + std::min(others, remaining - filled);
}

void OrderBook::Match(Incoming& incoming) {
  if (mm_rules_) {
    MatchWithQuoteRules(incoming);
    return;
  }
  const core::Side contra_side = core::Opposite(incoming.side);
  std::vector<Level>& contra = levels(contra_side);
  for (int index = static_cast<int>(contra.size()) - 1; index >= 0 && incoming.remaining > 0;
       --index) {
    if (!Crosses(incoming, contra[index].price)) break;
    if (config_.allocation == AllocationRule::kPriceTime) {
      MatchLevelPriceTime<false>(incoming, index);
    } else {
      MatchLevelSeed001<false>(incoming, index);
    }
    // Removing level `index` leaves the better-than-nothing levels below it in place.
    RemoveLevelIfEmpty(contra_side, index);
  }
}

void OrderBook::Execute(Incoming& incoming, core::Side resting_side, int level_index,
                        uint32_t node_index, int64_t quantity) {
  Level& level = levels(resting_side)[level_index];
  Node& node = nodes_[node_index];
  Touch(resting_side, level);
  node.leaves -= quantity;
  if (node.condition != FillCondition::kAllOrNone) level.displayed -= quantity;
  incoming.remaining -= quantity;
  BookTrade trade;
  trade.resting_tag = node.tag;
  trade.resting_owner = core::ParticipantId(node.owner);
  trade.incoming_tag = incoming.tag;
  trade.incoming_owner = core::ParticipantId(incoming.owner);
  trade.incoming_side = incoming.side;
  trade.price = level.price;
  trade.quantity = core::Quantity(quantity);
  trade.resting_leaves = core::Quantity(node.leaves);
  trade.incoming_leaves = core::Quantity(incoming.remaining + incoming.held);
  std::optional<int64_t> renewed;
  if (mm_rules_ && node.derived) {
    trade.resting_leaves = core::Quantity(node.leaves + DerivedAnchorLeaves(node_index));
  } else if (mm_rules_ && IsQuote(node.role)) {
    renewed = AfterQuoteTrade(incoming, resting_side, level, node_index, quantity);
    if (renewed.has_value()) trade.resting_leaves = core::Quantity(*renewed);
  }
  if (node.leaves == 0 && !renewed.has_value()) {
    Unlink(level, node_index);
    FreeNode(node_index);
    --order_count_;
  }
  events_->OnTrade(trade);
}

template <bool kQuoteRules>
void OrderBook::MatchLevelPriceTime(Incoming& incoming, int level_index) {
  const core::Side resting_side = core::Opposite(incoming.side);
  uint32_t cursor = levels(resting_side)[level_index].head;
  while (cursor != kNil && incoming.remaining > 0) {
    Node& node = nodes_[cursor];
    const uint32_t next = node.next;
    if (node.owner == incoming.owner) {
      const uint64_t tag = node.tag;
      const int64_t leaves = node.leaves;
      const bool derived = node.derived;
      RemoveResting(resting_side, level_index, cursor);
      // A derived order (R34) is the book's: its tag is the PMM quote's, which stays.
      if (!derived) {
        events_->OnOrderCancelled(tag, CancelReason::kSelfTradePrevention, core::Quantity(leaves));
      }
    } else if (node.condition != FillCondition::kAllOrNone || node.leaves <= incoming.remaining) {
      const int64_t size = kQuoteRules ? Tradable(cursor, incoming) : node.leaves;
      if (!kQuoteRules || size > 0) {
        Execute(incoming, resting_side, level_index, cursor, std::min(size, incoming.remaining));
      }
    }
    cursor = next;
  }
  if constexpr (kQuoteRules) TickWorseUnavailableQuotes(incoming, resting_side, level_index);
}

template <bool kQuoteRules>
void OrderBook::MatchLevelSeed001(Incoming& incoming, int level_index) {
  const core::Side resting_side = core::Opposite(incoming.side);
  // R30: customers first, in time order. Self-trade prevention cancels the owner's orders this
  // walk meets; if quantity is left after it, the walk met the whole level.
  bool has_professionals = false;
  for (uint32_t cursor = levels(resting_side)[level_index].head;
       cursor != kNil && incoming.remaining > 0;) {
    const Node& node = nodes_[cursor];
    const uint32_t next = node.next;
    if (node.owner == incoming.owner) {
      const uint64_t tag = node.tag;
      const int64_t leaves = node.leaves;
      const bool derived = node.derived;
      RemoveResting(resting_side, level_index, cursor);
      // A derived order (R34) is the book's: its tag is the PMM quote's, which stays.
      if (!derived) {
        events_->OnOrderCancelled(tag, CancelReason::kSelfTradePrevention, core::Quantity(leaves));
      }
    } else if (node.role != ParticipantRole::kCustomer) {
      has_professionals = true;
    } else if (node.condition != FillCondition::kAllOrNone || node.leaves <= incoming.remaining) {
      Execute(incoming, resting_side, level_index, cursor,
              std::min(node.leaves, incoming.remaining));
    }
    cursor = next;
  }
  if (incoming.remaining == 0 || !has_professionals) return;
  MatchProfessionalsSeed001<kQuoteRules>(incoming, level_index);
  if constexpr (kQuoteRules) TickWorseUnavailableQuotes(incoming, resting_side, level_index);
}

template <bool kQuoteRules>
void OrderBook::MatchProfessionalsSeed001(Incoming& incoming, int level_index) {
  const core::Side resting_side = core::Opposite(incoming.side);

  // The primary market maker's orders and the other professionals', each in time order.
  std::vector<Allocation>& pmm = pmm_scratch_;
  std::vector<Allocation>& others = allocation_scratch_;
  pmm.clear();
  others.clear();
  int64_t pmm_size = 0;
  int64_t others_size = 0;
  for (uint32_t cursor = levels(resting_side)[level_index].head; cursor != kNil;
       cursor = nodes_[cursor].next) {
    const Node& node = nodes_[cursor];
    // R39: a quote offers the incoming order only what its availability allows.
    const int64_t size = kQuoteRules ? Tradable(cursor, incoming) : node.leaves;
    if (size == 0) continue;
    if (node.role == ParticipantRole::kPrimaryMarketMaker) {
      pmm.push_back({cursor, size, 0});
      pmm_size += size;
    } else if (IsProfessional(node.role)) {
      others.push_back({cursor, size, 0});
      others_size += size;
    }
  }
  const int64_t other_count = static_cast<int64_t>(others.size());
  int64_t remaining = incoming.remaining;

  // R31 / R36: the primary market maker's share, rounded up, capped at its size.
  if (pmm_size > 0) {
    int64_t pmm_share = 0;
    if (incoming.original_quantity < config_.seed001.small_order_threshold.value() ||
        other_count == 0) {
      pmm_share = std::min(remaining, pmm_size);
    } else {
      const int64_t minimum_percent = other_count == 1 ? config_.seed001.pmm_share_percent_one_other
                                      : other_count == 2
                                          ? config_.seed001.pmm_share_percent_two_others
                                          : config_.seed001.pmm_share_percent_three_or_more;
      // ceil(remaining x max(m, pmm / (pmm + others))) = the larger of the two ceilings.
      const int64_t by_minimum = CeilDiv(static_cast<__int128>(remaining) * minimum_percent, 100);
      const int64_t by_size =
          CeilDiv(static_cast<__int128>(remaining) * pmm_size, pmm_size + others_size);
      pmm_share = std::min({std::max(by_minimum, by_size), pmm_size, remaining});
    }
    int64_t left = pmm_share;
    for (Allocation& allocation : pmm) {
      allocation.quantity = std::min(allocation.size, left);
      left -= allocation.quantity;
    }
    remaining -= pmm_share;
  }

  // R37: the rest pro-rata among the other professionals, largest first (ties in time order),
  // each ceil(remaining x size / size of those not yet allocated), capped at its size.
  std::stable_sort(others.begin(), others.end(),
                   [](const Allocation& a, const Allocation& b) { return a.size > b.size; });
  int64_t unallocated_size = others_size;
  for (Allocation& allocation : others) {
    if (remaining == 0) break;
    const int64_t share =
        std::min(allocation.size,
                 CeilDiv(static_cast<__int128>(remaining) * allocation.size, unallocated_size));
    allocation.quantity = share;
    remaining -= share;
    unallocated_size -= allocation.size;
  }

  // Nothing Execute calls touches the scratch arrays, so iterating them while trading is safe.
  for (const std::vector<Allocation>* group : {&pmm, &others}) {
    for (const Allocation& allocation : *group) {
      if (allocation.quantity > 0) {
        Execute(incoming, resting_side, level_index, allocation.node, allocation.quantity);
      }
    }
  }
}

OrderHandle OrderBook::Rest(const Incoming& incoming, uint32_t node_index, ParticipantRole role,
                            TimeInForce time_in_force, FillCondition condition,
                            std::optional<uint64_t> keep_sequence) {
  if (node_index == kNil) {
    node_index = AllocateNode();
  }
  const int level_index = FindOrCreateLevel(incoming.side, incoming.limit);
  Level& level = levels(incoming.side)[level_index];
  Touch(incoming.side, level);
  Node& node = nodes_[node_index];
  node.price = incoming.limit;
  node.leaves = incoming.remaining;
  node.tag = incoming.tag;
  node.owner = incoming.owner;
  node.side = incoming.side;
  node.role = role;
  node.condition = condition;
  node.time_in_force = time_in_force;
  node.in_use = true;
  node.derived = false;
  if (keep_sequence.has_value()) {
    node.sequence = *keep_sequence;
    LinkInTimeOrder(level, node_index);
  } else {
    node.sequence = next_order_sequence_++;
    LinkAtTail(level, node_index);
  }
  if (condition != FillCondition::kAllOrNone) level.displayed += incoming.remaining;
  ++order_count_;
  if (incoming.quote_match_delayed) events_->OnQuoteMatchDelayed(OrderHandle{node_index}, node.tag);
  // A quote the owner entered or replaced starts afresh; one the venue moved keeps its state.
  if (mm_rules_ && IsQuote(role) && !keep_sequence.has_value()) StartQuote(node_index);
  return OrderHandle{node_index};
}

// Latency protection (seed 002). A separate path so that the unprotected one stays as tuned:
// the only cost there is the interceptor check in Add and Replace. Held quantity stays in the
// book (displayed, R25) and is reserved on both orders (D5/D6): no third order can trade it.

absl::Status OrderBook::SetMatchInterceptor(MatchInterceptor* interceptor) {
  if (config_.allocation != AllocationRule::kPriceTime) {
    return absl::FailedPreconditionError(absl::StrCat(
        "latency protection needs the price_time allocation; instrument ",
        config_.instrument.value(), " uses ", core::AsAbsl(ToString(config_.allocation))));
  }
  if (mm_rules_) {
    return absl::FailedPreconditionError(
        absl::StrCat("latency protection cannot run with the market-maker rules (instrument ",
                     config_.instrument.value(), ")"));
  }
  if (order_count_ != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("a match interceptor can only be installed on an empty book (instrument ",
                     config_.instrument.value(), " holds ", order_count_, " orders)"));
  }
  interceptor_ = interceptor;
  return absl::OkStatus();
}

void OrderBook::SetReserved(uint32_t node, int64_t quantity) {
  if (node >= reserved_.size()) reserved_.resize(nodes_.size(), 0);
  reserved_[node] = quantity;
}

bool OrderBook::Alive(OrderHandle handle, uint64_t tag) const {
  return handle.index < nodes_.size() && nodes_[handle.index].in_use &&
         nodes_[handle.index].tag == tag;
}

int64_t OrderBook::FillableProtected(const Incoming& incoming) const {
  const std::vector<Level>& contra = levels(core::Opposite(incoming.side));
  int64_t filled = 0;
  for (auto it = contra.rbegin(); it != contra.rend() && filled < incoming.remaining; ++it) {
    if (!Crosses(incoming, it->price)) break;
    for (uint32_t cursor = it->head; cursor != kNil && filled < incoming.remaining;
         cursor = nodes_[cursor].next) {
      const Node& node = nodes_[cursor];
      if (node.owner == incoming.owner) continue;
      const int64_t reserved = Reserved(cursor);
      const int64_t available = node.leaves - reserved;
      if (available <= 0) continue;
      if (node.condition == FillCondition::kAllOrNone &&
          (reserved > 0 || node.leaves > incoming.remaining - filled)) {
        continue;
      }
      filled += std::min(available, incoming.remaining - filled);
    }
  }
  return filled;
}

void OrderBook::MatchProtected(Incoming& incoming) {
  pending_holds_.clear();
  const core::Side contra_side = core::Opposite(incoming.side);
  std::vector<Level>& contra = levels(contra_side);
  for (int index = static_cast<int>(contra.size()) - 1; index >= 0 && incoming.remaining > 0;
       --index) {
    if (!Crosses(incoming, contra[index].price)) break;
    uint32_t cursor = contra[index].head;
    while (cursor != kNil && incoming.remaining > 0) {
      Node& node = nodes_[cursor];
      const uint32_t next = node.next;
      if (node.owner == incoming.owner) {
        const uint64_t tag = node.tag;
        const int64_t leaves = node.leaves;
        RemoveResting(contra_side, index, cursor);
        events_->OnOrderCancelled(tag, CancelReason::kSelfTradePrevention, core::Quantity(leaves));
        cursor = next;
        continue;
      }
      const int64_t reserved = Reserved(cursor);
      const int64_t available = node.leaves - reserved;
      const bool all_or_none_blocked = node.condition == FillCondition::kAllOrNone &&
                                       (reserved > 0 || node.leaves > incoming.remaining);
      if (available > 0 && !all_or_none_blocked) {
        const int64_t quantity = std::min(available, incoming.remaining);
        const core::Duration period = interceptor_->HoldPeriod(core::ParticipantId(node.owner),
                                                               core::ParticipantId(incoming.owner));
        if (period <= core::Duration::Zero()) {
          Execute(incoming, contra_side, index, cursor, quantity);
        } else {
          SetReserved(cursor, reserved + quantity);
          incoming.remaining -= quantity;
          incoming.held += quantity;
          pending_holds_.push_back(
              {cursor, node.tag, node.owner, contra[index].price, quantity, period});
        }
      }
      cursor = next;
    }
    RemoveLevelIfEmpty(contra_side, index);
  }
}

void OrderBook::NotifyHolds(uint32_t incoming_node, const Incoming& incoming) {
  for (const PendingHold& pending : pending_holds_) {
    HeldMatch hold;
    hold.instrument = config_.instrument;
    hold.resting = OrderHandle{pending.node};
    hold.resting_tag = pending.tag;
    hold.resting_owner = core::ParticipantId(pending.owner);
    hold.incoming = OrderHandle{incoming_node};
    hold.incoming_tag = incoming.tag;
    hold.incoming_owner = core::ParticipantId(incoming.owner);
    hold.incoming_side = incoming.side;
    hold.price = pending.price;
    hold.quantity = core::Quantity(pending.quantity);
    hold.period = pending.period;
    interceptor_->OnHeld(hold);
  }
  pending_holds_.clear();
}

AddResult OrderBook::AddProtected(const BookOrder& order, Incoming& incoming) {
  AddResult result;
  const bool all_or_none = order.condition == FillCondition::kAllOrNone ||
                           order.time_in_force == TimeInForce::kFillOrKill;
  const bool may_rest =
      !incoming.is_market && (order.time_in_force == TimeInForce::kDay ||
                              order.time_in_force == TimeInForce::kGoodTillCancel);
  if (all_or_none && FillableProtected(incoming) < incoming.remaining) {
    if (may_rest) {
      result.handle = Rest(incoming, kNil, order.role, order.time_in_force, order.condition);
      SetReserved(result.handle.index, 0);
      result.resting = core::Quantity(incoming.remaining);
    } else {
      events_->OnOrderCancelled(order.tag, CancelReason::kFillOrKill, order.quantity);
    }
    PublishTouched();
    return result;
  }
  MatchProtected(incoming);
  const int64_t held = incoming.held;
  result.filled = core::Quantity(incoming.original_quantity - incoming.remaining - held);
  const int64_t unheld_left = incoming.remaining;
  const int64_t rest_quantity = held + (may_rest ? unheld_left : 0);
  if (rest_quantity > 0) {
    Incoming resting = incoming;
    resting.remaining = rest_quantity;
    // A market order's held part waits at the last (worst) price it was held at (D7).
    if (incoming.is_market) resting.limit = pending_holds_.back().price;
    // A held part of an order that may not rest is cancelled if its hold fails (D7).
    const TimeInForce time_in_force =
        may_rest ? order.time_in_force : TimeInForce::kImmediateOrCancel;
    result.handle = Rest(resting, kNil, order.role, time_in_force, order.condition);
    SetReserved(result.handle.index, held);
    result.resting = core::Quantity(rest_quantity);
  }
  NotifyHolds(result.handle.index, incoming);
  if (!may_rest && unheld_left > 0) {
    events_->OnOrderCancelled(order.tag, CancelReason::kImmediateOrCancel,
                              core::Quantity(unheld_left));
  }
  PublishTouched();
  return result;
}

ReplaceResult OrderBook::ReplaceProtected(OrderHandle handle, core::Price limit_price,
                                          core::Quantity leaves,
                                          std::optional<uint64_t> keep_sequence) {
  ReplaceResult result;
  const Node& node = nodes_[handle.index];
  // A hold never reserves more than the order still has open (D5: a decrease shrinks the fill).
  const int64_t reserved = std::min(Reserved(handle.index), leaves.value());
  SetReserved(handle.index, reserved);
  if (ReduceKeepingPriority(handle, limit_price, leaves, result)) return result;
  result.priority = QueuePriority::kLost;
  Incoming incoming = TakeOutForRematch(handle, limit_price, leaves);
  incoming.remaining = leaves.value() - reserved;
  incoming.held = reserved;
  const ParticipantRole role = node.role;
  const TimeInForce time_in_force = node.time_in_force;
  const FillCondition condition = node.condition;
  pending_holds_.clear();
  if (condition != FillCondition::kAllOrNone ||
      (reserved == 0 && FillableProtected(incoming) >= incoming.remaining)) {
    MatchProtected(incoming);
  }
  const int64_t total = incoming.remaining + incoming.held;
  result.filled = core::Quantity(leaves.value() - total);
  if (total > 0) {
    Incoming resting = incoming;
    resting.remaining = total;
    Rest(resting, handle.index, role, time_in_force, condition, keep_sequence);
    SetReserved(handle.index, incoming.held);
    result.resting = core::Quantity(total);
  } else {
    FreeNode(handle.index);
  }
  NotifyHolds(handle.index, incoming);
  PublishTouched();
  return result;
}

void OrderBook::ExecuteHeld(uint32_t resting, uint32_t incoming, int64_t quantity) {
  BookTrade trade;
  trade.resting_tag = nodes_[resting].tag;
  trade.resting_owner = core::ParticipantId(nodes_[resting].owner);
  trade.incoming_tag = nodes_[incoming].tag;
  trade.incoming_owner = core::ParticipantId(nodes_[incoming].owner);
  trade.incoming_side = nodes_[incoming].side;
  // D4: the resting order's price as it is now.
  trade.price = nodes_[resting].price;
  trade.quantity = core::Quantity(quantity);
  for (const uint32_t index : {resting, incoming}) {
    Node& node = nodes_[index];
    const int level_index = FindLevel(node.side, node.price);
    Level& level = levels(node.side)[level_index];
    Touch(node.side, level);
    node.leaves -= quantity;
    if (node.condition != FillCondition::kAllOrNone) level.displayed -= quantity;
    if (index == resting) {
      trade.resting_leaves = core::Quantity(node.leaves);
    } else {
      trade.incoming_leaves = core::Quantity(node.leaves);
    }
    if (node.leaves == 0) {
      Unlink(level, index);
      FreeNode(index);
      --order_count_;
      RemoveLevelIfEmpty(node.side, level_index);
    }
  }
  events_->OnTrade(trade);
}

void OrderBook::MatchSurvivor(uint32_t index) {
  if (Reserved(index) > 0) return;  // still in another hold; that hold decides
  Node& node = nodes_[index];
  const core::Side side = node.side;
  if (node.time_in_force == TimeInForce::kImmediateOrCancel ||
      node.time_in_force == TimeInForce::kFillOrKill) {
    const uint64_t tag = node.tag;
    const int64_t leaves = node.leaves;
    const int level_index = FindLevel(side, node.price);
    RemoveResting(side, level_index, index);
    RemoveLevelIfEmpty(side, level_index);
    events_->OnOrderCancelled(tag, CancelReason::kImmediateOrCancel, core::Quantity(leaves));
    return;
  }
  // R29(d): the survivor may trade with a third order. It keeps its place on its own side while
  // it matches the other side, so a survivor that finds nothing keeps its time priority.
  Incoming incoming;
  incoming.tag = node.tag;
  incoming.owner = node.owner;
  incoming.side = side;
  incoming.limit = node.price;
  incoming.original_quantity = node.leaves;
  incoming.remaining = node.leaves;
  if (node.condition == FillCondition::kAllOrNone &&
      FillableProtected(incoming) < incoming.remaining) {
    return;
  }
  MatchProtected(incoming);
  Node& after = nodes_[index];
  const int64_t executed = after.leaves - incoming.remaining - incoming.held;
  if (executed > 0) {
    const int level_index = FindLevel(side, after.price);
    Level& level = levels(side)[level_index];
    Touch(side, level);
    after.leaves -= executed;
    if (after.condition != FillCondition::kAllOrNone) level.displayed -= executed;
    if (after.leaves == 0) {
      Unlink(level, index);
      FreeNode(index);
      --order_count_;
      RemoveLevelIfEmpty(side, level_index);
    }
  }
  SetReserved(index, incoming.held);
  NotifyHolds(index, incoming);
}

HoldOutcome OrderBook::ResolveHold(const HeldMatch& hold) {
  HoldOutcome outcome;
  const int64_t held = hold.quantity.value();
  const bool resting_alive = Alive(hold.resting, hold.resting_tag);
  const bool incoming_alive = Alive(hold.incoming, hold.incoming_tag);
  for (const auto& [alive, handle] :
       {std::pair{resting_alive, hold.resting}, std::pair{incoming_alive, hold.incoming}}) {
    if (alive)
      SetReserved(handle.index, Reserved(handle.index) - std::min(Reserved(handle.index), held));
  }
  int64_t executed = 0;
  if (resting_alive && incoming_alive) {
    const Node& resting = nodes_[hold.resting.index];
    const Node& incoming = nodes_[hold.incoming.index];
    const Node& buy = resting.side == core::Side::kBuy ? resting : incoming;
    const Node& sell = resting.side == core::Side::kBuy ? incoming : resting;
    if (resting.side != incoming.side && buy.price >= sell.price) {
      executed = std::min({held, resting.leaves - Reserved(hold.resting.index),
                           incoming.leaves - Reserved(hold.incoming.index)});
      executed = std::max<int64_t>(executed, 0);
    }
  }
  if (executed > 0) ExecuteHeld(hold.resting.index, hold.incoming.index, executed);
  outcome.executed = core::Quantity(executed);
  outcome.prevented = core::Quantity(held - executed);
  for (const auto& [handle, tag] :
       {std::pair{hold.resting, hold.resting_tag}, std::pair{hold.incoming, hold.incoming_tag}}) {
    if (Alive(handle, tag)) MatchSurvivor(handle.index);
  }
  PublishTouched();
  return outcome;
}

// Market-maker rules (seed 001 R32-R43, venues/market_maker_rules.h). Only when mm_rules_: the
// default path reaches none of this.

void OrderBook::MatchWithQuoteRules(Incoming& incoming) {
  const core::Side contra_side = core::Opposite(incoming.side);
  std::vector<Level>& contra = levels(contra_side);
  int index = static_cast<int>(contra.size()) - 1;
  while (index >= 0 && incoming.remaining > 0) {
    if (!Crosses(incoming, contra[index].price)) break;
    const core::Price price = contra[index].price;
    if (config_.allocation == AllocationRule::kPriceTime) {
      MatchLevelPriceTime<true>(incoming, index);
    } else {
      MatchLevelSeed001<true>(incoming, index);
    }
    RemoveLevelIfEmpty(contra_side, index);
    // R42: matching continues at the new best price, which a renewed quote may have opened.
    RenewQuotes();
    // R41: a quote left at this price waits for the delay; nothing trades through it meanwhile.
    if (incoming.delays_quote_matches && incoming.remaining > 0) {
      const int left = FindLevel(contra_side, price);
      if (left >= 0 && HoldsOthersQuote(contra_side, left, incoming.owner)) {
        incoming.quote_match_delayed = true;
        break;
      }
    }
    index = NextWorseLevel(contra_side, price);
  }
}

bool OrderBook::HoldsOthersQuote(core::Side side, int index, uint32_t owner) const {
  for (uint32_t cursor = levels(side)[index].head; cursor != kNil; cursor = nodes_[cursor].next) {
    if (IsQuoteNode(cursor) && nodes_[cursor].owner != owner) return true;
  }
  return false;
}

int OrderBook::NextWorseLevel(core::Side side, core::Price price) const {
  const std::vector<Level>& side_levels = levels(side);
  for (int i = static_cast<int>(side_levels.size()) - 1; i >= 0; --i) {
    if (Better(side, price, side_levels[i].price)) return i;
  }
  return -1;
}

void OrderBook::StartQuote(uint32_t node) {
  if (node >= quote_state_.size()) quote_state_.resize(nodes_.size());
  const MarketMakerRules& rules = config_.market_maker;
  const core::Quantity size(nodes_[node].leaves);
  QuoteState& state = quote_state_[node];
  state.ticks_worse = 0;
  state.step_up_left = rules.step_up_budget.value();
  state.professional_left = rules.professional_availability.has_value()
                                ? AvailableSize(*rules.professional_availability, size).value()
                                : INT64_MAX;
  state.farmm_left = rules.farmm_availability.has_value()
                         ? AvailableSize(*rules.farmm_availability, size).value()
                         : INT64_MAX;
}

int64_t& OrderBook::AvailabilityLeft(uint32_t node, const Incoming& incoming) {
  QuoteState& state = quote_state_[node];
  return incoming.role == ParticipantRole::kFarAwayMarketMaker ? state.farmm_left
                                                               : state.professional_left;
}

int64_t OrderBook::Tradable(uint32_t node, const Incoming& incoming) const {
  const Node& resting = nodes_[node];
  // R41: another market maker's quote waits for the delay (STP has dealt with the owner's own).
  if (incoming.delays_quote_matches && IsQuoteNode(node)) return 0;
  // The complex book's leg orders (tag 0, never resting) trade the displayed quote in full: the
  // complex process prices against the displayed best prices, and R39 is a single-series rule.
  if (!IsQuoteNode(node) || incoming.role == ParticipantRole::kCustomer || incoming.tag == 0) {
    return resting.leaves;
  }
  const QuoteState& state = quote_state_[node];
  const int64_t left = incoming.role == ParticipantRole::kFarAwayMarketMaker
                           ? state.farmm_left
                           : state.professional_left;
  return std::max<int64_t>(0, std::min(resting.leaves, left));
}

std::optional<int64_t> OrderBook::AfterQuoteTrade(const Incoming& incoming, core::Side side,
                                                  Level& level, uint32_t node, int64_t quantity) {
  if (incoming.role != ParticipantRole::kCustomer && incoming.tag != 0) {
    int64_t& left = AvailabilityLeft(node, incoming);
    if (left != INT64_MAX) left -= quantity;
  }
  if (nodes_[node].leaves > 0 || !StartTickWorse(side, level, node)) return std::nullopt;
  return renewals_.back().step.size.value();
}

void OrderBook::TickWorseUnavailableQuotes(const Incoming& incoming, core::Side side,
                                           int level_index) {
  // A quote under R41's delay leaves the quotes it crosses as they are.
  if (incoming.remaining == 0 || incoming.role == ParticipantRole::kCustomer || incoming.tag == 0 ||
      incoming.delays_quote_matches) {
    return;
  }
  Level& level = levels(side)[level_index];
  uint32_t cursor = level.head;
  while (cursor != kNil) {
    const uint32_t next = nodes_[cursor].next;
    if (IsQuoteNode(cursor) && nodes_[cursor].owner != incoming.owner &&
        Tradable(cursor, incoming) == 0 && !StartTickWorse(side, level, cursor)) {
      const uint64_t tag = nodes_[cursor].tag;
      const int64_t leaves = nodes_[cursor].leaves;
      RemoveResting(side, level_index, cursor);
      events_->OnOrderCancelled(tag, CancelReason::kTickWorseExhausted, core::Quantity(leaves));
    }
    cursor = next;
  }
}

bool OrderBook::StartTickWorse(core::Side side, Level& level, uint32_t index) {
  Node& node = nodes_[index];
  const std::optional<TickWorseStep> step = NextTickWorse(
      config_.market_maker, config_.tick_rule, side, node.price, quote_state_[index].ticks_worse);
  if (!step.has_value()) return false;
  Touch(side, level);
  if (node.condition != FillCondition::kAllOrNone) level.displayed -= node.leaves;
  node.leaves = 0;
  Unlink(level, index);
  renewals_.push_back({index, *step});
  return true;
}

void OrderBook::RenewQuotes() {
  // In the order the quotes were exhausted: that is their time order at the new level.
  for (const Renewal& renewal : renewals_) {
    Node& node = nodes_[renewal.node];
    const int level_index = FindOrCreateLevel(node.side, renewal.step.price);
    Level& level = levels(node.side)[level_index];
    Touch(node.side, level);
    node.price = renewal.step.price;
    node.leaves = renewal.step.size.value();
    node.sequence = next_order_sequence_++;
    LinkAtTail(level, renewal.node);
    if (node.condition != FillCondition::kAllOrNone) level.displayed += node.leaves;
    // A new quote (R42): availability from its new size; the step-up budget is the quote's own
    // for its life, so it carries over.
    const int64_t step_up_left = quote_state_[renewal.node].step_up_left;
    StartQuote(renewal.node);
    quote_state_[renewal.node].ticks_worse = renewal.step.level;
    quote_state_[renewal.node].step_up_left = step_up_left;
    events_->OnQuoteRestated(node.tag, RestatementReason::kTickWorse, node.price,
                             core::Quantity(node.leaves), QueuePriority::kLost);
  }
  renewals_.clear();
}

bool OrderBook::OutsideProfessionalBand(const Incoming& incoming) const {
  const int64_t band_ticks = config_.market_maker.professional_band_ticks;
  if (band_ticks == 0 || incoming.is_market || incoming.role == ParticipantRole::kCustomer) {
    return false;
  }
  const std::optional<core::PriceLevel> best = Best(core::Opposite(incoming.side));
  if (!best.has_value()) return false;
  // The band's edge: that many trading increments beyond the contra best price.
  core::Price edge = best->price;
  for (int64_t i = 0; i < band_ticks; ++i) {
    absl::StatusOr<core::Price> next = incoming.side == core::Side::kBuy
                                           ? config_.tick_rule.NextAbove(edge)
                                           : config_.tick_rule.NextBelow(edge);
    if (!next.ok()) return false;
    edge = *next;
  }
  const bool reaches_beyond =
      incoming.side == core::Side::kBuy ? incoming.limit > edge : incoming.limit < edge;
  if (!reaches_beyond) return false;
  Incoming within = incoming;
  within.limit = edge;
  return Fillable(within) < incoming.remaining;
}

bool OrderBook::BelowMinimumImproving(const Incoming& incoming, ParticipantRole role,
                                      FillCondition condition) const {
  const int64_t minimum = config_.market_maker.minimum_market_size.value();
  if (minimum == 0 || role == ParticipantRole::kCustomer || incoming.is_market ||
      condition == FillCondition::kAllOrNone || incoming.remaining >= minimum) {
    return false;
  }
  const std::optional<core::PriceLevel> best = Best(incoming.side);
  return !best.has_value() || Better(incoming.side, incoming.limit, best->price);
}

void OrderBook::EnforceMinimumMarket() {
  const int64_t minimum = config_.market_maker.minimum_market_size.value();
  for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
    // Each pass steps a quote up (and stops) or ticks one worse, which its finite table bounds.
    while (true) {
      std::vector<Level>& side_levels = levels(side);
      int index = static_cast<int>(side_levels.size()) - 1;
      while (index >= 0 && side_levels[index].displayed == 0) --index;
      if (index < 0 || side_levels[index].displayed >= minimum) break;
      Level& level = side_levels[index];
      uint32_t quote = level.head;
      while (quote != kNil &&
             (!IsQuoteNode(quote) || nodes_[quote].condition == FillCondition::kAllOrNone)) {
        quote = nodes_[quote].next;
      }
      if (quote == kNil) break;
      // Q is measured against the level's total (docs/VENUES.md): the point of R32 is X there.
      const int64_t shortfall = minimum - level.displayed;
      QuoteState& state = quote_state_[quote];
      if (shortfall <= state.step_up_left) {
        Touch(side, level);
        nodes_[quote].leaves += shortfall;
        level.displayed += shortfall;
        state.step_up_left -= shortfall;
        events_->OnQuoteRestated(nodes_[quote].tag, RestatementReason::kStepUp, level.price,
                                 core::Quantity(nodes_[quote].leaves), QueuePriority::kKept);
        break;
      }
      if (!StartTickWorse(side, level, quote)) break;
      RemoveLevelIfEmpty(side, index);
      RenewQuotes();
    }
  }
}

// Derive-or-trade (seed 001 R34, Fig. 8). Only with derive_or_trade(): the PMM keeps X at a
// best price a public customer's small order sets, by an order the book derives for it, or takes
// the customer's order when the shortfall exceeds what its matrix Y allows.

int64_t OrderBook::ArrivalDeriveLimit(const Incoming& incoming, FillCondition condition) const {
  const MarketMakerRules& rules = config_.market_maker;
  if (!rules.derive_or_trade() || incoming.role != ParticipantRole::kCustomer ||
      incoming.is_market || condition == FillCondition::kAllOrNone ||
      incoming.remaining >= rules.minimum_market_size.value()) {
    return -1;
  }
  // An order opening an empty side improves nothing measurable: the best-below-X pass derives.
  const std::optional<core::PriceLevel> best = Best(incoming.side);
  if (!best.has_value() || !Better(incoming.side, incoming.limit, best->price)) return -1;
  const core::Price improvement = incoming.side == core::Side::kBuy ? incoming.limit - best->price
                                                                    : best->price - incoming.limit;
  return DeriveLimit(rules, improvement).value();
}

std::optional<OrderBook::NodeRef> OrderBook::FindPmmQuote(core::Side side) const {
  const std::vector<Level>& side_levels = levels(side);
  for (auto level = side_levels.rbegin(); level != side_levels.rend(); ++level) {
    for (uint32_t cursor = level->head; cursor != kNil; cursor = nodes_[cursor].next) {
      if (nodes_[cursor].role == ParticipantRole::kPrimaryMarketMaker && !nodes_[cursor].derived) {
        return NodeRef{cursor, nodes_[cursor].sequence};
      }
    }
  }
  return std::nullopt;
}

bool OrderBook::TradeAgainstPmm(core::Side customer_side, core::Price price, int64_t quantity,
                                uint64_t customer_tag, uint32_t customer_owner,
                                bool customer_rests) {
  const std::optional<NodeRef> pmm = FindPmmQuote(core::Opposite(customer_side));
  if (!pmm.has_value()) return false;
  const Node& quote = nodes_[pmm->node];
  // The PMM trades as principal beside its quote, which keeps its size: the fill reports the
  // quote's leaves as they are.
  BookTrade trade;
  trade.price = price;
  trade.quantity = core::Quantity(quantity);
  if (customer_rests) {
    trade.resting_tag = customer_tag;
    trade.resting_owner = core::ParticipantId(customer_owner);
    trade.incoming_tag = quote.tag;
    trade.incoming_owner = core::ParticipantId(quote.owner);
    trade.incoming_side = core::Opposite(customer_side);
    trade.incoming_leaves = core::Quantity(quote.leaves);
  } else {
    trade.resting_tag = quote.tag;
    trade.resting_owner = core::ParticipantId(quote.owner);
    trade.resting_leaves = core::Quantity(quote.leaves);
    trade.incoming_tag = customer_tag;
    trade.incoming_owner = core::ParticipantId(customer_owner);
    trade.incoming_side = customer_side;
  }
  events_->OnTrade(trade);
  events_->OnDeriveOrTrade(DeriveOrTradeOutcome::kTraded);
  return true;
}

void OrderBook::Derive(NodeRef customer, NodeRef anchor, int64_t size, int64_t derive_limit) {
  const uint32_t index = AllocateNode();
  const Node& customer_node = nodes_[customer.node];
  const Node& quote = nodes_[anchor.node];
  Level& level = levels(customer_node.side)[FindLevel(customer_node.side, customer_node.price)];
  Touch(customer_node.side, level);
  Node& node = nodes_[index];
  node.price = customer_node.price;
  node.side = customer_node.side;
  node.leaves = size;
  node.tag = quote.tag;
  node.owner = quote.owner;
  node.role = ParticipantRole::kPrimaryMarketMaker;
  node.condition = FillCondition::kAnyQuantity;
  node.time_in_force = quote.time_in_force;
  node.in_use = true;
  node.derived = true;
  node.sequence = next_order_sequence_++;
  // Behind the customer's order: the customer always trades first.
  LinkAtTail(level, index);
  level.displayed += size;
  ++order_count_;
  derivations_.push_back({NodeRef{index, node.sequence}, customer, anchor, derive_limit});
  events_->OnDeriveOrTrade(DeriveOrTradeOutcome::kDerived);
}

int64_t OrderBook::DerivedAnchorLeaves(uint32_t derived_node) const {
  for (const Derivation& derivation : derivations_) {
    if (derivation.derived.node == derived_node && Holds(derivation.anchor)) {
      return nodes_[derivation.anchor.node].leaves;
    }
  }
  return 0;
}

int64_t OrderBook::LimitOrdersAt(const Level& level) const {
  int64_t total = 0;
  for (uint32_t cursor = level.head; cursor != kNil; cursor = nodes_[cursor].next) {
    const Node& node = nodes_[cursor];
    if (!node.derived && node.condition != FillCondition::kAllOrNone) total += node.leaves;
  }
  return total;
}

void OrderBook::DeriveOrTrade() {
  const int64_t minimum = config_.market_maker.minimum_market_size.value();
  // Derived orders follow their customer orders (E-R4).
  for (size_t i = 0; i < derivations_.size();) {
    const Derivation derivation = derivations_[i];
    bool keep = Holds(derivation.derived) && Holds(derivation.customer) &&
                Holds(derivation.anchor) &&
                nodes_[derivation.customer.node].price == nodes_[derivation.derived.node].price;
    if (keep) {
      Node& customer = nodes_[derivation.customer.node];
      Node& derived = nodes_[derivation.derived.node];
      const int level_index = FindLevel(customer.side, customer.price);
      Level& level = levels(customer.side)[level_index];
      // Re-run: S is every limit order at the price now (joiners shrink the derived order, a
      // partial fill of the customer's grows it or has the PMM take the balance).
      const int64_t shortfall = minimum - LimitOrdersAt(level);
      if (shortfall <= 0) {
        keep = false;
      } else if (derivation.derive_limit >= 0 && shortfall > derivation.derive_limit &&
                 TradeAgainstPmm(customer.side, customer.price, customer.leaves, customer.tag,
                                 customer.owner, true)) {
        RemoveResting(customer.side, level_index, derivation.customer.node);
        keep = false;
      } else if (derived.leaves != shortfall) {
        Touch(customer.side, level);
        level.displayed += shortfall - derived.leaves;
        derived.leaves = shortfall;
      }
    }
    if (keep) {
      ++i;
      continue;
    }
    if (Holds(derivation.derived)) {
      const Node& derived = nodes_[derivation.derived.node];
      const core::Side side = derived.side;
      const int level_index = FindLevel(side, derived.price);
      RemoveResting(side, level_index, derivation.derived.node);
      RemoveLevelIfEmpty(side, level_index);
    }
    derivations_.erase(derivations_.begin() + static_cast<std::ptrdiff_t>(i));
  }
  // The best price fell below X: a professional order there is deleted (EX-R10 d), and a
  // customer's order gets a derived order for the shortfall (EX-R10 c); a quote there is R43's.
  for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
    while (true) {
      std::vector<Level>& side_levels = levels(side);
      int index = static_cast<int>(side_levels.size()) - 1;
      while (index >= 0 && side_levels[index].displayed == 0) --index;
      if (index < 0 || side_levels[index].displayed >= minimum) break;
      bool quote_or_derived = false;
      uint32_t customer = kNil;
      bool deleted = false;
      for (uint32_t cursor = side_levels[index].head; cursor != kNil;) {
        const Node& node = nodes_[cursor];
        const uint32_t next = node.next;
        if (node.derived || IsQuoteNode(cursor)) {
          quote_or_derived = true;
        } else if (node.role == ParticipantRole::kCustomer) {
          if (customer == kNil && node.condition != FillCondition::kAllOrNone) customer = cursor;
        }
        cursor = next;
      }
      if (quote_or_derived) break;
      for (uint32_t cursor = side_levels[index].head; cursor != kNil;) {
        const Node& node = nodes_[cursor];
        const uint32_t next = node.next;
        if (node.role != ParticipantRole::kCustomer) {
          const uint64_t tag = node.tag;
          const int64_t leaves = node.leaves;
          RemoveResting(side, index, cursor);
          events_->OnOrderCancelled(tag, CancelReason::kBelowMinimumMarketSize,
                                    core::Quantity(leaves));
          deleted = true;
        }
        cursor = next;
      }
      if (deleted) {
        RemoveLevelIfEmpty(side, index);
        continue;  // the level, or the next one, is looked at again
      }
      if (customer == kNil) break;
      if (const std::optional<NodeRef> anchor = FindPmmQuote(side); anchor.has_value()) {
        Derive(NodeRef{customer, nodes_[customer].sequence}, *anchor,
               minimum - LimitOrdersAt(side_levels[index]), -1);
      }
      break;
    }
  }
}

// Latency protection of complex-order packages: reservations the complex book takes and trades.

std::optional<core::PriceLevel> OrderBook::BestTradable(core::Side side) const {
  if (interceptor_ == nullptr) return Best(side);
  const std::vector<Level>& side_levels = levels(side);
  for (auto it = side_levels.rbegin(); it != side_levels.rend(); ++it) {
    if (it->displayed <= 0) continue;
    int64_t free = 0;
    for (uint32_t cursor = it->head; cursor != kNil; cursor = nodes_[cursor].next) {
      const Node& node = nodes_[cursor];
      if (node.condition == FillCondition::kAllOrNone) continue;
      free += std::max<int64_t>(node.leaves - Reserved(cursor), 0);
    }
    if (free > 0) return core::PriceLevel{it->price, core::Quantity(free)};
  }
  return std::nullopt;
}

std::vector<LegTake> OrderBook::PlanTake(core::Side side, core::Price price,
                                         core::Quantity quantity) const {
  std::vector<LegTake> takes;
  const int index = FindLevel(side, price);
  if (index < 0) return takes;
  int64_t remaining = quantity.value();
  for (uint32_t cursor = levels(side)[index].head; cursor != kNil && remaining > 0;
       cursor = nodes_[cursor].next) {
    const Node& node = nodes_[cursor];
    const int64_t reserved = Reserved(cursor);
    const int64_t available = node.leaves - reserved;
    if (available <= 0) continue;
    // As in MatchProtected: an all-or-none order trades whole and unreserved, or not at all.
    if (node.condition == FillCondition::kAllOrNone && (reserved > 0 || node.leaves > remaining)) {
      continue;
    }
    const int64_t take = std::min(available, remaining);
    takes.push_back(LegTake{OrderHandle{cursor}, node.tag, core::ParticipantId(node.owner),
                            core::Quantity(take)});
    remaining -= take;
  }
  return takes;
}

void OrderBook::Reserve(OrderHandle handle, core::Quantity quantity) {
  SetReserved(handle.index, Reserved(handle.index) + quantity.value());
}

void OrderBook::Release(OrderHandle handle, uint64_t tag, core::Quantity quantity) {
  if (!Alive(handle, tag)) return;
  const int64_t reserved = Reserved(handle.index);
  SetReserved(handle.index, reserved - std::min(reserved, quantity.value()));
}

std::optional<RestingOrderView> OrderBook::FindLive(OrderHandle handle, uint64_t tag) const {
  if (!Alive(handle, tag)) return std::nullopt;
  return Find(handle);
}

void OrderBook::TradeWithResting(OrderHandle handle, core::Quantity quantity,
                                 core::ParticipantId taker) {
  Node& node = nodes_[handle.index];
  BookTrade trade;
  trade.resting_tag = node.tag;
  trade.resting_owner = core::ParticipantId(node.owner);
  trade.incoming_tag = 0;
  trade.incoming_owner = taker;
  trade.incoming_side = core::Opposite(node.side);
  trade.price = node.price;
  trade.quantity = quantity;
  const core::Side side = node.side;
  const int level_index = FindLevel(side, node.price);
  Level& level = levels(side)[level_index];
  Touch(side, level);
  node.leaves -= quantity.value();
  if (node.condition != FillCondition::kAllOrNone) level.displayed -= quantity.value();
  trade.resting_leaves = core::Quantity(node.leaves);
  if (node.leaves == 0) {
    Unlink(level, handle.index);
    FreeNode(handle.index);
    --order_count_;
    RemoveLevelIfEmpty(side, level_index);
  }
  events_->OnTrade(trade);
  PublishTouched();
}

void OrderBook::Rematch(OrderHandle handle, uint64_t tag) {
  if (!Alive(handle, tag)) return;
  MatchSurvivor(handle.index);
  PublishTouched();
}

// Added for the complex-order book; kept apart from the matching code above.
bool OrderBook::CustomerRestsAt(core::Side side, core::Price price) const {
  const int index = FindLevel(side, price);
  if (index < 0) return false;
  for (uint32_t node = levels(side)[index].head; node != kNil; node = nodes_[node].next) {
    if (nodes_[node].role == ParticipantRole::kCustomer) return true;
  }
  return false;
}

}  // namespace combo::venues
