// RFC 3339 through the C++20 civil calendar (std::chrono::year_month_day), no time zone
// database and no locale.
#include "webhooks/utc_time.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace jobzen::webhooks {

namespace {

// Reads exactly `width` digits at `pos` into *out.
bool Digits(std::string_view s, std::size_t pos, std::size_t width, int* out) {
  if (pos + width > s.size()) return false;
  const char* begin = s.data() + pos;
  for (std::size_t i = 0; i < width; ++i) {
    if (begin[i] < '0' || begin[i] > '9') return false;
  }
  return std::from_chars(begin, begin + width, *out).ec == std::errc{};
}

bool At(std::string_view s, std::size_t pos, char c) { return pos < s.size() && s[pos] == c; }

// Milliseconds from an optional ".fraction" at *pos (advanced past it).
int Fraction(std::string_view s, std::size_t* pos) {
  if (!At(s, *pos, '.')) return 0;
  int ms = 0;
  std::size_t digits = 0;
  for (++*pos; *pos < s.size() && s[*pos] >= '0' && s[*pos] <= '9'; ++*pos, ++digits) {
    if (digits < 3) ms = ms * 10 + (s[*pos] - '0');
  }
  for (std::size_t d = digits; d < 3; ++d) ms *= 10;
  return digits == 0 ? -1 : ms;
}

// The zone suffix as an offset in minutes east of UTC; nullopt when malformed.
std::optional<int> Offset(std::string_view zone) {
  if (zone == "Z" || zone == "z") return 0;
  int hh = 0;
  int mm = 0;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !Digits(zone, 1, 2, &hh) || zone[3] != ':' ||
      !Digits(zone, 4, 2, &mm) || hh > 23 || mm > 59) {
    return std::nullopt;
  }
  return (zone[0] == '-' ? -1 : 1) * (hh * 60 + mm);
}

}  // namespace

std::int64_t NowUnixMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string FormatUtc(std::int64_t unix_ms, bool millis) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds(unix_ms)};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  std::string out(buf);
  if (millis) {
    std::snprintf(buf, sizeof buf, ".%03dZ", static_cast<int>(hms.subseconds().count()));
    return out + buf;
  }
  return out + "Z";
}

std::optional<std::int64_t> ParseUtc(std::string_view s) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!Digits(s, 0, 4, &y) || !At(s, 4, '-') || !Digits(s, 5, 2, &mo) || !At(s, 7, '-') || !Digits(s, 8, 2, &d) ||
      !(At(s, 10, 'T') || At(s, 10, 't')) || !Digits(s, 11, 2, &h) || !At(s, 13, ':') || !Digits(s, 14, 2, &mi) ||
      !At(s, 16, ':') || !Digits(s, 17, 2, &sec)) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  const int ms = Fraction(s, &pos);
  const auto offset = Offset(s.substr(pos));
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (ms < 0 || !offset || !ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  const auto t = sys_days{ymd} + hours{h} + minutes{mi - *offset} + seconds{sec} + milliseconds{ms};
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

}  // namespace jobzen::webhooks
