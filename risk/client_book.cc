#include "risk/client_book.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::risk {

bool ClientBook::IsDuplicate(const core::ClientId& client, const core::ClientOrderId& id) const {
  auto it = clients_.find(core::AsAbsl(client.value()));
  if (it == clients_.end()) return false;
  return it->second.ids.contains(core::AsAbsl(id.value()));
}

core::Money ClientBook::OpenNotional(const core::ClientId& client) const {
  auto it = clients_.find(core::AsAbsl(client.value()));
  return it == clients_.end() ? core::Money::Zero() : it->second.open_notional;
}

const core::ClientId* ClientBook::OrderClient(core::OrderId order) const {
  auto it = orders_.find(order);
  return it == orders_.end() ? nullptr : &it->second.client;
}

std::optional<core::Money> ClientBook::OrderOpenNotional(core::OrderId order) const {
  auto it = orders_.find(order);
  if (it == orders_.end()) return std::nullopt;
  return it->second.open_notional;
}

absl::Status ClientBook::CheckAmounts(core::Quantity units, core::Money notional) {
  if (!units.is_positive()) {
    return absl::InvalidArgumentError(
        absl::StrCat("open units must be positive, got ", units.value()));
  }
  if (notional.is_negative()) {
    return absl::InvalidArgumentError(
        absl::StrCat("notional must not be negative, got ", notional.ToString()));
  }
  return absl::OkStatus();
}

absl::Status ClientBook::Accept(core::OrderId order, const core::ClientId& client,
                                const core::ClientOrderId& client_order_id, core::Quantity units,
                                core::Money notional) {
  if (orders_.contains(order)) {
    return absl::AlreadyExistsError(absl::StrCat("order ", order.value(), " is already working"));
  }
  if (client.value().empty()) return absl::InvalidArgumentError("client must not be empty");
  if (client_order_id.value().empty()) {
    return absl::InvalidArgumentError("ClOrdID must not be empty");
  }
  if (absl::Status s = CheckAmounts(units, notional); !s.ok()) return s;
  ClientState& state = clients_[client.value()];
  Remember(state, client_order_id);
  state.open_notional += notional;
  orders_.emplace(order, OrderState{client, units, notional, units, notional});
  return absl::OkStatus();
}

absl::Status ClientBook::Replace(core::OrderId order, const core::ClientOrderId& client_order_id,
                                 core::Quantity open_units, core::Money open_notional) {
  auto it = orders_.find(order);
  if (it == orders_.end()) {
    return absl::NotFoundError(absl::StrCat("order ", order.value(), " is not working"));
  }
  if (client_order_id.value().empty()) {
    return absl::InvalidArgumentError("ClOrdID must not be empty");
  }
  if (absl::Status s = CheckAmounts(open_units, open_notional); !s.ok()) return s;
  OrderState& o = it->second;
  ClientState& state = clients_[o.client.value()];
  Remember(state, client_order_id);
  state.open_notional -= o.open_notional;
  state.open_notional += open_notional;
  o.base_units = o.open_units = open_units;
  o.base_notional = o.open_notional = open_notional;
  return absl::OkStatus();
}

absl::Status ClientBook::Fill(core::OrderId order, core::Quantity units) {
  auto it = orders_.find(order);
  if (it == orders_.end()) {
    return absl::NotFoundError(absl::StrCat("order ", order.value(), " is not working"));
  }
  OrderState& o = it->second;
  if (!units.is_positive() || units > o.open_units) {
    return absl::InvalidArgumentError(absl::StrCat("fill of ", units.value(), " units on order ",
                                                   order.value(), " with ", o.open_units.value(),
                                                   " open"));
  }
  o.open_units -= units;
  // base_notional x open / base, rounded up.
  const absl::int128 scaled = o.base_notional.raw() * o.open_units.value();
  const absl::int128 base = o.base_units.value();
  const core::Money open = core::Money::FromRaw((scaled + base - 1) / base);
  ClientState& state = clients_[o.client.value()];
  state.open_notional -= o.open_notional;
  state.open_notional += open;
  o.open_notional = open;
  return absl::OkStatus();
}

absl::Status ClientBook::Finish(core::OrderId order) {
  auto it = orders_.find(order);
  if (it == orders_.end()) {
    return absl::NotFoundError(absl::StrCat("order ", order.value(), " is not working"));
  }
  clients_[it->second.client.value()].open_notional -= it->second.open_notional;
  orders_.erase(it);
  return absl::OkStatus();
}

void ClientBook::StartTradingDay() {
  for (auto& [client, state] : clients_) {
    state.ids.clear();
    state.arrival.clear();
  }
}

size_t ClientBook::remembered_ids(const core::ClientId& client) const {
  auto it = clients_.find(core::AsAbsl(client.value()));
  return it == clients_.end() ? 0 : it->second.ids.size();
}

void ClientBook::Remember(ClientState& state, const core::ClientOrderId& id) {
  if (!state.ids.insert(id.value()).second) return;
  state.arrival.push_back(id.value());
  while (static_cast<int64_t>(state.arrival.size()) > max_remembered_ids_) {
    state.ids.erase(state.arrival.front());
    state.arrival.pop_front();
  }
}

}  // namespace combo::risk
