// Text core: Unicode folding (NFKC, case, accents) and a tokenizer that keeps technical tokens
// (C++, C#, .NET, Node.js, CI/CD, k8s) whole, with byte offsets into the original text.
#pragma once

#include <cstdint>
#include <cstring>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace jobzen::engine {

// NFKC, case folding, accents removed (NFD minus combining marks), whitespace runs collapsed
// to one space and trimmed. "Ingénieure  ﬁnance" -> "ingenieure finance". Invalid UTF-8
// bytes are dropped.
std::string Fold(std::string_view utf8);

// The folded form of a token: up to 24 bytes inline (nearly every word), a longer one on the
// heap. A text has a token every seven bytes or so: Tokenize fills a Norm with one fixed-size
// copy, and moving one copies its 32 bytes, where a std::string took library calls for both.
class Norm {
 public:
  static constexpr std::size_t kInline = 24;

  Norm() noexcept : size_(0), on_heap_(false) {}
  explicit Norm(std::string_view s) : Norm() { Assign(s.data(), s.size()); }
  Norm(const Norm& other) : Norm() { Assign(other.data(), other.size()); }
  Norm(Norm&& other) noexcept : Norm() { Steal(other); }
  Norm& operator=(const Norm& other) {
    if (this != &other) Assign(other.data(), other.size());
    return *this;
  }
  Norm& operator=(Norm&& other) noexcept {
    if (this != &other) {
      Release();
      Steal(other);
    }
    return *this;
  }
  Norm& operator=(std::string_view s) {
    Assign(s.data(), s.size());
    return *this;
  }
  ~Norm() { Release(); }

  const char* data() const { return on_heap_ ? heap_.bytes : inline_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  char operator[](std::size_t i) const { return data()[i]; }
  const char* begin() const { return data(); }
  const char* end() const { return data() + size_; }
  std::string_view view() const { return {data(), size_}; }
  operator std::string_view() const { return view(); }
  std::size_t find_first_of(std::string_view chars) const { return view().find_first_of(chars); }
  friend bool operator==(const Norm& a, const Norm& b) { return a.view() == b.view(); }
  friend bool operator==(const Norm& a, std::string_view b) { return a.view() == b; }

  // Sets the norm to src[0, size), where kInline bytes may be read from src whatever the size
  // (the tokenizer's buffer has that slack): one fixed-size copy for all inline norms.
  void AssignPadded(const char* src, std::size_t size) {
    if (size > kInline) {
      Assign(src, size);
      return;
    }
    Release();
    std::memcpy(inline_, src, kInline);
    size_ = static_cast<std::uint32_t>(size);
  }
  // Whether kInline bytes may be read from data() (an inline norm).
  bool padded() const { return !on_heap_; }

 private:
  void Assign(const char* s, std::size_t n) {
    if (n <= kInline) {
      // s may point into this norm (a view of itself): memmove.
      if (on_heap_) {
        char inline_copy[kInline];
        std::memcpy(inline_copy, s, n);
        Release();
        std::memcpy(inline_, inline_copy, n);
      } else {
        std::memmove(inline_, s, n);
      }
    } else if (on_heap_ && heap_.capacity >= n) {
      std::memmove(heap_.bytes, s, n);
    } else {
      char* bytes = new char[n];
      std::memcpy(bytes, s, n);
      Release();
      heap_.bytes = bytes;
      heap_.capacity = n;
      on_heap_ = true;
    }
    size_ = static_cast<std::uint32_t>(n);
  }
  void Release() noexcept {
    if (on_heap_) delete[] heap_.bytes;
    on_heap_ = false;
  }
  // Takes other's bytes; other is left empty. This norm holds no heap bytes.
  void Steal(Norm& other) noexcept {
    std::memcpy(inline_, other.inline_, kInline);  // the heap pointer and capacity too
    size_ = other.size_;
    on_heap_ = other.on_heap_;
    other.on_heap_ = false;
    other.size_ = 0;
  }

  union {
    char inline_[kInline];
    struct {
      char* bytes;
      std::size_t capacity;
    } heap_;
  };
  std::uint32_t size_;
  bool on_heap_;
};

// Writes the norm's bytes (test messages, dumps).
std::ostream& operator<<(std::ostream& out, const Norm& norm);

// One token of a text. `norm` is the folded form; [begin, end) are byte offsets into the
// text given to Tokenize, so raw text is text.substr(begin, end - begin).
struct Token {
  Norm norm;
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
