int addend_var = 7;
int addend_func(int x) { return x * 10 + addend_var; }
