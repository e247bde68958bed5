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

// Finds the date periods of one line (or short block), left to right. A date is a French or
// English month name or abbreviation, any case, with or without accents or a dot ("Janv.",
// "févr", "AOÛT", "Sept", "March") followed by a year; MM/YYYY, MM.YYYY, MM-YYYY, DD/MM/YYYY or
// YYYY-MM; or a bare year. A year is 1950..2100, four digits not inside a longer digit run or a
// word ("ES2022"), not an amount ("2000 €") and not a group of a phone number or amount.
// Separators: -, –, —, −, →, ->, à, a, au, to, until, till, through, jusqu'à/au/en, and "et"/
// "and" after "entre"/"between". Open ends: aujourd'hui, présent, present, current(ly), now,
// today, ongoing, (à) ce jour, to date, en cours, en poste, actuel(lement), maintenant...;
// "depuis"/"since"/"dès" + date is open too. A leading "de"/"du"/"from"/"entre"/"between"
// is part of the range's offsets. A month-only start takes the end's year ("Feb. – Aug. 2019",
// "Nov. – Feb. 2020" starts in 2019). Spaces may be ASCII, NBSP or narrow NBSP. A lone date not
// part of a range is returned with single = true (month 0 when the year stands alone).
// Ranges whose end precedes their start, and open periods starting after as_of, are dropped.
std::vector<Period> FindPeriods(std::string_view text, YearMonth as_of);

// Number of months covered by a period, counting both ends inclusively at month
// granularity: 09/2018 - 06/2022 is 46 months, (end - start) + 1. A year-only start is taken
// as January and a year-only end as December ("2016-2019" is 48 months). Open periods end at
// as_of, and any end after as_of is capped at as_of ("2026 – 2026" with as_of 2026-11 is 11
// months). Returns 0 for single dates and for periods that start after as_of. An as_of with
// year 0 caps nothing and leaves open periods at their stored end.
int PeriodMonths(const Period& p, YearMonth as_of);

// Total months covered by the union of the periods, each counted as PeriodMonths does:
// overlapping and adjacent month intervals merge, so overlaps count once and gaps not at all.
int UnionMonths(const std::vector<Period>& periods, YearMonth as_of);

}  // namespace jobzen::engine
