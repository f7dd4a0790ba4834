// Ed25519 keys and signatures for the negotiation protocol (seed 000 N4, N5), through libsodium.
//
// Every line is signed over its signed part (protocol.h FormatSignedPart) prefixed with a
// domain label, so a signature made for this protocol cannot be replayed as anything else.
// Keys come from 32-byte seeds: tests and the simulation derive them from a label
// (KeyPair::FromLabel), so runs repeat exactly; a real deployment loads a seed it generated
// outside the libraries. Value types; signing and verifying are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "venues/negotiation/protocol.h"

namespace combo::venues::negotiation {

using PublicKey = std::array<uint8_t, 32>;
using KeySeed = std::array<uint8_t, 32>;

class KeyPair {
 public:
  static KeyPair FromSeed(const KeySeed& seed);
  // A key whose seed is BLAKE2b-256 of `label`: deterministic, for tests and the simulation.
  static KeyPair FromLabel(std::string_view label);

  const PublicKey& public_key() const { return public_key_; }
  // Signs DomainText(signed_part).
  SignatureBytes Sign(std::string_view signed_part) const;

 private:
  KeyPair() = default;
  PublicKey public_key_{};
  std::array<uint8_t, 64> secret_key_{};
};

// Whether `signature` is `key`'s signature of DomainText(signed_part).
bool Verify(const PublicKey& key, std::string_view signed_part, const SignatureBytes& signature);

// The bytes actually signed: "COMBO-NEGOTIATION-1\n" followed by the signed part.
std::string DomainText(std::string_view signed_part);

// 64 lowercase hex digits, for configuration files and logs.
std::string PublicKeyHex(const PublicKey& key);
absl::StatusOr<PublicKey> ParsePublicKeyHex(std::string_view hex);

}  // namespace combo::venues::negotiation
