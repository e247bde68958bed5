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

// Parses a money amount or range in one short string ("45-50 k€", "£55,000",
// "2 300 € net / mois"), with period and basis when the string states them.
std::optional<SalaryRange> ParseSalary(std::string_view text);

// Finds the candidate's expectation in a whole CV: only amounts introduced by an expectation
// cue (FR: "prétentions", "salaire souhaité", "rémunération souhaitée/attendue", "salaire
// visé"...; EN: "expected salary", "salary expectation(s)", "desired salary", "target
// compensation"...), or a line that is clearly about the candidate's salary. nullopt when the
// CV states none.
std::optional<SalaryRange> FindSalaryExpectation(std::string_view cv_text);

}  // namespace jobzen::engine
