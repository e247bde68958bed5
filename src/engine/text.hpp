// Text core: Unicode folding (NFKC, case, accents) and a tokenizer that keeps technical tokens
// (C++, C#, .NET, Node.js, CI/CD, k8s) whole, with byte offsets into the original text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jobzen::engine {

// NFKC, case folding, accents removed (NFD minus combining marks), whitespace runs collapsed
// to one space and trimmed. "Ingénieure  ﬁnance" -> "ingenieure finance". Invalid UTF-8
// bytes are dropped.
std::string Fold(std::string_view utf8);

// One token of a text. `norm` is the folded form; [begin, end) are byte offsets into the
// text given to Tokenize, so raw text is text.substr(begin, end - begin).
struct Token {
  std::string norm;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  // A sentence or list boundary (, ; : . ( ) bullets, line end...) lies between the previous
  // token and this one: phrases are never matched across it.
  bool boundary_before = false;
  // This token starts a new line of the text.
  bool line_start = false;
  bool operator==(const Token&) const = default;
};

// Splits UTF-8 text into word tokens. Letters and digits form words; kept inside a token:
// '.' between letters/digits (Node.js, ASP.NET, 3.5), a leading '.' before letters (.NET),
// trailing '+' and '#' after letters (C++, C#, F#), '/' between short alphanumeric parts of at
// most 3 characters each (CI/CD, TCP/IP, UI/UX) and '&' likewise (R&D, B&B). Hyphens and
// apostrophes (and en/em dashes) split words without a boundary ("front-end" -> front end, "d'expérience" ->
// d expérience); a word hyphenated across a line break ("dévelop-\npement", both sides
// lowercase) is one token whose norm joins the parts. A dot followed by a digit or a lowercase
// word is an abbreviation ("cat. 3"), not a boundary. French inclusive forms are read as the
// masculine word: "Développeur·se", "développeur.euse", "Chargé(e)" -> developpeur, charge. A blank line and other punctuation split
// with a boundary; a single line break does not (CVs wrap lines hard). Linear in text length.
std::vector<Token> Tokenize(std::string_view text);
// The same into `tokens`, whose capacity is reused (a caller tokenising text after text).
void Tokenize(std::string_view text, std::vector<Token>& tokens);

// " " + s + " ": a word or phrase padded for whole-word searches in a padded folded text.
std::string Spaced(std::string_view s);

// Number of Unicode code points in text[0, byte_offset): byte offsets -> character offsets.
std::size_t CharOffset(std::string_view text, std::size_t byte_offset);


}  // namespace jobzen::engine
