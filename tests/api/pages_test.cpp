// The candidate pages: unit tests of the form parsers (multipart/form-data, urlencoded), the
// CSRF tokens and the HTML views (no store, no socket), then the whole flow end to end against
// the real `jobzen serve`: invitation page, consent and CV upload, management page, replace,
// dissociate, and every refusal (CSRF, consent, unknown or used links, rate limit, escaping).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <regex>
#include <stdexcept>

#include "api/csrf.hpp"
#include "api/html.hpp"
#include "api/multipart.hpp"
#include "browser.hpp"
#include "test_support.hpp"

namespace {

using namespace jobzen::api;

// --- multipart/form-data -------------------------------------------------------------------

struct MultipartCase {
  std::string name;
  std::string content_type;
  std::string body;
  bool ok;
  std::vector<FormPart> parts;  // expected when ok
};

TEST(Multipart, ParsesTable) {
  const std::string ct = "multipart/form-data; boundary=XyZ";
  // A PDF-like binary payload holding CRLF, "--", a near-miss of the delimiter and a NUL.
  const std::string binary = std::string("%PDF-1.4\r\n--\r\n--XyZa not a delimiter\r\n") + '\0' + "\xff--XyZ-\r\n--";
  const std::vector<MultipartCase> cases = {
      {"two fields", ct,
       "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
       "--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\ntwo words\r\n--XyZ--\r\n",
       true, {{"a", std::nullopt, "", "1"}, {"b", std::nullopt, "", "two words"}}},
      {"quoted boundary, preamble and epilogue", "multipart/form-data; charset=utf-8; boundary=\"a b;c\"",
       "preamble\r\n--a b;c\r\ncontent-disposition: form-data; name=x\r\n\r\nv\r\n--a b;c--\r\nepilogue", true,
       {{"x", std::nullopt, "", "v"}}},
      {"binary file with CRLF and dashes", ct,
       "--XyZ\r\nContent-Disposition: form-data; name=\"cv_file\"; filename=\"cv.pdf\"\r\n"
       "Content-Type: application/pdf\r\n\r\n" + binary + "\r\n--XyZ--",
       true, {{"cv_file", "cv.pdf", "application/pdf", binary}}},
      {"empty file and empty text", ct,
       "--XyZ\r\nContent-Disposition: form-data; name=\"cv_file\"; filename=\"\"\r\n"
       "Content-Type: application/octet-stream\r\n\r\n\r\n--XyZ\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\n\r\n--XyZ--\r\n",
       true, {{"cv_file", "", "application/octet-stream", ""}, {"t", std::nullopt, "", ""}}},
      {"transport padding after the delimiter", ct,
       "--XyZ  \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ--", true, {{"a", std::nullopt, "", "1"}}},
      {"escaped quote in a name", ct, "--XyZ\r\nContent-Disposition: form-data; name=\"a\\\"b\"\r\n\r\n1\r\n--XyZ--", true,
       {{"a\"b", std::nullopt, "", "1"}}},
      {"no boundary parameter", "multipart/form-data", "--XyZ\r\n\r\n--XyZ--", false, {}},
      {"empty boundary", "multipart/form-data; boundary=\"\"", "--\r\n", false, {}},
      {"unterminated quoted boundary", "multipart/form-data; boundary=\"abc", "--abc--", false, {}},
      {"no opening delimiter", ct, "just text", false, {}},
      {"no closing delimiter", ct, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n", false, {}},
      {"headers without CRLFCRLF", ct, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n1\r\n--XyZ--", false, {}},
      {"no Content-Disposition", ct, "--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--", false, {}},
      {"disposition without a name", ct, "--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--", false, {}},
      {"disposition not form-data", ct, "--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n--XyZ--", false, {}},
      {"header line without a colon", ct, "--XyZ\r\nContent-Disposition: form-data; name=a\r\nbogus\r\n\r\n1\r\n--XyZ--", false, {}},
  };
  for (const MultipartCase& c : cases) {
    const auto form = ParseMultipart(c.content_type, c.body);
    ASSERT_EQ(form.ok(), c.ok) << c.name;
    if (!c.ok) {
      EXPECT_EQ(form.error().code, "malformed_form") << c.name;
      continue;
    }
    EXPECT_EQ(form->parts, c.parts) << c.name;
  }
}

TEST(Multipart, EnforcesLimits) {
  const std::string ct = "multipart/form-data; boundary=b";
  std::string body;
  for (int i = 0; i < 3; ++i) body += "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
  body += "--b--";
  EXPECT_TRUE(ParseMultipart(ct, body, {3, 2048}).ok());
  EXPECT_FALSE(ParseMultipart(ct, body, {2, 2048}).ok());
  const std::string long_header =
      "--b\r\nContent-Disposition: form-data; name=\"f\"\r\nX-Pad: " + std::string(3000, 'p') + "\r\n\r\nx\r\n--b--";
  EXPECT_FALSE(ParseMultipart(ct, long_header).ok());
  EXPECT_TRUE(ParseMultipart(ct, long_header, {32, 4096}).ok());
}

TEST(Multipart, BoundaryParameter) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxk"), "----WebKitFormBoundary7MA4YWxk");
  EXPECT_EQ(MultipartBoundary("Multipart/Form-Data; BOUNDARY=\"q\\\"x\""), "q\"x");
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'a')), std::nullopt);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; charset=utf-8"), std::nullopt);
}

// --- application/x-www-form-urlencoded -----------------------------------------------------

TEST(UrlEncoded, ParsesTable) {
  struct Case {
    std::string body;
    bool ok;
    std::vector<std::pair<std::string, std::string>> fields;
  };
  const std::vector<Case> cases = {
      {"a=1&b=x+y%21", true, {{"a", "1"}, {"b", "x y!"}}},
      {"confirm=yes&csrf=ab-_c", true, {{"confirm", "yes"}, {"csrf", "ab-_c"}}},
      {"flag&&e=", true, {{"flag", ""}, {"e", ""}}},
      {"caf%C3%A9=cr%c3%a8me", true, {{"caf\xC3\xA9", "cr\xC3\xA8me"}}},
      {"", true, {}},
      {"a=%2", false, {}},
      {"a=%zz", false, {}},
      {"%=1", false, {}},
  };
  for (const Case& c : cases) {
    const auto form = ParseUrlEncoded(c.body);
    ASSERT_EQ(form.ok(), c.ok) << c.body;
    if (!c.ok) continue;
    ASSERT_EQ(form->parts.size(), c.fields.size()) << c.body;
    for (std::size_t i = 0; i < c.fields.size(); ++i) {
      EXPECT_EQ(form->parts[i].name, c.fields[i].first) << c.body;
      EXPECT_EQ(form->parts[i].data, c.fields[i].second) << c.body;
    }
  }
  EXPECT_FALSE(ParseUrlEncoded("a=1&b=2&c=3", {2, 2048}).ok());
}

TEST(Form, DispatchesOnContentType) {
  EXPECT_EQ(ParseForm("application/x-www-form-urlencoded; charset=UTF-8", "a=1")->Value("a"), "1");
  EXPECT_EQ(ParseForm("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=a\r\n\r\n2\r\n--b--")
                ->Value("a"),
            "2");
  const auto json = ParseForm("application/json", "{}");
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.error().code, "unsupported_media_type");
  const Form form = *ParseUrlEncoded("a=1&a=2");
  EXPECT_EQ(form.Value("a"), "1");
  EXPECT_EQ(form.Value("missing"), "");
  EXPECT_EQ(form.Find("missing"), nullptr);
}

// --- CSRF ------------------------------------------------------------------------------------

TEST(Csrf, TokensBindCookieAndScope) {
  const std::string secret = CsrfSecret("0123456789abcdef0123456789abcdef");
  const std::string nonce = NewCsrfNonce();
  ASSERT_EQ(nonce.size(), kCsrfNonceChars);
  const std::string token = CsrfToken(secret, nonce, "/invite/abc");
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(token.find_first_of("+/="), std::string::npos);
  EXPECT_TRUE(CsrfValid(secret, nonce, "/invite/abc", token));
  EXPECT_FALSE(CsrfValid(secret, nonce, "/invite/abd", token));
  EXPECT_FALSE(CsrfValid(secret, NewCsrfNonce(), "/invite/abc", token));
  EXPECT_FALSE(CsrfValid("another secret", nonce, "/invite/abc", token));
  EXPECT_FALSE(CsrfValid(secret, nonce, "/invite/abc", ""));
  EXPECT_FALSE(CsrfValid(secret, nonce, "/invite/abc", token.substr(0, 42)));
  EXPECT_NE(NewCsrfNonce(), nonce);
}

TEST(Csrf, ProcessSecretIsStableAndRandom) {
  const std::string a = CsrfSecret("");
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(CsrfSecret(""), a);
  EXPECT_EQ(CsrfSecret("configured"), "configured");
}

TEST(Csrf, CookieParsingTable) {
  const std::string n(32, 'a');
  const std::vector<std::pair<std::string, std::optional<std::string>>> cases = {
      {"jz_csrf=" + n, n},
      {"theme=dark; jz_csrf=" + n + "; other=1", n},
      {"jz_csrf=short; jz_csrf=" + n, n},
      {"jz_csrf=" + std::string(32, '-'), std::nullopt},
      {"xjz_csrf=" + n, std::nullopt},
      {"", std::nullopt},
      {"jz_csrf", std::nullopt},
  };
  for (const auto& [header, expected] : cases) EXPECT_EQ(CsrfNonceFromCookie(header), expected) << header;
  EXPECT_EQ(CsrfSetCookie(n, false), "jz_csrf=" + n + "; Path=/; HttpOnly; SameSite=Strict");
  EXPECT_EQ(CsrfSetCookie(n, true), "jz_csrf=" + n + "; Path=/; HttpOnly; SameSite=Strict; Secure");
}

// --- HTML --------------------------------------------------------------------------------------

TEST(Html, Escapes) {
  EXPECT_EQ(EscapeHtml(R"(<a href="x">Tom & 'Jerry'</a>)"), "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  EXPECT_EQ(EscapeHtml("café"), "café");
}

TEST(Html, RendersTemplateVariables) {
  EXPECT_EQ(RenderTemplate("<p>{{a}}</p>{{{b}}}{{a}}", {{"a", "<x>"}, {"b", SafeHtml{"<i>ok</i>"}}, {"unused", "u"}}),
            "<p>&lt;x&gt;</p><i>ok</i>&lt;x&gt;");
  EXPECT_EQ(RenderTemplate("no variable { } }}", {}), "no variable { } }}");
  EXPECT_THROW(RenderTemplate("{{missing}}", {}), std::logic_error);
  EXPECT_THROW(RenderTemplate("{{a}}", {{"a", SafeHtml{"<b>"}}}), std::logic_error);
  EXPECT_THROW(RenderTemplate("{{{a}}}", {{"a", "<b>"}}), std::logic_error);
  EXPECT_THROW(RenderTemplate("{{a", {{"a", "x"}}), std::logic_error);
  EXPECT_THROW(CandidateTemplate("nope"), std::out_of_range);
}

TEST(Html, PicksLanguage) {
  const std::vector<std::tuple<std::string, std::string, Lang>> cases = {
      {"en", "fr-FR", Lang::kEn},
      {"fr", "en", Lang::kFr},
      {"", "en-GB,en;q=0.9,fr;q=0.8", Lang::kEn},
      {"", "de-DE, fr-CH;q=0.9, en;q=0.8", Lang::kFr},
      {"", "fr;q=0, en", Lang::kEn},
      {"", "de", Lang::kFr},
      {"", "", Lang::kFr},
      {"es", "en-US", Lang::kEn},
  };
  for (const auto& [query, header, expected] : cases) {
    EXPECT_EQ(PickLang(query, header), expected) << query << " / " << header;
  }
}

ManageView SampleManage(Lang lang) {
  ManageView v;
  v.frame = {lang, "/manage/tok"};
  v.partner_name = "Pôle <Emploi> & Co";
  jobzen::store::StoredProfile p;
  p.skills = {"Python", "<script>alert(1)</script>"};
  p.relevant_job_titles = {"Développeur"};
  p.languages = {{"en", "C1"}};
  p.experience_years = 9;
  p.seniority = "senior";
  p.profile_summary = "Engineer \"quoted\"";
  v.profile = p;
  v.language_names = {lang == Lang::kEn ? "English" : "anglais"};
  v.manage_url = "https://jobzen.example/manage/tok?lang=fr";
  v.replace_action = "/manage/tok/replace?lang=fr";
  v.dissociate_action = "/manage/tok/dissociate?lang=fr";
  v.replace_csrf = "r-token";
  v.dissociate_csrf = "d-token";
  v.banner = Msg::kLinked;
  return v;
}

TEST(Html, ManagePageEscapesProfileValues) {
  for (const Lang lang : {Lang::kFr, Lang::kEn}) {
    const std::string html = RenderManagePage(SampleManage(lang));
    EXPECT_NE(html.find("<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<Emploi>"), std::string::npos);
    EXPECT_NE(html.find("Pôle &lt;Emploi&gt; &amp; Co"), std::string::npos);
    EXPECT_NE(html.find("Engineer &quot;quoted&quot;"), std::string::npos);
    EXPECT_NE(html.find("name=\"csrf\" value=\"r-token\""), std::string::npos);
    EXPECT_NE(html.find("name=\"csrf\" value=\"d-token\""), std::string::npos);
    EXPECT_NE(html.find("<html lang=\"" + std::string(LangCode(lang)) + "\">"), std::string::npos);
    EXPECT_NE(html.find("(C1)"), std::string::npos);
  }
  const std::string fr = RenderManagePage(SampleManage(Lang::kFr));
  EXPECT_NE(fr.find("Compétences"), std::string::npos);
  EXPECT_NE(fr.find("9\u00a0ans"), std::string::npos);
  EXPECT_NE(fr.find("href=\"/manage/tok?lang=en\""), std::string::npos);
  const std::string en = RenderManagePage(SampleManage(Lang::kEn));
  EXPECT_NE(en.find("Skills"), std::string::npos);
  EXPECT_NE(en.find("9 years"), std::string::npos);
  EXPECT_NE(en.find("href=\"/manage/tok?lang=fr\""), std::string::npos);
}

TEST(Html, InviteAndNoticePagesInBothLanguages) {
  for (const Lang lang : {Lang::kFr, Lang::kEn}) {
    InviteView v;
    v.frame = {lang, "/invite/c0de"};
    v.partner_name = "Mission \"locale\"";
    v.action = "/invite/c0de?lang=fr";
    v.csrf = "tok";
    v.error = Msg::kConsentRequired;
    v.consent_checked = false;
    const std::string html = RenderInvitePage(v);
    EXPECT_NE(html.find("enctype=\"multipart/form-data\""), std::string::npos);
    EXPECT_NE(html.find("accept=\"application/pdf,.pdf\""), std::string::npos);
    EXPECT_NE(html.find("name=\"consent\""), std::string::npos);
    EXPECT_NE(html.find("Mission &quot;locale&quot;"), std::string::npos);
    EXPECT_NE(html.find(EscapeHtml(Say(Msg::kConsentRequired, lang))), std::string::npos);
    const std::string notice = RenderNoticePage({lang, "/invite/x"}, Msg::kInviteExpiredTitle, Msg::kInviteExpired, "<b>");
    EXPECT_NE(notice.find("&lt;b&gt;"), std::string::npos);
    EXPECT_EQ(notice.find("<form"), std::string::npos);
  }
  EXPECT_EQ(Say(Msg::kDissociated, Lang::kEn, "Acme").find("{partner}"), std::string::npos);
  EXPECT_NE(Say(Msg::kDissociated, Lang::kFr, "Acme").find("Acme a été informé"), std::string::npos);
}

// --- End to end through `jobzen serve` -------------------------------------------------------

namespace json = boost::json;
using jobzen::testing::Browser;
using jobzen::testing::CreatedKey;
using jobzen::testing::FormField;
using jobzen::testing::kMultipartType;
using jobzen::testing::Multipart;
using jobzen::testing::Response;

// A partner name that would inject markup if any page forgot to escape it.
const std::string kPartner = "Mission <script>alert(1)</script> & Co";

// One server per test process (ctest runs each test case in its own process), started lazily.
struct Env {
  jobzen::testing::TempDir dir;
  jobzen::testing::ServerProcess server;
  CreatedKey partner;
  explicit Env(const std::vector<std::string>& args = {})
      : server(dir.path(), args), partner(jobzen::testing::CreatePartner(server.dsn(), kPartner, "standard", {"--sandbox"})) {}
  int port() const { return server.port(); }
};

Env& Shared() {
  static Env env;
  return env;
}

std::string Fixture(const std::string& name) {
  return jobzen::testing::ReadFile(std::string(JOBZEN_BINARY_DIR) + "/fixtures/" + name);
}

// A pending invitation's code, for a new candidate ref.
std::string Invite(const Env& env, const std::string& ref) {
  const Response r = jobzen::testing::PostJson(env.port(), "/api/v1/invitations", env.partner.key,
                                               R"({"candidate_ref": ")" + ref + R"("})");
  EXPECT_EQ(r.status, 201) << r.body;
  return std::string(json::parse(r.body).at("code").as_string());
}

// Every candidate page: HTML with the security headers.
void ExpectPage(const Response& r, int status) {
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.status, status) << r.body.substr(0, 2000);
  EXPECT_EQ(r.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.Header("Content-Security-Policy"),
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'");
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.Header("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(r.Header("X-Frame-Options"), "DENY");
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  EXPECT_EQ(r.body.find("<script"), std::string::npos);
}

bool Has(const Response& r, const std::string& text) { return r.body.find(text) != std::string::npos; }

// GET /api/v1/candidates/{ref}/profile with the partner's key.
Response PartnerProfile(const Env& env, const std::string& ref) {
  return jobzen::testing::GetWithKey(env.port(), "/api/v1/candidates/" + ref + "/profile", env.partner.key);
}

TEST(PagesHttp, InvitePageInFrenchAndEnglish) {
  Env& env = Shared();
  const std::string code = Invite(env, "cand-lang");
  struct Case {
    std::string accept_language, lang, heading, stored, other;
  };
  const std::vector<Case> cases = {
      {"de-DE,fr;q=0.8,en;q=0.5", "fr", " vous invite", "Ce qui est conservé", "en"},
      {"en-GB,en;q=0.9", "en", " invites you", "What is stored", "fr"},
  };
  for (const Case& c : cases) {
    Browser b{env.port(), {}, {}};
    const Response page = b.Get("/invite/" + code, {{"Accept-Language", c.accept_language}});
    ExpectPage(page, 200);
    EXPECT_TRUE(Has(page, "<html lang=\"" + c.lang + "\">")) << c.lang;
    EXPECT_TRUE(Has(page, EscapeHtml(kPartner) + c.heading)) << c.lang;
    EXPECT_TRUE(Has(page, c.stored)) << c.lang;
    for (const char* part : {"enctype=\"multipart/form-data\"", "type=\"file\"", "<textarea", "name=\"consent\""}) {
      EXPECT_TRUE(Has(page, part)) << c.lang << ": " << part;
    }
    EXPECT_TRUE(Has(page, "href=\"/invite/" + code + "?lang=" + c.other + "\"")) << c.lang;
    EXPECT_TRUE(std::regex_search(page.Header("Set-Cookie"),
                                  std::regex("^jz_csrf=[0-9A-Za-z]{32}; Path=/; HttpOnly; SameSite=Strict$")));
    EXPECT_EQ(b.tokens.count("/invite/" + code + "?lang=" + c.lang), 1u) << c.lang;
    // A browser that already holds the cookie keeps it; ?lang= wins over Accept-Language.
    const Response again = b.Get("/invite/" + code + "?lang=" + c.other, {{"Accept-Language", c.accept_language}});
    EXPECT_EQ(again.Header("Set-Cookie"), "");
    EXPECT_TRUE(Has(again, "<html lang=\"" + c.other + "\">")) << c.lang;
  }
}

TEST(PagesHttp, PostWithoutValidCsrfIs403) {
  Env& env = Shared();
  const std::string code = Invite(env, "cand-csrf");
  const std::string body = Multipart({{"consent", "yes", ""}, {"cv_text", "Python developer", ""}});
  Browser b{env.port(), {}, {}};
  const Response no_cookie = b.Post("/invite/" + code, kMultipartType, body);
  ExpectPage(no_cookie, 403);
  b.Get("/invite/" + code + "?lang=en");
  ExpectPage(b.Post("/invite/" + code, kMultipartType, body), 403);  // cookie but no token
  const std::string wrong = Multipart({{"csrf", std::string(43, 'A'), ""}, {"consent", "yes", ""}});
  ExpectPage(b.Post("/invite/" + code, kMultipartType, wrong), 403);
  // Another form's token (another invitation) does not work here.
  const std::string other = Invite(env, "cand-csrf-2");
  b.Get("/invite/" + other + "?lang=en");
  const std::string foreign = Multipart({{"csrf", b.tokens["/invite/" + other + "?lang=en"], ""}, {"consent", "yes", ""}});
  const Response refused = b.Post("/invite/" + code + "?lang=en", kMultipartType, foreign);
  ExpectPage(refused, 403);
  EXPECT_TRUE(Has(refused, "Form expired"));
  EXPECT_EQ(PartnerProfile(env, "cand-csrf").status, 404);
}

// Each refused submission comes back as the form (status, message), never echoing the CV.
TEST(PagesHttp, ConsentAndCvAreRequired) {
  Env& env = Shared();
  const std::string code = Invite(env, "cand-consent");
  Browser b{env.port(), {}, {}};
  const std::string action = "/invite/" + code + "?lang=en";
  b.Get(action);
  const FormField csrf{"csrf", b.tokens[action], ""};
  const FormField consent{"consent", "yes", ""};
  struct Case {
    std::string name;
    std::vector<FormField> fields;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"no consent", {csrf, {"cv_text", "SECRET CV LINE", ""}}, "Please tick the consent box"},
      {"empty file, blank text", {csrf, consent, {"cv_file", "", "cv.pdf"}, {"cv_text", " \r\n", ""}},
       "attach your CV as a PDF or paste its text"},
      {"not a PDF", {csrf, consent, {"cv_file", "SECRET CV LINE", "cv.pdf"}}, "This file is not a PDF"},
      {"scanned PDF", {csrf, consent, {"cv_file", Fixture("image_only.pdf"), "scan.pdf"}}, "We could not read this CV"},
  };
  for (const Case& c : cases) {
    const Response r = b.Post(action, kMultipartType, Multipart(c.fields));
    ExpectPage(r, 422);
    EXPECT_TRUE(Has(r, c.message)) << c.name;
    EXPECT_TRUE(Has(r, "<form")) << c.name;
    EXPECT_FALSE(Has(r, "SECRET CV LINE")) << c.name;
  }
  EXPECT_EQ(PartnerProfile(env, "cand-consent").status, 404);
}

TEST(PagesHttp, LinkReplaceAndDissociate) {
  Env& env = Shared();
  const std::string code = Invite(env, "cand-flow");
  const std::string pdf = Fixture("cv_en_one_column.pdf");
  ASSERT_FALSE(pdf.empty()) << "fixture missing: build the jobzen_fixtures target";
  Browser b{env.port(), {}, {}};
  b.Get("/invite/" + code + "?lang=en");
  const std::string invite_action = "/invite/" + code + "?lang=en";
  const Response linked = b.Post(invite_action, kMultipartType,
                                 Multipart({{"csrf", b.tokens[invite_action], ""}, {"consent", "yes", ""},
                                            {"cv_file", pdf, "cv.pdf"}, {"cv_text", "", ""}}));
  ASSERT_EQ(linked.status, 303) << linked.body;
  const std::string location = linked.Header("Location");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(location, m, std::regex(R"(/manage/([0-9A-Za-z]{32})\?lang=en&linked=1)"))) << location;
  const std::string manage = "/manage/" + m[1].str();

  const Response page = b.Get(location);
  ExpectPage(page, 200);
  EXPECT_TRUE(Has(page, "Your profile is now linked to " + EscapeHtml(kPartner)));
  EXPECT_TRUE(Has(page, "<li>Kafka</li>") || Has(page, "<li>Apache Kafka</li>")) << page.body;
  EXPECT_TRUE(Has(page, "This link is private"));
  EXPECT_FALSE(Has(page, "Daniel")) << "no name on the page";
  EXPECT_FALSE(Has(page, "daniel.whitmore@example.org"));
  const Response api = PartnerProfile(env, "cand-flow");
  ASSERT_EQ(api.status, 200) << api.body;
  EXPECT_TRUE(json::parse(api.body).at("has_profile").as_bool());
  EXPECT_TRUE(Has(b.Get(manage + "?lang=fr"), "Votre profil relié à"));

  // Replace with pasted text (a French CV): the skills change.
  const std::string text = jobzen::testing::ReadFile(std::string(JOBZEN_SOURCE_DIR) + "/tests/data/pdf/cv_fr_one_column.txt");
  const std::string replace_action = manage + "/replace?lang=fr";
  const Response replaced = b.Post(replace_action, kMultipartType,
                                   Multipart({{"csrf", b.tokens[replace_action], ""}, {"cv_file", "", "empty.pdf"}, {"cv_text", text, ""}}));
  ASSERT_EQ(replaced.status, 303) << replaced.body;
  EXPECT_EQ(replaced.Header("Location"), manage + "?lang=fr&replaced=1");
  const Response after = b.Get(replaced.Header("Location"));
  ExpectPage(after, 200);
  EXPECT_TRUE(Has(after, "Votre profil a été remplacé"));
  EXPECT_TRUE(Has(after, "HACCP")) << after.body;
  EXPECT_FALSE(Has(after, "Kafka"));
  EXPECT_FALSE(Has(after, "Hélène"));

  // Dissociate: the confirmation box is required, then the profile is gone for the partner.
  const std::string dissociate_action = manage + "/dissociate?lang=fr";
  const std::string csrf = "csrf=" + b.tokens[dissociate_action];
  const Response unconfirmed = b.Post(dissociate_action, "application/x-www-form-urlencoded", csrf);
  ExpectPage(unconfirmed, 422);
  EXPECT_TRUE(Has(unconfirmed, "Cochez la case de confirmation"));
  const Response gone = b.Post(dissociate_action, "application/x-www-form-urlencoded", csrf + "&confirm=yes");
  ExpectPage(gone, 200);
  EXPECT_TRUE(Has(gone, "Profil supprimé"));
  EXPECT_TRUE(Has(gone, EscapeHtml(kPartner) + " a été informé"));
  EXPECT_EQ(PartnerProfile(env, "cand-flow").status, 404);
  ExpectPage(b.Get(manage), 404);

  // The invitation was used: 410, without a form.
  const Response reused = b.Get("/invite/" + code + "?lang=en");
  ExpectPage(reused, 410);
  EXPECT_TRUE(Has(reused, "Invitation already used"));
  EXPECT_FALSE(Has(reused, "<form"));
}

TEST(PagesHttp, UnknownAndRevokedLinks) {
  Env& env = Shared();
  Browser b{env.port(), {}, {}};
  const Response unknown = b.Get("/invite/NoSuchCode000000000000000000000?lang=en");
  ExpectPage(unknown, 404);
  EXPECT_TRUE(Has(unknown, "Invitation not found"));
  EXPECT_FALSE(Has(unknown, "<form"));
  ExpectPage(b.Get("/invite/%3Cb%3E"), 404);
  const Response manage = b.Get("/manage/NoSuchToken00000000000000000000");
  ExpectPage(manage, 404);
  EXPECT_TRUE(Has(manage, "Lien introuvable"));
  const std::string form = "csrf=x&confirm=yes";
  ExpectPage(b.Post("/manage/NoSuchToken00000000000000000000/dissociate", "application/x-www-form-urlencoded", form), 403);

  const Response created = jobzen::testing::PostJson(env.port(), "/api/v1/invitations", env.partner.key, R"({"candidate_ref": "cand-revoked"})");
  const json::value inv = json::parse(created.body);
  const std::string id(inv.at("id").as_string());
  const Response revoke = jobzen::testing::Http(env.port(), "DELETE", "/api/v1/invitations/" + id, {{"X-JobZen-Key", env.partner.key}});
  ASSERT_EQ(revoke.status, 200) << revoke.body;
  const Response revoked = b.Get("/invite/" + std::string(inv.at("code").as_string()));
  ExpectPage(revoked, 410);
  EXPECT_TRUE(Has(revoked, "Invitation annulée"));
}

TEST(PagesHttp, PostsAreRateLimitedPerAddress) {
  Env env({"--rate-limit", "0.01", "--rate-burst", "2"});
  const std::string code = Invite(env, "cand-rate");
  Browser b{env.port(), {}, {}};
  b.Get("/invite/" + code);
  Response last;
  for (int i = 0; i < 4 && last.status != 429; ++i) last = b.Post("/invite/" + code, kMultipartType, Multipart({}));
  ExpectPage(last, 429);
  EXPECT_GE(std::stoi(last.Header("Retry-After")), 1);
  EXPECT_TRUE(Has(last, "Trop de tentatives"));
}

TEST(PagesHttp, SecureCookieBehindAnHttpsPublicUrl) {
  Env env({"--public-url", "https://jobzen.example/"});
  const std::string code = Invite(env, "cand-https");
  Browser b{env.port(), {}, {}};
  const Response page = b.Get("/invite/" + code);
  ExpectPage(page, 200);
  EXPECT_TRUE(std::regex_search(page.Header("Set-Cookie"),
                                std::regex("^jz_csrf=[0-9A-Za-z]{32}; Path=/; HttpOnly; SameSite=Strict; Secure$")));
}

TEST(PagesHttp, PdfOverTheLimitIs413) {
  Env env({"--max-pdf-bytes", "1024"});
  const std::string code = Invite(env, "cand-large");
  Browser b{env.port(), {}, {}};
  const std::string action = "/invite/" + code + "?lang=fr";
  b.Get(action);
  const Response r = b.Post(action, kMultipartType,
                            Multipart({{"csrf", b.tokens[action], ""}, {"consent", "yes", ""},
                                       {"cv_file", Fixture("cv_en_one_column.pdf"), "cv.pdf"}}));
  ExpectPage(r, 413);
  EXPECT_TRUE(Has(r, "Ce CV est trop volumineux"));
  EXPECT_TRUE(Has(r, "(1&nbsp;Mo au maximum)"));
}

}  // namespace
