#include "pricing/strategy_legs.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/instrument.h"
#include "core/price.h"

namespace combo::pricing {
namespace {

using core::Instrument;

// Strategies whose option legs all share one right, which the template takes as a parameter.
bool TakesRight(Strategy strategy) {
  switch (strategy) {
    case Strategy::kVertical:
    case Strategy::kCalendar:
    case Strategy::kDiagonal:
    case Strategy::kButterfly:
    case Strategy::kCondor:
    case Strategy::kRatioSpread:
      return true;
    default:
      return false;
  }
}

// Whose strikes are {bought, sold}, not ascending.
bool BoughtThenSold(Strategy strategy) {
  return strategy == Strategy::kVertical || strategy == Strategy::kRatioSpread;
}

struct ResolvedLeg {
  const NamedLeg* given;
  const Instrument* instrument;
};

// The template's parameters as the legs' instruments state them.
class ParameterReader {
 public:
  ParameterReader(Strategy strategy, std::string_view underlying,
                  const std::vector<ResolvedLeg>& legs)
      : strategy_(strategy), underlying_(underlying), legs_(legs) {}

  absl::StatusOr<StrategyParameters> Read() const {
    StrategyParameters p;
    p.underlying = std::string(underlying_);
    std::vector<const ResolvedLeg*> options;
    std::set<absl::CivilDay> expiries;
    for (const ResolvedLeg& leg : legs_) {
      if (leg.instrument->is_option()) {
        options.push_back(&leg);
        expiries.insert(leg.instrument->option()->expiry);
      } else if (leg.instrument->asset_class() == core::AssetClass::kFuture &&
                 leg.instrument->expiry().has_value()) {
        expiries.insert(*leg.instrument->expiry());
      } else if (leg.given->ratio.has_value()) {
        p.shares = leg.given->ratio;
      }
    }
    p.expiries.assign(expiries.begin(), expiries.end());
    if (TakesRight(strategy_) && !options.empty()) {
      p.right = options.front()->instrument->option()->right;
      for (const ResolvedLeg* leg : options) {
        if (leg->instrument->option()->right != *p.right) {
          return Error("its option legs must all be calls or all be puts");
        }
      }
    }
    if (BoughtThenSold(strategy_)) {
      // The bought leg first: by the sides given, else in the order given.
      std::stable_sort(
          options.begin(), options.end(), [](const ResolvedLeg* a, const ResolvedLeg* b) {
            return a->given->side == core::Side::kBuy && b->given->side != core::Side::kBuy;
          });
      for (const ResolvedLeg* leg : options) {
        p.strikes.push_back(leg->instrument->option()->strike);
      }
      if (strategy_ == Strategy::kRatioSpread && options.size() == 2) {
        p.bought_ratio = options[0]->given->ratio;
        p.sold_ratio = options[1]->given->ratio;
      }
    } else if (strategy_ == Strategy::kDiagonal) {
      // {near, far}: each expiry's strike.
      std::stable_sort(options.begin(), options.end(),
                       [](const ResolvedLeg* a, const ResolvedLeg* b) {
                         return a->instrument->option()->expiry < b->instrument->option()->expiry;
                       });
      for (const ResolvedLeg* leg : options) {
        p.strikes.push_back(leg->instrument->option()->strike);
      }
    } else {
      std::set<core::Price> strikes;
      for (const ResolvedLeg* leg : options) strikes.insert(leg->instrument->option()->strike);
      p.strikes.assign(strikes.begin(), strikes.end());
    }
    return p;
  }

 private:
  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(core::AsAbsl(ToString(strategy_)), ": ", core::AsAbsl(what)));
  }

  Strategy strategy_;
  std::string_view underlying_;
  const std::vector<ResolvedLeg>& legs_;
};

}  // namespace

absl::StatusOr<core::ComboSpec> MatchStrategy(Strategy strategy, std::string_view underlying,
                                              const std::vector<NamedLeg>& legs,
                                              const core::InstrumentCatalog& catalog) {
  const absl::string_view name = core::AsAbsl(ToString(strategy));
  auto error = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": ", what));
  };
  if (underlying.empty()) return error("needs an underlying");
  std::vector<ResolvedLeg> resolved;
  for (size_t i = 0; i < legs.size(); ++i) {
    const Instrument* instrument = catalog.Find(legs[i].instrument);
    if (instrument == nullptr) {
      return error(
          absl::StrCat("leg ", i + 1, ": unknown instrument ", legs[i].instrument.value()));
    }
    const bool on_underlying =
        instrument->underlying() == underlying ||
        (instrument->underlying().empty() && instrument->symbol() == underlying);
    if (!on_underlying) {
      return error(absl::StrCat("leg ", i + 1, " (", instrument->symbol(), ") is not on ",
                                core::AsAbsl(underlying)));
    }
    for (size_t j = 0; j < i; ++j) {
      if (legs[j].instrument == legs[i].instrument) {
        return error(
            absl::StrCat("leg ", i + 1, " (", instrument->symbol(), ") repeats leg ", j + 1));
      }
    }
    resolved.push_back(ResolvedLeg{&legs[i], instrument});
  }

  absl::StatusOr<StrategyParameters> parameters =
      ParameterReader(strategy, underlying, resolved).Read();
  if (!parameters.ok()) return parameters.status();
  absl::StatusOr<core::ComboSpec> shape = BuildStrategy(strategy, *parameters, catalog);
  if (!shape.ok()) return shape.status();
  const std::string its_legs =
      absl::StrCat(" (its legs: ", core::DescribeCombo(*shape, catalog), ")");

  size_t same_side = 0;
  size_t opposite_side = 0;
  for (size_t i = 0; i < resolved.size(); ++i) {
    const ResolvedLeg& leg = resolved[i];
    const core::ComboLeg* expected = shape->FindLeg(leg.instrument->id());
    if (expected == nullptr) {
      return error(absl::StrCat("leg ", i + 1, " (", leg.instrument->symbol(),
                                ") is not a leg of the ", name, its_legs));
    }
    if (leg.given->ratio.has_value() && *leg.given->ratio != expected->ratio) {
      return error(absl::StrCat("leg ", i + 1, " (", leg.instrument->symbol(), ") has ratio ",
                                *leg.given->ratio, " where the ", name, " has ", expected->ratio,
                                its_legs));
    }
    if (leg.given->side.has_value()) {
      ++(*leg.given->side == expected->side ? same_side : opposite_side);
    }
  }
  if (resolved.size() != shape->size()) {
    return error(absl::StrCat("the request has ", resolved.size(), " legs where the ", name,
                              " has ", shape->size(), its_legs));
  }
  if (same_side > 0 && opposite_side > 0) {
    return error(
        absl::StrCat("the legs' sides fit neither the bought nor the sold ", name, its_legs));
  }
  return opposite_side > 0 ? shape->Mirror() : *std::move(shape);
}

}  // namespace combo::pricing
