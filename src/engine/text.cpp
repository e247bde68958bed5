// Unicode folding and tokenisation. utf8proc does the Unicode work; the token rules are ours.
#include "engine/text.hpp"

#include <utf8proc.h>

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

struct CodePoint {
  utf8proc_int32_t cp;
  std::uint32_t begin;
  std::uint32_t end;
};

std::vector<CodePoint> Decode(std::string_view text) {
  std::vector<CodePoint> cps;
  cps.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {  // ASCII, most of any CV
      cps.push_back({byte, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + 1)});
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i);
    utf8proc_ssize_t len = utf8proc_iterate(p, static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (len <= 0) {  // invalid byte: treat as a space-like separator
      cp = ' ';
      len = 1;
    }
    cps.push_back({cp, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + static_cast<std::size_t>(len))});
    i += static_cast<std::size_t>(len);
  }
  return cps;
}

bool IsWordCp(utf8proc_int32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

bool IsLetterCp(utf8proc_int32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  const auto cat = utf8proc_category(cp);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

bool IsLowerCp(utf8proc_int32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

bool IsHyphen(utf8proc_int32_t cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == 0xAD; }
bool IsApostrophe(utf8proc_int32_t cp) { return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC; }
bool IsSpace(utf8proc_int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\r' || cp == 0xA0 || cp == 0x202F || cp == 0x2009 ||
         cp == 0x2007 || cp == 0x200B || cp == 0x3000 || cp == 0xFEFF;
}

// Length of the alphanumeric run starting at i.
std::size_t WordRun(const std::vector<CodePoint>& cps, std::size_t i) {
  std::size_t n = 0;
  while (i + n < cps.size() && IsWordCp(cps[i + n].cp)) ++n;
  return n;
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
  const std::vector<CodePoint> cps = Decode(text);
  std::vector<Token> tokens;
  tokens.reserve(cps.size() / 5 + 1);
  bool boundary = true;
  bool line_start = true;
  int newlines = 0;
  std::size_t i = 0;
  const std::size_t n = cps.size();
  auto cp_at = [&](std::size_t k) -> utf8proc_int32_t { return k < n ? cps[k].cp : 0; };

  while (i < n) {
    const utf8proc_int32_t c = cps[i].cp;
    const bool dot_start = c == '.' && IsLetterCp(cp_at(i + 1)) && (i == 0 || !IsWordCp(cps[i - 1].cp));
    if (!IsWordCp(c) && !dot_start) {
      if (c == '\n') {
        line_start = true;
        if (++newlines >= 2) boundary = true;
      } else if (IsSpace(c)) {
        // no effect
      } else if (IsHyphen(c) || IsApostrophe(c) || c == 0x2013 || c == 0x2014 || c == '+') {
        // Hyphens, apostrophes, dashes and a loose '+' split words without a boundary:
        // "Data Analytics – Specialty" is one certification name, "Bac+5" reads "bac 5".
      } else if (c == '.' && !boundary) {
        // "cat. 3", "janv. 2019", "p. ex.": an abbreviation's dot, followed by a digit or a
        // lowercase word, does not end a sentence.
        std::size_t k = i + 1;
        while (k < n && IsSpace(cps[k].cp)) ++k;
        const bool abbreviation = k > i + 1 && k < n && (IsLowerCp(cps[k].cp) || (cps[k].cp >= '0' && cps[k].cp <= '9'));
        if (!abbreviation) boundary = true;
      } else {
        boundary = true;
      }
      ++i;
      continue;
    }
    // A token starts at i.
    std::string raw;
    const std::uint32_t begin = cps[i].begin;
    std::uint32_t end = cps[i].end;
    std::size_t segment = 0;  // length of the current alphanumeric segment
    bool has_letter = false;
    // The token's text is gathered as contiguous pieces of `text` (skipped line wraps and
    // inclusive suffixes split it), copied only when a piece ends.
    std::uint32_t piece_begin = begin, piece_end = begin;
    auto take = [&](std::size_t k) {
      if (cps[k].begin != piece_end) {
        raw.append(text.substr(piece_begin, piece_end - piece_begin));
        piece_begin = cps[k].begin;
      }
      piece_end = cps[k].end;
      end = cps[k].end;
    };
    if (dot_start) {
      take(i);
      ++i;
    }
    while (i < n) {
      const utf8proc_int32_t d = cps[i].cp;
      if (IsWordCp(d)) {
        has_letter = has_letter || IsLetterCp(d);
        take(i);
        ++segment;
        ++i;
        continue;
      }
      const utf8proc_int32_t next = cp_at(i + 1);
      // French inclusive forms: "Développeur·se", "développeur.euse", "Chargé(e)" read as the
      // masculine form, in one token.
      if ((d == 0xB7 || d == 0x2022 || d == '.' || d == '(') && has_letter && IsLowerCp(next)) {
        std::size_t k = i + 1;
        std::string suffix;
        while (k < n && IsLetterCp(cps[k].cp) && suffix.size() < 8) {
          suffix.append(text.substr(cps[k].begin, cps[k].end - cps[k].begin));
          ++k;
        }
        const bool closed = d != '(' || (k < n && cps[k].cp == ')');
        if (d == '(' && closed) ++k;
        const bool end_of_word = k >= n || !IsWordCp(cps[k].cp);
        static const char* const kSuffixes[] = {"e", "es", "se", "ses", "euse", "euses", "rice", "rices", "trice", "ice",
                                                "ne", "le", "ère", "ere", "ière", "iere", "ive", "ve", "x", "s"};
        bool inclusive = false;
        for (const char* sfx : kSuffixes) inclusive = inclusive || suffix == sfx;
        if (inclusive && closed && end_of_word && (d != '.' || suffix != "s")) {
          end = cps[k - 1].end;
          i = k;
          continue;
        }
      }
      if (d == '.' && IsWordCp(next) && segment > 0) {  // Node.js, ASP.NET, 3.5
        take(i);
        segment = 0;
        ++i;
        continue;
      }
      if ((d == '/' || d == '&') && segment > 0 && segment <= 3 && IsWordCp(next)) {
        const std::size_t after = WordRun(cps, i + 1);
        const utf8proc_int32_t beyond = cp_at(i + 1 + after);
        if (after <= 3 && beyond != '/' && beyond != '&' && beyond != '.') {  // CI/CD, R&D
          take(i);
          segment = 0;
          ++i;
          continue;
        }
      }
      if ((d == '+' || d == '#') && has_letter && !IsWordCp(next)) {  // C++, C#, F#
        while (i < n && (cps[i].cp == '+' || cps[i].cp == '#')) {
          take(i);
          ++i;
        }
        break;
      }
      if (IsHyphen(d) && IsLowerCp(cps[i - 1].cp)) {
        // "dévelop-\npement": a word split by a hard line wrap.
        std::size_t k = i + 1;
        while (k < n && IsSpace(cps[k].cp)) ++k;
        if (k < n && cps[k].cp == '\n') {
          ++k;
          while (k < n && IsSpace(cps[k].cp)) ++k;
          if (k < n && IsLowerCp(cps[k].cp)) {
            i = k;
            continue;
          }
        }
      }
      break;
    }
    Token t;
    if (raw.empty()) {
      t.norm = FoldRaw(text.substr(piece_begin, piece_end - piece_begin));
    } else {
      raw.append(text.substr(piece_begin, piece_end - piece_begin));
      t.norm = FoldRaw(raw);
    }
    t.begin = begin;
    t.end = end;
    t.boundary_before = boundary;
    t.line_start = line_start;
    if (!t.norm.empty()) tokens.push_back(std::move(t));
    boundary = false;
    line_start = false;
    newlines = 0;
  }
  return tokens;
}

}  // namespace jobzen::engine
