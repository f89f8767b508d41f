#!/usr/bin/env python3
"""Start-up time of elfld-run against the system loader, side by side in one run.

For each workload, three ways to start it, interleaved (A B C A B C ...) so machine drift hits all alike:
  native   the program as the kernel starts it (the system ld.so as PT_INTERP)
  ld.so    the system loader run as a command: /lib64/ld-linux-x86-64.so.2 PROGRAM
  elfld    build/bin/elfld-run PROGRAM        (and, with --observers: the whole event stream read by
           a reader through a pipe, and the trace of every category to /dev/null)
Prints median wall time, min-max spread, peak RSS, and the ratio elfld / ld.so and elfld / native.
A program that spends ~0.2 s in libc's memcpy/strlen shows that its own run time does not suffer.

  bench/startup.py [--runs N] [--libs 50,200,800] [--observers] [--bind-now] [--elfld build/bin/elfld-run]

--libs generates programs with that many shared libraries (300 functions each, each library calling into
the previous one) to show how cost grows with objects and symbols (generated once under build/bench/).
"""
import argparse, os, resource, statistics, subprocess, sys, threading, time

LDSO = '/lib64/ld-linux-x86-64.so.2'

def run_once(argv, consumer=None):
    """Wall time from spawn until the program exited (and, with a consumer, until the stream it writes to a
    pipe on descriptor 3 has all been read, by a thread of this process), peak RSS, exit status."""
    t0 = time.perf_counter()
    quiet = [(os.POSIX_SPAWN_OPEN, 1, '/dev/null', os.O_WRONLY, 0),
             (os.POSIX_SPAWN_OPEN, 2, '/dev/null', os.O_WRONLY, 0)]
    if not consumer:
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=quiet)
        _, status, ru = os.wait4(pid, 0)
        return time.perf_counter() - t0, ru.ru_maxrss, os.waitstatus_to_exitcode(status)
    r, w = os.pipe()
    pid = os.posix_spawn(argv[0], argv, os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, w, 3), (os.POSIX_SPAWN_CLOSE, r)] + quiet)
    os.close(w)
    reader = threading.Thread(target=drain, args=(r,))  # the consumer: reads it all, in this process
    reader.start()
    _, status, ru = os.wait4(pid, 0)
    reader.join()
    return time.perf_counter() - t0, ru.ru_maxrss, os.waitstatus_to_exitcode(status)

def drain(fd):
    while os.read(fd, 1 << 16):
        pass
    os.close(fd)

def gen_libs(n, root):
    d = os.path.join(root, f'libs{n}')
    prog = os.path.join(d, 'prog')
    if os.path.exists(prog):
        return prog
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        src = os.path.join(d, f'l{i}.c')
        with open(src, 'w') as f:
            if i:
                f.write(f'int l{i-1}_f0(int);\n')
            for k in range(300):
                call = f'l{i-1}_f0(x) + ' if (i and k == 0) else ''
                f.write(f'int l{i}_f{k}(int x) {{ return {call}x + {k}; }}\n')
        cmd = ['gcc', '-shared', '-fPIC', '-O1', '-o', os.path.join(d, f'libl{i}.so'), src]
        if i:
            cmd += ['-L' + d, f'-ll{i-1}', '-Wl,-rpath,$ORIGIN']
        subprocess.run(cmd, check=True)
    with open(os.path.join(d, 'prog.c'), 'w') as f:
        f.write(f'int l{n-1}_f0(int);\nint main(void) {{ return l{n-1}_f0(0) == -1; }}\n')
    subprocess.run(['gcc', '-O1', '-o', prog, os.path.join(d, 'prog.c'), '-L' + d, f'-ll{n-1}',
                    '-Wl,-rpath,$ORIGIN'], check=True)
    return prog

def gen_strings(root):
    """A program that spends its time in libc's memcpy and strlen (~0.2 s): its run time shows whether libc
    picked the same optimized routines (IFUNCs decided by CPU features) under elfld as natively."""
    d = os.path.join(root, 'strings')
    prog = os.path.join(d, 'strings')
    if os.path.exists(prog):
        return prog
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'strings.c'), 'w') as f:
        f.write('#include <stdlib.h>\n#include <string.h>\n'
                'int main(void) { size_t n = 1 << 20, sum = 0; char *a = malloc(n), *b = malloc(n);\n'
                '  memset(a, 7, n - 1); a[n - 1] = 0;\n'
                '  for (int i = 0; i < 3000; i++) { memcpy(b, a, n); sum += strlen(b + (i & 63)); }\n'
                '  return sum == 0; }\n')
    subprocess.run(['gcc', '-O2', '-fno-builtin', '-o', prog, os.path.join(d, 'strings.c')], check=True)
    return prog

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--runs', type=int, default=15)
    ap.add_argument('--libs', default='')
    ap.add_argument('--observers', action='store_true', help='also time elfld with --events and --trace')
    ap.add_argument('--bind-now', action='store_true',
                    help='also time elfld --bind-now (every PLT slot bound before main, as elfld did before lazy binding)')
    ap.add_argument('--elfld', default=os.path.join(os.path.dirname(__file__), '..', 'build', 'bin', 'elfld-run'))
    a = ap.parse_args()
    elfld = os.path.abspath(a.elfld)
    work = [('clang-tidy --version', ['/usr/bin/clang-tidy', '--version']),
            ('python3 -c pass', ['/usr/bin/python3', '-c', 'pass']),
            ('/bin/true', ['/bin/true'])]
    work.append(('memcpy+strlen, 3 GB', [gen_strings(os.path.join(os.path.dirname(elfld), '..', 'bench'))]))
    for n in [int(x) for x in a.libs.split(',') if x]:
        work.append((f'{n} libraries', [gen_libs(n, os.path.join(os.path.dirname(elfld), '..', 'bench'))]))
    print(f'{"workload":24} {"way":21} {"median ms":>10} {"min-max ms":>16} {"peak RSS MiB":>12}  ratio')
    for name, argv in work:
        if not os.path.exists(argv[0]):
            print(f'{name:24} missing {argv[0]}')
            continue
        ways = [('native', argv, None), ('ld.so', [LDSO] + argv, None), ('elfld', [elfld] + argv, None)]
        if a.bind_now:
            ways.append(('elfld --bind-now', [elfld, '--bind-now'] + argv, None))
        if a.observers:
            # the whole stream (every relocation) read by another process; the trace in every category
            ways += [('elfld --events', [elfld, '--events=3'] + argv, True),
                     ('elfld --events binary', [elfld, '--events=3', '--events-format=binary'] + argv, True),
                     ('elfld --trace', [elfld, '--trace=all', '--trace-file=/dev/null'] + argv, None)]
        res = {w: [] for w, _, _ in ways}
        for w, av, c in ways:  # warm-up
            run_once(av, c)
        for _ in range(a.runs):
            for w, av, c in ways:
                res[w].append(run_once(av, c))
        med = {w: statistics.median(t for t, _, _ in r) for w, r in res.items()}
        # On a shared machine the fastest run is the least disturbed one: its ratio is shown too.
        low = {w: min(t for t, _, _ in r) for w, r in res.items()}
        for w, r in res.items():
            ts = [t for t, _, _ in r]
            rss = max(m for _, m, _ in r) / 1024
            ratio = ''
            if w.startswith('elfld'):
                ratio = (f'{med[w] / med["ld.so"]:.2f}x ld.so, {med[w] / med["native"]:.2f}x native'
                         f' (fastest runs: {low[w] / low["ld.so"]:.2f}x ld.so)')
            print(f'{name:24} {w:21} {med[w] * 1000:10.2f} {min(ts) * 1000:7.2f}-{max(ts) * 1000:<8.2f} {rss:12.1f}  {ratio}')

if __name__ == '__main__':
    main()
