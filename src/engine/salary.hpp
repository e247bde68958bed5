// The candidate's own salary expectation in CV text: "45 000 € brut", "45-50 k€",
// "2 300 € net / mois", "£55,000", "70k-80k USD". Budgets, revenue, deal sizes are not salary.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jobzen::engine {

struct SalaryRange {
  long min = 0;
  long max = 0;
  std::string currency;   // ISO 4217: EUR, GBP, USD, CHF...
  std::string period;     // "year", "month", "day", "hour" or "" when unstated
  std::string basis;      // "gross", "net" or "" when unstated
  std::size_t begin_offset = 0;  // byte offsets of the amount expression in the text
  std::size_t end_offset = 0;
  bool operator==(const SalaryRange&) const = default;
};

// Parses the first money amount or range in one short string ("45-50 k€", "£55,000",
// "2 300 € net / mois", "USD 70,000-80,000", "CHF 95'000"), with period and basis when the
// string states them (first in the rest of the amount's clause, else before the amount).
// Thousands separators: space, NBSP, narrow NBSP, ',', '.', '\''; a k/K suffix multiplies by
// 1000 and, when only the second figure of a range has it, the first too ("45-50 k€" ->
// 45000..50000); M/million by 10^6. A figure counts as money when it has a currency, a suffix,
// a thousands group or is at least 10000; a second figure below the first or above four times
// it is not a range end. Values are rounded to whole currency units. nullopt when none.
std::optional<SalaryRange> ParseSalary(std::string_view text);

// Finds the candidate's expectation in a whole CV: only amounts introduced by an expectation
// cue: a salary noun (salaire, rémunération, package, salary, compensation, salariales) and a
// "wanted" word (souhaité, attendu, visé, attentes, expected, desired, target, expectation(s),
// requirements...) in either order with at most two words between them in one phrase
// ("salaire brut mensuel souhaité", "expected base salary"); "prétentions"; or a wanted word
// followed by ':' on a line naming a salary ("Salaire actuel : 33 k€ – souhaité : 36–38 k€").
// The amount is the first one after the cue on its line, or, when that line has none, on the
// next non-blank line. Amounts in millions, above 2,000,000, or next to budget, revenue, ARR,
// quota, spend or deal words are skipped, as are figures without currency or k unless they
// directly follow the cue. The first cue in text order that yields an amount wins; nullopt
// when the CV states none. Offsets point into cv_text.
std::optional<SalaryRange> FindSalaryExpectation(std::string_view cv_text);

}  // namespace jobzen::engine
