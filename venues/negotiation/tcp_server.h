// TcpServer: serves the negotiation protocol on a TCP port, so an outside program can take part
// (seed 000 N8).
//
// Each connection is one service session; lines end with "\n" (a "\r" before it is allowed). A
// line longer than kMaxLineLength closes the connection (counted). The server runs on an
// io_context it is given and starts no thread: that io_context must run on the thread that owns
// the NegotiationService and its Scheduler (the daemon's core thread; a test's own thread).
// Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "venues/negotiation/service.h"

namespace combo::venues::negotiation {

class TcpServer {
 public:
  // Listens on `address` ("127.0.0.1", "0.0.0.0", "::1") and `port` (0: a free port, see
  // port()). Fails with a message naming the address and port if it cannot listen.
  static absl::StatusOr<std::unique_ptr<TcpServer>> Listen(boost::asio::io_context& io,
                                                           NegotiationService& service,
                                                           std::string_view address, uint16_t port);
  ~TcpServer();
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  uint16_t port() const { return port_; }
  size_t connections() const { return connections_.size(); }
  int64_t oversized_lines() const { return oversized_lines_; }
  // Stops accepting and closes every connection (their sessions close too).
  void Stop();

 private:
  class Connection;
  TcpServer(boost::asio::io_context& io, NegotiationService& service);
  void Accept();
  void Closed(uint64_t connection_id);

  NegotiationService& service_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  uint64_t next_connection_ = 1;
  std::map<uint64_t, std::shared_ptr<Connection>> connections_;
  int64_t oversized_lines_ = 0;
  bool stopped_ = false;
  // The pending accept handler holds a weak reference: it may run after the server is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace combo::venues::negotiation
