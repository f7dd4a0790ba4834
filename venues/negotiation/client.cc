#include "venues/negotiation/client.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/status.h"

namespace combo::venues::negotiation {

NegotiationClient::NegotiationClient(core::AccountId account, KeyPair key, PublicKey service_key)
    : account_(std::move(account)), key_(key), service_key_(service_key) {}

void NegotiationClient::SetClearingFirm(std::string firm, KeyPair firm_key) {
  clearing_firm_.emplace(std::move(firm), firm_key);
}

absl::StatusOr<std::string> NegotiationClient::Sign(Envelope envelope, CoSign cosign) {
  if (cosign == CoSign::kYes && !clearing_firm_.has_value()) {
    return absl::FailedPreconditionError("no clearing firm to co-sign with");
  }
  envelope.seq = next_seq_;
  COMBO_ASSIGN_OR_RETURN(std::string signed_part, FormatSignedPart(envelope));
  envelope.signature = key_.Sign(signed_part);
  if (cosign == CoSign::kYes) {
    envelope.cosignature =
        CoSignature{clearing_firm_->first, clearing_firm_->second.Sign(signed_part)};
  }
  COMBO_ASSIGN_OR_RETURN(std::string line, FormatLine(envelope));
  ++next_seq_;
  return line;
}

absl::StatusOr<std::string> NegotiationClient::Login() {
  Envelope envelope;
  envelope.body = Message::Login(account_.value());
  envelope.from = account_.value();
  return Sign(std::move(envelope), CoSign::kNo);
}

absl::StatusOr<std::string> NegotiationClient::Compose(const Message& body, CoSign cosign) {
  if (handle_.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(account_.value(), " has no handle yet: log in and wait for HANDLE"));
  }
  Envelope envelope;
  envelope.body = body;
  envelope.from = handle_;
  return Sign(std::move(envelope), cosign);
}

bool NegotiationClient::IsOwnHandle(std::string_view handle) const {
  return handle == handle_ ||
         std::find(past_handles_.begin(), past_handles_.end(), handle) != past_handles_.end();
}

absl::StatusOr<Incoming> NegotiationClient::Receive(std::string_view line) {
  absl::StatusOr<ParsedLine> parsed = ParseLine(line);
  absl::Status problem;
  if (!parsed.ok()) {
    problem = parsed.status();
  } else if (parsed->envelope.from != kServiceName) {
    problem = absl::PermissionDeniedError(
        absl::StrCat("line from \"", parsed->envelope.from, "\", not from the service"));
  } else if (!parsed->envelope.signature.has_value() ||
             !Verify(service_key_, parsed->signed_part, *parsed->envelope.signature)) {
    problem = absl::PermissionDeniedError("line not signed by the service");
  } else if (parsed->envelope.seq <= last_service_seq_) {
    problem = absl::PermissionDeniedError(absl::StrCat(
        "replayed line: sequence ", parsed->envelope.seq, " after ", last_service_seq_));
  }
  if (!problem.ok()) {
    ++rejected_lines_;
    return problem;
  }
  last_service_seq_ = parsed->envelope.seq;
  Incoming incoming{std::move(parsed->envelope.body), std::move(parsed->envelope.origin)};
  const Message& m = incoming.message;
  switch (m.type) {
    case MessageType::kHandle:
      if (!handle_.empty()) past_handles_.push_back(handle_);
      handle_ = m.name;
      break;
    case MessageType::kOffer:
      offers_[m.id] = HeardOffer{m, incoming.origin};
      break;
    case MessageType::kWithdrawn:
    case MessageType::kExpired:
    case MessageType::kTooLate:
    case MessageType::kAccepted:
    case MessageType::kAccept:  // someone took our offer: it is no longer open
      offers_.erase(m.id);
      break;
    default:
      break;
  }
  return incoming;
}

}  // namespace combo::venues::negotiation
