// Helpers shared by the host TLS tests (crypto/tls_handshake_test.cc, user/libtls/libtls_test.cc)
// that generate a PKI with the system's openssl and run real servers. Header only: tests list it
// in their srcs (a cc_library here would be built for aarch64 by CI).
#ifndef CRYPTO_TLS_TEST_UTIL_H_
#define CRYPTO_TLS_TEST_UTIL_H_

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace tls_test {

// A fresh directory under $TEST_TMPDIR (or /tmp), "" on failure.
inline std::string TempDir(const char *prefix) {
  const char *base = getenv("TEST_TMPDIR");
  std::string dir = std::string(base != nullptr ? base : "/tmp") + "/" + prefix + "XXXXXX";
  std::vector<char> buf(dir.begin(), dir.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) return "";
  return std::string(buf.data());
}

// Runs a shell command (openssl, nginx), output appended to log; true on exit status 0.
inline bool Run(const std::string &cmd, const std::string &log) {
  std::string full = "(" + cmd + ") >>'" + log + "' 2>&1";
  int status = std::system(full.c_str());
  return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

inline std::string ReadFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace tls_test

#endif  // CRYPTO_TLS_TEST_UTIL_H_
