// combo-routerd. For now it shows how the router identifies a combo: it reads combos in
// combo-client notation ("SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1") and prints each one's
// canonical form, the unit factor and whether the client's combo is the mirror of it.
// With no argument it describes the demo combos.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/combo_spec.h"
#include "core/instrument_catalog.h"

namespace {

using combo::core::AssetClass;
using combo::core::Instrument;
using combo::core::InstrumentCatalog;
using combo::core::InstrumentDefinition;
using combo::core::InstrumentId;
using combo::core::OptionRight;
using combo::core::OptionTerms;
using combo::core::Price;

InstrumentCatalog DemoCatalog() {
  InstrumentCatalog catalog;
  uint32_t next_id = 1;
  auto add = [&](InstrumentDefinition d) {
    d.id = InstrumentId(next_id++);
    auto instrument = Instrument::Create(std::move(d));
    if (instrument.ok()) (void)catalog.Add(*std::move(instrument));
  };
  InstrumentDefinition spy;
  spy.symbol = "SPY";
  spy.asset_class = AssetClass::kEtf;
  spy.tick_size = *Price::Parse("0.01");
  add(spy);
  for (int strike : {440, 450, 460, 470}) {
    for (OptionRight right : {OptionRight::kCall, OptionRight::kPut}) {
      InstrumentDefinition option;
      option.symbol =
          absl::StrCat("SPY 20261218 ", right == OptionRight::kCall ? "C" : "P", " ", strike);
      option.asset_class = AssetClass::kOption;
      option.underlying = "SPY";
      option.multiplier = 100;
      option.tick_size = *Price::Parse("0.01");
      option.option = OptionTerms{right, *Price::FromUnits(strike), absl::CivilDay(2026, 12, 18)};
      add(option);
    }
  }
  return catalog;
}

int Describe(const std::string& text, const InstrumentCatalog& catalog) {
  auto spec = combo::core::ParseComboText(text, catalog);
  if (!spec.ok()) {
    std::fprintf(stderr, "combo \"%s\": %s\n", text.c_str(),
                 std::string(spec.status().message()).c_str());
    return 1;
  }
  const combo::core::CanonicalCombo canonical = combo::core::Canonicalize(*spec);
  std::printf(
      "combo:     %s\ncanonical: %s\nunits:     1 client unit = %lld canonical units\n"
      "side:      %s\n\n",
      combo::core::DescribeCombo(*spec, catalog).c_str(),
      combo::core::DescribeCombo(canonical.spec, catalog).c_str(),
      static_cast<long long>(canonical.unit_factor),
      canonical.mirrored() ? "mirrored: buying it sells the canonical combo at -price"
                           : "same: buying it buys the canonical combo");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const InstrumentCatalog catalog = DemoCatalog();
  std::vector<std::string> combos;
  for (int i = 1; i < argc; ++i) combos.emplace_back(argv[i]);
  if (combos.empty()) {
    std::printf("combo-routerd: demo instruments are SPY and SPY 20261218 C/P 440-470.\n\n");
    combos = {"SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1",
              "SPY 20261218 C 460 +2 / SPY 20261218 C 450 -2",
              "SPY 20261218 C 440 +1 / SPY 20261218 C 450 -2 / SPY 20261218 C 460 +1",
              "SPY +100 / SPY 20261218 C 460 -1"};
  }
  int status = 0;
  for (const std::string& text : combos) status |= Describe(text, catalog);
  return status;
}
