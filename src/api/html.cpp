// HTML escaping, the template renderer and the candidate pages' views and texts.
#include "api/html.hpp"

#include <array>
#include <stdexcept>

namespace jobzen::api {

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderTemplate(std::string_view tmpl, const TemplateVars& vars) {
  std::string out;
  out.reserve(tmpl.size() + 1024);
  std::size_t pos = 0;
  while (true) {
    const std::size_t open = tmpl.find("{{", pos);
    if (open == std::string_view::npos) break;
    out.append(tmpl.substr(pos, open - pos));
    // "{{{" opens a raw template variable; its name ends at "}}}".
    const bool raw = tmpl.substr(open, 3) == "{{{";
    const std::string_view close_mark = raw ? "}}}" : "}}";
    const std::size_t name_at = open + (raw ? 3 : 2);
    const std::size_t close = tmpl.find(close_mark, name_at);
    if (close == std::string_view::npos) throw std::logic_error("unterminated template variable");
    const std::string_view name = tmpl.substr(name_at, close - name_at);
    const auto it = vars.find(name);
    if (it == vars.end()) throw std::logic_error("template variable without a value: " + std::string(name));
    if (raw != std::holds_alternative<SafeHtml>(it->second)) {
      throw std::logic_error("template variable given the wrong kind of value: " + std::string(name));
    }
    out += raw ? std::get<SafeHtml>(it->second).html : EscapeHtml(std::get<std::string>(it->second));
    pos = close + close_mark.size();
  }
  out.append(tmpl.substr(pos));
  return out;
}

std::string_view LangCode(Lang lang) { return lang == Lang::kEn ? "en" : "fr"; }

Lang PickLang(std::string_view query_lang, std::string_view accept_language) {
  if (query_lang == "fr") return Lang::kFr;
  if (query_lang == "en") return Lang::kEn;
  // Ranges in the order sent ("en-GB,en;q=0.9,fr;q=0.8"): the first fr or en wins.
  while (!accept_language.empty()) {
    const std::size_t comma = accept_language.find(',');
    std::string_view range = accept_language.substr(0, comma);
    accept_language = comma == std::string_view::npos ? std::string_view() : accept_language.substr(comma + 1);
    const std::size_t semi = range.find(';');
    const std::string_view params = semi == std::string_view::npos ? std::string_view() : range.substr(semi);
    range = range.substr(0, semi);
    while (!range.empty() && range.front() == ' ') range.remove_prefix(1);
    const std::string_view primary = range.substr(0, range.find('-'));
    // "q=0" (zeros only) marks a language the reader does not accept.
    const bool refused = params.find("q=0") != std::string_view::npos && params.find_first_of("123456789") == std::string_view::npos;
    if (refused) continue;
    if (primary == "fr" || primary == "FR") return Lang::kFr;
    if (primary == "en" || primary == "EN") return Lang::kEn;
  }
  return Lang::kFr;
}

namespace {

struct Text {
  std::string_view fr;
  std::string_view en;
};

// Indexed by Msg. French typography: non-breaking spaces (U+00A0) before ':' and the
// narrow one (U+202F) before '!' '?' ';'; typographic apostrophes.
constexpr std::array kTexts = {
    Text{"Cochez la case de consentement pour relier votre profil.", "Please tick the consent box to link your profile."},
    Text{"Joignez votre CV au format PDF ou collez-en le texte.", "Please attach your CV as a PDF or paste its text."},
    Text{"Ce fichier n’est pas un PDF. Joignez votre CV au format PDF ou collez-en le texte.",
         "This file is not a PDF. Please attach your CV as a PDF or paste its text."},
    Text{"Nous n’avons pas pu lire ce CV. S’il s’agit d’un PDF scanné ou protégé par un mot de passe, collez "
         "plutôt le texte de votre CV.",
         "We could not read this CV. If it is a scanned or password-protected PDF, please paste the text of your "
         "CV instead."},
    Text{"Ce CV est trop volumineux. Envoyez un PDF plus léger ou collez le texte de votre CV.",
         "This CV is too large. Please send a smaller PDF or paste the text of your CV."},
    Text{"Cochez la case de confirmation pour supprimer votre profil.", "Please tick the confirmation box to delete your profile."},
    Text{"C’est fait\u202f! Votre profil est désormais relié à {partner}.", "Done! Your profile is now linked to {partner}."},
    Text{"Votre profil a été remplacé.", "Your profile has been replaced."},
    Text{"Invitation introuvable", "Invitation not found"},
    Text{"Ce lien d’invitation n’existe pas. Vérifiez l’adresse ou demandez un nouveau lien à l’organisme qui "
         "vous l’a envoyé.",
         "This invitation link does not exist. Check the address or ask the organisation that sent it for a new "
         "link."},
    Text{"Invitation déjà utilisée", "Invitation already used"},
    Text{"Cette invitation de {partner} a déjà servi à relier un profil. Pour gérer ce profil, utilisez le lien "
         "privé obtenu à ce moment-là.",
         "This invitation from {partner} has already been used to link a profile. To manage that profile, use the "
         "private link you received then."},
    Text{"Invitation expirée", "Invitation expired"},
    Text{"Cette invitation de {partner} a expiré. Demandez-lui un nouveau lien.",
         "This invitation from {partner} has expired. Please ask them for a new link."},
    Text{"Invitation annulée", "Invitation withdrawn"},
    Text{"{partner} a annulé cette invitation. Aucun profil n’a été relié.",
         "{partner} has withdrawn this invitation. No profile was linked."},
    Text{"Lien introuvable", "Link not found"},
    Text{"Ce lien privé n’existe pas, ou le profil auquel il menait a été supprimé.",
         "This private link does not exist, or the profile it led to has been deleted."},
    Text{"Formulaire expiré", "Form expired"},
    Text{"Ce formulaire a expiré ou n’a pas été envoyé depuis cette page. Rechargez la page et réessayez.",
         "This form has expired or was not sent from this page. Please reload the page and try again."},
    Text{"Formulaire illisible", "Unreadable form"},
    Text{"Le formulaire envoyé n’a pas pu être lu. Rechargez la page et réessayez.",
         "The form you sent could not be read. Please reload the page and try again."},
    Text{"Trop de tentatives", "Too many attempts"},
    Text{"Vous avez envoyé trop de demandes en peu de temps. Patientez quelques instants avant de réessayer.",
         "You have sent too many requests in a short time. Please wait a moment before trying again."},
    Text{"Service momentanément indisponible", "Service temporarily unavailable"},
    Text{"Nous ne pouvons pas traiter votre demande pour le moment. Réessayez dans quelques minutes.",
         "We cannot process your request right now. Please try again in a few minutes."},
    Text{"Profil supprimé", "Profile deleted"},
    Text{"Votre profil a été supprimé et {partner} a été informé que vous n’êtes plus relié à son compte. Ce lien "
         "privé ne fonctionne plus.",
         "Your profile has been deleted and {partner} has been told that you are no longer linked to its account. "
         "This private link no longer works."},
};
static_assert(kTexts.size() == static_cast<std::size_t>(Msg::kDissociated) + 1, "one text per Msg");

constexpr Text kFooter{"JobZen rapproche CV et offres d’emploi. Votre CV n’est jamais conservé.",
                       "JobZen matches CVs with job offers. Your CV is never kept."};

std::string_view In(const Text& text, Lang lang) { return lang == Lang::kEn ? text.en : text.fr; }

// A localised template: "invite" -> invite.fr.html or invite.en.html.
std::string_view Localised(std::string_view name, Lang lang) {
  return CandidateTemplate(std::string(name) + "." + std::string(LangCode(lang)));
}

// The whole document around a page body.
std::string RenderLayout(const PageFrame& frame, std::string_view title, SafeHtml body) {
  const Lang other = frame.lang == Lang::kFr ? Lang::kEn : Lang::kFr;
  return RenderTemplate(CandidateTemplate("layout"),
                        {{"lang", std::string(LangCode(frame.lang))},
                         {"title", std::string(title)},
                         {"switch_href", frame.path + "?lang=" + std::string(LangCode(other))},
                         {"switch_lang", std::string(LangCode(other))},
                         {"switch_label", other == Lang::kEn ? "English" : "Français"},
                         {"footer", std::string(In(kFooter, frame.lang))},
                         {"body", std::move(body)}});
}

// A message box (error, success) or nothing.
SafeHtml Box(const std::optional<Msg>& msg, std::string_view css_class, Lang lang, std::string_view partner) {
  if (!msg) return {};
  const std::string_view role = css_class == "error" ? "alert" : "status";
  return {"<p class=\"" + std::string(css_class) + "\" role=\"" + std::string(role) + "\">" +
          EscapeHtml(Say(*msg, lang, partner)) + "</p>"};
}

SafeHtml CvFields(Lang lang, std::size_t max_pdf_mb) {
  return {RenderTemplate(Localised("cv_fields", lang), {{"max_mb", std::to_string(max_pdf_mb)}})};
}

// A list of values as tags, or a muted "none".
SafeHtml TagList(const std::vector<std::string>& items, Lang lang) {
  if (items.empty()) return {"<span class=\"none\">" + std::string(In({"aucune donnée", "none found"}, lang)) + "</span>"};
  std::string html = "<ul class=\"tags\">";
  for (const std::string& item : items) html += "<li>" + EscapeHtml(item) + "</li>";
  return {html + "</ul>"};
}

std::string Experience(const std::optional<int>& years, Lang lang) {
  if (!years) return std::string(In({"non précisée", "not stated"}, lang));
  if (*years == 0) return std::string(In({"moins d’un an", "less than a year"}, lang));
  const std::string n = std::to_string(*years);
  if (lang == Lang::kEn) return n + (*years == 1 ? " year" : " years");
  return n + (*years == 1 ? "\u00a0an" : "\u00a0ans");
}

std::string Seniority(std::string_view level, Lang lang) {
  static constexpr std::array<std::pair<std::string_view, Text>, 4> kLevels = {{
      {"junior", {"junior", "junior"}},
      {"mid", {"confirmé", "mid-level"}},
      {"senior", {"senior", "senior"}},
      {"lead", {"expert, encadrement", "lead"}},
  }};
  for (const auto& [code, text] : kLevels) {
    if (code == level) return std::string(In(text, lang));
  }
  return level.empty() ? std::string(In({"non précisé", "not stated"}, lang)) : std::string(level);
}

// "anglais (C1)": display names with their CEFR levels.
std::vector<std::string> LanguageLines(const ManageView& view) {
  std::vector<std::string> lines;
  const auto& langs = view.profile->languages;
  for (std::size_t i = 0; i < langs.size(); ++i) {
    std::string line = i < view.language_names.size() ? view.language_names[i] : langs[i].code;
    // CEFR levels read the same in both languages; "native" does not.
    const std::string& level = langs[i].level;
    if (!level.empty()) line += " (" + (level == "native" ? std::string(In({"langue maternelle", "native"}, view.frame.lang)) : level) + ")";
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace

std::string Say(Msg msg, Lang lang, std::string_view partner) {
  std::string text(In(kTexts.at(static_cast<std::size_t>(msg)), lang));
  for (std::size_t at = text.find("{partner}"); at != std::string::npos; at = text.find("{partner}", at + partner.size())) {
    text.replace(at, 9, partner);
  }
  return text;
}

std::string RenderInvitePage(const InviteView& view) {
  const Lang lang = view.frame.lang;
  const std::string body = RenderTemplate(Localised("invite", lang),
                                          {{"partner", view.partner_name},
                                           {"action", view.action},
                                           {"csrf", view.csrf},
                                           {"consent_checked", SafeHtml{view.consent_checked ? " checked" : ""}},
                                           {"error", Box(view.error, "error", lang, view.partner_name)},
                                           {"cv_fields", CvFields(lang, view.max_pdf_mb)}});
  const std::string title = lang == Lang::kEn ? "Invitation from " + view.partner_name : "Invitation de " + view.partner_name;
  return RenderLayout(view.frame, title, {body});
}

std::string RenderManagePage(const ManageView& view) {
  const Lang lang = view.frame.lang;
  const store::StoredProfile empty;
  const store::StoredProfile& p = view.profile ? *view.profile : empty;
  const std::string body =
      RenderTemplate(Localised("manage", lang),
                     {{"banner", Box(view.banner, "ok", lang, view.partner_name)},
                      {"partner", view.partner_name},
                      {"manage_url", view.manage_url},
                      {"skills", TagList(p.skills, lang)},
                      {"titles", TagList(p.relevant_job_titles, lang)},
                      {"languages", TagList(view.profile ? LanguageLines(view) : std::vector<std::string>{}, lang)},
                      {"experience", Experience(p.experience_years, lang)},
                      {"seniority", Seniority(p.seniority, lang)},
                      {"summary", p.profile_summary.empty() ? std::string("—") : p.profile_summary},
                      {"replace_error", Box(view.replace_error, "error", lang, view.partner_name)},
                      {"replace_action", view.replace_action},
                      {"replace_csrf", view.replace_csrf},
                      {"cv_fields", CvFields(lang, view.max_pdf_mb)},
                      {"dissociate_error", Box(view.dissociate_error, "error", lang, view.partner_name)},
                      {"dissociate_action", view.dissociate_action},
                      {"dissociate_csrf", view.dissociate_csrf}});
  return RenderLayout(view.frame, In({"Mon profil", "My profile"}, lang), {body});
}

std::string RenderNoticePage(const PageFrame& frame, Msg heading, Msg message, std::string_view partner) {
  const std::string title = Say(heading, frame.lang, partner);
  const std::string body = RenderTemplate(CandidateTemplate("notice"),
                                          {{"heading", title}, {"message", Say(message, frame.lang, partner)}});
  return RenderLayout(frame, title, {body});
}

}  // namespace jobzen::api
