#include "venues/negotiation/protocol.h"

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"
#include "core/status.h"

namespace combo::venues::negotiation {
namespace {

using core::AsAbsl;
using core::Price;
using core::Quantity;
using core::Side;

constexpr char kAcceptedTrailer[] = "DONE - I WILL FORWARD TO BROKER FOR CONSUMATION";
constexpr int64_t kMaxQuantity = 1'000'000'000'000;

absl::Status Invalid(std::string_view what) { return absl::InvalidArgumentError(AsAbsl(what)); }

bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

// Printable ASCII other than a space and ';' (the envelope's separator).
bool IsWordChar(char c) { return c > ' ' && c < 0x7f && c != ';'; }

// Words separated by single spaces, each made of word characters.
bool IsPhrase(std::string_view phrase) {
  if (phrase.empty() || phrase.front() == ' ' || phrase.back() == ' ') return false;
  char previous = 'x';
  for (char c : phrase) {
    if (c == ' ' ? previous == ' ' : !IsWordChar(c)) return false;
    previous = c;
  }
  return true;
}

const char* SideWord(Side side) { return side == Side::kBuy ? "BUY" : "SELL"; }

// Splits on single spaces. The caller has checked that the text has no empty word.
std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t space = text.find(' ', start);
    const size_t end = space == std::string_view::npos ? text.size() : space;
    words.push_back(text.substr(start, end - start));
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  return words;
}

std::string Join(const std::vector<std::string_view>& words, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) out += ' ';
    out.append(words[i]);
  }
  return out;
}

// A positive decimal without sign or leading zero, at most `max`.
absl::StatusOr<int64_t> ParsePositive(std::string_view text, int64_t max, std::string_view what) {
  int64_t value = 0;
  const bool digits_only =
      !text.empty() && text.size() <= 18 && text.find_first_not_of("0123456789") == text.npos;
  if (!digits_only || text[0] == '0' || !absl::SimpleAtoi(AsAbsl(text), &value) || value > max) {
    return Invalid(absl::StrCat(AsAbsl(what), " \"", AsAbsl(text),
                                "\" must be a whole number from 1 to ", max,
                                " without sign or leading zero"));
  }
  return value;
}

absl::StatusOr<std::string> ParseId(std::string_view text) {
  if (text.size() < 2 || text[0] != '#' || !IsValidToken(text.substr(1))) {
    return Invalid(absl::StrCat("offer id \"", AsAbsl(text),
                                "\" must be '#' followed by 1 to 32 of A-Z a-z 0-9 _ . -"));
  }
  return std::string(text.substr(1));
}

absl::StatusOr<std::string> ParseName(std::string_view text, std::string_view what) {
  if (!IsValidToken(text)) {
    return Invalid(
        absl::StrCat(AsAbsl(what), " \"", AsAbsl(text), "\" must be 1 to 32 of A-Z a-z 0-9 _ . -"));
  }
  return std::string(text);
}

absl::StatusOr<Price> ParseCanonicalPrice(std::string_view text) {
  absl::StatusOr<Price> price = Price::Parse(text);
  if (!price.ok()) {
    return Invalid(absl::StrCat("price \"", AsAbsl(text), "\": ", price.status().message()));
  }
  if (price->ToString() != text) {
    return Invalid(absl::StrCat("price \"", AsAbsl(text),
                                "\" must be written in its shortest form \"", price->ToString(),
                                "\""));
  }
  return *price;
}

absl::StatusOr<Side> ParseSideWord(std::string_view text) {
  if (text == "BUY") return Side::kBuy;
  if (text == "SELL") return Side::kSell;
  return Invalid(absl::StrCat("side \"", AsAbsl(text), "\" must be BUY or SELL"));
}

absl::Status ExpectWords(const std::vector<std::string_view>& words, size_t at,
                         std::initializer_list<std::string_view> expected, std::string_view type) {
  size_t i = at;
  for (std::string_view word : expected) {
    if (i >= words.size() || words[i] != word) {
      return Invalid(absl::StrCat(AsAbsl(type), ": expected \"", AsAbsl(word), "\" as word ", i + 1,
                                  i < words.size()
                                      ? absl::StrCat(", found \"", AsAbsl(words[i]), "\"")
                                      : std::string(", found the end")));
    }
    ++i;
  }
  return absl::OkStatus();
}

absl::Status ExpectCount(const std::vector<std::string_view>& words, size_t count,
                         std::string_view type) {
  if (words.size() != count) {
    return Invalid(absl::StrCat(AsAbsl(type), " takes ", count, " words, found ", words.size()));
  }
  return absl::OkStatus();
}

// "<qty> <instrument words> <price>" in words[begin, end).
struct Terms {
  Quantity quantity;
  std::string instrument;
  Price price;
};
absl::StatusOr<Terms> ParseTerms(const std::vector<std::string_view>& words, size_t begin,
                                 size_t end, std::string_view type) {
  if (end < begin + 3) {
    return Invalid(absl::StrCat(AsAbsl(type), ": expected a quantity, an instrument and a price"));
  }
  Terms terms;
  COMBO_ASSIGN_OR_RETURN(int64_t quantity, ParsePositive(words[begin], kMaxQuantity, "quantity"));
  terms.quantity = Quantity(quantity);
  terms.instrument = Join(words, begin + 1, end - 1);
  COMBO_ASSIGN_OR_RETURN(terms.price, ParseCanonicalPrice(words[end - 1]));
  return terms;
}

absl::Status CheckTerms(const Message& m) {
  if (!m.quantity.is_positive() || m.quantity.value() > kMaxQuantity) {
    return Invalid(
        absl::StrCat("quantity ", m.quantity.value(), " must be from 1 to ", kMaxQuantity));
  }
  if (!IsPhrase(m.instrument) || m.instrument.size() > kMaxLineLength / 2) {
    return Invalid(absl::StrCat("instrument \"", AsAbsl(m.instrument),
                                "\" must be printable words separated by single spaces, "
                                "without ';'"));
  }
  return absl::OkStatus();
}

absl::Status CheckToken(std::string_view token, std::string_view what) {
  if (!IsValidToken(token)) {
    return Invalid(absl::StrCat(AsAbsl(what), " \"", AsAbsl(token),
                                "\" must be 1 to 32 of A-Z a-z 0-9 _ . -"));
  }
  return absl::OkStatus();
}

std::string TermsText(const Message& m) {
  return absl::StrCat(m.quantity.value(), " ", m.instrument, " ", m.price.ToString());
}

absl::StatusOr<Message> ParseOfferOrAccept(const std::vector<std::string_view>& words,
                                           MessageType type) {
  const bool offer = type == MessageType::kOffer;
  const std::string_view name = offer ? "OFFER" : "ACCEPT";
  const size_t minimum = offer ? 12 : 10;
  if (words.size() < minimum) {
    return Invalid(
        absl::StrCat(AsAbsl(name), " needs at least ", minimum, " words, found ", words.size()));
  }
  COMBO_ASSIGN_OR_RETURN(std::string id, ParseId(words[1]));
  COMBO_RETURN_IF_ERROR(ExpectWords(words, 2, {"-", "I", "WANT", "TO"}, name));
  COMBO_ASSIGN_OR_RETURN(Side side, ParseSideWord(words[6]));
  const size_t terms_end = offer ? words.size() - 2 : words.size();
  COMBO_ASSIGN_OR_RETURN(Terms terms, ParseTerms(words, 7, terms_end, name));
  if (!offer) {
    return Message::Accept(std::move(id), side, terms.quantity, std::move(terms.instrument),
                           terms.price);
  }
  COMBO_RETURN_IF_ERROR(ExpectWords(words, words.size() - 2, {"TIMEOUT"}, name));
  COMBO_ASSIGN_OR_RETURN(int64_t timeout,
                         ParsePositive(words.back(), kMaxTimeoutSeconds, "timeout"));
  return Message::Offer(std::move(id), side, terms.quantity, std::move(terms.instrument),
                        terms.price, timeout);
}

absl::StatusOr<Message> ParseTradeRequest(const std::vector<std::string_view>& words) {
  // TRADE REQUEST #id - I SELL <terms> TO <handle>
  if (words.size() < 11) {
    return Invalid(absl::StrCat("TRADE REQUEST needs at least 11 words, found ", words.size()));
  }
  COMBO_ASSIGN_OR_RETURN(std::string id, ParseId(words[2]));
  COMBO_RETURN_IF_ERROR(ExpectWords(words, 3, {"-", "I"}, "TRADE REQUEST"));
  COMBO_ASSIGN_OR_RETURN(Side side, ParseSideWord(words[5]));
  const std::string_view preposition = side == Side::kSell ? "TO" : "FROM";
  COMBO_RETURN_IF_ERROR(ExpectWords(words, words.size() - 2, {preposition}, "TRADE REQUEST"));
  COMBO_ASSIGN_OR_RETURN(Terms terms, ParseTerms(words, 6, words.size() - 2, "TRADE REQUEST"));
  COMBO_ASSIGN_OR_RETURN(std::string counterparty, ParseName(words.back(), "counterparty"));
  return Message::TradeRequest(std::move(id), side, terms.quantity, std::move(terms.instrument),
                               terms.price, std::move(counterparty));
}

absl::StatusOr<Message> ParseTradeConfirmed(const std::vector<std::string_view>& words) {
  // TRADE CONFIRMED #id - YOU SOLD <terms> TO <handle> TICKET <ticket> [CLEARED]
  // "TICKET CLEARED" names a ticket called CLEARED; a trailing CLEARED after a ticket is the flag.
  const Clearing clearing = words.back() == "CLEARED" && words[words.size() - 2] != "TICKET"
                                ? Clearing::kCleared
                                : Clearing::kUncleared;
  const size_t end = clearing == Clearing::kCleared ? words.size() - 1 : words.size();
  if (end < 13) {
    return Invalid(absl::StrCat("TRADE CONFIRMED needs at least 13 words, found ", words.size()));
  }
  COMBO_ASSIGN_OR_RETURN(std::string id, ParseId(words[2]));
  COMBO_RETURN_IF_ERROR(ExpectWords(words, 3, {"-", "YOU"}, "TRADE CONFIRMED"));
  Side side;
  if (words[5] == "BOT") {
    side = Side::kBuy;
  } else if (words[5] == "SOLD") {
    side = Side::kSell;
  } else {
    return Invalid(
        absl::StrCat("TRADE CONFIRMED: side \"", AsAbsl(words[5]), "\" must be BOT or SOLD"));
  }
  const std::string_view preposition = side == Side::kSell ? "TO" : "FROM";
  COMBO_RETURN_IF_ERROR(ExpectWords(words, end - 4, {preposition}, "TRADE CONFIRMED"));
  COMBO_RETURN_IF_ERROR(ExpectWords(words, end - 2, {"TICKET"}, "TRADE CONFIRMED"));
  COMBO_ASSIGN_OR_RETURN(Terms terms, ParseTerms(words, 6, end - 4, "TRADE CONFIRMED"));
  COMBO_ASSIGN_OR_RETURN(std::string counterparty, ParseName(words[end - 3], "counterparty"));
  COMBO_ASSIGN_OR_RETURN(std::string ticket, ParseName(words[end - 1], "ticket"));
  return Message::TradeConfirmed(std::move(id), side, terms.quantity, std::move(terms.instrument),
                                 terms.price, std::move(counterparty), std::move(ticket), clearing);
}

absl::StatusOr<Message> ParseError(const std::vector<std::string_view>& words) {
  // ERROR [#id] CODE [- text]
  size_t at = 1;
  std::string id;
  if (words.size() > 1 && !words[1].empty() && words[1][0] == '#') {
    COMBO_ASSIGN_OR_RETURN(id, ParseId(words[1]));
    at = 2;
  }
  if (at >= words.size()) return Invalid("ERROR needs a code");
  COMBO_ASSIGN_OR_RETURN(std::string code, ParseName(words[at], "error code"));
  std::string text;
  if (at + 1 < words.size()) {
    COMBO_RETURN_IF_ERROR(ExpectWords(words, at + 1, {"-"}, "ERROR"));
    if (at + 2 >= words.size()) return Invalid("ERROR: '-' must be followed by a text");
    text = Join(words, at + 2, words.size());
  }
  return Message::Error(std::move(id), std::move(code), std::move(text));
}

absl::StatusOr<Message> ParseIdOnly(const std::vector<std::string_view>& words, size_t keywords,
                                    Message (*make)(std::string), std::string_view name) {
  COMBO_RETURN_IF_ERROR(ExpectCount(words, keywords + 1, name));
  COMBO_ASSIGN_OR_RETURN(std::string id, ParseId(words[keywords]));
  return make(std::move(id));
}

absl::StatusOr<SignatureBytes> ParseSignatureHex(std::string_view hex) {
  SignatureBytes bytes{};
  if (hex.size() != 2 * bytes.size()) {
    return Invalid(absl::StrCat("signature must be 128 lowercase hex digits, found ", hex.size(),
                                " characters"));
  }
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < bytes.size(); ++i) {
    const int high = nibble(hex[2 * i]);
    const int low = nibble(hex[2 * i + 1]);
    if (high < 0 || low < 0) return Invalid("signature must be 128 lowercase hex digits");
    bytes[i] = static_cast<uint8_t>(high * 16 + low);
  }
  return bytes;
}

std::string SignatureHex(const SignatureBytes& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * bytes.size());
  for (uint8_t b : bytes) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 0xf];
  }
  return hex;
}

// Strips "<keyword> " from the front of an envelope field.
bool TakeField(std::string_view field, std::string_view keyword, std::string_view* value) {
  if (field.size() <= keyword.size() || field.substr(0, keyword.size()) != keyword ||
      field[keyword.size()] != ' ') {
    return false;
  }
  *value = field.substr(keyword.size() + 1);
  return true;
}

}  // namespace

std::string_view ToString(MessageType type) {
  switch (type) {
    case MessageType::kLogin:
      return "LOGIN";
    case MessageType::kHandle:
      return "HANDLE";
    case MessageType::kOffer:
      return "OFFER";
    case MessageType::kWithdraw:
      return "WITHDRAW";
    case MessageType::kWithdrawn:
      return "WITHDRAWN";
    case MessageType::kExpired:
      return "EXPIRED";
    case MessageType::kAccept:
      return "ACCEPT";
    case MessageType::kAccepted:
      return "ACCEPTED";
    case MessageType::kTooLate:
      return "TOO LATE";
    case MessageType::kTradeRequest:
      return "TRADE REQUEST";
    case MessageType::kTradeConfirmed:
      return "TRADE CONFIRMED";
    case MessageType::kTradeExpired:
      return "TRADE EXPIRED";
    case MessageType::kTradeRejected:
      return "TRADE REJECTED";
    case MessageType::kError:
      return "ERROR";
  }
  return "UNKNOWN";
}

bool IsValidToken(std::string_view token) {
  if (token.empty() || token.size() > kMaxTokenLength) return false;
  for (char c : token) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

Message Message::Login(std::string account) {
  Message m;
  m.type = MessageType::kLogin;
  m.name = std::move(account);
  return m;
}

Message Message::Handle(std::string handle) {
  Message m;
  m.type = MessageType::kHandle;
  m.name = std::move(handle);
  return m;
}

Message Message::Offer(std::string id, Side side, Quantity quantity, std::string instrument,
                       Price price, int64_t timeout_seconds) {
  Message m = Accept(std::move(id), side, quantity, std::move(instrument), price);
  m.type = MessageType::kOffer;
  m.timeout_seconds = timeout_seconds;
  return m;
}

Message Message::Withdraw(std::string id) {
  Message m;
  m.type = MessageType::kWithdraw;
  m.id = std::move(id);
  return m;
}

Message Message::Withdrawn(std::string id) {
  Message m = Withdraw(std::move(id));
  m.type = MessageType::kWithdrawn;
  return m;
}

Message Message::Expired(std::string id) {
  Message m = Withdraw(std::move(id));
  m.type = MessageType::kExpired;
  return m;
}

Message Message::Accept(std::string id, Side side, Quantity quantity, std::string instrument,
                        Price price) {
  Message m;
  m.type = MessageType::kAccept;
  m.id = std::move(id);
  m.side = side;
  m.quantity = quantity;
  m.instrument = std::move(instrument);
  m.price = price;
  return m;
}

Message Message::Accepted(std::string id) {
  Message m = Withdraw(std::move(id));
  m.type = MessageType::kAccepted;
  return m;
}

Message Message::TooLate(std::string id) {
  Message m = Withdraw(std::move(id));
  m.type = MessageType::kTooLate;
  return m;
}

Message Message::TradeRequest(std::string id, Side side, Quantity quantity, std::string instrument,
                              Price price, std::string counterparty) {
  Message m = Accept(std::move(id), side, quantity, std::move(instrument), price);
  m.type = MessageType::kTradeRequest;
  m.counterparty = std::move(counterparty);
  return m;
}

Message Message::TradeConfirmed(std::string id, Side side, Quantity quantity,
                                std::string instrument, Price price, std::string counterparty,
                                std::string ticket, Clearing clearing) {
  Message m = TradeRequest(std::move(id), side, quantity, std::move(instrument), price,
                           std::move(counterparty));
  m.type = MessageType::kTradeConfirmed;
  m.ticket = std::move(ticket);
  m.clearing = clearing;
  return m;
}

Message Message::TradeExpired(std::string id) {
  Message m = Withdraw(std::move(id));
  m.type = MessageType::kTradeExpired;
  return m;
}

Message Message::TradeRejected(std::string id, std::string code) {
  Message m = Withdraw(std::move(id));
  m.type = MessageType::kTradeRejected;
  m.code = std::move(code);
  return m;
}

Message Message::Error(std::string id, std::string code, std::string text) {
  Message m;
  m.type = MessageType::kError;
  m.id = std::move(id);
  m.code = std::move(code);
  m.text = std::move(text);
  return m;
}

absl::StatusOr<std::string> FormatBody(const Message& m) {
  const bool needs_id = m.type != MessageType::kLogin && m.type != MessageType::kHandle &&
                        !(m.type == MessageType::kError && m.id.empty());
  if (needs_id) COMBO_RETURN_IF_ERROR(CheckToken(m.id, "offer id"));
  const std::string id = absl::StrCat("#", m.id);
  switch (m.type) {
    case MessageType::kLogin:
      COMBO_RETURN_IF_ERROR(CheckToken(m.name, "account"));
      return absl::StrCat("LOGIN ", m.name);
    case MessageType::kHandle:
      COMBO_RETURN_IF_ERROR(CheckToken(m.name, "handle"));
      return absl::StrCat("HANDLE ", m.name);
    case MessageType::kOffer:
      COMBO_RETURN_IF_ERROR(CheckTerms(m));
      if (m.timeout_seconds < 1 || m.timeout_seconds > kMaxTimeoutSeconds) {
        return Invalid(absl::StrCat("timeout ", m.timeout_seconds, " must be from 1 to ",
                                    kMaxTimeoutSeconds, " seconds"));
      }
      return absl::StrCat("OFFER ", id, " - I WANT TO ", SideWord(m.side), " ", TermsText(m),
                          " TIMEOUT ", m.timeout_seconds);
    case MessageType::kWithdraw:
      return absl::StrCat("WITHDRAW ", id);
    case MessageType::kWithdrawn:
      return absl::StrCat("WITHDRAWN ", id);
    case MessageType::kExpired:
      return absl::StrCat("EXPIRED ", id);
    case MessageType::kAccept:
      COMBO_RETURN_IF_ERROR(CheckTerms(m));
      return absl::StrCat("ACCEPT ", id, " - I WANT TO ", SideWord(m.side), " ", TermsText(m));
    case MessageType::kAccepted:
      return absl::StrCat("ACCEPTED ", id, " - ", kAcceptedTrailer);
    case MessageType::kTooLate:
      return absl::StrCat("TOO LATE ", id);
    case MessageType::kTradeRequest:
      COMBO_RETURN_IF_ERROR(CheckTerms(m));
      COMBO_RETURN_IF_ERROR(CheckToken(m.counterparty, "counterparty"));
      return absl::StrCat("TRADE REQUEST ", id, " - I ", SideWord(m.side), " ", TermsText(m),
                          m.side == Side::kSell ? " TO " : " FROM ", m.counterparty);
    case MessageType::kTradeConfirmed:
      COMBO_RETURN_IF_ERROR(CheckTerms(m));
      COMBO_RETURN_IF_ERROR(CheckToken(m.counterparty, "counterparty"));
      COMBO_RETURN_IF_ERROR(CheckToken(m.ticket, "ticket"));
      return absl::StrCat("TRADE CONFIRMED ", id, " - YOU ",
                          m.side == Side::kSell ? "SOLD " : "BOT ", TermsText(m),
                          m.side == Side::kSell ? " TO " : " FROM ", m.counterparty, " TICKET ",
                          m.ticket, m.clearing == Clearing::kCleared ? " CLEARED" : "");
    case MessageType::kTradeExpired:
      return absl::StrCat("TRADE EXPIRED ", id);
    case MessageType::kTradeRejected:
      COMBO_RETURN_IF_ERROR(CheckToken(m.code, "reason code"));
      return absl::StrCat("TRADE REJECTED ", id, " - ", m.code);
    case MessageType::kError: {
      COMBO_RETURN_IF_ERROR(CheckToken(m.code, "error code"));
      if (!m.text.empty() && !IsPhrase(m.text)) {
        return Invalid(absl::StrCat("error text \"", m.text,
                                    "\" must be printable words separated by single spaces, "
                                    "without ';'"));
      }
      std::string out = "ERROR";
      if (!m.id.empty()) absl::StrAppend(&out, " ", id);
      absl::StrAppend(&out, " ", m.code);
      if (!m.text.empty()) absl::StrAppend(&out, " - ", m.text);
      return out;
    }
  }
  return Invalid("unknown message type");
}

absl::StatusOr<Message> ParseBody(std::string_view body) {
  if (!IsPhrase(body)) {
    return Invalid(
        "a message body must be printable ASCII words separated by single spaces, without ';'");
  }
  const std::vector<std::string_view> words = Words(body);
  const std::string_view first = words[0];
  const std::string_view second = words.size() > 1 ? words[1] : std::string_view();
  if (first == "LOGIN" || first == "HANDLE") {
    COMBO_RETURN_IF_ERROR(ExpectCount(words, 2, first));
    COMBO_ASSIGN_OR_RETURN(std::string name,
                           ParseName(words[1], first == "LOGIN" ? "account" : "handle"));
    return first == "LOGIN" ? Message::Login(std::move(name)) : Message::Handle(std::move(name));
  }
  if (first == "OFFER") return ParseOfferOrAccept(words, MessageType::kOffer);
  if (first == "ACCEPT") return ParseOfferOrAccept(words, MessageType::kAccept);
  if (first == "WITHDRAW") return ParseIdOnly(words, 1, &Message::Withdraw, "WITHDRAW");
  if (first == "WITHDRAWN") return ParseIdOnly(words, 1, &Message::Withdrawn, "WITHDRAWN");
  if (first == "EXPIRED") return ParseIdOnly(words, 1, &Message::Expired, "EXPIRED");
  if (first == "ACCEPTED") {
    COMBO_RETURN_IF_ERROR(ExpectCount(words, 12, "ACCEPTED"));
    COMBO_ASSIGN_OR_RETURN(std::string id, ParseId(words[1]));
    COMBO_RETURN_IF_ERROR(ExpectWords(
        words, 2, {"-", "DONE", "-", "I", "WILL", "FORWARD", "TO", "BROKER", "FOR", "CONSUMATION"},
        "ACCEPTED"));
    return Message::Accepted(std::move(id));
  }
  if (first == "TOO" && second == "LATE")
    return ParseIdOnly(words, 2, &Message::TooLate, "TOO LATE");
  if (first == "TRADE" && second == "REQUEST") return ParseTradeRequest(words);
  if (first == "TRADE" && second == "CONFIRMED") return ParseTradeConfirmed(words);
  if (first == "TRADE" && second == "EXPIRED") {
    return ParseIdOnly(words, 2, &Message::TradeExpired, "TRADE EXPIRED");
  }
  if (first == "TRADE" && second == "REJECTED") {
    COMBO_RETURN_IF_ERROR(ExpectCount(words, 5, "TRADE REJECTED"));
    COMBO_ASSIGN_OR_RETURN(std::string id, ParseId(words[2]));
    COMBO_RETURN_IF_ERROR(ExpectWords(words, 3, {"-"}, "TRADE REJECTED"));
    COMBO_ASSIGN_OR_RETURN(std::string code, ParseName(words[4], "reason code"));
    return Message::TradeRejected(std::move(id), std::move(code));
  }
  if (first == "ERROR") return ParseError(words);
  return Invalid(absl::StrCat("unknown message \"", AsAbsl(first),
                              words.size() > 1 ? absl::StrCat(" ", AsAbsl(second)) : "", "\""));
}

absl::StatusOr<std::string> FormatSignedPart(const Envelope& envelope) {
  COMBO_ASSIGN_OR_RETURN(std::string line, FormatBody(envelope.body));
  COMBO_RETURN_IF_ERROR(CheckToken(envelope.from, "sender"));
  absl::StrAppend(&line, " ;FROM ", envelope.from);
  if (!envelope.origin.empty()) {
    COMBO_RETURN_IF_ERROR(CheckToken(envelope.origin, "origin"));
    absl::StrAppend(&line, " ;ORIGIN ", envelope.origin);
  }
  if (envelope.seq == 0 || envelope.seq > static_cast<uint64_t>(INT64_MAX)) {
    return Invalid(absl::StrCat("sequence number ", envelope.seq, " must be from 1 to 2^63-1"));
  }
  absl::StrAppend(&line, " ;SEQ ", envelope.seq);
  return line;
}

absl::StatusOr<std::string> FormatLine(const Envelope& envelope) {
  COMBO_ASSIGN_OR_RETURN(std::string line, FormatSignedPart(envelope));
  if (envelope.cosignature.has_value() && !envelope.signature.has_value()) {
    return Invalid("a co-signature needs the sender's own signature");
  }
  if (envelope.signature.has_value()) {
    absl::StrAppend(&line, " ;SIG ", SignatureHex(*envelope.signature));
  }
  if (envelope.cosignature.has_value()) {
    COMBO_RETURN_IF_ERROR(CheckToken(envelope.cosignature->firm, "clearing firm"));
    absl::StrAppend(&line, " ;COSIG ", envelope.cosignature->firm, " ",
                    SignatureHex(envelope.cosignature->signature));
  }
  return line;
}

absl::StatusOr<ParsedLine> ParseLine(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > kMaxLineLength) {
    return Invalid(
        absl::StrCat("line of ", line.size(), " characters exceeds the limit of ", kMaxLineLength));
  }
  const size_t envelope_start = line.find(" ;");
  if (envelope_start == std::string_view::npos) {
    return Invalid("no envelope: a line must carry \" ;FROM <name> ;SEQ <n>\" after its body");
  }
  ParsedLine parsed;
  Envelope& envelope = parsed.envelope;
  COMBO_ASSIGN_OR_RETURN(envelope.body, ParseBody(line.substr(0, envelope_start)));

  // The fields after the body, each introduced by " ;".
  std::vector<std::string_view> fields;
  std::vector<size_t> starts;
  size_t at = envelope_start;
  while (at != std::string_view::npos) {
    const size_t next = line.find(" ;", at + 2);
    const size_t end = next == std::string_view::npos ? line.size() : next;
    starts.push_back(at);
    fields.push_back(line.substr(at + 2, end - at - 2));
    at = next;
  }
  size_t i = 0;
  std::string_view value;
  auto next_is = [&](std::string_view keyword) {
    return i < fields.size() && TakeField(fields[i], keyword, &value);
  };
  if (!next_is("FROM")) return Invalid("envelope must start with \";FROM <name>\"");
  COMBO_ASSIGN_OR_RETURN(envelope.from, ParseName(value, "sender"));
  ++i;
  if (next_is("ORIGIN")) {
    COMBO_ASSIGN_OR_RETURN(envelope.origin, ParseName(value, "origin"));
    ++i;
  }
  if (!next_is("SEQ")) return Invalid("envelope needs \";SEQ <n>\" after \";FROM\"/\";ORIGIN\"");
  COMBO_ASSIGN_OR_RETURN(int64_t seq, ParsePositive(value, INT64_MAX, "sequence number"));
  envelope.seq = static_cast<uint64_t>(seq);
  ++i;
  const size_t signed_end = i < fields.size() ? starts[i] : line.size();
  parsed.signed_part = std::string(line.substr(0, signed_end));
  if (next_is("SIG")) {
    COMBO_ASSIGN_OR_RETURN(envelope.signature, ParseSignatureHex(value));
    ++i;
    if (next_is("COSIG")) {
      const size_t space = value.find(' ');
      if (space == std::string_view::npos) {
        return Invalid("\";COSIG\" needs a clearing firm and a signature");
      }
      CoSignature cosignature;
      COMBO_ASSIGN_OR_RETURN(cosignature.firm, ParseName(value.substr(0, space), "clearing firm"));
      COMBO_ASSIGN_OR_RETURN(cosignature.signature, ParseSignatureHex(value.substr(space + 1)));
      envelope.cosignature = std::move(cosignature);
      ++i;
    }
  }
  if (i < fields.size()) {
    return Invalid(absl::StrCat("unexpected envelope field \";", AsAbsl(fields[i]), "\""));
  }
  return parsed;
}

}  // namespace combo::venues::negotiation
