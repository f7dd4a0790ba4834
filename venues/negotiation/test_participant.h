// Test support (not part of the library): a participant driven by a test, speaking to the
// service through the real protocol, and a small instrument catalog. Not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/instrument_catalog.h"
#include "gtest/gtest.h"
#include "venues/negotiation/client.h"
#include "venues/negotiation/service.h"

namespace combo::venues::negotiation::testing {

// IBM (1), MSFT (2), SPY (3): stocks.
inline core::InstrumentCatalog MakeCatalog() {
  core::InstrumentCatalog catalog;
  uint32_t id = 1;
  for (const char* symbol : {"IBM", "MSFT", "SPY"}) {
    core::InstrumentDefinition d;
    d.id = core::InstrumentId(id++);
    d.symbol = symbol;
    d.underlying = symbol;
    EXPECT_TRUE(catalog.Add(*core::Instrument::Create(d)).ok());
  }
  return catalog;
}

inline core::Price P(int64_t units) { return core::Price::FromParts(units, 0); }

// Whether a TestParticipant registers its account, or is a second connection of one.
enum class Registration : uint8_t { kRegister, kAlreadyRegistered };

class TestParticipant : public SessionSink {
 public:
  TestParticipant(NegotiationService& service, std::string account,
                  Registration registration = Registration::kRegister)
      : service_(service),
        client_(core::AccountId(account), KeyPair::FromLabel(account), service.public_key()) {
    if (registration == Registration::kRegister) RegisterAccount(account);
    session_ = service.OpenSession(this);
  }
  ~TestParticipant() override { service_.CloseSession(session_); }

 private:
  void RegisterAccount(const std::string& account) {
    EXPECT_TRUE(
        service_
            .RegisterParticipant(core::AccountId(account), KeyPair::FromLabel(account).public_key())
            .ok());
  }

 public:
  void Deliver(std::string_view line) override { pending_.emplace_back(line); }

  // Logs in and absorbs the HANDLE (and any open offers).
  std::vector<Incoming> Login() {
    SendLine(*client_.Login());
    return Drain();
  }
  void Send(const Message& body, CoSign cosign = CoSign::kNo) {
    absl::StatusOr<std::string> line = client_.Compose(body, cosign);
    ASSERT_TRUE(line.ok()) << line.status();
    SendLine(*line);
  }
  void SendLine(std::string_view line) { service_.Receive(session_, line); }
  // The lines received since the last Drain, verified; a line that fails verification fails
  // the test.
  std::vector<Incoming> Drain() {
    std::vector<Incoming> out;
    for (const std::string& line : pending_) {
      raw_.push_back(line);
      absl::StatusOr<Incoming> incoming = client_.Receive(line);
      EXPECT_TRUE(incoming.ok()) << line << ": " << incoming.status();
      if (incoming.ok()) out.push_back(*std::move(incoming));
    }
    pending_.clear();
    return out;
  }
  // Drain, expecting exactly one message.
  Incoming One() {
    std::vector<Incoming> all = Drain();
    EXPECT_EQ(all.size(), 1u);
    return all.empty() ? Incoming{} : all.front();
  }

  NegotiationClient& client() { return client_; }
  const std::string& handle() const { return client_.handle(); }
  const core::AccountId& account() const { return client_.account(); }
  // Every line ever received, as sent.
  const std::vector<std::string>& raw_lines() const { return raw_; }

 private:
  NegotiationService& service_;
  NegotiationClient client_;
  SessionId session_;
  std::vector<std::string> pending_;
  std::vector<std::string> raw_;
};

}  // namespace combo::venues::negotiation::testing
