#include "venues/negotiation/protocol.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace combo::venues::negotiation {
namespace {

using core::Price;
using core::Quantity;
using core::Side;
using ::testing::HasSubstr;

Envelope Wrap(Message body) {
  Envelope e;
  e.body = std::move(body);
  e.from = "HABCDEFG";
  e.seq = 12;
  return e;
}

std::vector<Message> EveryMessage() {
  return {
      Message::Login("BIGJOE"),
      Message::Handle("H7K2M9PQ"),
      Message::Offer("17", Side::kSell, Quantity(1000), "IBM", Price::FromUnits(41).value(), 45),
      Message::Offer("R1", Side::kBuy, Quantity(5), "[SPY C450 +1 / SPY C460 -1]",
                     Price::FromParts(-1, -250'000'000), 30),
      Message::Withdraw("17"),
      Message::Withdrawn("17"),
      Message::Expired("17"),
      Message::Accept("17", Side::kBuy, Quantity(1000), "IBM", Price::FromUnits(41).value()),
      Message::Accepted("17"),
      Message::TooLate("17"),
      Message::TradeRequest("17", Side::kSell, Quantity(1000), "IBM", Price::FromUnits(41).value(),
                            "BIGJOSH"),
      Message::TradeRequest("17", Side::kBuy, Quantity(1000), "IBM", Price::FromUnits(41).value(),
                            "BIGJOE"),
      Message::TradeConfirmed("17", Side::kSell, Quantity(1000), "IBM",
                              Price::FromUnits(41).value(), "BIGJOSH", "T1", Clearing::kUncleared),
      Message::TradeConfirmed("17", Side::kBuy, Quantity(1000), "IBM",
                              Price::FromParts(41, 50'000'000), "BIGJOE", "T1", Clearing::kCleared),
      Message::TradeExpired("17"),
      Message::TradeRejected("17", "TERMS_MISMATCH"),
      Message::Error("17", "THROTTLED", "too many premature withdrawals"),
      Message::Error("", "NOT_LOGGED_IN", ""),
  };
}

TEST(NegotiationProtocolTest, SeedExamplesParseToTheirMeaning) {
  // The seed's own lines (000 "Protocol messages"), with our envelope.
  absl::StatusOr<Message> offer = ParseBody("OFFER #17 - I WANT TO SELL 1000 IBM 41 TIMEOUT 45");
  ASSERT_TRUE(offer.ok()) << offer.status();
  EXPECT_EQ(*offer, Message::Offer("17", Side::kSell, Quantity(1000), "IBM",
                                   Price::FromUnits(41).value(), 45));
  absl::StatusOr<Message> accept = ParseBody("ACCEPT #17 - I WANT TO BUY 1000 IBM 41");
  ASSERT_TRUE(accept.ok()) << accept.status();
  EXPECT_EQ(accept->side, Side::kBuy);
  absl::StatusOr<Message> accepted =
      ParseBody("ACCEPTED #17 - DONE - I WILL FORWARD TO BROKER FOR CONSUMATION");
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(*accepted, Message::Accepted("17"));
  EXPECT_EQ(*ParseBody("TOO LATE #17"), Message::TooLate("17"));
  absl::StatusOr<Message> sell = ParseBody("TRADE REQUEST #17 - I SELL 1000 IBM 41 TO BIGJOSH");
  ASSERT_TRUE(sell.ok()) << sell.status();
  EXPECT_EQ(sell->counterparty, "BIGJOSH");
  absl::StatusOr<Message> buy = ParseBody("TRADE REQUEST #17 - I BUY 1000 IBM 41 FROM BIGJOE");
  ASSERT_TRUE(buy.ok()) << buy.status();
  EXPECT_EQ(buy->side, Side::kBuy);
  absl::StatusOr<Message> sold =
      ParseBody("TRADE CONFIRMED #17 - YOU SOLD 1000 IBM 41 TO BIGJOSH TICKET T9");
  ASSERT_TRUE(sold.ok()) << sold.status();
  EXPECT_EQ(sold->ticket, "T9");
  EXPECT_EQ(sold->clearing, Clearing::kUncleared);
  absl::StatusOr<Message> bot =
      ParseBody("TRADE CONFIRMED #17 - YOU BOT 1000 IBM 41 FROM BIGJOE TICKET T9 CLEARED");
  ASSERT_TRUE(bot.ok()) << bot.status();
  EXPECT_EQ(bot->clearing, Clearing::kCleared);
}

TEST(NegotiationProtocolTest, EveryMessageRoundTripsThroughItsLine) {
  for (const Message& message : EveryMessage()) {
    Envelope envelope = Wrap(message);
    SignatureBytes signature{};
    for (size_t i = 0; i < signature.size(); ++i) signature[i] = static_cast<uint8_t>(i * 7);
    envelope.signature = signature;
    if (message.type == MessageType::kOffer) {
      envelope.origin = "HZZZZZZZ";
      envelope.cosignature = CoSignature{"CLEARCO", signature};
    }
    absl::StatusOr<std::string> line = FormatLine(envelope);
    ASSERT_TRUE(line.ok()) << ToString(message.type) << ": " << line.status();
    absl::StatusOr<ParsedLine> parsed = ParseLine(*line);
    ASSERT_TRUE(parsed.ok()) << *line << ": " << parsed.status();
    EXPECT_EQ(parsed->envelope, envelope) << *line;
    EXPECT_EQ(parsed->signed_part, *FormatSignedPart(envelope)) << *line;
    EXPECT_EQ(*FormatLine(parsed->envelope), *line);
    // A line end is allowed, in either convention.
    EXPECT_TRUE(ParseLine(*line + "\r\n").ok());
  }
}

TEST(NegotiationProtocolTest, SignedPartStopsBeforeTheSignature) {
  absl::StatusOr<ParsedLine> parsed = ParseLine("TOO LATE #17 ;FROM SERVICE ;ORIGIN HABC ;SEQ 3");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->signed_part, "TOO LATE #17 ;FROM SERVICE ;ORIGIN HABC ;SEQ 3");
  EXPECT_FALSE(parsed->envelope.signature.has_value());
  const std::string sig(128, 'a');
  parsed = ParseLine("TOO LATE #17 ;FROM SERVICE ;SEQ 3 ;SIG " + sig);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->signed_part, "TOO LATE #17 ;FROM SERVICE ;SEQ 3");
}

TEST(NegotiationProtocolTest, CombosAndNegativePricesAreInstrumentWords) {
  absl::StatusOr<Message> offer =
      ParseBody("OFFER #R1 - I WANT TO BUY 5 [SPY C450 +1 / SPY C460 -1] -1.25 TIMEOUT 30");
  ASSERT_TRUE(offer.ok()) << offer.status();
  EXPECT_EQ(offer->instrument, "[SPY C450 +1 / SPY C460 -1]");
  EXPECT_EQ(offer->price, Price::FromParts(-1, -250'000'000));
  EXPECT_EQ(offer->quantity, Quantity(5));
}

struct BadLine {
  std::string line;
  std::string problem;
};

TEST(NegotiationProtocolTest, MalformedLinesAreRefusedNamingTheProblem) {
  const std::string sig(128, 'a');
  const std::vector<BadLine> cases = {
      {"OFFER #17 - I WANT TO SELL 1000 IBM 41 TIMEOUT 45", "no envelope"},
      {"OFFER #17 - I WANT TO SELL 1000 IBM 41 ;FROM H1 ;SEQ 1", "at least 12 words"},
      {"OFFER #17 - I WANT TO SELL 1000 IBM 41 45 TIMEOUT ;FROM H1 ;SEQ 1", "\"TIMEOUT\""},
      {"OFFER #17 - I WANT TO SELL 0 IBM 41 TIMEOUT 45 ;FROM H1 ;SEQ 1", "quantity \"0\""},
      {"OFFER #17 - I WANT TO SELL 01 IBM 41 TIMEOUT 45 ;FROM H1 ;SEQ 1", "leading zero"},
      {"OFFER #17 - I WANT TO SELL 10 IBM 41.0 TIMEOUT 45 ;FROM H1 ;SEQ 1", "shortest form"},
      {"OFFER #17 - I WANT TO SELL 10 IBM 41 TIMEOUT 86401 ;FROM H1 ;SEQ 1", "timeout"},
      {"OFFER #17 - I WANT TO HOLD 10 IBM 41 TIMEOUT 4 ;FROM H1 ;SEQ 1", "BUY or SELL"},
      {"OFFER 17 - I WANT TO SELL 10 IBM 41 TIMEOUT 4 ;FROM H1 ;SEQ 1", "offer id"},
      {"OFFER #17 - I WANT TO SELL 10  IBM 41 TIMEOUT 4 ;FROM H1 ;SEQ 1", "single spaces"},
      {"offer #17 - I WANT TO SELL 10 IBM 41 TIMEOUT 4 ;FROM H1 ;SEQ 1", "unknown message"},
      {"TRADE REQUEST #17 - I SELL 10 IBM 41 FROM BIGJOE ;FROM H1 ;SEQ 1", "\"TO\""},
      {"TRADE CONFIRMED #17 - YOU GOT 10 IBM 41 TO X TICKET T1 ;FROM H1 ;SEQ 1", "BOT or SOLD"},
      {"TOO LATE #17 ;SEQ 1 ;FROM H1", "FROM"},
      {"TOO LATE #17 ;FROM H1", "SEQ"},
      {"TOO LATE #17 ;FROM H1 ;SEQ 0", "sequence number"},
      {"TOO LATE #17 ;FROM H1 ;SEQ 1 ;SIG abc", "128 lowercase hex"},
      {"TOO LATE #17 ;FROM H1 ;SEQ 1 ;SIG " + std::string(128, 'A'), "lowercase hex"},
      {"TOO LATE #17 ;FROM H1 ;SEQ 1 ;SIG " + sig + " ;EXTRA 1", "unexpected envelope field"},
      {"TOO LATE #17 ;FROM H1 ;SEQ 1 ;COSIG F " + sig, "unexpected envelope field"},
      {"TOO LATE #17 ;FROM H 1 ;SEQ 1", "sender"},
      {"ACCEPTED #17 - DONE ;FROM H1 ;SEQ 1", "12 words"},
      {"LOGIN ;FROM H1 ;SEQ 1", "takes 2 words"},
      {"ERROR #17 ;FROM H1 ;SEQ 1", "needs a code"},
      {std::string(kMaxLineLength + 1, 'X'), "exceeds the limit"},
      {"TOO LATE #17\t ;FROM H1 ;SEQ 1", "printable ASCII"},
  };
  for (const BadLine& bad : cases) {
    absl::StatusOr<ParsedLine> parsed = ParseLine(bad.line);
    ASSERT_FALSE(parsed.ok()) << bad.line;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << bad.line;
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr(bad.problem)) << bad.line;
  }
}

TEST(NegotiationProtocolTest, UnwritableMessagesAreRefusedNamingTheField) {
  EXPECT_THAT(std::string(FormatBody(Message::Offer("17", Side::kSell, Quantity(0), "IBM",
                                                    Price::FromUnits(1).value(), 5))
                              .status()
                              .message()),
              HasSubstr("quantity"));
  EXPECT_THAT(std::string(FormatBody(Message::Offer("17", Side::kSell, Quantity(1), "IB;M",
                                                    Price::FromUnits(1).value(), 5))
                              .status()
                              .message()),
              HasSubstr("instrument"));
  EXPECT_THAT(std::string(FormatBody(Message::Offer("17", Side::kSell, Quantity(1), "IBM",
                                                    Price::FromUnits(1).value(), 0))
                              .status()
                              .message()),
              HasSubstr("timeout"));
  EXPECT_THAT(std::string(FormatBody(Message::TooLate("has space")).status().message()),
              HasSubstr("offer id"));
  EXPECT_THAT(std::string(FormatBody(Message::Error("", "X", "a;b")).status().message()),
              HasSubstr("error text"));
  Envelope no_seq = Wrap(Message::TooLate("1"));
  no_seq.seq = 0;
  EXPECT_FALSE(FormatLine(no_seq).ok());
  Envelope cosig_only = Wrap(Message::TooLate("1"));
  cosig_only.cosignature = CoSignature{"F", {}};
  EXPECT_THAT(std::string(FormatLine(cosig_only).status().message()), HasSubstr("co-signature"));
}

TEST(NegotiationProtocolTest, TicketNamedClearedIsNotTheClearedFlag) {
  const Message m =
      Message::TradeConfirmed("1", Side::kBuy, Quantity(1), "IBM", Price::FromUnits(1).value(), "H",
                              "CLEARED", Clearing::kUncleared);
  absl::StatusOr<std::string> body = FormatBody(m);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*ParseBody(*body), m);
}

}  // namespace
}  // namespace combo::venues::negotiation
