// CatalogListings (test double of router::Listings): every instrument of a catalog listed at one
// venue, and the combos an OrderEntry defined (no native combos), for gateway tests that run
// without a routing stack. The daemon's listings ask its venues (stack/routing_stack.h).
//
// Not thread-safe: read on the core thread, like the order entry it asks.
#pragma once

#include <vector>

#include "core/combo_catalog.h"
#include "core/instrument_catalog.h"
#include "router/listings.h"
#include "router/order_entry.h"

namespace combo::fix::testing {

class CatalogListings final : public router::Listings {
 public:
  // All must outlive it.
  CatalogListings(const core::InstrumentCatalog& instruments, const core::ComboCatalog& combos,
                  const router::OrderEntry& definitions, router::ListingVenue venue)
      : instruments_(instruments), combos_(combos), definitions_(definitions), venue_(venue) {}

  std::vector<router::InstrumentListing> ListedInstruments() const override;
  std::vector<router::ComboListing> ListedCombos() const override;

 private:
  const core::InstrumentCatalog& instruments_;
  const core::ComboCatalog& combos_;
  const router::OrderEntry& definitions_;
  router::ListingVenue venue_;
};

}  // namespace combo::fix::testing
