// Engine -> JSON mapping for /analyze (and, later, the other endpoints).
#include "api/json_mapping.hpp"

#include <boost/json.hpp>

#include <cmath>

namespace jobzen::api {
namespace json = boost::json;

namespace {

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

void PrettyInto(const json::value& v, std::string& out, int indent) {
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  const std::string close(static_cast<std::size_t>(indent), ' ');
  switch (v.kind()) {
    case json::kind::object: {
      const auto& o = v.get_object();
      if (o.empty()) { out += "{}"; return; }
      out += "{\n";
      bool first = true;
      for (const auto& kv : o) {
        if (!first) out += ",\n";
        first = false;
        out += pad + json::serialize(json::value(kv.key())) + ": ";
        PrettyInto(kv.value(), out, indent + 2);
      }
      out += "\n" + close + "}";
      return;
    }
    case json::kind::array: {
      const auto& a = v.get_array();
      if (a.empty()) { out += "[]"; return; }
      bool scalars = true;
      for (const auto& e : a) scalars = scalars && !e.is_object() && !e.is_array();
      if (scalars) { out += json::serialize(v); return; }
      out += "[\n";
      bool first = true;
      for (const auto& e : a) {
        if (!first) out += ",\n";
        first = false;
        out += pad;
        PrettyInto(e, out, indent + 2);
      }
      out += "\n" + close + "]";
      return;
    }
    default:
      out += json::serialize(v);
  }
}

}  // namespace

json::object ProfileToJson(const engine::Profile& p) {
  json::object o;
  o["skills"] = Strings(p.skills);
  o["positions"] = Strings(p.positions);
  json::array langs;
  json::array levels;
  for (const auto& l : p.languages) {
    langs.emplace_back(l.code);
    json::object lv{{"code", l.code}};
    if (!l.level.empty()) lv["level"] = l.level; else lv["level"] = nullptr;
    levels.emplace_back(std::move(lv));
  }
  o["languages"] = std::move(langs);
  o["language_levels"] = std::move(levels);
  if (p.salary) {
    json::object s{{"min", p.salary->min}, {"max", p.salary->max}, {"currency", p.salary->currency}};
    s["period"] = p.salary->period.empty() ? json::value(nullptr) : json::value(p.salary->period);
    s["basis"] = p.salary->basis.empty() ? json::value(nullptr) : json::value(p.salary->basis);
    o["salary_range"] = std::move(s);
  } else {
    o["salary_range"] = nullptr;
  }
  o["sectors"] = Strings(p.sectors);
  o["profile_summary"] = p.summary;
  o["experience_years"] = p.experience_years;
  o["seniority"] = p.seniority;
  o["education_level"] = p.education_level.empty() ? json::value(nullptr) : json::value(p.education_level);
  o["certifications"] = Strings(p.certifications);
  json::array occ;
  for (const auto& oc : p.occupations) {
    json::object j{{"label", oc.label}, {"isco", oc.isco}};
    j["rome"] = oc.rome.empty() ? json::value(nullptr) : json::value(oc.rome);
    occ.emplace_back(std::move(j));
  }
  o["occupations"] = std::move(occ);
  return o;
}

json::object AnalyzeResponse(const engine::Profile& profile, const std::string& cv_input_used,
                             const std::string& candidate_ref, bool evidence, double latency_ms) {
  json::object o;
  o["cv_input_used"] = cv_input_used;
  if (!candidate_ref.empty()) o["candidate_ref"] = candidate_ref;
  o["profile"] = ProfileToJson(profile);
  if (evidence) {
    json::array ev;
    for (const auto& e : profile.evidence) {
      ev.emplace_back(json::object{{"skill", e.skill}, {"start", e.start}, {"end", e.end}});
    }
    o["evidence"] = std::move(ev);
    o["parse_quality"] = json::object{{"score", profile.quality.score}, {"warnings", Strings(profile.quality.warnings)}};
  }
  o["usage"] = json::object{{"tokens", profile.tokens}, {"latency_ms", std::round(latency_ms * 1000.0) / 1000.0}};
  return o;
}

std::string Pretty(const json::value& v) {
  std::string out;
  PrettyInto(v, out, 0);
  out += "\n";
  return out;
}

}  // namespace jobzen::api
