// Linked candidates between the engine, the store and JSON: the profile kept for a candidate
// (a subset of the extracted profile, never the CV), the profile the fast path scores with,
// and the JSON of GET /api/v1/candidates/{ref}/profile.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

#include "engine/extract.hpp"
#include "store/store.hpp"

namespace jobzen::api {

// What we keep of an extracted profile: skills, positions, occupation labels, languages and
// levels, experience, seniority, education, certifications, sectors, summary. No salary, no
// evidence offsets, and (as the engine guarantees) no name, e-mail, phone or address.
store::StoredProfile StoredFromProfile(const engine::Profile& profile);

// The engine's data profile for a stored one (the fast path: no text analysis). `lang` is the
// output language wanted ("" keeps the stored profile's).
engine::ProfileInput InputFromStored(const store::StoredProfile& stored, std::string_view lang);

// {ref, active, has_profile, linked_at, profile: {skills, relevant_job_titles,
// profile_summary, ...} | null}.
boost::json::object CandidateJson(const store::CandidateProfile& candidate);

}  // namespace jobzen::api
