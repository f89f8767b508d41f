/* Needed by nothing: dlmopen'd into an existing namespace, it finds that namespace's libdlmopen.so. */
extern int bump(void);
int second_bump(void) { return bump(); }
extern long dlopen_inside(const char *file);
long dlopen_inside2(const char *file) { return dlopen_inside(file); }
