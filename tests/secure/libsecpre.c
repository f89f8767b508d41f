/* Preloaded: says so from its constructor. */
#include <stdio.h>
__attribute__((constructor)) static void announce(void)
{
	printf("preloaded library ran\n");
}
