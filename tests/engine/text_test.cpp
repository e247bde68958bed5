// Tests of text folding, tokenisation, language detection and stemming.
#include "engine/text.hpp"

#include <gtest/gtest.h>

#include "engine/language.hpp"
#include "engine/stem.hpp"

namespace jobzen::engine {
namespace {

std::vector<std::string> Norms(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : Tokenize(text)) out.emplace_back(t.norm);
  return out;
}

TEST(Fold, CaseAccentsLigaturesSpaces) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Ingénieure", "ingenieure"},
      {"  ÉLECTRICIEN   BÂTIMENT ", "electricien batiment"},
      {"\xEF\xAC\x81nance", "finance"},                     // ﬁ ligature
      {"45\xC2\xA0" "000\xE2\x80\xAF€", "45 000 €"},         // NBSP and narrow NBSP
      {"Straße", "strasse"},
      {"Œuvre", "œuvre"},
      {"", ""},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(Fold(in), want) << "input: " << in;
}

TEST(Tokenize, KeepsTechnicalTokens) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"C++, C# et .NET", {"c++", "c#", "et", ".net"}},
      {"Node.js / Vue.js", {"node.js", "vue.js"}},
      {"CI/CD with k8s", {"ci/cd", "with", "k8s"}},
      {"R, Go and SQL Server", {"r", "go", "and", "sql", "server"}},
      {"ASP.NET Core 3.1", {"asp.net", "core", "3.1"}},
      {"TCP/IP, R&D", {"tcp/ip", "r&d"}},
      {"HTML/CSS", {"html", "css"}},                // long parts split
      {"Hibernate/JPA", {"hibernate", "jpa"}},
      {"front-end", {"front", "end"}},
      {"d'expérience", {"d", "experience"}},
      {"Python.", {"python"}},
      {"F# and C", {"f#", "and", "c"}},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(Norms(in), want) << "input: " << in;
}

TEST(Tokenize, OffsetsPointIntoTheOriginal) {
  const std::string text = "Expérience : Node.js";
  const auto tokens = Tokenize(text);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin), "Expérience");
  EXPECT_EQ(text.substr(tokens[1].begin, tokens[1].end - tokens[1].begin), "Node.js");
  EXPECT_EQ(CharOffset(text, tokens[1].begin), 13u);  // "é" is one character, two bytes
}

TEST(Tokenize, BoundariesAndLines) {
  const auto tokens = Tokenize("Spring Boot, Kafka\nconduite de chariots\n\nFormation");
  ASSERT_EQ(tokens.size(), 7u);
  EXPECT_FALSE(tokens[1].boundary_before);  // "Boot"
  EXPECT_TRUE(tokens[2].boundary_before);   // after the comma
  EXPECT_TRUE(tokens[3].line_start);        // "conduite" starts a line...
  EXPECT_FALSE(tokens[3].boundary_before);  // ...but a single line break is no boundary
  EXPECT_TRUE(tokens[6].boundary_before);   // a blank line is
}

TEST(Norm, CopiesMovesAndAssignsShortAndLongWords) {
  // Inline (up to 24 bytes) and heap (longer) norms, through every way of setting one.
  const std::string short_word = "developpeur";
  const std::string inline_limit(Norm::kInline, 'x');
  const std::string long_word = "anticonstitutionnellement-et-internationalisation";
  for (const std::string& a : {short_word, inline_limit, long_word, std::string()}) {
    for (const std::string& b : {short_word, inline_limit, long_word, std::string()}) {
      Norm n(a);
      EXPECT_EQ(n, std::string_view(a));
      EXPECT_EQ(n.size(), a.size());
      Norm copy(n);
      EXPECT_EQ(copy, n);
      copy = Norm(b);  // move assignment
      EXPECT_EQ(copy, std::string_view(b)) << a << " <- " << b;
      EXPECT_EQ(n, std::string_view(a));  // the source of the copy is untouched
      Norm moved(std::move(copy));
      EXPECT_EQ(moved, std::string_view(b));
      EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): a moved-from norm is empty
      n = moved;  // copy assignment
      EXPECT_EQ(n, std::string_view(b));
      n = std::string_view(a);
      EXPECT_EQ(n, std::string_view(a));
      n = n.view().substr(n.size() / 2);  // a view of itself
      EXPECT_EQ(n, std::string_view(a).substr(a.size() / 2));
      std::string padded = b + std::string(Norm::kInline, '#');
      n.AssignPadded(padded.data(), b.size());
      EXPECT_EQ(n, std::string_view(b));
      EXPECT_EQ(n.padded(), b.size() <= Norm::kInline);
    }
  }
}

TEST(Tokenize, IntoAUsedVectorAsIntoANewOne) {
  // Texts of more, then fewer tokens than the vector holds, with norms longer than a string's
  // own buffer: every field of every token is the fresh tokenisation's, and no token is left.
  const std::vector<std::string> texts = {
      "Spring Boot, Kafka\nconduite de chariots\n\nFormation",
      "internationalisation et développements informatiques",
      "C++",
      "",
      "Développeur·se Node.js (H/F) : 5 ans d'expérience, anglais courant.\nPermis B",
  };
  std::vector<Token> used;
  for (const std::string& a : texts) {
    for (const std::string& b : texts) {
      Tokenize(a, used);
      Tokenize(b, used);
      EXPECT_EQ(used, Tokenize(b)) << "after \"" << a << "\": \"" << b << "\"";
    }
  }
}

TEST(Tokenize, JoinsWordsHyphenatedAcrossLines) {
  const std::string text = "gestion des dévelop-\npements et front-\nEnd";
  const auto norms = Norms(text);
  const std::vector<std::string> want = {"gestion", "des", "developpements", "et", "front", "end"};
  EXPECT_EQ(norms, want);
}

TEST(Tokenize, DecodesUtf8AsUtf8procDoes) {
  // Two- and three-byte sequences are decoded without utf8proc: invalid ones (overlong,
  // surrogate, truncated) must still read as separators, as utf8proc_iterate says.
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"Caf\xC3\xA9 d\xE2\x80\x99\xC3\xA9t\xC3\xA9", {"cafe", "d", "ete"}},  // é, typographic apostrophe
      {"\xE1\xB8\x9Foo bar", {"foo", "bar"}},                                  // U+1E1F, three bytes
      {"\xCE\xA9\xCE\xBC\xCE\xAD\xCE\xB3\xCE\xB1", {"ωμεγα"}},            // Greek, accent stripped
      {"a\xE0\x80\x80" "b", {"a", "b"}},                                       // overlong: invalid
      {"a\xED\xA0\x80" "b", {"a", "b"}},                                       // surrogate: invalid
      {"a\xC0\xAF" "b", {"a", "b"}},                                            // overlong '/': invalid
      {"caf\xC3", {"caf"}},                                                     // truncated at the end
      {"a\xF0\x9F\x98\x80" "b", {"a", "b"}},                                  // emoji: not a word character
      {"x\xEF\xAC\x81y", {"xfiy"}},                                            // ligature inside a word
  };
  for (const auto& [text, want] : cases) EXPECT_EQ(Norms(text), want) << "text: " << text;
}

TEST(DetectLanguage, FrenchEnglishAndOthers) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Développeur Java depuis 10 ans, en charge de la conception des microservices et du suivi de l'équipe.", "fr"},
      {"Backend engineer with 9 years of experience designing and running Python services for the team.", "en"},
      {"Ich habe fünf Jahre Erfahrung in der Entwicklung und bin mit dem Team für die Qualität zuständig.", "de"},
      {"Tengo cinco años de experiencia en el desarrollo de aplicaciones y la gestión del equipo con los clientes.", "es"},
      {"Python SQL", "und"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(DetectLanguage(Tokenize(in)), want) << "input: " << in;
}

TEST(Stem, FoldsInflectionsButLeavesShortAndTechnicalWords) {
  EXPECT_EQ(Stem(StemLang::kEnglish, "microservices"), Stem(StemLang::kEnglish, "microservice"));
  EXPECT_EQ(Stem(StemLang::kFrench, "infirmieres"), Stem(StemLang::kFrench, "infirmiere"));
  EXPECT_EQ(Stem(StemLang::kFrench, "elevateurs"), Stem(StemLang::kFrench, "elevateur"));
  EXPECT_EQ(Stem(StemLang::kEnglish, "go"), "go");
  EXPECT_EQ(Stem(StemLang::kEnglish, "node.js"), "node.js");
  EXPECT_EQ(Stem(StemLang::kEnglish, "k8s"), "k8s");
}

}  // namespace
}  // namespace jobzen::engine
