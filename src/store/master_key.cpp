// Master keys: their text form (hex or base64), and where they come from: explicit options,
// $JOBZEN_MASTER_KEY, or a key file created 0600 beside the database on first start.
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>

#include "store/cipher.hpp"

namespace jobzen::store {

namespace {

constexpr const char* kEnvVar = "JOBZEN_MASTER_KEY";
constexpr std::string_view kDefaultKeyFile = "master.key";

Error Malformed() {
  return Error{"master_key", "a master key must be 32 bytes given as base64 (44 characters) or 64 hex digits"};
}

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Base64 value of a character, accepting both the standard and the URL-safe alphabets.
int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

std::optional<std::string> DecodeHex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (const char c : text) {
    const int v = Base64Value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

// The key file's path: the option, else master.key in the database's directory.
std::string KeyFilePath(const MasterKeyOptions& options, std::string_view db_path) {
  if (!options.key_file.empty()) return options.key_file;
  const std::filesystem::path dir = std::filesystem::path(db_path).parent_path();
  return (dir / kDefaultKeyFile).string();
}

// Closes a file descriptor on scope exit.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads an existing key file, refusing one that group or others may access: a key readable
// by any local account defeats encryption at rest.
Result<std::string> ReadKeyFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{"master_key", "cannot read the key file " + path + ": " + std::strerror(errno)};
  FdCloser closer(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return Error{"master_key", "the key file " + path + " is not a regular file"};
  }
  if ((st.st_mode & 077) != 0) {
    return Error{"master_key", "the key file " + path + " is accessible by group or others: chmod 600 " + path};
  }
  std::string text;
  std::array<char, 4096> buf{};
  ssize_t n;
  while ((n = ::read(fd, buf.data(), buf.size())) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{"master_key", "cannot read the key file " + path + ": " + std::strerror(errno)};
    text.append(buf.data(), static_cast<std::size_t>(n));
  }
  OPENSSL_cleanse(buf.data(), buf.size());
  return text;
}

// Creates the key file with a fresh key. Written to a private temporary file first and
// published with link(), which fails when the name exists: a concurrent starter either wins
// or reads the winner's complete file, never a half-written one. fchmod makes the mode 0600
// whatever the umask.
Result<Ok> CreateKeyFile(const std::string& path) {
  std::array<unsigned char, ProfileCipher::kKeyBytes> key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) return Error{"master_key", "RAND_bytes failed"};
  std::string text = EncodeBase64(std::string_view(reinterpret_cast<const char*>(key.data()), key.size())) + "\n";
  OPENSSL_cleanse(key.data(), key.size());
  const std::string tmp = path + ".tmp-" + GenerateCode(12);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Error{"master_key", "cannot create the key file " + path + ": " + std::strerror(errno)};
  bool ok;
  {
    FdCloser closer(fd);
    ok = ::fchmod(fd, 0600) == 0 && WriteAll(fd, text) && ::fsync(fd) == 0;
  }
  OPENSSL_cleanse(text.data(), text.size());
  const int link_errno = ok && ::link(tmp.c_str(), path.c_str()) != 0 ? errno : 0;
  ::unlink(tmp.c_str());
  if (!ok) return Error{"master_key", "cannot write the key file " + path};
  if (link_errno != 0 && link_errno != EEXIST) {
    return Error{"master_key", "cannot create the key file " + path + ": " + std::strerror(link_errno)};
  }
  return Ok{};
}

// The key file's keys, creating the file on first start.
Result<std::vector<std::string>> KeysFromFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return Error{"master_key", "cannot read the key file " + path + ": " + std::strerror(errno)};
    if (auto created = CreateKeyFile(path); !created) return created.error();
  }
  auto text = ReadKeyFile(path);
  if (!text) return text.error();
  auto keys = DecodeMasterKeyList(*text);
  OPENSSL_cleanse(text->data(), text->size());
  if (!keys) return Error{"master_key", "the key file " + path + ": " + keys.error().detail};
  if (keys->empty()) return Error{"master_key", "the key file " + path + " holds no key"};
  return keys;
}

}  // namespace

Result<std::string> DecodeMasterKey(std::string_view text) {
  text = Trim(text);
  std::optional<std::string> key = text.size() == 2 * ProfileCipher::kKeyBytes ? DecodeHex(text) : DecodeBase64(text);
  if (!key || key->size() != ProfileCipher::kKeyBytes) return Malformed();
  return std::move(*key);
}

Result<std::vector<std::string>> DecodeMasterKeyList(std::string_view text) {
  std::vector<std::string> keys;
  while (!text.empty()) {
    const std::size_t end = text.find_first_of(",\n");
    const std::string_view item = Trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (item.empty()) continue;
    auto key = DecodeMasterKey(item);
    if (!key) return key.error();
    keys.push_back(std::move(*key));
  }
  return keys;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

Result<ProfileCipher> ProfileCipher::Load(const MasterKeyOptions& options, std::string_view db_path) {
  Result<std::vector<std::string>> keys = std::vector<std::string>();
  if (!options.keys.empty()) {
    for (const std::string& text : options.keys) {
      auto key = DecodeMasterKey(text);
      if (!key) return key.error();
      keys->push_back(std::move(*key));
    }
  } else if (const char* env = std::getenv(kEnvVar); env != nullptr && !Trim(env).empty()) {
    keys = DecodeMasterKeyList(env);
    if (!keys) return Error{"master_key", "$JOBZEN_MASTER_KEY: " + keys.error().detail};
    if (keys->empty()) return Error{"master_key", "$JOBZEN_MASTER_KEY holds no key"};
  } else {
    keys = KeysFromFile(KeyFilePath(options, db_path));
    if (!keys) return keys.error();
  }
  return FromRawKeys(std::move(*keys));
}

}  // namespace jobzen::store
