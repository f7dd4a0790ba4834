// AsioSocketAcceptor: the FIX sessions' sockets served on the core thread's Asio io_context.
//
// QuickFIX still runs every session (Logon, sequence numbers, the store, resends, heartbeats,
// dictionary validation); this class only moves bytes between TCP sockets and FIX::Session, as
// QuickFIX's own socket acceptors do, but with non-blocking Asio sockets on the thread that runs
// the router. An inbound order therefore reaches the gateway without waking another thread, and
// its acknowledgement is written to the socket from the same thread (docs/FIX.md "Sockets").
// It also binds the configured address, which QuickFIX 1.15's acceptors cannot.
//
// Threading: everything runs on the io_context's thread. Construct, Listen, Stop, Close and
// destroy it there; the Application's callbacks are called there too.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/steady_timer.hpp"
#include "core/time.h"
#include "fix/body_sender.h"
#include "fix/read_burst_listener.h"
#include "fix/session_store.h"
#include "quickfix/Acceptor.h"
#include "quickfix/Application.h"
#include "quickfix/Log.h"
#include "quickfix/MessageStore.h"
#include "quickfix/SessionSettings.h"

namespace combo::fix {

class AsioSocketAcceptor final : public FIX::Acceptor, public BodySender {
 public:
  // The sessions come from `settings` (as for QuickFIX's acceptors); `log` and `bursts` may be
  // null.
  AsioSocketAcceptor(FIX::Application& application, FIX::MessageStoreFactory& store,
                     const FIX::SessionSettings& settings, FIX::LogFactory* log,
                     boost::asio::io_context& io, ReadBurstListener* bursts = nullptr);
  // Closes every connection (no Logout).
  ~AsioSocketAcceptor() override;

  AsioSocketAcceptor(const AsioSocketAcceptor&) = delete;
  AsioSocketAcceptor& operator=(const AsioSocketAcceptor&) = delete;

  // Binds `address`:`port` and starts accepting.
  absl::Status Listen(const std::string& address, int port);
  // Stops accepting and asks every logged-on session to log out. Each connection closes when
  // its Logout exchange completes; those still open after `grace` are closed then.
  void Stop(core::Duration grace);
  // Stops accepting and closes every connection now, without a Logout.
  void Close();
  // True once nothing listens and no connection is open.
  bool idle() const { return !listening_ && connections_.empty(); }

  // BodySender: on the connection of `session`, when it is logged on and keeps its messages in
  // a SessionStore (the gateway's configuration). The header is QuickFIX's (BeginString,
  // BodyLength, MsgType, MsgSeqNum, SenderCompID, SendingTime at the session's precision,
  // TargetCompID), the message stored under its number and logged before it is written.
  bool SendBody(const FIX::SessionID& session, std::string_view msg_type,
                std::string_view body) override;

 private:
  class Connection;

  // FIX::Acceptor's hooks for its own start/poll/stop, which this class does not use: the
  // io_context drives the sockets.
  void onStart() override {}
  bool onPoll(double) override { return !idle(); }
  void onStop() override {}

  void Accept();
  // Session::next() on every connected session: heartbeats, test requests, logon and logout
  // timeouts (QuickFIX's acceptors do the same once a second).
  void ScheduleSessionTimer();
  // The open connections, copied: closing one (which a session may do) changes the set.
  std::vector<std::shared_ptr<Connection>> OpenConnections() const;
  // Drops `connection` from the open set; it is destroyed once its pending handlers ran.
  void Forget(Connection* connection);

  boost::asio::io_context& io_;
  ReadBurstListener* bursts_;
  // The sessions' stores when they are SessionStores (their writes are held during a read).
  SessionStoreFactory* stores_;
  boost::asio::ip::tcp::acceptor listener_;
  boost::asio::steady_timer session_timer_;
  boost::asio::steady_timer grace_timer_;
  bool listening_ = false;
  bool no_delay_ = true;
  int port_ = 0;
  // Ordered by connection number, so timers visit connections in a fixed order.
  std::map<uint64_t, std::shared_ptr<Connection>> connections_;
  uint64_t next_connection_ = 0;
  // Handlers still queued when the acceptor is destroyed (a cancelled accept or timer) see it
  // expired and touch nothing.
  std::shared_ptr<void> alive_ = std::make_shared<int>(0);
};

}  // namespace combo::fix
