// Test support for the HTTP tests: a temporary directory, the real `jobzen serve` process on an
// ephemeral 127.0.0.1 port with its own SQLite database, a raw HTTP/1.1 client over POSIX
// sockets, and partner creation through the real `jobzen partner create` command.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace jobzen::testing {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string JobzenBinary();
std::string ReadFile(const std::filesystem::path& p);

// `jobzen serve` on 127.0.0.1:0 with --db sqlite:DIR/jobzen.db, stdout+stderr to DIR/server.log.
class ServerProcess {
 public:
  ServerProcess(const std::filesystem::path& dir, const std::vector<std::string>& extra_args = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  std::string dsn() const { return "sqlite:" + (dir_ / "jobzen.db").string(); }
  std::filesystem::path db_file() const { return dir_ / "jobzen.db"; }
  std::filesystem::path log_file() const { return dir_ / "server.log"; }
  pid_t pid() const { return pid_; }
  // Sends the signal and waits for the exit; returns the exit code (-1 when killed).
  int Stop(int signal_number = 15);

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

struct CreatedKey {
  std::string key;
  long long key_id = 0;
  long long partner_id = 0;
};

// Runs `jobzen partner create`; extra: e.g. {"--sandbox", "--quota", "5"}.
CreatedKey CreatePartner(const std::string& dsn, const std::string& name, const std::string& tier,
                         const std::vector<std::string>& extra = {});
// Runs a jobzen command line (arguments quoted), returns its exit code; stdout into *out.
int RunJobzen(const std::vector<std::string>& args, std::string* out = nullptr);

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool ok = false;  // a whole response was read
  std::string Header(const std::string& name) const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// One HTTP/1.1 connection (keep-alive).
class Connection {
 public:
  explicit Connection(int port);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  bool connected() const { return fd_ >= 0; }
  // Sends raw bytes.
  bool SendRaw(const std::string& bytes);
  Response Request(const std::string& method, const std::string& target, const Headers& headers = {},
                   const std::string& body = "");
  Response ReadResponse();
  // True when the server closed the connection (read returns 0 or an error) within timeout_ms.
  bool ClosedByPeer(int timeout_ms);

 private:
  int fd_ = -1;
  std::string buffer_;
};

// A request on a new connection.
Response Http(int port, const std::string& method, const std::string& target, const Headers& headers = {},
              const std::string& body = "");
// POST with Content-Type: application/json and the key in X-JobZen-Key.
Response PostJson(int port, const std::string& path, const std::string& key, const std::string& body);
Response GetWithKey(int port, const std::string& target, const std::string& key);

std::string Base64(const std::string& bytes);

}  // namespace jobzen::testing
