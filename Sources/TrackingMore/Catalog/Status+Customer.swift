/// What support staff tell a customer about a status or sub-status: one plain sentence each,
/// said to the customer ("your parcel ..."). `status CODE` shows it; the lessons teach it.
extension TrackingStatus {
    public var tellCustomer: String {
        switch self {
        case .pending:
            return "We have your tracking number and expect the first news from the carrier within a few hours."
        case .notfound:
            return "The carrier has not scanned your parcel yet, which is normal at first; please check again in a day or two."
        case .transit:
            return "Your parcel is on its way; the latest event says where it is now."
        case .pickup:
            return "Your parcel is out for delivery, or waiting for you at a pick-up point."
        case .delivered:
            return "The carrier says your parcel was delivered; if you cannot find it, tell us and we will ask them."
        case .undelivered:
            return "The carrier could not deliver your parcel; it will try again or leave a note saying where to collect it."
        case .exception:
            return "There is a problem with your parcel; we are looking into it and will tell you what happens next."
        case .expired:
            return "The carrier has had no news of your parcel for a long time; we will open an inquiry and come back to you."
        }
    }
}

extension SubStatus {
    public var tellCustomer: String {
        switch self {
        case .notfound001:
            return "The carrier has your parcel's label but has not picked it up yet; it should move within a day or two."
        case .notfound002:
            return "The carrier has no information on this number yet; allow a day or two while we check the number."
        case .transit001:
            return "Your parcel has been picked up and is on its way."
        case .transit002:
            return "Your parcel is at a sorting center on its way to you."
        case .transit003:
            return "Your parcel has reached your local delivery office and should be out for delivery soon."
        case .transit004:
            return "Your parcel has arrived in your country and goes through customs before local delivery."
        case .transit005:
            return "Your parcel has cleared customs and is on its way to the local carrier for delivery."
        case .transit007:
            return "Your parcel is on its way; the latest event says where it is now."
        case .pickup001:
            return "Your parcel is out for delivery and should arrive today."
        case .delivered001:
            return "The carrier says your parcel was delivered."
        case .delivered002:
            return "Your parcel was collected from the pick-up point."
        case .delivered003:
            return "Your parcel was delivered and signed for; we can ask the carrier for the signature if you need it."
        case .delivered004:
            return "The carrier left your parcel at your door or with a neighbour; please look around and ask next door."
        case .exception004:
            return "Your parcel is waiting at the pick-up point and goes back to us unless you collect it now."
        case .exception005:
            return "The carrier had a problem delivering your parcel; we are asking them what happens next."
        case .exception006:
            return "Your parcel is held by customs, who may need documents or duties from you; watch for their message."
        case .exception007:
            return "The carrier reports your parcel damaged or lost; we will send a replacement or a refund."
        case .exception008:
            return "The shipment was cancelled before delivery; we will tell you what happens with your order."
        case .exception009:
            return "The parcel was refused at delivery and is coming back to us; tell us if that was a mistake."
        case .exception010:
            return "Your parcel has come back to us; we will contact you about a refund or sending it again."
        case .exception011:
            return "Your parcel is on its way back to us; we will contact you about a refund or sending it again."
        case .undelivered001:
            return "The carrier tried to deliver and nobody was in; their note says how to rearrange or collect it."
        }
    }
}
