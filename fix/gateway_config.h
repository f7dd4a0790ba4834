// GatewayConfig: how the FIX acceptor listens, whom it lets in, and where it keeps sequence
// numbers. Filled by config/ (or a test); the acceptor turns it into QuickFIX SessionSettings.
// A plain value type; safe to share once built.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "router/shard_ownership.h"

namespace combo::fix {

// One allowed counterparty. A Logon from a CompID pair not listed here is refused.
struct SessionConfig {
  // The gateway's CompID (the counterparty's TargetCompID).
  std::string gateway_comp_id = "COMBO";
  // The counterparty's CompID (its SenderCompID); also the router's ClientId.
  std::string client_comp_id;
  // When set, Logon must carry Username(553) and Password(554) equal to these.
  std::optional<std::string> username;
  std::optional<std::string> password;
  // Account(1) for orders that carry none; the client CompID when empty.
  std::string default_account;
  // When set, the client's working orders are cancelled when its session logs out or drops
  // (not when the gateway itself stops); the reports reach it on its next Logon (resend).
  bool cancel_on_disconnect = false;
};

struct TlsConfig {
  // PEM files.
  std::string certificate_file;
  std::string private_key_file;
  // When set, clients must present a certificate signed by one of these authorities.
  std::optional<std::string> ca_file;
};

// Which thread serves the FIX sockets (docs/FIX.md "Sockets").
enum class SocketThreads {
  // QuickFIX's threaded acceptor: a thread per connection reads, parses and validates, then
  // hands each application message to the core thread. Needed for TLS.
  kSessionThreads,
  // The core thread's io_context serves the sockets (AsioSocketAcceptor): no hand-off between
  // threads on an order's path, and the listen address is honoured. Plain TCP only.
  kCoreThread,
};

struct GatewayConfig {
  // The address listened on. Session threads (QuickFIX 1.15) always listen on every interface.
  std::string listen_address = "0.0.0.0";
  int port = 9878;
  SocketThreads socket_threads = SocketThreads::kSessionThreads;
  // fix/spec/FIX44-combo.xml.
  std::string data_dictionary;
  // QuickFIX file store (sequence numbers and sent messages for resends).
  std::string store_directory;
  // QuickFIX message and event logs; none when empty.
  std::string log_directory;
  std::vector<SessionConfig> sessions;
  std::optional<TlsConfig> tls;
  // Most legs a combo may have.
  size_t max_legs = 8;
  // A sharded set's map: combos with a leg of another shard's product group are refused naming
  // the shards (docs/FIX.md "Sharded sets"). Absent: unsharded.
  std::optional<router::ShardOwnership> sharding;
};

// Fails naming the problem: no session, a duplicate or empty CompID, a port out of range,
// a missing dictionary or store directory, a username without a password.
absl::Status Validate(const GatewayConfig& config);

}  // namespace combo::fix
