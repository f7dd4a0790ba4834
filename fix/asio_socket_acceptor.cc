#include "fix/asio_socket_acceptor.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "boost/asio/ip/address.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/write.hpp"
#include "core/absl_compat.h"
#include "quickfix/FieldConvertors.h"
#include "quickfix/Parser.h"
#include "quickfix/Responder.h"
#include "quickfix/Session.h"

namespace combo::fix {
namespace {

using boost::asio::ip::tcp;

constexpr auto kSessionTimerPeriod = std::chrono::seconds(1);

// Sessions log nowhere when the acceptor is given no log factory.
class NoLogFactory final : public FIX::LogFactory {
 public:
  FIX::Log* create() override { return new FIX::NullLog(); }
  FIX::Log* create(const FIX::SessionID&) override { return new FIX::NullLog(); }
  void destroy(FIX::Log* log) override { delete log; }
};

FIX::LogFactory& LogsOrNone(FIX::LogFactory* log) {
  static NoLogFactory none;
  return log != nullptr ? *log : none;
}

}  // namespace

// One TCP connection: bytes in are split into FIX messages and given to the session the first
// one names (as QuickFIX's SocketConnection does); messages out are written at once, and what
// the socket does not take at once is queued behind an asynchronous write.
class AsioSocketAcceptor::Connection final : public FIX::Responder,
                                             public std::enable_shared_from_this<Connection> {
 public:
  Connection(AsioSocketAcceptor& owner, uint64_t number, tcp::socket socket)
      : owner_(owner), number_(number), socket_(std::move(socket)) {}

  uint64_t number() const { return number_; }
  FIX::Session* session() const { return session_; }

  void Start() { ReadSome(); }

  // FIX::Responder: the session sends. While a read's burst is handled the messages are
  // gathered and written together when it ends (one system call for the burst's reports).
  bool send(const std::string& message) override {
    if (closed_) return false;
    if (gathering_) {
      gathered_.append(message);
      return true;
    }
    return Write(message);
  }

  // BodySender::SendBody for this connection's session.
  bool SendBody(std::string_view msg_type, std::string_view body) {
    if (closed_ || session_ == nullptr || store_ == nullptr || !session_->isLoggedOn() ||
        !session_->getPersistMessages()) {
      return false;
    }
    const FIX::SessionID& id = session_->getSessionID();
    const int sequence = session_->getExpectedSenderNum();
    // Header fields in QuickFIX's order: 8, 9 and 35 first, then by tag.
    after_length_.clear();
    absl::StrAppend(
        &after_length_, "35=", core::AsAbsl(msg_type), "\x01", "34=", sequence, "\x01",
        "49=", id.getSenderCompID().getValue(), "\x01", "52=",
        FIX::UtcTimeStampConvertor::convert(FIX::UtcTimeStamp(), session_->getTimestampPrecision()),
        "\x01", "56=", id.getTargetCompID().getValue(), "\x01", core::AsAbsl(body));
    std::string message = absl::StrCat("8=", id.getBeginString().getValue(), "\x01",
                                       "9=", after_length_.size(), "\x01", after_length_);
    unsigned sum = 0;
    for (const char c : message) sum += static_cast<unsigned char>(c);
    absl::StrAppend(&message, "10=", FIX::CheckSumConvertor::convert(static_cast<int>(sum % 256)),
                    "\x01");
    try {
      store_->set(sequence, message);
      store_->incrNextSenderMsgSeqNum();
    } catch (const FIX::IOException& error) {
      session_->getLog()->onEvent(absl::StrCat("Session store not written: ", error.what()));
      return false;
    }
    session_->getLog()->onOutgoing(message);
    send(message);
    return true;
  }

  // FIX::Responder: the session drops the connection (it already knows), after what it sent
  // (a Logout) has been written.
  void disconnect() override {
    WriteGathered();
    CloseSocket();
  }

  // Closes the connection and tells its session (which calls the Application's onLogout).
  void Close() {
    if (closed_) return;
    FIX::Session* session = session_;
    CloseSocket();
    if (session != nullptr) session->disconnect();
  }

 private:
  void ReadSome() {
    socket_.async_read_some(
        boost::asio::buffer(buffer_),
        [self = shared_from_this()](const boost::system::error_code& error, size_t size) {
          self->OnRead(error, size);
        });
  }

  void OnRead(const boost::system::error_code& error, size_t size) {
    if (closed_) return;
    if (error) {
      if (session_ != nullptr && error != boost::asio::error::eof) {
        session_->getLog()->onEvent(absl::StrCat("Connection failed: ", error.message()));
      }
      Close();
      return;
    }
    unread_ = std::string_view(buffer_.data(), size);
    {
      // Everything this read brought is one burst: the router journals what it causes in one
      // commit and the reports leave together when it ends (and before the next read). The
      // session store's records of the burst are written together too: those of the messages
      // received before the journal commit, those of the reports before they leave.
      ReadBurstListener* bursts = owner_.bursts_;
      gathering_ = true;
      HoldStoreWrites();
      if (bursts != nullptr) bursts->OnBurstBegin();
      Deliver();
      const bool stored = WriteHeldStore();
      HoldStoreWrites();
      if (bursts != nullptr) bursts->OnBurstEnd();
      gathering_ = false;
      if (!stored || !WriteHeldStore()) {
        // Nothing leaves whose sequence number the store could not keep.
        gathered_.clear();
        Close();
        return;
      }
    }
    WriteGathered();
    if (!closed_) ReadSome();
  }

  void HoldStoreWrites() {
    if (store_ != nullptr) store_->HoldWrites();
  }

  // False when the store could not be written (logged on the session's log).
  bool WriteHeldStore() {
    if (store_ == nullptr) return true;
    try {
      store_->WriteHeld();
    } catch (const FIX::IOException& error) {
      if (session_ != nullptr) {
        session_->getLog()->onEvent(absl::StrCat("Session store not written: ", error.what()));
      }
      return false;
    }
    return true;
  }

  void WriteGathered() {
    if (gathered_.empty()) return;
    Write(gathered_);
    gathered_.clear();
  }

  // Writes at once what the socket takes; the rest is queued behind an asynchronous write.
  bool Write(std::string_view bytes) {
    if (closed_) return false;
    size_t written = 0;
    if (!writing_) {
      boost::system::error_code error;
      written = socket_.write_some(boost::asio::buffer(bytes.data(), bytes.size()), error);
      if (error == boost::asio::error::would_block || error == boost::asio::error::try_again) {
        written = 0;
      } else if (error) {
        // Not from inside the session's own call: the close tells the session.
        boost::asio::post(owner_.io_, [self = shared_from_this()] { self->Close(); });
        return false;
      }
      if (written == bytes.size()) return true;
    }
    queued_.append(bytes.substr(written));
    if (!writing_) WriteQueued();
    return true;
  }

  // Every complete message received so far, in order.
  void Deliver() {
    std::string message;
    for (;;) {
      message.clear();
      bool unparsable = false;
      try {
        if (!parser_.readFixMessage(message)) {
          if (unread_.empty()) return;
          FeedParser();
          continue;
        }
      } catch (const FIX::MessageParseError&) {
        unparsable = true;
      }
      if (unparsable) {
        // Bytes that are not a FIX message: dropped while logged on (the session goes on),
        // the connection closed before.
        if (session_ == nullptr || !session_->isLoggedOn()) {
          Close();
          return;
        }
        continue;
      }
      if (session_ == nullptr) {
        if (!Identify(message)) {
          Close();
          return;
        }
        if (closed_) return;
        continue;
      }
      try {
        session_->next(message, FIX::UtcTimeStamp());
      } catch (const FIX::InvalidMessage&) {
        if (session_ != nullptr && !session_->isLoggedOn()) {
          Close();
          return;
        }
      }
      if (closed_) return;
    }
  }

  // Gives the parser the next slice of the read. QuickFIX's parser erases each message it
  // returns from the front of its buffer, moving everything behind it: fed a whole pipelined
  // read (up to 64 KiB) at once, it moved tens of kilobytes per message.
  void FeedParser() {
    const size_t slice = std::min(unread_.size(), kParserSlice);
    parser_.addToStream(unread_.data(), slice);
    unread_.remove_prefix(slice);
  }

  // The first message: a Logon for one of the acceptor's sessions that no other connection
  // holds. Anything else closes the connection without an answer, as QuickFIX does.
  bool Identify(const std::string& message) {
    FIX::Session* named = FIX::Session::lookupSession(message, /*reverse=*/true);
    if (named == nullptr || FIX::Session::isSessionRegistered(named->getSessionID()) ||
        !owner_.has(named->getSessionID())) {
      owner_.getLog()->onEvent("Session not found for incoming message: " + message);
      owner_.getLog()->onIncoming(message);
      return false;
    }
    session_ = owner_.getSession(message, *this);
    if (session_ == nullptr) return false;
    if (owner_.stores_ != nullptr) store_ = owner_.stores_->Find(session_->getSessionID());
    FIX::Session::registerSession(session_->getSessionID());
    registered_ = true;
    try {
      session_->next(message, FIX::UtcTimeStamp());
    } catch (const FIX::InvalidMessage&) {
      return false;
    }
    return true;
  }

  void WriteQueued() {
    writing_ = true;
    in_flight_.swap(queued_);
    queued_.clear();
    boost::asio::async_write(
        socket_, boost::asio::buffer(in_flight_),
        [self = shared_from_this()](const boost::system::error_code& error, size_t) {
          if (self->closed_) return;
          self->in_flight_.clear();
          if (error) {
            self->Close();
            return;
          }
          if (self->queued_.empty()) {
            self->writing_ = false;
          } else {
            self->WriteQueued();
          }
        });
  }

  void CloseSocket() {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    if (registered_) FIX::Session::unregisterSession(session_->getSessionID());
    registered_ = false;
    // The session outlives the connection: what its store holds is its state all the same.
    (void)WriteHeldStore();
    store_ = nullptr;
    session_ = nullptr;
    owner_.Forget(this);
  }

  AsioSocketAcceptor& owner_;
  const uint64_t number_;
  tcp::socket socket_;
  // Pipelined orders arrive faster than they are handled: a large read makes a large burst
  // (one journal commit and one write of the reports for all of it).
  std::array<char, 65536> buffer_{};
  // The part of the last read not yet given to the parser, and the most it is given at once (a
  // few messages).
  static constexpr size_t kParserSlice = 1024;
  std::string_view unread_;
  FIX::Parser parser_;
  FIX::Session* session_ = nullptr;
  // The session's store, when it is a SessionStore.
  SessionStore* store_ = nullptr;
  bool registered_ = false;
  bool closed_ = false;
  // Bytes an asynchronous write is sending, and bytes queued behind it.
  bool writing_ = false;
  std::string in_flight_;
  std::string queued_;
  // While a read's burst is handled: the messages sent, written when it ends.
  bool gathering_ = false;
  std::string gathered_;
  // SendBody's header after BodyLength, reused.
  std::string after_length_;
};

AsioSocketAcceptor::AsioSocketAcceptor(FIX::Application& application,
                                       FIX::MessageStoreFactory& store,
                                       const FIX::SessionSettings& settings, FIX::LogFactory* log,
                                       boost::asio::io_context& io, ReadBurstListener* bursts)
    : FIX::Acceptor(application, store, settings, LogsOrNone(log)),
      io_(io),
      bursts_(bursts),
      stores_(dynamic_cast<SessionStoreFactory*>(&store)),
      listener_(io),
      session_timer_(io),
      grace_timer_(io) {
  const FIX::Dictionary& defaults = settings.get();
  if (defaults.has(FIX::SOCKET_NODELAY)) no_delay_ = defaults.getBool(FIX::SOCKET_NODELAY);
}

AsioSocketAcceptor::~AsioSocketAcceptor() { Close(); }

absl::Status AsioSocketAcceptor::Listen(const std::string& address, int port) {
  if (listening_) return absl::FailedPreconditionError("the FIX acceptor already listens");
  boost::system::error_code error;
  const boost::asio::ip::address ip = boost::asio::ip::make_address(address, error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("FIX listen address \"", address, "\" is not an IP address"));
  }
  const tcp::endpoint endpoint(ip, static_cast<uint16_t>(port));
  auto fail = [&](const char* step) {
    boost::system::error_code ignored;
    listener_.close(ignored);
    return absl::UnavailableError(
        absl::StrCat("FIX acceptor on ", address, ":", port, ": ", step, ": ", error.message()));
  };
  if (listener_.open(endpoint.protocol(), error)) return fail("open");
  if (listener_.set_option(tcp::acceptor::reuse_address(true), error)) return fail("option");
  if (listener_.bind(endpoint, error)) return fail("bind");
  if (listener_.listen(boost::asio::socket_base::max_listen_connections, error)) {
    return fail("listen");
  }
  port_ = listener_.local_endpoint(error).port();
  listening_ = true;
  Accept();
  ScheduleSessionTimer();
  return absl::OkStatus();
}

void AsioSocketAcceptor::Accept() {
  listener_.async_accept([this, alive = std::weak_ptr<void>(alive_)](
                             const boost::system::error_code& error, tcp::socket socket) {
    if (alive.expired() || !listening_) return;
    if (!error) {
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(no_delay_), ignored);
      socket.non_blocking(true, ignored);
      const tcp::endpoint peer = socket.remote_endpoint(ignored);
      getLog()->onEvent(absl::StrCat("Accepted connection from ", peer.address().to_string(), ":",
                                     peer.port(), " on port ", port_));
      const uint64_t number = next_connection_++;
      auto connection = std::make_shared<Connection>(*this, number, std::move(socket));
      connections_.emplace(number, connection);
      connection->Start();
    }
    Accept();
  });
}

bool AsioSocketAcceptor::SendBody(const FIX::SessionID& session, std::string_view msg_type,
                                  std::string_view body) {
  for (const auto& [number, connection] : connections_) {
    if (FIX::Session* on = connection->session(); on != nullptr && on->getSessionID() == session) {
      return connection->SendBody(msg_type, body);
    }
  }
  return false;
}

void AsioSocketAcceptor::ScheduleSessionTimer() {
  session_timer_.expires_after(kSessionTimerPeriod);
  session_timer_.async_wait(
      [this, alive = std::weak_ptr<void>(alive_)](const boost::system::error_code& error) {
        if (alive.expired() || error || idle()) return;
        for (const auto& connection : OpenConnections()) {
          if (FIX::Session* session = connection->session(); session != nullptr) session->next();
        }
        ScheduleSessionTimer();
      });
}

void AsioSocketAcceptor::Stop(core::Duration grace) {
  if (listening_) {
    listening_ = false;
    boost::system::error_code ignored;
    listener_.close(ignored);
  }
  for (const auto& connection : OpenConnections()) {
    FIX::Session* session = connection->session();
    if (session == nullptr || !session->isLoggedOn()) {
      connection->Close();
      continue;
    }
    session->logout("the gateway is shutting down");
    session->next();  // sends the Logout now
  }
  if (connections_.empty()) {
    session_timer_.cancel();
    return;
  }
  grace_timer_.expires_after(std::chrono::nanoseconds(grace.nanoseconds()));
  grace_timer_.async_wait(
      [this, alive = std::weak_ptr<void>(alive_)](const boost::system::error_code& error) {
        if (!alive.expired() && !error) Close();
      });
}

void AsioSocketAcceptor::Close() {
  listening_ = false;
  boost::system::error_code ignored;
  listener_.close(ignored);
  session_timer_.cancel();
  grace_timer_.cancel();
  for (const auto& connection : OpenConnections()) connection->Close();
}

std::vector<std::shared_ptr<AsioSocketAcceptor::Connection>> AsioSocketAcceptor::OpenConnections()
    const {
  std::vector<std::shared_ptr<Connection>> open;
  for (const auto& [number, connection] : connections_) open.push_back(connection);
  return open;
}

void AsioSocketAcceptor::Forget(Connection* connection) {
  auto it = connections_.find(connection->number());
  if (it == connections_.end()) return;
  // Destroyed later, never inside its own call.
  boost::asio::post(io_, [doomed = std::move(it->second)] {});
  connections_.erase(it);
  if (idle()) {
    session_timer_.cancel();
    grace_timer_.cancel();
  }
}

}  // namespace combo::fix
