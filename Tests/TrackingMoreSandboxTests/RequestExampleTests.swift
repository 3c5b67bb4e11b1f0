import Testing
import TrackingMore
@testable import TrackingMoreSandbox

/// The catalog's request examples (what the OpenAPI document shows as each operation's
/// `example:`) are requests the sandbox accepts: each, sent to an empty account after the
/// examples it names in `after`, is answered with success, and a bulk example has every item
/// done. (Tests/openapi.py checks that each validates against its operation's schema.)
@Suite struct RequestExampleTests {
    /// What is wrong with an example's answer: an error, or a bulk item not done.
    func problem(_ answer: Envelope) -> String? {
        guard answer.meta.code == 200 || answer.meta.code == 201 else { return "meta \(answer.meta.code) \(answer.meta.message)" }
        if let errors = answer.data["errors"]?.listValue, !errors.isEmpty { return "items refused: \(JSON.list(errors).compactText)" }
        for item in answer.data["trackings"]?.listValue ?? [] {
            if let code = (item["code"] ?? item["meta"]?["code"])?.intValue, code != 200 { return "an item answered \(code)" }
        }
        return nil
    }

    @Test(arguments: Catalog.endpoints.filter { $0.requestExample != nil }.map(\.id))
    func theSandboxAcceptsTheExample(_ id: Endpoint.ID) async throws {
        let sandbox = try Sandbox(path: ":memory:")
        var sent = Set<Endpoint.ID>()
        for (e, answer) in try await sandbox.sendExample(id, sent: &sent) {
            #expect(problem(answer) == nil, "\(e.title) (example of \(id)): \(problem(answer) ?? "")")
        }
    }

    @Test func everyEndpointWithParametersOrABodyHasAnExample() {
        for e in Catalog.endpoints {
            let takesSomething = !e.query.isEmpty || e.body.fields.isEmpty == false
            #expect(!takesSomething || e.requestExample != nil, "\(e.title) takes a body or query parameters and has no example")
        }
    }
}

extension Sandbox {
    /// Sends the endpoint's request example, after the examples it names in `after` (each
    /// once: `sent` holds those sent already), or its bare request when it has none; the
    /// answers, this endpoint's last.
    func sendExample(_ id: Endpoint.ID, sent: inout Set<Endpoint.ID>) async throws -> [(Endpoint, Envelope)] {
        let e = Catalog.endpoint(id)
        var answers: [(Endpoint, Envelope)] = []
        for first in e.requestExample?.after ?? [] where !sent.contains(first) {
            answers += try await sendExample(first, sent: &sent)
        }
        let request = e.exampleRequest ?? APIRequest(method: e.method.rawValue, path: e.path)
        answers.append((e, await handle(request, apiKey: nil)))
        sent.insert(id)
        return answers
    }
}
