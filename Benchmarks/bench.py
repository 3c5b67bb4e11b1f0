#!/usr/bin/env python3
"""Benchmarks for tms, each beside its peer measured in the same run.

1. start-up: `tms -c 1` against `jq -n 1`;
2. a pipeline over 100,000 tracking-shaped records (generated here, ~68 MB):
   `tms -c 'open F | where status == "delivered" | count'` against
   `jq '[.[] | select(.status=="delivered")] | length' F`.

Prints medians, peak memory (max RSS) and the ratios tms/peer.
"""
import json, os, random, statistics, subprocess, sys, time

TMS = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "../.build/release/tms")
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
TRACKINGS = os.path.join(DATA, "trackings-100k.json")
STATUSES = ["pending", "notfound", "transit", "pickup", "delivered", "undelivered", "exception", "expired"]
CARRIERS = ["ups", "fedex", "dhl", "usps", "china-post", "china-ems", "sto", "yunexpress", "4px", "royal-mail"]


def generate(path, count=100_000):
    """Tracking records shaped like the API's: ids, numbers, carrier, status, title, email,
    created_at, origin_info with three checkpoints. Deterministic."""
    rng = random.Random(42)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("[")
        for i in range(count):
            carrier = CARRIERS[i % len(CARRIERS)]
            status = rng.choice(STATUSES)
            day = 1 + i % 28
            checkpoints = [
                {"Date": f"2024-05-{day:02d} {h:02d}:{rng.randrange(60):02d}", "StatusDescription": desc,
                 "Details": rng.choice(["SHENZHEN", "LOS ANGELES", "FRANKFURT", "MEMPHIS", "LONDON"]),
                 "checkpoint_status": cs, "substatus": sub}
                for h, desc, cs, sub in [(18, "Delivered to recipient", "delivered", "delivered001"),
                                          (9, "Out for delivery", "pickup", "pickup001"),
                                          (3, "Departed facility", "transit", "transit001")]
            ]
            record = {
                "id": f"{rng.getrandbits(128):032x}",
                "tracking_number": f"{rng.randrange(10**11, 10**12)}",
                "carrier_code": carrier,
                "status": status,
                "substatus": None,
                "title": rng.choice(["Shoes", "Laptop", "Books", "Phone case", "Headphones", "Jacket"]) + f" #{i}",
                "order_id": f"A-{i:06d}",
                "customer_email": f"buyer{i}@example.org",
                "customer_name": f"Customer {i}",
                "created_at": f"2024-05-{day:02d}T08:00:00+00:00",
                "updated_at": f"2024-05-{day:02d}T18:00:00+00:00",
                "archived": False,
                "origin_info": {"weblink": f"https://www.{carrier}.example/", "phone": None, "carrier_code": carrier,
                                "trackinfo": checkpoints},
                "destination_info": None,
                "lastEvent": "Delivered to recipient,LOS ANGELES",
                "lastUpdateTime": f"2024-05-{day:02d} 18:00",
            }
            if i:
                f.write(",\n")
            json.dump(record, f, separators=(", ", ": "))
        f.write("]\n")


def run(argv, runs):
    """Median wall time (s) and max peak RSS (MB) over runs; the output of the last run.

    Peak memory comes from GNU time, a small C program: a child's maxrss on Linux starts
    from its parent's size at fork, so measuring from this Python process would inflate it.
    """
    times, peaks, out = [], [], b""
    report = os.path.join(DATA, ".time")
    for _ in range(runs):
        start = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report] + argv,
                           stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        if p.returncode != 0:
            sys.exit(f"failed: {' '.join(argv)}")
        out = p.stdout
        times.append(elapsed)
        with open(report) as f:
            peaks.append(int(f.read().split()[-1]) / 1024)
    return statistics.median(times), max(peaks), out.decode().strip()


def main():
    if not os.path.exists(TMS):
        sys.exit(f"no tms binary at {TMS}; run make bench")
    if not os.path.exists(TRACKINGS):
        print(f"generating {TRACKINGS} ...", flush=True)
        generate(TRACKINGS)
    size = os.path.getsize(TRACKINGS) / 1e6
    print(f"machine: {os.cpu_count()} cores, {os.uname().sysname} {os.uname().machine}; "
          f"date: {time.strftime('%Y-%m-%d')}; jq: {subprocess.run(['jq', '--version'], capture_output=True, text=True).stdout.strip()}")
    rows = []

    # Warm the page cache and the binaries once.
    run([TMS, "-c", "1"], 3)
    run(["jq", "-n", "1"], 3)
    t, m, out = run([TMS, "-c", "1"], 41)
    assert out == "1", out
    jt, jm, jout = run(["jq", "-n", "1"], 41)
    rows.append(("start-up: tms -c 1 / jq -n 1", t, m, jt, jm))

    pipeline = f'open {TRACKINGS} | where status == "delivered" | count'
    jq_filter = '[.[] | select(.status=="delivered")] | length'
    subprocess.run(["cat", TRACKINGS], stdout=subprocess.DEVNULL)
    t, m, out = run([TMS, "-c", pipeline], 5)
    jt, jm, jout = run(["jq", jq_filter, TRACKINGS], 5)
    assert out == jout, (out, jout)
    rows.append((f"open+where+count, {size:.0f} MB, 100k records (both count {out})", t, m, jt, jm))

    print(f"\n{'benchmark':<62} {'tms':>9} {'peer':>9} {'ratio':>6} | {'tms MB':>7} {'peer MB':>8}")
    for name, t, m, jt, jm in rows:
        print(f"{name:<62} {t*1000:>7.1f}ms {jt*1000:>7.1f}ms {t/jt:>6.2f} | {m:>7.1f} {jm:>8.1f}")


if __name__ == "__main__":
    main()
