// The taxonomy: skill concepts, occupations, spoken languages and licence families, built from
// our TSV sources (data/taxonomy, see its README) and optionally extended with ESCO.
// Immutable once built; safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/matcher.hpp"
#include "engine/result.hpp"

namespace jobzen::engine {

struct EscoData;

enum class SkillType { kHard, kSoft, kCert, kLicence, kQualification };

struct Skill {
  std::string id;
  SkillType type = SkillType::kHard;
  // Dense number of `group` in this taxonomy, for scoring to compare groups without strings
  // (beside `type`, in its padding: both are read for each skill an offer asks).
  std::uint32_t group_id = 0;
  std::string sector;  // fixed sector vocabulary, or "any"
  std::string group;   // broader group
  std::string en;      // preferred labels
  std::string fr;
  std::vector<std::string> aliases;
  std::vector<std::uint32_t> related;  // indices into Taxonomy::skills()
  std::string esco_uri;                // set when ESCO knows the concept
  const std::string& Label(std::string_view lang) const { return lang == "fr" ? fr : en; }
};

struct Occupation {
  std::string id;
  std::string sector;
  std::string isco;  // ISCO-08 unit group, 4 digits
  std::string rome;  // ROME code or ""
  std::string en;
  std::string fr;
  std::vector<std::string> aliases;
  std::vector<std::uint32_t> skills;  // indices into Taxonomy::skills()
  std::string esco_uri;
  const std::string& Label(std::string_view lang) const { return lang == "fr" ? fr : en; }
};

struct SpokenLanguage {
  std::string code;  // ISO 639-1
  std::string en;
  std::string fr;
  std::vector<std::string> aliases;
};

// A licence family whose categories are listed after one prefix: "CACES R489 cat. 1B, 3 et 5".
struct LicenceFamily {
  std::string name;
  std::vector<std::string> codes;                     // folded category codes: "1b", "3"
  std::unordered_map<std::string, std::uint32_t> by_code;  // folded code -> skill index
};

// One source file: its path relative to the taxonomy root ("skills/tech.tsv") and content.
struct TaxonomySource {
  std::string name;
  std::string content;
};

class Taxonomy {
 public:
  // Parses and links the sources. Errors ("taxonomy_invalid") name the file and line: bad
  // column count, unknown type or sector, duplicate id, link to an unknown id.
  static Result<std::shared_ptr<const Taxonomy>> Build(const std::vector<TaxonomySource>& sources,
                                                       const EscoData* esco = nullptr);

  const std::vector<Skill>& skills() const { return skills_; }
  const std::vector<Occupation>& occupations() const { return occupations_; }
  const std::vector<SpokenLanguage>& languages() const { return languages_; }
  const std::vector<LicenceFamily>& families() const { return families_; }

  std::optional<std::uint32_t> FindSkill(std::string_view id) const;
  std::optional<std::uint32_t> FindOccupation(std::string_view id) const;

  // Tokens of `text` with matching keys and their ids in the matchers' shared vocabulary;
  // compound tokens unknown to the taxonomy ("PHP/JS") are split into their parts so each
  // part can match.
  PreparedText Prepare(std::string_view text) const;
  // The same with tokens = Tokenize(text), already computed.
  PreparedText Prepare(std::string_view text, std::vector<Token> tokens) const;
  // The same into p, whose buffers are reused (a caller preparing text after text).
  void Prepare(std::string_view text, PreparedText& p) const;

  // Matchers over all labels of both languages; payloads are indices into skills(),
  // occupations(), languages(), families().
  const PhraseMatcher& skill_matcher() const { return skills_m_; }
  const PhraseMatcher& occupation_matcher() const { return occ_m_; }
  const PhraseMatcher& language_matcher() const { return lang_m_; }
  const PhraseMatcher& family_matcher() const { return fam_m_; }

  // Credentials listed by category after one family prefix ("CACES R489 catégories 1B, 3 et
  // 5", "Habilitations électriques B1V – B2V – BR"): one match per category, payload = skill
  // index, first = last = the category's token. Connectors (cat., catégories, et, and...) and up
  // to two unknown words before the first category ("(PEMP)") are skipped; a new line ends
  // the list.
  std::vector<PhraseMatcher::Match> FamilyMatches(const PreparedText& text) const;

  // Best occupation for a title no alias phrase matches: IDF-weighted overlap of Snowball
  // stems between the title and every occupation label and alias ("Senior Accounts Payable
  // Clerk" -> accounts payable clerk). nullopt below a minimum similarity.
  std::optional<std::uint32_t> FuzzyOccupation(std::string_view title) const;

  std::size_t esco_skills_added() const { return esco_skills_added_; }
  std::size_t esco_occupations_added() const { return esco_occupations_added_; }

 private:
  Taxonomy();
  Result<bool> Parse(const std::vector<TaxonomySource>& sources);
  void AddEsco(const EscoData& esco);
  void BuildMatchers();
  void BuildTitleIndex();
  // Splits p.tokens' compounds unknown to the taxonomy, then computes keys and ids.
  void SplitAndKey(std::string_view text, PreparedText& p) const;

  std::vector<Skill> skills_;
  std::vector<Occupation> occupations_;
  std::vector<SpokenLanguage> languages_;
  std::vector<LicenceFamily> families_;
  std::unordered_map<std::string, std::uint32_t> skill_index_;
  std::unordered_map<std::string, std::uint32_t> occupation_index_;
  std::unordered_map<std::string, bool> compounds_;  // folded compound tokens used by aliases
  // One vocabulary for the four matchers: Prepare looks each token's key up once for all.
  std::shared_ptr<Vocabulary> vocabulary_;
  PhraseMatcher skills_m_, occ_m_, lang_m_, fam_m_;
  struct TitleEntry {
    std::uint32_t occupation;
    double weight;  // sum of the IDF of its distinct stems
  };
  std::vector<TitleEntry> title_entries_;
  // Stems by dense id, so that a title's words are looked up without building strings.
  Vocabulary title_words_;                        // folded word of a label -> word id
  std::vector<std::uint32_t> title_word_stems_;   // word id -> id of its stem
  Vocabulary title_stems_;                        // stem -> stem id
  std::vector<std::vector<std::uint32_t>> title_postings_;  // stem id -> entries
  std::vector<double> title_idf_;                 // stem id -> IDF
  std::size_t esco_skills_added_ = 0;
  std::size_t esco_occupations_added_ = 0;
};

// The fixed sector vocabulary.
const std::vector<std::string>& Sectors();

}  // namespace jobzen::engine
