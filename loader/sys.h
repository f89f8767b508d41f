/* Raw Linux x86-64 system calls: the loader has no libc of its own. */
#ifndef ELFLD_SYS_H
#define ELFLD_SYS_H
#include <stddef.h>
#include <stdint.h>

#define SYS_read 0
#define SYS_write 1
#define SYS_open 2
#define SYS_close 3
#define SYS_fstat 5
#define SYS_lseek 8
#define SYS_mmap 9
#define SYS_mprotect 10
#define SYS_munmap 11
#define SYS_pread64 17
#define SYS_access 21
#define SYS_sched_yield 24
#define SYS_madvise 28
#define SYS_getpid 39
#define SYS_exit 60
#define SYS_kill 62
#define SYS_uname 63
#define SYS_fcntl 72
#define SYS_readlink 89
#define SYS_getcwd 79
#define SYS_personality 135
#define SYS_arch_prctl 158
#define SYS_gettid 186
#define SYS_clock_gettime 228
#define SYS_futex 202
#define SYS_exit_group 231
#define SYS_tgkill 234
#define SYS_openat 257
#define SYS_newfstatat 262

static inline long sys_call6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define sys_call(n, a, b, c) sys_call6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

static inline long sys_write(int fd, const void *b, size_t n) { return sys_call(SYS_write, fd, b, n); }
static inline long sys_read(int fd, void *b, size_t n) { return sys_call(SYS_read, fd, b, n); }
static inline long sys_pread(int fd, void *b, size_t n, uint64_t off)
{
	return sys_call6(SYS_pread64, fd, (long)b, (long)n, (long)off, 0, 0);
}
static inline long sys_open(const char *p, int flags, int mode) { return sys_call(SYS_open, p, flags, mode); }
static inline long sys_close(int fd) { return sys_call(SYS_close, fd, 0, 0); }
static inline long sys_mmap(void *a, size_t len, int prot, int flags, int fd, uint64_t off)
{
	return sys_call6(SYS_mmap, (long)a, (long)len, prot, flags, fd, (long)off);
}
static inline long sys_munmap(void *a, size_t len) { return sys_call(SYS_munmap, a, len, 0); }
static inline long sys_mprotect(void *a, size_t len, int prot) { return sys_call(SYS_mprotect, a, len, prot); }
static inline long sys_madvise(void *a, size_t len, int advice) { return sys_call(SYS_madvise, a, len, advice); }
static inline __attribute__((noreturn)) void sys_exit_group(int st)
{
	for (;;)
		sys_call(SYS_exit_group, st, 0, 0);
}
static inline long sys_arch_prctl(int code, unsigned long addr) { return sys_call(SYS_arch_prctl, code, addr, 0); }
static inline long sys_getpid(void) { return sys_call(SYS_getpid, 0, 0, 0); }
static inline long sys_gettid(void) { return sys_call(SYS_gettid, 0, 0, 0); }
static inline long sys_kill(int pid, int sig) { return sys_call(SYS_kill, pid, sig, 0); }
static inline long sys_readlink(const char *p, char *b, size_t n) { return sys_call(SYS_readlink, p, b, n); }
static inline long sys_futex(int *uaddr, int op, int val)
{
	return sys_call6(SYS_futex, (long)uaddr, op, val, 0, 0, 0);
}

/* struct stat for x86-64 (kernel layout), only what we use. */
struct k_stat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	uint64_t st_atime_, st_atime_ns, st_mtime_, st_mtime_ns, st_ctime_, st_ctime_ns;
	int64_t unused[3];
};
static inline long sys_fstat(int fd, struct k_stat *st) { return sys_call(SYS_fstat, fd, st, 0); }
static inline long sys_stat(const char *p, struct k_stat *st)
{
	return sys_call6(SYS_newfstatat, -100 /* AT_FDCWD */, (long)p, (long)st, 0, 0, 0);
}

#define K_O_RDONLY 0
#define K_O_WRONLY 1
#define K_O_CREAT 0100
#define K_O_TRUNC 01000
#define K_O_NONBLOCK 04000
#define K_O_CLOEXEC 02000000
#define K_PROT_NONE 0
#define K_PROT_READ 1
#define K_PROT_WRITE 2
#define K_PROT_EXEC 4
#define K_MAP_SHARED 1
#define K_MAP_PRIVATE 2
#define K_MAP_FIXED 0x10
#define K_MAP_ANONYMOUS 0x20
#define K_MAP_NORESERVE 0x4000
#define K_MAP_POPULATE 0x8000
#define K_MADV_POPULATE_WRITE 23
#define K_MAP_FIXED_NOREPLACE 0x100000
#define K_ARCH_SET_FS 0x1002
#define K_ARCH_GET_FS 0x1003
#define K_S_IFMT 0170000
#define K_S_IFREG 0100000
#define K_S_IFDIR 0040000
#define K_FUTEX_WAIT 0
#define K_FUTEX_WAKE 1
#define K_SIGSTOP 19

static inline int sys_is_err(long r) { return (unsigned long)r > -4096UL; }

#endif
