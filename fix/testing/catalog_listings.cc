#include "fix/testing/catalog_listings.h"

namespace combo::fix::testing {

std::vector<router::InstrumentListing> CatalogListings::ListedInstruments() const {
  std::vector<router::InstrumentListing> listed;
  for (const auto& [id, instrument] : instruments_.all()) {
    listed.push_back({&instrument, {venue_}});
  }
  return listed;
}

std::vector<router::ComboListing> CatalogListings::ListedCombos() const {
  std::vector<router::ComboListing> listed;
  for (size_t i = 1; i <= combos_.size(); ++i) {
    const core::ComboId id(static_cast<uint32_t>(i));
    if (const core::ComboSpec* spec = definitions_.FindDefinedCombo(id); spec != nullptr) {
      listed.push_back({id, spec, {}, true});
    }
  }
  return listed;
}

}  // namespace combo::fix::testing
