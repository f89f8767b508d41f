#!/usr/bin/env python3
"""Write elfld-gdb(7) from its template and the help texts of the GDB extension, as real GDB prints them.

  gdb-man.py --gdb GDB --extension gdbext/elfld.py --template elfld-gdb.7.in --version V -o elfld-gdb.7

The commands are those `help elfld` lists, the functions those `help function` lists once the extension
is loaded and not before, the settings those `help set elfld` lists; each with its full `help` text. So
the page says what GDB says (tests/install checks the installed page against GDB again)."""
import argparse
import json
import re
import subprocess
import sys
import tempfile

COLLECT = r'''
import json
import re
import gdb

def h(cmd):
    return gdb.execute("help " + cmd, to_string=True)

def subcommands(prefix):
    return re.findall(r"^%s (\S+) -- " % re.escape(prefix), h(prefix), re.M)

out = {"functions": re.findall(r"^function (\S+) -- ", h("function"), re.M)}
try:
    out["overview"] = h("elfld").split("\nList of elfld subcommands:")[0].rstrip()
    out["commands"] = [(c, h("elfld " + c)) for c in subcommands("elfld")]
    out["settings"] = [(c, h("set elfld " + c)) for c in subcommands("set elfld")]
except gdb.error:  # the run without the extension: only the functions GDB has by itself
    pass
print("ELFLD-HELP " + json.dumps(out))
'''


def gdb_json(gdb, extension):
    with tempfile.NamedTemporaryFile('w', suffix='.py') as f:
        f.write(COLLECT)
        f.flush()
        before = gdb_run(gdb, ['-x', f.name])
        after = gdb_run(gdb, ['-x', extension, '-x', f.name])
    new = [fn for fn in after['functions'] if fn not in before['functions']]
    with tempfile.NamedTemporaryFile('w', suffix='.py') as f:
        f.write('import gdb, json\nprint("ELFLD-HELP " + json.dumps([gdb.execute("help function " + n, '
                'to_string=True) for n in %r]))\n' % new)
        f.flush()
        after['functions'] = list(zip(new, gdb_run(gdb, ['-x', extension, '-x', f.name])))
    return after


def gdb_run(gdb, args):
    r = subprocess.run([gdb, '-batch', '-nx'] + args, capture_output=True, text=True)
    m = re.search(r'^ELFLD-HELP (.*)$', r.stdout, re.M)
    if r.returncode or not m:
        sys.exit('gdb-man.py: %s %s failed (status %d): %s' % (gdb, ' '.join(args), r.returncode,
                                                                r.stderr.strip()[-500:]))
    return json.loads(m.group(1))


def esc(line):
    line = line.replace('\\', '\\e').replace('-', '\\-')
    return '\\&' + line if line.startswith(('.', "'")) else line


def roff(text):
    """Help text as roff: paragraphs of wrapped prose are filled; tables and lists (indented lines,
    aligned columns, lines ending well before the paragraph's width) are kept as they are."""
    out = []
    for para in re.split(r'\n\s*\n', text.strip('\n')):
        lines = para.rstrip().split('\n')
        out.append('.PP')
        width = max(len(l) for l in lines)
        if any(l[:1].isspace() or '   ' in l for l in lines) or any(len(l) < 0.6 * width for l in lines[:-1]):
            out += ['.nf'] + [esc(l) for l in lines] + ['.fi']
        else:
            out += [esc(l) for l in lines]
    return '\n'.join(out[1:])  # the first paragraph follows the heading directly


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--gdb', default='gdb')
    ap.add_argument('--extension', required=True)
    ap.add_argument('--template', required=True)
    ap.add_argument('--version', required=True)
    ap.add_argument('-o', '--output', required=True)
    a = ap.parse_args()
    h = gdb_json(a.gdb, a.extension)
    if not h.get('commands') or not h['functions'] or not h.get('settings'):
        sys.exit('gdb-man.py: %s defines no elfld commands, functions or settings in %s' % (a.extension, a.gdb))

    def section(items, heading):
        return '\n'.join('.SS "%s"\n%s' % (esc(heading(name)), roff(text)) for name, text in items)

    page = open(a.template).read()
    page = page.replace('@VERSION@', a.version).replace('@OVERVIEW@', roff(h['overview']))
    page = page.replace('@COMMANDS@', section(h['commands'], lambda n: 'elfld ' + n))
    page = page.replace('@FUNCTIONS@', section(h['functions'], lambda n: '$' + n))
    page = page.replace('@SETTINGS@', section(h['settings'], lambda n: 'set elfld ' + n))
    left = re.findall(r'@[A-Z]+@', page)
    if left:
        sys.exit('gdb-man.py: %s: unknown placeholders %s' % (a.template, left))
    with open(a.output, 'w') as f:
        f.write(page)


main()
