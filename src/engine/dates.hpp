// Dated periods in CV text ("janv. 2019 – aujourd'hui", "2016-2019", "Mar 2020 - Present",
// "depuis 2021", "09/2018 - 06/2022") and month arithmetic for experience totals.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace jobzen::engine {

// A calendar month. month is 1..12; 0 means the text gave the year only.
struct YearMonth {
  int year = 0;
  int month = 0;
  bool operator==(const YearMonth&) const = default;
  auto operator<=>(const YearMonth&) const = default;
};

// One period found in a line. end is as_of when the period is open ("aujourd'hui", "present",
// "depuis 2021", "à ce jour", "current", "now", "en cours"). begin/end_offset are byte offsets
// of the whole date expression in the input string.
struct Period {
  YearMonth start;
  YearMonth end;
  bool open = false;           // ended by "present"/"aujourd'hui"/"depuis"...
  bool single = false;         // a lone date ("2016 – Diplôme..."), start == end
  std::size_t begin_offset = 0;
  std::size_t end_offset = 0;
  bool operator==(const Period&) const = default;
};

// Finds the date periods of one line (or short block), left to right, French and English
// month names and abbreviations, numeric MM/YYYY and MM.YYYY, years 1950..2100, separators
// -, –, —, à, au, to, until, jusqu'à. A lone date (year or month-year) not part of a range
// is returned with single = true. Ranges whose end precedes their start are dropped.
std::vector<Period> FindPeriods(std::string_view text, YearMonth as_of);

// Number of months covered by a period, counting both ends inclusively at month
// granularity: 09/2018 - 06/2022 is 46 months... (end - start) + 1 when months are known.
// Year-only ends are taken as January for the start and December for the end, except that an
// end in as_of's year is capped at as_of. Returns 0 for single dates.
int PeriodMonths(const Period& p, YearMonth as_of);

// Total months covered by the union of the periods (overlaps counted once, gaps not counted).
int UnionMonths(const std::vector<Period>& periods, YearMonth as_of);

}  // namespace jobzen::engine
