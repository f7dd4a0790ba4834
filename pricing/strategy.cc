#include "pricing/strategy.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/absl_compat.h"
#include "core/status.h"

namespace combo::pricing {
namespace {

using core::ComboLeg;
using core::InstrumentId;
using core::OptionRight;
using core::Price;
using core::Side;

struct StrategyName {
  Strategy strategy;
  std::string_view name;
  // Parameters and the legs of the bought form (docs/PRICING.md "Strategy templates").
  std::string_view shape;
};

constexpr std::array<StrategyName, 17> kNames = {{
    {Strategy::kVertical, "vertical", "right; strikes {bought, sold}: +1 K1, -1 K2"},
    {Strategy::kCalendar, "calendar",
     "expiries {near, far}; options: right, strikes {K}; futures: neither: -1 near, +1 far"},
    {Strategy::kDiagonal, "diagonal",
     "right; strikes {near, far}, different; expiries {near, far}: -1 near K1, +1 far K2"},
    {Strategy::kStraddle, "straddle", "strikes {K}: +1 C K, +1 P K"},
    {Strategy::kStrangle, "strangle", "strikes {put, call}, put < call: +1 P, +1 C"},
    {Strategy::kButterfly, "butterfly",
     "right; strikes {K1, K2, K3}, equal wings: +1 K1, -2 K2, +1 K3"},
    {Strategy::kCondor, "condor",
     "right; strikes {K1..K4}, equal wings: +1 K1, -1 K2, -1 K3, +1 K4"},
    {Strategy::kIronCondor, "iron condor", "strikes {K1..K4}: +1 P K1, -1 P K2, -1 C K3, +1 C K4"},
    {Strategy::kIronButterfly, "iron butterfly",
     "strikes {K1, K2, K3}, equal wings: +1 P K1, -1 P K2, -1 C K2, +1 C K3"},
    {Strategy::kCollar, "collar", "strikes {put, call}, put < call: +shares S, +1 P, -1 C"},
    {Strategy::kRiskReversal, "risk reversal", "strikes {put, call}, put < call: +1 C, -1 P"},
    {Strategy::kConversion, "conversion", "strikes {K}: +shares S, +1 P, -1 C"},
    {Strategy::kReversal, "reversal", "strikes {K}: -shares S, -1 P, +1 C"},
    {Strategy::kSyntheticLong, "synthetic long", "strikes {K}: +1 C, -1 P"},
    {Strategy::kSyntheticShort, "synthetic short", "strikes {K}: -1 C, +1 P"},
    {Strategy::kBuyWrite, "buy-write", "strikes {K}: +shares S, -1 C"},
    {Strategy::kRatioSpread, "ratio spread",
     "right; strikes {bought, sold}; bought and sold ratios, different: +r1 K1, -r2 K2"},
}};

// Lower case without spaces, '_' and '-': the form names are compared in.
std::string Squash(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '_' || c == '-') continue;
    out += absl::ascii_tolower(static_cast<unsigned char>(c));
  }
  return out;
}

std::string DayText(const absl::CivilDay& day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::string_view RightText(OptionRight right) {
  return right == OptionRight::kCall ? "call" : "put";
}

absl::string_view Name(Strategy strategy) { return core::AsAbsl(ToString(strategy)); }

// Builds one strategy; every check names the strategy and what is wrong.
class Builder {
 public:
  Builder(Strategy strategy, const StrategyParameters& p, const core::InstrumentCatalog& catalog)
      : strategy_(strategy), p_(p), catalog_(catalog) {}

  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(Name(strategy_), ": ", core::AsAbsl(what)));
  }

  absl::Status NeedStrikes(size_t n, std::string_view meaning) const {
    if (p_.strikes.size() != n) {
      return Error(absl::StrCat("needs ", n, n == 1 ? " strike " : " strikes ",
                                core::AsAbsl(meaning), ", got ", p_.strikes.size()));
    }
    for (const Price& strike : p_.strikes) {
      if (!strike.is_positive()) {
        return Error(absl::StrCat("strike ", strike.ToString(), " must be positive"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status NeedExpiries(size_t n) const {
    if (p_.expiries.size() != n) {
      return Error(n == 1 ? absl::StrCat("needs 1 expiry, got ", p_.expiries.size())
                          : absl::StrCat("needs 2 expiries {near, far}, got ", p_.expiries.size()));
    }
    if (n == 2 && !(p_.expiries[0] < p_.expiries[1])) {
      return Error(absl::StrCat("the near expiry ", DayText(p_.expiries[0]),
                                " must be before the far expiry ", DayText(p_.expiries[1])));
    }
    return absl::OkStatus();
  }

  absl::Status NeedRight() const {
    if (!p_.right.has_value()) return Error("needs an option right (call or put)");
    return absl::OkStatus();
  }

  absl::Status NoRight() const {
    if (p_.right.has_value()) {
      return Error("takes no option right: its legs' rights are fixed by the strategy");
    }
    return absl::OkStatus();
  }

  absl::Status Ascending(std::string_view meaning) const {
    for (size_t i = 1; i < p_.strikes.size(); ++i) {
      if (!(p_.strikes[i - 1] < p_.strikes[i])) {
        return Error(absl::StrCat("strikes must be strictly ascending (", core::AsAbsl(meaning),
                                  "); ", p_.strikes[i - 1].ToString(), " is not below ",
                                  p_.strikes[i].ToString()));
      }
    }
    return absl::OkStatus();
  }

  absl::Status EqualWings() const {
    const Price lower = p_.strikes[1] - p_.strikes[0];
    const Price upper = p_.strikes.back() - p_.strikes[p_.strikes.size() - 2];
    if (lower != upper) {
      return Error(absl::StrCat("wings must be equal: ", lower.ToString(), " below and ",
                                upper.ToString(), " above"));
    }
    return absl::OkStatus();
  }

  absl::Status CheckCommon() const {
    if (p_.underlying.empty()) return Error("needs an underlying");
    const bool ratio_spread = strategy_ == Strategy::kRatioSpread;
    if (!ratio_spread && (p_.bought_ratio.has_value() || p_.sold_ratio.has_value())) {
      return Error("takes no bought/sold ratios (only a ratio spread does)");
    }
    const bool has_stock = strategy_ == Strategy::kCollar || strategy_ == Strategy::kConversion ||
                           strategy_ == Strategy::kReversal || strategy_ == Strategy::kBuyWrite;
    if (!has_stock && p_.shares.has_value()) {
      return Error("takes no share count: it has no stock leg");
    }
    if (p_.shares.has_value() && *p_.shares < 1) {
      return Error(absl::StrCat("shares per contract must be at least 1, got ", *p_.shares));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<const core::Instrument*> Option(OptionRight right, Price strike,
                                                 const absl::CivilDay& expiry) const {
    for (const auto& [id, instrument] : catalog_.all()) {
      if (!instrument.is_option() || instrument.underlying() != p_.underlying) continue;
      const core::OptionTerms& terms = *instrument.option();
      if (terms.right == right && terms.strike == strike && terms.expiry == expiry) {
        return &instrument;
      }
    }
    return absl::NotFoundError(absl::StrCat(Name(strategy_), ": no ", p_.underlying, " ",
                                            RightText(right), " expiring ", DayText(expiry),
                                            " at strike ", strike.ToString(), " in the catalog"));
  }

  absl::StatusOr<const core::Instrument*> Future(const absl::CivilDay& expiry) const {
    for (const auto& [id, instrument] : catalog_.all()) {
      if (instrument.asset_class() == core::AssetClass::kFuture &&
          instrument.underlying() == p_.underlying && instrument.expiry() == expiry) {
        return &instrument;
      }
    }
    return absl::NotFoundError(absl::StrCat(Name(strategy_), ": no ", p_.underlying,
                                            " future expiring ", DayText(expiry),
                                            " in the catalog"));
  }

  absl::StatusOr<const core::Instrument*> Stock() const {
    const core::Instrument* stock = catalog_.FindBySymbol(p_.underlying);
    if (stock == nullptr || (stock->asset_class() != core::AssetClass::kStock &&
                             stock->asset_class() != core::AssetClass::kEtf)) {
      return absl::NotFoundError(absl::StrCat(Name(strategy_), ": no stock or ETF named ",
                                              p_.underlying, " in the catalog"));
    }
    return stock;
  }

  // Adds an option leg of the first expiry (or `expiry_index`).
  absl::Status AddOption(OptionRight right, Price strike, int64_t ratio, Side side,
                         size_t expiry_index = 0) {
    absl::StatusOr<const core::Instrument*> option =
        Option(right, strike, p_.expiries[expiry_index]);
    if (!option.ok()) return option.status();
    legs_.push_back(ComboLeg{(*option)->id(), ratio, side});
    last_option_multiplier_ = (*option)->multiplier();
    return absl::OkStatus();
  }

  // Adds the stock leg; call after an option leg so the default share count is known.
  absl::Status AddStock(Side side) {
    absl::StatusOr<const core::Instrument*> stock = Stock();
    if (!stock.ok()) return stock.status();
    legs_.push_back(ComboLeg{(*stock)->id(), p_.shares.value_or(last_option_multiplier_), side});
    return absl::OkStatus();
  }

  absl::StatusOr<core::ComboSpec> Build() {
    if (absl::Status s = CheckCommon(); !s.ok()) return s;
    if (absl::Status s = BuildLegs(); !s.ok()) return s;
    // The stock leg was added after an option to learn the multiplier; show it first.
    std::stable_sort(legs_.begin(), legs_.end(), [this](const ComboLeg& a, const ComboLeg& b) {
      return IsStock(a) && !IsStock(b);
    });
    absl::StatusOr<core::ComboSpec> spec = core::ComboSpec::Create(legs_);
    if (!spec.ok()) {
      return absl::Status(spec.status().code(),
                          absl::StrCat(Name(strategy_), ": ", spec.status().message()));
    }
    return spec;
  }

 private:
  bool IsStock(const ComboLeg& leg) const {
    const core::Instrument* instrument = catalog_.Find(leg.instrument);
    return instrument != nullptr && !instrument->is_option() &&
           instrument->asset_class() != core::AssetClass::kFuture;
  }

  absl::Status BuildLegs() {
    const std::vector<Price>& k = p_.strikes;
    constexpr OptionRight kCall = OptionRight::kCall;
    constexpr OptionRight kPut = OptionRight::kPut;
    constexpr Side kBuy = Side::kBuy;
    constexpr Side kSell = Side::kSell;
    switch (strategy_) {
      case Strategy::kVertical:
        COMBO_RETURN_IF_ERROR(NeedRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(2, "{bought, sold}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(1));
        if (k[0] == k[1]) return Error("the bought and sold strikes must differ");
        COMBO_RETURN_IF_ERROR(AddOption(*p_.right, k[0], 1, kBuy));
        return AddOption(*p_.right, k[1], 1, kSell);
      case Strategy::kCalendar:
        COMBO_RETURN_IF_ERROR(NeedExpiries(2));
        if (!p_.right.has_value()) {
          if (!k.empty()) {
            return Error("a futures calendar takes no strike; give a right for options");
          }
          absl::StatusOr<const core::Instrument*> near = Future(p_.expiries[0]);
          if (!near.ok()) return near.status();
          absl::StatusOr<const core::Instrument*> far = Future(p_.expiries[1]);
          if (!far.ok()) return far.status();
          legs_.push_back(ComboLeg{(*near)->id(), 1, kSell});
          legs_.push_back(ComboLeg{(*far)->id(), 1, kBuy});
          return absl::OkStatus();
        }
        COMBO_RETURN_IF_ERROR(NeedStrikes(1, "{K}"));
        COMBO_RETURN_IF_ERROR(AddOption(*p_.right, k[0], 1, kSell, 0));
        return AddOption(*p_.right, k[0], 1, kBuy, 1);
      case Strategy::kDiagonal:
        COMBO_RETURN_IF_ERROR(NeedRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(2, "{near, far}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(2));
        if (k[0] == k[1]) return Error("the strikes must differ (equal strikes: a calendar)");
        COMBO_RETURN_IF_ERROR(AddOption(*p_.right, k[0], 1, kSell, 0));
        return AddOption(*p_.right, k[1], 1, kBuy, 1);
      case Strategy::kStraddle:
        COMBO_RETURN_IF_ERROR(NoRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(1, "{K}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(1));
        COMBO_RETURN_IF_ERROR(AddOption(kCall, k[0], 1, kBuy));
        return AddOption(kPut, k[0], 1, kBuy);
      case Strategy::kStrangle:
        COMBO_RETURN_IF_ERROR(NoRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(2, "{put, call}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(1));
        COMBO_RETURN_IF_ERROR(Ascending("put strike below call strike"));
        COMBO_RETURN_IF_ERROR(AddOption(kPut, k[0], 1, kBuy));
        return AddOption(kCall, k[1], 1, kBuy);
      case Strategy::kButterfly:
        COMBO_RETURN_IF_ERROR(NeedRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(3, "{low, body, high}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(1));
        COMBO_RETURN_IF_ERROR(Ascending("low, body, high"));
        COMBO_RETURN_IF_ERROR(EqualWings());
        COMBO_RETURN_IF_ERROR(AddOption(*p_.right, k[0], 1, kBuy));
        COMBO_RETURN_IF_ERROR(AddOption(*p_.right, k[1], 2, kSell));
        return AddOption(*p_.right, k[2], 1, kBuy);
      case Strategy::kCondor:
        COMBO_RETURN_IF_ERROR(NeedRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(4, "{K1, K2, K3, K4}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(1));
        COMBO_RETURN_IF_ERROR(Ascending("K1 < K2 < K3 < K4"));
        COMBO_RETURN_IF_ERROR(EqualWings());
        COMBO_RETURN_IF_ERROR(AddOption(*p_.right, k[0], 1, kBuy));
        COMBO_RETURN_IF_ERROR(AddOption(*p_.right, k[1], 1, kSell));
        COMBO_RETURN_IF_ERROR(AddOption(*p_.right, k[2], 1, kSell));
        return AddOption(*p_.right, k[3], 1, kBuy);
      case Strategy::kIronCondor:
        COMBO_RETURN_IF_ERROR(NoRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(4, "{put wing, put body, call body, call wing}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(1));
        COMBO_RETURN_IF_ERROR(Ascending("K1 < K2 < K3 < K4"));
        COMBO_RETURN_IF_ERROR(AddOption(kPut, k[0], 1, kBuy));
        COMBO_RETURN_IF_ERROR(AddOption(kPut, k[1], 1, kSell));
        COMBO_RETURN_IF_ERROR(AddOption(kCall, k[2], 1, kSell));
        return AddOption(kCall, k[3], 1, kBuy);
      case Strategy::kIronButterfly:
        COMBO_RETURN_IF_ERROR(NoRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(3, "{put wing, body, call wing}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(1));
        COMBO_RETURN_IF_ERROR(Ascending("put wing, body, call wing"));
        COMBO_RETURN_IF_ERROR(EqualWings());
        COMBO_RETURN_IF_ERROR(AddOption(kPut, k[0], 1, kBuy));
        COMBO_RETURN_IF_ERROR(AddOption(kPut, k[1], 1, kSell));
        COMBO_RETURN_IF_ERROR(AddOption(kCall, k[1], 1, kSell));
        return AddOption(kCall, k[2], 1, kBuy);
      case Strategy::kCollar:
        COMBO_RETURN_IF_ERROR(NoRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(2, "{put, call}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(1));
        COMBO_RETURN_IF_ERROR(Ascending("put strike below call strike"));
        COMBO_RETURN_IF_ERROR(AddOption(kPut, k[0], 1, kBuy));
        COMBO_RETURN_IF_ERROR(AddOption(kCall, k[1], 1, kSell));
        return AddStock(kBuy);
      case Strategy::kRiskReversal:
        COMBO_RETURN_IF_ERROR(NoRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(2, "{put, call}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(1));
        COMBO_RETURN_IF_ERROR(Ascending("put strike below call strike"));
        COMBO_RETURN_IF_ERROR(AddOption(kCall, k[1], 1, kBuy));
        return AddOption(kPut, k[0], 1, kSell);
      case Strategy::kConversion:
        COMBO_RETURN_IF_ERROR(NoRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(1, "{K}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(1));
        COMBO_RETURN_IF_ERROR(AddOption(kPut, k[0], 1, kBuy));
        COMBO_RETURN_IF_ERROR(AddOption(kCall, k[0], 1, kSell));
        return AddStock(kBuy);
      case Strategy::kReversal:
        COMBO_RETURN_IF_ERROR(NoRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(1, "{K}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(1));
        COMBO_RETURN_IF_ERROR(AddOption(kPut, k[0], 1, kSell));
        COMBO_RETURN_IF_ERROR(AddOption(kCall, k[0], 1, kBuy));
        return AddStock(kSell);
      case Strategy::kSyntheticLong:
      case Strategy::kSyntheticShort: {
        COMBO_RETURN_IF_ERROR(NoRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(1, "{K}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(1));
        const bool long_form = strategy_ == Strategy::kSyntheticLong;
        COMBO_RETURN_IF_ERROR(AddOption(kCall, k[0], 1, long_form ? kBuy : kSell));
        return AddOption(kPut, k[0], 1, long_form ? kSell : kBuy);
      }
      case Strategy::kBuyWrite:
        COMBO_RETURN_IF_ERROR(NoRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(1, "{call strike}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(1));
        COMBO_RETURN_IF_ERROR(AddOption(kCall, k[0], 1, kSell));
        return AddStock(kBuy);
      case Strategy::kRatioSpread: {
        COMBO_RETURN_IF_ERROR(NeedRight());
        COMBO_RETURN_IF_ERROR(NeedStrikes(2, "{bought, sold}"));
        COMBO_RETURN_IF_ERROR(NeedExpiries(1));
        if (k[0] == k[1]) return Error("the bought and sold strikes must differ");
        if (!p_.bought_ratio.has_value() || !p_.sold_ratio.has_value()) {
          return Error("needs the bought and sold ratios (e.g. 1 and 2)");
        }
        if (*p_.bought_ratio < 1 || *p_.sold_ratio < 1) {
          return Error(absl::StrCat("ratios must be at least 1, got ", *p_.bought_ratio, " and ",
                                    *p_.sold_ratio));
        }
        if (*p_.bought_ratio == *p_.sold_ratio) {
          return Error("the bought and sold ratios must differ (equal ratios: a vertical)");
        }
        COMBO_RETURN_IF_ERROR(AddOption(*p_.right, k[0], *p_.bought_ratio, kBuy));
        return AddOption(*p_.right, k[1], *p_.sold_ratio, kSell);
      }
    }
    return Error("unknown strategy");
  }

  Strategy strategy_;
  const StrategyParameters& p_;
  const core::InstrumentCatalog& catalog_;
  std::vector<ComboLeg> legs_;
  int64_t last_option_multiplier_ = 100;
};

}  // namespace

absl::StatusOr<Strategy> ParseStrategy(std::string_view name) {
  const std::string wanted = Squash(name);
  for (const StrategyName& entry : kNames) {
    if (Squash(entry.name) == wanted) return entry.strategy;
  }
  std::string known;
  for (const StrategyName& entry : kNames) {
    absl::StrAppend(&known, known.empty() ? "" : ", ", core::AsAbsl(entry.name));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown strategy \"", core::AsAbsl(name), "\"; known: ", known));
}

std::string_view ToString(Strategy strategy) {
  for (const StrategyName& entry : kNames) {
    if (entry.strategy == strategy) return entry.name;
  }
  return "unknown";
}

std::string_view DescribeShape(Strategy strategy) {
  for (const StrategyName& entry : kNames) {
    if (entry.strategy == strategy) return entry.shape;
  }
  return "";
}

const std::vector<Strategy>& AllStrategies() {
  static const std::vector<Strategy> kAll = [] {
    std::vector<Strategy> all;
    all.reserve(kNames.size());
    for (const StrategyName& entry : kNames) all.push_back(entry.strategy);
    return all;
  }();
  return kAll;
}

absl::StatusOr<core::ComboSpec> BuildStrategy(Strategy strategy,
                                              const StrategyParameters& parameters,
                                              const core::InstrumentCatalog& catalog) {
  return Builder(strategy, parameters, catalog).Build();
}

}  // namespace combo::pricing
