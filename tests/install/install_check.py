#!/usr/bin/env python3
"""elfld as installed: `cmake --install` into a temporary prefix, then the installed programs used from
there, as a user would, with nothing pointing into the build tree.

  install_check.py SECTION BUILD_DIR SOURCE_DIR

  run         the file list (also with DESTDIR, and --strip keeping elfld-run's DWARF); elfld-run on
              /bin/echo, elfld-tui --dump, elfld-events-decode and real `gdb -batch` with the extension
              auto-loaded, `elfld objects` - with the source and build trees hidden (a private mount
              namespace with an empty directory mounted over them) when that can be done; no path into
              them in the installed files (debug info aside)
  man         the man pages against --help, the README and GDB's `help elfld` of the installed extension
  completion  the bash completion offers the options of --help and the values --help lists, sourced by
              itself and loaded by bash-completion from PREFIX/share (XDG_DATA_DIRS); after PROGRAM,
              PROGRAM's own completion
  samples     the installed samples' sources build with their Makefile and run under the installed
              elfld-run
  deb         cpack -G DEB: contents (= a DESTDIR install with prefix /usr), Depends (this release's
              library packages, exactly this libc6), Recommends gdb
"""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

section, BUILD, SRC = sys.argv[1], os.path.realpath(sys.argv[2]), os.path.realpath(sys.argv[3])
fails = []
passed = 0


def check(ok, what, detail=''):
    global passed
    if ok:
        passed += 1
    else:
        fails.append(what)
        print('FAIL', what)
        if detail:
            print('    ' + str(detail).strip().replace('\n', '\n    ')[:3000])


def run(cmd, **kw):
    kw.setdefault('capture_output', True)
    kw.setdefault('text', True)
    kw.setdefault('timeout', 120)
    return subprocess.run(cmd, **kw)


def tempdir():
    # in /tmp (not TMPDIR): it must lie outside the source and build trees, which "run" hides
    d = tempfile.mkdtemp(prefix='elfld-install-', dir='/tmp')
    for tree in (SRC, BUILD):
        if d.startswith(tree + '/'):
            sys.exit('install_check: %s lies inside %s' % (d, tree))
    return d


def install(prefix, destdir=None, strip=False):
    env = dict(os.environ)
    env.pop('DESTDIR', None)
    if destdir:
        env['DESTDIR'] = destdir
    r = run(['cmake', '--install', BUILD, '--prefix', prefix] + (['--strip'] if strip else []), env=env)
    if r.returncode:
        print('FAIL cmake --install --prefix %s: %s' % (prefix, r.stdout[-2000:] + r.stderr[-2000:]))
        sys.exit(1)


def has_dwarf(elf):
    return '.debug_info' in run(['readelf', '-SW', elf]).stdout


def files_under(top):
    return sorted(os.path.relpath(os.path.join(d, f), top) for d, _, fs in os.walk(top) for f in fs)


def expected_files(prefix):
    """What an install with PREFIX holds, relative to PREFIX."""
    p = prefix.strip('/')
    want = ['bin/elfld-run', 'bin/elfld-tui', 'bin/elfld-events-decode', 'share/elfld/gdb/elfld.py',
            'share/gdb/auto-load/%s/bin/elfld-run-gdb.py' % p,
            'share/man/man1/elfld-run.1.gz', 'share/man/man1/elfld-tui.1.gz',
            'share/man/man1/elfld-events-decode.1.gz', 'share/man/man7/elfld-gdb.7.gz',
            'share/bash-completion/completions/elfld-run', 'share/bash-completion/completions/elfld-tui',
            'share/doc/elfld/README.md', 'share/doc/elfld/samples/Makefile']
    want += ['share/doc/elfld/' + f for f in os.listdir(SRC + '/docs') if f.endswith('.md')]
    want += ['share/doc/elfld/samples/' + f for f in os.listdir(SRC + '/samples')
             if re.search(r'\.(c|h|map|expected)$|^README\.md$', f)]
    return sorted(want)


def help_options(text):
    """The options an option list of --help defines: lines starting with spaces then --name."""
    return set(re.findall(r'^ +(--[a-z0-9-]+)', text, re.M))


# ---- run: the installed programs, from elsewhere, with the trees out of sight
def hidden_runner(tmp):
    """A command prefix that runs a command with SRC and BUILD hidden, or None if that cannot be done."""
    empty = os.path.join(tmp, 'empty')
    os.makedirs(empty, exist_ok=True)
    script = ''.join('mount --bind "%s" "%s" && ' % (empty, t) for t in (SRC, BUILD)
                     if not BUILD.startswith(SRC + '/') or t == SRC)
    script += 'exec "$@"'
    for unshare in (['unshare', '-m', '--propagation', 'private'],
                    ['unshare', '-r', '-m', '--propagation', 'private']):
        cmd = unshare + ['sh', '-c', script, 'sh']
        r = run(cmd + ['sh', '-c', 'test ! -e "$0/CMakeLists.txt" && test ! -e "$1/CMakeCache.txt"', SRC, BUILD])
        if r.returncode == 0:
            return cmd
    return None


def section_run():
    tmp = tempdir()
    prefix = os.path.join(tmp, 'prefix')
    install(prefix)
    got, want = files_under(prefix), expected_files(prefix)
    check(got == want, 'cmake --install --prefix P installs exactly the expected files',
          'missing: %s\nunexpected: %s' % (sorted(set(want) - set(got)), sorted(set(got) - set(want))))

    check(has_dwarf(prefix + '/bin/elfld-run'), 'the installed elfld-run has its DWARF (the GDB extension reads it)')

    # DESTDIR (and --strip): the same files, under DESTDIR/PREFIX and nowhere else
    dest = os.path.join(tmp, 'destdir')
    install('/usr', destdir=dest, strip=True)
    got = files_under(dest)
    check(got == ['usr/' + f for f in expected_files('/usr')], 'DESTDIR=D cmake --install --prefix /usr: '
          'everything under D/usr, auto-load script under share/gdb/auto-load/usr/bin', '\n'.join(got))
    check(has_dwarf(dest + '/usr/bin/elfld-run') and not has_dwarf(dest + '/usr/bin/elfld-tui'),
          'cmake --install --strip strips elfld-tui, not elfld-run')

    # nothing installed names the source or build tree (debug info aside: DWARF records where it was built)
    for f in files_under(prefix):
        path = os.path.join(prefix, f)
        data = open(path, 'rb').read()
        if data.startswith(b'\x7fELF'):
            stripped = os.path.join(tmp, 'stripped')
            run(['objcopy', '--strip-debug', path, stripped])
            data = open(stripped, 'rb').read()
        elif f.endswith('.gz'):
            data = gzip.decompress(data)
        for tree in sorted({SRC, BUILD}):
            named = re.search(rb'(?<![\w.~/-])' + re.escape(tree.encode()) + rb'(?![\w.-])', data)
            check(named is None, '%s does not name %s' % (f, tree))

    home = os.path.join(tmp, 'home')
    work = os.path.join(tmp, 'work')
    os.makedirs(home)
    os.makedirs(work)
    env = {'PATH': prefix + '/bin:/usr/bin:/bin', 'HOME': home, 'LANG': 'C.UTF-8', 'TERM': 'dumb'}
    hide = hidden_runner(tmp)
    if hide is None:
        print('NOTE: could not hide the source and build trees (no private mount namespace here: that needs root '
              'or user namespaces, and / a mount point, which it is not in some chroots); the installed programs '
              'run with them in place, checked through /proc/PID/maps')
        hide = []
    else:
        print('source and build trees hidden (empty directory mounted over them) for the runs below')

    def user(cmd, **kw):
        return run(hide + cmd, cwd=work, env=env, **kw)

    r = user(['elfld-run', '/bin/echo', 'hello', 'installed'])
    check(r.returncode == 0 and r.stdout == 'hello installed\n' and r.stderr == '',
          'installed elfld-run runs /bin/echo (a glibc program)', r.stdout + r.stderr)
    r = user(['elfld-run', '/bin/cat', '/proc/self/maps'])
    maps = [l.split()[-1] for l in r.stdout.splitlines() if len(l.split()) >= 6]
    check(r.returncode == 0 and prefix + '/bin/elfld-run' in maps and
          not any(m.startswith((SRC + '/', BUILD + '/')) for m in maps),
          'the process maps the installed elfld-run and nothing from the source or build tree', r.stdout)
    r = user(['elfld-run', '--list', '/bin/true'])
    check(r.returncode == 0 and 'libc.so.6' in r.stdout, 'installed elfld-run --list /bin/true', r.stdout + r.stderr)

    # elfld-tui runs the elfld-run beside it
    r = user(['elfld-tui', '--dump', '--no-color', '/bin/echo', 'tui-output-line'], stdin=subprocess.DEVNULL)
    check(r.returncode == 0 and 'tui-output-line' in r.stdout and 'libc.so.6' in r.stdout
          and prefix + '/bin/elfld-run' in r.stdout,
          'installed elfld-tui --dump runs the installed elfld-run (objects and output panes)',
          r.stdout[-3000:] + r.stderr)

    # the binary event stream, decoded by the installed decoder, has the text stream's events
    user(['elfld-run', '--events=ev.bin', '--events-format=binary', '/bin/true'])
    user(['elfld-run', '--events=ev.txt', '/bin/true'])
    r = user(['elfld-events-decode', 'ev.bin'])
    text = open(os.path.join(work, 'ev.txt')).read()
    kinds = lambda s: [l.split()[1] for l in s.splitlines()[1:] if len(l.split()) > 1]
    check(r.returncode == 0 and r.stdout.split('\n')[0] == text.split('\n')[0] and
          kinds(r.stdout) == kinds(text) and len(kinds(text)) > 10,
          'installed elfld-events-decode turns the binary stream into the text stream\'s events',
          r.stdout[:500] + r.stderr)

    # GDB: the extension auto-loaded for the installed elfld-run, the documented way for a prefix other
    # than /usr (with /usr, the Debian package, GDB's defaults find it: tools/deb-check)
    autoload = prefix + '/share/gdb/auto-load'
    r = user(['gdb', '-nx', '-batch', '-iex', 'add-auto-load-scripts-directory ' + autoload,
              '-iex', 'add-auto-load-safe-path ' + autoload,
              '-ex', 'info auto-load python-scripts', '-ex', 'elfld break-stage relocated', '-ex', 'run',
              '-ex', 'elfld objects', '-ex', 'kill', '--args', 'elfld-run', '/bin/echo', 'x'], timeout=120)
    out = r.stdout + r.stderr
    script = autoload + prefix + '/bin/elfld-run-gdb.py'
    check(re.search(r'^Yes\s+' + re.escape(script), out, re.M) is not None,
          'gdb auto-loads %s for the installed elfld-run' % script, out)
    check(re.search(r'^\s*1\s+echo\s+program\s.*/bin/echo', out, re.M) and 'libc.so.6' in out
          and re.search(r'loader .*' + re.escape(prefix + '/bin/elfld-run'), out),
          'gdb: `elfld objects` at stage relocated lists the loader, echo and libc', out)
    check('Traceback' not in out and 'Python Exception' not in out and 'declined' not in out,
          'gdb: no Python error, no declined auto-load', out)
    # without the set-up lines: not loaded, and no safe-path warning the user could not act on
    r = user(['gdb', '-nx', '-batch', '-ex', 'info auto-load python-scripts', 'elfld-run'])
    check('declined' not in r.stdout + r.stderr and 'warning' not in r.stdout + r.stderr,
          'gdb without the auto-load lines: no warning', r.stdout + r.stderr)
    # by hand, as documented: gdb -x PREFIX/share/elfld/gdb/elfld.py
    r = user(['gdb', '-nx', '-batch', '-x', prefix + '/share/elfld/gdb/elfld.py', '-ex', 'help elfld objects'])
    check(r.returncode == 0 and 'elfld objects' in r.stdout, 'gdb -x PREFIX/share/elfld/gdb/elfld.py',
          r.stdout + r.stderr)
    shutil.rmtree(tmp, ignore_errors=True)


# ---- man: the pages say what --help, the README and GDB say
def man_text(path):
    # no hyphenation, no justification (groff 1.23's man macros turn hyphenation on at each paragraph):
    # the words stay whole, to be compared with --help and GDB's help
    r = run(['man', '--warnings', '-E', 'ascii', '-l', path],
            env=dict(os.environ, MANWIDTH='250', LANG='C', MANROFFOPT='-rHY=0 -dAD=l'))
    check(r.returncode == 0 and r.stderr == '', '%s renders without warnings' % os.path.basename(path),
          r.stderr)
    return r.stdout


def norm(s):
    return ' '.join(s.split())


def section_man():
    if not shutil.which('man'):
        check(False, 'man is installed (apt-get install man-db)')
        return
    tmp = tempdir()
    prefix = os.path.join(tmp, 'prefix')
    install(prefix)
    readme = open(SRC + '/README.md').read()
    for prog in ('elfld-run', 'elfld-tui'):
        page = '%s/share/man/man1/%s.1.gz' % (prefix, prog)
        roff = gzip.decompress(open(page, 'rb').read()).decode()
        text = man_text(page)
        helptext = run([prefix + '/bin/' + prog, '--help']).stdout
        opts = help_options(helptext)
        man_opts = set(re.findall(r'^\.TP\n\\fB((?:\\-|[a-z0-9])+)', roff, re.M))
        man_opts = {o.replace('\\-', '-') for o in man_opts}
        check(len(opts) > 5 and opts == man_opts, '%s(1) has an entry for every option of --help, and no other'
              % prog, 'only in --help: %s\nonly in the man page: %s' % (sorted(opts - man_opts),
                                                                      sorted(man_opts - opts)))
        # every paragraph of --help is in the page; in the option list, each option's description
        for para in re.split(r'\n\s*\n', helptext):
            if not para.strip() or para.startswith('Usage:'):
                continue
            if not re.search(r'^ +--', para, re.M):
                check(norm(para) in norm(text), '%s(1) has --help\'s paragraph %r' % (prog, para[:50]),
                      'man page:\n' + text[:1500])
                continue
            entries = re.split(r'^ +--[a-z0-9-]+\S*(?: [A-Z]+)? {2,}', para, flags=re.M)[1:]
            check(len(entries) == len(re.findall(r'^ +--', para, re.M)), '%s --help: option lines parsed' % prog)
            for desc in entries:
                check(norm(desc) in norm(text), '%s(1) has the option description %r' % (prog, desc[:50]),
                      'man page:\n' + text[:1500])
        # the README's section on the program uses only options --help knows
        part = readme.split('\n## %s\n' % prog, 1)[1].split('\n## ', 1)[0]
        used = set(re.findall(r'(?<![\w-])(--[a-z][a-z0-9-]*)', part))
        check(used and used <= opts, 'README\'s %s section names only options of its --help' % prog,
              'unknown: %s' % sorted(used - opts))
        r = run(['man', '-M', prefix + '/share/man', '-w', prog])
        check(r.stdout.strip() == page, 'man -M PREFIX/share/man finds %s(1)' % prog, r.stdout + r.stderr)
    page = prefix + '/share/man/man1/elfld-events-decode.1.gz'
    check('elfld-events-decode [FILE]' in man_text(page), 'elfld-events-decode(1) has its usage')

    # elfld-gdb(7) against `help elfld` of the installed extension under real gdb -batch
    page = prefix + '/share/man/man7/elfld-gdb.7.gz'
    text = man_text(page)
    ext = prefix + '/share/elfld/gdb/elfld.py'

    def gdb_help(cmds, ext_loaded=True):
        args = ['gdb', '-nx', '-batch'] + (['-x', ext] if ext_loaded else [])
        for c in cmds:
            args += ['-ex', 'echo @@@ %s\\n' % c, '-ex', 'help ' + c]
        r = run(args)
        parts = r.stdout.split('@@@ ')[1:]
        return {p.split('\n', 1)[0]: p.split('\n', 1)[1] for p in parts}

    top = gdb_help(['elfld', 'set elfld', 'function'])
    cmds = re.findall(r'^elfld (\S+) -- ', top['elfld'], re.M)
    sets = re.findall(r'^set elfld (\S+) -- ', top['set elfld'], re.M)
    funcs = sorted(set(re.findall(r'^function (\S+) -- ', top['function'], re.M)) -
                   set(re.findall(r'^function (\S+) -- ', gdb_help(['function'], False)['function'], re.M)))
    headings = re.findall(r'^   (\S.*)$', text, re.M)
    want = ['elfld ' + c for c in cmds] + ['$' + f for f in funcs] + ['set elfld ' + s for s in sets]
    check(len(cmds) > 5 and funcs and sets and headings == want,
          'elfld-gdb(7) documents exactly the commands, functions and settings the extension defines in gdb',
          'gdb: %s\nman: %s' % (want, headings))
    helps = gdb_help(['elfld ' + c for c in cmds] + ['function ' + f for f in funcs] +
                     ['set elfld ' + s for s in sets])
    for c, h in helps.items():
        check(norm(h) in norm(text), 'elfld-gdb(7) has the full `help %s` of gdb' % c, h)
    overview = top['elfld'].split('\nList of elfld subcommands:')[0]
    check(norm(overview) in norm(text), 'elfld-gdb(7) has `help elfld`\'s overview')
    shutil.rmtree(tmp, ignore_errors=True)


# ---- completion
BASH_SIM = r'''
compopt() { :; }
complete_line() {  # LINE, the cursor at its end: the words as bash makes them (blanks separate, and = and :
    COMP_LINE=$1 COMP_POINT=${#1}  # are words of their own, as in COMP_WORDBREAKS), then the function
    COMP_WORDS=()
    local w rest
    for w in $1; do
        while [[ $w =~ ^([^=:]*)([=:])(.*)$ ]]; do
            [[ -n ${BASH_REMATCH[1]} ]] && COMP_WORDS+=("${BASH_REMATCH[1]}")
            COMP_WORDS+=("${BASH_REMATCH[2]}")
            w=${BASH_REMATCH[3]}
        done
        [[ -n $w ]] && COMP_WORDS+=("$w")
    done
    [[ $1 == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    local spec; spec=$(complete -p "${COMP_WORDS[0]}" 2>/dev/null) || { echo "NO-COMPLETION"; return; }
    local fn=${spec#*-F }; fn=${fn%% *}
    "$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf '%s\n' "${COMPREPLY[@]}" | sort -u | tr '\n' ' '; echo
}
'''


def section_completion():
    tmp = tempdir()
    prefix = os.path.join(tmp, 'prefix')
    install(prefix)
    env = {'PATH': prefix + '/bin:/usr/bin:/bin', 'HOME': tmp, 'LANG': 'C.UTF-8'}
    comp = prefix + '/share/bash-completion/completions/'

    def complete(setup, cases):
        script = setup + BASH_SIM + ''.join("complete_line '%s'\n" % c for c in cases)
        r = run(['bash', '--norc', '--noprofile', '-c', script], env=env, cwd=tmp)
        lines = r.stdout.split('\n')
        if r.returncode or len(lines) < len(cases):
            check(False, 'bash ran the completion', r.stdout + r.stderr)
            return [set()] * len(cases)
        return [set(l.split()) for l in lines[:len(cases)]]

    run_help = run([prefix + '/bin/elfld-run', '--help']).stdout
    tui_help = run([prefix + '/bin/elfld-tui', '--help']).stdout
    run_opts = {m.group(1) + ('=' if m.group(2) == '=' else '') for m in
                re.finditer(r'^ +(--[a-z0-9-]+)(=)?', run_help, re.M)}
    run_opts |= {o + '=' for o in re.findall(r'^ +(--[a-z0-9-]+)\[=', run_help, re.M)}
    tui_opts = help_options(tui_help)
    cats = re.search(r'CATS is a comma\s+list of:(.*?)\(default', run_help, re.S).group(1).split()
    stages = [l.split()[0] for l in run([prefix + '/bin/elfld-run', '--stages']).stderr.splitlines()]
    formats = re.search(r'--events-format=([a-z|]+)', run_help).group(1).split('|')
    panes = re.search(r'--pane NAME.*?\(([a-z\s]+)\)', tui_help, re.S).group(1).split()
    hwcaps = re.search(r'built-in glibc-hwcaps subdirectories\s+\(([a-z0-9 -]+)\)', run_help).group(1).split()
    check(len(cats) > 5 and len(stages) > 5 and len(panes) == 7 and formats == ['text', 'binary'] and
          len(hwcaps) == 3, '--help lists trace categories, stages, formats, panes and glibc-hwcaps names',
          (cats, stages, formats, panes, hwcaps))

    cases = ['elfld-run --', 'elfld-run --trace=', 'elfld-run --trace=stages,t', 'elfld-run --pause-at=',
             'elfld-run --pause-at=begin,re', 'elfld-run --events-format=', 'elfld-run --library-path=/usr:/li',
             'elfld-run ech', 'elfld-run --list --trace=tls ech', 'elfld-tui --', 'elfld-tui --pane ',
             'elfld-tui --events-format ', 'elfld-tui --pane objects ech', 'elfld-tui --dump --pa',
             'elfld-run echo --', 'elfld-run --glibc-hwcaps-mask=x86-64-v4:x86']
    expect = [run_opts, set(cats), {'stages,tls'}, set(stages), {'begin,relocated'}, set(formats),
              {'/lib', '/lib64'}, {'echo'}, {'echo'}, tui_opts, set(panes), set(formats),
              {'echo'}, {'--paused', '--pane'}, None, set(hwcaps)]
    setups = {'standalone (sourced, no bash-completion)': 'source %selfld-run\n' % comp}
    bc = '/usr/share/bash-completion/bash_completion'
    if os.path.exists(bc):
        # bash-completion loads completions/NAME from each XDG_DATA_DIRS entry (default /usr/local/share,
        # /usr/share), where elfld-run is first completed
        setups['loaded by bash-completion from PREFIX/share'] = (
            'export XDG_DATA_DIRS=%s/share:/usr/share\nsource %s\nfor c in elfld-run elfld-tui; do if declare -F _comp_load >/dev/null; then _comp_load '
            '"$c"; else __load_completion "$c"; fi; done\n' % (prefix, bc))
    else:
        check(False, 'bash-completion is installed (apt-get install bash-completion)')
    for name, setup in setups.items():
        got = complete(setup, cases)
        for case, want, have in zip(cases, expect, got):
            if want is None:
                continue
            ok = have >= want if case.endswith(('ech', '/li')) else have == want
            check(ok, 'completion (%s): `%s`' % (name, case), 'want %s\ngot  %s' % (sorted(want), sorted(have)))
    if os.path.exists(bc):
        # after PROGRAM, PROGRAM's own completion (bash-completion completes ls's long options)
        after = ['elfld-run --trace ls --al', 'elfld-run --trace=tls ls --sort=size --al']
        got = complete(setups['loaded by bash-completion from PREFIX/share'], after)
        for case, have in zip(after, got):
            check({'--all', '--almost-all'} <= have, 'completion after PROGRAM is PROGRAM\'s own: `%s`' % case,
                  sorted(have))
    shutil.rmtree(tmp, ignore_errors=True)


# ---- samples
def section_samples():
    tmp = tempdir()
    prefix = os.path.join(tmp, 'prefix')
    install(prefix)
    work = os.path.join(tmp, 'samples')
    shutil.copytree(prefix + '/share/doc/elfld/samples', work)
    env = {'PATH': prefix + '/bin:/usr/bin:/bin', 'HOME': tmp, 'LANG': 'C.UTF-8'}
    r = run(['make', '-j2'], cwd=work, env=env)
    check(r.returncode == 0 and 'warning' not in r.stderr, 'the installed samples build with their Makefile',
          r.stdout[-2000:] + r.stderr[-2000:])
    # every sample the project has is built (a new samples/NAME.c needs its rule in packaging/samples.mk)
    progs = sorted(f[:-2] for f in os.listdir(work) if f.endswith('.c') and not f.startswith('lib'))
    libs = sorted(f[:-2] + '.so' for f in os.listdir(work) if f.endswith('.c') and f.startswith('lib'))
    check(all(os.access(os.path.join(work, p), os.X_OK) for p in progs + libs),
          'the Makefile builds every sample: %s' % ' '.join(progs + libs),
          'missing: %s' % [p for p in progs + libs if not os.path.exists(os.path.join(work, p))])
    r = run(['make', 'check'], cwd=work, env=env)
    check(r.returncode == 0 and 'FAIL' not in r.stdout and
          sorted(re.findall(r'^ok +(\S+)', r.stdout, re.M)) == progs,
          'make check: every sample under the installed elfld-run (freestanding ones against NAME.expected, '
          'glibc ones against a native run)', r.stdout + r.stderr)
    shutil.rmtree(tmp, ignore_errors=True)


# ---- deb
def section_deb():
    tmp = tempdir()
    r = run(['cpack', '-G', 'DEB', '--config', BUILD + '/CPackConfig.cmake', '-B', tmp], cwd=tmp, timeout=300)
    debs = [f for f in os.listdir(tmp) if f.endswith('.deb')]
    if r.returncode or len(debs) != 1:
        check(False, 'cpack -G DEB makes one .deb', r.stdout[-2000:] + r.stderr[-2000:])
        return
    deb = os.path.join(tmp, debs[0])
    field = lambda f: run(['dpkg-deb', '-f', deb, f]).stdout.strip()
    arch = run(['dpkg', '--print-architecture']).stdout.strip()
    check(re.fullmatch(r'elfld_[0-9.]+-1\+(deb[0-9]+|sid)_%s\.deb' % arch, debs[0]) is not None, 'package file name', debs[0])
    depends = [d.strip() for d in field('Depends').split(',')]
    libc6 = run(['dpkg-query', '-W', '-f=${Version}', 'libc6']).stdout
    check('libc6 (= %s)' % libc6 in depends, 'Depends on exactly this libc6 (elfld-run carries its layouts)',
          depends)
    check('python3' in depends, 'Depends on python3 (elfld-events-decode, the GDB extension)', depends)
    # each library elfld-tui needs: the package that ships it here (libdwarf1 on Debian 12, libdwarf2 later)
    ldd = dict(re.findall(r'^\s*(\S+) => (/\S+)', run(['ldd', BUILD + '/bin/elfld-tui']).stdout, re.M))
    needed = re.findall(r'\(NEEDED\)\s+Shared library: \[(.*)\]', run(['readelf', '-d', BUILD + '/bin/elfld-tui']).stdout)
    check(len(needed) >= 3 and all(n in ldd for n in needed), 'elfld-tui\'s libraries found', needed)
    for lib in [ldd[n] for n in needed if n in ldd]:
        owner = run(['dpkg', '-S', os.path.realpath(lib)]).stdout.split(':')[0]
        if not owner:  # merged /usr: dpkg knows the path without /usr
            owner = run(['dpkg', '-S', os.path.realpath(lib).replace('/usr/lib/', '/lib/', 1)]).stdout.split(':')[0]
        check(owner and any(d.split()[0] == owner for d in depends),
              'Depends names %s, which ships %s' % (owner or '?', os.path.basename(lib)), depends)
    check(field('Recommends') == 'gdb', 'Recommends: gdb', field('Recommends'))
    contents = run(['dpkg-deb', '-c', deb]).stdout.splitlines()
    files = sorted(l.split()[5][2:] for l in contents if not l.startswith('d'))
    check(files == ['usr/' + f for f in expected_files('/usr')],
          'the package holds what cmake --install --prefix /usr installs, under /usr only', '\n'.join(files))
    check(all(l.split()[1] == 'root/root' for l in contents), 'files owned by root')
    x = os.path.join(tmp, 'x')
    run(['dpkg-deb', '-x', deb, x])
    check(has_dwarf(x + '/usr/bin/elfld-run'), 'the packaged elfld-run has its DWARF (the GDB extension reads it)')
    check(not has_dwarf(x + '/usr/bin/elfld-tui'), 'the packaged elfld-tui is stripped')
    ctrl = run(['dpkg-deb', '-I', deb]).stdout
    check(not re.search(r'\b(preinst|postinst|prerm|postrm)\b', ctrl), 'no maintainer scripts', ctrl)
    shutil.rmtree(tmp, ignore_errors=True)


{'run': section_run, 'man': section_man, 'completion': section_completion, 'samples': section_samples,
 'deb': section_deb}[section]()
print('%d passed, %d failed' % (passed, len(fails)))
sys.exit(1 if fails else 0)
