// Tests of dated-period detection in CV lines and of the month arithmetic for experience totals.
#include "engine/dates.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jobzen::engine {
namespace {

constexpr YearMonth kAsOf{2026, 11};

std::string Show(YearMonth ym) {
  std::string s = std::to_string(ym.year);
  if (ym.month != 0) s += (ym.month < 10 ? "-0" : "-") + std::to_string(ym.month);
  return s;
}

// "2016", "2018-09..2022-06", "2021..2026-11 open"; periods joined by "; ".
std::string Show(const std::vector<Period>& periods) {
  std::string out;
  for (const Period& p : periods) {
    if (!out.empty()) out += "; ";
    out += p.single ? Show(p.start) : Show(p.start) + ".." + Show(p.end) + (p.open ? " open" : "");
  }
  return out;
}

struct Case {
  std::string input;
  std::string expected;
};

void ExpectPeriods(const std::vector<Case>& cases, YearMonth as_of = kAsOf) {
  for (const Case& c : cases) EXPECT_EQ(Show(FindPeriods(c.input, as_of)), c.expected) << "input: " << c.input;
}

TEST(FindPeriods, FrenchRanges) {
  ExpectPeriods({
      {"janv. 2019 – aujourd'hui", "2019-01..2026-11 open"},
      {"Janv. 2019 – aujourd\u2019hui — Comptable générale", "2019-01..2026-11 open"},
      {"Janvier 2018 – Mars 2020", "2018-01..2020-03"},
      {"Avril 2020 – aujourd'hui", "2020-04..2026-11 open"},
      {"Sept. 2016 – Déc. 2017", "2016-09..2017-12"},
      {"Juin 2015 – Présent", "2015-06..2026-11 open"},
      {"Juillet 2017 – Août 2018 | Infirmière", "2017-07..2018-08"},
      {"févr. 2019 - fév 2020", "2019-02..2020-02"},
      {"aout 2018 – déc 2019", "2018-08..2019-12"},
      {"juil. 2017 – sept 2018", "2017-07..2018-09"},
      {"FÉVR. 2019 – AOÛT 2020", "2019-02..2020-08"},
      {"Octobre 2019 – août 2021", "2019-10..2021-08"},
      {"sept. 2021 → fév. 2023", "2021-09..2023-02"},
      {"de 2015 à 2018", "2015..2018"},
      {"De janvier 2019 à mars 2020", "2019-01..2020-03"},
      {"du 01/09/2015 au 30/06/2018", "2015-09..2018-06"},
      {"entre 2015 et 2018", "2015..2018"},
      {"2020 – à ce jour", "2020..2026-11 open"},
      {"2019 jusqu'à aujourd'hui", "2019..2026-11 open"},
      {"2019 – en cours", "2019..2026-11 open"},
      {"2017 – aujourd'hui   Comptable unique", "2017..2026-11 open"},
      {"09/2018 à 05/2021", "2018-09..2021-05"},
  });
}

TEST(FindPeriods, EnglishRanges) {
  ExpectPeriods({
      {"Mar 2020 - Present", "2020-03..2026-11 open"},
      {"March 2020 – Current", "2020-03..2026-11 open"},
      {"Jun 2015 – Present", "2015-06..2026-11 open"},
      {"Sept 2021 – Dec 2022", "2021-09..2022-12"},
      {"June 2021 – March 2023", "2021-06..2023-03"},
      {"from 2015 to 2018", "2015..2018"},
      {"between 2015 and 2018", "2015..2018"},
      {"2021 - now", "2021..2026-11 open"},
      {"01/2022 – today    Account Executive", "2022-01..2026-11 open"},
      {"2019 to date", "2019..2026-11 open"},
      {"Jan-2020 – Mar-2021", "2020-01..2021-03"},
      {"Feb. – Aug. 2019", "2019-02..2019-08"},
      {"Nov. – Feb. 2020", "2019-11..2020-02"},
  });
}

TEST(FindPeriods, NumericForms) {
  ExpectPeriods({
      {"2016-2019", "2016..2019"},
      {"2019 – 2023 :", "2019..2023"},
      {"2017 – 2019", "2017..2019"},
      {"09/2018 - 06/2022", "2018-09..2022-06"},
      {"09/2012 - 05/2015", "2012-09..2015-05"},
      {"03/2022 - Present", "2022-03..2026-11 open"},
      {"10.2017 – 08.2019", "2017-10..2019-08"},
      {"10-2017 – 08-2019", "2017-10..2019-08"},
      {"2019-03 – 2021-05", "2019-03..2021-05"},
      {"2021–now", "2021..2026-11 open"},
      {"2016—2019", "2016..2019"},
      {"2016 \u2013 2019", "2016..2019"},
      {"Mars\u00A02019\u00A0–\u00A0Juin\u00A02020", "2019-03..2020-06"},
      {"Mars\u202F2019\u202F–\u202FJuin\u202F2020", "2019-03..2020-06"},
      {"2010 – 2016 – Plombier", "2010..2016"},
  });
}

TEST(FindPeriods, OpenStarts) {
  ExpectPeriods({
      {"depuis 2021", "2021..2026-11 open"},
      {"Depuis mars 2021", "2021-03..2026-11 open"},
      {"Depuis septembre 2021 — Gestionnaire de paie", "2021-09..2026-11 open"},
      {"depuis 06/2021", "2021-06..2026-11 open"},
      {"since 2019", "2019..2026-11 open"},
      {"Depuis 2016 – Plombier confirmé", "2016..2026-11 open"},
  });
}

TEST(FindPeriods, SingleDates) {
  ExpectPeriods({
      {"2016 : Diplôme", "2016"},
      {"2016 – Diplôme d'ingénieur en informatique, INSA Lyon", "2016"},
      {"BSc Computer Engineering, Politecnico di Milano (2023)", "2023"},
      {"(2023)", "2023"},
      {"CACES R489 (valides jusqu'en 03/2029)", "2029-03"},
      {"disponible à partir de janvier 2027", "2027-01"},
      {"2024: 118% of quota; 2023: 104%", "2024; 2023"},
      {"Feb. 2019", "2019-02"},
  });
}

TEST(FindPeriods, IgnoresNumbersThatAreNotYears) {
  ExpectPeriods({
      {"06 39 98 12 74", ""},
      {"35000 Rennes", ""},
      {"Lyon (69003)", ""},
      {"~40M events/day, p99 under 900 ms", ""},
      {"180 colis/heure en moyenne", ""},
      {"45 000 € brut", ""},
      {"un budget de 2000 €", ""},
      {"€2019 raised", ""},
      {"JavaScript (ES2022)", ""},
      {"+49 89 0000 2019", ""},
      {"1949 – 2101", ""},
      {"ref 120019", ""},
      {"Intervenant vacataire (40 h/an)", ""},
      {"Feb. alone, May be", ""},
  });
}

TEST(FindPeriods, DropsBackwardRangesAndFutureStarts) {
  ExpectPeriods({
      {"2020 – 2018", ""},
      {"Mars 2020 – Janvier 2020", ""},
      {"depuis 2027", ""},
  });
}

TEST(FindPeriods, OffsetsCoverTheWholeExpression) {
  const std::vector<Case> cases = {
      {"Senior SRE — Streamly, Paris   06/2021 – present", "06/2021 – present"},
      {"Data Engineer   2021–now", "2021–now"},
      {"Plombier de 2015 à 2018, Paris", "de 2015 à 2018"},
      {"UX Designer — Bordeaux   depuis mars 2023", "depuis mars 2023"},
      {"Janv. 2019 – aujourd\u2019hui — Comptable", "Janv. 2019 – aujourd\u2019hui"},
      {"Intern   Feb. – Aug. 2019", "Feb. – Aug. 2019"},
      {"Certification (2023)", "2023"},
  };
  for (const Case& c : cases) {
    const std::vector<Period> found = FindPeriods(c.input, kAsOf);
    ASSERT_EQ(found.size(), 1u) << "input: " << c.input;
    EXPECT_EQ(c.input.substr(found[0].begin_offset, found[0].end_offset - found[0].begin_offset), c.expected)
        << "input: " << c.input;
  }
}

TEST(FindPeriods, SeveralPeriodsInOneLine) {
  ExpectPeriods({
      {"2012 – 2013 Aide-comptable; 2013 – 2017 Collaborateur", "2012..2013; 2013..2017"},
      {"Renfort COVID (2020-2021), diplôme 2017", "2020..2021; 2017"},
  });
}

struct MonthsCase {
  std::string input;
  YearMonth as_of;
  int expected;
};

TEST(PeriodMonths, CountsBothEndsAtMonthGranularity) {
  const std::vector<MonthsCase> cases = {
      {"09/2018 - 06/2022", kAsOf, 46},
      {"03/2022 - Present", kAsOf, 57},
      {"2016-2019", kAsOf, 48},                // Jan 2016 .. Dec 2019
      {"depuis 2021", kAsOf, 71},              // Jan 2021 .. Nov 2026
      {"Depuis mars 2021", kAsOf, 69},
      {"Feb. – Aug. 2019", kAsOf, 7},
      {"Mars 2019 – Mars 2019", kAsOf, 1},
      {"2026 – 2026", kAsOf, 11},              // an end in as_of's year stops at as_of
      {"2024 – 2028", kAsOf, 35},              // any end after as_of stops at as_of
      {"03/2022 - Present", YearMonth{2023, 2}, 12},
      {"2016 : Diplôme", kAsOf, 0},            // single dates cover nothing
  };
  for (const MonthsCase& c : cases) {
    const std::vector<Period> found = FindPeriods(c.input, c.as_of);
    ASSERT_EQ(found.size(), 1u) << "input: " << c.input;
    EXPECT_EQ(PeriodMonths(found[0], c.as_of), c.expected) << "input: " << c.input;
  }
}

struct UnionCase {
  std::string name;
  std::vector<std::string> lines;
  int expected;
};

TEST(UnionMonths, MergesOverlapsAndAdjacentPeriods) {
  const std::vector<UnionCase> cases = {
      {"adjacent", {"Mars 2019 – aujourd'hui", "Sept. 2016 – Févr. 2019"}, 123},  // 2016-09 .. 2026-11
      {"adjacent numeric", {"01/2021 – 06/2021", "01/2020 – 12/2020"}, 18},
      {"overlap", {"2016-2019", "2018-2020"}, 60},
      {"contained", {"2010 - 2020", "03/2012 - 05/2014"}, 132},
      {"gap not counted", {"01/2010 - 12/2010", "01/2012 - 12/2012"}, 24},
      {"singles ignored", {"2016 : Diplôme", "09/2018 - 06/2022"}, 46},
      {"unordered", {"09/2018 - 06/2022", "01/2010 - 12/2010", "2011"}, 58},
      {"empty", {}, 0},
  };
  for (const UnionCase& c : cases) {
    std::vector<Period> periods;
    for (const std::string& line : c.lines) {
      for (const Period& p : FindPeriods(line, kAsOf)) periods.push_back(p);
    }
    EXPECT_EQ(UnionMonths(periods, kAsOf), c.expected) << "case: " << c.name;
  }
}

}  // namespace
}  // namespace jobzen::engine
