import Testing
import TMS

/// Where tms keeps its files: the XDG rules, in one `Paths` value.
@Suite struct PathsTests {
    @Test func followsTheXDGVariables() {
        let p = Paths(environment: [
            "HOME": "/home/ann", "XDG_CONFIG_HOME": "/cfg", "XDG_DATA_HOME": "/data", "XDG_STATE_HOME": "/state",
        ])
        #expect(p.configFile == "/cfg/tms/config.toml")
        #expect(p.startupFile == "/cfg/tms/init.tms")
        #expect(p.dataFile("sandbox.sqlite") == "/data/tms/sandbox.sqlite")
        #expect(p.history(profile: "acme") == "/state/tms/history-acme")
        #expect(p.lessonProgress(learner: "ann", lessons: "lessons") == "/state/tms/learn/ann-lessons.json")
    }

    @Test func unsetEmptyOrRelativeVariablesFallBackToHome() {
        let p = Paths(environment: ["HOME": "/home/ann", "XDG_CONFIG_HOME": "", "XDG_DATA_HOME": "relative/data"])
        #expect(p.config == "/home/ann/.config/tms")
        #expect(p.data == "/home/ann/.local/share/tms")
        #expect(p.state == "/home/ann/.local/state/tms")
        // config explain says where each came from.
        let env = ["XDG_CONFIG_HOME": "", "XDG_DATA_HOME": "relative/data", "XDG_STATE_HOME": "/state"]
        #expect(Paths.source("XDG_CONFIG_HOME", env) == "default")
        #expect(Paths.source("XDG_DATA_HOME", env) == "default: XDG_DATA_HOME is not an absolute path")
        #expect(Paths.source("XDG_STATE_HOME", env) == "XDG_STATE_HOME")
        #expect(Paths(environment: env).state == "/state/tms")
    }

    @Test func lessonsComeFromTMSLessonsFirst() {
        #expect(Paths(environment: ["TMS_LESSONS": "/opt/lessons"]).lessons == "/opt/lessons")
        // In the repository the lessons beside Package.swift are found from the test binary.
        #expect(Paths(environment: [:]).lessons?.hasSuffix("/lessons") == true)
    }

    @Test func makesFoldersOrSaysWhyNot() throws {
        let dir = "/tmp/tms-paths-test-\(UInt32.random(in: 0...UInt32.max))/a/b"
        #expect(try Paths.makeDirectories(dir) == dir)
        #expect(throws: Paths.Failure.self) { try Paths.makeDirectories("/proc/tms-cannot-be-made/x") }
    }
}
