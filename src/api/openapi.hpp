// The OpenAPI 3.1 description of the API (docs/openapi.json), embedded in the binary at build
// time and served at /api/v1/openapi.json.
#pragma once

#include <string_view>

namespace jobzen::api {

std::string_view OpenApiJson();

}  // namespace jobzen::api
