#!/usr/bin/env python3
"""The sandbox answers as the real v2 API does: checks against a `tms serve` on 127.0.0.1.

    python3 Tests/fidelity.py PATH_TO_TMS

1. The API document's PUT example, answered field by field and in the document's order.
2. Carrier codes and tracking numbers in any case name one tracking.
3. Eight concurrent clients: the quota falls by exactly the number of trackings added, and
   concurrent PUTs to different fields of one tracking all survive (figures printed).
4. `tms keys add --quota` and `tms keys quota`; billing of remote and aircargo.
5. `tms serve --limits live`: over the published rate, meta 429 with the wait.
6. POST /trackings/get with page, limit and filters in a JSON body (the later PHP library).
7. The PyPI `trackingmore` 0.2 client's whole flow (create, batch, get, list, detect,
   realtime, update, delete) against tms serve, and every code of its carrier table.

The PyPI client is installed by `make setup` into .build/python (or here, when missing).
Prints one line per check and last "N passed, M failed"; exits 1 when a check failed.
"""
import json, os, subprocess, sys, tempfile, threading, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, finish

TMS = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON_DIR = os.path.join(ROOT, ".build", "python")


def tms(*args):
    p = subprocess.run([TMS, *args], capture_output=True, timeout=60, stdin=subprocess.DEVNULL,
                       env={**os.environ, "SWIFT_BACKTRACE": "enable=no"})
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def new_key(db, name, *extra):
    rc, out, err = tms("keys", "add", name, "--db", db, *extra)
    return out.strip().split("\n")[-1]


class Server:
    def __init__(self, db, *extra):
        self.process = subprocess.Popen([TMS, "serve", "--port", "0", "--db", db, *extra], stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        line = self.process.stdout.readline().decode().strip()
        self.url = line.replace("listening on ", "") + "/v2"

    def send(self, key, method, path, body=None):
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Trackingmore-Api-Key": key, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.loads(answer.read())

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


def run_clients(count, work):
    """Runs work(client) on `count` threads at once; returns their results in order."""
    results = [None] * count
    start = threading.Barrier(count)

    def client(i):
        start.wait()
        results[i] = work(i)
    threads = [threading.Thread(target=client, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


DOCUMENT_BODY = {"title": "new title", "logistics_channel": "4PX挂号小包", "customer_name": "sandy",
                 "customer_email": "example@abc.com", "order_id": "986574521568", "destination_code": "CN",
                 "archived": "true", "status": 7}
DOCUMENT_FIELDS = ["id", "tracking_number", "carrier_code", "created_at", "updated_at", "customer_email", "customer_name",
                   "order_id", "title", "destination_code", "customer_phone", "archived", "status", "logistics_channel"]


def pypi_client():
    """The `trackingmore` 0.2 module from PyPI, installed into .build/python when missing."""
    if not os.path.isdir(os.path.join(PYTHON_DIR, "trackingmore")):
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--target", PYTHON_DIR,
                        "trackingmore==0.2"], check=True, timeout=300)
    sys.path.insert(0, PYTHON_DIR)
    # The package re-exports the module's names; its functions read the module's BASE_URL.
    import trackingmore.trackingmore as client
    return client


with tempfile.TemporaryDirectory() as work:
    db = os.path.join(work, "serve.sqlite")
    key = new_key(db, "fidelity")
    server = Server(db)
    try:
        # 1. The document's PUT example.
        server.send(key, "POST", "/trackings/post", {"tracking_number": "RX478151548DE", "carrier_code": "yanwen"})
        answer = server.send(key, "PUT", "/trackings/yanwen/RX478151548DE", DOCUMENT_BODY)
        data = answer["data"]
        check("PUT of the document's example answers 200", answer["meta"]["code"] == 200, answer["meta"])
        check("its data holds exactly the document's fields, in the document's order", list(data) == DOCUMENT_FIELDS, list(data))
        for name in ["title", "logistics_channel", "customer_name", "customer_email", "order_id", "destination_code"]:
            check(f"  {name} is what was sent", data.get(name) == DOCUMENT_BODY[name], data.get(name))
        check("  archived is the string \"true\"", data.get("archived") == "true", data.get("archived"))
        check("  status is the string \"7\", the code that was set", data.get("status") == "7", data.get("status"))
        check("  tracking_number, carrier_code and id name the tracking",
              (data.get("tracking_number"), data.get("carrier_code"), len(data.get("id", ""))) == ("RX478151548DE", "yanwen", 32), data)
        read = server.send(key, "GET", "/trackings/yanwen/RX478151548DE")["data"]
        check("GET still answers the full tracking with the status word",
              read.get("status") == "exception" and read.get("archived") is True and "origin_info" in read, read.get("status"))

        # 2. Case.
        first = server.send(key, "POST", "/trackings/post", {"tracking_number": "rr123456785cn", "carrier_code": "China-Post"})
        check("a create with China-Post is stored as china-post, the number in upper case",
              (first["data"].get("carrier_code"), first["data"].get("tracking_number")) == ("china-post", "RR123456785CN"), first)
        again = server.send(key, "POST", "/trackings/post", {"tracking_number": "RR123456785CN", "carrier_code": "china-post"})
        check("the same tracking in another case answers 4016", again["meta"]["code"] == 4016, again["meta"])
        check("GET /trackings/CHINA-POST/rr123456785cn finds it",
              server.send(key, "GET", "/trackings/CHINA-POST/rr123456785cn")["meta"]["code"] == 200)
        listed = server.send(key, "GET", "/trackings/get?numbers=rr123456785cn,RR123456785CN")["data"]
        check("numbers=rr123456785cn,RR123456785CN lists one tracking", listed["total"] == "1", listed)

        # Numbers and text fields are checked before the store (the catalog's rules).
        huge = server.send(key, "POST", "/trackings/post", {"tracking_number": "A" * 100000, "carrier_code": "ups"})
        check("a 100,000-character number answers 4014", huge["meta"]["code"] == 4014, huge["meta"])
        long_title = server.send(key, "POST", "/trackings/post", {"tracking_number": "1Z999AA10123456784", "carrier_code": "ups",
                                                                   "title": "t" * 300})
        check("a 300-character title answers 4012", long_title["meta"]["code"] == 4012, long_title["meta"])
        check("  and neither reached the store", server.send(key, "GET", "/trackings/get")["data"]["total"] == "2")

        # 3. Eight concurrent clients.
        load = new_key(db, "load", "--quota", "1000")

        def creates(client):
            added = 0
            for b in range(4):
                items = [{"carrier_code": "sto", "tracking_number": f"9{client}{b}{1000 + i}00"} for i in range(40)]
                added += server.send(load, "POST", "/trackings/batch", items)["data"].get("added", 0)
            for i in range(40):
                one = server.send(load, "POST", "/trackings/post", {"carrier_code": "sto", "tracking_number": f"8{client}{10000 + i}0"})
                added += one["meta"]["code"] == 200
            return added
        started = time.time()
        added = sum(run_clients(8, creates))
        left = server.send(load, "GET", "/trackings/getuserinfo")["data"]["track_number"]
        total = server.send(load, "GET", "/trackings/get?limit=1")["data"]["total"]
        print(f"      8 clients sent 1600 creates on a quota of 1000: {added} added, quota left {left}, "
              f"{total} stored ({time.time() - started:.1f} s)")
        check("8 concurrent clients: exactly 1000 of 1600 creates added on a quota of 1000", added == 1000, added)
        check("the quota fell by exactly the number added (to 0)", left == 0, left)
        check("the account holds exactly 1000 trackings", total == "1000", total)

        server.send(key, "POST", "/trackings/post", {"tracking_number": "402934299065", "carrier_code": "sto"})
        fields = ["title", "logistics_channel", "customer_name", "customer_email", "customer_phone", "order_id",
                  "destination_code", "archived"]
        lost = acknowledged = 0
        for round in range(35):
            def put(i, round=round):
                name = fields[i]
                value = ("true" if round % 2 == 0 else "false") if name == "archived" else f"{name}-{round}"
                return server.send(key, "PUT", "/trackings/sto/402934299065", {name: value})["meta"]["code"] == 200
            acknowledged += sum(run_clients(8, put))
            now = server.send(key, "GET", "/trackings/sto/402934299065")["data"]
            for name in fields:
                expected = (round % 2 == 0) if name == "archived" else f"{name}-{round}"
                lost += now.get(name) != expected
        print(f"      35 rounds of 8 concurrent PUTs to different fields: {acknowledged} acknowledged, {lost} lost")
        check("8 concurrent clients PUT different fields of one tracking: all 280 acknowledged, none lost",
              acknowledged == 280 and lost == 0, f"{acknowledged} acknowledged, {lost} lost")

        # 4. Quotas from the command line, and billing.
        rc, out, err = tms("keys", "quota", "load", "--db", db)
        check("tms keys quota NAME shows what is left", rc == 0 and "quota of 'load': 0" in out, out + err)
        rc, out, err = tms("keys", "quota", "load", "100000", "--db", db)
        check("tms keys quota NAME 100000 sets it", rc == 0 and
              server.send(load, "GET", "/trackings/getuserinfo")["data"]["track_number"] == 100000, out + err)
        rc, out, err = tms("keys", "quota", "nobody", "5", "--db", db)
        check("tms keys quota of an unknown key fails with a message", rc != 0 and "no key named 'nobody'" in err, err)
        rc, out, err = tms("keys", "add", "neg", "--quota", "-1", "--db", db)
        check("tms keys add --quota -1 is refused", rc != 0 and "quota" in err, err)
        for _ in range(5):
            server.send(load, "POST", "/trackings/remote", [{"country": "JP", "postcode": "7600000"}])
        server.send(load, "POST", "/trackings/aircargo", {"track_number": ["172-12345675"]})
        left = server.send(load, "GET", "/trackings/getuserinfo")["data"]["track_number"]
        check("5 remote calls use 1 quota and an air waybill 20", left == 100000 - 21, left)

        # 6. POST /trackings/get with a JSON body.
        page = server.send(load, "POST", "/trackings/get", {"page": 2, "limit": 10, "created_at_min": 0})
        check("POST /trackings/get reads page and limit from the body",
              page["meta"]["code"] == 200 and page["data"].get("page") == 2 and page["data"].get("limit") == 10
              and len(page["data"].get("items", [])) == 10, page.get("meta"))
        two = [t["tracking_number"] for t in server.send(load, "GET", "/trackings/get?limit=2")["data"]["items"]]
        some = server.send(load, "POST", "/trackings/get", {"numbers": ",".join(two), "status": "pending"})
        check("  and its filters", some["meta"]["code"] == 200 and some["data"].get("total") == "2", some)
        bad = server.send(load, "POST", "/trackings/get", {"limit": 5000})
        check("  a limit over 2000 in the body answers 4012", bad["meta"]["code"] == 4012, bad["meta"])

        # 7. The PyPI client.
        try:
            trackingmore = pypi_client()
        except Exception as e:
            trackingmore = None
            check("the PyPI trackingmore 0.2 client installs", False, e)
        if trackingmore:
            trackingmore.BASE_URL = server.url
            # Never anywhere but the tms serve on 127.0.0.1.
            assert trackingmore.BASE_URL.startswith("http://127.0.0.1:"), trackingmore.BASE_URL
            client_key = new_key(db, "pypi")
            trackingmore.set_api_key(client_key)
            data = trackingmore.create_tracking_data("yanwen", "RX478151565DE", title="Shoes", customer_name="Ann",
                                                     customer_email="ann@example.org", order_id="#123", lang="en")
            created = dict(trackingmore.create_tracking_item(data))
            for name in ["id", "created_at", "status"]:
                created.pop(name, None)
            expected = dict(data)
            expected.pop("lang")
            check("pypi: create_tracking_item answers what was sent, lang aside, plus id, created_at, status",
                  created == expected, created)
            got = trackingmore.get_tracking_item("yanwen", "RX478151565DE")
            check("pypi: get_tracking_item", got.get("tracking_number") == "RX478151565DE" and got.get("title") == "Shoes", got)
            live = trackingmore.realtime_tracking(trackingmore.create_tracking_data("yanwen", "RX478151565DE"))
            check("pypi: realtime_tracking", live["items"][0]["tracking_number"] == "RX478151565DE", live)
            updated = trackingmore.update_tracking_item(dict(data, title="new_title"))
            check("pypi: update_tracking_item (it sends no body)", updated.get("tracking_number") == "RX478151565DE", updated)
            check("pypi: delete_tracking_item answers []", trackingmore.delete_tracking_item("yanwen", "RX478151565DE") == [])
            trackingmore.create_tracking_item(trackingmore.create_tracking_data("china-ems", "EA152563251CN"))
            batch = trackingmore.create_tracking_items_batch([
                trackingmore.create_tracking_data("china-ems", "EA152563251CN"),
                trackingmore.create_tracking_data("china-post", "RR123456785CN", title="Books"),
                trackingmore.create_tracking_data("ups", "1Z999AA10123456784"),
                trackingmore.create_tracking_data("yanwen", "RX478151565DE"),
            ])
            check("pypi: create_tracking_items_batch reports 4 submitted, 3 added, 1 error",
                  (batch["submitted"], batch["added"], len(batch["trackings"]), len(batch["errors"])) == (4, 3, 3, 1), batch)
            everything = trackingmore.get_all_trackings()
            check("pypi: get_all_trackings lists the 4", len(everything["data"]["items"]) == 4, everything.get("meta"))
            for carrier, number in [("china-ems", "EA152563251CN"), ("china-post", "RR123456785CN"), ("ups", "1Z999AA10123456784")]:
                found = trackingmore.detect_carrier_from_code(number)
                check(f"pypi: detect_carrier_from_code({number}) names {carrier}", any(r["code"] == carrier for r in found), found)
            try:
                trackingmore.get_tracking_item("yanwen", "RX000000000DE")
                check("pypi: an unknown tracking raises TrackingMoreAPIException 4017", False)
            except trackingmore.TrackingMoreAPIException as e:
                check("pypi: an unknown tracking raises TrackingMoreAPIException 4017", e.err_code == 4017, e.err_code)
            for carrier, number in [("china-ems", "EA152563251CN"), ("china-post", "RR123456785CN"),
                                    ("ups", "1Z999AA10123456784"), ("yanwen", "RX478151565DE")]:
                trackingmore.delete_tracking_item(carrier, number)
            check("pypi: after the cleanup the account is empty",
                  server.send(client_key, "GET", "/trackings/get")["data"]["total"] == "0")
            known = {c["code"] for c in server.send(client_key, "GET", "/carriers")["data"]}
            table = [(country, name, code) for country, couriers in trackingmore.COURIERS.items() for name, code in couriers.items()]
            missing = [code for _, _, code in table if code not in known]
            check(f"pypi: every code of the client's carrier table ({len(table)}) is in GET /carriers", not missing and table, missing)
            with open(os.path.join(ROOT, "Tests", "Data", "client-carrier-codes.tsv"), encoding="utf-8") as f:
                kept = [line.split("\t") for line in f.read().splitlines() if line and not line.startswith("#")]
            check("Tests/Data/client-carrier-codes.tsv holds every code of the installed package's table, from pypi-0.2",
                  {code for _, _, code in table} <= {row[0] for row in kept if row[2] == "pypi-0.2"}, kept)
            check("every code of Tests/Data/client-carrier-codes.tsv is in GET /carriers",
                  all(row[0] in known for row in kept), [row[0] for row in kept if row[0] not in known])
            refused = []
            for i, (_, _, code) in enumerate(table):
                answer = server.send(client_key, "POST", "/trackings/post", {"carrier_code": code, "tracking_number": f"IT{1000000 + i}"})
                if answer["meta"]["code"] != 200:
                    refused.append((code, answer["meta"]["code"]))
            check("pypi: a tracking can be created with each of them (nexive and sgt-it included)", not refused, refused)
    finally:
        server.stop()

    # 5. Rate limits.
    limited = Server(db, "--limits", "live")
    try:
        fast = new_key(db, "fast")
        first = limited.send(fast, "GET", "/trackings/get")
        second = limited.send(fast, "GET", "/trackings/getuserinfo")
        check("--limits live: the first call is answered", first["meta"]["code"] == 200, first["meta"])
        check("--limits live: a second call in the same second answers meta 429 with the wait",
              second["meta"]["code"] == 429 and second["meta"]["type"] == "Too Many Requests"
              and "wait 120 seconds" in second["meta"]["message"], second["meta"])
        check("--limits live: other accounts are not held back", limited.send(key, "GET", "/trackings/get")["meta"]["code"] == 200)
        check("--limits live: the sandbox's own controls are never limited",
              limited.send(fast, "GET", "/sandbox/clock")["meta"]["code"] == 200)
        # tms paces itself at the published rate: five calls in a row, none over the limit.
        paced = new_key(db, "paced")
        started = time.time()
        p = subprocess.run([TMS, "--endpoint", limited.url, "--api-key-stdin", "--rate", "1", "-c",
                            "create sto 402934299065 | count; get sto 402934299065 | count; list | count; userinfo | count; "
                            "statusnumber | count"], input=(paced + "\n").encode(), capture_output=True, timeout=120,
                           env={**os.environ, "NO_COLOR": "1"})
        took = time.time() - started
        check("--limits live: tms --rate 1 paces five calls under the limit (no 429)",
              p.returncode == 0 and p.stdout.decode().split() == ["1"] * 5 and "429" not in p.stderr.decode() and took >= 3.5,
              f"exit {p.returncode}, {took:.1f} s\n{p.stdout.decode()}{p.stderr.decode()}")
        # A bulk call with 4 requests in flight still goes at the rate: 4 calls of 40, none refused.
        rows = "carrier_code,tracking_number\n" + "".join(f"usps,9400{n:014d}\n" for n in range(1, 161))
        started = time.time()
        p = subprocess.run([TMS, "--endpoint", limited.url, "--rate", "1", "--in-flight", "4", "-c", "$in | create | each { $it.added }"],
                           input=rows.encode(), capture_output=True, timeout=120,
                           env={**os.environ, "NO_COLOR": "1", "TRACKINGMORE_API_KEY": new_key(db, "window")})
        took = time.time() - started
        check("--limits live: a bulk of 4 calls with 4 in flight keeps to tms --rate 1 (no 429)",
              p.returncode == 0 and p.stdout.decode().split() == ["160"] and "429" not in p.stderr.decode() and took >= 2.5,
              f"exit {p.returncode}, {took:.1f} s\n{p.stdout.decode()}{p.stderr.decode()}")
    finally:
        limited.stop()
    rc, out, err = tms("serve", "--limits", "fast", "--db", db)
    check("tms serve --limits fast is refused", rc != 0 and "--limits must be off or live" in err, err)

finish()
