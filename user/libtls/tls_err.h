// Error state shared by both libtls backends (tls_host.c, tls_vdos.c): one per session, plus one
// for calls that fail before a session exists (tls_new, tls_connect) — what tls_error(NULL)
// reports.
#ifndef USER_LIBTLS_TLS_ERR_H_
#define USER_LIBTLS_TLS_ERR_H_

#define TLS_ERR_MAX 320

struct tls_err {
  int code;  // TLS_ERR_*
  char msg[TLS_ERR_MAX];
};

extern struct tls_err tls_last_err;

// Sets e (or tls_last_err when e is NULL) to code and the formatted message (truncated to fit).
void tls_err_set(struct tls_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif  // USER_LIBTLS_TLS_ERR_H_
