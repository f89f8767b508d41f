/* Plenty of data relocations (what -z pack-relative-relocs / --pack-dyn-relocs=relr packs into DT_RELR):
 * pointer tables in the program and in a library, pointers to the library's functions and data, strings,
 * and identical functions that --icf may fold (their addresses are only compared, never printed). */
#include <stdio.h>
#include <string.h>

extern const char *const lib_names[];
extern int lib_counter;
int lib_fn(int);
int *lib_counter_addr(void);

static const char *const names[] = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta" };
static int one(int x) { return x + 1; }
static int two(int x) { return x + 1; } /* identical to one: --icf=all folds them */
static int (*const fns[])(int) = { one, two, lib_fn };
static int *const counters[] = { &lib_counter, &lib_counter };
struct node { const char *name; struct node *next; };
static struct node n3 = { "n3", 0 }, n2 = { "n2", &n3 }, n1 = { "n1", &n2 };

int main(void)
{
	size_t total = 0;
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		total += strlen(names[i]);
	for (int i = 0; lib_names[i]; i++)
		total += strlen(lib_names[i]);
	printf("total=%zu fns=%d,%d,%d\n", total, fns[0](1), fns[1](2), fns[2](3));
	*counters[0] += 5;
	printf("counter=%d same=%d\n", *counters[1], counters[0] == lib_counter_addr());
	for (struct node *n = &n1; n; n = n->next)
		printf("%s ", n->name);
	printf("\n");
	return 0;
}
