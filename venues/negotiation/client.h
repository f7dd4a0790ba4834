// NegotiationClient: one participant's side of the text protocol, without any transport.
//
// It composes and signs the participant's lines (optionally co-signed by its clearing firm),
// checks the service's signature and sequence on every line it receives, follows its own handle
// as the service rotates it, and keeps the local store of offers it has heard (seed 000 N1),
// which it can show as a quote-like view. The simulated participants, the router's venue adapter
// and the TCP tests all speak through it. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ids.h"
#include "venues/negotiation/protocol.h"
#include "venues/negotiation/signing.h"

namespace combo::venues::negotiation {

// Whether a line carries the clearing firm's co-signature as well.
enum class CoSign : uint8_t { kNo, kYes };

// An offer in the local store: its terms and the owner's handle at the time.
struct HeardOffer {
  Message offer;
  std::string owner_handle;
};

// A verified line from the service.
struct Incoming {
  Message message;
  // The participant the service speaks for (OFFER, ACCEPT, ACCEPTED), else empty.
  std::string origin;
};

class NegotiationClient {
 public:
  NegotiationClient(core::AccountId account, KeyPair key, PublicKey service_key);

  // The firm that co-signs lines composed with CoSign::kYes.
  void SetClearingFirm(std::string firm, KeyPair firm_key);

  // The sequence number the next line will carry. The service refuses a line whose number is
  // not above the last it accepted from the account, so a client that restarts without its
  // counter continues from a larger one (for instance the time in microseconds).
  void SetNextSeq(uint64_t seq) { next_seq_ = seq; }
  uint64_t next_seq() const { return next_seq_; }

  // The signed LOGIN line.
  absl::StatusOr<std::string> Login();
  // A signed line from this participant's current handle. Fails before the first HANDLE, or if
  // the message cannot be written, or on CoSign::kYes without a clearing firm.
  absl::StatusOr<std::string> Compose(const Message& body, CoSign cosign = CoSign::kNo);

  // Checks and absorbs one line from the service. Fails (and counts) on a line that does not
  // parse, is not from the service, is not signed by it, or repeats an old sequence number.
  absl::StatusOr<Incoming> Receive(std::string_view line);

  const core::AccountId& account() const { return account_; }
  // Empty until the service sent the first HANDLE.
  const std::string& handle() const { return handle_; }
  // Every handle this participant has had, oldest first.
  const std::vector<std::string>& past_handles() const { return past_handles_; }
  bool IsOwnHandle(std::string_view handle) const;
  // Offers heard and still open as far as this participant knows, by id.
  const std::map<std::string, HeardOffer>& offers() const { return offers_; }
  int64_t rejected_lines() const { return rejected_lines_; }

 private:
  absl::StatusOr<std::string> Sign(Envelope envelope, CoSign cosign);

  core::AccountId account_;
  KeyPair key_;
  PublicKey service_key_;
  std::optional<std::pair<std::string, KeyPair>> clearing_firm_;
  std::string handle_;
  std::vector<std::string> past_handles_;
  uint64_t next_seq_ = 1;
  uint64_t last_service_seq_ = 0;
  std::map<std::string, HeardOffer> offers_;
  int64_t rejected_lines_ = 0;
};

}  // namespace combo::venues::negotiation
