#include "fix/leg_fields.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "core/absl_compat.h"
#include "core/price.h"

namespace combo::fix {
namespace {

using core::AsAbsl;

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// YYYYMMDD naming a real calendar day.
bool IsDate(std::string_view text) {
  if (text.size() != 8 || !AllDigits(text)) return false;
  int year = 0;
  int month = 0;
  int day = 0;
  if (!absl::SimpleAtoi(AsAbsl(text.substr(0, 4)), &year) ||
      !absl::SimpleAtoi(AsAbsl(text.substr(4, 2)), &month) ||
      !absl::SimpleAtoi(AsAbsl(text.substr(6, 2)), &day)) {
    return false;
  }
  const absl::CivilDay civil(year, month, day);
  return civil.year() == year && civil.month() == month && civil.day() == day;
}

bool IsMonth(std::string_view text) {
  if (text.size() != 6 || !AllDigits(text)) return false;
  int month = 0;
  if (!absl::SimpleAtoi(AsAbsl(text.substr(4, 2)), &month)) return false;
  return month >= 1 && month <= 12;
}

bool HasSpace(std::string_view text) { return text.find_first_of(" \t") != text.npos; }

}  // namespace

absl::StatusOr<LegInstrumentFields> SymbolToLegFields(std::string_view symbol) {
  const std::vector<std::string> parts =
      absl::StrSplit(AsAbsl(symbol), ' ', absl::SkipWhitespace());
  LegInstrumentFields fields;
  if (parts.size() == 1) {
    fields.symbol = parts[0];
    fields.security_type = std::string(kSecurityTypeStock);
    return fields;
  }
  if (parts.size() == 2) {
    if (!IsMonth(parts[1])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "symbol \"", AsAbsl(symbol), "\": a future is ROOT YYYYMM, such as \"ES 202612\""));
    }
    fields.symbol = parts[0];
    fields.security_type = std::string(kSecurityTypeFuture);
    fields.maturity_month_year = parts[1];
    return fields;
  }
  if (parts.size() == 4) {
    if (!IsDate(parts[1])) {
      return absl::InvalidArgumentError(absl::StrCat("symbol \"", AsAbsl(symbol), "\": expiry \"",
                                                     parts[1], "\" is not a YYYYMMDD date"));
    }
    if (parts[2] != "C" && parts[2] != "P") {
      return absl::InvalidArgumentError(
          absl::StrCat("symbol \"", AsAbsl(symbol), "\": right \"", parts[2], "\" must be C or P"));
    }
    absl::StatusOr<core::Price> strike = core::Price::Parse(parts[3]);
    if (!strike.ok() || !strike->is_positive()) {
      return absl::InvalidArgumentError(absl::StrCat("symbol \"", AsAbsl(symbol), "\": strike \"",
                                                     parts[3], "\" is not a positive price"));
    }
    fields.symbol = parts[0];
    fields.security_type = std::string(kSecurityTypeOption);
    fields.cfi_code = parts[2] == "C" ? "OCXXXS" : "OPXXXS";
    fields.maturity_date = parts[1];
    fields.strike = strike->ToString();
    return fields;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("symbol \"", AsAbsl(symbol),
                   "\": expected \"SPY\" (stock), \"SPY 20261218 C 450\" (option) or \"ES 202612\" "
                   "(future)"));
}

absl::StatusOr<std::string> LegFieldsToSymbol(const LegInstrumentFields& f) {
  if (f.symbol.empty()) return absl::InvalidArgumentError("LegSymbol(600) is missing");
  const bool has_option_fields =
      !f.cfi_code.empty() || !f.maturity_date.empty() || !f.strike.empty();
  if (f.security_type.empty() && !has_option_fields && f.maturity_month_year.empty()) {
    // A complete symbol in LegSymbol: check it follows the convention.
    if (absl::StatusOr<LegInstrumentFields> parsed = SymbolToLegFields(f.symbol); !parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("LegSymbol(600): ", parsed.status().message()));
    }
    return f.symbol;
  }
  if (HasSpace(f.symbol)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "LegSymbol(600) \"", f.symbol,
        "\" must be the bare root when LegSecurityType(609) or option fields are given"));
  }
  if (f.security_type == kSecurityTypeStock) {
    if (has_option_fields || !f.maturity_month_year.empty()) {
      return absl::InvalidArgumentError(
          "LegSecurityType(609) CS takes no LegCFICode(608), maturity or LegStrikePrice(612)");
    }
    return f.symbol;
  }
  if (f.security_type == kSecurityTypeFuture) {
    if (has_option_fields) {
      return absl::InvalidArgumentError(
          "LegSecurityType(609) FUT takes no LegCFICode(608), LegMaturityDate(611) or "
          "LegStrikePrice(612)");
    }
    if (!IsMonth(f.maturity_month_year)) {
      return absl::InvalidArgumentError(
          absl::StrCat("a future leg needs LegMaturityMonthYear(610) as YYYYMM, got \"",
                       f.maturity_month_year, "\""));
    }
    return absl::StrCat(f.symbol, " ", f.maturity_month_year);
  }
  if (f.security_type == kSecurityTypeOption) {
    std::string expiry = f.maturity_date;
    if (expiry.empty()) expiry = f.maturity_month_year;
    if (!IsDate(expiry)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "an option leg needs LegMaturityDate(611) (or LegMaturityMonthYear(610)) as YYYYMMDD, "
          "got \"",
          expiry, "\""));
    }
    if (!f.maturity_date.empty() && !f.maturity_month_year.empty() &&
        f.maturity_month_year != f.maturity_date &&
        f.maturity_month_year != f.maturity_date.substr(0, 6)) {
      return absl::InvalidArgumentError(
          absl::StrCat("LegMaturityMonthYear(610) \"", f.maturity_month_year,
                       "\" disagrees with LegMaturityDate(611) \"", f.maturity_date, "\""));
    }
    if (f.cfi_code.size() < 2 || f.cfi_code[0] != 'O' ||
        (f.cfi_code[1] != 'C' && f.cfi_code[1] != 'P')) {
      return absl::InvalidArgumentError(
          absl::StrCat("an option leg needs LegCFICode(608) starting OC (call) or OP (put), got \"",
                       f.cfi_code, "\""));
    }
    absl::StatusOr<core::Price> strike = core::Price::Parse(f.strike);
    if (!strike.ok() || !strike->is_positive()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "an option leg needs a positive LegStrikePrice(612), got \"", f.strike, "\""));
    }
    return absl::StrCat(f.symbol, " ", expiry, " ", f.cfi_code[1] == 'C' ? "C" : "P", " ",
                        strike->ToString());
  }
  return absl::InvalidArgumentError(absl::StrCat("LegSecurityType(609) \"", f.security_type,
                                                 "\" is not supported: use CS, OPT or FUT"));
}

LegInstrumentFields InstrumentToLegFields(const core::Instrument& instrument) {
  LegInstrumentFields fields;
  fields.security_id = absl::StrCat(instrument.id().value());
  switch (instrument.asset_class()) {
    case core::AssetClass::kStock:
    case core::AssetClass::kEtf:
      fields.symbol = instrument.symbol();
      fields.security_type = std::string(kSecurityTypeStock);
      break;
    case core::AssetClass::kFuture: {
      fields.symbol = instrument.underlying();
      fields.security_type = std::string(kSecurityTypeFuture);
      absl::StatusOr<LegInstrumentFields> parsed = SymbolToLegFields(instrument.symbol());
      if (parsed.ok() && parsed->security_type == kSecurityTypeFuture) {
        fields.symbol = parsed->symbol;
        fields.maturity_month_year = parsed->maturity_month_year;
      } else if (instrument.expiry().has_value()) {
        fields.maturity_month_year = FixDateText(*instrument.expiry()).substr(0, 6);
      }
      break;
    }
    case core::AssetClass::kOption: {
      const core::OptionTerms& terms = *instrument.option();
      fields.symbol = instrument.underlying();
      fields.security_type = std::string(kSecurityTypeOption);
      fields.cfi_code = terms.right == core::OptionRight::kCall ? "OCXXXS" : "OPXXXS";
      fields.maturity_date = FixDateText(terms.expiry);
      fields.strike = terms.strike.ToString();
      break;
    }
  }
  return fields;
}

namespace {

// Whether a leg of the text notation must end in a signed ratio.
enum class RatioNotation : uint8_t { kRequired, kOptional };

absl::StatusOr<std::vector<TemplateLegSpec>> ParseLegs(std::string_view text,
                                                       RatioNotation notation) {
  std::vector<TemplateLegSpec> legs;
  int index = 0;
  for (absl::string_view part : absl::StrSplit(AsAbsl(text), '/')) {
    ++index;
    part = absl::StripAsciiWhitespace(part);
    const size_t space = part.find_last_of(" \t");
    const absl::string_view last = space == absl::string_view::npos ? part : part.substr(space + 1);
    const bool signed_last = !last.empty() && (last[0] == '+' || last[0] == '-');
    if (notation == RatioNotation::kOptional && !part.empty() && !signed_last) {
      // No ratio written: the whole part is the symbol.
      absl::StatusOr<LegInstrumentFields> fields = SymbolToLegFields(core::AsStd(part));
      if (!fields.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("leg ", index, ": ", fields.status().message()));
      }
      legs.push_back(TemplateLegSpec{*std::move(fields), std::nullopt, std::nullopt});
      continue;
    }
    if (part.empty() || space == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "leg ", index, " \"", part, "\": expected an instrument symbol and a signed ratio, ",
          "such as \"SPY 20261218 C 450 +1\""));
    }
    const absl::string_view symbol = absl::StripAsciiWhitespace(part.substr(0, space));
    const absl::string_view ratio_text = last;
    if (ratio_text.size() < 2 || !signed_last || !AllDigits(core::AsStd(ratio_text.substr(1)))) {
      return absl::InvalidArgumentError(
          absl::StrCat("leg ", index, " \"", part,
                       "\": the ratio must carry a sign: +N buys the leg, -N sells it"));
    }
    int64_t ratio = 0;
    if (!absl::SimpleAtoi(ratio_text.substr(1), &ratio) || ratio < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("leg ", index, ": ratio \"", ratio_text, "\" must be a whole number >= 1"));
    }
    absl::StatusOr<LegInstrumentFields> fields = SymbolToLegFields(core::AsStd(symbol));
    if (!fields.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("leg ", index, ": ", fields.status().message()));
    }
    legs.push_back(TemplateLegSpec{*std::move(fields), ratio,
                                   ratio_text[0] == '+' ? core::Side::kBuy : core::Side::kSell});
  }
  if (legs.size() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("a combo needs at least 2 legs separated by '/', got ", legs.size()));
  }
  return legs;
}

}  // namespace

absl::StatusOr<std::vector<LegSpec>> ParseLegText(std::string_view text) {
  absl::StatusOr<std::vector<TemplateLegSpec>> parsed = ParseLegs(text, RatioNotation::kRequired);
  if (!parsed.ok()) return parsed.status();
  std::vector<LegSpec> legs;
  for (TemplateLegSpec& leg : *parsed) {
    legs.push_back(LegSpec{std::move(leg.instrument), *leg.ratio, *leg.side});
  }
  return legs;
}

absl::StatusOr<std::vector<TemplateLegSpec>> ParseTemplateLegText(std::string_view text) {
  return ParseLegs(text, RatioNotation::kOptional);
}

namespace {

// YYYYMMDD as a civil day; the text is checked by IsDate first.
absl::CivilDay DayOf(std::string_view yyyymmdd) {
  int year = 0;
  int month = 0;
  int day = 0;
  (void)absl::SimpleAtoi(AsAbsl(yyyymmdd.substr(0, 4)), &year);
  (void)absl::SimpleAtoi(AsAbsl(yyyymmdd.substr(4, 2)), &month);
  (void)absl::SimpleAtoi(AsAbsl(yyyymmdd.substr(6, 2)), &day);
  return absl::CivilDay(year, month, day);
}

bool IsStockLike(const core::Instrument& instrument) {
  return instrument.asset_class() == core::AssetClass::kStock ||
         instrument.asset_class() == core::AssetClass::kEtf;
}

absl::StatusOr<const core::Instrument*> ResolveFuture(const LegInstrumentFields& f,
                                                      const core::InstrumentCatalog& catalog) {
  if (f.maturity_month_year.empty()) {
    // A future by its catalog symbol ("ESZ6").
    const core::Instrument* named = catalog.FindBySymbol(f.symbol);
    if (named != nullptr && named->asset_class() == core::AssetClass::kFuture) return named;
  }
  absl::StatusOr<std::string> symbol = LegFieldsToSymbol(f);  // checks the fields' shape
  if (!symbol.ok()) return symbol.status();
  int yyyymm = 0;
  (void)absl::SimpleAtoi(AsAbsl(f.maturity_month_year), &yyyymm);
  const std::vector<const core::Instrument*> found =
      catalog.FindFutures(f.symbol, yyyymm / 100, yyyymm % 100);
  if (found.size() == 1) return found.front();
  if (found.empty()) {
    const std::vector<const core::Instrument*> expired =
        catalog.FindExpiredFutures(f.symbol, yyyymm / 100, yyyymm % 100);
    if (expired.size() == 1) return ExpiredInstrumentError(*expired.front());
    return absl::NotFoundError(absl::StrCat("unknown instrument: no future on ", f.symbol,
                                            " delivering in ", f.maturity_month_year));
  }
  std::vector<std::string> names;
  for (const core::Instrument* future : found) names.push_back(future->symbol());
  return absl::InvalidArgumentError(absl::StrCat("ambiguous instrument: the futures on ", f.symbol,
                                                 " delivering in ", f.maturity_month_year, " are ",
                                                 absl::StrJoin(names, ", "), ": name one"));
}

// The shape a broker's order usually has, read without building its symbol: LegMaturityDate,
// an OC/OP LegCFICode and a positive strike, nothing contradicting them, naming exactly one
// listed option. Null otherwise: the full path then finds it, or says what is wrong.
const core::Instrument* FindPlainOption(const LegInstrumentFields& f,
                                        const core::InstrumentCatalog& catalog) {
  if (!f.security_type.empty() && f.security_type != kSecurityTypeOption) return nullptr;
  if (!IsDate(f.maturity_date) || HasSpace(f.symbol)) return nullptr;
  if (!f.maturity_month_year.empty() && f.maturity_month_year != f.maturity_date &&
      f.maturity_month_year != std::string_view(f.maturity_date).substr(0, 6)) {
    return nullptr;
  }
  if (f.cfi_code.size() < 2 || f.cfi_code[0] != 'O' ||
      (f.cfi_code[1] != 'C' && f.cfi_code[1] != 'P')) {
    return nullptr;
  }
  const absl::StatusOr<core::Price> strike = core::Price::Parse(f.strike);
  if (!strike.ok() || !strike->is_positive()) return nullptr;
  const absl::CivilDay expiry = DayOf(f.maturity_date);
  const std::vector<const core::Instrument*> found = catalog.FindOptions(
      f.symbol, f.cfi_code[1] == 'C' ? core::OptionRight::kCall : core::OptionRight::kPut, *strike,
      expiry, expiry);
  return found.size() == 1 ? found.front() : nullptr;
}

absl::StatusOr<const core::Instrument*> ResolveOption(const LegInstrumentFields& f,
                                                      const core::InstrumentCatalog& catalog) {
  if (const core::Instrument* option = FindPlainOption(f, catalog)) return option;
  LegInstrumentFields shape = f;
  // An expiry given as a month only is checked as the month's first day, then searched over it.
  const bool month_only = f.maturity_date.empty() && IsMonth(f.maturity_month_year);
  if (month_only) shape.maturity_month_year += "01";
  if (shape.security_type.empty()) shape.security_type = std::string(kSecurityTypeOption);
  absl::StatusOr<std::string> symbol = LegFieldsToSymbol(shape);
  if (!symbol.ok()) return symbol.status();
  absl::StatusOr<LegInstrumentFields> parsed = SymbolToLegFields(*symbol);
  if (!parsed.ok()) return parsed.status();
  const absl::CivilDay expiry = DayOf(parsed->maturity_date);
  const core::OptionRight right =
      parsed->cfi_code[1] == 'C' ? core::OptionRight::kCall : core::OptionRight::kPut;
  const core::Price strike = *core::Price::Parse(parsed->strike);
  const absl::CivilDay last =
      month_only ? absl::CivilDay(absl::CivilMonth(expiry) + 1) - 1 : expiry;
  const std::vector<const core::Instrument*> found =
      catalog.FindOptions(f.symbol, right, strike, expiry, last);
  if (found.size() == 1) return found.front();
  const std::string described = absl::StrCat(
      f.symbol, " ", right == core::OptionRight::kCall ? "call" : "put", " ", strike.ToString(),
      " expiring ", month_only ? f.maturity_month_year : parsed->maturity_date);
  if (found.empty()) {
    const std::vector<const core::Instrument*> expired =
        catalog.FindExpiredOptions(f.symbol, right, strike, expiry, last);
    if (expired.size() == 1) return ExpiredInstrumentError(*expired.front());
    return absl::NotFoundError(absl::StrCat("unknown instrument: no ", described));
  }
  std::vector<std::string> listings;
  for (const core::Instrument* option : found) {
    listings.push_back(
        absl::StrCat(option->symbol(), " (", FixDateText(option->option()->expiry), ")"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("ambiguous instrument: ", described, " names ", absl::StrJoin(listings, ", "),
                   month_only ? ": give LegMaturityDate(611)" : ": name it by its symbol"));
}

}  // namespace

std::string FixDateText(absl::CivilDay day) {
  return absl::StrCat(absl::Dec(day.year(), absl::kZeroPad4),
                      absl::Dec(day.month(), absl::kZeroPad2),
                      absl::Dec(day.day(), absl::kZeroPad2));
}

std::optional<absl::CivilDay> ParseFixDate(std::string_view yyyymmdd) {
  if (!IsDate(yyyymmdd)) return std::nullopt;
  return DayOf(yyyymmdd);
}

std::optional<LegInstrumentFields> ParseOccSymbol(std::string_view text) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(AsAbsl(text));
  if (trimmed.size() < 16) return std::nullopt;
  const absl::string_view tail = trimmed.substr(trimmed.size() - 15);
  const absl::string_view root =
      absl::StripTrailingAsciiWhitespace(trimmed.substr(0, trimmed.size() - 15));
  if (root.empty() || root.size() > 6 || HasSpace(std::string_view(root.data(), root.size()))) {
    return std::nullopt;
  }
  const std::string_view yymmdd(tail.data(), 6);
  const char right = tail[6];
  const std::string_view strike_digits(tail.data() + 7, 8);
  const std::string date = absl::StrCat("20", AsAbsl(yymmdd));
  if (!AllDigits(yymmdd) || !IsDate(date) || (right != 'C' && right != 'P') ||
      !AllDigits(strike_digits)) {
    return std::nullopt;
  }
  int64_t thousandths = 0;
  if (!absl::SimpleAtoi(AsAbsl(strike_digits), &thousandths) || thousandths == 0) {
    return std::nullopt;
  }
  LegInstrumentFields fields;
  fields.symbol = std::string(root);
  fields.security_type = std::string(kSecurityTypeOption);
  fields.cfi_code = right == 'C' ? "OCXXXS" : "OPXXXS";
  fields.maturity_date = date;
  fields.strike = core::Price::FromRaw(thousandths * 1'000'000).ToString();
  return fields;
}

std::string LegProductName(const LegInstrumentFields& fields) {
  std::string_view name = fields.symbol;
  if (name.empty() || name == "[N/A]") {
    if (AllDigits(fields.security_id)) return "";
    name = fields.security_id;
  }
  if (std::optional<LegInstrumentFields> occ = ParseOccSymbol(name)) return occ->symbol;
  const std::vector<std::string> words = absl::StrSplit(AsAbsl(name), ' ', absl::SkipWhitespace());
  return words.empty() ? std::string() : words.front();
}

absl::Status ExpiredInstrumentError(const core::Instrument& instrument) {
  const std::optional<absl::CivilDay> last = instrument.last_trading_day();
  return absl::NotFoundError(
      absl::StrCat("instrument \"", instrument.symbol(), "\" expired on ",
                   last.has_value() ? absl::FormatCivilTime(*last) : std::string("an earlier day"),
                   ": it is no longer listed"));
}

absl::StatusOr<const core::Instrument*> ResolveLegInstrument(
    const LegInstrumentFields& fields, const core::InstrumentCatalog& catalog) {
  if (fields.symbol.empty()) return absl::InvalidArgumentError("LegSymbol(600) is missing");
  const bool has_terms = !fields.security_type.empty() || !fields.cfi_code.empty() ||
                         !fields.maturity_date.empty() || !fields.maturity_month_year.empty() ||
                         !fields.strike.empty();
  if (!has_terms) {
    // A complete name: a catalog symbol, or an OCC option symbol.
    if (const core::Instrument* named = catalog.FindBySymbol(fields.symbol)) return named;
    if (const core::Instrument* expired = catalog.FindExpiredBySymbol(fields.symbol)) {
      return ExpiredInstrumentError(*expired);
    }
    if (std::optional<LegInstrumentFields> occ = ParseOccSymbol(fields.symbol)) {
      return ResolveOption(*occ, catalog);
    }
    absl::StatusOr<std::string> symbol = LegFieldsToSymbol(fields);  // names a malformed one
    if (!symbol.ok()) return symbol.status();
    // The project's convention ("ES 202612", "SPY 20261218 C 450") for a contract the catalog
    // lists under another symbol.
    if (absl::StatusOr<LegInstrumentFields> parsed = SymbolToLegFields(*symbol); parsed.ok()) {
      if (parsed->security_type == kSecurityTypeFuture) return ResolveFuture(*parsed, catalog);
      if (parsed->security_type == kSecurityTypeOption) return ResolveOption(*parsed, catalog);
    }
    return absl::NotFoundError(absl::StrCat("unknown instrument \"", fields.symbol, "\""));
  }
  if (fields.security_type == kSecurityTypeFuture) return ResolveFuture(fields, catalog);
  if (fields.security_type == kSecurityTypeOption ||
      (fields.security_type.empty() && !fields.cfi_code.empty())) {
    return ResolveOption(fields, catalog);
  }
  absl::StatusOr<std::string> symbol = LegFieldsToSymbol(fields);
  if (!symbol.ok()) return symbol.status();
  const core::Instrument* named = catalog.FindBySymbol(*symbol);
  if (named == nullptr) {
    if (const core::Instrument* expired = catalog.FindExpiredBySymbol(*symbol)) {
      return ExpiredInstrumentError(*expired);
    }
    return absl::NotFoundError(absl::StrCat("unknown instrument \"", *symbol, "\""));
  }
  if (fields.security_type == kSecurityTypeStock && !IsStockLike(*named)) {
    return absl::InvalidArgumentError(absl::StrCat("\"", *symbol, "\" is ",
                                                   AsAbsl(core::ToString(named->asset_class())),
                                                   ", not LegSecurityType(609) CS"));
  }
  return named;
}

}  // namespace combo::fix
