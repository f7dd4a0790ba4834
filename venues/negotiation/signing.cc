#include "venues/negotiation/signing.h"

#include <sodium.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/absl_compat.h"

namespace combo::venues::negotiation {
namespace {

constexpr std::string_view kDomain = "COMBO-NEGOTIATION-1\n";

// sodium_init is idempotent and thread-safe; the Ed25519 calls used here need no random source,
// but libsodium asks for initialisation before any call.
void EnsureSodium() {
  static const bool kSodiumReady = sodium_init() >= 0;
  (void)kSodiumReady;
}

}  // namespace

KeyPair KeyPair::FromSeed(const KeySeed& seed) {
  EnsureSodium();
  KeyPair pair;
  crypto_sign_seed_keypair(pair.public_key_.data(), pair.secret_key_.data(), seed.data());
  return pair;
}

KeyPair KeyPair::FromLabel(std::string_view label) {
  EnsureSodium();
  KeySeed seed{};
  crypto_generichash(seed.data(), seed.size(), reinterpret_cast<const unsigned char*>(label.data()),
                     label.size(), nullptr, 0);
  return FromSeed(seed);
}

SignatureBytes KeyPair::Sign(std::string_view signed_part) const {
  const std::string text = DomainText(signed_part);
  SignatureBytes signature{};
  crypto_sign_detached(signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                       secret_key_.data());
  return signature;
}

bool Verify(const PublicKey& key, std::string_view signed_part, const SignatureBytes& signature) {
  EnsureSodium();
  const std::string text = DomainText(signed_part);
  return crypto_sign_verify_detached(signature.data(),
                                     reinterpret_cast<const unsigned char*>(text.data()),
                                     text.size(), key.data()) == 0;
}

std::string DomainText(std::string_view signed_part) {
  std::string text(kDomain);
  text.append(signed_part);
  return text;
}

std::string PublicKeyHex(const PublicKey& key) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t b : key) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 0xf];
  }
  return hex;
}

absl::StatusOr<PublicKey> ParsePublicKeyHex(std::string_view hex) {
  PublicKey key{};
  if (hex.size() != 2 * key.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "public key must be 64 lowercase hex digits, found ", hex.size(), " characters"));
  }
  for (size_t i = 0; i < key.size(); ++i) {
    int value = 0;
    for (char c : hex.substr(2 * i, 2)) {
      int nibble = -1;
      if (c >= '0' && c <= '9') nibble = c - '0';
      if (c >= 'a' && c <= 'f') nibble = c - 'a' + 10;
      if (nibble < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("public key \"", core::AsAbsl(hex), "\" must be lowercase hex digits"));
      }
      value = value * 16 + nibble;
    }
    key[i] = static_cast<uint8_t>(value);
  }
  return key;
}

}  // namespace combo::venues::negotiation
