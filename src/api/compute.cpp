// The engine endpoints: /match, /analyze, /score. Each validates the whole body first (no
// quota spent on a bad request), reserves one quota unit, builds the profile from the first
// CV source present, runs the engine and releases the unit if anything fails after that.
// CV content lives in this request's memory only: it is never logged or quoted in errors.
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <functional>

#include "api/candidate_mapping.hpp"
#include "api/json_mapping.hpp"
#include "api/service_impl.hpp"
#include "engine/extract.hpp"
#include "engine/scoring.hpp"
#include "ingest/pdf.hpp"
#include "ingest/text_decode.hpp"
#include "ingest/url_fetch.hpp"

namespace jobzen::api {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxFieldErrors = 50;

// Field errors of one request body, in document order.
struct Errors {
  std::vector<FieldError> list;
  void Add(std::string field, std::string message) {
    if (list.size() < kMaxFieldErrors) list.push_back({std::move(field), std::move(message)});
  }
  bool empty() const { return list.empty(); }
};

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

bool IsJsonContentType(std::string_view ct) {
  ct = ct.substr(0, ct.find(';'));
  while (!ct.empty() && ct.back() == ' ') ct.remove_suffix(1);
  while (!ct.empty() && ct.front() == ' ') ct.remove_prefix(1);
  constexpr std::string_view kJson = "application/json";
  return ct.size() == kJson.size() &&
         std::equal(ct.begin(), ct.end(), kJson.begin(), [](char a, char b) { return std::tolower(a) == b; });
}

// Decodes standard or URL-safe base64, ignoring whitespace and an optional data: URL prefix.
std::optional<std::string> DecodeBase64(std::string_view in) {
  if (in.rfind("data:", 0) == 0) {
    const std::size_t comma = in.find(',');
    if (comma == std::string_view::npos) return std::nullopt;
    in.remove_prefix(comma + 1);
  }
  static const std::array<int, 256> kTable = [] {
    std::array<int, 256> t{};
    t.fill(-1);
    const std::string_view a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < a.size(); ++i) t[static_cast<unsigned char>(a[i])] = static_cast<int>(i);
    t['-'] = 62;
    t['_'] = 63;
    return t;
  }();
  std::string out;
  out.reserve(in.size() / 4 * 3 + 3);
  std::uint32_t acc = 0;
  int bits = 0;
  bool padding = false;
  for (const char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    if (padding || kTable[c] < 0) return std::nullopt;  // data after padding, or a foreign character
    acc = (acc << 6) | static_cast<std::uint32_t>(kTable[c]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (bits >= 6) return std::nullopt;  // a lone trailing character
  return out;
}

struct Options {
  bool explain = false;
  bool structured = false;
  bool evidence = false;
  std::string lang;
  engine::YearMonth as_of;
};

Options ReadOptions(const json::object& body, const Date& today, Errors& errors) {
  Options o;
  o.as_of = {today.year, today.month};
  const json::value* v = body.if_contains("options");
  if (v == nullptr || v->is_null()) return o;
  if (!v->is_object()) {
    errors.Add("options", "must be an object");
    return o;
  }
  const json::object& opts = v->get_object();
  for (auto [name, out] : {std::pair{"explain", &o.explain}, std::pair{"structured", &o.structured},
                           std::pair{"evidence", &o.evidence}}) {
    const json::value* f = opts.if_contains(name);
    if (f == nullptr || f->is_null()) continue;
    if (!f->is_bool()) {
      errors.Add(std::string("options.") + name, "must be true or false");
      continue;
    }
    *out = f->get_bool();
  }
  if (const json::value* f = opts.if_contains("lang"); f != nullptr && !f->is_null()) {
    if (!f->is_string() || (f->get_string() != "fr" && f->get_string() != "en")) {
      errors.Add("options.lang", "must be \"fr\" or \"en\"");
    } else {
      o.lang = std::string(f->get_string());
    }
  }
  if (const json::value* f = opts.if_contains("as_of"); f != nullptr && !f->is_null()) {
    const auto d = f->is_string() ? ParseDate(f->get_string()) : std::nullopt;
    if (!d) {
      errors.Add("options.as_of", "must be a calendar date YYYY-MM-DD");
    } else {
      o.as_of = {d->year, d->month};
    }
  }
  return o;
}

// A required or optional string member of an offer object.
std::string OfferString(const json::object& o, const char* name, const std::string& path, bool required,
                        std::size_t max_chars, Errors& errors) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) {
    if (required) errors.Add(path + "." + name, "is required");
    return {};
  }
  if (std::string(name) == "job_id" && v->is_int64()) return std::to_string(v->get_int64());
  if (!v->is_string()) {
    errors.Add(path + "." + name, "must be a string");
    return {};
  }
  const std::string_view s = v->get_string();
  if (required && s.empty()) errors.Add(path + "." + name, "must not be empty");
  // A string of at most max_chars bytes has at most as many characters: no count needed.
  if (s.size() > max_chars && CodePoints(s) > max_chars) {
    errors.Add(path + "." + name, "must be at most " + std::to_string(max_chars) + " characters");
  }
  return std::string(s);
}

engine::JobOffer ReadOffer(const json::object& o, const std::string& path, const Limits& limits, bool with_id,
                           Errors& errors) {
  engine::JobOffer offer;
  if (with_id) offer.job_id = OfferString(o, "job_id", path, true, 200, errors);
  offer.title = OfferString(o, "title", path, true, 500, errors);
  offer.description = OfferString(o, "description", path, true, limits.max_description_chars, errors);
  offer.requirements = OfferString(o, "requirements", path, false, limits.max_description_chars, errors);
  return offer;
}

enum class CvKind { kNone, kText, kPdf, kUrl, kProfileJson, kStored };

struct CvChoice {
  CvKind kind = CvKind::kNone;
  const json::value* value = nullptr;
  std::string candidate_ref;
};

std::string_view InputName(CvKind kind) {
  switch (kind) {
    case CvKind::kText: return "cv_text";
    case CvKind::kPdf: return "cv_pdf_base64";
    case CvKind::kUrl: return "cv_url";
    case CvKind::kProfileJson: return "profile_json";
    case CvKind::kStored: return "stored_profile";
    case CvKind::kNone: break;
  }
  return "";
}

// The first CV source present, in API.md's order; type errors on the chosen one only.
CvChoice ChooseCv(const json::object& body, bool accept_profile_json, Errors& errors) {
  CvChoice c;
  if (const json::value* ref = body.if_contains("candidate_ref"); ref != nullptr && !ref->is_null()) {
    if (!ref->is_string() || ref->get_string().empty() || ref->get_string().size() > 256) {
      errors.Add("candidate_ref", "must be a non-empty string of at most 256 characters");
    } else {
      c.candidate_ref = std::string(ref->get_string());
    }
  }
  static constexpr std::pair<const char*, CvKind> kSources[] = {
      {"cv_text", CvKind::kText}, {"cv_pdf_base64", CvKind::kPdf}, {"cv_url", CvKind::kUrl},
      {"profile_json", CvKind::kProfileJson}};
  for (const auto& [name, kind] : kSources) {
    const json::value* v = body.if_contains(name);
    if (v == nullptr || v->is_null()) continue;
    c.kind = kind;
    c.value = v;
    if (kind == CvKind::kProfileJson) {
      if (!accept_profile_json) {
        errors.Add(name, "is not accepted by /analyze: send cv_text, cv_pdf_base64 or cv_url");
      } else if (!v->is_object()) {
        errors.Add(name, "must be an object");
      }
    } else if (!v->is_string()) {
      errors.Add(name, "must be a string");
    } else if (v->get_string().empty()) {
      errors.Add(name, "must not be empty");
    }
    return c;
  }
  if (!c.candidate_ref.empty()) c.kind = CvKind::kStored;
  return c;
}

Problem Invalid(Errors& errors) {
  Problem p{"validation_failed", "the request body has invalid fields", std::move(errors.list), {}, {}};
  if (p.errors.size() == 1) p.detail = p.errors[0].field + ": " + p.errors[0].message;
  return p;
}

Problem Missing() {
  return Problem{"cv_missing", "send one CV source: cv_text, cv_pdf_base64, cv_url, profile_json or candidate_ref",
                 {{"cv_text", "no CV source was given"}}, {}, {}};
}

// One quota unit, given back unless the call succeeds.
class Reservation {
 public:
  Reservation(store::Store& store, const store::Principal& p, std::string period)
      : store_(store), partner_(p.partner.id), sandbox_(p.sandbox), period_(std::move(period)) {}
  ~Reservation() {
    if (held_ && !committed_) (void)store_.ReleaseQuota(partner_, period_, sandbox_);
  }
  Reservation(const Reservation&) = delete;
  Reservation& operator=(const Reservation&) = delete;
  Result<bool> Take(std::int64_t limit) {
    auto r = store_.ReserveQuota(partner_, period_, sandbox_, limit);
    held_ = r.ok() && *r;
    return r;
  }
  void Commit() { committed_ = true; }

 private:
  store::Store& store_;
  std::int64_t partner_;
  bool sandbox_;
  std::string period_;
  bool held_ = false;
  bool committed_ = false;
};

}  // namespace

JsonBody ParseJsonBody(const HttpRequest& req) {
  if (!IsJsonContentType(req.content_type)) {
    return {{}, Problem{"unsupported_media_type", "send the body as Content-Type: application/json", {}, {}, {}}};
  }
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 64;
  // One arena per request: the parsed tree is freed at once, not node by node. Moved (not
  // assigned) into the result: assigning across memory resources would copy the whole tree.
  JsonBody b{json::parse(req.body, ec, json::make_shared_resource<json::monotonic_resource>(), opts), {}};
  if (ec) {
    // The parser's message names the problem, never the input.
    b.problem = Problem{"invalid_json", "the body is not valid JSON: " + ec.message(), {}, {}, {}};
  } else if (!b.doc.is_object()) {
    b.problem = Problem{"validation_failed", "the body must be a JSON object", {{"", "must be a JSON object"}}, {}, {}};
  }
  return b;
}

namespace {

// Everything a compute handler shares: parse, validate, look up a stored profile, reserve,
// then build the profile. `validate` reads the endpoint's own fields.
struct Prepared {
  JsonBody body;
  Options options;
  CvChoice cv;
  std::optional<store::CandidateProfile> stored;
  std::optional<HttpResponse> refused;
  std::unique_ptr<Reservation> reservation;
};

struct BuiltProfile {
  engine::Profile profile;
  std::size_t tokens = 0;
};

Problem QuotaExceeded(const Call& call) {
  return Problem{"quota_exceeded", "the monthly quota of this key is used up; it resets at " + ResetAt(call.today), {},
                 {{"reset_at", ResetAt(call.today)}}, {}};
}

}  // namespace

// Defined here rather than in Impl to keep service_impl.hpp free of Boost.JSON.
static Prepared Prepare(Service::Impl& s, Call& call, bool accept_profile_json,
                        const std::function<void(const json::object&, Errors&)>& validate) {
  Prepared p{ParseJsonBody(call.req), {}, {}, {}, {}, {}};
  if (p.body.problem) {
    p.refused = ProblemResponse(*p.body.problem);
    return p;
  }
  const json::object& body = p.body.object();
  Errors errors;
  p.cv = ChooseCv(body, accept_profile_json, errors);
  validate(body, errors);
  p.options = ReadOptions(body, call.today, errors);
  call.cv_input = InputName(p.cv.kind);
  if (!errors.empty()) {
    p.refused = ProblemResponse(Invalid(errors));
    return p;
  }
  if (p.cv.kind == CvKind::kNone) {
    p.refused = ProblemResponse(Missing());
    return p;
  }
  if (p.cv.kind == CvKind::kStored) {
    auto found = s.store.FindCandidate(call.principal->partner.id, p.cv.candidate_ref);
    if (!found) {
      p.refused = ProblemResponse(FromError(found.error()));
      return p;
    }
    if (!*found) {
      p.refused = ProblemResponse(Problem{"candidate_not_found", "no candidate with this ref is linked to your account",
                                          {{"candidate_ref", "unknown candidate"}}, {}, {}});
      return p;
    }
    if (!(*found)->has_profile || !(*found)->profile) {
      p.refused = ProblemResponse(Problem{"profile_not_ready", "the candidate is linked but has no profile yet",
                                          {{"candidate_ref", "no profile yet"}}, {}, {}});
      return p;
    }
    p.stored = std::move(*found);
  }
  p.reservation = std::make_unique<Reservation>(s.store, *call.principal, Period(call.today));
  auto taken = p.reservation->Take(call.principal->quota());
  if (!taken) {
    p.refused = ProblemResponse(FromError(taken.error()));
  } else if (!*taken) {
    s.metrics.QuotaRejected();
    p.refused = ProblemResponse(QuotaExceeded(call));
  }
  return p;
}

Result<engine::Profile> Service::Impl::ProfileFromDocument(std::string_view bytes, bool pdf,
                                                           engine::ExtractOptions options) const {
  const Limits& limits = config.limits;
  if (!pdf) {
    auto text = ingest::DecodeText(bytes, ingest::TextLimits{limits.max_cv_text_bytes});
    if (!text) return text.error();
    return engine::ExtractProfile(*taxonomy, *text, options);
  }
  if (bytes.size() > limits.max_pdf_bytes) {
    return Error{"payload_too_large", "the PDF is over " + std::to_string(limits.max_pdf_bytes) + " bytes"};
  }
  auto text = ingest::ExtractPdfText(bytes, ingest::PdfLimits{limits.max_pdf_bytes, 20, limits.max_cv_text_bytes});
  if (!text) return text.error();
  options.two_column_pages = text->two_column_pages;
  options.image_only_pages = text->image_only_pages;
  return engine::ExtractProfile(*taxonomy, text->text, options);
}

static Result<BuiltProfile> BuildProfile(Service::Impl& s, const Prepared& p, std::string* field) {
  const Limits& limits = s.config.limits;
  engine::ExtractOptions eo;
  eo.as_of = p.options.as_of;
  eo.lang = p.options.lang;
  eo.evidence = p.options.evidence;
  auto built = [](Result<engine::Profile> profile) -> Result<BuiltProfile> {
    if (!profile) return profile.error();
    const std::size_t tokens = profile->tokens;
    return BuiltProfile{std::move(*profile), tokens};
  };
  auto from_text = [&](std::string_view bytes) { return built(s.ProfileFromDocument(bytes, false, eo)); };
  auto from_pdf = [&](std::string_view bytes) { return built(s.ProfileFromDocument(bytes, true, eo)); };
  switch (p.cv.kind) {
    case CvKind::kText: {
      *field = "cv_text";
      const std::string_view text = p.cv.value->get_string();
      if (text.size() > limits.max_cv_text_bytes) {
        return Error{"payload_too_large", "cv_text is over " + std::to_string(limits.max_cv_text_bytes) + " bytes"};
      }
      return from_text(text);
    }
    case CvKind::kPdf: {
      *field = "cv_pdf_base64";
      const std::string_view encoded = p.cv.value->get_string();
      if (encoded.size() / 4 * 3 > limits.max_pdf_bytes + 3 + encoded.size() / 50) {
        return Error{"payload_too_large", "the PDF is over " + std::to_string(limits.max_pdf_bytes) + " bytes"};
      }
      const auto bytes = DecodeBase64(encoded);
      if (!bytes) return Error{"validation_failed", "is not valid base64"};
      if (!ingest::LooksLikePdf(*bytes)) return Error{"cv_unreadable", "cv_pdf_base64 is not a PDF document"};
      return from_pdf(*bytes);
    }
    case CvKind::kUrl: {
      *field = "cv_url";
      ingest::UrlFetchOptions uo = s.config.cv_url;
      uo.max_bytes = std::max(limits.max_pdf_bytes, limits.max_cv_text_bytes);
      auto doc = ingest::FetchUrl(p.cv.value->get_string(), uo);
      if (!doc) return doc.error();
      if (doc->kind == ingest::DocumentKind::kPdf) return from_pdf(doc->bytes);
      return from_text(doc->bytes);
    }
    case CvKind::kProfileJson: {
      *field = "profile_json";
      auto input = ProfileInputFromJson(*p.cv.value);
      if (!input) {
        // "profile_json.skills[0]: must be a string" -> field and message.
        const std::string& d = input.error().detail;
        const std::size_t colon = d.find(": ");
        if (colon != std::string::npos) *field = d.substr(0, colon);
        return Error{"validation_failed", colon != std::string::npos ? d.substr(colon + 2) : d};
      }
      input->lang = p.options.lang;
      return BuiltProfile{engine::ProfileFromInput(*s.taxonomy, *input), 0};
    }
    case CvKind::kStored: {
      *field = "candidate_ref";
      return BuiltProfile{engine::ProfileFromInput(*s.taxonomy, InputFromStored(*p.stored->profile, p.options.lang)), 0};
    }
    case CvKind::kNone: break;
  }
  return Error{"cv_missing", "no CV source"};
}

// Runs `respond` on the built profile; CV errors become problems (the reservation is then
// released by its destructor).
static HttpResponse WithProfile(Service::Impl& s, Call& call, Prepared& p,
                                const std::function<json::object(BuiltProfile&)>& respond) {
  std::string field;
  auto built = BuildProfile(s, p, &field);
  if (!built) {
    Problem problem = FromError(built.error(), field);
    if (problem.code == "validation_failed" && problem.errors.size() == 1) {
      problem.detail = problem.errors[0].field + ": " + problem.errors[0].message;
    }
    return ProblemResponse(problem);
  }
  json::object out = respond(*built);
  p.reservation->Commit();
  (void)call;
  return JsonResponse(Compact(out));
}

HttpResponse Service::Impl::Match(Call& call) {
  std::vector<engine::JobOffer> offers;
  Prepared p = Prepare(*this, call, true, [&](const json::object& body, Errors& errors) {
    const json::value* list = body.if_contains("job_listings");
    if (list == nullptr || list->is_null()) return errors.Add("job_listings", "is required");
    if (!list->is_array()) return errors.Add("job_listings", "must be an array");
    const json::array& a = list->get_array();
    if (a.empty()) return errors.Add("job_listings", "must hold at least one listing");
    if (a.size() > config.limits.max_listings) {
      return errors.Add("job_listings", "must hold at most " + std::to_string(config.limits.max_listings) + " listings");
    }
    offers.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string path = "job_listings[" + std::to_string(i) + "]";
      if (!a[i].is_object()) {
        errors.Add(path, "must be an object");
        continue;
      }
      offers.push_back(ReadOffer(a[i].get_object(), path, config.limits, true, errors));
    }
    call.items = a.size();
  });
  if (p.refused) return std::move(*p.refused);
  return WithProfile(*this, call, p, [&](BuiltProfile& b) {
    engine::ScoreOptions so;
    so.lang = p.options.lang;
    so.explain = p.options.explain;
    so.skill_lists = false;  // /match shows no skill lists
    const unsigned threads = offers.size() >= config.match_parallel_from ? std::max(1u, config.match_threads) : 1u;
    const auto results = engine::ScoreOffers(*taxonomy, b.profile, offers, so, threads, &offer_cache);
    json::object o;
    o["cv_input_used"] = InputName(p.cv.kind);
    if (!p.cv.candidate_ref.empty()) o["candidate_ref"] = p.cv.candidate_ref;
    o["matches"] = MatchEntries(offers, results, so.explain);
    o["usage"] = api::Usage(b.tokens, call.ElapsedMs());
    return o;
  });
}

HttpResponse Service::Impl::Analyze(Call& call) {
  Prepared p = Prepare(*this, call, false, [](const json::object&, Errors&) {});
  if (p.refused) return std::move(*p.refused);
  return WithProfile(*this, call, p, [&](BuiltProfile& b) {
    json::object o = AnalyzeResponse(b.profile, std::string(InputName(p.cv.kind)), p.cv.candidate_ref,
                                     p.options.evidence, call.ElapsedMs());
    o["usage"] = api::Usage(b.tokens, call.ElapsedMs());
    return o;
  });
}

HttpResponse Service::Impl::Score(Call& call) {
  engine::JobOffer offer;
  Prepared p = Prepare(*this, call, true, [&](const json::object& body, Errors& errors) {
    const json::value* job = body.if_contains("job");
    if (job == nullptr || job->is_null()) return errors.Add("job", "is required");
    if (!job->is_object()) return errors.Add("job", "must be an object");
    offer = ReadOffer(job->get_object(), "job", config.limits, false, errors);
    call.items = 1;
  });
  if (p.refused) return std::move(*p.refused);
  return WithProfile(*this, call, p, [&](BuiltProfile& b) {
    engine::ScoreOptions so;
    so.lang = p.options.lang;
    so.explain = true;
    const engine::ScoreResult r = engine::Score(*taxonomy, b.profile, *offer_cache.Get(*taxonomy, offer), so);
    json::object o;
    o["cv_input_used"] = InputName(p.cv.kind);
    if (!p.cv.candidate_ref.empty()) o["candidate_ref"] = p.cv.candidate_ref;
    for (auto& kv : ScoreBody(r, p.options.structured)) o[kv.key()] = kv.value();
    o["usage"] = api::Usage(b.tokens, call.ElapsedMs());
    return o;
  });
}

}  // namespace jobzen::api
