import TrackingMore

extension Interpreter {
    /// `explain PIPELINE`: runs the pipeline with every write described instead of sent (the
    /// API session writes the description).
    func explain(_ pipeline: Pipeline, _ frame: Frame) async throws {
        guard let api else {
            throw TMSError(.noBackend(pipeline.span))
        }
        write(try await api.explaining(capabilities) { _ = try await run(pipeline, frame, input: nil).collect() })
    }
}
