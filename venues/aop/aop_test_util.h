// Test helpers for AOP: a scripted third-party feed that sends level updates and trade prints
// to a ThirdPartyMarket as a source venue would. Test-only; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <utility>

#include "core/market_data.h"
#include "core/scheduler.h"
#include "venues/aop/third_party_market.h"
#include "venues/aop/thirty_seconds.h"

namespace combo::venues::aop::testing {

inline core::Price P(std::string_view text) { return core::Price::Parse(text).value(); }
inline core::Price T(std::string_view text) { return ParseThirtySeconds(text).value(); }

// Plays one source venue.
class ScriptedSource {
 public:
  ScriptedSource(core::VenueId venue, core::Scheduler* scheduler, MarketDataListener* target)
      : venue_(venue), scheduler_(scheduler), target_(target) {}

  // Sets the level `price` on `side` of `instrument` to `quantity` (zero removes it).
  void Level(core::InstrumentId instrument, core::Side side, core::Price price, int64_t quantity) {
    core::LegBookUpdate update;
    update.venue = venue_;
    update.instrument = instrument;
    update.sequence = ++sequence_[instrument];
    update.side = side;
    update.price = price;
    update.quantity = core::Quantity(quantity);
    update.time = scheduler_->Now();
    target_->OnLegBookUpdate(update);
  }
  void Trade(core::InstrumentId instrument, core::Price price, int64_t quantity,
             core::Side aggressor = core::Side::kSell) {
    core::TradePrint print;
    print.venue = venue_;
    print.instrument = instrument;
    print.sequence = ++trades_[instrument];
    print.price = price;
    print.quantity = core::Quantity(quantity);
    print.aggressor = aggressor;
    print.time = scheduler_->Now();
    target_->OnTradePrint(print);
  }

 private:
  core::VenueId venue_;
  core::Scheduler* scheduler_;
  MarketDataListener* target_;
  std::map<core::InstrumentId, uint64_t> sequence_;
  std::map<core::InstrumentId, uint64_t> trades_;
};

}  // namespace combo::venues::aop::testing
