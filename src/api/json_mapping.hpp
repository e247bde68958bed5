// JSON mapping of engine results to the API's response shapes (../shared/API.md).
// The only place that knows both the engine types and Boost.JSON.
#pragma once

#include <boost/json/fwd.hpp>
#include <string>

#include "engine/extract.hpp"
#include "engine/result.hpp"
#include "engine/scoring.hpp"

namespace jobzen::api {

// The /analyze `profile` object.
// A JSON array of strings.
boost::json::array Strings(const std::vector<std::string>& values);
// The string, or null when it is empty (an unset date or reason).
boost::json::value StringOrNull(const std::string& value);

boost::json::object ProfileToJson(const engine::Profile& profile);

// The whole /analyze response: {cv_input_used, candidate_ref?, profile, evidence?,
// parse_quality?, usage}; evidence and parse_quality when `evidence` is set.
boost::json::object AnalyzeResponse(const engine::Profile& profile, const std::string& cv_input_used,
                                    const std::string& candidate_ref, bool evidence, double latency_ms);

// Usage block of compute responses: {tokens, latency_ms}.
boost::json::object Usage(std::size_t tokens, double latency_ms);

// One /match entry per offer, sorted by score (ties keep input order):
// [{job_id, title, score, strengths?, gaps?}].
boost::json::array MatchEntries(const std::vector<engine::JobOffer>& offers,
                                const std::vector<engine::ScoreResult>& results, bool explain);

// The /score response: {score, strengths, gaps, recommendation, breakdown?, matched_skills?,
// missing_skills?} (usage is added by the caller).
boost::json::object ScoreBody(const engine::ScoreResult& result, bool structured);

// profile_json (the /analyze profile schema; every field optional) -> engine input. Errors
// ("validation_failed") name the offending field as "profile_json.<field>".
Result<engine::ProfileInput> ProfileInputFromJson(const boost::json::value& v);

// Pretty-printed JSON text (two-space indent, stable key order as built).
std::string Pretty(const boost::json::value& v);

// Compact JSON text. Unlike boost::json::serialize, doubles are written as people write them
// ("latency_ms": 1.023, not 1.023E0); both functions share this number format.
std::string Compact(const boost::json::value& v);

}  // namespace jobzen::api
