// Test helpers for pricing: a catalog of SPY stock and options, futures of several multipliers,
// and short-hands for prices and leg quotes. Test-only; not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/time/civil_time.h"
#include "core/combo_spec.h"
#include "core/instrument.h"
#include "core/instrument_catalog.h"
#include "core/market_data.h"
#include "core/price.h"

namespace combo::pricing::testing {

inline core::Price P(std::string_view text) { return *core::Price::Parse(text); }

inline constexpr core::InstrumentId kSpy{1};
inline constexpr core::InstrumentId kC440{9};
inline constexpr core::InstrumentId kC450{10};
inline constexpr core::InstrumentId kC460{11};
inline constexpr core::InstrumentId kC470{12};
inline constexpr core::InstrumentId kP440{20};
inline constexpr core::InstrumentId kP450{21};
inline constexpr core::InstrumentId kP460{22};
inline constexpr core::InstrumentId kP470{23};
inline constexpr core::InstrumentId kC450Mar{15};
inline constexpr core::InstrumentId kC460Mar{16};
inline constexpr core::InstrumentId kEsDec{30};
inline constexpr core::InstrumentId kEsMar{31};
inline constexpr core::InstrumentId kFut2500{40};
inline constexpr core::InstrumentId kFut12500{41};
inline constexpr core::InstrumentId kFut20{42};
inline constexpr core::InstrumentId kQqq{2};

inline const absl::CivilDay kDec{2026, 12, 18};
inline const absl::CivilDay kMar{2027, 3, 19};

inline core::Instrument MakeOption(core::InstrumentId id, core::OptionRight right,
                                   std::string_view strike, absl::CivilDay expiry) {
  core::InstrumentDefinition d;
  d.id = id;
  d.symbol = std::string("SPY ") + (right == core::OptionRight::kCall ? "C " : "P ") +
             std::string(strike) + (expiry == kDec ? " DEC" : " MAR");
  d.asset_class = core::AssetClass::kOption;
  d.underlying = "SPY";
  d.multiplier = 100;
  d.option = core::OptionTerms{right, P(strike), expiry};
  return *core::Instrument::Create(std::move(d));
}

inline core::Instrument MakeStock(core::InstrumentId id, const std::string& symbol,
                                  core::AssetClass asset_class = core::AssetClass::kStock) {
  core::InstrumentDefinition d;
  d.id = id;
  d.symbol = symbol;
  d.asset_class = asset_class;
  d.underlying = symbol;
  return *core::Instrument::Create(std::move(d));
}

inline core::Instrument MakeFuture(core::InstrumentId id, std::string symbol,
                                   std::string underlying, int64_t multiplier,
                                   std::optional<absl::CivilDay> expiry) {
  core::InstrumentDefinition d;
  d.id = id;
  d.symbol = std::move(symbol);
  d.asset_class = core::AssetClass::kFuture;
  d.underlying = std::move(underlying);
  d.multiplier = multiplier;
  d.tick_rule = P("0.25");
  d.expiry = expiry;
  return *core::Instrument::Create(std::move(d));
}

// SPY stock, SPY Dec calls and puts 440..470, Mar calls 450/460, ES Dec/Mar (50), futures of
// multipliers 2500, 12500 and 20, and QQQ as an ETF.
inline core::InstrumentCatalog MakeCatalog() {
  core::InstrumentCatalog catalog;
  using core::OptionRight;
  (void)catalog.Add(MakeStock(kSpy, "SPY"));
  (void)catalog.Add(MakeStock(kQqq, "QQQ", core::AssetClass::kEtf));
  (void)catalog.Add(MakeOption(kC440, OptionRight::kCall, "440", kDec));
  (void)catalog.Add(MakeOption(kC450, OptionRight::kCall, "450", kDec));
  (void)catalog.Add(MakeOption(kC460, OptionRight::kCall, "460", kDec));
  (void)catalog.Add(MakeOption(kC470, OptionRight::kCall, "470", kDec));
  (void)catalog.Add(MakeOption(kP440, OptionRight::kPut, "440", kDec));
  (void)catalog.Add(MakeOption(kP450, OptionRight::kPut, "450", kDec));
  (void)catalog.Add(MakeOption(kP460, OptionRight::kPut, "460", kDec));
  (void)catalog.Add(MakeOption(kP470, OptionRight::kPut, "470", kDec));
  (void)catalog.Add(MakeOption(kC450Mar, OptionRight::kCall, "450", kMar));
  (void)catalog.Add(MakeOption(kC460Mar, OptionRight::kCall, "460", kMar));
  (void)catalog.Add(MakeFuture(kEsDec, "ESZ6", "ES", 50, kDec));
  (void)catalog.Add(MakeFuture(kEsMar, "ESH7", "ES", 50, kMar));
  (void)catalog.Add(MakeFuture(kFut2500, "F2500", "F2500", 2500, std::nullopt));
  (void)catalog.Add(MakeFuture(kFut12500, "F12500", "F12500", 12500, std::nullopt));
  (void)catalog.Add(MakeFuture(kFut20, "F20", "F20", 20, std::nullopt));
  return catalog;
}

inline core::ComboSpec Spec(std::initializer_list<core::ComboLeg> legs) {
  return *core::ComboSpec::Create(std::vector<core::ComboLeg>(legs));
}

// A leg update that sets a venue's top of book to the given bid and ask (either may be absent:
// pass an empty price text). The level change carried is the bid's (or the ask's).
inline core::LegBookUpdate Quote(uint32_t venue, core::InstrumentId instrument, uint64_t sequence,
                                 std::string_view bid, int64_t bid_size, std::string_view ask,
                                 int64_t ask_size) {
  core::LegBookUpdate u;
  u.venue = core::VenueId(venue);
  u.instrument = instrument;
  u.sequence = sequence;
  if (!bid.empty()) u.top.bid = core::PriceLevel{P(bid), core::Quantity(bid_size)};
  if (!ask.empty()) u.top.ask = core::PriceLevel{P(ask), core::Quantity(ask_size)};
  if (u.top.bid.has_value()) {
    u.side = core::Side::kBuy;
    u.price = u.top.bid->price;
    u.quantity = u.top.bid->quantity;
  } else if (u.top.ask.has_value()) {
    u.side = core::Side::kSell;
    u.price = u.top.ask->price;
    u.quantity = u.top.ask->quantity;
  }
  return u;
}

}  // namespace combo::pricing::testing
