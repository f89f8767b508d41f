/* hwcaps.sh: one library built as several variants (VARIANT), placed in glibc-hwcaps subdirectories. */
const char *hw_variant(void) { return VARIANT; }
