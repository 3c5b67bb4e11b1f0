import Testing
import TMS
import TrackingMore

/// The table paints the `status` column by the catalog's statuses (`TrackingStatus.outcome`).
@Suite struct StatusColorTests {
    @Test(arguments: TrackingStatus.allCases)
    func everyStatusIsPainted(_ status: TrackingStatus) async {
        var settings = Interpreter.Settings()
        settings.color = true
        let result = await runSource(SourceFile(name: "colors", text: "[{status: \(status.rawValue)}] | table\n"), settings: settings)
        let expected: String
        switch status.outcome {
        case .done: expected = "\u{1B}[32m"
        case .moving: expected = "\u{1B}[36m"
        case .problem: expected = "\u{1B}[31m"
        case .waiting: expected = "\u{1B}[33m"
        }
        #expect(result.output.contains(expected + status.rawValue), "\(status): \(result.output.debugDescription)")
    }

    @Test func otherWordsAndColumnsAreNot() async {
        var settings = Interpreter.Settings()
        settings.color = true
        let result = await runSource(SourceFile(name: "colors", text: "[{status: shipped, title: delivered}] | table\n"), settings: settings)
        #expect(!result.output.contains("\u{1B}[3"), "\(result.output.debugDescription)")
    }
}
