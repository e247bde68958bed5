// Engine -> JSON mapping for /analyze (and, later, the other endpoints).
#include "api/json_mapping.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

namespace jobzen::api {
namespace json = boost::json;

namespace {


void ScalarInto(const json::value& v, std::string& out) {
  if (v.is_double()) {
    const double d = v.get_double();
    if (!std::isfinite(d)) {
      out += "null";
      return;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", d);
    out += buf;
    return;
  }
  out += json::serialize(v);
}

void CompactInto(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::value(kv.key()));
        out += ':';
        CompactInto(kv.value(), out);
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        CompactInto(e, out);
      }
      out += ']';
      return;
    }
    default:
      ScalarInto(v, out);
  }
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
      if (scalars) { CompactInto(v, out); return; }
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
      ScalarInto(v, out);
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

json::object Usage(std::size_t tokens, double latency_ms) {
  return json::object{{"tokens", tokens}, {"latency_ms", std::round(latency_ms * 1000.0) / 1000.0}};
}

json::array MatchEntries(const std::vector<engine::JobOffer>& offers, const std::vector<engine::ScoreResult>& results,
                         bool explain) {
  std::vector<std::size_t> order(offers.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return results[a].score > results[b].score; });
  json::array out;
  for (const std::size_t i : order) {
    json::object m{{"job_id", offers[i].job_id}, {"title", offers[i].title}, {"score", results[i].score}};
    if (explain) {
      m["strengths"] = Strings(results[i].strengths);
      m["gaps"] = Strings(results[i].gaps);
    }
    out.emplace_back(std::move(m));
  }
  return out;
}

json::object ScoreBody(const engine::ScoreResult& r, bool structured) {
  json::object o{{"score", r.score}, {"strengths", Strings(r.strengths)}, {"gaps", Strings(r.gaps)},
                 {"recommendation", r.recommendation}};
  if (structured) {
    o["breakdown"] = json::object{{"skills", r.breakdown.skills}, {"experience", r.breakdown.experience},
                                  {"title", r.breakdown.title}, {"languages", r.breakdown.languages}};
    o["matched_skills"] = Strings(r.matched_skills);
    o["missing_skills"] = Strings(r.missing_skills);
  }
  return o;
}

Result<engine::ProfileInput> ProfileInputFromJson(const json::value& v) {
  auto invalid = [](const std::string& field, const std::string& message) {
    return Error{"validation_failed", "profile_json." + field + ": " + message};
  };
  if (!v.is_object()) return Error{"validation_failed", "profile_json: must be an object"};
  const json::object& o = v.get_object();
  engine::ProfileInput in;
  auto strings = [&](const char* field, std::vector<std::string>* out) -> std::optional<Error> {
    const json::value* f = o.if_contains(field);
    if (f == nullptr || f->is_null()) return std::nullopt;
    if (!f->is_array()) return invalid(field, "must be an array of strings");
    for (std::size_t i = 0; i < f->get_array().size(); ++i) {
      const json::value& e = f->get_array()[i];
      if (!e.is_string()) return invalid(std::string(field) + "[" + std::to_string(i) + "]", "must be a string");
      out->emplace_back(e.get_string());
    }
    return std::nullopt;
  };
  if (auto e = strings("skills", &in.skills)) return *e;
  if (auto e = strings("positions", &in.positions)) return *e;
  if (in.positions.empty()) {
    if (auto e = strings("relevant_job_titles", &in.positions)) return *e;
  }
  std::vector<std::string> codes;
  if (auto e = strings("languages", &codes)) return *e;
  for (const auto& c : codes) in.languages.push_back({c, ""});
  if (const json::value* levels = o.if_contains("language_levels"); levels != nullptr && levels->is_array()) {
    for (const json::value& l : levels->get_array()) {
      if (!l.is_object()) continue;
      const json::value* code = l.get_object().if_contains("code");
      const json::value* level = l.get_object().if_contains("level");
      if (code == nullptr || !code->is_string()) continue;
      for (auto& lang : in.languages) {
        if (lang.code == code->get_string() && level != nullptr && level->is_string()) lang.level = std::string(level->get_string());
      }
    }
  }
  if (const json::value* y = o.if_contains("experience_years"); y != nullptr && !y->is_null()) {
    if (!y->is_number()) return invalid("experience_years", "must be a number");
    const double years = y->to_number<double>();
    if (years < 0 || years > 70) return invalid("experience_years", "must be between 0 and 70");
    in.experience_years = static_cast<int>(std::lround(years));
  }
  if (const json::value* s = o.if_contains("seniority"); s != nullptr && s->is_string()) in.seniority = std::string(s->get_string());
  return in;
}

std::string Compact(const json::value& v) {
  std::string out;
  CompactInto(v, out);
  return out;
}

std::string Pretty(const json::value& v) {
  std::string out;
  PrettyInto(v, out, 0);
  out += "\n";
  return out;
}

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::value StringOrNull(const std::string& value) { return value.empty() ? json::value(nullptr) : json::value(value); }

}  // namespace jobzen::api
