import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C while a `listen` stream is read ends the stream instead of the program, so its
/// pipeline finishes (`listen | save events.jsonl` saves what came) and `tms listen` exits 0.
/// A signal handler can reach only process-wide state, so this flag is the module's one
/// global; the handler that was there before (the REPL's) is put back when the stream ends.
enum ListenInterrupt {
    static let raised = Atomic<Bool>(false)

    /// Installs the handler; returns the one it replaced.
    static func install() -> __sighandler_t? {
        raised.store(false, ordering: .relaxed)
        return signal(SIGINT) { _ in ListenInterrupt.raised.store(true, ordering: .relaxed) }
    }

    static func restore(_ previous: __sighandler_t?) {
        signal(SIGINT, previous)
    }

    /// Stops `listener` on Ctrl-C or after `timeout`, whichever comes first; cancel the task
    /// when the stream ends otherwise.
    static func watch(_ listener: WebhookListener, timeout: Duration?) -> Task<Void, Never> {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        return Task { [weak listener] in
            while !Task.isCancelled {
                if raised.load(ordering: .relaxed) { break }
                if let deadline, ContinuousClock.now >= deadline { break }
                try? await Task.sleep(for: .milliseconds(50))
            }
            listener?.stop()
        }
    }
}

/// While it lives, Ctrl-C (or the timeout) stops a listener; `finish` puts Ctrl-C back.
public final class InterruptWatch {
    let listener: WebhookListener
    let watcher: Task<Void, Never>
    let previousHandler: __sighandler_t?
    var finished = false

    init(_ listener: WebhookListener, timeout: Duration?) {
        self.listener = listener
        previousHandler = ListenInterrupt.install()
        watcher = ListenInterrupt.watch(listener, timeout: timeout)
    }

    /// Stops the listener and gives Ctrl-C back to the handler that had it.
    public func finish() {
        guard !finished else { return }
        finished = true
        watcher.cancel()
        listener.stop()
        ListenInterrupt.restore(previousHandler)
    }

    deinit {
        finish()
    }
}

extension WebhookListener {
    /// Ctrl-C or `timeout` ends the listener's stream until `finish` is called.
    public func stopOnInterrupt(timeout: Duration?) -> InterruptWatch {
        InterruptWatch(self, timeout: timeout)
    }
}
