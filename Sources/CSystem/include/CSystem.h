#pragma once

#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/sendfile.h>
#include <signal.h>

/// accept4(2): glibc declares it only under _GNU_SOURCE, which Swift's Glibc module is built without.
int csystem_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);

/// openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS: glibc has no wrapper, so this issues the syscall.
/// Fails with ELOOP when any component is a symlink; returns the descriptor, or -1 with errno set (ENOSYS on
/// kernels older than 5.6).
int csystem_open_beneath_no_symlinks(int dirfd, const char *path, uint64_t flags);

/// The number of CPUs in this process's affinity mask (CPU_COUNT is a macro), or -1.
int csystem_available_cpus(void);

/// dup3(2) and pthread_setname_np(3): GNU extensions.
int csystem_dup3(int oldfd, int newfd, int flags);
int csystem_set_thread_name(const char *name);

/// ThreadSanitizer annotations: tell TSan that a lock was taken or released at `address`. They do nothing
/// unless the program runs with TSan (the runtime's symbols are weak). Needed because Swift's
/// Synchronization.Mutex lives in the uninstrumented standard library, where TSan cannot see it.
void csystem_tsan_acquire(const void *address);
void csystem_tsan_release(const void *address);

/// The flag values Swift cannot import because they are macros built from other macros.
extern const int csystem_SOCK_NONBLOCK;
extern const int csystem_SOCK_CLOEXEC;
extern const uint32_t csystem_EPOLLIN;
extern const uint32_t csystem_EPOLLOUT;
extern const uint32_t csystem_EPOLLRDHUP;
extern const uint32_t csystem_EPOLLHUP;
extern const uint32_t csystem_EPOLLERR;
extern const uint32_t csystem_EPOLLET;
extern const uint32_t csystem_EPOLLEXCLUSIVE;
extern const int csystem_EFD_NONBLOCK;
extern const int csystem_EFD_CLOEXEC;
extern const int csystem_O_PATH;
