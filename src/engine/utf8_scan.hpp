// Byte-level helpers shared by the hand-written scanners of dates.cpp and salary.cpp: UTF-8
// code point lengths, word-character tests that treat Latin letters (é, Ç, œ) as letters, and
// horizontal spaces including the no-break spaces French amounts use. Private to the engine.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace jobzen::engine::scan {

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline unsigned char Byte(std::string_view s, std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0; }

// Latin letters outside ASCII start with C3 (Latin-1: é, û, Ç), C4 or C5 (œ, ł); scanners
// treat those lead bytes as letters so that "Décembre" and "aoÛt" stay one word.
inline bool IsLetterLead(unsigned char b) { return b >= 0xC3 && b <= 0xC5; }

inline std::size_t CodePointLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;  // stray continuation byte
}

// Length of the code point at i; a lead byte without its continuation bytes counts as one
// byte, so invalid UTF-8 never swallows the ASCII that follows it.
inline std::size_t CodePointLengthAt(std::string_view s, std::size_t i) {
  const std::size_t n = CodePointLength(Byte(s, i));
  if (i + n > s.size()) return 1;
  for (std::size_t k = 1; k < n; ++k) {
    if ((Byte(s, i + k) & 0xC0) != 0x80) return 1;
  }
  return n;
}

inline bool IsLetterAt(std::string_view s, std::size_t i) { return i < s.size() && (IsAsciiAlpha(s[i]) || IsLetterLead(Byte(s, i))); }
inline bool IsWordCharAt(std::string_view s, std::size_t i) { return i < s.size() && (IsAsciiDigit(s[i]) || IsLetterAt(s, i)); }

// Start of the code point that ends just before i (i > 0).
inline std::size_t PrevCodePoint(std::string_view s, std::size_t i) {
  std::size_t j = i - 1;
  while (j > 0 && (Byte(s, j) & 0xC0) == 0x80) --j;
  return j;
}

inline bool LetterBefore(std::string_view s, std::size_t i) { return i > 0 && IsLetterAt(s, PrevCodePoint(s, i)); }
inline bool WordCharBefore(std::string_view s, std::size_t i) { return i > 0 && IsWordCharAt(s, PrevCodePoint(s, i)); }

// Length of the horizontal space at i (ASCII space or tab, NBSP, U+2000..U+200B, narrow NBSP
// U+202F, medium math space, ideographic space), 0 when there is none.
inline std::size_t SpaceLength(std::string_view s, std::size_t i) {
  const unsigned char b = Byte(s, i);
  if (b == ' ' || b == '\t') return 1;
  if (b == 0xC2 && Byte(s, i + 1) == 0xA0) return 2;
  if (b == 0xE2 && Byte(s, i + 1) == 0x80 && ((Byte(s, i + 2) >= 0x80 && Byte(s, i + 2) <= 0x8B) || Byte(s, i + 2) == 0xAF)) return 3;
  if (b == 0xE2 && Byte(s, i + 1) == 0x81 && Byte(s, i + 2) == 0x9F) return 3;
  if (b == 0xE3 && Byte(s, i + 1) == 0x80 && Byte(s, i + 2) == 0x80) return 3;
  return 0;
}

inline std::size_t SkipSpaces(std::string_view s, std::size_t i) {
  while (const std::size_t n = SpaceLength(s, i)) i += n;
  return i;
}

// Lowercase ASCII image of s with accents dropped (é -> e, Û -> u, œ -> oe), typographic
// apostrophes as '\'', dashes as '-', other non-ASCII code points as ' '. src[k] is the byte
// offset in s of the code point that produced folded[k]; src[folded.size()] == s.size().
struct Folded {
  std::string text;
  std::vector<std::size_t> src;
};
Folded FoldAscii(std::string_view s);

}  // namespace jobzen::engine::scan
