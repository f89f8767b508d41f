/* Data the ET_EXEC program reads directly (non-PIC): R_X86_64_COPY moves it into the program. */
int copy_value = 1234;
const char copy_text[] = "copied";
int copy_get(void) { return copy_value; }
