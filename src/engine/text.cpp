// Unicode folding and tokenisation. utf8proc does the Unicode work; the token rules are ours.
#include "engine/text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <unordered_map>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// The folded form of a code point below U+0800 (one or two UTF-8 bytes: ASCII, Latin, Greek,
// Cyrillic...), appended as a fixed-size copy.
struct SmallFold {
  std::array<char, 6> bytes{};  // the longest is 5 (U+00BC "1⁄4")
  std::uint8_t size = 0;
  std::uint8_t classes = 0;
};

// Folds and classes computed once with utf8proc, so that the fast paths give exactly the
// results of the general one; callers fetch them once per text, not per character.
struct UnicodeTables {
  std::array<SmallFold, 0x800> small;
  std::array<std::uint8_t, 0x10000> bmp_classes;  // the tokenizer asks for every code point
};

const UnicodeTables& Tables() {
  static const std::unique_ptr<const UnicodeTables> tables = [] {
    auto t = std::make_unique<UnicodeTables>();
    for (utf8proc_int32_t cp = 0; cp < 0x800; ++cp) {
      SmallFold& f = t->small[static_cast<std::size_t>(cp)];
      utf8proc_uint8_t buf[4];
      const utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
      const std::string folded =
          cp < 0x80 ? std::string(1, static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp))
                    : FoldWithUtf8proc(std::string_view(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n)));
      std::copy(folded.begin(), folded.end(), f.bytes.begin());
      f.size = static_cast<std::uint8_t>(folded.size());
      f.classes = cp < 0x80 ? kAsciiClass[static_cast<std::size_t>(cp)] : UnicodeClass(cp);
    }
    for (utf8proc_int32_t cp = 0; cp < 0x10000; ++cp) {
      t->bmp_classes[static_cast<std::size_t>(cp)] = cp < 0x800 ? t->small[static_cast<std::size_t>(cp)].classes : UnicodeClass(cp);
    }
    return t;
  }();
  return *tables;
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
  const auto& small = Tables().small;
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
      if (cp >= 0x80) {
        out.append(small[cp].bytes.data(), small[cp].size);
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

// The norm of the token being read. Writers may copy up to kSlack bytes past what they
// commit, so that ASCII words and small folds are stored by fixed-size copies.
class NormBuffer {
 public:
  static constexpr std::size_t kSlack = Norm::kInline;
  // Room for `size` more bytes plus the kSlack a writer may overrun.
  char* Reserve(std::size_t size) {
    if (size_ + size + kSlack > bytes_.size()) [[unlikely]] Grow(size);
    return bytes_.data() + size_;
  }
  void Commit(std::size_t size) { size_ += size; }
  void Clear() { size_ = 0; }
  bool Empty() const { return size_ == 0; }
  // Sets out to the norm: one fixed-size copy for most (kSlack covers Norm::kInline).
  void CopyTo(Norm& out) const { out.AssignPadded(bytes_.data(), size_); }

 private:
  // Out of line: the writers that reserve stay small, with nothing to save around a call.
  [[gnu::noinline]] void Grow(std::size_t size) { bytes_.resize(2 * (size_ + size + kSlack)); }
  std::string bytes_ = std::string(64, '\0');
  std::size_t size_ = 0;
};

// Appends the folded form of a code point from U+0800 (a word character, so valid UTF-8),
// through utf8proc: out of line, away from the hot loop.
[[gnu::noinline]] void AppendFoldedRare(std::string_view cp_bytes, NormBuffer& out) {
  const std::string folded = FoldRaw(cp_bytes);
  std::memcpy(out.Reserve(folded.size()), folded.data(), folded.size());
  out.Commit(folded.size());
}

// Appends the folded form of the code point text[pos, pos + len) (a word character, so valid
// UTF-8): the per-character equivalent of FoldRaw, which folds character by character too.
inline void AppendFolded(const UnicodeTables& tables, std::string_view text, std::size_t pos, const Cp& c, NormBuffer& out) {
  if (c.cp < 0x800) {
    const SmallFold& f = tables.small[static_cast<std::size_t>(c.cp)];
    std::memcpy(out.Reserve(0), f.bytes.data(), f.bytes.size());
    out.Commit(f.size);
  } else {
    AppendFoldedRare(text.substr(pos, c.len), out);
  }
}

// Lowers the ASCII letters of the 16 bytes at in into out (16 bytes written); returns how
// many of them, from the first, are ASCII letters or digits (GCC vector extensions: SSE2,
// NEON...).
inline std::size_t LowerRun16(const char* in, char* out) {
  static_assert(std::endian::native == std::endian::little, "the first byte of a text is the low byte of a load");
  using Bytes = signed char __attribute__((vector_size(16)));
  Bytes x;
  std::memcpy(&x, in, 16);
  // Bytes from 0x80 are negative: neither letters nor digits.
  const Bytes folded = x | 0x20;
  const Bytes letter = (folded >= 'a') & (folded <= 'z');
  const Bytes word = letter | ((x >= '0') & (x <= '9'));
  const Bytes lowered = x | (letter & 0x20);
  std::memcpy(out, &lowered, 16);
#if defined(__SSE2__)
  // One bit per byte: the count of its trailing ones, without a branch on the halves.
  return static_cast<std::size_t>(std::countr_one(static_cast<unsigned>(_mm_movemask_epi8(reinterpret_cast<__m128i>(word)))));
#else
  using Halves = std::uint64_t __attribute__((vector_size(16)));
  const Halves halves = reinterpret_cast<Halves>(word);
  return halves[0] != ~std::uint64_t{0} ? static_cast<std::size_t>(std::countr_one(halves[0])) / 8
                                        : 8 + static_cast<std::size_t>(std::countr_one(halves[1])) / 8;
#endif
}

// LowerRun16 over the last bytes of a text, fewer than 16: zero bytes end the run like the
// end of the text. Out of line, once per text at most.
[[gnu::noinline]] std::size_t LowerTail(std::string_view text, std::size_t pos, char* out) {
  char tail[16] = {};
  std::memcpy(tail, text.data() + pos, text.size() - pos);
  return LowerRun16(tail, out);
}

// Appends the run of ASCII letters and digits starting at pos, lowered, sixteen bytes at a
// time; returns the end of the run. Inlined in both of Tokenize's loops (most tokens are such
// a run): its growth and the text's tail are out of line.
[[gnu::always_inline]] inline std::size_t AppendAsciiWord(std::string_view text, std::size_t pos, NormBuffer& out) {
  for (;;) {
    char* const dst = out.Reserve(16);
    const std::size_t taken = pos + 16 <= text.size() ? LowerRun16(text.data() + pos, dst) : LowerTail(text, pos, dst);
    out.Commit(taken);
    pos += taken;
    if (taken < 16) return pos;
  }
}

// Inclusive-writing suffixes read as the masculine word ("développeur·se").
bool IsInclusiveSuffix(std::string_view s) {
  static constexpr std::string_view kSuffixes[] = {"e", "es", "se", "ses", "euse", "euses", "rice", "rices", "trice", "ice",
                                                   "ne", "le", "ère", "ere", "ière", "iere", "ive", "ve", "x", "s"};
  return std::find(std::begin(kSuffixes), std::end(kSuffixes), s) != std::end(kSuffixes);
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const Norm& norm) { return out << norm.view(); }

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
  std::vector<Token> tokens;
  Tokenize(text, tokens);
  return tokens;
}

void Tokenize(std::string_view text, std::vector<Token>& tokens) {
  // One forward pass over the bytes; code points are decoded only where a rule looks at them,
  // and `prev` is always the code point just before `pos` (rules look one back).
  const UnicodeTables& tables = Tables();
  auto classes = [&tables](utf8proc_int32_t cp) -> std::uint8_t {
    if (cp < 0x800) return tables.small[static_cast<std::size_t>(cp)].classes;
    return cp < 0x10000 ? tables.bmp_classes[static_cast<std::size_t>(cp)] : UnicodeClass(cp);
  };
  auto is_word = [&classes](utf8proc_int32_t cp) { return (classes(cp) & kWord) != 0; };
  auto is_letter = [&classes](utf8proc_int32_t cp) { return (classes(cp) & kLetter) != 0; };
  auto is_lower = [&classes](utf8proc_int32_t cp) { return (classes(cp) & kLower) != 0; };

  // Tokens left by an earlier text (a caller tokenising text after text) are overwritten in
  // place, then the surplus dropped: their norms' buffers serve again instead of being
  // destroyed and built anew.
  std::size_t count = 0;
  const std::size_t reusable = tokens.size();  // tokens[count] exists while count < reusable
  tokens.reserve(text.size() / 6 + 1);
  NormBuffer norm;
  bool boundary = true;
  bool line_start = true;
  int newlines = 0;
  std::size_t pos = 0;
  utf8proc_int32_t prev = 0;
  const std::size_t n = text.size();
  auto ascii_word_at = [&text](std::size_t i) { return (kAsciiClass[static_cast<unsigned char>(text[i])] & kWord) != 0; };
  // Appends the token [begin, end) with the norm read for it (none if it folded to nothing);
  // the boundary and line start seen before it are used up either way.
  auto emit = [&](std::size_t begin, std::size_t end) {
    if (!norm.Empty()) {
      // Filled in place: a token built aside and moved in would copy its norm twice.
      Token& t = count < reusable ? tokens[count] : tokens.emplace_back();
      ++count;
      norm.CopyTo(t.norm);
      t.begin = static_cast<std::uint32_t>(begin);
      t.end = static_cast<std::uint32_t>(end);
      t.boundary_before = boundary;
      t.line_start = line_start;
    }
    boundary = false;
    line_start = false;
    newlines = 0;
  };

  while (pos < n) {
    // Most code points between words are single spaces, and most words start with an ASCII
    // letter or digit: both are told by their first byte.
    const auto first = static_cast<unsigned char>(text[pos]);
    if (first == ' ') {
      prev = ' ';
      ++pos;
      continue;
    }
    // A word of ASCII letters and digits ending at a space or punctuation, as most do, is a
    // whole token: no rule below applies. Such words separated by single spaces are read in a
    // row; a word the token goes on after is left to the rules with its run read.
    std::size_t word_end = pos;
    if ((kAsciiClass[first] & kWord) != 0) {
      for (;;) {
        norm.Clear();
        word_end = AppendAsciiWord(text, pos, norm);
        const auto after = static_cast<unsigned char>(word_end < n ? text[word_end] : 0);
        if (after >= 0x80 || (kAsciiClass[after] & kJoin) != 0) break;
        emit(pos, word_end);
        prev = static_cast<unsigned char>(text[word_end - 1]);
        pos = word_end;
        if (after != ' ' || pos + 1 >= n || !ascii_word_at(pos + 1)) break;
        prev = ' ';
        ++pos;
      }
      if (pos == word_end) continue;  // the last word read was a whole token
    }
    const bool run_read = word_end > pos;
    const Cp c = run_read ? Cp{} : first < 0x80 ? Cp{first, 1} : CpAt(text, pos);
    const bool dot_start = c.cp == '.' && is_letter(CpAt(text, pos + 1).cp) && (pos == 0 || !is_word(prev));
    if (!run_read && !is_word(c.cp) && !dot_start) {
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
        const bool abbreviation = k > pos + 1 && k < n && (is_lower(after) || (after >= '0' && after <= '9'));
        if (!abbreviation) boundary = true;
      } else {
        boundary = true;
      }
      prev = c.cp;
      pos += c.len;
      continue;
    }
    // A token starts at pos. Its norm is folded code point by code point as they are taken
    // (skipped line wraps and inclusive suffixes are left out); dropped if it folds to nothing
    // (combining marks alone).
    const std::size_t begin = pos;
    std::size_t end = pos + c.len;
    std::size_t segment = 0;  // length of the current alphanumeric segment, in code points
    // Whether the token holds a letter, asked by rare rules only: found by scanning what the
    // token has passed since the last question. All of it is taken, or skipped as non-letters
    // (line wraps), or skipped after a letter (inclusive suffixes).
    bool has_letter = false;
    std::size_t letters_scanned = begin;
    auto token_has_letter = [&] {
      while (!has_letter && letters_scanned < pos) {
        const Cp k = CpAt(text, letters_scanned);
        has_letter = is_letter(k.cp);
        letters_scanned += k.len;
      }
      return has_letter;
    };
    // Forced inline: called out of line, it would keep pos, prev and end in memory for the
    // whole loop.
    auto take = [&](const Cp& k) __attribute__((always_inline)) {
      AppendFolded(tables, text, pos, k, norm);
      prev = k.cp;
      pos += k.len;
      end = pos;
    };
    if (run_read) {
      segment = word_end - pos;
      prev = static_cast<unsigned char>(text[word_end - 1]);
      pos = end = word_end;
    } else {
      norm.Clear();
      if (dot_start) take(c);
    }
    while (pos < n) {
      // Runs of ASCII letters and digits, most of any text, are scanned, copied and lowered
      // in one go.
      if (ascii_word_at(pos)) {
        const std::size_t run_end = AppendAsciiWord(text, pos, norm);
        segment += run_end - pos;
        prev = static_cast<unsigned char>(text[run_end - 1]);
        pos = end = run_end;
        // Most words end at a space or a comma: no rule below applies.
        const auto after = static_cast<unsigned char>(pos < n ? text[pos] : 0);
        if (after < 0x80 && (kAsciiClass[after] & kJoin) == 0) break;
        continue;
      }
      const Cp d = CpAt(text, pos);
      if (is_word(d.cp)) {
        take(d);
        ++segment;
        continue;
      }
      const utf8proc_int32_t next = CpAt(text, pos + d.len).cp;
      // French inclusive forms: "Développeur·se", "développeur.euse", "Chargé(e)" read as the
      // masculine form, in one token.
      if ((d.cp == 0xB7 || d.cp == 0x2022 || d.cp == '.' || d.cp == '(') && is_lower(next) && token_has_letter()) {
        const std::size_t suffix_begin = pos + d.len;
        std::size_t k = suffix_begin;
        utf8proc_int32_t last = d.cp;
        for (Cp s = CpAt(text, k); s.len > 0 && is_letter(s.cp) && k - suffix_begin < 8; s = CpAt(text, k)) {
          last = s.cp;
          k += s.len;
        }
        const std::string_view suffix = text.substr(suffix_begin, k - suffix_begin);
        const bool closed = d.cp != '(' || CpAt(text, k).cp == ')';
        if (d.cp == '(' && closed) {
          last = ')';
          ++k;
        }
        const bool end_of_word = k >= n || !is_word(CpAt(text, k).cp);
        if (IsInclusiveSuffix(suffix) && closed && end_of_word && (d.cp != '.' || suffix != "s")) {
          end = k;
          pos = k;
          prev = last;
          continue;
        }
      }
      if (d.cp == '.' && is_word(next) && segment > 0) {  // Node.js, ASP.NET, 3.5
        take(d);
        segment = 0;
        continue;
      }
      if ((d.cp == '/' || d.cp == '&') && segment > 0 && segment <= 3 && is_word(next)) {
        std::size_t after = 0;  // code points of the word run after the separator
        std::size_t k = pos + 1;
        Cp beyond = CpAt(text, k);
        for (; is_word(beyond.cp) && beyond.len > 0; beyond = CpAt(text, k)) {
          ++after;
          k += beyond.len;
        }
        if (after <= 3 && beyond.cp != '/' && beyond.cp != '&' && beyond.cp != '.') {  // CI/CD, R&D
          take(d);
          segment = 0;
          continue;
        }
      }
      if ((d.cp == '+' || d.cp == '#') && !is_word(next) && token_has_letter()) {  // C++, C#, F#
        while (pos < n && (text[pos] == '+' || text[pos] == '#')) take(Cp{static_cast<unsigned char>(text[pos]), 1});
        break;
      }
      if (IsHyphen(d.cp) && is_lower(prev)) {
        // "dévelop-\npement": a word split by a hard line wrap.
        utf8proc_int32_t last = d.cp;
        std::size_t k = SkipSpaces(text, pos + d.len, &last);
        if (k < n && text[k] == '\n') {
          last = '\n';
          k = SkipSpaces(text, k + 1, &last);
          if (k < n && is_lower(CpAt(text, k).cp)) {
            pos = k;
            prev = last;
            continue;
          }
        }
      }
      break;
    }
    emit(begin, end);
  }
  tokens.resize(count);
}

}  // namespace jobzen::engine
