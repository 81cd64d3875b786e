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
#include <utility>
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

// Key specs for `openssl req -newkey`.
constexpr char kKeyP256[] = "ec -pkeyopt ec_paramgen_curve:P-256";
constexpr char kKeyP384[] = "ec -pkeyopt ec_paramgen_curve:P-384";
constexpr char kKeyRsa2048[] = "rsa -pkeyopt rsa_keygen_bits:2048";
constexpr char kKeyRsa4096[] = "rsa -pkeyopt rsa_keygen_bits:4096";
constexpr char kKeyEd25519[] = "ed25519";

// Builds a test PKI with the system's openssl in a fresh temp dir: roots, intermediates and
// server leaves, each as <dir>/<name>.pem + <name>.key; every openssl run is logged to log().
// Roots outlive the leaves they sign (kRootDays > the default leaf validity), so only the dates a
// test asks for can make a chain invalid. A test's PKI derives from it and says what it makes.
class PkiBuilder {
 public:
  static constexpr int kRootDays = 3;
  static constexpr int kLeafDays = 2;

  // org: the O= of every subject ("" for none).
  explicit PkiBuilder(std::string org) : org_(std::move(org)) {}

  // Makes the directory; false if it cannot.
  bool Init(const char *dir_prefix) {
    dir_ = TempDir(dir_prefix);
    if (dir_.empty()) return false;
    log_ = dir_ + "/openssl.log";
    return true;
  }

  // A self-signed CA.
  bool Root(const std::string &name, const std::string &key, const std::string &cn) {
    return Run("openssl req -x509 -newkey " + key + " -nodes -days " + std::to_string(kRootDays) +
                   " -keyout '" + Key(name) + "' -out '" + Cert(name) + "' -subj '" + Subject(cn) +
                   "' -addext basicConstraints=critical,CA:TRUE"
                   " -addext keyUsage=critical,keyCertSign,cRLSign",
               log_);
  }

  // A CA signed by `ca`.
  bool Intermediate(const std::string &name, const std::string &key, const std::string &cn,
                    const std::string &ca) {
    std::ofstream(Ext(name)) << "basicConstraints=critical,CA:TRUE\n"
                             << "keyUsage=critical,keyCertSign,cRLSign\n";
    return Csr(name, key, cn) && SignDays(name, ca, kLeafDays);
  }

  // A server certificate for `host` from `ca`, valid `days` from now. days = 0: notAfter is the
  // moment of issue, so it has expired a second later.
  bool Leaf(const std::string &name, const std::string &key, const std::string &host,
            const std::string &ca, int days = kLeafDays) {
    LeafExt(name, key, host);
    return Csr(name, key, host) && SignDays(name, ca, days);
  }

  // A server certificate for `host` from `ca` valid exactly from `start` to `end`
  // (YYYYMMDDHHMMSSZ). Exact dates need `openssl ca` (x509 -req has only -days).
  bool DatedLeaf(const std::string &name, const std::string &key, const std::string &host,
                 const std::string &ca, const std::string &start, const std::string &end) {
    const std::string base = dir_ + "/" + name;
    std::ofstream(base + ".cnf") << "[ca]\ndefault_ca = d\n[d]\ndatabase = " << base
                                 << ".db\nnew_certs_dir = " << dir_ << "\nserial = " << base
                                 << ".serial\ndefault_md = sha256\n"
                                 << "policy = p\nunique_subject = no\n[p]\ncommonName = supplied\n"
                                 << "organizationName = optional\n";
    std::ofstream(base + ".db").close();
    std::ofstream(base + ".serial") << "1000\n";
    LeafExt(name, key, host);
    return Csr(name, key, host) &&
           Run("openssl ca -batch -notext -config '" + base + ".cnf' -cert '" + Cert(ca) +
                   "' -keyfile '" + Key(ca) + "' -startdate " + start + " -enddate " + end +
                   " -extfile '" + Ext(name) + "' -in '" + base + ".csr' -out '" + Cert(name) + "'",
               log_);
  }

  // Writes the named certificates, concatenated in order, to <dir>/<file> (a chain or a CA
  // bundle); returns its path.
  std::string Concat(const std::string &file, const std::vector<std::string> &names) const {
    std::string path = dir_ + "/" + file;
    std::ofstream out(path);
    for (const std::string &n : names) out << ReadFile(Cert(n));
    return path;
  }

  std::string Cert(const std::string &name) const { return dir_ + "/" + name + ".pem"; }
  std::string Key(const std::string &name) const { return dir_ + "/" + name + ".key"; }
  const std::string &dir() const { return dir_; }
  const std::string &log() const { return log_; }

 private:
  std::string Ext(const std::string &name) const { return dir_ + "/" + name + ".ext"; }
  std::string Subject(const std::string &cn) const {
    return (org_.empty() ? "" : "/O=" + org_) + "/CN=" + cn;
  }
  // keyEncipherment only where the key can encipher (RSA); every leaf signs.
  void LeafExt(const std::string &name, const std::string &key, const std::string &host) const {
    bool rsa = key.compare(0, 3, "rsa") == 0;
    std::ofstream(Ext(name)) << "basicConstraints=critical,CA:FALSE\n"
                             << "keyUsage=critical,digitalSignature"
                             << (rsa ? ",keyEncipherment" : "") << "\n"
                             << "extendedKeyUsage=serverAuth\n"
                             << "subjectAltName=DNS:" << host << "\n";
  }
  bool Csr(const std::string &name, const std::string &key, const std::string &cn) {
    return Run("openssl req -new -newkey " + key + " -nodes -keyout '" + Key(name) + "' -out '" +
                   dir_ + "/" + name + ".csr' -subj '" + Subject(cn) + "'",
               log_);
  }
  bool SignDays(const std::string &name, const std::string &ca, int days) {
    return Run("openssl x509 -req -in '" + dir_ + "/" + name + ".csr' -CA '" + Cert(ca) +
                   "' -CAkey '" + Key(ca) + "' -CAcreateserial -days " + std::to_string(days) +
                   " -sha256 -extfile '" + Ext(name) + "' -out '" + Cert(name) + "'",
               log_);
  }

  std::string org_;
  std::string dir_;
  std::string log_;
};

// The PKI of a test binary (a class with bool Generate()), made on first use and shared by all
// its test suites: key generation takes seconds. *ok tells whether it was generated.
template <class P>
P &SharedPki(bool *ok) {
  static P pki;
  static const bool generated = pki.Generate();
  *ok = generated;
  return pki;
}

}  // namespace tls_test

#endif  // CRYPTO_TLS_TEST_UTIL_H_
