/* dlfini's library: constructor, destructor and .fini_array entry that print. */
#include <stdio.h>
__attribute__((constructor)) static void ctor(void) { printf("lib %s: constructor\n", LIBNAME); }
__attribute__((destructor)) static void dtor(void) { printf("lib %s: destructor\n", LIBNAME); }
static void fini_entry(void) { printf("lib %s: .fini_array\n", LIBNAME); }
__attribute__((section(".fini_array"), used)) static void (*fini_ptr)(void) = fini_entry;
