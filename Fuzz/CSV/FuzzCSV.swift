import FuzzSupport
@testable import TMS
import TrackingMore

// libFuzzer target: the CSV reader (and the format guess of piped data). Every row is a
// record or an error with a line number; reading ends.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    blocking {
        for format in [DataFormat.csv, nil] {
            guard let value = try? DataFormat.read(ByteWindow(bytes, name: "fuzz"), format: format) else { continue }
            _ = try? await value.collect()
        }
    }
    return 0
}
