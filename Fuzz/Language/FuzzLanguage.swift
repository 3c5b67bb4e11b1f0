import FuzzSupport
import TMS
import TrackingMore
import TrackingMoreSandbox

// libFuzzer target: the language. Each input is a script, lexed, parsed, checked and run by an
// interpreter with an in-memory sandbox, no file access, a request budget and a deadline, so
// any crash, trap or hang is tms's own. An error the script earns is fine; only a crash is not.

private let sandbox: Sandbox? = try? Sandbox(path: ":memory:")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLanguage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let sandbox else { return 0 }
    blocking {
        let interpreter = Interpreter(output: { _ in })
        interpreter.capabilities = Capabilities(requestBudget: 20, deadline: ContinuousClock.now + .seconds(2), fileAccess: false)
        interpreter.api = APISession(backend: .sandbox) { InProcessTransport(sandbox: sandbox) }
        _ = try? await interpreter.run(SourceFile(name: "<fuzz>", bytes: bytes))
    }
    return 0
}
