/// One endpoint of the TrackingMore v2 API, described as data: the catalog (`Catalog.endpoints`)
/// is the single source of truth that the sandbox validates against and that the verbs, help,
/// completion and the OpenAPI document are made from.
public struct Endpoint: Sendable {
    public enum Method: String, Sendable, CaseIterable {
        case get = "GET", post = "POST", put = "PUT", delete = "DELETE"
    }

    /// The API's published rate limits differ by class.
    public enum RateClass: String, Sendable, CaseIterable {
        /// 1 request per second.
        case general
        /// `POST /trackings/realtime`: 3 requests per second.
        case realtime
        /// Sandbox control: never limited.
        case none

        /// Requests per second the live API allows; nil: no limit.
        public var liveRate: Double? {
            switch self {
            case .general: return 1
            case .realtime: return 3
            case .none: return nil
            }
        }

        /// The live rates, each class's.
        public static var liveRates: [RateClass: Double] {
            Dictionary(uniqueKeysWithValues: allCases.compactMap { c in c.liveRate.map { (c, $0) } })
        }
    }

    /// What the request body is.
    public enum Body: Sendable {
        case none
        /// A JSON object with these fields.
        case object([Field])
        /// A JSON array of objects with these fields, at most `limit` of them.
        case array([Field], limit: Int)

        public var fields: [Field] {
            switch self {
            case .none: return []
            case .object(let f), .array(let f, _): return f
            }
        }
    }

    /// Names the endpoint in code: `Catalog.endpoint(.put)`.
    public enum ID: String, Sendable, CaseIterable {
        case create, get, put, delete, batch, list, listByBody, updatemore, deleteMany, realtime, updateCarrier
        case userinfo, statusnumber, notupdate, remote, costtime, aircargo, carriers, detect
        case sandboxAdvance, sandboxReset, sandboxSeed, sandboxLimits, sandboxClock, sandboxLesson
        case sandboxWebhooks, sandboxWebhookAdd, sandboxWebhookRemove, sandboxDeliveries, sandboxTrigger
    }

    public let id: ID
    public let method: Method
    /// The path under the base URL, with `{name}` parameters: `/trackings/{carrier_code}/{tracking_number}`.
    public let path: String
    /// Parameters of the path, in order.
    public var pathParameters: [Field]
    public let query: [Field]
    public let body: Body
    /// Whether it changes data. `--dry-run`, `explain` and `--read-only` stop these.
    public let writes: Bool
    public let rateClass: RateClass
    /// The tms verb for it and the endpoint's own word when that differs (`post` for `create`).
    public let verb: String
    public let aliases: [String]
    /// One line: what it does.
    public let summary: String
    /// A tms line that uses it.
    public let example: String
    /// For the bulk endpoints: how their report is written.
    public var report: BulkReport.Shape? = nil
    /// A last path segment the endpoint also takes, after its template: the language of
    /// `GET /trackings/{carrier_code}/{tracking_number}/{lang}` (`Catalog.pathSuffixes`).
    /// `path(_:)` adds it when its value is given and `match(_:)` reads it, so the verb and
    /// the sandbox's router agree.
    public var pathSuffix: Field? { Catalog.pathSuffixes[id] }
    /// The body takes only its catalog fields: anything else is refused with 4012 (PUT and
    /// updatemore, whose fields are the editable ones).
    public var closedBody = false
    /// Whether a request may be sent again after a failure whose effect is unknown (a lost
    /// answer, a 500). Reads may; PUT, updatemore and notupdate set the same values again; a
    /// repeated create answers 4016 and a repeated delete 4017, which count as success.
    /// Moving a tracking to another carrier may not.
    public var safeToRetry = true
    /// A realistic request (`Endpoint.Example`): the OpenAPI document shows it and the tests
    /// send it to a sandbox. Every endpoint with a body or query parameters has one.
    public var requestExample: Example? = nil
    /// Only the sandbox and `tms serve` answer it.
    public var sandboxOnly: Bool { path.hasPrefix("/sandbox/") }

    /// `GET /trackings/get`
    public var title: String { "\(method.rawValue) \(path)" }

    /// The concrete path for these path parameters, each percent-encoded.
    public func path(_ values: [String: String]) -> String {
        var out = path
        for p in pathParameters {
            out = out.replacingAll("{\(p.name)}", with: percentEncoded(values[p.name] ?? ""))
        }
        if let pathSuffix, let value = values[pathSuffix.name], !value.isEmpty {
            out += "/" + percentEncoded(value)
        }
        return out
    }

    /// The path parameters of a concrete path, or nil when it is not this endpoint's.
    public func match(_ concrete: String) -> [String: String]? {
        // Over the UTF-8 bytes of both paths, segment by segment, without splitting either
        // into arrays: tms serve tries this for each endpoint of the method on every request.
        var template = path
        var concrete = concrete
        return template.withUTF8 { t in concrete.withUTF8 { p in match(template: t, concrete: p) } }
    }

    private func match(template t: UnsafeBufferPointer<UInt8>, concrete p: UnsafeBufferPointer<UInt8>) -> [String: String]? {
        let slash = UInt8(ascii: "/")
        var values: [String: String] = [:]
        var end = p.count
        if let pathSuffix, p.count(where: { $0 == slash }) == t.count(where: { $0 == slash }) + 1, let cut = p.lastIndex(of: slash) {
            // Only a value the suffix takes: anything else is another path.
            let value = percentDecoded(String(decoding: p[(cut + 1)...], as: UTF8.self))
            guard case .success = pathSuffix.decode(.string(value)) else { return nil }
            values[pathSuffix.name] = value
            end = cut
        }
        var (ti, pi) = (0, 0)
        while true {
            var te = ti
            while te < t.count && t[te] != slash { te += 1 }
            var pe = pi
            while pe < end && p[pe] != slash { pe += 1 }
            if te - ti >= 2 && t[ti] == UInt8(ascii: "{") && t[te - 1] == UInt8(ascii: "}") {
                guard pe > pi else { return nil }
                values[String(decoding: t[(ti + 1)..<(te - 1)], as: UTF8.self)] = percentDecoded(String(decoding: p[pi..<pe], as: UTF8.self))
            } else if te - ti != pe - pi || !t[ti..<te].elementsEqual(p[pi..<pe]) {
                return nil
            }
            let templateDone = te == t.count
            let concreteDone = pe == end
            if templateDone || concreteDone { return templateDone && concreteDone ? values : nil }
            (ti, pi) = (te + 1, pe + 1)
        }
    }
}

/// Unreserved characters stay, everything else is `%XX` (RFC 3986).
public func percentEncoded(_ s: String) -> String {
    var out = ""
    for b in s.utf8 {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(b))
        default:
            out += "%" + Hex.encode(CollectionOfOne(b), uppercase: true)
        }
    }
    return out
}

/// `%XX` sequences decoded (and `+` left alone); invalid sequences are kept as written.
public func percentDecoded(_ s: String) -> String {
    var bytes: [UInt8] = []
    let u = Array(s.utf8)
    var i = 0
    while i < u.count {
        if u[i] == UInt8(ascii: "%"), i + 2 < u.count, let h = Hex.value(u[i + 1]), let l = Hex.value(u[i + 2]) {
            bytes.append(h << 4 | l)
            i += 3
        } else {
            bytes.append(u[i])
            i += 1
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

extension String {
    /// Without leading and trailing blanks (spaces, tabs, carriage returns).
    public func trimmingBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }

    /// Every occurrence of `target` replaced, without Foundation.
    public func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}
