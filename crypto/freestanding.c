// Freestanding string helpers (see freestanding.h). Plain byte loops: wolfSSL uses these only on
// short strings (host names, PEM headers), never on bulk data.
#include "crypto/freestanding.h"

size_t crypto_strlen(const char *s) {
  size_t n = 0;
  while (s[n] != '\0') n++;
  return n;
}

int crypto_strncmp(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char ca = (unsigned char)a[i];
    unsigned char cb = (unsigned char)b[i];
    if (ca != cb) return ca < cb ? -1 : 1;
    if (ca == '\0') return 0;
  }
  return 0;
}

int crypto_strcmp(const char *a, const char *b) { return crypto_strncmp(a, b, (size_t)-1); }

int crypto_tolower(int c) { return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c; }

int crypto_toupper(int c) { return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c; }

int crypto_strncasecmp(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int ca = crypto_tolower((unsigned char)a[i]);
    int cb = crypto_tolower((unsigned char)b[i]);
    if (ca != cb) return ca < cb ? -1 : 1;
    if (ca == '\0') return 0;
  }
  return 0;
}

int crypto_strcasecmp(const char *a, const char *b) { return crypto_strncasecmp(a, b, (size_t)-1); }

char *crypto_strncpy(char *dst, const char *src, size_t n) {
  size_t i = 0;
  for (; i < n && src[i] != '\0'; i++) dst[i] = src[i];
  for (; i < n; i++) dst[i] = '\0';
  return dst;
}

char *crypto_strnstr(const char *haystack, const char *needle, size_t n) {
  size_t len = crypto_strlen(needle);
  if (len == 0) return (char *)haystack;
  for (size_t i = 0; len <= n - i && haystack[i] != '\0'; i++) {
    if (crypto_strncmp(haystack + i, needle, len) == 0) return (char *)(haystack + i);
  }
  return NULL;
}

char *crypto_strstr(const char *haystack, const char *needle) {
  return crypto_strnstr(haystack, needle, (size_t)-1);
}
