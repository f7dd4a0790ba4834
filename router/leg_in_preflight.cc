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

}  // namespace combo::router
