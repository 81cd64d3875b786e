// Known-answer tests (see kat.h). Vectors are kept as the hex strings printed in the standards so
// they can be compared with the documents by eye.
#include "crypto/kat.h"

#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/chacha20_poly1305.h>
#include <wolfssl/wolfcrypt/curve25519.h>
#include <wolfssl/wolfcrypt/ed25519.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/sha.h>
#include <wolfssl/wolfcrypt/sha256.h>

// Every buffer in this file is bounded by this; the longest vector is RFC 8439's 114 bytes.
enum { KAT_MAX = 160 };

#define CHECK(cond)    \
  do {                 \
    if (!(cond)) {     \
      return __LINE__; \
    }                  \
  } while (0)

static int hex_nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes hex (spaces allowed between bytes) into out[0..cap). Returns the byte count, or -1 on
// malformed input or overflow.
static int unhex(const char *hex, unsigned char *out, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; hex[i] != '\0';) {
    if (hex[i] == ' ') {
      i++;
      continue;
    }
    int hi = hex_nibble(hex[i]);
    int lo = hi < 0 ? -1 : hex_nibble(hex[i + 1]);
    if (lo < 0 || n >= cap) return -1;
    out[n++] = (unsigned char)(hi << 4 | lo);
    i += 2;
  }
  return (int)n;
}

// True when buf[0..len) equals the bytes written as hex.
static int equals_hex(const unsigned char *buf, size_t len, const char *hex) {
  unsigned char want[KAT_MAX];
  int n = unhex(hex, want, sizeof(want));
  if (n < 0 || (size_t)n != len) return 0;
  unsigned char diff = 0;
  for (size_t i = 0; i < len; i++) diff |= (unsigned char)(buf[i] ^ want[i]);
  return diff == 0;
}

static size_t cstrlen(const char *s) {
  size_t n = 0;
  while (s[n] != '\0') n++;
  return n;
}

// ------------------------------------------------------------------------- SHA-1 (FIPS 180-4)
// The standard's worked examples: "abc", the 448-bit two-block message, and one million 'a'.
static const char kAbc[] = "abc";
static const char kTwoBlock[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

static int kat_sha1(void) {
  static const struct {
    const char *msg;
    const char *digest;
  } v[] = {
      {kAbc, "a9993e364706816aba3e25717850c26c9cd0d89d"},
      {kTwoBlock, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
      {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
  };
  unsigned char out[WC_SHA_DIGEST_SIZE];
  wc_Sha sha;
  for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    CHECK(wc_InitSha(&sha) == 0);
    CHECK(wc_ShaUpdate(&sha, (const byte *)v[i].msg, (word32)cstrlen(v[i].msg)) == 0);
    CHECK(wc_ShaFinal(&sha, out) == 0);
    wc_ShaFree(&sha);
    CHECK(equals_hex(out, sizeof(out), v[i].digest));
  }
  // One million 'a', fed in uneven pieces to exercise block buffering.
  unsigned char a[997];
  for (size_t i = 0; i < sizeof(a); i++) a[i] = 'a';
  CHECK(wc_InitSha(&sha) == 0);
  for (size_t left = 1000000; left > 0;) {
    size_t n = left < sizeof(a) ? left : sizeof(a);
    CHECK(wc_ShaUpdate(&sha, a, (word32)n) == 0);
    left -= n;
  }
  CHECK(wc_ShaFinal(&sha, out) == 0);
  wc_ShaFree(&sha);
  CHECK(equals_hex(out, sizeof(out), "34aa973cd4c4daa4f61eeb2bdbad27316534016f"));
  return 0;
}

// ----------------------------------------------------------------------- SHA-256 (FIPS 180-4)
static int kat_sha256(void) {
  static const struct {
    const char *msg;
    const char *digest;
  } v[] = {
      {kAbc, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {kTwoBlock, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
  };
  unsigned char out[WC_SHA256_DIGEST_SIZE];
  wc_Sha256 sha;
  for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    CHECK(wc_InitSha256(&sha) == 0);
    CHECK(wc_Sha256Update(&sha, (const byte *)v[i].msg, (word32)cstrlen(v[i].msg)) == 0);
    CHECK(wc_Sha256Final(&sha, out) == 0);
    wc_Sha256Free(&sha);
    CHECK(equals_hex(out, sizeof(out), v[i].digest));
  }
  unsigned char a[997];
  for (size_t i = 0; i < sizeof(a); i++) a[i] = 'a';
  CHECK(wc_InitSha256(&sha) == 0);
  for (size_t left = 1000000; left > 0;) {
    size_t n = left < sizeof(a) ? left : sizeof(a);
    CHECK(wc_Sha256Update(&sha, a, (word32)n) == 0);
    left -= n;
  }
  CHECK(wc_Sha256Final(&sha, out) == 0);
  wc_Sha256Free(&sha);
  CHECK(equals_hex(out, sizeof(out),
                   "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
  return 0;
}

// --------------------------------------------------------------------- HMAC-SHA256 (RFC 4231)
static int kat_hmac_sha256(void) {
  // Keys are hex too; test cases 1, 2, 3 and 6 (key longer than the block size).
  static const struct {
    const char *key_hex;
    const char *data_hex;
    const char *mac;
  } v[] = {
      {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",  // "Hi There"
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"4a656665",  // "Jefe", "what do ya want for nothing?"
       "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
       "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
       "dddddddddddd",
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
       // "Test Using Larger Than Block-Size Key - Hash Key First"
       "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368"
       "204b6579204669727374",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
  };
  unsigned char key[KAT_MAX], data[KAT_MAX], out[WC_SHA256_DIGEST_SIZE];
  for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    int key_len = unhex(v[i].key_hex, key, sizeof(key));
    int data_len = unhex(v[i].data_hex, data, sizeof(data));
    CHECK(key_len > 0 && data_len > 0);
    Hmac hmac;
    CHECK(wc_HmacInit(&hmac, NULL, INVALID_DEVID) == 0);
    CHECK(wc_HmacSetKey(&hmac, WC_SHA256, key, (word32)key_len) == 0);
    CHECK(wc_HmacUpdate(&hmac, data, (word32)data_len) == 0);
    CHECK(wc_HmacFinal(&hmac, out) == 0);
    wc_HmacFree(&hmac);
    CHECK(equals_hex(out, sizeof(out), v[i].mac));
  }
  return 0;
}

// ------------------------------------------------------- AES-128-CTR (SP 800-38A, F.5.1/F.5.2)
static const char kCtrKey[] = "2b7e151628aed2a6abf7158809cf4f3c";
static const char kCtrCounter[] = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
static const char kCtrPlain[] =
    "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 "
    "30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710";
static const char kCtrCipher[] =
    "874d6191b620e3261bef6864990db6ce 9806f66b7970fdff8617187bb9fffdff "
    "5ae4df3edbd5d35e5b4f09020db03eab 1e031dda2fbe03d1792170a0f3009cee";

static int kat_aes128_ctr(void) {
  unsigned char key[16], ctr[16], in[64], out[64];
  CHECK(unhex(kCtrKey, key, sizeof(key)) == 16);
  CHECK(unhex(kCtrCounter, ctr, sizeof(ctr)) == 16);
  // Encrypt in one call, then decrypt in uneven pieces: the keystream must continue across calls.
  static const size_t kSplits[][3] = {{64, 0, 0}, {7, 33, 24}};
  for (size_t dir = 0; dir < 2; dir++) {
    const char *from = dir == 0 ? kCtrPlain : kCtrCipher;
    const char *to = dir == 0 ? kCtrCipher : kCtrPlain;
    CHECK(unhex(from, in, sizeof(in)) == 64);
    Aes aes;
    CHECK(wc_AesInit(&aes, NULL, INVALID_DEVID) == 0);
    // CTR decrypts with the encryption key schedule.
    CHECK(wc_AesSetKeyDirect(&aes, key, sizeof(key), ctr, AES_ENCRYPTION) == 0);
    size_t off = 0;
    for (size_t s = 0; s < 3; s++) {
      size_t n = kSplits[dir][s];
      if (n == 0) continue;
      CHECK(off + n <= sizeof(in));
      CHECK(wc_AesCtrEncrypt(&aes, out + off, in + off, (word32)n) == 0);
      off += n;
    }
    wc_AesFree(&aes);
    CHECK(off == sizeof(in));
    CHECK(equals_hex(out, sizeof(out), to));
  }
  return 0;
}

// ---------------------------------------------------- ChaCha20-Poly1305 AEAD (RFC 8439 2.8.2)
static int kat_chacha20_poly1305(void) {
  static const char kKey[] = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
  static const char kNonce[] = "070000004041424344454647";
  static const char kAad[] = "50515253c0c1c2c3c4c5c6c7";
  static const char kPlain[] =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
      "future, sunscreen would be it.";
  static const char kCipher[] =
      "d31a8d34648e60db7b86afbc53ef7ec2 a4aded51296e08fea9e2b5a736ee62d6 "
      "3dbea45e8ca9671282fafb69da92728b 1a71de0a9e060b2905d6a5b67ecd3b36 "
      "92ddbd7f2d778b8c9803aee328091b58 fab324e4fad675945585808b4831d7bc "
      "3ff4def08e4b7a9de576d26586cec64b 6116";
  static const char kTag[] = "1ae10b594f09e26a7e902ecbd0600691";
  unsigned char key[32], nonce[12], aad[12], ct[KAT_MAX], pt[KAT_MAX], tag[16];
  CHECK(unhex(kKey, key, sizeof(key)) == 32);
  CHECK(unhex(kNonce, nonce, sizeof(nonce)) == 12);
  CHECK(unhex(kAad, aad, sizeof(aad)) == 12);
  const size_t len = cstrlen(kPlain);
  CHECK(len == 114);
  CHECK(wc_ChaCha20Poly1305_Encrypt(key, nonce, aad, sizeof(aad), (const byte *)kPlain, (word32)len,
                                    ct, tag) == 0);
  CHECK(equals_hex(ct, len, kCipher));
  CHECK(equals_hex(tag, sizeof(tag), kTag));
  CHECK(wc_ChaCha20Poly1305_Decrypt(key, nonce, aad, sizeof(aad), ct, (word32)len, tag, pt) == 0);
  for (size_t i = 0; i < len; i++) CHECK(pt[i] == (unsigned char)kPlain[i]);
  // A forged tag must be rejected.
  tag[15] ^= 0x01;
  CHECK(wc_ChaCha20Poly1305_Decrypt(key, nonce, aad, sizeof(aad), ct, (word32)len, tag, pt) ==
        MAC_CMP_FAILED_E);
  return 0;
}

// ---------------------------------------------------------------------- X25519 (RFC 7748)
// RFC 7748 section 5 decodes scalars with clamping; wolfSSL's make_pub wants them pre-clamped.
static void clamp25519(unsigned char k[32]) {
  k[0] &= 248;
  k[31] &= 127;
  k[31] |= 64;
}

static int x25519(const char *scalar_hex, const char *u_hex, unsigned char out[32]) {
  unsigned char k[32], u[32];
  CHECK(unhex(scalar_hex, k, sizeof(k)) == 32);
  CHECK(unhex(u_hex, u, sizeof(u)) == 32);
  curve25519_key priv, pub;
  CHECK(wc_curve25519_init(&priv) == 0);
  CHECK(wc_curve25519_init(&pub) == 0);
  CHECK(wc_curve25519_import_private_ex(k, 32, &priv, EC25519_LITTLE_ENDIAN) == 0);
  CHECK(wc_curve25519_import_public_ex(u, 32, &pub, EC25519_LITTLE_ENDIAN) == 0);
  word32 out_len = 32;
  CHECK(wc_curve25519_shared_secret_ex(&priv, &pub, out, &out_len, EC25519_LITTLE_ENDIAN) == 0);
  CHECK(out_len == 32);
  wc_curve25519_free(&priv);
  wc_curve25519_free(&pub);
  return 0;
}

static int kat_x25519(void) {
  static const char kAlicePriv[] =
      "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
  static const char kAlicePub[] =
      "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
  static const char kBobPriv[] = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
  static const char kBobPub[] = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
  static const char kShared[] = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
  unsigned char out[32];
  int line;
  // Section 5.2, first vector.
  line = x25519("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c", out);
  CHECK(line == 0);
  CHECK(equals_hex(out, 32, "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"));
  // Section 6.1: both public keys from the private keys, then the shared secret both ways.
  static const struct {
    const char *priv;
    const char *pub;
  } party[] = {{kAlicePriv, kAlicePub}, {kBobPriv, kBobPub}};
  for (size_t i = 0; i < 2; i++) {
    unsigned char k[32];
    CHECK(unhex(party[i].priv, k, sizeof(k)) == 32);
    clamp25519(k);
    CHECK(wc_curve25519_make_pub(32, out, 32, k) == 0);
    CHECK(equals_hex(out, 32, party[i].pub));
  }
  CHECK(x25519(kAlicePriv, kBobPub, out) == 0);
  CHECK(equals_hex(out, 32, kShared));
  CHECK(x25519(kBobPriv, kAlicePub, out) == 0);
  CHECK(equals_hex(out, 32, kShared));
  return 0;
}

// ---------------------------------------------------------------- Ed25519 (RFC 8032 7.1)
static int kat_ed25519(void) {
  static const struct {
    const char *secret;
    const char *public_key;
    const char *msg;
    const char *sig;
  } v[] = {
      {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701"
       "cf9b46bd25bf5f0595bbe24655141438e7a100b"},
      {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d"
       "0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
      {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
       "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
       "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f7609"
       "84dc6594a7c15e9716ed28dc027beceea1ec40a"},
  };
  for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    unsigned char secret[ED25519_KEY_SIZE], pub[ED25519_PUB_KEY_SIZE], msg[KAT_MAX];
    unsigned char sig[ED25519_SIG_SIZE];
    CHECK(unhex(v[i].secret, secret, sizeof(secret)) == ED25519_KEY_SIZE);
    int msg_len = unhex(v[i].msg, msg, sizeof(msg));
    CHECK(msg_len >= 0);
    ed25519_key key;
    CHECK(wc_ed25519_init(&key) == 0);
    // Derive the public key from the secret alone, then sign: both deterministic.
    CHECK(wc_ed25519_import_private_only(secret, sizeof(secret), &key) == 0);
    CHECK(wc_ed25519_make_public(&key, pub, sizeof(pub)) == 0);
    CHECK(equals_hex(pub, sizeof(pub), v[i].public_key));
    CHECK(wc_ed25519_import_private_key(secret, sizeof(secret), pub, sizeof(pub), &key) == 0);
    word32 sig_len = sizeof(sig);
    CHECK(wc_ed25519_sign_msg(msg, (word32)msg_len, sig, &sig_len, &key) == 0);
    CHECK(sig_len == ED25519_SIG_SIZE);
    CHECK(equals_hex(sig, sig_len, v[i].sig));
    int verified = 0;
    CHECK(wc_ed25519_verify_msg(sig, sig_len, msg, (word32)msg_len, &verified, &key) == 0);
    CHECK(verified == 1);
    // One flipped signature bit must fail verification.
    sig[7] ^= 0x10;
    verified = 1;
    int ret = wc_ed25519_verify_msg(sig, sig_len, msg, (word32)msg_len, &verified, &key);
    CHECK(ret != 0 || verified == 0);
    CHECK(verified == 0);
    wc_ed25519_free(&key);
  }
  return 0;
}

const crypto_kat crypto_kats[] = {
    {"sha1", kat_sha1},
    {"sha256", kat_sha256},
    {"hmac_sha256", kat_hmac_sha256},
    {"aes128_ctr", kat_aes128_ctr},
    {"chacha20_poly1305", kat_chacha20_poly1305},
    {"x25519", kat_x25519},
    {"ed25519", kat_ed25519},
};

const size_t crypto_kat_count = sizeof(crypto_kats) / sizeof(crypto_kats[0]);
