// String and ctype helpers for wolfSSL in environments without a C library (the kernel).
//
// Prefixed names, so they never collide with a libc or a kernel library linked into the same
// image; user_settings.h maps wolfSSL's XSTR*/XTO* macros onto them. memcpy, memset, memmove and
// memcmp are not here: the compiler emits calls to those by itself, so every freestanding
// environment has to provide them already.
#ifndef CRYPTO_FREESTANDING_H_
#define CRYPTO_FREESTANDING_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

size_t crypto_strlen(const char *s);
int crypto_strcmp(const char *a, const char *b);
int crypto_strncmp(const char *a, const char *b, size_t n);
// ASCII-only case folding, as needed for DNS names.
int crypto_strcasecmp(const char *a, const char *b);
int crypto_strncasecmp(const char *a, const char *b, size_t n);
// Like strncpy: pads with NULs, does not terminate when src is n bytes or longer.
char *crypto_strncpy(char *dst, const char *src, size_t n);
char *crypto_strstr(const char *haystack, const char *needle);
// Finds needle within the first n bytes of haystack (stops at haystack's NUL).
char *crypto_strnstr(const char *haystack, const char *needle, size_t n);
int crypto_tolower(int c);
int crypto_toupper(int c);

#ifdef __cplusplus
}
#endif

#endif  // CRYPTO_FREESTANDING_H_
