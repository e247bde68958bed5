// ingest::FetchUrl against a local HTTPS server with a self-signed certificate: content types,
// size cap, redirects re-checked on every hop, TLS verification, and the address filter.
#include "ingest/url_fetch.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "tls_test_server.hpp"

namespace {

using jobzen::ingest::DocumentKind;
using jobzen::ingest::FetchUrl;
using jobzen::ingest::IsPublicAddress;
using jobzen::ingest::UrlFetchOptions;
using namespace jobzen::testing;

TEST(UrlFetchAddress, PublicAndNonPublicAddresses) {
  struct Case {
    const char* address;
    bool is_public;
  };
  const Case cases[] = {
      {"8.8.8.8", true},         {"93.184.216.34", true},    {"127.0.0.1", false},       {"127.9.9.9", false},
      {"10.0.0.1", false},       {"172.16.5.4", false},      {"172.32.0.1", true},       {"192.168.1.1", false},
      {"169.254.169.254", false}, {"100.64.0.1", false},     {"0.0.0.0", false},         {"224.0.0.1", false},
      {"255.255.255.255", false}, {"198.18.0.1", false},     {"::1", false},             {"::", false},
      {"fe80::1", false},        {"fc00::1", false},         {"fd12::1", false},         {"ff02::1", false},
      {"::ffff:127.0.0.1", false}, {"::ffff:8.8.8.8", true}, {"64:ff9b::a00:1", false},  {"2002:c0a8:101::1", false},
      {"2001:db8::1", false},    {"2a00:1450:4007::1", true}, {"not an ip", false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsPublicAddress(std::string_view(c.address)), c.is_public) << c.address;
}

class UrlFetch : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.allow_private = true;  // the test server is on loopback
    options_.ca_file = tls_.ca_file();
    options_.timeout = std::chrono::milliseconds(3000);
  }
  TempDir dir_;
  TlsTestServer tls_{dir_.path()};
  UrlFetchOptions options_;
};

TEST_F(UrlFetch, TextAndPdfByContentType) {
  tls_.Route("/cv.txt", {200, "text/plain; charset=utf-8", "Python developer", "", 0});
  tls_.Route("/cv.pdf", {200, "application/pdf", "%PDF-1.4 fake", "", 0});
  tls_.Route("/cv.bin", {200, "application/octet-stream", "%PDF-1.4 sniffed", "", 0});
  tls_.Route("/cv.png", {200, "image/png", "\x89PNG", "", 0});
  auto text = FetchUrl(tls_.Url("/cv.txt"), options_);
  ASSERT_TRUE(text) << text.error().detail;
  EXPECT_EQ(text->kind, DocumentKind::kText);
  EXPECT_EQ(text->bytes, "Python developer");
  auto pdf = FetchUrl(tls_.Url("/cv.pdf", "localhost"), options_);
  ASSERT_TRUE(pdf) << pdf.error().detail;
  EXPECT_EQ(pdf->kind, DocumentKind::kPdf);
  auto bin = FetchUrl(tls_.Url("/cv.bin"), options_);
  ASSERT_TRUE(bin);
  EXPECT_EQ(bin->kind, DocumentKind::kPdf);
  auto png = FetchUrl(tls_.Url("/cv.png"), options_);
  ASSERT_FALSE(png);
  EXPECT_EQ(png.error().code, "cv_unreadable");
}

TEST_F(UrlFetch, PrivateDestinationsRefusedWithoutTheFlag) {
  tls_.Route("/cv.txt", {200, "text/plain", "Python developer", "", 0});
  options_.allow_private = false;
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    auto r = FetchUrl(tls_.Url("/cv.txt", host), options_);
    ASSERT_FALSE(r) << host;
    EXPECT_EQ(r.error().code, "cv_url_forbidden") << host;
  }
}

TEST_F(UrlFetch, RedirectsAreFollowedAndEachHopIsChecked) {
  tls_.Route("/cv.txt", {200, "text/plain", "Python developer", "", 0});
  tls_.Route("/moved", {302, "", "", tls_.Url("/cv.txt", "localhost"), 0});
  tls_.Route("/to-http", {302, "", "", "http://127.0.0.1:1/cv.txt", 0});
  tls_.Route("/loop", {302, "", "", tls_.Url("/loop"), 0});
  auto moved = FetchUrl(tls_.Url("/moved"), options_);
  ASSERT_TRUE(moved) << moved.error().detail;
  EXPECT_EQ(moved->bytes, "Python developer");
  auto http = FetchUrl(tls_.Url("/to-http"), options_);
  ASSERT_FALSE(http);
  EXPECT_EQ(http.error().code, "cv_url_forbidden");
  auto loop = FetchUrl(tls_.Url("/loop"), options_);
  ASSERT_FALSE(loop);
  EXPECT_EQ(loop.error().code, "cv_url_forbidden");
  // A redirect from an allowed host to a private one is refused on the second hop.
  tls_.Route("/to-private", {302, "", "", "https://10.0.0.1/cv.txt", 0});
  options_.allow_private = false;
  auto first = FetchUrl(tls_.Url("/to-private"), options_);
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, "cv_url_forbidden");
}

TEST_F(UrlFetch, SizeCapTimeoutStatusAndTls) {
  tls_.Route("/big", {200, "text/plain", std::string(4096, 'x'), "", 0});
  tls_.Route("/slow", {200, "text/plain", "late", "", 1500});
  tls_.Route("/gone", {404, "text/plain", "nope", "", 0});
  options_.max_bytes = 1024;
  auto big = FetchUrl(tls_.Url("/big"), options_);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, "payload_too_large");
  options_.timeout = std::chrono::milliseconds(300);
  auto slow = FetchUrl(tls_.Url("/slow"), options_);
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code, "cv_url_unreachable");
  options_.timeout = std::chrono::milliseconds(3000);
  auto gone = FetchUrl(tls_.Url("/gone"), options_);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, "cv_url_unreachable");
  // Without the test CA the self-signed certificate is refused.
  options_.ca_file.clear();
  tls_.Route("/cv.txt", {200, "text/plain", "Python developer", "", 0});
  auto untrusted = FetchUrl(tls_.Url("/cv.txt"), options_);
  ASSERT_FALSE(untrusted);
  EXPECT_EQ(untrusted.error().code, "cv_url_unreachable");
}

TEST(UrlFetchParse, OnlyHttpsWithoutCredentials) {
  UrlFetchOptions o;
  for (const char* url : {"http://example.com/cv.pdf", "ftp://example.com/x", "file:///etc/passwd", "not a url",
                          "https://user:pw@example.com/cv", "gopher://x"}) {
    auto r = FetchUrl(url, o);
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, "cv_url_forbidden") << url;
  }
}

}  // namespace
