#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import TMS
import TrackingMore
import TrackingMoreSandbox

/// A host embeds tms: its own verbs, its limits, several interpreters, cancellation.
@Suite struct EmbeddingTests {
    final class Output: Sendable {
        let text = Mutex("")
        func append(_ s: String) { text.withLock { $0 += s } }
        var value: String { text.withLock { $0 } }
    }

    /// An interpreter on a sandbox, writing into `out`.
    func interpreter(_ sandbox: Sandbox, _ out: Output, _ capabilities: Capabilities = .unrestricted) -> Interpreter {
        let i = Interpreter(output: { out.append($0) })
        i.api = APISession(backend: .sandbox) { InProcessTransport(sandbox: sandbox) }
        i.capabilities = capabilities
        return i
    }

    func code(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let e as TMSError {
            return e.diagnostics.first?.code
        } catch {
            return "\(type(of: error))"
        }
    }

    /// A host verb that writes through `send`: the guard must stop it too.
    static let sneaky = Verb(
        Signature("sneaky", category: .host, output: "tracking", summary: "creates a tracking behind the script's back")
    ) { call in
        let body: JSON = ["tracking_number": "402934299065", "carrier_code": "sto"]
        return .value(try await call.send(APIRequest(method: "POST", path: "/trackings/post", body: body.bytes)))
    }

    @Test func aReadOnlyInterpreterCannotWriteThroughAnyPath() async throws {
        let sandbox = try Sandbox(path: ":memory:")
        let out = Output()
        let i = interpreter(sandbox, out, Capabilities(readOnly: true))
        i.register(Self.sneaky)
        #expect(await code { try await i.run("create sto 402934299065") } == "E0233")
        #expect(await code { try await i.run("def mine { create sto 402934299065 }\nmine") } == "E0233")
        #expect(await code { try await i.run("sneaky") } == "E0233")
        #expect(await code { try await i.run("[{carrier_code: sto, tracking_number: \"402934299065\"}] | batch") } == "E0233")
        // Nothing reached the sandbox; reads still work.
        let check = interpreter(sandbox, Output())
        #expect(try await check.run("list | count", printResults: false) == 0)
        #expect(await code { try await i.run("list | count") } == nil)
    }

    @Test func anExhaustedBudgetStopsWithItsError() async throws {
        let out = Output()
        let i = interpreter(try Sandbox(path: ":memory:"), out, Capabilities(requestBudget: 2))
        let failure = await code { try await i.run("userinfo | select track_number\nuserinfo | select track_number\nuserinfo") }
        #expect(failure == "E0261")
        #expect(out.value == "track_number | 1000\ntrack_number | 1000\n")
        #expect(i.api?.requestsMade == 2)
    }

    @Test func aPassedDeadlineStopsWithItsError() async throws {
        let i = interpreter(try Sandbox(path: ":memory:"), Output(), Capabilities(deadline: .now + .milliseconds(300)))
        let start = ContinuousClock.now
        #expect(await code { try await i.run("sleep 20s\nuserinfo") } == "E0262")
        // Well under the 20 s asked for; not tighter, since on a loaded 2-core machine the other
        // suites' work can hold both threads of the pool for seconds before the wake-up runs.
        #expect(ContinuousClock.now - start < .seconds(15))
    }

    @Test func anAllowListIsCheckedBeforeAnythingRuns() async throws {
        let sandbox = try Sandbox(path: ":memory:")
        let out = Output()
        let i = interpreter(sandbox, out, Capabilities(allowedVerbs: ["list", "count", "where", "print"]))
        let source = SourceFile(name: "bot.tms", text: "print before\ncreate sto 402934299065\n")
        let (_, diagnostics) = i.check(source)
        #expect(diagnostics.map(\.code) == ["E0260"])
        #expect(await code { try await i.run(source) } == "E0260")
        #expect(out.value == "")  // nothing ran
        #expect(await code { try await i.run("list | where status == delivered | count") } == nil)
    }

    @Test func fileAccessCanBeTurnedOff() async throws {
        let i = interpreter(try Sandbox(path: ":memory:"), Output(), Capabilities(fileAccess: false))
        #expect(await code { try await i.run("open /etc/hostname") } == "E0220")
        #expect(await code { try await i.run("[1] | save /tmp/tms-should-not-exist.json") } == "E0220")
    }

    @Test func hostVerbsWorkInTheMiddleOfPipelines() async throws {
        let notified = Mutex<[String]>([])
        let notify = Verb(
            Signature(
                "notify", category: .host, keywords: [.optional("channel", .string, help: "where to post")],
                input: "trackings", output: "the same trackings", summary: "posts each tracking to a chat channel")
        ) { call in
            let channel = call.string("channel") ?? "general"
            let stream = try call.inputStream()
            return .stream(ValueStream {
                guard let item = try await stream.next() else { return nil }
                notified.withLock { $0.append("#\(channel): \(item["tracking_number"]?.description ?? "?")") }
                return item
            })
        }
        let out = Output()
        let i = interpreter(try Sandbox(path: ":memory:"), out)
        i.register(notify)
        try await i.run("sandbox seed 5\nlist | notify channel=ops | where status != pending | count")
        #expect(notified.withLock { $0.count } == 5)
        #expect(notified.withLock { $0.allSatisfy { $0.hasPrefix("#ops: ") } })
        // Host verbs are checked and documented like built-in ones.
        #expect(await code { try await i.run("notify chanel=ops") } == "E0103")
        try await i.run("help notify")
        #expect(out.value.contains("notify: posts each tracking to a chat channel"))
    }

    @Test func runsAFileWithItsArguments() async throws {
        let path = "/tmp/tms-embedding-test-\(UInt32.random(in: 0...UInt32.max)).tms"
        let text = "param {\n  n: int = 1  # how many\n}\n$n * 2\n"
        let f = fopen(path, "w")
        _ = fputs(text, f)
        fclose(f)
        defer { unlink(path) }
        let out = Output()
        let i = interpreter(try Sandbox(path: ":memory:"), out)
        try await i.run(file: path, arguments: ["--n", "21"])
        #expect(out.value == "42\n")
        #expect(await code { try await self.interpreter(try Sandbox(path: ":memory:"), Output()).run(file: path, arguments: ["--n", "x"]) } == "E0216")
        #expect(await code { try await self.interpreter(try Sandbox(path: ":memory:"), Output()).run(file: "/nonexistent.tms") } == "E0209")
        // --help prints the usage, as `tms FILE --help` does, and runs nothing.
        let help = Output()
        try await interpreter(try Sandbox(path: ":memory:"), help).run(file: path, arguments: ["--help"])
        #expect(help.value == "usage: tms \(path) [--n INT]\n\nparameters:\n  --n int = 1  how many\n")
    }

    @Test func resultsDecodeIntoSwiftTypes() async throws {
        struct Tracking: Decodable {
            let trackingNumber: String
            let carrierCode: String
            let status: String
        }
        let i = interpreter(try Sandbox(path: ":memory:"), Output())
        let value = try await i.run("create china-post RR123456785CN\nget china-post RR123456785CN", printResults: false)
        let tracking = try value.decode(Tracking.self, keyDecoding: .convertFromSnakeCase)
        #expect(tracking.trackingNumber == "RR123456785CN")
        #expect(tracking.carrierCode == "china-post")
        #expect(tracking.status == "pending")
    }

    @Test func interpretersAreIndependentAndRunConcurrently() async throws {
        let sandbox = try Sandbox(path: ":memory:")
        let results = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for n in 0..<4 {
                group.addTask {
                    let out = Output()
                    let i = self.interpreter(sandbox, out)
                    try await i.run("let me = \(n)\ndef who { $me }\nfor k in [1, 2, 3] { who }\ncreate sto 40293429906\(n) | select tracking_number")
                    return (n, out.value)
                }
            }
            var all: [(Int, String)] = []
            for try await r in group { all.append(r) }
            return all.sorted { $0.0 < $1.0 }
        }
        for (n, text) in results {
            #expect(text == "\(n)\n\(n)\n\(n)\ntracking_number | 40293429906\(n)\n")
        }
        // They shared the sandbox they were given, and nothing else.
        let check = interpreter(sandbox, Output())
        #expect(try await check.run("list | count", printResults: false) == 4)
        #expect(await code { try await check.run("$me") } == "E0102")
    }

    @Test func cancellingTheHostTaskStopsNewRequests() async throws {
        let sandbox = try Sandbox(path: ":memory:")
        _ = try await interpreter(sandbox, Output()).run("sandbox seed 30", printResults: false)
        let made = Mutex(0)
        let task = Task { () async throws -> Value in
            let i = self.interpreter(sandbox, Output())
            defer { made.withLock { $0 = i.api?.requestsMade ?? 0 } }
            return try await i.run("list limit=1 | each { sleep 50ms; $it } | count")
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        // A page a request: it stopped long before the 30 pages.
        let requests = made.withLock { $0 }
        #expect(requests > 0 && requests < 30)
    }
}
