// Conversions for linked candidates: engine profile -> stored profile -> engine input / JSON.
#include "api/candidate_mapping.hpp"

#include "api/json_mapping.hpp"

#include <boost/json.hpp>

namespace jobzen::api {
namespace json = boost::json;


store::StoredProfile StoredFromProfile(const engine::Profile& profile) {
  store::StoredProfile s;
  s.skills = profile.skills;
  s.positions = profile.positions;
  for (const engine::OccupationRef& o : profile.occupations) s.relevant_job_titles.push_back(o.label);
  for (const engine::LanguageLevel& l : profile.languages) s.languages.push_back({l.code, l.level});
  if (profile.experience_known) s.experience_years = profile.experience_years;
  s.seniority = profile.seniority;
  s.education_level = profile.education_level;
  s.certifications = profile.certifications;
  s.sectors = profile.sectors;
  s.profile_summary = profile.summary;
  s.lang = profile.output_lang;
  return s;
}

engine::ProfileInput InputFromStored(const store::StoredProfile& stored, std::string_view lang) {
  engine::ProfileInput in;
  in.skills = stored.skills;
  in.positions = stored.positions;
  for (const store::StoredLanguage& l : stored.languages) in.languages.push_back({l.code, l.level});
  in.experience_years = stored.experience_years;
  in.seniority = stored.seniority;
  in.education_level = stored.education_level;
  in.lang = lang.empty() ? stored.lang : std::string(lang);
  return in;
}

json::object CandidateJson(const store::CandidateProfile& candidate) {
  json::object o;
  o["ref"] = candidate.ref;
  o["active"] = candidate.active;
  o["has_profile"] = candidate.has_profile && candidate.profile.has_value();
  o["linked_at"] = StringOrNull(candidate.linked_at);
  if (!candidate.profile || !candidate.has_profile) {
    o["profile"] = nullptr;
    return o;
  }
  const store::StoredProfile& s = *candidate.profile;
  json::object p;
  p["skills"] = Strings(s.skills);
  p["relevant_job_titles"] = Strings(s.relevant_job_titles.empty() ? s.positions : s.relevant_job_titles);
  p["profile_summary"] = s.profile_summary;
  p["positions"] = Strings(s.positions);
  json::array langs;
  for (const store::StoredLanguage& l : s.languages) langs.emplace_back(l.code);
  p["languages"] = std::move(langs);
  p["experience_years"] = s.experience_years ? json::value(*s.experience_years) : json::value(nullptr);
  p["seniority"] = StringOrNull(s.seniority);
  o["profile"] = std::move(p);
  return o;
}

}  // namespace jobzen::api
