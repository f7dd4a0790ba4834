#include "core/instrument_catalog.h"

#include <algorithm>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace combo::core {
namespace {

// A future's delivery month as year * 100 + month: its expiry's, or its "ROOT YYYYMM" symbol's.
std::optional<int> DeliveryMonth(const Instrument& future) {
  if (future.expiry().has_value()) {
    return static_cast<int>(future.expiry()->year()) * 100 + future.expiry()->month();
  }
  const std::string& symbol = future.symbol();
  const size_t space = symbol.rfind(' ');
  int yyyymm = 0;
  if (space == std::string::npos || symbol.size() - space - 1 != 6 ||
      !absl::SimpleAtoi(absl::string_view(symbol).substr(space + 1), &yyyymm) || yyyymm % 100 < 1 ||
      yyyymm % 100 > 12) {
    return std::nullopt;
  }
  return yyyymm;
}

}  // namespace

absl::Status InstrumentCatalog::CheckFree(const Instrument& instrument) const {
  if (live_.by_id.contains(instrument.id()) || expired_.by_id.contains(instrument.id())) {
    return absl::AlreadyExistsError(
        absl::StrCat("instrument id ", instrument.id().value(), " is already defined"));
  }
  if (live_.by_symbol.contains(instrument.symbol()) ||
      expired_.by_symbol.contains(instrument.symbol())) {
    return absl::AlreadyExistsError(
        absl::StrCat("instrument symbol \"", instrument.symbol(), "\" is already defined"));
  }
  return absl::OkStatus();
}

absl::Status InstrumentCatalog::Add(Instrument instrument) {
  if (absl::Status free = CheckFree(instrument); !free.ok()) return free;
  live_.Add(std::move(instrument));
  return absl::OkStatus();
}

absl::Status InstrumentCatalog::AddExpired(Instrument instrument) {
  if (absl::Status free = CheckFree(instrument); !free.ok()) return free;
  expired_.Add(std::move(instrument));
  return absl::OkStatus();
}

void InstrumentCatalog::Table::Add(Instrument instrument) {
  if (instrument.is_option()) {
    // Several listings may share the terms (an adjusted option beside the standard one): a name
    // by terms alone is then ambiguous, and the resolver says so.
    const OptionTerms& terms = *instrument.option();
    options.emplace(
        OptionKey{instrument.underlying(), terms.right, terms.strike.raw(), terms.expiry},
        instrument.id());
  }
  if (instrument.asset_class() == AssetClass::kFuture) {
    if (std::optional<int> month = DeliveryMonth(instrument)) {
      futures.emplace(std::pair{instrument.underlying(), *month}, instrument.id());
    }
  }
  by_symbol.emplace(instrument.symbol(), instrument.id());
  const InstrumentId id = instrument.id();
  by_id.emplace(id, std::move(instrument));
}

const Instrument* InstrumentCatalog::Table::Find(InstrumentId id) const {
  auto it = by_id.find(id);
  return it == by_id.end() ? nullptr : &it->second;
}

const Instrument* InstrumentCatalog::Table::FindBySymbol(std::string_view symbol) const {
  auto it = by_symbol.find(symbol);
  return it == by_symbol.end() ? nullptr : Find(it->second);
}

std::vector<const Instrument*> InstrumentCatalog::Table::FindFutures(std::string_view root,
                                                                     int year, int month) const {
  std::vector<const Instrument*> found;
  const auto [first, last] = futures.equal_range(std::pair{std::string(root), year * 100 + month});
  for (auto it = first; it != last; ++it) found.push_back(Find(it->second));
  std::sort(found.begin(), found.end(),
            [](const Instrument* a, const Instrument* b) { return a->id() < b->id(); });
  return found;
}

std::vector<const Instrument*> InstrumentCatalog::Table::FindOptions(std::string_view root,
                                                                     OptionRight right,
                                                                     Price strike,
                                                                     absl::CivilDay first,
                                                                     absl::CivilDay last) const {
  std::vector<const Instrument*> found;
  const std::string key_root(root);
  for (auto it = options.lower_bound(OptionKey{key_root, right, strike.raw(), first});
       it != options.end() && std::get<0>(it->first) == key_root &&
       std::get<1>(it->first) == right && std::get<2>(it->first) == strike.raw() &&
       std::get<3>(it->first) <= last;
       ++it) {
    found.push_back(Find(it->second));
  }
  return found;
}

}  // namespace combo::core
