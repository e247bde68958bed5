// Test helpers that act as a browser on the candidate pages: the CSRF cookie a page sets, the
// token of each form by its action, and browser-like form bodies (multipart and urlencoded).
#pragma once

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace jobzen::testing {

// Pages fetched as a browser would: keeps the CSRF cookie and the token of each form.
struct Browser {
  int port = 0;
  std::string cookie;                         // "jz_csrf=..."
  std::map<std::string, std::string> tokens;  // form action -> its csrf field

  Response Get(const std::string& target, const Headers& extra = {}) {
    Headers h = extra;
    if (!cookie.empty()) h.emplace_back("Cookie", cookie);
    Response r = Http(port, "GET", target, h);
    const std::string set = r.Header("Set-Cookie");
    if (!set.empty()) cookie = set.substr(0, set.find(';'));
    static const std::regex kForm(R"re(action="([^"]+)"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)")re");
    for (std::sregex_iterator it(r.body.begin(), r.body.end(), kForm), end; it != end; ++it) {
      tokens[std::regex_replace((*it)[1].str(), std::regex("&amp;"), "&")] = (*it)[2];
    }
    return r;
  }

  Response Post(const std::string& action, const std::string& content_type, const std::string& body) const {
    Headers h = {{"Content-Type", content_type}};
    if (!cookie.empty()) h.emplace_back("Cookie", cookie);
    return Http(port, "POST", action, h, body);
  }
};

struct FormField {
  std::string name;
  std::string value;
  std::string filename;  // a file part (application/pdf) when not empty
};

inline const std::string kMultipartType = "multipart/form-data; boundary=----jzFormBoundary7MA4YWxkTrZu0gW";

// A browser-like multipart/form-data body (use with kMultipartType).
inline std::string Multipart(const std::vector<FormField>& fields) {
  std::string body;
  for (const FormField& f : fields) {
    body += "------jzFormBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"" + f.name + "\"";
    if (!f.filename.empty()) body += "; filename=\"" + f.filename + "\"\r\nContent-Type: application/pdf";
    body += "\r\n\r\n" + f.value + "\r\n";
  }
  return body + "------jzFormBoundary7MA4YWxkTrZu0gW--\r\n";
}

// The path of a Location header ("/manage/TOKEN?lang=fr&linked=1" -> "/manage/TOKEN").
inline std::string LocationPath(const Response& r) {
  const std::string location = r.Header("Location");
  return location.substr(0, location.find('?'));
}

}  // namespace jobzen::testing
