import Foundation
import TrackingMore

extension JSON {
    /// The value decoded into a `Decodable` Swift type, as JSONDecoder reads JSON text (keys
    /// are the API's, e.g. `tracking_number`; use CodingKeys or `keyDecoding`).
    public func decode<T: Decodable>(_ type: T.Type, keyDecoding: JSONDecoder.KeyDecodingStrategy = .useDefaultKeys) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = keyDecoding
        return try decoder.decode(T.self, from: Data(bytes))
    }
}
