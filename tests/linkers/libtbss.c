__thread short lib_tb;
int lib_tb_bump(void) { return ++lib_tb; }
