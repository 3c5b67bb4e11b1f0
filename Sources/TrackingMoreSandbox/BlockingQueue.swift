import Dispatch

/// A serial queue for blocking work, awaited from async code without blocking the caller's
/// thread (Swift's cooperative pool has one thread per core).
final class BlockingQueue: Sendable {
    let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label) }

    /// Runs `body` on the queue and waits for it without holding a thread.
    func run<T>(_ body: () throws -> T) async throws -> T {
        try await withoutActuallyEscaping(body) { body in
            let job = Job(body)
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                queue.async {
                    job.run()
                    done.resume()
                }
            }
            // The continuation's resume orders the job's writes before this read.
            return try job.result!.get()
        }
    }

    /// A body and its result, handed to the queue's thread and back: only one thread
    /// touches it at a time (the queue's while it runs, the caller's after `resume`).
    private final class Job<T>: @unchecked Sendable {
        /// Let go of once run: the body may not outlive `run`'s call (withoutActuallyEscaping).
        var body: (() throws -> T)?
        var result: Result<T, any Error>?
        init(_ body: @escaping () throws -> T) { self.body = body }
        func run() {
            result = Result { try body!() }
            body = nil
        }
    }
}
