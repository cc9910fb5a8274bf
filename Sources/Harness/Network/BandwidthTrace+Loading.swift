#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension BandwidthTrace {
    /// Reads a trace file, telling the format from its first data line: one integer column is
    /// Mahimahi, two numeric columns are "seconds Mbps" rows (tab- or space-separated).
    /// Blank lines and lines starting with `#` are skipped; rate files may start with a header line.
    public static func load(path: String) throws -> BandwidthTrace {
        let text = try readTextFile(path)
        return try parse(text, source: path)
    }

    /// Parses trace text (see `load(path:)`); `source` names it in errors.
    public static func parse(_ text: String, source: String) throws -> BandwidthTrace {
        for (_, line) in dataLines(text) {
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
            if columns.count == 1 && Int64(columns[0]) != nil { return try parseMahimahi(text, source: source) }
            if columns.count == 1 { break }
            return try parseRateRows(text, source: source)
        }
        throw TraceError(path: source, line: nil,
                         message: "no data lines: expected Mahimahi timestamps (one integer ms per line) or \"seconds Mbps\" rows")
    }

    /// Parses a Mahimahi delivery-opportunity file: one non-negative integer millisecond
    /// timestamp per line, non-decreasing.
    public static func parseMahimahi(_ text: String, source: String) throws -> BandwidthTrace {
        var timestamps: [Int64] = []
        for (number, line) in dataLines(text) {
            guard let value = Int64(line), value >= 0 else {
                throw TraceError(path: source, line: number,
                                 message: "expected one non-negative integer millisecond timestamp, found \"\(line)\"")
            }
            if let previous = timestamps.last, value < previous {
                throw TraceError(path: source, line: number,
                                 message: "timestamp \(value) is earlier than the previous one (\(previous)); timestamps must not decrease")
            }
            timestamps.append(value)
        }
        return try BandwidthTrace(mahimahiMilliseconds: timestamps, source: source)
    }

    /// Parses "seconds Mbps" rows: two numeric columns, strictly increasing seconds, rates ≥ 0.
    /// A first line that is not numeric is taken as a header.
    public static func parseRateRows(_ text: String, source: String) throws -> BandwidthTrace {
        var rows: [(seconds: Double, megabitsPerSecond: Double)] = []
        var first = true
        for (number, line) in dataLines(text) {
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
            let numbers = columns.compactMap { Double($0) }
            defer { first = false }
            if first && numbers.isEmpty { continue }  // header
            guard columns.count == 2, numbers.count == 2 else {
                throw TraceError(path: source, line: number,
                                 message: "expected two numbers \"seconds Mbps\", found \"\(line)\"")
            }
            let (seconds, rate) = (numbers[0], numbers[1])
            guard seconds.isFinite, rate.isFinite, rate >= 0 else {
                throw TraceError(path: source, line: number, message: "time and rate must be finite and the rate ≥ 0, found \"\(line)\"")
            }
            if let previous = rows.last, seconds <= previous.seconds {
                throw TraceError(path: source, line: number,
                                 message: "time \(seconds) s is not after the previous row's \(previous.seconds) s; times must increase")
            }
            rows.append((seconds, rate))
        }
        return try BandwidthTrace(rateRows: rows, source: source)
    }

    /// Non-blank, non-comment lines with their 1-based numbers, trimmed.
    private static func dataLines(_ text: String) -> [(Int, String)] {
        var result: [(Int, String)] = []
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let trimmed = raw.drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" })
            var line = String(trimmed)
            while let last = line.last, last == " " || last == "\t" || last == "\r" { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            result.append((number, line))
        }
        return result
    }

    private static func readTextFile(_ path: String) throws -> String {
        guard let file = fopen(path, "rb") else {
            throw TraceError(path: path, line: nil, message: "cannot open trace file (errno \(errno)); check the path, relative to the working directory")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let read = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if read > 0 { bytes.append(contentsOf: buffer[0..<read]) }
            if read < buffer.count {
                if ferror(file) != 0 { throw TraceError(path: path, line: nil, message: "read error") }
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
