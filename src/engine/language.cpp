// Function-word language identification: counts hits of each language's most frequent short
// words. CVs are terse, so the lists favour words that survive in bullet points.
#include "engine/language.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "engine/matcher.hpp"

namespace jobzen::engine {
namespace {

struct LangWords {
  std::string_view code;
  std::string_view words;  // space-separated folded function words
};

constexpr std::array<LangWords, 7> kLanguages{{
    {"fr", "le la les des du de un une et en au aux pour par sur dans avec chez ans depuis "
           "mois experience competences formation langues poste gestion equipe suivi est sont "
           "nous vous qui que ou sans entre aupres outils ses leur requis requise exige exigee souhaite souhaitee "
           "obligatoire maitrise connaissance connaissances developpeur ingenieur annees"},
    {"en", "the and of to in for with on at by from as years year experience skills education "
           "languages team led built using an is are we our this that managed within across "
           "into over per work required must nice have knowledge developer engineer strong"},
    {"de", "und der die das mit fur von zu im ist ein eine den dem bei auf jahre erfahrung "
           "kenntnisse sprachen ausbildung wir sie"},
    {"es", "el los las del y con por para una un en es experiencia anos conocimientos idiomas "
           "formacion gestion equipo como sus"},
    {"it", "il lo gli delle della di e con per una un nel sono esperienza anni conoscenze "
           "lingue formazione gestione"},
    {"pt", "o os as do da dos das e com por para uma um em experiencia anos conhecimentos "
           "idiomas formacao gestao equipe"},
    {"nl", "de het een en van met voor op in is zijn ervaring jaar kennis talen opleiding wij "
           "bij naar"},
}};

// The function words interned in a Vocabulary (the matchers' cheap hash table), each with what
// it adds to each language's score: a word shared by several languages counts for each, split
// evenly (0 for the languages not listing it).
using Shares = std::array<double, kLanguages.size()>;
struct WordTable {
  Vocabulary words;
  std::vector<Shares> shares;  // by word id
  std::size_t longest = 0;     // longer tokens cannot be function words
  // The same words by the id of their matching key in FixedWords(), for texts whose keys were
  // looked up in a taxonomy's vocabulary. Most words are their own key (by_key[key].exact); a
  // few fold an inflection ("annees"), listed in folded, with by_key[key].folded set.
  struct ByKey {
    std::uint32_t exact = Vocabulary::kNoKey;
    bool folded = false;
  };
  std::vector<ByKey> by_key;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> folded;  // (key, word)
};

const WordTable& Words() {
  static const WordTable table = [] {
    WordTable t;
    std::vector<std::vector<std::size_t>> languages;  // by word id, the languages listing it
    for (std::size_t li = 0; li < kLanguages.size(); ++li) {
      std::string_view w = kLanguages[li].words;
      while (!w.empty()) {
        const std::size_t sp = w.find(' ');
        const std::string_view word = w.substr(0, sp);
        if (!word.empty()) {
          const std::uint32_t id = t.words.Intern(word);
          if (id >= languages.size()) languages.resize(id + 1);
          languages[id].push_back(li);
          t.longest = std::max(t.longest, word.size());
        }
        w = sp == std::string_view::npos ? std::string_view() : w.substr(sp + 1);
      }
    }
    t.shares.resize(languages.size());
    for (std::size_t id = 0; id < languages.size(); ++id) {
      for (const std::size_t li : languages[id]) t.shares[id][li] += 1.0 / static_cast<double>(languages[id].size());
      const auto word = static_cast<std::uint32_t>(id);
      const std::string key_text = MatchKey(t.words.Key(word));
      const std::uint32_t key = FixedWords().Intern(key_text);
      if (key >= t.by_key.size()) t.by_key.resize(key + 1);
      if (key_text == t.words.Key(word)) {
        t.by_key[key].exact = word;
      } else {
        t.by_key[key].folded = true;
        t.folded.emplace_back(key, word);
      }
    }
    return t;
  }();
  return table;
}

// Built during static initialisation, before any taxonomy copies FixedWords().
[[maybe_unused]] const WordTable& kWords = Words();

// Two function words decide; a single one does when no other language has any (short
// offers: "Python, FastAPI et Kubernetes requis").
std::string Best(const Shares& score) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < score.size(); ++i) {
    if (score[i] > score[best]) best = i;
  }
  double second = 0;
  for (std::size_t i = 0; i < score.size(); ++i) {
    if (i != best) second = std::max(second, score[i]);
  }
  if (score[best] < 2.0 && !(score[best] >= 1.0 && second == 0)) return "und";
  return std::string(kLanguages[best].code);
}

// Adding 0 leaves a score exactly as it was: no branch on the languages listing the word.
void Add(Shares& score, const Shares& shares) {
  for (std::size_t li = 0; li < score.size(); ++li) score[li] += shares[li];
}

}  // namespace

std::string DetectLanguage(const std::vector<Token>& tokens) {
  Shares score{};
  const WordTable& table = Words();
  for (const Token& t : tokens) {
    if (t.norm.size() > table.longest) continue;
    const std::uint32_t id = table.words.Find(t.norm, Vocabulary::Hash(t.norm));
    if (id != Vocabulary::kNoKey) Add(score, table.shares[id]);
  }
  return Best(score);
}

std::string DetectLanguage(const PreparedText& prepared) {
  const WordTable& table = Words();
  if (prepared.vocabulary == nullptr || !prepared.vocabulary->Covers(FixedWords())) return DetectLanguage(prepared.tokens);
  Shares score{};
  auto split = prepared.split_parts.begin();
  const std::size_t n = prepared.tokens.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t key = prepared.ids[i];
    if (key >= table.by_key.size()) continue;
    // The parts of a split compound were one token, never a function word ("et/ou").
    while (split != prepared.split_parts.end() && *split < i) ++split;
    if (split != prepared.split_parts.end() && *split == i) continue;
    // Folding an inflection shortens a word: a key as long as the token's norm is that norm.
    const WordTable::ByKey& entry = table.by_key[key];
    const std::string_view norm = prepared.tokens[i].norm;
    if (prepared.key(i).size() == norm.size()) {
      if (entry.exact != Vocabulary::kNoKey) Add(score, table.shares[entry.exact]);
      continue;
    }
    if (!entry.folded) continue;
    for (const auto& [folded_key, word] : table.folded) {
      if (folded_key == key && table.words.Key(word) == norm) Add(score, table.shares[word]);
    }
  }
  return Best(score);
}

}  // namespace jobzen::engine
