/* What a program can see of the loader's security decisions: AT_SECURE, which unsafe environment
 * variables reached it, whether a preloaded library ran, whether its RELRO data is read-only and whether
 * any mapping is writable and executable. Run by secure_check.py natively and under elfld-run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

/* A pointer that needs a relocation and then never changes: .data.rel.ro, inside PT_GNU_RELRO. */
static const char *const relro_ptr = "relro";
#ifdef WITH_DEP
int dep_value(void); /* libsecdep.so */
#endif

static void perms_of(const void *addr, char out[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	strcpy(out, "????");
	while (f && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char p[5];
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && (unsigned long)addr >= lo && (unsigned long)addr < hi)
			memcpy(out, p, 5);
	}
	if (f)
		fclose(f);
}

static int count_wx(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;
	while (f && fgets(line, sizeof line, f)) {
		char p[5];
		if (sscanf(line, "%*x-%*x %4s", p) == 1 && p[1] == 'w' && p[2] == 'x' && !strstr(line, "[stack]"))
			n++;
	}
	if (f)
		fclose(f);
	return n;
}

int main(void)
{
	char perms[5];
	perms_of(&relro_ptr, perms);
	printf("secure=%lu\n", getauxval(AT_SECURE));
	const char *vars[] = { "LD_PRELOAD", "LD_LIBRARY_PATH", "TMPDIR", "LOCPATH", "HOME" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		printf("%s=%s\n", vars[i], getenv(vars[i]) ? "set" : "unset");
	printf("relro %s %s\n", relro_ptr, perms);
	printf("writable+executable mappings: %d\n", count_wx());
#ifdef WITH_DEP
	printf("dependency: %d\n", dep_value());
#endif
	return 0;
}
