import Testing
import TMS

/// Every ```tms block in docs/ runs as a script, with its `# expect` annotations checked, so
/// the documentation cannot drift from what tms does.
@Suite struct DocsTests {
    struct Example: CustomTestStringConvertible, Sendable {
        let file: String
        let line: Int
        let code: String
        var testDescription: String { "\(file):\(line)" }
    }

    static var examples: [Example] {
        let root = ScriptTests.root
        return listFiles(root + "/docs", suffix: ".md", recursive: true).sorted().flatMap { path -> [Example] in
            let text = String(decoding: readBytes(path) ?? [], as: UTF8.self)
            var examples: [Example] = []
            var current: [Substring]?
            var start = 0
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if current == nil, line.trimmingPrefix(while: { $0 == " " }) == "```tms" {
                    current = []
                    start = i + 2
                } else if current != nil, line.trimmingPrefix(while: { $0 == " " }) == "```" {
                    examples.append(Example(file: String(path.dropFirst(root.count + 1)), line: start, code: current?.joined(separator: "\n") ?? ""))
                    current = nil
                } else {
                    current?.append(line)
                }
            }
            return examples
        }
    }

    @Test(arguments: examples)
    func example(_ example: Example) async {
        let expectation = Expectation(example.code)
        let result = await runSource(SourceFile(name: "\(example.file) block at line \(example.line)", text: example.code + "\n"), arguments: expectation.arguments)
        #expect(result.output == expectation.output)
        let errors = result.diagnostics.map { d -> String in
            let (line, column) = d.lineColumn ?? (0, 0)
            return "\(line):\(column): \(d.message)"
        }
        #expect(errors == expectation.errors)
        #expect(result.exitCode == expectation.exitCode(default: result.diagnostics.isEmpty ? 0 : result.exitCode))
    }
}

/// Every Swift block of docs/embedding.md is part of examples/embed/main.swift, which the
/// build compiles, so the walkthrough's code compiles.
@Suite struct EmbeddingDocTests {
    @Test func everySwiftBlockIsCompiledCode() throws {
        let root = ScriptTests.root
        let doc = String(decoding: try #require(readBytes(root + "/docs/embedding.md")), as: UTF8.self)
        let source = String(decoding: try #require(readBytes(root + "/examples/embed/main.swift")), as: UTF8.self)
        var blocks: [String] = []
        var current: [Substring]?
        for line in doc.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```swift" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current?.joined(separator: "\n") ?? "")
                current = nil
            } else {
                current?.append(line)
            }
        }
        #expect(blocks.count >= 4)
        for block in blocks {
            #expect(source.contains(block), "not in examples/embed/main.swift:\n\(block)")
        }
    }
}

/// docs/tutorial/writing-lessons.md shows each file of its example lesson whole, so the text
/// cannot drift from the lesson Tests/learn.sh takes.
@Suite struct WritingLessonsDocTests {
    @Test func everyFileOfTheExampleIsShownWhole() throws {
        let root = ScriptTests.root
        let doc = String(decoding: try #require(readBytes(root + "/docs/tutorial/writing-lessons.md")), as: UTF8.self)
        for file in ["lesson.md", "setup.tms", "check.tms", "hints.txt", "answer.tms"] {
            let path = root + "/docs/tutorial/example-lessons/01-quota/" + file
            var text = String(decoding: try #require(readBytes(path), "no \(path)"), as: UTF8.self)
            while text.hasSuffix("\n") { text.removeLast() }
            #expect(doc.contains("`\(file)`:\n\n```text\n\(text)\n```"), "\(file) is not shown whole")
        }
    }
}

/// The written course follows the lessons: one page per lesson folder, named alike, linked
/// from the index in the same order; every lesson has its files and at least one hint.
@Suite struct CourseTests {
    @Test func everyLessonHasItsPageAndItsFiles() throws {
        let root = ScriptTests.root
        var lessons = listFiles(root + "/lessons", suffix: "lesson.md", recursive: true).filter { $0.hasSuffix("/lesson.md") }.map { path in
            String(path.dropFirst(root.count + "/lessons/".count).dropLast("/lesson.md".count))
        }
        lessons.sort()
        #expect(lessons.count >= 12)
        let index = String(decoding: try #require(readBytes(root + "/docs/tutorial/index.md")), as: UTF8.self)
        var position = index.startIndex
        for lesson in lessons {
            for file in ["lesson.md", "check.tms", "answer.tms", "hints.txt"] {
                #expect(readBytes(root + "/lessons/\(lesson)/\(file)") != nil, "lessons/\(lesson) has no \(file)")
            }
            let hints = String(decoding: readBytes(root + "/lessons/\(lesson)/hints.txt") ?? [], as: UTF8.self)
            #expect(!hints.split(separator: "\n").isEmpty, "lessons/\(lesson) has no hint")
            #expect(readBytes(root + "/docs/tutorial/\(lesson).md") != nil, "no docs/tutorial/\(lesson).md")
            let link = try #require(index[position...].range(of: "(\(lesson).md)"), "index.md does not link \(lesson).md after the lessons before it")
            position = link.upperBound
        }
    }
}
