// UTC calendar helpers of the API: strict YYYY-MM-DD parsing (options.as_of, /usage from/to),
// day arithmetic, quota periods and their reset instant.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jobzen::api {

struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  bool operator==(const Date&) const = default;
  auto operator<=>(const Date&) const = default;
};

// Strict YYYY-MM-DD with a real calendar date (leap years included), years 1900..2999.
std::optional<Date> ParseDate(std::string_view s);
std::string FormatDate(const Date& d);  // YYYY-MM-DD

// Days since 1970-01-01 and back.
long DaysFromCivil(const Date& d);
Date CivilFromDays(long days);

// Today in UTC.
Date Today(std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
// The quota period of a day: "YYYY-MM".
std::string Period(const Date& d);
// When the period of `d` ends: the 1st of the next month, 00:00 UTC, as RFC 3339.
std::string ResetAt(const Date& d);

// The store's clock: RFC 3339 UTC to the second ("2026-03-01T09:30:00Z"), `plus_seconds`
// from now. These strings order lexicographically as time does.
std::string NowRfc3339(std::int64_t plus_seconds = 0);

}  // namespace jobzen::api
