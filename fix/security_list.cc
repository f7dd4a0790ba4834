#include "fix/security_list.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/absl_compat.h"
#include "fix/leg_fields.h"
#include "quickfix/FixFieldNumbers.h"
#include "quickfix/FixValues.h"

namespace combo::fix {
namespace {

using core::AsAbsl;

std::optional<std::string> Get(const FIX::FieldMap& map, int tag) {
  if (!map.isSetField(tag)) return std::nullopt;
  return map.getField(tag);
}

absl::Status Invalid(absl::string_view text) { return absl::InvalidArgumentError(text); }

constexpr char kTypeChoices[] =
    "use 0 (Symbol), 1 (SecurityType and/or CFICode) or 4 (all securities)";

absl::StatusOr<SecurityListRequestType> ParseType(const FIX::FieldMap& message) {
  const std::optional<std::string> text = Get(message, FIX::FIELD::SecurityListRequestType);
  if (!text.has_value() || text->empty()) {
    return Invalid(absl::StrCat("SecurityListRequestType(559) is required: ", kTypeChoices));
  }
  if (*text == "0") return SecurityListRequestType::kSymbol;
  if (*text == "1") return SecurityListRequestType::kSecurityType;
  if (*text == "4") return SecurityListRequestType::kAllSecurities;
  if (*text == "2" || *text == "3") {
    return Invalid(absl::StrCat("SecurityListRequestType(559) ", *text,
                                *text == "2" ? " (Product)" : " (TradingSessionID)",
                                " is not supported: ", kTypeChoices));
  }
  return Invalid(absl::StrCat("SecurityListRequestType(559) \"", *text,
                              "\" is not a FIX 4.4 request type: ", kTypeChoices));
}

bool IsDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

std::string MonthText(absl::CivilDay day) { return FixDateText(day).substr(0, 6); }

std::string_view SecurityTypeOf(const core::Instrument& instrument) {
  switch (instrument.asset_class()) {
    case core::AssetClass::kStock:
    case core::AssetClass::kEtf:
      return kSecurityTypeStock;
    case core::AssetClass::kFuture:
      return kSecurityTypeFuture;
    case core::AssetClass::kOption:
      return kSecurityTypeOption;
  }
  return kSecurityTypeStock;
}

// The CFI code a CFICode filter compares with: an option's as written (OCXXXS / OPXXXS), ES
// for shares, F for futures (the daemon writes none for those).
std::string CfiOf(const core::Instrument& instrument) {
  switch (instrument.asset_class()) {
    case core::AssetClass::kStock:
    case core::AssetClass::kEtf:
      return "ES";
    case core::AssetClass::kFuture:
      return "F";
    case core::AssetClass::kOption:
      return InstrumentToLegFields(instrument).cfi_code;
  }
  return "";
}

bool CfiMatches(std::string_view requested, std::string_view code) {
  for (size_t i = 0; i < requested.size(); ++i) {
    const char have = i < code.size() ? code[i] : 'X';
    if (requested[i] != 'X' && have != 'X' && requested[i] != have) return false;
  }
  return true;
}

// A stock or ETF is its own underlying.
const std::string& UnderlyingOf(const core::Instrument& instrument) {
  return instrument.underlying().empty() ? instrument.symbol() : instrument.underlying();
}

struct Maturity {
  // YYYYMM; empty for shares.
  std::string month;
  std::optional<absl::CivilDay> day;
};

Maturity MaturityOf(const core::Instrument& instrument) {
  Maturity maturity;
  if (const std::optional<core::OptionTerms>& option = instrument.option(); option.has_value()) {
    maturity.month = MonthText(option->expiry);
    maturity.day = option->expiry;
  } else if (instrument.asset_class() == core::AssetClass::kFuture) {
    maturity.month = InstrumentToLegFields(instrument).maturity_month_year;
    maturity.day = instrument.expiry();
  }
  return maturity;
}

// The filters on one instrument's own terms (maturity, strike, right), which a combo matches
// when one of its legs does.
bool TermsMatch(const SecurityListQuery& query, const core::Instrument& instrument) {
  if (!query.maturity_month_year.empty() || query.maturity_date.has_value()) {
    const Maturity maturity = MaturityOf(instrument);
    if (query.maturity_month_year.size() == 6 && maturity.month != query.maturity_month_year) {
      return false;
    }
    if (query.maturity_month_year.size() == 8 &&
        (!maturity.day.has_value() || FixDateText(*maturity.day) != query.maturity_month_year)) {
      return false;
    }
    if (query.maturity_date.has_value() && maturity.day != query.maturity_date) return false;
  }
  const std::optional<core::OptionTerms>& option = instrument.option();
  if (query.strike.has_value() && (!option.has_value() || option->strike != *query.strike)) {
    return false;
  }
  if (query.right.has_value() && (!option.has_value() || option->right != *query.right)) {
    return false;
  }
  return true;
}

bool VenueMatches(const SecurityListQuery& query, const std::vector<router::ListingVenue>& venues) {
  return query.exchange.empty() ||
         std::any_of(venues.begin(), venues.end(), [&](const router::ListingVenue& venue) {
           return venue.name == query.exchange;
         });
}

bool UnderlyingMatches(const SecurityListQuery& query, const std::string& underlying) {
  return query.underlyings.empty() || std::find(query.underlyings.begin(), query.underlyings.end(),
                                                underlying) != query.underlyings.end();
}

bool InstrumentMatches(const SecurityListQuery& query, const router::InstrumentListing& listing) {
  const core::Instrument& instrument = *listing.instrument;
  const std::string_view type = SecurityTypeOf(instrument);
  if (!query.symbol.empty() && query.symbol != instrument.symbol() &&
      query.symbol != InstrumentToLegFields(instrument).symbol) {
    return false;
  }
  if (query.security_id.has_value() && (query.security_type == kSecurityTypeMultileg ||
                                        *query.security_id != instrument.id().value())) {
    return false;
  }
  if (!query.security_type.empty() && query.security_type != type) return false;
  if (!query.cfi_code.empty() && !CfiMatches(query.cfi_code, CfiOf(instrument))) return false;
  return UnderlyingMatches(query, UnderlyingOf(instrument)) && TermsMatch(query, instrument) &&
         VenueMatches(query, listing.venues);
}

bool ComboMatches(const SecurityListQuery& query, const router::ComboListing& listing,
                  const core::InstrumentCatalog& catalog) {
  if (!query.security_type.empty() && query.security_type != kSecurityTypeMultileg) return false;
  // A combo has no CFI code of its own.
  if (!query.cfi_code.empty()) return false;
  if (query.security_id.has_value() &&
      (query.security_type != kSecurityTypeMultileg || !listing.defined ||
       *query.security_id != listing.id.value())) {
    return false;
  }
  std::vector<const core::Instrument*> legs;
  for (const core::ComboLeg& leg : listing.spec->legs()) {
    if (const core::Instrument* instrument = catalog.Find(leg.instrument))
      legs.push_back(instrument);
  }
  auto any_leg = [&](auto&& predicate) { return std::any_of(legs.begin(), legs.end(), predicate); };
  if (!query.symbol.empty() &&
      !any_leg([&](const core::Instrument* leg) { return UnderlyingOf(*leg) == query.symbol; })) {
    return false;
  }
  if (!query.underlyings.empty() && !any_leg([&](const core::Instrument* leg) {
        return UnderlyingMatches(query, UnderlyingOf(*leg));
      })) {
    return false;
  }
  if (!any_leg([&](const core::Instrument* leg) { return TermsMatch(query, *leg); })) return false;
  return VenueMatches(query, listing.native_venues);
}

// Instruments sort by Symbol, type, maturity, strike, calls first, id.
auto SortKey(const core::Instrument& instrument) {
  static constexpr auto kTypeRank = [](std::string_view type) {
    return type == kSecurityTypeStock ? 0 : type == kSecurityTypeFuture ? 1 : 2;
  };
  const Maturity maturity = MaturityOf(instrument);
  const std::optional<core::OptionTerms>& option = instrument.option();
  return std::make_tuple(InstrumentToLegFields(instrument).symbol,
                         kTypeRank(SecurityTypeOf(instrument)), maturity.month,
                         maturity.day.value_or(absl::CivilDay()),
                         option.has_value() ? option->strike.raw() : int64_t{0},
                         option.has_value() && option->right == core::OptionRight::kPut ? 1 : 0,
                         instrument.id().value());
}

}  // namespace

absl::StatusOr<SecurityListQuery> ParseSecurityListRequest(const FIX::FieldMap& message,
                                                           std::string request_id) {
  SecurityListQuery query;
  query.request_id = std::move(request_id);
  absl::StatusOr<SecurityListRequestType> type = ParseType(message);
  if (!type.ok()) return type.status();
  query.type = *type;

  if (std::optional<std::string> subscription = Get(message, FIX::FIELD::SubscriptionRequestType);
      subscription.has_value() && *subscription != "0") {
    return Invalid(absl::StrCat("SubscriptionRequestType(263) \"", *subscription,
                                "\" is not supported: a security list is a snapshot (0)"));
  }
  if (std::optional<std::string> symbol = Get(message, FIX::FIELD::Symbol);
      symbol.has_value() && *symbol != "[N/A]") {
    query.symbol = *symbol;
    // An OCC option symbol names the same contract as the catalog's symbol.
    if (std::optional<LegInstrumentFields> occ = ParseOccSymbol(*symbol)) {
      if (absl::StatusOr<std::string> catalog_symbol = LegFieldsToSymbol(*occ);
          catalog_symbol.ok()) {
        query.symbol = *catalog_symbol;
      }
    }
  }
  if (std::optional<std::string> id = Get(message, FIX::FIELD::SecurityID)) {
    uint32_t value = 0;
    if (!IsDigits(*id) || id->size() > 10 || !absl::SimpleAtoi(AsAbsl(*id), &value)) {
      return Invalid(absl::StrCat("SecurityID(48) \"", *id, "\" is not a numeric id"));
    }
    query.security_id = value;
  }
  if (std::optional<std::string> source = Get(message, FIX::FIELD::SecurityIDSource);
      source.has_value() && *source != FIX::SecurityIDSource_EXCHANGE_SYMBOL) {
    return Invalid(absl::StrCat("SecurityIDSource(22) \"", *source,
                                "\" is not supported: use 8 (the gateway's ids)"));
  }
  if (std::optional<std::string> security_type = Get(message, FIX::FIELD::SecurityType)) {
    if (*security_type != kSecurityTypeStock && *security_type != kSecurityTypeOption &&
        *security_type != kSecurityTypeFuture && *security_type != kSecurityTypeMultileg) {
      return Invalid(absl::StrCat("SecurityType(167) \"", *security_type,
                                  "\" is not supported: use CS, OPT, FUT or MLEG"));
    }
    query.security_type = *security_type;
  }
  if (std::optional<std::string> cfi = Get(message, FIX::FIELD::CFICode)) {
    if (cfi->empty() || cfi->size() > 6 || !std::all_of(cfi->begin(), cfi->end(), [](char c) {
          return absl::ascii_isupper(static_cast<unsigned char>(c));
        })) {
      return Invalid(absl::StrCat("CFICode(461) \"", *cfi,
                                  "\" is not a CFI code: up to six capital letters, e.g. OCXXXS"));
    }
    query.cfi_code = *cfi;
  }
  const size_t underlyings = message.groupCount(FIX::FIELD::NoUnderlyings);
  for (size_t i = 1; i <= underlyings; ++i) {
    const FIX::FieldMap& group =
        message.getGroupRef(static_cast<int>(i), FIX::FIELD::NoUnderlyings);
    std::optional<std::string> underlying = Get(group, FIX::FIELD::UnderlyingSymbol);
    if (!underlying.has_value() || underlying->empty()) {
      return Invalid(absl::StrCat("underlying ", i, ": UnderlyingSymbol(311) is required"));
    }
    query.underlyings.push_back(*underlying);
  }
  if (std::optional<std::string> maturity = Get(message, FIX::FIELD::MaturityMonthYear)) {
    const bool month =
        maturity->size() == 6 && IsDigits(*maturity) && ParseFixDate(*maturity + "01").has_value();
    const bool day = maturity->size() == 8 && ParseFixDate(*maturity).has_value();
    if (!month && !day) {
      return Invalid(absl::StrCat("MaturityMonthYear(200) \"", *maturity,
                                  "\" is not a month (YYYYMM) or a day (YYYYMMDD)"));
    }
    query.maturity_month_year = *maturity;
  }
  if (std::optional<std::string> date = Get(message, FIX::FIELD::MaturityDate)) {
    query.maturity_date = ParseFixDate(*date);
    if (!query.maturity_date.has_value()) {
      return Invalid(absl::StrCat("MaturityDate(541) \"", *date, "\" is not a day (YYYYMMDD)"));
    }
  }
  if (std::optional<std::string> strike = Get(message, FIX::FIELD::StrikePrice)) {
    absl::StatusOr<core::Price> price = core::Price::Parse(*strike);
    if (!price.ok() || !price->is_positive()) {
      return Invalid(absl::StrCat("StrikePrice(202) \"", *strike, "\" is not a positive price"));
    }
    query.strike = *price;
  }
  if (std::optional<std::string> right = Get(message, FIX::FIELD::PutOrCall)) {
    if (*right != "0" && *right != "1") {
      return Invalid(absl::StrCat("PutOrCall(201) \"", *right,
                                  "\" is not supported: use 0 (put) or 1 (call)"));
    }
    query.right = *right == "0" ? core::OptionRight::kPut : core::OptionRight::kCall;
  }
  if (std::optional<std::string> exchange = Get(message, FIX::FIELD::SecurityExchange)) {
    query.exchange = *exchange;
  }

  if (query.type == SecurityListRequestType::kSymbol && query.symbol.empty() &&
      !query.security_id.has_value()) {
    return Invalid(
        "SecurityListRequestType(559) 0 (Symbol) needs Symbol(55) or SecurityID(48): use 4 for "
        "all securities");
  }
  if (query.type == SecurityListRequestType::kSecurityType && query.security_type.empty() &&
      query.cfi_code.empty()) {
    return Invalid(
        "SecurityListRequestType(559) 1 (SecurityType) needs SecurityType(167) or CFICode(461): "
        "use 4 for all securities");
  }
  return query;
}

std::vector<SecurityListEntry> SelectSecurities(const SecurityListQuery& query,
                                                const router::Listings& listings,
                                                const core::InstrumentCatalog& catalog) {
  std::vector<SecurityListEntry> instruments;
  for (router::InstrumentListing& listing : listings.ListedInstruments()) {
    if (!InstrumentMatches(query, listing)) continue;
    SecurityListEntry entry;
    entry.instrument = listing.instrument;
    entry.venues = std::move(listing.venues);
    instruments.push_back(std::move(entry));
  }
  std::sort(instruments.begin(), instruments.end(),
            [](const SecurityListEntry& a, const SecurityListEntry& b) {
              return SortKey(*a.instrument) < SortKey(*b.instrument);
            });
  // Listings come in id order; sorted again so the order does not rest on that promise.
  std::vector<router::ComboListing> combos = listings.ListedCombos();
  std::sort(
      combos.begin(), combos.end(),
      [](const router::ComboListing& a, const router::ComboListing& b) { return a.id < b.id; });
  for (router::ComboListing& listing : combos) {
    if (!ComboMatches(query, listing, catalog)) continue;
    SecurityListEntry entry;
    entry.combo = listing.spec;
    entry.combo_id = listing.id;
    entry.defined = listing.defined;
    entry.venues = std::move(listing.native_venues);
    instruments.push_back(std::move(entry));
  }
  return instruments;
}

std::string ComboLegText(const core::ComboSpec& combo, const core::InstrumentCatalog& catalog) {
  std::vector<std::string> legs;
  for (const core::ComboLeg& leg : combo.legs()) {
    const core::Instrument* instrument = catalog.Find(leg.instrument);
    legs.push_back(absl::StrCat(
        instrument != nullptr ? instrument->symbol() : absl::StrCat("#", leg.instrument.value()),
        " ", leg.side == core::Side::kBuy ? "+" : "-", leg.ratio));
  }
  return absl::StrJoin(legs, " / ");
}

}  // namespace combo::fix
