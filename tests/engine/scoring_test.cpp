// Tests of offer parsing and scoring: cue handling, years, languages, blockers, and the
// properties the model promises (monotone, symmetric across languages, deterministic, banded).
#include "engine/scoring.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "ingest/files.hpp"
#include "real_taxonomy.hpp"

namespace jobzen::engine {
namespace {

const OfferSkill* Find(const Taxonomy& t, const ParsedOffer& o, std::string_view id) {
  const auto idx = t.FindSkill(id);
  if (!idx) return nullptr;
  for (const auto& s : o.skills) {
    if (s.skill == *idx) return &s;
  }
  return nullptr;
}

std::string SkillIdOf(const Taxonomy& t, std::string_view label) {
  ProfileInput in;
  in.skills = {std::string(label)};
  const Profile p = ProfileFromInput(t, in);
  return p.skill_ids.empty() ? "" : t.skills()[p.skill_ids[0]].id;
}

TEST(ParseOffer, RequiredPreferredAndMentionedFromCues) {
  const auto t = Real();
  const JobOffer offer{"j", "Backend Engineer (Python)",
                       "You will build services in Python and deploy them with Docker.",
                       "Must have: 4+ years with Python; PostgreSQL. Nice to have: Kubernetes, Celery. German is a plus."};
  const ParsedOffer p = ParseOffer(*t, offer);
  EXPECT_EQ(p.lang, "en");
  EXPECT_EQ(p.min_years, 4);
  const auto* python = Find(*t, p, SkillIdOf(*t, "Python"));
  const auto* pg = Find(*t, p, SkillIdOf(*t, "PostgreSQL"));
  const auto* k8s = Find(*t, p, SkillIdOf(*t, "Kubernetes"));
  const auto* docker = Find(*t, p, SkillIdOf(*t, "Docker"));
  ASSERT_TRUE(python && pg && k8s && docker);
  EXPECT_EQ(python->need, Need::kRequired);
  EXPECT_EQ(pg->need, Need::kRequired);
  EXPECT_EQ(k8s->need, Need::kPreferred);
  EXPECT_EQ(docker->need, Need::kMentioned);
  for (const auto& l : p.languages) {
    if (l.code == "de") {
      EXPECT_FALSE(l.required);
    }
  }
}

TEST(ParseOffer, FrenchCuesYearsLanguagesAndMandatoryLicences) {
  const auto t = Real();
  const JobOffer offer{"j", "Cariste H/F",
                       "Entrepôt de 20 000 m². Chargement et déchargement des camions.",
                       "CACES R489 cat. 3 obligatoire ; 2 ans minimum d'expérience ; anglais courant exigé ; "
                       "la connaissance d'un WMS serait un plus."};
  const ParsedOffer p = ParseOffer(*t, offer);
  EXPECT_EQ(p.lang, "fr");
  EXPECT_EQ(p.min_years, 2);
  const auto* caces = Find(*t, p, "caces_r489_3");
  ASSERT_NE(caces, nullptr);
  EXPECT_TRUE(caces->mandatory);
  const auto* wms = Find(*t, p, SkillIdOf(*t, "WMS"));
  ASSERT_NE(wms, nullptr);
  EXPECT_EQ(wms->need, Need::kPreferred);
  ASSERT_EQ(p.languages.size(), 1u);
  EXPECT_EQ(p.languages[0].code, "en");
  EXPECT_EQ(p.languages[0].level, "C1");
  EXPECT_TRUE(p.languages[0].required);
}

TEST(ParseOffer, YearsAndSeniority) {
  const auto t = Real();
  struct Case {
    std::string title, requirements;
    int min_years;
    std::string seniority;
    bool entry;
  };
  const std::vector<Case> cases = {
      {"Lead Backend Engineer", "Python 5y+, Kubernetes", 5, "lead", false},
      {"Développeur Java", "3 à 6 ans d'expérience en Java", 3, "mid", false},
      {"VP of Engineering", "15+ years in software engineering", 15, "lead", false},
      {"Graduate Software Engineer", "A degree in computer science", 0, "junior", true},
      {"Comptable (alternance)", "BTS CG en préparation", 0, "junior", true},
      {"Senior Data Analyst", "SQL", 0, "senior", false},
      {"Chef de partie", "Société créée il y a 20 ans. 3 years minimum in a kitchen.", 3, "mid", false},
  };
  for (const Case& c : cases) {
    const ParsedOffer p = ParseOffer(*t, {"j", c.title, "", c.requirements});
    EXPECT_EQ(p.min_years, c.min_years) << c.title;
    EXPECT_EQ(p.seniority, c.seniority) << c.title;
    EXPECT_EQ(p.entry_level, c.entry) << c.title;
  }
}

Profile Dev(std::vector<std::string> skills, int years, std::vector<LanguageLevel> langs = {{"en", "C1"}, {"fr", "native"}}) {
  ProfileInput in;
  in.skills = std::move(skills);
  in.positions = {"Backend Developer"};
  in.experience_years = years;
  in.languages = std::move(langs);
  return ProfileFromInput(*Real(), in);
}

TEST(Score, MissingMandatoryCredentialCapsTheScore) {
  const auto t = Real();
  const JobOffer offer{"j", "Cariste", "Préparation de commandes et conduite de chariots élévateurs.",
                       "CACES R489 cat. 3 obligatoire. Préparation de commandes, gestion des stocks."};
  ProfileInput with;
  with.skills = {"CACES R489 cat. 3", "Préparation de commandes", "Gestion des stocks", "Conduite de chariots élévateurs"};
  with.positions = {"Cariste"};
  with.experience_years = 5;
  ProfileInput without = with;
  without.skills.erase(without.skills.begin());
  const ParsedOffer p = ParseOffer(*t, offer);
  const ScoreResult a = Score(*t, ProfileFromInput(*t, with), p, {});
  const ScoreResult b = Score(*t, ProfileFromInput(*t, without), p, {});
  EXPECT_GE(a.score, 80);
  EXPECT_LE(b.score, 50);
  ASSERT_FALSE(b.gaps.empty());
  EXPECT_NE(b.gaps[0].find("CACES R489 cat. 3"), std::string::npos) << b.gaps[0];
}

TEST(Score, TooJuniorCostsMoreThanTooSenior) {
  const auto t = Real();
  const ParsedOffer p = ParseOffer(*t, {"j", "Backend Developer", "", "5 years minimum with Python and PostgreSQL."});
  const int junior = Score(*t, Dev({"Python", "PostgreSQL"}, 2), p, {}).score;
  const int senior = Score(*t, Dev({"Python", "PostgreSQL"}, 8), p, {}).score;
  const int exact = Score(*t, Dev({"Python", "PostgreSQL"}, 5), p, {}).score;
  EXPECT_LT(junior, exact);
  EXPECT_GE(senior, exact);
}

TEST(Score, RelatedSkillsGivePartialCredit) {
  const auto t = Real();
  const ParsedOffer p = ParseOffer(*t, {"j", "Backend Developer", "", "Python, PostgreSQL required."});
  // No position: an occupation would imply its core skills and blur the comparison.
  auto skills_only = [&](std::vector<std::string> skills) {
    ProfileInput in;
    in.skills = std::move(skills);
    in.experience_years = 5;
    return ProfileFromInput(*t, in);
  };
  const int exact = Score(*t, skills_only({"Python", "PostgreSQL"}), p, {}).score;
  const int related = Score(*t, skills_only({"Python", "MySQL"}), p, {}).score;
  const int none = Score(*t, skills_only({"Python"}), p, {}).score;
  EXPECT_GT(exact, related);
  EXPECT_GT(related, none);
}

TEST(Score, OccupationCoreSkillsLiftButNeverLower) {
  const auto t = Real();
  // "Lead Backend Engineer" implies core skills the text does not name: they are no gap.
  const ParsedOffer p = ParseOffer(*t, {"j", "Lead Backend Engineer", "Python 5y+, Kubernetes", "Python expert, Kubernetes, CI/CD"});
  ProfileInput in;
  in.skills = {"Python", "FastAPI"};
  in.positions = {"Backend Engineer"};
  const ScoreResult r = Score(*t, ProfileFromInput(*t, in), p, {});
  const std::vector<std::string> want = {"Kubernetes", "CI/CD"};
  for (const auto& m : r.missing_skills) {
    EXPECT_NE(std::find(want.begin(), want.end(), m), want.end()) << "not asked by the text: " << m;
  }
}

TEST(Score, ExplanationsInTheOfferLanguage) {
  const auto t = Real();
  const Profile dev = Dev({"Python", "FastAPI"}, 6);
  const ScoreResult en = Score(*t, dev, ParseOffer(*t, {"j", "Backend Engineer", "", "Python, FastAPI, Kubernetes required."}), {});
  const ScoreResult fr = Score(*t, dev, ParseOffer(*t, {"j", "Développeur backend", "", "Python, FastAPI et Kubernetes requis."}), {});
  EXPECT_NE(std::find(en.strengths.begin(), en.strengths.end(), "Python"), en.strengths.end());
  EXPECT_NE(std::find(en.gaps.begin(), en.gaps.end(), "No Kubernetes experience"), en.gaps.end());
  EXPECT_NE(std::find(fr.gaps.begin(), fr.gaps.end(), "Pas d'expérience Kubernetes"), fr.gaps.end());
}

// --- Properties over the shared eval offers ---------------------------------------------

std::vector<JobOffer> EvalOffers() {
  std::ifstream in(std::string(JOBZEN_SHARED_DIR) + "/eval/jobs.json");
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<JobOffer> offers;
  const boost::json::value jobs = boost::json::parse(ss.str());
  for (const auto& v : jobs.as_array()) {
    const auto& o = v.as_object();
    offers.push_back({std::string(o.at("job_id").as_string()), std::string(o.at("title").as_string()),
                      std::string(o.at("description").as_string()), std::string(o.at("requirements").as_string())});
  }
  return offers;
}

TEST(ScoreProperties, MonotoneInTheSkillsAnOfferAsksFor) {
  const auto t = Real();
  for (const JobOffer& offer : EvalOffers()) {
    const ParsedOffer p = ParseOffer(*t, offer);
    ProfileInput in;
    in.positions = {"Backend Developer"};
    in.experience_years = 4;
    int previous = Score(*t, ProfileFromInput(*t, in), p, {}).score;
    for (const OfferSkill& s : p.skills) {
      in.skills.push_back(t->skills()[s.skill].en);
      const int now = Score(*t, ProfileFromInput(*t, in), p, {}).score;
      EXPECT_GE(now, previous) << offer.job_id << " adding " << t->skills()[s.skill].en;
      previous = now;
    }
  }
}

TEST(ScoreProperties, BoundedBandedAndDeterministic) {
  const auto t = Real();
  const auto offers = EvalOffers();
  const Profile dev = Dev({"Python", "Django", "PostgreSQL", "Docker"}, 6);
  const auto once = ScoreOffers(*t, dev, offers, {}, 1);
  const auto parallel = ScoreOffers(*t, dev, offers, {}, 4);
  ASSERT_EQ(once.size(), offers.size());
  for (std::size_t i = 0; i < once.size(); ++i) {
    EXPECT_GE(once[i].score, 0);
    EXPECT_LE(once[i].score, 100);
    EXPECT_EQ(once[i].recommendation, Recommendation(once[i].score));
    EXPECT_EQ(once[i].score, parallel[i].score) << offers[i].job_id;
    EXPECT_EQ(once[i].gaps, parallel[i].gaps);
  }
  EXPECT_EQ(Recommendation(80), "strong_match");
  EXPECT_EQ(Recommendation(79), "match_with_gaps");
  EXPECT_EQ(Recommendation(60), "match_with_gaps");
  EXPECT_EQ(Recommendation(59), "partial_match");
  EXPECT_EQ(Recommendation(40), "partial_match");
  EXPECT_EQ(Recommendation(39), "no_match");
}

// The eval offers `rounds` times over, each copy with an id of its own.
std::vector<JobOffer> RepeatedEvalOffers(int rounds) {
  std::vector<JobOffer> offers;
  for (int round = 0; round < rounds; ++round) {
    for (JobOffer o : EvalOffers()) {
      o.job_id.append(1, '-').append(std::to_string(round));
      offers.push_back(std::move(o));
    }
  }
  return offers;
}

// Cached or not, split across threads or not (parsing and, from kParallelScoringFrom offers,
// scoring): the same results in the same order.
TEST(ScoreProperties, SameResultsWithCacheAndThreads) {
  const auto t = Real();
  const std::vector<JobOffer> offers = RepeatedEvalOffers(10);
  ASSERT_GE(offers.size(), kParallelScoringFrom);
  const Profile dev = Dev({"Python", "Django", "PostgreSQL", "Docker", "CACES R489 cat. 3"}, 6);
  const auto plain = ScoreOffers(*t, dev, offers, {}, 1);
  OfferCache cache(1000);
  const std::vector<JobOffer> some(offers.begin(), offers.begin() + 7);
  (void)ScoreOffers(*t, dev, some, {}, 1, &cache);  // a few offers already parsed
  const auto mixed = ScoreOffers(*t, dev, offers, {}, 3, &cache);
  ASSERT_EQ(mixed.size(), plain.size());
  for (std::size_t i = 0; i < plain.size(); ++i) {
    EXPECT_EQ(mixed[i].score, plain[i].score) << offers[i].job_id;
    EXPECT_EQ(mixed[i].strengths, plain[i].strengths) << offers[i].job_id;
    EXPECT_EQ(mixed[i].gaps, plain[i].gaps) << offers[i].job_id;
    EXPECT_EQ(mixed[i].matched_skills, plain[i].matched_skills) << offers[i].job_id;
    EXPECT_EQ(mixed[i].missing_skills, plain[i].missing_skills) << offers[i].job_id;
  }
  EXPECT_EQ(cache.size(), EvalOffers().size()) << "each text parsed and kept once";
  // Find looks up without parsing: null for an offer never seen, which counts as no miss.
  const std::size_t misses = cache.misses();
  EXPECT_EQ(cache.Find({"x", "Never seen", "nothing like it", ""}), nullptr);
  EXPECT_EQ(cache.misses(), misses);
  EXPECT_NE(cache.Find(offers.back()), nullptr);
}

// Several callers at once share the process's workers (a server's requests): each gets the
// results it would get alone, whatever the others ask for.
TEST(ScoreProperties, ConcurrentCallersShareTheWorkers) {
  const auto t = Real();
  const std::vector<JobOffer> offers = RepeatedEvalOffers(3);
  const Profile dev = Dev({"Python", "Django", "PostgreSQL", "Docker"}, 6);
  const Profile driver = Dev({"CACES R489 cat. 3", "Permis B"}, 2);
  const auto dev_alone = ScoreOffers(*t, dev, offers, {}, 1);
  const auto driver_alone = ScoreOffers(*t, driver, offers, {}, 1);
  std::vector<std::vector<ScoreResult>> got(6);
  std::vector<std::thread> callers;
  for (std::size_t c = 0; c < got.size(); ++c) {
    callers.emplace_back([&, c] {
      for (int repeat = 0; repeat < 3; ++repeat) got[c] = ScoreOffers(*t, c % 2 == 0 ? dev : driver, offers, {}, static_cast<unsigned>(2 + c % 3));
    });
  }
  for (auto& caller : callers) caller.join();
  for (std::size_t c = 0; c < got.size(); ++c) {
    const auto& alone = c % 2 == 0 ? dev_alone : driver_alone;
    ASSERT_EQ(got[c].size(), alone.size());
    for (std::size_t i = 0; i < alone.size(); ++i) {
      EXPECT_EQ(got[c][i].score, alone[i].score) << "caller " << c << ", " << offers[i].job_id;
      EXPECT_EQ(got[c][i].gaps, alone[i].gaps) << "caller " << c << ", " << offers[i].job_id;
    }
  }
}

TEST(ScoreOffers, SameResultsAsScoringEachOffer) {
  // ScoreOffers indexes the profile once; Score per offer must agree on every field, for a
  // profile with exact, related, same-group and credential stand-ins.
  const auto t = Real();
  const auto offers = EvalOffers();
  Profile p = Dev({"Python", "MySQL", "Docker", "CACES R489 cat. 3", "Permis B", "Excel"}, 7);
  ProfileInput with_position;
  with_position.positions = {"Data Engineer"};
  p.occupations = ProfileFromInput(*t, with_position).occupations;
  const auto all = ScoreOffers(*t, p, offers, {}, 1);
  ASSERT_EQ(all.size(), offers.size());
  for (std::size_t i = 0; i < offers.size(); ++i) {
    const ScoreResult one = Score(*t, p, ParseOffer(*t, offers[i]), {});
    EXPECT_EQ(all[i].score, one.score) << offers[i].job_id;
    EXPECT_EQ(all[i].breakdown, one.breakdown) << offers[i].job_id;
    EXPECT_EQ(all[i].strengths, one.strengths) << offers[i].job_id;
    EXPECT_EQ(all[i].gaps, one.gaps) << offers[i].job_id;
    EXPECT_EQ(all[i].matched_skills, one.matched_skills) << offers[i].job_id;
    EXPECT_EQ(all[i].missing_skills, one.missing_skills) << offers[i].job_id;
  }
}

TEST(ParseOffer, TitleReadWithinTheOfferAsOnItsOwn) {
  // ParseOffer reads the title's occupation from the tokens of the whole offer text: the same
  // as the title alone, whatever its end and the description's start (a hyphen wrapped into
  // the next line, punctuation, compounds, inclusive forms).
  const auto t = Real();
  const std::vector<std::string> titles = {"Développeur Java (H/F)", "Cariste", "", "Data Engineer", "Chef de projet R&D",
                                           "Développeur full-", "Infirmier·e", "Chargé(e) de recrutement", "DevOps CI/CD",
                                           "Comptable.", "Senior Accounts Payable Clerk", "C++", "Chauffeur PL -", "Aide-soignant"};
  const std::vector<std::string> starts = {"stack avec Java et Spring.", "Nous recrutons un cariste.", "- Python", "(e) motivé",
                                           "/ Ops", "+ expérience", "développeur backend", "Paris"};
  for (const std::string& title : titles) {
    for (const std::string& start : starts) {
      const std::string text = title + "\n" + start;
      EXPECT_EQ(NormaliseTitle(*t, title, t->Prepare(text)), NormaliseTitle(*t, title)) << title << " | " << start;
    }
  }
  // A hyphen wrapped into the next line joins "Java-" and "script" across the title's end:
  // the title is read on its own ("Développeur Java"), not cut before the joined word.
  const ParsedOffer wrapped = ParseOffer(*t, {"x", "Développeur Java-", "script et React", ""});
  ASSERT_TRUE(wrapped.occupation.has_value());
  EXPECT_EQ(t->occupations()[*wrapped.occupation].id, "java_developer");
}

TEST(ParseOffer, CueWordsAreInTheTaxonomyVocabulary) {
  // The offer cues and signals intern their words in FixedWords() before main; a taxonomy's
  // vocabulary extends it, so an offer's keys are looked up once for all dictionaries.
  EXPECT_GT(FixedWords().size(), 50u);
  for (const char* cue : {"indispensable", "nice", "plus", "junior", "bac"}) {
    EXPECT_NE(FixedWords().Find(cue, Vocabulary::Hash(cue)), Vocabulary::kNoKey) << cue;
  }
  EXPECT_TRUE(Real()->skill_matcher().vocabulary().Covers(FixedWords()));
}

TEST(OfferCache, ReusesParsedOffersAndEvictsTheOldest) {
  const auto t = Real();
  OfferCache cache(2);
  const JobOffer a{"1", "Backend Developer", "Python", "Django required."};
  const JobOffer a_again{"2", "Backend Developer", "Python", "Django required."};  // other id, same text
  const JobOffer b{"3", "Cariste", "", "CACES R489 cat. 3 obligatoire."};
  const JobOffer c{"4", "Comptable", "", "Sage 100."};
  const auto first = cache.Get(*t, a);
  EXPECT_EQ(cache.Get(*t, a_again), first);  // same object: parsed once
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(*first, ParseOffer(*t, a));
  cache.Get(*t, b);
  cache.Get(*t, c);  // evicts a, the least recently used
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_NE(cache.Get(*t, a), first);
  // Cached and uncached scoring agree.
  const Profile dev = Dev({"Python", "Django"}, 4);
  const auto with = ScoreOffers(*t, dev, {a, b, c}, {}, 1, &cache);
  const auto without = ScoreOffers(*t, dev, {a, b, c}, {}, 1);
  for (std::size_t i = 0; i < with.size(); ++i) EXPECT_EQ(with[i].score, without[i].score);
}

// Offers written for this test in both languages: a CV must score the same within 3 points.
struct Pair {
  JobOffer en, fr;
  const char* cv;
};

TEST(ScoreProperties, LanguageSymmetry) {
  const auto t = Real();
  const std::vector<Pair> pairs = {
      {{"a", "Backend Developer (Python)", "You will build REST APIs in Python with Django and PostgreSQL, deployed with Docker.",
        "3+ years of Python. Django and PostgreSQL required. Kubernetes is a plus. Fluent English."},
       {"a", "Développeur backend Python", "Vous développerez des API REST en Python avec Django et PostgreSQL, déployées avec Docker.",
        "3 ans minimum en Python. Django et PostgreSQL requis. Kubernetes est un plus. Anglais courant."},
       "EXPERIENCE\n2019 - 2026 Backend Developer, Acme\nPython, Django, PostgreSQL, Docker\nLANGUAGES\nEnglish (native), French (B2)\n"},
      {{"b", "Forklift driver", "Loading and unloading trucks, order picking in a warehouse.",
        "CACES R489 cat. 3 mandatory. 2 years minimum. Stock management is a plus."},
       {"b", "Cariste", "Chargement et déchargement des camions, préparation de commandes en entrepôt.",
        "CACES R489 cat. 3 obligatoire. 2 ans minimum. La gestion des stocks est un plus."},
       "EXPÉRIENCE\n2018 - 2026 Cariste, Logistik SA\nPréparation de commandes, chargement et déchargement\nCACES R489 cat. 3\n"},
      {{"c", "Registered nurse", "Emergency department: triage, blood sampling, wound care.",
        "Nursing diploma required. AFGSU level 2. 2 years in emergency care."},
       {"c", "Infirmier", "Service des urgences : triage, prélèvements sanguins, pansements.",
        "Diplôme d'État d'infirmier exigé. AFGSU niveau 2. 2 ans d'expérience aux urgences."},
       "EXPÉRIENCE\n2017 - 2026 Infirmière aux urgences, CHU\nTriage IOA, prélèvements sanguins, pansements complexes\n"
       "FORMATION\n2017 Diplôme d'État d'Infirmier\nAFGSU niveau 2\n"},
      {{"d", "Payroll officer", "Monthly payroll for 300 employees, DSN filings, employee administration.",
        "3 years of payroll experience. Silae required. Excel."},
       {"d", "Gestionnaire de paie", "Paie mensuelle de 300 salariés, DSN, administration du personnel.",
        "3 ans d'expérience en paie. Silae exigé. Excel."},
       "EXPÉRIENCE\n2016 - 2026 Gestionnaire de paie, Cabinet RH\nGestion de la paie, DSN, Silae, Excel, administration du personnel\n"},
  };
  for (const Pair& pair : pairs) {
    ExtractOptions eo;
    const Profile cv = ExtractProfile(*t, pair.cv, eo);
    const int en = Score(*t, cv, ParseOffer(*t, pair.en), {}).score;
    const int fr = Score(*t, cv, ParseOffer(*t, pair.fr), {}).score;
    EXPECT_LE(std::abs(en - fr), 3) << pair.en.title << ": en " << en << " fr " << fr;
  }
}

}  // namespace
}  // namespace jobzen::engine
