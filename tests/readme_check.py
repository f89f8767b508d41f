#!/usr/bin/env python3
"""The README's set-up section and .ci/run must agree: exactly two commands (install+build+run a sample,
then the test suite), the install command names every package .ci/run installs, and .ci/run runs the
README's test command."""
import re
import sys

root = sys.argv[1]
readme = open(root + '/README.md').read()
ci = open(root + '/.ci/run').read()
section = readme.split('## Set-up', 1)[1].split('\n## ', 1)[0]
commands = [l.strip() for l in section.splitlines() if l.startswith('    ')]
fails = []
if len(commands) != 2:
    fails.append('README set-up has %d commands, not 2: %s' % (len(commands), commands))
else:
    install, test = commands
    ci_pkgs = set(re.search(r'packages=\(([^)]*)\)', ci).group(1).split())
    m = re.search(r'apt-get install -y ([^&]*)&&', install)
    readme_pkgs = set(m.group(1).split()) if m else set()
    if ci_pkgs - readme_pkgs:
        fails.append('README install command lacks %s' % sorted(ci_pkgs - readme_pkgs))
    if test not in [l.strip() for l in ci.splitlines()]:
        fails.append('.ci/run does not run the README test command %r' % test)
for f in fails:
    print('FAIL', f)
print('%d passed, %d failed' % (1 - bool(fails), len(fails)))
sys.exit(1 if fails else 0)
