// SecurityList: what a SecurityListRequest (35=x) asks for and which listings answer it
// (docs/FIX.md "SecurityListRequest"). Reads the request's fields into a query, refusing what
// the gateway does not support with the reason, and selects from router::Listings the matching
// instruments and combos in a fixed order; ReportBuilder::SecurityList writes them as SecurityList
// (35=y) fragments.
//
// Every request type narrows by the same fields: Symbol(55) (an instrument's symbol or
// underlying root), SecurityID(48), SecurityType(167), CFICode(461), MaturityMonthYear(200),
// MaturityDate(541), StrikePrice(202), PutOrCall(201), SecurityExchange(207) (a venue's name) and
// UnderlyingSymbol(311) in NoUnderlyings(711). The type says what must be given: 0 (Symbol)
// Symbol or SecurityID, 1 (SecurityType) SecurityType or CFICode, 4 (all securities) nothing.
//
// Pure functions over their arguments; thread-safe as long as the listings are not changing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "core/instrument.h"
#include "core/instrument_catalog.h"
#include "core/price.h"
#include "quickfix/FieldMap.h"
#include "router/listings.h"

namespace combo::fix {

// SecurityType(167) of a multileg instrument (a combo).
inline constexpr std::string_view kSecurityTypeMultileg = "MLEG";
// The most NoRelatedSym entries one SecurityList carries; a longer answer is fragmented.
inline constexpr size_t kSecurityListFragmentSize = 100;
// InstrAttribType(871) of the NoInstrAttrib entries naming the venues: 99, text.
inline constexpr int kInstrAttribTypeVenue = 99;

// SecurityListRequestType(559) values the gateway answers.
enum class SecurityListRequestType : uint8_t {
  kSymbol = 0,
  kSecurityType = 1,
  kAllSecurities = 4,
};

// SecurityRequestResult(560).
enum class SecurityListResult : uint8_t {
  kValid = 0,
  kInvalidOrUnsupported = 1,
  kNoInstrumentsFound = 2,
};

struct SecurityListQuery {
  std::string request_id;
  SecurityListRequestType type = SecurityListRequestType::kAllSecurities;
  // Each filter narrows the answer when set (empty strings and nullopt: any).
  // Symbol(55): an instrument's FIX Symbol (a derivative's root), its catalog symbol ("SPY
  // 20261218 C 450", an OCC symbol is read as that), or for a combo the underlying of a leg.
  std::string symbol;
  // SecurityID(48): an instrument id, or with SecurityType MLEG a defined combo's id.
  std::optional<uint32_t> security_id;
  // SecurityType(167): CS, OPT, FUT or MLEG.
  std::string security_type;
  // CFICode(461): compared letter by letter, an X on either side matching anything.
  std::string cfi_code;
  // UnderlyingSymbol(311) of each NoUnderlyings(711) entry: any of them.
  std::vector<std::string> underlyings;
  // MaturityMonthYear(200): YYYYMM (the month of an option's expiry or a future's delivery) or
  // YYYYMMDD (that day).
  std::string maturity_month_year;
  // MaturityDate(541).
  std::optional<absl::CivilDay> maturity_date;
  std::optional<core::Price> strike;
  std::optional<core::OptionRight> right;
  // SecurityExchange(207): a venue's name.
  std::string exchange;
};

// The query a SecurityListRequest asks, given its SecurityReqID; InvalidArgument naming the
// field for a request the gateway does not answer (an unsupported or unknown
// SecurityListRequestType, an unknown SecurityType, a malformed value, a type without the field
// it needs).
absl::StatusOr<SecurityListQuery> ParseSecurityListRequest(const FIX::FieldMap& message,
                                                           std::string request_id);

// One NoRelatedSym entry: an instrument or a combo, with the venues listing it.
struct SecurityListEntry {
  // Set for an instrument.
  const core::Instrument* instrument = nullptr;
  // Set for a combo (its canonical legs).
  const core::ComboSpec* combo = nullptr;
  core::ComboId combo_id;
  // A combo's SecurityID is written only once it is defined (tradable by SecurityID).
  bool defined = false;
  // The venues listing the instrument, or trading the combo natively.
  std::vector<router::ListingVenue> venues;
};

// The listings `query` matches: instruments first, by Symbol, then SecurityType (CS, FUT, OPT),
// maturity, strike (numerically), a strike's call before its put, and id; then combos by id.
// `catalog` resolves combo legs.
std::vector<SecurityListEntry> SelectSecurities(const SecurityListQuery& query,
                                                const router::Listings& listings,
                                                const core::InstrumentCatalog& catalog);

// "SPY 20281215 C 450 +1 / SPY 20281215 C 460 -1": a combo in combo-client's leg notation
// (catalog symbols, signed ratios); an unknown instrument by its id ("#12").
std::string ComboLegText(const core::ComboSpec& combo, const core::InstrumentCatalog& catalog);

}  // namespace combo::fix
