// PhraseMatcher: dictionary matching of multi-word phrases over a token stream, through a
// trie of token keys. Scanning is O(tokens x longest phrase), linear in text length
// for a fixed dictionary (the longest phrase is bounded), unlike one regex per concept.
// Keys fold plural and feminine endings (MatchKey), so "chariots élévateurs" meets
// "chariot élévateur" and "infirmière" meets "infirmier".
//
// Matchers built over one shared Vocabulary (the taxonomy's skills, occupations, languages
// and families, and the offer cues and signals over FixedWords(), which every taxonomy's
// vocabulary extends) read a text's key ids looked up once for all of them
// (PreparedText::ids), and find the tokens where their phrases may start from per-key flags
// copied once per token (PreparedText::marks), sixteen tokens at a time.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/text.hpp"

namespace jobzen::engine {

// Token keys interned as dense ids (0, 1, 2...). Intern is for build time and not
// thread-safe; Find is safe from any number of threads once building is over.
class Vocabulary {
 public:
  static constexpr std::uint32_t kNoKey = std::numeric_limits<std::uint32_t>::max();

  // The hash Find expects; any text's keys are hashed once with it.
  static std::uint64_t Hash(std::string_view key);

  // Id of key (hash = Hash(key)), or kNoKey.
  std::uint32_t Find(std::string_view key, std::uint64_t hash) const;
  // Hash(key) into *hash, and Find(key, *hash): the key's first bytes are read once for both.
  // 8 bytes must be readable from key.data() whatever its size (a buffer with slack): a short
  // key's head is then read without a branch on its size.
  std::uint32_t HashAndFindPadded(std::string_view key, std::uint64_t* hash) const;
  // Id of key, added if new.
  std::uint32_t Intern(std::string_view key);
  std::size_t size() const { return ends_.size(); }
  // The key of an id below size().
  std::string_view Key(std::uint32_t id) const {
    const std::uint32_t begin = id == 0 ? 0 : ends_[id - 1];
    return std::string_view(chars_).substr(begin, ends_[id] - begin);
  }

  // Up to eight flags per key, each claimed by one matcher over this vocabulary (NewMark) to
  // mark the first keys of its phrases. A text's first pass copies them per token
  // (PreparedText::marks), so that each matcher finds the tokens it may start at by scanning
  // bytes (PhraseMatcher::NextStart).
  std::uint8_t Marks(std::uint32_t id) const { return id < marks_.size() ? marks_[id] : 0; }
  // A flag of its own for a matcher; 0 once all eight are taken.
  std::uint8_t NewMark();
  void Mark(std::uint32_t id, std::uint8_t flag);

  // A copy of base to extend: base's keys keep their ids, so that ids looked up here serve
  // matchers built over base too (Covers).
  static std::shared_ptr<Vocabulary> Extending(const Vocabulary& base);
  // Whether every id of other means the same key here: other is this vocabulary, or the base
  // it extends, unchanged since.
  bool Covers(const Vocabulary& other) const {
    return &other == this || (&other == base_ && other.size() == base_size_);
  }

 private:
  // A slot holds what tells keys apart without leaving the table (the lookups of a text miss
  // the cache for most distinct words; one miss per word, not two): the length and first 8
  // bytes of its key. Longer keys compare their tail in chars_.
  struct Slot {
    std::uint64_t head = 0;
    std::uint32_t id = kNoKey;  // kNoKey: empty slot
    std::uint32_t size = 0;
  };
  // The first 8 bytes of key in one word, zero-padded for a shorter key (whose size then
  // tells it apart).
  static std::uint64_t Head(std::string_view key);
  // Hash(key) and Find(key, hash) given head = Head(key).
  static std::uint64_t HashFrom(std::string_view key, std::uint64_t head);
  std::uint32_t FindFrom(std::string_view key, std::uint64_t hash, std::uint64_t head) const;
  void Insert(std::uint64_t hash, std::uint32_t id);

  // Open addressing with linear probing, a power-of-two size at most a quarter full, so that a
  // miss (most tokens of a text for a small dictionary) ends at the first empty slot.
  std::vector<Slot> slots_ = std::vector<Slot>(16);
  std::string chars_;                // the keys back to back
  std::vector<std::uint32_t> ends_;  // key id ends at chars_[ends_[id]]
  const Vocabulary* base_ = nullptr;  // see Extending
  std::size_t base_size_ = 0;
  std::vector<std::uint8_t> marks_;  // see Marks
  std::uint8_t marks_taken_ = 0;
};

// The vocabulary of the engine's fixed dictionaries (offer cues and signals), built before
// main. Every taxonomy's vocabulary extends it, so that the one lookup of a text's keys in
// the taxonomy serves those dictionaries too.
Vocabulary& FixedWords();
// FixedWords() shared, for matchers built over it.
std::shared_ptr<Vocabulary> SharedFixedWords();

// Inline: Head and Find run for every token of every text, Find most often for a miss.
inline std::uint64_t Vocabulary::Head(std::string_view key) {
  // Fixed-size loads compile to single moves; a key of 4 to 7 bytes is read as two
  // overlapping halves, a shorter one byte by byte (the middle and last bytes may be the
  // first: they are ORed in place).
  auto load = [](const char* p, auto word) {
    std::memcpy(&word, p, sizeof word);
    return std::uint64_t{word};
  };
  const char* p = key.data();
  const std::size_t n = key.size();
  if (n >= 8) return load(p, std::uint64_t{});
  if (n >= 4) return load(p, std::uint32_t{}) | (load(p + n - 4, std::uint32_t{}) << (8 * (n - 4)));
  if (n == 0) return 0;
  return std::uint64_t{static_cast<unsigned char>(p[0])} | (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << (8 * (n / 2))) |
         (std::uint64_t{static_cast<unsigned char>(p[n - 1])} << (8 * (n - 1)));
}

inline std::uint64_t Vocabulary::HashFrom(std::string_view key, std::uint64_t head) {
  // Word at a time: Head, then the rest of a long key by 8-byte words (the last one
  // overlapping), each mixed in by a multiply-xorshift so that the low bits (the slot index)
  // depend on every byte. Keys are short words: this beats a byte loop or a general hash.
  auto mix = [](std::uint64_t h) {
    h *= 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 32);
  };
  std::uint64_t h = mix(head ^ key.size());
  for (std::size_t i = 8; i < key.size(); i += 8) {
    h = mix(h ^ Head(key.substr(std::min(i, key.size() - 8))));
  }
  h *= 0xd6e8feb86659fd93ull;
  return h ^ (h >> 29);
}

inline std::uint64_t Vocabulary::Hash(std::string_view key) { return HashFrom(key, Head(key)); }

inline std::uint32_t Vocabulary::FindFrom(std::string_view key, std::uint64_t hash, std::uint64_t head) const {
  // A key of 9 to 16 bytes, whose first 8 match, is the same key if its last 8 do too: one
  // load each, no byte comparison loop.
  auto last8 = [](std::string_view k) {
    std::uint64_t word = 0;
    std::memcpy(&word, k.data() + k.size() - 8, 8);
    return word;
  };
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.id == kNoKey) return kNoKey;
    if (s.head != head || s.size != key.size()) continue;
    if (key.size() <= 8) return s.id;
    const std::string_view found = Key(s.id);
    if (key.size() <= 16 ? last8(found) == last8(key) : found.substr(8) == key.substr(8)) return s.id;
  }
}

inline std::uint32_t Vocabulary::Find(std::string_view key, std::uint64_t hash) const {
  // The common miss ends at the first slot, before Head is computed.
  if (slots_[hash & (slots_.size() - 1)].id == kNoKey) return kNoKey;
  return FindFrom(key, hash, Head(key));
}

inline std::uint32_t Vocabulary::HashAndFindPadded(std::string_view key, std::uint64_t* hash) const {
  // Head(key): the 8 bytes read, the bytes past a shorter key cleared.
  std::uint64_t word = 0;
  std::memcpy(&word, key.data(), 8);
  const std::uint64_t head = key.size() >= 8 ? word : word & ((std::uint64_t{1} << (8 * key.size())) - 1);
  *hash = HashFrom(key, head);
  return FindFrom(key, *hash, head);
}

// Tokens of one text with their matching keys. Built once per text and shared by every matcher.
struct PreparedText {
  std::string_view text;                 // the text the token offsets point into
  std::vector<Token> tokens;
  // Indices of the tokens that are parts of a compound split by Taxonomy::Prepare, ascending.
  std::vector<std::uint32_t> split_parts;
  std::vector<std::uint64_t> hashes;     // hashes[i] = Vocabulary::Hash(key(i)), computed once
  const Vocabulary* vocabulary = nullptr;  // the vocabulary ids come from, if any
  std::vector<std::uint32_t> ids;          // ids[i]: id of key(i) in *vocabulary, or kNoKey
  // marks[i] = vocabulary->Marks(ids[i]) (0 without a vocabulary), padded with 16 zeros
  // for block scans (PhraseMatcher::NextStart).
  std::vector<std::uint8_t> marks;
  // The keys back to back in one buffer (no string per token): key(i) is
  // key_chars[key_ends[i - 1], key_ends[i]).
  std::string key_chars;
  std::vector<std::uint32_t> key_ends;

  // The matching key of tokens[i].
  std::string_view key(std::size_t i) const {
    const std::uint32_t begin = i == 0 ? 0 : key_ends[i - 1];
    return std::string_view(key_chars).substr(begin, key_ends[i] - begin);
  }
};

// Fills keys and hashes from tokens (text and tokens already set), and ids and marks when a
// vocabulary is given.
void ComputeKeys(PreparedText& p, const Vocabulary* vocabulary = nullptr);

// A prepared text without taxonomy-specific token splitting (for small fixed dictionaries).
PreparedText PrepareText(std::string_view text);

class PhraseMatcher {
 public:
  struct Match {
    std::uint32_t payload = 0;
    std::uint32_t first = 0;  // token index of the first token
    std::uint32_t last = 0;   // token index of the last token (inclusive)
    bool operator==(const Match&) const = default;
  };

  // A matcher with a vocabulary of its own.
  PhraseMatcher() : PhraseMatcher(std::make_shared<Vocabulary>()) {}
  // A matcher whose keys live in a vocabulary shared with other matchers. Add interns into
  // it: build every matcher sharing a vocabulary before matching with any of them.
  explicit PhraseMatcher(std::shared_ptr<Vocabulary> vocabulary);

  // Adds a phrase for payload. The phrase is tokenised like text. case_sensitive phrases
  // match only when the raw text of the span equals the phrase (spaces collapsed). Adding the
  // same phrase twice keeps the first payload. Returns false for a phrase with no token.
  bool Add(std::string_view phrase, std::uint32_t payload, bool case_sensitive);

  // Leftmost-longest, non-overlapping matches, never across a token boundary.
  std::vector<Match> FindAll(const PreparedText& text) const { return FindAll(text, static_cast<std::uint32_t>(text.tokens.size())); }
  // The same over the first `end` tokens only, as if the text stopped there (an offer's title
  // line, read within the whole offer).
  std::vector<Match> FindAll(const PreparedText& text, std::uint32_t end) const;
  // The same into `out`, cleared first, whose capacity is reused (a caller matching text
  // after text).
  void FindAll(const PreparedText& text, std::uint32_t end, std::vector<Match>& out) const;

  // Longest match starting exactly at token `first`, if any.
  bool MatchAt(const PreparedText& text, std::uint32_t first, Match* out) const;

  // The first token at or after `from` that starts some phrase (MatchAt may hold there; it
  // holds nowhere before), or the token count: skips what starts no phrase in a tight loop.
  std::uint32_t NextStart(const PreparedText& text, std::uint32_t from) const;

  std::size_t phrase_count() const { return phrases_; }
  const Vocabulary& vocabulary() const { return *vocabulary_; }

  // Folded compound tokens ("ci/cd", "r&d") that some phrase uses, noted by Add.
  const std::unordered_map<std::string, bool>& compounds() const { return compounds_; }

 private:
  struct Terminal {
    std::uint32_t payload;
    std::int32_t exact;  // index into exact_ for case-sensitive phrases, else -1
  };
  // An edge below the root, in one open-addressing table for the whole trie: a step costs one
  // probe where a per-node sorted list cost a binary search over scattered memory (common
  // first words such as "de" or "gestion" have hundreds of children).
  struct Edge {
    std::uint32_t node = 0;
    std::uint32_t key = 0;    // vocabulary id
    std::uint32_t child = 0;  // index into nodes_ | kEndsHere; 0: empty slot
  };
  // Set in Edge::child when the child ends some phrase: a walk reads a node's terminals only
  // then (nodes_ is large, and most steps end no phrase).
  static constexpr std::uint32_t kEndsHere = std::uint32_t{1} << 31;
  struct Node {
    std::vector<Terminal> terminals;
  };
  static std::size_t EdgeHash(std::uint32_t node, std::uint32_t key) {
    const std::uint64_t h = ((std::uint64_t{node} << 32) | key) * 0x9e3779b97f4a7c15ull;
    return static_cast<std::size_t>(h >> 32);
  }
  void InsertEdge(const Edge& edge);

  // The text's ids in this matcher's vocabulary when it has them, else nullptr (keys are
  // then looked up one by one).
  const std::uint32_t* IdsFor(const PreparedText& text) const;
  std::uint32_t KeyId(const PreparedText& text, std::size_t i) const;
  // MatchAt once the token at first is known to start some phrase.
  // Tokens from `end` on are not read.
  bool MatchFrom(const PreparedText& text, std::uint32_t first, Match* out, std::uint32_t end) const;
  // Child of node through key id, 0 (the root, never a child) when there is none.
  std::uint32_t Child(std::uint32_t node, std::uint32_t key) const { return Step(node, key) & ~kEndsHere; }
  // The same with kEndsHere set when the child ends a phrase.
  std::uint32_t Step(std::uint32_t node, std::uint32_t key) const;
  bool TerminalOk(const Terminal& t, const PreparedText& text, std::uint32_t first, std::uint32_t last) const;

  std::shared_ptr<Vocabulary> vocabulary_;
  std::uint8_t mark_ = 0;  // this matcher's flag on its phrases' first keys (Vocabulary::Marks); 0: none
  // The root's children by key id, with kEndsHere set for those that end a phrase themselves:
  // most tokens of a text are looked up at the root only.
  std::vector<std::uint32_t> root_next_;
  // A Bloom-style bit set of the first two keys of longer phrases: a token starting no
  // one-word phrase starts a match only if its pair with the next token is in the set. Common
  // first words ("de", "la", "gestion") start thousands of phrases but rarely one of them, so
  // NextStart skips them without walking the trie.
  std::vector<std::uint64_t> pairs_ = std::vector<std::uint64_t>(kPairWords);
  static constexpr std::size_t kPairWords = std::size_t{1} << 12;  // 2^18 bits, 32 KiB
  static std::size_t PairBit(std::uint32_t a, std::uint32_t b) {
    const std::uint64_t h = ((std::uint64_t{a} << 32) | b) * 0xd6e8feb86659fd93ull;
    return static_cast<std::size_t>(h >> 46);  // 18 bits
  }
  bool MayStartPair(std::uint32_t a, std::uint32_t b) const {
    const std::size_t bit = PairBit(a, b);
    return ((pairs_[bit >> 6] >> (bit & 63)) & 1) != 0;
  }
  std::unordered_map<std::string, bool> compounds_;
  std::vector<Node> nodes_;
  std::vector<Edge> edges_ = std::vector<Edge>(16);  // a power of two, at most half full
  std::size_t edge_count_ = 0;
  std::vector<std::string> exact_;
  std::size_t phrases_ = 0;
};

// Inline: these run for every token of every text each matcher scans.
inline const std::uint32_t* PhraseMatcher::IdsFor(const PreparedText& text) const {
  if (text.vocabulary != nullptr && text.vocabulary->Covers(*vocabulary_)) return text.ids.data();
  return nullptr;
}

inline std::uint32_t PhraseMatcher::KeyId(const PreparedText& text, std::size_t i) const {
  if (const std::uint32_t* ids = IdsFor(text)) return ids[i];
  return vocabulary_->Find(text.key(i), text.hashes[i]);
}

inline bool PhraseMatcher::MatchAt(const PreparedText& text, std::uint32_t first, Match* out) const {
  // Most tokens start no phrase: one lookup at the root tells, without a call.
  return Child(0, KeyId(text, first)) != 0 && MatchFrom(text, first, out, static_cast<std::uint32_t>(text.tokens.size()));
}

inline std::uint32_t PhraseMatcher::Step(std::uint32_t node, std::uint32_t key) const {
  if (key == Vocabulary::kNoKey) return 0;
  if (node == 0) {
    return key < root_next_.size() ? root_next_[key] : 0;
  }
  const std::size_t mask = edges_.size() - 1;
  for (std::size_t i = EdgeHash(node, key) & mask;; i = (i + 1) & mask) {
    const Edge& e = edges_[i];
    if (e.child == 0) return 0;
    if (e.node == node && e.key == key) return e.child;
  }
}

// Key of a folded token for matching: plural and French feminine endings folded
// ("infirmieres" -> "infirmier", "technologies" -> "technology", "chariots" -> "chariot").
std::string MatchKey(std::string_view norm);

}  // namespace jobzen::engine
