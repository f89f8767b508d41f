# checks.py -- the check/summary of the GDB test drivers that run gdb -batch from outside (break_main.py,
# lazy_compare.py, load_error.py); the scripts that run inside GDB use gdbtest.py.
import sys

_fails = _checks = 0


def check(ok, what, detail=""):
    """Print ok/FAIL with what was compared (and, on failure, the detail); count it."""
    global _fails, _checks
    _checks += 1
    _fails += not ok
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else "\n     " + str(detail).replace("\n", "\n     ")))
    return ok


def finish():
    """The summary line ctest looks for, and the exit status."""
    print("%d checks, %d failed" % (_checks, _fails))
    sys.exit(1 if _fails else 0)
