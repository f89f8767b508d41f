/* Built twice: with -DLINK_TIME for the program's link, without for its run. */
#ifdef LINK_TIME
#define GROWN 4
#define SHRUNK 8
#else
#define GROWN 8
#define SHRUNK 4
#endif
int ext_var = 42;
int ext_grown[GROWN] = { 1, 2, 3, 4 };
int ext_shrunk[SHRUNK] = { 5, 6, 7, 8 };

int lib_read(void) { return ext_var * 1000 + ext_grown[0] + ext_grown[3] + ext_shrunk[3]; }
