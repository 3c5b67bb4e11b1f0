/// Calendar arithmetic on unix seconds, in UTC, without Foundation (days-from-civil, after
/// Howard Hinnant's algorithms).
public enum UTC {
    /// 9999-12-31T23:59:59Z, the last moment the API's dates can name.
    public static let latest = 253_402_300_799

    /// `2025-06-02T08:00:00+00:00`
    public static func iso(_ t: Int) -> String {
        let (y, m, d, hh, mm, ss) = parts(t)
        if let s = digits(y, m, d, hh, mm, ss, separator: UInt8(ascii: "T"), zone: true) { return s }
        return "\(pad(y, 4))-\(pad(m))-\(pad(d))T\(pad(hh)):\(pad(mm)):\(pad(ss))+00:00"
    }

    /// `2025-06-02 08:00:00`
    public static func dateTime(_ t: Int) -> String {
        let (y, m, d, hh, mm, ss) = parts(t)
        if let s = digits(y, m, d, hh, mm, ss, separator: UInt8(ascii: " "), zone: false) { return s }
        return "\(pad(y, 4))-\(pad(m))-\(pad(d)) \(pad(hh)):\(pad(mm)):\(pad(ss))"
    }

    /// The date and time of a four-digit year written byte by byte (tms serve writes one for
    /// every tracking it answers); nil for other years, which `pad` writes.
    private static func digits(_ y: Int, _ m: Int, _ d: Int, _ hh: Int, _ mm: Int, _ ss: Int, separator: UInt8, zone: Bool) -> String? {
        guard (0...9999).contains(y) else { return nil }
        let count = zone ? 25 : 19
        return String(unsafeUninitializedCapacity: count) { b in
            func put(_ n: Int, _ at: Int, _ width: Int) {
                var n = n
                for i in (at..<at + width).reversed() {
                    b[i] = UInt8(ascii: "0") + UInt8(n % 10)
                    n /= 10
                }
            }
            put(y, 0, 4)
            b[4] = UInt8(ascii: "-")
            put(m, 5, 2)
            b[7] = UInt8(ascii: "-")
            put(d, 8, 2)
            b[10] = separator
            put(hh, 11, 2)
            b[13] = UInt8(ascii: ":")
            put(mm, 14, 2)
            b[16] = UInt8(ascii: ":")
            put(ss, 17, 2)
            if zone {
                for (i, c) in "+00:00".utf8.enumerated() { b[19 + i] = c }
            }
            return count
        }
    }

    /// `2025-06-02 08:00`
    public static func minutes(_ t: Int) -> String {
        String(dateTime(t).dropLast(3))
    }

    /// Defined for every Int: the floor division never overflows, even at `Int.min`.
    public static func parts(_ t: Int) -> (Int, Int, Int, Int, Int, Int) {
        var days = t / 86400
        var secs = t % 86400
        if secs < 0 {
            days -= 1
            secs += 86400
        }
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

    /// Unix seconds of a civil date and time, or nil when a part is out of its range (years
    /// 1...9999, a real day of the month, hours 0...23, minutes and seconds 0...59). Every
    /// date or time that comes from a user, a file or a request goes through here, so no
    /// out-of-range part reaches the arithmetic below.
    public static func seconds(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Int? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month, of: year),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        return days(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
    }

    static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a civil date; callers outside pass years within ±10^12
    /// (``seconds(year:month:day:hour:minute:second:)`` checks that for them).
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
            let y = number(0, 4), let m = number(5, 2), let d = number(8, 2)
        else { return nil }
        var (hh, mm, ss) = (0, 0, 0)
        var i = 10
        if i < u.count, u[i] == UInt8(ascii: "T") || u[i] == UInt8(ascii: " ") {
            guard let h = number(i + 1, 2), i + 3 < u.count, u[i + 3] == UInt8(ascii: ":"), let mi = number(i + 4, 2) else { return nil }
            (hh, mm) = (h, mi)
            i += 6
            if i < u.count, u[i] == UInt8(ascii: ":"), let s = number(i + 1, 2) {
                ss = s
                i += 3
            }
        }
        guard var seconds = UTC.seconds(year: y, month: m, day: d, hour: hh, minute: mm, second: ss) else { return nil }
        if i < u.count, u[i] == UInt8(ascii: "Z") { i += 1 }
        if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
            guard let oh = number(i + 1, 2), i + 3 < u.count, u[i + 3] == UInt8(ascii: ":"), let om = number(i + 4, 2), oh <= 23, om <= 59
            else { return nil }
            let offset = oh * 3600 + om * 60
            seconds += u[i] == UInt8(ascii: "+") ? -offset : offset
            i += 6
        }
        return i == u.count ? seconds : nil
    }
}
