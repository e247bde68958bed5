// Test support: process management, a raw socket HTTP client and CLI helpers.
#include "test_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace jobzen::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/jobzen-test-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string JobzenBinary() { return std::string(JOBZEN_BINARY_DIR) + "/jobzen"; }

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ServerProcess::ServerProcess(const fs::path& dir, const std::vector<std::string>& extra_args) : dir_(dir) {
  const fs::path port_file = dir / "port";
  fs::remove(port_file);
  std::vector<std::string> args = {JobzenBinary(), "serve", "--listen", "127.0.0.1:0", "--db", dsn(),
                                   "--port-file", port_file.string(), "--io-threads", "2", "--workers", "2"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = fork();
  if (pid_ == 0) {
    const int fd = ::open(log_file().c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    dup2(fd, 1);
    dup2(fd, 2);
    // The server must not inherit the test's own sockets (a test HTTPS server's listener
    // would stay open in the child and swallow connections meant for it).
    ::close_range(3, ~0U, 0);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(port_file)) {
      std::ifstream in(port_file);
      in >> port_;
      if (port_ > 0) return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("jobzen serve exited at start: " + ReadFile(log_file()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("jobzen serve did not start in time");
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop(SIGKILL);
}

int ServerProcess::Stop(int signal_number) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal_number);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

namespace {

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

int RunJobzen(const std::vector<std::string>& args, std::string* out) {
  std::string cmd = Quote(JobzenBinary());
  for (const auto& a : args) {
    cmd += ' ';
    cmd += Quote(a);
  }
  cmd += " 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buf{};
  std::string text;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) text.append(buf.data(), n);
  const int status = pclose(pipe);
  if (out != nullptr) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

CreatedKey CreatePartner(const std::string& dsn, const std::string& name, const std::string& tier,
                         const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"partner", "create", "--db", dsn, "--name", name, "--tier", tier};
  args.insert(args.end(), extra.begin(), extra.end());
  std::string out;
  if (RunJobzen(args, &out) != 0) throw std::runtime_error("partner create failed");
  CreatedKey k;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("api_key: ", 0) == 0) k.key = line.substr(9);
    if (line.rfind("key_id: ", 0) == 0) k.key_id = std::stoll(line.substr(8));
    if (line.rfind("partner_id: ", 0) == 0) k.partner_id = std::stoll(line.substr(12));
  }
  return k;
}

std::string Response::Header(const std::string& name) const {
  const auto it = headers.find(Lower(name));
  return it == headers.end() ? std::string() : it->second;
}

Connection::Connection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

Connection::~Connection() {
  if (fd_ >= 0) ::close(fd_);
}

bool Connection::SendRaw(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

Response Connection::ReadResponse() {
  Response r;
  auto fill = [&]() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 60000) <= 0) return false;
    char buf[65536];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<std::size_t>(n));
    return true;
  };
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) return r;
  }
  const std::string head = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  std::istringstream in(head);
  std::string line;
  std::getline(in, line);
  if (line.size() < 12) return r;
  r.status = std::stoi(line.substr(9, 3));
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers[Lower(line.substr(0, colon))] = value;
  }
  const std::size_t length = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
  while (buffer_.size() < length) {
    if (!fill()) return r;
  }
  r.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  r.ok = true;
  return r;
}

Response Connection::Request(const std::string& method, const std::string& target, const Headers& headers,
                             const std::string& body) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  if (!SendRaw(req)) return {};
  return ReadResponse();
}

bool Connection::ClosedByPeer(int timeout_ms) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return false;
  char buf[256];
  return ::recv(fd_, buf, sizeof buf, 0) <= 0;
}

Response Http(int port, const std::string& method, const std::string& target, const Headers& headers,
              const std::string& body) {
  Connection c(port);
  return c.Request(method, target, headers, body);
}

Response PostJson(int port, const std::string& path, const std::string& key, const std::string& body) {
  return Http(port, "POST", path, {{"X-JobZen-Key", key}, {"Content-Type", "application/json"}}, body);
}

Response GetWithKey(int port, const std::string& target, const std::string& key) {
  return Http(port, "GET", target, {{"X-JobZen-Key", key}});
}

std::string Base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                            static_cast<unsigned char>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i < bytes.size()) {
    std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace jobzen::testing
