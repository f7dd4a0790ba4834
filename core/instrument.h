// Instrument: one tradable leg (a stock, an ETF, an option or a future) with the facts that
// pricing and venues need: its multiplier, tick rule (core/tick_rule.h: the tick at each price),
// and for options the right, strike and expiry.
//
// Built only by Instrument::Create, which checks those facts. Immutable value type; safe to
// share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "core/ids.h"
#include "core/price.h"
#include "core/tick_rule.h"

namespace combo::core {

enum class AssetClass : uint8_t { kStock, kEtf, kOption, kFuture };
enum class OptionRight : uint8_t { kCall, kPut };

std::string_view ToString(AssetClass asset_class);
std::string_view ToString(OptionRight right);
absl::StatusOr<AssetClass> ParseAssetClass(std::string_view text);

struct OptionTerms {
  OptionRight right = OptionRight::kCall;
  Price strike;
  absl::CivilDay expiry;
  friend bool operator==(const OptionTerms&, const OptionTerms&) = default;
};

struct InstrumentDefinition {
  InstrumentId id;
  std::string symbol;
  AssetClass asset_class = AssetClass::kStock;
  // The underlying's symbol; a stock or ETF is its own underlying.
  std::string underlying;
  // Contract size: 1 for a share, 100 for a standard equity option, the contract's for a future.
  int64_t multiplier = 1;
  // The minimum price increment at each price; a single tick is a one-band rule.
  TickRule tick_rule = TickRule::Uniform(Price::FromParts(0, 10'000'000));
  // Options only.
  std::optional<OptionTerms> option;
  // Futures only (optional): the delivery month's last trading day.
  std::optional<absl::CivilDay> expiry;
};

class Instrument {
 public:
  // Checks: a symbol, a positive multiplier, a valid tick rule, option terms exactly for options
  // (with a positive strike), an underlying for options and futures.
  static absl::StatusOr<Instrument> Create(InstrumentDefinition definition);

  InstrumentId id() const { return d_.id; }
  const std::string& symbol() const { return d_.symbol; }
  AssetClass asset_class() const { return d_.asset_class; }
  const std::string& underlying() const { return d_.underlying; }
  int64_t multiplier() const { return d_.multiplier; }
  const TickRule& tick_rule() const { return d_.tick_rule; }
  bool is_option() const { return d_.asset_class == AssetClass::kOption; }
  // Present exactly for options.
  const std::optional<OptionTerms>& option() const { return d_.option; }
  const std::optional<absl::CivilDay>& expiry() const { return d_.expiry; }
  // The last day it trades: an option's expiry, a future's when known; none for shares.
  std::optional<absl::CivilDay> last_trading_day() const {
    return d_.option.has_value() ? std::optional<absl::CivilDay>(d_.option->expiry) : d_.expiry;
  }
  const InstrumentDefinition& definition() const { return d_; }

  friend bool operator==(const Instrument& a, const Instrument& b) {
    return a.d_.id == b.d_.id && a.d_.symbol == b.d_.symbol &&
           a.d_.asset_class == b.d_.asset_class && a.d_.underlying == b.d_.underlying &&
           a.d_.multiplier == b.d_.multiplier && a.d_.tick_rule == b.d_.tick_rule &&
           a.d_.option == b.d_.option && a.d_.expiry == b.d_.expiry;
  }

 private:
  explicit Instrument(InstrumentDefinition d) : d_(std::move(d)) {}
  InstrumentDefinition d_;
};

std::ostream& operator<<(std::ostream& os, AssetClass asset_class);

}  // namespace combo::core
