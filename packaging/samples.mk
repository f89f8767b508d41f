# Build elfld's samples outside the project (installed as share/doc/elfld/samples/Makefile; the project
# itself builds them with samples/CMakeLists.txt, with the same flags). Copy the directory somewhere you
# can write, then:
#   make                 build every sample here
#   make check           run each freestanding sample under elfld-run and compare with NAME.expected
# and watch one: elfld-run --trace ./echidna, elfld-tui ./tls-models, gdb --args elfld-run ./threads
# The freestanding samples (no libc) link their TLS-using libraries against ld-linux-x86-64.so.2: under
# elfld that is elfld itself; the system loader cannot run them.
CC ?= cc
ELFLD_RUN ?= elfld-run
LDSO := /lib64/ld-linux-x86-64.so.2
WARN := -Wall -Wextra
NOLIBC := -ffreestanding -fno-builtin -fno-stack-protector -fcf-protection=none -O2 -g $(WARN)
ORIGIN := -Wl,-rpath,'$$ORIGIN'
FREESTANDING := echidna errno threads tls-models ifunc versioned ctors
GLIBC := hello-glibc dlopen-tls libdyntls.so dlmopen libnscount.so $(if $(wildcard plt.c),plt)

all: $(FREESTANDING) $(GLIBC)

lib%.so: lib%.c nolibc.h
	$(CC) $(NOLIBC) -fPIC -shared -nostdlib $(ORIGIN) $(LIBFLAGS) -o $@ $< $(LIBS) $(LDSO)
libtlsdesc.so: NOLIBC += -mtls-dialect=gnu2
libver.so: LIBFLAGS = -Wl,--version-script=libver.map
libver.so: libver.map
libctorb.so: LIBFLAGS = -Wl,-init,b_init_old
libctora.so: LIBS = -L. -lctorb
libctora.so: libctorb.so

define program
$(1): $(1).c nolibc.h $(patsubst -l%,lib%.so,$(2))
	$$(CC) $$(NOLIBC) -fPIE -pie -nostdlib -Wl,--dynamic-linker=$$(LDSO) $$(ORIGIN) -o $$@ $$< -L. $(2) $(3)
endef
$(eval $(call program,echidna,-lbar))
$(eval $(call program,errno,-lerrno))
$(eval $(call program,threads,-lbar,$(LDSO)))
$(eval $(call program,tls-models,-ltlsa -ltlsdesc))
$(eval $(call program,ifunc,))
$(eval $(call program,versioned,-lver))
$(eval $(call program,ctors,-lctora))

hello-glibc: hello-glibc.c
	$(CC) -O2 -g $(WARN) -o $@ $<
libdyntls.so: libdyntls.c
	$(CC) -O2 -g $(WARN) -fPIC -shared -o $@ $<
dlopen-tls: dlopen-tls.c
	$(CC) -O2 -g $(WARN) -o $@ $< -ldl -lpthread
libnscount.so: libnscount.c
	$(CC) -O2 -g $(WARN) -fPIC -shared -o $@ $<
dlmopen: dlmopen.c
	$(CC) -O2 -g $(WARN) -o $@ $< -ldl
# lazy binding: -z lazy; -O0 so that `step` and `list` in GDB read as the source
plt: plt.c
	$(CC) -O0 -g -fno-builtin $(WARN) -Wl,-z,lazy -o $@ $<

check: all
	@fail=0; for s in $(FREESTANDING); do \
	  if $(ELFLD_RUN) ./$$s | cmp -s - $$s.expected; then echo "ok   $$s"; else echo "FAIL $$s"; fail=1; fi; \
	done; \
	for s in $(filter-out %.so dlopen-tls dlmopen,$(GLIBC)); do \
	  if [ "$$($(ELFLD_RUN) ./$$s an-argument 2>&1)" = "$$(./$$s an-argument 2>&1)" ]; then echo "ok   $$s"; \
	  else echo "FAIL $$s"; fail=1; fi; \
	done; \
	for p in dlopen-tls:libdyntls.so dlmopen:libnscount.so; do \
	  if [ "$$($(ELFLD_RUN) ./$${p%:*} ./$${p#*:} 2>&1)" = "$$(./$${p%:*} ./$${p#*:} 2>&1)" ]; then \
	    echo "ok   $${p%:*}"; else echo "FAIL $${p%:*}"; fail=1; fi; \
	done; \
	exit $$fail

clean:
	rm -f $(FREESTANDING) $(GLIBC) *.so

.PHONY: all check clean
