// LegFields: how a combo leg's instrument is named in FIX 4.4, and the project's instrument
// symbol convention that ties those fields to core::InstrumentCatalog symbols.
//
// Symbols (docs/FIX.md "Instrument symbols"):
//   stock or ETF  "SPY"                  LegSymbol=SPY  LegSecurityType=CS
//   option        "SPY 20261218 C 450"   LegSymbol=SPY  LegSecurityType=OPT  LegCFICode=OCXXXS
//                                        LegMaturityDate=20261218  LegStrikePrice=450
//   future        "ES 202612"            LegSymbol=ES   LegSecurityType=FUT
//                                        LegMaturityMonthYear=202612
// FIX 4.4 has no LegPutOrCall, so an option's right is the second letter of its CFI code.
//
// Also parses combo-client's text notation ("SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1")
// into FIX leg fields without a catalog. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "core/instrument.h"
#include "core/instrument_catalog.h"
#include "core/side.h"

namespace combo::fix {

// FIX 4.4 SecurityType codes the gateway takes.
inline constexpr std::string_view kSecurityTypeStock = "CS";
inline constexpr std::string_view kSecurityTypeOption = "OPT";
inline constexpr std::string_view kSecurityTypeFuture = "FUT";

// The instrument-naming fields of one leg, as text exactly as they travel in FIX. Empty means
// absent.
struct LegInstrumentFields {
  std::string symbol;               // LegSymbol(600)
  std::string security_id;          // LegSecurityID(602): a catalog InstrumentId
  std::string security_type;        // LegSecurityType(609): CS, OPT, FUT
  std::string cfi_code;             // LegCFICode(608): OCXXXS / OPXXXS for options
  std::string maturity_month_year;  // LegMaturityMonthYear(610): YYYYMM (futures)
  std::string maturity_date;        // LegMaturityDate(611): YYYYMMDD (options)
  std::string strike;               // LegStrikePrice(612)
  friend bool operator==(const LegInstrumentFields&, const LegInstrumentFields&) = default;
};

// One leg of combo-client's notation: its instrument, ratio and side when the combo is bought.
struct LegSpec {
  LegInstrumentFields instrument;
  int64_t ratio = 1;
  core::Side side = core::Side::kBuy;
  friend bool operator==(const LegSpec&, const LegSpec&) = default;
};

// One leg of a strategy template request (docs/FIX.md "Strategy templates"): its instrument,
// and its ratio and side when written; the template completes what is left out.
struct TemplateLegSpec {
  LegInstrumentFields instrument;
  std::optional<int64_t> ratio;
  std::optional<core::Side> side;
  friend bool operator==(const TemplateLegSpec&, const TemplateLegSpec&) = default;
};

// The FIX fields of a symbol in the project's convention; fails naming the part that is wrong.
absl::StatusOr<LegInstrumentFields> SymbolToLegFields(std::string_view symbol);

// The catalog symbol that FIX leg fields name (the inverse of SymbolToLegFields). With no
// LegSecurityType and no option or future fields, LegSymbol is taken as a complete symbol.
// Ignores security_id. Fails naming the field that is missing or malformed.
absl::StatusOr<std::string> LegFieldsToSymbol(const LegInstrumentFields& fields);

// The catalog instrument that FIX leg fields name, in any of the standard ways (docs/FIX.md
// "Naming an instrument"); `security_id` is not read (the gateway's numeric ids are looked up by
// id before this):
//   - LegSymbol(600) alone: a catalog symbol ("SPY", "ESZ6", "SPY 20261218 C 450") or an OCC
//     option symbol ("SPY   261218C00450000", the padding optional);
//   - a future: LegSymbol the root (the underlying), LegSecurityType(609) FUT and
//     LegMaturityMonthYear(610) YYYYMM, or LegSymbol its catalog symbol;
//   - an option: LegSymbol the root, LegSecurityType OPT (or a CFI code), the right in
//     LegCFICode(608) (OC / OP), LegStrikePrice(612), and the expiry in LegMaturityDate(611)
//     YYYYMMDD, or LegMaturityMonthYear as YYYYMMDD, or as YYYYMM when one expiry of that month
//     has the strike and right;
//   - a stock or ETF: LegSymbol, with LegSecurityType CS or none.
// Fails naming the field at fault, or, for a month with several expiries, naming them; a
// contract the catalog knows as expired (InstrumentCatalog::FindExpired*) fails with
// ExpiredInstrumentError.
// The refusal for an order naming an instrument that expired before the daemon's date:
// NotFound, "instrument \"SPY 20250117 P 430\" expired on 2025-01-17: it is no longer listed".
absl::Status ExpiredInstrumentError(const core::Instrument& instrument);

absl::StatusOr<const core::Instrument*> ResolveLegInstrument(
    const LegInstrumentFields& fields, const core::InstrumentCatalog& catalog);

// An OCC option symbol ("SPY   261218C00450000": root padded to six, YYMMDD, C or P, strike x
// 1000 in eight digits; the padding may be left out) as the project's symbol fields, or nullopt
// when `text` is not one.
std::optional<LegInstrumentFields> ParseOccSymbol(std::string_view text);

// The product (underlying root) leg fields name, read without a catalog, so that a shard can say
// who owns a leg it does not list: the root of LegSymbol (its first word in the project's
// convention, "SPY" of "SPY 20261218 C 450"; the root of an OCC option symbol; "ESZ6" as
// written), or with no LegSymbol that of an exchange symbol in LegSecurityID. Empty when the
// fields name none (only a numeric LegSecurityID, an id of the gateway's own catalog).
std::string LegProductName(const LegInstrumentFields& fields);

// A FIX LocalMktDate (YYYYMMDD) naming a real calendar day, or nullopt.
std::optional<absl::CivilDay> ParseFixDate(std::string_view yyyymmdd);
// `day` as a FIX LocalMktDate: "20261218".
std::string FixDateText(absl::CivilDay day);

// The FIX fields that name `instrument` (with LegSecurityID set to its id).
LegInstrumentFields InstrumentToLegFields(const core::Instrument& instrument);

// "SPY 20261218 C 450 +1 / SPY 20261218 C 460 -1": legs separated by '/', each a symbol and a
// signed ratio (+N buys the leg when the combo is bought, -N sells it).
absl::StatusOr<std::vector<LegSpec>> ParseLegText(std::string_view text);
// The same notation for a strategy template, where the signed ratio may be left out:
// "SPY 20261218 C 450 / SPY 20261218 C 460 / SPY 20261218 C 470".
absl::StatusOr<std::vector<TemplateLegSpec>> ParseTemplateLegText(std::string_view text);

}  // namespace combo::fix
