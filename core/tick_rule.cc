#include "core/tick_rule.h"

#include <cstdint>
#include <numeric>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/absl_compat.h"
#include "core/status.h"

namespace combo::core {
namespace {

bool FitsPrice(absl::int128 raw) { return raw >= INT64_MIN && raw <= INT64_MAX; }

absl::StatusOr<Price> ToPrice(absl::int128 raw, Price from, std::string_view what) {
  if (!FitsPrice(raw)) {
    return absl::OutOfRangeError(
        absl::StrCat(AsAbsl(what), " ", from.ToString(), " on the tick rule is out of range"));
  }
  return Price::FromRaw(static_cast<int64_t>(raw));
}

// A multiple of `tick` at or below `price`.
absl::int128 Floor(Price price, Price tick) {
  return DivideRounded(price.raw(), tick.raw(), RoundingMode::kDown) * tick.raw();
}

absl::StatusOr<Price> ParseTickText(std::string_view text, std::string_view what) {
  absl::StatusOr<Price> price = Price::Parse(text);
  if (!price.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        AsAbsl(what), " \"", AsAbsl(text), "\" is not a price: ", price.status().message()));
  }
  return *price;
}

}  // namespace

TickRule::TickRule(Price tick) : bands_{TickBand{Price::Min(), tick}} {}

TickRule TickRule::Uniform(Price tick) { return TickRule(tick); }

absl::StatusOr<TickRule> TickRule::Create(Price first_tick, std::span<const TickBand> above) {
  absl::InlinedVector<TickBand, 2> bands{TickBand{Price::Min(), first_tick}};
  bands.insert(bands.end(), above.begin(), above.end());
  TickRule rule(std::move(bands));
  if (absl::Status status = rule.Validate(); !status.ok()) return status;
  return rule;
}

absl::StatusOr<TickRule> TickRule::Parse(std::string_view text) {
  if (text.empty()) {
    return absl::InvalidArgumentError(
        "empty tick rule: expected a tick (0.01) or bands (0.01<3.00;0.05)");
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(AsAbsl(text), ';');
  Price first_tick;
  std::vector<TickBand> above;
  std::optional<Price> from;  // where the band being read starts (none for the first)
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string_view part(parts[i].data(), parts[i].size());
    const bool last = i + 1 == parts.size();
    const size_t lt = part.find('<');
    const std::string_view tick_text = part.substr(0, lt);
    COMBO_ASSIGN_OR_RETURN(Price tick, ParseTickText(tick_text, "tick"));
    if (from.has_value()) {
      above.push_back(TickBand{*from, tick});
    } else {
      first_tick = tick;
    }
    if (lt == std::string_view::npos) {
      if (!last) {
        return absl::InvalidArgumentError(absl::StrCat(
            "band \"", AsAbsl(part),
            "\" has no upper boundary but is not the last: expected TICK<BOUNDARY (e.g. "
            "0.01<3.00;0.05), only the last band is a tick alone"));
      }
      continue;
    }
    COMBO_ASSIGN_OR_RETURN(Price boundary, ParseTickText(part.substr(lt + 1), "boundary"));
    if (last) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the bands do not cover prices from ", boundary.ToString(),
          " up: the last band must be a tick alone, with no boundary (e.g. 0.01<3.00;0.05)"));
    }
    from = boundary;
  }
  return Create(first_tick, above);
}

absl::Status TickRule::Validate() const {
  for (size_t i = 0; i < bands_.size(); ++i) {
    const TickBand& band = bands_[i];
    if (!band.tick.is_positive()) {
      return absl::InvalidArgumentError(
          absl::StrCat("tick ", band.tick.ToString(), " is not positive"));
    }
    if (i == 0) continue;
    const TickBand& below = bands_[i - 1];
    if (band.from <= below.from) {
      return absl::InvalidArgumentError(
          absl::StrCat("boundary ", band.from.ToString(), " is not above the boundary before it (",
                       below.from.ToString(), "): bands must be in ascending order of price"));
    }
    if (!band.from.IsOnTick(below.tick) || !band.from.IsOnTick(band.tick)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "boundary ", band.from.ToString(), " is not on the ticks of both bands it separates (",
          below.tick.ToString(), " below it, ", band.tick.ToString(), " from it)"));
    }
  }
  return absl::OkStatus();
}

std::string TickRule::ToString() const {
  std::string text = bands_.front().tick.ToString();
  for (size_t i = 1; i < bands_.size(); ++i) {
    absl::StrAppend(&text, "<", bands_[i].from.ToString(), ";", bands_[i].tick.ToString());
  }
  return text;
}

size_t TickRule::BandIndex(Price price) const {
  size_t i = bands_.size() - 1;
  while (i > 0 && price < bands_[i].from) --i;
  return i;
}

bool TickRule::IsOnTick(Price price) const { return price.IsOnTick(TickAt(price)); }

Price TickRule::FinestTick() const {
  int64_t gcd = 0;
  for (const TickBand& band : bands_) gcd = std::gcd(gcd, band.tick.raw());
  return Price::FromRaw(gcd);
}

absl::StatusOr<Price> TickRule::Round(Price price, RoundingMode mode) const {
  const Price tick = TickAt(price);
  if (!tick.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("tick ", tick.ToString(), " at ", price.ToString(), " is not positive"));
  }
  // The band's start is on its tick, so the multiple below stays in the band, and the next
  // boundary is on it too, so the multiple above is at most that boundary: both are on the rule.
  const absl::int128 down = Floor(price, tick);
  if (down == price.raw()) return price;
  const absl::int128 up = down + tick.raw();
  bool take_up = false;
  switch (mode) {
    case RoundingMode::kDown:
      break;
    case RoundingMode::kUp:
      take_up = true;
      break;
    case RoundingMode::kTowardZero:
      take_up = price.is_negative();
      break;
    case RoundingMode::kAwayFromZero:
      take_up = price.is_positive();
      break;
    case RoundingMode::kHalfUp:
    case RoundingMode::kHalfEven: {
      const absl::int128 below = price.raw() - down;
      const absl::int128 above = up - price.raw();
      if (below != above) {
        take_up = above < below;
      } else if (mode == RoundingMode::kHalfUp) {
        take_up = price.is_positive();
      } else {
        take_up = (down / tick.raw()) % 2 != 0;
      }
      break;
    }
  }
  return ToPrice(take_up ? up : down, price, "rounding");
}

absl::StatusOr<Price> TickRule::NextAbove(Price price) const {
  COMBO_ASSIGN_OR_RETURN(Price down, Round(price, RoundingMode::kDown));
  return ToPrice(absl::int128(down.raw()) + TickAt(down).raw(), price, "the price above");
}

absl::StatusOr<Price> TickRule::NextBelow(Price price) const {
  COMBO_ASSIGN_OR_RETURN(Price up, Round(price, RoundingMode::kUp));
  return ToPrice(absl::int128(up.raw()) - RunBelow(up).tick.raw(), price, "the price below");
}

TickRun TickRule::RunAbove(Price price) const {
  const size_t i = BandIndex(price);
  return TickRun{bands_[i].tick,
                 i + 1 < bands_.size() ? std::optional<Price>(bands_[i + 1].from) : std::nullopt};
}

TickRun TickRule::RunBelow(Price price) const {
  size_t i = BandIndex(price);
  if (i > 0 && price == bands_[i].from) --i;
  return TickRun{bands_[i].tick, i > 0 ? std::optional<Price>(bands_[i].from) : std::nullopt};
}

}  // namespace combo::core
