#include "venues/negotiation/signing.h"

#include "gtest/gtest.h"

namespace combo::venues::negotiation {
namespace {

TEST(NegotiationSigningTest, SignatureVerifiesOnlyForItsTextAndKey) {
  const KeyPair joe = KeyPair::FromLabel("BIGJOE");
  const KeyPair josh = KeyPair::FromLabel("BIGJOSH");
  const std::string text = "OFFER #17 - I WANT TO SELL 1000 IBM 41 TIMEOUT 45 ;FROM HA ;SEQ 1";
  const SignatureBytes signature = joe.Sign(text);
  EXPECT_TRUE(Verify(joe.public_key(), text, signature));
  EXPECT_FALSE(Verify(josh.public_key(), text, signature));
  std::string tampered = text;
  tampered[29] = '2';  // 1000 -> 2000
  EXPECT_FALSE(Verify(joe.public_key(), tampered, signature));
  SignatureBytes flipped = signature;
  flipped[0] ^= 1;
  EXPECT_FALSE(Verify(joe.public_key(), text, flipped));
}

TEST(NegotiationSigningTest, LabelKeysAreDeterministic) {
  EXPECT_EQ(KeyPair::FromLabel("BIGJOE").public_key(), KeyPair::FromLabel("BIGJOE").public_key());
  EXPECT_NE(KeyPair::FromLabel("BIGJOE").public_key(), KeyPair::FromLabel("BIGJOSH").public_key());
  // Ed25519 is deterministic: the same key signs the same text the same way.
  EXPECT_EQ(KeyPair::FromLabel("BIGJOE").Sign("x"), KeyPair::FromLabel("BIGJOE").Sign("x"));
}

TEST(NegotiationSigningTest, SignaturesCoverTheDomainLabel) {
  const KeyPair joe = KeyPair::FromLabel("BIGJOE");
  EXPECT_EQ(DomainText("abc"), "COMBO-NEGOTIATION-1\nabc");
  // A signature over the bare text (as another protocol might make) does not verify here.
  const KeyPair same = KeyPair::FromLabel("BIGJOE");
  const SignatureBytes over_domain = same.Sign("abc");
  EXPECT_FALSE(Verify(joe.public_key(), "COMBO-NEGOTIATION-1\nabc", over_domain));
}

TEST(NegotiationSigningTest, PublicKeyHexRoundTripsAndRejectsBadText) {
  const PublicKey key = KeyPair::FromLabel("X").public_key();
  absl::StatusOr<PublicKey> parsed = ParsePublicKeyHex(PublicKeyHex(key));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, key);
  EXPECT_FALSE(ParsePublicKeyHex("abc").ok());
  EXPECT_FALSE(ParsePublicKeyHex(std::string(64, 'G')).ok());
}

}  // namespace
}  // namespace combo::venues::negotiation
