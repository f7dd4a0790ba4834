// libFuzzer target for the translation layer: raw bytes -> QuickFIX parse with the gateway's
// dictionary -> Translate -> (for a reject) the reply message. Whatever the bytes, nothing may
// crash, hang, leak or trip a sanitizer. CTest runs it for a fixed short time over the seed
// corpus in corpus/ (fix_translation_fuzz.run).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/instrument_catalog.h"
#include "fix/reports.h"
#include "fix/security_list.h"
#include "fix/translation.h"
#include "quickfix/DataDictionary.h"
#include "quickfix/Message.h"
#include "router/listings.h"

namespace {

using combo::core::AssetClass;
using combo::core::InstrumentDefinition;
using combo::core::InstrumentId;
using combo::core::OptionRight;
using combo::core::Price;

const combo::core::InstrumentCatalog& Catalog() {
  static const auto* catalog = [] {
    auto* c = new combo::core::InstrumentCatalog();
    (void)c->Add(*combo::core::Instrument::Create({InstrumentId(1), "SPY", AssetClass::kEtf, "SPY",
                                                   1, Price::FromParts(0, 10'000'000), std::nullopt,
                                                   std::nullopt}));
    (void)c->Add(*combo::core::Instrument::Create(
        {InstrumentId(2), "SPY 20261218 C 450", AssetClass::kOption, "SPY", 100,
         Price::FromParts(0, 10'000'000),
         combo::core::OptionTerms{OptionRight::kCall, Price::FromParts(450, 0),
                                  absl::CivilDay(2026, 12, 18)},
         std::nullopt}));
    (void)c->Add(*combo::core::Instrument::Create(
        {InstrumentId(3), "SPY 20261218 C 460", AssetClass::kOption, "SPY", 100,
         Price::FromParts(0, 10'000'000),
         combo::core::OptionTerms{OptionRight::kCall, Price::FromParts(460, 0),
                                  absl::CivilDay(2026, 12, 18)},
         std::nullopt}));
    (void)c->Add(*combo::core::Instrument::Create(
        {InstrumentId(5), "ES 202612", AssetClass::kFuture, "ES", 50,
         Price::FromParts(0, 250'000'000), std::nullopt, absl::CivilDay(2026, 12, 18)}));
    return c;
  }();
  return *catalog;
}

// Every catalog instrument at one venue, and the defined combo: what a security list selects from.
class CatalogListings final : public combo::router::Listings {
 public:
  explicit CatalogListings(const combo::core::ComboSpec* defined) : defined_(defined) {}
  std::vector<combo::router::InstrumentListing> ListedInstruments() const override {
    std::vector<combo::router::InstrumentListing> listed;
    for (const auto& [id, instrument] : Catalog().all()) {
      listed.push_back({&instrument, {{combo::core::VenueId(1), "FUZZ"}}});
    }
    return listed;
  }
  std::vector<combo::router::ComboListing> ListedCombos() const override {
    return {{combo::core::ComboId(1), defined_, {{combo::core::VenueId(1), "FUZZ"}}, true}};
  }

 private:
  const combo::core::ComboSpec* defined_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* dictionary = new FIX::DataDictionary(COMBO_FIX_DICTIONARY);
  static const auto* defined = new combo::core::ComboSpec(
      *combo::core::ComboSpec::Create({{InstrumentId(2), 1, combo::core::Side::kBuy},
                                       {InstrumentId(3), 1, combo::core::Side::kSell}}));
  combo::fix::TranslationContext context;
  context.client = combo::core::ClientId("FUZZ");
  context.default_account = combo::core::AccountId("FUZZ");
  context.instruments = &Catalog();
  context.find_combo = [](combo::core::ComboId id) -> const combo::core::ComboSpec* {
    return id == combo::core::ComboId(1) ? defined : nullptr;
  };
  context.max_legs = 4;

  const std::string text(reinterpret_cast<const char*>(data), size);
  FIX::Message message;
  try {
    // Not validated: translation must stand on its own.
    message = FIX::Message(text, *dictionary, false);
  } catch (const FIX::Exception&) {
    return 0;
  }
  combo::fix::Inbound inbound = combo::fix::Translate(message, context);
  if (const auto* reject = std::get_if<combo::fix::InboundReject>(&inbound)) {
    combo::fix::ReportBuilder builder(Catalog(), "F");
    FIX::Message reply = builder.FromInboundReject(*reject);
    (void)reply.toString();
  } else if (const auto* query = std::get_if<combo::fix::SecurityListQuery>(&inbound)) {
    const CatalogListings listings(defined);
    combo::fix::ReportBuilder builder(Catalog(), "F");
    for (const FIX::Message& reply : builder.SecurityList(
             query->request_id, combo::fix::SelectSecurities(*query, listings, Catalog()))) {
      (void)reply.toString();
    }
  }
  return 0;
}
