// The few functions wolfSSL's configuration (user_settings.h) asks the application for, mapped
// onto the platform interface in crypto/platform.h.
#include <wolfssl/internal.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/types.h>

#include "crypto/platform.h"

int crypto_wolfssl_seed(unsigned char *output, unsigned int size) {
  if (output == NULL) return -1;
  return crypto_platform_seed(output, size) == 0 ? 0 : -1;
}

long long crypto_wolfssl_time(void *out) {
  long long now = (long long)crypto_platform_time_s();
  // wolfSSL passes a time_t* (or NULL), like time(); fill it in the same way.
  if (out != NULL) *(time_t *)out = (time_t)now;
  return now;
}

// USER_TICKS: coarse seconds for session cache and ticket lifetimes.
word32 LowResTimer(void) { return (word32)(crypto_platform_ticks_ms() / 1000u); }

// USER_TICKS: milliseconds for TLS 1.3 ticket age (obfuscated_ticket_age in resumption).
#ifdef WOLFSSL_32BIT_MILLI_TIME
word32 TimeNowInMilliseconds(void) { return (word32)crypto_platform_ticks_ms(); }
#else
sword64 TimeNowInMilliseconds(void) { return (sword64)crypto_platform_ticks_ms(); }
#endif
