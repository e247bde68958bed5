// ingest::PostUrl and CheckDestination against the local HTTPS server: headers and body as
// sent, statuses as answered (redirects not followed), the response cap, and the destination
// rules shared with FetchUrl.
#include "ingest/url_fetch.hpp"

#include <gtest/gtest.h>

#include "test_receiver.hpp"
#include "test_support.hpp"
#include "tls_test_server.hpp"

namespace {

using namespace jobzen::ingest;
using namespace jobzen::testing;

class PostUrlTest : public ::testing::Test {
 protected:
  TempDir dir_;
  TlsTestServer tls_{dir_.path()};
  UrlFetchOptions options_ = ReceiverOptions(tls_);
};

TEST_F(PostUrlTest, SendsHeadersAndBody) {
  tls_.Route("/hook", {204, "", "", "", 0});
  auto r = PostUrl(tls_.Url("/hook"), {{"webhook-id", "msg_1"}, {"content-type", "application/json"}}, R"({"a":1})",
                   options_);
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->status_code, 204);
  EXPECT_GT(r->latency.count(), 0);
  const auto requests = tls_.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/hook");
  EXPECT_EQ(requests[0].body, R"({"a":1})");
  EXPECT_EQ(requests[0].headers.at("webhook-id"), "msg_1");
  EXPECT_EQ(requests[0].headers.at("content-type"), "application/json");
  EXPECT_EQ(requests[0].headers.count("expect"), 0u);
}

TEST_F(PostUrlTest, StatusesAsAnsweredAndResponsesCapped) {
  tls_.Route("/moved", {302, "", "", tls_.Url("/hook"), 0});
  tls_.Route("/error", {500, "text/plain", "boom", "", 0});
  tls_.Route("/big", {200, "text/plain", std::string(200000, 'x'), "", 0});
  options_.max_bytes = 1024;
  const struct {
    const char* path;
    int status;
  } cases[] = {{"/moved", 302}, {"/error", 500}, {"/missing", 404}, {"/big", 200}};
  for (const auto& c : cases) {
    auto r = PostUrl(tls_.Url(c.path), {}, "{}", options_);
    ASSERT_TRUE(r) << c.path << ": " << r.error().detail;
    EXPECT_EQ(r->status_code, c.status) << c.path;
  }
  EXPECT_EQ(tls_.Requests().size(), 4u);  // the redirect was not followed
}

TEST_F(PostUrlTest, DestinationRules) {
  tls_.Route("/hook", {200, "", "", "", 0});
  UrlFetchOptions strict = options_;
  strict.allow_private = false;
  const struct {
    std::string url;
    const UrlFetchOptions* options;
    const char* error;  // "" when allowed
  } cases[] = {
      {tls_.Url("/hook"), &options_, ""},
      {tls_.Url("/hook", "localhost"), &options_, ""},
      {tls_.Url("/hook"), &strict, "destination_forbidden"},
      {tls_.Url("/hook", "localhost"), &strict, "destination_forbidden"},
      {"https://10.0.0.1/hook", &strict, "destination_forbidden"},
      {"https://[::1]/hook", &strict, "destination_forbidden"},
      {"http://example.com/hook", &options_, "destination_forbidden"},
      {"https://user:pw@example.com/hook", &options_, "destination_forbidden"},
      {"not a url", &options_, "destination_forbidden"},
      {"https://no-such-host.invalid/hook", &options_, "destination_unreachable"},
  };
  for (const auto& c : cases) {
    auto checked = CheckDestination(c.url, *c.options);
    auto posted = PostUrl(c.url, {}, "{}", *c.options);
    if (std::string_view(c.error).empty()) {
      EXPECT_TRUE(checked) << c.url << ": " << checked.error().detail;
      EXPECT_TRUE(posted) << c.url << ": " << posted.error().detail;
      continue;
    }
    ASSERT_FALSE(checked) << c.url;
    ASSERT_FALSE(posted) << c.url;
    EXPECT_EQ(checked.error().code, c.error) << c.url;
    EXPECT_EQ(posted.error().code, c.error) << c.url;
    EXPECT_EQ(checked.error().detail.rfind("url ", 0) == 0 || checked.error().detail.rfind("the url ", 0) == 0, true)
        << c.url << ": " << checked.error().detail;
  }
  EXPECT_EQ(tls_.Requests().size(), 2u);  // only the allowed ones reached the server
  auto where = CheckDestination(tls_.Url("/hook"), options_);
  ASSERT_TRUE(where);
  EXPECT_EQ(where->address, "127.0.0.1");
  EXPECT_EQ(where->port, std::to_string(tls_.port()));
}

TEST_F(PostUrlTest, FailuresWithoutAnAnswer) {
  tls_.Route("/slow", {200, "", "", "", 1500});
  options_.timeout = std::chrono::milliseconds(300);
  auto slow = PostUrl(tls_.Url("/slow"), {}, "{}", options_);
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code, "destination_unreachable");
  options_.timeout = std::chrono::milliseconds(3000);
  UrlFetchOptions untrusted = options_;
  untrusted.ca_file.clear();
  auto tls = PostUrl(tls_.Url("/hook"), {}, "{}", untrusted);
  ASSERT_FALSE(tls);
  EXPECT_EQ(tls.error().code, "destination_unreachable");
  auto injected = PostUrl(tls_.Url("/hook"), {{"x", "a\r\nevil: 1"}}, "{}", options_);
  ASSERT_FALSE(injected);
  EXPECT_EQ(injected.error().code, "invalid_argument");
}

}  // namespace
