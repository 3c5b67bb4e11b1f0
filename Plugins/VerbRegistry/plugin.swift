import Foundation
import PackagePlugin

/// Builds the verb registry from the verb files: every `static let NAME = Verb(` of an
/// `extension BuiltinVerbs` or `extension APIVerbs` under the target's `Verbs/` folder goes
/// into the generated `BuiltinVerbs.all` and `APIVerbs.all` (generate.sh), so a new verb cannot
/// be left out of the registry. It runs whenever a verb file changes, with the system's `sh`
/// and `awk` (a tool built by the package would be built with `--sanitize=fuzzer` too under
/// `make fuzz`, and clash with libFuzzer's `main`).
@main
struct VerbRegistry: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let verbFiles = module.sourceFiles(withSuffix: "swift").map(\.url)
            .filter { $0.path.contains("/Verbs/") }
            .sorted { $0.path < $1.path }
        let script = context.package.directoryURL.appending(path: "Plugins/VerbRegistry/generate.sh")
        let output = context.pluginWorkDirectoryURL.appending(path: "AllVerbs.swift")
        // Run again whenever a verb file (or the script) changes.
        return [
            .buildCommand(
                displayName: "Listing the verbs of \(module.name)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, output.path] + verbFiles.map(\.path),
                inputFiles: verbFiles + [script],
                outputFiles: [output])
        ]
    }
}
