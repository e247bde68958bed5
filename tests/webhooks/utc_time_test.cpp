// UTC formatting and parsing of RFC 3339 instants (due times, rotation deadlines).
#include "webhooks/utc_time.hpp"

#include <gtest/gtest.h>

namespace {

using namespace jobzen::webhooks;

TEST(UtcTime, FormatsSecondsAndMilliseconds) {
  EXPECT_EQ(FormatUtc(0, false), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtc(1614265330123, true), "2021-02-25T15:02:10.123Z");
  EXPECT_EQ(FormatUtc(1709210096007, true), "2024-02-29T12:34:56.007Z");
}

TEST(UtcTime, ParsesRfc3339) {
  struct Case {
    const char* text;
    std::optional<std::int64_t> ms;
  };
  const Case cases[] = {
      {"2021-02-25T15:02:10Z", 1614265330000},
      {"2021-02-25T15:02:10.123Z", 1614265330123},
      {"2021-02-25T15:02:10.1234567Z", 1614265330123},
      {"2021-02-25T17:02:10+02:00", 1614265330000},
      {"2021-02-25T14:02:10-01:00", 1614265330000},
      {"2024-02-29T12:34:56.007Z", 1709210096007},
      {"", std::nullopt},
      {"2021-02-30T00:00:00Z", std::nullopt},
      {"2021-02-25 15:02:10Z", std::nullopt},
      {"2021-02-25T15:02:10", std::nullopt},
      {"2021-02-25T15:02:10.Z", std::nullopt},
      {"2021-02-25T25:02:10Z", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseUtc(c.text), c.ms) << c.text;
  EXPECT_EQ(ParseUtc(FormatUtc(1614265330123, true)), 1614265330123);
}

}  // namespace
