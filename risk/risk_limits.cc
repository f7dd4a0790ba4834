#include "risk/risk_limits.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::risk {

core::Money Dollars(int64_t units) {
  return core::Money::FromRaw(absl::int128(units) * core::Price::kScale);
}

namespace {

absl::Status Invalid(std::string_view field, std::string_view problem, std::string_view value) {
  return absl::InvalidArgumentError(absl::StrCat("risk limits: ", core::AsAbsl(field), " ",
                                                 core::AsAbsl(problem), ", got ",
                                                 core::AsAbsl(value)));
}

absl::Status PositiveQuantity(std::string_view field, core::Quantity q) {
  if (q.is_positive()) return absl::OkStatus();
  return Invalid(field, "must be positive", std::to_string(q.value()));
}

absl::Status PositiveMoney(std::string_view field, core::Money m) {
  if (!m.is_negative() && !m.is_zero()) return absl::OkStatus();
  return Invalid(field, "must be positive", m.ToString());
}

}  // namespace

absl::Status RiskLimits::Validate() const {
  if (absl::Status s = PositiveQuantity("max_combo_quantity", max_combo_quantity); !s.ok()) {
    return s;
  }
  if (max_legs < 2) return Invalid("max_legs", "must be at least 2", std::to_string(max_legs));
  if (absl::Status s = PositiveMoney("max_notional", max_notional); !s.ok()) return s;
  if (collar_ticks < 0) {
    return Invalid("collar_ticks", "must not be negative", std::to_string(collar_ticks));
  }
  if (collar_basis_points < 0) {
    return Invalid("collar_basis_points", "must not be negative",
                   std::to_string(collar_basis_points));
  }
  if (default_client_credit_limit.has_value()) {
    if (absl::Status s = PositiveMoney("default_client_credit_limit", *default_client_credit_limit);
        !s.ok()) {
      return s;
    }
  }
  for (const auto& [client, limit] : client_credit_limits) {
    if (client.value().empty()) {
      return Invalid("client_credit_limits", "must not name an empty client", "\"\"");
    }
    if (absl::Status s =
            PositiveMoney(absl::StrCat("client_credit_limits[", client.value(), "]"), limit);
        !s.ok()) {
      return s;
    }
  }
  for (core::InstrumentId id : allowed_instruments) {
    if (std::find(blocked_instruments.begin(), blocked_instruments.end(), id) !=
        blocked_instruments.end()) {
      return Invalid("allowed_instruments", "must not hold a blocked instrument",
                     absl::StrCat("#", id.value()));
    }
  }
  if (max_remembered_client_order_ids < 1) {
    return Invalid("max_remembered_client_order_ids", "must be at least 1",
                   std::to_string(max_remembered_client_order_ids));
  }
  if (absl::Status s = PositiveQuantity("max_legin_units", max_legin_units); !s.ok()) return s;
  if (absl::Status s = PositiveMoney("max_legin_notional", max_legin_notional); !s.ok()) return s;
  if (!std::isfinite(max_legin_dollar_delta) || max_legin_dollar_delta <= 0.0) {
    return Invalid("max_legin_dollar_delta", "must be positive and finite",
                   std::to_string(max_legin_dollar_delta));
  }
  if (absl::Status s = PositiveQuantity("max_error_account_position", max_error_account_position);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          PositiveQuantity("max_error_account_total_position", max_error_account_total_position);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = PositiveMoney("max_error_account_loss", max_error_account_loss); !s.ok()) {
    return s;
  }
  if (halt_error_account_loss < max_error_account_loss) {
    return Invalid("halt_error_account_loss", "must be at least max_error_account_loss",
                   halt_error_account_loss.ToString());
  }
  return absl::OkStatus();
}

}  // namespace combo::risk
