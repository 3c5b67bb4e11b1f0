#!/usr/bin/env python3
"""make bench: tms against its peers, each pair measured in the same run on this machine.

    python3 bench.py TMS ENVELOPE_SERVER [--quick]

1. serve: `tms serve` answering GET /v2/trackings/CARRIER/NUMBER under wrk -t2 -c32, against
   a Hummingbird server answering the same bytes (Benchmarks/EnvelopeServer); ratio of
   requests per second, tms / peer (target >= 0.5).
2. bulk: 10,000 creates from a CSV into `tms serve` by `tms -c 'open f.csv | create'`, against
   the PyPI client `trackingmore` 0.2 sending the same 250 batches of 40 one after another
   (Benchmarks/python_client.py; the client is installed into a temporary folder); ratio of
   wall times (target <= 0.2). Each run uses a new key, so a new account.
3. start-up: `tms -c 1` against `jq -n 1` (target <= 0.6).
4. pipeline: `open F | where status == "delivered" | count` on 100,000 records against jq
   (target <= 0.25), and the peak memory of the same pipeline on 1,000,000 records
   (target <= 100 MB).

Prints each figure, the ratio and whether its target is met. Nothing here is a unit test.
"""
import json, os, random, re, resource, shutil, socket, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
TRACKINGS = os.path.join(DATA, "trackings-100k.json")
TRACKINGS_1M = os.path.join(DATA, "trackings-1m.json")
STATUSES = ["pending", "notfound", "transit", "pickup", "delivered", "undelivered", "exception", "expired"]
CARRIERS = ["ups", "fedex", "dhl", "usps", "china-post", "china-ems", "sto", "yunexpress", "4px", "royal-mail"]
PYPI_CLIENT = "trackingmore==0.2"


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


def generate_1m(path):
    """The 100k file's records ten times over: 1,000,000 records, about 1 GB."""
    with open(TRACKINGS) as f:
        body = f.read().strip()[1:-1]
    with open(path + ".tmp", "w") as f:
        f.write("[")
        for i in range(10):
            if i:
                f.write(",\n")
            f.write(body)
        f.write("]\n")
    os.rename(path + ".tmp", path)


def creates_csv(path, count=10_000):
    """count trackings to create: DHL-shaped numbers (10 digits), a title, an email, an order."""
    with open(path, "w") as f:
        f.write("tracking_number,carrier_code,title,customer_email,order_id\n")
        for i in range(count):
            f.write(f"{1000000000 + i * 7919 % 9000000000},dhl,Parcel {i},buyer{i}@example.org,SO-{i:05d}\n")


def run(argv, runs, env=None, cwd=None):
    """Median wall time (s) and max peak RSS (MB) over runs; the output of the last run.

    Peak memory comes from GNU time, a small C program: a child's maxrss on Linux starts
    from its parent's size at fork, so measuring from this Python process would inflate it.
    """
    times, peaks, out = [], [], b""
    report = os.path.join(DATA, ".time")
    for _ in range(runs):
        start = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report] + argv,
                           stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
        elapsed = time.perf_counter() - start
        if p.returncode != 0:
            sys.exit(f"failed ({p.returncode}): {' '.join(argv)}")
        out = p.stdout
        times.append(elapsed)
        with open(report) as f:
            peaks.append(int(f.read().split()[-1]) / 1024)
    return statistics.median(times), max(peaks), out.decode().strip()


class Server:
    """A server process on a free 127.0.0.1 port; its first line says where it listens."""

    def __init__(self, argv, log):
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=open(log, "w"), stdin=subprocess.DEVNULL)
        line = self.process.stdout.readline().decode().strip()
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if not m:
            self.stop()
            sys.exit(f"{argv[0]} did not start: {line!r}")
        self.port = int(m.group(1))

    def cpu(self):
        """Seconds of CPU (user and system, every thread) the server has used so far."""
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def curl(args):
    return subprocess.run(["curl", "-s", "-m", "20"] + args, capture_output=True, check=True).stdout


def wrk(url, key, seconds):
    """Requests per second from wrk -t2 -c32; non-2xx answers or socket errors fail the bench."""
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds}s", "-H", f"Trackingmore-Api-Key: {key}", url],
                         capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        sys.exit(f"wrk saw errors:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def add_key(tms, db, name, quota=None):
    argv = [tms, "keys", "add", name, "--db", db] + (["--quota", str(quota)] if quota else [])
    return subprocess.run(argv, capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL).stdout.strip().splitlines()[-1]


def main():
    tms, peer = (os.path.abspath(a) for a in sys.argv[1:3])
    quick = "--quick" in sys.argv
    for tool in (tms, peer):
        if not os.path.exists(tool):
            sys.exit(f"no binary at {tool}; run make bench")
    for tool in ("jq", "wrk", "curl"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing; make bench installs it")
    if not os.path.exists(TRACKINGS):
        print(f"generating {TRACKINGS} ...", flush=True)
        generate(TRACKINGS)
    work = tempfile.mkdtemp(prefix="tms-bench.")
    jq_version = subprocess.run(['jq', '--version'], capture_output=True, text=True).stdout.strip()
    print(f"machine: {os.cpu_count()} cores, {os.uname().sysname} {os.uname().release} {os.uname().machine}; "
          f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {jq_version}; "
          f"tms binary {os.path.getsize(tms) / 1e6:.1f} MB", flush=True)
    rows = []
    try:
        rows.append(serve_row(tms, peer, work, 3 if quick else 10))
        rows.append(bulk_row(tms, peer, work, 1 if quick else 7))
        rows.append(startup_row(tms, 11 if quick else 41))
        rows += pipeline_rows(tms, 3 if quick else 5, quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\n{'benchmark':<58} {'tms':>12} {'peer':>12} {'ratio':>6} {'target':>8}")
    for name, t, p, ratio, target, met, *_ in rows:
        print(f"{name:<58} {t:>12} {p:>12} {ratio:>6.2f} {target:>8}  {'met' if met else 'MISSED'}")
    for *_, floor in (row for row in rows if len(row) == 7):
        print_bulk_floor(floor)


def print_bulk_floor(f):
    """The bulk row's bound: tms takes at least its own time and the store's writes for its
    batches; the peer its own time and the same writes, one batch after another."""
    ms = {name: value * 1000 for name, value in f.items()}

    def bound(tms_store, peer_store):
        return max(f["tms_alone"], tms_store) / (f["python_alone"] + peer_store)

    print(f"\nbulk, what bounds it (same run): 0.2 of the peer's {ms['python']:,.0f} ms is {ms['python'] * 0.2:,.0f} ms.\n"
          f"  each client alone, against a server answering at once: tms {ms['tms_alone']:,.0f} ms, "
          f"the Python client {ms['python_alone']:,.0f} ms\n"
          f"  the store alone, SQLite inserting the same 10,000 rows in 250 transactions into tms serve's schema: "
          f"{ms['store']:,.0f} ms (four batches a transaction: {ms['store_grouped']:,.0f} ms); "
          f"with only the primary key (account, number, carrier), no list indexes: {ms['store_keys_only']:,.0f} ms "
          f"({ms['store_keys_only_grouped']:,.0f} ms)\n"
          f"  a server costing nothing but its inserts: ratio >= {bound(f['store'], f['store']):.2f}; "
          f"{bound(f['store_grouped'], f['store']):.2f} committing four at a time; "
          f"{bound(f['store_keys_only'], f['store_keys_only']):.2f} with no list indexes; "
          f"{bound(f['store_keys_only_grouped'], f['store_keys_only']):.2f} with both\n"
          f"  CPU of a tms run: tms {ms['tms_cpu']:,.0f} ms, tms serve {ms['server_cpu']:,.0f} ms; "
          f"on {os.cpu_count()} cores at least {(ms['tms_cpu'] + ms['server_cpu']) / os.cpu_count():,.0f} ms of wall time, "
          f"a ratio of {(f['tms_cpu'] + f['server_cpu']) / os.cpu_count() / f['python']:.2f}")


def serve_row(tms, peer, work, seconds):
    """GET one tracking from tms serve and the same bytes from the fixed-envelope server."""
    db = os.path.join(work, "serve.sqlite")
    key = add_key(tms, db, "wrk")
    server = Server([tms, "serve", "--port", "0", "--db", db], os.path.join(work, "serve.log"))
    try:
        base = f"http://127.0.0.1:{server.port}/v2"
        curl(["-X", "POST", "-H", f"Trackingmore-Api-Key: {key}", f"{base}/trackings/post",
              "-d", '{"tracking_number":"RR123456785CN","carrier_code":"china-post","title":"Shoes"}'])
        url = f"{base}/trackings/china-post/RR123456785CN"
        envelope = curl(["-H", f"Trackingmore-Api-Key: {key}", url])
        assert json.loads(envelope)["meta"]["code"] == 200, envelope
        wrk(url, key, 1)  # warm-up
        tms_rps = wrk(url, key, seconds)
    finally:
        server.stop()
    body = os.path.join(work, "envelope.json")
    with open(body, "wb") as f:
        f.write(envelope)
    server = Server([peer, body, str(free_port())], os.path.join(work, "peer.log"))
    try:
        url = f"http://127.0.0.1:{server.port}/v2/trackings/china-post/RR123456785CN"
        assert curl([url]) == envelope
        wrk(url, key, 1)
        peer_rps = wrk(url, key, seconds)
    finally:
        server.stop()
    ratio = tms_rps / peer_rps
    return (f"serve: GET one tracking ({len(envelope)} B), wrk -t2 -c32, req/s", f"{tms_rps:,.0f}", f"{peer_rps:,.0f}",
            ratio, ">= 0.5", ratio >= 0.5)


# Seconds between a bulk run and the next, on both sides: each starts on a quiet tms serve.
# tms serve copies its WAL into the database (a checkpoint, with its fsyncs) once the writes
# pause for 20 ms; the run before left 5,100 WAL pages, and a run started 20-30 ms after it
# (as the next one did, with only a key added between) shared the cores and the disk with
# that checkpoint for its first 50-150 ms: tms 86 against 82 ms over 31 runs each, the Python
# client the same either way (docs/performance.md).
SETTLE = 0.2


def bulk_row(tms, peer, work, runs):
    """10,000 creates from a CSV: tms's pipeline, and the PyPI client's 250 batches of 40."""
    csv = os.path.join(work, "creates.csv")
    creates_csv(csv)
    client = os.path.join(work, "pypi")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--target", client, PYPI_CLIENT], check=True, stdout=subprocess.DEVNULL)
    db = os.path.join(work, "bulk.sqlite")
    server = Server([tms, "serve", "--port", "0", "--db", db], os.path.join(work, "bulk.log"))
    try:
        base = f"http://127.0.0.1:{server.port}/v2"
        tms_times, py_times, cpu = [], [], []
        for i in range(runs):
            key = add_key(tms, db, f"tms{i}", quota=20000)
            env = dict(os.environ, TRACKINGMORE_API_KEY=key)
            time.sleep(SETTLE)
            server_before, children_before = server.cpu(), children_cpu()
            t, _, out = run([tms, "--endpoint", base, "-c", f"open {csv} | create | each {{ $it.added }}"], 1, env=env, cwd=work)
            cpu.append((children_cpu() - children_before, server.cpu() - server_before))
            assert out == "10000", out
            check_created(base, key)
            tms_times.append(t)
            key = add_key(tms, db, f"py{i}", quota=20000)
            env = dict(os.environ, PYTHONPATH=client)
            time.sleep(SETTLE)
            t, _, out = run([sys.executable, os.path.join(HERE, "python_client.py"), base, key, csv], 1, env=env)
            assert out == "10000", out
            check_created(base, key)
            py_times.append(t)
        floor = bulk_floor(tms, peer, work, csv, client, db, base, runs)
    finally:
        server.stop()
    t, p = statistics.median(tms_times), statistics.median(py_times)
    floor["tms"], floor["python"] = t, p
    floor["tms_cpu"], floor["server_cpu"] = (statistics.median(c[k] for c in cpu) for k in (0, 1))
    return ("bulk: 10,000 creates from a CSV into tms serve, wall", f"{t * 1000:,.0f} ms", f"{p * 1000:,.0f} ms",
            t / p, "<= 0.2", t / p <= 0.2, floor)


def bulk_floor(tms, peer, work, csv, client, db, base, runs):
    """What bounds the bulk row, measured in the same run (docs/performance.md, "the floor"):
    - each client alone: tms and the Python client against a server that answers every batch
      at once with the bytes tms serve answered a batch of 40 with;
    - the store alone: the 10,000 rows tms serve wrote, inserted again by SQLite (the same
      library, schema, WAL and synchronous setting) into a new database, one transaction per
      batch of 40 as tms serve commits them, and four batches a transaction for comparison.
    Returns the medians in seconds."""
    key = add_key(tms, db, "floor", quota=20000)
    with open(csv) as f:
        rows = list(f)[1:41]
    items = [dict(zip(("tracking_number", "carrier_code", "title", "customer_email", "order_id"), r.strip().split(",")))
             for r in rows]
    answer = os.path.join(work, "batch-answer.json")
    with open(answer, "wb") as f:
        f.write(curl(["-X", "POST", "-H", f"Trackingmore-Api-Key: {key}", "-H", "Content-Type: application/json",
                      "--data-binary", json.dumps(items), f"{base}/trackings/batch"]))
    fixed = Server([peer, answer, str(free_port())], os.path.join(work, "floor.log"))
    try:
        url = f"http://127.0.0.1:{fixed.port}/v2"
        env = dict(os.environ, TRACKINGMORE_API_KEY="instant")
        tms_alone, _, out = run([tms, "--endpoint", url, "-c", f"open {csv} | create | each {{ $it.added }}"], runs, env=env, cwd=work)
        assert out == "10000", out
        env = dict(os.environ, PYTHONPATH=client)
        py_alone, _, out = run([sys.executable, os.path.join(HERE, "python_client.py"), url, "instant", csv], runs, env=env)
        assert out == "10000", out
    finally:
        fixed.stop()
    def median(per, list_indexes=True):
        return statistics.median(store_inserts(db, work, per, list_indexes) for _ in range(runs))
    return {"tms_alone": tms_alone, "python_alone": py_alone, "store": median(1), "store_grouped": median(4),
            "store_keys_only": median(1, list_indexes=False), "store_keys_only_grouped": median(4, list_indexes=False)}


def store_inserts(db, work, batches_per_transaction, list_indexes=True):
    """Seconds SQLite takes to insert the first bulk run's 10,000 rows into a new database with
    tms serve's schema, 40 rows a batch in one statement (as tms serve does),
    batches_per_transaction batches a transaction; without list_indexes, only the table with its
    primary key (account, number, carrier), the least any store keeping the API's rules pays."""
    import sqlite3
    source = sqlite3.connect(db)
    schema = [sql for (sql,) in source.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, rowid")]
    (account,) = source.execute("SELECT hash FROM api_key WHERE name = 'tms0'").fetchone()
    rows = source.execute("SELECT * FROM tracking WHERE account = (SELECT id FROM account WHERE key = ?) ORDER BY rowid",
                          (account,)).fetchall()
    columns = len(rows[0])
    source.close()
    assert len(rows) == 10_000, len(rows)
    path = os.path.join(work, "store-floor.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    target = sqlite3.connect(path, isolation_level=None)
    target.execute("PRAGMA journal_mode = WAL")
    target.execute("PRAGMA synchronous = NORMAL")
    # tms serve's writer does not checkpoint (its Checkpointer does, on a thread of its own,
    # when the writes pause) but once every 20,000 WAL pages, which these 10,000 rows (about
    # 5,100 pages) do not reach.
    target.execute("PRAGMA wal_autocheckpoint = 0")
    for sql in schema:
        if list_indexes or not re.match(r"CREATE INDEX \w+ ON tracking\b", sql):
            target.execute(sql)
    # As tms serve stores a batch: the largest rowid read, then its 40 rows in one statement
    # (the rows after that rowid are read back only when some were ignored, which none are).
    row = f"({', '.join('?' * columns)})"
    insert = f"INSERT OR IGNORE INTO tracking VALUES {', '.join([row] * 40)}"
    size = 40 * batches_per_transaction
    start = time.perf_counter()
    for i in range(0, len(rows), size):
        target.execute("BEGIN IMMEDIATE")
        for j in range(i, min(i + size, len(rows)), 40):
            target.execute("SELECT max(rowid) FROM tracking").fetchone()
            assert target.execute(insert, [v for r in rows[j:j + 40] for v in r]).rowcount == len(rows[j:j + 40])
        target.execute("COMMIT")
    elapsed = time.perf_counter() - start
    target.close()
    # Python's own part (binding 14 values a row): the same rows into a table in memory with
    # no key and no index, taken off so that the figure is SQLite's.
    bare = sqlite3.connect(":memory:", isolation_level=None)
    bare.execute(f"CREATE TABLE t ({', '.join(f'c{i}' for i in range(columns))})")
    start = time.perf_counter()
    bare.execute("BEGIN")
    bare.executemany(f"INSERT INTO t VALUES ({', '.join('?' * columns)})", rows)
    bare.execute("COMMIT")
    binding = time.perf_counter() - start
    bare.close()
    return elapsed - binding


def children_cpu():
    """Seconds of CPU (user and system) this process's ended children have used."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def check_created(base, key):
    """Every create arrived: the account holds 10,000 trackings."""
    answer = json.loads(curl(["-H", f"Trackingmore-Api-Key: {key}", f"{base}/trackings/get?limit=1"]))
    assert str(answer["data"]["total"]) == "10000", answer["meta"]


def startup_row(tms, runs):
    run([tms, "-c", "1"], 3)
    run(["jq", "-n", "1"], 3)
    t, _, out = run([tms, "-c", "1"], runs)
    assert out == "1", out
    jt, _, _ = run(["jq", "-n", "1"], runs)
    return ("start-up: tms -c 1 / jq -n 1", f"{t * 1000:.1f} ms", f"{jt * 1000:.1f} ms", t / jt, "<= 0.6", t / jt <= 0.6)


def pipeline_rows(tms, runs, quick):
    size = os.path.getsize(TRACKINGS) / 1e6
    pipeline = 'open {} | where status == "delivered" | count'
    jq_filter = '[.[] | select(.status=="delivered")] | length'
    subprocess.run(["cat", TRACKINGS], stdout=subprocess.DEVNULL)
    t, m, out = run([tms, "-c", pipeline.format(TRACKINGS)], runs)
    jt, jm, jout = run(["jq", jq_filter, TRACKINGS], runs)
    assert out == jout, (out, jout)
    rows = [(f"open+where+count, 100k records ({size:.0f} MB; peak {m:.0f} vs {jm:.0f} MB)",
             f"{t * 1000:,.0f} ms", f"{jt * 1000:,.0f} ms", t / jt, "<= 0.25", t / jt <= 0.25)]
    if not quick:
        if not os.path.exists(TRACKINGS_1M):
            print(f"generating {TRACKINGS_1M} ...", flush=True)
            generate_1m(TRACKINGS_1M)
        t, m, out = run([tms, "-c", pipeline.format(TRACKINGS_1M)], 1)
        assert out == str(int(jout) * 10), out
        size = os.path.getsize(TRACKINGS_1M) / 1e6
        rows.append((f"the same, 1M records ({size:.0f} MB; {t:.1f} s): tms peak", f"{m:.0f} MB", "-", m / 100,
                     "<= 100 MB", m <= 100))
    return rows


if __name__ == "__main__":
    main()
