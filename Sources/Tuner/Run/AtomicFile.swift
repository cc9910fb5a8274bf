import Foundation

/// Writes files so that a reader sees the old content or the new, never half of it: write a
/// temporary file beside the target, then rename it over the target.
public enum AtomicFile {
    /// Writes `data` to `url` atomically, creating the parent directory.
    public static func write(_ data: Data, to url: URL) throws {
        let fm = FileManager.default
        let directory = url.deletingLastPathComponent()
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
            guard fm.createFile(atPath: temporary.path, contents: data) else {
                throw TunerError(.io, "cannot write \(temporary.path)")
            }
            if rename(temporary.path, url.path) != 0 {
                let code = errno
                try? fm.removeItem(at: temporary)
                throw TunerError(.io, "cannot move \(temporary.lastPathComponent) to \(url.path): \(String(cString: strerror(code)))")
            }
        } catch let error as TunerError {
            throw error
        } catch {
            throw TunerError(.io, "cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// Writes several files as one step: all are rendered into temporary files first; only when
    /// every one was written are they renamed into place. On failure none is replaced.
    public static func writeAll(_ files: [(URL, Data)]) throws {
        let fm = FileManager.default
        var staged: [(URL, URL)] = []
        do {
            for (url, data) in files {
                let directory = url.deletingLastPathComponent()
                try fm.createDirectory(at: directory, withIntermediateDirectories: true)
                let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
                guard fm.createFile(atPath: temporary.path, contents: data) else {
                    throw TunerError(.io, "cannot write \(url.path)")
                }
                staged.append((temporary, url))
            }
        } catch {
            for (temporary, _) in staged { try? fm.removeItem(at: temporary) }
            throw error as? TunerError ?? TunerError(.io, "\(error)")
        }
        for (temporary, url) in staged where rename(temporary.path, url.path) != 0 {
            for (t, _) in staged { try? fm.removeItem(at: t) }
            throw TunerError(.io, "cannot move a report file into \(url.path)")
        }
    }
}
