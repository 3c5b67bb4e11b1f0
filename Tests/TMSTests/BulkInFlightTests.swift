#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import TMS
import TrackingMore
import TrackingMoreSandbox

/// Bulk calls keep several requests in flight: they overlap, no more than the window, and the
/// report, the failed-items file and the dry-run descriptions keep the items' order, also when
/// a chunk fails, the run is cancelled or the deadline passes.
@Suite struct BulkInFlightTests {
    /// How many requests are on the way at once, and the most there ever were.
    final class Overlap: Sendable {
        private let counts = Mutex((now: 0, most: 0, sent: 0))
        func enter() { counts.withLock { $0.now += 1; $0.sent += 1; $0.most = max($0.most, $0.now) } }
        func leave() { counts.withLock { $0.now -= 1 } }
        var most: Int { counts.withLock { $0.most } }
        var sent: Int { counts.withLock { $0.sent } }
    }

    /// Passes bulk requests on after a pause that differs by chunk (so answers come back out
    /// of order), counting the overlap; a chunk `fails` says is lost on the way, as a
    /// connection that drops every attempt is.
    struct SlowTransport: Transport {
        let inner: any Transport
        let overlap: Overlap
        var pause: @Sendable (Int) -> Duration = { chunk in .milliseconds(chunk % 3 == 0 ? 60 : 10) }
        var fails: @Sendable (Int) -> Bool = { _ in false }

        func send(_ request: APIRequest) async throws -> Envelope {
            guard let first = BulkInFlightTests.text(request.body.flatMap({ try? JSON.parse($0) })?.listValue?.first?["tracking_number"]),
                let n = Int(first.suffix(6))
            else { return try await inner.send(request) }
            let chunk = (n - 1) / 40
            overlap.enter()
            defer { overlap.leave() }
            try await Task.sleep(for: pause(chunk))
            if fails(chunk) {
                throw TransportError.network(request: "POST /trackings/batch", reason: "127.0.0.1 closed the connection before answering", attempts: 4)
            }
            return try await inner.send(request)
        }
    }

    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ s: String) { lines.withLock { $0.append(s) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// 940000000000000001 and up: USPS-shaped numbers ending in `n`.
    static func number(_ n: Int) -> String {
        let digits = String(n)
        return "9400" + String(repeating: "0", count: 14 - digits.count) + digits
    }

    /// A tracking number as text (CSV reads digits as a number).
    static func text(_ v: JSON?) -> String? {
        v?.stringValue ?? v?.intValue.map(String.init)
    }

    /// `count` trackings to create, as CSV: numbers 940000000000000001 and up, in order.
    static func items(_ count: Int) -> PipelineValue? {
        let rows = (1...count).map { "usps,\(number($0)),item \($0)\n" }.joined()
        return Interpreter.data(Array(("carrier_code,tracking_number,title\n" + rows).utf8), name: "items.csv")
    }

    func temporaryFolder() throws -> String {
        let pattern = try #require(strdup("/tmp/tms-inflight-XXXXXX"))
        defer { free(pattern) }
        return String(cString: try #require(mkdtemp(pattern)))
    }

    /// An interpreter whose session sends through `wrap` around the sandbox, `window` in flight.
    func interpreter(_ sandbox: Sandbox, window: Int, warnings: Lines = Lines(), folder: String? = nil,
                     _ wrap: @escaping @Sendable (any Transport) -> any Transport) -> Interpreter {
        let i = Interpreter(output: { _ in }, warning: { warnings.append($0.message) })
        let api = APISession(backend: .sandbox) { wrap(InProcessTransport(sandbox: sandbox)) }
        api.inFlight = window
        api.failedItemsDirectory = folder
        i.api = api
        return i
    }

    /// The tracking numbers the sandbox holds.
    func stored(_ sandbox: Sandbox) async throws -> Set<String> {
        let i = interpreter(sandbox, window: 1) { $0 }
        let numbers = try await i.run("list | each { $it.tracking_number }", printResults: false)
        return Set((numbers.listValue ?? []).compactMap(Self.text))
    }

    /// The numbers in the one failed-items file of `folder`.
    func failedFile(_ folder: String) throws -> [String] {
        let files = listFiles(folder, suffix: ".jsonl", recursive: false)
        #expect(files.count == 1, "\(files)")
        let file = try #require(files.first)
        let text = String(decoding: try #require(readBytes(file)), as: UTF8.self)
        return text.split(separator: "\n").compactMap { Self.text(try? JSON.parse(Array($0.utf8))["tracking_number"]) }
    }

    @Test func requestsOverlapWithinTheWindowAndTheReportKeepsTheItemsOrder() async throws {
        // Items 5 and 205 exist already: the report lists them refused, in order.
        var reports: [Int: JSON] = [:]
        for window in [1, 3] {
            let sandbox = try Sandbox(path: ":memory:")
            let overlap = Overlap()
            _ = try await interpreter(sandbox, window: 1) { $0 }
                .run("create usps \(Self.number(5))\ncreate usps \(Self.number(205))", printResults: false)
            let warnings = Lines()
            let i = interpreter(sandbox, window: window, warnings: warnings) { SlowTransport(inner: $0, overlap: overlap) }
            let report = try await i.run("$in | create", input: Self.items(400), printResults: false)
            #expect(report["submitted"]?.intValue == 400 && report["added"]?.intValue == 398)
            let numbers = (report["trackings"]?.listValue ?? []).compactMap { Self.text($0["tracking_number"]) }
            #expect(numbers == (1...400).filter { $0 != 5 && $0 != 205 }.map(Self.number), "window \(window)")
            #expect((report["errors"]?.listValue ?? []).compactMap { Self.text($0["tracking_number"]) } == [Self.number(5), Self.number(205)])
            #expect(warnings.all == ["2 of 400 items failed: 4016 tracking already exists ×2 — nothing to retry"])
            #expect(i.api?.requestsMade == 10 && overlap.sent == 10)
            if window == 1 { #expect(overlap.most == 1) } else { #expect(overlap.most > 1 && overlap.most <= window, "most in flight: \(overlap.most)") }
            #expect(try await stored(sandbox).count == 400)
            reports[window] = report
        }
        // The same report, field by field, except each tracking's own id and times.
        func shape(_ r: JSON?) -> String {
            guard case .record(var report)? = r else { return "" }
            report["trackings"] = .list((report["trackings"]?.listValue ?? []).map { t in
                .record(Record([("tracking_number", t["tracking_number"] ?? .null), ("carrier_code", t["carrier_code"] ?? .null), ("title", t["title"] ?? .null)]))
            })
            return JSON.record(report).compactText
        }
        #expect(shape(reports[1]) == shape(reports[3]))
    }

    @Test(arguments: ["batch", "updatemore title=Boots", "notupdate", "delete"])
    func everyBulkVerbOverlapsAndKeepsTheOrder(_ verb: String) async throws {
        let sandbox = try Sandbox(path: ":memory:")
        _ = try await interpreter(sandbox, window: 4) { $0 }.run("$in | create", input: Self.items(400), printResults: false)
        let overlap = Overlap()
        let i = interpreter(sandbox, window: 4) { SlowTransport(inner: $0, overlap: overlap) }
        let report = try await i.run("$in | \(verb)", input: Self.items(400), printResults: false)
        #expect(overlap.sent == 10 && overlap.most > 1 && overlap.most <= 4, "\(verb): \(overlap.most) at most")
        #expect(report["submitted"]?.intValue == 400, "\(verb)")
        // Each item's result in the items' order (refused ones too: batch finds them all existing).
        let results = (report["trackings"]?.listValue ?? []) + (report["errors"]?.listValue ?? [])
        #expect(results.compactMap { Self.text(($0["meta"] ?? $0)["tracking_number"]) } == (1...400).map(Self.number), "\(verb)")
    }

    @Test func progressIsShownAfterASecondAndClearedAtTheEnd() async throws {
        let sandbox = try Sandbox(path: ":memory:")
        let lines = Lines()
        let i = interpreter(sandbox, window: 2) { SlowTransport(inner: $0, overlap: Overlap(), pause: { _ in .milliseconds(120) }) }
        i.api?.progress = { lines.append($0) }
        _ = try await i.run("$in | create", input: Self.items(1000), printResults: false)
        let shown = lines.all
        #expect(shown.count >= 2 && shown.last == "", "\(shown)")
        let counts = shown.dropLast().compactMap { line -> Int? in
            guard line.hasPrefix("create: "), line.hasSuffix(" of 1000 done") else { return nil }
            return Int(line.dropFirst(8).prefix { $0 != " " })
        }
        #expect(counts.count == shown.count - 1 && counts == counts.sorted() && counts.allSatisfy { $0 > 0 && $0 < 1000 }, "\(shown)")
    }

    @Test(arguments: [1, 4])
    func aChunkLostForGoodStopsNewOnesAndTheReportAndFileAreExact(window: Int) async throws {
        let sandbox = try Sandbox(path: ":memory:")
        let folder = try temporaryFolder()
        let overlap = Overlap()
        let warnings = Lines()
        let i = interpreter(sandbox, window: window, warnings: warnings, folder: folder) {
            SlowTransport(inner: $0, overlap: overlap, pause: { $0 == 3 ? .zero : .milliseconds(40) }, fails: { $0 == 3 })
        }
        var code: String?
        do {
            _ = try await i.run("$in | create", input: Self.items(400), printResults: false)
        } catch let e as TMSError {
            code = e.diagnostics.first?.code
            #expect(e.exitCode == ExitCode.network)
        }
        #expect(code == "E0231")
        // No chunk started after the failure but those already on the way (at most window - 1),
        // although the chunks before it were still on the way.
        #expect(overlap.sent <= 4 + (window - 1), "\(overlap.sent) sent")
        let created = try await stored(sandbox)
        let listed = try failedFile(folder)
        // Each item is created or listed, never both, and the file keeps the input's order.
        #expect(Set(listed).isDisjoint(with: created) && created.count + listed.count == 400)
        #expect(listed == listed.sorted() && listed.first == Self.number(121))
        #expect(warnings.all.count == 1)
        #expect(warnings.all.first?.hasPrefix("0 of 400 items failed; \(listed.count) more were not done or not confirmed (POST /trackings/batch failed") == true, "\(warnings.all)")
    }

    @Test func cancellingStopsNewRequestsAndReportsWhatFinished() async throws {
        let sandbox = try Sandbox(path: ":memory:")
        let folder = try temporaryFolder()
        let overlap = Overlap()
        let warnings = Lines()
        let i = interpreter(sandbox, window: 2, warnings: warnings, folder: folder) {
            SlowTransport(inner: $0, overlap: overlap, pause: { _ in .milliseconds(150) })
        }
        // 25 calls of 150 ms, 2 at a time: about 1.9 s, cancelled well before, once the first
        // calls are on the way (reading the 1,000 rows first can take longer than a fixed wait
        // on a loaded machine, and a run cancelled before any call has nothing to report).
        let task = Task { try await i.run("$in | create", input: Self.items(1000), printResults: false) }
        let started = ContinuousClock.now
        while overlap.sent == 0, ContinuousClock.now - started < .seconds(20) { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        let created = try await stored(sandbox)
        let listed = try failedFile(folder)
        #expect(overlap.sent < 25 && created.count < 1000, "\(overlap.sent) of 25 sent")
        #expect(Set(listed).isDisjoint(with: created) && created.count + listed.count == 1000)
        #expect(warnings.all.first?.contains("not done or not confirmed (interrupted)") == true, "\(warnings.all)")
    }

    @Test func aPassedDeadlineStopsNewRequestsAndTheReportIsTrue() async throws {
        let sandbox = try Sandbox(path: ":memory:")
        let folder = try temporaryFolder()
        let i = interpreter(sandbox, window: 2, folder: folder) { SlowTransport(inner: $0, overlap: Overlap(), pause: { _ in .milliseconds(200) }) }
        // 25 calls of 200 ms, 2 at a time, take 2.5 s: the deadline comes first, with time
        // for the first calls to answer on a loaded machine.
        i.capabilities = Capabilities(deadline: .now + .milliseconds(1200))
        var code: String?
        do {
            _ = try await i.run("$in | create", input: Self.items(1000), printResults: false)
        } catch let e as TMSError {
            code = e.diagnostics.first?.code
        }
        #expect(code == "E0262")
        let created = try await stored(sandbox)
        let listed = try failedFile(folder)
        #expect(!created.isEmpty && Set(listed).isDisjoint(with: created) && created.count + listed.count == 1000)
    }

    @Test func aDryRunDescribesTheWritesInTheirOrder() async throws {
        let sandbox = try Sandbox(path: ":memory:")
        let notSent = ExchangeLog()
        let overlap = Overlap()
        let api = APISession(backend: .sandbox, notSent: notSent) {
            // The pause comes before the guard, so the descriptions are made out of order.
            SlowTransport(inner: GuardedTransport(InProcessTransport(sandbox: sandbox), mode: .dryRun) { notSent.append(.write($0, $1)) }, overlap: overlap)
        }
        api.inFlight = 4
        let lines = Lines()
        api.log = { lines.append($0) }
        let i = Interpreter(output: { _ in })
        i.api = api
        _ = try await i.run("$in | delete", input: Self.items(400), printResults: false)
        #expect(overlap.most > 1)
        let firsts = lines.all.compactMap { line -> Int? in
            guard line.hasPrefix("dry run: not sent:"), let r = line.range(of: "\"tracking_number\": \"") else { return nil }
            return Int(line[r.upperBound...].prefix(18))
        }
        #expect(firsts == stride(from: 1, through: 400, by: 40).map { Int(Self.number($0))! })
        #expect(try await stored(sandbox).isEmpty)
    }
}
