// Token-trie phrase matcher (see matcher.hpp).
#include "engine/matcher.hpp"

#include <limits>

namespace jobzen::engine {
namespace {

constexpr std::uint32_t kNoKey = std::numeric_limits<std::uint32_t>::max();

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

}  // namespace

std::string MatchKey(std::string_view norm) {
  // Light inflection folding, the same in both languages: plural and French feminine forms
  // meet the singular masculine. Snowball stems over-merge for dictionary matching
  // ("accounting" -> "account", "closing" -> "close"), so they are kept for fuzzy uses only.
  std::string w(norm);
  if (w.size() < 4) return w;
  for (const char c : w) {
    const bool letter = (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
    if (!letter) return w;
  }
  // A suffix is only folded when at least three letters stay before it ("sass", "bus" keep theirs).
  auto has_suffix = [&](std::string_view suffix) {
    return w.size() >= suffix.size() && w.compare(w.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  auto ends = [&](std::string_view suffix) { return w.size() > suffix.size() + 2 && has_suffix(suffix); };
  auto swap = [&](std::string_view suffix, std::string_view with) {
    w.replace(w.size() - suffix.size(), suffix.size(), with);
  };
  if (ends("ies")) swap("ies", "y");
  else if (ends("eaux")) swap("eaux", "eau");
  else if (ends("aux")) swap("aux", "al");
  else if (ends("s") && !has_suffix("ss") && !has_suffix("us") && !has_suffix("is")) w.pop_back();
  if (ends("euse")) swap("euse", "eur");
  else if (ends("trice")) swap("trice", "teur");
  else if (ends("iere")) swap("iere", "ier");
  else if (ends("ienne")) swap("ienne", "ien");
  else if (ends("ee")) w.pop_back();
  return w;
}

void ComputeKeys(PreparedText& p) {
  p.keys.clear();
  p.hashes.clear();
  p.keys.reserve(p.tokens.size());
  p.hashes.reserve(p.tokens.size());
  for (const Token& t : p.tokens) {
    p.keys.push_back(MatchKey(t.norm));
    p.hashes.push_back(std::hash<std::string>{}(p.keys.back()));
  }
}

PreparedText PrepareText(std::string_view text) {
  PreparedText p;
  p.text = text;
  p.tokens = Tokenize(text);
  ComputeKeys(p);
  return p;
}

std::uint32_t PhraseMatcher::KeyId(const PreparedText& text, std::size_t i) const {
  const auto it = vocab_.find(text.hashes[i]);
  if (it != vocab_.end() && vocab_keys_[it->second] == text.keys[i]) return it->second;
  if (overflow_.empty()) return kNoKey;
  const auto o = overflow_.find(text.keys[i]);
  return o == overflow_.end() ? kNoKey : o->second;
}

bool PhraseMatcher::Add(std::string_view phrase, std::uint32_t payload, bool case_sensitive) {
  const std::vector<Token> tokens = Tokenize(phrase);
  if (tokens.empty()) return false;
  std::uint32_t node = 0;
  for (const Token& t : tokens) {
    if (t.norm.find_first_of("/&") != std::string::npos) compounds_.emplace(t.norm, true);
    const std::string key = MatchKey(t.norm);
    const std::size_t hash = std::hash<std::string>{}(key);
    std::uint32_t id;
    const auto vit = vocab_.find(hash);
    if (vit != vocab_.end() && vocab_keys_[vit->second] == key) {
      id = vit->second;
    } else if (const auto o = overflow_.find(key); o != overflow_.end()) {
      id = o->second;
    } else {
      id = static_cast<std::uint32_t>(vocab_keys_.size());
      vocab_keys_.push_back(key);
      if (vit == vocab_.end()) vocab_.emplace(hash, id);
      else overflow_.emplace(key, id);
    }
    auto& next = nodes_[node].next;
    const auto it = next.find(id);
    if (it != next.end()) {
      node = it->second;
    } else {
      const auto child = static_cast<std::uint32_t>(nodes_.size());
      nodes_[node].next.emplace(id, child);
      nodes_.emplace_back();
      node = child;
    }
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
  ++phrases_;
  return true;
}

bool PhraseMatcher::TerminalOk(const Terminal& t, const PreparedText& text, std::uint32_t first,
                               std::uint32_t last) const {
  if (t.exact < 0) return true;
  const Token& a = text.tokens[first];
  const Token& b = text.tokens[last];
  const std::string raw = CollapseSpaces(text.text.substr(a.begin, b.end - a.begin));
  return raw == exact_[static_cast<std::size_t>(t.exact)];
}

bool PhraseMatcher::MatchAt(const PreparedText& text, std::uint32_t first, Match* out) const {
  std::uint32_t node = 0;
  bool found = false;
  const auto n = static_cast<std::uint32_t>(text.tokens.size());
  for (std::uint32_t i = first; i < n; ++i) {
    if (i > first && text.tokens[i].boundary_before) break;
    const std::uint32_t id = KeyId(text, i);
    if (id == kNoKey) break;
    const auto it = nodes_[node].next.find(id);
    if (it == nodes_[node].next.end()) break;
    node = it->second;
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

std::vector<PhraseMatcher::Match> PhraseMatcher::FindAll(const PreparedText& text) const {
  std::vector<Match> matches;
  const auto n = static_cast<std::uint32_t>(text.tokens.size());
  std::uint32_t i = 0;
  while (i < n) {
    Match m;
    if (MatchAt(text, i, &m)) {
      matches.push_back(m);
      i = m.last + 1;
    } else {
      ++i;
    }
  }
  return matches;
}

}  // namespace jobzen::engine
