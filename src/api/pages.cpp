// The candidate's pages: the invitation (consent and CV upload) and the private management link
// (view, replace, dissociate). Server-rendered HTML (html.hpp) in French or English, forms
// protected by signed CSRF tokens (csrf.hpp), POSTs rate-limited per client address. The CV is
// read in memory for the request only: never logged, stored or echoed back.
#include <chrono>
#include <cstdio>
#include <utility>

#include "api/candidate_mapping.hpp"
#include "api/csrf.hpp"
#include "api/html.hpp"
#include "api/multipart.hpp"
#include "api/service_impl.hpp"
#include "ingest/pdf.hpp"

namespace jobzen::api {

namespace {

// No script, no external resource, no framing; the token in manage URLs never leaves as a
// Referer.
const std::pair<std::string, std::string> kSecurityHeaders[] = {
    {"Content-Security-Policy",
     "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
     "frame-ancestors 'none'; base-uri 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
};

// Percent-encodes one path segment: a code or token from the URL goes back into links intact.
std::string EncodeSegment(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string InvitePath(std::string_view code) { return "/invite/" + EncodeSegment(code); }
std::string ManagePath(std::string_view token) { return "/manage/" + EncodeSegment(token); }

// One candidate-page request: its language and CSRF nonce (the cookie's, or a new one that the
// response sets), and the responses every handler builds.
struct Page {
  Service::Impl& s;
  Call& call;
  Lang lang = Lang::kFr;
  Form query;                             // ?lang=, ?linked=1, ?replaced=1
  std::optional<std::string> cookie_nonce;
  std::string nonce;

  Page(Service::Impl& service, Call& c) : s(service), call(c) {
    auto q = ParseUrlEncoded(call.query);
    if (q) query = std::move(*q);
    lang = PickLang(query.Value("lang"), call.req.accept_language);
    cookie_nonce = CsrfNonceFromCookie(call.req.cookie);
    nonce = cookie_nonce ? *cookie_nonce : NewCsrfNonce();
  }

  std::string LangQuery() const { return "?lang=" + std::string(LangCode(lang)); }
  PageFrame Frame(std::string path) const { return PageFrame{lang, std::move(path)}; }
  std::string Token(std::string_view scope) const { return CsrfToken(CsrfSecret(s.config.csrf_secret), nonce, scope); }
  // The PDF limit as the form states it, in whole MB rounded up (a 1 KB limit reads "1 MB").
  std::size_t MaxPdfMb() const { return (s.config.limits.max_pdf_bytes + (1u << 20) - 1) >> 20; }

  // An HTML response with the security headers, setting the CSRF cookie when it was missing.
  HttpResponse Respond(int status, std::string html) const {
    HttpResponse r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.body = std::move(html);
    for (const auto& h : kSecurityHeaders) r.headers.push_back(h);
    if (!cookie_nonce) {
      // Secure only when we know the public side is HTTPS (TLS may end at a proxy).
      const bool secure = s.config.public_base_url.rfind("https://", 0) == 0;
      r.headers.emplace_back("Set-Cookie", CsrfSetCookie(nonce, secure));
    }
    return r;
  }

  HttpResponse Notice(int status, std::string path, Msg heading, Msg message, std::string_view partner = {}) const {
    return Respond(status, RenderNoticePage(Frame(std::move(path)), heading, message, partner));
  }

  // 303 See Other to a page of ours (the POST-redirect-GET pattern: a reload does not resubmit).
  HttpResponse Redirect(std::string target) const {
    HttpResponse r = Respond(303, "");
    r.headers.emplace_back("Location", std::move(target));
    return r;
  }

  // The checks every form POST passes first: the rate limit of the client address, a readable
  // form, then a CSRF token that matches the cookie for `scope`. `back` is the page to offer
  // on a refusal. Returns the refusal page, or nullopt with *form filled.
  std::optional<HttpResponse> CheckPost(const std::string& scope, const std::string& back, Form* form) {
    call.rate = s.limiter.Take("ip:" + call.req.remote_ip);
    if (!call.rate->allowed) {
      s.metrics.RateLimited();
      HttpResponse r = Notice(429, back, Msg::kRateLimitedTitle, Msg::kRateLimited);
      r.headers.emplace_back("Retry-After", std::to_string(call.rate->retry_after));
      return r;
    }
    auto parsed = ParseForm(call.req.content_type, call.req.body);
    if (!parsed) return Notice(400, back, Msg::kMalformedTitle, Msg::kMalformed);
    *form = std::move(*parsed);
    if (!cookie_nonce || !CsrfValid(CsrfSecret(s.config.csrf_secret), *cookie_nonce, scope, form->Value("csrf"))) {
      return Notice(403, back, Msg::kCsrfTitle, Msg::kCsrf);
    }
    return std::nullopt;
  }
};

// 404 for an unknown code, 410 for a used, expired or revoked invitation, 503 when the store
// fails; nullopt for a pending invitation.
std::optional<HttpResponse> InvitationRefusal(const Page& page, const std::string& path,
                                              const Result<std::optional<store::InvitationView>>& found) {
  if (!found) return page.Notice(503, path, Msg::kUnavailableTitle, Msg::kUnavailable);
  if (!*found) return page.Notice(404, path, Msg::kInviteNotFoundTitle, Msg::kInviteNotFound);
  const std::string& status = (*found)->invitation.status;
  const std::string& partner = (*found)->partner_name;
  if (status == "pending") return std::nullopt;
  if (status == "expired") return page.Notice(410, path, Msg::kInviteExpiredTitle, Msg::kInviteExpired, partner);
  if (status == "revoked") return page.Notice(410, path, Msg::kInviteRevokedTitle, Msg::kInviteRevoked, partner);
  return page.Notice(410, path, Msg::kInviteLinkedTitle, Msg::kInviteLinked, partner);
}

// 404 for an unknown (or dissociated) token, 503 when the store fails.
std::optional<HttpResponse> ManageRefusal(const Page& page, const std::string& path,
                                          const Result<std::optional<store::ManagedCandidate>>& found) {
  if (!found) return page.Notice(503, path, Msg::kUnavailableTitle, Msg::kUnavailable);
  if (!*found) return page.Notice(404, path, Msg::kManageNotFoundTitle, Msg::kManageNotFound);
  return std::nullopt;
}

// The common start of a management form POST (`action` "/replace" or "/dissociate"): the
// checks of Page::CheckPost, then the candidate the token opens. Returns the refusal page, or
// nullopt with *form and *managed filled.
std::optional<HttpResponse> StartManagePost(Page& page, const std::string& token, std::string_view action, Form* form,
                                            store::ManagedCandidate* managed) {
  const std::string path = ManagePath(token);
  if (auto refused = page.CheckPost(path + std::string(action), path, form)) return refused;
  auto found = page.s.store.FindByManageToken(token);
  if (auto refusal = ManageRefusal(page, path, found)) return refusal;
  *managed = std::move(**found);
  return std::nullopt;
}

InviteView InviteForm(const Page& page, const std::string& code, const std::string& partner) {
  InviteView v;
  v.frame = page.Frame(InvitePath(code));
  v.partner_name = partner;
  v.action = InvitePath(code) + page.LangQuery();
  v.csrf = page.Token(InvitePath(code));
  v.max_pdf_mb = page.MaxPdfMb();
  return v;
}

ManageView ManageForm(const Page& page, const std::string& token, const store::ManagedCandidate& managed) {
  const std::string path = ManagePath(token);
  ManageView v;
  v.frame = page.Frame(path);
  v.partner_name = managed.partner_name;
  v.profile = managed.candidate.profile;
  if (v.profile) {
    // Language names from the taxonomy, in the page's language; the code when unknown.
    for (const store::StoredLanguage& l : v.profile->languages) {
      std::string name = l.code;
      for (const engine::SpokenLanguage& known : page.s.taxonomy->languages()) {
        if (known.code == l.code) name = page.lang == Lang::kEn ? known.en : known.fr;
      }
      v.language_names.push_back(std::move(name));
    }
  }
  v.manage_url = page.s.PublicBase(page.call) + path + page.LangQuery();
  v.replace_action = path + "/replace" + page.LangQuery();
  v.replace_csrf = page.Token(path + "/replace");
  v.dissociate_action = path + "/dissociate" + page.LangQuery();
  v.dissociate_csrf = page.Token(path + "/dissociate");
  v.max_pdf_mb = page.MaxPdfMb();
  return v;
}

// The stored profile of the CV a form carries (the PDF file when one was chosen, else the
// pasted text), or the message to show again with the form and its status.
struct CvOutcome {
  std::optional<store::StoredProfile> profile;
  Msg error = Msg::kCvMissing;
  int status = 422;
};

CvOutcome ProfileFromForm(const Page& page, const Form& form) {
  const FormPart* file = form.Find("cv_file");
  const bool pdf = file != nullptr && !file->data.empty();
  const std::string_view text = form.Value("cv_text");
  if (!pdf && text.find_first_not_of(" \t\r\n") == std::string_view::npos) return {};
  if (pdf && file->data.size() > page.s.config.limits.max_pdf_bytes) return {std::nullopt, Msg::kCvTooLarge, 413};
  if (pdf && !ingest::LooksLikePdf(file->data)) return {std::nullopt, Msg::kNotPdf, 422};
  page.call.cv_input = pdf ? "cv_pdf" : "cv_text";
  engine::ExtractOptions options;
  options.as_of = {page.call.today.year, page.call.today.month};
  options.lang = std::string(LangCode(page.lang));  // labels and summary in the candidate's language
  auto profile = page.s.ProfileFromDocument(pdf ? std::string_view(file->data) : text, pdf, options);
  if (!profile) {
    // The error detail is not shown: our own sentence explains what to do instead.
    if (profile.error().code == "payload_too_large") return {std::nullopt, Msg::kCvTooLarge, 413};
    return {std::nullopt, Msg::kCvUnreadable, 422};
  }
  return {StoredFromProfile(*profile)};
}

}  // namespace

HttpResponse Service::Impl::InvitePage(Call& call) {
  const Page page(*this, call);
  const std::string& code = call.params.at(0);
  const auto found = store.FindInvitationByCode(code, NowRfc3339());
  if (auto refusal = InvitationRefusal(page, InvitePath(code), found)) return std::move(*refusal);
  return page.Respond(200, RenderInvitePage(InviteForm(page, code, (*found)->partner_name)));
}

HttpResponse Service::Impl::InviteSubmit(Call& call) {
  Page page(*this, call);
  const std::string& code = call.params.at(0);
  const std::string path = InvitePath(code);
  Form form;
  if (auto refused = page.CheckPost(path, path, &form)) return std::move(*refused);
  const auto found = store.FindInvitationByCode(code, NowRfc3339());
  if (auto refusal = InvitationRefusal(page, path, found)) return std::move(*refusal);
  InviteView again = InviteForm(page, code, (*found)->partner_name);
  again.consent_checked = !form.Value("consent").empty();
  if (!again.consent_checked) {
    again.error = Msg::kConsentRequired;
    return page.Respond(422, RenderInvitePage(again));
  }
  CvOutcome cv = ProfileFromForm(page, form);
  if (!cv.profile) {
    again.error = cv.error;
    return page.Respond(cv.status, RenderInvitePage(again));
  }
  const std::string token = store::GenerateCode(32);
  auto linked = store.LinkCandidate(store::LinkRequest{code, NowRfc3339(), std::move(cv.profile), token});
  if (!linked) {
    // Used, expired or revoked meanwhile: the page says which, as on a fresh visit.
    const auto now_found = store.FindInvitationByCode(code, NowRfc3339());
    if (auto refusal = InvitationRefusal(page, path, now_found)) return std::move(*refusal);
    return page.Notice(503, path, Msg::kUnavailableTitle, Msg::kUnavailable);
  }
  EventsQueued();
  return page.Redirect(ManagePath(token) + page.LangQuery() + "&linked=1");
}

HttpResponse Service::Impl::ManagePage(Call& call) {
  const Page page(*this, call);
  const std::string& token = call.params.at(0);
  const auto found = store.FindByManageToken(token);
  if (auto refusal = ManageRefusal(page, ManagePath(token), found)) return std::move(*refusal);
  ManageView view = ManageForm(page, token, **found);
  if (page.query.Value("linked") == "1") view.banner = Msg::kLinked;
  if (page.query.Value("replaced") == "1") view.banner = Msg::kReplaced;
  return page.Respond(200, RenderManagePage(view));
}

HttpResponse Service::Impl::ManageReplace(Call& call) {
  Page page(*this, call);
  const std::string& token = call.params.at(0);
  const std::string path = ManagePath(token);
  Form form;
  store::ManagedCandidate managed;
  if (auto refused = StartManagePost(page, token, "/replace", &form, &managed)) return std::move(*refused);
  CvOutcome cv = ProfileFromForm(page, form);
  if (!cv.profile) {
    ManageView view = ManageForm(page, token, managed);
    view.replace_error = cv.error;
    return page.Respond(cv.status, RenderManagePage(view));
  }
  auto replaced = store.ReplaceProfile(token, *cv.profile, NowRfc3339());
  if (!replaced) {
    if (replaced.error().code == "not_found") return page.Notice(404, path, Msg::kManageNotFoundTitle, Msg::kManageNotFound);
    return page.Notice(503, path, Msg::kUnavailableTitle, Msg::kUnavailable);
  }
  return page.Redirect(path + page.LangQuery() + "&replaced=1");
}

HttpResponse Service::Impl::ManageDissociate(Call& call) {
  Page page(*this, call);
  const std::string& token = call.params.at(0);
  const std::string path = ManagePath(token);
  Form form;
  store::ManagedCandidate managed;
  if (auto refused = StartManagePost(page, token, "/dissociate", &form, &managed)) return std::move(*refused);
  if (form.Value("confirm").empty()) {
    ManageView view = ManageForm(page, token, managed);
    view.dissociate_error = Msg::kConfirmRequired;
    return page.Respond(422, RenderManagePage(view));
  }
  auto removed = store.DissociateByToken(token, NowRfc3339());
  if (!removed) return page.Notice(503, path, Msg::kUnavailableTitle, Msg::kUnavailable);
  if (!*removed) return page.Notice(404, path, Msg::kManageNotFoundTitle, Msg::kManageNotFound);
  EventsQueued();
  return page.Notice(200, path, Msg::kDissociatedTitle, Msg::kDissociated, managed.partner_name);
}

}  // namespace jobzen::api
