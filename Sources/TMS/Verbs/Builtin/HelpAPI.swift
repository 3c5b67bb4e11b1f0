import TrackingMore

extension Help {
    /// `help api`: every API verb beside the endpoints it calls, reads first, then writes (a
    /// verb writes when one of its endpoints does, by the catalog), each group in the order of
    /// the API's own index; then the sandbox's own endpoints.
    public static func apiTable(_ registry: VerbRegistry) -> String {
        let order = Dictionary(Catalog.endpoints.enumerated().map { ($0.element.title, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let byTitle = Dictionary(Catalog.endpoints.map { ($0.title, $0) }, uniquingKeysWith: { a, _ in a })
        let verbs = registry.all.map(\.signature).filter { $0.category == .api && !$0.endpoints.isEmpty }
            .sorted { (order[$0.endpoints[0]] ?? .max, $0.name) < (order[$1.endpoints[0]] ?? .max, $1.name) }
        func name(_ s: Signature) -> String {
            s.aliases.isEmpty ? s.name : "\(s.name) [\(s.aliases.joined(separator: ", "))]"
        }
        func line(_ left: String, _ title: String, width: Int) -> String {
            let (method, path) = split(title)
            return "  " + pad(left, width) + "  " + pad(method, 6) + " " + path + "\n"
        }
        let width = verbs.map { name($0).count }.max() ?? 0
        var out = "API verbs and the endpoints they call (help VERB shows one in full):\n"
        let groups: [(String, Bool)] = [("Reads (they change nothing):", false), ("Writes (they change the account's trackings):", true)]
        for (heading, writes) in groups {
            out += "\n\(heading)\n"
            for s in verbs where s.endpoints.contains(where: { byTitle[$0]?.writes == true }) == writes {
                for (i, title) in s.endpoints.enumerated() {
                    out += line(i == 0 ? name(s) : "", title, width: width)
                }
            }
        }
        let called = Set(verbs.flatMap(\.endpoints))
        // Another form of a call a verb makes (POST /trackings/get beside the GET) is not missing.
        let calledPaths = Set(Catalog.endpoints.filter { called.contains($0.title) }.map(\.path))
        let uncovered = Catalog.endpoints.filter { !$0.sandboxOnly && !called.contains($0.title) && !calledPaths.contains($0.path) }
        if !uncovered.isEmpty {
            out += "\nNo verb yet:\n" + uncovered.map { line("", $0.title, width: width) }.joined()
        }
        let sandbox = Catalog.endpoints.filter(\.sandboxOnly)
        if !sandbox.isEmpty {
            out += "\nThe sandbox's own (not in the live API):\n"
            let w = max(width, sandbox.map(\.example.count).max() ?? 0)
            for e in sandbox {
                out += line(e.id == .sandboxClock ? "(relative times: 7d)" : e.example, e.title, width: w)
            }
        }
        return out
    }

    private static func split(_ title: String) -> (String, String) {
        guard let blank = title.firstIndex(of: " ") else { return ("", title) }
        return (String(title[..<blank]), String(title[title.index(after: blank)...]))
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
