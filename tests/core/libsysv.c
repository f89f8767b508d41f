/* A library with only a SysV hash table (DT_HASH, linked --hash-style=sysv): lookups in it take the
 * SysV path of symbols.c, bucket then chain. 64 functions, so that chains are longer than one. */
#define F(n) int sysv_f##n(int x) { return x * 3 + n; }
#define F8(n) F(n##0) F(n##1) F(n##2) F(n##3) F(n##4) F(n##5) F(n##6) F(n##7)
F8(1) F8(2) F8(3) F8(4) F8(5) F8(6) F8(7) F8(8)
int sysv_data = 7;
