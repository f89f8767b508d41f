#!/bin/bash
# elfld-tui in a real terminal (tmux): start paused, step a stage, continue, switch panes, help, resize to
# 80x24, quit; no elfld-run process may be left behind.
set -u
tui=$1 prog=$2
sock=elfld-tui-test-$$
tm() { tmux -L "$sock" "$@"; }
pass=0 fail=0
screen() { tm capture-pane -p -t t; }
wait_for() { # wait_for REGEX WHAT
  for _ in $(seq 100); do screen | grep -qE "$1" && { pass=$((pass+1)); echo "ok   $2"; return 0; }; sleep 0.1; done
  fail=$((fail+1)); echo "FAIL $2 (screen:)"; screen | sed 's/^/     /'; return 1
}
trap 'tm kill-server 2>/dev/null' EXIT
tm new-session -d -s t -x 120 -y 40 "$tui --paused $prog; sleep 30"
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
tm resize-window -t t -x 80 -y 24
wait_for 'stage entry' "status line after resizing to 80x24"
tm send-keys -t t q
for _ in $(seq 50); do screen | grep -q 'stage entry' || break; sleep 0.1; done
if pgrep -f "elfld-run --events=.*$prog" >/dev/null; then fail=$((fail+1)); echo "FAIL an elfld-run process is left"; else pass=$((pass+1)); echo "ok   q quits, nothing left running"; fi
# Input for the program: the Output pane sends a typed line to its terminal.
tm kill-session -t t 2>/dev/null
tm new-session -d -s t -x 120 -y 40 "$tui /usr/bin/head -1; sleep 30"
wait_for 'stage entry' "head started"
tm send-keys -t t 6 i
tm send-keys -t t 'hello elfld' Enter
wait_for 'exited with status 0' "a typed line reaches the program, which then ends"
tm send-keys -t t q
echo "$pass passed, $fail failed"
[ $fail = 0 ]
