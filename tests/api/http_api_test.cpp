// The HTTP API end to end: the real `jobzen serve` on an ephemeral 127.0.0.1 port with a real
// SQLite database in a temporary directory, spoken to over real sockets. Replays every example
// of the integration guide (../shared/spec/api-guide.fr.txt, host replaced) and every error
// path: keys, tiers, quotas, rate limits, malformed bodies, limits, dates, cv_url, privacy,
// concurrency of quota accounting, slow clients and graceful shutdown.
#include <gtest/gtest.h>

#include <signal.h>

#include <boost/json.hpp>

#include <atomic>
#include <barrier>
#include <map>
#include <regex>
#include <thread>

#include "api/service.hpp"
#include "browser.hpp"
#include "store/store.hpp"
#include "test_support.hpp"
#include "tls_test_server.hpp"

namespace {

namespace json = boost::json;
using namespace jobzen::testing;

// One server per test process (ctest runs each test case in its own process), started lazily.
struct Env {
  TempDir dir;
  ServerProcess server{dir.path()};
  CreatedKey standard = CreatePartner(server.dsn(), "Guide Standard", "standard", {"--sandbox"});
  int port() const { return server.port(); }
};

Env& Shared() {
  static Env env;
  return env;
}

json::object Json(const Response& r) {
  json::value v = json::parse(r.body);
  return v.as_object();
}

// Every response: X-Request-Id and the RateLimit-* headers.
void ExpectCommonHeaders(const Response& r) {
  EXPECT_FALSE(r.Header("X-Request-Id").empty());
  EXPECT_FALSE(r.Header("RateLimit-Limit").empty());
  EXPECT_FALSE(r.Header("RateLimit-Remaining").empty());
  EXPECT_FALSE(r.Header("RateLimit-Reset").empty());
}

// An RFC 9457 problem with the given status and code.
json::object ExpectProblem(const Response& r, int status, const std::string& code) {
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << r.body;
  ExpectCommonHeaders(r);
  json::object o = Json(r);
  EXPECT_EQ(o.at("type").as_string(), "https://docs.jobzen.io/errors/" + code);
  EXPECT_EQ(o.at("code").as_string(), code);
  EXPECT_EQ(o.at("status").as_int64(), status);
  EXPECT_TRUE(o.at("title").is_string());
  EXPECT_TRUE(o.at("detail").is_string());
  EXPECT_TRUE(o.at("errors").is_array());
  return o;
}

bool HasFieldError(const json::object& problem, const std::string& field) {
  for (const auto& e : problem.at("errors").as_array()) {
    if (e.at("field").as_string() == field) return true;
  }
  return false;
}

std::string Fixture(const std::string& name) { return ReadFile(std::string(JOBZEN_BINARY_DIR) + "/fixtures/" + name); }

// --- The guide's examples, verbatim (host replaced) ---------------------------------------

constexpr const char* kGuideMatch = R"({
"cv_text": "Alice Martin, 5 ans Python, FastAPI, PostgreSQL...",
"job_listings": [
{ "job_id": "job_001", "title": "Backend Engineer", "description": "Python, FastAPI, PostgreSQL requis..." },
{ "job_id": "job_002", "title": "Data Engineer", "description": "Python, Spark, Airflow..." }
],
"options": { "explain": true }
})";

constexpr const char* kGuideFastMatch = R"({
"candidate_ref": "YOUR_CANDIDATE_ID",
"job_listings": [
{ "job_id": "job_001", "title": "Backend Engineer", "description": "Python, FastAPI..." }
]
})";

constexpr const char* kGuideScore = R"({
"profile_json": { "skills": ["Python", "FastAPI"], "positions": ["Backend Engineer"] },
"job": {
"title": "Lead Backend Engineer",
"description": "Python 5y+, Kubernetes, architecture microservices...",
"requirements": "Python expert, Kubernetes, CI/CD"
},
"options": { "structured": true }
})";

constexpr const char* kGuideFastScore = R"({
"candidate_ref": "YOUR_CANDIDATE_ID",
"job": {
"title": "Lead Backend Engineer",
"description": "Python 5y+, Kubernetes, architecture microservices...",
"requirements": "Python expert, Kubernetes, CI/CD"
},
"options": { "structured": true }
})";

TEST(GuideExamples, MatchWithExplain) {
  Env& env = Shared();
  const Response r = PostJson(env.port(), "/api/v1/match", env.standard.key, kGuideMatch);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  ExpectCommonHeaders(r);
  const json::object o = Json(r);
  EXPECT_EQ(o.at("cv_input_used").as_string(), "cv_text");
  EXPECT_FALSE(o.contains("candidate_ref"));
  const json::array& matches = o.at("matches").as_array();
  ASSERT_EQ(matches.size(), 2u);
  std::int64_t previous = 101;
  for (const auto& m : matches) {
    const json::object& mo = m.as_object();
    EXPECT_TRUE(mo.at("job_id").is_string());
    EXPECT_TRUE(mo.at("title").is_string());
    const std::int64_t score = mo.at("score").as_int64();
    EXPECT_GE(score, 0);
    EXPECT_LE(score, 100);
    EXPECT_LE(score, previous) << "sorted best first";
    previous = score;
    EXPECT_TRUE(mo.at("strengths").is_array());
    EXPECT_TRUE(mo.at("gaps").is_array());
  }
  EXPECT_EQ(matches[0].at("job_id").as_string(), "job_001");
  EXPECT_GT(o.at("usage").at("tokens").as_int64(), 0);
  EXPECT_TRUE(o.at("usage").at("latency_ms").is_number());
}

TEST(GuideExamples, MatchWithoutExplainHasNoStrengths) {
  Env& env = Shared();
  std::string body = kGuideMatch;
  body.replace(body.find("\"explain\": true"), 15, "\"explain\": false");
  const Response r = PostJson(env.port(), "/api/v1/match", env.standard.key, body);
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object o = Json(r);
  for (const auto& m : o.at("matches").as_array()) EXPECT_FALSE(m.as_object().contains("strengths"));
}

// The guide's fast path, verbatim: 404 until YOUR_CANDIDATE_ID is linked; then the profile
// check, /match and /score with candidate_ref alone use the stored profile (no tokens).
TEST(GuideExamples, FastPathWithALinkedCandidate) {
  Env& env = Shared();
  const Response r = PostJson(env.port(), "/api/v1/match", env.standard.key, kGuideFastMatch);
  const json::object p = ExpectProblem(r, 404, "candidate_not_found");
  EXPECT_TRUE(HasFieldError(p, "candidate_ref"));
  const Response s = PostJson(env.port(), "/api/v1/score", env.standard.key, kGuideFastScore);
  ExpectProblem(s, 404, "candidate_not_found");

  // The candidate links through the invitation page with a pasted CV.
  const Response invited =
      PostJson(env.port(), "/api/v1/invitations", env.standard.key, R"({"candidate_ref": "YOUR_CANDIDATE_ID"})");
  ASSERT_EQ(invited.status, 201) << invited.body;
  const std::string code(Json(invited).at("code").as_string());
  jobzen::testing::Browser browser{env.port(), {}, {}};
  ASSERT_EQ(browser.Get("/invite/" + code + "?lang=fr").status, 200);
  const std::string action = "/invite/" + code + "?lang=fr";
  const Response linked = browser.Post(
      action, jobzen::testing::kMultipartType,
      jobzen::testing::Multipart({{"csrf", browser.tokens[action], ""},
                                  {"consent", "yes", ""},
                                  {"cv_text", "Développeur Full Stack depuis 2019 : Python, FastAPI, React, PostgreSQL.", ""}}));
  ASSERT_EQ(linked.status, 303) << linked.body.substr(0, 300);

  const Response profile = GetWithKey(env.port(), "/api/v1/candidates/YOUR_CANDIDATE_ID/profile", env.standard.key);
  ASSERT_EQ(profile.status, 200) << profile.body;
  ExpectCommonHeaders(profile);
  const json::object po = Json(profile);
  EXPECT_EQ(po.at("ref").as_string(), "YOUR_CANDIDATE_ID");
  EXPECT_TRUE(po.at("active").as_bool());
  EXPECT_TRUE(po.at("has_profile").as_bool());
  EXPECT_TRUE(po.at("linked_at").is_string());
  const json::object& stored = po.at("profile").as_object();
  bool has_python = false;
  for (const auto& skill : stored.at("skills").as_array()) has_python |= skill.as_string() == "Python";
  EXPECT_TRUE(has_python);
  EXPECT_TRUE(stored.at("relevant_job_titles").is_array());
  EXPECT_FALSE(stored.at("profile_summary").as_string().empty());

  const Response fast = PostJson(env.port(), "/api/v1/match", env.standard.key, kGuideFastMatch);
  ASSERT_EQ(fast.status, 200) << fast.body;
  const json::object m = Json(fast);
  EXPECT_EQ(m.at("cv_input_used").as_string(), "stored_profile");
  EXPECT_EQ(m.at("usage").at("tokens").as_int64(), 0);
  EXPECT_EQ(m.at("matches").at(0).at("job_id").as_string(), "job_001");
  EXPECT_GE(m.at("matches").at(0).at("score").as_int64(), 60) << "a Python/FastAPI profile for a Python/FastAPI offer";

  const Response score = PostJson(env.port(), "/api/v1/score", env.standard.key, kGuideFastScore);
  ASSERT_EQ(score.status, 200) << score.body;
  const json::object so = Json(score);
  EXPECT_EQ(so.at("usage").at("tokens").as_int64(), 0);
  EXPECT_TRUE(so.contains("breakdown"));
  EXPECT_TRUE(so.at("recommendation").is_string());
}

TEST(GuideExamples, AnalyzePdfBase64WithCandidateRef) {
  Env& env = Shared();
  const std::string pdf = Fixture("cv_en_one_column.pdf");
  ASSERT_FALSE(pdf.empty()) << "fixture missing: build the jobzen_fixtures target";
  const std::string body = "{\n\"cv_pdf_base64\": \"" + Base64(pdf) + "\",\n\"candidate_ref\": \"cand_42\"\n}";
  // The guide's text spelling of the header.
  const Response r = Http(env.port(), "POST", "/api/v1/analyze",
                          {{"X-JobZen.io-Key", env.standard.key}, {"Content-Type", "application/json"}}, body);
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object o = Json(r);
  EXPECT_EQ(o.at("cv_input_used").as_string(), "cv_pdf_base64");
  EXPECT_EQ(o.at("candidate_ref").as_string(), "cand_42");
  const json::object& p = o.at("profile").as_object();
  for (const char* key : {"skills", "positions", "languages", "salary_range", "sectors", "profile_summary",
                          "experience_years", "seniority", "occupations"}) {
    EXPECT_TRUE(p.contains(key)) << key;
  }
  EXPECT_FALSE(p.at("skills").as_array().empty());
  EXPECT_GT(o.at("usage").at("tokens").as_int64(), 0);
}

TEST(GuideExamples, AnalyzeEvidenceAddsOffsetsAndParseQuality) {
  Env& env = Shared();
  const Response r = PostJson(env.port(), "/api/v1/analyze", env.standard.key,
                              R"({"cv_text": "Backend engineer, 6 years of Python and PostgreSQL.", "options": {"evidence": true, "lang": "fr"}})");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object o = Json(r);
  EXPECT_TRUE(o.at("evidence").is_array());
  EXPECT_TRUE(o.at("parse_quality").is_object());
}

TEST(GuideExamples, ScoreWithProfileJsonStructured) {
  Env& env = Shared();
  const Response r = PostJson(env.port(), "/api/v1/score", env.standard.key, kGuideScore);
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object o = Json(r);
  const std::int64_t score = o.at("score").as_int64();
  EXPECT_GE(score, 0);
  EXPECT_LE(score, 100);
  EXPECT_TRUE(o.at("strengths").is_array());
  EXPECT_TRUE(o.at("gaps").is_array());
  const std::string rec(o.at("recommendation").as_string());
  const std::string expected = score >= 80 ? "strong_match" : score >= 60 ? "match_with_gaps" : score >= 40 ? "partial_match" : "no_match";
  EXPECT_EQ(rec, expected);
  for (const char* k : {"skills", "experience", "title", "languages"}) EXPECT_TRUE(o.at("breakdown").at(k).is_int64()) << k;
  EXPECT_TRUE(o.at("matched_skills").is_array());
  EXPECT_TRUE(o.at("missing_skills").is_array());
  EXPECT_EQ(o.at("usage").at("tokens").as_int64(), 0) << "profile_json is the fast path";
}

TEST(GuideExamples, StatusAndUsage) {
  Env& env = Shared();
  ASSERT_EQ(PostJson(env.port(), "/api/v1/score", env.standard.key, kGuideScore).status, 200);
  const Response s = GetWithKey(env.port(), "/api/v1/status", env.standard.key);
  ASSERT_EQ(s.status, 200) << s.body;
  ExpectCommonHeaders(s);
  const json::object st = Json(s);
  EXPECT_EQ(st.at("partner").as_string(), "Guide Standard");
  EXPECT_EQ(st.at("tier").as_string(), "standard");
  EXPECT_TRUE(st.at("sandbox").as_bool());
  EXPECT_EQ(st.at("quota_total").as_int64(), 1000) << "sandbox default quota";
  EXPECT_GE(st.at("quota_used").as_int64(), 1);
  EXPECT_EQ(st.at("quota_remaining").as_int64(), st.at("quota_total").as_int64() - st.at("quota_used").as_int64());
  const std::string reset(st.at("reset_at").as_string());
  EXPECT_EQ(reset.size(), 20u);
  EXPECT_EQ(reset.substr(7), "-01T00:00:00Z");

  const Response u = GetWithKey(env.port(), "/api/v1/usage", env.standard.key);
  ASSERT_EQ(u.status, 200) << u.body;
  const json::object uo = Json(u);
  const json::array& days = uo.at("days").as_array();
  ASSERT_EQ(days.size(), 30u) << "default: the last 30 days";
  EXPECT_EQ(days.back().at("date").as_string(), uo.at("to").as_string());
  EXPECT_GE(days.back().at("by_endpoint").at("score").as_int64(), 1);
  EXPECT_GE(uo.at("total_calls").as_int64(), 2);

  const std::string today(uo.at("to").as_string());
  const Response one = GetWithKey(env.port(), "/api/v1/usage?from=" + today + "&to=" + today, env.standard.key);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(Json(one).at("days").as_array().size(), 1u);
}

// --- Keys, tiers, quotas, rate limits ------------------------------------------------------

TEST(Auth, MissingKey) {
  const Response r = Http(Shared().port(), "GET", "/api/v1/status");
  ExpectProblem(r, 401, "missing_api_key");
}

TEST(Auth, BadKey) {
  Env& env = Shared();
  ExpectProblem(GetWithKey(env.port(), "/api/v1/status", "SBX_00000000000000000000000000000000"), 401, "invalid_api_key");
  ExpectProblem(GetWithKey(env.port(), "/api/v1/status", "not a key"), 401, "invalid_api_key");
  ExpectProblem(PostJson(env.port(), "/api/v1/match", "LIVE_abc", kGuideMatch), 401, "invalid_api_key");
}

TEST(Auth, RevokedKeyStopsWorking) {
  Env& env = Shared();
  const CreatedKey k = CreatePartner(env.server.dsn(), "To Revoke", "basic");
  EXPECT_EQ(k.key.rfind("LIVE_", 0), 0u);
  EXPECT_EQ(k.key.size(), 37u);
  ASSERT_EQ(GetWithKey(env.port(), "/api/v1/status", k.key).status, 200);
  ASSERT_EQ(RunJobzen({"key", "revoke", std::to_string(k.key_id), "--db", env.server.dsn()}), 0);
  // Valid keys are cached for --auth-cache-ms (1 s by default).
  int status = 0;
  for (int i = 0; i < 40 && status != 401; ++i) {
    status = GetWithKey(env.port(), "/api/v1/status", k.key).status;
    if (status != 401) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ExpectProblem(GetWithKey(env.port(), "/api/v1/status", k.key), 401, "invalid_api_key");
}

TEST(Auth, TierTooLowNamesTheRequiredTier) {
  Env& env = Shared();
  const CreatedKey basic = CreatePartner(env.server.dsn(), "Basic Co", "basic", {"--sandbox"});
  EXPECT_EQ(basic.key.rfind("SBX_", 0), 0u);
  EXPECT_EQ(basic.key.size(), 36u);
  const Response r = PostJson(env.port(), "/api/v1/analyze", basic.key, R"({"cv_text": "Python developer"})");
  const json::object p = ExpectProblem(r, 403, "plan_insufficient");
  EXPECT_EQ(p.at("required_tier").as_string(), "standard");
  EXPECT_NE(std::string(p.at("detail").as_string()).find("standard"), std::string::npos);
  EXPECT_EQ(PostJson(env.port(), "/api/v1/match", basic.key, kGuideMatch).status, 200) << "match is basic+";
  EXPECT_EQ(PostJson(env.port(), "/api/v1/score", basic.key, kGuideScore).status, 200) << "score is basic+";
}

TEST(Quota, ExhaustedQuotaAnswers429WithResetAtAndFailuresAreFree) {
  Env& env = Shared();
  const CreatedKey k = CreatePartner(env.server.dsn(), "Small Quota", "basic", {"--quota", "2"});
  EXPECT_EQ(PostJson(env.port(), "/api/v1/score", k.key, kGuideScore).status, 200);
  // A failed call (422) consumes no quota; status and usage are free.
  EXPECT_EQ(PostJson(env.port(), "/api/v1/score", k.key, R"({"job": {"title": "x", "description": "y"}})").status, 422);
  EXPECT_EQ(PostJson(env.port(), "/api/v1/score", k.key, R"({"cv_pdf_base64": "JVBERi0xLjQKZ2FyYmFnZQ==", "job": {"title": "x", "description": "y"}})").status, 422);
  EXPECT_EQ(GetWithKey(env.port(), "/api/v1/status", k.key).status, 200);
  EXPECT_EQ(GetWithKey(env.port(), "/api/v1/usage", k.key).status, 200);
  EXPECT_EQ(Json(GetWithKey(env.port(), "/api/v1/status", k.key)).at("quota_used").as_int64(), 1);
  EXPECT_EQ(PostJson(env.port(), "/api/v1/score", k.key, kGuideScore).status, 200);
  const Response r = PostJson(env.port(), "/api/v1/score", k.key, kGuideScore);
  const json::object p = ExpectProblem(r, 429, "quota_exceeded");
  EXPECT_EQ(std::string(p.at("reset_at").as_string()).substr(7), "-01T00:00:00Z");
  const json::object st = Json(GetWithKey(env.port(), "/api/v1/status", k.key));
  EXPECT_EQ(st.at("quota_used").as_int64(), 2);
  EXPECT_EQ(st.at("quota_remaining").as_int64(), 0);
  EXPECT_NE(Http(env.port(), "GET", "/metrics").body.find("jobzen_quota_rejections_total "), std::string::npos);
}

TEST(RateLimit, BurstThenRateLimitedWithRetryAfter) {
  Env& env = Shared();
  const CreatedKey k = CreatePartner(env.server.dsn(), "Busy", "basic");
  Connection c(env.port());
  int ok = 0;
  Response limited;
  for (int i = 0; i < 60; ++i) {
    Response r = c.Request("GET", "/api/v1/status", {{"X-JobZen-Key", k.key}});
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.Header("RateLimit-Limit"), "40");
    if (r.status == 200) {
      ++ok;
    } else {
      limited = std::move(r);
      break;
    }
  }
  EXPECT_GE(ok, 40) << "burst of 40";
  const json::object p = ExpectProblem(limited, 429, "rate_limited");
  EXPECT_GE(std::stoi(limited.Header("Retry-After")), 1);
  EXPECT_EQ(limited.Header("RateLimit-Remaining"), "0");
  const std::string metrics = Http(env.port(), "GET", "/metrics").body;
  EXPECT_EQ(metrics.find("jobzen_rate_limit_rejections_total 0\n"), std::string::npos);
}

// --- Malformed requests and limits ---------------------------------------------------------

TEST(Errors, MalformedJson) {
  Env& env = Shared();
  ExpectProblem(PostJson(env.port(), "/api/v1/match", env.standard.key, R"({"cv_text": "x", )"), 400, "invalid_json");
  ExpectProblem(PostJson(env.port(), "/api/v1/score", env.standard.key, "[1, 2]"), 422, "validation_failed");
}

TEST(Errors, WrongContentType) {
  Env& env = Shared();
  const Response r = Http(env.port(), "POST", "/api/v1/match",
                          {{"X-JobZen-Key", env.standard.key}, {"Content-Type", "application/x-www-form-urlencoded"}},
                          kGuideMatch);
  ExpectProblem(r, 415, "unsupported_media_type");
}

TEST(Errors, MissingCv) {
  Env& env = Shared();
  const Response r = PostJson(env.port(), "/api/v1/match", env.standard.key,
                              R"({"job_listings": [{"job_id": "a", "title": "Dev", "description": "Python"}]})");
  ExpectProblem(r, 422, "cv_missing");
}

TEST(Errors, ValidationNamesFieldPaths) {
  Env& env = Shared();
  const Response r = PostJson(env.port(), "/api/v1/match", env.standard.key, R"({
    "cv_text": "Python developer",
    "job_listings": [{"job_id": "a", "title": "Dev", "description": "Python"},
                     {"job_id": "b", "description": "Go"},
                     {"job_id": "c", "title": 3, "description": "Go"},
                     "oops"],
    "options": {"explain": "yes", "lang": "de"}})");
  const json::object p = ExpectProblem(r, 422, "validation_failed");
  for (const char* f : {"job_listings[1].title", "job_listings[2].title", "job_listings[3]", "options.explain", "options.lang"}) {
    EXPECT_TRUE(HasFieldError(p, f)) << f << " in " << r.body;
  }
  const Response s = PostJson(env.port(), "/api/v1/score", env.standard.key,
                              R"({"profile_json": {"skills": ["Python", 4]}, "job": {"title": "Dev", "description": "Python"}})");
  EXPECT_TRUE(HasFieldError(ExpectProblem(s, 422, "validation_failed"), "profile_json.skills[1]")) << s.body;
  const Response a = PostJson(env.port(), "/api/v1/analyze", env.standard.key, R"({"profile_json": {"skills": ["Python"]}})");
  EXPECT_TRUE(HasFieldError(ExpectProblem(a, 422, "validation_failed"), "profile_json"));
}

TEST(Errors, BadDates) {
  Env& env = Shared();
  for (const char* date : {"2026-02-30", "2026-13-01", "26-01-01", "yesterday", "2025-02-29"}) {
    const std::string body = std::string(R"({"cv_text": "Python developer since 2019", "options": {"as_of": ")") + date + "\"}}";
    const Response r = PostJson(env.port(), "/api/v1/analyze", env.standard.key, body);
    EXPECT_TRUE(HasFieldError(ExpectProblem(r, 422, "validation_failed"), "options.as_of")) << date;
  }
  EXPECT_EQ(PostJson(env.port(), "/api/v1/analyze", env.standard.key,
                     R"({"cv_text": "Python developer since 2019", "options": {"as_of": "2024-02-29"}})").status, 200);
  ExpectProblem(GetWithKey(env.port(), "/api/v1/usage?from=2026-13-01", env.standard.key), 422, "validation_failed");
  ExpectProblem(GetWithKey(env.port(), "/api/v1/usage?from=2026-03-02&to=2026-03-01", env.standard.key), 422, "validation_failed");
  ExpectProblem(GetWithKey(env.port(), "/api/v1/usage?from=2024-01-01&to=2026-01-01", env.standard.key), 422, "validation_failed");
}

TEST(Errors, OversizeBody) {
  Env& env = Shared();
  const std::string big(15 * 1024 * 1024 + 1, 'a');
  const Response r = PostJson(env.port(), "/api/v1/match", env.standard.key, big);
  ExpectProblem(r, 413, "payload_too_large");
  // cv_text over 200 KB.
  const std::string text = R"({"cv_text": ")" + std::string(200 * 1024 + 1, 'x') + R"(", "job_listings": [{"job_id": "a", "title": "Dev", "description": "Python"}]})";
  EXPECT_TRUE(HasFieldError(ExpectProblem(PostJson(env.port(), "/api/v1/match", env.standard.key, text), 413, "payload_too_large"), "cv_text"));
}

TEST(Errors, ListingAndDescriptionLimits) {
  Env& env = Shared();
  std::string many = R"({"cv_text": "Python", "job_listings": [)";
  for (int i = 0; i < 1001; ++i) many += std::string(i ? "," : "") + R"({"job_id": "j", "title": "t", "description": "d"})";
  many += "]}";
  EXPECT_TRUE(HasFieldError(ExpectProblem(PostJson(env.port(), "/api/v1/match", env.standard.key, many), 422, "validation_failed"), "job_listings"));
  const std::string long_desc = R"({"cv_text": "Python", "job_listings": [{"job_id": "a", "title": "t", "description": "d"}, {"job_id": "b", "title": "t", "description": ")" +
                                std::string(20001, 'd') + R"("}]})";
  EXPECT_TRUE(HasFieldError(ExpectProblem(PostJson(env.port(), "/api/v1/match", env.standard.key, long_desc), 422, "validation_failed"),
                            "job_listings[1].description"));
}

TEST(Errors, UnreadablePdf) {
  Env& env = Shared();
  const std::string garbage = Base64("%PDF-1.4\nthis is not really a PDF\n%%EOF\n");
  ExpectProblem(PostJson(env.port(), "/api/v1/analyze", env.standard.key, R"({"cv_pdf_base64": ")" + garbage + "\"}"), 422, "cv_unreadable");
  const std::string scan = Base64(Fixture("image_only.pdf"));
  ASSERT_FALSE(scan.empty());
  ExpectProblem(PostJson(env.port(), "/api/v1/analyze", env.standard.key, R"({"cv_pdf_base64": ")" + scan + "\"}"), 422, "cv_unreadable");
  ExpectProblem(PostJson(env.port(), "/api/v1/analyze", env.standard.key, R"({"cv_pdf_base64": "@@@not base64@@@"})"), 422, "validation_failed");
}

TEST(Errors, PrivateCvUrlRefused) {
  Env& env = Shared();
  for (const char* url : {"https://127.0.0.1/cv.pdf", "https://localhost:8443/cv.pdf", "https://[::1]/cv.pdf",
                          "https://169.254.169.254/latest/meta-data", "https://10.1.2.3/cv.pdf", "https://[::ffff:192.168.1.1]/cv",
                          "http://example.com/cv.pdf", "ftp://example.com/cv.pdf", "https://user:pass@example.com/cv.pdf"}) {
    const Response r = PostJson(env.port(), "/api/v1/analyze", env.standard.key, std::string(R"({"cv_url": ")") + url + "\"}");
    EXPECT_TRUE(HasFieldError(ExpectProblem(r, 422, "cv_url_forbidden"), "cv_url")) << url;
  }
}

TEST(Errors, UnknownRoutesAndMethods) {
  Env& env = Shared();
  ExpectProblem(PostJson(env.port(), "/api/v1/coach", env.standard.key, kGuideMatch), 404, "not_found");
  ExpectProblem(Http(env.port(), "GET", "/nope"), 404, "not_found");
  const Response r = GetWithKey(env.port(), "/api/v1/match", env.standard.key);
  ExpectProblem(r, 405, "method_not_allowed");
  EXPECT_EQ(r.Header("Allow"), "POST");
}

TEST(Http, RequestIdIsEchoedWhenSaneElseGenerated) {
  Env& env = Shared();
  EXPECT_EQ(Http(env.port(), "GET", "/healthz", {{"X-Request-Id", "abc-123_x.y"}}).Header("X-Request-Id"), "abc-123_x.y");
  const std::string bad = Http(env.port(), "GET", "/healthz", {{"X-Request-Id", "<script>"}}).Header("X-Request-Id");
  EXPECT_NE(bad, "<script>");
  EXPECT_EQ(bad.size(), 32u);
  EXPECT_EQ(Http(env.port(), "GET", "/healthz").Header("X-Request-Id").size(), 32u);
}

TEST(Http, KeepAliveServesManyRequestsOnOneConnection) {
  Env& env = Shared();
  Connection c(env.port());
  for (int i = 0; i < 5; ++i) {
    const Response r = c.Request("POST", "/api/v1/score", {{"X-JobZen-Key", env.standard.key}, {"Content-Type", "application/json"}}, kGuideScore);
    EXPECT_EQ(r.status, 200);
  }
}

TEST(Ops, HealthReadyMetricsOpenApi) {
  Env& env = Shared();
  EXPECT_EQ(Http(env.port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(Http(env.port(), "GET", "/readyz").status, 200);
  ASSERT_EQ(GetWithKey(env.port(), "/api/v1/status", env.standard.key).status, 200);
  const Response m = Http(env.port(), "GET", "/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("jobzen_requests_total{endpoint=\"status\",status=\"200\"}"), std::string::npos);
  EXPECT_NE(m.body.find("jobzen_request_duration_seconds_bucket{endpoint=\"status\",le=\"+Inf\"}"), std::string::npos);
  EXPECT_NE(m.body.find("jobzen_rate_limit_rejections_total"), std::string::npos);
  EXPECT_NE(m.body.find("jobzen_quota_rejections_total"), std::string::npos);
}

TEST(Ops, OpenApiDescribesEveryRoute) {
  Env& env = Shared();
  const Response r = Http(env.port(), "GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  const json::object doc = Json(r);
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  // Routes write a path parameter as "{}", the document names it ("{ref}").
  std::map<std::string, const json::object*> paths;
  for (const auto& [name, item] : doc.at("paths").as_object()) {
    paths[std::regex_replace(std::string(name), std::regex(R"(\{[a-z_]+\})"), "{}")] = &item.as_object();
  }
  for (const auto& [method, path] : jobzen::api::Service::Routes()) {
    std::string m = method;
    for (auto& ch : m) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    ASSERT_TRUE(paths.contains(path)) << path;
    const json::object& item = *paths.at(path);
    ASSERT_TRUE(item.contains(m)) << method << " " << path;
    const json::object& responses = item.at(m).at("responses").as_object();
    // A success: 200, 201, or the candidate pages' 303 after a form post.
    EXPECT_TRUE(responses.contains("200") || responses.contains("201") || responses.contains("303")) << path;
  }
}

// --- Dedicated servers ---------------------------------------------------------------------

TEST(Quota, ConcurrentCallsNeverOverspend) {
  TempDir dir;
  ServerProcess server(dir.path(), {"--rate-limit", "100000", "--rate-burst", "100000", "--no-access-log"});
  const CreatedKey k = CreatePartner(server.dsn(), "Race", "basic", {"--quota", "100"});
  constexpr int kCalls = 200;
  std::atomic<int> ok{0}, exceeded{0}, other{0};
  std::barrier start(kCalls);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&] {
      Connection c(server.port());
      start.arrive_and_wait();
      const Response r = c.Request("POST", "/api/v1/score", {{"X-JobZen-Key", k.key}, {"Content-Type", "application/json"}}, kGuideScore);
      if (r.status == 200) {
        ++ok;
      } else if (r.status == 429 && r.body.find("quota_exceeded") != std::string::npos) {
        ++exceeded;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 100);
  EXPECT_EQ(exceeded.load(), 100);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Json(GetWithKey(server.port(), "/api/v1/status", k.key)).at("quota_used").as_int64(), 100);
}

TEST(Privacy, CvContentNeverReachesDiskLogsOrErrors) {
  TempDir dir;
  ServerProcess server(dir.path());
  const CreatedKey k = CreatePartner(server.dsn(), "Privacy", "standard", {"--sandbox"});
  const std::string marker = "ZQXV7MARKER9931";
  const std::string cv = "Jean Dupont " + marker + " - Python developer, PostgreSQL, 6 years. " + marker + "@example.com";
  std::vector<Response> responses;
  responses.push_back(PostJson(server.port(), "/api/v1/analyze", k.key, R"({"cv_text": ")" + cv + R"(", "candidate_ref": "c1"})"));
  responses.push_back(PostJson(server.port(), "/api/v1/match", k.key, R"({"cv_text": ")" + cv + R"(", "job_listings": [{"job_id": "j", "title": "Dev", "description": "Python )" + marker + R"("}]})"));
  responses.push_back(PostJson(server.port(), "/api/v1/score", k.key, R"({"cv_text": ")" + cv + R"(", "job": {"title": "Dev", "description": "Python"}, "options": {"as_of": "bad"}})"));
  responses.push_back(PostJson(server.port(), "/api/v1/analyze", k.key, R"({"cv_text": ")" + cv + R"(", )"));  // invalid JSON
  responses.push_back(PostJson(server.port(), "/api/v1/analyze", k.key, R"({"cv_pdf_base64": ")" + Base64("%PDF-1.4 " + marker) + "\"}"));
  responses.push_back(PostJson(server.port(), "/api/v1/analyze", k.key, R"({"cv_url": "https://127.0.0.1/)" + marker + "\"}"));
  ASSERT_EQ(responses[0].status, 200);
  ASSERT_EQ(responses[1].status, 200);
  for (std::size_t i = 2; i < responses.size(); ++i) {
    EXPECT_GE(responses[i].status, 400);
    EXPECT_EQ(responses[i].body.find(marker), std::string::npos) << "error body " << i << ": " << responses[i].body;
  }
  // Usage counters reach the database within a second; read the files while running (WAL) and after.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto check_files = [&](const char* when) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      const std::string bytes = ReadFile(server.db_file().string() + suffix);
      EXPECT_EQ(bytes.find(marker), std::string::npos) << when << ": database file" << suffix;
      EXPECT_EQ(bytes.find(k.key), std::string::npos) << when << ": key in clear in database file" << suffix;
    }
  };
  check_files("running");
  EXPECT_EQ(server.Stop(SIGTERM), 0);
  check_files("stopped");
  const std::string db = ReadFile(server.db_file());
  EXPECT_NE(db.find(jobzen::store::HashKey(k.key)), std::string::npos) << "the key is stored as its SHA-256";
  const std::string log = ReadFile(server.log_file());
  EXPECT_NE(log.find("endpoint=analyze"), std::string::npos) << "the access log has metadata";
  EXPECT_EQ(log.find(marker), std::string::npos) << "server log";
  EXPECT_EQ(log.find(k.key), std::string::npos) << "key in server log";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (entry.is_regular_file()) {
      EXPECT_EQ(ReadFile(entry.path()).find(marker), std::string::npos) << entry.path();
    }
  }
}

TEST(Server, SlowClientsAreCutByTimeouts) {
  TempDir dir;
  ServerProcess server(dir.path(), {"--idle-timeout-ms", "300", "--read-timeout-ms", "300"});
  Connection headers(server.port());
  ASSERT_TRUE(headers.SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow"));
  Connection body(server.port());
  ASSERT_TRUE(body.SendRaw("POST /api/v1/match HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"cv"));
  Connection idle(server.port());
  EXPECT_TRUE(headers.ClosedByPeer(5000));
  EXPECT_TRUE(body.ClosedByPeer(5000));
  EXPECT_TRUE(idle.ClosedByPeer(5000));
  EXPECT_EQ(Http(server.port(), "GET", "/healthz").status, 200) << "still serving";
  Connection huge(server.port());
  ASSERT_TRUE(huge.SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n"));
  ExpectProblem(huge.ReadResponse(), 431, "headers_too_large");
}

TEST(Server, CvUrlFetchAndGracefulShutdownDrainsInFlight) {
  TempDir dir;
  TlsTestServer tls(dir.path());
  tls.Route("/cv.txt", {200, "text/plain; charset=utf-8", "Backend developer, 5 years of Python, FastAPI and PostgreSQL.", "", 0});
  tls.Route("/slow.txt", {200, "text/plain", "Python developer with Kubernetes.", "", 800});
  tls.Route("/cv.pdf", {200, "application/pdf", Fixture("cv_fr_one_column.pdf"), "", 0});
  ServerProcess server(dir.path(), {"--allow-private-urls", "--cv-url-ca-file", tls.ca_file()});
  const CreatedKey k = CreatePartner(server.dsn(), "Url", "standard");
  const Response text = PostJson(server.port(), "/api/v1/analyze", k.key, R"({"cv_url": ")" + tls.Url("/cv.txt") + "\"}");
  ASSERT_EQ(text.status, 200) << text.body;
  EXPECT_EQ(Json(text).at("cv_input_used").as_string(), "cv_url");
  const Response pdf = PostJson(server.port(), "/api/v1/match", k.key,
                                R"({"cv_url": ")" + tls.Url("/cv.pdf", "localhost") + R"(", "job_listings": [{"job_id": "a", "title": "Dev", "description": "Python"}]})");
  ASSERT_EQ(pdf.status, 200) << pdf.body;

  // SIGTERM while a request is in flight: it still gets its answer, then the server exits 0.
  Response slow;
  std::thread client([&] { slow = PostJson(server.port(), "/api/v1/analyze", k.key, R"({"cv_url": ")" + tls.Url("/slow.txt") + "\"}"); });
  // Wait until the server holds it (the /metrics call counts itself, hence 2).
  for (int i = 0; i < 500; ++i) {
    if (Http(server.port(), "GET", "/metrics").body.find("jobzen_requests_in_flight 2\n") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Connection idle(server.port());
  EXPECT_EQ(server.Stop(SIGTERM), 0);
  client.join();
  EXPECT_EQ(slow.status, 200) << slow.body;
  EXPECT_TRUE(idle.ClosedByPeer(1000));
}

}  // namespace
