// Linux calls the kernel impairment path needs and Swift's Glibc module does not import:
// setns(2) into a network namespace, a TUN device (TUNSETIFF, linux/if_tun.h), and ppoll(2)
// with a nanosecond timeout. Every function returns a negative errno on failure (ENOSYS off Linux).
#ifndef SFULAB_NET_NAMESPACE_H
#define SFULAB_NET_NAMESPACE_H

#include <poll.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Moves the calling thread (only it) into the network namespace `fd` refers to
/// (an open /run/netns/NAME or /proc/PID/ns/net). Returns 0 or -errno.
int sfulab_enter_network_namespace(int fd);

/// Opens /dev/net/tun and attaches it to the layer-3 TUN device `name` (created if absent) in the
/// calling thread's network namespace: IFF_TUN | IFF_NO_PI (each read and write is one raw IP
/// packet), non-blocking, close-on-exec. Returns the descriptor or -errno. The device goes away
/// when the descriptor is closed.
int sfulab_open_tun(const char *name);

/// poll(2) with a timeout in nanoseconds (negative: none). Returns the ready count or -errno.
int sfulab_poll_nanoseconds(struct pollfd *fds, unsigned int count, int64_t timeout_nanoseconds);

#ifdef __cplusplus
}
#endif

#endif
