// The StoredProfile codec: round trips (empty, full, odd bytes), and refusal of truncated,
// padded or unknown-version input without reading out of bounds.
#include "store/profile_codec.hpp"

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace {

using namespace jobzen::store;

TEST(ProfileCodec, RoundTrips) {
  StoredProfile odd = jobzen::store::testing::SampleProfile(std::string("nul\0inside", 10));
  odd.experience_years = -1;
  odd.profile_summary = "Soudure, gestion d'équipe, 日本語";
  StoredProfile no_years = jobzen::store::testing::SampleProfile();
  no_years.experience_years.reset();
  StoredProfile zero_years;
  zero_years.experience_years = 0;
  const struct {
    const char* name;
    StoredProfile profile;
  } cases[] = {
      {"empty", StoredProfile{}},
      {"full", jobzen::store::testing::SampleProfile()},
      {"odd bytes", odd},
      {"no years", no_years},
      {"zero years", zero_years},
  };
  for (const auto& c : cases) {
    const std::string bytes = EncodeProfile(c.profile);
    auto back = DecodeProfile(bytes);
    ASSERT_TRUE(back) << c.name;
    EXPECT_EQ(*back, c.profile) << c.name;
  }
}

TEST(ProfileCodec, RefusesMalformedInput) {
  const std::string bytes = EncodeProfile(jobzen::store::testing::SampleProfile());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(DecodeProfile(bytes.substr(0, n))) << "truncated to " << n;
  }
  EXPECT_FALSE(DecodeProfile(bytes + '\0')) << "trailing byte";
  std::string other_version = bytes;
  other_version[0] = 2;
  EXPECT_FALSE(DecodeProfile(other_version));
  // A forged count of 2^32-1 skills must fail fast, not allocate.
  std::string forged(1, '\1');
  forged += std::string("\xff\xff\xff\xff", 4);
  auto r = DecodeProfile(forged);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "store_error");
}

}  // namespace
