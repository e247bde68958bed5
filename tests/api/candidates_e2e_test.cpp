// End to end, linked candidates against the real `jobzen serve` and a local HTTPS webhook
// receiver: invitation -> consent and PDF upload through the page (a real form post) ->
// candidate.linked received and verified -> the profile is ready -> /match with candidate_ref
// uses the stored profile -> the candidate dissociates -> candidate.dissociated received ->
// the profile is no longer served. Then: deliveries pending at a restart, a receiver down
// then up, a wrong secret rejected, two partners isolated, the partner's own dissociation.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "browser.hpp"
#include "test_support.hpp"
#include "tls_test_server.hpp"
#include "webhooks/signature.hpp"

namespace {

namespace json = boost::json;
using jobzen::testing::Browser;
using jobzen::testing::CreatedKey;
using jobzen::testing::FormField;
using jobzen::testing::Response;
using jobzen::testing::ServerProcess;
using jobzen::testing::TempDir;
using jobzen::testing::TlsRequest;
using jobzen::testing::TlsTestServer;

constexpr auto kWait = std::chrono::seconds(20);

std::string Fixture(const std::string& name) {
  return jobzen::testing::ReadFile(std::string(JOBZEN_BINARY_DIR) + "/fixtures/" + name);
}

json::object Json(const Response& r) { return json::parse(r.body).as_object(); }

// A sub-directory of the test's directory, created.
std::filesystem::path Sub(const TempDir& dir, const char* name) {
  std::filesystem::create_directories(dir.path() / name);
  return dir.path() / name;
}

// Server flags: webhooks may reach the loopback receiver and trust its certificate; retries
// come quickly (`retry_ms` between attempts) so the test does not wait for hours.
std::vector<std::string> ServerArgs(const TlsTestServer& receiver, const std::string& retry_ms) {
  std::string schedule = retry_ms;
  for (int i = 1; i < 7; ++i) schedule += "," + retry_ms;
  return {"--allow-private-urls", "--webhook-ca-file", receiver.ca_file(), "--webhook-retry-ms", schedule,
          "--webhook-poll-ms", "50", "--rate-limit", "1000", "--rate-burst", "1000"};
}

// The webhook requests a receiver got, of one event type.
std::vector<TlsRequest> Received(const TlsTestServer& receiver, const std::string& type) {
  std::vector<TlsRequest> out;
  for (const TlsRequest& r : receiver.Requests()) {
    if (r.body.find("\"type\":\"" + type + "\"") != std::string::npos) out.push_back(r);
  }
  return out;
}

// Waits for the first `type` event the receiver gets.
std::optional<TlsRequest> WaitFor(const TlsTestServer& receiver, const std::string& type) {
  const auto until = std::chrono::steady_clock::now() + kWait;
  while (std::chrono::steady_clock::now() < until) {
    auto got = Received(receiver, type);
    if (!got.empty()) return got.front();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

// The receiver's check of a delivery (Standard Webhooks, 5 minutes tolerance).
jobzen::Result<jobzen::webhooks::Verified> Verify(const std::string& secret, const TlsRequest& r) {
  auto header = [&](const char* name) -> std::string_view {
    const auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string_view() : std::string_view(it->second);
  };
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  return jobzen::webhooks::Verify(secret, {header("webhook-id"), header("webhook-timestamp"), header("webhook-signature")},
                                  r.body, now);
}

// The receiver back up on its old port (same URL for the server). The port may be briefly
// held by another socket of the machine: retry for a while.
std::unique_ptr<TlsTestServer> ReceiverBackOn(const std::filesystem::path& dir, int port) {
  for (int attempt = 0;; ++attempt) {
    try {
      auto receiver = std::make_unique<TlsTestServer>(dir, port);
      receiver->Route("/hook", {});
      return receiver;
    } catch (const std::exception&) {
      if (attempt == 100) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

// Sets the partner's webhook to the receiver; returns the signing secret (shown once).
std::string SetWebhook(int port, const CreatedKey& k, const TlsTestServer& receiver) {
  const Response r = jobzen::testing::Http(
      port, "PUT", "/api/v1/webhooks", {{"Content-Type", "application/json"}, {"X-JobZen-Key", k.key}},
      R"({"url": ")" + receiver.Url("/hook") + R"(", "events": ["candidate.linked", "candidate.dissociated"]})");
  EXPECT_EQ(r.status, 201) << r.body;
  return std::string(Json(r).at("secret").as_string());
}

std::string Invite(int port, const CreatedKey& k, const std::string& ref) {
  const Response r = jobzen::testing::PostJson(port, "/api/v1/invitations", k.key, R"({"candidate_ref": ")" + ref + R"("})");
  EXPECT_EQ(r.status, 201) << r.body;
  const json::object o = Json(r);
  EXPECT_EQ(o.at("status").as_string(), "pending");
  // The link handed to the candidate is this server's page.
  const std::string url(o.at("url").as_string());
  const std::string code(o.at("code").as_string());
  EXPECT_EQ(url.substr(url.size() - code.size() - 8), "/invite/" + code);
  return code;
}

// The candidate opens the invitation, consents and sends a CV (`cv`: the cv_file or cv_text
// field) through the form, a real multipart post; returns the management path the page
// redirects to.
std::string ConsentAndSend(int port, const std::string& code, const FormField& cv) {
  Browser browser{port, {}, {}};
  const Response page = browser.Get("/invite/" + code + "?lang=en");
  EXPECT_EQ(page.status, 200);
  const std::string action = "/invite/" + code + "?lang=en";
  EXPECT_TRUE(browser.tokens.contains(action)) << "form not found";
  const Response posted =
      browser.Post(action, jobzen::testing::kMultipartType,
                   jobzen::testing::Multipart({{"csrf", browser.tokens[action], ""}, {"consent", "yes", ""}, cv}));
  EXPECT_EQ(posted.status, 303) << posted.body.substr(0, 500);
  return jobzen::testing::LocationPath(posted);
}

std::string ConsentAndUpload(int port, const std::string& code, const std::string& pdf) {
  return ConsentAndSend(port, code, {"cv_file", pdf, "cv.pdf"});
}

Response Profile(int port, const CreatedKey& k, const std::string& ref) {
  return jobzen::testing::GetWithKey(port, "/api/v1/candidates/" + ref + "/profile", k.key);
}

Response MatchStored(int port, const CreatedKey& k, const std::string& ref) {
  return jobzen::testing::PostJson(port, "/api/v1/match", k.key,
                                   R"({"candidate_ref": ")" + ref + R"(", "job_listings": [
      {"job_id": "job_001", "title": "Backend Engineer", "description": "Python, FastAPI, PostgreSQL, Docker."}]})");
}

// A server with two partners and a local HTTPS receiver answering 200 on /hook; deliveries
// are retried every 200 ms.
struct Story {
  TempDir dir;
  TlsTestServer receiver{Sub(dir, "receiver")};
  ServerProcess server{Sub(dir, "server"), ServerArgs(receiver, "200")};
  CreatedKey a = jobzen::testing::CreatePartner(server.dsn(), "Agence Alpha", "basic");
  CreatedKey b = jobzen::testing::CreatePartner(server.dsn(), "Agence Beta", "basic");
  Story() { receiver.Route("/hook", {}); }
  int port() const { return server.port(); }
};

TEST(CandidatesEndToEnd, TheWholeStory) {
  Story story;
  const TlsTestServer& receiver = story.receiver;
  const int port = story.port();
  const CreatedKey& a = story.a;
  const CreatedKey& b = story.b;
  const std::string secret = SetWebhook(port, a, receiver);

  // Before linking: unknown ref.
  EXPECT_EQ(Profile(port, a, "cand_42").status, 404);

  const std::string code = Invite(port, a, "cand_42");
  const std::string manage = ConsentAndUpload(port, code, Fixture("cv_en_one_column.pdf"));
  ASSERT_EQ(manage.rfind("/manage/", 0), 0u) << manage;

  // candidate.linked arrives, signed with the secret shown at PUT.
  const auto linked = WaitFor(receiver, "candidate.linked");
  ASSERT_TRUE(linked);
  const auto verified = Verify(secret, *linked);
  ASSERT_TRUE(verified) << verified.error().code;
  const json::object event = json::parse(linked->body).as_object();
  EXPECT_EQ(event.at("data").at("ref").as_string(), "cand_42");
  EXPECT_TRUE(event.at("data").at("has_profile").as_bool());
  // A receiver holding another secret rejects it.
  const auto forged = Verify(jobzen::webhooks::GenerateSecret(), *linked);
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, "signature_mismatch");

  // The profile is ready for the fast path.
  const Response profile = Profile(port, a, "cand_42");
  ASSERT_EQ(profile.status, 200) << profile.body;
  const json::object p = Json(profile);
  EXPECT_TRUE(p.at("active").as_bool());
  EXPECT_TRUE(p.at("has_profile").as_bool());
  EXPECT_FALSE(p.at("profile").at("skills").as_array().empty());
  const Response match = MatchStored(port, a, "cand_42");
  ASSERT_EQ(match.status, 200) << match.body;
  const json::object m = Json(match);
  EXPECT_EQ(m.at("cv_input_used").as_string(), "stored_profile");
  EXPECT_EQ(m.at("usage").at("tokens").as_int64(), 0);
  EXPECT_GT(m.at("matches").at(0).at("score").as_int64(), 0);

  // The invitation is used: listed as linked, and its page no longer offers a form.
  const Response invitations = jobzen::testing::GetWithKey(port, "/api/v1/invitations", a.key);
  EXPECT_EQ(Json(invitations).at("invitations").at(0).at("status").as_string(), "linked");
  EXPECT_EQ(jobzen::testing::Http(port, "GET", "/invite/" + code).status, 410);

  // Another partner sees nothing of it.
  EXPECT_EQ(Profile(port, b, "cand_42").status, 404);
  EXPECT_EQ(MatchStored(port, b, "cand_42").status, 404);
  EXPECT_EQ(jobzen::testing::Http(port, "DELETE", "/api/v1/candidates/cand_42", {{"X-JobZen-Key", b.key}}).status, 404);

  // The candidate dissociates from the management page.
  Browser candidate{port, {}, {}};
  ASSERT_EQ(candidate.Get(manage + "?lang=en").status, 200);
  const std::string action = manage + "/dissociate?lang=en";
  ASSERT_TRUE(candidate.tokens.contains(action));
  const Response gone = candidate.Post(action, "application/x-www-form-urlencoded",
                                       "csrf=" + candidate.tokens[action] + "&confirm=yes");
  EXPECT_EQ(gone.status, 200) << gone.body.substr(0, 500);

  const auto dissociated = WaitFor(receiver, "candidate.dissociated");
  ASSERT_TRUE(dissociated);
  ASSERT_TRUE(Verify(secret, *dissociated));
  EXPECT_FALSE(json::parse(dissociated->body).at("data").at("has_profile").as_bool());
  // In order: linked first.
  const auto all = receiver.Requests();
  ASSERT_GE(all.size(), 2u);
  EXPECT_NE(all.front().body.find("candidate.linked"), std::string::npos);

  EXPECT_EQ(Profile(port, a, "cand_42").status, 404);
  EXPECT_EQ(MatchStored(port, a, "cand_42").status, 404);
  EXPECT_EQ(jobzen::testing::Http(port, "GET", manage).status, 404);

  // Every attempt is in the delivery log, with status and latency (recorded once the
  // receiver has answered).
  json::object hook;
  const auto until = std::chrono::steady_clock::now() + kWait;
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    hook = Json(jobzen::testing::GetWithKey(port, "/api/v1/webhooks", a.key));
  } while (hook.at("recent_attempts").as_array().size() < 2 && std::chrono::steady_clock::now() < until);
  ASSERT_EQ(hook.at("recent_attempts").as_array().size(), 2u);
  for (const auto& attempt : hook.at("recent_attempts").as_array()) {
    EXPECT_EQ(attempt.at("status_code").as_int64(), 200);
    EXPECT_GE(attempt.at("latency_ms").to_number<double>(), 0.0);
  }
  EXPECT_FALSE(hook.contains("secret"));
}

// The receiver is down when the candidate links: the delivery is retried until it is up.
TEST(CandidatesEndToEnd, RetriesWhileTheReceiverIsDown) {
  TempDir dir;
  auto receiver = std::make_unique<TlsTestServer>(Sub(dir, "receiver"));
  const int hook_port = receiver->port();
  ServerProcess server(Sub(dir, "server"), ServerArgs(*receiver, "300"));
  const CreatedKey a = jobzen::testing::CreatePartner(server.dsn(), "Alpha", "basic");
  const std::string secret = SetWebhook(server.port(), a, *receiver);
  receiver.reset();  // down

  const std::string code = Invite(server.port(), a, "cand-down");
  ConsentAndUpload(server.port(), code, Fixture("cv_fr_one_column.pdf"));
  // Wait for at least one failed attempt (no answer: status 0).
  const auto failed_attempt = [&] {
    const Response r = jobzen::testing::GetWithKey(server.port(), "/api/v1/webhooks", a.key);
    EXPECT_EQ(r.status, 200) << r.body;
    const json::object hook = Json(r);
    for (const auto& at : hook.at("recent_attempts").as_array()) {
      if (at.at("status_code").as_int64() == 0) return true;
    }
    return false;
  };
  const auto until = std::chrono::steady_clock::now() + kWait;
  while (!failed_attempt() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(failed_attempt());

  const auto back = ReceiverBackOn(Sub(dir, "receiver"), hook_port);  // up again, same address
  const auto linked = WaitFor(*back, "candidate.linked");
  ASSERT_TRUE(linked);
  EXPECT_TRUE(Verify(secret, *linked));
}

// Deliveries pending when the server stops go out after it restarts.
TEST(CandidatesEndToEnd, PendingDeliveriesSurviveARestart) {
  TempDir dir;
  auto receiver = std::make_unique<TlsTestServer>(Sub(dir, "receiver"));
  const int hook_port = receiver->port();
  std::string secret;
  {
    // Retries 3 s apart: the first attempt fails, the server stops before the second.
    ServerProcess server(Sub(dir, "server"), ServerArgs(*receiver, "3000"));
    const CreatedKey a = jobzen::testing::CreatePartner(server.dsn(), "Alpha", "basic");
    secret = SetWebhook(server.port(), a, *receiver);
    receiver.reset();
    const std::string code = Invite(server.port(), a, "cand-restart");
    ConsentAndUpload(server.port(), code, Fixture("cv_en_one_column.pdf"));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(server.Stop(), 0);
  }
  const auto back = ReceiverBackOn(Sub(dir, "receiver"), hook_port);
  ServerProcess again(Sub(dir, "server"), ServerArgs(*back, "3000"));
  const auto linked = WaitFor(*back, "candidate.linked");
  ASSERT_TRUE(linked);
  EXPECT_TRUE(Verify(secret, *linked));
  EXPECT_EQ(json::parse(linked->body).at("data").at("ref").as_string(), "cand-restart");
}

// The partner's own dissociation, idempotent invitations, and the database holding nothing
// readable of the profile or the CV.
TEST(CandidatesEndToEnd, PartnerDissociatesAndTheDatabaseHoldsNothingReadable) {
  Story story;
  const TlsTestServer& receiver = story.receiver;
  ServerProcess& server = story.server;
  const int port = story.port();
  const CreatedKey& a = story.a;
  const std::string secret = SetWebhook(port, a, receiver);

  // The same Idempotency-Key replays the first invitation; another body is refused.
  const jobzen::testing::Headers idem = {{"Content-Type", "application/json"}, {"X-JobZen-Key", a.key},
                                         {"Idempotency-Key", "inv-1"}};
  const Response first = jobzen::testing::Http(port, "POST", "/api/v1/invitations", idem, R"({"candidate_ref": "cand-7"})");
  const Response replay = jobzen::testing::Http(port, "POST", "/api/v1/invitations", idem, R"({"candidate_ref": "cand-7"})");
  ASSERT_EQ(first.status, 201);
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, first.body);
  EXPECT_EQ(replay.Header("Idempotency-Replayed"), "true");
  EXPECT_EQ(jobzen::testing::Http(port, "POST", "/api/v1/invitations", idem, R"({"candidate_ref": "cand-8"})").status, 422);
  const std::string code(Json(first).at("code").as_string());

  // A CV pasted as text, with a marker skill and a marker sentence.
  const std::string cv =
      "Senior Python developer, 8 years. Skills: Python, Django, PostgreSQL, Docker, Kubernetes.\n"
      "Projects: Quintessorian migration platform (ZQXJ-CV-MARKER-2231).\n";
  ASSERT_EQ(ConsentAndSend(port, code, {"cv_text", cv, ""}).rfind("/manage/", 0), 0u);
  ASSERT_TRUE(WaitFor(receiver, "candidate.linked"));
  const Response profile = Profile(port, a, "cand-7");
  ASSERT_EQ(profile.status, 200);
  EXPECT_NE(profile.body.find("Kubernetes"), std::string::npos);

  // Nothing readable: neither the CV's marker nor the profile's skills or summary.
  server.Stop();
  std::string files;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    files += jobzen::testing::ReadFile(server.db_file().string() + suffix);
  }
  EXPECT_FALSE(files.empty());
  for (const std::string& secret_text : {std::string("ZQXJ-CV-MARKER-2231"), std::string("Quintessorian"),
                                         std::string("Kubernetes"), std::string("PostgreSQL"), code, secret}) {
    EXPECT_EQ(files.find(secret_text), std::string::npos) << secret_text;
  }
  const std::string log = jobzen::testing::ReadFile(server.log_file());
  EXPECT_EQ(log.find("ZQXJ-CV-MARKER-2231"), std::string::npos);
  EXPECT_EQ(log.find(code), std::string::npos);

  // Restarted on the same database: the partner dissociates; the event follows.
  ServerProcess again(Sub(story.dir, "server"), ServerArgs(receiver, "200"));
  const Response removed =
      jobzen::testing::Http(again.port(), "DELETE", "/api/v1/candidates/cand-7", {{"X-JobZen-Key", a.key}});
  EXPECT_EQ(removed.status, 200) << removed.body;
  ASSERT_TRUE(WaitFor(receiver, "candidate.dissociated"));
  EXPECT_EQ(Profile(again.port(), a, "cand-7").status, 404);
}

}  // namespace

// --- The partner API around linked candidates, on one shared server ------------------------

Story& Api() {
  static Story env;
  return env;
}

Response Call(const std::string& method, const std::string& target, const CreatedKey& k, const std::string& body = "",
              const jobzen::testing::Headers& extra = {}) {
  jobzen::testing::Headers h = {{"X-JobZen-Key", k.key}};
  if (!body.empty()) h.emplace_back("Content-Type", "application/json");
  h.insert(h.end(), extra.begin(), extra.end());
  return jobzen::testing::Http(Api().port(), method, target, h, body);
}

std::string ProblemCode(const Response& r) {
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << r.body;
  return std::string(Json(r).at("code").as_string());
}

TEST(CandidatesApi, InvitationsValidateListAndRevoke) {
  Story& env = Api();
  struct Case {
    std::string body;
    std::string field;
  };
  const std::vector<Case> invalid = {
      {R"({})", "candidate_ref"},
      {R"({"candidate_ref": ""})", "candidate_ref"},
      {R"({"candidate_ref": 42})", "candidate_ref"},
      {R"({"candidate_ref": ")" + std::string(257, 'x') + R"("})", "candidate_ref"},
      {R"({"candidate_ref": "a\u0001b"})", "candidate_ref"},
      {R"({"candidate_ref": "c", "expires_in_days": 0})", "expires_in_days"},
      {R"({"candidate_ref": "c", "expires_in_days": 91})", "expires_in_days"},
      {R"({"candidate_ref": "c", "expires_in_days": "7"})", "expires_in_days"},
  };
  for (const Case& c : invalid) {
    const Response r = Call("POST", "/api/v1/invitations", env.a, c.body);
    EXPECT_EQ(r.status, 422) << c.body;
    EXPECT_EQ(ProblemCode(r), "validation_failed") << c.body;
    EXPECT_EQ(Json(r).at("errors").at(0).at("field").as_string(), c.field) << c.body;
  }
  EXPECT_EQ(Call("POST", "/api/v1/invitations", env.a, "{").status, 400);
  EXPECT_EQ(jobzen::testing::Http(env.port(), "POST", "/api/v1/invitations", {{"Content-Type", "application/json"}},
                                  R"({"candidate_ref": "c"})").status, 401);

  const Response created = Call("POST", "/api/v1/invitations", env.a, R"({"candidate_ref": "rev-1", "expires_in_days": 3})");
  ASSERT_EQ(created.status, 201) << created.body;
  const json::object inv = Json(created);
  const std::string id(inv.at("id").as_string());
  const std::string code(inv.at("code").as_string());
  EXPECT_EQ(code.size(), 32u);
  EXPECT_EQ(inv.at("code_hint").as_string(), "..." + code.substr(28));

  // Listed without the code; another partner neither sees nor revokes it.
  const Response listed = Call("GET", "/api/v1/invitations", env.a);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body.find(code), std::string::npos) << "the code is shown once";
  EXPECT_NE(listed.body.find(id), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/invitations", env.b).body.find(id), std::string::npos);
  EXPECT_EQ(ProblemCode(Call("DELETE", "/api/v1/invitations/" + id, env.b)), "not_found");

  const Response revoked = Call("DELETE", "/api/v1/invitations/" + id, env.a);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(Json(revoked).at("status").as_string(), "revoked");
  EXPECT_EQ(ProblemCode(Call("DELETE", "/api/v1/invitations/" + id, env.a)), "invitation_not_pending");
  EXPECT_EQ(jobzen::testing::Http(env.port(), "GET", "/invite/" + code).status, 410);
  EXPECT_EQ(ProblemCode(Call("DELETE", "/api/v1/invitations/inv_nope", env.a)), "not_found");
}

TEST(CandidatesApi, CandidateRefsArePercentDecodedAndChecked) {
  Story& env = Api();
  const std::string code = Invite(env.port(), env.a, "dossier 7/é");
  ConsentAndSend(env.port(), code, {"cv_text", "Comptable, 6 ans d'expérience : SAP, Excel, fiscalité.", ""});
  const Response r = Call("GET", "/api/v1/candidates/dossier%207%2F%C3%A9/profile", env.a);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("ref").as_string(), "dossier 7/é");
  EXPECT_EQ(Call("GET", "/api/v1/candidates/dossier%207%2F%C3%A9/profile", env.b).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/candidates/bad%0Aref/profile", env.a).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/candidates/bad%ZZ/profile", env.a).status, 404);
}

TEST(CandidatesApi, WebhookSettingsTestAndRotation) {
  Story& env = Api();
  // Destination rules: https only, no credentials; events known.
  for (const std::string& body : {std::string(R"({"url": "http://example.org/hook"})"),
                                  std::string(R"({"url": "https://user:pw@example.org/hook"})"),
                                  std::string(R"({"url": ""})")}) {
    const Response r = Call("PUT", "/api/v1/webhooks", env.b, body);
    EXPECT_EQ(r.status, 422) << body << " " << r.body;
  }
  const Response bad_event = Call("PUT", "/api/v1/webhooks", env.b,
                                  R"({"url": ")" + env.receiver.Url("/hook") + R"(", "events": ["candidate.deleted"]})");
  EXPECT_EQ(ProblemCode(bad_event), "validation_failed");
  EXPECT_EQ(ProblemCode(Call("GET", "/api/v1/webhooks", env.b)), "webhook_not_found");
  EXPECT_EQ(ProblemCode(Call("POST", "/api/v1/webhooks/test", env.b)), "webhook_not_found");
  EXPECT_EQ(ProblemCode(Call("POST", "/api/v1/webhooks/rotate-secret", env.b)), "webhook_not_found");

  const std::string first = SetWebhook(env.port(), env.b, env.receiver);
  EXPECT_EQ(first.rfind("whsec_", 0), 0u);
  // A second PUT keeps the secret and does not show it.
  const Response again = Call("PUT", "/api/v1/webhooks", env.b,
                              R"({"url": ")" + env.receiver.Url("/hook") + R"(", "events": ["candidate.linked"]})");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_FALSE(Json(again).contains("secret"));
  EXPECT_EQ(Json(again).at("events").as_array().size(), 1u);

  // The test event is delivered now, signed with the secret, and logged.
  const Response test = Call("POST", "/api/v1/webhooks/test", env.b);
  ASSERT_EQ(test.status, 200) << test.body;
  EXPECT_TRUE(Json(test).at("delivered").as_bool());
  const auto delivered = WaitFor(env.receiver, "webhook.test");
  ASSERT_TRUE(delivered);
  EXPECT_TRUE(Verify(first, *delivered));

  // Rotation: the new secret once; both sign for 24 h; replayed by Idempotency-Key.
  const Response rotated = Call("POST", "/api/v1/webhooks/rotate-secret", env.b, "", {{"Idempotency-Key", "rot-1"}});
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  const std::string second(Json(rotated).at("secret").as_string());
  EXPECT_NE(second, first);
  EXPECT_TRUE(Json(rotated).at("previous_secret_valid_until").is_string());
  const Response replay = Call("POST", "/api/v1/webhooks/rotate-secret", env.b, "", {{"Idempotency-Key", "rot-1"}});
  EXPECT_EQ(replay.body, rotated.body);
  const std::size_t before = Received(env.receiver, "webhook.test").size();
  ASSERT_EQ(Call("POST", "/api/v1/webhooks/test", env.b).status, 200);
  const auto tests = Received(env.receiver, "webhook.test");
  ASSERT_EQ(tests.size(), before + 1);
  EXPECT_TRUE(Verify(first, tests.back())) << "the previous secret still verifies during the rotation";
  EXPECT_TRUE(Verify(second, tests.back()));

  const json::object settings = Json(Call("GET", "/api/v1/webhooks", env.b));
  EXPECT_FALSE(settings.contains("secret"));
  EXPECT_GE(settings.at("recent_attempts").as_array().size(), 2u);
  EXPECT_EQ(Call("DELETE", "/api/v1/webhooks", env.b).status, 200);
  EXPECT_EQ(ProblemCode(Call("GET", "/api/v1/webhooks", env.b)), "webhook_not_found");
}

TEST(CandidatesApi, CandidateCallsCostNoQuota) {
  Story& env = Api();
  // Candidate look-ups and settings are free: /status shows no quota used by them.
  const Response status = Call("GET", "/api/v1/status", env.a);
  ASSERT_EQ(status.status, 200);
  EXPECT_EQ(Json(status).at("quota_used").as_int64(), 0) << status.body;
}
