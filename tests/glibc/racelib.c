/* The libraries of race.cpp, one source built three times (tests/glibc/CMakeLists.txt picks the part):
 *   RACE_X  librace_x.so  dlopened and dlclosed in a loop by thread A: GD-model TLS, initial value 100
 *   RACE_Y  librace_y.so  the same for thread B, initial value 200
 *   RACE_Z  librace_z.so  opened once; every new thread of thread C must see the initial value 500 */
#if defined RACE_X
#define INIT 100
#elif defined RACE_Y
#define INIT 200
#elif defined RACE_Z
#define INIT 500
#else
#error "which library?"
#endif
__attribute__((tls_model("global-dynamic"))) __thread int tv = INIT;
__attribute__((tls_model("global-dynamic"))) __thread char pad[300] = { 7 };
__attribute__((aligned(64), tls_model("global-dynamic"))) __thread long aligned_tv = INIT * 2;
static int ctor_runs;
__attribute__((constructor)) static void ctor(void) { ctor_runs++; }
int race_ctors(void) { return ctor_runs; }
/* Returns the value before the increment; the other blocks must still hold their initial values. */
int race_bump(void)
{
	if (pad[0] != 7 || pad[299] != 0 || aligned_tv != INIT * 2 || ((unsigned long)&aligned_tv & 63))
		return -1;
	return tv++;
}
int *race_addr(void) { return &tv; }
