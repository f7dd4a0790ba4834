// Implied combo market from leg TPIMs (see implied_market.h).
#include "venues/aop/implied_market.h"

#include <numeric>

#include "absl/strings/str_cat.h"

namespace combo::venues::aop {
namespace {

// The leg side (of the leg's book) a combo trade on `book_side` consumes: the implied offer
// (book_side kSell) takes buy legs' offers and sell legs' bids.
core::Side LegBookSide(const ImpliedLeg& leg, core::Side book_side) {
  const bool combo_offer = book_side == core::Side::kSell;
  const bool buy_leg = leg.side == core::Side::kBuy;
  return combo_offer == buy_leg ? core::Side::kSell : core::Side::kBuy;
}

// +1 when the leg's price adds to the combo price, -1 when it subtracts.
int64_t Sign(const ImpliedLeg& leg) { return leg.side == core::Side::kBuy ? 1 : -1; }

}  // namespace

absl::StatusOr<std::vector<ImpliedLeg>> ImpliedLegs(const core::ComboSpec& spec,
                                                    const core::InstrumentCatalog& catalog) {
  std::vector<ImpliedLeg> legs;
  int64_t combo_multiplier = 0;
  for (const core::ComboLeg& leg : spec.legs()) {
    const core::Instrument* instrument = catalog.Find(leg.instrument);
    if (instrument == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("combo leg instrument ", leg.instrument.value(), " is not in the catalog"));
    }
    combo_multiplier = std::gcd(combo_multiplier, leg.ratio * instrument->multiplier());
    legs.push_back({leg.instrument, leg.ratio, leg.side, leg.ratio * instrument->multiplier()});
  }
  for (ImpliedLeg& leg : legs) leg.weight /= combo_multiplier;
  return legs;
}

std::vector<core::PriceLevel> ImpliedLadder(const std::vector<ImpliedLeg>& legs,
                                            const ThirdPartyMarket& market, core::Side book_side,
                                            int max_levels) {
  struct Cursor {
    const std::vector<core::PriceLevel>* ladder;
    size_t index = 0;
    int64_t remaining = 0;
  };
  std::vector<Cursor> cursors;
  for (const ImpliedLeg& leg : legs) {
    const auto& ladder = market.Levels(leg.instrument, LegBookSide(leg, book_side));
    if (ladder.empty()) return {};
    cursors.push_back({&ladder, 0, ladder.front().quantity.value()});
  }
  std::vector<core::PriceLevel> out;
  while (static_cast<int>(out.size()) < max_levels) {
    int64_t units = INT64_MAX;
    core::Price price;
    for (size_t i = 0; i < legs.size(); ++i) {
      units = std::min(units, cursors[i].remaining / legs[i].ratio);
      price += Sign(legs[i]) * legs[i].weight * (*cursors[i].ladder)[cursors[i].index].price;
    }
    if (units > 0) {
      if (!out.empty() && out.back().price == price) {
        out.back().quantity += core::Quantity(units);
      } else {
        out.push_back({price, core::Quantity(units)});
      }
    }
    // Consume the units; advance every leg whose level can no longer make a whole unit.
    bool exhausted = false;
    for (size_t i = 0; i < legs.size(); ++i) {
      Cursor& cursor = cursors[i];
      cursor.remaining -= units * legs[i].ratio;
      if (cursor.remaining < legs[i].ratio) {
        if (++cursor.index >= cursor.ladder->size()) {
          exhausted = true;
        } else {
          cursor.remaining = (*cursor.ladder)[cursor.index].quantity.value();
        }
      }
    }
    if (exhausted) break;
  }
  return out;
}

std::optional<core::TradePrint> SyntheticComboTrade(const std::vector<ImpliedLeg>& legs,
                                                    const ThirdPartyMarket& market,
                                                    core::Side order_side,
                                                    const core::TradePrint& print) {
  // A bid on the combo is protected by the implied offer; its legs' contra sides follow.
  const core::Side contra_book_side = core::Opposite(order_side);
  core::Price price;
  std::optional<int64_t> units;
  for (const ImpliedLeg& leg : legs) {
    if (leg.instrument == print.instrument) {
      price += Sign(leg) * leg.weight * print.price;
      units = print.quantity.value() / leg.ratio;
      continue;
    }
    const auto& ladder = market.Levels(leg.instrument, LegBookSide(leg, contra_book_side));
    if (ladder.empty()) return std::nullopt;
    price += Sign(leg) * leg.weight * ladder.front().price;
  }
  if (!units.has_value()) return std::nullopt;
  core::TradePrint synthetic = print;
  synthetic.price = price;
  synthetic.quantity = core::Quantity(*units);
  return synthetic;
}

}  // namespace combo::venues::aop
