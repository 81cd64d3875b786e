// The parts of libtls that do not depend on where the session lives.
#include "user/libtls/tls_err.h"

#include <stdarg.h>
#include <stdio.h>

#include "user/libtls/tls.h"

struct tls_err tls_last_err;

void tls_err_set(struct tls_err *e, int code, const char *fmt, ...) {
  if (e == NULL) e = &tls_last_err;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
  va_end(ap);
  e->code = code;
}

tls_config_t tls_config_default(void) {
  tls_config_t c = {NULL, 1, 30000, NULL, NULL};
  return c;
}
