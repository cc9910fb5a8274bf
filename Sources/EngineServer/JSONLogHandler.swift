#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Logging

/// A swift-log handler that writes one JSON object per line to stderr:
/// `{"ts":"2026-01-01T00:00:00.000Z","level":"info","label":"sfulab.server","msg":"...","room":"a"}`
/// (metadata keys become fields). Lines from several threads never interleave.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    private let label: String
    private let sink: LineSink

    /// A handler for `label` that logs at `level` and above to `sink` (stderr by default).
    public init(label: String, level: Logger.Level = .info, sink: LineSink = .standardError) {
        self.label = label
        logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata { fields[key] = value.description }
        for (key, value) in metadataProvider?.get() ?? [:] { fields[key] = value.description }
        for (key, value) in event.metadata ?? [:] { fields[key] = value.description }
        if let error = event.error { fields["error"] = String(describing: error) }
        var line = "{\"ts\":\(Self.quote(Self.timestamp())),\"level\":\(Self.quote(event.level.rawValue))"
        line += ",\"label\":\(Self.quote(label)),\"msg\":\(Self.quote(event.message.description))"
        for key in fields.keys.sorted() where !["ts", "level", "label", "msg"].contains(key) {
            line += ",\(Self.quote(key)):\(Self.quote(fields[key]!))"
        }
        line += "}\n"
        sink.write(line)
    }

    /// A JSON string literal for `text` (RFC 8259 escapes).
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var time = tm()
        var seconds = spec.tv_sec
        gmtime_r(&seconds, &time)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", time.tm_year + 1900, time.tm_mon + 1, time.tm_mday,
                      time.tm_hour, time.tm_min, time.tm_sec, spec.tv_nsec / 1_000_000)
    }

    /// Parses a level name: swift-log's (`trace` ... `critical`) or the profile's mediasoup names
    /// (`debug`, `warn`, `error`, `none`). nil for anything else.
    public static func level(named name: String) -> Logger.Level? {
        switch name.lowercased() {
        case "warn": .warning
        case "none": .critical
        default: Logger.Level(rawValue: name.lowercased())
        }
    }

    /// Level names `level(named:)` accepts, for error messages.
    public static let levelNames = ["trace", "debug", "info", "notice", "warning", "warn", "error", "critical", "none"]
}

/// Where log lines go: a file descriptor written under a lock, or a closure (for tests).
public final class LineSink: @unchecked Sendable {
    private let lock = NSLock()
    private let writeLine: (String) -> Void

    public init(_ writeLine: @escaping (String) -> Void) { self.writeLine = writeLine }

    func write(_ line: String) { lock.withLock { writeLine(line) } }

    /// The process's stderr.
    public static let standardError = LineSink { line in
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }
}
