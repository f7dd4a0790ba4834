// ComplexBook: ranking, evaluation, inverse matching and legging in (see complex_book.h).
#include "venues/complex_book.h"

#include <algorithm>
#include <limits>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::venues {
namespace {

// Net limit prices beyond this many price units are refused: it keeps every weighted sum of
// prices far from the int64 range.
constexpr int64_t kMaxAbsNetPriceUnits = 1'000'000'000;

bool IsAllOrNone(const ComplexBookOrder& order) {
  return order.condition == FillCondition::kAllOrNone ||
         order.time_in_force == TimeInForce::kFillOrKill;
}

bool IsImmediate(const ComplexBookOrder& order) {
  return order.type == OrderType::kMarket ||
         order.time_in_force == TimeInForce::kImmediateOrCancel ||
         order.time_in_force == TimeInForce::kFillOrKill;
}

core::Side LegSideFor(core::Side leg_side, core::Side order_side) {
  return order_side == core::Side::kBuy ? leg_side : core::Opposite(leg_side);
}

}  // namespace

std::string_view ToString(BufferScope value) {
  switch (value) {
    case BufferScope::kComplexMatchingOnly:
      return "complex_matching_only";
    case BufferScope::kAllMatching:
      return "all_matching";
  }
  return "unknown";
}

std::string_view ToString(LegTradingStatus value) {
  switch (value) {
    case LegTradingStatus::kOpen:
      return "open";
    case LegTradingStatus::kHalted:
      return "halted";
  }
  return "unknown";
}

absl::Status ValidateComplexBookConfig(const ComplexBookConfig& config,
                                       absl::FunctionRef<bool(core::InstrumentId)> lists) {
  if (!config.enabled) {
    if (!config.combos.empty()) {
      return absl::InvalidArgumentError(
          "complex book: combos are listed but the complex book is not enabled");
    }
    return absl::OkStatus();
  }
  if (!config.net_tick.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("complex book: net tick ", config.net_tick.ToString(), " is not positive"));
  }
  if (config.price_buffer.is_negative()) {
    return absl::InvalidArgumentError(absl::StrCat("complex book: price buffer ",
                                                   config.price_buffer.ToString(), " is negative"));
  }
  if (config.exposure_delay < core::Duration::Zero()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "complex book: exposure delay ", config.exposure_delay.ToString(), " is negative"));
  }
  for (core::InstrumentId restricted : config.up_tick_restricted) {
    if (!lists(restricted)) {
      return absl::InvalidArgumentError(absl::StrCat("complex book: up-tick restricted instrument ",
                                                     restricted.value(), " is not listed"));
    }
  }
  std::set<core::ComboId> seen;
  for (const ListedCombo& listed : config.combos) {
    const std::string combo =
        absl::StrCat("complex book: combo ", listed.id.value(), " (", listed.spec.ToString(), ")");
    if (!seen.insert(listed.id).second) {
      return absl::InvalidArgumentError(absl::StrCat(combo, " is listed twice"));
    }
    if (!listed.spec.IsCanonical()) {
      return absl::InvalidArgumentError(absl::StrCat(combo, " is not in canonical form"));
    }
    if (listed.spec.size() > kMaxComplexLegs) {
      return absl::InvalidArgumentError(
          absl::StrCat(combo, " has ", listed.spec.size(), " legs; at most ", kMaxComplexLegs));
    }
    for (const core::ComboLeg& leg : listed.spec.legs()) {
      if (!lists(leg.instrument)) {
        return absl::InvalidArgumentError(
            absl::StrCat(combo, ": leg instrument ", leg.instrument.value(), " is not listed"));
      }
    }
    if (!listed.price_weights.empty()) {
      if (listed.price_weights.size() != listed.spec.size()) {
        return absl::InvalidArgumentError(absl::StrCat(combo, " has ", listed.spec.size(),
                                                       " legs but ", listed.price_weights.size(),
                                                       " price weights"));
      }
      for (int64_t weight : listed.price_weights) {
        if (weight < 1) {
          return absl::InvalidArgumentError(
              absl::StrCat(combo, ": price weight ", weight, " is below 1"));
        }
      }
    }
  }
  return absl::OkStatus();
}

ComplexBook::ComplexBook(ComplexBookConfig config,
                         const std::map<core::InstrumentId, OrderBook*>& leg_books,
                         const core::Clock* clock, ComplexBookListener* listener)
    : config_(std::move(config)), clock_(clock), listener_(listener) {
  for (const ListedCombo& listed : config_.combos) {
    Combo combo;
    combo.id = listed.id;
    for (size_t i = 0; i < listed.spec.size(); ++i) {
      const core::ComboLeg& spec_leg = listed.spec.leg(i);
      auto [it, inserted] =
          book_index_.try_emplace(spec_leg.instrument, static_cast<uint32_t>(books_.size()));
      if (inserted) {
        books_.push_back(leg_books.at(spec_leg.instrument));
        book_instruments_.push_back(spec_leg.instrument);
        book_status_.push_back(LegTradingStatus::kOpen);
        up_tick_restricted_.push_back(
            std::find(config_.up_tick_restricted.begin(), config_.up_tick_restricted.end(),
                      spec_leg.instrument) != config_.up_tick_restricted.end());
        last_sale_.emplace_back();
        combos_of_book_.emplace_back();
      }
      ComplexLeg leg;
      leg.book = it->second;
      leg.side = spec_leg.side;
      leg.ratio = spec_leg.ratio;
      leg.weight = listed.price_weights.empty() ? spec_leg.ratio : listed.price_weights[i];
      combo.legs.push_back(leg);
      combos_of_book_[it->second].push_back(static_cast<uint32_t>(combos_.size()));
    }
    combo_index_.emplace(listed.id, static_cast<uint32_t>(combos_.size()));
    combos_.push_back(std::move(combo));
  }
  execution_scratch_.legs.reserve(kMaxComplexLegs);
}

std::optional<Rejection> ComplexBook::Check(const ComplexBookOrder& order) const {
  auto it = combo_index_.find(order.combo);
  if (it == combo_index_.end()) {
    return Rejection{RejectCode::kUnknownCombo,
                     absl::StrCat("combo ", order.combo.value(), " is not traded natively")};
  }
  if (!order.quantity.is_positive()) {
    return Rejection{RejectCode::kInvalidQuantity,
                     absl::StrCat("quantity ", order.quantity.value(), " is not positive")};
  }
  int64_t max_ratio = 1;
  for (const ComplexLeg& leg : combos_[it->second].legs) max_ratio = std::max(max_ratio, leg.ratio);
  if (order.quantity.value() > INT64_MAX / 4 / max_ratio) {
    return Rejection{RejectCode::kInvalidQuantity,
                     absl::StrCat("quantity ", order.quantity.value(), " is too large")};
  }
  if (order.type == OrderType::kInterest && IsImmediate(order)) {
    return Rejection{RejectCode::kUnsupportedCondition,
                     "an interest complex order rests: its time in force must be day or gtc"};
  }
  if (order.type != OrderType::kMarket) {
    if (order.limit_price > core::Price::FromParts(kMaxAbsNetPriceUnits, 0) ||
        order.limit_price < core::Price::FromParts(-kMaxAbsNetPriceUnits, 0)) {
      return Rejection{
          RejectCode::kInvalidPrice,
          absl::StrCat("net price ", order.limit_price.ToString(), " is out of range")};
    }
    if (!order.limit_price.IsOnTick(config_.net_tick)) {
      return Rejection{
          RejectCode::kOffTick,
          absl::StrCat("net price ", order.limit_price.ToString(),
                       " is not a multiple of the net tick ", config_.net_tick.ToString(),
                       " for combo ", order.combo.value())};
    }
  }
  return std::nullopt;
}

ComplexAddResult ComplexBook::Add(const ComplexBookOrder& order) {
  ComplexAddResult result;
  if (auto rejection = Check(order); rejection.has_value()) {
    result.rejection = std::move(rejection);
    return result;
  }
  Order& entry = orders_[order.tag];
  entry.order = order;
  entry.combo = combo_index_.at(order.combo);
  entry.leaves = order.quantity;
  entry.sequence = next_sequence_++;
  if (order.type == OrderType::kInterest) {
    // R5: an interest order holds its place in time, undisplayed and untraded, until it becomes
    // a limit order (Amend).
    Rest(entry);
    result.resting = order.quantity;
    return result;
  }
  if (IsImmediate(order)) {
    // Never displayed and never exposed: one active evaluation, then the rest is cancelled.
    Process(order.tag);
    auto it = orders_.find(order.tag);
    result.filled =
        order.quantity - (it == orders_.end() ? core::Quantity::Zero() : it->second.leaves);
    FinishImmediate(order.tag);
    ProcessPending();
    return result;
  }
  if (config_.exposure_delay > core::Duration::Zero()) {
    entry.exposed = true;
    const core::Timestamp until = clock_->Now() + config_.exposure_delay;
    exposures_.insert({until, order.tag});
    if (!wake_up_requested_.has_value() || until < *wake_up_requested_) {
      wake_up_requested_ = until;
      listener_->RequestWakeUp(until);
    }
  }
  Rest(entry);
  if (entry.exposed) {
    // R9/R10: a new order is a trigger; resting inverse orders may trade against it now.
    MarkDirty(entry.combo);
  } else {
    Process(order.tag);
  }
  auto it = orders_.find(order.tag);
  result.filled =
      order.quantity - (it == orders_.end() ? core::Quantity::Zero() : it->second.leaves);
  result.resting = it == orders_.end() ? core::Quantity::Zero() : it->second.leaves;
  ProcessPending();
  return result;
}

std::optional<core::Quantity> ComplexBook::Cancel(uint64_t tag) {
  auto it = orders_.find(tag);
  if (it == orders_.end()) return std::nullopt;
  const core::Quantity leaves = it->second.leaves;
  Erase(tag);
  PublishTops();
  return leaves;
}

std::optional<Rejection> ComplexBook::CheckReplace(uint64_t tag, core::Price limit_price,
                                                   core::Quantity leaves) const {
  auto it = orders_.find(tag);
  if (it == orders_.end()) {
    return Rejection{RejectCode::kUnknownOrder, absl::StrCat("complex order is not open")};
  }
  if (IsImmediate(it->second.order)) {
    // Only the held part of an immediate order is still open (latency protection, D7).
    return Rejection{RejectCode::kUnsupportedCondition,
                     "an immediate complex order waiting for its held part cannot be replaced"};
  }
  ComplexBookOrder changed = it->second.order;
  changed.limit_price = limit_price;
  changed.quantity = leaves;
  return Check(changed);
}

ComplexReplaceResult ComplexBook::Replace(uint64_t tag, core::Price limit_price,
                                          core::Quantity leaves) {
  ComplexReplaceResult result;
  if (auto rejection = CheckReplace(tag, limit_price, leaves); rejection.has_value()) {
    result.rejection = std::move(rejection);
    return result;
  }
  Order& order = orders_.at(tag);
  const bool keeps = limit_price == order.order.limit_price && leaves <= order.leaves;
  Unrest(order);
  order.order.limit_price = limit_price;
  order.leaves = leaves;
  // A hold never reserves more than the order still has open (a decrease shrinks the package).
  order.reserved = std::min(order.reserved, leaves);
  if (keeps) {
    result.priority = QueuePriority::kKept;
    Rest(order);
    // R10: a changed order is a trigger (a smaller size can meet an all-or-none inverse).
    MarkDirty(order.combo);
    ProcessPending();
    auto it = orders_.find(tag);
    result.resting = it == orders_.end() ? core::Quantity::Zero() : it->second.leaves;
    result.filled = leaves - result.resting;
    return result;
  }
  // R5: a price change or size increase is a cancel/replace: new time, evaluated again (R10).
  result.priority = QueuePriority::kLost;
  order.sequence = next_sequence_++;
  Rest(order);
  if (!order.exposed) Process(tag);
  auto it = orders_.find(tag);
  result.resting = it == orders_.end() ? core::Quantity::Zero() : it->second.leaves;
  result.filled = leaves - result.resting;
  ProcessPending();
  return result;
}

std::optional<Rejection> ComplexBook::CheckAmend(uint64_t tag,
                                                 std::optional<TimeInForce> time_in_force,
                                                 std::optional<OrderType> type) const {
  auto it = orders_.find(tag);
  if (it == orders_.end()) {
    return Rejection{RejectCode::kUnknownOrder, "complex order is not open"};
  }
  const ComplexBookOrder& order = it->second.order;
  if (IsImmediate(order)) {
    return Rejection{RejectCode::kUnsupportedCondition,
                     "an immediate complex order waiting for its held part cannot be changed"};
  }
  if (time_in_force.has_value() && *time_in_force != TimeInForce::kDay &&
      *time_in_force != TimeInForce::kGoodTillCancel) {
    return Rejection{RejectCode::kUnsupportedCondition,
                     absl::StrCat("the validity of a resting complex order changes between day and "
                                  "gtc only, not to ",
                                  core::AsAbsl(ToString(*time_in_force)))};
  }
  if (type.has_value() && *type != order.type &&
      !(order.type == OrderType::kInterest && *type == OrderType::kLimit)) {
    return Rejection{
        RejectCode::kUnsupportedCondition,
        absl::StrCat("a complex order's type changes only from interest to limit, not "
                     "from ",
                     core::AsAbsl(ToString(order.type)), " to ", core::AsAbsl(ToString(*type)))};
  }
  return std::nullopt;
}

ComplexReplaceResult ComplexBook::Amend(uint64_t tag, std::optional<TimeInForce> time_in_force,
                                        std::optional<OrderType> type) {
  ComplexReplaceResult result;
  if (auto rejection = CheckAmend(tag, time_in_force, type); rejection.has_value()) {
    result.rejection = std::move(rejection);
    return result;
  }
  Order& order = orders_.at(tag);
  const core::Quantity leaves = order.leaves;
  result.priority = QueuePriority::kKept;
  if (time_in_force.has_value()) order.order.time_in_force = *time_in_force;
  if (type.has_value() && *type != order.order.type) {
    // Interest to limit: displayed from now on and evaluated at once, in the time it entered
    // (R5: not a price change, so no new time); its combo is a trigger for the others (R10).
    ChangeLevel(order, LevelChange::kRemove);
    order.order.type = *type;
    ChangeLevel(order, LevelChange::kAdd);
    combos_[order.combo].top_dirty = true;
    MarkDirty(order.combo);
    Process(tag);
  }
  ProcessPending();
  auto after = orders_.find(tag);
  result.resting = after == orders_.end() ? core::Quantity::Zero() : after->second.leaves;
  result.filled = leaves - result.resting;
  return result;
}

ComplexReplaceResult ComplexBook::RepriceKeepingTime(uint64_t tag, core::Price limit_price) {
  ComplexReplaceResult result;
  auto it = orders_.find(tag);
  if (it == orders_.end()) {
    result.rejection = Rejection{RejectCode::kUnknownOrder, "complex order is not open"};
    return result;
  }
  if (auto rejection = CheckReplace(tag, limit_price, it->second.leaves); rejection.has_value()) {
    result.rejection = std::move(rejection);
    return result;
  }
  Order& order = it->second;
  const core::Quantity leaves = order.leaves;
  Unrest(order);
  order.order.limit_price = limit_price;
  Rest(order);  // same sequence: same place in time among the orders at the new price
  result.priority = QueuePriority::kKept;
  if (!order.exposed) Process(tag);
  auto after = orders_.find(tag);
  result.resting = after == orders_.end() ? core::Quantity::Zero() : after->second.leaves;
  result.filled = leaves - result.resting;
  ProcessPending();
  return result;
}

void ComplexBook::ExpireDayOrders() {
  std::vector<uint64_t> expired;
  for (Combo& combo : combos_) {
    for (const auto* side : {&combo.bids, &combo.asks}) {
      for (const RankKey& key : *side) {
        if (orders_.at(key.tag).order.time_in_force == TimeInForce::kDay) {
          expired.push_back(key.tag);
        }
      }
    }
  }
  for (uint64_t tag : expired) {
    const core::Quantity leaves = orders_.at(tag).leaves;
    Erase(tag);
    listener_->OnComplexCancelled(tag, CancelReason::kEndOfDay, leaves);
  }
  PublishTops();
}

void ComplexBook::MarkCombosOf(uint32_t book) {
  for (uint32_t combo : combos_of_book_[book]) {
    MarkDirty(combo);
    combos_[combo].legs_top_dirty = true;
  }
}

void ComplexBook::OnLegBookChanged(core::InstrumentId instrument) {
  auto it = book_index_.find(instrument);
  if (it == book_index_.end()) return;
  MarkCombosOf(it->second);
}

void ComplexBook::SetLegStatus(core::InstrumentId instrument, LegTradingStatus status) {
  auto it = book_index_.find(instrument);
  if (it == book_index_.end()) return;
  book_status_[it->second] = status;
  MarkCombosOf(it->second);
  ProcessPending();
}

void ComplexBook::OnLastSale(core::InstrumentId instrument, core::Price price) {
  auto it = book_index_.find(instrument);
  if (it == book_index_.end() || !up_tick_restricted_[it->second]) return;
  LastSale& last = last_sale_[it->second];
  const LastSale before = last;
  if (last.known && price != last.price) last.plus = price > last.price;
  last.known = true;
  last.price = price;
  if (!before.known || before.price != last.price || before.plus != last.plus) {
    MarkCombosOf(it->second);  // R22: the up-tick trigger
  }
}

bool ComplexBook::ShortSaleAllowed(const Combo& combo, const Order& order,
                                   std::span<const core::Price> leg_prices) const {
  if (!order.order.short_sale) return true;
  for (size_t i = 0; i < combo.legs.size(); ++i) {
    const ComplexLeg& leg = combo.legs[i];
    if (!up_tick_restricted_[leg.book] ||
        LegSideFor(leg.side, order.order.side) != core::Side::kSell) {
      continue;
    }
    // Without a last sale there is no tick to sell on.
    const LastSale& last = last_sale_[leg.book];
    if (!last.known) return false;
    if (leg_prices[i] > last.price || (leg_prices[i] == last.price && last.plus)) continue;
    return false;
  }
  return true;
}

void ComplexBook::OnAwayMarketChanged(std::optional<core::InstrumentId> instrument) {
  if (instrument.has_value()) {
    auto it = book_index_.find(*instrument);
    if (it == book_index_.end()) return;
    MarkCombosOf(it->second);
  } else {
    for (uint32_t book = 0; book < books_.size(); ++book) MarkCombosOf(book);
  }
  ProcessPending();
}

void ComplexBook::OnWakeUp() {
  const core::Timestamp now = clock_->Now();
  wake_up_requested_.reset();
  std::vector<uint64_t> released;
  while (!exposures_.empty() && exposures_.begin()->first <= now) {
    released.push_back(exposures_.begin()->second);
    exposures_.erase(exposures_.begin());
  }
  for (uint64_t tag : released) {
    auto it = orders_.find(tag);
    if (it == orders_.end()) continue;
    it->second.exposed = false;
    Process(tag);
  }
  if (!exposures_.empty()) {
    wake_up_requested_ = exposures_.begin()->first;
    listener_->RequestWakeUp(*wake_up_requested_);
  }
  ProcessPending();
}

void ComplexBook::ProcessPending() {
  if (processing_) return;
  processing_ = true;
  while (!dirty_.empty()) {
    // Swapped, not copied: no allocation once both vectors have grown.
    dirty_batch_.clear();
    std::swap(dirty_batch_, dirty_);
    for (uint32_t combo : dirty_batch_) ProcessCombo(combo);
  }
  processing_ = false;
  PublishTops();
}

std::optional<ComplexOrderView> ComplexBook::Find(uint64_t tag) const {
  auto it = orders_.find(tag);
  if (it == orders_.end()) return std::nullopt;
  const Order& order = it->second;
  ComplexOrderView view;
  view.tag = tag;
  view.owner = order.order.owner;
  view.combo = order.order.combo;
  view.side = order.order.side;
  view.limit_price = order.order.limit_price;
  view.leaves = order.leaves;
  view.time_in_force = order.order.time_in_force;
  view.condition = order.order.condition;
  view.type = order.order.type;
  view.sequence = order.sequence;
  view.exposed = order.exposed;
  view.reserved = order.reserved;
  return view;
}

core::TopOfBook ComplexBook::Top(core::ComboId combo) const {
  auto it = combo_index_.find(combo);
  if (it == combo_index_.end()) return {};
  return ComputeTop(combos_[it->second]);
}

core::TopOfBook ComplexBook::LegsImpliedTop(core::ComboId combo) const {
  auto it = combo_index_.find(combo);
  if (it == combo_index_.end()) return {};
  return ComputeLegsImpliedTop(combos_[it->second]);
}

core::TopOfBook ComplexBook::ComputeLegsImpliedTop(const Combo& combo) const {
  std::array<LegQuote, kMaxComplexLegs> quotes;
  const std::span<LegQuote> span(quotes.data(), combo.legs.size());
  if (!Quotes(combo, span, QuoteDetail::kPricesAndSizes)) return {};
  return venues::LegsImpliedTop(combo.legs, span);
}

std::optional<SyntheticRange> ComplexBook::Range(core::ComboId combo) const {
  auto it = combo_index_.find(combo);
  if (it == combo_index_.end()) return std::nullopt;
  const Combo& entry = combos_[it->second];
  std::array<LegQuote, kMaxComplexLegs> quotes;
  const std::span<LegQuote> span(quotes.data(), entry.legs.size());
  if (!Quotes(entry, span)) return std::nullopt;
  return ComputeSyntheticRange(entry.legs, span);
}

bool ComplexBook::Quotes(const Combo& combo, std::span<LegQuote> quotes, QuoteDetail detail) const {
  for (size_t i = 0; i < combo.legs.size(); ++i) {
    const uint32_t index = combo.legs[i].book;
    if (book_status_[index] != LegTradingStatus::kOpen) return false;
    const OrderBook& book = *books_[index];
    LegQuote& quote = quotes[i];
    quote = LegQuote{};
    // A complex trade's leg prices step in the leg's finest tick, whatever the band: exchanges
    // let complex-order legs execute in the penny regardless of the leg's own increment, and the
    // combo tick counts each leg with the same finest tick, so every net price on it is reachable.
    quote.tick = book.config().tick_rule.FinestTick();
    // The tradable market: quantity held for latency protection is listed but not available.
    if (const std::optional<core::PriceLevel> bid = book.BestTradable(core::Side::kBuy);
        bid.has_value()) {
      quote.has_bid = true;
      quote.bid = bid->price;
      quote.bid_size = bid->quantity;
      quote.customer_at_bid =
          detail == QuoteDetail::kForMatching && book.CustomerRestsAt(core::Side::kBuy, bid->price);
    }
    if (const std::optional<core::PriceLevel> ask = book.BestTradable(core::Side::kSell);
        ask.has_value()) {
      quote.has_ask = true;
      quote.ask = ask->price;
      quote.ask_size = ask->quantity;
      quote.customer_at_ask = detail == QuoteDetail::kForMatching &&
                              book.CustomerRestsAt(core::Side::kSell, ask->price);
    }
    if (away_ != nullptr) {
      if (const std::optional<core::TopOfBook> away = away_->AwayTop(book_instruments_[index]);
          away.has_value()) {
        if (away->bid.has_value()) quote.away_bid = away->bid->price;
        if (away->ask.has_value()) quote.away_ask = away->ask->price;
      }
    }
  }
  return true;
}

ComplexBook::RankKey ComplexBook::KeyOf(const Order& order) {
  const int64_t price = order.order.limit_price.raw();
  return RankKey{order.order.side == core::Side::kBuy ? -price : price, order.sequence,
                 order.order.tag};
}

void ComplexBook::Rest(Order& order) {
  Combo& combo = combos_[order.combo];
  SideSet(combo, order.order.side).insert(KeyOf(order));
  order.resting = true;
  ChangeLevel(order, LevelChange::kAdd);
  if (order.order.condition == FillCondition::kAllOrNone) {
    ++AllOrNoneCounts(combo, order.order.side)[KeyOf(order).rank];
  }
  combo.top_dirty = true;
}

void ComplexBook::Unrest(Order& order) {
  if (!order.resting) return;
  Combo& combo = combos_[order.combo];
  ChangeLevel(order, LevelChange::kRemove);
  if (order.order.condition == FillCondition::kAllOrNone) {
    auto& counts = AllOrNoneCounts(combo, order.order.side);
    if (auto it = counts.find(KeyOf(order).rank); --it->second == 0) counts.erase(it);
  }
  SideSet(combo, order.order.side).erase(KeyOf(order));
  order.resting = false;
  combo.top_dirty = true;
}

bool ComplexBook::Displayed(const Order& order) {
  return order.resting && order.order.condition != FillCondition::kAllOrNone &&
         order.order.type != OrderType::kInterest;
}

void ComplexBook::ChangeLevel(const Order& order, LevelChange change) {
  Combo& combo = combos_[order.combo];
  if (!Displayed(order) || order.leaves.is_zero()) return;
  auto& levels = order.order.side == core::Side::kBuy ? combo.displayed_bids : combo.displayed_asks;
  const int64_t rank = KeyOf(order).rank;
  if (change == LevelChange::kAdd) {
    levels[rank] += order.leaves;
    return;
  }
  auto it = levels.find(rank);
  it->second -= order.leaves;
  if (it->second.is_zero()) levels.erase(it);
}

void ComplexBook::Erase(uint64_t tag) {
  auto it = orders_.find(tag);
  if (it == orders_.end()) return;
  Unrest(it->second);
  // The exposure entry (if any) is left: OnWakeUp skips tags that are gone.
  orders_.erase(it);
}

int64_t ComplexBook::Process(uint64_t tag) {
  int64_t total = 0;
  for (;;) {
    auto it = orders_.find(tag);
    if (it == orders_.end()) break;
    const int64_t units = ProcessOnce(it->second);
    if (units == 0) break;
    total += units;
  }
  return total;
}

int64_t ComplexBook::ProcessOnce(Order& order) {
  if (!Available(order).is_positive()) return 0;           // the rest is held in packages
  if (order.order.type == OrderType::kInterest) return 0;  // R5: not traded until a limit
  Combo& combo = combos_[order.combo];
  std::array<LegQuote, kMaxComplexLegs> quote_storage;
  const std::span<LegQuote> quotes(quote_storage.data(), combo.legs.size());
  // R11: every leg open (a leg without a price leaves its edge of the range open).
  if (!Quotes(combo, quotes)) return 0;
  const core::Side side = order.order.side;
  const SyntheticRange frame = InFrame(ComputeSyntheticRange(combo.legs, quotes), side);
  std::optional<core::Price> limit;
  if (order.order.type == OrderType::kLimit) limit = InFrame(order.order.limit_price, side);
  // R12: not marketable below the low (or at it, with a customer there).
  if (limit.has_value() && !ReachesLow(*limit, frame)) return 0;
  const bool within_buffer =
      frame.has_high && (!limit.has_value() || *limit <= frame.high + config_.price_buffer);
  // Complex-vs-complex needs both edges: the price is clipped into [low, high].
  if (within_buffer && frame.has_low) {
    // R13-R15: the best inverse wins over the leg books at a price at or below the high.
    const core::Price window_high = limit.has_value() ? std::min(*limit, frame.high) : frame.high;
    if (Order* inverse = BestInverse(combo, order, frame, window_high); inverse != nullptr) {
      const core::Price calculated = InFrame(inverse->order.limit_price, side);
      const OlderOrder older =
          inverse->sequence < order.sequence ? OlderOrder::kInverse : OlderOrder::kProcessed;
      const std::optional<core::Price> price =
          ComplexExecutionPrice(limit, calculated, older, frame, config_.net_tick);
      if (price.has_value()) {
        const int64_t units = MatchInverse(combo, order, *inverse, *price, quotes);
        if (units > 0) return units;
      }
    }
  }
  // R15/R17: leg in while the legs' best prices are within the limit.
  const bool leg_in_allowed =
      frame.has_high && (!limit.has_value() || frame.high <= *limit) &&
      (within_buffer || config_.buffer_scope == BufferScope::kComplexMatchingOnly);
  if (!leg_in_allowed) return 0;
  // R15 (step S807): an inverted leg (its book locked or crossed, or the away market better on
  // the side the leg-in takes) forbids legging in; only an inverse complex order fills the order.
  if (AnyLegInverted(combo.legs, quotes, side)) return 0;
  return LegIn(combo, order, quotes);
}

ComplexBook::Order* ComplexBook::BestInverse(Combo& combo, const Order& order,
                                             const SyntheticRange& frame_range,
                                             core::Price window_high) {
  const core::Side side = order.order.side;
  const core::Price floor = frame_range.low - config_.price_buffer;
  const bool order_all_or_none = IsAllOrNone(order.order);
  // The opposite side in its own priority order is ascending in this order's frame.
  for (const RankKey& key : SideSet(combo, core::Opposite(side))) {
    Order& inverse = orders_.at(key.tag);
    const core::Price calculated = InFrame(inverse.order.limit_price, side);
    if (calculated > window_high) break;
    // R13(d): a tie with the leg books at the high goes to a customer resting there.
    if (calculated == frame_range.high && frame_range.customer_at_high) break;
    if (calculated < floor) continue;  // R14(c)
    if (inverse.order.owner == order.order.owner) continue;
    if (inverse.order.type == OrderType::kInterest) continue;                  // R5: not traded
    if (!Available(inverse).is_positive()) continue;                           // held in packages
    if (order_all_or_none && Available(order) > Available(inverse)) continue;  // R14(a)
    if (IsAllOrNone(inverse.order) &&
        (inverse.reserved.is_positive() || inverse.leaves > Available(order))) {
      continue;  // R14(b)
    }
    return &inverse;
  }
  return nullptr;
}

int64_t ComplexBook::MatchInverse(Combo& combo, Order& order, Order& inverse,
                                  core::Price frame_price, std::span<const LegQuote> quotes) {
  const int64_t units = std::min(Available(order).value(), Available(inverse).value());
  const core::Price net = InFrame(frame_price, order.order.side);
  std::array<core::Price, kMaxComplexLegs> prices;
  const std::span<core::Price> leg_prices(prices.data(), combo.legs.size());
  if (!AssignLegPrices(combo.legs, quotes, net, leg_prices)) return 0;
  // R22: a short sale of a restricted stock leg only on the up-tick rule's terms.
  if (!ShortSaleAllowed(combo, order, leg_prices) ||
      !ShortSaleAllowed(combo, inverse, leg_prices)) {
    return 0;
  }
  ComplexExecution& execution = execution_scratch_;
  execution.combo = combo.id;
  execution.units = core::Quantity(units);
  execution.net_price = net;
  execution.legs.clear();
  for (size_t i = 0; i < combo.legs.size(); ++i) {
    execution.legs.push_back(LegExecution{book_instruments_[combo.legs[i].book], combo.legs[i].side,
                                          leg_prices[i],
                                          core::Quantity(units * combo.legs[i].ratio)});
  }
  execution.incoming =
      ComplexExecutionParty{order.order.tag, order.order.owner, order.order.side,
                            order.leaves - core::Quantity(units), Liquidity::kRemoved};
  execution.resting =
      ComplexExecutionParty{inverse.order.tag, inverse.order.owner, inverse.order.side,
                            inverse.leaves - core::Quantity(units), Liquidity::kAdded};
  if (hold_policy_ != nullptr) {
    const core::ParticipantId resting_owner = inverse.order.owner;
    const core::Duration period = hold_policy_->PackagePeriod(
        order.order.owner, std::span<const core::ParticipantId>(&resting_owner, 1));
    if (period > core::Duration::Zero()) {
      order.reserved += core::Quantity(units);
      inverse.reserved += core::Quantity(units);
      HoldPackage(execution, {}, period);
      return units;
    }
  }
  listener_->OnComplexExecution(execution);
  const uint64_t inverse_tag = inverse.order.tag;
  Account(order, units);
  auto it = orders_.find(inverse_tag);
  if (it != orders_.end()) Account(it->second, units);
  return units;
}

int64_t ComplexBook::LegIn(Combo& combo, Order& order, std::span<const LegQuote> quotes) {
  const core::Side side = order.order.side;
  int64_t units = Available(order).value();
  std::array<core::Price, kMaxComplexLegs> prices;
  for (size_t i = 0; i < combo.legs.size(); ++i) {
    const ComplexLeg& leg = combo.legs[i];
    const bool buys = LegSideFor(leg.side, side) == core::Side::kBuy;
    const core::Quantity available = buys ? quotes[i].ask_size : quotes[i].bid_size;
    units = std::min(units, available.value() / leg.ratio);
    prices[i] = buys ? quotes[i].ask : quotes[i].bid;
  }
  if (units <= 0) return 0;
  // R22: a short sale of a restricted stock leg sells at its bid only on the up-tick rule's terms.
  if (!ShortSaleAllowed(combo, order,
                        std::span<const core::Price>(prices.data(), combo.legs.size()))) {
    return 0;
  }
  // All or none trades its whole quantity at once: only at the legs' best levels.
  if (IsAllOrNone(order.order) && units < order.leaves.value()) return 0;
  std::vector<HeldLegOrder> held_legs;
  core::Duration period;
  if (hold_policy_ != nullptr) {
    // The leg orders this leg-in would trade with are parties of its package too.
    std::vector<core::ParticipantId> resting_owners;
    for (size_t i = 0; i < combo.legs.size(); ++i) {
      const ComplexLeg& leg = combo.legs[i];
      const core::Side contra = core::Opposite(LegSideFor(leg.side, side));
      const core::Quantity needed(units * leg.ratio);
      core::Quantity planned;
      for (const LegTake& take : books_[leg.book]->PlanTake(contra, prices[i], needed)) {
        held_legs.push_back(HeldLegOrder{i,
                                         book_instruments_[leg.book],
                                         take.handle,
                                         take.tag,
                                         take.owner,
                                         prices[i],
                                         take.quantity,
                                         {}});
        resting_owners.push_back(take.owner);
        planned += take.quantity;
      }
      if (planned < needed) return 0;  // cannot happen: units were sized within the level
    }
    period = hold_policy_->PackagePeriod(order.order.owner, resting_owners);
  }
  ComplexExecution& execution = execution_scratch_;
  execution.combo = combo.id;
  execution.units = core::Quantity(units);
  execution.net_price =
      NetPrice(combo.legs, std::span<const core::Price>(prices.data(), combo.legs.size()));
  execution.legs.clear();
  for (size_t i = 0; i < combo.legs.size(); ++i) {
    execution.legs.push_back(LegExecution{book_instruments_[combo.legs[i].book], combo.legs[i].side,
                                          prices[i], core::Quantity(units * combo.legs[i].ratio)});
  }
  execution.incoming =
      ComplexExecutionParty{order.order.tag, order.order.owner, side,
                            order.leaves - core::Quantity(units), Liquidity::kRemoved};
  execution.resting.reset();
  if (period > core::Duration::Zero()) {
    for (const HeldLegOrder& held : held_legs) {
      books_[combo.legs[held.leg].book]->Reserve(held.handle, held.quantity);
    }
    order.reserved += core::Quantity(units);
    HoldPackage(execution, std::move(held_legs), period);
    return units;
  }
  listener_->OnComplexExecution(execution);
  for (size_t i = 0; i < combo.legs.size(); ++i) {
    const ComplexLeg& leg = combo.legs[i];
    BookOrder leg_order;
    leg_order.tag = 0;
    leg_order.owner = kComplexLegOwner;
    leg_order.role = order.order.role;
    leg_order.instrument = book_instruments_[leg.book];
    leg_order.side = LegSideFor(leg.side, side);
    leg_order.type = OrderType::kLimit;
    leg_order.limit_price = prices[i];
    leg_order.quantity = core::Quantity(units * leg.ratio);
    // Sized within the displayed best level, so each fills whole at that one price.
    leg_order.time_in_force = TimeInForce::kFillOrKill;
    books_[leg.book]->Add(leg_order);
  }
  Account(order, units);
  return units;
}

void ComplexBook::Account(Order& order, int64_t units) {
  ChangeLevel(order, LevelChange::kRemove);
  order.leaves -= core::Quantity(units);
  ChangeLevel(order, LevelChange::kAdd);
  order.filled += core::Quantity(units);
  if (order.resting) combos_[order.combo].top_dirty = true;
  if (order.leaves.is_zero()) Erase(order.order.tag);
}

void ComplexBook::ProcessCombo(uint32_t combo_index) {
  Combo& combo = combos_[combo_index];
  combo.dirty = false;
  std::array<LegQuote, kMaxComplexLegs> quote_storage;
  const std::span<LegQuote> quotes(quote_storage.data(), combo.legs.size());
  for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
    // R11: once an order could not trade its whole quantity, the later orders with the same
    // attributes (price and condition) are skipped in this pass.
    std::optional<std::pair<core::Price, FillCondition>> stopped;
    // The walk goes from key to key in the live set (trades of the pass remove orders from it).
    std::optional<RankKey> after;
    for (;;) {
      const auto& resting = SideSet(combo, side);
      const auto next = after.has_value() ? resting.upper_bound(*after) : resting.begin();
      if (next == resting.end()) break;
      const RankKey key = *next;
      after = key;
      const Order& order = orders_.at(key.tag);
      if (order.exposed || order.order.type == OrderType::kInterest) continue;
      if (order.order.type == OrderType::kLimit) {
        // R11, R12 in priority order: a limit that does not reach the legs' low (as they are
        // now, after the pass's earlier trades) ends the side's walk, for every order after it
        // has a limit no better. A book of many orders away from the market costs one look.
        if (!Quotes(combo, quotes)) return;
        const SyntheticRange frame = InFrame(ComputeSyntheticRange(combo.legs, quotes), side);
        if (!ReachesLow(InFrame(order.order.limit_price, side), frame)) break;
      }
      const std::pair<core::Price, FillCondition> attributes{order.order.limit_price,
                                                             order.order.condition};
      if (stopped == attributes) {
        // Every later order at this price shares the attributes unless an all-or-none rests
        // there: then the walk goes on past the whole level at once.
        if (attributes.second != FillCondition::kAllOrNone &&
            !AllOrNoneCounts(combo, side).contains(key.rank)) {
          after = RankKey{key.rank, std::numeric_limits<uint64_t>::max(),
                          std::numeric_limits<uint64_t>::max()};
        }
        continue;
      }
      Process(key.tag);
      // An order whose rest is all held in packages did not stop for lack of a counterparty.
      if (auto processed = orders_.find(key.tag);
          processed != orders_.end() && Available(processed->second).is_positive()) {
        stopped = attributes;
      }
    }
  }
}

void ComplexBook::FinishImmediate(uint64_t tag) {
  auto it = orders_.find(tag);
  if (it == orders_.end()) return;
  const CancelReason reason =
      IsAllOrNone(it->second.order) ? CancelReason::kFillOrKill : CancelReason::kImmediateOrCancel;
  if (Order& order = it->second; order.reserved.is_positive()) {
    // Latency protection (D7): the unheld rest is cancelled now; the held part waits for its
    // packages and is cancelled, never rested, if they fail.
    const core::Quantity rest = Available(order);
    if (rest.is_positive()) {
      ChangeLevel(order, LevelChange::kRemove);
      order.leaves = order.reserved;
      ChangeLevel(order, LevelChange::kAdd);
      listener_->OnComplexCancelled(tag, reason, rest);
    }
    return;
  }
  const core::Quantity leaves = it->second.leaves;
  Erase(tag);
  listener_->OnComplexCancelled(tag, reason, leaves);
}

// Latency protection of complex executions (seed 002 spec 6.1): one record per execution, the
// complex orders' units and the leg orders' quantity reserved until the package resolves.

void ComplexBook::HoldPackage(const ComplexExecution& execution,
                              std::vector<HeldLegOrder> leg_orders, core::Duration period) {
  HeldPackage package;
  package.id = next_package_id_++;
  package.combo = execution.combo;
  package.units = execution.units;
  package.net_price = execution.net_price;
  package.legs = execution.legs;
  package.incoming = execution.incoming;
  package.resting = execution.resting;
  package.leg_orders = std::move(leg_orders);
  package.period = period;
  const HeldPackage& stored = packages_.emplace(package.id, std::move(package)).first->second;
  hold_policy_->OnPackageHeld(stored);
}

bool ComplexBook::Accepts(const Order& order, core::Price net_price) {
  if (order.order.type == OrderType::kMarket) return true;
  return order.order.side == core::Side::kBuy ? net_price <= order.order.limit_price
                                              : net_price >= order.order.limit_price;
}

PackageOutcome ComplexBook::ResolvePackage(uint64_t id) {
  PackageOutcome outcome;
  auto node = packages_.extract(id);
  if (node.empty()) return outcome;
  HeldPackage& package = node.mapped();
  const Combo& combo = combos_[combo_index_.at(package.combo)];
  const int64_t held = package.units.value();
  // Release everything first: what counts below is what each component has open beyond its
  // other holds.
  std::vector<uint64_t> complex_tags{package.incoming.tag};
  if (package.resting.has_value()) complex_tags.push_back(package.resting->tag);
  for (uint64_t tag : complex_tags) {
    if (auto it = orders_.find(tag); it != orders_.end()) {
      it->second.reserved -= std::min(it->second.reserved, package.units);
    }
  }
  for (const HeldLegOrder& leg_order : package.leg_orders) {
    books_[combo.legs[leg_order.leg].book]->Release(leg_order.handle, leg_order.tag,
                                                    leg_order.quantity);
  }
  int64_t units = held;
  bool all_or_none = false;
  for (uint64_t tag : complex_tags) {
    auto it = orders_.find(tag);
    if (it == orders_.end()) {
      units = 0;
      outcome.reason = "a complex order of the package left the book during the hold";
      break;
    }
    if (!Accepts(it->second, package.net_price)) {
      units = 0;
      outcome.reason = "a complex order's limit no longer accepts the package's net price";
      break;
    }
    all_or_none = all_or_none || IsAllOrNone(it->second.order);
    units = std::min(units, Available(it->second).value());
  }
  // R11: a halted leg stops the package as it stops evaluation.
  for (size_t i = 0; i < combo.legs.size() && units > 0; ++i) {
    if (book_status_[combo.legs[i].book] != LegTradingStatus::kOpen) {
      units = 0;
      outcome.reason = absl::StrCat("leg instrument ",
                                    book_instruments_[combo.legs[i].book].value(), " is halted");
    }
  }
  // Per leg, what its held leg orders still have open (each at most what it was held for).
  std::array<int64_t, kMaxComplexLegs> leg_open{};
  std::vector<int64_t> order_open(package.leg_orders.size(), 0);
  for (size_t j = 0; j < package.leg_orders.size() && units > 0; ++j) {
    const HeldLegOrder& leg_order = package.leg_orders[j];
    const std::optional<RestingOrderView> view =
        books_[combo.legs[leg_order.leg].book]->FindLive(leg_order.handle, leg_order.tag);
    if (!view.has_value()) {
      units = 0;
      outcome.reason = absl::StrCat("a leg order on instrument ", leg_order.instrument.value(),
                                    " left the book during the hold");
    } else if (view->limit_price != leg_order.price) {
      units = 0;
      outcome.reason = absl::StrCat("a leg order on instrument ", leg_order.instrument.value(),
                                    " changed its price during the hold");
    } else {
      order_open[j] = std::min(leg_order.quantity.value(), (view->leaves - view->reserved).value());
      leg_open[leg_order.leg] += std::max<int64_t>(order_open[j], 0);
    }
  }
  if (units > 0 && !package.leg_orders.empty()) {
    for (size_t i = 0; i < combo.legs.size(); ++i) {
      units = std::min(units, leg_open[i] / combo.legs[i].ratio);
    }
  }
  // All or none: a party that may not trade partially takes the whole held quantity or nothing.
  if (all_or_none && units < held) units = 0;
  if (units < held && outcome.reason.empty()) {
    outcome.reason = "the open quantity shrank during the hold";
  }
  units = std::max<int64_t>(units, 0);
  if (units > 0) {
    Order& incoming = orders_.at(package.incoming.tag);
    ComplexExecution& execution = execution_scratch_;
    execution.combo = package.combo;
    execution.units = core::Quantity(units);
    execution.net_price = package.net_price;
    execution.legs = package.legs;
    for (size_t i = 0; i < execution.legs.size(); ++i) {
      execution.legs[i].quantity = core::Quantity(units * combo.legs[i].ratio);
    }
    execution.incoming = package.incoming;
    execution.incoming.leaves = incoming.leaves - core::Quantity(units);
    execution.resting = package.resting;
    if (execution.resting.has_value()) {
      execution.resting->leaves = orders_.at(execution.resting->tag).leaves - core::Quantity(units);
    }
    listener_->OnComplexExecution(execution);
    // Each leg's quantity from its held leg orders in the order they were planned (time order).
    std::array<int64_t, kMaxComplexLegs> needed{};
    for (size_t i = 0; i < combo.legs.size(); ++i) needed[i] = units * combo.legs[i].ratio;
    for (size_t j = 0; j < package.leg_orders.size(); ++j) {
      HeldLegOrder& leg_order = package.leg_orders[j];
      const int64_t take = std::min(order_open[j], needed[leg_order.leg]);
      if (take <= 0) continue;
      needed[leg_order.leg] -= take;
      leg_order.executed = core::Quantity(take);
      books_[combo.legs[leg_order.leg].book]->TradeWithResting(
          leg_order.handle, core::Quantity(take), kComplexLegOwner);
    }
    for (uint64_t tag : complex_tags) {
      if (auto it = orders_.find(tag); it != orders_.end()) Account(it->second, units);
    }
  }
  outcome.executed = core::Quantity(units);
  outcome.prevented = core::Quantity(held - units);
  // Survivors: an immediate order's held part is cancelled once nothing holds it (D7); resting
  // ones are evaluated again, and leg orders match the other side again (R29(d)).
  for (uint64_t tag : complex_tags) {
    auto it = orders_.find(tag);
    if (it == orders_.end()) continue;
    if (IsImmediate(it->second.order)) {
      if (!it->second.reserved.is_positive()) FinishImmediate(tag);
    } else {
      MarkDirty(it->second.combo);
    }
  }
  for (const HeldLegOrder& leg_order : package.leg_orders) {
    books_[combo.legs[leg_order.leg].book]->Rematch(leg_order.handle, leg_order.tag);
  }
  outcome.leg_orders = std::move(package.leg_orders);
  ProcessPending();
  return outcome;
}

void ComplexBook::PublishTops() {
  for (Combo& combo : combos_) {
    if (!combo.top_dirty && !combo.legs_top_dirty) continue;
    const core::TopOfBook top =
        combo.top_dirty || !combo.published.has_value() ? ComputeTop(combo) : *combo.published;
    const core::TopOfBook legs_implied =
        combo.legs_top_dirty ? ComputeLegsImpliedTop(combo) : combo.published_legs_implied;
    combo.top_dirty = false;
    combo.legs_top_dirty = false;
    if (combo.published.has_value() && *combo.published == top &&
        combo.published_legs_implied == legs_implied) {
      continue;
    }
    combo.published = top;
    combo.published_legs_implied = legs_implied;
    listener_->OnComplexTop(combo.id, top, legs_implied);
  }
}

core::TopOfBook ComplexBook::ComputeTop(const Combo& combo) const {
  core::TopOfBook top;
  if (!combo.displayed_bids.empty()) {
    const auto& [rank, quantity] = *combo.displayed_bids.begin();
    top.bid = core::PriceLevel{core::Price::FromRaw(-rank), quantity};
  }
  if (!combo.displayed_asks.empty()) {
    const auto& [rank, quantity] = *combo.displayed_asks.begin();
    top.ask = core::PriceLevel{core::Price::FromRaw(rank), quantity};
  }
  return top;
}

}  // namespace combo::venues
