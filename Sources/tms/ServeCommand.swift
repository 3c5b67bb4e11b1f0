import ArgumentParser
import TMSServer
import TMS
import TrackingMore
import TrackingMoreSandbox

#if canImport(Glibc)
import Glibc
#endif

/// `tms serve`: the sandbox as an HTTP server speaking the v2 API at /v2.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the sandbox over HTTP at /v2, for a classroom or for tests.",
        discussion: "Prints 'listening on http://HOST:PORT' when ready. Create keys with 'tms keys add NAME'. Stops cleanly on SIGTERM or Ctrl-C.")

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port; 0 takes a free one.")
    var port = 8080

    @Option(help: ArgumentHelp("The sandbox database (default $XDG_DATA_HOME/tms/serve.sqlite).", valueName: "file"))
    var db: String?

    @Option(help: "The largest request body, in bytes.")
    var bodyLimit = 1 << 20

    @Option(help: ArgumentHelp("Hosts besides 127.0.0.1 and localhost that webhooks may be sent to, comma-separated; * allows any.", valueName: "hosts"))
    var webhookHosts: String?

    @Option(help: ArgumentHelp("Seconds before the first webhook retry; each later one doubles it (default 30, the published schedule).", valueName: "seconds"))
    var webhookRetryBase: Double?

    @Option(help: ArgumentHelp("off, or live: every account gets the API's published rate limits (429 and a two-minute wait).", valueName: "off|live"))
    var limits = "off"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard bodyLimit > 0 else { throw ValidationError("--body-limit must be positive") }
        if let b = webhookRetryBase, !(b > 0 && b <= 86400) { throw ValidationError("--webhook-retry-base must be from 0 to 86400 seconds") }
        guard limits == "off" || limits == "live" else { throw ValidationError("--limits must be off or live, not '\(limits)'") }
    }

    func execute() async throws {
        var webhooks = WebhookSettings()
        webhooks.extraHosts = (webhookHosts ?? "").split(separator: ",").map { String($0).trimmingBlanks().lowercased() }.filter { !$0.isEmpty }
        if let b = webhookRetryBase { webhooks.retryBase = .milliseconds(Int(b * 1000)) }
        let sandbox = try Sandbox(
            path: try Paths.current.database(db, default: "serve.sqlite"), limits: limits == "live" ? .live : nil, webhooks: webhooks)
        sandbox.webhooks.observe { delivery in writeAll(2, delivery.line + "\n") }
        let server = SandboxServer(sandbox: sandbox, host: host, port: port, bodyLimit: bodyLimit) { line in
            writeAll(2, line + "\n")
        }
        try await server.run { host, port in
            writeAll(1, "listening on http://\(host):\(port)\n")
        }
    }
}

/// `tms keys add|list|revoke`: the API keys of a `tms serve` database.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the API keys of a tms serve database.",
        subcommands: [Add.self, List.self, Revoke.self, Quota.self])

    struct Options: ParsableArguments {
        @Option(help: ArgumentHelp("The sandbox database (default $XDG_DATA_HOME/tms/serve.sqlite).", valueName: "file"))
        var db: String?

        func sandbox() throws -> Sandbox {
            try Sandbox(path: try Paths.current.database(db, default: "serve.sqlite"))
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a key; it is printed once, alone on the last line.")
        @ArgumentParser.Argument(help: "A name for the key, e.g. the student's.") var name: String
        @Option(help: ArgumentHelp("The account's tracking quota (default 1000).", valueName: "n")) var quota: Int?
        @OptionGroup var options: Options

        func validate() throws {
            if let quota { try KeysCommand.check(quota: quota) }
        }

        func run() throws {
            guard let key = try options.sandbox().addKey(name: name, quota: quota) else {
                throw ValidationError("a key named '\(name)' exists already")
            }
            writeAll(1, "key for '\(name)' (shown only now; tms keeps only its hash):\n\(key)\n")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys by name (never the keys themselves).")
        @OptionGroup var options: Options

        func run() throws {
            for k in try options.sandbox().keys() {
                writeAll(1, "\(k.name)\t\(k.revoked ? "revoked" : "active")\n")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: requests with it get 4002.")
        @ArgumentParser.Argument(help: "The key's name.") var name: String
        @OptionGroup var options: Options

        func run() throws {
            guard try options.sandbox().revokeKey(name: name) else {
                throw ValidationError("no active key named '\(name)'")
            }
            writeAll(1, "revoked '\(name)'\n")
        }
    }
}

extension KeysCommand {
    struct Quota: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or set the tracking quota of a key's account.",
            discussion: "With N, the account has N to spend from now on, and 'sandbox reset' gives N back.")
        @ArgumentParser.Argument(help: "The key's name.") var name: String
        @ArgumentParser.Argument(help: "The new quota.") var n: Int?
        @OptionGroup var options: Options

        func validate() throws {
            if let n { try KeysCommand.check(quota: n) }
        }

        func run() throws {
            let sandbox = try options.sandbox()
            if let n {
                guard try sandbox.setQuota(keyName: name, to: n) else { throw ValidationError("no key named '\(name)'") }
                writeAll(1, "quota of '\(name)': \(n)\n")
            } else {
                guard let left = try sandbox.quota(keyName: name) else { throw ValidationError("no key named '\(name)'") }
                writeAll(1, "quota of '\(name)': \(left)\n")
            }
        }
    }

    /// The largest quota anyone needs (a load test) with room to spare, and never negative.
    static func check(quota: Int) throws {
        guard (0...1_000_000_000).contains(quota) else { throw ValidationError("the quota must be from 0 to 1000000000, not \(quota)") }
    }
}

extension Paths {
    /// The process's paths (from its environment).
    static var current: Paths { Paths(environment: Terminal().environment) }

    /// A database given with a flag, else `name` in the data folder (made when missing).
    func database(_ given: String?, default name: String) throws -> String {
        if let given { return given }
        try Paths.made(data)
        return dataFile(name)
    }

    /// `makeDirectories`, its failure a usage error.
    @discardableResult
    static func made(_ path: String) throws -> String {
        do { return try makeDirectories(path) } catch { throw ValidationError(error.description) }
    }
}
