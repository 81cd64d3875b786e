// wolfSSL configuration for ViperDOS (compiled with -DWOLFSSL_USER_SETTINGS).
//
// One file for every environment; the differences are chosen by the compiler's own predefined
// macros so that the same header also works for wolfSSL's assembly sources:
//   __VIPERDOS_KERNEL__  aarch64 EL1, freestanding, -mgeneral-regs-only, no libc at all
//   __VIPERDOS_USER__    aarch64 EL0, picolibc
//   otherwise            the Linux host (x86_64, glibc), used by tests and tools
//
// What we need: a TLS 1.3 client (no server, no TLS 1.2 or older), X25519 and P-256/P-384 key
// exchange, AES-GCM and ChaCha20-Poly1305, RSA-PSS/ECDSA/Ed25519 certificates, SNI, hostname
// checks, session tickets. Everything else stays out to keep the kernel image small.
#ifndef VIPERDOS_CRYPTO_USER_SETTINGS_H_
#define VIPERDOS_CRYPTO_USER_SETTINGS_H_

#if defined(__VIPERDOS_KERNEL__) || defined(__VIPERDOS_USER__)
#define VIPERDOS_WOLFSSL_BAREMETAL 1
#if !defined(__aarch64__)
#error "ViperDOS targets are aarch64 only"
#endif
#endif

// ---------------------------------------------------------------- environment
// The network stack drives wolfSSL from one thread and moves bytes through callbacks
// (wolfSSL_CTX_SetIORecv/SetIOSend); there are no files and no BSD sockets underneath.
#define SINGLE_THREADED
#define NO_FILESYSTEM
#define NO_WRITEV
#define WOLFSSL_USER_IO
#define WOLFSSL_NO_SOCK
#define NO_CRYPT_BENCHMARK        // else the benchmark pulls in stdlib atoi
#define WOLFSSL_IGNORE_FILE_WARN  // ssl.c #includes bio.c, x509.c, ... itself

// Memory, entropy and time come from crypto/platform.h (one implementation per environment).
#define XMALLOC_OVERRIDE
#define XMALLOC(s, h, t) ((void)(h), (void)(t), crypto_platform_malloc((s)))
#define XFREE(p, h, t) ((void)(h), (void)(t), crypto_platform_free((p)))
#define XREALLOC(p, n, h, t) ((void)(h), (void)(t), crypto_platform_realloc((p), (n)))

// Keep wolfSSL's Hash_DRBG and feed it a seed (CUSTOM_RAND_GENERATE_BLOCK would bypass the DRBG).
#define CUSTOM_RAND_GENERATE_SEED crypto_wolfssl_seed
// LowResTimer() and TimeNowInMilliseconds() are ours (crypto/wolfssl_glue.c), instead of
// gettimeofday()/time().
#define USER_TICKS
#define XTIME(tl) crypto_wolfssl_time((tl))

#ifndef __ASSEMBLER__
#include "crypto/platform.h"
#ifdef __cplusplus
extern "C" {
#endif
// Adapters in crypto/wolfssl_glue.c with the exact signatures wolfSSL calls.
int crypto_wolfssl_seed(unsigned char *output, unsigned int size);
long long crypto_wolfssl_time(void *unused);
#ifdef __cplusplus
}
#endif
#endif

// ---------------------------------------------------------------- protocol
#define NO_WOLFSSL_SERVER
#define WOLFSSL_TLS13
#define WOLFSSL_NO_TLS12
#define NO_OLD_TLS
#define HAVE_TLS_EXTENSIONS
#define HAVE_SUPPORTED_CURVES
#define HAVE_SNI
// ALPN when a program asks for it (libtls tls_config.alpn; HTTP/2-capable peers pick by it).
#define HAVE_ALPN
// Keep the verified leaf after the handshake so libtls can report subject, issuer and validity
// (tls_info) and name the certificate's host in a name-mismatch error.
#define KEEP_PEER_CERT
#define HAVE_SESSION_TICKET
#define HAVE_HKDF
// Resumption needs wolfSSL_get1_session/set_session, which vanish with NO_SESSION_CACHE.
#define SMALL_SESSION_CACHE
#define WOLFSSL_ASN_TEMPLATE
#define NO_PSK
#define NO_DH
#define NO_DSA
#define NO_RC4
#define NO_MD4
#define NO_MD5
#define NO_DES3
#define NO_PWDBASED
#define NO_OLD_RNGNAME
#define WOLFSSL_NO_SHAKE128
#define WOLFSSL_NO_SHAKE256

// ---------------------------------------------------------------- algorithms
#define HAVE_AESGCM
// 4-bit GHASH tables (fast, 512 bytes per key). GMULT reads the table as 64-bit words, so the
// table must really be 16-byte aligned: WOLFSSL_USE_ALIGN turns wolfSSL's ALIGN16 markers on
// (without it they are empty and the loads are misaligned, which UBSan reports and -mstrict-align
// code may fault on).
#define GCM_TABLE_4BIT
#define WOLFSSL_USE_ALIGN
#define WOLFSSL_AES_COUNTER
#define WOLFSSL_AES_DIRECT
#define NO_AES_192
#define HAVE_CHACHA
#define HAVE_POLY1305
#define WOLFSSL_SHA384
#define WOLFSSL_SHA512
#define HAVE_CURVE25519
#define HAVE_ED25519
#define HAVE_ECC
#define ECC_USER_CURVES  // P-256 is on by default; P-384 below; nothing else
#define HAVE_ECC384
#define ECC_SHAMIR
#define ECC_TIMING_RESISTANT
#define TFM_TIMING_RESISTANT
#define WC_RSA_BLINDING
#define WC_RSA_PSS
#define WOLFSSL_SMALL_STACK
// SipHash-2-4 (wolfcrypt/src/siphash.c, built on its own as @wolfssl//:siphash for
// //crypto:siphash): the keyed PRF net/tcp uses for its connection table, ISNs, ephemeral ports and
// SYN cookies. No TLS code uses it, so the TLS library is unchanged.
#define WOLFSSL_SIPHASH

// Single-precision math for RSA-2048..4096 and P-256/P-384, generic math for the rest.
#define WOLFSSL_SP_MATH_ALL
#define WOLFSSL_HAVE_SP_RSA
#define WOLFSSL_HAVE_SP_ECC
#define WOLFSSL_SP_384
#define WOLFSSL_SP_4096
#define SP_INT_BITS 4096
// Small SP code without the precomputed P-256/P-384 tables: ~415 KB instead of ~1.1 MB of
// code+rodata for the kernel's TLS client, for a slower (still millisecond) ECDSA/ECDHE.
// Used on the host too, so host tests run the same math paths as the targets.
#define WOLFSSL_SP_SMALL
// Both targets are 64-bit with a native 128-bit product; without this SP falls back to 32-bit
// digits (much slower).
#define HAVE___UINT128_T 1

#if defined(__aarch64__)
// Inline asm for the 64x64->128 multiply and 128/64 divide in sp_int.c (else clang calls
// __udivti3). General registers only, so fine in the kernel.
#define WOLFSSL_SP_ARM64
#define WOLFSSL_AARCH64_BUILD
// The single-precision RSA/ECC code is the portable C one (sp_c64.c, as on the host), not the
// generated ARM64 assembly (sp_arm64.c, WOLFSSL_SP_ARM64_ASM): in 5.5.4 its P-256 code writes
// past its buffer with our settings — an EL0 program calling wc_ecc_verify_hash on an
// OpenSSL-made P-256 signature died with a data abort in sp_256_mont_sqr_4, and in the kernel
// every ECDSA certificate signature failed (ASN_SIG_CONFIRM_E) — consistent with the P-256 fixes
// wolfSSL made after 5.5.4 (PRs #6979 "mark functions as SP_NOINLINE", #6987 "fix register
// clobber list"). sp_c64.c verifies the same signatures (tests/tls:tls_guest_test).
#endif

// ---------------------------------------------------------------- per environment
#if defined(__VIPERDOS_KERNEL__)
// No libc in the kernel: strings and ctype through our own functions (crypto/freestanding.h).
// memcpy/memset/memmove/memcmp themselves must exist anyway (the compiler emits calls to them).
#define STRING_USER
#define CTYPE_USER
#ifndef __ASSEMBLER__
#include "crypto/freestanding.h"
#endif
#define XMEMCPY(d, s, l) __builtin_memcpy((d), (s), (l))
#define XMEMSET(b, c, l) __builtin_memset((b), (c), (l))
#define XMEMCMP(s1, s2, n) __builtin_memcmp((s1), (s2), (n))
#define XMEMMOVE(d, s, l) __builtin_memmove((d), (s), (l))
#define XSTRLEN(s1) crypto_strlen((s1))
#define XSTRNCPY(s1, s2, n) crypto_strncpy((s1), (s2), (n))
#define XSTRSTR(s1, s2) crypto_strstr((s1), (s2))
#define XSTRNSTR(s1, s2, n) crypto_strnstr((s1), (s2), (n))
#define XSTRNCMP(s1, s2, n) crypto_strncmp((s1), (s2), (n))
#define XSTRCMP(s1, s2) crypto_strcmp((s1), (s2))
#define XSTRCASECMP(s1, s2) crypto_strcasecmp((s1), (s2))
#define XSTRNCASECMP(s1, s2, n) crypto_strncasecmp((s1), (s2), (n))
#define XTOLOWER(c) crypto_tolower((c))
#define XTOUPPER(c) crypto_toupper((c))
// ALPN splits the protocol list with strtok: wolfSSL's own (wc_port.c), there is no libc one.
#define USE_WOLF_STRTOK
#define XSTRTOK(s1, d, ptr) wc_strtok((s1), (d), (ptr))
// wolfSSL's own gmtime() (no libc); <time.h> from picolibc only supplies the types.
#define WOLFSSL_GMTIME
#define NO_STDIO_FILESYSTEM
#else
// Hosted: libc has everything; use the reentrant gmtime.
#define HAVE_GMTIME_R
#endif

#endif  // VIPERDOS_CRYPTO_USER_SETTINGS_H_
