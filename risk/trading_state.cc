#include "risk/trading_state.h"

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::risk {

std::string_view ToString(TradingState state) {
  switch (state) {
    case TradingState::kActive:
      return "active";
    case TradingState::kReducing:
      return "reducing";
    case TradingState::kHalted:
      return "halted";
  }
  return "unknown";
}

std::string_view ToString(CommandSource source) {
  switch (source) {
    case CommandSource::kFixAdminSession:
      return "fix_admin_session";
    case CommandSource::kSignal:
      return "signal";
  }
  return "unknown";
}

std::string StateChangeCause::Describe() const {
  if (kind == Kind::kBreach) return absl::StrCat("breach: ", breach.Describe());
  return absl::StrCat("operator ", command.who, " via ", core::AsAbsl(ToString(command.source)),
                      ": ", command.why);
}

}  // namespace combo::risk
