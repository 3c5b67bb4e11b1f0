import ArgumentParser
import TrackingMore

/// `tms openapi`: the OpenAPI 3.1 document of what `tms serve` answers, made from the API
/// catalog (docs/openapi.yaml is this command's output; `make openapi` rewrites it).
struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print the OpenAPI 3.1 document of tms serve, made from the API catalog (docs/openapi.yaml).",
        discussion: "The same catalog always prints the same text: `tms openapi > docs/openapi.yaml` (make openapi) keeps the file current.")

    @Flag(help: "Print it as JSON instead of YAML.")
    var json = false

    func run() {
        writeAll(1, json ? OpenAPI.document.prettyText + "\n" : OpenAPI.yaml)
    }
}
