/// Calendar arithmetic on unix seconds, in UTC, without Foundation (days-from-civil, after
/// Howard Hinnant's algorithms).
public enum UTC {
    /// `2025-06-02T08:00:00+00:00`
    public static func iso(_ t: Int) -> String {
        let (y, m, d, hh, mm, ss) = parts(t)
        return "\(pad(y, 4))-\(pad(m))-\(pad(d))T\(pad(hh)):\(pad(mm)):\(pad(ss))+00:00"
    }

    /// `2025-06-02 08:00:00`
    public static func dateTime(_ t: Int) -> String {
        let (y, m, d, hh, mm, ss) = parts(t)
        return "\(pad(y, 4))-\(pad(m))-\(pad(d)) \(pad(hh)):\(pad(mm)):\(pad(ss))"
    }

    /// `2025-06-02 08:00`
    public static func minutes(_ t: Int) -> String {
        String(dateTime(t).dropLast(3))
    }

    public static func parts(_ t: Int) -> (Int, Int, Int, Int, Int, Int) {
        let days = t >= 0 ? t / 86400 : (t - 86399) / 86400
        let secs = t - days * 86400
        let (y, m, d) = civil(days)
        return (y, m, d, secs / 3600, secs % 3600 / 60, secs % 60)
    }

    public static func civil(_ days: Int) -> (Int, Int, Int) {
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

    /// Days since 1970-01-01 of a civil date.
    public static func days(_ y: Int, _ m: Int, _ d: Int) -> Int {
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

    /// `2024-05-01`, `2024-05-01T10:00:00`, `2024-05-01 10:00`, with an optional `Z` or `+hh:mm`.
    public static func parse(_ text: String) -> Int? {
        let u = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= u.count else { return nil }
            var n = 0
            for b in u[from..<(from + count)] {
                guard b >= 0x30, b <= 0x39 else { return nil }
                n = n * 10 + Int(b - 0x30)
            }
            return n
        }
        guard u.count >= 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
            let y = number(0, 4), let m = number(5, 2), let d = number(8, 2), (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        var seconds = days(y, m, d) * 86400
        var i = 10
        if i < u.count, u[i] == UInt8(ascii: "T") || u[i] == UInt8(ascii: " ") {
            guard let hh = number(i + 1, 2), i + 3 < u.count, u[i + 3] == UInt8(ascii: ":"), let mm = number(i + 4, 2) else { return nil }
            seconds += hh * 3600 + mm * 60
            i += 6
            if i < u.count, u[i] == UInt8(ascii: ":"), let ss = number(i + 1, 2) {
                seconds += ss
                i += 3
            }
        }
        if i < u.count, u[i] == UInt8(ascii: "Z") { i += 1 }
        if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
            guard let oh = number(i + 1, 2), i + 3 < u.count, let om = number(i + 4, 2) else { return nil }
            let offset = oh * 3600 + om * 60
            seconds += u[i] == UInt8(ascii: "+") ? -offset : offset
            i += 6
        }
        return i == u.count ? seconds : nil
    }
}
