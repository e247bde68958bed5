// Tests of taxonomy parsing and linking, the phrase matcher, the real taxonomy's coverage and
// the ESCO importer (on ../shared/esco).
#include "engine/taxonomy.hpp"

#include <gtest/gtest.h>

#include <set>

#include "engine/esco.hpp"
#include "engine/extract.hpp"
#include "engine/language.hpp"
#include "ingest/files.hpp"
#include "real_taxonomy.hpp"

namespace jobzen::engine {
namespace {

const char* kSkills =
    "# id\ttype\tsector\tgroup\ten\tfr\taliases\trelated\n"
    "postgresql\thard\ttech\trelational_database\tPostgreSQL\tPostgreSQL\tPostgres|psql\tmysql\n"
    "mysql\thard\ttech\trelational_database\tMySQL\tMySQL\t\tpostgresql\n"
    "sql_server\thard\ttech\trelational_database\tMicrosoft SQL Server\tMicrosoft SQL Server\tSQL Server|MSSQL\t\n"
    "sql\thard\ttech\tquery_language\tSQL\tSQL\t\t\n"
    "golang\thard\ttech\tprogramming_language\tGo\tGo\t=Go|Golang\t\n"
    "forklift\thard\tlogistics\tforklift\tForklift driving\tConduite de chariots élévateurs\tcariste\t\n"
    "caces_r489_3\tlicence\tlogistics\tcaces\tCACES R489 cat. 3\tCACES R489 cat. 3\tCACES 3\t\n"
    "caces_r489_5\tlicence\tlogistics\tcaces\tCACES R489 cat. 5\tCACES R489 cat. 5\t\t\n";
const char* kOccupations =
    "dev_backend\ttech\t2512\tM1805\tBackend Developer\tDéveloppeur backend\tDéveloppeuse backend|Backend Engineer\tpostgresql\n";
const char* kLanguages = "fr\tFrench\tfrançais\tfrancaise|française\nen\tEnglish\tanglais\tanglaise\n";
const char* kFamilies = "caces_r489\tCACES R489|CACES\t3|5\tcaces_r489_{code}\n";

std::shared_ptr<const Taxonomy> Small() {
  auto t = Taxonomy::Build({{"skills/test.tsv", kSkills}, {"occupations/test.tsv", kOccupations},
                            {"languages.tsv", kLanguages}, {"families.tsv", kFamilies}});
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().detail);
  return *t;
}

std::vector<std::string> SkillIds(const Taxonomy& t, std::string_view text) {
  std::vector<std::string> ids;
  const PreparedText p = t.Prepare(text);
  for (const auto& m : t.skill_matcher().FindAll(p)) ids.push_back(t.skills()[m.payload].id);
  return ids;
}

TEST(Taxonomy, ParsesAndLinks) {
  const auto t = Small();
  ASSERT_EQ(t->skills().size(), 8u);
  const auto pg = t->FindSkill("postgresql");
  const auto my = t->FindSkill("mysql");
  ASSERT_TRUE(pg && my);
  EXPECT_EQ(t->skills()[*pg].related, std::vector<std::uint32_t>{*my});
  ASSERT_EQ(t->occupations().size(), 1u);
  EXPECT_EQ(t->occupations()[0].skills, std::vector<std::uint32_t>{*pg});
  EXPECT_EQ(t->families().size(), 1u);
}

TEST(Taxonomy, RejectsBadSourcesNamingFileAndLine) {
  struct Case {
    std::string skills;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"a\thard\ttech\tg\tA\tA\t\n", "skills/x.tsv:1: expected 8 columns"},
      {"a\tweird\ttech\tg\tA\tA\t\t\n", "unknown type"},
      {"a\thard\tspace\tg\tA\tA\t\t\n", "unknown sector"},
      {"a\thard\ttech\tg\tA\tA\t\t\na\thard\ttech\tg\tB\tB\t\t\n", "skills/x.tsv:2: duplicate skill id"},
      {"a\thard\ttech\tg\tA\tA\t\tnope\n", "unknown skill id 'nope'"},
      {"A-B\thard\ttech\tg\tA\tA\t\t\n", "bad id"},
  };
  for (const Case& c : cases) {
    const auto t = Taxonomy::Build({{"skills/x.tsv", c.skills}});
    ASSERT_FALSE(t.ok()) << c.want;
    EXPECT_EQ(t.error().code, "taxonomy_invalid");
    EXPECT_NE(t.error().detail.find(c.want), std::string::npos) << t.error().detail;
  }
}

TEST(PhraseMatcher, LongestMatchWinsAndAliasesMatch) {
  const auto t = Small();
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"SQL Server and SQL", {"sql_server", "sql"}},
      {"Postgres, MySQL", {"postgresql", "mysql"}},
      {"Microsoft SQL Server 2019", {"sql_server"}},
      {"services in Go", {"golang"}},
      {"we go to work", {}},                                  // case-sensitive alias
      {"Golang", {"golang"}},
      {"SQL, Server", {"sql"}},                               // never across a comma
      {"conduite de chariots élévateurs", {"forklift"}},
  };
  for (const auto& [text, want] : cases) EXPECT_EQ(SkillIds(*t, text), want) << "text: " << text;
  // Inflections: the singular matches the plural alias, the feminine the masculine.
  EXPECT_EQ(SkillIds(*t, "Conduite de chariot élévateur"), std::vector<std::string>{"forklift"});
  EXPECT_EQ(MatchKey("infirmieres"), MatchKey("infirmier"));
  EXPECT_EQ(MatchKey("technologies"), MatchKey("technology"));
  EXPECT_EQ(MatchKey("conductrice"), MatchKey("conducteur"));
  EXPECT_EQ(MatchKey("accounting"), "accounting");  // no Snowball over-stemming
  EXPECT_EQ(MatchKey("node.js"), "node.js");
}

TEST(MatchKey, FoldsOnlyWordsOfLettersWhateverTheirLengthAndWhereTheOtherByteIs) {
  // Plurals of 4 to 24 bytes (both sides of the 8-byte words the letter test reads): made of
  // letters, and accented letters, they lose their s; with one byte that is no letter at any
  // place (digit, punctuation, upper case, the bytes around 'a' and 'z'), they are kept whole.
  for (std::size_t size = 4; size <= 24; ++size) {
    std::string word(size - 1, 'a');
    for (std::size_t i = 0; i + 2 < size; ++i) word[i] = static_cast<char>('a' + (i * 7) % 26);
    word.back() = 'o';  // "-os": no other rule (-ss, -us, -is, -ies, -es...) applies
    word += 's';
    EXPECT_EQ(MatchKey(word), word.substr(0, size - 1)) << word;
    std::string accented = word;
    accented.replace(0, 2, "\xc3\xa9");  // é: two bytes from 0x80
    EXPECT_EQ(MatchKey(accented), accented.substr(0, size - 1)) << accented;
    for (std::size_t at = 0; at + 1 < size; ++at) {
      for (const char other : {'3', '.', '+', 'A', 'Z', '`', '{', '@', '\x7f'}) {
        std::string odd = word;
        odd[at] = other;
        EXPECT_EQ(MatchKey(odd), odd) << "byte " << at << " of " << odd;
      }
    }
  }
}

TEST(Vocabulary, FindsKeysOfEveryLengthAndNothingElse) {
  // Keys of every length around the 8-byte head, and near misses that differ in one byte
  // (first, middle, last) or in length.
  Vocabulary v;
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyz";
  std::vector<std::uint32_t> ids;
  for (std::size_t n = 0; n <= 20; ++n) ids.push_back(v.Intern(alphabet.substr(0, n)));
  for (std::size_t n = 0; n <= 20; ++n) {
    const std::string key = alphabet.substr(0, n);
    EXPECT_EQ(v.Find(key, Vocabulary::Hash(key)), ids[n]) << key;
    EXPECT_EQ(v.Intern(key), ids[n]) << key;
    for (std::size_t at = 0; at < n; at += std::max<std::size_t>(1, n / 3)) {
      std::string near = key;
      near[at] = 'Z';
      EXPECT_EQ(v.Find(near, Vocabulary::Hash(near)), Vocabulary::kNoKey) << near;
    }
    const std::string longer = key + "Z";
    EXPECT_EQ(v.Find(longer, Vocabulary::Hash(longer)), Vocabulary::kNoKey) << longer;
  }
  EXPECT_EQ(v.size(), 21u);
}

TEST(Vocabulary, TellsApartKeysThatShareTheirHeadAndLength) {
  // Near misses that differ from a key in one byte past the first 8 only: in a small table,
  // many probe through the key's own slot, where its head and length match and only the rest
  // of the key tells them apart. Every such comparison must say no.
  for (std::size_t n = 9; n <= 24; ++n) {
    Vocabulary v;
    const std::string key = std::string("abcdefghijklmnopqrstuvwxyz").substr(0, n);
    const std::uint32_t id = v.Intern(key);
    for (std::size_t at = 8; at < n; ++at) {
      for (int c = 1; c < 256; ++c) {
        std::string near = key;
        near[at] = static_cast<char>(c);
        if (near == key) continue;
        EXPECT_EQ(v.Find(near, Vocabulary::Hash(near)), Vocabulary::kNoKey) << "byte " << at << " of a " << n << "-byte key";
      }
    }
    EXPECT_EQ(v.Find(key, Vocabulary::Hash(key)), id);
  }
}

TEST(Vocabulary, AnExtensionCoversItsBaseUntilTheBaseChanges) {
  Vocabulary base;
  const std::uint32_t de = base.Intern("de");
  const auto extended = Vocabulary::Extending(base);
  EXPECT_EQ(extended->Intern("gestion"), de + 1);
  EXPECT_EQ(extended->Find("de", Vocabulary::Hash("de")), de);
  EXPECT_TRUE(extended->Covers(base));
  EXPECT_TRUE(extended->Covers(*extended));
  EXPECT_FALSE(base.Covers(*extended));
  base.Intern("paie");  // ids the extension does not know
  EXPECT_FALSE(extended->Covers(base));
}

TEST(DetectLanguage, FromPreparedIdsAsFromTokens) {
  // The prepared path reads function words through the taxonomy's key ids: inflected words
  // ("années", whose key is "anne"), words sharing a key, and the parts of a split compound
  // ("et/ou" was one token, no function word) must count exactly as from the tokens.
  const auto t = Small();
  for (const std::string text : {"Développeur et/ou intégrateur, 3 années, compétences requises",
                                 "et/ou et/ou et/ou dans les ans", "et/ou the", "The team and the years of experience with us",
                                 "Python, FastAPI et Kubernetes requis", "de/la de/la et", "Kenntnisse und Erfahrung mit den",
                                 "", "a b c d"}) {
    const PreparedText p = t->Prepare(text);
    ASSERT_TRUE(p.vocabulary->Covers(FixedWords()));
    EXPECT_EQ(DetectLanguage(p), DetectLanguage(Tokenize(text))) << text;
  }
  EXPECT_FALSE(t->Prepare("et/ou the").split_parts.empty());
  EXPECT_EQ(DetectLanguage(t->Prepare("et/ou the")), "en");  // not two French words and one English
  EXPECT_EQ(DetectLanguage(t->Prepare("les années et les compétences")), "fr");
}

TEST(Taxonomy, PrepareIntoAReusedTextGivesWhatAFreshOneGives) {
  // Buffers reused from text to text, with and without compounds to split, shorter and
  // longer: nothing of an earlier text may remain.
  const auto t = Small();
  PreparedText reused;
  for (const std::string text : {"PHP/JS et/ou CI/CD, PostgreSQL", "Go", "", "Chef de projet R&D / data (H/F), conduite de chariots",
                                 "PostgreSQL, SQL Server; Go et conduite de chariots élévateurs"}) {
    t->Prepare(text, reused);
    const PreparedText fresh = t->Prepare(text);
    EXPECT_EQ(reused.tokens, fresh.tokens) << text;
    EXPECT_EQ(reused.split_parts, fresh.split_parts) << text;
    EXPECT_EQ(reused.ids, fresh.ids) << text;
    EXPECT_EQ(reused.marks, fresh.marks) << text;
    EXPECT_EQ(reused.hashes, fresh.hashes) << text;
    EXPECT_EQ(reused.key_chars, fresh.key_chars) << text;
    EXPECT_EQ(reused.key_ends, fresh.key_ends) << text;
    EXPECT_EQ(t->skill_matcher().FindAll(reused), t->skill_matcher().FindAll(fresh)) << text;
  }
}

TEST(Taxonomy, SplitsEveryCompoundInPlaceWithItsOffsetsAndFlags) {
  // Compounds no phrase uses are split where they stand: first and last tokens, one after
  // another, with the tokens between them moved along, their flags kept by the first part.
  const auto t = Small();
  const std::string text = "PHP/JS, Go et/ou SQL\nR&D: CI/CD";
  const PreparedText p = t->Prepare(text);
  std::vector<std::string> seen;
  for (const Token& k : p.tokens) {
    seen.push_back(std::string(k.norm) + "@" + std::to_string(k.begin) + "-" + std::to_string(k.end) + (k.boundary_before ? "|" : "") +
                   (k.line_start ? "^" : ""));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"php@0-3|^", "js@4-6", "go@8-10|", "et@11-13", "ou@14-16", "sql@17-20", "r@21-22^",
                                            "d@23-24", "ci@26-28|", "cd@29-31"}));
  EXPECT_EQ(p.split_parts, (std::vector<std::uint32_t>{0, 1, 3, 4, 6, 7, 8, 9}));
  ASSERT_EQ(p.ids.size(), p.tokens.size());
  EXPECT_EQ(p.key(2), "go");
  EXPECT_EQ(p.key(9), "cd");
}

TEST(PhraseMatcher, NextStartAndIdsChangeNoMatch) {
  const auto t = Small();
  const std::string text = "PostgreSQL, SQL Server; Go et conduite de chariots élévateurs, we go, CACES R489 cat. 3";
  PreparedText p = PrepareText(text);  // ids of no vocabulary: keys looked up per matcher
  const auto& m = t->skill_matcher();
  const std::vector<PhraseMatcher::Match> by_key = m.FindAll(p);
  for (std::uint32_t from = 0; from <= p.tokens.size(); ++from) {
    const std::uint32_t next = m.NextStart(p, from);
    for (std::uint32_t i = from; i < next; ++i) {
      PhraseMatcher::Match unused;
      EXPECT_FALSE(m.MatchAt(p, i, &unused)) << "token " << i;
    }
  }
  ComputeKeys(p, &m.vocabulary());  // now with the matcher's ids
  EXPECT_EQ(m.FindAll(p), by_key);
  EXPECT_EQ(m.FindAll(t->Prepare(text)), by_key);
  EXPECT_EQ(by_key.size(), 5u);  // postgresql, sql_server, golang (=Go), forklift, caces_r489_3
}

TEST(PhraseMatcher, NextStartSkipsCommonFirstWordsThatStartNoPhraseHere) {
  // "de" starts many phrases but none of them in "de Paris": NextStart passes it over, and
  // stops where the pair of first words does start one, at a one-word phrase, and never
  // across a boundary.
  PhraseMatcher m;
  for (const char* phrase : {"de la gestion", "de la paie", "droit de la famille", "gestion de projet"}) ASSERT_TRUE(m.Add(phrase, 1, false));
  ASSERT_TRUE(m.Add("paie", 2, false));
  PreparedText p = PrepareText("de Paris, de la gestion de projet; de. La paie");
  //                            0  1      2  3  4       5  6       7   8  9
  auto starts = [&] {
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = m.NextStart(p, 0); i < p.tokens.size(); i = m.NextStart(p, i + 1)) out.push_back(i);
    return out;
  };
  const std::vector<PhraseMatcher::Match> want = {{1, 2, 4}, {2, 9, 9}};  // "de la gestion", "paie"
  EXPECT_EQ(starts(), (std::vector<std::uint32_t>{2, 4, 9}));
  EXPECT_EQ(m.FindAll(p), want);
  // The same from the ids and root bits of the matcher's vocabulary, over more than one
  // sixteen-token block.
  ComputeKeys(p, &m.vocabulary());
  EXPECT_EQ(starts(), (std::vector<std::uint32_t>{2, 4, 9}));
  EXPECT_EQ(m.FindAll(p), want);
  p = PrepareText("un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept paie");
  ComputeKeys(p, &m.vocabulary());
  EXPECT_EQ(starts(), (std::vector<std::uint32_t>{18}));
}

TEST(PhraseMatcher, ScalesLinearlyWithText) {
  // Matching the same paragraph 50 times finds exactly 50 times the matches: no quadratic
  // behaviour or cross-paragraph interference.
  const auto t = Small();
  const std::string para = "PostgreSQL, SQL Server, Go et conduite de chariots élévateurs.\n\n";
  std::string text;
  for (int i = 0; i < 50; ++i) text += para;
  EXPECT_EQ(SkillIds(*t, para).size() * 50, SkillIds(*t, text).size());
}

TEST(Taxonomy, FamilyListsExpandToEachCategory) {
  const auto t = Small();
  ExtractOptions options;
  const Profile p = ExtractProfile(*t, "COMPÉTENCES\nCACES R489 catégories 3 et 5, conduite de chariots élévateurs\n", options);
  const std::set<std::string> got(p.skills.begin(), p.skills.end());
  EXPECT_TRUE(got.count("CACES R489 cat. 3"));
  EXPECT_TRUE(got.count("CACES R489 cat. 5"));
}

// --- The real taxonomy under data/ -----------------------------------------------------

TEST(RealTaxonomy, MeetsCoverageFloors) {
  const auto t = Real();
  ASSERT_TRUE(t);
  EXPECT_GE(t->skills().size(), 1500u);
  EXPECT_GE(t->occupations().size(), 400u);
  EXPECT_GE(t->languages().size(), 40u);
  std::set<std::string> sectors;
  int certs = 0, soft = 0;
  for (const auto& s : t->skills()) {
    sectors.insert(s.sector);
    certs += s.type == SkillType::kCert || s.type == SkillType::kLicence || s.type == SkillType::kQualification;
    soft += s.type == SkillType::kSoft;
  }
  for (const char* sector : {"tech", "healthcare", "logistics", "construction", "hospitality", "retail", "finance",
                                    "hr", "marketing", "education", "transport", "legal", "energy", "industry", "public"}) {
    EXPECT_TRUE(sectors.count(sector)) << sector;
  }
  EXPECT_GE(certs, 200);
  EXPECT_GE(soft, 40);
  for (const auto& o : t->occupations()) {
    EXPECT_EQ(o.isco.size(), 4u) << o.id;
    EXPECT_TRUE(o.rome.empty() || o.rome.size() == 5) << o.id;
  }
}

TEST(RealTaxonomy, NormalisesTitlesToIscoAndRome) {
  const auto t = Real();
  ASSERT_TRUE(t);
  struct Case {
    std::string title;
    std::string isco_prefix;  // ISCO minor group is enough to be unambiguous here
  };
  const std::vector<Case> cases = {
      {"Infirmière", "222"},           {"Développeuse Java", "251"},   {"Senior Backend Engineer", "251"},
      {"Cariste", "834"},              {"Préparateur de commandes", "93"}, {"Comptable", "331"},
      {"Gestionnaire de paie", "4"},   {"Électricien", "741"},         {"Chef de partie", "343"},
  };
  for (const Case& c : cases) {
    const auto occ = NormaliseTitle(*t, c.title);
    ASSERT_TRUE(occ.has_value()) << c.title;
    EXPECT_EQ(t->occupations()[*occ].isco.substr(0, c.isco_prefix.size()), c.isco_prefix) << c.title << " -> " << t->occupations()[*occ].id;
  }
}

// --- ESCO importer ---------------------------------------------------------------------

TEST(EscoCsv, ParsesQuotedMultilineCells) {
  const auto rows = ParseCsv("a,b,c\n1,\"x, y\",\"line1\nline2\"\n2,\"say \"\"hi\"\"\",\r\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][1], "x, y");
  EXPECT_EQ(rows[1][2], "line1\nline2");
  EXPECT_EQ(rows[2][1], "say \"hi\"");
  EXPECT_EQ(rows[2][2], "");
}

TEST(EscoImport, ReadsTheSharedEscoDirectory) {
  const auto files = ingest::ReadEscoDir(std::string(JOBZEN_SHARED_DIR) + "/esco");
  ASSERT_TRUE(files.ok()) << files.error().detail;
  const auto esco = ParseEsco(*files);
  ASSERT_TRUE(esco.ok()) << esco.error().detail;
  EXPECT_EQ(esco->skills.size(), 13485u);
  EXPECT_EQ(esco->occupations.size(), 2942u);
  EXPECT_GT(esco->skill_broader.size(), 7000u);
  std::size_t with_fr = 0, with_isco = 0;
  for (const auto& o : esco->occupations) {
    with_fr += !o.fr.empty();
    with_isco += o.isco.size() == 4;
  }
  EXPECT_EQ(with_fr, esco->occupations.size());
  EXPECT_EQ(with_isco, esco->occupations.size());
}

TEST(EscoImport, ExtendsTheTaxonomy) {
  const auto base = Real();
  ASSERT_TRUE(base);
  const auto t = ingest::LoadTaxonomy(JOBZEN_DATA_DIR, std::string(JOBZEN_SHARED_DIR) + "/esco");
  ASSERT_TRUE(t.ok()) << t.error().detail;
  const auto& ext = **t;
  EXPECT_GT(ext.esco_occupations_added(), 2000u);
  EXPECT_EQ(ext.occupations().size(), base->occupations().size() + ext.esco_occupations_added());
  EXPECT_EQ(ext.skills().size(), base->skills().size() + ext.esco_skills_added());
  // An occupation we do not carry resolves through ESCO, in English and in French.
  for (const std::string title : {"vending machine operator", "technicienne de maintenance de distributeurs automatiques"}) {
    const auto occ = NormaliseTitle(ext, title);
    ASSERT_TRUE(occ.has_value()) << title;
    EXPECT_FALSE(ext.occupations()[*occ].esco_uri.empty()) << title;
  }
  // Our own concepts keep their ids and gain ESCO URIs where labels agree.
  std::size_t linked = 0;
  for (std::size_t i = 0; i < base->skills().size(); ++i) linked += !ext.skills()[i].esco_uri.empty();
  EXPECT_GT(linked, 50u);
}

}  // namespace
}  // namespace jobzen::engine
