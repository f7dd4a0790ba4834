#include "core/combo_spec.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/absl_compat.h"
#include "core/instrument_catalog.h"

namespace combo::core {

absl::StatusOr<ComboSpec> ComboSpec::Create(std::vector<ComboLeg> legs) {
  if (legs.size() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("a combo needs at least 2 legs, got ", legs.size()));
  }
  std::set<InstrumentId> seen;
  for (size_t i = 0; i < legs.size(); ++i) {
    const ComboLeg& leg = legs[i];
    if (leg.ratio < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("leg ", i + 1, " (instrument ", leg.instrument.value(),
                       "): ratio must be at least 1, got ", leg.ratio));
    }
    if (!seen.insert(leg.instrument).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "leg ", i + 1, ": instrument ", leg.instrument.value(), " appears in more than one leg"));
    }
  }
  return ComboSpec(std::move(legs));
}

const ComboLeg* ComboSpec::FindLeg(InstrumentId instrument) const {
  for (const ComboLeg& leg : legs_) {
    if (leg.instrument == instrument) return &leg;
  }
  return nullptr;
}

ComboSpec ComboSpec::Mirror() const {
  std::vector<ComboLeg> legs = legs_;
  for (ComboLeg& leg : legs) leg.side = Opposite(leg.side);
  return ComboSpec(std::move(legs));
}

bool ComboSpec::IsCanonical() const {
  int64_t g = 0;
  for (size_t i = 0; i < legs_.size(); ++i) {
    if (i > 0 && !(legs_[i - 1].instrument < legs_[i].instrument)) return false;
    g = std::gcd(g, legs_[i].ratio);
  }
  return g == 1 && legs_.front().side == Side::kBuy;
}

std::string ComboSpec::ToString() const {
  std::string out;
  for (const ComboLeg& leg : legs_) {
    if (!out.empty()) out += " / ";
    absl::StrAppend(&out, leg.side == Side::kBuy ? "+" : "-", leg.ratio, " #",
                    leg.instrument.value());
  }
  return out;
}

CanonicalCombo Canonicalize(const ComboSpec& spec) {
  std::vector<ComboLeg> legs = spec.legs();
  std::sort(legs.begin(), legs.end(),
            [](const ComboLeg& a, const ComboLeg& b) { return a.instrument < b.instrument; });
  int64_t g = 0;
  for (const ComboLeg& leg : legs) g = std::gcd(g, leg.ratio);
  for (ComboLeg& leg : legs) leg.ratio /= g;
  ComboOrientation orientation = ComboOrientation::kSame;
  if (legs.front().side == Side::kSell) {
    orientation = ComboOrientation::kMirrored;
    for (ComboLeg& leg : legs) leg.side = Opposite(leg.side);
  }
  // The legs were valid before and stay valid: same instruments, ratios still >= 1.
  return CanonicalCombo{*ComboSpec::Create(std::move(legs)), g, orientation};
}

absl::StatusOr<ComboSpec> ParseComboText(std::string_view text, const InstrumentCatalog& catalog) {
  std::vector<ComboLeg> legs;
  int index = 0;
  for (absl::string_view part : absl::StrSplit(AsAbsl(text), '/')) {
    ++index;
    part = absl::StripAsciiWhitespace(part);
    const size_t space = part.find_last_of(" \t");
    if (part.empty() || space == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "leg ", index, " \"", part, "\": expected an instrument symbol and a signed ratio, ",
          "such as \"SPY 20261218 C 450 +1\""));
    }
    const absl::string_view symbol = absl::StripAsciiWhitespace(part.substr(0, space));
    const absl::string_view ratio_text = part.substr(space + 1);
    if (ratio_text.size() < 2 || (ratio_text[0] != '+' && ratio_text[0] != '-') ||
        !absl::ascii_isdigit(static_cast<unsigned char>(ratio_text[1]))) {
      return absl::InvalidArgumentError(absl::StrCat("leg ", index, " \"", part,
                                                     "\": the ratio must carry a sign: +N buys "
                                                     "the leg, -N sells it"));
    }
    int64_t ratio = 0;
    if (!absl::SimpleAtoi(ratio_text.substr(1), &ratio)) {
      return absl::InvalidArgumentError(
          absl::StrCat("leg ", index, ": ratio \"", ratio_text, "\" is not a whole number"));
    }
    const Instrument* instrument = catalog.FindBySymbol(AsStd(symbol));
    if (instrument == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("leg ", index, ": unknown instrument \"", symbol, "\""));
    }
    legs.push_back(
        ComboLeg{instrument->id(), ratio, ratio_text[0] == '+' ? Side::kBuy : Side::kSell});
  }
  return ComboSpec::Create(std::move(legs));
}

std::string DescribeCombo(const ComboSpec& spec, const InstrumentCatalog& catalog) {
  std::string out;
  for (const ComboLeg& leg : spec.legs()) {
    if (!out.empty()) out += " / ";
    const Instrument* instrument = catalog.Find(leg.instrument);
    const std::string name =
        instrument != nullptr ? instrument->symbol() : absl::StrCat("#", leg.instrument.value());
    absl::StrAppend(&out, name, " ", leg.side == Side::kBuy ? "+" : "-", leg.ratio);
  }
  return out;
}

}  // namespace combo::core
