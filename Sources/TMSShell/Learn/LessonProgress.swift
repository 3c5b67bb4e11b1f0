import TMS
import TrackingMore

#if canImport(Glibc)
import Glibc
#endif

/// What one learner has done: for each lesson (by folder name) `started` or `done`, with the
/// real time of the last change. Kept as JSON in a file of its own per learner.
public struct LessonProgress {
    public enum State: String, Sendable {
        case new, started, done
    }

    public let path: String
    var entries: Record

    /// Reads the learner's file; a missing file is no progress yet.
    public init(path: String) throws {
        self.path = path
        guard access(path, F_OK) == 0 else {
            entries = Record()
            return
        }
        let bytes = try readFile(path)
        guard let record = (try? JSON.parse(bytes))?["lessons"]?.recordValue else {
            throw LessonError("\(path) is not a tms progress file; remove it or run tms learn --reset")
        }
        entries = record
    }

    public func state(_ lesson: Lesson) -> State {
        entries[lesson.id]?["state"]?.stringValue.flatMap(State.init) ?? .new
    }

    /// The real time of the lesson's last change, as ISO text; nil when never started.
    public func time(_ lesson: Lesson) -> String? {
        entries[lesson.id]?["at"]?.stringValue
    }

    /// Records a new state (a done lesson stays done when started again) and saves the file.
    public mutating func set(_ lesson: Lesson, _ state: State) throws {
        let keep = self.state(lesson) == .done && state == .started
        entries[lesson.id] = .record(Record([
            ("state", .string(keep ? State.done.rawValue : state.rawValue)),
            ("at", .string(UTC.iso(Int(Glibc.time(nil))))),
        ]))
        try save()
    }

    /// Forgets a learner's progress: the file at `path` is removed (unread).
    public static func forget(_ path: String) throws {
        if access(path, F_OK) == 0, unlink(path) != 0 {
            throw LessonError("cannot remove \(path): \(String(cString: strerror(errno)))")
        }
    }

    func save() throws {
        let text = JSON.record(Record([("lessons", .record(entries))])).compactText + "\n"
        let temporary = path + ".tmp"
        guard let f = fopen(temporary, "wb") else { throw LessonError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = fwrite(bytes, 1, bytes.count, f)
        let closed = fclose(f)
        guard written == bytes.count, closed == 0, rename(temporary, path) == 0 else {
            throw LessonError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
