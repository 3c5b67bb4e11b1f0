import TrackingMore

extension APISession {
    /// What became of the requests of a bulk call sent with several in flight.
    struct InFlightOutcome {
        /// Each request's data, in the requests' order; nil for one that got no answer it
        /// could use, or was never sent.
        var answers: [Value?]
        /// The first request (in order) that failed, and why; nil when all were answered.
        var failure: (index: Int, error: any Error)?
    }

    /// Sends `count` requests with up to `inFlight` of them on the way at once (a task group
    /// with a window), and returns their answers in the requests' order. Each request is made
    /// (`request(i)`, its body written) only when its turn to go comes, so that writing the
    /// later ones overlaps the answering of the first. Each goes through the same
    /// steps as `send`: the deadline, the budget and cancellation are checked, and the request
    /// is counted, before it starts; the answers are traced, dry-run writes described and meta
    /// errors found in order, whatever order they came back in. Retries stay the transport's,
    /// one request at a time, so what may not be repeated (sandbox controls) never is.
    ///
    /// The first failure (a request that failed for good, a refused meta, the deadline, the
    /// budget, Ctrl-C) stops new requests; those already on the way are waited for, so that
    /// what they did is known (after Ctrl-C for `answerWait` at most). `read` is told of each
    /// answer as it is read, in the requests' order: how many have been read, and this one's data
    /// (nil when it gave none), so that the caller can take it in while later ones are on the way.
    func sendInFlight(
        _ count: Int, request make: (_ index: Int) -> APIRequest, _ endpoint: Endpoint, _ span: Span, _ capabilities: Capabilities,
        read: ((_ answered: Int, _ answer: Value?) -> Void)? = nil
    ) async -> InFlightOutcome {
        var outcome = InFlightOutcome(answers: Array(repeating: nil, count: count))
        let transport: any Transport
        do {
            transport = try self.transport(capabilities)
        } catch {
            outcome.failure = (0, failure(error, count > 0 ? make(0) : APIRequest(method: "", path: ""), endpoint, span))
            return outcome
        }
        _ = await webhookTraceMark(before: endpoint, capabilities)
        let window = inFlight
        typealias Arrival = (index: Int, result: Result<Envelope, any Error>, elapsed: Duration)
        // On the transport's event loop, if it has one: see `Transport.taskExecutor`.
        await withTaskExecutorPreference(transport.taskExecutor) { await withTaskGroup(of: Arrival.self) { group in
            var requests: [APIRequest] = []
            requests.reserveCapacity(count)
            var next = 0
            var running = 0
            var stopped = false
            // Answers that came back before an earlier one, held until it is read.
            var early: [Int: Arrival] = [:]
            var taken = 0
            func stop(_ index: Int, _ error: any Error) {
                stopped = true
                if outcome.failure.map({ index < $0.index }) ?? true { outcome.failure = (index, error) }
            }
            while true {
                while !stopped, running < window, next < count {
                    do {
                        try begin(span, capabilities)
                    } catch {
                        stop(next, error)
                        break
                    }
                    let (index, request) = (next, make(next))
                    requests.append(request)
                    group.addTask {
                        let started = ContinuousClock.now
                        do {
                            return (index, .success(try await APISession.send(request, on: transport)), ContinuousClock.now - started)
                        } catch {
                            return (index, .failure(error), ContinuousClock.now - started)
                        }
                    }
                    next += 1
                    running += 1
                }
                guard let arrival = await group.next() else { break }
                running -= 1
                // A request that failed for good stops new ones at once, even while an earlier
                // one is still on the way; its error is taken in order, below.
                if case .failure = arrival.result { stopped = true }
                early[arrival.index] = arrival
                while let (index, result, elapsed) = early.removeValue(forKey: taken) {
                    taken += 1
                    let request = requests[index]
                    switch result {
                    case .success(let envelope):
                        do {
                            let mark = await webhookTraceMark(before: endpoint, capabilities)
                            outcome.answers[index] = try await finish(
                                envelope, request, endpoint, span, elapsed: elapsed, webhookMark: mark, capabilities,
                                notSent: notSent.take(request))
                        } catch {
                            stop(index, error)
                        }
                    case .failure(let error):
                        stop(index, failure(error, request, endpoint, span))
                    }
                    read?(taken, outcome.answers[index])
                }
            }
        } }
        return outcome
    }

    /// How long requests on the way get to answer after Ctrl-C (cancellation) before they are
    /// abandoned: an answer read is an item known done or refused, not "not confirmed".
    static let answerWait = Duration.seconds(1)

    /// Sends one request of a bulk call; when the call is cancelled meanwhile, the request is
    /// cancelled only `answerWait` later, if it has not been answered by then.
    static func send(_ request: APIRequest, on transport: any Transport) async throws -> Envelope {
        let sending = Task(executorPreference: transport.taskExecutor) { try await transport.send(request) }
        return try await withTaskCancellationHandler {
            try await sending.value
        } onCancel: {
            Task {
                try? await Task.sleep(for: answerWait)
                sending.cancel()
            }
        }
    }
}
