// Standard Webhooks signing: the specification's published vector, secrets, rotation headers,
// and a table of receiver checks (wrong secret, tampered body, stale timestamps...).
#include "webhooks/signature.hpp"

#include <gtest/gtest.h>

namespace {

using namespace jobzen::webhooks;

// From the Standard Webhooks specification (and its libraries' test suites).
constexpr std::string_view kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kTs = 1614265330;
constexpr std::string_view kBody = R"({"test": 2432232314})";
constexpr std::string_view kSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

TEST(Signature, SpecificationVector) {
  auto signature = Sign(kSecret, kId, kTs, kBody);
  ASSERT_TRUE(signature) << signature.error().detail;
  EXPECT_EQ(*signature, kSignature);
  // The prefix is optional, as in the reference libraries.
  auto bare = Sign(kSecret.substr(6), kId, kTs, kBody);
  ASSERT_TRUE(bare);
  EXPECT_EQ(*bare, kSignature);
}

TEST(Signature, GeneratedSecretsAre32RandomBytes) {
  const std::string a = GenerateSecret();
  const std::string b = GenerateSecret();
  EXPECT_EQ(a.rfind("whsec_", 0), 0u);
  EXPECT_EQ(a.size(), 6u + 44u);  // base64 of 32 bytes, padded
  EXPECT_NE(a, b);
  auto signed_a = Sign(a, kId, kTs, kBody);
  ASSERT_TRUE(signed_a);
  EXPECT_TRUE(Verify(a, {kId, "1614265330", *signed_a}, kBody, kTs));
}

TEST(Signature, MalformedSecretsAreRejected) {
  for (const char* secret : {"", "whsec_", "whsec_!!!!", "whsec_abc de", "whsec_A"}) {
    auto r = Sign(secret, kId, kTs, kBody);
    ASSERT_FALSE(r) << secret;
    EXPECT_EQ(r.error().code, "invalid_secret") << secret;
  }
  EXPECT_FALSE(SignatureHeader({}, kId, kTs, kBody));
}

TEST(Signature, RotationHeaderListsBothSignatures) {
  const std::string fresh = GenerateSecret();
  auto header = SignatureHeader({fresh, std::string(kSecret)}, kId, kTs, kBody);
  ASSERT_TRUE(header);
  auto fresh_signature = Sign(fresh, kId, kTs, kBody);
  ASSERT_TRUE(fresh_signature);
  EXPECT_EQ(*header, *fresh_signature + " " + std::string(kSignature));
  EXPECT_TRUE(Verify(fresh, {kId, "1614265330", *header}, kBody, kTs));
  EXPECT_TRUE(Verify(kSecret, {kId, "1614265330", *header}, kBody, kTs));
}

TEST(Signature, ReceiverChecks) {
  const std::string other = "whsec_" + std::string(kSecret.substr(7)) + "A";  // same length, other key
  struct Case {
    const char* name;
    std::string_view secret;
    std::string_view id;
    std::string_view timestamp;
    std::string_view signature;
    std::string_view body;
    std::int64_t now;
    const char* error;  // "" when accepted
  };
  const std::string two = "v1,AAAA " + std::string(kSignature);
  const std::string other_versions = "v1a,xyz v2," + std::string(kSignature.substr(3)) + " " + std::string(kSignature);
  const std::string mangled = std::string(kSignature.substr(0, kSignature.size() - 2)) + "A=";
  const Case cases[] = {
      {"valid", kSecret, kId, "1614265330", kSignature, kBody, kTs, ""},
      {"valid 299 s later", kSecret, kId, "1614265330", kSignature, kBody, kTs + 299, ""},
      {"valid 300 s early", kSecret, kId, "1614265330", kSignature, kBody, kTs - 300, ""},
      {"second of two entries", kSecret, kId, "1614265330", two, kBody, kTs, ""},
      {"other versions ignored", kSecret, kId, "1614265330", other_versions, kBody, kTs, ""},
      {"wrong secret", other, kId, "1614265330", kSignature, kBody, kTs, "signature_mismatch"},
      {"tampered body", kSecret, kId, "1614265330", kSignature, R"({"test": 2432232315})", kTs, "signature_mismatch"},
      {"other id", kSecret, "msg_other", "1614265330", kSignature, kBody, kTs, "signature_mismatch"},
      {"mangled signature", kSecret, kId, "1614265330", mangled, kBody, kTs, "signature_mismatch"},
      {"no v1 entry", kSecret, kId, "1614265330", "v2,abc", kBody, kTs, "signature_mismatch"},
      {"timestamp too old", kSecret, kId, "1614265330", kSignature, kBody, kTs + 301, "timestamp_out_of_tolerance"},
      {"timestamp in the future", kSecret, kId, "1614265330", kSignature, kBody, kTs - 301, "timestamp_out_of_tolerance"},
      {"timestamp not a number", kSecret, kId, "16142653x0", kSignature, kBody, kTs, "invalid_timestamp"},
      {"timestamp in ms", kSecret, kId, "1614265330000", kSignature, kBody, kTs, "timestamp_out_of_tolerance"},
      {"missing id", kSecret, "", "1614265330", kSignature, kBody, kTs, "missing_header"},
      {"missing signature", kSecret, kId, "1614265330", "", kBody, kTs, "missing_header"},
      {"bad secret", "whsec_#", kId, "1614265330", kSignature, kBody, kTs, "invalid_secret"},
  };
  for (const Case& c : cases) {
    auto r = Verify(c.secret, {c.id, c.timestamp, c.signature}, c.body, c.now);
    if (std::string_view(c.error).empty()) {
      ASSERT_TRUE(r) << c.name << ": " << r.error().code;
      EXPECT_EQ(r->msg_id, c.id) << c.name;
      EXPECT_EQ(r->timestamp, kTs) << c.name;
    } else {
      ASSERT_FALSE(r) << c.name;
      EXPECT_EQ(r.error().code, c.error) << c.name;
    }
  }
}

}  // namespace
