// Tunables of the kernel TLS client (kernel/tls). Every table is bounded by one of these.
#ifndef KERNEL_TLS_KTLS_OPTS_H_
#define KERNEL_TLS_KTLS_OPTS_H_

// Live sessions, all programs together. Each holds a wolfSSL object with its record buffers
// (~30 KB during a handshake, up to ~64 KB with full 16 KB records both ways).
#define KTLS_MAX_SESSIONS 16

// Kernel heap that must still be free before a session is created: a session that can't finish
// its handshake for lack of memory would fail in a less clear way later.
#define KTLS_SESSION_HEAP_RESERVE (96u * 1024u)

// wolfSSL contexts with a caller-supplied CA on top of the built-in roots, keyed by the CA's
// SHA-256. A second connection with the same --ca reuses the context instead of parsing the
// roots again.
#define KTLS_CA_CTX_CACHE 4

// ALPN list a program may ask for (comma-separated).
#define KTLS_ALPN_MAX 128

// At SYS_TLS_CLOSE after a full handshake and no ticket seen yet: how long to wait for the
// server's NewSessionTicket (it follows the handshake in TLS 1.3, one round trip after our
// Finished) so the next connection can resume.
#define KTLS_TICKET_WAIT_MS 50

// Largest plaintext moved per wolfSSL call (one TLS record); the bounce buffer between user
// memory and wolfSSL has this size.
#define KTLS_IO_CHUNK 16384u

// Per-session read-ahead between the socket and wolfSSL (allocated at the session's first read,
// freed with it): one socket read picks up what TCP holds, up to two full records, instead of
// one read for each record's header and one for its body; and SYS_TLS_RECV goes on to the next
// record in the same call when it is already here.
#define KTLS_RX_AHEAD (2u * (16384u + 256u + 5u))

// TLS 1.3 suites the kernel offers, most preferred first: the same three as the shared policy
// (//crypto/tls:tls_common), but ChaCha20-Poly1305 ahead of AES-GCM. The kernel is built with
// -mgeneral-regs-only, so wolfSSL runs both in portable C, and there ChaCha20-Poly1305 is the
// cheaper one (16 MiB downloads in the guest from `openssl s_server`, which follows the client's
// order: 14.2 MB/s vs 10.9 MB/s AES-128-GCM vs 8.9 MB/s AES-256-GCM; tests/tls:tls_bulk_test
// with BULK_SUITE). Mobile clients without AES hardware order it the same way. A server that
// enforces its own order (Python's ssl, nginx with ssl_prefer_server_ciphers) still decides.
#define KTLS_SUITES "TLS13-CHACHA20-POLY1305-SHA256:TLS13-AES128-GCM-SHA256:TLS13-AES256-GCM-SHA384"

#endif  // KERNEL_TLS_KTLS_OPTS_H_
