#!/usr/bin/env python3
"""Compatibility: do the programs in /usr/bin print under elfld exactly what they print natively?

Candidates are the dynamically linked x86-64 ELF executables in /usr/bin (an ELF header and a PT_INTERP;
scripts, static and static-pie programs, shared libraries and other architectures are left out; names
that resolve to the same file - symlinks, hard links - count once). Each one runs `PROG --version`:

  native      PROG --version                       (twice: the two runs must agree, see below)
  elfld       elfld-run PROG --version
  as-interp   elfld-run --as-interp PROG --version
  ldso        /lib64/ld-linux-x86-64.so.2 PROG --version   (the system loader as a command, for reference)

Every run gets a clean environment (PATH=/usr/bin:/bin HOME=/tmp/compat-home LANG=C), stdin from
/dev/null, a fresh empty working directory, and a time limit; on the limit (or when it prints more than
--max-output bytes) its whole process group is killed. A program whose two native runs differ (stdout,
stderr or exit status) or that times out natively is "unstable" (it prints its PID, the time, ...) and is
not compared; --recheck N runs a program that mismatches N more times natively, to catch output that
varies only now and then (groff --version: the order in which its two child processes print). For the
others each mode must match the first native run exactly: stdout, stderr and exit status (or signal).

  bench/compat.py                                    # native + elfld over all of /usr/bin
  bench/compat.py --modes native,elfld,as-interp,ldso --json build/compat.json
  bench/compat.py --as-interp --diff ls python3 gdb  # only these programs, with diffs of mismatches

Exit status: 0 when the measurement ran (mismatches are results, not errors), 2 on bad usage.
"""
import argparse, concurrent.futures, ctypes, difflib, json, os, selectors, shutil, signal, struct, subprocess
import sys, tempfile, time

LDSO = '/lib64/ld-linux-x86-64.so.2'
ENV = {'PATH': '/usr/bin:/bin', 'HOME': '/tmp/compat-home', 'LANG': 'C'}
MODES = ('native', 'elfld', 'as-interp', 'ldso')
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PT_INTERP = 3
EM_X86_64 = 62
ET_EXEC, ET_DYN = 2, 3


def elf_kind(path):
    """'dynamic' for an x86-64 ELF executable with PT_INTERP, else a short reason why it is not one."""
    try:
        with open(path, 'rb') as f:
            eh = f.read(64)
            if len(eh) < 64 or eh[:4] != b'\x7fELF':
                return 'not ELF' if eh[:2] != b'#!' else 'script'
            if eh[4] != 2 or eh[5] != 1:
                return 'not ELF64 little-endian'
            e_type, e_machine = struct.unpack_from('<HH', eh, 16)
            if e_machine != EM_X86_64:
                return f'machine {e_machine}'
            if e_type not in (ET_EXEC, ET_DYN):
                return f'e_type {e_type}'
            e_phoff, = struct.unpack_from('<Q', eh, 32)
            e_phentsize, e_phnum = struct.unpack_from('<HH', eh, 54)
            if e_phentsize < 56 or e_phnum == 0 or e_phnum > 1024:
                return 'no program headers'
            f.seek(e_phoff)
            ph = f.read(e_phentsize * e_phnum)
            for i in range(e_phnum):
                if len(ph) >= (i + 1) * e_phentsize and struct.unpack_from('<I', ph, i * e_phentsize)[0] == PT_INTERP:
                    return 'dynamic'
            return 'static' if e_type == ET_EXEC else 'static-pie or shared library'
    except OSError as e:
        return f'unreadable: {e.strerror}'


def candidates(names, bindir):
    """[(name, path)] of dynamically linked executables, one per file, plus {name: why skipped}."""
    skipped = {}
    groups = {}  # (dev, ino) -> [(name, path, is_symlink)]
    explicit = bool(names)
    if not names:
        names = sorted(os.listdir(bindir))
    for name in names:
        path = name if '/' in name else os.path.join(bindir, name)
        if not explicit and not os.path.isfile(path):
            continue  # directories (/usr/bin/X11), dangling symlinks
        try:
            st = os.stat(path)
        except OSError as e:
            skipped[name] = f'cannot stat: {e.strerror}'
            continue
        if not os.path.isfile(path) or not os.access(path, os.X_OK):
            skipped[name] = 'not an executable file'
            continue
        kind = elf_kind(path)
        if kind != 'dynamic':
            skipped[name] = kind
            continue
        groups.setdefault((st.st_dev, st.st_ino), []).append((name, path, os.path.islink(path)))
    out = []
    for members in groups.values():
        # the real file's own name if it is in the directory, else the first name in sorted order
        members.sort(key=lambda m: (m[2], m[0]))
        out.append(members[0][:2])
        for m in members[1:]:
            skipped[m[0]] = f'same file as {members[0][0]}'
    out.sort()
    return out, skipped


def run(argv, timeout, max_output):
    """Run argv in a fresh empty directory; {'status': exit|signal|timeout|output-limit, 'code', 'stdout', 'stderr', 'seconds'}."""
    cwd = tempfile.mkdtemp(prefix='compat-cwd-')
    t0 = time.monotonic()
    try:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             cwd=cwd, env=ENV, start_new_session=True)
    except OSError as e:
        shutil.rmtree(cwd, ignore_errors=True)
        return {'status': 'exec-error', 'code': None, 'stdout': b'', 'stderr': str(e).encode(), 'seconds': 0.0}
    pgid = p.pid
    out_fd, err_fd = p.stdout.fileno(), p.stderr.fileno()
    bufs = {out_fd: bytearray(), err_fd: bytearray()}
    sel = selectors.DefaultSelector()
    for fd in bufs:
        os.set_blocking(fd, False)
        sel.register(fd, selectors.EVENT_READ)
    deadline = t0 + timeout
    status = None
    exited = False
    try:
        while True:
            if not exited:
                # WNOWAIT: the leader stays a zombie, so its PID (= the group's ID) cannot be reused
                # before we have killed whatever it left behind in its group
                exited = os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
            if exited and not sel.get_map():
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                status = 'timeout'
                break
            if sel.get_map():
                for key, _ in sel.select(min(remaining, 0.05)):
                    try:
                        data = os.read(key.fd, 65536)
                    except BlockingIOError:
                        continue
                    if not data:
                        sel.unregister(key.fd)
                    else:
                        bufs[key.fd] += data
                if sum(len(b) for b in bufs.values()) > max_output:
                    status = 'output-limit'
                    break
            else:
                time.sleep(min(remaining, 0.005))
    finally:
        try:
            os.killpg(pgid, signal.SIGKILL)  # on a limit, and for anything left running after the leader exited
        except (ProcessLookupError, PermissionError):
            pass
        rc = p.wait()
        sel.close()
        p.stdout.close()
        p.stderr.close()
        shutil.rmtree(cwd, ignore_errors=True)
    seconds = round(time.monotonic() - t0, 3)
    out, err = bytes(bufs[out_fd]), bytes(bufs[err_fd])
    if status is None:
        status, code = ('exit', rc) if rc >= 0 else ('signal', -rc)
    else:
        code = None
    return {'status': status, 'code': code, 'stdout': out, 'stderr': err, 'seconds': seconds}


def become_subreaper():
    """Orphans (a daemon that left its process group with setsid) become our children, not init's."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def kill_leftovers():
    """Kill and reap every child still here once all runs are over: what escaped its process group."""
    me, killed = os.getpid(), []
    for _ in range(100):
        kids = []
        for d in os.listdir('/proc'):
            if not d.isdigit():
                continue
            try:
                with open(f'/proc/{d}/stat') as f:
                    st = f.read()
            except OSError:
                continue
            comm, rest = st[st.index('(') + 1:st.rindex(')')], st[st.rindex(')') + 2:].split()
            if int(rest[1]) == me:
                kids.append((int(d), comm, rest[0]))
        if not kids:
            break
        for pid, comm, state in kids:
            if state != 'Z':
                killed.append(comm)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    return killed


def outcome(r):
    if r['status'] == 'exit':
        return f'exit {r["code"]}'
    if r['status'] == 'signal':
        try:
            return signal.Signals(r['code']).name
        except ValueError:
            return f'signal {r["code"]}'
    return r['status']


def same(a, b):
    return all(a[k] == b[k] for k in ('status', 'code', 'stdout', 'stderr'))


def first_line_of_difference(a, b):
    la, lb = a.decode(errors='replace').splitlines(), b.decode(errors='replace').splitlines()
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else '<end>'
        y = lb[i] if i < len(lb) else '<end>'
        if x != y:
            return i + 1, x, y
    return None


def reason(native, r, timeout):
    """One line: how run r differs from the native run."""
    if r['status'] == 'timeout':
        return f'timeout after {timeout:g} s (native: {outcome(native)} in {native["seconds"]:.2f} s)'
    parts = []
    if (r['status'], r['code']) != (native['status'], native['code']):
        parts.append(f'{outcome(r)}, native {outcome(native)}')
    for stream in ('stdout', 'stderr'):
        if r[stream] != native[stream]:
            d = first_line_of_difference(native[stream], r[stream])
            if d is None:  # only a trailing newline differs
                parts.append(f'{stream} differs in line endings')
            else:
                line, x, y = d
                parts.append(f'{stream} line {line}: {y[:90]!r} (native {x[:60]!r})')
    return '; '.join(parts) or 'differs'


def diff_lines(native, r, n):
    out = []
    for stream in ('stdout', 'stderr'):
        if r[stream] != native[stream]:
            out += list(difflib.unified_diff(native[stream].decode(errors='replace').splitlines(),
                                             r[stream].decode(errors='replace').splitlines(),
                                             f'native {stream}', f'this mode {stream}', lineterm='', n=1))[:n]
    return out


def mode_argv(mode, elfld, path):
    return {'native': [path, '--version'],
            'elfld': [elfld, path, '--version'],
            'as-interp': [elfld, '--as-interp', path, '--version'],
            'ldso': [LDSO, path, '--version']}[mode]


def check_program(name, path, modes, a):
    res = {'name': name, 'path': path, 'runs': {}}
    n1 = run(mode_argv('native', a.elfld, path), a.timeout, a.max_output)
    n2 = run(mode_argv('native', a.elfld, path), a.timeout, a.max_output)
    res['runs']['native'], res['runs']['native2'] = n1, n2
    if n1['status'] not in ('exit', 'signal') or n2['status'] not in ('exit', 'signal'):
        res['stable'] = False
        res['unstable_reason'] = f'native runs: {outcome(n1)}, {outcome(n2)}'
        return res
    if not same(n1, n2):
        res['stable'] = False
        res['unstable_reason'] = 'the two native runs differ: ' + reason(n1, n2, a.timeout)
        return res
    res['stable'] = True
    res['match'], res['reason'] = {}, {}
    for m in modes:
        if m == 'native':
            continue
        r = run(mode_argv(m, a.elfld, path), a.timeout, a.max_output)
        res['runs'][m] = r
        res['match'][m] = same(n1, r)
        if not res['match'][m]:
            res['reason'][m] = reason(n1, r, a.timeout)
    if a.recheck and not all(res['match'].values()):
        for i in range(a.recheck):
            n = run(mode_argv('native', a.elfld, path), a.timeout, a.max_output)
            if not same(n1, n):
                res['stable'] = False
                res['unstable_reason'] = (f'native run {i + 3} (recheck after a mismatch) differs: '
                                          + reason(n1, n, a.timeout))
                res['runs'][f'native{i + 3}'] = n
                del res['match'], res['reason']
                break
    return res


def to_json(results, skipped, modes, a, summary):
    def run_json(r):
        d = dict(r)
        d['stdout'] = r['stdout'].decode(errors='backslashreplace')
        d['stderr'] = r['stderr'].decode(errors='backslashreplace')
        return d
    progs = []
    for r in results:
        d = {k: v for k, v in r.items() if k != 'runs'}
        d['runs'] = {m: run_json(x) for m, x in r['runs'].items()}
        progs.append(d)
    return {'elfld': a.elfld, 'timeout': a.timeout, 'modes': modes, 'environment': ENV,
            'summary': summary, 'skipped': skipped, 'programs': progs}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('programs', nargs='*', metavar='PROG',
                    help='only these programs (names in --bindir, or paths); default: every candidate in --bindir')
    ap.add_argument('--modes', default='native,elfld',
                    help='comma list of %s (default: native,elfld; native is always run, twice)' % ','.join(MODES))
    ap.add_argument('--as-interp', action='store_true', help='add the as-interp mode (elfld-run --as-interp)')
    ap.add_argument('--elfld', default=os.path.join(REPO, 'build', 'bin', 'elfld-run'),
                    help='elfld-run to test (default: build/bin/elfld-run in the repository: %(default)s)')
    ap.add_argument('--timeout', type=float, default=2.0, help='seconds per run (default: %(default)s)')
    ap.add_argument('--jobs', '-j', type=int, default=2, help='programs checked in parallel (default: %(default)s)')
    ap.add_argument('--limit', type=int, help='only the first N candidates (sorted by name)')
    ap.add_argument('--recheck', type=int, default=0, metavar='N',
                    help='run a program that mismatches in some mode N more times natively; if one of those '
                         'differs from the first native run, count it as unstable (default: %(default)s)')
    ap.add_argument('--exclude', action='append', default=[], metavar='NAME',
                    help='leave this program out (repeatable)')
    ap.add_argument('--diff', action='store_true',
                    help='show the first lines of a diff for each mismatch (and why each unstable program is)')
    ap.add_argument('--diff-lines', type=int, default=12, metavar='N',
                    help='lines of diff per mismatch with --diff (default: %(default)s)')
    ap.add_argument('--json', metavar='FILE', help='write every result (all runs, outputs) to FILE')
    ap.add_argument('--bindir', default='/usr/bin', help='directory to scan (default: %(default)s)')
    ap.add_argument('--max-output', type=int, default=4 << 20,
                    help='kill a run that prints more than this many bytes (default: %(default)s)')
    ap.add_argument('--quiet', '-q', action='store_true', help='no progress lines on stderr')
    ap.add_argument('--list', action='store_true', help='only list the candidates and why others are skipped')
    a = ap.parse_args()

    modes = [m.strip() for m in a.modes.split(',') if m.strip()]
    for m in modes:
        if m not in MODES:
            ap.error(f'unknown mode {m!r} (modes: {", ".join(MODES)})')
    if a.as_interp and 'as-interp' not in modes:
        modes.append('as-interp')
    if 'native' not in modes:
        modes.insert(0, 'native')
    modes = [m for m in MODES if m in modes]
    a.elfld = os.path.abspath(a.elfld)
    if ('elfld' in modes or 'as-interp' in modes) and not os.access(a.elfld, os.X_OK):
        ap.error(f'{a.elfld}: not found or not executable (build it, or give --elfld)')
    if a.jobs < 1 or a.timeout <= 0:
        ap.error('--jobs and --timeout must be positive')

    progs, skipped = candidates(a.programs, a.bindir)
    progs = [p for p in progs if p[0] not in a.exclude]
    if a.programs and not a.list:
        for name, why in sorted(skipped.items()):
            print(f'skip {name}: {why}', file=sys.stderr)
    if a.limit is not None:
        progs = progs[:a.limit]
    if a.list:
        for name, path in progs:
            print(f'{name:40} {path}')
        for name, why in sorted(skipped.items()):
            print(f'skip {name:35} {why}')
        return 0
    if not progs:
        print('no candidate programs', file=sys.stderr)
        return 2
    os.makedirs(ENV['HOME'], exist_ok=True)

    def stamp(path):
        try:
            st = os.stat(path)
            return st.st_mtime_ns, st.st_size, st.st_ino
        except OSError:
            return None
    elfld_stamp = stamp(a.elfld)
    subreaper = become_subreaper()
    t0 = time.monotonic()
    results, done = [], 0
    ex = concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs)
    try:
        futs = [ex.submit(check_program, name, path, modes, a) for name, path in progs]
        for fut in concurrent.futures.as_completed(futs):
            results.append(fut.result())
            done += 1
            if not a.quiet and (done % 50 == 0 or done == len(futs)):
                print(f'compat: {done}/{len(futs)} programs, {time.monotonic() - t0:.0f} s', file=sys.stderr)
    except KeyboardInterrupt:
        print('compat: interrupted, waiting for the runs under way', file=sys.stderr)
        ex.shutdown(wait=True, cancel_futures=True)
        kill_leftovers()
        return 130
    ex.shutdown(wait=True)
    leftovers = kill_leftovers() if subreaper else []
    results.sort(key=lambda r: r['name'])

    stable = [r for r in results if r['stable']]
    unstable = [r for r in results if not r['stable']]
    summary = {'candidates': len(results), 'stable': len(stable), 'unstable': len(unstable),
               'seconds': round(time.monotonic() - t0, 1), 'modes': {}}
    print(f'elfld-run: {a.elfld}')
    limited = f' (the first {a.limit}, --limit)' if a.limit is not None else ''
    print(f'programs: {len(results)} dynamically linked executables in {a.bindir}{limited}' if not a.programs
          else f'programs: {len(results)} of those named{limited}')
    print(f'unstable: {len(unstable)} (native runs differ or time out; not compared)')
    print(f'stable:   {len(stable)}')
    print()
    print(f'{"mode":10} {"match":>6} {"mismatch":>9} {"of stable":>10}')
    for m in modes:
        if m == 'native':
            print(f'{"native":10} {len(stable):6} {0:9} {len(stable):10}   (reference: first native run)')
            continue
        ok = sum(1 for r in stable if r['match'][m])
        summary['modes'][m] = {'match': ok, 'mismatch': len(stable) - ok,
                               'mismatches': {r['name']: r['reason'][m] for r in stable if not r['match'][m]}}
        print(f'{m:10} {ok:6} {len(stable) - ok:9} {len(stable):10}   {100.0 * ok / len(stable) if stable else 0:.1f} %')
    for m in modes:
        if m == 'native':
            continue
        bad = [r for r in stable if not r['match'][m]]
        print(f'\n{m}: {len(bad)} mismatch{"es" if len(bad) != 1 else ""}')
        for r in bad:
            print(f'  {r["name"]}: {r["reason"][m]}')
            if a.diff:
                for line in diff_lines(r['runs']['native'], r['runs'][m], a.diff_lines):
                    print(f'      {line}')
    print(f'\nunstable: {", ".join(r["name"] for r in unstable) or "none"}')
    if a.diff:
        for r in unstable:
            print(f'  {r["name"]}: {r["unstable_reason"]}')
    if leftovers:
        print(f'\nleft running by some program and killed at the end: {", ".join(sorted(leftovers))}')
    summary['leftovers_killed'] = sorted(leftovers)
    print(f'\n{summary["seconds"]} s, timeout {a.timeout:g} s, {a.jobs} jobs')
    if stamp(a.elfld) != elfld_stamp:
        summary['warning'] = 'elfld-run changed during the run'
        print(f'WARNING: {a.elfld} changed during the run (rebuilt?): the results mix two builds; '
              'measure a copy with --elfld', file=sys.stderr)
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(to_json(results, skipped, modes, a, summary), f, indent=1)
            f.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
