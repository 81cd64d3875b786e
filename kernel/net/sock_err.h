// The one mapping from net/'s error enum to the negative VDOS errno a socket call returns.
#ifndef KERNEL_NET_SOCK_ERR_H_
#define KERNEL_NET_SOCK_ERR_H_

// err: NET_OK, a byte count (>= 0, returned unchanged) or a net_err_t. Every net error maps to a
// code defined in kernel/abi/syscalls.h (net's generic errno table also uses codes the ABI does
// not have, like ESHUTDOWN and EPROTO); unknown codes map to -VDOS_EIO.
#ifdef __cplusplus
extern "C" {
#endif

long ksock_errno(long err);

#ifdef __cplusplus
}
#endif

#endif  // KERNEL_NET_SOCK_ERR_H_
