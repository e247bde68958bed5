// ProfileCipher and master keys: AES-256-GCM round trips, refusal of a wrong key, a tampered
// byte or another row's AAD; key text forms; the key file (created 0600, refused when open to
// others) and $JOBZEN_MASTER_KEY.
#include "store/cipher.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "store_fixture.hpp"

namespace {

namespace fs = std::filesystem;
using namespace jobzen::store;
using jobzen::store::testing::kKeyA;
using jobzen::store::testing::kKeyB;

ProfileCipher Ring(std::vector<std::string> texts) {
  std::vector<std::string> raw;
  for (const auto& t : texts) raw.push_back(*DecodeMasterKey(t));
  return std::move(*ProfileCipher::FromRawKeys(std::move(raw)));
}

TEST(ProfileCipher, RoundTripsAnyPlaintext) {
  const ProfileCipher c = Ring({kKeyA});
  for (const std::string& plain : {std::string(), std::string("x"), std::string(1000, '\0'), std::string("Zyxquorbian")}) {
    auto sealed = c.Seal(plain, "profile:1:ref");
    ASSERT_TRUE(sealed);
    EXPECT_EQ(sealed->size(), plain.size() + ProfileCipher::kOverhead);
    auto opened = c.Open(*sealed, "profile:1:ref");
    ASSERT_TRUE(opened) << plain.size();
    EXPECT_EQ(*opened, plain);
  }
  // A fresh nonce each time: the same plaintext never seals to the same bytes.
  EXPECT_NE(*c.Seal("same", "a"), *c.Seal("same", "a"));
}

TEST(ProfileCipher, RefusesWrongKeyTamperingAndAnotherRow) {
  const ProfileCipher a = Ring({kKeyA});
  const ProfileCipher b = Ring({kKeyB});
  const std::string sealed = *a.Seal("Zyxquorbian Welding", "profile:1:cand-1");
  EXPECT_EQ(b.Open(sealed, "profile:1:cand-1").error().code, "store_error") << "unknown key id";
  for (const char* aad : {"profile:2:cand-1", "profile:1:cand-2", "", "webhook-secret:1"}) {
    EXPECT_FALSE(a.Open(sealed, aad)) << aad;
  }
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    auto opened = a.Open(tampered, "profile:1:cand-1");
    ASSERT_FALSE(opened) << "byte " << i;
    EXPECT_EQ(opened.error().detail.find("Zyxquorbian"), std::string::npos);
  }
  EXPECT_FALSE(a.Open(sealed.substr(0, sealed.size() - 1), "profile:1:cand-1")) << "truncated";
  EXPECT_FALSE(a.Open("", "profile:1:cand-1"));
}

TEST(ProfileCipher, OlderKeysStillOpenAndKeyIdsNameTheSealer) {
  const ProfileCipher old_ring = Ring({kKeyA});
  const ProfileCipher new_ring = Ring({kKeyB, kKeyA});
  const std::string old_record = *old_ring.Seal("secret", "aad");
  EXPECT_EQ(*new_ring.Open(old_record, "aad"), "secret");
  const std::string new_record = *new_ring.Seal("secret", "aad");
  EXPECT_EQ(ProfileCipher::KeyIdOf(old_record), old_ring.CurrentKeyId());
  EXPECT_EQ(ProfileCipher::KeyIdOf(new_record), new_ring.CurrentKeyId());
  EXPECT_NE(old_ring.CurrentKeyId(), new_ring.CurrentKeyId());
  EXPECT_EQ(new_ring.CurrentKeyId().size(), 16u);
  EXPECT_FALSE(old_ring.Open(new_record, "aad"));
  // The id is not a plain prefix of the key or of its SHA-256.
  const std::string raw_a = *DecodeMasterKey(kKeyA);
  EXPECT_EQ(old_record.find(raw_a.substr(0, 8)), std::string::npos);
  EXPECT_EQ(old_record.find(HashKey(raw_a).substr(0, 8)), std::string::npos);
}

TEST(MasterKey, TextForms) {
  const std::string raw_b(32, 'b');
  struct Case {
    std::string text;
    bool ok;
  };
  const Case cases[] = {
      {kKeyA, true},
      {kKeyB, true},
      {"  " + kKeyB + "\n", true},
      {kKeyB.substr(0, 43), true},                     // padding optional
      {std::string(64, 'A'), true},                   // 64 characters: read as hex
      {std::string(63, 'a'), false},
      {std::string(64, 'g'), false},                  // not hex, and 48 bytes as base64
      {EncodeBase64(std::string(31, 'x')), false},
      {EncodeBase64(std::string(33, 'x')), false},
      {"", false},
      {"not a key!", false},
  };
  for (const Case& c : cases) {
    auto key = DecodeMasterKey(c.text);
    EXPECT_EQ(key.ok(), c.ok) << "'" << c.text << "'";
    if (!key) {
      EXPECT_EQ(key.error().code, "master_key");
      if (!c.text.empty()) {
        EXPECT_EQ(key.error().detail.find(c.text), std::string::npos) << "never echo a key";
      }
    }
  }
  EXPECT_EQ(*DecodeMasterKey(kKeyB), raw_b);
  auto list = DecodeMasterKeyList(kKeyB + ", " + kKeyA + ",\n");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 2u);
  EXPECT_FALSE(DecodeMasterKeyList(kKeyB + ",oops"));
  EXPECT_FALSE(ProfileCipher::FromRawKeys({}));
  EXPECT_FALSE(ProfileCipher::FromRawKeys({raw_b, raw_b})) << "duplicate keys";
}

class MasterKeyFileTest : public jobzen::store::testing::StoreTest {
 protected:
  void SetUp() override {
    unsetenv("JOBZEN_MASTER_KEY");
    std::string tmpl = (fs::temp_directory_path() / "jobzen-keys-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    unsetenv("JOBZEN_MASTER_KEY");
    StoreTest::TearDown();
  }
  fs::path KeyFile() const { return dir_ / "var" / "master.key"; }
};

TEST_F(MasterKeyFileTest, CreatedPrivateWhateverTheUmaskAndReused) {
  const mode_t old_umask = ::umask(0);  // the worst case: without fchmod the file would be 0666
  auto s = OpenStore(Dsn());
  ::umask(old_umask);
  ASSERT_TRUE(s) << s.error().detail;
  struct stat st {};
  ASSERT_EQ(::stat(KeyFile().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(KeyFile());
  std::string text;
  std::getline(in, text);
  EXPECT_TRUE(DecodeMasterKey(text)) << "one base64 key";
  const std::int64_t partner = (*(*s)->CreatePartner({"P", Tier::kBasic, true, std::nullopt})).partner.id;
  ASSERT_TRUE((*s)->PutWebhook(partner, "https://example.org/hook", {"candidate.linked"}, "whsec_abc", "2026-11-29T10:00:00Z"));
  s->reset();
  auto again = OpenStore(Dsn());
  ASSERT_TRUE(again) << again.error().detail;
  auto hook = (*again)->GetWebhook(partner);
  ASSERT_TRUE(hook) << hook.error().detail;
  EXPECT_EQ((*hook)->secret, "whsec_abc") << "the same key file is read on restart";
}

TEST_F(MasterKeyFileTest, RefusesAKeyFileOthersCanRead) {
  ASSERT_TRUE(OpenStore(Dsn()));
  for (const mode_t mode : {0640, 0604, 0660, 0620}) {
    ASSERT_EQ(::chmod(KeyFile().c_str(), mode), 0);
    auto s = OpenStore(Dsn());
    ASSERT_FALSE(s) << std::oct << mode;
    EXPECT_EQ(s.error().code, "master_key");
    EXPECT_NE(s.error().detail.find("chmod 600"), std::string::npos) << s.error().detail;
  }
  ASSERT_EQ(::chmod(KeyFile().c_str(), 0600), 0);
  EXPECT_TRUE(OpenStore(Dsn()));
}

TEST_F(MasterKeyFileTest, ExplicitKeyFileMalformedAndMissingDirectory) {
  const fs::path custom = dir_ / "keys" / "custom.key";
  fs::create_directories(custom.parent_path());
  {
    std::ofstream out(custom);
    out << "not a key\n";
  }
  fs::permissions(custom, fs::perms::owner_read | fs::perms::owner_write);
  auto bad = OpenStore(Dsn(), {{}, custom.string()});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "master_key");
  EXPECT_EQ(bad.error().detail.find("not a key"), std::string::npos);
  {
    std::ofstream out(custom);
    out << kKeyB << "\n" << kKeyA << "\n";
  }
  EXPECT_TRUE(OpenStore(Dsn(), {{}, custom.string()}));
  EXPECT_FALSE(fs::exists(KeyFile())) << "no default key file when one is named";
  auto nowhere = OpenStore(Dsn(), {{}, (dir_ / "missing" / "dir" / "k").string()});
  ASSERT_FALSE(nowhere);
  EXPECT_EQ(nowhere.error().code, "master_key");
}

TEST_F(MasterKeyFileTest, EnvironmentVariableComesBeforeTheFile) {
  ASSERT_EQ(setenv("JOBZEN_MASTER_KEY", (kKeyB + "," + kKeyA).c_str(), 1), 0);
  auto s = OpenStore(Dsn());
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_FALSE(fs::exists(KeyFile())) << "the variable gave the keys";
  const std::int64_t partner = (*(*s)->CreatePartner({"P", Tier::kBasic, true, std::nullopt})).partner.id;
  ASSERT_TRUE((*s)->PutWebhook(partner, "https://example.org/hook", {"candidate.linked"}, "whsec_env", "2026-11-29T10:00:00Z"));
  s->reset();
  // Explicit keys win over the variable; B alone opens what the variable's first key sealed.
  auto explicit_keys = OpenStore(Dsn(), {{kKeyB}, ""});
  ASSERT_TRUE(explicit_keys);
  EXPECT_EQ((*(*explicit_keys)->GetWebhook(partner))->secret, "whsec_env");
  explicit_keys->reset();

  ASSERT_EQ(setenv("JOBZEN_MASTER_KEY", "short-and-wrong", 1), 0);
  auto bad = OpenStore(Dsn());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "master_key");
  EXPECT_EQ(bad.error().detail.find("short-and-wrong"), std::string::npos);
}

}  // namespace
