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

TEST(Html, RendersPlaceholders) {
  EXPECT_EQ(RenderTemplate("<p>{{a}}</p>{{{b}}}{{a}}", {{"a", "<x>"}, {"b", SafeHtml{"<i>ok</i>"}}, {"unused", "u"}}),
            "<p>&lt;x&gt;</p><i>ok</i>&lt;x&gt;");
  EXPECT_EQ(RenderTemplate("no placeholder { } }}", {}), "no placeholder { } }}");
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

}  // namespace
