// Binary form of a StoredProfile, the plaintext the store seals: a version byte, then each
// field in declaration order, length-prefixed. Private to the store; no JSON needed.
//
//   std::string bytes = EncodeProfile(profile);
//   Result<StoredProfile> back = DecodeProfile(bytes);  // == profile
#pragma once

#include <string>
#include <string_view>

#include "engine/result.hpp"
#include "store/store.hpp"

namespace jobzen::store {

// Version 1: strings are a u32 little-endian length then the bytes; lists a u32 count then
// their items; a language is code then level; experience_years a presence byte then an i32.
std::string EncodeProfile(const StoredProfile& profile);
// The profile `bytes` encode. Error "store_error" for an unknown version, a length running
// past the end or trailing bytes; never reads out of bounds, whatever the input.
Result<StoredProfile> DecodeProfile(std::string_view bytes);

}  // namespace jobzen::store
