// Calendar arithmetic (Howard Hinnant's days_from_civil), independent of the C library's
// time zone handling.
#include "api/calendar.hpp"

#include <cstdio>

namespace jobzen::api {

std::optional<Date> ParseDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  const Date d{digits(0, 4), digits(5, 2), digits(8, 2)};
  if (d.year < 1900 || d.year > 2999 || d.month < 1 || d.month > 12 || d.day < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  if (d.day > kDays[d.month - 1] || (d.month == 2 && d.day == 29 && !leap)) return std::nullopt;
  return d;
}

std::string FormatDate(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

long DaysFromCivil(const Date& d) {
  const long y = d.year - (d.month <= 2 ? 1 : 0);
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long mp = d.month > 2 ? d.month - 3 : d.month + 9;
  const long doy = (153 * mp + 2) / 5 + d.day - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date CivilFromDays(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const long day = doy - (153 * mp + 2) / 5 + 1;
  const long month = mp < 10 ? mp + 3 : mp - 9;
  const long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return Date{static_cast<int>(year), static_cast<int>(month), static_cast<int>(day)};
}

Date Today(std::chrono::system_clock::time_point now) {
  const auto days = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() / 86400;
  return CivilFromDays(static_cast<long>(days));
}

std::string Period(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
  return buf;
}

std::string ResetAt(const Date& d) {
  const int year = d.month == 12 ? d.year + 1 : d.year;
  const int month = d.month == 12 ? 1 : d.month + 1;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-01T00:00:00Z", year, month);
  return buf;
}

std::string NowRfc3339(std::int64_t plus_seconds) {
  const auto now = std::chrono::system_clock::now() + std::chrono::seconds(plus_seconds);
  const long long seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const long long of_day = ((seconds % 86400) + 86400) % 86400;
  char clock[16];
  std::snprintf(clock, sizeof clock, "T%02lld:%02lld:%02lldZ", of_day / 3600, of_day / 60 % 60, of_day % 60);
  return FormatDate(Today(now)) + clock;
}

}  // namespace jobzen::api
