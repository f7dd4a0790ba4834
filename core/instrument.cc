#include "core/instrument.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::core {

std::string_view ToString(AssetClass asset_class) {
  switch (asset_class) {
    case AssetClass::kStock:
      return "stock";
    case AssetClass::kEtf:
      return "etf";
    case AssetClass::kOption:
      return "option";
    case AssetClass::kFuture:
      return "future";
  }
  return "unknown";
}

std::string_view ToString(OptionRight right) {
  return right == OptionRight::kCall ? "call" : "put";
}

absl::StatusOr<AssetClass> ParseAssetClass(std::string_view text) {
  for (AssetClass c :
       {AssetClass::kStock, AssetClass::kEtf, AssetClass::kOption, AssetClass::kFuture}) {
    if (text == ToString(c)) return c;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("asset class \"", AsAbsl(text), "\": expected stock, etf, option or future"));
}

absl::StatusOr<Instrument> Instrument::Create(InstrumentDefinition d) {
  const std::string name = d.symbol.empty() ? absl::StrCat("instrument ", d.id.value())
                                            : absl::StrCat("instrument ", d.symbol);
  if (d.symbol.empty()) return absl::InvalidArgumentError(absl::StrCat(name, ": empty symbol"));
  if (d.multiplier <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": multiplier must be positive, got ", d.multiplier));
  }
  if (absl::Status rule = d.tick_rule.Validate(); !rule.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": tick rule ", d.tick_rule.ToString(), ": ", rule.message()));
  }
  const bool needs_underlying =
      d.asset_class == AssetClass::kOption || d.asset_class == AssetClass::kFuture;
  if (d.underlying.empty()) {
    if (needs_underlying) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": an ", AsAbsl(ToString(d.asset_class)), " needs an underlying"));
    }
    d.underlying = d.symbol;
  }
  if (d.asset_class == AssetClass::kOption) {
    if (!d.option.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": an option needs its right, strike and expiry"));
    }
    if (!d.option->strike.is_positive()) {
      return absl::InvalidArgumentError(absl::StrCat(name, ": option strike must be positive, got ",
                                                     d.option->strike.ToString()));
    }
  } else if (d.option.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ": only options have a right and strike, this is a ",
                     AsAbsl(ToString(d.asset_class))));
  }
  return Instrument(std::move(d));
}

std::ostream& operator<<(std::ostream& os, AssetClass asset_class) {
  return os << ToString(asset_class);
}

}  // namespace combo::core
