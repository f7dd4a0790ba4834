// libFuzzer target for the protocol parser (docs/NEGOTIATION_PROTOCOL.md "Fuzzing").
//
// Any input either fails to parse, or parses to an envelope that formats back to exactly the
// same line (without its line end), whose signed part is what the parser reported, and which
// parses again to the same envelope. Anything else aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "venues/negotiation/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using combo::venues::negotiation::FormatBody;
  using combo::venues::negotiation::FormatLine;
  using combo::venues::negotiation::FormatSignedPart;
  using combo::venues::negotiation::ParseBody;
  using combo::venues::negotiation::ParseLine;

  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The body parser alone.
  if (absl::StatusOr<combo::venues::negotiation::Message> body = ParseBody(input); body.ok()) {
    absl::StatusOr<std::string> text = FormatBody(*body);
    if (!text.ok() || *text != input) std::abort();
  }
  absl::StatusOr<combo::venues::negotiation::ParsedLine> parsed = ParseLine(input);
  if (!parsed.ok()) return 0;
  std::string_view line = input;
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  absl::StatusOr<std::string> formatted = FormatLine(parsed->envelope);
  if (!formatted.ok() || *formatted != line) std::abort();
  absl::StatusOr<std::string> signed_part = FormatSignedPart(parsed->envelope);
  if (!signed_part.ok() || *signed_part != parsed->signed_part) std::abort();
  absl::StatusOr<combo::venues::negotiation::ParsedLine> again = ParseLine(*formatted);
  if (!again.ok() || again->envelope != parsed->envelope) std::abort();
  return 0;
}
