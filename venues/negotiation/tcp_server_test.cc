// End to end over real sockets: two outside clients negotiate through the TCP server. The
// sockets run on an io_context polled by the test thread; protocol time is SimulatedTime,
// advanced explicitly.
#include "venues/negotiation/tcp_server.h"

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "boost/asio/buffer.hpp"
#include "boost/asio/connect.hpp"
#include "boost/asio/read_until.hpp"
#include "boost/asio/write.hpp"
#include "core/simulated_time.h"
#include "gtest/gtest.h"
#include "venues/negotiation/test_participant.h"

namespace combo::venues::negotiation {
namespace {

using boost::asio::ip::tcp;
using core::AccountId;
using core::Duration;
using core::Quantity;
using core::Side;
using testing::P;

// Polls `io` until `done` holds or a generous bound of handler runs passes.
template <typename Done>
bool PollUntil(boost::asio::io_context& io, Done done) {
  for (int i = 0; i < 2000 && !done(); ++i) io.run_one_for(std::chrono::milliseconds(20));
  return done();
}

// An outside program: a plain socket speaking the protocol through a NegotiationClient.
class SocketClient {
 public:
  SocketClient(boost::asio::io_context& io, const std::string& account, const PublicKey& service)
      : io_(io), socket_(io), client_(AccountId(account), KeyPair::FromLabel(account), service) {}

  void Connect(uint16_t port) {
    boost::system::error_code error;
    socket_.connect(tcp::endpoint(boost::asio::ip::address_v4::loopback(), port), error);
    ASSERT_FALSE(error) << error.message();
    Read();
  }
  void SendLine(const std::string& line) {
    boost::system::error_code error;
    boost::asio::write(socket_, boost::asio::buffer(line + "\n"), error);
    ASSERT_FALSE(error) << error.message();
  }
  void Send(const Message& body) {
    absl::StatusOr<std::string> line = client_.Compose(body);
    ASSERT_TRUE(line.ok()) << line.status();
    SendLine(*line);
  }
  void LogIn() {
    SendLine(*client_.Login());
    Await(1);
    ASSERT_FALSE(client_.handle().empty());
  }
  // Waits for exactly `count` more verified messages.
  std::vector<Incoming> Await(size_t count) {
    EXPECT_TRUE(PollUntil(io_, [&] { return lines_.size() >= count; }))
        << client_.account() << " received " << lines_.size() << " of " << count << " lines";
    std::vector<Incoming> out;
    while (!lines_.empty() && out.size() < count) {
      absl::StatusOr<Incoming> incoming = client_.Receive(lines_.front());
      EXPECT_TRUE(incoming.ok()) << lines_.front() << ": " << incoming.status();
      if (incoming.ok()) out.push_back(*std::move(incoming));
      lines_.pop_front();
    }
    return out;
  }
  Incoming AwaitOne() {
    std::vector<Incoming> one = Await(1);
    return one.empty() ? Incoming{} : one.front();
  }
  bool closed() const { return closed_; }
  size_t unread() const { return lines_.size(); }
  NegotiationClient& client() { return client_; }
  const std::string& handle() const { return client_.handle(); }

 private:
  void Read() {
    boost::asio::async_read_until(socket_, boost::asio::dynamic_buffer(buffer_), '\n',
                                  [this](const boost::system::error_code& error, size_t length) {
                                    if (error) {
                                      closed_ = true;
                                      return;
                                    }
                                    lines_.push_back(buffer_.substr(0, length - 1));
                                    buffer_.erase(0, length);
                                    Read();
                                  });
  }

  boost::asio::io_context& io_;
  tcp::socket socket_;
  NegotiationClient client_;
  std::string buffer_;
  std::deque<std::string> lines_;
  bool closed_ = false;
};

class NegotiationTcpTest : public ::testing::Test {
 protected:
  NegotiationTcpTest()
      : catalog_(testing::MakeCatalog()),
        service_(time_, catalog_, KeyPair::FromLabel("SERVICE"), ServiceConfig()) {
    for (const char* account : {"BIGJOE", "BIGJOSH"}) {
      EXPECT_TRUE(
          service_.RegisterParticipant(AccountId(account), KeyPair::FromLabel(account).public_key())
              .ok());
    }
    absl::StatusOr<std::unique_ptr<TcpServer>> server =
        TcpServer::Listen(io_, service_, "127.0.0.1", 0);
    EXPECT_TRUE(server.ok()) << server.status();
    if (server.ok()) server_ = *std::move(server);
  }

  core::SimulatedTime time_;
  core::InstrumentCatalog catalog_;
  NegotiationService service_;
  boost::asio::io_context io_;
  std::unique_ptr<TcpServer> server_;
};

TEST_F(NegotiationTcpTest, TwoSocketClientsTradeGetTooLateWithdrawAndBadSignaturesAreIgnored) {
  ASSERT_NE(server_, nullptr);
  ASSERT_NE(server_->port(), 0);
  SocketClient joe(io_, "BIGJOE", service_.public_key());
  SocketClient josh(io_, "BIGJOSH", service_.public_key());
  joe.Connect(server_->port());
  josh.Connect(server_->port());
  joe.LogIn();
  josh.LogIn();
  ASSERT_TRUE(PollUntil(io_, [&] { return server_->connections() == 2; }));

  // 1. A trade: the seed's negotiation, over the wire.
  joe.Send(Message::Offer("17", Side::kSell, Quantity(1000), "IBM", P(41), 45));
  EXPECT_EQ(joe.AwaitOne().message.type, MessageType::kOffer);
  Incoming heard = josh.AwaitOne();
  EXPECT_EQ(heard.message.id, "17");
  EXPECT_EQ(heard.origin, joe.handle());
  josh.Send(Message::Accept("17", Side::kBuy, Quantity(1000), "IBM", P(41)));
  EXPECT_EQ(josh.AwaitOne().message, Message::Accepted("17"));
  EXPECT_EQ(joe.AwaitOne().message.type, MessageType::kAccept);
  joe.Send(Message::TradeRequest("17", Side::kSell, Quantity(1000), "IBM", P(41), josh.handle()));
  josh.Send(Message::TradeRequest("17", Side::kBuy, Quantity(1000), "IBM", P(41), joe.handle()));
  Incoming sold = joe.AwaitOne();
  Incoming bought = josh.AwaitOne();
  EXPECT_EQ(sold.message.type, MessageType::kTradeConfirmed);
  EXPECT_EQ(sold.message.side, Side::kSell);
  EXPECT_EQ(bought.message.side, Side::kBuy);
  EXPECT_EQ(sold.message.ticket, bought.message.ticket);
  ASSERT_EQ(service_.trades().size(), 1u);
  EXPECT_EQ(service_.trades()[0].seller, AccountId("BIGJOE"));
  EXPECT_EQ(service_.trades()[0].buyer, AccountId("BIGJOSH"));

  // 2. A withdrawal, announced to both.
  joe.Send(Message::Offer("18", Side::kBuy, Quantity(200), "MSFT", P(300), 60));
  joe.AwaitOne();
  josh.AwaitOne();
  time_.AdvanceBy(Duration::Seconds(10));
  joe.Send(Message::Withdraw("18"));
  EXPECT_EQ(joe.AwaitOne().message, Message::Withdrawn("18"));
  EXPECT_EQ(josh.AwaitOne().message, Message::Withdrawn("18"));

  // 3. TOO LATE: accepting the withdrawn offer.
  josh.Send(Message::Accept("18", Side::kSell, Quantity(200), "MSFT", P(300)));
  EXPECT_EQ(josh.AwaitOne().message, Message::TooLate("18"));

  // 4. A bad signature: an altered line and an unsigned one are ignored (no answer, no offer),
  // and counted. The next genuine line is answered as if they had never come.
  std::string line =
      *josh.client().Compose(Message::Offer("19", Side::kSell, Quantity(5), "IBM", P(41), 30));
  line.replace(line.find("SELL 5 "), 7, "SELL 6 ");
  josh.SendLine(line);
  josh.SendLine("OFFER #20 - I WANT TO SELL 5 IBM 41 TIMEOUT 30 ;FROM " + josh.handle() +
                " ;SEQ 999");
  josh.Send(Message::Withdraw("19"));
  EXPECT_EQ(josh.AwaitOne().message.code, "UNKNOWN_OFFER");
  EXPECT_EQ(service_.counters().bad_signatures, 1);
  EXPECT_EQ(service_.counters().unsigned_lines, 1);
  EXPECT_TRUE(service_.OpenOfferIds().empty());
  EXPECT_EQ(joe.unread(), 0u);
  EXPECT_EQ(service_.trades().size(), 1u);
}

TEST_F(NegotiationTcpTest, OversizedLineClosesTheConnection) {
  ASSERT_NE(server_, nullptr);
  SocketClient joe(io_, "BIGJOE", service_.public_key());
  joe.Connect(server_->port());
  joe.LogIn();
  joe.SendLine(std::string(3 * kMaxLineLength, 'X'));
  EXPECT_TRUE(PollUntil(io_, [&] { return joe.closed(); }));
  EXPECT_EQ(server_->oversized_lines(), 1);
  EXPECT_EQ(server_->connections(), 0u);
}

TEST_F(NegotiationTcpTest, ListeningOnABadAddressFailsNamingIt) {
  absl::StatusOr<std::unique_ptr<TcpServer>> server =
      TcpServer::Listen(io_, service_, "not-an-address", 0);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find("not-an-address"), absl::string_view::npos);
  // The port is taken by the fixture's server.
  server = TcpServer::Listen(io_, service_, "127.0.0.1", server_->port());
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace combo::venues::negotiation
