import TrackingMore

#if canImport(Glibc)
import Glibc
#endif

/// A classroom on `tms serve`: each student's key is an account; `tms learn --endpoint`
/// records the lessons taken there, and the teacher reads, resets and re-seeds accounts by
/// the key's name.
extension Sandbox {
    /// One student: the key's name and what their account recorded.
    public struct Student: Sendable {
        public var name: String
        public var revoked: Bool
        public var lessons: [LessonRecord]
        /// The real time of the latest lesson event; nil when none.
        public var lastActivity: Int? { lessons.map(\.at).max() }
        public var done: [LessonRecord] { lessons.filter { $0.state == "done" } }
    }

    /// `POST /sandbox/lessons {lesson, title, state}`: the learner started or finished a lesson.
    func recordLesson(_ call: Call) throws -> Envelope {
        guard let lesson = try call.string(call.object, "lesson"), !lesson.isEmpty, lesson.utf8.count <= 200 else {
            throw Refusal(.badRequest, "lesson must be the lesson's name, 1 to 200 characters.")
        }
        guard let state = try call.string(call.object, "state"), state == "started" || state == "done" else {
            throw Refusal(.badRequest, "state must be started or done.")
        }
        let title = String((try call.string(call.object, "title") ?? lesson).prefix(200))
        let record = LessonRecord(lesson: lesson, title: title, state: state, at: Int(time(nil)))
        try call.store.recordLesson(call.account, record)
        let stored = try call.store.lessons(call.account).first { $0.lesson == lesson }
        return Envelope(.success, Catalog.lessonResult.make(["lesson": .string(lesson), "state": .string(stored?.state ?? state), "at": .string(UTC.iso(record.at))]))
    }

    /// Every key of the database with the lessons its account recorded, by name.
    public func students() throws -> [Student] {
        try store.keys().map { key in
            let lessons = try store.keyHash(name: key.name).map { hash in try store.read { try $0.lessons(hash) } } ?? []
            return Student(name: key.name, revoked: key.revoked, lessons: lessons)
        }
    }

    /// Empties the account of the key named `name` (trackings, clock, quota) and, with
    /// `lessons`, forgets its lessons too. False when there is no such key.
    public func resetAccount(name: String, lessons: Bool) throws -> Bool {
        guard let hash = try store.keyHash(name: name) else { return false }
        try store.write { try $0.reset(hash) }
        if lessons { try store.forgetLessons(hash) }
        return true
    }

    /// Adds `count` seeded trackings to the account of the key named `name`, as
    /// `sandbox seed` does for the student. Nil when there is no such key.
    public func seedAccount(name: String, count: Int) throws -> Envelope? {
        guard let hash = try store.keyHash(name: name) else { return nil }
        let endpoint = Catalog.endpoint(.sandboxSeed)
        let request = APIRequest(method: "POST", path: endpoint.path, body: Array(JSON.record(Record([("count", .int(count))])).compactText.utf8))
        do {
            let body = try Call.body(of: request, for: endpoint)
            return try store.write { transaction in
                let now = try transaction.account(hash).clock
                return try seed(Call(endpoint: endpoint, request: request, body: body, pathValues: [:], account: hash, now: now, store: transaction))
            }
        } catch let refusal as Refusal {
            return refusal.envelope
        }
    }
}
