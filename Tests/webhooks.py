#!/usr/bin/env python3
"""End to end: webhooks from a real `tms serve` to a real `tms listen`, both on 127.0.0.1.

    python3 Tests/webhooks.py PATH_TO_TMS

- trackings registered, the clock advanced: every status change arrives at `tms listen`, in
  the order it happened, each signed (verified: true), none lost when several trackings change
  in one advance; the sandbox's own record of deliveries agrees;
- a tampered body (timeStr changed, or signed with another email) is answered 401 and shows
  verified: false; the documented openssl command computes the same signature;
- a receiver that fails twice then succeeds gets three attempts and exactly one accepted;
- `sandbox advance` past a retry's time sends it at once;
- `tms listen --forward-to` relays the body unchanged to a test server and answers the sender
  with that server's answer;
- the language's `listen` verb streams events into a pipeline (`first 2`);
- the built-in sandbox sends its webhooks before a one-liner exits;
- URLs other than 127.0.0.1/localhost and a fifth URL are refused.

Prints one line per check and last "N passed, M failed"; exits 1 when a check failed.
"""
import hashlib, hmac, http.server, json, os, queue, re, socket, subprocess, sys, tempfile, threading, time, urllib.request

from checks import check, finish

TMS = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EMAIL = "sandbox@example.org"
ENV = {**os.environ, "NO_COLOR": "1", "SWIFT_BACKTRACE": "enable=no"}
processes = []


def run(args, stdin="", timeout=60, env=None):
    p = subprocess.run([TMS] + args, input=stdin.encode(), capture_output=True, timeout=timeout, env=env or ENV)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


class Receiver:
    """A test HTTP server on 127.0.0.1: records every POST and answers from a script of
    statuses (the last one repeats)."""

    def __init__(self, answers=(200,), body=b'{"ok":true}'):
        self.bodies, self.answers, self.body = [], list(answers), body
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = outer.answers[min(len(outer.bodies), len(outer.answers) - 1)]
                outer.bodies.append((status, data))
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count, seconds=15):
        deadline = time.time() + seconds
        while len(self.bodies) < count and time.time() < deadline:
            time.sleep(0.05)
        return self.bodies


class Listen:
    """A real `tms listen`: its JSON lines are read as they come."""

    def __init__(self, *args):
        self.p = subprocess.Popen([TMS, "listen", "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  stdin=subprocess.DEVNULL, env=ENV)
        processes.append(self.p)
        line = self.p.stderr.readline().decode().strip()
        m = re.match(r"listening on (http://127\.0\.0\.1:\d+)", line)
        self.url = (m.group(1) if m else "http://127.0.0.1:1") + "/hook"
        self.ready_line = line
        self.records = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.records.put(json.loads(line))

    def take(self, count, seconds=20):
        got, deadline = [], time.time() + seconds
        while len(got) < count and time.time() < deadline:
            try:
                got.append(self.records.get(timeout=0.1))
            except queue.Empty:
                pass
        return got

    def stop(self):
        self.p.send_signal(2)
        try:
            return self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            return None


def s10(serial):
    """A UPU S10 number (RR########CCN) with a valid check digit, as china-post uses."""
    body = f"{serial:08d}"
    check_digit = 11 - sum(int(c) * w for c, w in zip(body, [8, 6, 4, 2, 3, 5, 9, 7])) % 11
    check_digit = {10: 0, 11: 5}.get(check_digit, check_digit)
    return f"RR{body}{check_digit}CN"


def post(url, body):
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


with tempfile.TemporaryDirectory() as work:
    db = os.path.join(work, "serve.sqlite")

    def start_serve(*extra):
        server = subprocess.Popen([TMS, "serve", "--port", "0", "--db", db, *extra], stdout=subprocess.PIPE,
                                  stderr=open(os.path.join(work, "serve.log"), "a"), stdin=subprocess.DEVNULL, env=ENV)
        processes.append(server)
        return server, server.stdout.readline().decode().strip().replace("listening on ", "") + "/v2"

    def key(name):
        return run(["keys", "add", name, "--db", db])[1].strip().split("\n")[-1]

    def tms(api_key, endpoint, line, *options):
        return run(["--endpoint", endpoint, "--api-key-stdin", *options, "-c", line], stdin=api_key + "\n")

    def settled_deliveries(api_key, endpoint):
        """The account's count of delivery attempts once it stops growing (delivery is asynchronous)."""
        count, previous = -1, -2
        while count != previous:
            previous = count
            time.sleep(1)
            count = int(tms(api_key, endpoint, "sandbox webhook deliveries | count")[1].strip() or 0)
        return count

    try:
        alice = key("alice")
        server, url = start_serve("--webhook-retry-base", "0.2")
        listen = Listen("--email", EMAIL)
        check("tms listen starts on 127.0.0.1 and says where", listen.url.startswith("http://127.0.0.1:"), listen.ready_line)

        rc, out, err = tms(alice, url, "userinfo | select email", "--output", "jsonl")
        check("userinfo shows the account's email, which signs webhooks", json.loads(out or "{}").get("email") == EMAIL, out + err)

        rc, out, err = tms(alice, url, f"sandbox webhook add '{listen.url}'", "--output", "jsonl")
        check("sandbox webhook add registers the URL over HTTP", rc == 0 and listen.url in out, out + err)
        rc, out, err = tms(alice, url, "sandbox webhook list | select url statuses", "--output", "jsonl")
        check("sandbox webhook list shows it, for every status", json.loads(out.splitlines()[0]) == {"url": listen.url, "statuses": []} if out else False, out + err)

        # Several trackings change in one advance: every change arrives, in order, signed.
        numbers = [s10(12345670 + i) for i in range(6)]
        for n in numbers:
            tms(alice, url, f"create china-post {n}")
        rc, out, err = tms(alice, url, "sandbox advance 20d")
        rc, out, err = tms(alice, url, "list | select tracking_number status", "--output", "jsonl")
        final = {r["tracking_number"]: r["status"] for r in map(json.loads, out.splitlines())}
        expected = settled_deliveries(alice, url)
        events = listen.take(expected, seconds=30)
        time.sleep(0.5)
        extra = listen.take(1, seconds=0.5)
        check("one advance: as many events arrive as the sandbox delivered, and no more",
              expected >= len(numbers) and len(events) == expected and not extra, f"deliveries {expected}, received {len(events) + len(extra)}")
        by_number = {}
        for e in events:
            by_number.setdefault(e["tracking_number"], []).append(e["status"])
        check("no tracking's change is lost: each one's last event is its status now",
              all(by_number.get(n, [None])[-1] == final[n] for n in numbers if final.get(n) != "pending"), f"{by_number}\n{final}")
        check("no tracking sends the same status twice in a row",
              all(all(a != b for a, b in zip(s, s[1:])) for s in by_number.values()), by_number)
        # A parcel the carrier never finds has no checkpoint: its updated_at stays at creation.
        checkpoints = [e for e in events if e.get("lastEvent")]
        times = [e["updated_at"] for e in checkpoints]
        check("events arrive in the order they happened (their checkpoints' times never go back)", len(checkpoints) > len(numbers) and times == sorted(times),
              [(a["tracking_number"], a["status"], a["updated_at"], b["tracking_number"], b["status"], b["updated_at"])
               for a, b in zip(checkpoints, checkpoints[1:]) if a["updated_at"] > b["updated_at"]])
        check("every event is signed with the account's email (verified: true)", all(e.get("verified") is True for e in events),
              [e.get("verified") for e in events])
        check("an event is the tracking as get shows it (trackinfo included)",
              all("origin_info" in e and "carrier_code" in e for e in events), events[:1])
        rc, out, err = tms(alice, url, "sandbox webhook deliveries | select outcome answer_status | uniq", "--output", "jsonl")
        check("the sandbox recorded each as delivered with the receiver's 200",
              [json.loads(l) for l in out.splitlines()] == [{"outcome": "delivered", "answer_status": 200}], out + err)
        rc, out, err = tms(alice, url, "sandbox webhook deliveries | first", "--output", "json")
        d = json.loads(out or "{}")
        body = json.loads(d.get("body", "{}"))
        check("a delivery shows its URL, body, signature and answer, and the body is the v2 shape",
              d.get("url") == listen.url and set(body) == {"meta", "data", "verifyInfo"} and body["verifyInfo"]["signature"] == d.get("signature"), d)
        check("no delivery shows the email that keys the signature", EMAIL not in out, out[:300])

        # The signature, by hand and with the documented openssl command.
        time_str = body["verifyInfo"]["timeStr"]
        mine = hmac.new(EMAIL.encode(), time_str.encode(), hashlib.sha256).hexdigest()
        check("the signature is hex HMAC-SHA256 of timeStr keyed with the email", mine == body["verifyInfo"]["signature"], (mine, body["verifyInfo"]))
        doc = open(os.path.join(ROOT, "docs/webhooks.md")).read()
        m = re.search(r"```sh\n# verify with openssl\n(.*?)```", doc, re.S)
        script = m.group(1) if m else "exit 9"
        p = subprocess.run(["sh", "-c", script], capture_output=True, env={**ENV, "BODY": d.get("body", ""), "EMAIL": EMAIL})
        check("the openssl snippet of docs/webhooks.md accepts a real webhook", p.returncode == 0 and b"verified" in p.stdout, p.stdout + p.stderr)
        tampered = json.loads(d["body"])
        tampered["verifyInfo"]["timeStr"] = str(int(time_str) + 3600)
        p = subprocess.run(["sh", "-c", script], capture_output=True, env={**ENV, "BODY": json.dumps(tampered), "EMAIL": EMAIL})
        check("the openssl snippet rejects a tampered timeStr", p.returncode != 0, p.stdout + p.stderr)

        # A tampered body is rejected by tms listen.
        status, answer = post(listen.url, json.dumps(tampered).encode())
        got = listen.take(1)
        check("tms listen answers 401 (4502) to a tampered body", status == 401 and b"4502" in answer, (status, answer))
        check("... and still shows it, with verified: false", len(got) == 1 and got[0].get("verified") is False, got)
        forged = json.loads(d["body"])
        forged["verifyInfo"]["signature"] = hmac.new(b"someone@else.org", time_str.encode(), hashlib.sha256).hexdigest()
        status, _ = post(listen.url, json.dumps(forged).encode())
        got = listen.take(1)
        check("a body signed with another email is rejected too", status == 401 and got and got[0].get("verified") is False, (status, got))
        status, answer = post(listen.url, b"not json")
        check("a body that is not a webhook is answered 400 (4503)", status == 400 and b"4503" in answer, (status, answer))

        # Many trackings at once: 40 seeded, 10 days pass; every tracking that changed sends its new status.
        bob = key("bob")
        tms(bob, url, "sandbox seed 40")
        rc, out, err = tms(bob, url, "list limit=100 | select tracking_number status", "--output", "jsonl")
        before = {r["tracking_number"]: r["status"] for r in map(json.loads, out.splitlines())}
        tms(bob, url, f"sandbox webhook add '{listen.url}'")
        tms(bob, url, "sandbox advance 10d")
        rc, out, err = tms(bob, url, "list limit=100 | select tracking_number status", "--output", "jsonl")
        after = {r["tracking_number"]: r["status"] for r in map(json.loads, out.splitlines())}
        changed = {n for n in after if before.get(n) != after[n]}
        expected = settled_deliveries(bob, url)
        got = listen.take(expected, seconds=30)
        last = {}
        for e in got:
            last[e["tracking_number"]] = e["status"]
        check(f"40 trackings, one advance: each of the {len(changed)} that changed sends its new status, none lost",
              len(changed) >= 5 and len(got) == expected and all(last.get(n) == after[n] for n in changed) and set(last) == changed,
              f"changed {len(changed)}, events {len(got)} of {expected}, missing {[n for n in changed if last.get(n) != after[n]]}")
        tms(bob, url, f"sandbox webhook remove '{listen.url}'")

        ONE, TWO, THREE = s10(22345670), s10(32345670), s10(42345670)

        # A receiver that fails twice, then succeeds.
        flaky = Receiver(answers=(500, 503, 200))
        tms(alice, url, f"sandbox webhook add '{flaky.url}' delivered")
        rc, out, err = tms(alice, url, f"sandbox trigger delivered china-post {ONE}", "--output", "jsonl")
        check("sandbox trigger moves the tracking to delivered now", rc == 0 and json.loads(out or "{}").get("status") == "delivered", out + err)
        attempts = flaky.wait(3, seconds=15)
        time.sleep(1.5)
        check("a receiver failing twice gets three attempts, one accepted",
              [s for s, _ in flaky.bodies] == [500, 503, 200], [s for s, _ in flaky.bodies])
        rc, out, err = tms(alice, url, f"sandbox webhook deliveries | where url == '{flaky.url}' | select attempt outcome answer_status", "--output", "jsonl")
        rows = [json.loads(l) for l in out.splitlines()]
        check("deliveries show attempts 1, 2 retrying and 3 delivered",
              rows == [{"attempt": 1, "outcome": "retrying", "answer_status": 500}, {"attempt": 2, "outcome": "retrying", "answer_status": 503},
                       {"attempt": 3, "outcome": "delivered", "answer_status": 200}], rows)
        check("the URL registered for delivered only got only that event", all(json.loads(b)["data"]["status"] == "delivered" for _, b in flaky.bodies))
        listen.take(5, seconds=1)
        tms(alice, url, f"sandbox webhook remove '{flaky.url}'")

        # Only 127.0.0.1 and localhost; up to 4 URLs.
        rc, out, err = tms(alice, url, "sandbox webhook add 'http://example.com/hook'")
        check("a URL outside 127.0.0.1/localhost is refused", rc != 0 and "--webhook-hosts" in err, err)
        for i in range(3):
            tms(alice, url, f"sandbox webhook add 'http://localhost:{9 + i}/x'")
        rc, out, err = tms(alice, url, "sandbox webhook add 'http://localhost:20/x'")
        check("a fifth URL is refused: up to 4 per account", rc != 0 and "up to 4" in err, err)
        for i in range(3):
            tms(alice, url, f"sandbox webhook remove 'http://localhost:{9 + i}/x'")
        rc, out, err = tms(alice, url, "sandbox webhook remove 'http://localhost:20/x'")
        check("removing a URL that is not registered says so", rc != 0 and "no webhook is registered" in err.lower(), err)

        # --forward-to relays the body unchanged and answers with the handler's answer.
        handler = Receiver(answers=(202,), body=b"handled by the test server")
        relay = Listen("--email", EMAIL, "--forward-to", handler.url)
        tms(alice, url, f"sandbox webhook remove '{listen.url}'")
        tms(alice, url, f"sandbox webhook add '{relay.url}'")
        mark = int(tms(alice, url, "sandbox webhook deliveries | count")[1].strip() or 0)
        tms(alice, url, f"sandbox trigger exception china-post {ONE}")
        got = relay.take(1)
        handler.wait(1)
        time.sleep(0.3)
        rc, out, err = tms(alice, url, f"sandbox webhook deliveries | last", "--output", "json")
        d = json.loads(out or "{}")
        check("--forward-to relays the body to the handler byte for byte",
              len(handler.bodies) == 1 and handler.bodies[0][1].decode() == d.get("body"), (handler.bodies, d.get("body")))
        check("... shows the handler's answer in the record",
              got and got[0].get("forward_status") == 202 and got[0].get("forward_answer") == "handled by the test server", got)
        check("... and the sandbox got the handler's answer", d.get("answer_status") == 202 and d.get("answer") == "handled by the test server", d)
        check("tms listen ends on Ctrl-C with exit 0", relay.stop() == 0)
        tms(alice, url, f"sandbox webhook remove '{relay.url}'")

        # A relay that points back at its own listener stops at the second pass.
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            free = sock.getsockname()[1]
        loop = subprocess.Popen([TMS, "listen", "--port", str(free), "--forward-to", f"http://127.0.0.1:{free}/"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=ENV)
        processes.append(loop)
        loop.stderr.readline()
        status, answer = post(f"http://127.0.0.1:{free}/", json.dumps(tampered).encode())
        check("--forward-to back at the listener itself ends with 508, not a loop", status == 508 and b"Loop Detected" in answer, (status, answer))
        loop.kill()

        # explain and trace show deliveries, with nothing secret.
        seen = Receiver(answers=(202,), body=b"thanks")
        tms(alice, url, f"sandbox webhook add '{seen.url}' delivered")
        rc, out, err = tms(alice, url, f"explain sandbox trigger delivered china-post {ONE}")
        check("explain names the URL a change would go to, and sends nothing",
              rc == 0 and seen.url in out and "not now" in out and not seen.wait(1, seconds=1), out + err)
        rc, out, err = tms(alice, url, f"sandbox trigger delivered china-post {ONE} | count", "--trace")
        trace = [l for l in err.splitlines() if "webhook #" in l]
        check("trace shows the delivery a write caused: URL, attempt, the receiver's answer",
              len(trace) == 1 and seen.url in trace[0] and "-> 202 delivered" in trace[0], err)
        check("... in one line under trace on", "signature: " not in err and '"verifyInfo"' not in err, err)
        rc, out, err = tms(alice, url, f"sandbox trigger delivered china-post {ONE} | count", "--trace-full")
        check("trace full adds its signature, body and the answer's text", "signature: " in err and '"verifyInfo"' in err and "answer: thanks" in err, err)
        check("... and never the key or the email", alice not in err and EMAIL not in err, err)
        tms(alice, url, f"sandbox webhook remove '{seen.url}'")

        # tms listen's own limits and mistakes.
        started = time.time()
        rc, out, err = run(["listen", "--timeout", "1s"], timeout=20)
        check("tms listen --timeout 1s stops after a second, exit 0", rc == 0 and 0.9 < time.time() - started < 10, (rc, err))
        rc, out, err = run(["listen", "--port", "70000"])
        check("tms listen --port 70000 is a usage error (exit 2) that says why", rc == 2 and "--port must be from 0 to 65535" in err, (rc, err))
        rc, out, err = run(["listen", "--timeout", "soon"])
        check("tms listen --timeout soon is a usage error", rc == 2 and "--timeout" in err, (rc, err))
        taken = Listen()
        rc, out, err = run(["listen", "--port", taken.url.split(":")[2].split("/")[0]])
        check("tms listen on a taken port says so", rc == 2 and "the port is taken" in err, (rc, err))
        taken.stop()

        # The language's listen verb: a lazy stream that `first 2` ends.
        verb = subprocess.Popen([TMS, "-c", f"listen email={EMAIL} | first 2 | select tracking_number status verified", "--output", "jsonl"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=ENV)
        processes.append(verb)
        line = verb.stderr.readline().decode().strip()
        m = re.match(r"listening on (http://127\.0\.0\.1:\d+)", line)
        check("the listen verb says where it listens", m is not None, line)
        hook = (m.group(1) if m else "http://127.0.0.1:1") + "/"
        tms(alice, url, f"sandbox webhook add '{hook}' delivered exception")
        tms(alice, url, f"sandbox trigger delivered china-post {ONE}")
        tms(alice, url, f"sandbox trigger exception china-post {ONE}")
        try:
            out, err = verb.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            verb.kill()
            out, err = verb.communicate()
        rows = [json.loads(l) for l in out.decode().splitlines()]
        check("listen | first 2 ends after two webhooks, each a verified record",
              verb.returncode == 0 and rows == [{"tracking_number": ONE, "status": s, "verified": True} for s in ("delivered", "exception")],
              (verb.returncode, out, err))
        tms(alice, url, f"sandbox webhook remove '{hook}'")

        # In a script, each event's output shows as it comes, and Ctrl-C ends the stream, not the script.
        script = os.path.join(work, "deliveries.tms")
        open(script, "w").write('listen | where status == delivered | each { print "deliver ${it.tracking_number}" }\nprint "after the stream"\n')
        runner = subprocess.Popen([TMS, script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=ENV)
        processes.append(runner)
        m = re.match(r"listening on (http://127\.0\.0\.1:\d+)", runner.stderr.readline().decode())
        hook = (m.group(1) if m else "http://127.0.0.1:1") + "/"
        tms(alice, url, f"sandbox webhook add '{hook}'")
        tms(alice, url, f"sandbox trigger transit china-post {ONE}")
        tms(alice, url, f"sandbox trigger delivered china-post {ONE}")
        first = runner.stdout.readline().decode().strip()
        check("a script's listen | each { print } prints each delivery as it arrives", first == f"deliver {ONE}", first)
        runner.send_signal(2)
        try:
            out, err = runner.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            runner.kill()
            out, err = runner.communicate()
        check("Ctrl-C ends the stream and the script goes on, exit 0",
              runner.returncode == 0 and out.decode() == "after the stream\n", (runner.returncode, out, err))
        tms(alice, url, f"sandbox webhook remove '{hook}'")
        server.terminate()
        server.wait(timeout=10)

        # The clock: with the published schedule (30 s first), advance sends a retry at once.
        server, url = start_serve()
        slow = Receiver(answers=(500, 200))
        tms(alice, url, f"sandbox webhook add '{slow.url}'")
        tms(alice, url, f"sandbox trigger transit china-post {TWO}")
        slow.wait(1)
        time.sleep(0.5)
        check("with the published schedule the retry waits", len(slow.bodies) == 1, [s for s, _ in slow.bodies])
        tms(alice, url, "sandbox advance 1m")
        slow.wait(2, seconds=10)
        check("sandbox advance past the retry's time sends it at once", [s for s, _ in slow.bodies][:2] == [500, 200], [s for s, _ in slow.bodies])
        tms(alice, url, f"sandbox webhook remove '{slow.url}'")
        server.terminate()
        server.wait(timeout=10)

        # The built-in sandbox sends before a one-liner exits.
        local = Receiver()
        rc, out, err = run(["--sandbox", os.path.join(work, "local.sqlite"), "-c",
                            f"sandbox webhook add '{local.url}'; sandbox trigger delivered china-post {THREE} | select status"])
        local.wait(1, seconds=5)
        check("the built-in sandbox delivers before tms exits", rc == 0 and len(local.bodies) == 1 and json.loads(local.bodies[0][1])["data"]["status"] == "delivered",
              (rc, out, err, local.bodies))

        # In the interactive shell: Ctrl-C ends listen's stream (the entry shows what came), and
        # Ctrl-C is the shell's again afterwards.
        session = f"tms-webhooks-{os.getpid()}"
        home = os.path.join(work, "home")
        os.makedirs(home, exist_ok=True)
        subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "150", "-y", "40",
                        f"env NO_COLOR=1 HOME={home} XDG_DATA_HOME={home}/data XDG_STATE_HOME={home}/state "
                        f"{TMS} --sandbox {os.path.join(work, 'repl.sqlite')} -X --no-pager"], check=False)
        def keys(*k):
            subprocess.run(["tmux", "send-keys", "-t", session, *k], check=False)
            time.sleep(1)
        def screen():
            return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
        try:
            time.sleep(1.5)
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            keys(f"listen {port} | count", "Enter")
            run(["--sandbox", os.path.join(work, "local.sqlite"), "-c",
                 f"sandbox webhook add 'http://127.0.0.1:{port}/'; sandbox trigger delivered china-post {THREE}; sandbox trigger pending china-post {THREE}"])
            keys("C-c")
            keys("sleep 20s", "Enter")
            keys("C-c")
            keys("echo still-here", "Enter")
            text = screen()
            check("the shell: Ctrl-C ends listen's stream and the entry shows what came (2)",
                  re.search(r"\^C2\s*$", text, re.M) is not None, text)
            check("... and Ctrl-C is the shell's again (sleep is interrupted, the session goes on)",
                  "interrupted after" in text and "still-here" in text, text)
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], check=False, capture_output=True)
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()

finish()
