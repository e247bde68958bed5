// The JSON body of a webhook event, rendered from its outbox record so that every retry sends
// the same bytes (and a receiver may compare or hash them).
#pragma once

#include <string>
#include <string_view>

namespace jobzen::store {
struct OutboxEvent;
}

namespace jobzen::webhooks {

inline constexpr std::string_view kTestEventType = "webhook.test";

// Compact JSON with keys in a fixed order:
//   {"type":"candidate.linked","timestamp":"<event.timestamp>",
//    "data":{"ref":"<ref>","linked_at":"<linked_at>","has_profile":true}}
// "linked_at" is left out when empty (candidate.dissociated); a webhook.test event has
// "data":{}. Strings are JSON-escaped (Boost.JSON); the same event always gives the same bytes.
std::string RenderBody(const store::OutboxEvent& event);

}  // namespace jobzen::webhooks
