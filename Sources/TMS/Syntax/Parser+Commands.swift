import TrackingMore

// Pipelines, stages and commands with their arguments.
extension Parser {
    mutating func parsePipeline() throws(Failure) -> Pipeline {
        let start = peek().start
        var stages = [try parseStage()]
        while true {
            // A line that starts with `|` continues the pipeline of the line before.
            var look = index
            while tokens[look].kind == .newline { look += 1 }
            if tokens[look].kind == .pipe { index = look }
            guard at(.pipe) else { break }
            let pipe = advance()
            skipNewlines()
            if stages.count >= Parser.maxStages {
                throw abandon(.tooManyStages(span(pipe), limit: Parser.maxStages))
            }
            let next = peek()
            if [.pipe, .rparen, .rbrace, .rbracket, .semicolon].contains(next.kind) {
                throw report(.emptyStage(span(pipe)))
            }
            stages.append(try parseStage())
        }
        return Pipeline(stages: stages, span: span(from: start))
    }

    mutating func parseStage() throws(Failure) -> Stage {
        let t = peek()
        if t.kind == .word {
            let name = text(t)
            if !Parser.keywords.contains(name) && Value.number(fromWord: name) == nil {
                return .command(try parseCommand())
            }
        }
        return .expression(try parseExpression())
    }

    mutating func parseCommand() throws(Failure) -> Command {
        let nameToken = advance()
        let name = text(nameToken)
        let sig = signature(name)
        var arguments: [Argument] = []
        var positionalIndex = 0
        while true {
            let t = peek()
            switch t.kind {
            case .pipe, .semicolon, .newline, .rparen, .rbrace, .rbracket, .eof, .comma:
                return Command(name: name, nameSpan: span(nameToken), arguments: arguments, span: span(from: nameToken.start))
            default: break
            }
            // `key=value`, written without blanks.
            if t.kind == .word, tokens[index + 1].kind == .equals, tokens[index + 1].start == t.end {
                let key = text(t)
                index += 2
                let v = tokens[index]
                if v.start != tokens[index - 1].end || [.newline, .pipe, .semicolon, .eof, .rparen, .rbrace, .comma].contains(v.kind) {
                    throw report(.missingKeywordValue(span(t).to(span(tokens[index - 1])), key))
                }
                // `orders=ORD-2002,ORD-2008`: values joined by commas, no blanks, are a list.
                var items = [try parseAtom()]
                while joinsByComma(after: items[items.count - 1].span.end) {
                    index += 1
                    items.append(try parseAtom())
                }
                let value = items.count == 1 ? items[0] : Expression(kind: .list(items), span: items[0].span.to(items[items.count - 1].span))
                arguments.append(.keyword(name: key, nameSpan: span(t), value: value))
                continue
            }
            if t.kind == .equals { throw report(.strayEquals(span(t))) }
            // `--force`: a flag, the same as `force=true`, for a verb's true/false keyword.
            if t.kind == .word, text(t).hasPrefix("--"), let flag = sig?.keywords.first(where: { $0.type == .bool && "--" + $0.name == text(t) }) {
                index += 1
                arguments.append(.keyword(name: flag.name, nameSpan: span(t), value: Expression(kind: .word("true"), span: span(t))))
                continue
            }
            let parameter = sig?.positionalParameter(at: positionalIndex)
            positionalIndex += 1
            switch parameter?.type {
            case .block? where t.kind == .lbrace:
                arguments.append(.block(try parseBlock()))
            case .expression?:
                arguments.append(.positional(try parseExpression(whereMode: parameter?.conditionsOverFields == true)))
            default:
                arguments.append(.positional(try parseAtom()))
            }
        }
    }

    /// Whether a `,` right after a keyword's value (at `end`) joins another value to it.
    mutating func joinsByComma(after end: Int) -> Bool {
        let comma = peek()
        guard comma.kind == .comma, comma.start == end else { return false }
        let next = tokens[index + 1]
        return next.start == comma.end && [.word, .string, .rawString, .variable].contains(next.kind)
    }

    /// One argument: a word, string, variable, list, record or `( ... )`.
    mutating func parseAtom() throws(Failure) -> Expression {
        let t = peek()
        if t.kind == .op {
            // In argument position an operator is just a word (`echo -`).
            index += 1
            return Expression(kind: .word(text(t)), span: span(t))
        }
        return try parsePostfix()
    }
}
