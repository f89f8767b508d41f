#!/bin/bash
# elfld-tui in a real terminal (tmux). tmux_check.sh TUI SAMPLES/echidna [SECTION...]; sections:
#   basic   start paused, step a stage, continue, switch panes, help, resize to 80x24, quit (nothing left
#           running), input for the program
#   filters the relocs pane's filters (f t & F) against readelf -rW; / n N and Enter
#   status  elfld-tui's exit status is the program's (3, 127 for a load failure, 128+N for a signal); the
#           status bar's relocation count
#   screen  colours with TERM=xterm-256color, none with NO_COLOR / TERM=vt100 / --no-color and the same
#           layout; UTF-8 program output at 80 columns
#   big     part 4 on gdb --version (150k relocations): position, End, scrolling, mouse, a key after the end
#   relocstep  one relocation at a time (r): the pause, the new row, its before and after
#   lazy    a lazily bound PLT slot: pending at the entry stage, bound (to what, when) after the first call
#   dlmopen the objects pane marks the objects of a dlmopen namespace ([ns 1]): the library and its libc
#   usable  80x24: Left/Right bring the relocs pane's VALUE and FROM columns into view; the position
#           indicator (N/M, percentage); mouse clicks on tabs and rows, the wheel; a message for a key that
#           does nothing; a program's prompt shown before its line ends, then answered
#   teach   stepping with --paused: the header's stage line (description, +N objects/TLS modules/...
#           this step), the step's new rows in bold, the TLS memory view of a thread, the process map (7)
#   robust  keys answered within 2 s while a big program's stream arrives, q leaves nothing; kill -9 of
#           elfld-tui leaves no loader stuck; megabytes of output
set -u
tui=$1 prog=$2
samples=$(dirname "$prog")
shift 2
sections=${*:-basic filters status lazy dlmopen usable teach relocstep big screen robust}
export LC_ALL=C.UTF-8 # UTF-8 through tmux (capture-pane) and in the TUI
sock=elfld-tui-test-$$
tmp=$(mktemp -d)
tm() { tmux -L "$sock" "$@"; }
pass=0 fail=0
ok() { pass=$((pass+1)); echo "ok   $1"; }
bad() { fail=$((fail+1)); echo "FAIL $1"; }
screen() { tm capture-pane -p -t t; }
wait_for() { # wait_for REGEX WHAT [SECONDS]
  local tries=$(( ${3:-10} * 10 ))
  for _ in $(seq $tries); do screen | grep -qE "$1" && { ok "$2"; return 0; }; sleep 0.1; done
  bad "$2 (screen:)"; screen | sed 's/^/     /'; return 1
}
start() { # start WIDTH HEIGHT COMMAND: a new session running COMMAND (then a shell that waits)
  # The new session first, then the old one goes: killing the server's last session makes the server exit,
  # and a new-session racing with that exit fails ("server exited unexpectedly").
  tm new-session -d -s next -x "$1" -y "$2" "$3; sleep 120"
  tm kill-session -t t 2>/dev/null
  tm rename-session -t next t
}
ms() { echo $(( $(date +%s%N) / 1000000 )); }
# react KEY REGEX WHAT: after KEY the screen shows REGEX within 2 s
react() {
  local t0; t0=$(ms)
  tm send-keys -t t "$1"
  while [ $(( $(ms) - t0 )) -lt 2000 ]; do
    screen | grep -qE "$2" && { ok "$3 ($(( $(ms) - t0 )) ms)"; return 0; }
    sleep 0.05
  done
  bad "$3: no reaction within 2 s (screen:)"; screen | sed 's/^/     /'; return 1
}
# The processes: the pane's shell runs elfld-tui, which runs elfld-run (the loader, then the program).
tui_pid() { pgrep -P "$(tm display -p -t t '#{pane_pid}')" | head -1; }
run_pid() { pgrep -P "$1" | head -1; }
pstate() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1; } # R S T (stopped) Z ...
alive() { [ -n "$1" ] && [ -n "$(pstate "$1")" ] && [ "$(pstate "$1")" != Z ]; } # a zombie has ended
# KEEP=1 keeps the captured screens (in $tmp) for a look
trap 'tm kill-server 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

basic() {
  start 120 40 "$tui --paused $prog"
  wait_for 'stage begin \(paused at begin:' "starts paused before mapping"
  tm send-keys -t t s
  wait_for 'stage mapped \(paused at mapped:' "s steps to the next stage"
  wait_for 'echidna' "objects pane lists the program"
  tm send-keys -t t Enter
  wait_for 'build_id +[0-9a-f]{40}' "Enter shows the selected object's details"
  tm send-keys -t t x / libbar Enter
  tm send-keys -t t Enter
  wait_for 'name +libbar.so' "/ finds a row (details of the match)"
  tm send-keys -t t c
  wait_for 'exited with status 0' "c continues; the end is shown"
  tm send-keys -t t 6
  wait_for 'FOO = 10, BAR = 100' "output pane shows the program's output"
  tm send-keys -t t 5
  wait_for 'SEQ +STAGE +EVENT' "events pane"
  tm send-keys -t t '?'
  wait_for 'step to the next stage' "help lists the keys"
  screen | grep -q '┌─*┐' && screen | grep -q '└─*┘' && screen | grep -q '│ q  .*quit.*│' &&
    ok "the help is drawn in a box" || { bad "the help has no frame"; screen | sed 's/^/     /'; }
  tm send-keys -t t q
  for _ in $(seq 20); do screen | grep -q 'step to the next stage' || break; sleep 0.1; done
  ! screen | grep -q 'step to the next stage' && screen | grep -qE 'stage entry \| the program exited' &&
    ok "? then q: the help closes, the TUI stays" || { bad "? then q did not just close the help"; screen | sed 's/^/     /'; }
  tm send-keys -t t '?'
  wait_for 'step to the next stage' "? again shows the help"
  tm send-keys -t t 2
  for _ in $(seq 20); do screen | grep -q 'step to the next stage' || break; sleep 0.1; done
  screen | grep -q '^events: ' && ! screen | grep -q 'step to the next stage' &&
    ok "? then 2: the help closes, the pane stays" || { bad "? then 2 did more than close the help"; screen | sed 's/^/     /'; }
  tm resize-window -t t -x 80 -y 24
  wait_for 'stage entry \| the program exited with status 0' "status line (with the end) after resizing to 80x24"
  tm send-keys -t t q
  for _ in $(seq 50); do screen | grep -q 'stage entry' || break; sleep 0.1; done
  if pgrep -f "elfld-run --events=.*$prog" >/dev/null; then bad "an elfld-run process is left"; else ok "q quits, nothing left running"; fi
  # Input for the program: the Output pane sends a typed line to its terminal.
  start 120 40 "$tui /usr/bin/head -1"
  wait_for 'stage entry' "head started"
  tm send-keys -t t 6 i
  tm send-keys -t t 'hello elfld' Enter
  wait_for 'exited with status 0' "a typed line reaches the program, which then ends"
  tm send-keys -t t q
}

# The TUI's exit status is the program's, as with --dump: its code, 127 if loading failed, 128+N for signal N,
# 143 when q ends a program still running (SIGTERM).
status() {
  local st
  st_run() { # st_run WHAT WANT REGEX COMMAND...: run in the TUI, wait for REGEX, q, then the status must be WANT
    local what=$1 want=$2 re=$3 cmd
    shift 3
    cmd=$(printf '%q ' "$tui" "$@")
    rm -f "$tmp/status"
    start 120 40 "$cmd; echo \$? > $tmp/status"
    wait_for "$re" "$what: the screen says so" || return
    tm send-keys -t t q
    for _ in $(seq 50); do [ -s "$tmp/status" ] && break; sleep 0.1; done
    st=$(cat "$tmp/status" 2>/dev/null)
    [ "$st" = "$want" ] && ok "$what: elfld-tui exits with status $want" || bad "$what: exit status '$st', not $want"
  }
  st_run "a program exiting with 3" 3 'exited with status 3' /bin/sh -c 'exit 3'
  st_run "a program exiting with 0" 0 'exited with status 0' "$prog"
  st_run "a missing program" 127 'loading failed: elfld: /nonexistent/prog' /nonexistent/prog
  st_run "a program killed by SIGSEGV" 139 'killed by signal 11' /bin/sh -c 'kill -SEGV $$'
  st_run "q while the program runs (SIGTERM)" 143 'stage entry \| running' /bin/sleep 60
  # the status bar counts the relocations applied, as the relocs pane
  start 120 40 "$tui $samples/hello-glibc"
  wait_for 'exited with status 0' "hello-glibc ran"
  tm send-keys -t t 3
  wait_for '^relocs: [0-9]+ relocations' "relocs pane"
  local n s
  n=$(screen | sed -n 's/^relocs: \([0-9]*\) relocations.*/\1/p')
  s=$(screen | grep -oE '\| relocations [0-9]+ ' | grep -oE '[0-9]+')
  [ -n "$n" ] && [ "$n" -gt 0 ] && [ "$s" = "$n" ] && ok "status bar: relocations $s, as the relocs pane" ||
    { bad "status bar: relocations '$s', relocs pane '$n'"; screen | sed 's/^/     /'; }
  tm send-keys -t t q
}

# next_where OLD: the address in the details box once it shows another relocation than OLD (5 s at most)
next_where() {
  local w
  for _ in $(seq 50); do
    w=$(screen | grep -oE ' where +0x[0-9a-f]+' | awk '{ print $2 }')
    [ -n "$w" ] && [ "$w" != "$1" ] && break
    sleep 0.1
  done
  echo "$w"
}
# The relocs pane's filters, with the counts readelf -rW gives for libc.so.6.
filters() {
  local libc nglob nstd w1 w2 w3 rows
  libc=$("$(dirname "$tui")/elfld-run" --list "$samples/hello-glibc" | awk '$1 == "libc.so.6" { print $3 }')
  nglob=$(readelf -rW "$libc" | awk '$3 == "R_X86_64_GLOB_DAT"' | wc -l)
  nstd=$(readelf -rW "$libc" | awk '$3 == "R_X86_64_GLOB_DAT" && $5 ~ /std/' | wc -l)
  start 120 40 "$tui $samples/hello-glibc"
  wait_for 'exited with status 0' "hello-glibc loaded and run"
  tm send-keys -t t 3
  wait_for '^relocs: [0-9]+ relocations' "relocs pane: the title counts the relocations"
  tm send-keys -t t / libc.so.6 Enter f
  wait_for '^relocs: [0-9]+ of [0-9]+ \| object libc\.so\.6  ' "f: the selected row's object only, in the title"
  rows=$(screen | sed -n '5,39p' | awk 'NF { print $2 }' | sort -u)
  [ "$rows" = libc.so.6 ] && ok "f: every row is libc.so.6's" || bad "f: rows of other objects: $rows"
  tm send-keys -t t / GLOB_DAT Enter t
  wait_for "^relocs: $nglob of [0-9]+ \| object libc\.so\.6 \| type R_X86_64_GLOB_DAT  " \
    "t: the selected row's type only: $nglob rows, as readelf -rW $libc"
  tm send-keys -t t '&' std Enter
  wait_for "^relocs: $nstd of [0-9]+ \| object libc\.so\.6 \| type R_X86_64_GLOB_DAT \| symbol ~ std" \
    "&: symbols containing std: $nstd rows, as readelf"
  tm send-keys -t t t
  wait_for "^relocs: [0-9]+ of [0-9]+ \| object libc\.so\.6 \| symbol ~ std  " "t again: any type"
  tm send-keys -t t F
  wait_for '^relocs: [0-9]+ relocations' "F clears the filters"
  # Jump to a symbol: / finds, n goes to the next match, N back, Enter shows the relocation.
  tm send-keys -t t / R_X86_64_GLOB_DAT Enter Enter
  wait_for 'type_name +R_X86_64_GLOB_DAT' "/ and Enter: the first match's details"
  w1=$(next_where "")
  tm send-keys -t t x n Enter
  w2=$(next_where "$w1")
  [ -n "$w2" ] && [ "$w2" != "$w1" ] && screen | grep -qE 'type_name +R_X86_64_GLOB_DAT' &&
    ok "n: the next match ($w1 -> $w2)" || bad "n: not the next match ($w1 -> $w2)"
  tm send-keys -t t x N Enter
  w3=$(next_where "$w2")
  [ -n "$w1" ] && [ "$w3" = "$w1" ] && ok "N: back to the previous match" || bad "N: $w3, not $w1"
  tm send-keys -t t x / no-such-symbol Enter
  wait_for 'not found: no-such-symbol' "a search without match says so"
  tm send-keys -t t q
}

# step_to STAGE WHAT: s (a stage at a time, at most one per stage) until the loader is paused at STAGE
step_to() {
  for _ in $(seq 12); do
    screen | grep -q "paused at $1" && break
    tm send-keys -t t s
    sleep 0.3
  done
  wait_for "paused at $1" "$2"
}

# Lazy binding, live: samples/plt paused at entry shows puts's PLT slot pending; once it runs, bound to libc.
lazy() {
  start 160 40 "$tui --paused $samples/plt"
  wait_for 'stage begin \(paused at begin:' "plt: starts paused"
  step_to entry "plt: stepped to the entry stage"
  tm send-keys -t t 3 '&' puts Enter
  wait_for '^1 +plt +R_X86_64_JUMP_SLOT +0x[0-9a-f]+ +puts +0x[0-9a-f]+ +pending: PLT until the first call' \
    "relocs pane at entry: puts's slot pending (the PLT until the first call)"
  screen | grep -qE '\(lazy [0-9]+, bound [0-9]+\)' && ok "status bar: lazy and bound slots counted" ||
    { bad "status bar without the lazy count"; screen | sed 's/^/     /'; }
  tm send-keys -t t c
  wait_for '^1 +plt +R_X86_64_JUMP_SLOT +0x[0-9a-f]+ +puts +0x[0-9a-f]+ +libc\.so\.6 +bound at [0-9]+\.[0-9]{3} ms, thread [0-9]+' \
    "after the first call: puts's slot bound to libc.so.6, with the time and the thread"
  tm send-keys -t t q
}

dlmopen() {
  start 160 40 "$tui $samples/dlmopen $samples/libnscount.so"
  wait_for 'the program exited with status 0' "dlmopen: the program ran to its end"
  tm send-keys -t t 1
  wait_for '^[0-9]+ +library +libnscount\.so +0x' "objects pane: libnscount.so in the program's namespace"
  wait_for '^[0-9]+ +library +libnscount\.so \[ns 1\] +0x' "objects pane: its copy in namespace 1, marked"
  wait_for '^[0-9]+ +library +libc\.so\.6 \[ns 1\] +0x' "objects pane: namespace 1's own libc, marked"
  tm send-keys -t t 6
  wait_for '^bump: 102 104 in namespace 0, 102 in namespace 1' "output pane: the copies count separately"
  tm send-keys -t t q
}

# attrs REGEX: "bold" or "plain" for each screen line matching REGEX (its first character's attribute, from
# the SGR sequences capture-pane -e gives, which carry over from line to line)
attrs() {
  tm capture-pane -e -p -t t | python3 -c 'import re, sys
bold, out = False, []
for line in sys.stdin.read().split("\n"):
    text, first = "", None
    for part in re.split(r"(\x1b\[[0-9;]*m)", line):
        m = re.fullmatch(r"\x1b\[([0-9;]*)m", part)
        if m:
            for p in (m.group(1) or "0").split(";"):
                bold = True if p == "1" else False if p in ("0", "22", "") else bold
        elif part:
            first = bold if first is None else first
            text += part
    if re.search(sys.argv[1], text):
        out.append("bold" if first else "plain")
print(" ".join(out))' "$1"
}

# mouse X Y [BUTTON]: a press (and its release) at column X, row Y in the X10 encoding the terminal
# description (kmous=\E[M) tells ncurses to expect: ESC [ M, then 32+button, 33+x, 33+y; 64/65 the wheel
mouse() {
  local b=${3:-0}
  tm send-keys -t t -H 1b 5b 4d "$(printf %x $((32 + b)))" "$(printf %x $((33 + $1)))" "$(printf %x $((33 + $2)))"
  [ "$b" = 0 ] && tm send-keys -t t -H 1b 5b 4d 23 "$(printf %x $((33 + $1)))" "$(printf %x $((33 + $2)))"
}

# Part 4 of issue 14: what people expect of a terminal tool, at 80x24.
usable() {
  local n x
  start 80 24 "$tui $samples/hello-glibc"
  wait_for 'stage entry \| the program exited with status 0' "usable: hello-glibc ran at 80x24"
  tm send-keys -t t 3
  wait_for '^relocs: [0-9]+ relocations' "relocs pane at 80 columns"
  screen | grep -qE '^OBJ +NAME +TYPE' && ! screen | grep -q 'FROM' && ok "80 columns: VALUE and FROM out of view at first" ||
    { bad "80 columns: the header is not the cut one"; screen | sed 's/^/     /'; }
  wait_for 'cols 1-80 of [0-9]+ >' "the title says the rows are wider (cols 1-80 of N >)"
  tm send-keys -t t Right Right Right
  wait_for '^ADDRESS +SYMBOL +VALUE +FROM *$' "Right x3: the header scrolled to ADDRESS SYMBOL VALUE FROM"
  wait_for '^0x[0-9a-f]+ +0x[0-9a-f]+ +libc\.so\.6 *$' "rows scrolled too: the address, VALUE and FROM (libc.so.6)"
  wait_for 'cols 48-127 of [0-9]+ <' "the title shows the columns in view"
  tm send-keys -t t Right
  wait_for 'Right: nothing more to the right' "Right at the end says so"
  tm send-keys -t t Left Left Left
  wait_for '^OBJ +NAME +TYPE' "Left x3: back to the first column"
  # position indicator: selected row / rows and the percentage
  n=$(screen | sed -n 's/^relocs: \([0-9]*\) relocations.*/\1/p')
  wait_for " 1/$n 0%" "position indicator: 1/$n at the first row"
  tm send-keys -t t End
  wait_for " $n/$n 100%" "End: $n/$n 100%"
  tm send-keys -t t g # (Home's escape sequence can arrive split on a loaded machine: g is one byte)
  wait_for " 1/$n 0%" "g: back to the first row"
  # mouse: a click on a row selects it, the wheel moves by 3 rows, a click on a tab switches pane
  mouse 10 8
  wait_for " 5/$n " "mouse: a click on the 5th row selects it (5/$n)"
  mouse 10 8 65
  mouse 10 8 65
  wait_for " 11/$n " "mouse: two wheel steps down: 11/$n"
  mouse 10 8 64
  wait_for " 8/$n " "mouse: a wheel step up: 8/$n"
  x=$(screen | head -1 | grep -bo '6 output' | cut -d: -f1)
  mouse "$x" 0
  wait_for '^output: ' "mouse: a click on the tab '6 output' switches to it"
  x=$(screen | head -1 | grep -bo '3 relocs' | cut -d: -f1)
  mouse "$x" 0
  wait_for '^relocs: ' "mouse: a click on the tab '3 relocs' switches back"
  # a key that does nothing says so
  tm send-keys -t t x
  wait_for 'key x does nothing here; \? for help' "an unknown key: 'key x does nothing here; ? for help'"
  tm send-keys -t t i
  wait_for 'i: in the output pane \(6\)' "i outside the output pane says where it works"
  tm send-keys -t t s
  wait_for 's: the loader has finished' "s after the end says there is nothing to step"
  tm send-keys -t t q
  # a prompt without newline shows at once; the answer goes to the program
  start 80 24 "$tui /bin/sh -c 'printf \"Name? \"; read n; echo \"hello \$n\"'"
  wait_for 'stage entry \| running' "usable: a program waiting for input"
  tm send-keys -t t 6
  wait_for '^Name\? *$' "the output pane shows the prompt before its line ends"
  wait_for 'unfinished' "the title says the last line is unfinished"
  tm send-keys -t t i
  tm send-keys -t t 'Bob' Enter
  wait_for '^hello Bob *$' "the answer reaches the program"
  wait_for 'exited with status 0' "which ends"
  tm send-keys -t t q
}

# Part 3 of issue 14: what each step did, shown where one looks.
teach() {
  local a
  start 120 40 "$tui --paused $prog"
  wait_for '^\[1/8\] begin \| this step: nothing new \| nothing loaded yet' "teach: the stage line at begin"
  tm send-keys -t t s
  wait_for '^\[2/8\] mapped \| this step: \+4 objects, \+[0-9]+ program headers \| program and all dependencies mapped' \
    "s: the stage line says what mapping did (+4 objects, program headers) and what the stage means"
  a=$(attrs '^[0-9] +(loader|program|vdso|library) ')
  [ "$a" = "bold bold bold bold" ] && ok "the 4 new objects are in bold" || { bad "new objects not bold: '$a'"; screen | sed 's/^/     /'; }
  tm send-keys -t t s
  wait_for '^\[3/8\] tls-allocated \| this step: \+2 TLS modules \| static TLS laid out' "s: +2 TLS modules"
  a=$(attrs '^[0-9] +(loader|program|vdso|library) ')
  [ "$a" = "plain plain plain plain" ] && ok "the objects of the step before are no longer bold" ||
    { bad "old objects still bold: '$a'"; screen | sed 's/^/     /'; }
  tm send-keys -t t 4
  wait_for '^module +2 +libbar\.so' "TLS pane"
  a=$(attrs '^module ')
  [ "$a" = "bold bold" ] && ok "the 2 new TLS modules are in bold" || { bad "TLS modules not bold: '$a'"; screen | sed 's/^/     /'; }
  tm send-keys -t t s
  wait_for '^\[4/8\] relocated \| this step: \+1 relocation \|' "s: +1 relocation"
  tm send-keys -t t 3
  wait_for '^1 +echidna +R_X86_64_TPOFF64' "relocs pane: the step's relocation"
  tm send-keys -t t Enter
  wait_for 'before +0x0 \(what the loader found there\)' "Enter: the slot before relocation (the event's before)"
  wait_for 'after +tp-0xc' "... and after: BAR's offset from the thread pointer"
  wait_for 'defined by +libbar\.so' "... and the object that defined the symbol"
  tm send-keys -t t Enter
  tm send-keys -t t s
  wait_for '^\[5/8\] tls-initialized \| this step: \+2 TLS blocks \|' "s: +2 TLS blocks"
  tm send-keys -t t 4
  # the TLS memory view: the thread's blocks below the thread pointer, the TCB at it, the DTV
  wait_for '^thread [0-9]+: thread pointer 0x[0-9a-f]+, DTV at 0x[0-9a-f]+' "TLS view: the thread, its thread pointer and DTV"
  wait_for '^  0x[0-9a-f]+ +tp-0xc +module 2 block \(libbar\.so\), 0x8 bytes  <- DTV\[2\]' "TLS view: libbar.so's block at tp-0xc"
  wait_for '^  0x[0-9a-f]+ +tp +TCB: the thread pointer' "TLS view: the TCB at tp"
  wait_for '^  DTV 0x[0-9a-f]+ \(generation [0-9]+, [0-9]+ slots\): \[1\] 0x[0-9a-f]+ \[2\] 0x[0-9a-f]+' "TLS view: the DTV's generation and slots"
  # the rows in memory order, each block's address = tp + its offset
  screen | python3 -c 'import re, sys
t = sys.stdin.read()
tp = int(re.search(r"thread pointer (0x[0-9a-f]+)", t).group(1), 16)
rows = [(int(a, 16), o) for a, o in re.findall(r"^  (0x[0-9a-f]+) +(tp-0x[0-9a-f]+|tp) ", t, re.M)]
ok = len(rows) == 3 and all(a == tp - (int(o[3:], 16) if o != "tp" else 0) for a, o in rows) and rows == sorted(rows)
sys.exit(0 if ok else 1)' && ok "TLS view: blocks at tp minus their offsets, in address order" || bad "TLS view: addresses wrong"
  tm send-keys -t t c 7
  wait_for '^map: the whole process' "7: the process map"
  wait_for 'object +echidna \(program\) +\|[xrwRb.]+\|' "map: the program with its little map"
  wait_for 'TLS +module 2 \(libbar\.so\) static block, thread [0-9]+, at tp-0xc' "map: the TLS blocks"
  wait_for 'TCB +TCB of thread [0-9]+' "map: the TCB"
  wait_for 'stack +the stack' "map: the stack"
  screen | python3 -c 'import re, sys
a = [int(x, 16) for x in re.findall(r"^(0x[0-9a-f]+) ", sys.stdin.read(), re.M)]
sys.exit(0 if len(a) > 10 and a == sorted(a) else 1)' && ok "map: rows sorted by address" || bad "map: rows not sorted"
  tm send-keys -t t q
}

# Part 4 on a big program: gdb (150,000 relocations): the position indicator, End, sideways scrolling, the
# mouse, and a step key after the end, on a pane of 100k+ rows.
big() {
  local g n
  g=$(command -v gdb) || { bad "big: no gdb to run"; return; }
  start 80 24 "$tui $g --version"
  wait_for 'stage entry \| the program exited with status 0' "big: gdb --version ran at 80x24" 60
  tm send-keys -t t 3
  wait_for '^relocs: [0-9]+ relocations' "big: relocs pane"
  n=$(screen | sed -n 's/^relocs: \([0-9]*\) relocations.*/\1/p')
  [ "${n:-0}" -ge 100000 ] && ok "big: $n relocations (100k+)" || bad "big: only ${n:-0} relocations"
  wait_for " 1/$n 0%" "big: position indicator 1/$n"
  tm send-keys -t t End
  wait_for " $n/$n 100%" "big: End: $n/$n 100%"
  tm send-keys -t t g
  wait_for " 1/$n 0%" "big: g: back to the first row"
  tm send-keys -t t Right Right Right
  wait_for '^ADDRESS +SYMBOL +VALUE' "big: Right x3 scrolls the columns into view"
  tm send-keys -t t Left Left Left
  mouse 10 8
  wait_for " 5/$n " "big: a click selects the 5th row"
  mouse 10 8 65
  wait_for " 8/$n " "big: the wheel moves 3 rows"
  tm send-keys -t t r
  wait_for 'r: the loader has finished: nothing to step' "big: r after the end says why it does nothing"
  tm send-keys -t t q
}

# One relocation at a time (r): the loader stops after each, the relocs pane grows by one row, and the
# row's details say what the slot held before and what was written (the pause names the same address).
relocstep() {
  local w1 w2
  start 160 40 "$tui --paused $samples/tls-models"
  wait_for 'paused at begin' "relocstep: starts paused"
  step_to tls-allocated "relocstep: at tls-allocated, nothing relocated yet"
  tm send-keys -t t 3 r
  wait_for 'paused at reloc:0x[0-9a-f]+' "r: paused after one relocation"
  wait_for '^relocs: 1 relocations' "r: the relocs pane has that one row"
  w1=$(screen | grep -oE 'paused at reloc:0x[0-9a-f]+' | head -1 | sed 's/.*reloc://')
  tm send-keys -t t r
  for _ in $(seq 30); do
    w2=$(screen | grep -oE 'paused at reloc:0x[0-9a-f]+' | head -1 | sed 's/.*reloc://')
    [ -n "$w2" ] && [ "$w2" != "$w1" ] && break
    sleep 0.1
  done
  wait_for '^relocs: 2 relocations' "r again: the next relocation ($w1, then $w2)"
  tm send-keys -t t End Enter
  wait_for "where +$w2" "Enter: the details of the relocation just applied"
  wait_for 'before +0x[0-9a-f]+ \(what the loader found there\)' "... what the slot held before"
  wait_for 'after +' "... and what was written"
  tm send-keys -t t Enter c
  wait_for 'exited with status 0' "c: the rest runs to the end"
  tm send-keys -t t q
}

# Colours: capture-pane -e shows the escape sequences tmux got. Any SGR colour parameter counts
# (30-38, 40-48, 90-97, 100-107); reverse video and bold do not.
has_colour() {
  python3 -c 'import re, sys
t = open(sys.argv[1], encoding="utf-8", errors="replace").read()
sys.exit(0 if any(re.fullmatch(r"3[0-8]|4[0-8]|9[0-7]|10[0-7]", p) for s in re.findall(r"\x1b\[([0-9;]*)m", t) for p in s.split(";")) else 1)' "$1"
}
# shoot NAME COMMAND: the segments (with the map) and relocs panes of hello-glibc at 80x24, with and
# without escape sequences; addresses and thread ids, different at each run, masked.
shoot() {
  start 80 24 "$2"
  wait_for 'stage entry \| the program exited with status 0' "$1: hello-glibc ran" || return
  : >"$tmp/$1.esc"
  : >"$tmp/$1.txt"
  for k in 2 3; do
    tm send-keys -t t $k
    sleep 0.5
    tm capture-pane -e -p -t t >>"$tmp/$1.esc"
    screen | sed -E 's/0x[0-9a-f]+/0x?/g; s/tid [0-9]+/tid ?/' >>"$tmp/$1.txt"
  done
  tm send-keys -t t q
}
screen_checks() {
  shoot colour "env TERM=xterm-256color $tui $samples/hello-glibc"
  has_colour "$tmp/colour.esc" && ok "TERM=xterm-256color: colours" || bad "TERM=xterm-256color: no colour escape sequences"
  grep -q '^map: ld-linux-x86-64.so.2 at 0x?: ' "$tmp/colour.txt" && grep -qE '^\|[xrwRb.]{77}\|$' "$tmp/colour.txt" &&
    ok "80x24: the address map is there, 77 columns of bar" || bad "80x24: no address map"
  shoot nocolor "env TERM=xterm-256color NO_COLOR=1 $tui $samples/hello-glibc"
  shoot vt100 "env TERM=vt100 $tui $samples/hello-glibc"
  shoot option "env TERM=xterm-256color $tui --no-color $samples/hello-glibc"
  for name in nocolor vt100 option; do
    has_colour "$tmp/$name.esc" && bad "$name: colour escape sequences" || ok "$name: no colours"
    cmp -s "$tmp/colour.txt" "$tmp/$name.txt" && ok "$name: the same layout as in colour" ||
      { bad "$name: the layout differs from the colour one"; diff "$tmp/colour.txt" "$tmp/$name.txt" | head -20; }
  done
  # UTF-8 from the program: shown as characters, a line cut at the 80th column (not the 80th byte);
  # escape sequences and tabs from the program do not upset the pane.
  local e100 cmd
  e100=$(printf 'é%.0s' $(seq 100))
  cmd=$(printf '%q ' "$tui" /usr/bin/printf 'h\303\251llo \342\234\223\n\tT\033[31mred\033[0m|\n%s|\n' "$e100")
  start 80 24 "$cmd"
  wait_for 'exited with status 0' "printf ran"
  tm send-keys -t t 6
  wait_for '^héllo ✓ *$' "UTF-8 output: héllo ✓"
  [ "$(screen | grep -c '^é\{80\}$')" = 1 ] && ok "a line of 100 é shows 80 of them at 80 columns" ||
    { bad "the line of é is not cut at 80 columns"; screen | sed 's/^/     /'; }
  screen | grep -q '^        Tred|' && ok "a tab becomes spaces, colour escapes are left out" || bad "tab or escapes shown wrongly"
  tm send-keys -t t q
}

robust() {
  local big tp rp still t0 state f
  # 1. Keys are answered within 2 s while the stream of a big program arrives, and q leaves nothing.
  if command -v clang-tidy >/dev/null; then big="$(command -v clang-tidy) --version"
  else big="/usr/bin/python3 -c 'import time; time.sleep(3)'"; fi
  start 120 40 "$tui $big"
  wait_for ' 1 objects ' "elfld-tui drew its screen ($big)" 5
  tp=$(tui_pid); rp=$(run_pid "$tp")
  still=$(screen | grep -oE 'stage [a-z-]+ \| running \| objects [0-9]+ \| relocations [0-9]+')
  react Tab '^segments: ' "Tab switches pane while loading"
  react '?' 'step to the next stage' "? shows the help"
  echo "     (when Tab was sent: ${still:-the load had finished})"
  tm send-keys -t t x # closes the help (q would too, and only that)
  t0=$(ms)
  tm send-keys -t t q
  while [ $(( $(ms) - t0 )) -lt 2000 ] && alive "$tp"; do sleep 0.05; done
  alive "$tp" && bad "q: elfld-tui still running after 2 s" || ok "q: elfld-tui ended ($(( $(ms) - t0 )) ms)"
  alive "$rp" && bad "q: elfld-run ($rp) left running" || ok "q: no elfld-run left"
  # 2. kill -9 of elfld-tui: the loader must not wait for it. As documented (--help), the program loses its
  # terminal and gets SIGHUP; either it carries on or it ends, but nothing stays stopped or stuck.
  start 120 40 "$tui /bin/sh -c 'sleep 2; echo done > $tmp/f1'"
  wait_for ' 1 objects ' "elfld-tui started sh" 5
  sleep 0.5
  tp=$(tui_pid); rp=$(run_pid "$tp")
  kill -9 "$tp"
  for _ in $(seq 50); do alive "$rp" || break; sleep 0.1; done
  if alive "$rp"; then bad "kill -9 elfld-tui: elfld-run ($rp) still there after 5 s, state $(pstate "$rp")"
  elif [ -s "$tmp/f1" ]; then ok "kill -9 elfld-tui: the program carried on and finished"
  else ok "kill -9 elfld-tui: the program ended (SIGHUP: its terminal went away), nothing left"; fi
  # 3. The same while the loader is paused at its first stage, the program ignoring SIGHUP: the control
  # pipe's end lets the loader go on, the stream's end does not stop it, the program writes its file.
  if env --ignore-signal=HUP true 2>/dev/null; then
    start 120 40 "env --ignore-signal=HUP $tui --paused /bin/sh -c 'sleep 1; echo done > $tmp/f2'"
    wait_for 'paused at begin' "paused at begin" 5
    tp=$(tui_pid); rp=$(run_pid "$tp")
    kill -9 "$tp"
    for _ in $(seq 50); do [ -s "$tmp/f2" ] && ! alive "$rp" && break; sleep 0.1; done
    [ -s "$tmp/f2" ] && ! alive "$rp" && ok "kill -9 while paused: the loader carried on, the program finished" ||
      bad "kill -9 while paused: file $( [ -s "$tmp/f2" ] && echo written || echo missing ), elfld-run state $(pstate "$rp")"
    # 4. ... and while the loader waits to write an event (elfld-tui stopped, the pipe full).
    start 120 40 "env --ignore-signal=HUP $tui $big"
    wait_for ' 1 objects ' "elfld-tui started $big" 5
    tp=$(tui_pid); rp=$(run_pid "$tp")
    kill -STOP "$tp"
    sleep 1
    state="$(pstate "$rp") $(cat "/proc/$rp/wchan" 2>/dev/null)"
    kill -9 "$tp"
    for _ in $(seq 50); do alive "$rp" || break; sleep 0.1; done
    alive "$rp" && bad "kill -9 of a stopped elfld-tui: elfld-run stuck ($(pstate "$rp") $(cat "/proc/$rp/wchan" 2>/dev/null))" ||
      ok "kill -9 of a stopped elfld-tui (loader was: $state): elfld-run went on and ended"
  else
    echo "skip env --ignore-signal unsupported: kill -9 while paused or blocked"
  fi
  # 5. Megabytes of output: the screen answers meanwhile and shows the last lines and the status.
  start 120 40 "$tui /usr/bin/seq 1 2000000"
  wait_for ' 1 objects ' "elfld-tui started seq" 5
  tm send-keys -t t 6
  react '?' 'step to the next stage' "? answered while seq writes"
  tm send-keys -t t x
  t0=$(ms)
  wait_for 'exited with status 0' "seq 1 2000000: exit status 0" 120
  echo "     (the end shown $(( $(ms) - t0 )) ms after the help)"
  screen | grep -q '^1999999 *$' && screen | grep -q '^2000000 *$' && ok "the Output pane shows the last lines" ||
    { bad "the last lines are not shown"; screen | sed 's/^/     /'; }
  wait_for '^output: 2000000 lines' "all 2000000 lines kept"
  react k '^output: ' "k answered after the output (a pane of 2000000 lines)"
  tm send-keys -t t q
}

for s in $sections; do
  case $s in
  basic) basic ;;
  filters) filters ;;
  status) status ;;
  screen) screen_checks ;;
  robust) robust ;;
  lazy) lazy ;;
  dlmopen) dlmopen ;;
  usable) usable ;;
  teach) teach ;;
  relocstep) relocstep ;;
  big) big ;;
  *) bad "unknown section $s" ;;
  esac
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
