// The negotiation venue's text protocol (seed 000, docs/NEGOTIATION_PROTOCOL.md): the one module
// that parses and generates its lines.
//
// A line is a message body ("OFFER #A1 - I WANT TO SELL 1000 IBM 41 TIMEOUT 45") followed by an
// envelope (" ;FROM P3K9QXWD ;SEQ 12 ;SIG <hex>"). The grammar is strict and every value has one
// written form, so FormatLine(ParseLine(line)) == line for every accepted line and a signature
// covers exactly one meaning. Parsing checks syntax only; whether an instrument exists or an
// offer is known is the service's business. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/price.h"
#include "core/quantity.h"
#include "core/side.h"

namespace combo::venues::negotiation {

enum class MessageType : uint8_t {
  kLogin,           // participant -> service: LOGIN <account>
  kHandle,          // service -> participant: HANDLE <handle> (new pseudonym)
  kOffer,           // both ways: OFFER #id - I WANT TO SELL 1000 IBM 41 TIMEOUT 45
  kWithdraw,        // participant -> service: WITHDRAW #id
  kWithdrawn,       // service -> all: WITHDRAWN #id
  kExpired,         // service -> all: EXPIRED #id
  kAccept,          // both ways: ACCEPT #id - I WANT TO BUY 1000 IBM 41
  kAccepted,        // service -> winner: ACCEPTED #id - DONE - I WILL FORWARD TO BROKER ...
  kTooLate,         // service -> acceptor: TOO LATE #id
  kTradeRequest,    // participant -> service: TRADE REQUEST #id - I SELL 1000 IBM 41 TO H
  kTradeConfirmed,  // service -> party: TRADE CONFIRMED #id - YOU SOLD 1000 IBM 41 TO H TICKET T
  kTradeExpired,    // service -> parties: TRADE EXPIRED #id
  kTradeRejected,   // service -> parties: TRADE REJECTED #id - <CODE>
  kError,           // service -> participant: ERROR [#id] <CODE> [- text]
};
std::string_view ToString(MessageType type);

// Whether a confirmed trade stands on two clearing-firm co-signatures (seed 000 N5).
enum class Clearing : uint8_t { kUncleared, kCleared };

// One message body. Which fields are meaningful depends on `type` (see the factories); the
// others keep their defaults, so two equal messages compare equal.
struct Message {
  MessageType type = MessageType::kError;
  // The offer id (without '#'); optional only for ERROR.
  std::string id;
  // LOGIN: the account. HANDLE: the new handle.
  std::string name;
  // OFFER/ACCEPT/TRADE REQUEST/TRADE CONFIRMED: the terms, in the sender's (or, for TRADE
  // CONFIRMED, the recipient's) first person.
  core::Side side = core::Side::kBuy;
  core::Quantity quantity;
  std::string instrument;
  core::Price price;
  // OFFER: seconds until the offer expires.
  int64_t timeout_seconds = 0;
  // TRADE REQUEST/TRADE CONFIRMED: the other party's handle.
  std::string counterparty;
  // TRADE CONFIRMED: the service's ticket, and whether the trade is cleared.
  std::string ticket;
  Clearing clearing = Clearing::kUncleared;
  // TRADE REJECTED/ERROR: the reason code; ERROR: an optional explanation.
  std::string code;
  std::string text;

  friend bool operator==(const Message&, const Message&) = default;

  static Message Login(std::string account);
  static Message Handle(std::string handle);
  static Message Offer(std::string id, core::Side side, core::Quantity quantity,
                       std::string instrument, core::Price price, int64_t timeout_seconds);
  static Message Withdraw(std::string id);
  static Message Withdrawn(std::string id);
  static Message Expired(std::string id);
  static Message Accept(std::string id, core::Side side, core::Quantity quantity,
                        std::string instrument, core::Price price);
  static Message Accepted(std::string id);
  static Message TooLate(std::string id);
  static Message TradeRequest(std::string id, core::Side side, core::Quantity quantity,
                              std::string instrument, core::Price price, std::string counterparty);
  static Message TradeConfirmed(std::string id, core::Side side, core::Quantity quantity,
                                std::string instrument, core::Price price, std::string counterparty,
                                std::string ticket, Clearing clearing);
  static Message TradeExpired(std::string id);
  static Message TradeRejected(std::string id, std::string code);
  // `id` may be empty when the error is not about one offer; `text` may be empty.
  static Message Error(std::string id, std::string code, std::string text);
};

// An Ed25519 signature: 64 bytes, written as 128 lowercase hex digits.
using SignatureBytes = std::array<uint8_t, 64>;

struct CoSignature {
  std::string firm;
  SignatureBytes signature{};
  friend bool operator==(const CoSignature&, const CoSignature&) = default;
};

// A whole line: the body and its envelope.
struct Envelope {
  Message body;
  // Who signed: a participant's handle (its account for LOGIN) or "SERVICE".
  std::string from;
  // On a line the service relays: the handle of the participant it speaks for.
  std::string origin;
  // The signer's message counter: strictly increasing per signer, so a replayed line is refused.
  uint64_t seq = 0;
  std::optional<SignatureBytes> signature;
  std::optional<CoSignature> cosignature;

  friend bool operator==(const Envelope&, const Envelope&) = default;
};

// The name the service signs as.
inline constexpr std::string_view kServiceName = "SERVICE";
// Longest accepted line, without its line end.
inline constexpr size_t kMaxLineLength = 2048;
// Longest offer id, account, handle, firm, ticket or error code.
inline constexpr size_t kMaxTokenLength = 32;
// Longest offer timeout.
inline constexpr int64_t kMaxTimeoutSeconds = 86'400;

// The body's text, e.g. "TOO LATE #A1". Fails if a field cannot be written (an empty or
// oversized token, a space or ';' where none may be, a non-positive quantity or timeout).
absl::StatusOr<std::string> FormatBody(const Message& message);
// The text a signature covers: the body, " ;FROM", the optional " ;ORIGIN" and " ;SEQ".
absl::StatusOr<std::string> FormatSignedPart(const Envelope& envelope);
// The whole line without its line end: the signed part, then " ;SIG" and " ;COSIG" if present.
absl::StatusOr<std::string> FormatLine(const Envelope& envelope);

struct ParsedLine {
  Envelope envelope;
  // The exact text the signature covers (what FormatSignedPart gives back).
  std::string signed_part;
};
// Parses one line; a trailing "\n" or "\r\n" is allowed. The error names the first problem.
absl::StatusOr<ParsedLine> ParseLine(std::string_view line);
// Parses a body alone (no envelope).
absl::StatusOr<Message> ParseBody(std::string_view body);

// Token rules shared with the service: 1..32 of [A-Za-z0-9_.-].
bool IsValidToken(std::string_view token);

}  // namespace combo::venues::negotiation
