import TrackingMore

/// What each meta code means for a person at the support desk: why the API sent it, what to
/// do, and what it means for the customer whose parcel it is. `help 4017` shows it; the hint
/// under an API error is its `whatToDo`.
extension MetaCode {
    public struct Advice: Sendable {
        public let cause: String
        public let whatToDo: String
        public let forTheCustomer: String
        /// Whether sending the item again can succeed: later as it is, after fixing it, or
        /// never (it is done already). Bulk failures of the first two go to the failed-items file.
        public let retry: Retry
    }

    public enum Retry: Sendable {
        case later, afterFixing, never
    }

    public var advice: Advice {
        switch self {
        case .success:
            return Advice(cause: "the request worked", whatToDo: "nothing", forTheCustomer: "nothing: the answer's data is what was asked for", retry: .never)
        case .created:
            return Advice(cause: "the request worked and made a tracking", whatToDo: "nothing", forTheCustomer: "the parcel is now tracked", retry: .never)
        case .overLimit:
            return Advice(cause: "the request was accepted but is over a limit of the account", whatToDo: "check userinfo for what is left", forTheCustomer: "some items may not be tracked", retry: .never)
        case .unauthorized:
            return Advice(cause: "no key, or a key without permission, reached the API", whatToDo: "set TRACKINGMORE_API_KEY (or --api-key-stdin, or a profile); tms config explain shows where the key comes from", forTheCustomer: "nothing was done for them yet", retry: .afterFixing)
        case .paymentRequired:
            return Advice(cause: "the account must pay before this call", whatToDo: "ask whoever manages the TrackingMore account to pay or upgrade", forTheCustomer: "their parcel cannot be tracked until then", retry: .afterFixing)
        case .forbidden:
            return Advice(cause: "the key may not use this endpoint", whatToDo: "check the account's plan and the key's permissions", forTheCustomer: "nothing was done for them", retry: .afterFixing)
        case .notFound:
            return Advice(cause: "the URL is not an endpoint of the API", whatToDo: "check --endpoint: it should end in /v2", forTheCustomer: "nothing was done for them", retry: .afterFixing)
        case .methodNotAllowed:
            return Advice(cause: "the endpoint exists but not with this method", whatToDo: "use the verb for it (help api lists them)", forTheCustomer: "nothing was done for them", retry: .afterFixing)
        case .conflict:
            return Advice(cause: "the request conflicts with the tracking's state", whatToDo: "read the tracking again with get, then retry", forTheCustomer: "nothing changed yet", retry: .later)
        case .tooManyRequests:
            return Advice(cause: "more requests than the account's rate limit (1 a second; 3 for realtime)", whatToDo: "the API's rate limit: wait two minutes, then retry (tms retries reads by itself; --rate slows it down)", forTheCustomer: "a short delay, nothing lost", retry: .later)
        case .serverError:
            return Advice(cause: "the API failed on its side", whatToDo: "retry in a few minutes; tms already retried the safe requests", forTheCustomer: "a delay; their data is not affected", retry: .later)
        case .serviceUnavailable:
            return Advice(cause: "the API is down or being maintained", whatToDo: "retry later", forTheCustomer: "a delay; their data is not affected", retry: .later)
        case .invalidKey:
            return Advice(cause: "the API key is wrong, or none was sent", whatToDo: "check the API key: set TRACKINGMORE_API_KEY (or use --api-key-stdin or a profile); tms config explain shows where it comes from", forTheCustomer: "nothing was done for them yet", retry: .afterFixing)
        case .keyDeleted:
            return Advice(cause: "the API key was deleted in the TrackingMore account", whatToDo: "make a new key in the account and set TRACKINGMORE_API_KEY to it", forTheCustomer: "nothing was done for them yet", retry: .afterFixing)
        case .badRequest:
            return Advice(cause: "a required field is missing or the request is malformed", whatToDo: "help VERB shows what the verb needs; explain shows the request", forTheCustomer: "nothing was done for them", retry: .afterFixing)
        case .trackingNumberRequired:
            return Advice(cause: "the tracking number was empty", whatToDo: "give the number: get CARRIER NUMBER", forTheCustomer: "nothing was done for them", retry: .afterFixing)
        case .trackingNumberInvalid:
            return Advice(cause: "the number is not a tracking number this API accepts (length or characters)", whatToDo: "check the number with the customer; detect NUMBER says which carriers it fits", forTheCustomer: "their number may be mistyped: ask them to read it again", retry: .afterFixing)
        case .carrierCodeInvalid:
            return Advice(cause: "the carrier code is not one TrackingMore knows", whatToDo: "look the code up with carriers search=NAME, or let detect NUMBER guess it", forTheCustomer: "nothing was done for them: the carrier code was wrong", retry: .afterFixing)
        case .trackingExists:
            return Advice(cause: "the account already tracks this number with this carrier", whatToDo: "it exists already: read it with get CARRIER NUMBER; nothing to retry", forTheCustomer: "their parcel is already being tracked", retry: .never)
        case .trackingDoesNotExist:
            return Advice(cause: "the account does not track this number with this carrier", whatToDo: "it has not been created for this key: create it first with create CARRIER NUMBER", forTheCustomer: "their parcel is not tracked yet (or under another carrier: list numbers=NUMBER shows it)", retry: .afterFixing)
        case .needsActivation:
            return Advice(cause: "the feature (e.g. realtime or aircargo) is not switched on for the account", whatToDo: "ask whoever manages the TrackingMore account to activate it", forTheCustomer: "this kind of lookup is not available for them yet", retry: .afterFixing)
        case .balanceInsufficient:
            return Advice(cause: "the account has no money left for paid calls", whatToDo: "ask whoever manages the account to top it up, then retry the failed items", forTheCustomer: "their parcel is not tracked until then", retry: .later)
        case .tooManyAtOnce:
            return Advice(cause: "more items in one call than the endpoint allows", whatToDo: "tms sends bulk work in chunks of 40; split a hand-made request the same way", forTheCustomer: "nothing was done for them", retry: .afterFixing)
        case .quotaUsedUp:
            return Advice(cause: "the account's tracking quota is used up", whatToDo: "check userinfo (track_number is what is left); retry the failed items when the quota is raised", forTheCustomer: "their parcel is not tracked until the quota is raised", retry: .later)
        case .notAddedYet:
            return Advice(cause: "the number is fine but the account has not added it", whatToDo: "it has not been created for this key: create it first with create CARRIER NUMBER", forTheCustomer: "their parcel is not tracked yet", retry: .afterFixing)
        case .carrierNotDetected:
            return Advice(cause: "detect found no carrier whose numbers look like this one", whatToDo: "give a carrier code: carriers search=NAME finds it", forTheCustomer: "ask them which carrier sent the parcel", retry: .afterFixing)
        case .statusInvalid:
            return Advice(cause: "the status value is not one the API knows", whatToDo: "statuses are " + TrackingStatus.allCases.map(\.rawValue).joined(separator: ", ") + " (put takes 4, 7 or 8)", forTheCustomer: "nothing changed for them", retry: .afterFixing)
        }
    }

    var retryText: String {
        switch advice.retry {
        case .later: return "yes, later: bulk failures with this code go to the failed-items file"
        case .afterFixing: return "once fixed (see what to do): bulk failures with this code go to the failed-items file"
        case .never: return "no: nothing is left to do (it is done already)"
        }
    }

    /// `help 4017`: the code, its type and message, and the advice.
    public var helpText: String {
        let a = advice
        return """
            \(rawValue) \(type): \(message)

              why:              \(a.cause)
              what to do:       \(a.whatToDo)
              for the customer: \(a.forTheCustomer)
              retry:            \(retryText)

            """
    }
}
