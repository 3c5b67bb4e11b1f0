import FuzzSupport
import TrackingMore
import TrackingMoreSandbox

// libFuzzer target: the sandbox's request handler, as tms serve calls it. An input is
// `METHOD PATH?QUERY` on its first line, then the body; the first byte picks one of three keys
// (or none), so tenancy paths are exercised too. Every answer must be an envelope.

private let sandbox: Sandbox? = try? Sandbox(path: ":memory:")
private let keys: [String?] = [nil, "fuzz-a", "fuzz-b", ""]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSandbox(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let sandbox, let first = bytes.first else { return 0 }
    let rest = bytes.dropFirst()
    let line = rest.prefix { $0 != 0x0A }
    let body = Array(rest.dropFirst(line.count + 1))
    let head = String(decoding: line, as: UTF8.self)
    let parts = head.split(separator: " ", maxSplits: 1)
    let method = parts.first.map(String.init) ?? "GET"
    let target = parts.count > 1 ? String(parts[1]) : "/"
    let pathAndQuery = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    let path = String(pathAndQuery.first ?? "/")
    let query = pathAndQuery.count > 1 ? APIRequest.parseQuery(pathAndQuery[1]) : []
    let request = APIRequest(method: method, path: path, query: query, body: body.isEmpty ? nil : body)
    blocking {
        let envelope = await sandbox.handle(request, apiKey: keys[Int(first) % keys.count])
        // The answer must serialise and read back as the same envelope.
        guard let back = try? JSON.parse(envelope.json.bytes), Envelope(json: back) != nil else {
            fatalError("the sandbox answered something that is not an envelope: \(envelope.json)")
        }
    }
    return 0
}
