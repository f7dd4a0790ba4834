#include "router/combo_order_state.h"

namespace combo::router {

std::string_view ToString(ComboOrderState state) {
  switch (state) {
    case ComboOrderState::kReceived:
      return "received";
    case ComboOrderState::kValidated:
      return "validated";
    case ComboOrderState::kPriced:
      return "priced";
    case ComboOrderState::kRestingNative:
      return "resting_native";
    case ComboOrderState::kWorking:
      return "working";
    case ComboOrderState::kLeggingIn:
      return "legging_in";
    case ComboOrderState::kPartiallyFilled:
      return "partially_filled";
    case ComboOrderState::kFilled:
      return "filled";
    case ComboOrderState::kCancelled:
      return "cancelled";
    case ComboOrderState::kRejected:
      return "rejected";
  }
  return "unknown";
}

}  // namespace combo::router
