// One error type for all of net/. Errors are negative so a function can return either a byte
// count (>= 0) or an error in the same int.
#ifndef NET_CORE_NET_ERR_H_
#define NET_CORE_NET_ERR_H_

typedef enum net_err {
  NET_OK = 0,
  NET_ERR_NOMEM = -1,          // a pool or table is exhausted
  NET_ERR_INVAL = -2,          // bad argument or malformed input
  NET_ERR_WOULDBLOCK = -3,     // nothing to do now; try again later
  NET_ERR_TIMEDOUT = -4,       // retries exhausted
  NET_ERR_CONNREFUSED = -5,    // RST to SYN, or ICMP port unreachable
  NET_ERR_CONNRESET = -6,      // RST on an established connection
  NET_ERR_HOSTUNREACH = -7,    // ARP failed, or ICMP host unreachable
  NET_ERR_NETUNREACH = -8,     // no route (off-link without gateway), or ICMP net unreachable
  NET_ERR_ADDRINUSE = -9,      // port already bound
  NET_ERR_NOTCONN = -10,       // operation needs a connection
  NET_ERR_ISCONN = -11,        // already connected
  NET_ERR_MSGSIZE = -12,       // datagram too large
  NET_ERR_CLOSED = -13,        // socket/connection closed locally
  NET_ERR_INPROGRESS = -14,    // started, completes asynchronously (connect, resolve)
  NET_ERR_ALREADY = -15,       // an operation of this kind is already pending
  NET_ERR_NOTFOUND = -16,      // DNS: name does not exist (NXDOMAIN) or no such entry
  NET_ERR_NODATA = -17,        // DNS: name exists, no record of the asked type
  NET_ERR_SERVFAIL = -18,      // DNS: server failure or refused
  NET_ERR_PROTO = -19,         // peer violated the protocol
  NET_ERR_ADDRNOTAVAIL = -20,  // no ephemeral port / address not local
  NET_ERR_NOTSUP = -21,        // valid request, not implemented
  NET_ERR_IO = -22,            // the platform failed to send a frame
  NET_ERR_ABORTED = -23,       // aborted locally
  NET_ERR_PIPE = -24,          // write after shutdown
  NET_ERR_TTL = -25,           // ICMP time exceeded
  NET_ERR_FRAGNEEDED = -26,    // ICMP fragmentation needed with DF set
} net_err_t;

// Lowest (most negative) error value; tests iterate over [NET_ERR__LAST, NET_OK].
#define NET_ERR__LAST NET_ERR_FRAGNEEDED

// Human-readable text, e.g. "connection refused". Never NULL; unknown codes give "unknown error".
const char *net_strerror(int err);

// Linux/POSIX errno values used at the syscall boundary (ViperDOS uses Linux's numbers).
#define NET_ERRNO_EPIPE 32
#define NET_ERRNO_EAGAIN 11
#define NET_ERRNO_ENOMEM 12
#define NET_ERRNO_EINVAL 22
#define NET_ERRNO_ENOENT 2
#define NET_ERRNO_EIO 5
#define NET_ERRNO_EMSGSIZE 90
#define NET_ERRNO_EPROTO 71
#define NET_ERRNO_ENODATA 61
#define NET_ERRNO_EOPNOTSUPP 95
#define NET_ERRNO_EADDRINUSE 98
#define NET_ERRNO_EADDRNOTAVAIL 99
#define NET_ERRNO_ENETUNREACH 101
#define NET_ERRNO_ECONNABORTED 103
#define NET_ERRNO_ECONNRESET 104
#define NET_ERRNO_EISCONN 106
#define NET_ERRNO_ENOTCONN 107
#define NET_ERRNO_ESHUTDOWN 108
#define NET_ERRNO_ETIMEDOUT 110
#define NET_ERRNO_ECONNREFUSED 111
#define NET_ERRNO_EHOSTUNREACH 113
#define NET_ERRNO_EALREADY 114
#define NET_ERRNO_EINPROGRESS 115

// Maps a net error to a negative errno (0 for NET_OK, positive values pass through unchanged so
// byte counts survive). Unknown negative codes map to -EIO.
int net_err_to_errno(int err);

#endif  // NET_CORE_NET_ERR_H_
