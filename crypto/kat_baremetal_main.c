// The known-answer suite (kat.c) as a bare-metal aarch64 program for QEMU: prints one line per
// primitive and returns the number of failures (the harness reports it as BAREMETAL EXIT <n>).
// It also checks the harness's platform glue that TLS depends on: RNDR seeding of wolfSSL's DRBG
// and a plausible RTC.
#include <stdio.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/settings.h>

#include "crypto/kat.h"
#include "crypto/platform.h"

// 2023-01-01T00:00:00Z: the RTC starts at the host's time, which is certainly later.
#define PLAUSIBLE_EPOCH 1672531200ull

static int check_drbg(void) {
  WC_RNG rng;
  if (wc_InitRng(&rng) != 0) return 1;
  unsigned char a[32], b[32];
  int ret = wc_RNG_GenerateBlock(&rng, a, sizeof(a)) | wc_RNG_GenerateBlock(&rng, b, sizeof(b));
  wc_FreeRng(&rng);
  if (ret != 0) return 2;
  int same = 1;
  for (size_t i = 0; i < sizeof(a); i++) same &= a[i] == b[i];
  return same ? 3 : 0;
}

int main(void) {
  int failed = 0;
  for (size_t i = 0; i < crypto_kat_count; i++) {
    int line = crypto_kats[i].run();
    if (line == 0) {
      printf("KAT %s PASS\n", crypto_kats[i].name);
    } else {
      printf("KAT %s FAIL (crypto/kat.c:%d)\n", crypto_kats[i].name, line);
      failed++;
    }
  }
  int drbg = check_drbg();
  printf("DRBG from RNDR seed %s (%d)\n", drbg == 0 ? "PASS" : "FAIL", drbg);
  failed += drbg != 0;
  unsigned long long now = (unsigned long long)crypto_platform_time_s();
  printf("RTC %s (%llu)\n", now >= PLAUSIBLE_EPOCH ? "PASS" : "FAIL", now);
  failed += now < PLAUSIBLE_EPOCH;
  printf("KAT %d failed of %d\n", failed, (int)crypto_kat_count + 2);
  return failed;
}
