// Offer parsing and the scoring model. Offers are read clause by clause: a skill's need
// (required, preferred, mentioned) comes from the cue of its own clause, else of its sentence,
// else of the current block ("Must have:", "Nice to have:", "Profil recherché"), else from the
// field it sits in (requirements are required, the description mentions).
#include "engine/scoring.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <functional>
#include <latch>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "engine/language.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace jobzen::engine {
namespace {

enum class Cue { kNone, kRequired, kMandatory, kPreferred };

struct CuePhrase {
  std::string_view folded;
  Cue cue;
};

// Folded cue phrases. kMandatory is a must that screens candidates out; kRequired a plain need.
constexpr CuePhrase kCues[] = {
    {"obligatoire", Cue::kMandatory}, {"obligatoires", Cue::kMandatory}, {"indispensable", Cue::kMandatory},
    {"indispensables", Cue::kMandatory}, {"imperatif", Cue::kMandatory}, {"imperative", Cue::kMandatory},
    {"exige", Cue::kMandatory}, {"exigee", Cue::kMandatory}, {"exiges", Cue::kMandatory}, {"exigees", Cue::kMandatory},
    {"mandatory", Cue::kMandatory}, {"hard requirement", Cue::kMandatory}, {"essential", Cue::kMandatory},
    {"is required", Cue::kRequired}, {"are required", Cue::kRequired}, {"required", Cue::kRequired},
    {"requis", Cue::kRequired}, {"requise", Cue::kRequired}, {"must", Cue::kMandatory}, {"we do not train", Cue::kMandatory},
    {"non negociable", Cue::kMandatory}, {"sine qua non", Cue::kMandatory}, {"prerequis", Cue::kRequired},
    {"aucune formation", Cue::kMandatory}, {"no training", Cue::kMandatory}, {"sans derogation", Cue::kMandatory},
    {"minimum", Cue::kRequired}, {"at least", Cue::kRequired}, {"au moins", Cue::kRequired}, {"maitrise", Cue::kRequired},
    {"maitrise de", Cue::kRequired}, {"solid", Cue::kRequired}, {"strong", Cue::kRequired}, {"proven", Cue::kRequired},
    {"un plus", Cue::kPreferred}, {"serait un plus", Cue::kPreferred}, {"est un plus", Cue::kPreferred},
    {"a plus", Cue::kPreferred}, {"is a plus", Cue::kPreferred}, {"nice to have", Cue::kPreferred},
    {"ideally", Cue::kPreferred}, {"idealement", Cue::kPreferred}, {"apprecie", Cue::kPreferred},
    {"appreciee", Cue::kPreferred}, {"apprecies", Cue::kPreferred}, {"appreciees", Cue::kPreferred},
    {"souhaite", Cue::kPreferred}, {"souhaitee", Cue::kPreferred}, {"souhaites", Cue::kPreferred},
    {"souhaitees", Cue::kPreferred}, {"souhaitable", Cue::kPreferred}, {"atout", Cue::kPreferred},
    {"un atout", Cue::kPreferred}, {"bonus", Cue::kPreferred}, {"preferred", Cue::kPreferred},
    {"desirable", Cue::kPreferred}, {"advantage", Cue::kPreferred}, {"an advantage", Cue::kPreferred},
    {"optional", Cue::kPreferred}, {"facultatif", Cue::kPreferred}, {"bienvenu", Cue::kPreferred},
    {"bienvenue", Cue::kPreferred}, {"les plus", Cue::kPreferred}, {"not required", Cue::kPreferred},
    {"pas obligatoire", Cue::kPreferred}, {"non obligatoire", Cue::kPreferred}, {"useful", Cue::kPreferred},
    {"utile", Cue::kPreferred}, {"only useful", Cue::kPreferred}, {"de preference", Cue::kPreferred},
    {"preferably", Cue::kPreferred}, {"would be great", Cue::kPreferred}, {"familiarity", Cue::kPreferred},
    {"notions", Cue::kPreferred},
};

// Block headings that set the need of what follows until the next heading.
constexpr CuePhrase kBlocks[] = {
    {"must have", Cue::kRequired}, {"must haves", Cue::kRequired}, {"requirements", Cue::kRequired},
    {"required", Cue::kRequired}, {"profil recherche", Cue::kRequired}, {"votre profil", Cue::kRequired},
    {"competences requises", Cue::kRequired}, {"prerequis", Cue::kRequired}, {"qualifications", Cue::kRequired},
    {"what you bring", Cue::kRequired}, {"you have", Cue::kRequired}, {"vous avez", Cue::kRequired},
    {"nice to have", Cue::kPreferred}, {"bonus", Cue::kPreferred}, {"les plus", Cue::kPreferred},
    {"appreciated", Cue::kPreferred}, {"pluses", Cue::kPreferred}, {"a plus", Cue::kPreferred},
};

// Bytes that end a clause or a sentence (a sentence end ends its clause too), as a table: the
// whole offer text is scanned for them.
enum : std::uint8_t { kClauseEnd = 1, kSentenceEnd = 2 };
constexpr std::string_view kClauseEndChars = ",():";
constexpr std::string_view kSentenceEndChars = ".;\n!?";
constexpr std::array<std::uint8_t, 256> kEnds = [] {
  std::array<std::uint8_t, 256> t{};
  for (const char c : kClauseEndChars) t[static_cast<unsigned char>(c)] = kClauseEnd;
  for (const char c : kSentenceEndChars) t[static_cast<unsigned char>(c)] = kClauseEnd | kSentenceEnd;
  return t;
}();

// Token norms of [begin, end) bytes joined by spaces and padded: a padded view of a range for
// whole-word lookups, without folding the text again.
std::string JoinedNorms(const PreparedText& p, std::size_t begin, std::size_t end) {
  auto it = std::lower_bound(p.tokens.begin(), p.tokens.end(), begin, [](const Token& t, std::size_t b) { return t.begin < b; });
  std::string out = " ";
  for (; it != p.tokens.end() && it->end <= end; ++it) {
    out += it->norm;
    out += ' ';
  }
  return out;
}

// The strongest of two cues: mandatory > preferred > required > none. A preferred cue beats a
// plain required one ("solid X is a plus"), not a mandatory one.
Cue Stronger(Cue a, Cue b) {
  auto rank = [](Cue c) { return c == Cue::kMandatory ? 3 : c == Cue::kPreferred ? 2 : c == Cue::kRequired ? 1 : 0; };
  return rank(a) >= rank(b) ? a : b;
}

// Cue phrases and block headings in one dictionary: payload = Cue for cues, kBlockBase + Cue
// for block headings (one pass over the offer finds both).
constexpr std::uint32_t kBlockBase = 16;

void AddCues(PhraseMatcher& matcher) {
  for (const CuePhrase& c : kCues) matcher.Add(c.folded, static_cast<std::uint32_t>(c.cue), false);
  // Negated musts mean "optional"; as longer phrases they win over "required".
  for (const char* p : {"not required", "pas obligatoire", "non obligatoire", "not mandatory", "pas indispensable", "not essential"}) {
    matcher.Add(p, static_cast<std::uint32_t>(Cue::kPreferred), false);
  }
  // A heading phrase that is also a cue ("required", "bonus") is added as a cue first;
  // CueIndex treats such a cue followed by a colon as a heading too.
  for (const CuePhrase& c : kBlocks) matcher.Add(c.folded, kBlockBase + static_cast<std::uint32_t>(c.cue), false);
}

// The offer dictionaries of this file (cues and signals), built over FixedWords() before main
// (kDictionaries below), so that a taxonomy's vocabulary, which extends FixedWords(), holds
// their keys with the same ids: an offer's keys are looked up once for the taxonomy and them.
struct OfferDictionaries {
  PhraseMatcher cues{SharedFixedWords()};
  PhraseMatcher signals{SharedFixedWords()};  // see AddSignals
};
const OfferDictionaries& Dictionaries();

// Where each cue of an offer stands, computed once per offer: the strongest cue of every clause
// and sentence, and the block headings in text order. Lookups by byte offset are O(log n).
// Calls f(i) for each byte text[i] that ends a clause, in order. The whole offer is scanned:
// with SSE2, sixteen bytes at a time (most blocks hold none).
template <typename F>
void ForEachEnd(std::string_view text, F f) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
#if defined(__SSE2__)
  // The end characters broadcast once; the compare loop over them has a fixed trip count and
  // is unrolled.
  constexpr std::size_t kCount = kClauseEndChars.size() + kSentenceEndChars.size();
  __m128i ends[kCount];
  for (std::size_t k = 0; k < kCount; ++k) {
    ends[k] = _mm_set1_epi8(k < kClauseEndChars.size() ? kClauseEndChars[k] : kSentenceEndChars[k - kClauseEndChars.size()]);
  }
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i hits = _mm_setzero_si128();
#pragma GCC unroll 16
    for (const __m128i& end : ends) hits = _mm_or_si128(hits, _mm_cmpeq_epi8(block, end));
    for (auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits)); mask != 0; mask &= mask - 1) f(i + static_cast<std::size_t>(__builtin_ctz(mask)));
  }
#endif
  for (; i < text.size(); ++i) {
    if (kEnds[p[i]] != 0) f(i);
  }
}

class CueIndex {
 public:
  // Its arrays are kept per thread (an offer's cues, nothing of a CV): offers parsed one after
  // another reuse them. One index per thread at a time.
  CueIndex(std::string_view text, const PreparedText& prepared)
      : clause_ends_(Scratch().clause_ends),
        sentence_ends_(Scratch().sentence_ends),
        clause_cue_(Scratch().clause_cue),
        sentence_cue_(Scratch().sentence_cue),
        blocks_(Scratch().blocks) {
    clause_ends_.clear();
    sentence_ends_.clear();
    blocks_.clear();
    // Offers have a clause end every twenty bytes or so: room for most without regrowing.
    clause_ends_.reserve(text.size() / 8 + 16);
    sentence_ends_.reserve(text.size() / 16 + 16);
    ForEachEnd(text, [&](std::size_t i) {
      clause_ends_.push_back(i);
      if ((kEnds[static_cast<unsigned char>(text[i])] & kSentenceEnd) != 0) sentence_ends_.push_back(i);
    });
    clause_cue_.assign(clause_ends_.size() + 1, Cue::kNone);
    sentence_cue_.assign(sentence_ends_.size() + 1, Cue::kNone);
    std::vector<PhraseMatcher::Match>& cues = Scratch().cues;
    Dictionaries().cues.FindAll(prepared, static_cast<std::uint32_t>(prepared.tokens.size()), cues);
    for (const auto& m : cues) {
      const std::size_t pos = prepared.tokens[m.first].begin;
      // A block heading is followed by a colon or ends its line: "Nice to have:", "Profil
      // recherché". It sets the need of what follows, not of its own clause.
      std::size_t after = prepared.tokens[m.last].end;
      while (after < text.size() && (text[after] == ' ' || text[after] == '\t')) ++after;
      const bool heading_shape = after >= text.size() || text[after] == ':' || text[after] == '\n';
      if (m.payload >= kBlockBase && heading_shape) {
        blocks_.emplace_back(pos, static_cast<Cue>(m.payload - kBlockBase));
        continue;
      }
      // Outside a heading, a heading phrase ("must have 4 years") is a plain cue.
      const auto cue = static_cast<Cue>(m.payload >= kBlockBase ? m.payload - kBlockBase : m.payload);
      // "Requis :", "Un plus :", "Mandatory:" at the start of a sentence head a list.
      const Token& first = prepared.tokens[m.first];
      if (text.substr(after, 1) == ":" && (m.first == 0 || first.boundary_before || first.line_start)) {
        blocks_.emplace_back(pos, cue);
        continue;
      }
      Cue& c = clause_cue_[Index(clause_ends_, pos)];
      c = Stronger(c, cue);
      Cue& s = sentence_cue_[Index(sentence_ends_, pos)];
      s = Stronger(s, cue);
    }
  }

  // The cue in force at a byte offset: its clause's, else its sentence's, else its block's.
  Cue At(std::size_t pos) const {
    Cue cue = clause_cue_[Index(clause_ends_, pos)];
    const Cue sentence = sentence_cue_[Index(sentence_ends_, pos)];
    // "Maîtrise de SAS (SAS Base, macros) indispensable": a must anywhere in the sentence
    // hardens a plain need; a clause that says "a plus" keeps its own word.
    if (cue == Cue::kNone || (cue == Cue::kRequired && sentence == Cue::kMandatory)) cue = sentence;
    if (cue == Cue::kNone) {
      for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it) {
        if (it->first < pos) return it->second;
      }
    }
    return cue;
  }

  // Byte range [begin, end) of the clause and sentence holding pos.
  std::pair<std::size_t, std::size_t> Clause(std::size_t pos) const { return Range(clause_ends_, pos); }
  std::pair<std::size_t, std::size_t> Sentence(std::size_t pos) const { return Range(sentence_ends_, pos); }

 private:
  // std::lower_bound without branches: which way each comparison goes is unpredictable, and
  // a mispredicted jump per step cost more than the whole search.
  static std::size_t Index(const std::vector<std::size_t>& ends, std::size_t pos) {
    std::size_t n = ends.size();
    if (n == 0) return 0;
    const std::size_t* base = ends.data();
    while (n > 1) {
      const std::size_t half = n / 2;
      base = base[half] < pos ? base + half : base;
      n -= half;
    }
    return static_cast<std::size_t>(base - ends.data()) + (*base < pos ? 1 : 0);
  }
  static std::pair<std::size_t, std::size_t> Range(const std::vector<std::size_t>& ends, std::size_t pos) {
    const std::size_t i = Index(ends, pos);
    const std::size_t begin = i == 0 ? 0 : ends[i - 1] + 1;
    const std::size_t end = i < ends.size() ? ends[i] : std::string_view::npos;
    return {begin, end};
  }
  struct Storage {
    std::vector<std::size_t> clause_ends, sentence_ends;
    std::vector<Cue> clause_cue, sentence_cue;
    std::vector<std::pair<std::size_t, Cue>> blocks;
    std::vector<PhraseMatcher::Match> cues;
  };
  static Storage& Scratch() {
    thread_local Storage storage;
    return storage;
  }
  std::vector<std::size_t>& clause_ends_;
  std::vector<std::size_t>& sentence_ends_;
  std::vector<Cue>& clause_cue_;
  std::vector<Cue>& sentence_cue_;
  std::vector<std::pair<std::size_t, Cue>>& blocks_;
};

int CefrRank(std::string_view level) {
  if (level == "native") return 7;
  if (level.size() == 2) {
    const int base = level[0] == 'A' ? 0 : level[0] == 'B' ? 2 : level[0] == 'C' ? 4 : -10;
    return base + (level[1] - '0');
  }
  return 0;  // unknown
}

// Level words in a folded word view (padded, see JoinedNorms): the first of this list found.
std::string LevelIn(std::string_view words) {
  struct W {
    std::string_view first;
    std::string_view second;  // "" for a one-word entry
    const char* level;
  };
  static constexpr W kLevels[] = {
      {"c2", "", "C2"}, {"c1", "", "C1"}, {"b2", "", "B2"}, {"b1", "", "B1"}, {"a2", "", "A2"}, {"a1", "", "A1"},
      {"native", "", "C2"}, {"langue", "maternelle", "C2"}, {"bilingue", "", "C2"}, {"bilingual", "", "C2"},
      {"fluent", "", "C1"}, {"fluently", "", "C1"}, {"courant", "", "C1"}, {"courante", "", "C1"},
      {"professional", "", "B2"}, {"professionnel", "", "B2"}, {"good", "", "B2"}, {"bon", "", "B2"}, {"bonne", "", "B2"},
      {"technique", "", "B1"}, {"technical", "", "B1"}, {"intermediate", "", "B1"}, {"basic", "", "A2"}, {"notions", "", "A2"}};
  static_assert(std::size(kLevels) <= 32, "entries are bits of a 32-bit mask");
  // By the first byte of the piece an entry must equal (its word, or its second word), the
  // entries that may match it: most pieces start none.
  static constexpr std::array<std::uint32_t, 256> kByInitial = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::size_t k = 0; k < std::size(kLevels); ++k) {
      const std::string_view last = kLevels[k].second.empty() ? kLevels[k].first : kLevels[k].second;
      t[static_cast<unsigned char>(last[0])] |= std::uint32_t{1} << k;
    }
    return t;
  }();
  // A whole word is a piece between two spaces, so the view is read once, piece by piece,
  // rather than searched once per entry; the earliest entry found anywhere wins.
  std::size_t best = std::size(kLevels);
  std::string_view previous;  // the piece before, for two-word entries
  std::size_t space = words.find(' ');
  while (best > 0 && space != std::string_view::npos) {
    const std::size_t next = words.find(' ', space + 1);
    if (next == std::string_view::npos) break;
    const std::string_view piece = words.substr(space + 1, next - space - 1);
    std::uint32_t candidates = piece.empty() ? 0 : kByInitial[static_cast<unsigned char>(piece[0])] & ((std::uint32_t{1} << best) - 1);
    for (; candidates != 0; candidates &= candidates - 1) {
      const auto k = static_cast<std::size_t>(std::countr_zero(candidates));
      const W& w = kLevels[k];
      if (w.second.empty() ? piece == w.first : (piece == w.second && previous == w.first)) {
        best = k;
        break;
      }
    }
    previous = piece;
    space = next;
  }
  return best < std::size(kLevels) ? kLevels[best].level : "";
}

// Years of experience asked for: "4+ years", "3 ans minimum", "3 à 6 ans", "10-15 years",
// "5y+". Returns {min, max}; {0, 0} when unstated. Mentions of the company's age are skipped.
std::pair<int, int> YearsAsked(const PreparedText& prepared) {
  const std::vector<Token>& tokens = prepared.tokens;
  int best_min = 0, best_max = 0;
  static constexpr std::string_view kUnits[] = {"ans", "an", "annees", "year", "years", "yrs", "yr", "y"};
  const std::size_t n = tokens.size();
  auto w = [&](std::size_t k) -> std::string_view { return tokens[k].norm; };
  auto number = [](std::string_view digits, int* out) {
    while (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
    if (digits.empty() || digits.size() > 2) return false;
    int v = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    return v > 0 && v <= 40;
  };
  auto is_unit = [&](std::string_view u) {
    while (!u.empty() && u.back() == '+') u.remove_suffix(1);
    return std::find(std::begin(kUnits), std::end(kUnits), u) != std::end(kUnits);
  };
  // Every form below starts with a number: most words are passed over by their key's first
  // byte, which is their norm's (a key folds a suffix only), read from the keys' one buffer
  // rather than from tokens ten times their size.
  const char* const keys = prepared.key_chars.data();
  const std::uint32_t* const key_ends = prepared.key_ends.data();
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t key_begin = i == 0 ? 0 : key_ends[i - 1];
    if (key_begin == key_ends[i] || static_cast<unsigned>(static_cast<unsigned char>(keys[key_begin]) - '0') > 9) continue;
    int a = 0;
    // "5y+" is tokenised as "5y+": split the number from the unit.
    if (w(i).size() >= 2) {
      std::size_t k = 0;
      while (k < w(i).size() && w(i)[k] >= '0' && w(i)[k] <= '9') ++k;
      if (k < w(i).size() && is_unit(w(i).substr(k)) && number(w(i).substr(0, k), &a)) {
        best_min = std::max(best_min, a);
        continue;
      }
    }
    if (!number(w(i), &a)) continue;
    int b = 0;
    std::size_t j = i + 1;
    if (j + 1 < n && (w(j) == "a" || w(j) == "to" || w(j) == "et") && number(w(j + 1), &b)) j += 2;
    else if (j < n && number(w(j), &b) && b > a) j += 1;  // "10 15 years" from "10-15 years"
    if (j >= n || !is_unit(w(j))) continue;
    // "il y a 20 ans", "créée depuis 30 ans": the company's age, not a requirement.
    const bool company_age = (i >= 2 && w(i - 1) == "a" && w(i - 2) == "y") || (i >= 1 && (w(i - 1) == "depuis" || w(i - 1) == "since"));
    if (company_age) continue;
    best_min = std::max(best_min, a);
    if (b > a) best_max = std::max(best_max, b);
    i = j;  // the range's end is not a second requirement
  }
  return {best_min, best_max};
}

// Seniority and education signals of an offer, matched over its tokens once. Payloads:
// a Signal, or kDegree + level for a degree.
enum Signal : std::uint32_t { kEntryTitle = 1, kEntryAnywhere, kTopTitle, kLeadTitle, kSeniorTitle, kDegree = 100 };

void AddSignals(PhraseMatcher& matcher) {
  auto add = [&](std::initializer_list<const char*> phrases, std::uint32_t payload) {
    for (const char* p : phrases) matcher.Add(p, payload, false);
  };
  add({"junior", "jr", "debutant", "graduate", "apprenti", "alternance", "alternant", "stage", "stagiaire", "intern",
       "internship", "trainee", "apprenticeship", "entry level"}, kEntryTitle);
  add({"graduate programme", "graduate program", "contrat d apprentissage", "en alternance", "no experience required",
       "debutant accepte", "premiere experience"}, kEntryAnywhere);
  add({"head", "director", "directeur", "vp", "chief", "cto", "cio", "principal", "coordinateur", "executive chef",
       "chef executif"}, kTopTitle);
  add({"lead", "staff", "manager", "responsable", "chef d equipe"}, kLeadTitle);
  add({"senior", "sr", "confirme", "experimente"}, kSeniorTitle);
  add({"bac 5", "master", "diplome d ingenieur", "ecole d ingenieur", "master s degree", "mastere"}, kDegree + 7);
  add({"bac 3", "bachelor s degree", "licence"}, kDegree + 6);
  add({"bac 2", "bts", "dut"}, kDegree + 5);
  add({"phd", "doctorat"}, kDegree + 8);
}

const OfferDictionaries& Dictionaries() {
  static const OfferDictionaries* d = [] {
    auto* dictionaries = new OfferDictionaries();
    AddCues(dictionaries->cues);
    AddSignals(dictionaries->signals);
    return dictionaries;
  }();
  return *d;
}

// Built during static initialisation, before any taxonomy copies FixedWords().
[[maybe_unused]] const OfferDictionaries& kDictionaries = Dictionaries();

}  // namespace

std::string Recommendation(int score) {
  if (score >= 80) return "strong_match";
  if (score >= 60) return "match_with_gaps";
  if (score >= 40) return "partial_match";
  return "no_match";
}

ParsedOffer ParseOffer(const Taxonomy& taxonomy, const JobOffer& offer) {
  ParsedOffer out;
  // The three fields are read as one text; requirements follow a marker so that its default
  // need can be told apart.
  // The text and its tokens live in buffers kept per thread: a list of offers is parsed one
  // after another without allocating them again.
  thread_local std::string text;
  text.assign(offer.title).append("\n").append(offer.description).append("\n\n").append(offer.requirements);
  const std::size_t req_begin = offer.title.size() + 1 + offer.description.size() + 2;
  thread_local PreparedText prepared;
  taxonomy.Prepare(text, prepared);
  out.lang = DetectLanguage(prepared);

  if (const auto occ = NormaliseTitle(taxonomy, offer.title, prepared)) out.occupation = *occ;

  const CueIndex cues(text, prepared);
  auto need_at = [&](std::size_t pos, Cue* cue_out) {
    const Cue cue = cues.At(pos);
    *cue_out = cue;
    if (cue == Cue::kPreferred) return Need::kPreferred;
    if (cue == Cue::kRequired || cue == Cue::kMandatory) return Need::kRequired;
    if (pos < offer.title.size()) return Need::kRequired;  // "Développeur Java": the title's stack is a must
    return pos >= req_begin ? Need::kRequired : Need::kMentioned;
  };

  // An offer asks for a few dozen skills at most: a linear search beats a hash map here.
  auto find_skill = [&](std::uint32_t skill) {
    return std::find_if(out.skills.begin(), out.skills.end(), [&](const OfferSkill& os) { return os.skill == skill; });
  };
  auto add = [&](std::uint32_t skill, std::size_t pos) {
    Cue cue = Cue::kNone;
    const Need need = need_at(pos, &cue);
    const Skill& s = taxonomy.skills()[skill];
    const bool credential = s.type == SkillType::kCert || s.type == SkillType::kLicence || s.type == SkillType::kQualification;
    // A credential the offer requires screens out; a hard skill only when stated as mandatory.
    const bool mandatory = need == Need::kRequired && (cue == Cue::kMandatory || (credential && pos >= req_begin) ||
                                                       (credential && cue == Cue::kRequired));
    const auto it = find_skill(skill);
    if (it == out.skills.end()) {
      out.skills.push_back({skill, need, mandatory});
      return;
    }
    OfferSkill& existing = *it;
    // The strongest statement wins: required > mentioned > preferred.
    auto rank = [](Need n) { return n == Need::kRequired ? 2 : n == Need::kMentioned ? 1 : 0; };
    if (rank(need) > rank(existing.need)) existing.need = need;
    existing.mandatory = existing.mandatory || mandatory;
  };
  // The job's name in the title ("Forklift driver", "Cariste") is not a skill requirement; the
  // occupation's core skills are added as mentioned needs instead, so that offers naming the
  // same job in two languages ask for the same things.
  std::uint32_t name_first = 1, name_last = 0;  // empty span
  for (std::uint32_t i = 0; out.occupation && i < prepared.tokens.size() && prepared.tokens[i].end <= offer.title.size(); ++i) {
    PhraseMatcher::Match m;
    if (taxonomy.occupation_matcher().MatchAt(prepared, i, &m) && m.payload == *out.occupation &&
        prepared.tokens[m.last].end <= offer.title.size()) {
      name_first = m.first;
      name_last = m.last;
      break;
    }
  }
  // The matches of each dictionary in turn, into one vector kept per thread (an offer's).
  thread_local std::vector<PhraseMatcher::Match> found;
  const auto token_count = static_cast<std::uint32_t>(prepared.tokens.size());
  taxonomy.skill_matcher().FindAll(prepared, token_count, found);
  for (const auto& m : found) {
    if (m.first >= name_first && m.last <= name_last) continue;
    add(m.payload, prepared.tokens[m.first].begin);
  }
  if (out.occupation) {
    for (const std::uint32_t core : taxonomy.occupations()[*out.occupation].skills) {
      if (find_skill(core) == out.skills.end()) out.skills.push_back({core, Need::kMentioned, false, true});
    }
  }
  // Licence families ("permis B et C", "CACES R489 cat. 3 et 5").
  for (const auto& m : taxonomy.FamilyMatches(prepared)) add(m.payload, prepared.tokens[m.first].begin);

  // Spoken languages.
  taxonomy.language_matcher().FindAll(prepared, token_count, found);
  for (const auto& m : found) {
    const std::size_t pos = prepared.tokens[m.first].begin;
    const auto [sb, se] = cues.Sentence(pos);
    const auto [cb, ce] = cues.Clause(pos);
    const std::string sw = JoinedNorms(prepared, sb, se);
    const std::string cw = JoinedNorms(prepared, cb, ce);
    // Only statements about the candidate's language: a level or a need nearby.
    std::string level = LevelIn(cw);
    if (level.empty()) level = LevelIn(sw);
    const Cue cue = cues.At(pos);
    if (level.empty() && cue == Cue::kNone) continue;
    const std::string& code = taxonomy.languages()[m.payload].code;
    const bool required = cue != Cue::kPreferred && (cue != Cue::kNone || pos >= req_begin);
    auto it = std::find_if(out.languages.begin(), out.languages.end(), [&](const OfferLanguage& l) { return l.code == code; });
    if (it == out.languages.end()) {
      out.languages.push_back({code, level, required});
    } else {
      if (CefrRank(level) > CefrRank(it->level)) it->level = level;
      it->required = it->required || required;
    }
  }

  bool entry = false, top = false, lead = false, senior = false;
  Dictionaries().signals.FindAll(prepared, token_count, found);
  for (const auto& m : found) {
    const Token& t = prepared.tokens[m.first];
    const bool in_title = t.end <= offer.title.size();
    if (m.payload >= kDegree) {
      if (in_title) continue;
      const int level = static_cast<int>(m.payload - kDegree);
      if (level > out.education_level) out.education_level = level;
      out.education_mandatory = out.education_mandatory || cues.At(t.begin) == Cue::kMandatory;
      continue;
    }
    entry = entry || m.payload == kEntryAnywhere || (in_title && m.payload == kEntryTitle);
    top = top || (in_title && m.payload == kTopTitle);
    lead = lead || (in_title && m.payload == kLeadTitle);
    senior = senior || (in_title && m.payload == kSeniorTitle);
  }
  const auto [min_years, max_years] = YearsAsked(prepared);
  out.min_years = min_years;
  out.max_years = max_years;
  if (entry) {
    out.entry_level = true;
    out.seniority = "junior";
  } else if (top || lead) {
    out.seniority = "lead";
  } else if (senior) {
    out.seniority = "senior";
  } else if (min_years >= 10) {
    out.seniority = "lead";
  } else if (min_years >= 5) {
    out.seniority = "senior";
  } else if (min_years > 0) {
    out.seniority = "mid";
  }
  return out;
}

namespace {

// A set of skill ids as a sorted vector, for the few ids a credential proves in one offer.
class IdSet {
 public:
  void Insert(std::uint32_t id) {
    const auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
    if (it == ids_.end() || *it != id) ids_.insert(it, id);
  }
  bool Contains(std::uint32_t id) const { return std::binary_search(ids_.begin(), ids_.end(), id); }

 private:
  std::vector<std::uint32_t> ids_;
};

// A set of skill ids as one bit per skill of the taxonomy (a few hundred bytes): probed several
// times per asked skill, where a sorted vector costs a binary search each time.
class SkillBits {
 public:
  explicit SkillBits(std::size_t skills) : words_((skills + 63) / 64) {}
  void Insert(std::uint32_t id) { words_[id / 64] |= std::uint64_t{1} << (id % 64); }
  bool Contains(std::uint32_t id) const { return (words_[id / 64] >> (id % 64) & 1) != 0; }

 private:
  std::vector<std::uint64_t> words_;
};

// What scoring needs from a profile, computed once per profile rather than once per offer
// (ScoreOffers scores one profile against many offers).
struct ProfileIndex {
  SkillBits held;                              // the profile's skills
  std::vector<std::uint32_t> credentials;      // its licences, certifications, qualifications
  SkillBits implied;                           // core skills of its occupations
  // Stand-ins for an asked skill the profile lacks: the first of its skills (in profile order)
  // that lists it as related, else the first of its hard skills in the same group. Both are
  // scanned for on demand, in profile order: cheaper than sorting for Score's one offer.
  // `related_listed` spares the scan in most cases, where no skill lists the asked one.
  SkillBits related_listed;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> hard_groups;  // (group id, profile's hard skill)

  ProfileIndex(const Taxonomy& taxonomy, const Profile& profile)
      : held(taxonomy.skills().size()), implied(taxonomy.skills().size()), related_listed(taxonomy.skills().size()) {
    hard_groups.reserve(profile.skill_ids.size());  // Score builds an index per call: no regrowth
    for (const std::uint32_t mine : profile.skill_ids) {
      const Skill& s = taxonomy.skills()[mine];
      held.Insert(mine);
      if (s.type != SkillType::kHard && s.type != SkillType::kSoft) credentials.push_back(mine);
      for (const std::uint32_t rel : s.related) related_listed.Insert(rel);
      if (s.type == SkillType::kHard) hard_groups.emplace_back(s.group_id, mine);
    }
    for (const OccupationRef& o : profile.occupations) {
      for (const std::uint32_t core : taxonomy.occupations()[o.index].skills) implied.Insert(core);
    }
  }

  // `taxonomy` and `profile` are those the index was built from.
  const std::uint32_t* RelatedStandIn(const Taxonomy& taxonomy, const Profile& profile, std::uint32_t asked) const {
    if (!related_listed.Contains(asked)) return nullptr;
    for (const std::uint32_t& mine : profile.skill_ids) {
      const std::vector<std::uint32_t>& related = taxonomy.skills()[mine].related;
      if (std::find(related.begin(), related.end(), asked) != related.end()) return &mine;
    }
    return nullptr;
  }
  const std::uint32_t* GroupStandIn(std::uint32_t group_id) const {
    for (const auto& [group, mine] : hard_groups) {
      if (group == group_id) return &mine;
    }
    return nullptr;
  }
};

int EducationRank(std::string_view level) {
  if (level == "doctorate") return 8;
  if (level == "master") return 7;
  if (level == "bachelor") return 6;
  if (level == "short_cycle") return 5;
  if (level == "secondary") return 4;
  if (level == "vocational") return 3;
  return 0;
}

// A phrase with one "{}" for its argument, split there at compile time.
struct Pattern {
  // A pattern without "{}" does not compile.
  consteval Pattern(const char* text) {  // NOLINT: implicit, so that calls pass plain literals
    const std::string_view pattern(text);
    const std::size_t hole = pattern.find("{}");
    if (hole == std::string_view::npos) throw "a pattern needs a {}";
    before = pattern.substr(0, hole);
    after = pattern.substr(hole + 2);
  }
  std::size_t Length(std::string_view arg) const { return before.size() + arg.size() + after.size(); }
  void AppendTo(std::string& out, std::string_view arg) const { out.append(before).append(arg).append(after); }

  std::string_view before, after;
};

// The French or English pattern with `arg` in its hole, in one allocation.
std::string Phrase(bool french, const Pattern& en, const Pattern& fr, std::string_view arg) {
  const Pattern& pattern = french ? fr : en;
  std::string out;
  out.reserve(pattern.Length(arg));
  pattern.AppendTo(out, arg);
  return out;
}

// What became of one asked skill. The explanation's lists are read from these in offer order:
// one vector per score, where a vector per list costs an allocation each.
enum class Gap : std::uint8_t { kNone, kMandatory, kRequired, kMentioned };
struct Outcome {
  bool held = false;       // the candidate has it, or a credential proving it
  bool partial = false;    // not held, but earned credit through `stand_in`
  Gap gap = Gap::kNone;
  std::uint32_t stand_in = 0;  // the candidate's skill, or the asked one when implied by an occupation
};

}  // namespace

namespace {

ScoreResult ScoreIndexed(const Taxonomy& taxonomy, const Profile& profile, const ProfileIndex& index,
                         const ParsedOffer& offer, const ScoreOptions& options) {
  ScoreResult r;
  const bool french = options.lang.empty() ? offer.lang == "fr" : options.lang == "fr";
  const auto label = [&](std::uint32_t skill) -> const std::string& {
    const Skill& s = taxonomy.skills()[skill];
    return french ? s.fr : s.en;  // Skill::Label, without comparing the language each time
  };
  // A specific credential proves its generic form: "CACES R489 cat. 3" is a "CACES R489",
  // "Qualification IRVE P1" a "Qualification IRVE" (same group, label extends the other's).
  IdSet proven;
  for (const std::uint32_t mine : index.credentials) {
    const Skill& s = taxonomy.skills()[mine];
    for (const OfferSkill& os : offer.skills) {
      const Skill& asked = taxonomy.skills()[os.skill];
      if (os.skill != mine && s.en.size() > asked.en.size() && asked.group_id == s.group_id &&
          s.en.compare(0, asked.en.size(), asked.en) == 0) {
        proven.Insert(os.skill);
      }
    }
  }
  const auto has = [&](std::uint32_t id) { return index.held.Contains(id) || proven.Contains(id); };
  const SkillBits& implied = index.implied;

  // Skills: weighted coverage with partial credit through related concepts and shared groups.
  double got = 0, total = 0;
  // Loops below stop at `asked_count`: offer.skills.size() would be reloaded and divided at each
  // step, as the pushes into result vectors might change it for all the compiler knows.
  const std::size_t asked_count = offer.skills.size();
  std::vector<Outcome> outcomes(asked_count);
  std::size_t mandatory_missing = 0;
  // Sizes of the lists built from the outcomes, counted on the way so that each is allocated once.
  std::size_t held_count = 0, required_held = 0, listed_missing = 0, partial_strengths = 0, skill_gaps = 0;
  for (std::size_t i = 0; i < asked_count; ++i) {
    const OfferSkill& os = offer.skills[i];
    Outcome& out = outcomes[i];
    out.held = has(os.skill);
    // A skill the offer only implies through its occupation counts when held and is never a
    // gap: it can lift a score (shared core of the job), not lower one.
    if (os.implied && !out.held) continue;
    const double weight = os.implied ? 0.3 : os.need == Need::kRequired ? 1.0 : os.need == Need::kMentioned ? 0.5 : 0.3;
    total += weight;
    const Skill& asked = taxonomy.skills()[os.skill];
    if (out.held) {
      got += weight;
      ++held_count;
      required_held += os.need == Need::kRequired;
      continue;
    }
    double credit = 0;
    std::uint32_t stand_in = os.skill;
    // Years in an occupation imply its core skills (a cariste drives forklifts), stated or not;
    // else the first related skill held earns half.
    if (implied.Contains(os.skill)) {
      credit = 0.6;
    } else if (const auto rel = std::find_if(asked.related.begin(), asked.related.end(), has); rel != asked.related.end()) {
      credit = 0.5;
      stand_in = *rel;
    }
    if (credit == 0) {
      // One of the candidate's skills names the asked one as related; else, for a hard skill,
      // a hard skill of the same group earns a little.
      if (const std::uint32_t* related = index.RelatedStandIn(taxonomy, profile, os.skill)) {
        credit = 0.5;
        stand_in = *related;
      } else if (asked.type == SkillType::kHard) {
        if (const std::uint32_t* grouped = index.GroupStandIn(asked.group_id)) {
          credit = 0.25;
          stand_in = *grouped;
        }
      }
    }
    got += weight * credit;
    out.partial = credit > 0;
    out.stand_in = stand_in;
    // A related credential ("HACCP Level 2" for "HACCP training") lifts a credential must; a
    // stand-in never lifts a must on a hard skill ("Go mandatory, we do not train").
    const bool credential = asked.type != SkillType::kHard && asked.type != SkillType::kSoft;
    if (os.mandatory && !(credential && credit >= 0.5)) out.gap = Gap::kMandatory;
    else if (os.need == Need::kRequired && credit < 0.5) out.gap = Gap::kRequired;
    else if (os.need == Need::kMentioned && !os.implied && credit < 0.5) out.gap = Gap::kMentioned;
    if (out.gap == Gap::kMandatory) ++mandatory_missing;
    skill_gaps += out.gap == Gap::kRequired || out.gap == Gap::kMentioned;
    partial_strengths += out.partial && stand_in != os.skill;
    listed_missing += os.need != Need::kPreferred && !os.implied;
  }
  const double skills = total > 0 ? got / total : 0.5;

  // Title: same occupation, else closeness of ISCO codes.
  double title = 0.0;
  if (offer.occupation && !profile.occupations.empty()) {
    const std::string_view want = taxonomy.occupations()[*offer.occupation].isco;
    for (std::size_t i = 0; i < profile.occupations.size(); ++i) {
      const std::string_view isco = taxonomy.occupations()[profile.occupations[i].index].isco;
      double t = 0;
      if (profile.occupations[i].index == *offer.occupation) t = 1.0;
      else if (isco == want) t = 0.9;
      else if (isco.substr(0, 3) == want.substr(0, 3)) t = 0.55;
      else if (isco.substr(0, 2) == want.substr(0, 2)) t = 0.3;
      const double recency = i == 0 ? 1.0 : i == 1 ? 0.9 : 0.75;
      title = std::max(title, t * recency);
    }
  } else {
    title = skills;  // a title unknown on either side: let the skills speak
  }

  // Experience: too junior costs more than too senior.
  double experience = 1.0;
  const int years = profile.experience_years;
  if (profile.experience_known) {
    if (offer.min_years > 0 && years < offer.min_years) {
      const double gap = offer.min_years - years;
      experience = std::max(0.0, 1.0 - 0.12 * gap - 0.45 * gap / offer.min_years);
    }
    if (offer.entry_level && years >= 5) experience = std::min(experience, years >= 10 ? 0.25 : 0.45);
    if (offer.max_years > 0 && years > offer.max_years + 4) experience = std::min(experience, 0.7);
    if (offer.seniority == "lead" && profile.seniority != "lead" && offer.min_years >= 10) experience = std::min(experience, 0.35);
  }

  // Spoken languages.
  double languages = 1.0;
  std::vector<std::string> language_gaps;
  std::vector<std::string> language_strengths;
  bool language_blocker = false;
  int required_languages = 0;
  double language_sum = 0;
  for (const OfferLanguage& ol : offer.languages) {
    if (!ol.required) continue;
    ++required_languages;
    const auto it = std::find_if(profile.languages.begin(), profile.languages.end(), [&](const LanguageLevel& l) { return l.code == ol.code; });
    const int want = CefrRank(ol.level);
    const int have = it == profile.languages.end() ? -1 : (it->level.empty() ? 4 : CefrRank(it->level));
    // The last entry with the code names it, should a code repeat. First letters are compared
    // first ([0] of an empty string is '\0'): a memcmp call for each of the ~120 languages cost
    // more than the rest of the language score.
    const auto& spoken = taxonomy.languages();
    const auto sl = std::find_if(spoken.rbegin(), spoken.rend(),
                                 [&](const SpokenLanguage& l) { return l.code[0] == ol.code[0] && l.code == ol.code; });
    std::string name = sl != spoken.rend() ? (french ? sl->fr : sl->en) : ol.code;
    if (french && !name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    if (have < 0) {
      language_sum += 0;
      language_blocker = true;
      if (!ol.level.empty()) name.append(" ").append(ol.level);
      language_gaps.push_back(Phrase(french, "{} required", "{} requis", name));
    } else if (want > 0 && have < want) {
      const bool far = want - have >= 2;
      language_sum += far ? 0.2 : 0.6;
      language_blocker = language_blocker || (far && want >= 5);
      language_gaps.push_back(Phrase(french, "{} level below the one required", "Niveau de {} inférieur au niveau demandé", name));
    } else {
      language_sum += 1.0;
      if (!it->level.empty() && it->level != "native") name.append(" ").append(it->level);
      language_strengths.push_back(std::move(name));
    }
  }
  if (required_languages > 0) languages = language_sum / required_languages;

  // Education.
  const bool education_blocker = offer.education_mandatory && EducationRank(profile.education_level) > 0 &&
                                 EducationRank(profile.education_level) < offer.education_level;

  // Combination and calibration.
  const double raw = 0.55 * skills + 0.20 * title + 0.15 * experience + 0.10 * languages;
  double score = 100.0 * std::min(1.0, raw * 1.05);
  const int blockers = static_cast<int>(mandatory_missing) + (language_blocker ? 1 : 0) + (education_blocker ? 1 : 0);
  if (blockers > 0) score = std::min(score * 0.8, blockers > 1 ? 40.0 : 50.0);
  r.score = std::clamp(static_cast<int>(std::lround(score)), 0, 100);
  r.recommendation = Recommendation(r.score);
  r.breakdown = {static_cast<int>(std::lround(100 * skills)), static_cast<int>(std::lround(100 * experience)),
                 static_cast<int>(std::lround(100 * title)), static_cast<int>(std::lround(100 * languages))};

  if (options.skill_lists) {
    r.matched_skills.reserve(held_count);
    r.missing_skills.reserve(listed_missing);
    for (std::size_t i = 0; i < asked_count; ++i) {
      if (outcomes[i].held) r.matched_skills.push_back(label(offer.skills[i].skill));
    }
    for (std::size_t i = 0; i < asked_count; ++i) {
      const OfferSkill& os = offer.skills[i];
      if (!outcomes[i].held && os.need != Need::kPreferred && !os.implied) r.missing_skills.push_back(label(os.skill));
    }
  }

  if (options.explain) {
    const auto experience_phrase = [&](const Pattern& en_asked, const Pattern& fr_asked) {
      const std::string have = std::to_string(years), asked = std::to_string(offer.min_years);
      const Pattern stated = french ? Pattern("{} ans d'expérience") : Pattern("{} years of experience");
      const Pattern& wanted = french ? fr_asked : en_asked;
      std::string out;
      out.reserve(stated.Length(have) + wanted.Length(asked));
      stated.AppendTo(out, have);
      wanted.AppendTo(out, asked);
      return out;
    };
    // Strengths: required skills held first, then experience and languages.
    const bool experience_met = profile.experience_known && years > 0 && offer.min_years > 0 && years >= offer.min_years;
    std::vector<std::string> strengths;
    strengths.reserve(std::min<std::size_t>(7, std::min<std::size_t>(required_held, 4) + experience_met + partial_strengths +
                                                   language_strengths.size()));
    for (std::size_t i = 0; i < asked_count && strengths.size() < 4; ++i) {
      if (offer.skills[i].need == Need::kRequired && outcomes[i].held) strengths.push_back(label(offer.skills[i].skill));
    }
    if (experience_met) strengths.push_back(experience_phrase(" ({}+ required)", " ({} ans demandés)"));
    for (std::size_t i = 0; i < asked_count && strengths.size() < 6; ++i) {
      const Outcome& out = outcomes[i];
      if (!out.partial || out.stand_in == offer.skills[i].skill) continue;  // implied by the occupation: not a stated strength
      const std::string& mine = label(out.stand_in);
      const std::string& asked = label(offer.skills[i].skill);
      const Pattern close = french ? Pattern(" (proche de {})") : Pattern(" (close to {})");
      std::string strength;
      strength.reserve(mine.size() + close.Length(asked));
      strength.append(mine);
      close.AppendTo(strength, asked);
      strengths.push_back(std::move(strength));
    }
    for (auto& s : language_strengths) {
      if (strengths.size() < 7) strengths.push_back(std::move(s));
    }

    const bool experience_short = profile.experience_known && offer.min_years > 0 && years < offer.min_years;
    const bool over_qualified = profile.experience_known && offer.entry_level && years >= 5;
    const std::size_t stated_gaps = mandatory_missing + language_gaps.size() + education_blocker + experience_short + over_qualified;
    std::vector<std::string> gaps;
    gaps.reserve(stated_gaps + std::min(skill_gaps, stated_gaps < 6 ? 6 - stated_gaps : 0));
    for (std::size_t i = 0; i < asked_count; ++i) {
      if (outcomes[i].gap == Gap::kMandatory) {
        gaps.push_back(Phrase(french, "Missing mandatory {}", "{} obligatoire manquant", label(offer.skills[i].skill)));
      }
    }
    for (auto& g : language_gaps) gaps.push_back(std::move(g));
    if (education_blocker) gaps.push_back(french ? "Niveau de diplôme inférieur à celui exigé" : "Degree level below the one required");
    if (experience_short) gaps.push_back(experience_phrase(", {}+ required", ", {} ans demandés"));
    if (over_qualified) {
      gaps.push_back(french ? "Profil surqualifié pour un poste débutant" : "Over-qualified for an entry-level role");
    }
    for (const Gap kind : {Gap::kRequired, Gap::kMentioned}) {
      for (std::size_t i = 0; i < asked_count && gaps.size() < 6; ++i) {
        if (outcomes[i].gap == kind) gaps.push_back(Phrase(french, "No {} experience", "Pas d'expérience {}", label(offer.skills[i].skill)));
      }
    }
    r.strengths = std::move(strengths);
    r.gaps = std::move(gaps);
  }
  return r;
}

}  // namespace

ScoreResult Score(const Taxonomy& taxonomy, const Profile& profile, const ParsedOffer& offer, const ScoreOptions& options) {
  return ScoreIndexed(taxonomy, profile, ProfileIndex(taxonomy, profile), offer, options);
}

std::string OfferCache::Key(const JobOffer& offer) {
  std::string key;
  key.reserve(offer.title.size() + offer.description.size() + offer.requirements.size() + 2);
  key.append(offer.title).append(1, '\x1f').append(offer.description).append(1, '\x1f').append(offer.requirements);
  return key;
}

std::shared_ptr<const ParsedOffer> OfferCache::FindLocked(const std::string& key) {
  const auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  ++hits_;
  return it->second->parsed;
}

std::shared_ptr<const ParsedOffer> OfferCache::Find(const JobOffer& offer) {
  const std::string key = Key(offer);
  const std::lock_guard<std::mutex> lock(mu_);
  return FindLocked(key);
}

std::shared_ptr<const ParsedOffer> OfferCache::Get(const Taxonomy& taxonomy, const JobOffer& offer) {
  std::string key = Key(offer);
  {
    const std::lock_guard<std::mutex> lock(mu_);
    if (auto found = FindLocked(key)) return found;
    ++misses_;
  }
  // Parse outside the lock: two threads may parse the same offer once each, never wrongly.
  auto parsed = std::make_shared<const ParsedOffer>(ParseOffer(taxonomy, offer));
  const std::lock_guard<std::mutex> lock(mu_);
  if (index_.count(key) || capacity_ == 0) return parsed;
  lru_.push_front({std::move(key), parsed});
  index_.emplace(lru_.front().key, lru_.begin());
  while (lru_.size() > capacity_) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
  return parsed;
}

std::size_t OfferCache::size() const {
  const std::lock_guard<std::mutex> lock(mu_);
  return lru_.size();
}
std::size_t OfferCache::hits() const {
  const std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}
std::size_t OfferCache::misses() const {
  const std::lock_guard<std::mutex> lock(mu_);
  return misses_;
}

namespace {

// Threads kept for the life of the process: a call does not pay for starting threads, and each
// worker's per-thread buffers (ParseOffer's) stay warm from call to call. Never destroyed:
// workers may be waiting for work when the process exits.
class Workers {
 public:
  static Workers& Get() {
    static Workers* const workers = new Workers();
    return *workers;
  }
  // Runs task once on each of `count` workers (started as needed), without waiting for it.
  void Post(unsigned count, const std::function<void()>& task) {
    {
      const std::lock_guard<std::mutex> lock(mu_);
      while (threads_.size() < count) threads_.emplace_back([this] { Serve(); });
      for (unsigned i = 0; i < count; ++i) tasks_.push_back(task);
    }
    ready_.notify_all();
  }

 private:
  void Serve() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [this] { return !tasks_.empty(); });
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
};

// Runs job(begin, end) over [0, n) on the calling thread and up to `threads` - 1 workers, in
// chunks each takes in turn until none is left: a thread that draws long offers takes fewer.
// Returns once every chunk is done; an exception of a chunk is rethrown here.
void ForChunks(std::size_t n, unsigned threads, const std::function<void(std::size_t, std::size_t)>& job) {
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(n / 16 + 1)));
  if (threads == 1) {
    job(0, n);
    return;
  }
  const std::size_t chunk = std::max<std::size_t>(4, n / (std::size_t{threads} * 4));
  std::atomic<std::size_t> next{0};
  std::mutex failure_mu;
  std::exception_ptr failure;
  auto run = [&] {
    try {
      for (std::size_t begin; (begin = next.fetch_add(chunk)) < n;) job(begin, std::min(n, begin + chunk));
    } catch (...) {
      next = n;  // the others stop at their next chunk
      const std::lock_guard<std::mutex> lock(failure_mu);
      if (!failure) failure = std::current_exception();
    }
  };
  std::latch done(threads - 1);
  Workers::Get().Post(threads - 1, [&] {
    run();
    done.count_down();
  });
  run();
  done.wait();  // the workers use this frame: wait for them whatever happened
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

std::vector<ScoreResult> ScoreOffers(const Taxonomy& taxonomy, const Profile& profile,
                                     const std::vector<JobOffer>& offers, const ScoreOptions& options,
                                     unsigned threads, OfferCache* cache) {
  // Parsing an offer costs about twenty times more than scoring it, so threads go to the
  // offers to parse: offers the cache holds are scored on the calling thread, without the
  // cost of starting threads (a partner re-scoring its open offers).
  std::vector<std::shared_ptr<const ParsedOffer>> parsed(offers.size());
  std::vector<std::size_t> to_parse;
  for (std::size_t i = 0; i < offers.size(); ++i) {
    if (cache != nullptr) parsed[i] = cache->Find(offers[i]);
    if (parsed[i] == nullptr) to_parse.push_back(i);
  }
  ForChunks(to_parse.size(), threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t k = begin; k < end; ++k) {
      const JobOffer& offer = offers[to_parse[k]];
      parsed[to_parse[k]] = cache != nullptr ? cache->Get(taxonomy, offer)
                                             : std::make_shared<const ParsedOffer>(ParseOffer(taxonomy, offer));
    }
  });
  std::vector<ScoreResult> results(offers.size());
  const ProfileIndex index(taxonomy, profile);  // read-only from here: shared by the threads
  const unsigned score_threads = offers.size() >= kParallelScoringFrom ? threads : 1u;
  ForChunks(offers.size(), score_threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) results[i] = ScoreIndexed(taxonomy, profile, index, *parsed[i], options);
  });
  return results;
}

}  // namespace jobzen::engine
