// Tests of DecodeText: UTF-8 kept, BOM dropped, Windows-1252 fallback, line endings, control
// characters, limits, and errors that never quote the input.
#include "ingest/text_decode.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace jobzen::ingest {
namespace {

using namespace std::string_view_literals;

struct DecodeCase {
  std::string_view name;
  std::string_view input;
  std::string_view want;
};

TEST(DecodeText, ConvertsToCleanUtf8) {
  const std::vector<DecodeCase> cases = {
      {"ascii", "Java developer", "Java developer"},
      {"utf8 kept", "Ingénieure – œuvre 45 000 € “ok” 日本", "Ingénieure – œuvre 45 000 € “ok” 日本"},
      {"bom dropped", "\xEF\xBB\xBF" "café", "café"},
      {"bom only at the start", "a\xEF\xBB\xBF" "b", "a\xEF\xBB\xBF" "b"},
      {"latin-1 e acute", "caf\xE9", "café"},
      {"cp1252 euro", "\x80", "€"},
      {"cp1252 right quote", "l\x92" "\xE9quipe", "l’équipe"},
      {"cp1252 ellipsis dashes oe", "\x85 \x96 \x97 \x9C" "uvre \x8C", "… – — œuvre Œ"},
      {"cp1252 quotes bullet tm", "\x93" "a\x94 \x95 \x99", "“a” • ™"},
      {"cp1252 caron letters", "\x8A\x9A\x8E\x9E\x9F", "ŠšŽžŸ"},
      {"cp1252 undefined bytes dropped", "a\x81\x8D\x8F\x90\x9D" "b\xE9", "abé"},
      {"one bad byte makes it cp1252", "caf\xC3\xA9 \xE9", "cafÃ© é"},
      {"overlong utf8 is not utf8", "\xC0\xAF" "x", "À¯x"},
      {"crlf", "a\r\nb\r\n", "a\nb\n"},
      {"lone cr", "a\rb\r\rc", "a\nb\n\nc"},
      {"crlf blank line", "a\r\n\r\nb", "a\n\nb"},
      {"cr in cp1252", "caf\xE9\r\nth\xE9", "café\nthé"},
      {"tab kept", "a\tb", "a\tb"},
      {"c0 controls and nul removed", "a\x01" "b\0c\x1B[0m\x7F" "d"sv, "abc[0md"},
      {"c1 controls removed", "a\xC2\x80\xC2\x9F" "b", "ab"},
      {"form feed ends a line", "page one\fpage two", "page one\npage two"},
      {"vertical tab and nel end a line", "a\vb\xC2\x85" "c", "a\nb\nc"},
      {"unicode line and paragraph separators", "a\xE2\x80\xA8" "b\xE2\x80\xA9" "c", "a\nb\nc"},
  };
  for (const DecodeCase& c : cases) {
    const Result<std::string> got = DecodeText(c.input);
    ASSERT_TRUE(got.ok()) << c.name << ": " << got.error().code;
    EXPECT_EQ(*got, c.want) << c.name;
  }
}

struct ErrorCase {
  std::string_view name;
  std::string input;
  std::size_t max_bytes;
  std::string_view code;
};

TEST(DecodeText, ErrorsNameTheProblemWithoutQuotingInput) {
  const std::vector<ErrorCase> cases = {
      {"over the limit", std::string(11, 'x'), 10, "payload_too_large"},
      {"far over the limit", std::string(300 * 1024, 'x'), 200 * 1024, "payload_too_large"},
      {"empty", "", 10, "cv_unreadable"},
      {"white space only", " \r\n\t \xC2\xA0\n", 100, "cv_unreadable"},
      {"bom only", "\xEF\xBB\xBF", 10, "cv_unreadable"},
      {"controls only", std::string("\0\x01\x02\x1B\x7F", 5), 10, "cv_unreadable"},
      {"format marks only", "\xE2\x80\x8B\xE2\x80\x8E", 10, "cv_unreadable"},
      {"cp1252 undefined only", "\x81\x8D\x8F\x90\x9D\n", 10, "cv_unreadable"},
  };
  for (const ErrorCase& c : cases) {
    const Result<std::string> got = DecodeText(c.input, TextLimits{c.max_bytes});
    ASSERT_FALSE(got.ok()) << c.name;
    EXPECT_EQ(got.error().code, c.code) << c.name;
    EXPECT_FALSE(got.error().detail.empty()) << c.name;
    if (!c.input.empty()) {
      EXPECT_EQ(got.error().detail.find(c.input), std::string::npos) << c.name;
    }
  }
  const Result<std::string> secret = DecodeText("Jane Secret-Name jane@example.org", TextLimits{10});
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.error().detail.find("Secret"), std::string::npos);
  EXPECT_EQ(secret.error().detail.find("example.org"), std::string::npos);
}

TEST(DecodeText, LimitIsInclusive) {
  const Result<std::string> at_limit = DecodeText(std::string(10, 'x'), TextLimits{10});
  ASSERT_TRUE(at_limit.ok());
  EXPECT_EQ(*at_limit, std::string(10, 'x'));
}

TEST(DecodeText, DefaultLimitIs200Kilobytes) {
  EXPECT_TRUE(DecodeText(std::string(200 * 1024, 'a')).ok());
  const Result<std::string> over = DecodeText(std::string(200 * 1024 + 1, 'a'));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, "payload_too_large");
}

TEST(DecodeText, EveryCp1252ByteGivesValidUtf8) {
  std::string all;
  for (int b = 1; b < 256; ++b) all += static_cast<char>(b);
  all += "\xFF";  // not UTF-8, so the whole string is read as Windows-1252
  const Result<std::string> got = DecodeText(all);
  ASSERT_TRUE(got.ok());
  // Decoding the output again is the identity: it is valid UTF-8 with no controls left.
  const Result<std::string> again = DecodeText(*got);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *got);
  EXPECT_NE(got->find("€‚ƒ„…†‡ˆ‰Š‹Œ"), std::string::npos);
  EXPECT_NE(got->find("Ž‘’“”•–—˜™š›œžŸ"), std::string::npos);
  EXPECT_NE(got->find("àáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ"), std::string::npos);
}

}  // namespace
}  // namespace jobzen::ingest
