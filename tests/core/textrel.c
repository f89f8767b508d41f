/* Non-PIC code in a shared library: its text holds absolute addresses, so the library has DT_TEXTREL. */
int textrel_table[4] = { 1, 2, 3, 4 };
int textrel_sum(void)
{
	int s = 0;
	for (int i = 0; i < 4; i++)
		s += textrel_table[i];
	return s;
}
