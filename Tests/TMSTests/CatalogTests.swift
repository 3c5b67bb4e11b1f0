import Testing
import TMS
import TrackingMore

/// The catalog is the one place each endpoint fact lives: the verbs are made from it, so an
/// endpoint or a field added on one side only fails here.
@Suite struct CatalogTests {
    let verbs = APIVerbs.all + BuiltinVerbs.all

    @Test func everyEndpointHasAVerbAndEveryAPIVerbAnEndpoint() {
        let titles = Set(verbs.flatMap(\.signature.endpoints))
        // POST /trackings/get is the list in a JSON body, which the sandbox accepts for other
        // clients; the list verb sends the GET.
        for e in Catalog.endpoints where !e.sandboxOnly && e.id != .listByBody {
            #expect(titles.contains(e.title), "\(e.title) has no verb that calls it")
            #expect(verbs.contains { $0.signature.name == e.verb }, "\(e.title) names the verb '\(e.verb)', which does not exist")
        }
        let known = Set(Catalog.endpoints.map(\.title))
        for v in APIVerbs.all {
            #expect(!v.signature.endpoints.isEmpty, "\(v.signature.name) calls no endpoint")
            for t in v.signature.endpoints { #expect(known.contains(t), "\(v.signature.name) calls \(t), which the catalog lacks") }
        }
    }

    /// Every field a request of an endpoint can set is an argument of its verb (a keyword, a
    /// positional, or CARRIER NUMBER), with the catalog's help.
    @Test func everyFieldIsAnArgumentOfItsVerb() {
        // Hand-written on purpose: recarrier's three forms, the page fields list pages by itself.
        let handWritten: Set<String> = ["recarrier"]
        for e in Catalog.endpoints where !e.sandboxOnly && e.id != .listByBody {
            guard let verb = APIVerbs.all.first(where: { $0.signature.name == e.verb && $0.signature.endpoints.first == e.title }),
                !handWritten.contains(verb.signature.name)
            else { continue }
            let s = verb.signature
            let names = Set((s.positional + s.keywords).map(\.name))
            for f in e.query + e.body.fields + [e.pathSuffix].compactMap({ $0 }) {
                if f.role == .identity {
                    // Bulk endpoints take the identity from their input records.
                    if case .array = e.body { continue }
                    #expect(names.contains("carrier") && names.contains("number"), "\(s.name) takes no CARRIER NUMBER")
                    continue
                }
                #expect(names.contains(f.name), "\(s.name) has no argument for \(e.title)'s field \(f.name)")
                if let p = (s.positional + s.keywords).first(where: { $0.name == f.name }) {
                    #expect(p.help == f.help, "\(s.name) \(f.name): the help is not the catalog's")
                }
            }
        }
    }

    /// The language of a read is the catalog's path suffix: the verb's path and the router's
    /// reading of it come from the one field.
    @Test func theLanguageSuffixIsOneField() throws {
        let get = Catalog.endpoint(.get)
        #expect(get.pathSuffix?.name == "lang")
        #expect(get.path(["carrier_code": "sto", "tracking_number": "402934299065", "lang": "de"]) == "/trackings/sto/402934299065/de")
        #expect(get.path(["carrier_code": "sto", "tracking_number": "402934299065"]) == "/trackings/sto/402934299065")
        let (endpoint, values) = try #require(Catalog.route("GET", "/trackings/sto/402934299065/de"))
        #expect(endpoint.id == .get)
        #expect(values == ["carrier_code": "sto", "tracking_number": "402934299065", "lang": "de"])
        #expect(Catalog.route("GET", "/trackings/sto/402934299065/d1") == nil, "only two letters are a language")
        #expect(Catalog.route("PUT", "/trackings/sto/402934299065/de") == nil, "only the read takes one")
        #expect(Catalog.endpoints.filter { $0.pathSuffix != nil }.map(\.id) == [.get])
    }

    /// The router matches segment by segment over the bytes: each literal segment exactly,
    /// each parameter non-empty and percent-decoded, the same number of segments.
    @Test func pathsMatchSegmentBySegment() throws {
        let get = Catalog.endpoint(.get)
        #expect(get.match("/trackings/china-post/RR123%2F45") == ["carrier_code": "china-post", "tracking_number": "RR123/45"])
        #expect(get.match("/trackings/sto/") == nil, "an empty parameter")
        #expect(get.match("/trackings//402934299065") == nil, "an empty parameter")
        #expect(get.match("/tracking/sto/402934299065") == nil, "a literal segment differs")
        #expect(get.match("/trackings/sto/402934299065/de/x") == nil, "a segment too many")
        #expect(get.match("/trackings/sto") == nil, "a segment too few")
        #expect(Catalog.endpoint(.list).match("/trackings/get") == [:])
        #expect(Catalog.endpoint(.list).match("/trackings/gets") == nil)
        #expect(Catalog.endpoint(.list).match("/trackings/ge") == nil)
        let (endpoint, values) = try #require(Catalog.route("GET", "/trackings/ups/1Z999AA10123456784"))
        #expect(endpoint.id == .get && values["tracking_number"] == "1Z999AA10123456784")
    }

    /// A table of trackings shows the catalog's columns: fields of the tracking, in order.
    @Test func trackingColumnsAreTheCatalogs() {
        let fields = Catalog.trackingFields.map(\.name)
        #expect(Renderer.trackingColumns == ["carrier_code", "tracking_number", "status", "title", "updated_at"])
        #expect(Renderer.trackingColumns.allSatisfy(fields.contains))
        let tracking = Record(Catalog.trackingObject.sent.map { ($0.name, JSON.string("x")) })
        let header = Renderer(width: 200).table([tracking]).split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.split(separator: "|").map { String($0).trimmingBlanks() } == Renderer.trackingColumns)
    }

    /// updatemore has no customer_phone, and put and updatemore take exactly the editable
    /// fields: said once, in the catalog.
    @Test func editableFieldsComeFromTheCatalog() throws {
        let put = try #require(APIVerbs.all.first { $0.signature.name == "put" }).signature
        let more = try #require(APIVerbs.all.first { $0.signature.name == "updatemore" }).signature
        #expect(Set(put.keywords.map(\.name)) == Set(Catalog.editableFields.map(\.name)))
        #expect(Set(more.keywords.map(\.name)) == Set(Catalog.editableFields.map(\.name)).subtracting(["customer_phone"]))
    }

    /// Each bulk tracking endpoint has its report's shape in the catalog, and a report read
    /// back from its own JSON is the same report.
    @Test func bulkReportsRoundTrip() throws {
        for id in [Endpoint.ID.batch, .updatemore, .deleteMany, .notupdate] {
            let shape = try #require(Catalog.endpoint(id).report, "\(id) has no report shape")
            var report = BulkReport(shape)
            report.succeeded(["tracking_number": "RR123456785CN", "carrier_code": "china-post"])
            report.refused(["tracking_number": "x", "carrier_code": "sto"], Meta(.trackingNumberInvalid))
            let again = BulkReport(shape, parsing: report.json)
            #expect(again == report)
            #expect(again.refusals.map { $0["tracking_number"] } == ["x"])
            #expect(again.refusals.map { $0["code"] } == [.int(MetaCode.trackingNumberInvalid.rawValue)])
            #expect(again.submitted == 2 && again.done == 1)
        }
    }

    @Test func retriesAndRatesAreTheCatalogs() {
        #expect(!Catalog.endpoint(.updateCarrier).safeToRetry)
        #expect(!Catalog.endpoint(.sandboxAdvance).safeToRetry)
        #expect(Catalog.endpoint(.put).safeToRetry)
        #expect(Endpoint.RateClass.liveRates == [.general: 1, .realtime: 3])
    }
}
