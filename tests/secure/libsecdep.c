/* A dependency found only through $ORIGIN or LD_LIBRARY_PATH. */
int dep_value(void)
{
	return 7;
}
