// Event bodies through Boost.JSON: a json::object keeps insertion order, so building it in a
// fixed order fixes the bytes.
#include "webhooks/event_body.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "store/store.hpp"

namespace jobzen::webhooks {

std::string RenderBody(const store::OutboxEvent& event) {
  namespace json = boost::json;
  json::object data;
  if (event.type != kTestEventType) {
    data["ref"] = event.ref;
    if (!event.linked_at.empty()) data["linked_at"] = event.linked_at;
    data["has_profile"] = event.has_profile;
  }
  json::object body;
  body["type"] = event.type;
  body["timestamp"] = event.timestamp;
  body["data"] = std::move(data);
  return json::serialize(body);
}

}  // namespace jobzen::webhooks
