// CSRF protection of the candidate pages' forms (double-submit cookie, signed): a random nonce
// lives in the HttpOnly SameSite=Strict cookie jz_csrf; each form carries
// base64url(HMAC-SHA256(secret, nonce + "|" + scope)) where the scope is the form's action path,
// so a token works only with its cookie and only for its form.
//
//   auto nonce = CsrfNonceFromCookie(call.req.cookie);     // nullopt: set a new cookie
//   std::string token = CsrfToken(CsrfSecret(config.csrf_secret), *nonce, "/invite/abc");
//   bool ok = CsrfValid(secret, *nonce, "/invite/abc", form_token);
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jobzen::api {

inline constexpr std::string_view kCsrfCookie = "jz_csrf";
inline constexpr std::size_t kCsrfNonceChars = 32;

// The HMAC key: `configured` when not empty, else a random 32-byte secret made once per
// process (thread-safe; tokens then stop working when the process restarts).
std::string CsrfSecret(std::string_view configured);

// A fresh nonce: 32 base62 characters from the CSPRNG.
std::string NewCsrfNonce();

// The jz_csrf nonce of a Cookie header ("a=1; jz_csrf=..."), nullopt when absent or not
// 32 base62 characters.
std::optional<std::string> CsrfNonceFromCookie(std::string_view cookie_header);

// The Set-Cookie value for a nonce: Path=/, HttpOnly, SameSite=Strict, and Secure when asked.
std::string CsrfSetCookie(std::string_view nonce, bool secure);

// base64url (no padding) HMAC-SHA256 of nonce + "|" + scope, 43 characters.
std::string CsrfToken(std::string_view secret, std::string_view nonce, std::string_view scope);

// True when `token` is the token of (nonce, scope); constant-time comparison.
bool CsrfValid(std::string_view secret, std::string_view nonce, std::string_view scope, std::string_view token);

}  // namespace jobzen::api
