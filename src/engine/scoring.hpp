// Matching and scoring: job offers parsed into requirements (skills required or preferred,
// minimum years, languages, mandatory licences and diplomas, seniority), then scored against a
// profile, 0-100, with strengths and gaps a recruiter would write. Deterministic, explainable,
// language-independent (concept ids, not words).
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/extract.hpp"
#include "engine/taxonomy.hpp"

namespace jobzen::engine {

// One offer as the API receives it (job_listings[] in /match, job in /score).
struct JobOffer {
  std::string job_id;
  std::string title;
  std::string description;
  std::string requirements;
};

enum class Need { kRequired, kPreferred, kMentioned };

struct OfferSkill {
  std::uint32_t skill = 0;  // index into Taxonomy::skills()
  Need need = Need::kMentioned;
  bool mandatory = false;   // a licence, certification or diploma stated as a must: a blocker
  bool implied = false;     // not in the text: a core skill of the offer's occupation (counts only when held)
  bool operator==(const OfferSkill&) const = default;
};

struct OfferLanguage {
  std::string code;   // ISO 639-1
  std::string level;  // CEFR or "native"; "" when unstated
  bool required = true;
  bool operator==(const OfferLanguage&) const = default;
};

// What an offer asks for, extracted once (offers can be parsed once and scored many times).
struct ParsedOffer {
  std::string lang;                         // language of the offer text ("fr", "en", ...)
  std::optional<std::uint32_t> occupation;  // index into Taxonomy::occupations()
  std::vector<OfferSkill> skills;
  std::vector<OfferLanguage> languages;
  int min_years = 0;                        // 0 when unstated
  int max_years = 0;                        // 0 when unstated ("2 à 4 ans")
  std::string seniority;                    // junior, mid, senior, lead, or "" when unstated
  bool entry_level = false;                 // graduate programme, apprenticeship, internship
  int education_level = 0;                  // required degree: 3 vocational .. 8 doctorate; 0 none
  bool education_mandatory = false;
  bool operator==(const ParsedOffer&) const = default;
};

ParsedOffer ParseOffer(const Taxonomy& taxonomy, const JobOffer& offer);

struct ScoreBreakdown {
  int skills = 0;      // each 0..100
  int experience = 0;
  int title = 0;
  int languages = 0;
  bool operator==(const ScoreBreakdown&) const = default;
};

struct ScoreOptions {
  std::string lang;        // language of strengths and gaps; empty: the offer's language
  bool explain = true;     // fill strengths and gaps
  bool skill_lists = true; // fill matched_skills and missing_skills (/score structured)
};

struct ScoreResult {
  int score = 0;                         // 0..100
  std::string recommendation;            // strong_match, match_with_gaps, partial_match, no_match
  std::vector<std::string> strengths;
  std::vector<std::string> gaps;
  ScoreBreakdown breakdown;
  std::vector<std::string> matched_skills;  // canonical names
  std::vector<std::string> missing_skills;
};

// Scores a profile against a parsed offer. Monotone in the profile's skills: adding a skill
// the offer asks for never lowers the score. Thread-safe for a shared taxonomy.
ScoreResult Score(const Taxonomy& taxonomy, const Profile& profile, const ParsedOffer& offer,
                  const ScoreOptions& options);

// Parsed offers by content, shared across requests: job boards and ATSs score the same
// offers again and again, and parsing an offer costs far more than scoring it. Thread-safe;
// the least recently used entries are dropped beyond `capacity`. Bound to one taxonomy.
class OfferCache {
 public:
  explicit OfferCache(std::size_t capacity) : capacity_(capacity) {}
  OfferCache(const OfferCache&) = delete;
  OfferCache& operator=(const OfferCache&) = delete;

  // The parsed offer, parsed now on a miss. Offers with the same title, description and
  // requirements share one entry (job_id does not matter).
  std::shared_ptr<const ParsedOffer> Get(const Taxonomy& taxonomy, const JobOffer& offer);
  // The parsed offer when the cache holds it (counted as a hit), else null (not counted: the
  // caller goes on to Get).
  std::shared_ptr<const ParsedOffer> Find(const JobOffer& offer);

  std::size_t size() const;
  std::size_t hits() const;
  std::size_t misses() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const ParsedOffer> parsed;
  };
  static std::string Key(const JobOffer& offer);
  std::shared_ptr<const ParsedOffer> FindLocked(const std::string& key);  // caller holds mu_

  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // most recent first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;  // views into lru_ keys
  std::size_t hits_ = 0, misses_ = 0;
};

// Parses and scores many offers, results in input order. With threads > 1 the offers to parse
// (not in `cache`) are parsed in parallel, in chunks taken in turn by the calling thread and
// workers kept for the life of the process, and so is the scoring of kParallelScoringFrom
// offers or more; the result does not depend on the number of threads.
inline constexpr std::size_t kParallelScoringFrom = 256;
std::vector<ScoreResult> ScoreOffers(const Taxonomy& taxonomy, const Profile& profile,
                                     const std::vector<JobOffer>& offers, const ScoreOptions& options,
                                     unsigned threads = 1, OfferCache* cache = nullptr);

// The recommendation band of a score (API.md).
std::string Recommendation(int score);

}  // namespace jobzen::engine
