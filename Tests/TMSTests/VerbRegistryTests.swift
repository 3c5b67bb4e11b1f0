import Testing
import TMS
import TrackingMore

/// The registry is generated from the verb files (Plugins/VerbRegistry): every verb in it is
/// documented, has an example, and is run by a test script.
@Suite struct VerbRegistryTests {
    static let verbs = Interpreter().registry.all

    /// Every verb a script under Tests/Scripts calls, by its own name (aliases resolved).
    static let scripted: Set<String> = {
        let registry = Interpreter().registry
        var names = Set<String>()
        for path in listFiles(ScriptTests.root + "/Tests/Scripts", suffix: ".tms", recursive: true) {
            let (script, _) = Interpreter().check(SourceFile(name: path, bytes: readBytes(path) ?? []))
            Commands.visit(script.body) { name in
                if let verb = registry.lookup(name) { names.insert(verb.signature.name) }
            }
        }
        return names
    }()

    @Test func theRegistryHoldsEveryVerbFile() {
        // The generated lists hold one verb per declaration, none twice.
        let names = (BuiltinVerbs.all + APIVerbs.all).map(\.signature.name)
        #expect(Set(names).count == names.count, "a verb is declared twice: \(names)")
        #expect(Set(names) == Set(Self.verbs.map(\.signature.name)))
        // A sample of each kind, so an empty generated list cannot pass.
        for name in ["where", "select", "help", "get", "create", "timeline"] {
            #expect(names.contains(name), "\(name) is not registered")
        }
    }

    @Test(arguments: verbs.map(\.signature.name))
    func hasHelpAnExampleAndATestScript(_ name: String) throws {
        let verb = try #require(Interpreter().registry.lookup(name))
        let s = verb.signature
        #expect(!s.summary.isEmpty, "\(name) has no summary for help")
        for p in s.positional + s.keywords {
            #expect(!p.help.isEmpty, "\(name): \(p.name) has no help")
        }
        #expect(!s.examples.isEmpty, "\(name) has no example for help")
        #expect(s.examples.allSatisfy { !$0.code.isEmpty })
        #expect(Self.scripted.contains(name), "no script under Tests/Scripts runs \(name)")
    }
}

/// The names of the commands of a block, wherever they stand: pipelines, blocks given to
/// verbs, defs, if/for/try bodies, expressions in parentheses.
enum Commands {
    static func visit(_ block: Block, _ found: (String) -> Void) {
        for statement in block.statements { visit(statement, found) }
    }

    static func visit(_ statement: Statement, _ found: (String) -> Void) {
        switch statement.kind {
        case .pipeline(let p), .let(_, _, let p), .explain(let p): visit(p, found)
        case .def(let d): visit(d.body, found)
        case .if(let condition, let then, let otherwise):
            visit(condition, found)
            visit(then, found)
            if let otherwise { visit(otherwise, found) }
        case .for(_, _, let sequence, let body):
            visit(sequence, found)
            visit(body, found)
        case .try(let body, _, let handler):
            visit(body, found)
            visit(handler, found)
        case .source(let e): visit(e, found)
        case .return(let e): if let e { visit(e, found) }
        case .param: break
        }
    }

    static func visit(_ pipeline: Pipeline, _ found: (String) -> Void) {
        for stage in pipeline.stages {
            switch stage {
            case .expression(let e): visit(e, found)
            case .command(let c):
                found(c.name)
                for argument in c.arguments {
                    switch argument {
                    case .positional(let e), .keyword(_, _, let e): visit(e, found)
                    case .block(let b): visit(b, found)
                    }
                }
            }
        }
    }

    static func visit(_ e: Expression, _ found: (String) -> Void) {
        switch e.kind {
        case .pipeline(let p): visit(p, found)
        case .list(let items): for item in items { visit(item, found) }
        case .record(let fields): for f in fields { visit(f.value, found) }
        case .unary(_, let inner), .field(let inner, _): visit(inner, found)
        case .binary(_, let l, let r):
            visit(l, found)
            visit(r, found)
        case .string(let parts):
            for case .interpolation(let inner) in parts { visit(inner, found) }
        default: break
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// The generator of the registry (Plugins/VerbRegistry/generate.sh), run on files of its own.
@Suite struct VerbRegistryGeneratorTests {
    static let script = ScriptTests.root + "/Plugins/VerbRegistry/generate.sh"

    func generate(_ files: [String: String]) -> (status: Int32, output: String, errors: String) {
        let dir = "/tmp/tms-verb-registry-\(UInt32.random(in: 0...UInt32.max))"
        mkdir(dir, 0o700)
        var paths: [String] = []
        for (name, text) in files.sorted(by: { $0.key < $1.key }) {
            let path = dir + "/" + name
            let f = fopen(path, "w")
            _ = fputs(text, f)
            fclose(f)
            paths.append(path)
        }
        let status = system("/bin/sh '\(Self.script)' '\(dir)/out.swift' \(paths.map { "'\($0)'" }.joined(separator: " ")) 2>'\(dir)/err'")
        let output = String(decoding: readBytes(dir + "/out.swift") ?? [], as: UTF8.self)
        let errors = String(decoding: readBytes(dir + "/err") ?? [], as: UTF8.self)
        return (status, output, errors)
    }

    @Test func listsEveryVerbOfEachKind() {
        let (status, output, _) = generate([
            "A.swift": "extension BuiltinVerbs {\n    static let sort = Verb(\n        x)\n    static let whereVerb = Verb(x)\n}\n",
            "B.swift": "import TrackingMore\n\nextension APIVerbs {\n    /// static let old = Verb( in a comment\n    static let get = Verb(signature(.get)) { call in\n    }\n}\n",
        ])
        #expect(status == 0)
        #expect(output.contains("extension BuiltinVerbs {\n    /// Every verb declared in an `extension BuiltinVerbs` of the verb files.\n    public static let all: [Verb] = [\n        sort,\n        whereVerb,\n    ]\n}"))
        #expect(output.contains("extension APIVerbs {\n    /// Every verb declared in an `extension APIVerbs` of the verb files.\n    public static let all: [Verb] = [\n        get,\n    ]\n}"))
    }

    @Test func aVerbItCannotRegisterStopsTheBuild() {
        let (status, output, errors) = generate([
            "A.swift": "extension BuiltinVerbs {\n    static let sort = Verb(x)\n}\n\nextension Other {\n    static let lost = Verb(x)\n}\n"
        ])
        #expect(status != 0)
        #expect(errors.contains("A.swift:6: error: a verb is declared as"), "\(errors)")
        #expect(output.isEmpty, "nothing is written")
    }
}
