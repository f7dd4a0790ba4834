#include "venues/negotiation/tcp_server.h"

#include <deque>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/asio/buffer.hpp"
#include "boost/asio/read_until.hpp"
#include "boost/asio/write.hpp"
#include "core/absl_compat.h"

namespace combo::venues::negotiation {

using boost::asio::ip::tcp;

// One client connection: reads lines into the service, writes the service's lines back in order.
class TcpServer::Connection final : public SessionSink,
                                    public std::enable_shared_from_this<Connection> {
 public:
  Connection(TcpServer& server, uint64_t id, tcp::socket socket)
      : server_(server), id_(id), socket_(std::move(socket)) {}

  void Start() {
    session_ = server_.service_.OpenSession(this);
    Read();
  }

  void Deliver(std::string_view line) override {
    if (closed_) return;
    outbox_.push_back(absl::StrCat(core::AsAbsl(line), "\n"));
    if (outbox_.size() == 1) Write();
  }

  // Closes the socket and the session; safe to call more than once.
  void Close() {
    if (closed_) return;
    closed_ = true;
    server_.service_.CloseSession(session_);
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

 private:
  void Read() {
    boost::asio::async_read_until(
        socket_, boost::asio::dynamic_buffer(input_, kMaxLineLength + 2), '\n',
        [self = shared_from_this()](const boost::system::error_code& error, size_t length) {
          self->OnRead(error, length);
        });
  }

  void OnRead(const boost::system::error_code& error, size_t length) {
    if (closed_) return;
    if (error) {
      if (error == boost::asio::error::not_found) ++server_.oversized_lines_;
      Finish();
      return;
    }
    const std::string line = input_.substr(0, length);
    input_.erase(0, length);
    server_.service_.Receive(session_, line);
    if (!closed_) Read();
  }

  void Write() {
    boost::asio::async_write(
        socket_, boost::asio::buffer(outbox_.front()),
        [self = shared_from_this()](const boost::system::error_code& error, size_t) {
          if (self->closed_) return;
          if (error) {
            self->Finish();
            return;
          }
          self->outbox_.pop_front();
          if (!self->outbox_.empty()) self->Write();
        });
  }

  void Finish() {
    Close();
    server_.Closed(id_);
  }

  TcpServer& server_;
  uint64_t id_;
  tcp::socket socket_;
  SessionId session_;
  std::string input_;
  std::deque<std::string> outbox_;
  bool closed_ = false;
};

TcpServer::TcpServer(boost::asio::io_context& io, NegotiationService& service)
    : service_(service), acceptor_(io) {}

TcpServer::~TcpServer() { Stop(); }

absl::StatusOr<std::unique_ptr<TcpServer>> TcpServer::Listen(boost::asio::io_context& io,
                                                             NegotiationService& service,
                                                             std::string_view address,
                                                             uint16_t port) {
  std::unique_ptr<TcpServer> server(new TcpServer(io, service));
  boost::system::error_code error;
  const boost::asio::ip::address ip = boost::asio::ip::make_address(std::string(address), error);
  if (error) {
    return absl::InvalidArgumentError(absl::StrCat("negotiation server address \"",
                                                   core::AsAbsl(address), "\": ", error.message()));
  }
  const tcp::endpoint endpoint(ip, port);
  auto fail = [&](const char* step) {
    return absl::UnavailableError(absl::StrCat("negotiation server cannot ", step, " ",
                                               core::AsAbsl(address), ":", port, ": ",
                                               error.message()));
  };
  server->acceptor_.open(endpoint.protocol(), error);
  if (error) return fail("open");
  server->acceptor_.set_option(tcp::acceptor::reuse_address(true), error);
  if (error) return fail("configure");
  server->acceptor_.bind(endpoint, error);
  if (error) return fail("bind");
  server->acceptor_.listen(boost::asio::socket_base::max_listen_connections, error);
  if (error) return fail("listen on");
  server->port_ = server->acceptor_.local_endpoint(error).port();
  if (error) return fail("read the port of");
  server->Accept();
  return server;
}

void TcpServer::Accept() {
  std::weak_ptr<bool> alive = alive_;
  acceptor_.async_accept([this, alive](const boost::system::error_code& error, tcp::socket socket) {
    if (!alive.lock() || stopped_) return;
    if (!error) {
      const uint64_t id = next_connection_++;
      auto connection = std::make_shared<Connection>(*this, id, std::move(socket));
      connections_.emplace(id, connection);
      connection->Start();
    }
    if (error != boost::asio::error::operation_aborted) Accept();
  });
}

void TcpServer::Closed(uint64_t connection_id) { connections_.erase(connection_id); }

void TcpServer::Stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  // Closing cancels the connections' pending operations; their handlers see closed_ and stop.
  std::map<uint64_t, std::shared_ptr<Connection>> connections = std::move(connections_);
  connections_.clear();
  for (auto& [id, connection] : connections) connection->Close();
}

}  // namespace combo::venues::negotiation
