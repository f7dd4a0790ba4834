#include "core/instrument_catalog.h"

#include "absl/strings/str_cat.h"

namespace combo::core {

absl::Status InstrumentCatalog::Add(Instrument instrument) {
  if (by_id_.contains(instrument.id())) {
    return absl::AlreadyExistsError(
        absl::StrCat("instrument id ", instrument.id().value(), " is already defined"));
  }
  if (by_symbol_.contains(instrument.symbol())) {
    return absl::AlreadyExistsError(
        absl::StrCat("instrument symbol \"", instrument.symbol(), "\" is already defined"));
  }
  by_symbol_.emplace(instrument.symbol(), instrument.id());
  const InstrumentId id = instrument.id();
  by_id_.emplace(id, std::move(instrument));
  return absl::OkStatus();
}

const Instrument* InstrumentCatalog::Find(InstrumentId id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

const Instrument* InstrumentCatalog::FindBySymbol(std::string_view symbol) const {
  auto it = by_symbol_.find(symbol);
  return it == by_symbol_.end() ? nullptr : Find(it->second);
}

}  // namespace combo::core
