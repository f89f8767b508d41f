int vfoo_1(void) { return 1; }
int vfoo_2(void) { return 2; }
__asm__(".symver vfoo_1,vfoo@VERS_1");
__asm__(".symver vfoo_2,vfoo@@VERS_2");
int vbar(void) { return 3; }
int vdata = 4;
