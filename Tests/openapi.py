#!/usr/bin/env python3
"""Checks docs/openapi.yaml against the catalog and against a running `tms serve`:

    python3 Tests/openapi.py PATH_TO_TMS

1. checks that docs/openapi.yaml is exactly what `tms openapi` prints (the document is generated
   from the catalog; `make openapi` rewrites it), and that `tms openapi --json` is the same document;
2. validates the document with openapi-spec-validator, and checks its operations: unique ids, the
   sandbox's controls marked, bulk bodies of at most 40, every answer a oneOf with ErrorEnvelope;
   every operation with a body or query parameters shows a request example, and each example
   validates against its parameter's or body's schema;
3. starts `tms serve --port 0` on 127.0.0.1 with a temporary database and key, seeds it, calls
   every operation on a success path and on the important error paths, and validates each
   answer against the operation's response schema (the `$ref`s resolved within the document).

Prints one line per check and, last, "N passed, M failed"; exits 1 when a check failed.
Needs PyYAML, jsonschema 4.x (with referencing) and openapi-spec-validator: `make setup` installs
what the machine lacks into .build/python, which is searched too.
"""
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, ".build", "python"))

import yaml  # noqa: E402 - after the path of what make setup installs
from jsonschema import Draft202012Validator  # noqa: E402
from openapi_spec_validator import validate as validate_spec  # noqa: E402
from referencing import Registry  # noqa: E402
from referencing.jsonschema import DRAFT202012  # noqa: E402

DOC_PATH = os.path.join(ROOT, "docs", "openapi.yaml")
DOC_URI = "urn:tms:openapi"
TIMEOUT = 20
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {name}")
    else:
        failed += 1
        print(f"FAIL  {name}")
        for line in str(detail).splitlines()[:12]:
            print(f"      | {line[:300]}")


# ------------------------------------------------------------------ the document


def load_doc():
    with open(DOC_PATH, encoding="utf-8") as f:
        return yaml.safe_load(f)


def generated(tms, *args):
    """(exit code, stdout, stderr) of `tms openapi ARGS`."""
    r = subprocess.run([tms, "openapi", *args], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def generation_checks(tms):
    rc, text, err = generated(tms)
    check("tms openapi prints the document", rc == 0 and text.startswith("# Generated from the API catalog"), err or text[:300])
    with open(DOC_PATH, encoding="utf-8") as f:
        committed = f.read()
    diff = "\n".join(difflib.unified_diff(committed.splitlines(), text.splitlines(), "docs/openapi.yaml", "tms openapi", lineterm="", n=1))
    check("docs/openapi.yaml is exactly the output of tms openapi (make openapi rewrites it)", committed == text, diff)
    rc2, again, _ = generated(tms)
    check("tms openapi prints the same text every time", rc2 == 0 and again == text)
    rc, js, err = generated(tms, "--json")
    try:
        parsed = json.loads(js)
    except ValueError as e:
        parsed = e
    check("tms openapi --json is the same document as the YAML", rc == 0 and parsed == yaml.safe_load(text), err or parsed)
    rc, _, err = generated(tms, "--yaml")
    check("tms openapi --yaml (no such option) exits 2 with a message", rc == 2 and "--yaml" in err, err)


def operations(doc):
    """{(METHOD, path): operation}"""
    ops = {}
    for path, item in (doc.get("paths") or {}).items():
        for method, op in item.items():
            if method in METHODS:
                ops[(method.upper(), path)] = op
    return ops


def pointer(*parts):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class Schemas:
    """Validators for the document's schemas, `$ref`s resolved against the document."""

    def __init__(self, doc):
        self.doc = doc
        self.registry = Registry().with_resource(DOC_URI, DRAFT202012.create_resource(doc))

    def validator(self, ptr):
        return Draft202012Validator({"$ref": DOC_URI + "#" + urllib.parse.quote(ptr, safe="/~")}, registry=self.registry)

    def response_pointer(self, method, path):
        return pointer("paths", path, method.lower(), "responses", "200", "content", "application/json", "schema")

    def resolve(self, node):
        """A local `$ref` followed (repeatedly) from the document's root."""
        while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/"):
            target = self.doc
            for part in node["$ref"][2:].split("/"):
                target = target[urllib.parse.unquote(part).replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def errors(self, ptr, value):
        errs = sorted(self.validator(ptr).iter_errors(value), key=lambda e: (len(list(e.absolute_path)), e.message))
        return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:240]}" for e in errs]


def static_checks(doc, schemas):
    try:
        validate_spec(doc)
        check("docs/openapi.yaml is a valid OpenAPI document (openapi-spec-validator)", True)
    except Exception as e:  # noqa: BLE001 - report whatever the validator says
        check("docs/openapi.yaml is a valid OpenAPI document (openapi-spec-validator)", False, e)
    check("the document is OpenAPI 3.1", str(doc.get("openapi", "")).startswith("3.1"), doc.get("openapi"))
    servers = [s.get("url") for s in doc.get("servers", [])]
    check("the server is http://127.0.0.1:8080/v2", "http://127.0.0.1:8080/v2" in servers, servers)
    scheme = (doc.get("components", {}).get("securitySchemes") or {}).get("apiKey", {})
    check("security scheme apiKey is the Trackingmore-Api-Key header, required globally",
          scheme.get("type") == "apiKey" and scheme.get("in") == "header" and scheme.get("name") == "Trackingmore-Api-Key"
          and {"apiKey": []} in (doc.get("security") or []), scheme)
    check("info.description says errors come with HTTP 200", "HTTP 200" in (doc.get("info", {}).get("description") or ""))

    ops = operations(doc)
    api = [k for k in ops if not k[1].startswith("/sandbox/")]
    check(f"20 API operations (18 endpoints, the POST form of the list, get with its language) and {len(ops) - len(api)} sandbox controls",
          len(api) == 20 and len(ops) - len(api) >= 11, sorted(ops))

    ids = [op.get("operationId") for op in ops.values()]
    check("every operation has a unique operationId", all(ids) and len(set(ids)) == len(ids), ids)
    for (method, path), op in ops.items():
        problems = []
        op_id = op.get("operationId") or ""
        if not op.get("summary"):
            problems.append("no summary")
        if "tms verb: `" not in (op.get("description") or ""):
            problems.append("the description does not name the tms verb")
        sandbox = path.startswith("/sandbox/")
        if sandbox != ("sandbox-only" in (op.get("description") or "").lower()):
            problems.append("sandbox-only marking wrong" if sandbox else "marked sandbox-only but is the API's")
        rb = op.get("requestBody")
        rschema = schemas.resolve(((rb or {}).get("content", {}).get("application/json") or {}).get("schema"))
        if method in ("GET", "DELETE") and rb is not None:
            problems.append(f"{method} with a requestBody")
        if isinstance(rschema, dict) and rschema.get("type") == "array" and rschema.get("maxItems") != 40:
            problems.append("an array body without maxItems 40")
        resp = (op.get("responses") or {}).get("200", {})
        rs = (resp.get("content", {}).get("application/json") or {}).get("schema") or {}
        branches = rs.get("oneOf") or rs.get("anyOf") or []
        if not any(b.get("$ref") == "#/components/schemas/ErrorEnvelope" for b in branches) or len(branches) < 2:
            problems.append("the 200 response is not a oneOf/anyOf of a success envelope and ErrorEnvelope")
        if set(op.get("responses") or {}) != {"200"}:
            problems.append(f"responses other than 200: {sorted(op.get('responses'))}")
        check(f"doc {method} {path} ({op_id}) is well formed", not problems, "\n".join(problems))

    tracking = schemas.resolve({"$ref": "#/components/schemas/Tracking"})
    check("the Tracking schema is closed and requires what the sandbox always sends",
          tracking.get("additionalProperties") is False and "origin_info" in tracking.get("required", [])
          and "service_code" not in tracking.get("required", []), tracking.get("required"))
    lst = ops.get(("GET", "/trackings/get"), {})
    limit = next((p for p in lst.get("parameters", []) if p.get("name") == "limit"), {})
    check("list: limit is an integer with maximum 2000", limit.get("schema", {}).get("maximum") == 2000
          and limit.get("schema", {}).get("type") == "integer", limit)
    return ops


def example_checks(ops, schemas):
    """Every operation with a body or query parameters has a request example, and each example
    validates against its schema (RequestExampleTests sends each to a sandbox)."""
    counted = 0
    for (method, path), op in sorted(ops.items()):
        problems = []
        base = ("paths", path, method.lower())
        params = op.get("parameters") or []
        query = [p for p in params if p.get("in") == "query"]
        shown = [p for p in params if "example" in p]
        if query and not any("example" in p for p in query):
            problems.append("query parameters without an example")
        if shown and any("example" not in p for p in params if p.get("in") == "path"):
            problems.append("a path parameter without an example")
        for i, p in enumerate(params):
            if "example" in p:
                counted += 1
                errs = schemas.errors(pointer(*base, "parameters", i, "schema"), p["example"])
                problems += [f"parameter {p.get('name')} = {p['example']!r}: {e}" for e in errs]
        content = ((op.get("requestBody") or {}).get("content") or {}).get("application/json")
        if content is not None:
            if "example" not in content:
                problems.append("a request body without an example")
            else:
                counted += 1
                errs = schemas.errors(pointer(*base, "requestBody", "content", "application/json", "schema"), content["example"])
                problems += [f"body: {e}" for e in errs]
        if query or content is not None or shown:
            check(f"example {method} {path}: validates against the operation's schemas", not problems, "\n".join(problems))
    check(f"request examples shown: {counted} (parameters and bodies)", counted > 0)


# ------------------------------------------------------------------ the server


class Server:
    def __init__(self, tms, work):
        self.tms = tms
        self.work = work
        self.db = os.path.join(work, "serve.sqlite")
        self.proc = None
        self.base = None

    def keys(self, *args):
        r = subprocess.run([self.tms, "keys", *args, "--db", self.db], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=120, env=self.env())
        return r.returncode, r.stdout, r.stderr

    def env(self):
        env = dict(os.environ)
        env["SWIFT_BACKTRACE"] = "enable=no"
        return env

    def start(self):
        out = open(os.path.join(self.work, "out"), "w")
        err = open(os.path.join(self.work, "err"), "w")
        self.proc = subprocess.Popen([self.tms, "serve", "--port", "0", "--db", self.db], stdin=subprocess.DEVNULL,
                                     stdout=out, stderr=err, env=self.env())
        out.close()
        err.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with open(os.path.join(self.work, "out")) as f:
                m = re.search(r"listening on (http://127\.0\.0\.1:\d+)", f.read())
            if m:
                self.base = m.group(1)
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.1)
        return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def request(base, method, path, key, body=None, raw=None, query=None, prefix="/v2"):
    """(HTTP status, content type, parsed JSON or None, text)"""
    url = base + prefix + path
    if query:
        url += "?" + urllib.parse.urlencode(query)
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(url, data=data, method=method)
    if key is not None:
        req.add_header("Trackingmore-Api-Key", key)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
            status, ctype, text = r.status, r.headers.get("Content-Type", ""), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        status, ctype, text = e.code, e.headers.get("Content-Type", ""), e.read().decode("utf-8", "replace")
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    return status, ctype, parsed, text


class Live:
    def __init__(self, server, schemas, ops, key):
        self.server = server
        self.schemas = schemas
        self.ops = ops
        self.key = key
        self.succeeded = set()
        self.validated = set()
        # (METHOD, template) for each operation, to find the one a concrete path is for.
        self.templates = [(m, p, re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(p)) + "/?$")) for m, p in ops]

    def op_for(self, method, path):
        for m, p, rx in self.templates:
            if m == method and rx.match(path):
                return (m, p)
        return None

    def call(self, name, method, path, body=None, *, raw=None, query=None, expect=200, key="default",
             schema=None, prefix="/v2", then=None):
        """One request; checks HTTP 200 + JSON, meta.code, and the operation's response schema.
        `expect` is a meta code or a set of them; `then(data)` returns a problem string or None."""
        key = self.key if key == "default" else key
        try:
            status, ctype, env, text = request(self.server.base, method, path, key, body, raw, query, prefix)
        except Exception as e:  # noqa: BLE001 - a timeout or a refused connection is a failure
            check(name, False, f"{method} {path}: {e!r}")
            return None
        problems = []
        if status != 200:
            problems.append(f"HTTP {status}, not 200")
        if not ctype.startswith("application/json"):
            problems.append(f"Content-Type {ctype!r}")
        if not isinstance(env, dict):
            check(name, False, "\n".join(problems + [f"not a JSON object: {text[:300]}"]))
            return None
        code = (env.get("meta") or {}).get("code")
        expected = expect if isinstance(expect, (set, frozenset)) else {expect}
        if code not in expected:
            problems.append(f"meta.code {code}, expected {sorted(expected)}: {json.dumps(env.get('meta'))}")
        op = self.op_for(method, path) if prefix == "/v2" else None
        if schema is not None:
            ptr = pointer("components", "schemas", schema)
        elif op is not None:
            ptr = self.schemas.response_pointer(*op)
        else:
            ptr = pointer("components", "schemas", "ErrorEnvelope")
        errs = self.schemas.errors(ptr, env)
        if errs:
            # Say why the branch that should have matched did not.
            rs = self.schemas.resolve({"$ref": "#" + ptr})
            branches = rs.get("oneOf") or rs.get("anyOf") or []
            success = code in (200, 201)
            for b in branches:
                is_error = b.get("$ref", "").endswith("/ErrorEnvelope")
                if is_error != success and "$ref" in b:
                    errs = self.schemas.errors(b["$ref"][1:], env) or errs
                    break
            problems.append(f"does not validate against {ptr}:")
            problems.extend("  " + e for e in errs[:8])
        if then is not None and not problems:
            try:
                extra = then(env.get("data"))
            except Exception as e:  # noqa: BLE001
                extra = f"{e!r}"
            if extra:
                problems.append(extra)
        if op is not None and schema is None and not errs:
            self.validated.add(op)
        if op is not None and not problems and code in (200, 201):
            self.succeeded.add(op)
        check(name, not problems, "\n".join(problems))
        return env


def many(n, item):
    return [item(i) for i in range(n)]


def live_checks(live, server):
    c = live.call
    A = {"tracking_number": "RR123456785CN", "carrier_code": "china-post"}
    U = {"tracking_number": "1Z999AA10123456784", "carrier_code": "ups"}
    D = {"tracking_number": "1234567890", "carrier_code": "dhl"}
    GONE = {"tracking_number": "NOPE1234567", "carrier_code": "ups"}

    # Sandbox controls and seeding.
    c("sandboxReset: POST /sandbox/reset puts the clock back", "POST", "/sandbox/reset",
      then=lambda d: None if d["now"] == "2025-06-02T08:00:00+00:00" else f"now is {d['now']}")
    c("sandboxClock: GET /sandbox/clock after the reset", "GET", "/sandbox/clock",
      then=lambda d: None if d == {"now": "2025-06-02T08:00:00+00:00", "unix": 1748851200} else f"data {d}")
    seeded = c("sandboxSeed: POST /sandbox/seed {count: 30} adds 30", "POST", "/sandbox/seed", {"count": 30},
               then=lambda d: None if d["added"] == 30 else f"added {d['added']}")
    # The seeded trackings plus A, U and D (created below).
    total = (seeded["data"]["added"] if seeded and isinstance(seeded.get("data"), dict) else 30) + 3
    c("sandboxSeed: count 0 is 4012", "POST", "/sandbox/seed", {"count": 0}, expect=4012)
    c("sandboxLimits: POST /sandbox/limits {limits: off}", "POST", "/sandbox/limits", {"limits": "off"},
      then=lambda d: None if d == {"limits": "off"} else f"data {d}")
    c("sandboxLimits: limits fast is 4012", "POST", "/sandbox/limits", {"limits": "fast"}, expect=4012)
    c("sandboxAdvance: seconds missing is 4012", "POST", "/sandbox/advance", {}, expect=4012)
    c("sandboxLesson: POST /sandbox/lessons records a finished lesson", "POST", "/sandbox/lessons",
      {"lesson": "01-tracking", "title": "What a tracking is", "state": "done"},
      then=lambda d: None if d["lesson"] == "01-tracking" and d["state"] == "done" else f"data {d}")
    c("sandboxLesson: a done lesson stays done when started again", "POST", "/sandbox/lessons",
      {"lesson": "01-tracking", "state": "started"}, then=lambda d: None if d["state"] == "done" else f"data {d}")
    c("sandboxLesson: another state is 4012", "POST", "/sandbox/lessons", {"lesson": "01-tracking", "state": "passed"}, expect=4012)

    before = c("userinfo: GET /trackings/getuserinfo", "GET", "/trackings/getuserinfo")

    # Create.
    c("create: POST /trackings/post with extra fields", "POST", "/trackings/post",
      dict(A, destination_code="US", order_id="A-1001", customer_email="buyer@example.org", title="Shoes",
           order_create_time="2025/5/30 16:51", comment="fragile", customer_phone="+1 555 0100", auto_correct=1),
      then=lambda d: None if (d["tracking_number"], d["order_id"], d["status"]) == ("RR123456785CN", "A-1001", "pending")
      else f"unexpected {d}")
    c("create: POST /trackings/post with only number and carrier", "POST", "/trackings/post", U)
    c("create: a duplicate is 4016", "POST", "/trackings/post", A, expect=4016)
    c("create: no tracking_number is 4013", "POST", "/trackings/post", {"carrier_code": "ups"}, expect=4013)
    c("create: an invalid tracking_number is 4014", "POST", "/trackings/post", {"tracking_number": "a b", "carrier_code": "ups"}, expect=4014)
    c("create: an unknown carrier is 4015", "POST", "/trackings/post", {"tracking_number": "1234567890", "carrier_code": "no-such"}, expect=4015)
    c("create: malformed JSON is 4012", "POST", "/trackings/post", raw=b'{"tracking_number": oops', expect=4012)
    c("create: a JSON array body is 4012", "POST", "/trackings/post", [A], expect=4012)
    c("create: auto_correct of the wrong type is 4012", "POST", "/trackings/post",
      {"tracking_number": "1234567891", "carrier_code": "dhl", "auto_correct": "yes"}, expect=4012)
    c("userinfo: the quota went down by the 2 creates", "GET", "/trackings/getuserinfo",
      then=lambda d: None if before and d["track_number"] == before["data"]["track_number"] - 2
      else f"track_number {d['track_number']}")

    c("sandboxAdvance: POST /sandbox/advance 10 days", "POST", "/sandbox/advance", {"seconds": 10 * 86400},
      then=lambda d: None if d["now"] == "2025-06-12T08:00:00+00:00" else f"now is {d['now']}")
    c("sandboxClock: the clock moved 10 days", "GET", "/sandbox/clock",
      then=lambda d: None if d["unix"] == 1748851200 + 10 * 86400 else f"data {d}")
    c("sandboxClock: POST is 405", "POST", "/sandbox/clock", {}, expect=405, schema="ErrorEnvelope")

    # One tracking.
    c("get: GET /trackings/china-post/RR123456785CN", "GET", "/trackings/china-post/RR123456785CN",
      then=lambda d: None if d["status"] != "pending" and d["origin_info"]["trackinfo"] else "no progress after 10 days")
    c("get: GET /trackings/ups/1Z999AA10123456784", "GET", "/trackings/ups/1Z999AA10123456784")
    c("getWithLang: GET /trackings/ups/1Z999AA10123456784/en (the read in a language)", "GET", "/trackings/ups/1Z999AA10123456784/en",
      then=lambda d: None if d["tracking_number"] == "1Z999AA10123456784" else f"another tracking: {d.get('tracking_number')}")
    c("getWithLang: a language of three letters is no path (404)", "GET", "/trackings/ups/1Z999AA10123456784/eng", expect=404)
    c("get: a tracking never created is 4017", "GET", "/trackings/ups/NOPE1234567", expect=4017)
    c("get: an unknown carrier is 4015", "GET", "/trackings/no-such/RR123456785CN", expect=4015)
    c("get: an invalid number is 4014", "GET", "/trackings/ups/ab", expect=4014)
    c("put: PUT status 4, archived, order_id", "PUT", "/trackings/china-post/RR123456785CN",
      {"order_id": "A-1001-R", "archived": "true", "status": 4, "customer_phone": None},
      then=lambda d: None if (d["status"], d["archived"], d["order_id"]) == ("4", "true", "A-1001-R")
      else f"unexpected {d['status']} {d['archived']} {d['order_id']}")
    c("put: PUT status \"8\" goes back to the carrier's status", "PUT", "/trackings/china-post/RR123456785CN", {"status": "8"})
    c("put: PUT with an empty body changes nothing", "PUT", "/trackings/ups/1Z999AA10123456784", raw=b"")
    c("put: a bad status is 4033", "PUT", "/trackings/china-post/RR123456785CN", {"status": 5}, expect=4033)
    c("put: a field that cannot be changed is 4012", "PUT", "/trackings/china-post/RR123456785CN", {"carrier": "x"}, expect=4012)
    c("put: archived not \"true\"/\"false\" is 4012", "PUT", "/trackings/china-post/RR123456785CN", {"archived": True}, expect=4012)
    c("put: a tracking never created is 4017", "PUT", "/trackings/ups/NOPE1234567", {"title": "x"}, expect=4017)

    # Batch.
    c("batch: POST /trackings/batch, 1 new, 1 duplicate, 1 invalid", "POST", "/trackings/batch",
      [dict(D, title="Lamp", customer_name="Ann", destination_code="DE"), A, {"tracking_number": "x", "carrier_code": "ups"}],
      expect={200, 201},
      then=lambda d: None if (d["submitted"], d["added"], sorted(e["code"] for e in d["errors"])) == (3, 1, [4014, 4016])
      else f"unexpected report {d}")
    c("batch: nothing added is a success with added 0", "POST", "/trackings/batch", [A, U], expect={200, 201},
      then=lambda d: None if d["added"] == 0 and len(d["errors"]) == 2 else f"unexpected report {d}")
    c("batch: 41 items is 4020", "POST", "/trackings/batch",
      many(41, lambda i: {"tracking_number": f"1Z999AA1012345{i:04d}", "carrier_code": "ups"}), expect=4020)
    c("batch: an object body is 4012", "POST", "/trackings/batch", A, expect=4012)
    c("batch: malformed JSON is 4012", "POST", "/trackings/batch", raw=b"[{oops", expect=4012)
    c("batch: an empty body is 4012", "POST", "/trackings/batch", raw=b"", expect=4012)

    # List.
    c("list: GET /trackings/get (defaults)", "GET", "/trackings/get",
      then=lambda d: None if (d["page"], d["limit"]) == (1, 100) and d["count"] == len(d["items"]) else "page/limit/count wrong")
    c("list: every tracking in one page of up to 2000", "GET", "/trackings/get", query={"limit": 2000},
      then=lambda d: None if int(d["total"]) == total == d["count"] else f"total {d['total']!r}, count {d['count']}, expected {total}")
    c("list: page 2, limit 5, filtered by status", "GET", "/trackings/get", query={"page": 2, "limit": 5, "status": "delivered"})
    c("list: numbers filter", "GET", "/trackings/get", query={"numbers": "RR123456785CN,1Z999AA10123456784"},
      then=lambda d: None if d["total"] == "2" else f"total {d['total']!r}")
    c("list: archived, time and order filters, lang", "GET", "/trackings/get",
      query={"archived": "true", "created_at_min": 0, "created_at_max": 2000000000, "update_time_min": 0,
             "update_time_max": 2000000000, "order_created_time_min": 0, "order_created_time_max": 2000000000,
             "orders": "A-1001-R", "lang": "en"},
      then=lambda d: None if d["total"] == "1" else f"total {d['total']!r}")
    c("list: a page past the end is empty, not an error", "GET", "/trackings/get", query={"page": 99},
      then=lambda d: None if d["items"] == [] and d["count"] == 0 else "items not empty")
    c("list: an unknown status is 4033", "GET", "/trackings/get", query={"status": "lost"}, expect=4033)
    c("listByBody: POST /trackings/get with page, limit and filters in the body", "POST", "/trackings/get",
      {"page": 1, "limit": 2000, "created_at_min": 0, "numbers": ["RR123456785CN", "1Z999AA10123456784"]},
      then=lambda d: None if d["total"] == "2" and d["limit"] == 2000 else f"total {d['total']!r}, limit {d['limit']}")
    c("listByBody: limit 2001 in the body is 4012", "POST", "/trackings/get", {"limit": 2001}, expect=4012)
    c("list: limit 2001 is 4012", "GET", "/trackings/get", query={"limit": 2001}, expect=4012)
    c("list: page 0 is 4012", "GET", "/trackings/get", query={"page": 0}, expect=4012)
    c("list: a non-integer time is 4012", "GET", "/trackings/get", query={"created_at_min": "yesterday"}, expect=4012)
    c("list: 41 numbers is 4012", "GET", "/trackings/get", query={"numbers": ",".join(f"N{i:05d}" for i in range(41))}, expect=4012)

    # Account.
    c("statusnumber: GET /trackings/getstatusnumber counts every tracking", "GET", "/trackings/getstatusnumber",
      then=lambda d: None if sum(d.values()) == total else f"sum {sum(d.values())}, expected {total}")
    c("statusnumber: with time filters", "GET", "/trackings/getstatusnumber",
      query={"created_at_min": 0, "created_at_max": 2000000000, "order_created_time_min": 0,
             "order_created_time_max": 2000000000},
      then=lambda d: None if sum(d.values()) == 1 else f"sum {sum(d.values())} (only one tracking has an order time)")
    c("statusnumber: a non-integer time is 4012", "GET", "/trackings/getstatusnumber", query={"created_at_min": "x"}, expect=4012)

    # Many trackings.
    c("updatemore: POST /trackings/updatemore, 2 changed, 1 missing, 1 bad status", "POST", "/trackings/updatemore",
      [dict(U, status="7", title="Boots"), dict(D, archived="true", customer_email=None), GONE, dict(A, status=9)],
      then=lambda d: None if (d["submitted"], d["updated"], sorted(e["code"] for e in d["errors"])) == (4, 2, [4017, 4033])
      else f"unexpected report {d}")
    c("updatemore: customer_phone is refused per item", "POST", "/trackings/updatemore", [dict(U, customer_phone="1")],
      then=lambda d: None if [e["code"] for e in d["errors"]] == [4012] else f"unexpected report {d}")
    c("updatemore: 41 items is 4020", "POST", "/trackings/updatemore", many(41, lambda i: U), expect=4020)
    c("notupdate: POST /trackings/notupdate, 1 stopped, 1 missing", "POST", "/trackings/notupdate", [D, GONE],
      then=lambda d: None if (d["change"], [t["code"] for t in d["trackings"]]) == (1, [200, 4017]) else f"unexpected report {d}")
    c("notupdate: 41 items is 4020", "POST", "/trackings/notupdate", many(41, lambda i: D), expect=4020)
    c("notupdate: an object body is 4012", "POST", "/trackings/notupdate", D, expect=4012)

    # Realtime and carrier change.
    c("realtime: POST /trackings/realtime of a stored tracking", "POST", "/trackings/realtime", dict(A, lang="en"),
      then=lambda d: None if d["items"][0]["tracking_number"] == A["tracking_number"] else "another tracking")
    c("realtime: a number not stored is simulated", "POST", "/trackings/realtime",
      {"tracking_number": "9400100000000000000000", "carrier_code": "usps", "destination_code": "US"})
    c("realtime: no tracking_number is 4013", "POST", "/trackings/realtime", {"carrier_code": "ups"}, expect=4013)
    c("realtime: an unknown carrier is 4015", "POST", "/trackings/realtime", {"tracking_number": "1234567890", "carrier_code": "no-such"}, expect=4015)
    c("recarrier: POST /trackings/update china-post -> china-ems", "POST", "/trackings/update",
      dict(A, update_carrier_code="china-ems"), then=lambda d: None if d == {"Usertag": ""} else f"data {d}")
    c("get: the tracking is now under china-ems", "GET", "/trackings/china-ems/RR123456785CN")
    c("recarrier: an unknown new carrier is 4015", "POST", "/trackings/update", dict(U, update_carrier_code="no-such"), expect=4015)
    c("recarrier: a tracking never created is 4017", "POST", "/trackings/update", dict(GONE, update_carrier_code="fedex"), expect=4017)

    # Carriers and the other lookups.
    c("carriers: GET /carriers", "GET", "/carriers", then=lambda d: None if len(d) > 100 else f"only {len(d)} carriers")
    c("carriers: GET /carriers/ (trailing slash)", "GET", "/carriers/")
    c("detect: POST /carriers/detect", "POST", "/carriers/detect", {"tracking_number": "RR123456785CN"},
      then=lambda d: None if any(x["code"] == "china-post" for x in d) else f"candidates {d}")
    c("detect: a number no carrier fits is 4032", "POST", "/carriers/detect", {"tracking_number": "zz"}, expect=4032)
    c("detect: no tracking_number is 4013", "POST", "/carriers/detect", {}, expect=4013)
    c("remote: POST /trackings/remote", "POST", "/trackings/remote",
      [{"country": "JP", "postcode": "7600000"}, {"country": "New Zealand", "postcode": "Sometown", "company": "DHL"}]
      + many(10, lambda i: {"country": "US", "postcode": f"9{i:04d}", "company": "UPS"}),
      then=lambda d: None if d["submitted"] == 12 == len(d["other"]) + len(d["remote"]) else f"unexpected report {d}")
    c("remote: an unknown country is 4012", "POST", "/trackings/remote", [{"country": "Atlantis", "postcode": "1"}], expect=4012)
    c("remote: 41 items is 4020", "POST", "/trackings/remote", many(41, lambda i: {"country": "JP", "postcode": "1"}), expect=4020)
    c("costtime: POST /trackings/costtime", "POST", "/trackings/costtime",
      [{"carrier_code": "dhl", "original": "CN", "destination": "DE"}, {"carrier_code": "china-post", "original": "cn", "destination": "us"}],
      then=lambda d: None if len(d) == 2 else f"{len(d)} results")
    c("costtime: an unknown carrier is 4015", "POST", "/trackings/costtime",
      [{"carrier_code": "no-such", "original": "CN", "destination": "DE"}], expect=4015)
    c("costtime: a bad country is 4012", "POST", "/trackings/costtime",
      [{"carrier_code": "dhl", "original": "XX", "destination": "DE"}], expect=4012)
    c("costtime: 41 items is 4020", "POST", "/trackings/costtime",
      many(41, lambda i: {"carrier_code": "dhl", "original": "CN", "destination": "DE"}), expect=4020)
    c("aircargo: POST /trackings/aircargo", "POST", "/trackings/aircargo",
      {"track_number": ["172-12345675", "160 00000000", "999-00000070"], "lang": "en"},
      then=lambda d: None if [x["track_number"] for x in d] == ["172-12345675", "160-00000000", "999-00000070"] else "wrong order")
    c("aircargo: a wrong check digit is 4014", "POST", "/trackings/aircargo", {"track_number": ["172-12345670"]}, expect=4014)
    c("aircargo: track_number missing is 4012", "POST", "/trackings/aircargo", {"lang": "en"}, expect=4012)
    c("aircargo: 41 numbers is 4020", "POST", "/trackings/aircargo", {"track_number": ["172-12345675"] * 41}, expect=4020)

    # Deleting.
    c("deleteMany: POST /trackings/delete, 1 deleted, 1 missing", "POST", "/trackings/delete", [D, GONE],
      then=lambda d: None if (d["submitted"], d["delete"], [t["meta"]["code"] for t in d["trackings"]]) == (2, 1, [200, 4017])
      else f"unexpected report {d}")
    c("deleteMany: an empty list is a success", "POST", "/trackings/delete", [])
    c("deleteMany: 41 items is 4020", "POST", "/trackings/delete", many(41, lambda i: GONE), expect=4020)
    c("delete: DELETE /trackings/ups/1Z999AA10123456784", "DELETE", "/trackings/ups/1Z999AA10123456784",
      then=lambda d: None if d == [] else f"data {d}")
    c("delete: again is 4017", "DELETE", "/trackings/ups/1Z999AA10123456784", expect=4017)

    # Keys, paths, methods, bodies.
    c("an unknown key is 4001", "GET", "/trackings/get", key="tms_not_a_key", expect=4001)
    c("no key is 4001", "POST", "/trackings/post", A, key=None, expect=4001)
    rc, _, err = server.keys("revoke", "bob")
    check("keys revoke bob", rc == 0, err)
    c("a revoked key is 4002", "GET", "/trackings/getuserinfo", key=live.bob, expect=4002)
    c("an unknown path is 404 in meta", "GET", "/nothing/here", expect=404)
    c("a path outside /v2 is 404 in meta", "GET", "/trackings/get", prefix="", expect=404)
    c("a wrong method is 405 in meta (PATCH /trackings/get)", "PATCH", "/trackings/get", expect=405, schema="ErrorEnvelope")
    c("a wrong method is 405 in meta (GET /trackings/post)", "GET", "/trackings/post", expect=405, schema="ErrorEnvelope")
    c("a wrong method is 405 in meta (POST /trackings/ups/1Z999AA10123456784)", "POST", "/trackings/ups/1Z999AA10123456784",
      {"title": "x"}, expect=405, schema="ErrorEnvelope")
    c("a body over the limit is 4012", "POST", "/trackings/post", raw=b"a" * 2_000_000, expect=4012)
    c("sandboxAdvance: a negative time is 4012", "POST", "/sandbox/advance", {"seconds": -1}, expect=4012)

    # Webhooks: a URL nobody listens on, so each attempt is recorded as failed and retried.
    dead = "http://127.0.0.1:9/hook"
    c("sandboxWebhookAdd: POST /sandbox/webhooks/add registers a URL", "POST", "/sandbox/webhooks/add",
      {"url": dead, "statuses": ["delivered", "exception"]},
      then=lambda d: None if d[-1]["url"] == dead and d[-1]["statuses"] == ["delivered", "exception"] else f"data {d}")
    c("sandboxWebhookAdd: another host is 4012", "POST", "/sandbox/webhooks/add", {"url": "http://example.com/"}, expect=4012)
    c("sandboxWebhookAdd: a status that is not one is 4033", "POST", "/sandbox/webhooks/add", {"url": dead, "statuses": ["shipped"]}, expect=4033)
    c("sandboxWebhooks: GET /sandbox/webhooks lists it", "GET", "/sandbox/webhooks",
      then=lambda d: None if [w["url"] for w in d] == [dead] else f"data {d}")
    c("sandboxTrigger: POST /sandbox/trigger moves a tracking to delivered", "POST", "/sandbox/trigger", dict(U, status="delivered"),
      then=lambda d: None if d["status"] == "delivered" else f"status {d['status']}")
    c("sandboxTrigger: a status that is not one is 4033", "POST", "/sandbox/trigger", dict(U, status="shipped"), expect=4033)
    c("sandboxDeliveries: GET /sandbox/webhooks/deliveries?wait=5 shows the attempt", "GET", "/sandbox/webhooks/deliveries",
      query={"wait": "5"},
      then=lambda d: None if d and d[-1]["tracking_number"] == U["tracking_number"] and d[-1]["outcome"] == "retrying" else f"data {d}")
    c("sandboxDeliveries: after= that is not a number is 4012", "GET", "/sandbox/webhooks/deliveries", query={"after": "x"}, expect=4012)
    c("sandboxWebhookRemove: POST /sandbox/webhooks/remove", "POST", "/sandbox/webhooks/remove", {"url": dead},
      then=lambda d: None if d == [] else f"data {d}")
    c("sandboxWebhookRemove: a URL not registered is 4012", "POST", "/sandbox/webhooks/remove", {"url": dead}, expect=4012)

    c("sandboxReset: POST /sandbox/reset at the end", "POST", "/sandbox/reset")
    c("list: empty after the reset", "GET", "/trackings/get", then=lambda d: None if d["total"] == "0" else f"total {d['total']!r}")


def main():
    if len(sys.argv) != 2:
        print("usage: python3 Tests/openapi.py PATH_TO_TMS", file=sys.stderr)
        return 2
    tms = os.path.abspath(sys.argv[1])
    generation_checks(tms)
    try:
        doc = load_doc()
    except yaml.YAMLError as e:
        check("docs/openapi.yaml is YAML", False, e)
        print(f"{passed} passed, {failed} failed")
        return 1
    schemas = Schemas(doc)
    ops = static_checks(doc, schemas)
    example_checks(ops, schemas)

    work = tempfile.mkdtemp(prefix="tms-openapi.")
    server = Server(tms, work)
    try:
        rc, out, err = server.keys("add", "alice")
        key = out.strip().splitlines()[-1].strip() if out.strip() else ""
        check("keys add alice prints a key", rc == 0 and key.startswith("tms_"), err or out)
        rc, out, err = server.keys("add", "bob")
        bob = out.strip().splitlines()[-1].strip() if out.strip() else ""
        check("keys add bob prints a key", rc == 0 and bob.startswith("tms_"), err or out)
        started = server.start()
        log = ""
        if not started:
            with open(os.path.join(work, "err")) as f:
                log = f.read()
        check("tms serve --port 0 listens on 127.0.0.1", started, log)
        if started:
            live = Live(server, schemas, ops, key)
            live.bob = bob
            live_checks(live, server)
            never = sorted(set(ops) - live.succeeded)
            check("every operation was called on a success path and validated", not never,
                  "\n".join(f"{m} {p}" for m, p in never))
            unvalidated = sorted(set(ops) - live.validated)
            check("every operation's response schema was used", not unvalidated,
                  "\n".join(f"{m} {p}" for m, p in unvalidated))
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
