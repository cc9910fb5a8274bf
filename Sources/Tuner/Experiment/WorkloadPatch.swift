import Harness

/// Sweep axes over the workload rather than the profile: `workload.participants`,
/// `workload.kind`, `workload.device`. A capacity search sweeps `workload.participants` and
/// reports the largest room that still meets the constraints (`SweepAnalysis.capacity`).
public enum WorkloadPatch {
    /// The workload keys a sweep may vary.
    public static let keys = ["workload.participants", "workload.kind", "workload.device"]

    public static func isWorkloadKey(_ key: String) -> Bool { key.hasPrefix("workload.") }

    /// `base` with every assignment applied, or a message saying what is wrong and what fits.
    public static func apply(_ assignments: [(key: String, value: ConfigValue)], to base: WorkloadSpec) -> Result<WorkloadSpec, WorkloadPatchError> {
        var workload = base
        for (key, value) in assignments {
            let text = value.description
            switch key {
            case "workload.participants":
                guard let count = Int(text), count >= 2 else {
                    return .failure(WorkloadPatchError(message: "`\(text)` is not a participant count", fix: "use whole numbers of at least 2"))
                }
                workload.participants = count
            case "workload.kind":
                guard ["meeting", "webinar", "screen", "audio"].contains(text) else {
                    return .failure(WorkloadPatchError(message: "unknown workload kind `\(text)`", fix: "use meeting, webinar, screen or audio"))
                }
                workload.kind = text
            case "workload.device":
                guard ["desktop", "mobile", "mixed"].contains(text) else {
                    return .failure(WorkloadPatchError(message: "unknown device `\(text)`", fix: "use desktop, mobile or mixed"))
                }
                workload.device = text
            default:
                return .failure(WorkloadPatchError(message: "`\(key)` cannot be swept",
                                                   fix: "sweep one of " + keys.map { "`\($0)`" }.joined(separator: ", ")))
            }
        }
        return .success(workload)
    }
}

/// Why a workload sweep value was refused.
public struct WorkloadPatchError: Error, Sendable, Hashable {
    public var message: String
    public var fix: String
}
