#include "router/leg_in_preflight.h"

#include "absl/strings/str_cat.h"

namespace combo::router {

std::optional<std::string> CheckLegOrder(const PreflightLeg& leg,
                                         std::span<const DisplayedPrice> elsewhere) {
  if (!leg.quantity.is_positive()) {
    return absl::StrCat("leg ", leg.symbol, " at venue ", leg.venue.value(), ": quantity ",
                        leg.quantity.value(), " is not positive");
  }
  if (leg.phase != venues::SeriesPhase::kOpen) {
    return absl::StrCat(
        "leg ", leg.symbol, " at venue ", leg.venue.value(), ": the series is ",
        leg.phase == venues::SeriesPhase::kFastMarket ? "in a fast market" : "not open yet",
        " and trades only at single prices");
  }
  if (leg.tick_rule != nullptr && !leg.tick_rule->IsOnTick(leg.price)) {
    return absl::StrCat(
        "leg ", leg.symbol, " at venue ", leg.venue.value(), ": price ", leg.price.ToString(),
        " is not on the venue's tick ", leg.tick_rule->TickAt(leg.price).ToString(),
        leg.tick_rule->is_uniform()
            ? std::string()
            : absl::StrCat(" at that price (rule ", leg.tick_rule->ToString(), ")"));
  }
  if (leg.max_order_quantity.is_positive() && leg.quantity > leg.max_order_quantity) {
    return absl::StrCat("leg ", leg.symbol, " at venue ", leg.venue.value(), ": quantity ",
                        leg.quantity.value(), " is above the venue's size limit ",
                        leg.max_order_quantity.value());
  }
  if (leg.professional_availability.has_value() && leg.price == leg.venue_best) {
    const core::Quantity takeable =
        ProfessionalTakeable(leg.professional_availability, leg.displayed);
    if (leg.quantity > takeable) {
      return absl::StrCat(
          "leg ", leg.symbol, " at venue ", leg.venue.value(), ": quantity ", leg.quantity.value(),
          " is more than a professional order may take of the ", leg.displayed.value(),
          " displayed at ", leg.price.ToString(), " (", takeable.value(), ", seed 001 R39)");
    }
  }
  if (leg.professional_band_ticks > 0 && leg.tick_rule != nullptr) {
    // The band's edge: that many of the venue's ticks past its best contra price.
    core::Price edge = leg.venue_best;
    for (int64_t i = 0; i < leg.professional_band_ticks; ++i) {
      absl::StatusOr<core::Price> next = leg.side == core::Side::kBuy
                                             ? leg.tick_rule->NextAbove(edge)
                                             : leg.tick_rule->NextBelow(edge);
      if (!next.ok()) break;
      edge = *next;
    }
    const bool beyond = leg.side == core::Side::kBuy ? leg.price > edge : leg.price < edge;
    // Within the band the router knows only the best level's size.
    if (beyond && leg.quantity > leg.displayed) {
      return absl::StrCat("leg ", leg.symbol, " at venue ", leg.venue.value(), ": price ",
                          leg.price.ToString(), " is beyond the venue's professional band of ",
                          leg.professional_band_ticks, " ticks from ", leg.venue_best.ToString(),
                          " and ", leg.quantity.value(), " may not fill within it (seed 001 R35)");
    }
  }
  for (const DisplayedPrice& other : elsewhere) {
    if (other.venue == leg.venue) continue;
    const bool better =
        leg.side == core::Side::kBuy ? other.price < leg.price : other.price > leg.price;
    if (better) {
      return absl::StrCat("leg ", leg.symbol, " ", leg.side == core::Side::kBuy ? "buy" : "sell",
                          " at ", leg.price.ToString(), " at venue ", leg.venue.value(),
                          " would trade through ", other.price.ToString(), " displayed at venue ",
                          other.venue.value());
    }
  }
  return std::nullopt;
}

core::Quantity ProfessionalTakeable(const std::optional<venues::QuoteAvailability>& availability,
                                    core::Quantity displayed) {
  return availability.has_value() ? venues::AvailableSize(*availability, displayed) : displayed;
}

}  // namespace combo::router
