// SubAccount: the asset-class parts of a client's universal account (seed 003 R18).
//
// Stock and ETF legs post to the securities account, options to the options account, futures to
// the futures account. Plain enum and free functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/instrument.h"

namespace combo::accounts {

enum class SubAccount : uint8_t { kSecurities, kOptions, kFutures };

constexpr SubAccount SubAccountFor(core::AssetClass asset_class) {
  switch (asset_class) {
    case core::AssetClass::kStock:
    case core::AssetClass::kEtf:
      return SubAccount::kSecurities;
    case core::AssetClass::kOption:
      return SubAccount::kOptions;
    case core::AssetClass::kFuture:
      return SubAccount::kFutures;
  }
  return SubAccount::kSecurities;
}

constexpr std::string_view ToString(SubAccount sub_account) {
  switch (sub_account) {
    case SubAccount::kSecurities:
      return "securities";
    case SubAccount::kOptions:
      return "options";
    case SubAccount::kFutures:
      return "futures";
  }
  return "unknown";
}

}  // namespace combo::accounts
