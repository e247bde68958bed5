// Tests of profile extraction rules on small written CVs (the eval CVs are covered by the
// golden files and the quality floors in tests/apps).
#include "engine/extract.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "ingest/files.hpp"
#include "real_taxonomy.hpp"

namespace jobzen::engine {
namespace {

Profile Extract(std::string_view text, YearMonth as_of = {2026, 11}) {
  ExtractOptions o;
  o.as_of = as_of;
  o.evidence = true;
  return ExtractProfile(*Real(), text, o);
}

bool Has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::string LangsOf(const Profile& p) {
  std::string out;
  for (const auto& l : p.languages) out += l.code + ":" + l.level + " ";
  return out;
}

const char* kFrenchCv =
    "Camille ROUSSEAU\n"
    "Infirmière diplômée d'État – 8 ans d'expérience\n"
    "12 rue des Lilas, 75011 Paris – 06 12 34 56 78 – camille.rousseau@example.org\n"
    "\n"
    "EXPÉRIENCE PROFESSIONNELLE\n"
    "Mars 2019 – aujourd'hui\n"
    "Infirmière en service d'urgences – CHU de Nantes\n"
    "- Triage IOA, prélèvements sanguins, pose de voie veineuse périphérique.\n"
    "Sept. 2016 – Févr. 2019 : Infirmière en médecine interne, Clinique du Parc\n"
    "Juin 2015 – Août 2015 : Stage infirmier, EHPAD Les Tilleuls\n"
    "\n"
    "FORMATION\n"
    "2016 – Diplôme d'État d'Infirmier, IFSI de Nantes\n"
    "\n"
    "LANGUES\n"
    "Anglais : courant (C1) – Espagnol : notions\n"
    "\n"
    "CENTRES D'INTÉRÊT\n"
    "Course à pied, cuisine italienne\n"
    "Permis C : formation en cours\n";

TEST(Extract, ExperienceMergesPeriodsAndSkipsInternships) {
  const Profile p = Extract(kFrenchCv);
  // 2016-09 .. 2026-11 with no gap = 123 months; the 2015 internship does not count.
  EXPECT_EQ(p.experience_months, 123);
  EXPECT_EQ(p.experience_years, 10);
  EXPECT_EQ(p.lang, "fr");
}

TEST(Extract, LanguagesWithLevelsAndTheCvOwnLanguage) {
  const Profile p = Extract(kFrenchCv);
  ASSERT_EQ(p.languages.size(), 3u) << LangsOf(p);
  std::map<std::string, std::string> levels;
  for (const auto& l : p.languages) levels[l.code] = l.level;
  EXPECT_EQ(levels["fr"], "native");
  EXPECT_EQ(levels["en"], "C1");
  EXPECT_EQ(levels["es"], "A2");
}

TEST(Extract, LanguageNamesOutsideLanguageContextsAreIgnored) {
  const Profile p = Extract("EXPERIENCE\n2019 - 2024 Chef de partie, restaurant of Italian and French cuisine\n\nLANGUAGES\nEnglish (native)\n");
  std::set<std::string> codes;
  for (const auto& l : p.languages) codes.insert(l.code);
  EXPECT_EQ(codes, (std::set<std::string>{"en"})) << LangsOf(p);
}

TEST(Extract, PositionsAndOccupationsMostRecentFirst) {
  const Profile p = Extract(kFrenchCv);
  ASSERT_GE(p.positions.size(), 2u);
  EXPECT_EQ(p.positions[0], "Infirmière en service d'urgences");
  ASSERT_FALSE(p.occupations.empty());
  EXPECT_EQ(p.occupations[0].isco.substr(0, 3), "222");
}

TEST(Extract, CredentialsInProgressAreNotClaimed) {
  const Profile p = Extract(kFrenchCv);
  for (const auto& s : p.skills) EXPECT_EQ(s.find("Permis C"), std::string::npos) << s;
}

TEST(Extract, HobbiesAreNotSkills) {
  const Profile p = Extract(kFrenchCv);
  for (const auto& s : p.skills) EXPECT_EQ(Fold(s).find("cuisine"), std::string::npos) << s;
}

TEST(Extract, ProfileHoldsNoContactDetails) {
  const Profile p = Extract(kFrenchCv);
  std::string all = p.summary;
  for (const auto& v : {p.skills, p.positions, p.certifications, p.sectors}) {
    for (const auto& s : v) all += "|" + s;
  }
  for (const auto& o : p.occupations) all += "|" + o.label;
  for (const std::string secret : {"ROUSSEAU", "Rousseau", "Camille", "example.org", "06 12", "Lilas", "75011"}) {
    EXPECT_EQ(all.find(secret), std::string::npos) << secret;
  }
}

TEST(Extract, EvidenceOffsetsAreCharacterOffsetsOfTheMention) {
  const std::string text = "Compétences : élévateur, Python et PostgreSQL\n";
  const Profile p = Extract(text);
  bool found = false;
  for (const auto& e : p.evidence) {
    if (e.skill != "PostgreSQL") continue;
    found = true;
    // Three two-byte characters (é) stand before it: characters = bytes - 3.
    EXPECT_EQ(e.start, text.find("PostgreSQL") - 3);
    EXPECT_EQ(e.end - e.start, 10u);
  }
  EXPECT_TRUE(found);
}

TEST(Extract, SalaryIsTheCandidatesExpectationOnly) {
  const Profile with = Extract("SKILLS\nPython\n\nManaged a €2M budget.\nDesired salary: €75,000 – €85,000 gross/year.\n");
  ASSERT_TRUE(with.salary.has_value());
  EXPECT_EQ(with.salary->min, 75000);
  EXPECT_EQ(with.salary->max, 85000);
  EXPECT_EQ(with.salary->currency, "EUR");
  const Profile without = Extract("SKILLS\nPython\n\nManaged a €2M budget and a quota of $800K.\n");
  EXPECT_FALSE(without.salary.has_value());
}

TEST(Extract, SeniorityFollowsYearsAndTitles) {
  struct Case {
    std::string cv;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"EXPERIENCE\n2024 - 2026 Junior Developer, Acme\n", "junior"},
      {"EXPERIENCE\n2021 - 2026 Backend Developer, Acme\n", "mid"},
      {"EXPERIENCE\n2016 - 2026 Backend Developer, Acme\n", "senior"},
      {"EXPERIENCE\n2014 - 2026 Engineering Manager, Acme\n", "lead"},
  };
  for (const Case& c : cases) EXPECT_EQ(Extract(c.cv).seniority, c.want) << c.cv;
}

TEST(Extract, LicenceListsExpandPerCategory) {
  const Profile p = Extract("FORMATION\nCACES R489 catégories 1B, 3 et 5 (valides jusqu'en 2029)\nHabilitations électriques B1V – B2V – BR\n");
  std::set<std::string> ids;
  for (const auto id : p.skill_ids) ids.insert(Real()->skills()[id].id);
  for (const std::string want : {"caces_r489_1b", "caces_r489_3", "caces_r489_5"}) EXPECT_TRUE(ids.count(want)) << want;
  EXPECT_GE(p.certifications.size(), 6u);
}

TEST(Extract, SummaryIsOneSentenceInTheCvLanguage) {
  const Profile fr = Extract(kFrenchCv);
  EXPECT_NE(fr.summary.find("ans d'expérience"), std::string::npos) << fr.summary;
  EXPECT_EQ(fr.summary.back(), '.');
  ExtractOptions o;
  o.lang = "en";
  const Profile en = ExtractProfile(*Real(), kFrenchCv, o);
  EXPECT_NE(en.summary.find("years of experience"), std::string::npos) << en.summary;
}

TEST(Extract, ParseQualityFlagsDocumentsThatAreNotCvs) {
  const Profile letter = Extract("Madame, Monsieur,\nJe me permets de vous adresser ma candidature pour le poste proposé.\nJe vous prie d'agréer mes salutations.\n");
  EXPECT_TRUE(Has(letter.quality.warnings, "not_a_cv"));
  EXPECT_LT(letter.quality.score, 60);
  const Profile cv = Extract(kFrenchCv);
  EXPECT_FALSE(Has(cv.quality.warnings, "not_a_cv"));
  const Profile garbled = Extract("xkcdqzt vbnmrtz plkjhgf qwrtzpsd mnbvcxz lkjhgfd zxcvbnm qwrtpsdf ghjklzx");
  EXPECT_TRUE(Has(garbled.quality.warnings, "garbled_text"));
}

TEST(Extract, ExperienceWithoutDatesIsStatedOrUnknown) {
  const Profile stated = Extract("Alice Martin, 5 ans Python, FastAPI, PostgreSQL...");
  EXPECT_TRUE(stated.experience_known);
  EXPECT_EQ(stated.experience_years, 5);
  const Profile age = Extract("Jean Dupont, 25 ans\nCOMPÉTENCES\nPython, SQL\n");
  EXPECT_FALSE(age.experience_known);  // an age, not experience
  const Profile dated = Extract("EXPERIENCE\n2020 - 2022 Developer, Acme\n");
  EXPECT_TRUE(dated.experience_known);
  EXPECT_EQ(dated.experience_years, 3);
}

TEST(Extract, Deterministic) {
  const Profile a = Extract(kFrenchCv);
  const Profile b = Extract(kFrenchCv);
  EXPECT_EQ(a.skills, b.skills);
  EXPECT_EQ(a.summary, b.summary);
  EXPECT_EQ(a.evidence, b.evidence);
}

}  // namespace
}  // namespace jobzen::engine
