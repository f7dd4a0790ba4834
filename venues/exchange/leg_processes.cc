// SimulatedVenue's seed-001 Part A leg-book processes (see venues/simulated_venue.h and
// docs/VENUES.md "Seed-001 leg-book processes"): the series' phases (pre-open, open, fast
// market) with their single-price trades (R46, R47), the away-market process and hidden orders
// (R28, R44, R45), block / facilitation orders (R48) and the FARMM process (R40). The pure
// rules are in
// venues/leg_processes/; this file moves the venue's orders through them.
#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "venues/exchange/venue_adapters.h"
#include "venues/leg_processes/away_market.h"
#include "venues/simulated_venue.h"

namespace combo::venues {
namespace {

using leg_processes::AuctionOrder;

AuctionOrder ToAuction(uint64_t key, const BookOrder& order) {
  AuctionOrder auction;
  auction.key = key;
  auction.side = order.side;
  auction.type = order.type;
  auction.limit = order.limit_price;
  auction.quantity = order.quantity;
  auction.role = order.role;
  auction.owner = order.owner;
  return auction;
}

std::string SeriesName(core::InstrumentId instrument) {
  return absl::StrCat("series ", instrument.value());
}

}  // namespace

void SimulatedVenue::SetUpLegProcesses() {
  const leg_processes::LegProcessesConfig& processes = config_.leg_processes;
  for (const ListedInstrument& listed : config_.instruments) {
    SeriesState& series = Series(listed.instrument);
    if (!processes.opening.enabled) continue;
    series.phase = SeriesPhase::kPreOpen;
    // The complex book does not leg into a series that has not opened.
    if (complex_book_ != nullptr) {
      complex_book_->SetLegStatus(listed.instrument, LegTradingStatus::kHalted);
    }
  }
  if (processes.opening.enabled && processes.opening.start_after.has_value()) {
    transport_.ScheduleAt(scheduler_->Now() + *processes.opening.start_after,
                          [this]() { (void)StartOpening(); });
  }
}

std::optional<Rejection> SimulatedVenue::CheckDispatch(const OrderRequest& request) const {
  const auto it = series_.find(request.instrument);
  const SeriesPhase phase = it == series_.end() ? SeriesPhase::kOpen : it->second.phase;
  const std::string series = SeriesName(request.instrument);
  if (request.handling != OrderHandling::kRegular) {
    const leg_processes::BlockConfig& block = config_.leg_processes.block;
    if (!block.enabled) {
      return Rejection{
          RejectCode::kUnsupportedCondition,
          absl::StrCat(core::AsAbsl(ToString(request.handling)), " orders are not taken here")};
    }
    // R26 steps S9 / S11.
    if (phase == SeriesPhase::kFastMarket) {
      return Rejection{RejectCode::kUnsupportedCondition,
                       absl::StrCat(core::AsAbsl(ToString(request.handling)),
                                    " orders are rejected while ", series, " is in a fast market")};
    }
    if (phase == SeriesPhase::kPreOpen) {
      return Rejection{
          RejectCode::kUnsupportedCondition,
          absl::StrCat(series, " has not opened: no ", core::AsAbsl(ToString(request.handling)),
                       " orders before the opening")};
    }
    if (request.type == OrderType::kMarket) {
      return Rejection{RejectCode::kInvalidPrice, "a block order must have a price (R48)"};
    }
    if (request.quantity < block.min_quantity) {
      return Rejection{RejectCode::kInvalidQuantity,
                       absl::StrCat("block quantity ", request.quantity.value(),
                                    " is below the block minimum ", block.min_quantity.value())};
    }
    if (request.condition == FillCondition::kAllOrNone) {
      return Rejection{RejectCode::kUnsupportedCondition,
                       "an all-or-none block is not taken: a block is fill-or-kill or not"};
    }
    return std::nullopt;
  }
  if (request.role == ParticipantRole::kFarAwayMarketMaker && config_.leg_processes.farmm.enabled) {
    // R26 steps S17 / S19.
    if (phase == SeriesPhase::kFastMarket) {
      return Rejection{
          RejectCode::kUnsupportedCondition,
          absl::StrCat("FARMM orders are rejected while ", series, " is in a fast market (R26)")};
    }
    if (phase == SeriesPhase::kPreOpen) {
      return Rejection{RejectCode::kUnsupportedCondition,
                       absl::StrCat(series, " has not opened: no FARMM orders before the opening")};
    }
  }
  if (phase != SeriesPhase::kOpen && (request.time_in_force == TimeInForce::kFillOrKill ||
                                      request.condition == FillCondition::kAllOrNone)) {
    return Rejection{
        RejectCode::kUnsupportedCondition,
        absl::StrCat("fill-or-kill and all-or-none orders are not taken while ", series, " is ",
                     core::AsAbsl(ToString(phase)), ": it trades only at single prices")};
  }
  return std::nullopt;
}

// --- Phases and single-price trades (R46, R47) -----------------------------------------------

void SimulatedVenue::SetPhase(core::InstrumentId instrument, SeriesPhase phase) {
  SeriesState& series = Series(instrument);
  series.phase = phase;
  if (complex_book_ != nullptr) {
    const bool open = phase == SeriesPhase::kOpen && trading_status_ == VenueTradingStatus::kOpen;
    complex_book_->SetLegStatus(instrument,
                                open ? LegTradingStatus::kOpen : LegTradingStatus::kHalted);
  }
  SeriesStatusChanged change;
  change.venue = config_.id;
  change.instrument = instrument;
  change.phase = phase;
  change.fast_market_level = phase == SeriesPhase::kFastMarket ? series.fast_market_level : 0;
  change.call_delay = phase == SeriesPhase::kFastMarket ? series.call_delay : core::Duration();
  change.time = scheduler_->Now();
  transport_.QueueMarketData(change);
}

void SimulatedVenue::HoldInCall(uint64_t tag, const BookOrder& order) {
  SeriesState& series = Series(order.instrument);
  series.call.push_back({tag, order});
  series.call_changed = true;
}

std::vector<AuctionOrder> SimulatedVenue::AuctionOrders(core::InstrumentId instrument,
                                                        bool include_call) const {
  std::vector<AuctionOrder> orders;
  const OrderBook& book = books_.at(instrument)->book();
  for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
    for (const RestingEntry& entry : book.RestingOrders(side)) {
      const RestingOrderView& view = entry.view;
      // All-or-none orders are not displayed and do not take part; held quantity cannot trade.
      if (view.condition == FillCondition::kAllOrNone) continue;
      const core::Quantity open = view.leaves - view.reserved;
      if (!open.is_positive()) continue;
      AuctionOrder order;
      order.key = view.tag;
      order.side = view.side;
      order.limit = view.limit_price;
      order.quantity = open;
      order.role = view.role;
      order.owner = view.owner;
      orders.push_back(order);
    }
  }
  if (include_call) {
    const auto it = series_.find(instrument);
    if (it != series_.end()) {
      for (const HeldOrder& held : it->second.call)
        orders.push_back(ToAuction(held.tag, held.order));
    }
  }
  return orders;
}

bool SimulatedVenue::RunAuction(core::InstrumentId instrument, bool opening) {
  SeriesState& series = Series(instrument);
  OrderBook& book = books_.at(instrument)->book();
  const std::vector<AuctionOrder> orders = AuctionOrders(instrument, true);
  leg_processes::PriceSearch search;
  search.tick_rule = &book.config().tick_rule;
  if (auto right = config_.option_rights.find(instrument); right != config_.option_rights.end()) {
    search.right = right->second;
  }
  search.opening = opening;
  const leg_processes::AuctionPrice price = leg_processes::FindAuctionPrice(orders, search);
  if (price.result == leg_processes::AuctionResult::kFailed) return false;
  if (price.result == leg_processes::AuctionResult::kTrade) {
    const std::vector<leg_processes::AuctionTrade> trades =
        leg_processes::CrossAt(orders, price.price, {config_.allocation, config_.seed001});
    // Takes `quantity` off one side's order wherever it is; its open quantity after.
    const auto take = [&](uint64_t tag, core::Quantity quantity) {
      for (HeldOrder& held : series.call) {
        if (held.tag != tag) continue;
        held.order.quantity -= quantity;
        return held.order.quantity;
      }
      const OrderHandle handle = registry_.Find(tag)->handle;
      ReduceResting(book, handle, quantity);
      const std::optional<RestingOrderView> view = book.Find(handle);
      return view.has_value() && view->tag == tag ? view->leaves : core::Quantity::Zero();
    };
    const auto in_book = [this](uint64_t tag) {
      return registry_.Find(tag)->book == BookKind::kLeg;
    };
    for (const leg_processes::AuctionTrade& trade : trades) {
      const core::Quantity buy_leaves = take(trade.buy_key, trade.quantity);
      const core::Quantity sell_leaves = take(trade.sell_key, trade.quantity);
      // The order that rested in the book (or, both from the call, the earlier) adds liquidity.
      const bool buy_rests =
          in_book(trade.buy_key) || (!in_book(trade.sell_key) && trade.buy_key < trade.sell_key);
      if (buy_rests) {
        TradeOffBook(instrument, trade.buy_key, buy_leaves, trade.sell_key, sell_leaves,
                     core::Side::kSell, price.price, trade.quantity);
      } else {
        TradeOffBook(instrument, trade.sell_key, sell_leaves, trade.buy_key, buy_leaves,
                     core::Side::kBuy, price.price, trade.quantity);
      }
    }
  }
  // The call's remainders: market and IOC orders had their single-price trade; the others go to
  // the book (they cross nothing there now).
  std::vector<HeldOrder> call = std::move(series.call);
  series.call.clear();
  series.call_changed = false;
  for (HeldOrder& held : call) {
    if (!held.order.quantity.is_positive()) {
      Forget(held.tag);
      continue;
    }
    if (held.order.type == OrderType::kMarket ||
        held.order.time_in_force == TimeInForce::kImmediateOrCancel) {
      if (const OrderRecord* record = registry_.Find(held.tag)) {
        QueueCancelled(*record, CancelReason::kImmediateOrCancel, held.order.quantity);
      }
      Forget(held.tag);
      continue;
    }
    MatchRegular(held.tag, held.order, AwayCheck::kApply);
  }
  return true;
}

void SimulatedVenue::TryOpen(core::InstrumentId instrument) {
  SeriesState& series = Series(instrument);
  if (!RunAuction(instrument, /*opening=*/true)) {
    series.call_changed = false;  // tried again when the call changes (R47)
    leg_process_activity_.CountOpening(OpeningOutcome::kRetried);
    return;
  }
  SetPhase(instrument, SeriesPhase::kOpen);
  leg_process_activity_.CountOpening(OpeningOutcome::kOpened);
}

absl::Status SimulatedVenue::StartOpening(std::vector<core::InstrumentId> instruments) {
  if (!config_.leg_processes.opening.enabled) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, " has no opening process"));
  }
  if (instruments.empty()) {
    for (const ListedInstrument& listed : config_.instruments) {
      instruments.push_back(listed.instrument);
    }
  }
  for (core::InstrumentId instrument : instruments) {
    if (!books_.contains(instrument)) {
      return absl::NotFoundError(
          absl::StrCat("venue ", config_.name, " does not list instrument ", instrument.value()));
    }
  }
  for (core::InstrumentId instrument : instruments) {
    SeriesState& series = Series(instrument);
    if (series.phase != SeriesPhase::kPreOpen) continue;
    series.opening_started = true;
    series.call_changed = true;
  }
  Flush();  // the rotation runs at the end of the step (RunLegProcesses)
  return absl::OkStatus();
}

absl::StatusOr<leg_processes::AuctionPrice> SimulatedVenue::TestOpening(
    core::InstrumentId instrument) const {
  const auto it = series_.find(instrument);
  if (!books_.contains(instrument) || it == series_.end()) {
    return absl::NotFoundError(
        absl::StrCat("venue ", config_.name, " does not list instrument ", instrument.value()));
  }
  if (it->second.phase != SeriesPhase::kPreOpen) {
    return absl::FailedPreconditionError(absl::StrCat(
        "venue ", config_.name, ": ", SeriesName(instrument), " is not before its opening"));
  }
  leg_processes::PriceSearch search;
  search.tick_rule = &books_.at(instrument)->book().config().tick_rule;
  if (auto right = config_.option_rights.find(instrument); right != config_.option_rights.end()) {
    search.right = right->second;
  }
  search.opening = true;
  return leg_processes::FindAuctionPrice(AuctionOrders(instrument, true), search);
}

absl::Status SimulatedVenue::SetFastMarket(core::InstrumentId instrument, int level,
                                           core::Duration entered_delay) {
  const leg_processes::FastMarketConfig& fast = config_.leg_processes.fast_market;
  if (!fast.enabled) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, " has no fast-market process"));
  }
  if (!books_.contains(instrument)) {
    return absl::NotFoundError(
        absl::StrCat("venue ", config_.name, " does not list instrument ", instrument.value()));
  }
  if (level < 0 || level > 6) {
    return absl::InvalidArgumentError(
        absl::StrCat("venue ", config_.name, ": fast-market level ", level, " is outside 0..6"));
  }
  if (level == 6 && entered_delay <= core::Duration::Zero()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "venue ", config_.name, ": fast-market level 6 needs the delay the exchange enters"));
  }
  SeriesState& series = Series(instrument);
  // The exchange's own call (or end) takes over from an automatic fast market; the automatic
  // trigger sets the flag again after its own call.
  series.automatic_fast_market = false;
  if (series.phase == SeriesPhase::kPreOpen) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, ": ", SeriesName(instrument), " has not opened"));
  }
  if (level == 0) {
    if (series.phase != SeriesPhase::kFastMarket) return absl::OkStatus();
    ++series.cycle;  // the pending cycle does nothing
    RunAuction(instrument, /*opening=*/false);
    series.fast_market_level = 0;
    SetPhase(instrument, SeriesPhase::kOpen);
    leg_process_activity_.CountFastMarket(FastMarketEvent::kEnded);
    Flush();
    return absl::OkStatus();
  }
  const bool starting = series.phase != SeriesPhase::kFastMarket;
  series.fast_market_level = level;
  series.call_delay =
      level == 6 ? entered_delay : fast.level_delays[static_cast<size_t>(level - 1)];
  SetPhase(instrument, SeriesPhase::kFastMarket);
  if (starting) {
    leg_process_activity_.CountFastMarket(FastMarketEvent::kEntered);
    ScheduleFastMarketCycle(instrument);
  }
  Flush();
  return absl::OkStatus();
}

void SimulatedVenue::ScheduleFastMarketCycle(core::InstrumentId instrument) {
  SeriesState& series = Series(instrument);
  const uint64_t cycle = ++series.cycle;
  transport_.ScheduleAt(scheduler_->Now() + series.call_delay, [this, instrument, cycle]() {
    const SeriesState& current = Series(instrument);
    if (current.phase != SeriesPhase::kFastMarket || current.cycle != cycle) return;
    RunAuction(instrument, /*opening=*/false);
    ScheduleFastMarketCycle(instrument);  // the next delay uses the level now in force
    Flush();
  });
}

absl::Status SimulatedVenue::ConnectPrimaryMarket(Venue& primary) {
  const std::optional<leg_processes::AutomaticFastMarket>& automatic =
      config_.leg_processes.fast_market.automatic;
  if (!automatic.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("venue ", config_.name, " has no automatic fast market"));
  }
  if (primary.id() != automatic->primary_market || primary.id() == config_.id) {
    return absl::InvalidArgumentError(absl::StrCat("venue ", core::AsAbsl(primary.name()),
                                                   " is not the primary market of venue ",
                                                   config_.name, "'s underlyings"));
  }
  if (primary_market_watcher_ != nullptr) {
    return absl::AlreadyExistsError(
        absl::StrCat("venue ", config_.name, " already watches its primary market"));
  }
  primary_market_watcher_ = std::make_unique<PrimaryMarketWatcher>(this);
  return primary.Subscribe(primary_market_watcher_.get());
}

void SimulatedVenue::OnPrimaryMarketStatus(const SeriesStatusChanged& change) {
  if (change.phase != SeriesPhase::kFastMarket) return;  // the interval decides the end here
  const leg_processes::AutomaticFastMarket& automatic =
      *config_.leg_processes.fast_market.automatic;
  for (const auto& [instrument, underlying] : config_.underlyings) {
    if (underlying != change.instrument || !books_.contains(instrument)) continue;
    SeriesState& series = Series(instrument);
    // A series before its opening stays there; a fast market the exchange called is its own.
    if (series.phase == SeriesPhase::kPreOpen ||
        (series.phase == SeriesPhase::kFastMarket && !series.automatic_fast_market)) {
      continue;
    }
    if (series.phase == SeriesPhase::kOpen && !SetFastMarket(instrument, automatic.level).ok()) {
      continue;
    }
    series.automatic_fast_market = true;
    const uint64_t interval = ++series.automatic_interval;
    transport_.ScheduleAt(
        scheduler_->Now() + automatic.interval, [this, series_id = instrument, interval]() {
          SeriesState& current = Series(series_id);
          if (!current.automatic_fast_market || current.automatic_interval != interval) {
            return;
          }
          current.automatic_fast_market = false;
          (void)SetFastMarket(series_id, 0);
        });
  }
}

absl::StatusOr<SeriesPhase> SimulatedVenue::series_phase(core::InstrumentId instrument) const {
  const auto it = series_.find(instrument);
  if (!books_.contains(instrument) || it == series_.end()) {
    return absl::NotFoundError(
        absl::StrCat("venue ", config_.name, " does not list instrument ", instrument.value()));
  }
  return it->second.phase;
}

// --- Away market and hidden orders (R28, R44, R45) -------------------------------------------

std::optional<core::Price> SimulatedVenue::AwayContra(core::InstrumentId instrument,
                                                      core::Side side) const {
  if (aop_market_ == nullptr || aop_market_->stale()) return std::nullopt;
  const core::TopOfBook top = aop_market_->Top(instrument);
  const std::optional<core::PriceLevel>& level = side == core::Side::kBuy ? top.ask : top.bid;
  if (!level.has_value()) return std::nullopt;
  return level->price;
}

bool SimulatedVenue::AwayWouldTakeIt(const BookOrder& order) const {
  if (!config_.leg_processes.away_market.enabled || order.role != ParticipantRole::kCustomer) {
    return false;
  }
  const std::optional<core::PriceLevel> contra =
      books_.at(order.instrument)->book().Best(core::Opposite(order.side));
  if (!contra.has_value()) return false;
  if (order.type == OrderType::kLimit &&
      (order.side == core::Side::kBuy ? order.limit_price < contra->price
                                      : order.limit_price > contra->price)) {
    return false;  // cannot trade here now
  }
  return leg_processes::AwayIsBetter(order.side, contra->price,
                                     AwayContra(order.instrument, order.side));
}

bool SimulatedVenue::AwayProcess(uint64_t tag, BookOrder& order) {
  if (!AwayWouldTakeIt(order)) return false;
  OrderBook& book = books_.at(order.instrument)->book();
  const core::Side contra_side = core::Opposite(order.side);
  const core::Price away = *AwayContra(order.instrument, order.side);
  // S340: the primary market maker's quote on the side the order trades against.
  std::vector<RestingEntry> pmm;
  for (const RestingEntry& entry : book.RestingOrders(contra_side)) {
    if (entry.view.role != ParticipantRole::kPrimaryMarketMaker ||
        entry.view.condition == FillCondition::kAllOrNone) {
      continue;
    }
    if (!pmm.empty() && entry.view.limit_price != pmm.front().view.limit_price) break;
    pmm.push_back(entry);
  }
  const core::Price difference =
      pmm.empty() ? core::Price()
                  : (pmm.front().view.limit_price > away ? pmm.front().view.limit_price - away
                                                         : away - pmm.front().view.limit_price);
  // S342 / S344: the matching table's size for that difference.
  const core::Quantity size =
      pmm.empty()
          ? core::Quantity::Zero()
          : leg_processes::AwayMatchSize(config_.leg_processes.away_market.table, difference);
  if (order.quantity < size) {
    // S348: the primary market maker trades it at the away price.
    for (const RestingEntry& entry : pmm) {
      const core::Quantity quantity =
          std::min(order.quantity, entry.view.leaves - entry.view.reserved);
      if (!quantity.is_positive()) continue;
      ReduceResting(book, entry.handle, quantity);
      order.quantity -= quantity;
      TradeOffBook(order.instrument, entry.view.tag, entry.view.leaves - quantity, tag,
                   order.quantity, order.side, away, quantity);
      if (order.quantity.is_zero()) break;
    }
    if (order.quantity.is_zero()) {
      Forget(tag);
      return true;
    }
  } else {
    // S346: the primary market maker is alerted and may trade it at the away price.
    std::set<core::ParticipantId> owners;
    for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
      for (const RestingEntry& entry : book.RestingOrders(side)) {
        if (entry.view.role == ParticipantRole::kPrimaryMarketMaker)
          owners.insert(entry.view.owner);
      }
    }
    AwayMarketAlert alert;
    alert.venue = config_.id;
    alert.instrument = order.instrument;
    alert.side = order.side;
    alert.quantity = order.quantity;
    alert.venue_price = book.Best(contra_side)->price;
    alert.away_price = away;
    alert.time = scheduler_->Now();
    for (core::ParticipantId owner : owners) transport_.Queue(owner, alert);
  }
  // R44: stored hidden: neither shown nor reported, still tradable.
  Series(order.instrument).hidden.push_back({tag, order});
  leg_process_activity_.CountHidden(HiddenOrderEvent::kHeld);
  if (OrderRecord* record = registry_.Find(tag)) record->book = BookKind::kHeld;
  return true;
}

bool SimulatedVenue::TradeWithHidden(uint64_t tag, BookOrder& order) {
  std::vector<HeldOrder>& hidden = Series(order.instrument).hidden;
  if (hidden.empty()) return true;
  const OrderBook& book = books_.at(order.instrument)->book();
  for (size_t i = 0; i < hidden.size() && order.quantity.is_positive();) {
    HeldOrder& resting = hidden[i];
    if (resting.order.side == order.side || resting.tag == tag) {
      ++i;
      continue;
    }
    // Both get a better price than they would here: the price the away market shows for the
    // hidden order, kept within both limits and no worse for the incoming order than the book.
    const bool hidden_sells = resting.order.side == core::Side::kSell;
    std::optional<core::Price> low;
    std::optional<core::Price> high;
    const auto raise = [&low](core::Price p) { low = low.has_value() ? std::max(*low, p) : p; };
    const auto lower = [&high](core::Price p) { high = high.has_value() ? std::min(*high, p) : p; };
    const std::optional<core::PriceLevel> book_contra = book.Best(resting.order.side);
    if (hidden_sells) {
      if (resting.order.type == OrderType::kLimit) raise(resting.order.limit_price);
      if (order.type == OrderType::kLimit) lower(order.limit_price);
      if (book_contra.has_value()) lower(book_contra->price);
    } else {
      if (resting.order.type == OrderType::kLimit) lower(resting.order.limit_price);
      if (order.type == OrderType::kLimit) raise(order.limit_price);
      if (book_contra.has_value()) raise(book_contra->price);
    }
    std::optional<core::Price> price = AwayContra(order.instrument, resting.order.side);
    if (!price.has_value()) price = hidden_sells ? low : high;
    if (!price.has_value()) price = hidden_sells ? high : low;
    if (!price.has_value() || (low.has_value() && high.has_value() && *low > *high)) {
      ++i;
      continue;
    }
    if (low.has_value()) price = std::max(*price, *low);
    if (high.has_value()) price = std::min(*price, *high);
    const core::Quantity quantity = std::min(order.quantity, resting.order.quantity);
    resting.order.quantity -= quantity;
    order.quantity -= quantity;
    const uint64_t resting_tag = resting.tag;
    const core::Quantity resting_leaves = resting.order.quantity;
    if (resting_leaves.is_zero()) {
      hidden.erase(hidden.begin() + static_cast<std::ptrdiff_t>(i));
      leg_process_activity_.CountHidden(HiddenOrderEvent::kTraded);
    } else {
      ++i;
    }
    TradeOffBook(order.instrument, resting_tag, resting_leaves, tag, order.quantity, order.side,
                 *price, quantity);
  }
  if (order.quantity.is_zero()) {
    Forget(tag);
    return false;
  }
  return true;
}

size_t SimulatedVenue::hidden_orders(core::InstrumentId instrument) const {
  const auto it = series_.find(instrument);
  return it == series_.end() ? 0 : it->second.hidden.size();
}

void SimulatedVenue::RunLegProcesses() {
  if (running_leg_processes_ || series_to_process_.empty()) return;
  running_leg_processes_ = true;
  // In instrument order, as the listed series are; the processes below may touch others.
  const std::vector<core::InstrumentId> touched(series_to_process_.begin(),
                                                series_to_process_.end());
  for (core::InstrumentId instrument : touched) {
    const SeriesState& series = series_.at(instrument);
    if (series.phase == SeriesPhase::kPreOpen && series.opening_started && series.call_changed) {
      TryOpen(instrument);
    }
  }
  // R44: a hidden order leaves hiding once the away market no longer holds it back.
  for (core::InstrumentId instrument : touched) {
    SeriesState& series = series_.at(instrument);
    for (size_t i = 0; i < series.hidden.size();) {
      if (AwayWouldTakeIt(series.hidden[i].order)) {
        ++i;
        continue;
      }
      const HeldOrder released = series.hidden[i];
      series.hidden.erase(series.hidden.begin() + static_cast<std::ptrdiff_t>(i));
      leg_process_activity_.CountHidden(HiddenOrderEvent::kReleased);
      MatchRegular(released.tag, released.order, AwayCheck::kSkip);
    }
  }
  // A series stays to be looked at while an opening waits for its call or an order hides.
  absl::erase_if(series_to_process_, [&](core::InstrumentId instrument) {
    const SeriesState& series = series_.at(instrument);
    const bool opening_due =
        series.phase == SeriesPhase::kPreOpen && series.opening_started && series.call_changed;
    return !opening_due && series.hidden.empty();
  });
  running_leg_processes_ = false;
}

// --- Block and facilitation orders (R48) ------------------------------------------------------

void SimulatedVenue::StartBlock(uint64_t tag, const OrderRequest& request) {
  BlockState block;
  block.handling = request.handling;
  block.instrument = request.instrument;
  block.terms.order.key = tag;
  block.terms.order.side = request.side;
  block.terms.order.limit = request.limit_price;
  block.terms.order.quantity = request.quantity;
  block.terms.order.role = request.role;
  block.terms.order.owner = request.participant;
  block.terms.fill_or_kill = request.time_in_force == TimeInForce::kFillOrKill;
  if (request.handling == OrderHandling::kFacilitation) {
    block.terms.facilitation_percent = config_.leg_processes.block.facilitation_percent;
  }
  blocks_[tag] = std::move(block);
  leg_process_activity_.CountBlock(request.handling, BlockEvent::kStarted);
  // S652 / S654: the market makers and the members with professional orders at the best prices
  // hear of it, anonymously, with what the entering member discloses.
  std::set<core::ParticipantId> recipients;
  const OrderBook& book = books_.at(request.instrument)->book();
  for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
    const std::vector<RestingEntry> entries = book.RestingOrders(side);
    for (const RestingEntry& entry : entries) {
      const ParticipantRole role = entry.view.role;
      if (role == ParticipantRole::kPrimaryMarketMaker || role == ParticipantRole::kMarketMaker ||
          (role == ParticipantRole::kProfessional &&
           entry.view.limit_price == entries.front().view.limit_price)) {
        recipients.insert(entry.view.owner);
      }
    }
  }
  recipients.erase(request.participant);
  const core::Timestamp until = scheduler_->Now() + config_.leg_processes.block.response_window;
  BlockNotice notice;
  notice.venue = config_.id;
  notice.block_id = tag;
  notice.instrument = request.instrument;
  notice.side = request.side;
  if (request.disclose_price) notice.limit_price = request.limit_price;
  if (request.disclose_size) notice.quantity = request.quantity;
  notice.responses_until = until;
  notice.time = scheduler_->Now();
  for (core::ParticipantId recipient : recipients) transport_.Queue(recipient, notice);
  transport_.ScheduleAt(until, [this, tag]() { EndBlock(tag); });
}

absl::Status SimulatedVenue::RespondToBlock(const BlockResponse& response) {
  if (absl::Status status = AdmitNew(response.participant, response.order_id); !status.ok()) {
    return status;
  }
  transport_.SendInbound(response.participant, config_.latency.inbound.new_order,
                         [this, response]() { ProcessBlockResponse(response); });
  return absl::OkStatus();
}

void SimulatedVenue::ProcessBlockResponse(const BlockResponse& response) {
  auto it = blocks_.find(response.block_id);
  if (it == blocks_.end()) {
    Reject(response.participant, response.order_id, RequestKind::kNew, RejectCode::kUnknownOrder,
           absl::StrCat("block ", response.block_id, " is not collecting responses"));
    Flush();
    return;
  }
  BlockState& block = it->second;
  BookOrder order;
  order.instrument = block.instrument;
  order.side = core::Opposite(block.terms.order.side);
  order.limit_price = response.limit_price;
  order.quantity = response.quantity;
  order.time_in_force = TimeInForce::kGoodTillCancel;
  order.role = response.role;
  order.owner = response.participant;
  order.tag = next_tag_++;
  OrderRecord record;
  record.participant = response.participant;
  record.order_id = response.order_id;
  record.book = BookKind::kHeld;
  record.instrument = block.instrument;
  record.side = order.side;
  record.total_quantity = response.quantity;
  if (!AcceptNew(RequestKind::kNew, order.tag, record,
                 books_.at(block.instrument)->book().Check(order))) {
    return;
  }
  block.responses.push_back({order.tag, order});
  Flush();
}

void SimulatedVenue::EndBlock(uint64_t tag) {
  auto it = blocks_.find(tag);
  if (it == blocks_.end()) return;  // cancelled meanwhile (its responses went with it)
  BlockState block = std::move(it->second);
  blocks_.erase(it);
  OrderBook& book = books_.at(block.instrument)->book();
  const core::Side side = block.terms.order.side;
  // The book's contra orders (earlier), then the responses in arrival order (S656).
  std::vector<AuctionOrder> contra;
  for (const AuctionOrder& order : AuctionOrders(block.instrument, false)) {
    if (order.side != side) contra.push_back(order);
  }
  for (const HeldOrder& response : block.responses) {
    contra.push_back(ToAuction(response.tag, response.order));
  }
  const std::optional<leg_processes::BlockOutcome> outcome =
      leg_processes::CrossBlock(block.terms, contra, {config_.allocation, config_.seed001});
  core::Quantity left = block.terms.order.quantity;
  if (outcome.has_value()) {
    for (const leg_processes::AuctionTrade& trade : outcome->trades) {
      const uint64_t contra_tag = side == core::Side::kBuy ? trade.sell_key : trade.buy_key;
      left -= trade.quantity;
      core::Quantity contra_leaves;
      auto response =
          std::find_if(block.responses.begin(), block.responses.end(),
                       [contra_tag](const HeldOrder& r) { return r.tag == contra_tag; });
      if (response != block.responses.end()) {
        response->order.quantity -= trade.quantity;
        contra_leaves = response->order.quantity;
      } else {
        const OrderHandle handle = registry_.Find(contra_tag)->handle;
        ReduceResting(book, handle, trade.quantity);
        const std::optional<RestingOrderView> view = book.Find(handle);
        contra_leaves =
            view.has_value() && view->tag == contra_tag ? view->leaves : core::Quantity::Zero();
      }
      TradeOffBook(block.instrument, contra_tag, contra_leaves, tag, left, side, outcome->price,
                   trade.quantity);
    }
    if (outcome->facilitated.is_positive()) {
      // The entering member's own proprietary side (no order of its own at the venue).
      left -= outcome->facilitated;
      TradeOffBook(block.instrument, 0, core::Quantity::Zero(), tag, left, side, outcome->price,
                   outcome->facilitated);
    }
  }
  leg_process_activity_.CountBlock(
      block.handling, left.is_positive() ? BlockEvent::kExpired : BlockEvent::kExecuted);
  // Unexecuted parts and responses are deleted.
  if (const OrderRecord* record = registry_.Find(tag); record != nullptr && left.is_positive()) {
    QueueCancelled(*record,
                   !outcome.has_value() && block.terms.fill_or_kill ? CancelReason::kFillOrKill
                                                                    : CancelReason::kExpired,
                   left);
  }
  Forget(tag);
  for (const HeldOrder& response : block.responses) {
    if (const OrderRecord* record = registry_.Find(response.tag);
        record != nullptr && response.order.quantity.is_positive()) {
      QueueCancelled(*record, CancelReason::kExpired, response.order.quantity);
    }
    Forget(response.tag);
  }
  Flush();
}

// --- FARMM orders (R40) -----------------------------------------------------------------------

void SimulatedVenue::StartFarmm(uint64_t tag, const BookOrder& order) {
  const OrderBook& book = books_.at(order.instrument)->book();
  std::set<core::ParticipantId> deciders;
  std::set<core::ParticipantId> recipients;
  for (core::Side side : {core::Side::kBuy, core::Side::kSell}) {
    for (const RestingEntry& entry : book.RestingOrders(side)) {
      if (entry.view.role == ParticipantRole::kPrimaryMarketMaker) {
        deciders.insert(entry.view.owner);
        recipients.insert(entry.view.owner);
      } else if (entry.view.role == ParticipantRole::kMarketMaker) {
        recipients.insert(entry.view.owner);
      }
    }
  }
  deciders.erase(order.owner);
  recipients.erase(order.owner);
  if (deciders.empty()) {
    // No primary market maker to decide: the order goes to matching as it would after the window.
    MatchFarmm(HeldOrder{tag, order});
    return;
  }
  // S21: held in separate memory; the PMM and the CMMs hear of it.
  Series(order.instrument).farmm.push_back({tag, order});
  farmm_deciders_[tag] = std::move(deciders);
  const core::Timestamp until = scheduler_->Now() + config_.leg_processes.farmm.decision_window;
  FarmmNotice notice;
  notice.venue = config_.id;
  notice.farmm_id = tag;
  notice.instrument = order.instrument;
  notice.side = order.side;
  notice.type = order.type;
  if (order.type == OrderType::kLimit) notice.limit_price = order.limit_price;
  notice.quantity = order.quantity;
  notice.decide_until = until;
  notice.time = scheduler_->Now();
  for (core::ParticipantId recipient : recipients) transport_.Queue(recipient, notice);
  transport_.ScheduleAt(until, [this, tag]() {
    // Undecided when the window ends: to bid / offer matching.
    if (std::optional<HeldOrder> held = TakeFarmm(tag)) {
      MatchFarmm(*held);
      Flush();
    }
  });
}

absl::Status SimulatedVenue::DecideFarmm(const FarmmDecision& decision) {
  if (absl::Status status = AdmitNew(decision.participant, decision.order_id); !status.ok()) {
    return status;
  }
  transport_.SendInbound(decision.participant, config_.latency.inbound.new_order,
                         [this, decision]() { ProcessFarmmDecision(decision); });
  return absl::OkStatus();
}

std::optional<SimulatedVenue::HeldOrder> SimulatedVenue::TakeFarmm(uint64_t tag) {
  farmm_deciders_.erase(tag);
  const OrderRecord* record = registry_.Find(tag);
  if (record == nullptr || record->book != BookKind::kHeld) return std::nullopt;
  std::vector<HeldOrder>& list = Series(record->instrument).farmm;
  const auto it =
      std::find_if(list.begin(), list.end(), [tag](const HeldOrder& h) { return h.tag == tag; });
  if (it == list.end()) return std::nullopt;
  HeldOrder held = *it;
  list.erase(it);
  return held;
}

std::optional<Rejection> SimulatedVenue::CheckFarmmExecution(const BookOrder& farmm,
                                                             core::Price price) const {
  const OrderBook& book = books_.at(farmm.instrument)->book();
  if (!book.config().tick_rule.IsOnTick(price)) {
    return Rejection{RejectCode::kOffTick, absl::StrCat("execution price ", price.ToString(),
                                                        " is not on the series' tick")};
  }
  // The FARMM order's limit, or for a market order the book's contra best, bounds the price.
  std::optional<core::Price> bound;
  if (farmm.type == OrderType::kLimit) {
    bound = farmm.limit_price;
  } else if (const std::optional<core::PriceLevel> contra = book.Best(core::Opposite(farmm.side))) {
    bound = contra->price;
  }
  if (bound.has_value() && (farmm.side == core::Side::kBuy ? price > *bound : price < *bound)) {
    return Rejection{
        RejectCode::kInvalidPrice,
        absl::StrCat("execution price ", price.ToString(), " is worse for the FARMM ",
                     farmm.side == core::Side::kBuy ? "buy" : "sell", " than ", bound->ToString())};
  }
  return std::nullopt;
}

void SimulatedVenue::ProcessFarmmDecision(const FarmmDecision& decision) {
  const auto deciders = farmm_deciders_.find(decision.farmm_id);
  const OrderRecord* farmm_record = registry_.Find(decision.farmm_id);
  const HeldOrder* held = nullptr;
  if (deciders != farmm_deciders_.end() && farmm_record != nullptr) {
    held = FindHeldView(decision.farmm_id, *farmm_record);
  }
  if (held == nullptr) {
    Reject(decision.participant, decision.order_id, RequestKind::kNew, RejectCode::kUnknownOrder,
           absl::StrCat("FARMM order ", decision.farmm_id, " is not waiting for a decision"));
    Flush();
    return;
  }
  if (!deciders->second.contains(decision.participant)) {
    Reject(decision.participant, decision.order_id, RequestKind::kNew,
           RejectCode::kUnsupportedCondition,
           absl::StrCat("only the primary market maker decides FARMM order ", decision.farmm_id));
    Flush();
    return;
  }
  const BookOrder farmm = held->order;
  OrderRecord record;
  record.participant = decision.participant;
  record.order_id = decision.order_id;
  record.role = ParticipantRole::kPrimaryMarketMaker;
  record.book = BookKind::kHeld;
  record.instrument = farmm.instrument;
  record.side = core::Opposite(farmm.side);
  record.total_quantity = farmm.quantity;
  const uint64_t tag = next_tag_++;
  std::optional<Rejection> rejection;
  if (decision.action == FarmmAction::kExecute) {
    rejection = CheckFarmmExecution(farmm, decision.price);
  }
  if (!AcceptNew(RequestKind::kNew, tag, record, std::move(rejection))) return;
  const std::optional<HeldOrder> taken = TakeFarmm(decision.farmm_id);
  if (decision.action == FarmmAction::kMatch) {
    Forget(tag);  // the decision itself trades nothing
    MatchFarmm(*taken);
  } else {
    // The PMM executes the whole order itself; the FARMM order waited, so it adds liquidity.
    TradeOffBook(farmm.instrument, taken->tag, core::Quantity::Zero(), tag, core::Quantity::Zero(),
                 record.side, decision.price, farmm.quantity);
  }
  Flush();
}

void SimulatedVenue::MatchFarmm(const HeldOrder& held) {
  if (Series(held.order.instrument).phase != SeriesPhase::kOpen) {
    HoldInCall(held.tag, held.order);  // a fast market began while it waited
    return;
  }
  // R28's check is for public customers only: a FARMM order goes straight to the book.
  MatchRegular(held.tag, held.order, AwayCheck::kSkip);
}

size_t SimulatedVenue::held_farmm_orders(core::InstrumentId instrument) const {
  const auto it = series_.find(instrument);
  return it == series_.end() ? 0 : it->second.farmm.size();
}

// --- Shared ------------------------------------------------------------------------------------

void SimulatedVenue::TradeOffBook(core::InstrumentId instrument, uint64_t resting,
                                  core::Quantity resting_leaves, uint64_t incoming,
                                  core::Quantity incoming_leaves, core::Side incoming_side,
                                  core::Price price, core::Quantity quantity) {
  const auto owner = [this](uint64_t tag) {
    const OrderRecord* record = registry_.Find(tag);
    return record == nullptr ? core::ParticipantId() : record->participant;
  };
  BookTrade trade;
  trade.resting_tag = resting;
  trade.resting_owner = owner(resting);
  trade.incoming_tag = incoming;
  trade.incoming_owner = owner(incoming);
  trade.incoming_side = incoming_side;
  trade.price = price;
  trade.quantity = quantity;
  trade.resting_leaves = resting_leaves;
  trade.incoming_leaves = incoming_leaves;
  OrderBook& book = books_.at(instrument)->book();
  OnBookTrade(book, trade);
  if (incoming_leaves.is_zero()) Forget(incoming);
}

void SimulatedVenue::ReduceResting(OrderBook& book, OrderHandle handle, core::Quantity quantity) {
  const std::optional<RestingOrderView> view = book.Find(handle);
  if (!view.has_value()) return;
  if (view->leaves <= quantity) {
    (void)book.Cancel(handle);
  } else {
    (void)book.Replace(handle, view->limit_price, view->leaves - quantity);
  }
}

std::pair<std::vector<SimulatedVenue::HeldOrder>*, SimulatedVenue::HeldOrder*>
SimulatedVenue::FindHeld(uint64_t tag, const OrderRecord& record) {
  const auto find_in = [tag](std::vector<HeldOrder>& list) -> HeldOrder* {
    for (HeldOrder& held : list) {
      if (held.tag == tag) return &held;
    }
    return nullptr;
  };
  SeriesState& series = Series(record.instrument);
  for (std::vector<HeldOrder>* list : {&series.call, &series.hidden, &series.farmm}) {
    if (HeldOrder* held = find_in(*list)) return {list, held};
  }
  for (auto& [block_tag, block] : blocks_) {
    if (HeldOrder* held = find_in(block.responses)) return {&block.responses, held};
  }
  return {nullptr, nullptr};
}

const SimulatedVenue::HeldOrder* SimulatedVenue::FindHeldView(uint64_t tag,
                                                              const OrderRecord& record) const {
  return const_cast<SimulatedVenue*>(this)->FindHeld(tag, record).second;
}

}  // namespace combo::venues
