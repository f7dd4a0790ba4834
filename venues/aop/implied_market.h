// ImpliedMarket: the TPIM of a combination (a spread, roll or butterfly traded as one synthetic
// asset, seed 004 R5) built from its legs' third-party markets (spec 6.1 "ImpliedTpim").
//
// It follows the project's pricing conventions (DESIGN.md "Pricing conventions"), implemented
// here against core types because pricing/ is not merged yet: combo multiplier = gcd over legs
// of ratio x leg multiplier; weight = ratio x multiplier / combo multiplier; buying the combo
// pays the buy legs' offers and receives the sell legs' bids, so the implied offer is
// sum(+weight x offer of buy legs) - sum(weight x bid of sell legs) and the implied bid the
// mirror; implied size is min over legs of floor(leg size / ratio).
//
// The implied ladder walks every leg's consolidated depth together: each rung is a whole number
// of combo units priced from the legs' current levels. A leg level whose remainder is less than
// one unit's ratio is dropped from the walk (conservative: the ladder never shows size the
// legs cannot make whole). A leg trade becomes a synthetic combo trade at the trade price plus
// the other legs' current contra tops, for floor(quantity / ratio) units (spec 6.1).
//
// Pure functions over value types; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "core/combo_spec.h"
#include "core/instrument_catalog.h"
#include "core/market_data.h"
#include "core/side.h"
#include "venues/aop/third_party_market.h"

namespace combo::venues::aop {

struct ImpliedLeg {
  core::InstrumentId instrument;
  int64_t ratio = 1;
  // The leg's side when the combo is bought.
  core::Side side = core::Side::kBuy;
  int64_t weight = 1;
};

// The legs of `spec` with their weights. Fails for a leg the catalog does not know.
absl::StatusOr<std::vector<ImpliedLeg>> ImpliedLegs(const core::ComboSpec& spec,
                                                    const core::InstrumentCatalog& catalog);

// The implied ladder of one side of the combo: `book_side` kSell gives the implied offers
// (what buying the combo costs), kBuy the implied bids. At most `max_levels` rungs, best first.
// Empty when a leg has no market on the side it needs.
std::vector<core::PriceLevel> ImpliedLadder(const std::vector<ImpliedLeg>& legs,
                                            const ThirdPartyMarket& market, core::Side book_side,
                                            int max_levels);

// A leg trade seen by a combo order on `order_side`: the combo price that trade implies given
// the other legs' contra tops, and the whole units it covers; nullopt if `print` is not a leg
// or another leg has no contra top.
std::optional<core::TradePrint> SyntheticComboTrade(const std::vector<ImpliedLeg>& legs,
                                                    const ThirdPartyMarket& market,
                                                    core::Side order_side,
                                                    const core::TradePrint& print);

}  // namespace combo::venues::aop
