import Testing
@testable import TMS
import TrackingMore

@Suite struct LexerTests {
    func kinds(_ text: String) -> [Token.Kind] {
        Lexer.tokenize(Array(text.utf8)).map(\.kind)
    }

    @Test func tokensAreByteRanges() {
        let source = Array("get sto 402934299065 | set status=7".utf8)
        let tokens = Lexer.tokenize(source)
        let texts = tokens.dropLast().map { String(decoding: source[$0.start..<$0.end], as: UTF8.self) }
        #expect(texts == ["get", "sto", "402934299065", "|", "set", "status", "=", "7"])
    }

    @Test func bareWordsKeepTheirCharacters() {
        #expect(kinds("china-post 1Z999AA10123456784 buyer@example.org 2018-04-18") == [.word, .word, .word, .word, .eof])
    }

    @Test func operatorsStandAlone() {
        #expect(kinds("a == b != c <= d -3 - 4") == [.word, .op, .word, .op, .word, .op, .word, .word, .op, .word, .eof])
        #expect(kinds("a<=b") == [.word, .op, .word, .eof])
    }

    @Test func commentsAndShebangAreDropped() {
        #expect(kinds("#!/usr/bin/env tms\nx # note\n") == [.newline, .word, .newline, .eof])
    }

    @Test func stringsMayHoldInterpolatedStrings() {
        #expect(kinds(#""a $("b" + ")") c""#) == [.string, .eof])
        #expect(kinds(#""open"#) == [.unterminatedString, .eof])
        #expect(kinds("'raw $x'") == [.rawString, .eof])
    }

    @Test func variablePathsStopAtAFullStop() {
        let source = Array("$t.origin_info.trackinfo.0.Details.".utf8)
        let tokens = Lexer.tokenize(source)
        #expect(tokens[0].kind == .variable)
        #expect(String(decoding: source[tokens[0].start..<tokens[0].end], as: UTF8.self) == "$t.origin_info.trackinfo.0.Details")
    }
}

@Suite struct ParserTests {
    func parse(_ text: String) -> (Script, [Diagnostic]) {
        Parser.parse(SourceFile(name: "t.tms", text: text), signature: { VerbRegistry(BuiltinVerbs.all).lookup($0)?.signature })
    }

    @Test func precedenceOfOperators() throws {
        let (script, errors) = parse("1 + 2 * 3 == 7 and not false or x")
        #expect(errors.isEmpty)
        guard case .pipeline(let p) = script.body.statements[0].kind, case .expression(let e) = p.stages[0],
            case .binary(.or, let left, _) = e.kind, case .binary(.and, let cmp, _) = left.kind,
            case .binary(.equal, let sum, _) = cmp.kind, case .binary(.add, _, let product) = sum.kind,
            case .binary(.multiply, _, _) = product.kind
        else {
            Issue.record("wrong tree")
            return
        }
    }

    @Test func everyNodeHasASpan() throws {
        let (script, _) = parse("let t = get sto 402934299065")
        guard case .let(_, let nameSpan, let value) = script.body.statements[0].kind else { return }
        #expect(nameSpan.text == "t")
        #expect(value.span.text == "get sto 402934299065")
    }

    @Test func continuationLines() {
        let (script, errors) = parse("[1, 2,\n 3] |\n count\n| echo\n(1 +\n 2)")
        #expect(errors.isEmpty)
        #expect(script.body.statements.count == 2)
    }

    @Test func reportsEveryErrorInOneRun() {
        let (_, errors) = parse("let = 1\nwhere ==\nfirst 1 2 3 )\n")
        #expect(errors.count == 3)
        #expect(errors.map { $0.lineColumn?.line } == [1, 2, 3])
    }

    @Test(arguments: ["[1, 2", "{", "get |", "\"open", "(1 +", "def f {", "if true { 1 } else"])
    func unexpectedEndIsItsOwnError(_ text: String) {
        let (_, errors) = parse(text)
        #expect(Parser.isIncomplete(errors), "\(text)")
    }

    @Test(arguments: [")", "1 ==\n", "a | | b", "let 3 = 4"])
    func otherErrorsAreNotIncomplete(_ text: String) {
        let (_, errors) = parse(text)
        #expect(!errors.isEmpty)
        #expect(!Parser.isIncomplete(errors), "\(text)")
    }

    @Test func columnsCountCharacters() {
        let (_, errors) = parse("let é = \"ü\" + )")
        #expect(errors.first?.lineColumn?.column == 15)
    }

    @Test func keywordArgumentsNeedAdjacentValues() {
        let (_, errors) = parse("[{a: 1}] | set a= 2")
        #expect(errors.first?.code == "E0005")
    }

    @Test func wordsKeepTheirText() async throws {
        var out = ""
        let interpreter = Interpreter(output: { out += $0 })
        try await interpreter.run("{} | set n=007 m=7 | json compact=true")
        #expect(out == #"{"n":"007","m":7}"# + "\n")
    }

    @Test func suggestsNames() {
        let (_, errors) = parse("[1] | cuont")
        let checked = Interpreter().check(SourceFile(name: "t", text: "[1] | cuont\n[2] | sort fieldd=1\n$undefined_thing"))
        #expect(errors.isEmpty)
        #expect(checked.1.map(\.help) == ["did you mean 'count'?", "'sort' takes no key=value parameters", "define it first with: let undefined_thing = ..."])
    }
}
