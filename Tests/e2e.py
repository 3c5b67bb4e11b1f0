#!/usr/bin/env python3
"""End to end: the tms binary against a tms serve it starts on 127.0.0.1.

    python3 Tests/e2e.py PATH_TO_TMS

1. Every annotated script of Tests/Scripts/api runs as `tms --endpoint URL --api-key-stdin
   SCRIPT` with a fresh key (so a fresh account), and its output, errors and exit code are
   compared with its `# expect` lines, as the in-process runner does.
2. Under --dry-run and --read-only, no write verb changes the sandbox database (its contents
   are compared before and after).
3. No output of any run, and no file tms writes, contains the API key.

Prints one line per check and last "N passed, M failed"; exits 1 when a check failed.
"""
import os, re, sqlite3, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, finish

TMS = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
keys_seen = []


def run(args, stdin="", cwd=None, timeout=120):
    p = subprocess.run([TMS] + args, input=stdin.encode(), capture_output=True, timeout=timeout, cwd=cwd,
                       env={**os.environ, "NO_COLOR": "1", "SWIFT_BACKTRACE": "enable=no"})
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def expectations(text):
    out, errors, code = [], [], None
    for line in text.split("\n"):
        m = re.search(r"# (expect.*)$", line)
        if not m:
            continue
        e = m.group(1)
        if e.startswith("expect: ") or e == "expect:":
            out.append(e[8:])
        elif e.startswith("expect error "):
            errors.append(e[13:])
        elif e.startswith("expect exit: "):
            code = int(e[13:])
    return out, errors, code


def new_key(db, name):
    rc, out, err = run(["keys", "add", name, "--db", db])
    key = out.strip().split("\n")[-1]
    keys_seen.append(key)
    return key


with tempfile.TemporaryDirectory() as work:
    db = os.path.join(work, "serve.sqlite")
    new_key(db, "warmup")
    server = subprocess.Popen([TMS, "serve", "--port", "0", "--db", db], stdout=subprocess.PIPE,
                              stderr=open(os.path.join(work, "serve.log"), "w"), stdin=subprocess.DEVNULL)
    try:
        line = server.stdout.readline().decode().strip()
        check("tms serve starts and says where", line.startswith("listening on http://127.0.0.1:"), line)
        url = line.replace("listening on ", "") + "/v2"

        # 1. The API scripts against tms serve.
        scripts = sorted(f for f in os.listdir(os.path.join(ROOT, "Tests/Scripts/api")) if f.endswith(".tms"))
        for i, name in enumerate(scripts):
            path = os.path.join(ROOT, "Tests/Scripts/api", name)
            text = open(path).read()
            if "# in-process only" in text:
                continue
            expected_out, expected_errors, expected_code = expectations(text)
            key = new_key(db, f"script-{i}")
            rc, out, err = run(["--endpoint", url, "--api-key-stdin", path], stdin=key + "\n", cwd=work)
            got = [l.rstrip() for l in out.split("\n")]
            if got and got[-1] == "":
                got.pop()
            got_errors = []
            for m in re.finditer(r"^error\[[^\]]+\]: (.*)\n\s*--> [^\n]*:(\d+):(\d+)", err, re.M):
                got_errors.append(f"{m.group(2)}:{m.group(3)}: {m.group(1)}")
            code = expected_code if expected_code is not None else (0 if not expected_errors else rc)
            ok = got == [e.rstrip() for e in expected_out] and got_errors == expected_errors and rc == code
            detail = ""
            if not ok:
                for n, (a, b) in enumerate(zip(expected_out, got)):
                    if a.rstrip() != b:
                        detail = f"line {n + 1}: expected {a!r}, got {b!r}"
                        break
                detail = detail or f"exit {rc} (expected {code}); {len(got)} lines (expected {len(expected_out)}); errors {got_errors} (expected {expected_errors})\n{err[-500:]}"
            check(f"Tests/Scripts/api/{name} against tms serve", ok, detail)

        # 2. --dry-run and --read-only change nothing, whichever verb writes.
        sandbox = os.path.join(work, "guard.sqlite")
        run(["--sandbox", sandbox, "-c", "sandbox seed 30; create sto 402934299065 title=Shoes; create ups 1Z999AA10123456784"])

        def contents():
            c = sqlite3.connect(sandbox)
            try:
                return [list(c.execute(f"SELECT * FROM {t} ORDER BY 1, 2")) for t in ("account", "tracking", "api_key")]
            finally:
                c.close()

        writes = [
            "create dhl 1234567890",
            "[{carrier_code: dhl, tracking_number: \"1234567891\"}] | create",
            "[{carrier_code: dhl, tracking_number: \"1234567892\"}] | batch",
            "get sto 402934299065 | set title=Boots status=7 | put",
            "get sto 402934299065 | put order_id=X",
            "delete sto 402934299065",
            "list | first 3 | delete",
            "list | set archived=true | updatemore",
            "get sto 402934299065 | notupdate",
            "get ups 1Z999AA10123456784 | recarrier dhl",
            "def sneaky { create dhl 1234567899 }; sneaky",
            "sandbox advance 3d",
            "sandbox seed 5",
            "sandbox reset",
        ]
        for mode in ("--dry-run", "--read-only"):
            for line in writes:
                before = contents()
                rc, out, err = run(["--sandbox", sandbox, mode, "-c", line])
                after = contents()
                check(f"{mode}: `{line}` leaves the database as it was", before == after,
                      f"exit {rc}\n{err[-300:]}")
                if mode == "--read-only":
                    check(f"--read-only: `{line}` is refused", rc != 0 and "was not sent" in err, err[-300:])
        rc, out, err = run(["--sandbox", sandbox, "--dry-run", "-c", "create dhl 1234567898 title=X | select title"])
        check("--dry-run prints the write it did not send, and goes on",
              rc == 0 and "dry run: not sent:\nPOST " in err and "/trackings/post" in err and '"title": "X"' in err and "X" in out, err)
        run(["--sandbox", sandbox, "-c", "create sto 402934299070 title=Shoes"])
        rc, out, err = run(["--sandbox", sandbox, "--dry-run", "-c", "get sto 402934299070 | set title=Boots | put | select title"])
        check("--dry-run shows a PUT's change field by field", 'change: title: "Shoes" → "Boots"' in err, err)
        rc, out, err = run(["--sandbox", sandbox, "--read-only", "-c", "list | count; userinfo | select track_number"])
        check("--read-only still reads", rc == 0 and out.strip().split("\n")[0] == "33" and "track_number" in out, out + err)

        # Laziness: list | first 5 reads one page.
        rc, out, err = run(["--sandbox", sandbox, "--trace", "-c", "list limit=10 | first 5 | count"])
        pages = [l for l in err.splitlines() if "trace: GET /trackings/get" in l]
        check("list | first 5 makes exactly one request", rc == 0 and out.strip() == "5" and len(pages) == 1, err)
        rc, out, err = run(["--sandbox", sandbox, "--trace", "-c", "list limit=10 | count"])
        pages = [l for l in err.splitlines() if "trace: GET /trackings/get" in l]
        check("list | count reads every page, and no more", rc == 0 and len(pages) == (int(out.strip()) + 9) // 10, out + err)

        # 3. The key never shows.
        logs = open(os.path.join(work, "serve.log")).read()
        leaked = [k for k in keys_seen if k and (k in logs)]
        check("the server log never holds a key", not leaked and "key=••••" in logs, leaked)
        files = []
        for base, _, names in os.walk(work):
            for n in names:
                if n.endswith(".sqlite") or n.endswith("-wal") or n.endswith("-shm"):
                    continue  # databases hold only hashes, checked below
                files.append(os.path.join(base, n))
        leaked = [f for f in files for k in keys_seen if k and k in open(f, errors="replace").read()]
        check("no file tms wrote holds a key", not leaked, leaked)
        c = sqlite3.connect(db)
        stored = [row[0] for row in c.execute("SELECT hash FROM api_key")]
        c.close()
        check("keys are stored only as hashes", all(len(h) == 64 for h in stored) and not any(k in stored for k in keys_seen), stored[:3])
        rc, out, err = run(["--endpoint", url, "--api-key-stdin", "--trace", "-c", "userinfo | select email; get sto 000000"], stdin=keys_seen[-1] + "\n")
        check("trace and errors never show the key", keys_seen[-1] not in out + err and "trace: GET /trackings/getuserinfo" in err, err)
        # 4. Configuration: profiles, where each setting comes from, keys kept private.
        cfg = os.path.join(work, "config")
        os.makedirs(os.path.join(cfg, "tms"))
        cfg_file = os.path.join(cfg, "tms", "config.toml")
        with open(cfg_file, "w") as f:
            f.write('[profile.default]\nbackend = "sandbox"\n\n[profile.acme]\nbackend = "live"\napi_key_env = "ACME_KEY"\nrate = 2\nin_flight = 2\nread_only = true\n\n'
                    f'[profile.class]\nbackend = "{url}"\napi_key = "{keys_seen[-1]}"\n')
        os.chmod(cfg_file, 0o644)
        env = {**os.environ, "XDG_CONFIG_HOME": cfg, "ACME_KEY": "acme-secret-1234", "NO_COLOR": "1"}

        def tms(args, stdin=""):
            p = subprocess.run([TMS] + args, input=stdin.encode(), capture_output=True, timeout=60, env=env)
            return p.returncode, p.stdout.decode(), p.stderr.decode()

        rc, out, err = tms(["--profile", "acme", "config", "explain"])
        check("config explain names each setting's source",
              rc == 0 and "live (https://api.trackingmore.com/v2)    (profile acme in" in out and "rate         2.0 requests/s" in out, out + err)
        check("config explain masks the key", "••••1234" in out and "acme-secret-1234" not in out, out)
        check("config explain says how many bulk requests go in flight, and where that came from",
              "in_flight    2 requests    (profile acme in" in out, out)
        rc, out, err = tms(["--profile", "acme", "--in-flight", "8", "config", "explain"])
        check("--in-flight wins over the profile", "in_flight    8 requests    (--in-flight)" in out, out + err)
        rc, out, err = tms(["--in-flight", "0", "-c", "1"])
        check("--in-flight 0 is refused with the range (exit 2)", rc == 2 and "from 1 to 32" in err, err)
        rc, out, err = tms(["--profile", "class", "-c", "userinfo"])
        check("a config file with a key that others can read is refused (exit 4)", rc == 4 and "chmod 600" in err, err)
        os.chmod(cfg_file, 0o600)
        rc, out, err = tms(["--profile", "class", "-c", "userinfo | select track_number"])
        check("a profile with a backend URL and key reaches tms serve", rc == 0 and "track_number" in out, out + err)
        rc, out, err = tms(["--profile", "acme", "-c", "create sto 402934299065"])
        check("read_only in a profile refuses writes before anything is sent", rc != 0 and "was not sent" in err, err)
        rc, out, err = tms(["--profile", "acmee", "-c", "1"])
        check("an unknown profile is exit 4 with a suggestion", rc == 4 and "did you mean 'acme'?" in err, err)
        rc, out, err = tms(["--api-key", "abc", "-c", "1"])
        check("a key on the command line is refused with the reason", rc == 2 and "process list" in err, err)
        rc, out, err = tms(["--live", "-c", "userinfo"])
        check("--live without a key is exit 4", rc == 4 and "needs an API key" in err, err)
        # 5. The example host of docs/embedding.md runs.
        bot = os.path.join(os.path.dirname(TMS), "ticket-bot")
        p = subprocess.run([bot], capture_output=True, timeout=60)
        out = p.stdout.decode()
        check("examples/embed (ticket-bot) runs a script with a host verb and limits",
              p.returncode == 0 and "exceptions: 1" in out and "#ops: " in out and "is exception" in out
              and "E0260: 'create' is not allowed in this interpreter" in out, out + p.stderr.decode())
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

finish()
