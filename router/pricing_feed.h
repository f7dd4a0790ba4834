// PricingFeed: carries a venue's market data (leg books and native combo books) into the
// PricingEngine, so every combo's smart tick follows the venues. Subscribed to each venue by
// whoever assembles the router (the daemon, the backtest, tests).
// Not thread-safe: called on the core thread that runs the venues and the engine.
#pragma once

#include "core/market_data.h"
#include "pricing/pricing_engine.h"
#include "venues/venue.h"

namespace combo::router {

class PricingFeed final : public venues::MarketDataListener {
 public:
  // `engine` is not owned and must outlive the feed.
  explicit PricingFeed(pricing::PricingEngine& engine) : engine_(engine) {}

  // An update the engine refuses (an instrument it does not price) changes nothing there; the
  // venue's own book is unaffected either way.
  void OnLegBookUpdate(const core::LegBookUpdate& update) override {
    (void)engine_.OnLegBookUpdate(update);
  }
  void OnNativeComboUpdate(const core::NativeComboUpdate& update) override {
    (void)engine_.OnNativeComboUpdate(update);
  }

 private:
  pricing::PricingEngine& engine_;
};

}  // namespace combo::router
