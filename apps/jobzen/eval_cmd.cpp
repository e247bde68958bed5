// jobzen eval: evaluation reports. `extraction DIR` scores /analyze profiles against a set in
// the layout of ../shared/eval (metrics of its README); `titles` reports title normalisation
// accuracy (ISCO on JobBERT titles, ROME on France Travail offers) against plain baselines.
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "commands.hpp"
#include "engine/esco.hpp"
#include "engine/extract.hpp"
#include "engine/scoring.hpp"
#include "engine/text.hpp"
#include "ingest/files.hpp"

namespace jobzen::app {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

struct ExtractionTotals {
  int tp = 0, fp = 0, fn = 0;
  int cvs = 0, lang_ok = 0, years_ok = 0, salary_ok = 0, salary_stated = 0, salary_stated_ok = 0;
};

int EvalExtraction(const Args& args) {
  if (args.positionals().size() != 2) {
    std::cerr << "usage: jobzen eval extraction DIR [--as-of YYYY-MM-DD] [--verbose]\n";
    return 2;
  }
  const fs::path dir = args.positionals()[1];
  engine::ExtractOptions options;
  options.as_of = {2026, 11};  // the reference month of the eval README
  if (!ReadAsOf(args, &options.as_of)) return 2;
  const auto taxonomy = LoadTaxonomyOrReport(args);
  if (!taxonomy) return 1;
  const auto truth_text = ingest::ReadFile((dir / "profiles.json").string());
  if (!truth_text) {
    std::cerr << "jobzen: " << truth_text.error().detail << "\n";
    return 1;
  }
  boost::system::error_code ec;
  const json::value truth = json::parse(*truth_text, ec);
  if (ec || !truth.is_object()) {
    std::cerr << "jobzen: profiles.json is not a JSON object\n";
    return 1;
  }
  const bool verbose = args.Has("--verbose");
  ExtractionTotals t;
  std::vector<std::string> ids;
  for (const auto& kv : truth.get_object()) ids.emplace_back(kv.key());
  std::sort(ids.begin(), ids.end());
  for (const std::string& id : ids) {
    const json::object& expected = truth.at(id).get_object();
    const auto bytes = ingest::ReadFile((dir / "cvs" / (id + ".txt")).string());
    if (!bytes) {
      std::cerr << "jobzen: " << bytes.error().detail << "\n";
      return 1;
    }
    const auto cv = ingest::ReadCvBytes(*bytes);
    if (!cv) {
      std::cerr << "jobzen: " << id << ": " << cv.error().detail << "\n";
      return 1;
    }
    const engine::Profile p = engine::ExtractProfile(*taxonomy, cv->text, options);
    ++t.cvs;
    // Skills: micro P/R/F1 over normalised strings, each truth skill matched once.
    std::vector<std::set<std::string>> truth_skills;
    for (const auto& s : expected.at("skills").get_array()) {
      std::set<std::string> aliases;
      for (const auto& a : s.get_array()) aliases.insert(engine::Fold(json::value_to<std::string>(a)));
      truth_skills.push_back(std::move(aliases));
    }
    std::vector<bool> matched(truth_skills.size(), false);
    std::set<std::string> predicted_seen;
    std::vector<std::string> false_pos;
    int tp = 0, fp = 0;
    for (const std::string& s : p.skills) {
      const std::string n = engine::Fold(s);
      if (!predicted_seen.insert(n).second) continue;
      bool hit = false, already = false;
      for (std::size_t i = 0; i < truth_skills.size(); ++i) {
        if (!truth_skills[i].count(n)) continue;
        if (matched[i]) {
          already = true;
          continue;
        }
        matched[i] = true;
        hit = true;
        break;
      }
      if (hit) ++tp;
      else if (!already) {
        ++fp;
        false_pos.push_back(s);
      }
    }
    std::vector<std::string> false_neg;
    for (std::size_t i = 0; i < truth_skills.size(); ++i) {
      if (!matched[i]) false_neg.push_back(json::value_to<std::string>(expected.at("skills").get_array()[i].get_array()[0]));
    }
    const int fn = static_cast<int>(false_neg.size());
    t.tp += tp;
    t.fp += fp;
    t.fn += fn;
    // Languages: exact set.
    std::set<std::string> want_langs, got_langs;
    for (const auto& l : expected.at("languages").get_array()) want_langs.insert(json::value_to<std::string>(l));
    for (const auto& l : p.languages) got_langs.insert(l.code);
    const bool lang_ok = want_langs == got_langs;
    t.lang_ok += lang_ok ? 1 : 0;
    // Years within one.
    const int want_years = static_cast<int>(expected.at("years_experience").to_number<double>());
    const bool years_ok = std::abs(p.experience_years - want_years) <= 1;
    t.years_ok += years_ok ? 1 : 0;
    // Salary exact (null is a value).
    const json::value& ws = expected.at("salary_range");
    bool salary_ok;
    if (ws.is_null()) {
      salary_ok = !p.salary.has_value();
    } else {
      ++t.salary_stated;
      const auto& o = ws.get_object();
      salary_ok = p.salary && p.salary->min == o.at("min").to_number<long>() && p.salary->max == o.at("max").to_number<long>() &&
                  p.salary->currency == json::value_to<std::string>(o.at("currency"));
      t.salary_stated_ok += salary_ok ? 1 : 0;
    }
    t.salary_ok += salary_ok ? 1 : 0;
    if (verbose) {
      std::printf("%s skills tp=%d fp=%d fn=%d  langs %s  years %d/%d  salary %s\n", id.c_str(), tp, fp, fn,
                  lang_ok ? "ok" : "WRONG", p.experience_years, want_years, salary_ok ? "ok" : "WRONG");
      if (!false_pos.empty()) {
        std::printf("  FP:");
        for (const auto& s : false_pos) std::printf(" [%s]", s.c_str());
        std::printf("\n");
      }
      if (!false_neg.empty()) {
        std::printf("  FN:");
        for (const auto& s : false_neg) std::printf(" [%s]", s.c_str());
        std::printf("\n");
      }
      if (!lang_ok) {
        std::printf("  langs got:");
        for (const auto& l : got_langs) std::printf(" %s", l.c_str());
        std::printf("\n");
      }
      if (!salary_ok) {
        if (p.salary) std::printf("  salary got: %ld-%ld %s\n", p.salary->min, p.salary->max, p.salary->currency.c_str());
        else std::printf("  salary got: null\n");
      }
    }
  }
  const double precision = t.tp + t.fp > 0 ? static_cast<double>(t.tp) / (t.tp + t.fp) : 0.0;
  const double recall = t.tp + t.fn > 0 ? static_cast<double>(t.tp) / (t.tp + t.fn) : 0.0;
  const double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
  std::printf("cvs %d\n", t.cvs);
  std::printf("skills_precision %.3f\nskills_recall %.3f\nskills_f1 %.3f\n", precision, recall, f1);
  std::printf("languages_set_accuracy %.3f\n", static_cast<double>(t.lang_ok) / t.cvs);
  std::printf("years_within_1 %.3f\n", static_cast<double>(t.years_ok) / t.cvs);
  std::printf("salary_exact %.3f\n", static_cast<double>(t.salary_ok) / t.cvs);
  std::printf("salary_exact_when_stated %.3f (%d/%d)\n",
              t.salary_stated ? static_cast<double>(t.salary_stated_ok) / t.salary_stated : 0.0, t.salary_stated_ok, t.salary_stated);
  return 0;
}

// --- Title normalisation -------------------------------------------------------------

std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  for (const auto& tok : engine::Tokenize(s)) out.emplace_back(tok.norm);
  return out;
}

// Plain lexical baseline: the label with the highest token Jaccard similarity.
class JaccardIndex {
 public:
  void Add(const std::string& label, const std::string& code) {
    const auto words = Words(label);
    std::set<std::string> set(words.begin(), words.end());
    const auto id = labels_.size();
    for (const auto& w : set) postings_[w].push_back(id);
    labels_.push_back({std::move(set), code});
  }
  std::string Best(std::string_view query) const {
    const auto words = Words(query);
    const std::set<std::string> q(words.begin(), words.end());
    std::unordered_map<std::size_t, int> overlap;
    for (const auto& w : q) {
      const auto it = postings_.find(w);
      if (it == postings_.end()) continue;
      for (const std::size_t id : it->second) ++overlap[id];
    }
    double best = 0;
    std::size_t best_id = labels_.size();
    for (const auto& [id, inter] : overlap) {
      const double j = inter / static_cast<double>(q.size() + labels_[id].words.size() - static_cast<std::size_t>(inter));
      if (j > best || (j == best && id < best_id)) {
        best = j;
        best_id = id;
      }
    }
    return best_id < labels_.size() ? labels_[best_id].code : "";
  }

 private:
  struct Entry {
    std::set<std::string> words;
    std::string code;
  };
  std::vector<Entry> labels_;
  std::unordered_map<std::string, std::vector<std::size_t>> postings_;
};

std::string MostFrequent(const std::vector<std::string>& codes) {
  std::map<std::string, int> counts;
  for (const auto& c : codes) ++counts[c];
  std::string best;
  int n = -1;
  for (const auto& [c, k] : counts) {
    if (k > n) {
      best = c;
      n = k;
    }
  }
  return best;
}

int EvalTitles(const Args& args) {
  const fs::path shared = args.Get("--shared").value_or(std::string(JOBZEN_DATA_DIR) + "/../../shared");
  const auto taxonomy = LoadTaxonomyOrReport(args);
  if (!taxonomy) return 1;

  // ISCO on JobBERT test titles; the gold ESCO occupation gives the ISCO code.
  const auto occ_csv = ingest::ReadFile((shared / "esco" / "occupations_en.csv").string());
  const auto titles_csv = ingest::ReadFile((shared / "data" / "jobbert_title_normalization" / "titles.test.csv").string());
  if (!occ_csv || !titles_csv) {
    std::cerr << "jobzen: cannot read ESCO occupations or JobBERT titles under " << shared << "\n";
    return 1;
  }
  std::unordered_map<std::string, std::string> uri_isco;
  JaccardIndex esco_labels;
  {
    const auto rows = engine::ParseCsv(*occ_csv);
    for (std::size_t i = 1; i < rows.size(); ++i) {
      if (rows[i].size() < 4) continue;
      uri_isco[rows[i][1]] = rows[i][2];
      esco_labels.Add(rows[i][3], rows[i][2]);
    }
  }
  const auto title_rows = engine::ParseCsv(*titles_csv);
  std::vector<std::pair<std::string, std::string>> gold;  // title, isco
  for (std::size_t i = 1; i < title_rows.size(); ++i) {
    if (title_rows[i].size() < 3) continue;
    const auto it = uri_isco.find(title_rows[i][2]);
    if (it != uri_isco.end()) gold.emplace_back(title_rows[i][1], it->second);
  }
  std::vector<std::string> gold_codes;
  for (const auto& g : gold) gold_codes.push_back(g.second);
  const std::string majority = MostFrequent(gold_codes);
  int ours = 0, ours_covered = 0, base_j = 0, base_maj = 0;
  for (const auto& [title, isco] : gold) {
    if (const auto occ = engine::NormaliseTitle(*taxonomy, title)) {
      ++ours_covered;
      if (taxonomy->occupations()[*occ].isco == isco) ++ours;
    }
    if (esco_labels.Best(title) == isco) ++base_j;
    if (majority == isco) ++base_maj;
  }
  const double n = static_cast<double>(gold.size());
  std::printf("jobbert_test_titles %zu\n", gold.size());
  std::printf("isco_accuracy_jobzen %.3f (covered %.3f)\n", ours / n, ours_covered / n);
  std::printf("isco_accuracy_baseline_jaccard_esco_preferred_labels %.3f\n", base_j / n);
  std::printf("isco_accuracy_baseline_majority_class %.3f\n", base_maj / n);

  // ROME on France Travail offers.
  const auto offers = ingest::ReadFile((shared / "data" / "france_travail_offers_fr" / "offers.jsonl").string());
  const auto appellations = ingest::ReadFile((shared / "data" / "rome_fiches_fr" / "appellation_to_rome.csv").string());
  if (!offers || !appellations) {
    std::cerr << "jobzen: cannot read France Travail offers or ROME appellations under " << shared << "\n";
    return 1;
  }
  JaccardIndex rome_labels;
  {
    const auto rows = engine::ParseCsv(*appellations);
    for (std::size_t i = 1; i < rows.size(); ++i) {
      if (rows[i].size() >= 2) rome_labels.Add(rows[i][0], rows[i][1]);
    }
  }
  std::vector<std::pair<std::string, std::string>> fgold;
  std::istringstream lines(*offers);
  for (std::string line; std::getline(lines, line);) {
    boost::system::error_code ec;
    const json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) continue;
    const auto* title = v.get_object().if_contains("intitule");
    const auto* rome = v.get_object().if_contains("romeCode");
    if (title && rome && title->is_string() && rome->is_string()) {
      fgold.emplace_back(std::string(title->get_string()), std::string(rome->get_string()));
    }
  }
  std::vector<std::string> rome_codes;
  for (const auto& g : fgold) rome_codes.push_back(g.second);
  const std::string rome_majority = MostFrequent(rome_codes);
  int r_ours = 0, r_covered = 0, r_j = 0, r_maj = 0;
  for (const auto& [title, rome] : fgold) {
    if (const auto occ = engine::NormaliseTitle(*taxonomy, title)) {
      ++r_covered;
      if (taxonomy->occupations()[*occ].rome == rome) ++r_ours;
    }
    if (rome_labels.Best(title) == rome) ++r_j;
    if (rome_majority == rome) ++r_maj;
  }
  const double m = static_cast<double>(fgold.size());
  std::printf("france_travail_offers %zu\n", fgold.size());
  std::printf("rome_accuracy_jobzen %.3f (covered %.3f)\n", r_ours / m, r_covered / m);
  std::printf("rome_accuracy_baseline_jaccard_rome_appellations %.3f\n", r_j / m);
  std::printf("rome_accuracy_baseline_majority_class %.3f (%s)\n", r_maj / m, rome_majority.c_str());
  return 0;
}


// --- Ranking ------------------------------------------------------------------------------

std::vector<std::vector<std::string>> ReadTsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::size_t start = 0;
    while (true) {
      const std::size_t tab = line.find('\t', start);
      cells.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    rows.push_back(std::move(cells));
  }
  if (!rows.empty()) rows.erase(rows.begin());  // header
  return rows;
}

// TF-IDF cosine between the CV and each offer: lowercased word tokens, IDF over the offers.
class TfIdf {
 public:
  explicit TfIdf(const std::vector<std::string>& offers) {
    for (const auto& o : offers) {
      std::set<std::string> seen;
      for (const auto& w : Words(o)) seen.insert(w);
      for (const auto& w : seen) ++df_[w];
    }
    n_ = static_cast<double>(offers.size());
  }
  double Cosine(std::string_view a, std::string_view b) const {
    const auto va = Vector(a), vb = Vector(b);
    double dot = 0, na = 0, nb = 0;
    for (const auto& [w, x] : va) {
      na += x * x;
      const auto it = vb.find(w);
      if (it != vb.end()) dot += x * it->second;
    }
    for (const auto& [w, y] : vb) nb += y * y;
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0.0;
  }

 private:
  std::map<std::string, double> Vector(std::string_view text) const {
    std::map<std::string, double> tf;
    for (const auto& w : Words(text)) tf[w] += 1;
    for (auto& [w, x] : tf) {
      const auto it = df_.find(w);
      const double df = it == df_.end() ? 0.0 : it->second;
      x *= std::log((1.0 + n_) / (1.0 + df)) + 1.0;
    }
    return tf;
  }
  std::map<std::string, double> df_;
  double n_ = 0;
};

struct RankingMetrics {
  double ndcg = 0, pairwise = 0, gap = 0, abs_gap = 0, must = 0;
  int pairs_ok = 0, pairs = 0;
};

// Metrics of one scorer over all CVs (macro over groups for the contrastive set, as its
// README; NDCG@5 and pooled pairwise accuracy for the broad set).
RankingMetrics Rank(const std::map<std::string, std::map<std::string, int>>& qrels,
                    const std::map<std::string, std::map<std::string, double>>& scores,
                    const std::vector<std::string>& job_order, const std::map<std::string, std::string>& roles, bool hard) {
  RankingMetrics m;
  const std::size_t k = hard ? 3 : 5;
  std::map<std::string, std::size_t> order_of;
  for (std::size_t i = 0; i < job_order.size(); ++i) order_of[job_order[i]] = i;
  int groups = 0;
  for (const auto& [cv, grades] : qrels) {
    const auto& s = scores.at(cv);
    std::vector<std::string> jobs;
    for (const auto& [j, g] : grades) jobs.push_back(j);
    std::sort(jobs.begin(), jobs.end(), [&](const std::string& a, const std::string& b) {
      if (s.at(a) != s.at(b)) return s.at(a) > s.at(b);
      if (hard) return grades.at(a) < grades.at(b);  // ties pessimistic
      return order_of[a] < order_of[b];               // ties by jobs.json order
    });
    double dcg = 0, ideal = 0;
    std::vector<int> ideal_grades;
    for (const auto& [j, g] : grades) ideal_grades.push_back(g);
    std::sort(ideal_grades.rbegin(), ideal_grades.rend());
    for (std::size_t i = 0; i < k && i < jobs.size(); ++i) {
      dcg += (std::pow(2.0, grades.at(jobs[i])) - 1) / std::log2(static_cast<double>(i) + 2.0);
      ideal += (std::pow(2.0, ideal_grades[i]) - 1) / std::log2(static_cast<double>(i) + 2.0);
    }
    m.ndcg += ideal > 0 ? dcg / ideal : 0;
    int ok = 0, total = 0;
    for (const auto& [x, gx] : grades) {
      for (const auto& [y, gy] : grades) {
        if (gx <= gy) continue;
        ++total;
        ok += s.at(x) > s.at(y) ? 1 : 0;
      }
    }
    m.pairs_ok += ok;
    m.pairs += total;
    if (hard) {
      m.pairwise += total ? static_cast<double>(ok) / total : 0;
      std::map<std::string, std::string> by_role;
      for (const auto& [j, g] : grades) by_role[roles.at(j)] = j;
      const double a = s.at(by_role["a"]), b = s.at(by_role["b"]), c = s.at(by_role["c"]);
      m.gap += a - b;
      m.abs_gap += std::abs(a - b);
      m.must += (c < a && c < b) ? 1 : 0;
    }
    ++groups;
  }
  m.ndcg /= groups;
  if (hard) {
    m.pairwise /= groups;
    m.gap /= groups;
    m.abs_gap /= groups;
    m.must /= groups;
  } else {
    m.pairwise = m.pairs ? static_cast<double>(m.pairs_ok) / m.pairs : 0;
  }
  return m;
}

int EvalRanking(const Args& args) {
  if (args.positionals().size() != 2) {
    std::cerr << "usage: jobzen eval ranking DIR [--verbose] [--as-of YYYY-MM-DD]\n";
    return 2;
  }
  const fs::path dir = args.positionals()[1];
  engine::ExtractOptions options;
  options.as_of = {2026, 11};
  if (!ReadAsOf(args, &options.as_of)) return 2;
  const auto taxonomy = LoadTaxonomyOrReport(args);
  if (!taxonomy) return 1;
  const auto jobs_text = ingest::ReadFile((dir / "jobs.json").string());
  const auto qrels_text = ingest::ReadFile((dir / "qrels.tsv").string());
  if (!jobs_text || !qrels_text) {
    std::cerr << "jobzen: " << dir << " lacks jobs.json or qrels.tsv\n";
    return 1;
  }
  const bool hard = fs::exists(dir / "roles.tsv");
  std::map<std::string, std::string> roles;
  if (hard) {
    const auto roles_text = ingest::ReadFile((dir / "roles.tsv").string());
    if (!roles_text) return 1;
    for (const auto& r : ReadTsv(*roles_text)) {
      if (r.size() >= 2) roles[r[0]] = r[1];
    }
  }
  std::map<std::string, engine::JobOffer> offers;
  std::vector<std::string> job_order;
  std::vector<std::string> offer_texts;
  const json::value jobs = json::parse(*jobs_text);
  for (const auto& v : jobs.as_array()) {
    const auto& o = v.as_object();
    engine::JobOffer offer{json::value_to<std::string>(o.at("job_id")), json::value_to<std::string>(o.at("title")),
                           json::value_to<std::string>(o.at("description")), json::value_to<std::string>(o.at("requirements"))};
    job_order.push_back(offer.job_id);
    offer_texts.push_back(offer.title + "\n" + offer.description + "\n" + offer.requirements);
    offers.emplace(offer.job_id, std::move(offer));
  }
  std::map<std::string, std::map<std::string, int>> qrels;
  for (const auto& r : ReadTsv(*qrels_text)) {
    if (r.size() >= 3) qrels[r[0]][r[1]] = std::stoi(r[2]);
  }
  const TfIdf tfidf(offer_texts);
  std::map<std::string, std::map<std::string, double>> ours, baseline;
  const bool verbose = args.Has("--verbose");
  for (const auto& [cv, grades] : qrels) {
    const auto bytes = ingest::ReadFile((dir / "cvs" / (cv + ".txt")).string());
    if (!bytes) {
      std::cerr << "jobzen: " << bytes.error().detail << "\n";
      return 1;
    }
    const auto text = ingest::ReadCvBytes(*bytes);
    if (!text) return 1;
    const engine::Profile profile = engine::ExtractProfile(*taxonomy, text->text, options);
    for (const auto& [job, grade] : grades) {
      const engine::JobOffer& offer = offers.at(job);
      const engine::ScoreResult r = engine::Score(*taxonomy, profile, engine::ParseOffer(*taxonomy, offer), {});
      ours[cv][job] = r.score;
      baseline[cv][job] = tfidf.Cosine(text->text, offer.title + "\n" + offer.description + "\n" + offer.requirements);
      if (verbose && (hard || grade > 0 || r.score >= 40)) {
        std::printf("%s %s grade=%d score=%d %s%s | %s\n", cv.c_str(), job.c_str(), grade, r.score,
                    hard ? ("role=" + roles[job] + " ").c_str() : "", offer.title.c_str(),
                    [&] {
                      std::string g;
                      for (const auto& x : r.gaps) g += x + "; ";
                      return g;
                    }().c_str());
      }
    }
  }
  const RankingMetrics m = Rank(qrels, ours, job_order, roles, hard);
  const RankingMetrics b = Rank(qrels, baseline, job_order, roles, hard);
  std::printf("set %s (%zu CVs, scale 0-100; baseline: TF-IDF cosine 0-1)\n", hard ? "contrastive" : "broad", qrels.size());
  if (hard) {
    std::printf("ndcg_at_3 %.3f\nbaseline_tfidf_ndcg_at_3 %.3f\n", m.ndcg, b.ndcg);
    std::printf("pairwise_accuracy %.3f\nbaseline_tfidf_pairwise_accuracy %.3f\n", m.pairwise, b.pairwise);
    std::printf("cross_language_gap %+.2f\nbaseline_tfidf_cross_language_gap %+.3f\n", m.gap, b.gap);
    std::printf("cross_language_abs_gap %.2f\nbaseline_tfidf_cross_language_abs_gap %.3f\n", m.abs_gap, b.abs_gap);
    std::printf("must_have_respected %.3f\nbaseline_tfidf_must_have_respected %.3f\n", m.must, b.must);
  } else {
    std::printf("ndcg_at_5 %.3f\nbaseline_tfidf_ndcg_at_5 %.3f\n", m.ndcg, b.ndcg);
    std::printf("pairwise_accuracy %.3f (%d/%d)\nbaseline_tfidf_pairwise_accuracy %.3f\n", m.pairwise, m.pairs_ok, m.pairs, b.pairwise);
    // Calibration of the recommendation bands.
    int g3 = 0, g3_ok = 0, g0 = 0, g0_ok = 0;
    for (const auto& [cv, grades] : qrels) {
      for (const auto& [job, grade] : grades) {
        const double s = ours[cv][job];
        if (grade == 3) {
          ++g3;
          g3_ok += s >= 60 ? 1 : 0;
        } else if (grade == 0) {
          ++g0;
          g0_ok += s < 40 ? 1 : 0;
        }
      }
    }
    std::printf("grade3_at_least_60 %.3f (%d/%d)\ngrade0_below_40 %.3f (%d/%d)\n", g3 ? static_cast<double>(g3_ok) / g3 : 0.0, g3_ok, g3,
                g0 ? static_cast<double>(g0_ok) / g0 : 0.0, g0_ok, g0);
  }
  return 0;
}

}  // namespace

int EvalCommand(const Args& args) {
  const auto& pos = args.positionals();
  if (!pos.empty() && pos[0] == "extraction") return EvalExtraction(args);
  if (!pos.empty() && pos[0] == "titles") return EvalTitles(args);
  if (!pos.empty() && pos[0] == "ranking") return EvalRanking(args);
  std::cerr << "usage: jobzen eval extraction DIR | jobzen eval titles [--shared DIR]\n";
  return 2;
}

}  // namespace jobzen::app
