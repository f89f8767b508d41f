/* hwcaps.sh: which variant of libhw.so the loader found. */
#include <stdio.h>
const char *hw_variant(void);
int main(void)
{
	printf("libhw.so: %s\n", hw_variant());
	return 0;
}
