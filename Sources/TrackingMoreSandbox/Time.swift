/// Calendar arithmetic on unix seconds, in UTC, without Foundation (days-from-civil, after
/// Howard Hinnant's algorithms).
enum UTC {
    /// `2025-06-02T08:00:00+00:00`
    static func iso(_ t: Int) -> String {
        let (y, m, d, hh, mm, ss) = parts(t)
        return "\(pad(y, 4))-\(pad(m))-\(pad(d))T\(pad(hh)):\(pad(mm)):\(pad(ss))+00:00"
    }

    /// `2025-06-02 08:00:00`
    static func dateTime(_ t: Int) -> String {
        let (y, m, d, hh, mm, ss) = parts(t)
        return "\(pad(y, 4))-\(pad(m))-\(pad(d)) \(pad(hh)):\(pad(mm)):\(pad(ss))"
    }

    /// `2025-06-02 08:00`
    static func minutes(_ t: Int) -> String {
        String(dateTime(t).dropLast(3))
    }

    static func parts(_ t: Int) -> (Int, Int, Int, Int, Int, Int) {
        let days = t >= 0 ? t / 86400 : (t - 86399) / 86400
        let secs = t - days * 86400
        let (y, m, d) = civil(days)
        return (y, m, d, secs / 3600, secs % 3600 / 60, secs % 60)
    }

    static func civil(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Unix seconds of a civil date at midnight UTC.
    static func days(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y - 1 : y
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    private static func pad(_ n: Int, _ width: Int = 2) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
