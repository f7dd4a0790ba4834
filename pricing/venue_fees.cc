#include "pricing/venue_fees.h"

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/rounding.h"

namespace combo::pricing {
namespace {

bool WithinLimit(core::Price fee) {
  return fee <= VenueFees::kMaxFeePerContract && fee >= -VenueFees::kMaxFeePerContract;
}

}  // namespace

absl::Status VenueFees::Set(core::VenueId venue, core::AssetClass asset_class, FeeSchedule fees) {
  for (const auto& [name, fee] : {std::pair{"maker", fees.maker}, std::pair{"taker", fees.taker}}) {
    if (!WithinLimit(fee)) {
      return absl::InvalidArgumentError(
          absl::StrCat("venue ", venue.value(), " ", core::AsAbsl(core::ToString(asset_class)),
                       ": ", name, " fee ", fee.ToString(), " per contract is beyond the limit of ",
                       kMaxFeePerContract.ToString()));
    }
  }
  fees_[{venue, asset_class}] = fees;
  return absl::OkStatus();
}

FeeSchedule VenueFees::Find(core::VenueId venue, core::AssetClass asset_class) const {
  const auto it = fees_.find({venue, asset_class});
  return it == fees_.end() ? FeeSchedule{} : it->second;
}

core::Price FeePerPriceUnit(core::Price fee_per_contract, int64_t multiplier) {
  // |fee| <= 1000 and multiplier >= 1, so the quotient always fits.
  return core::Price::FromRaw(static_cast<int64_t>(core::DivideRounded(
      absl::int128(fee_per_contract.raw()), absl::int128(multiplier), core::RoundingMode::kUp)));
}

}  // namespace combo::pricing
