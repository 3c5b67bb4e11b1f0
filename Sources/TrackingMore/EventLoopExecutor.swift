import NIOCore

/// Runs tasks on NIO's event loops rather than on Swift's cooperative pool, so that work that
/// waits for I/O on a loop resumes there without waking another thread: `tms serve`'s tasks
/// prefer it (`withTaskExecutorPreference`), so that a request is read, answered and written
/// on its connection's event loop, and so do tms's bulk calls (`HTTPTransport.taskExecutor`),
/// which start their requests and read their answers on the HTTP client's one loop.
///
/// Made for a group, a job runs on the event loop that enqueues it when there is one (a
/// connection's task resumed by its channel) and on any loop of the group otherwise. Made for
/// one loop (`SandboxResponder` makes one for each request's channel), every job runs on it:
/// the request's task comes back to its channel's loop when the writer resumes it.
///
/// The cooperative pool has a thread per core, as NIO's default group has a loop per core: work
/// that holds its thread (a read transaction, the microseconds of a GET) holds the same share
/// of the machine on either.
public final class EventLoopExecutor: TaskExecutor {
    let loops: any EventLoopGroup

    public init(_ loops: any EventLoopGroup) { self.loops = loops }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // `any()` is the current loop when called on one of the group's loops (or the loop itself).
        loops.any().execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
