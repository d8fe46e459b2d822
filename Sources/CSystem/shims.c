#define _GNU_SOURCE
#include "CSystem.h"

#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/openat2.h>
#include <fcntl.h>
#include <sched.h>
#include <pthread.h>

int csystem_available_cpus(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) return -1;
    return CPU_COUNT(&set);
}

extern void __tsan_acquire(void *address) __attribute__((weak));
extern void __tsan_release(void *address) __attribute__((weak));

void csystem_tsan_acquire(const void *address) {
    if (__tsan_acquire) __tsan_acquire((void *)address);
}

void csystem_tsan_release(const void *address) {
    if (__tsan_release) __tsan_release((void *)address);
}

int csystem_dup3(int oldfd, int newfd, int flags) {
    return dup3(oldfd, newfd, flags);
}

int csystem_set_thread_name(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

int csystem_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    return accept4(fd, addr, len, flags);
}

int csystem_open_beneath_no_symlinks(int dirfd, const char *path, uint64_t flags) {
#ifdef SYS_openat2
    struct open_how how = {
        .flags = flags,
        .mode = 0,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS,
    };
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
#else
    errno = ENOSYS;
    return -1;
#endif
}

const int csystem_SOCK_NONBLOCK = SOCK_NONBLOCK;
const int csystem_SOCK_CLOEXEC = SOCK_CLOEXEC;
const uint32_t csystem_EPOLLIN = EPOLLIN;
const uint32_t csystem_EPOLLOUT = EPOLLOUT;
const uint32_t csystem_EPOLLRDHUP = EPOLLRDHUP;
const uint32_t csystem_EPOLLHUP = EPOLLHUP;
const uint32_t csystem_EPOLLERR = EPOLLERR;
const uint32_t csystem_EPOLLET = EPOLLET;
const uint32_t csystem_EPOLLEXCLUSIVE = EPOLLEXCLUSIVE;
const int csystem_EFD_NONBLOCK = EFD_NONBLOCK;
const int csystem_EFD_CLOEXEC = EFD_CLOEXEC;
const int csystem_O_PATH = O_PATH;
