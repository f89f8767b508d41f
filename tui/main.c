/* elfld-tui: watch a program being loaded. Starts elfld-run with its event stream on a pipe and a control
 * pipe (pause/step), the program's terminal on a pseudo-terminal shown in the Output pane, and draws the
 * panes live. `--dump` runs to the end without a screen and prints the panes as text. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <ncurses.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "model.h"

static const char usage[] =
	"Usage: elfld-tui [OPTIONS] PROGRAM [ARGS...]\n"
	"Watch elfld-run load and start PROGRAM: objects, segments, relocations, TLS, events, output.\n"
	"\n"
	"  --paused          stop before mapping (then: s = next stage, o = next object, c = continue)\n"
	"  --dump            no screen: run to the end and print the panes as text\n"
	"  --pane NAME       with --dump, only this pane (objects segments relocs tls events output)\n"
	"  --elfld PATH      the elfld-run to use (default: elfld-run next to elfld-tui)\n"
	"  --help            this text\n"
	"\n"
	"Keys: Tab/Shift-Tab or 1-6 panes, arrows/j/k, PgUp/PgDn, Home/End, s step stage, o step object,\n"
	"c continue, / search, n next match, ? help, q quit (ends the program).\n";

static struct model M;
static pid_t child = -1;
static int ev_fd = -1, ctl_fd = -1, pty_fd = -1;

static void die(const char *what)
{
	fprintf(stderr, "elfld-tui: %s: %s\n", what, strerror(errno));
	exit(127);
}

/* elfld-run --events=FD --control=FD [--pause-at=begin] PROGRAM ARGS, stdio on a pty (or /dev/null). */
static void spawn(const char *elfld, char **prog, int paused, int use_pty)
{
	int evp[2], ctlp[2];
	if (pipe2(evp, O_CLOEXEC) || pipe2(ctlp, O_CLOEXEC))
		die("pipe");
	int slave = -1;
	if (use_pty) {
		pty_fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (pty_fd < 0 || grantpt(pty_fd) || unlockpt(pty_fd))
			die("pseudo-terminal");
		slave = open(ptsname(pty_fd), O_RDWR | O_NOCTTY);
		if (slave < 0)
			die("pseudo-terminal");
	}
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		int out = use_pty ? slave : open("/dev/null", O_RDWR);
		if (use_pty) {
			setsid();
			ioctl(out, TIOCSCTTY, 0);
		}
		dup2(out, 0), dup2(out, 1), dup2(out, 2);
		int e = dup(evp[1]), c = dup(ctlp[0]); /* without O_CLOEXEC */
		char evs[32], ctls[32];
		snprintf(evs, sizeof evs, "--events=%d", e);
		snprintf(ctls, sizeof ctls, "--control=%d", c);
		int n = 0;
		while (prog[n])
			n++;
		char **argv = calloc((size_t)n + 6, sizeof *argv);
		int k = 0;
		argv[k++] = (char *)elfld;
		argv[k++] = evs;
		argv[k++] = ctls;
		if (paused)
			argv[k++] = "--pause-at=begin";
		argv[k++] = "--";
		for (int i = 0; i < n; i++)
			argv[k++] = prog[i];
		execv(elfld, argv);
		dprintf(2, "elfld-tui: %s: %s\n", elfld, strerror(errno));
		_exit(127);
	}
	close(evp[1]);
	close(ctlp[0]);
	if (slave >= 0)
		close(slave);
	ev_fd = evp[0];
	ctl_fd = ctlp[1];
	signal(SIGPIPE, SIG_IGN);
}

static void control(const char *cmd)
{
	if (ctl_fd >= 0 && M.paused) {
		if (write(ctl_fd, cmd, strlen(cmd)) < 0 || write(ctl_fd, "\n", 1) < 0) {
			close(ctl_fd);
			ctl_fd = -1;
		}
		M.paused = 0;
	}
}

static void reap(int hang)
{
	int st;
	if (child > 0 && waitpid(child, &st, hang ? 0 : WNOHANG) == child) {
		M.exited = 1;
		M.status_known = 1;
		if (WIFEXITED(st))
			M.exit_code = WEXITSTATUS(st);
		else if (WIFSIGNALED(st))
			M.signal = WTERMSIG(st);
		child = -1;
	}
}

/* Read what is there; returns 0 when both the stream and the pty are closed. */
static int pump(int timeout_ms)
{
	struct pollfd p[2] = { { ev_fd, POLLIN, 0 }, { pty_fd, POLLIN, 0 } };
	if (ev_fd < 0 && pty_fd < 0)
		return 0;
	if (poll(p, 2, timeout_ms) < 0 && errno != EINTR)
		return 0;
	char buf[65536];
	for (int i = 0; i < 2; i++) {
		if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		ssize_t n = read(p[i].fd, buf, sizeof buf);
		if (n <= 0) {
			close(p[i].fd);
			if (i == 0)
				ev_fd = -1;
			else {
				pty_fd = -1;
				model_flush_output(&M);
			}
			continue;
		}
		if (i == 0)
			model_feed(&M, buf, (size_t)n);
		else
			model_output(&M, buf, (size_t)n);
	}
	return 1;
}

static void end_line(char *buf, size_t cap)
{
	if (M.error[0])
		snprintf(buf, cap, "loading failed: %s", M.error);
	else if (M.signal)
		snprintf(buf, cap, "the program was killed by signal %d (%s)", M.signal, strsignal(M.signal));
	else if (M.status_known)
		snprintf(buf, cap, "the program exited with status %d", M.exit_code);
	else
		snprintf(buf, cap, "running");
}

static int dump(int only)
{
	while (pump(1000))
		;
	reap(1);
	char row[4096];
	for (int p = 0; p < PANE_COUNT; p++) {
		if (only >= 0 && p != only)
			continue;
		printf("== %s\n", pane_names[p]);
		for (size_t i = 0; i < pane_rows(&M, p); i++) {
			pane_row(&M, p, i, row, sizeof row);
			printf("%s\n", row);
		}
	}
	end_line(row, sizeof row);
	printf("== end: %s\n", row);
	return M.error[0] ? 127 : M.signal ? 128 + M.signal : M.exit_code;
}

/* ---- the screen */
static int cur = PANE_OBJECTS;
static size_t top[PANE_COUNT], sel[PANE_COUNT];
static char search[128];
static int show_help, color;
static char detail[8192]; /* Enter: the selected row's whole event */

static void draw(void)
{
	int h, w;
	getmaxyx(stdscr, h, w);
	erase();
	/* tab bar */
	move(0, 0);
	for (int p = 0; p < PANE_COUNT; p++) {
		if (p == cur)
			attron(A_REVERSE | A_BOLD);
		printw(" %d %s ", p + 1, pane_names[p]);
		if (p == cur)
			attroff(A_REVERSE | A_BOLD);
		printw(" ");
	}
	char row[4096];
	int body = h - 3;
	size_t n = pane_rows(&M, cur);
	if (sel[cur] >= n - 1 && n > 1)
		sel[cur] = n - 2;
	if (sel[cur] < top[cur])
		top[cur] = sel[cur];
	if (body > 0 && sel[cur] >= top[cur] + (size_t)body)
		top[cur] = sel[cur] - (size_t)body + 1;
	pane_row(&M, cur, 0, row, sizeof row);
	attron(A_UNDERLINE);
	mvaddnstr(1, 0, row, w);
	attroff(A_UNDERLINE);
	for (int r = 0; r < body && top[cur] + (size_t)r + 1 < n; r++) {
		size_t i = top[cur] + (size_t)r;
		pane_row(&M, cur, i + 1, row, sizeof row);
		if (i == sel[cur])
			attron(A_REVERSE);
		mvaddnstr(2 + r, 0, row, w);
		if (i == sel[cur])
			attroff(A_REVERSE);
	}
	/* status line */
	char end[600];
	end_line(end, sizeof end);
	char st[1024], pause[200] = "";
	if (M.paused)
		snprintf(pause, sizeof pause, " (paused at %s: s step, o object, c continue)", M.pause_at);
	snprintf(st, sizeof st, " stage %s%s | objects %zu | relocations %zu | TLS %zu bytes | %s | ? help  q quit",
		 M.stage[0] ? M.stage : "-", pause, M.objects.n, M.nrelocs_done, M.tls_bytes, end);
	if (color)
		attron(COLOR_PAIR(M.error[0] || M.signal ? 2 : 1));
	attron(A_REVERSE);
	mvhline(h - 1, 0, ' ', w);
	mvaddnstr(h - 1, 0, st, w);
	attroff(A_REVERSE);
	if (color)
		attroff(COLOR_PAIR(M.error[0] || M.signal ? 2 : 1));
	if (detail[0]) {
		int y = 3;
		for (char *l = detail; *l && y < h - 2;) {
			char *e = strchr(l, '\n');
			size_t n = e ? (size_t)(e - l) : strlen(l);
			mvhline(y, 2, ' ', w - 4);
			mvaddnstr(y++, 4, l, (int)n < w - 6 ? (int)n : w - 6);
			l += n + (e ? 1 : 0);
		}
	}
	if (show_help) {
		int y = 3;
		const char *lines[] = { "Keys", "Tab / Shift-Tab / 1-6   switch pane", "Up Down j k             move",
					"PgUp PgDn Home End      page, first, last", "s                       step to the next stage",
					"o                       step to the next object", "c                       continue",
					"/ n                     search, next match", "Enter                   details of the row",
					"i (Output pane)         type a line for the program", "?                       this help",
					"q                       quit (the program is ended)" };
		for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
			mvaddnstr(y++, 4, lines[i], w - 4);
	}
	refresh();
}

static void find_next(void)
{
	char row[4096];
	size_t n = pane_rows(&M, cur);
	for (size_t i = sel[cur] + 1; i + 1 < n; i++) {
		pane_row(&M, cur, i + 1, row, sizeof row);
		if (strstr(row, search)) {
			sel[cur] = i;
			return;
		}
	}
}

/* The selected row's event, one field per line. */
static void show_details(void)
{
	const struct vec *v = cur == PANE_OBJECTS ? &M.objects : cur == PANE_SEGMENTS ? &M.segments : cur == PANE_RELOCS ? &M.relocs
			    : cur == PANE_TLS ? &M.tls : cur == PANE_EVENTS ? &M.events : NULL;
	if (!v || sel[cur] >= v->n)
		return;
	const struct ev *e = v->v[sel[cur]];
	size_t o = (size_t)snprintf(detail, sizeof detail, "%s  (Enter again or any key to close)\n", e->type);
	for (const char *p = e->line; p && *p && o + 2 < sizeof detail; p = strchr(p + 1, ' ')) {
		const char *k = p + (*p == ' '), *eq = strchr(k, '=');
		if (!eq)
			break;
		char key[64];
		snprintf(key, sizeof key, "%.*s", (int)(eq - k), k);
		o += (size_t)snprintf(detail + o, sizeof detail - o, "  %-12s %s\n", key, ev_get(e, key));
	}
}

/* Read a line on the row above the status line. */
static void prompt(const char *label, char *buf, int cap)
{
	echo();
	curs_set(1);
	timeout(-1);
	mvaddstr(getmaxy(stdscr) - 2, 0, label);
	clrtoeol();
	getnstr(buf, cap);
	noecho();
	curs_set(0);
	timeout(0);
}

/* Output pane: a line of input for the program, sent to its terminal. */
static void type_line(void)
{
	char line[512];
	prompt("input> ", line, (int)sizeof line - 2);
	if (pty_fd >= 0) {
		strcat(line, "\n");
		if (write(pty_fd, line, strlen(line)) < 0)
			return;
	}
}

static int interactive(void)
{
	setlocale(LC_ALL, "");
	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_CYAN, -1);
		init_pair(2, COLOR_RED, -1);
		color = 1;
	}
	timeout(0);
	for (;;) {
		pump(50);
		reap(0);
		draw();
		int k = getch();
		if (k == ERR)
			continue;
		int h = getmaxy(stdscr);
		size_t n = pane_rows(&M, cur), page = h > 4 ? (size_t)h - 4 : 1;
		show_help = k == '?' ? !show_help : 0;
		if (k != '\n' && k != KEY_ENTER)
			detail[0] = 0;
		switch (k) {
		case '\n':
		case KEY_ENTER:
			show_details();
			break;
		case 'i':
			if (cur == PANE_OUTPUT)
				type_line();
			break;
		case 'q':
			goto out;
		case '\t': cur = (cur + 1) % PANE_COUNT; break;
		case KEY_BTAB: cur = (cur + PANE_COUNT - 1) % PANE_COUNT; break;
		case '1': case '2': case '3': case '4': case '5': case '6': cur = k - '1'; break;
		case KEY_DOWN: case 'j': if (sel[cur] + 2 < n) sel[cur]++; break;
		case KEY_UP: case 'k': if (sel[cur]) sel[cur]--; break;
		case KEY_NPAGE: sel[cur] = sel[cur] + page + 2 < n ? sel[cur] + page : (n > 1 ? n - 2 : 0); break;
		case KEY_PPAGE: sel[cur] = sel[cur] > page ? sel[cur] - page : 0; break;
		case KEY_HOME: case 'g': sel[cur] = 0; break;
		case KEY_END: case 'G': sel[cur] = n > 1 ? n - 2 : 0; break;
		case 's': control("step"); break;
		case 'o': control("step-object"); break;
		case 'c': control("continue"); break;
		case 'n': find_next(); break;
		case '/':
			prompt("/", search, (int)sizeof search - 1);
			find_next();
			break;
		case KEY_RESIZE: break;
		}
	}
out:
	endwin();
	/* End the program cleanly: close the control pipe (the loader carries on), then TERM, then KILL. */
	if (ctl_fd >= 0)
		close(ctl_fd);
	if (child > 0) {
		kill(child, SIGTERM);
		kill(child, SIGCONT);
		for (int i = 0; i < 20 && child > 0; i++) {
			usleep(10000);
			reap(0);
		}
		if (child > 0) {
			kill(child, SIGKILL);
			reap(1);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int paused = 0, do_dump = 0, only = -1, i;
	char elfld[4096] = "";
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--paused"))
			paused = 1;
		else if (!strcmp(argv[i], "--dump"))
			do_dump = 1;
		else if (!strcmp(argv[i], "--pane") && i + 1 < argc) {
			only = pane_from_name(argv[++i]);
			if (only < 0) {
				fprintf(stderr, "elfld-tui: unknown pane %s (objects segments relocs tls events output)\n", argv[i]);
				return 127;
			}
		} else if (!strcmp(argv[i], "--elfld") && i + 1 < argc)
			snprintf(elfld, sizeof elfld, "%s", argv[++i]);
		else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			fprintf(stderr, "elfld-tui: unknown option %s\nTry 'elfld-tui --help'.\n", argv[i]);
			return 127;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "elfld-tui: no PROGRAM given\nTry 'elfld-tui --help'.\n");
		return 127;
	}
	if (!elfld[0]) {
		char self[4096];
		ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
		self[n > 0 ? n : 0] = 0;
		char *slash = strrchr(self, '/');
		snprintf(elfld, sizeof elfld, "%.*s/elfld-run", slash ? (int)(slash - self) : 1, slash ? self : ".");
	}
	if (access(elfld, X_OK)) {
		fprintf(stderr, "elfld-tui: %s: %s (use --elfld PATH)\n", elfld, strerror(errno));
		return 127;
	}
	if (do_dump && paused) {
		fprintf(stderr, "elfld-tui: --dump runs without pausing\n");
		return 127;
	}
	spawn(elfld, argv + i, paused, 1);
	return do_dump ? dump(only) : interactive();
}
