// ThirdPartyMarket: the Third Party Inside Market (TPIM) of an AOP venue, consolidated from the
// market data of a configured set of other venues (seed 004 R13-R17, spec 6.1
// "ConsolidatedFeed").
//
// It is a MarketDataListener: subscribe it to each source venue. Per instrument it keeps every
// source's displayed levels and merges them into one ladder per side (quantities at the same
// price add up), best first: the top is the TPIM's best bid and offer with their sizes, the rest
// the depth the AWP walks. Updates from venues outside the configured set, and out-of-order
// sequence numbers, are ignored.
//
// Staleness (spec F1-F4, docs/VENUES.md): a source's data ages from the last message it sent;
// the TPIM is stale while some configured source has sent nothing for `stale_after` (or never
// has). Age is measured on the injected Scheduler, never a wall clock. Observers hear quotes,
// trades and each change of feed state.
//
// Not thread-safe: lives on the thread that runs its Scheduler.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ids.h"
#include "core/market_data.h"
#include "core/scheduler.h"
#include "venues/venue.h"

namespace combo::venues::aop {

struct ThirdPartyMarketConfig {
  // The venues whose markets make the TPIM; never the AOP venue itself (R15).
  std::vector<core::VenueId> sources;
  // A source silent this long makes the TPIM stale.
  core::Duration stale_after = core::Duration::Seconds(5);
};

absl::Status ValidateThirdPartyMarketConfig(const ThirdPartyMarketConfig& config);

enum class FeedState : uint8_t { kFresh, kStale };

std::string_view ToString(FeedState state);

class ThirdPartyMarketObserver {
 public:
  virtual ~ThirdPartyMarketObserver() = default;
  // The consolidated ladder of `instrument` changed (a price-only update, R16).
  virtual void OnTpimQuote(core::InstrumentId instrument) = 0;
  // A source printed a trade (a trading update, R16).
  virtual void OnTpimTrade(const core::TradePrint& print) = 0;
  // The feed went stale or fresh; `reason` says why.
  virtual void OnFeedState(FeedState state, std::string_view reason) = 0;
};

class ThirdPartyMarket final : public MarketDataListener {
 public:
  // `scheduler` is not owned and must outlive the market.
  static absl::StatusOr<std::unique_ptr<ThirdPartyMarket>> Create(ThirdPartyMarketConfig config,
                                                                  core::Scheduler* scheduler);
  ~ThirdPartyMarket() override;

  // Observers (not owned) hear events in the order they were added.
  void AddObserver(ThirdPartyMarketObserver* observer) { observers_.push_back(observer); }

  void OnLegBookUpdate(const core::LegBookUpdate& update) override;
  // Leg prints of complex-vs-complex trades keep the source fresh but are not trades of the leg.
  void OnTradePrint(const core::TradePrint& print) override;
  void OnComboTradePrint(const core::ComboTradePrint& print) override;

  bool IsSource(core::VenueId venue) const;
  FeedState state() const { return state_; }
  bool stale() const { return state_ == FeedState::kStale; }

  core::TopOfBook Top(core::InstrumentId instrument) const;
  // One side of the consolidated ladder, best first (side kBuy: the bids). Empty when unknown.
  const std::vector<core::PriceLevel>& Levels(core::InstrumentId instrument, core::Side side) const;
  // The side an order on `order_side` trades against: offers for a bid, bids for an offer.
  const std::vector<core::PriceLevel>& Contra(core::InstrumentId instrument,
                                              core::Side order_side) const {
    return Levels(instrument, core::Opposite(order_side));
  }

 private:
  struct InstrumentBook {
    // Per source venue, price -> displayed quantity.
    std::map<core::VenueId, std::map<core::Price, core::Quantity>> bids;
    std::map<core::VenueId, std::map<core::Price, core::Quantity>> asks;
    std::map<core::VenueId, uint64_t> last_sequence;
    std::vector<core::PriceLevel> bid_ladder;
    std::vector<core::PriceLevel> ask_ladder;
  };

  ThirdPartyMarket(ThirdPartyMarketConfig config, core::Scheduler* scheduler);

  void Rebuild(InstrumentBook& book, core::Side side);
  // Records a message from `venue`; may turn the feed fresh.
  void Heard(core::VenueId venue);
  void ScheduleCheck();
  void Check();
  void SetState(FeedState state, std::string reason);

  ThirdPartyMarketConfig config_;
  core::Scheduler* scheduler_;
  std::vector<ThirdPartyMarketObserver*> observers_;
  std::map<core::InstrumentId, InstrumentBook> books_;
  std::map<core::VenueId, core::Timestamp> last_heard_;
  FeedState state_ = FeedState::kStale;
  bool check_pending_ = false;
  std::shared_ptr<ThirdPartyMarket*> self_;
};

}  // namespace combo::venues::aop
