// The repository's taxonomy (data/taxonomy), loaded once per test binary and shared by tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "engine/taxonomy.hpp"
#include "ingest/files.hpp"

namespace jobzen::engine {

// Null (with a failed expectation) when the taxonomy does not load.
inline std::shared_ptr<const Taxonomy> Real() {
  static const auto t = [] {
    auto r = ingest::LoadTaxonomy(JOBZEN_DATA_DIR);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail);
    return r.ok() ? *r : nullptr;
  }();
  return t;
}

}  // namespace jobzen::engine
