// Dated periods in CV lines: a hand-written scanner over the raw UTF-8 bytes (no std::regex)
// that reads French and English month names, numeric month-years and bare years, range
// separators and open ends, plus the month arithmetic used for experience totals.
#include "engine/dates.hpp"

#include "engine/utf8_scan.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>

namespace jobzen::engine {
namespace {

constexpr int kMinYear = 1950;
constexpr int kMaxYear = 2100;

using namespace scan;  // NOLINT: the shared byte-level helpers of utf8_scan.hpp


// The letters-only word starting at i (ASCII letters and Latin letters), folded, and its end.
// Words longer than any month name or keyword come back empty: no need to fold them.
std::pair<std::string, std::size_t> WordAt(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && (IsAsciiAlpha(s[j]) || IsLetterLead(Byte(s, j)))) j += CodePointLengthAt(s, j);
  j = std::min(j, s.size());
  if (j - i > 24) return {std::string(), j};
  const std::string_view word = s.substr(i, j - i);
  // Most words are ASCII: lowered in place, without FoldAscii's offset table.
  if (std::all_of(word.begin(), word.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    std::string lowered(word);
    for (char& c : lowered) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    return {std::move(lowered), j};
  }
  return {FoldAscii(word).text, j};
}

// Month names and abbreviations, French and English, folded (no accents, lowercase).
constexpr std::array<std::pair<std::string_view, int>, 42> kMonthNames{{
    {"january", 1},   {"jan", 1},       {"janvier", 1},  {"janv", 1},
    {"february", 2},  {"feb", 2},       {"fevrier", 2},  {"fevr", 2},     {"fev", 2},
    {"march", 3},     {"mar", 3},       {"mars", 3},
    {"april", 4},     {"apr", 4},       {"avril", 4},    {"avr", 4},
    {"may", 5},       {"mai", 5},
    {"june", 6},      {"jun", 6},       {"juin", 6},
    {"july", 7},      {"jul", 7},       {"juillet", 7},  {"juil", 7},     {"juill", 7},
    {"august", 8},    {"aug", 8},       {"aout", 8},
    {"september", 9}, {"sep", 9},       {"sept", 9},     {"septembre", 9},
    {"october", 10},  {"oct", 10},      {"octobre", 10},
    {"november", 11}, {"nov", 11},      {"novembre", 11},
    {"december", 12}, {"dec", 12},      {"decembre", 12},
}};

int MonthNumber(std::string_view folded) {
  for (const auto& [name, month] : kMonthNames) {
    if (name == folded) return month;
  }
  return 0;
}

// A date point: a month-year, a bare year (month 0), or a month name without a year
// (year 0), which is only usable as the start of "Feb. – Aug. 2019".
struct Point {
  YearMonth ym;
  std::size_t begin = 0;
  std::size_t end = 0;
  bool HasYear() const { return ym.year != 0; }
};

// A currency sign or code just before or after a number means an amount, not a year.
bool IsCurrencyAt(std::string_view s, std::size_t i) {
  const unsigned char b = Byte(s, i);
  if (b == '$' || b == '%') return true;
  if (b == 0xE2 && Byte(s, i + 1) == 0x82 && Byte(s, i + 2) == 0xAC) return true;  // €
  if (b == 0xC2 && Byte(s, i + 1) == 0xA3) return true;                            // £
  const auto [word, end] = WordAt(s, i);
  return word == "k" || word == "eur" || word == "euros" || word == "usd" || word == "gbp" || word == "chf";
}

bool IsCurrencyBefore(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j > 0) {
    if (s[j - 1] == ' ') {
      --j;
    } else if (j >= 2 && Byte(s, j - 2) == 0xC2 && Byte(s, j - 1) == 0xA0) {
      j -= 2;
    } else {
      break;
    }
  }
  if (j >= 1 && s[j - 1] == '$') return true;
  if (j >= 2 && Byte(s, j - 2) == 0xC2 && Byte(s, j - 1) == 0xA3) return true;
  if (j >= 3 && Byte(s, j - 3) == 0xE2 && Byte(s, j - 2) == 0x82 && Byte(s, j - 1) == 0xAC) return true;
  return false;
}

// Four digits 1950..2100 at i, not inside a longer digit run or a word ("ES2022"), not an
// amount ("€2000", "2000 €") and not a group of a phone number or amount ("89 0000 2019").
// require_boundary is false after a numeric month ("09/2018"), where a digit precedes.
std::optional<int> YearAt(std::string_view s, std::size_t i, bool require_boundary) {
  if (i + 4 > s.size()) return std::nullopt;
  for (std::size_t k = 0; k < 4; ++k) {
    if (!IsAsciiDigit(s[i + k])) return std::nullopt;
  }
  if (IsWordCharAt(s, i + 4)) return std::nullopt;
  if (require_boundary) {
    if (WordCharBefore(s, i)) return std::nullopt;
    const std::size_t sp = (i >= 1 && s[i - 1] == ' ') ? 1 : (i >= 2 && Byte(s, i - 2) == 0xC2 && Byte(s, i - 1) == 0xA0) ? 2 : 0;
    if (sp != 0 && i >= sp + 1 && IsAsciiDigit(s[i - sp - 1])) return std::nullopt;
    if (IsCurrencyBefore(s, i)) return std::nullopt;
  }
  if (IsCurrencyAt(s, SkipSpaces(s, i + 4))) return std::nullopt;
  const int year = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
  if (year < kMinYear || year > kMaxYear) return std::nullopt;
  return year;
}

// One or two digits at i holding 1..12, and the offset after them.
std::optional<std::pair<int, std::size_t>> SmallNumberAt(std::string_view s, std::size_t i, int max) {
  std::size_t j = i;
  while (j < s.size() && j - i < 3 && IsAsciiDigit(s[j])) ++j;
  if (j == i || j - i > 2) return std::nullopt;
  const int v = j - i == 1 ? s[i] - '0' : (s[i] - '0') * 10 + (s[i + 1] - '0');
  if (v < 1 || v > max) return std::nullopt;
  return std::make_pair(v, j);
}

// Numeric dates at i: MM/YYYY, MM.YYYY, MM-YYYY, DD/MM/YYYY, DD.MM.YYYY, YYYY-MM, YYYY.
std::optional<Point> NumericPointAt(std::string_view s, std::size_t i) {
  if (WordCharBefore(s, i)) return std::nullopt;
  auto is_sep = [](char c) { return c == '/' || c == '.' || c == '-'; };
  if (const auto first = SmallNumberAt(s, i, 31)) {
    const auto [a, after_a] = *first;
    const char sep = after_a < s.size() ? s[after_a] : '\0';
    if (is_sep(sep)) {
      if (a <= 12) {
        if (const auto y = YearAt(s, after_a + 1, false)) return Point{{*y, a}, i, after_a + 5};
      }
      if (sep != '-') {
        if (const auto second = SmallNumberAt(s, after_a + 1, 12)) {
          const auto [m, after_m] = *second;
          if (after_m < s.size() && s[after_m] == sep) {
            if (const auto y = YearAt(s, after_m + 1, false)) return Point{{*y, m}, i, after_m + 5};
          }
        }
      }
    }
  }
  if (const auto y = YearAt(s, i, true)) {
    // ISO "2019-03": exactly two digits 01..12 after the hyphen, not the start of "2019-2023".
    if (i + 7 <= s.size() && s[i + 4] == '-' && IsAsciiDigit(s[i + 5]) && IsAsciiDigit(s[i + 6]) && !IsWordCharAt(s, i + 7)) {
      const int m = (s[i + 5] - '0') * 10 + (s[i + 6] - '0');
      if (m >= 1 && m <= 12) return Point{{*y, m}, i, i + 7};
    }
    return Point{{*y, 0}, i, i + 4};
  }
  return std::nullopt;
}

// A month name at i, with the year that follows it ("Janv. 2019", "Sept-2019", "May, 2020")
// or without one ("Feb." in "Feb. – Aug. 2019").
std::optional<Point> NamedPointAt(std::string_view s, std::size_t i) {
  // Month names start with one of these letters: other ASCII words are no month.
  static constexpr std::string_view kInitials = "jfmasondJFMASOND";
  if (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80 && kInitials.find(s[i]) == std::string_view::npos) return std::nullopt;
  if (WordCharBefore(s, i)) return std::nullopt;
  const auto [word, word_end] = WordAt(s, i);
  const int month = MonthNumber(word);
  if (month == 0 || IsWordCharAt(s, word_end)) return std::nullopt;
  std::size_t j = word_end;
  if (j < s.size() && s[j] == '.') ++j;
  const std::size_t name_end = j;
  if (j < s.size() && (s[j] == '-' || s[j] == '/')) {
    if (const auto y = YearAt(s, j + 1, false)) return Point{{*y, month}, i, j + 5};
  }
  j = SkipSpaces(s, j);
  if (j < s.size() && s[j] == ',') j = SkipSpaces(s, j + 1);
  if (const auto y = YearAt(s, j, true)) return Point{{*y, month}, i, j + 4};
  return Point{{0, month}, i, name_end};
}

std::optional<Point> PointAt(std::string_view s, std::size_t i) {
  if (i >= s.size()) return std::nullopt;
  if (IsAsciiDigit(s[i])) return NumericPointAt(s, i);
  return NamedPointAt(s, i);
}

// Does the folded text at i start with phrase, ending on a word boundary?
bool FoldedStartsWith(const Folded& f, std::size_t i, std::string_view phrase) {
  if (f.text.compare(i, phrase.size(), phrase) != 0) return false;
  const std::size_t e = i + phrase.size();
  return e >= f.text.size() || !(IsAsciiAlpha(f.text[e]) || IsAsciiDigit(f.text[e]));
}

// Open ends. The first group may follow a date directly ("2019 to date", "2020 à ce jour");
// the bare words need a separator before them ("2019 – present").
constexpr std::array<std::string_view, 20> kOpenWithPreposition{
    "to date", "to present", "to now", "till date", "until now", "until today", "up to now",
    "a ce jour", "a present", "a aujourd'hui", "a aujourd hui", "a nos jours", "jusqu'a aujourd'hui",
    "jusqu'a ce jour", "jusqu'a present", "jusqu'a maintenant", "jusqu'a nos jours", "au present",
    "a maintenant", "a auj"};
constexpr std::array<std::string_view, 20> kOpenWords{
    "aujourd'hui", "aujourd hui", "aujourdhui", "auj", "ce jour", "nos jours", "present", "presently",
    "current", "currently", "now", "today", "ongoing", "en cours", "en poste", "actuellement",
    "actuel", "maintenant", "date", "en activite"};

// The end offset of an open-end phrase at i, if any.
std::optional<std::size_t> OpenEndAt(std::string_view s, std::size_t i, bool after_separator) {
  if (i >= s.size() || !IsWordCharAt(s, i)) return std::nullopt;
  const Folded f = FoldAscii(s.substr(i, std::min<std::size_t>(32, s.size() - i)));
  auto match = [&](const auto& list) -> std::optional<std::size_t> {
    for (const std::string_view phrase : list) {
      if (FoldedStartsWith(f, 0, phrase)) return i + f.src[phrase.size()];
    }
    return std::nullopt;
  };
  if (const auto e = match(kOpenWithPreposition)) return e;
  if (after_separator) return match(kOpenWords);
  return std::nullopt;
}

// The end offset of a range separator at i: hyphens and dashes, arrows, "à", "au", "to",
// "until", "jusqu'à"... and "et"/"and" after "entre"/"between".
std::optional<std::size_t> SeparatorAt(std::string_view s, std::size_t i, bool allow_and) {
  if (i >= s.size()) return std::nullopt;
  if (s.compare(i, 3, "-->") == 0) return i + 3;
  if (s.compare(i, 2, "->") == 0 || s.compare(i, 2, "=>") == 0) return i + 2;
  if (s[i] == '-' || s[i] == '~' || s[i] == '>') return i + 1;
  if (Byte(s, i) == 0xE2) {
    const unsigned char b1 = Byte(s, i + 1);
    const unsigned char b2 = Byte(s, i + 2);
    if (b1 == 0x80 && b2 >= 0x90 && b2 <= 0x95) return i + 3;  // ‐ ‑ ‒ – — ―
    if (b1 == 0x88 && b2 == 0x92) return i + 3;                 // −
    if (b1 == 0x86 && b2 == 0x92) return i + 3;                 // →
  }
  if (!IsWordCharAt(s, i)) return std::nullopt;
  const Folded f = FoldAscii(s.substr(i, std::min<std::size_t>(16, s.size() - i)));
  static constexpr std::array<std::string_view, 11> kWords{
      "jusqu'au", "jusqu'a", "jusqu'en", "jusque", "through", "until", "till", "thru", "to", "au", "a"};
  for (const std::string_view w : kWords) {
    if (FoldedStartsWith(f, 0, w)) return i + f.src[w.size()];
  }
  if (allow_and && (FoldedStartsWith(f, 0, "and") || FoldedStartsWith(f, 0, "et"))) return i + f.src[f.text[0] == 'a' ? 3 : 2];
  return std::nullopt;
}

bool EndsBeforeStart(YearMonth start, YearMonth end) {
  if (start.month == 0 || end.month == 0) return end.year < start.year;
  return end < start;
}

// The range that starts with point `from`, if a separator and an end (a date or an open end)
// follow it. A month-only start takes the end's year ("Feb. – Aug. 2019"), or the year before
// when its month comes later ("Nov. – Feb. 2020").
std::optional<Period> RangeFrom(std::string_view s, Point from, bool allow_and, YearMonth as_of) {
  const std::size_t after = SkipSpaces(s, from.end);
  Period p;
  p.begin_offset = from.begin;
  if (from.HasYear()) {
    if (const auto e = OpenEndAt(s, after, false)) {
      p.start = from.ym;
      p.end = as_of;
      p.open = true;
      p.end_offset = *e;
      return p;
    }
  }
  const auto sep = SeparatorAt(s, after, allow_and);
  if (!sep) return std::nullopt;
  const std::size_t next = SkipSpaces(s, *sep);
  if (from.HasYear()) {
    if (const auto e = OpenEndAt(s, next, true)) {
      p.start = from.ym;
      p.end = as_of;
      p.open = true;
      p.end_offset = *e;
      return p;
    }
  }
  const auto to = PointAt(s, next);
  if (!to || !to->HasYear()) return std::nullopt;
  if (!from.HasYear()) {
    if (to->ym.month == 0) return std::nullopt;
    from.ym.year = from.ym.month > to->ym.month ? to->ym.year - 1 : to->ym.year;
  }
  p.start = from.ym;
  p.end = to->ym;
  p.end_offset = to->end;
  return p;
}

// Start (first month) and end (last month) of a period as month indices year * 12 + month - 1,
// with as_of capping the end; nullopt for single dates and periods that start after as_of.
std::optional<std::pair<int, int>> MonthSpan(const Period& p, YearMonth as_of) {
  if (p.single) return std::nullopt;
  auto index = [](YearMonth ym, int default_month) { return ym.year * 12 + (ym.month == 0 ? default_month : ym.month) - 1; };
  const int start = index(p.start, 1);
  int end = index(p.open && as_of.year != 0 ? as_of : p.end, 12);
  if (as_of.year != 0) end = std::min(end, index(as_of, 12));
  if (end < start) return std::nullopt;
  return std::make_pair(start, end);
}

}  // namespace

std::vector<Period> FindPeriods(std::string_view text, YearMonth as_of) {
  std::vector<Period> out;
  auto push_range = [&](const Period& p) {
    if (!EndsBeforeStart(p.start, p.end)) out.push_back(p);
  };
  std::size_t i = 0;
  while (i < text.size()) {
    if (!IsWordCharAt(text, i) || WordCharBefore(text, i)) {
      i += CodePointLengthAt(text, i);
      continue;
    }
    const auto [word, word_end] = WordAt(text, i);
    // "depuis 2021", "since Mar 2020": open from the date on, unless a range follows.
    if (word == "depuis" || word == "since" || word == "des") {
      std::size_t j = SkipSpaces(text, word_end);
      if (const auto [article, article_end] = WordAt(text, j); article == "le") j = SkipSpaces(text, article_end);
      if (const auto from = PointAt(text, j); from && from->HasYear()) {
        if (auto range = RangeFrom(text, *from, false, as_of)) {
          range->begin_offset = i;
          push_range(*range);
          i = range->end_offset;
          continue;
        }
        Period p{from->ym, as_of, true, false, i, from->end};
        push_range(p);
        i = from->end;
        continue;
      }
    }
    // "de 2015 à 2018", "from 2015 to 2018", "entre 2015 et 2018": the prefix belongs to the range.
    if (word == "de" || word == "du" || word == "from" || word == "entre" || word == "between") {
      const std::size_t j = SkipSpaces(text, word_end);
      if (const auto from = PointAt(text, j)) {
        if (auto range = RangeFrom(text, *from, word == "entre" || word == "between", as_of)) {
          range->begin_offset = i;
          push_range(*range);
          i = range->end_offset;
          continue;
        }
      }
    }
    if (const auto point = PointAt(text, i)) {
      if (const auto range = RangeFrom(text, *point, false, as_of)) {
        push_range(*range);
        i = range->end_offset;
        continue;
      }
      if (point->HasYear()) {
        out.push_back(Period{point->ym, point->ym, false, true, point->begin, point->end});
        i = point->end;
        continue;
      }
    }
    // Skip the rest of this word or number: dates only start on a word boundary.
    i = i + 1;
    while (i < text.size() && IsWordCharAt(text, i)) i += CodePointLengthAt(text, i);
  }
  return out;
}

int PeriodMonths(const Period& p, YearMonth as_of) {
  const auto span = MonthSpan(p, as_of);
  return span ? span->second - span->first + 1 : 0;
}

int UnionMonths(const std::vector<Period>& periods, YearMonth as_of) {
  std::vector<std::pair<int, int>> spans;
  spans.reserve(periods.size());
  for (const Period& p : periods) {
    if (const auto span = MonthSpan(p, as_of)) spans.push_back(*span);
  }
  std::sort(spans.begin(), spans.end());
  int total = 0;
  std::optional<std::pair<int, int>> run;
  for (const auto& [start, end] : spans) {
    // Adjacent intervals (08/2020 then 09/2020) merge too; either way no month is counted twice.
    if (run && start <= run->second + 1) {
      run->second = std::max(run->second, end);
      continue;
    }
    if (run) total += run->second - run->first + 1;
    run = std::make_pair(start, end);
  }
  if (run) total += run->second - run->first + 1;
  return total;
}

}  // namespace jobzen::engine
