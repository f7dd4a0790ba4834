#include "fix/gateway_config.h"

#include <set>

#include "absl/strings/str_cat.h"

namespace combo::fix {

absl::Status Validate(const GatewayConfig& config) {
  if (config.port < 1 || config.port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("port ", config.port, " is not in 1..65535"));
  }
  if (config.data_dictionary.empty()) {
    return absl::InvalidArgumentError(
        "data_dictionary: the path of fix/spec/FIX44-combo.xml is required");
  }
  if (config.store_directory.empty()) {
    return absl::InvalidArgumentError(
        "store_directory is required (sequence numbers survive restarts)");
  }
  if (config.sessions.empty()) {
    return absl::InvalidArgumentError("no session: list at least one allowed counterparty");
  }
  if (config.max_legs < 2) {
    return absl::InvalidArgumentError(absl::StrCat("max_legs ", config.max_legs, " is below 2"));
  }
  std::set<std::string> clients;
  for (const SessionConfig& session : config.sessions) {
    if (session.gateway_comp_id.empty() || session.client_comp_id.empty()) {
      return absl::InvalidArgumentError("a session needs both gateway_comp_id and client_comp_id");
    }
    if (!clients.insert(session.client_comp_id).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("client CompID \"", session.client_comp_id, "\" is listed twice"));
    }
    if (session.username.has_value() != session.password.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "session \"", session.client_comp_id, "\": give both username and password, or neither"));
    }
  }
  if (config.tls.has_value() &&
      (config.tls->certificate_file.empty() || config.tls->private_key_file.empty())) {
    return absl::InvalidArgumentError("tls needs certificate_file and private_key_file");
  }
  if (config.tls.has_value() && config.socket_threads == SocketThreads::kCoreThread) {
    return absl::InvalidArgumentError(
        "tls needs the session threads' sockets: the core thread's sockets are plain TCP");
  }
  return absl::OkStatus();
}

}  // namespace combo::fix
