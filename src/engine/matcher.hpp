// PhraseMatcher: dictionary matching of multi-word phrases over a token stream, through a
// trie of token keys. Scanning is O(tokens x longest phrase), linear in text length
// for a fixed dictionary (the longest phrase is bounded), unlike one regex per concept.
// Keys fold plural and feminine endings (MatchKey), so "chariots élévateurs" meets
// "chariot élévateur" and "infirmière" meets "infirmier".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/text.hpp"

namespace jobzen::engine {

// Tokens of one text with their matching keys. Built once per text and shared by every matcher.
struct PreparedText {
  std::string_view text;          // the text the token offsets point into
  std::vector<Token> tokens;
  std::vector<std::string> keys;     // keys[i] is the matching key of tokens[i]
  std::vector<std::size_t> hashes;   // hashes[i] = std::hash of keys[i], computed once
};

// Fills keys and hashes from tokens (text and tokens already set).
void ComputeKeys(PreparedText& p);

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

  PhraseMatcher() { nodes_.emplace_back(); }

  // Adds a phrase for payload. The phrase is tokenised like text. case_sensitive phrases
  // match only when the raw text of the span equals the phrase (spaces collapsed). Adding the
  // same phrase twice keeps the first payload. Returns false for a phrase with no token.
  bool Add(std::string_view phrase, std::uint32_t payload, bool case_sensitive);

  // Leftmost-longest, non-overlapping matches, never across a token boundary.
  std::vector<Match> FindAll(const PreparedText& text) const;

  // Longest match starting exactly at token `first`, if any.
  bool MatchAt(const PreparedText& text, std::uint32_t first, Match* out) const;

  std::size_t phrase_count() const { return phrases_; }

  // Folded compound tokens ("ci/cd", "r&d") that some phrase uses, noted by Add.
  const std::unordered_map<std::string, bool>& compounds() const { return compounds_; }

 private:
  struct Terminal {
    std::uint32_t payload;
    std::int32_t exact;  // index into exact_ for case-sensitive phrases, else -1
  };
  struct Node {
    std::unordered_map<std::uint32_t, std::uint32_t> next;
    std::vector<Terminal> terminals;
  };

  std::uint32_t KeyId(const PreparedText& text, std::size_t i) const;
  bool TerminalOk(const Terminal& t, const PreparedText& text, std::uint32_t first, std::uint32_t last) const;

  struct IdentityHash {
    std::size_t operator()(std::size_t h) const { return h; }
  };
  // Key hash -> key id, verified against vocab_keys_; keys whose hash collides with another
  // key's live in overflow_.
  std::unordered_map<std::size_t, std::uint32_t, IdentityHash> vocab_;
  std::vector<std::string> vocab_keys_;
  std::unordered_map<std::string, std::uint32_t> overflow_;
  std::unordered_map<std::string, bool> compounds_;
  std::vector<Node> nodes_;
  std::vector<std::string> exact_;
  std::size_t phrases_ = 0;
};

// Key of a folded token for matching: plural and French feminine endings folded
// ("infirmieres" -> "infirmier", "technologies" -> "technology", "chariots" -> "chariot").
std::string MatchKey(std::string_view norm);

}  // namespace jobzen::engine
