// RenderBody: exact bytes, key order, escaping, and the same bytes for the same event.
#include "webhooks/event_body.hpp"

#include <gtest/gtest.h>

#include "store/store.hpp"

namespace {

using jobzen::store::OutboxEvent;
using jobzen::webhooks::RenderBody;

OutboxEvent Event(std::string type, std::string ref, std::string linked_at, bool has_profile) {
  OutboxEvent e;
  e.seq = 7;
  e.event_id = "msg_x";
  e.partner_id = 1;
  e.type = std::move(type);
  e.ref = std::move(ref);
  e.timestamp = "2026-03-01T10:00:00Z";
  e.linked_at = std::move(linked_at);
  e.has_profile = has_profile;
  return e;
}

TEST(EventBody, ExactBytes) {
  struct Case {
    const char* name;
    OutboxEvent event;
    const char* body;
  };
  const Case cases[] = {
      {"linked", Event("candidate.linked", "cand-42", "2026-03-01T09:59:58Z", true),
       R"({"type":"candidate.linked","timestamp":"2026-03-01T10:00:00Z","data":{"ref":"cand-42","linked_at":"2026-03-01T09:59:58Z","has_profile":true}})"},
      {"linked without profile", Event("candidate.linked", "c", "2026-03-01T09:59:58Z", false),
       R"({"type":"candidate.linked","timestamp":"2026-03-01T10:00:00Z","data":{"ref":"c","linked_at":"2026-03-01T09:59:58Z","has_profile":false}})"},
      {"dissociated", Event("candidate.dissociated", "cand-42", "", false),
       R"({"type":"candidate.dissociated","timestamp":"2026-03-01T10:00:00Z","data":{"ref":"cand-42","has_profile":false}})"},
      {"escaped ref", Event("candidate.dissociated", "a\"b\\c\n\x01é", "", false),
       "{\"type\":\"candidate.dissociated\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"data\":{\"ref\":\"a\\\"b\\\\c\\n\\u0001é\",\"has_profile\":false}}"},
      {"test event", Event("webhook.test", "", "", false),
       R"({"type":"webhook.test","timestamp":"2026-03-01T10:00:00Z","data":{}})"},
  };
  for (const Case& c : cases) EXPECT_EQ(RenderBody(c.event), c.body) << c.name;
}

TEST(EventBody, SameEventSameBytes) {
  OutboxEvent e = Event("candidate.linked", "r", "2026-03-01T09:59:58Z", true);
  const std::string first = RenderBody(e);
  e.attempts = 3;  // delivery bookkeeping does not show in the body
  e.next_attempt_ms = 123;
  EXPECT_EQ(RenderBody(e), first);
}

}  // namespace
