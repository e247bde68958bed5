// UTC instants as unix milliseconds and their RFC 3339 form, for the outbox (due times),
// attempt records and rotation deadlines. Private to webhooks/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jobzen::webhooks {

// Now, in unix milliseconds (system clock).
std::int64_t NowUnixMs();

// "YYYY-MM-DDTHH:MM:SSZ", or "YYYY-MM-DDTHH:MM:SS.mmmZ" with `millis`.
std::string FormatUtc(std::int64_t unix_ms, bool millis);

// Unix milliseconds of "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)"; nullopt when malformed.
// Fractions beyond milliseconds are truncated.
std::optional<std::int64_t> ParseUtc(std::string_view text);

}  // namespace jobzen::webhooks
