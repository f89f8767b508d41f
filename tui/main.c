/* elfld-tui: watch a program being loaded. Starts elfld-run with its event stream on a pipe and a control
 * pipe (pause/step), the program's terminal on a pseudo-terminal shown in the Output pane, and draws the
 * panes live. `--dump` runs to the end without a screen and prints the panes as text. */
#define _GNU_SOURCE
#define NCURSES_WIDECHAR 1 /* get_wch, addnwstr: ncursesw's wide-character functions */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <ncurses.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>
#include "dwarf_tls.h"
#include "model.h"

static const char usage[] =
	"Usage: elfld-tui [OPTIONS] PROGRAM [ARGS...]\n"
	"Watch elfld-run load and start PROGRAM: objects, segments, relocations, TLS, events, output.\n"
	"\n"
	"  --paused               stop before mapping (then: s = next stage, o = next object, c = continue)\n"
	"  --dump                 no screen: run to the end and print the panes as text; the program's\n"
	"                         input is elfld-tui's standard input, or empty (end of file at once)\n"
	"                         when that is a terminal\n"
	"  --pane NAME            with --dump, only this pane (objects segments relocs tls events output\n"
	"                         map); map: the whole process's address map\n"
	"  --filter-object NAME   relocs pane: only this object's relocations (name, path or id)\n"
	"  --filter-type TYPE     relocs pane: only this type (R_X86_64_GLOB_DAT or GLOB_DAT)\n"
	"  --filter-symbol TEXT   relocs pane: only symbols containing TEXT\n"
	"  --no-color             no colours (also when NO_COLOR is set or the terminal has none)\n"
	"  --no-mouse             leave the mouse to the terminal (no clicks or wheel in elfld-tui)\n"
	"  --elfld PATH           the elfld-run to use (default: elfld-run next to elfld-tui)\n"
	"  --events-format FORM   how elfld-run sends its events: binary (default: a third of the bytes,\n"
	"                         less work for the loader) or text (the same panes)\n"
	"  --help                 this text\n"
	"\n"
	"Keys: Tab/Shift-Tab or 1-7 panes (7: the process's address map), Up/Down/j/k, PgUp/PgDn, Home/End,\n"
	"Left/Right/h/l scroll wide rows sideways, the mouse selects and scrolls, s step stage, o step object,\n"
	"c continue, / search, n/N next/previous match, Enter details, f relocations of the row's object,\n"
	"t only the row's relocation type, & only symbols containing a text, F clear the filters,\n"
	"i (Output pane) type a line for the program, ? help, q quit (ends the program).\n"
	"If elfld-tui is killed, the loader carries on without it; the program's terminal is gone, so the\n"
	"program gets SIGHUP, as when a terminal window is closed.\n"
	"\n"
	"Exit status (with and without --dump): the program's; 127 if loading failed, 128+N if the program\n"
	"was killed by signal N (q ends a program still running with SIGTERM: 143).\n";

static struct model M;
static pid_t child = -1;
static int ev_fd = -1, ctl_fd = -1, pty_fd = -1;

static void die(const char *what)
{
	fprintf(stderr, "elfld-tui: %s: %s\n", what, strerror(errno));
	exit(127);
}

static const char *events_format = "binary"; /* --events-format; stream.c reads both */

/* elfld-run --events=FD --events-format=F --control=FD [--pause-at=begin] PROGRAM ARGS, stdio on a pty
 * (or /dev/null); standard input from `input` instead if it is not -1. */
static void spawn(const char *elfld, char **prog, int paused, int use_pty, int input)
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
		dup2(input >= 0 ? input : out, 0), dup2(out, 1), dup2(out, 2);
		int e = dup(evp[1]), c = dup(ctlp[0]); /* without O_CLOEXEC */
		char evs[32], ctls[32], form[40];
		snprintf(evs, sizeof evs, "--events=%d", e);
		snprintf(form, sizeof form, "--events-format=%s", events_format);
		snprintf(ctls, sizeof ctls, "--control=%d", c);
		int n = 0;
		while (prog[n])
			n++;
		char **argv = calloc((size_t)n + 7, sizeof *argv);
		int k = 0;
		argv[k++] = (char *)elfld;
		argv[k++] = evs;
		argv[k++] = form;
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
	/* after the fork: the loader and the program keep the default SIGPIPE */
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

/* Read one chunk from each stream that has something, waiting up to timeout_ms. Returns how many
 * streams had something (data or their end). */
static int read_streams(int timeout_ms)
{
	struct pollfd p[2] = { { ev_fd, POLLIN, 0 }, { pty_fd, POLLIN, 0 } };
	if (ev_fd < 0 && pty_fd < 0)
		return 0;
	if (poll(p, 2, timeout_ms) <= 0)
		return 0;
	static char buf[65536];
	int had = 0;
	for (int i = 0; i < 2; i++) {
		if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		had++;
		ssize_t n = read(p[i].fd, buf, sizeof buf);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
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
	return had;
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

/* elfld-tui's exit status: the program's, 127 if loading failed, 128+N if signal N killed it. */
static int exit_status(void)
{
	return M.error[0] ? 127 : M.signal ? 128 + M.signal : M.status_known ? M.exit_code : 127;
}

/* ---- --dump */
enum { DUMP_MAP_WIDTH = 72 }; /* "  |" + 72 + "|": the map fits 80 columns */

static void dump_pane(int p)
{
	char row[4096], title[1024];
	pane_title(&M, p, title, sizeof title);
	if (p == PANE_RELOCS && reloc_filter_active(&M.rfilter))
		printf("== %s: %s\n", pane_names[p], title);
	else
		printf("== %s\n", pane_names[p]);
	for (size_t i = 0; i < pane_rows(&M, p); i++) {
		pane_row(&M, p, i, row, sizeof row);
		printf("%s\n", row);
	}
}

/* Every thread's TLS memory view, after the TLS pane. */
static void dump_tls_memory(void)
{
	char lines[64][512];
	const char *done[64];
	int nd = 0;
	printf("== tls memory\n");
	for (size_t i = 0; i < M.tls.n && nd < 64; i++) {
		const struct ev *e = M.tls.v[i];
		if (strcmp(e->type, "tls-block"))
			continue;
		const char *tp = ev_get(e, "tp");
		int seen = 0;
		for (int k = 0; k < nd; k++)
			seen |= !strcmp(done[k], tp);
		if (seen)
			continue;
		done[nd++] = tp;
		int n = tls_memory(&M, tp, lines, 64);
		for (int k = 0; k < n; k++)
			printf("%s\n", lines[k]);
	}
}

/* Every object's address map, after the segments table. */
static void dump_maps(void)
{
	char lines[MAP_LINES][512];
	printf("== segments map: %s\n", map_legend);
	for (size_t i = 0; i < M.objects.n; i++)
		if (!map_object(&M, ev_get(M.objects.v[i], "obj"), DUMP_MAP_WIDTH, lines))
			printf("%s\n  %s\n  %s\n", lines[0], lines[1], lines[2]);
}

static int dump(int only)
{
	while (ev_fd >= 0 || pty_fd >= 0)
		read_streams(1000);
	reap(1);
	while (dwarf_jobs_pending()) {
		struct pollfd p = { dwarf_done_fd(), POLLIN, 0 };
		poll(&p, 1, 1000);
		model_collect_dwarf(&M);
	}
	/* the process map after the segments and their maps */
	static const int order[PANE_COUNT] = { PANE_OBJECTS, PANE_SEGMENTS, PANE_MAP, PANE_RELOCS, PANE_TLS, PANE_EVENTS, PANE_OUTPUT };
	for (int k = 0; k < PANE_COUNT; k++) {
		int p = order[k];
		if (only >= 0 && p != only)
			continue;
		dump_pane(p);
		if (p == PANE_SEGMENTS)
			dump_maps();
		if (p == PANE_TLS)
			dump_tls_memory();
	}
	char end[600];
	end_line(end, sizeof end);
	printf("== end: %s\n", end);
	return exit_status();
}

/* ---- the screen: row 0 the panes, 1 the pane's title, 2 its column header, then its rows, the last
 * row the status line; the row above it is for prompts and messages. */
static int cur = PANE_OBJECTS;
static size_t top[PANE_COUNT], sel[PANE_COUNT];
/* Wide tables: the first column shown (Left/Right), the widest row last drawn; where the rows are on the
 * screen and the tabs on the top line (for the mouse). */
static size_t hscroll[PANE_COUNT], widest[PANE_COUNT];
static int rows_y, rows_n, tab_x[PANE_COUNT + 1], mouse_on = 1;
/* A following pane keeps its last row selected as rows arrive (like tail -f): the output and events. */
static int follow[PANE_COUNT] = { [PANE_EVENTS] = 1, [PANE_OUTPUT] = 1 };
static char search[128];
static int show_help, color;
static char detail[8192]; /* Enter: the selected row's whole event */
static char message[256]; /* the answer to the last key (search wrapped, nothing found, ...) */

enum { PAIR_STATUS = ST_COUNT }; /* colour pairs 1..ST_COUNT-1 are the styles' */

/* A colour per style (-1: none). Permissions: code green, data yellow, read-only cyan. */
static const short style_fg[ST_COUNT] = {
	[ST_NONE] = -1,
	[ST_EXEC] = COLOR_GREEN,
	[ST_WRITE] = COLOR_YELLOW,
	[ST_READONLY] = COLOR_CYAN,
	[ST_RELRO] = COLOR_BLUE,
	[ST_BSS] = COLOR_YELLOW, /* bold: data, but not from the file */
	[ST_TLS] = COLOR_MAGENTA,
	[ST_ERROR] = COLOR_RED,
	[ST_STAGE] = -1,
	[ST_BIND_FUNC] = COLOR_GREEN, /* like code: a function */
	[ST_BIND_DATA] = COLOR_CYAN,
	[ST_COPY] = COLOR_BLUE,
	[ST_IFUNC] = COLOR_YELLOW,
};

/* Colours where the terminal has them and nobody said no (--no-color, NO_COLOR: no-color.org). */
static void init_colors(int no_color)
{
	const char *nc = getenv("NO_COLOR");
	if (no_color || (nc && *nc) || !has_colors())
		return;
	start_color();
	use_default_colors();
	for (int s = 1; s < ST_COUNT; s++)
		if (style_fg[s] >= 0)
			init_pair((short)s, style_fg[s], -1);
	init_pair(PAIR_STATUS, COLOR_CYAN, -1);
	color = 1;
}

/* Errors and stage boundaries are bold even without colours; the rest is colour only, since every row
 * and map character says what it is in text. */
static attr_t style_attr(enum style s)
{
	attr_t a = s == ST_ERROR || s == ST_STAGE ? A_BOLD : A_NORMAL;
	if (color && style_fg[s] >= 0)
		a |= COLOR_PAIR(s) | (s == ST_BSS || s == ST_RELRO ? A_BOLD : A_NORMAL);
	return a;
}

/* Draw s from (y, x) in at most `cols` columns. Rows are bytes (UTF-8 from the program, symbol names):
 * they are cut by display width, never inside a character, and a byte that is no character of the
 * locale shows as '?'. (mvaddnstr counts bytes: it would cut "héllo" lines early or mid-character.) */
static void put_cols_from(int y, int x, const char *s, size_t skip, int cols)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t len = strlen(s);
	move(y, x);
	while (len && cols > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, len, &st);
		int w = n == (size_t)-1 || n == (size_t)-2 || n == 0 ? -1 : wcwidth(wc);
		if (w < 0) {
			memset(&st, 0, sizeof st);
			if (skip)
				skip--;
			else
				addch('?'), cols--;
			s++, len--;
			continue;
		}
		if (skip) { /* columns scrolled off to the left; half a wide character shows as a space */
			if ((size_t)w > skip) {
				for (int k = 0; k < w - (int)skip && cols > 0; k++)
					addch(' '), cols--;
				skip = 0;
			} else
				skip -= (size_t)w;
			s += n, len -= n;
			continue;
		}
		if (w > cols)
			break;
		addnwstr(&wc, 1);
		s += n, len -= n, cols -= w;
	}
}

static void put_cols(int y, int x, const char *s, int cols)
{
	put_cols_from(y, x, s, 0, cols);
}

/* The display width of s (a byte that is no character counts one column). */
static size_t text_cols(const char *s)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t len = strlen(s), cols = 0;
	while (len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, len, &st);
		int w = n == (size_t)-1 || n == (size_t)-2 || n == 0 ? -1 : wcwidth(wc);
		if (w < 0) {
			memset(&st, 0, sizeof st);
			n = 1, w = 1;
		}
		s += n, len -= n, cols += (size_t)w;
	}
	return cols;
}

static void draw_tabs(void)
{
	move(0, 0);
	for (int p = 0; p < PANE_COUNT; p++) {
		tab_x[p] = getcurx(stdscr);
		if (p == cur)
			attron(A_REVERSE | A_BOLD);
		printw(" %d %s ", p + 1, pane_names[p]);
		if (p == cur)
			attroff(A_REVERSE | A_BOLD);
		printw(" ");
	}
	tab_x[PANE_COUNT] = getcurx(stdscr);
}

/* The step line: the stage, what the last step added (its rows are in bold), what the stage means. */
static void draw_step(int y, int w)
{
	char line[1024];
	model_step_text(&M, line, sizeof line);
	put_cols(y, 0, line, w);
}

/* What the keys do in each pane, after the pane's title. */
static const char *const pane_hint[PANE_COUNT] = {
	[PANE_OBJECTS] = "Enter details, f its relocations",
	[PANE_SEGMENTS] = "the map is the selected row's object",
	[PANE_RELOCS] = "f object, t type, & symbol, F all",
	[PANE_TLS] = "below: the selected thread's TLS in memory",
	[PANE_OUTPUT] = "i types a line for the program",
	[PANE_MAP] = "Enter details, f the object's relocations",
};

/* The pane's title, and at the right its position: selected row / rows, percentage, and the columns
 * shown when the rows are wider than the screen (Left/Right scroll). */
static void draw_title(int y, int w)
{
	char title[1024], line[1200], pos[128];
	size_t n = pane_rows(&M, cur) - 1;
	int o = snprintf(pos, sizeof pos, "%zu/%zu %zu%%", n ? sel[cur] + 1 : 0, n, n ? (sel[cur] + 1) * 100 / n : 0);
	if (hscroll[cur] || widest[cur] > (size_t)w)
		snprintf(pos + o, sizeof pos - (size_t)o, "  cols %zu-%zu of %zu %s%s", hscroll[cur] + 1, hscroll[cur] + (size_t)w,
			 widest[cur], hscroll[cur] ? "<" : "", hscroll[cur] + (size_t)w < widest[cur] ? ">" : "");
	pane_title(&M, cur, title, sizeof title);
	snprintf(line, sizeof line, "%s: %s%s%s%s", pane_names[cur], title, pane_hint[cur] ? "  (" : "",
		 pane_hint[cur] ? pane_hint[cur] : "", pane_hint[cur] ? ")" : "");
	int pw = (int)strlen(pos);
	attron(A_BOLD);
	put_cols(y, 0, line, w - pw - 2 > 0 ? w - pw - 2 : w);
	attroff(A_BOLD);
	if (pw + 2 < w)
		mvaddstr(y, w - pw, pos);
}

/* Keep the selection on a row and in view; a following pane stays on its last row. */
static void clamp_view(size_t rows)
{
	size_t n = pane_rows(&M, cur) - 1;
	if (follow[cur] || sel[cur] >= n)
		sel[cur] = n ? n - 1 : 0;
	if (sel[cur] < top[cur])
		top[cur] = sel[cur];
	if (rows && sel[cur] >= top[cur] + rows)
		top[cur] = sel[cur] - rows + 1;
}

/* The pane's header at row y, then `rows` rows of it, from column hscroll[cur]. Rows the last step added
 * are bold. */
static void draw_rows(int y, int rows, int w)
{
	char row[4096];
	size_t n = pane_rows(&M, cur), wide;
	clamp_view(rows > 0 ? (size_t)rows : 0);
	rows_y = y + 1, rows_n = rows;
	pane_row(&M, cur, 0, row, sizeof row);
	wide = text_cols(row);
	attron(A_UNDERLINE);
	put_cols_from(y, 0, row, hscroll[cur], w);
	attroff(A_UNDERLINE);
	for (int r = 0; r < rows && top[cur] + (size_t)r + 1 < n; r++) {
		size_t i = top[cur] + (size_t)r, c;
		attr_t a = style_attr(pane_row_style(&M, cur, i + 1)) | (i == sel[cur] ? A_REVERSE : A_NORMAL) |
			   (pane_row_new(&M, cur, i + 1) ? A_BOLD : A_NORMAL);
		pane_row(&M, cur, i + 1, row, sizeof row);
		if ((c = text_cols(row)) > wide)
			wide = c;
		attron(a);
		put_cols_from(y + 1 + r, 0, row, hscroll[cur], w);
		attroff(a);
	}
	widest[cur] = wide;
}

/* The bar, a character at a time in the colour of what it shows. */
static void draw_map_bar(int y, const char *bar)
{
	move(y, 0);
	for (const char *c = bar; *c; c++) {
		attr_t a = style_attr(map_char_style(*c));
		attron(a);
		addch((chtype)(unsigned char)*c);
		attroff(a);
	}
}

/* The segments pane's address map of the selected row's object, in 4 rows from y. */
static void draw_map(int y, int w)
{
	const struct ev *e = pane_event(&M, PANE_SEGMENTS, sel[PANE_SEGMENTS] + 1);
	char lines[MAP_LINES][512], title[600];
	if (!e || map_object(&M, ev_get(e, "obj"), w - 3, lines))
		return;
	snprintf(title, sizeof title, "map: %s", lines[0]);
	attron(A_BOLD);
	put_cols(y, 0, title, w);
	attroff(A_BOLD);
	draw_map_bar(y + 1, lines[1]);
	put_cols(y + 2, 0, lines[2], w);
	put_cols(y + 3, 0, map_legend, w);
}

/* The TLS pane's memory view of the selected row's thread (the first thread if the row has none). */
static int tls_view_lines(char lines[][512], int max)
{
	return tls_memory(&M, tls_row_thread(&M, sel[PANE_TLS] + 1), lines, max);
}

static void draw_tls_view(int y, int w, char lines[][512], int n)
{
	for (int k = 0; k < n; k++) {
		if (!k)
			attron(A_BOLD);
		put_cols(y + k, 0, lines[k], w);
		if (!k)
			attroff(A_BOLD);
	}
}

static void draw_status(int h, int w)
{
	char end[600], st[1200], pause[200] = "";
	end_line(end, sizeof end);
	if (M.paused)
		snprintf(pause, sizeof pause, " (paused at %s: s step, o object, r reloc, c continue)", M.pause_at);
	/* what matters first: a 80-column screen cuts the end. Relocations: those applied so far (an event each;
	 * the per-object totals, reloc-done, come only once every object is relocated) */
	char lazy[64] = "";
	if (M.lazy_n) /* PLT slots left for lazy binding: how many the program has called so far */
		snprintf(lazy, sizeof lazy, " (lazy %zu, bound %zu)", M.lazy_n, M.nbound);
	snprintf(st, sizeof st, " stage %s%s | %s | objects %zu | relocations %zu%s | TLS %zu bytes | ? help  q quit",
		 M.stage[0] ? M.stage : "-", pause, end, M.objects.n,
		 M.relocs.n > M.nrelocs_done ? M.relocs.n : M.nrelocs_done, lazy, M.tls_bytes);
	int bad = M.error[0] || M.signal;
	attr_t a = A_REVERSE | (color ? COLOR_PAIR(bad ? ST_ERROR : PAIR_STATUS) : A_NORMAL) | (bad ? A_BOLD : A_NORMAL);
	attron(a);
	mvhline(h - 1, 0, ' ', w);
	put_cols(h - 1, 0, st, w);
	attroff(a);
}

/* Lines of text (separated by '\n') in a framed box from row 3, column 2, as wide as its longest line
 * (cut to the screen), cleared inside. */
static void draw_box(const char *text, int h, int w)
{
	int n = 0, longest = 0;
	for (const char *l = text; *l; n++) {
		const char *e = strchr(l, '\n');
		int len = e ? (int)(e - l) : (int)strlen(l);
		longest = len > longest ? len : longest;
		l += len + (e ? 1 : 0);
	}
	int y0 = 3, x0 = 2, bw = longest + 4, bh = n + 2;
	if (bw > w - x0)
		bw = w - x0;
	if (bh > h - 2 - y0) /* above the message and status lines */
		bh = h - 2 - y0;
	if (bw < 5 || bh < 3)
		return;
	for (int y = y0 + 1; y < y0 + bh - 1; y++)
		mvhline(y, x0 + 1, ' ', bw - 2);
	mvaddch(y0, x0, ACS_ULCORNER);
	mvhline(y0, x0 + 1, ACS_HLINE, bw - 2);
	mvaddch(y0, x0 + bw - 1, ACS_URCORNER);
	mvvline(y0 + 1, x0, ACS_VLINE, bh - 2);
	mvvline(y0 + 1, x0 + bw - 1, ACS_VLINE, bh - 2);
	mvaddch(y0 + bh - 1, x0, ACS_LLCORNER);
	mvhline(y0 + bh - 1, x0 + 1, ACS_HLINE, bw - 2);
	mvaddch(y0 + bh - 1, x0 + bw - 1, ACS_LRCORNER);
	char line[1024];
	int y = y0 + 1;
	for (const char *l = text; *l && y < y0 + bh - 1;) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);
		snprintf(line, sizeof line, "%.*s", (int)len, l);
		put_cols(y++, x0 + 2, line, bw - 4);
		l += len + (e ? 1 : 0);
	}
}

/* At most 74 columns a line: the box is inside an 80-column screen. */
static const char help_text[] =
	"Keys                    (any key closes this)\n"
	"Tab / Shift-Tab / 1-7   switch pane (7: the whole process's map)\n"
	"Up Down j k             move\n"
	"PgUp PgDn Home End g G  page, first, last\n"
	"s                       step to the next stage\n"
	"o                       step to the next object\n"
	"r                       step one relocation (Enter on it: before and after)\n"
	"c                       continue\n"
	"Left Right h l          scroll wide rows sideways (column by column)\n"
	"mouse                   click a row or a tab; the wheel scrolls\n"
	"/ n N                   search, next match, previous match\n"
	"Enter                   details of the row\n"
	"f                       relocations of the row's object (again: all)\n"
	"t                       relocs pane: only the row's type (again: all)\n"
	"&                       relocs pane: only symbols containing a text\n"
	"F                       relocs pane: no filter\n"
	"i (Output pane)         type a line for the program\n"
	"?                       this help\n"
	"q                       quit (the program is ended)\n";

static void draw(void)
{
	int h, w;
	getmaxyx(stdscr, h, w);
	erase();
	draw_tabs();
	draw_step(1, w);
	int body = h - 5; /* rows under the header, above the status line */
	int map = cur == PANE_SEGMENTS && body >= 12 ? MAP_LINES + 1 : 0;
	char tls[12][512];
	int ntls = cur == PANE_TLS && body >= 14 ? tls_view_lines(tls, body / 3 < 12 ? body / 3 : 12) : 0;
	int lower = map ? map : ntls ? ntls + 1 : 0;
	draw_rows(3, body - lower, w);
	if (map)
		draw_map(4 + body - map, w);
	if (ntls)
		draw_tls_view(5 + body - lower, w, tls, ntls);
	draw_title(2, w); /* after the rows: it says how wide they are */
	draw_status(h, w);
	if (detail[0])
		draw_box(detail, h, w);
	if (show_help)
		draw_box(help_text, h, w);
	if (message[0]) {
		move(h - 2, 0);
		clrtoeol();
		put_cols(h - 2, 0, message, w);
	}
	refresh();
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Wait up to wait_ms for the streams or a key, then read the streams for at most 40 ms: enough to keep
 * the loader going (it waits for a reader that does not read), little enough that keys are answered at
 * once while hundreds of thousands of events or megabytes of output arrive. */
static void wait_and_pump(int wait_ms)
{
	struct pollfd p[4] = { { ev_fd, POLLIN, 0 }, { pty_fd, POLLIN, 0 }, { 0, POLLIN, 0 }, { dwarf_done_fd(), POLLIN, 0 } };
	if (poll(p, 4, wait_ms) > 0 && !(p[2].revents & POLLIN)) {
		double t0 = now_ms();
		while (read_streams(0) && now_ms() - t0 < 40)
			;
	} else if (p[0].revents | p[1].revents)
		read_streams(0); /* a key is waiting: one chunk, then the key */
	model_collect_dwarf(&M);
	reap(0);
}

/* One key of a prompt: 1 Enter, 0 Esc, -1 go on. */
static int prompt_key(int r, wint_t wc, char *buf, size_t *len, size_t cap)
{
	if (r == KEY_CODE_YES) {
		if (wc == KEY_ENTER)
			return 1;
		if (wc != KEY_BACKSPACE)
			return -1;
		wc = 127;
	}
	if (wc == '\n' || wc == '\r')
		return 1;
	if (wc == 033)
		return 0;
	if (wc == 127 || wc == '\b') { /* back one character: its UTF-8 continuation bytes, then its first */
		while (*len && ((unsigned char)buf[*len - 1] & 0xc0) == 0x80)
			(*len)--;
		if (*len)
			(*len)--;
	} else if (wc == 025) /* ^U */
		*len = 0;
	else if (iswprint(wc)) {
		char mb[MB_LEN_MAX];
		mbstate_t st;
		memset(&st, 0, sizeof st);
		size_t n = wcrtomb(mb, (wchar_t)wc, &st);
		if (n != (size_t)-1 && *len + n < cap) {
			memcpy(buf + *len, mb, n);
			*len += n;
		}
	}
	buf[*len] = 0;
	return -1;
}

/* Read a line on the row above the status line; the panes stay live meanwhile. Returns 0 if Esc. */
static int prompt(const char *label, char *buf, size_t cap)
{
	size_t len = 0;
	int done = -1;
	buf[0] = 0;
	message[0] = 0;
	curs_set(1);
	while (done < 0) {
		draw();
		int h = getmaxy(stdscr), w = getmaxx(stdscr), lw = (int)strlen(label);
		move(h - 2, 0);
		clrtoeol();
		mvaddstr(h - 2, 0, label);
		put_cols(h - 2, lw, buf, w - lw - 1);
		refresh();
		wait_and_pump(100);
		wint_t wc;
		int r;
		while (done < 0 && (r = get_wch(&wc)) != ERR)
			done = prompt_key(r, wc, buf, &len, cap);
	}
	curs_set(0);
	return done;
}

/* Move the selection to the next row (dir 1) or previous (-1) containing `search`, round the end.
 * A search in lower case ignores case (like less -i). */
static void find(int dir)
{
	char row[4096];
	size_t n = pane_rows(&M, cur) - 1;
	int fold = 1;
	for (const char *c = search; *c; c++)
		fold &= !(*c >= 'A' && *c <= 'Z');
	if (!search[0] || !n)
		return;
	for (size_t k = 1; k <= n; k++) {
		size_t i = (sel[cur] + (dir > 0 ? k : n - k)) % n;
		pane_row(&M, cur, i + 1, row, sizeof row);
		if (fold ? !strcasestr(row, search) : !strstr(row, search))
			continue;
		if (dir > 0 ? i <= sel[cur] : i >= sel[cur])
			snprintf(message, sizeof message, "search went round the end: %s", search);
		sel[cur] = i;
		follow[cur] = 0;
		return;
	}
	snprintf(message, sizeof message, "not found: %s", search);
}

/* The selected row's event, one field per line. */
static void show_details(void)
{
	const struct ev *e = pane_event(&M, cur, sel[cur] + 1);
	if (!e)
		return;
	size_t o = (size_t)snprintf(detail, sizeof detail, "%s  (Enter or q closes this)\n", e->type);
	if (!strcmp(e->type, "reloc")) { /* what the relocation changed: the loader says what it found there */
		char t[64];
		const struct ev *b = !strcmp(ev_get(e, "lazy"), "1") ? model_binding(&M, e) : NULL;
		const char *def = ev_get(b ? b : e, "def_obj");
		o += (size_t)snprintf(detail + o, sizeof detail - o,
				      "  before       %s (%s)\n  after        %s%s\n  defined by   %s\n", ev_get(e, "before"),
				      !strcmp(ev_get(e, "type_name"), "R_X86_64_COPY") ? "not recorded for a COPY"
									   : "what the loader found there",
				      b ? ev_get(b, "value") : model_field_text(&M, e, "value", t, sizeof t),
				      b ? " (bound at the first call)" : !strcmp(ev_get(e, "lazy"), "1") ? " (the PLT, until the first call)" : "",
				      strcmp(def, "-1") ? model_objname(&M, def) : "-");
	}
	const char *v = NULL;
	for (const char *k = NULL; (k = ev_next_field(e, k, &v)) && o + 2 < sizeof detail;) {
		/* named where the stream has numbers (the number after it), the stage the event belongs to */
		char t[64];
		const char *shown = !strcmp(k, "stage") ? model_event_stage(&M, e) : model_field_text(&M, e, k, t, sizeof t);
		int raw = strcmp(shown, v) && *v && strcmp(k, "tls_modid");
		const char *fmt = !raw ? "  %-12s %s\n" : !strcmp(k, "stage") ? "  %-12s %s (after %s)\n" : "  %-12s %s (%s)\n";
		o += (size_t)snprintf(detail + o, sizeof detail - o, fmt, k, shown, v);
	}
}

/* A new relocs filter; the selected relocation stays selected if it still shows. */
static void set_filter(const struct reloc_filter *f)
{
	const struct ev *was = pane_event(&M, PANE_RELOCS, sel[PANE_RELOCS] + 1);
	model_set_reloc_filter(&M, f);
	sel[PANE_RELOCS] = top[PANE_RELOCS] = 0;
	follow[PANE_RELOCS] = 0;
	for (size_t i = 1; was && i < pane_rows(&M, PANE_RELOCS); i++)
		if (pane_event(&M, PANE_RELOCS, i) == was)
			sel[PANE_RELOCS] = i - 1;
	cur = PANE_RELOCS;
}

/* f: the relocations of the selected row's object (any pane whose rows have one); in the relocs pane,
 * f again shows every object's. */
static void filter_object(void)
{
	struct reloc_filter f = M.rfilter;
	const struct ev *e = pane_event(&M, cur, sel[cur] + 1);
	const char *id = e ? ev_get(e, "obj") : "";
	if (cur == PANE_RELOCS && f.obj[0])
		f.obj[0] = 0;
	else if (!*id || !strcmp(id, "-1")) {
		snprintf(message, sizeof message, "f: this row has no object");
		return;
	} else
		snprintf(f.obj, sizeof f.obj, "%s", model_objname(&M, id));
	set_filter(&f);
}

/* t: only the selected relocation's type; again: every type. */
static void filter_type(void)
{
	struct reloc_filter f = M.rfilter;
	const struct ev *e = pane_event(&M, cur, sel[cur] + 1);
	if (cur != PANE_RELOCS || (!e && !f.type[0])) {
		snprintf(message, sizeof message, "t: in the relocs pane (3), on a relocation");
		return;
	}
	if (f.type[0])
		f.type[0] = 0;
	else
		snprintf(f.type, sizeof f.type, "%s", ev_get(e, "type_name"));
	set_filter(&f);
}

/* &: only the relocations whose symbol contains a text (empty: any symbol). */
static void filter_symbol(void)
{
	struct reloc_filter f = M.rfilter;
	if (prompt("relocations whose symbol contains: ", f.sym, sizeof f.sym))
		set_filter(&f);
}

/* Output pane: a line of input for the program, sent to its terminal. */
static void type_line(void)
{
	char line[512];
	if (!prompt("input> ", line, sizeof line - 2) || pty_fd < 0)
		return;
	strcat(line, "\n");
	if (write(pty_fd, line, strlen(line)) < 0)
		snprintf(message, sizeof message, "input: %s", strerror(errno));
}

/* The program's terminal has the size of the screen, so that it formats its output for it. */
static void size_pty(void)
{
	struct winsize ws = { (unsigned short)(LINES > 4 ? LINES - 4 : 1), (unsigned short)COLS, 0, 0 };
	if (pty_fd >= 0)
		ioctl(pty_fd, TIOCSWINSZ, &ws);
}

/* Moving keys; 0 if k is none. */
static int move_key(int k)
{
	size_t n = pane_rows(&M, cur) - 1, page = LINES > 6 ? (size_t)LINES - 6 : 1, last = n ? n - 1 : 0;
	size_t *s = &sel[cur];
	switch (k) {
	case KEY_DOWN: case 'j': *s = *s < last ? *s + 1 : last; break;
	case KEY_UP: case 'k': *s = *s ? *s - 1 : 0; break;
	case KEY_NPAGE: *s = *s + page < last ? *s + page : last; break;
	case KEY_PPAGE: *s = *s > page ? *s - page : 0; break;
	case KEY_HOME: case 'g': *s = 0; break;
	case KEY_END: case 'G': *s = last; break;
	default: return 0;
	}
	follow[cur] = *s == last;
	return 1;
}

/* Left/Right: the rows from the next (previous) column of the header; past the last column (or in a pane
 * without columns), half a screen further. */
static void scroll_sideways(int dir)
{
	char hdr[4096];
	size_t x = hscroll[cur], w = (size_t)COLS, stop = 0;
	pane_row(&M, cur, 0, hdr, sizeof hdr);
	size_t len = strlen(hdr);
	if (dir > 0) {
		if (x + w >= widest[cur]) {
			snprintf(message, sizeof message, "Right: nothing more to the right (Left scrolls back)");
			return;
		}
		for (size_t i = x + 1; i < len && !stop; i++)
			if (hdr[i] != ' ' && i >= 2 && hdr[i - 1] == ' ' && hdr[i - 2] == ' ')
				stop = i;
		hscroll[cur] = stop ? stop : x + w / 2;
	} else {
		if (!x) {
			snprintf(message, sizeof message, "Left: already at the first column");
			return;
		}
		for (size_t i = 1; i < x && i < len; i++)
			if (hdr[i] != ' ' && i >= 2 && hdr[i - 1] == ' ' && hdr[i - 2] == ' ')
				stop = i;
		hscroll[cur] = stop ? stop : x > w / 2 ? x - w / 2 : 0;
	}
}

/* The mouse: a click on a tab switches pane, on a row selects it; the wheel moves by 3 rows. */
static void mouse_one(const MEVENT *e);
static void mouse_event(void)
{
	/* Every event ncurses has queued: 6.5 (Debian unstable) can queue a button's release and the next
	 * event behind one KEY_MOUSE; taking one per key left the wheel an event behind. */
	MEVENT me;
	for (int i = 0; i < 64 && getmouse(&me) == OK; i++)
		mouse_one(&me);
}

static void mouse_one(const MEVENT *e)
{
	MEVENT me = *e;
	size_t n = pane_rows(&M, cur) - 1, last = n ? n - 1 : 0;
	if (me.bstate & BUTTON4_PRESSED) {
		sel[cur] = sel[cur] > 3 ? sel[cur] - 3 : 0;
		follow[cur] = 0;
	}
#ifdef BUTTON5_PRESSED
	else if (me.bstate & BUTTON5_PRESSED) {
		sel[cur] = sel[cur] + 3 < last ? sel[cur] + 3 : last;
		follow[cur] = sel[cur] == last;
	}
#endif
	else if (me.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
		if (me.y == 0) {
			for (int p = 0; p < PANE_COUNT; p++)
				if (me.x >= tab_x[p] && me.x < tab_x[p + 1])
					cur = p;
		} else if (me.y >= rows_y && me.y < rows_y + rows_n) {
			size_t i = top[cur] + (size_t)(me.y - rows_y);
			if (i < n) {
				sel[cur] = i;
				follow[cur] = i == last;
			}
		}
	}
}

/* A key that does nothing here says so, rather than nothing at all. */
static void no_such_key(int k)
{
	const char *name = keyname(k);
	if (k > ' ' && k < 127)
		snprintf(message, sizeof message, "key %c does nothing here; ? for help", k);
	else if (name)
		snprintf(message, sizeof message, "key %s does nothing here; ? for help",
			 !strncmp(name, "KEY_", 4) ? name + 4 : name);
	else
		snprintf(message, sizeof message, "key %d does nothing here; ? for help", k);
}

/* s o c: only at a pause. */
static void step_key(int k, const char *cmd)
{
	if (M.paused)
		control(cmd);
	else if (M.exited || M.error[0] || ev_fd < 0)
		snprintf(message, sizeof message, "%c: the loader has finished: nothing to step", k);
	else
		snprintf(message, sizeof message, "%c: the loader is not paused (start with --paused; it steps from a pause)", k);
}

/* A key the terminal description does not know arrives as its escape sequence (End of another terminal
 * type: ESC [ 4 ~): swallow it rather than take its characters for keys ('4' would switch panes). */
static void skip_escape(void)
{
	int k = getch();
	if (k != '[' && k != 'O') {
		if (k != ERR)
			ungetch(k);
		return;
	}
	while ((k = getch()) != ERR && !(k >= 0x40 && k <= 0x7e))
		;
}

/* One key; 0 to quit. */
static int handle_key(int k)
{
	if (k == KEY_RESIZE) { /* not a key: the help or details stay */
		size_pty();
		return 1;
	}
	/* The help: any key (q too) closes it, and does nothing else. The details: Enter, q or Esc close them;
	 * another key closes them and does what it does (a move, a search, c ...). */
	int closing = show_help || (detail[0] && (k == '\n' || k == KEY_ENTER || k == 'q' || k == 033));
	if (closing && k == 033)
		skip_escape();
	show_help = !closing && k == '?';
	detail[0] = 0;
	message[0] = 0;
	if (closing)
		return 1;
	if (move_key(k))
		return 1;
	switch (k) {
	case 'q': return 0;
	case KEY_MOUSE: mouse_event(); break;
	case '\n': case KEY_ENTER:
		if (pane_event(&M, cur, sel[cur] + 1))
			show_details();
		else
			snprintf(message, sizeof message, "Enter: this row is no event (no details)");
		break;
	case 'i':
		if (cur != PANE_OUTPUT)
			snprintf(message, sizeof message, "i: in the output pane (6), types a line for the program");
		else if (pty_fd < 0)
			snprintf(message, sizeof message, "i: the program has ended: nobody to read it");
		else
			type_line();
		break;
	case '\t': cur = (cur + 1) % PANE_COUNT; break;
	case KEY_BTAB: cur = (cur + PANE_COUNT - 1) % PANE_COUNT; break;
	case '1': case '2': case '3': case '4': case '5': case '6': case '7': cur = k - '1'; break;
	case KEY_RIGHT: case 'l': scroll_sideways(1); break;
	case KEY_LEFT: case 'h': scroll_sideways(-1); break;
	case 's': step_key(k, "step"); break;
	case 'o': step_key(k, "step-object"); break;
	case 'r': step_key(k, "step-reloc"); break;
	case 'c': step_key(k, "continue"); break;
	case 'n': case 'N':
		if (!search[0])
			snprintf(message, sizeof message, "%c: nothing searched yet (/ searches)", k);
		else
			find(k == 'n' ? 1 : -1);
		break;
	case '/': {
		char s[sizeof search];
		if (prompt("/", s, sizeof s) && s[0]) /* an empty search repeats the last one */
			snprintf(search, sizeof search, "%s", s);
		find(1);
		break;
	}
	case 'f': filter_object(); break;
	case 't': filter_type(); break;
	case '&': filter_symbol(); break;
	case 'F': {
		struct reloc_filter none = { "", "", "" };
		set_filter(&none);
		break;
	}
	case 033: skip_escape(); break;
	default: no_such_key(k);
	}
	return 1;
}

/* q: end the program cleanly: close the control pipe (the loader carries on), then TERM, then KILL. */
static void end_program(void)
{
	if (ctl_fd >= 0)
		close(ctl_fd);
	if (child <= 0)
		return;
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

static int interactive(int no_color)
{
	setlocale(LC_ALL, ""); /* UTF-8 output and input, when the environment says so */
	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(25); /* Esc cancels a prompt at once */
	curs_set(0);
	init_colors(no_color);
	if (mouse_on) { /* clicks and the wheel; --no-mouse leaves the mouse to the terminal (selecting text) */
		mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
				  | BUTTON5_PRESSED
#endif
			  , NULL);
		mouseinterval(0); /* a press at once, not after waiting to see whether it is a click */
	}
	timeout(0);
	size_pty();
	for (;;) {
		draw();
		wait_and_pump(ev_fd >= 0 || pty_fd >= 0 ? 100 : 250);
		int k;
		while ((k = getch()) != ERR)
			if (!handle_key(k))
				goto out;
	}
out:
	endwin();
	end_program();
	return exit_status();
}

int main(int argc, char **argv)
{
	int paused = 0, do_dump = 0, no_color = 0, only = -1, i;
	char elfld[4096] = "";
	struct reloc_filter f = { "", "", "" };
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(a, "--paused"))
			paused = 1;
		else if (!strcmp(a, "--dump"))
			do_dump = 1;
		else if (!strcmp(a, "--no-color"))
			no_color = 1;
		else if (!strcmp(a, "--no-mouse"))
			mouse_on = 0;
		else if (!strcmp(a, "--pane") && v) {
			only = pane_from_name(argv[++i]);
			if (only < 0) {
				fprintf(stderr, "elfld-tui: unknown pane %s (objects segments relocs tls events output map)\n", v);
				return 127;
			}
		} else if (!strcmp(a, "--filter-object") && v)
			snprintf(f.obj, sizeof f.obj, "%s", argv[++i]);
		else if (!strcmp(a, "--filter-type") && v)
			snprintf(f.type, sizeof f.type, "%s", argv[++i]);
		else if (!strcmp(a, "--filter-symbol") && v)
			snprintf(f.sym, sizeof f.sym, "%s", argv[++i]);
		else if (!strcmp(a, "--elfld") && v)
			snprintf(elfld, sizeof elfld, "%s", argv[++i]);
		else if (!strcmp(a, "--events-format") && v) {
			events_format = argv[++i];
			if (strcmp(v, "binary") && strcmp(v, "text")) {
				fprintf(stderr, "elfld-tui: --events-format: %s is not binary or text\n", v);
				return 127;
			}
		}
		else if (!strcmp(a, "--")) {
			i++;
			break;
		} else {
			fprintf(stderr, "elfld-tui: unknown option %s\nTry 'elfld-tui --help'.\n", a);
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
	model_set_reloc_filter(&M, &f);
	/* --dump: the program reads elfld-tui's standard input, or nothing (end of file) rather than a terminal
	 * nobody types into, on which it would wait for ever */
	int input = -1;
	if (do_dump) {
		input = isatty(0) || fcntl(0, F_GETFD) < 0 ? open("/dev/null", O_RDONLY | O_CLOEXEC) : 0;
		if (input < 0)
			die("/dev/null");
	}
	spawn(elfld, argv + i, paused, 1, input);
	return do_dump ? dump(only) : interactive(no_color);
}
