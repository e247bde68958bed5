// Tests of money-amount parsing and of finding the candidate's salary expectation in a CV.
#include "engine/salary.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jobzen::engine {
namespace {

// "45000-50000 EUR year gross" (empty period or basis shown as "-"), or "none".
std::string Show(const std::optional<SalaryRange>& r) {
  if (!r) return "none";
  return std::to_string(r->min) + "-" + std::to_string(r->max) + " " + (r->currency.empty() ? "-" : r->currency) + " " +
         (r->period.empty() ? "-" : r->period) + " " + (r->basis.empty() ? "-" : r->basis);
}

struct Case {
  std::string input;
  std::string expected;
};

TEST(ParseSalary, FrenchAmounts) {
  const std::vector<Case> cases = {
      {"45 000 €", "45000-45000 EUR - -"},
      {"45 000 € brut", "45000-45000 EUR - gross"},
      {"45000€", "45000-45000 EUR - -"},
      {"45 k€", "45000-45000 EUR - -"},
      {"45K€", "45000-45000 EUR - -"},
      {"38 K€", "38000-38000 EUR - -"},
      {"45-50 k€", "45000-50000 EUR - -"},
      {"55-60 k€ brut annuel", "55000-60000 EUR year gross"},
      {"32 000 à 35 000 € bruts annuels", "32000-35000 EUR year gross"},
      {"2 300 € net / mois", "2300-2300 EUR month net"},
      {"2 300 € nets mensuels", "2300-2300 EUR month net"},
      {"30 000 € brut/an", "30000-30000 EUR year gross"},
      {"45\u00A0000\u00A0€ par an", "45000-45000 EUR year -"},
      {"45\u202F000\u202F€ brute annuelle", "45000-45000 EUR year gross"},
      {"2\u202F800 – 3\u202F100 € bruts mensuels", "2800-3100 EUR month gross"},
      {"45.000 € brut", "45000-45000 EUR - gross"},
      {"65 000 euros annuels", "65000-65000 EUR year -"},
      {"TJM : 550 €", "550-550 EUR day -"},
      {"15 €/h", "15-15 EUR hour -"},
      {"18 € de l'heure", "18-18 EUR hour -"},
      {"500 €/jour", "500-500 EUR day -"},
      {"36–38 k€", "36000-38000 EUR - -"},
      {"1,5 M€", "1500000-1500000 EUR - -"},
  };
  for (const Case& c : cases) EXPECT_EQ(Show(ParseSalary(c.input)), c.expected) << "input: " << c.input;
}

TEST(ParseSalary, EnglishAndOtherCurrencies) {
  const std::vector<Case> cases = {
      {"€75,000 – €85,000 gross/year", "75000-85000 EUR year gross"},
      {"£55,000", "55000-55000 GBP - -"},
      {"£45k–£50k", "45000-50000 GBP - -"},
      {"70k-80k USD", "70000-80000 USD - -"},
      {"USD 70,000-80,000", "70000-80000 USD - -"},
      {"$90K", "90000-90000 USD - -"},
      {"US$ 100k per year", "100000-100000 USD year -"},
      {"CHF 95'000", "95000-95000 CHF - -"},
      {"CAD 80,000 annual", "80000-80000 CAD year -"},
      {"80-90K EUR gross per year", "80000-90000 EUR year gross"},
      {"€55–60k gross/year", "55000-60000 EUR year gross"},
      {"€1,950–2,100 gross/month", "1950-2100 EUR month gross"},
      {"€60k p.a.", "60000-60000 EUR year -"},
      {"550 € per day", "550-550 EUR day -"},
      {"£25 hourly", "25-25 GBP hour -"},
      {"£40,000 net", "40000-40000 GBP - net"},
      {"52 000 EUR gross/year", "52000-52000 EUR year gross"},
      {"between €70k and €80k", "70000-80000 EUR - -"},
  };
  for (const Case& c : cases) EXPECT_EQ(Show(ParseSalary(c.input)), c.expected) << "input: " << c.input;
}

TEST(ParseSalary, RangesAndFiguresThatAreNotMoney) {
  const std::vector<Case> cases = {
      {"45 000 € - 2 ans", "45000-45000 EUR - -"},         // the second figure is no range end
      {"CDI 35 h — 2 100 €", "2100-2100 EUR - -"},         // "35 h" is not money
      {"45 000 – 50 k€", "45000-50000 EUR - -"},
      {"Expected salary: 45000", "45000-45000 - - -"},     // a bare figure that cannot be a count
      {"06 39 98 12 74", "none"},
      {"Disponible en 2027", "none"},
      {"35 h par semaine", "none"},
      {"", "none"},
  };
  for (const Case& c : cases) EXPECT_EQ(Show(ParseSalary(c.input)), c.expected) << "input: " << c.input;
}

TEST(ParseSalary, OffsetsCoverTheAmount) {
  const std::vector<Case> cases = {
      {"Salaire : 45 000 € brut", "45 000 €"},
      {"Desired: €75,000 – €85,000 gross/year", "€75,000 – €85,000"},
      {"Prétentions : 32 000 à 35 000 € bruts", "32 000 à 35 000 €"},
      {"70k-80k USD (remote)", "70k-80k USD"},
  };
  for (const Case& c : cases) {
    const auto r = ParseSalary(c.input);
    ASSERT_TRUE(r.has_value()) << "input: " << c.input;
    EXPECT_EQ(c.input.substr(r->begin_offset, r->end_offset - r->begin_offset), c.expected) << "input: " << c.input;
  }
}

TEST(FindSalaryExpectation, CuesInFrench) {
  const std::vector<Case> cases = {
      {"Salaire souhaité : 55-60 k€ brut annuel", "55000-60000 EUR year gross"},
      {"Prétentions salariales : 30 K€ brut annuel – disponible à partir de janvier 2027", "30000-30000 EUR year gross"},
      {"Prétentions : 32 000 à 35 000 € bruts annuels", "32000-35000 EUR year gross"},
      {"Rémunération souhaitée : 45 000 – 48 000 € brut/an", "45000-48000 EUR year gross"},
      {"Salaire souhaité : 38 000 € brut/an", "38000-38000 EUR year gross"},
      {"Salaire actuel : 33 k€ – souhaité : 36–38 k€", "36000-38000 EUR - -"},
      {"Souhaits : CDI 35 h — salaire brut mensuel souhaité 2 100 – 2 250 €", "2100-2250 EUR month gross"},
      {"Disponibilité : préavis de 2 mois. Rémunération souhaitée : 44–48 k€ brut annuel.", "44000-48000 EUR year gross"},
      {"Prétentions : 2 800 – 3 100 € bruts mensuels", "2800-3100 EUR month gross"},
      {"Rémunération attendue : 3 000 € net / mois", "3000-3000 EUR month net"},
      {"Rémunération visée : 50 k€", "50000-50000 EUR - -"},
      {"Salaire visé : 42 000 €", "42000-42000 EUR - -"},
      {"Package souhaité : 70 k€", "70000-70000 EUR - -"},
      {"Attentes salariales : 40 k€", "40000-40000 EUR - -"},
      {"Salaire attendu : 38 K€", "38000-38000 EUR - -"},
      {"PRÉTENTIONS SALARIALES\n45 000 € brut annuel", "45000-45000 EUR year gross"},
      {"Prétentions salariales :\n\n  42\u202F000\u00A0€ brut", "42000-42000 EUR - gross"},
  };
  for (const Case& c : cases) EXPECT_EQ(Show(FindSalaryExpectation(c.input)), c.expected) << "input: " << c.input;
}

TEST(FindSalaryExpectation, CuesInEnglish) {
  const std::vector<Case> cases = {
      {"Desired salary: €75,000 – €85,000 gross/year. Notice period: 3 months.", "75000-85000 EUR year gross"},
      {"Desired salary: 70k-80k USD (remote, employee or contractor)", "70000-80000 USD - -"},
      {"Salary expectations: 80-90K EUR gross per year", "80000-90000 EUR year gross"},
      {"Salary expectation: 52 000 EUR gross/year", "52000-52000 EUR year gross"},
      {"Expected base salary: 65,000–70,000 EUR (plus commission)", "65000-70000 EUR - -"},
      {"Salary expectation: £45,000–£50,000", "45000-50000 GBP - -"},
      {"Expected salary: €55–60k gross/year  ·  Notice period: 2 months", "55000-60000 EUR year gross"},
      {"Full-time, evenings and weekends. Expected salary: €1,950–2,100 gross/month.", "1950-2100 EUR month gross"},
      {"Target salary: $90K", "90000-90000 USD - -"},
      {"Target compensation:\n\n£60k", "60000-60000 GBP - -"},
      {"Salary requirements: USD 70,000-80,000", "70000-80000 USD - -"},
      {"Expected compensation: CHF 95'000", "95000-95000 CHF - -"},
      {"Desired compensation: €38–42k", "38000-42000 EUR - -"},
      {"Expected salary: 45000", "45000-45000 - - -"},
  };
  for (const Case& c : cases) EXPECT_EQ(Show(FindSalaryExpectation(c.input)), c.expected) << "input: " << c.input;
}

TEST(FindSalaryExpectation, IgnoresBudgetsRevenueAndUncuedAmounts) {
  const std::vector<Case> cases = {
      {"Managed a €2M budget and a quota of $800K.", "none"},
      {"CA de 1,5 M€ ; 500 k€ de budget", "none"},
      {"Route-planning product; ARR grew from €2M to €9M.", "none"},
      {"Paid media budgets of up to £40k/month; ROAS 4.2 at £40k/month spend.", "none"},
      {"Salaire actuel : 33 k€", "none"},                                   // current pay, no expectation
      {"45 000 € brut annuel", "none"},                                     // no cue
      {"Offer: salary range €50k-€60k for this role", "none"},             // no expectation cue
      {"Salary expectation: negotiable. Managed a €2M budget.", "none"},
      {"Expected salary: open (quota of $800K last year)", "none"},
      {"Prétentions : selon profil\nDisponible en 2027", "none"},
      {"Exceeded target; base salary plus bonus.\nManaged £40k/month ad spend.", "none"},
      {"Gestion de la paie : 2 000 salariés, salaires de 1 800 € à 4 500 €", "none"},
  };
  for (const Case& c : cases) EXPECT_EQ(Show(FindSalaryExpectation(c.input)), c.expected) << "input: " << c.input;
}

TEST(FindSalaryExpectation, OffsetsPointIntoTheCv) {
  const std::string cv = "SKILLS\nPython\n\nManaged a €2M budget.\nDesired salary: €75,000 – €85,000 gross/year.\n";
  const auto r = FindSalaryExpectation(cv);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(cv.substr(r->begin_offset, r->end_offset - r->begin_offset), "€75,000 – €85,000");
}

}  // namespace
}  // namespace jobzen::engine
