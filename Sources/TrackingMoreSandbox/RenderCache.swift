import Synchronization
import TrackingMore

/// Trackings as last rendered, so that reading the same tracking again at the same clock
/// time (tms serve answering a client that polls, a list paged through twice) does not run
/// the route simulation and build the object again. An entry is used only when the stored
/// tracking equals the one it was rendered from and the clock is the same, since those are
/// all the rendering reads: a write, in this process or another on the same database, makes
/// the stored tracking differ, so nothing needs invalidating.
final class RenderCache: Sendable {
    private struct Entry {
        let tracking: StoredTracking
        let now: Int
        let json: JSON
        /// `json` as compact JSON text, for tms serve's answer.
        let bytes: [UInt8]
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Forgets everything past this many trackings (one page of the list is 100): a few MB.
    static let most = 2048

    func rendered(_ tracking: StoredTracking, now: Int, render: (StoredTracking, Int) -> JSON) -> (json: JSON, bytes: [UInt8]) {
        if let e = entries.withLock({ $0[tracking.id] }), e.now == now, e.tracking == tracking { return (e.json, e.bytes) }
        let json = render(tracking, now)
        let bytes = json.bytes
        entries.withLock { table in
            if table.count >= RenderCache.most { table.removeAll() }
            table[tracking.id] = Entry(tracking: tracking, now: now, json: json, bytes: bytes)
        }
        return (json, bytes)
    }
}

extension Sandbox {
    /// The full tracking object of `GET /trackings/{carrier}/{number}` at `now`, from the
    /// cache when it was rendered from the same stored tracking at the same time.
    func render(_ t: StoredTracking, now: Int) -> JSON {
        cachedRender(t, now: now).json
    }

    /// The answer of `GET /trackings/{carrier}/{number}`, with the tracking's JSON text from
    /// the cache for tms serve to send as it is.
    func renderedEnvelope(_ t: StoredTracking, now: Int) -> Envelope {
        let (json, bytes) = cachedRender(t, now: now)
        var envelope = Envelope(.success, json)
        envelope.encodedData = bytes
        return envelope
    }

    private func cachedRender(_ t: StoredTracking, now: Int) -> (json: JSON, bytes: [UInt8]) {
        rendered.rendered(t, now: now) { t, now in renderAfresh(t, now: now) }
    }
}
