"""The checks of the Python end-to-end tests: one line per check, and a summary.

    from checks import check, finish
    check("name", ok, detail)     # "ok    name", or "FAIL  name" and the detail's first lines
    finish()                      # "N passed, M failed"; exits 1 when a check failed
"""
import sys

counts = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    if ok:
        counts["passed"] += 1
        print(f"ok    {name}", flush=True)
    else:
        counts["failed"] += 1
        print(f"FAIL  {name}", flush=True)
        for line in str(detail).splitlines()[:12]:
            print(f"      | {line[:300]}")
    return ok


def finish():
    print(f"{counts['passed']} passed, {counts['failed']} failed")
    sys.exit(1 if counts["failed"] else 0)
