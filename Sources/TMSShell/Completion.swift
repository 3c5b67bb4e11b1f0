import TMS
import TrackingMore

#if canImport(Glibc)
import Glibc
#endif

/// What TAB offers for the text before the cursor: verbs and keywords at the start of a stage,
/// `key=` names of the verb being typed (from its signature), carrier codes, status values
/// after `status=`, variables after `$`, fields after `$var.`, files after open, save and
/// source. Everything comes from memory: completion never waits on the network.
struct Completion {
    let repl: REPL

    func candidates(_ before: String) -> [String] {
        let stage = String(before.split(separator: "|", omittingEmptySubsequences: false).last ?? "")
        let words = stage.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let word = words.last ?? ""
        let typed = words.filter { !$0.isEmpty }
        let registry = repl.interpreter.registry
        if word.hasPrefix("$") {
            let path = word.dropFirst()
            if let dot = path.lastIndex(of: ".") {
                let base = String(path[..<dot])
                let segments = base.split(separator: ".").map(String.init)
                guard let first = segments.first, var value = repl.interpreter.variable(first) else { return [] }
                for s in segments.dropFirst() { value = value[s] ?? .null }
                let record = value.recordValue ?? value.listValue?.first?.recordValue
                let prefix = String(path[path.index(after: dot)...])
                return (record?.keys ?? []).filter { $0.hasPrefix(prefix) }.map { "$" + base + "." + $0 }
            }
            return (repl.interpreter.variableNames + ["in", "env"]).filter { $0.hasPrefix(path) }.map { "$" + $0 }.sortedUnique()
        }
        if word.hasPrefix("status=") {
            // The list's status words and what put takes: the words and numbers of StatusChange.
            let values = TrackingStatus.allCases.map(\.rawValue) + StatusChange.allCases.flatMap { ["\($0)", String($0.rawValue)] }
            return values.filter { $0.hasPrefix(word.dropFirst(7)) }.map { "status=" + $0 }.sortedUnique()
        }
        if typed.count <= 1 && !stage.hasSuffix(" ") || typed.isEmpty {
            let names = registry.allNames + repl.interpreter.definitionNames + Parser.statementWords
            return names.filter { $0.hasPrefix(word) }.sortedUnique()
        }
        let verb = typed[0]
        if ["open", "save", "source"].contains(verb) { return files(word) }
        guard let signature = registry.lookup(verb)?.signature else { return [] }
        var out = signature.keywords.map { $0.name + "=" }.filter { $0.hasPrefix(word) }
        if signature.positional.first?.name.hasPrefix("carrier") == true, typed.count == 1 || (typed.count == 2 && !stage.hasSuffix(" ")) {
            out += repl.carrierCodes.filter { $0.hasPrefix(word) }
        }
        if word.isEmpty, out.isEmpty || stage.hasSuffix(" ") && typed.count == 1 {
            // TAB after a verb with nothing typed shows how to use it.
            return [signature.usage] + out
        }
        return out.sortedUnique()
    }

    func files(_ word: String) -> [String] {
        let slash = word.lastIndex(of: "/")
        let directory = slash.map { String(word[...$0]) } ?? ""
        let prefix = slash.map { String(word[word.index(after: $0)...]) } ?? word
        guard let dir = opendir(directory.isEmpty ? "." : directory) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name != ".", name != "..", name.hasPrefix(prefix), !name.hasPrefix(".") || prefix.hasPrefix(".") else { continue }
            out.append(directory + name + (entry.pointee.d_type == DT_DIR ? "/" : ""))
        }
        return out.sorted()
    }
}

extension Array where Element == String {
    func sortedUnique() -> [String] { Array(Set(self)).sorted() }
}
