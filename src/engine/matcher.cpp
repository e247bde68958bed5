// Token-trie phrase matcher (see matcher.hpp).
#include "engine/matcher.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace jobzen::engine {
namespace {

constexpr std::uint32_t kNoKey = Vocabulary::kNoKey;

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (const char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Bit k set when marks[k] holds flag, for k in [0, 16).
unsigned Flagged16(const std::uint8_t* marks, std::uint8_t flag) {
#if defined(__SSE2__)
  const __m128i bits = _mm_set1_epi8(static_cast<char>(flag));
  const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(marks));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(block, bits), bits)));
#else
  unsigned hits = 0;
  for (unsigned k = 0; k < 16; ++k) hits |= static_cast<unsigned>((marks[k] & flag) != 0) << k;
  return hits;
#endif
}

}  // namespace

namespace {

// Every inflection rule removes or rewrites a final s, x or e of a word of 4 letters or more:
// other words are their own keys.
bool MayInflect(std::string_view norm) {
  return norm.size() >= 4 && (norm.back() == 's' || norm.back() == 'x' || norm.back() == 'e');
}

// Whether each of the 8 bytes of x is an ASCII lowercase letter or from 0x80 (part of a
// longer character), without a branch per byte: a byte below 0x80 plus 0x1F reaches 0x80 from
// 'a' on, plus 0x05 from '{' on, and carries into no other byte.
bool LetterBytes(std::uint64_t x) {
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  const std::uint64_t low = x & ~kHigh;
  const std::uint64_t from_a = low + 0x1F1F1F1F1F1F1F1Full;
  const std::uint64_t past_z = low + 0x0505050505050505ull;
  return (((from_a & ~past_z) | x) & kHigh) == kHigh;
}

// Whether w[0, n), n >= 4, holds only ASCII lowercase letters and bytes from 0x80, read by
// words of 8 bytes (the last one overlapping) or, below 8 bytes, two overlapping halves.
bool AllLetters(const char* w, std::size_t n) {
  if (n < 8) {
    std::uint32_t a = 0, b = 0;
    std::memcpy(&a, w, 4);
    std::memcpy(&b, w + n - 4, 4);
    return LetterBytes((std::uint64_t{a} << 32) | b);
  }
  for (std::size_t i = 0;; i += 8) {
    std::uint64_t x = 0;
    std::memcpy(&x, w + std::min(i, n - 8), 8);
    if (!LetterBytes(x)) return false;
    if (i + 8 >= n) return true;
  }
}

// MatchKey in place on w[0, *size): every rule shortens the word, so the buffer never grows.
// Inlined into ComputeKeys, where it runs for a third of all tokens: the call cost a sixth of
// its instructions, and the suffix tests are cheaper where the caller's checks are known.
[[gnu::always_inline]] inline void FoldInflection(char* w, std::size_t* size) {
  // Light inflection folding, the same in both languages: plural and French feminine forms
  // meet the singular masculine. Snowball stems over-merge for dictionary matching
  // ("accounting" -> "account", "closing" -> "close"), so they are kept for fuzzy uses only.
  std::size_t& n = *size;
  if (!MayInflect(std::string_view(w, n))) return;
  // Only words of letters inflect ("c++", "node.js", "3d" do not). Most words match no rule,
  // so their letters are checked only once a rule is about to change them.
  int letters = -1;  // unknown
  auto all_letters = [&] {
    if (letters < 0) letters = AllLetters(w, n) ? 1 : 0;
    return letters == 1;
  };
  // A suffix is only folded when at least three letters stay before it ("sass", "bus" keep theirs).
  auto has_suffix = [&](std::string_view suffix) { return std::string_view(w, n).ends_with(suffix); };
  auto ends = [&](std::string_view suffix) { return n > suffix.size() + 2 && has_suffix(suffix); };
  auto swap = [&](std::string_view suffix, std::string_view with) {
    n -= suffix.size();
    std::memcpy(w + n, with.data(), with.size());
    n += with.size();
  };
  // Plurals first (a word ending in s or x), then feminine forms (a word, singular by now,
  // ending in e); the last letter tells which rules can apply.
  if (w[n - 1] == 's') {
    if (ends("ies")) {
      if (!all_letters()) return;
      swap("ies", "y");
    } else if (ends("s") && !has_suffix("ss") && !has_suffix("us") && !has_suffix("is")) {
      if (!all_letters()) return;
      --n;
    }
  } else if (w[n - 1] == 'x') {
    if (ends("eaux")) {
      if (!all_letters()) return;
      swap("eaux", "eau");
    } else if (ends("aux")) {
      if (!all_letters()) return;
      swap("aux", "al");
    }
  }
  if (w[n - 1] != 'e') return;
  if (ends("euse")) {
    if (all_letters()) swap("euse", "eur");
  } else if (ends("trice")) {
    if (all_letters()) swap("trice", "teur");
  } else if (ends("iere")) {
    if (all_letters()) swap("iere", "ier");
  } else if (ends("ienne")) {
    if (all_letters()) swap("ienne", "ien");
  } else if (ends("ee")) {
    if (all_letters()) --n;
  }
}

}  // namespace

std::string MatchKey(std::string_view norm) {
  std::string w(norm);
  std::size_t size = w.size();
  FoldInflection(w.data(), &size);
  w.resize(size);
  return w;
}

void Vocabulary::Insert(std::uint64_t hash, std::uint32_t id) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i].id != kNoKey) i = (i + 1) & mask;
  const std::string_view key = Key(id);
  slots_[i] = {Head(key), id, static_cast<std::uint32_t>(key.size())};
}

std::uint32_t Vocabulary::Intern(std::string_view key) {
  const std::uint64_t hash = Hash(key);
  if (const std::uint32_t id = Find(key, hash); id != kNoKey) return id;
  const auto id = static_cast<std::uint32_t>(ends_.size());
  chars_.append(key);
  ends_.push_back(static_cast<std::uint32_t>(chars_.size()));
  if (ends_.size() * 4 > slots_.size()) {
    slots_.assign(slots_.size() * 2, Slot{});
    for (std::uint32_t k = 0; k < id; ++k) Insert(Hash(Key(k)), k);
  }
  Insert(hash, id);
  return id;
}

std::uint8_t Vocabulary::NewMark() {
  if (marks_taken_ >= 8) return 0;
  return static_cast<std::uint8_t>(1u << marks_taken_++);
}

void Vocabulary::Mark(std::uint32_t id, std::uint8_t flag) {
  if (marks_.size() <= id) marks_.resize(id + 1, 0);
  marks_[id] |= flag;
}

std::shared_ptr<Vocabulary> Vocabulary::Extending(const Vocabulary& base) {
  auto v = std::make_shared<Vocabulary>(base);
  v->base_ = &base;
  v->base_size_ = base.size();
  return v;
}

std::shared_ptr<Vocabulary> SharedFixedWords() {
  static const std::shared_ptr<Vocabulary> words = std::make_shared<Vocabulary>();
  return words;
}

Vocabulary& FixedWords() { return *SharedFixedWords(); }

void ComputeKeys(PreparedText& p, const Vocabulary* vocabulary) {
  const std::size_t n = p.tokens.size();
  p.vocabulary = vocabulary;
  p.key_ends.resize(n);
  p.hashes.resize(n);
  // With a vocabulary, every id and mark is written below: only the padding is set here.
  if (vocabulary != nullptr) {
    p.ids.resize(n);
    p.marks.resize(n + 16);
    std::memset(p.marks.data() + n, 0, 16);
  } else {
    p.ids.clear();
    p.marks.assign(n + 16, 0);
  }
  // A key is never longer than its norm: the buffer is sized once, each key is copied and
  // folded in place where it is stored (no string per token), and the slack cut at the end.
  // Norms of up to 16 bytes (nearly all) are copied as one 16-byte block into the slack.
  constexpr std::size_t kBlock = 16;
  std::size_t norms = 0;
  for (const Token& t : p.tokens) norms += t.norm.size();
  p.key_chars.resize(norms + kBlock);
  // Raw pointers: the byte stores below may alias anything, which would make the compiler
  // reload every vector's data pointer after each of them.
  const Token* const tokens = p.tokens.data();
  char* const chars = p.key_chars.data();
  std::uint32_t* const key_ends = p.key_ends.data();
  std::uint64_t* const hashes = p.hashes.data();
  std::uint32_t* const ids = p.ids.data();
  std::uint8_t* const marks = p.marks.data();
  std::size_t end = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Norm& norm = tokens[i].norm;
    char* const key_begin = chars + end;
    const std::size_t norm_size = norm.size();
    if (norm_size <= kBlock && norm.padded()) {
      // An inline norm's buffer holds more than 16 bytes.
      std::memcpy(key_begin, norm.data(), kBlock);
    } else {
      std::memcpy(key_begin, norm.data(), norm_size);
    }
    std::size_t size = norm_size;
    if (MayInflect(std::string_view(key_begin, size))) FoldInflection(key_begin, &size);
    const std::string_view key(key_begin, size);
    if (vocabulary != nullptr) {
      std::uint64_t hash = 0;
      const std::uint32_t id = vocabulary->HashAndFindPadded(key, &hash);  // the key buffer has 16 bytes of slack
      hashes[i] = hash;
      ids[i] = id;
      marks[i] = vocabulary->Marks(id);
    } else {
      hashes[i] = Vocabulary::Hash(key);
    }
    end += size;
    key_ends[i] = static_cast<std::uint32_t>(end);
  }
  p.key_chars.resize(end);
}

PreparedText PrepareText(std::string_view text) {
  PreparedText p;
  p.text = text;
  p.tokens = Tokenize(text);
  ComputeKeys(p);
  return p;
}

PhraseMatcher::PhraseMatcher(std::shared_ptr<Vocabulary> vocabulary)
    : vocabulary_(std::move(vocabulary)), mark_(vocabulary_->NewMark()) {
  nodes_.emplace_back();
}

bool PhraseMatcher::Add(std::string_view phrase, std::uint32_t payload, bool case_sensitive) {
  const std::vector<Token> tokens = Tokenize(phrase);
  if (tokens.empty()) return false;
  std::uint32_t node = 0;
  std::uint32_t first_id = kNoKey;
  std::uint32_t parent = 0, last_id = kNoKey;  // the last step, to flag the phrase's end
  for (const Token& t : tokens) {
    if (t.norm.find_first_of("/&") != std::string_view::npos) compounds_.emplace(t.norm.view(), true);
    const std::uint32_t id = vocabulary_->Intern(MatchKey(t.norm));
    if (node == 0) {
      first_id = id;
    } else if (Child(0, first_id) == node) {
      const std::size_t bit = PairBit(first_id, id);
      pairs_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
    }
    parent = node;
    last_id = id;
    if (const std::uint32_t child = Child(node, id); child != 0) {
      node = child;
      continue;
    }
    const auto child = static_cast<std::uint32_t>(nodes_.size());
    nodes_.emplace_back();
    if (node == 0) {
      if (root_next_.size() <= id) root_next_.resize(id + 1, 0);
      root_next_[id] = child;
      vocabulary_->Mark(id, mark_);
    } else {
      if (++edge_count_ * 2 > edges_.size()) {
        std::vector<Edge> old(edges_.size() * 2);
        old.swap(edges_);
        for (const Edge& e : old) {
          if (e.child != 0) InsertEdge(e);
        }
      }
      InsertEdge(Edge{node, id, child});
    }
    node = child;
  }
  Node& end = nodes_[node];
  std::int32_t exact = -1;
  if (case_sensitive) {
    exact = static_cast<std::int32_t>(exact_.size());
    exact_.push_back(CollapseSpaces(phrase));
  }
  for (const Terminal& t : end.terminals) {
    if (t.exact < 0 && exact < 0) return true;  // same phrase already present
    if (t.exact >= 0 && exact >= 0 && exact_[static_cast<std::size_t>(t.exact)] == exact_.back()) {
      exact_.pop_back();
      return true;
    }
  }
  end.terminals.push_back({payload, exact});
  if (parent == 0) {
    root_next_[first_id] |= kEndsHere;
  } else {
    const std::size_t mask = edges_.size() - 1;
    std::size_t i = EdgeHash(parent, last_id) & mask;
    while (edges_[i].node != parent || edges_[i].key != last_id) i = (i + 1) & mask;
    edges_[i].child |= kEndsHere;
  }
  ++phrases_;
  return true;
}

void PhraseMatcher::InsertEdge(const Edge& edge) {
  const std::size_t mask = edges_.size() - 1;
  std::size_t i = EdgeHash(edge.node, edge.key) & mask;
  while (edges_[i].child != 0) i = (i + 1) & mask;
  edges_[i] = edge;
}

bool PhraseMatcher::TerminalOk(const Terminal& t, const PreparedText& text, std::uint32_t first,
                               std::uint32_t last) const {
  if (t.exact < 0) return true;
  const Token& a = text.tokens[first];
  const Token& b = text.tokens[last];
  const std::string raw = CollapseSpaces(text.text.substr(a.begin, b.end - a.begin));
  return raw == exact_[static_cast<std::size_t>(t.exact)];
}

bool PhraseMatcher::MatchFrom(const PreparedText& text, std::uint32_t first, Match* out, std::uint32_t end) const {
  std::uint32_t node = 0;
  bool found = false;
  const std::uint32_t* const ids = IdsFor(text);
  const Token* const tokens = text.tokens.data();
  for (std::uint32_t i = first; i < end; ++i) {
    if (i > first && tokens[i].boundary_before) break;
    const std::uint32_t step = Step(node, ids != nullptr ? ids[i] : KeyId(text, i));
    node = step & ~kEndsHere;
    if (node == 0) break;
    if ((step & kEndsHere) == 0) continue;
    // Case-insensitive terminals first: they are the common, unambiguous forms.
    for (const Terminal& t : nodes_[node].terminals) {
      if (TerminalOk(t, text, first, i)) {
        *out = Match{t.payload, first, i};
        found = true;
        break;
      }
    }
  }
  return found;
}

std::uint32_t PhraseMatcher::NextStart(const PreparedText& text, std::uint32_t from) const {
  const auto n = static_cast<std::uint32_t>(text.tokens.size());
  const std::uint32_t* ids = IdsFor(text);
  // A phrase of one word ends at a root child; a longer one needs its first two keys in
  // pairs_, with no boundary between them.
  auto may_start = [&](std::uint32_t i, std::uint32_t id, std::uint32_t next_id) {
    if (id < root_next_.size() && (root_next_[id] & kEndsHere) != 0) return true;
    return i + 1 < n && !text.tokens[i + 1].boundary_before && MayStartPair(id, next_id);
  };
  std::uint32_t i = from;
  if (ids == nullptr) {
    for (; i < n; ++i) {
      const std::uint32_t id = KeyId(text, i);
      if (Child(0, id) != 0 && may_start(i, id, i + 1 < n ? KeyId(text, i + 1) : kNoKey)) break;
    }
    return i;
  }
  if (mark_ != 0 && text.marks.size() == n + 16) {
    // The tokens starting a phrase of this matcher carry its flag.
    // Sixteen tokens at a time, each flagged one of a block tried in turn (the padding ends
    // the last block).
    for (std::uint32_t block = i; block < n; block += 16) {
      for (unsigned hits = Flagged16(text.marks.data() + block, mark_); hits != 0; hits &= hits - 1) {
        const std::uint32_t k = block + static_cast<std::uint32_t>(std::countr_zero(hits));
        if (may_start(k, ids[k], k + 1 < n ? ids[k + 1] : kNoKey)) return k;
      }
    }
    return n;
  }
  // Child(0, id) without its checks: kNoKey is past the end of root_next_ too.
  const std::size_t roots = root_next_.size();
  for (;; ++i) {
    while (i < n && (ids[i] >= roots || root_next_[ids[i]] == 0)) ++i;
    if (i >= n || may_start(i, ids[i], i + 1 < n ? ids[i + 1] : kNoKey)) return i;
  }
}

std::vector<PhraseMatcher::Match> PhraseMatcher::FindAll(const PreparedText& text, std::uint32_t end) const {
  std::vector<Match> matches;
  FindAll(text, end, matches);
  return matches;
}

void PhraseMatcher::FindAll(const PreparedText& text, std::uint32_t end, std::vector<Match>& matches) const {
  matches.clear();
  const auto n = std::min(end, static_cast<std::uint32_t>(text.tokens.size()));
  for (std::uint32_t i = NextStart(text, 0); i < n; i = NextStart(text, i)) {
    Match m;
    if (MatchFrom(text, i, &m, n)) {
      matches.push_back(m);
      i = m.last + 1;
    } else {
      ++i;
    }
  }
}

}  // namespace jobzen::engine
