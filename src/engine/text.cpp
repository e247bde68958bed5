// Unicode folding and tokenisation. utf8proc does the Unicode work; the token rules are ours.
#include "engine/text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <unordered_map>

namespace jobzen::engine {
namespace {

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};

bool IsAscii(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string FoldWithUtf8proc(std::string_view s);

// Folded forms of U+0080..U+024F (Latin-1 and Latin Extended), computed once with utf8proc so
// that the fast path below gives exactly the same result as the general one.
const std::vector<std::string>& LatinTable() {
  static const std::vector<std::string> table = [] {
    std::vector<std::string> t(0x250);
    for (utf8proc_int32_t cp = 0x80; cp < 0x250; ++cp) {
      utf8proc_uint8_t buf[4];
      const utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
      t[static_cast<std::size_t>(cp)] = FoldWithUtf8proc(std::string_view(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n)));
    }
    return t;
  }();
  return table;
}

// Folds one run of text without whitespace handling. ASCII and two-byte Latin letters take a
// table path (most CV text); anything else goes through utf8proc.
std::string FoldRaw(std::string_view s) {
  if (IsAscii(s)) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  const auto& latin = LatinTable();
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
      continue;
    }
    if ((c & 0xE0) == 0xC0 && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
      const std::size_t cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      if (cp >= 0x80 && cp < latin.size()) {
        out += latin[cp];
        ++i;
        continue;
      }
    }
    // Any other character is folded on its own (marks are stripped anyway, so composition
    // across characters cannot change the result), with a per-thread cache.
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                                  static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (len <= 0) continue;  // invalid byte: dropped
    thread_local std::unordered_map<utf8proc_int32_t, std::string> cache;
    auto it = cache.find(cp);
    if (it == cache.end()) {
      if (cache.size() > 4096) cache.clear();
      it = cache.emplace(cp, FoldWithUtf8proc(s.substr(i, static_cast<std::size_t>(len)))).first;
    }
    out += it->second;
    i += static_cast<std::size_t>(len) - 1;
  }
  return out;
}

std::string FoldWithUtf8proc(std::string_view s) {
  utf8proc_uint8_t* dst = nullptr;
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
                                                      UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                                                      UTF8PROC_STABLE);
  const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                          static_cast<utf8proc_ssize_t>(s.size()), &dst, options);
  if (n < 0) {
    // Invalid UTF-8: keep the valid ASCII part rather than fail.
    std::string out;
    for (const char c : s) {
      if (static_cast<unsigned char>(c) < 0x80) out += c;
    }
    return FoldWithUtf8proc(out);
  }
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(dst);
  return std::string(reinterpret_cast<const char*>(dst), static_cast<std::size_t>(n));
}

// One code point of a text as the tokenizer reads it: an invalid byte reads as a space.
struct Cp {
  utf8proc_int32_t cp = 0;  // 0 past the end of the text
  std::uint32_t len = 0;    // bytes; 0 past the end
};

// Classes of ASCII bytes, so that the common case never calls into utf8proc; bytes from 0x80
// (parts of longer code points) have none. kJoin marks the characters a token rule may keep
// or skip inside a token (Node.js, Chargé(e), CI/CD, R&D, C++, C#, dévelop-\npement): after
// a word, any other one ends the token.
enum : std::uint8_t { kWord = 1, kLetter = 2, kLower = 4, kSpace = 8, kJoin = 16 };
constexpr std::array<std::uint8_t, 256> kAsciiClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = kWord;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = kWord | kLetter;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = kWord | kLetter | kLower;
  for (const char c : {' ', '\t', '\r'}) t[static_cast<std::size_t>(c)] = kSpace;
  for (const char c : {'.', '(', '/', '&', '+', '#', '-'}) t[static_cast<std::size_t>(c)] = kJoin;
  return t;
}();

// End of the run of ASCII letters and digits starting at pos; ORs their classes into *classes.
std::size_t AsciiWordRun(std::string_view text, std::size_t pos, std::uint8_t* classes) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + pos;
  const auto* const end = reinterpret_cast<const unsigned char*>(text.data()) + text.size();
  std::uint8_t seen = 0;
  for (; p < end && (kAsciiClass[*p] & kWord) != 0; ++p) seen |= kAsciiClass[*p];
  *classes = seen;
  return static_cast<std::size_t>(p - reinterpret_cast<const unsigned char*>(text.data()));
}

// Appends ASCII letters and digits lowered.
void AppendLowered(std::string_view ascii, std::string& out) {
  static constexpr std::array<char, 128> kToLower = [] {
    std::array<char, 128> t{};
    for (int c = 0; c < 128; ++c) t[static_cast<std::size_t>(c)] = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return t;
  }();
  const std::size_t old_size = out.size();
  out.append(ascii);
  for (char* c = out.data() + old_size; c != out.data() + out.size(); ++c) *c = kToLower[static_cast<unsigned char>(*c)];
}

// The code point at byte offset pos, decoded on demand. ASCII and the two- and three-byte
// sequences of most text (accented letters, typographic quotes and dashes) are decoded here
// by utf8proc_iterate's rules; longer and invalid ones by utf8proc itself.
inline Cp CpAt(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return {};
  const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + pos;
  const std::size_t left = text.size() - pos;
  if (s[0] < 0x80) return {s[0], 1};
  auto continuation = [](unsigned char b) { return (b & 0xC0) == 0x80; };
  if (s[0] >= 0xC2 && s[0] < 0xE0 && left >= 2 && continuation(s[1])) return {((s[0] & 0x1F) << 6) | (s[1] & 0x3F), 2};
  if (s[0] >= 0xE0 && s[0] < 0xF0 && left >= 3 && continuation(s[1]) && continuation(s[2]) && !(s[0] == 0xED && s[1] > 0x9F)) {
    const utf8proc_int32_t cp = ((s[0] & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    if (cp >= 0x800) return {cp, 3};  // else overlong: invalid
  }
  utf8proc_int32_t cp = 0;
  const utf8proc_ssize_t len = utf8proc_iterate(s, static_cast<utf8proc_ssize_t>(left), &cp);
  if (len <= 0) return {' ', 1};  // invalid byte: a space-like separator
  return {cp, static_cast<std::uint32_t>(len)};
}

// kWord, kLetter and kLower of a code point from its Unicode category.
std::uint8_t UnicodeClass(utf8proc_int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LL:
      return kWord | kLetter | kLower;
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
      return kWord | kLetter;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return kWord;
    default:
      return 0;
  }
}

// The classes of a non-ASCII code point; those of the Basic Multilingual Plane from a table
// built once (the tokenizer asks for every non-ASCII code point of a text).
std::uint8_t NonAsciiClass(utf8proc_int32_t cp) {
  static const std::vector<std::uint8_t> kBmp = [] {
    std::vector<std::uint8_t> t(0x10000);
    for (utf8proc_int32_t c = 0x80; c < 0x10000; ++c) t[static_cast<std::size_t>(c)] = UnicodeClass(c);
    return t;
  }();
  return cp < 0x10000 ? kBmp[static_cast<std::size_t>(cp)] : UnicodeClass(cp);
}

// Inline: ASCII, most of any text, is told by one load.
inline std::uint8_t ClassOf(utf8proc_int32_t cp) {
  return cp < 0x80 ? kAsciiClass[static_cast<std::size_t>(cp)] : NonAsciiClass(cp);
}

bool IsWordCp(utf8proc_int32_t cp) { return (ClassOf(cp) & kWord) != 0; }
bool IsLetterCp(utf8proc_int32_t cp) { return (ClassOf(cp) & kLetter) != 0; }
bool IsLowerCp(utf8proc_int32_t cp) { return (ClassOf(cp) & kLower) != 0; }

bool IsHyphen(utf8proc_int32_t cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == 0xAD; }
bool IsApostrophe(utf8proc_int32_t cp) { return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC; }
bool IsSpace(utf8proc_int32_t cp) {
  if (cp < 0x80) return (kAsciiClass[static_cast<std::size_t>(cp)] & kSpace) != 0;
  return cp == 0xA0 || cp == 0x202F || cp == 0x2009 || cp == 0x2007 || cp == 0x200B || cp == 0x3000 || cp == 0xFEFF;
}

// Byte offset of the first code point at or after pos that is not a horizontal space.
std::size_t SkipSpaces(std::string_view text, std::size_t pos, utf8proc_int32_t* last_skipped) {
  for (Cp c = CpAt(text, pos); c.len > 0 && IsSpace(c.cp); c = CpAt(text, pos)) {
    *last_skipped = c.cp;
    pos += c.len;
  }
  return pos;
}

// Appends the folded form of the code point text[pos, pos + len) (a word character, so valid
// UTF-8): the per-character equivalent of FoldRaw, which folds character by character too.
void AppendFolded(std::string_view text, std::size_t pos, const Cp& c, std::string& out) {
  if (c.cp < 0x80) {
    out += static_cast<char>(c.cp >= 'A' && c.cp <= 'Z' ? c.cp - 'A' + 'a' : c.cp);
  } else if (c.cp < 0x250) {
    out += LatinTable()[static_cast<std::size_t>(c.cp)];
  } else {
    out += FoldRaw(text.substr(pos, c.len));
  }
}

// Inclusive-writing suffixes read as the masculine word ("développeur·se").
bool IsInclusiveSuffix(std::string_view s) {
  static constexpr std::string_view kSuffixes[] = {"e", "es", "se", "ses", "euse", "euses", "rice", "rices", "trice", "ice",
                                                   "ne", "le", "ère", "ere", "ière", "iere", "ive", "ve", "x", "s"};
  return std::find(std::begin(kSuffixes), std::end(kSuffixes), s) != std::end(kSuffixes);
}

}  // namespace

std::string Fold(std::string_view utf8) {
  const std::string folded = FoldRaw(utf8);
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < folded.size(); ++i) {
    const char c = folded[i];
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (space) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

std::string Spaced(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += ' ';
  out.append(s);
  out += ' ';
  return out;
}

std::size_t CharOffset(std::string_view text, std::size_t byte_offset) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < byte_offset && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::vector<Token> Tokenize(std::string_view text) {
  // One forward pass over the bytes; code points are decoded only where a rule looks at them,
  // and `prev` is always the code point just before `pos` (rules look one back).
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 6 + 1);
  bool boundary = true;
  bool line_start = true;
  int newlines = 0;
  std::size_t pos = 0;
  utf8proc_int32_t prev = 0;
  const std::size_t n = text.size();

  while (pos < n) {
    const Cp c = CpAt(text, pos);
    const bool dot_start = c.cp == '.' && IsLetterCp(CpAt(text, pos + 1).cp) && (pos == 0 || !IsWordCp(prev));
    if (!IsWordCp(c.cp) && !dot_start) {
      if (c.cp == '\n') {
        line_start = true;
        if (++newlines >= 2) boundary = true;
      } else if (IsSpace(c.cp)) {
        // no effect
      } else if (IsHyphen(c.cp) || IsApostrophe(c.cp) || c.cp == 0x2013 || c.cp == 0x2014 || c.cp == '+') {
        // Hyphens, apostrophes, dashes and a loose '+' split words without a boundary:
        // "Data Analytics – Specialty" is one certification name, "Bac+5" reads "bac 5".
      } else if (c.cp == '.' && !boundary) {
        // "cat. 3", "janv. 2019", "p. ex.": an abbreviation's dot, followed by a digit or a
        // lowercase word, does not end a sentence.
        utf8proc_int32_t skipped = 0;
        const std::size_t k = SkipSpaces(text, pos + 1, &skipped);
        const utf8proc_int32_t after = CpAt(text, k).cp;
        const bool abbreviation = k > pos + 1 && k < n && (IsLowerCp(after) || (after >= '0' && after <= '9'));
        if (!abbreviation) boundary = true;
      } else {
        boundary = true;
      }
      prev = c.cp;
      pos += c.len;
      continue;
    }
    // A token starts at pos. Its norm is folded code point by code point as they are taken
    // (skipped line wraps and inclusive suffixes are left out).
    // Built in place; dropped again if its norm folds to nothing (combining marks alone).
    Token& t = tokens.emplace_back();
    t.begin = static_cast<std::uint32_t>(pos);
    std::size_t end = pos + c.len;
    std::size_t segment = 0;  // length of the current alphanumeric segment, in code points
    bool has_letter = false;
    auto take = [&](const Cp& k) {
      AppendFolded(text, pos, k, t.norm);
      prev = k.cp;
      pos += k.len;
      end = pos;
    };
    if (dot_start) take(c);
    while (pos < n) {
      // Runs of ASCII letters and digits, most of any text, are scanned, copied and lowered
      // in one go.
      std::uint8_t classes = 0;
      if (const std::size_t run_end = AsciiWordRun(text, pos, &classes); run_end > pos) {
        AppendLowered(text.substr(pos, run_end - pos), t.norm);
        has_letter = has_letter || (classes & kLetter) != 0;
        segment += run_end - pos;
        prev = static_cast<unsigned char>(text[run_end - 1]);
        pos = end = run_end;
        // Most words end at a space or a comma: no rule below applies.
        const auto after = static_cast<unsigned char>(pos < n ? text[pos] : 0);
        if (after < 0x80 && (kAsciiClass[after] & kJoin) == 0) break;
        continue;
      }
      const Cp d = CpAt(text, pos);
      if (IsWordCp(d.cp)) {
        has_letter = has_letter || IsLetterCp(d.cp);
        take(d);
        ++segment;
        continue;
      }
      const utf8proc_int32_t next = CpAt(text, pos + d.len).cp;
      // French inclusive forms: "Développeur·se", "développeur.euse", "Chargé(e)" read as the
      // masculine form, in one token.
      if ((d.cp == 0xB7 || d.cp == 0x2022 || d.cp == '.' || d.cp == '(') && has_letter && IsLowerCp(next)) {
        const std::size_t suffix_begin = pos + d.len;
        std::size_t k = suffix_begin;
        utf8proc_int32_t last = d.cp;
        for (Cp s = CpAt(text, k); s.len > 0 && IsLetterCp(s.cp) && k - suffix_begin < 8; s = CpAt(text, k)) {
          last = s.cp;
          k += s.len;
        }
        const std::string_view suffix = text.substr(suffix_begin, k - suffix_begin);
        const bool closed = d.cp != '(' || CpAt(text, k).cp == ')';
        if (d.cp == '(' && closed) {
          last = ')';
          ++k;
        }
        const bool end_of_word = k >= n || !IsWordCp(CpAt(text, k).cp);
        if (IsInclusiveSuffix(suffix) && closed && end_of_word && (d.cp != '.' || suffix != "s")) {
          end = k;
          pos = k;
          prev = last;
          continue;
        }
      }
      if (d.cp == '.' && IsWordCp(next) && segment > 0) {  // Node.js, ASP.NET, 3.5
        take(d);
        segment = 0;
        continue;
      }
      if ((d.cp == '/' || d.cp == '&') && segment > 0 && segment <= 3 && IsWordCp(next)) {
        std::size_t after = 0;  // code points of the word run after the separator
        std::size_t k = pos + 1;
        Cp beyond = CpAt(text, k);
        for (; IsWordCp(beyond.cp) && beyond.len > 0; beyond = CpAt(text, k)) {
          ++after;
          k += beyond.len;
        }
        if (after <= 3 && beyond.cp != '/' && beyond.cp != '&' && beyond.cp != '.') {  // CI/CD, R&D
          take(d);
          segment = 0;
          continue;
        }
      }
      if ((d.cp == '+' || d.cp == '#') && has_letter && !IsWordCp(next)) {  // C++, C#, F#
        while (pos < n && (text[pos] == '+' || text[pos] == '#')) take(Cp{static_cast<unsigned char>(text[pos]), 1});
        break;
      }
      if (IsHyphen(d.cp) && IsLowerCp(prev)) {
        // "dévelop-\npement": a word split by a hard line wrap.
        utf8proc_int32_t last = d.cp;
        std::size_t k = SkipSpaces(text, pos + d.len, &last);
        if (k < n && text[k] == '\n') {
          last = '\n';
          k = SkipSpaces(text, k + 1, &last);
          if (k < n && IsLowerCp(CpAt(text, k).cp)) {
            pos = k;
            prev = last;
            continue;
          }
        }
      }
      break;
    }
    t.end = static_cast<std::uint32_t>(end);
    t.boundary_before = boundary;
    t.line_start = line_start;
    if (t.norm.empty()) tokens.pop_back();
    boundary = false;
    line_start = false;
    newlines = 0;
  }
  return tokens;
}

}  // namespace jobzen::engine
