#include "fix/leg_fields.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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

std::string DateText(absl::CivilDay day) {
  return absl::StrCat(absl::Dec(day.year(), absl::kZeroPad4),
                      absl::Dec(day.month(), absl::kZeroPad2),
                      absl::Dec(day.day(), absl::kZeroPad2));
}

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
        fields.maturity_month_year = DateText(*instrument.expiry()).substr(0, 6);
      }
      break;
    }
    case core::AssetClass::kOption: {
      const core::OptionTerms& terms = *instrument.option();
      fields.symbol = instrument.underlying();
      fields.security_type = std::string(kSecurityTypeOption);
      fields.cfi_code = terms.right == core::OptionRight::kCall ? "OCXXXS" : "OPXXXS";
      fields.maturity_date = DateText(terms.expiry);
      fields.strike = terms.strike.ToString();
      break;
    }
  }
  return fields;
}

absl::StatusOr<std::vector<LegSpec>> ParseLegText(std::string_view text) {
  std::vector<LegSpec> legs;
  int index = 0;
  for (absl::string_view part : absl::StrSplit(AsAbsl(text), '/')) {
    ++index;
    part = absl::StripAsciiWhitespace(part);
    const size_t space = part.find_last_of(" \t");
    if (part.empty() || space == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "leg ", index, " \"", part, "\": expected an instrument symbol and a signed ratio, ",
          "such as \"SPY 20261218 C 450 +1\""));
    }
    const absl::string_view symbol = absl::StripAsciiWhitespace(part.substr(0, space));
    const absl::string_view ratio_text = part.substr(space + 1);
    if (ratio_text.size() < 2 || (ratio_text[0] != '+' && ratio_text[0] != '-') ||
        !AllDigits(core::AsStd(ratio_text.substr(1)))) {
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
    legs.push_back(LegSpec{*std::move(fields), ratio,
                           ratio_text[0] == '+' ? core::Side::kBuy : core::Side::kSell});
  }
  if (legs.size() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("a combo needs at least 2 legs separated by '/', got ", legs.size()));
  }
  return legs;
}

}  // namespace combo::fix
