// TPIM consolidation and staleness (see third_party_market.h).
#include "venues/aop/third_party_market.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"

namespace combo::venues::aop {
namespace {

const std::vector<core::PriceLevel>& EmptyLadder() {
  static const std::vector<core::PriceLevel> kEmpty;
  return kEmpty;
}

}  // namespace

absl::Status ValidateThirdPartyMarketConfig(const ThirdPartyMarketConfig& config) {
  if (config.sources.empty()) {
    return absl::InvalidArgumentError("third-party market: no source venue configured");
  }
  std::set<core::VenueId> seen;
  for (core::VenueId source : config.sources) {
    if (!seen.insert(source).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("third-party market: source venue ", source.value(), " is listed twice"));
    }
  }
  if (config.stale_after <= core::Duration::Zero()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "third-party market: stale_after ", config.stale_after.ToString(), " is not positive"));
  }
  return absl::OkStatus();
}

std::string_view ToString(FeedState state) {
  return state == FeedState::kFresh ? "fresh" : "stale";
}

absl::StatusOr<std::unique_ptr<ThirdPartyMarket>> ThirdPartyMarket::Create(
    ThirdPartyMarketConfig config, core::Scheduler* scheduler) {
  if (scheduler == nullptr) return absl::InvalidArgumentError("scheduler is null");
  if (absl::Status status = ValidateThirdPartyMarketConfig(config); !status.ok()) return status;
  return std::unique_ptr<ThirdPartyMarket>(new ThirdPartyMarket(std::move(config), scheduler));
}

ThirdPartyMarket::ThirdPartyMarket(ThirdPartyMarketConfig config, core::Scheduler* scheduler)
    : config_(std::move(config)),
      scheduler_(scheduler),
      self_(std::make_shared<ThirdPartyMarket*>(this)) {}

ThirdPartyMarket::~ThirdPartyMarket() { *self_ = nullptr; }

bool ThirdPartyMarket::IsSource(core::VenueId venue) const {
  return std::find(config_.sources.begin(), config_.sources.end(), venue) != config_.sources.end();
}

void ThirdPartyMarket::OnLegBookUpdate(const core::LegBookUpdate& update) {
  if (!IsSource(update.venue)) return;
  InstrumentBook& book = books_[update.instrument];
  uint64_t& last = book.last_sequence[update.venue];
  if (update.sequence != 0 && update.sequence <= last) return;  // a replayed or late update
  last = update.sequence;
  auto& side = update.side == core::Side::kBuy ? book.bids : book.asks;
  auto& levels = side[update.venue];
  if (update.quantity.is_positive()) {
    levels[update.price] = update.quantity;
  } else {
    levels.erase(update.price);
  }
  Rebuild(book, update.side);
  Heard(update.venue);
  for (ThirdPartyMarketObserver* observer : observers_) observer->OnTpimQuote(update.instrument);
}

void ThirdPartyMarket::OnTradePrint(const core::TradePrint& print) {
  if (!IsSource(print.venue)) return;
  Heard(print.venue);
  // A leg of a complex-vs-complex trade is priced by the complex trade, not by the leg's own
  // market (as OPRA spread prints are left out of last sale): it is no trading update (R16).
  // A complex order legging in traded the leg's book at its best price: that one is.
  if (print.kind == core::PrintKind::kComplexVsComplex) return;
  for (ThirdPartyMarketObserver* observer : observers_) observer->OnTpimTrade(print);
}

void ThirdPartyMarket::OnComboTradePrint(const core::ComboTradePrint& print) {
  // The source is publishing; its leg prints carry the trading updates.
  if (IsSource(print.venue)) Heard(print.venue);
}

void ThirdPartyMarket::Rebuild(InstrumentBook& book, core::Side side) {
  const auto& per_venue = side == core::Side::kBuy ? book.bids : book.asks;
  std::map<core::Price, core::Quantity> merged;
  for (const auto& [venue, levels] : per_venue) {
    for (const auto& [price, quantity] : levels) merged[price] += quantity;
  }
  std::vector<core::PriceLevel>& ladder =
      side == core::Side::kBuy ? book.bid_ladder : book.ask_ladder;
  ladder.clear();
  if (side == core::Side::kBuy) {
    for (auto it = merged.rbegin(); it != merged.rend(); ++it) {
      ladder.push_back({it->first, it->second});
    }
  } else {
    for (const auto& [price, quantity] : merged) ladder.push_back({price, quantity});
  }
}

core::TopOfBook ThirdPartyMarket::Top(core::InstrumentId instrument) const {
  core::TopOfBook top;
  const auto& bids = Levels(instrument, core::Side::kBuy);
  const auto& asks = Levels(instrument, core::Side::kSell);
  if (!bids.empty()) top.bid = bids.front();
  if (!asks.empty()) top.ask = asks.front();
  return top;
}

const std::vector<core::PriceLevel>& ThirdPartyMarket::Levels(core::InstrumentId instrument,
                                                              core::Side side) const {
  auto it = books_.find(instrument);
  if (it == books_.end()) return EmptyLadder();
  return side == core::Side::kBuy ? it->second.bid_ladder : it->second.ask_ladder;
}

void ThirdPartyMarket::Heard(core::VenueId venue) {
  const core::Timestamp now = scheduler_->Now();
  last_heard_[venue] = now;
  if (state_ == FeedState::kStale && last_heard_.size() == config_.sources.size()) {
    bool all_fresh = true;
    for (const auto& [source, heard] : last_heard_) {
      if (now - heard >= config_.stale_after) all_fresh = false;
    }
    if (all_fresh) SetState(FeedState::kFresh, "every source venue is publishing");
  }
  ScheduleCheck();
}

void ThirdPartyMarket::ScheduleCheck() {
  if (check_pending_ || state_ == FeedState::kStale) return;
  core::Timestamp oldest = core::Timestamp::Max();
  for (const auto& [source, heard] : last_heard_) oldest = std::min(oldest, heard);
  check_pending_ = true;
  scheduler_->ScheduleAt(oldest + config_.stale_after, [self = self_]() {
    if (*self == nullptr) return;
    (*self)->check_pending_ = false;
    (*self)->Check();
  });
}

void ThirdPartyMarket::Check() {
  if (state_ == FeedState::kStale) return;
  const core::Timestamp now = scheduler_->Now();
  for (const auto& [source, heard] : last_heard_) {
    if (now - heard >= config_.stale_after) {
      SetState(FeedState::kStale, absl::StrCat("source venue ", source.value(), " silent for ",
                                               (now - heard).ToString(), " (stale after ",
                                               config_.stale_after.ToString(), ")"));
      return;
    }
  }
  ScheduleCheck();
}

void ThirdPartyMarket::SetState(FeedState state, std::string reason) {
  state_ = state;
  for (ThirdPartyMarketObserver* observer : observers_) observer->OnFeedState(state, reason);
}

}  // namespace combo::venues::aop
