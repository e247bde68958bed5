// HTML for the candidate pages: escaping, a tiny template renderer over the compiled-in
// templates of web/candidate/, the pages' texts in French and English, and the views that turn
// page data into complete HTML documents. No I/O, no store access: unit-testable.
//
//   std::string page = RenderTemplate("<p>{{name}}</p>{{{list}}}",
//                                     {{"name", user_text}, {"list", SafeHtml{built_list}}});
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/store.hpp"

namespace jobzen::api {

// `text` with & < > " ' replaced by entities: safe in element content and quoted attributes.
std::string EscapeHtml(std::string_view text);

// A fragment we built ourselves with every user value escaped: inserted as is.
struct SafeHtml {
  std::string html;
};

// Template variable values: a string is escaped on output, SafeHtml inserted verbatim.
using TemplateVars = std::map<std::string, std::variant<std::string, SafeHtml>, std::less<>>;

// Fills `{{name}}` with the escaped string `name` and `{{{name}}}` with the SafeHtml `name`.
// Extra values are ignored. A template variable without a value, with the other kind of value, or
// unterminated is a programming error: throws std::logic_error (so tests catch it).
std::string RenderTemplate(std::string_view tmpl, const TemplateVars& vars);

// The compiled-in web/candidate/<name>.html ("layout", "invite.fr"...), valid for the whole
// program. Throws std::out_of_range for an unknown name. Defined in the generated
// candidate_templates.cpp.
std::string_view CandidateTemplate(std::string_view name);

// --- The candidate pages -----------------------------------------------------------------

enum class Lang { kFr, kEn };

// "fr" or "en".
std::string_view LangCode(Lang lang);
// `query_lang` ("fr" or "en") when given, else the first fr or en language range of an
// Accept-Language header (q=0 ranges skipped), else French.
Lang PickLang(std::string_view query_lang, std::string_view accept_language);

// Every user-visible sentence the handlers choose, in both languages.
enum class Msg {
  kConsentRequired,
  kCvMissing,
  kNotPdf,
  kCvUnreadable,
  kCvTooLarge,
  kConfirmRequired,
  kLinked,
  kReplaced,
  kInviteNotFoundTitle,
  kInviteNotFound,
  kInviteLinkedTitle,
  kInviteLinked,
  kInviteExpiredTitle,
  kInviteExpired,
  kInviteRevokedTitle,
  kInviteRevoked,
  kManageNotFoundTitle,
  kManageNotFound,
  kCsrfTitle,
  kCsrf,
  kMalformedTitle,
  kMalformed,
  kRateLimitedTitle,
  kRateLimited,
  kUnavailableTitle,
  kUnavailable,
  kDissociatedTitle,
  kDissociated,
};

// The message in `lang` as plain text (escape it on output), "{partner}" replaced by `partner`.
std::string Say(Msg msg, Lang lang, std::string_view partner = {});

// What every page shares: its language and the link of the same page in the other language.
struct PageFrame {
  Lang lang = Lang::kFr;
  std::string path;  // the page's path, percent-encoded (the switcher adds ?lang=)
};

// The invitation page with its consent and CV form.
struct InviteView {
  PageFrame frame;
  std::string partner_name;
  std::string action;             // form action (path and query)
  std::string csrf;               // the form's CSRF token
  std::size_t max_pdf_mb = 10;
  bool consent_checked = false;   // kept when the form comes back with an error
  std::optional<Msg> error;
};
std::string RenderInvitePage(const InviteView& view);

// The management page: the stored profile and the replace and dissociate forms.
struct ManageView {
  PageFrame frame;
  std::string partner_name;
  std::optional<store::StoredProfile> profile;    // absent when linked without a profile
  std::vector<std::string> language_names;        // display names, parallel to profile->languages
  std::string manage_url;                         // absolute link to bookmark
  std::string replace_action, replace_csrf;
  std::string dissociate_action, dissociate_csrf;
  std::size_t max_pdf_mb = 10;
  std::optional<Msg> banner;                      // kLinked, kReplaced
  std::optional<Msg> replace_error, dissociate_error;
};
std::string RenderManagePage(const ManageView& view);

// A page with a heading and one paragraph (not found, gone, refused, deleted...).
std::string RenderNoticePage(const PageFrame& frame, Msg heading, Msg message, std::string_view partner = {});

}  // namespace jobzen::api
