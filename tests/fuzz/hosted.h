/* The hosted build of the loader's parsing, symbol and relocation code (dynamic.c, symbols.c, reloc.c,
 * parse.c) for fuzzing and unit tests: hosted.c supplies what the freestanding runtime otherwise does. */
#ifndef ELFLD_HOSTED_H
#define ELFLD_HOSTED_H
#include "elfld.h"
#include "events.h"

/* Run fn(arg); if it calls u_fatal, return the message ("elfld: FILE: reason"), else NULL. */
const char *hosted_try(void (*fn)(void *), void *arg);
/* Allocations made after hosted_arena_mark() are freed by hosted_arena_release(). */
void hosted_arena_mark(void);
void hosted_arena_release(void);
extern unsigned long hosted_events; /* events seen (keeps their contents alive) */
#endif
