import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import TrackingMore

/// HTTPTransport against a local server that misbehaves on purpose: 429s, 500s, slow answers,
/// and a port where nothing listens.
@Suite struct HTTPTransportTests {
    /// A server on 127.0.0.1 whose answers are scripted per request number.
    final class FaultyServer: Sendable {
        let count = Mutex(0)
        let script: @Sendable (Int, Request) async throws -> (status: HTTPResponse.Status, body: String)

        init(_ script: @escaping @Sendable (Int, Request) async throws -> (status: HTTPResponse.Status, body: String)) {
            self.script = script
        }

        var requests: Int { count.withLock { $0 } }

        func run<T: Sendable>(_ body: @escaping @Sendable (String) async throws -> T) async throws -> T {
            let router = Router()
            router.on("/v2/**", method: .get) { request, _ in try await self.answer(request) }
            router.on("/v2/**", method: .post) { request, _ in try await self.answer(request) }
            let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
            let app = Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await app.run()
                    return nil
                }
                var port = 0
                for await p in stream {
                    port = p
                    break
                }
                let result = try await body("http://127.0.0.1:\(port)/v2")
                group.cancelAll()
                return result
            }
        }

        func answer(_ request: Request) async throws -> Response {
            let n = count.withLock { c in
                c += 1
                return c
            }
            let (status, text) = try await script(n, request)
            var buffer = ByteBuffer()
            buffer.writeString(text)
            return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
        }
    }

    static let ok = #"{"meta":{"code":200,"type":"Success","message":"Success"},"data":{"email":"a@b.c"}}"#
    static let fast = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50), rateLimitPause: .milliseconds(100))
    let userinfo = APIRequest(method: "GET", path: "/trackings/getuserinfo")

    @Test func readsErrorsFromMetaEvenWithHTTP200() async throws {
        let server = FaultyServer { _, _ in (.ok, #"{"meta":{"code":4017,"type":"Bad Request","message":"Tracking does not exist."},"data":[]}"#) }
        let envelope = try await server.run { url in
            try await HTTPTransport(baseURL: url, apiKey: "k", retry: Self.fast).send(APIRequest(method: "GET", path: "/trackings/sto/12345"))
        }
        #expect(envelope.meta.code == 4017)
        #expect(server.requests == 1)
    }

    @Test func sendsTheKeyAndJSON() async throws {
        let server = FaultyServer { _, request in
            let key = request.headers.first { $0.name.canonicalName == "trackingmore-api-key" }?.value ?? ""
            let type = request.headers[.contentType] ?? ""
            return (.ok, #"{"meta":{"code":200,"type":"Success","message":"Success"},"data":{"key":"\#(key)","type":"\#(type)"}}"#)
        }
        let envelope = try await server.run { url in try await HTTPTransport(baseURL: url, apiKey: "secret-9f3a").send(self.userinfo) }
        #expect(envelope.data["key"] == "secret-9f3a")
        #expect(envelope.data["type"] == "application/json")
    }

    @Test func retriesAfter429And500ThenSucceeds() async throws {
        let server = FaultyServer { n, _ in
            switch n {
            case 1: return (.ok, #"{"meta":{"code":429,"type":"Too Many Requests","message":"slow down"},"data":[]}"#)
            case 2: return (.internalServerError, "oops")
            default: return (.ok, HTTPTransportTests.ok)
            }
        }
        let waits = Mutex<[String]>([])
        let envelope = try await server.run { url in
            try await HTTPTransport(baseURL: url, apiKey: "k", retry: Self.fast, limiter: RateLimiter(rates: [:]), onWait: { line in waits.withLock { $0.append(line) } }).send(self.userinfo)
        }
        #expect(envelope.meta.code == 200)
        #expect(server.requests == 3)
        #expect(waits.withLock { $0.contains { $0.contains("rate limit (429)") } })
        #expect(waits.withLock { $0.contains { $0.contains("server error (500)") } })
    }

    @Test func givesUpAfterTheLastAttempt() async throws {
        let server = FaultyServer { _, _ in (.serviceUnavailable, "down") }
        let envelope = try await server.run { url in try await HTTPTransport(baseURL: url, apiKey: "k", retry: Self.fast).send(self.userinfo) }
        #expect(envelope.meta.code == 503)
        #expect(server.requests == 4)
    }

    @Test func doesNotRepeatAnUnsafeWriteAfterA500() async throws {
        let server = FaultyServer { _, _ in (.ok, #"{"meta":{"code":500,"type":"Server error","message":"x"},"data":[]}"#) }
        let request = APIRequest(method: "POST", path: "/trackings/update", body: Array(#"{"tracking_number":"12345","carrier_code":"a","update_carrier_code":"b"}"#.utf8))
        let envelope = try await server.run { url in try await HTTPTransport(baseURL: url, apiKey: "k", retry: Self.fast).send(request) }
        #expect(envelope.meta.code == 500)
        #expect(server.requests == 1)
    }

    @Test func aCreateRetriedIntoExistsCountsAsCreated() async throws {
        let server = FaultyServer { n, request in
            if request.method == .get { return (.ok, #"{"meta":{"code":200,"type":"Success","message":"Success"},"data":{"tracking_number":"12345"}}"#) }
            return n == 1 ? (.badGateway, "lost") : (.ok, #"{"meta":{"code":4016,"type":"Bad Request","message":"Tracking already exists."},"data":[]}"#)
        }
        let request = APIRequest(method: "POST", path: "/trackings/post", body: Array(#"{"tracking_number":"12345","carrier_code":"sto"}"#.utf8))
        let envelope = try await server.run { url in try await HTTPTransport(baseURL: url, apiKey: "k", retry: Self.fast).send(request) }
        #expect(envelope.meta.code == 200)
        #expect(envelope.data["tracking_number"] == "12345")
    }

    /// The request limit covers the whole exchange, retries included: a server slower than it
    /// is given up on at the limit, once, not after four attempts of the limit each.
    @Test func aSlowAnswerIsGivenUpOnAtTheLimit() async throws {
        let server = FaultyServer { _, _ in
            try await Task.sleep(for: .seconds(3))
            return (.ok, HTTPTransportTests.ok)
        }
        let error = try await server.run { url in
            await #expect(throws: TransportError.self) {
                try await HTTPTransport(baseURL: url, apiKey: "k", retry: Self.fast, requestTimeout: .milliseconds(500)).send(self.userinfo)
            }
        }
        #expect(error.map { "\($0)".contains("no complete answer within 0.5 s") } == true)
        #expect(server.requests == 1)
    }

    /// A fast failure is retried within the limit.
    @Test func aDroppedAnswerIsRetriedWithinTheLimit() async throws {
        let server = FaultyServer { n, _ in (n == 1 ? .badGateway : .ok, n == 1 ? "lost" : HTTPTransportTests.ok) }
        let envelope = try await server.run { url in
            try await HTTPTransport(baseURL: url, apiKey: "k", retry: Self.fast, requestTimeout: .seconds(5)).send(self.userinfo)
        }
        #expect(envelope.meta.code == 200)
        #expect(server.requests == 2)
    }

    /// A key that cannot go in a header is refused before any request, and the error does not
    /// show it; a server's Retry-After is honoured, capped.
    @Test func aKeyWithAControlCharacterIsRefusedUnsent() async throws {
        let server = FaultyServer { _, _ in (.ok, HTTPTransportTests.ok) }
        let key = "tms_secret_key_0123456789\r"
        let error = try await server.run { url in
            await #expect(throws: TransportError.self) { try await HTTPTransport(baseURL: url, apiKey: key, retry: Self.fast).send(self.userinfo) }
        }
        #expect(server.requests == 0)
        #expect(error.map { "\($0)".contains("carriage return") && !"\($0)".contains("secret") } == true)
        #expect(maskKey("tms_secret_key_0123456789") == "••••6789")
        #expect(maskKey("short_key") == "••••")
        #expect(maskKey(key) == "••••")
    }

    @Test func sandboxControlsAreNotRepeated() async throws {
        let server = FaultyServer { _, _ in (.badGateway, "lost") }
        let advance = APIRequest(method: "POST", path: "/sandbox/advance", body: Array(#"{"seconds":86400}"#.utf8))
        let envelope = try await server.run { url in try await HTTPTransport(baseURL: url, apiKey: "k", retry: Self.fast).send(advance) }
        #expect(envelope.meta.code == 502)
        #expect(server.requests == 1)
    }

    @Test func aRefusedConnectionIsANetworkErrorAfterRetries() async throws {
        // Port 1 on loopback: nothing listens there. A short connect timeout keeps the test quick.
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .milliseconds(200))))
        let transport = HTTPTransport(baseURL: "http://127.0.0.1:1/v2", apiKey: "k", retry: Self.fast, client: client)
        await #expect(throws: TransportError.self) { try await transport.send(self.userinfo) }
        try await client.shutdown()
    }

    @Test func aDroppedConnectionIsRetriedThenReported() async throws {
        // A server that accepts each connection and closes it at once, before any answer.
        let accepted = Mutex(0)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                accepted.withLock { $0 += 1 }
                return channel.close()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = server.localAddress?.port ?? 0
        let transport = HTTPTransport(baseURL: "http://127.0.0.1:\(port)/v2", apiKey: "k", retry: Self.fast)
        await #expect(throws: TransportError.self) { try await transport.send(self.userinfo) }
        #expect(accepted.withLock { $0 } >= Self.fast.maxAttempts)
        try await server.close()
    }

    @Test func theRateLimiterPacesRequests() async throws {
        let limiter = RateLimiter(rates: [.general: 20])
        let start = ContinuousClock.now
        for _ in 0..<11 { _ = try await limiter.acquire(.general) }
        // One token to start, then 20 a second: ten more need about half a second.
        #expect(ContinuousClock.now - start >= .milliseconds(450))
        let fast = ContinuousClock.now
        _ = try await limiter.acquire(.none)
        #expect(ContinuousClock.now - fast < .milliseconds(100))
    }

    @Test func limitersAreSharedPerAPIAndKey() {
        let a = RateLimiter.shared(baseURL: "http://x/v2", apiKey: "k1", rates: RateLimiter.liveRates)
        let b = RateLimiter.shared(baseURL: "http://x/v2", apiKey: "k1", rates: RateLimiter.liveRates)
        let c = RateLimiter.shared(baseURL: "http://x/v2", apiKey: "k2", rates: RateLimiter.liveRates)
        #expect(a === b)
        #expect(a !== c)
    }

    @Test func theGuardStopsWrites() async throws {
        final class Recorder: Transport {
            let sent = Mutex<[String]>([])
            func send(_ request: APIRequest) async throws -> Envelope {
                sent.withLock { $0.append(request.method + " " + request.path) }
                return Envelope(.success, .list([]))
            }
        }
        let recorder = Recorder()
        let described = Mutex<[String]>([])
        let dry = GuardedTransport(recorder, mode: .dryRun) { r, _ in described.withLock { $0.append(r.path) } }
        _ = try await dry.send(APIRequest(method: "POST", path: "/trackings/post", body: Array(#"{"a":1}"#.utf8)))
        _ = try await dry.send(APIRequest(method: "POST", path: "/trackings/realtime", body: []))
        _ = try await dry.send(APIRequest(method: "GET", path: "/trackings/get"))
        #expect(recorder.sent.withLock { $0 } == ["POST /trackings/realtime", "GET /trackings/get"])
        #expect(described.withLock { $0 } == ["/trackings/post"])
        let readOnly = GuardedTransport(recorder, mode: .readOnly)
        await #expect(throws: TransportError.self) { try await readOnly.send(APIRequest(method: "DELETE", path: "/trackings/sto/12345")) }
        await #expect(throws: TransportError.self) { try await readOnly.send(APIRequest(method: "PUT", path: "/trackings/sto/12345")) }
    }
}
