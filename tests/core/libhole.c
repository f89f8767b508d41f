/* A library whose last segment sits far from the others (tests/core/holes.c). */
__attribute__((section(".fardata"))) int far = 42;
int get(void) { return far; }
