/* libver.so: two versions of `greet` (symbol versioning). greet@VER_1 is the old one, kept for programs
 * linked against it; greet@@VER_2 is the default a new link binds to. The loader matches the version the
 * program's .gnu.version_r asks for. */
const char *greet_v1(void) { return "greet@VER_1"; }
const char *greet_v2(void) { return "greet@@VER_2"; }
__asm__(".symver greet_v1, greet@VER_1");
__asm__(".symver greet_v2, greet@@VER_2");
