// JSON mapping of engine results to the API's response shapes (../shared/API.md).
// The only place that knows both the engine types and Boost.JSON.
#pragma once

#include <boost/json/fwd.hpp>
#include <string>

#include "engine/extract.hpp"

namespace jobzen::api {

// The /analyze `profile` object.
boost::json::object ProfileToJson(const engine::Profile& profile);

// The whole /analyze response: {cv_input_used, candidate_ref?, profile, evidence?,
// parse_quality?, usage}; evidence and parse_quality when `evidence` is set.
boost::json::object AnalyzeResponse(const engine::Profile& profile, const std::string& cv_input_used,
                                    const std::string& candidate_ref, bool evidence, double latency_ms);

// Pretty-printed JSON text (two-space indent, stable key order as built).
std::string Pretty(const boost::json::value& v);

}  // namespace jobzen::api
