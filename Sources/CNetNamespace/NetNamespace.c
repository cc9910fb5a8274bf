// See include/CNetNamespace.h.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "CNetNamespace.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/if_tun.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <time.h>

int sfulab_enter_network_namespace(int fd) {
    return setns(fd, CLONE_NEWNET) == 0 ? 0 : -errno;
}

int sfulab_open_tun(const char *name) {
    if (strlen(name) >= IFNAMSIZ) return -ENAMETOOLONG;
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return -errno;
    struct ifreq request;
    memset(&request, 0, sizeof request);
    request.ifr_flags = IFF_TUN | IFF_NO_PI;
    strncpy(request.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &request) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}

int sfulab_poll_nanoseconds(struct pollfd *fds, unsigned int count, int64_t timeout_nanoseconds) {
    struct timespec timeout;
    struct timespec *limit = NULL;
    if (timeout_nanoseconds >= 0) {
        timeout.tv_sec = (time_t)(timeout_nanoseconds / 1000000000);
        timeout.tv_nsec = (long)(timeout_nanoseconds % 1000000000);
        limit = &timeout;
    }
    int ready = ppoll(fds, (nfds_t)count, limit, NULL);
    return ready < 0 ? -errno : ready;
}

#else

int sfulab_enter_network_namespace(int fd) { (void)fd; return -ENOSYS; }
int sfulab_open_tun(const char *name) { (void)name; return -ENOSYS; }
int sfulab_poll_nanoseconds(struct pollfd *fds, unsigned int count, int64_t timeout_nanoseconds) {
    (void)fds; (void)count; (void)timeout_nanoseconds;
    return -ENOSYS;
}

#endif
