/* A library with a hole between its segments (.fardata placed at 4 MiB): the hole must be mapped
 * inaccessible (---p) exactly as the system loader does; prints the permissions of its mappings. */
#include <stdio.h>
#include <string.h>
int get(void);
int main(void)
{
	char l[512];
	FILE *f = fopen("/proc/self/maps", "r");
	while (f && fgets(l, sizeof l, f))
		if (strstr(l, "libhole"))
			printf("%.4s\n", strchr(l, ' ') + 1);
	printf("get=%d\n", get());
	return 0;
}
