// Runs the real jobzen binary: golden files for `jobzen analyze` on every eval CV, error
// handling, and the extraction quality floors on ../shared/eval (a regression fails CI).
// JOBZEN_UPDATE_GOLDEN=1 rewrites the golden files for review instead of comparing.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

struct Output {
  int status = -1;
  std::string out;
};

// Runs a command line, capturing stdout (stderr goes to a file for the error tests).
Output Exec(const std::string& cmd) {
  Output r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string Binary() { return std::string(JOBZEN_BINARY_DIR) + "/jobzen"; }
std::string EvalDir() { return std::string(JOBZEN_SHARED_DIR) + "/eval"; }

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(CliAnalyze, MatchesGoldenFilesForTheEvalCvs) {
  const bool update = std::getenv("JOBZEN_UPDATE_GOLDEN") != nullptr;
  int compared = 0;
  for (const auto& entry : fs::directory_iterator(EvalDir() + "/cvs")) {
    const std::string id = entry.path().stem().string();
    const Output r = Exec(Binary() + " analyze --as-of 2026-11-30 " + entry.path().string());
    ASSERT_EQ(r.status, 0) << id;
    json::value v = json::parse(r.out);
    // Latency differs from run to run; everything else is deterministic.
    v.at("usage").as_object().erase("latency_ms");
    const std::string got = json::serialize(v) + "\n";
    const fs::path golden = fs::path(JOBZEN_SOURCE_DIR) / "tests/data/golden" / (id + ".expected.json");
    if (update) {
      std::ofstream(golden) << got;
      continue;
    }
    ASSERT_TRUE(fs::exists(golden)) << "missing " << golden << " (run with JOBZEN_UPDATE_GOLDEN=1)";
    EXPECT_EQ(got, ReadAll(golden)) << id << ": output changed; review and regenerate with JOBZEN_UPDATE_GOLDEN=1";
    ++compared;
  }
  if (!update) {
    EXPECT_EQ(compared, 20);
  }
}

TEST(CliAnalyze, PrintsTheAnalyzeResponseShape) {
  const Output r = Exec(Binary() + " analyze --as-of 2026-11-30 --evidence " + EvalDir() + "/cvs/d11.txt");
  ASSERT_EQ(r.status, 0);
  const json::object o = json::parse(r.out).as_object();
  EXPECT_EQ(o.at("cv_input_used"), "cv_text");
  const json::object& p = o.at("profile").as_object();
  for (const char* key : {"skills", "positions", "languages", "salary_range", "sectors", "profile_summary",
                          "experience_years", "seniority", "occupations"}) {
    EXPECT_TRUE(p.contains(key)) << key;
  }
  EXPECT_GT(o.at("usage").at("tokens").as_int64(), 100);
  ASSERT_TRUE(o.contains("evidence"));
  ASSERT_TRUE(o.contains("parse_quality"));
  // Evidence offsets are character offsets into the text.
  const std::string text = ReadAll(EvalDir() + "/cvs/d11.txt");
  std::u32string chars;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    chars.push_back(c);
    i += len;
  }
  for (const auto& e : o.at("evidence").as_array()) {
    EXPECT_LE(e.at("end").as_int64(), static_cast<std::int64_t>(chars.size()));
    EXPECT_LT(e.at("start").as_int64(), e.at("end").as_int64());
  }
}

TEST(CliAnalyze, RejectsBadArgumentsAndUnreadableFiles) {
  EXPECT_EQ(Exec(Binary() + " analyze 2>/dev/null").status, 2);
  EXPECT_EQ(Exec(Binary() + " analyze --as-of 2026-02-30 " + EvalDir() + "/cvs/d01.txt 2>/dev/null").status, 2);
  EXPECT_EQ(Exec(Binary() + " analyze --lang de " + EvalDir() + "/cvs/d01.txt 2>/dev/null").status, 2);
  EXPECT_EQ(Exec(Binary() + " analyze /nonexistent.txt 2>/dev/null").status, 1);
  EXPECT_EQ(Exec(Binary() + " match --cv " + EvalDir() + "/cvs/d01.txt --jobs " + EvalDir() + "/jobs.json --threads many 2>/dev/null").status, 2);
  // A truncated PDF gives the API's cv_unreadable problem on stderr.
  const fs::path bad = fs::temp_directory_path() / "jobzen_cli_bad.pdf";
  std::ofstream(bad) << "%PDF-1.4\n1 0 obj << /Type /Catalog >>\n";
  const Output r = Exec(Binary() + " analyze " + bad.string() + " 2>&1 >/dev/null");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("cv_unreadable"), std::string::npos) << r.out;
  fs::remove(bad);
}

std::map<std::string, double> Metrics(const std::string& out) {
  std::map<std::string, double> m;
  std::istringstream in(out);
  std::string key;
  double value;
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    if (ls >> key >> value) m[key] = value;
  }
  return m;
}

// Quality floors on ../shared/eval, slightly below the measured figures (see the issue notes):
// a change that makes extraction worse fails here.
TEST(EvalFloors, ExtractionOnTheSharedEvalSet) {
  const Output r = Exec(Binary() + " eval extraction " + EvalDir());
  ASSERT_EQ(r.status, 0) << r.out;
  const auto m = Metrics(r.out);
  EXPECT_EQ(m.at("cvs"), 20);
  EXPECT_GE(m.at("skills_f1"), 0.80) << r.out;
  EXPECT_GE(m.at("languages_set_accuracy"), 0.95) << r.out;
  EXPECT_GE(m.at("years_within_1"), 0.85) << r.out;
  EXPECT_GE(m.at("salary_exact_when_stated"), 0.90) << r.out;
  EXPECT_GE(m.at("salary_exact"), 0.90) << r.out;
}

// Ranking floors (issue 3), slightly below the figures measured when they were set.
TEST(EvalFloors, RankingOnTheContrastiveSet) {
  const Output r = Exec(Binary() + " eval ranking " + std::string(JOBZEN_SHARED_DIR) + "/eval-hard");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto m = Metrics(r.out);
  EXPECT_GE(m.at("ndcg_at_3"), 0.95) << r.out;
  EXPECT_GE(m.at("pairwise_accuracy"), 0.90) << r.out;
  EXPECT_GE(m.at("must_have_respected"), 0.93) << r.out;
  EXPECT_LE(m.at("cross_language_abs_gap"), 8.0) << r.out;
  // The engine must beat the lexical baseline computed in the same run.
  EXPECT_GT(m.at("ndcg_at_3"), m.at("baseline_tfidf_ndcg_at_3") + 0.2) << r.out;
}

TEST(EvalFloors, RankingAndCalibrationOnTheBroadSet) {
  const Output r = Exec(Binary() + " eval ranking " + EvalDir());
  ASSERT_EQ(r.status, 0) << r.out;
  const auto m = Metrics(r.out);
  EXPECT_GE(m.at("ndcg_at_5"), 0.93) << r.out;
  EXPECT_GE(m.at("pairwise_accuracy"), 0.90) << r.out;
  EXPECT_GE(m.at("grade3_at_least_60"), 0.95) << r.out;
  EXPECT_GE(m.at("grade0_below_40"), 0.88) << r.out;
}

}  // namespace
