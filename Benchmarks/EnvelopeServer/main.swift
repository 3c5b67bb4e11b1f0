// The peer of `tms serve` in `make bench`: a Hummingbird server that answers every request
// with the same bytes (an envelope captured from tms serve, so both send the same size), set
// up as tms serve sets up its own (one responder, no router, no logging). What tms serve
// does on top of this (authenticating the key, reading the store, rendering the tracking)
// is what the benchmark's ratio measures.
//
//     tms-envelope-server FILE PORT      prints "listening on http://127.0.0.1:PORT"
import Hummingbird
import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

struct FixedResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let body: ByteBuffer

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: body))
    }
}

func say(_ fd: Int32, _ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[2]), let file = fopen(arguments[1], "rb") else {
    say(2, "usage: tms-envelope-server FILE PORT\n")
    exit(2)
}
var bytes: [UInt8] = []
var chunk = [UInt8](repeating: 0, count: 65536)
while true {
    let n = fread(&chunk, 1, chunk.count, file)
    if n <= 0 { break }
    bytes += chunk[0..<n]
}
fclose(file)

let app = Application(
    responder: FixedResponder(body: ByteBuffer(bytes: bytes)),
    configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: "tms"),
    onServerRunning: { channel in
        say(1, "listening on http://127.0.0.1:\(channel.localAddress?.port ?? port)\n")
    },
    logger: Logger(label: "envelope-server", factory: { _ in SwiftLogNoOpLogHandler() })
)
try await app.runService()
