/// What a simulated participant sends and on which device (from the workload).
struct ParticipantRole: Sendable, Hashable {
    enum Video: Sendable, Hashable { case none, camera, screen }
    enum Device: String, Sendable, Hashable { case desktop, mobile }

    var sendsAudio: Bool
    var video: Video
    var device: Device
    /// Seconds from the trial start when the participant joins (publishes and subscribes).
    var joinAt: Double = 0

    /// The roles of a synthesized workload: `meeting` (everyone sends audio and camera),
    /// `webinar` (participant 0 presents, the rest only listen), `screen` (participant 0 shares a
    /// screen and talks, the rest talk), `audio` (everyone talks, no video). Devices: `desktop`,
    /// `mobile`, or `mixed` (every other participant mobile). Joins are staggered by 100 ms.
    static func roles(for workload: WorkloadSpec) throws -> [ParticipantRole] {
        guard workload.participants >= 2 else {
            throw TrialError.invalidWorkload("a workload needs at least 2 participants, got \(workload.participants)")
        }
        return try (0..<workload.participants).map { index in
            let device: Device
            switch workload.device {
            case "desktop": device = .desktop
            case "mobile": device = .mobile
            case "mixed": device = index % 2 == 0 ? .desktop : .mobile
            default: throw TrialError.invalidWorkload("unknown device '\(workload.device)' (use desktop, mobile or mixed)")
            }
            let joinAt = Double(index) * 0.1
            switch workload.kind {
            case "meeting": return ParticipantRole(sendsAudio: true, video: .camera, device: device, joinAt: joinAt)
            case "webinar": return ParticipantRole(sendsAudio: index == 0, video: index == 0 ? .camera : .none, device: device, joinAt: joinAt)
            case "screen": return ParticipantRole(sendsAudio: true, video: index == 0 ? .screen : .none, device: device, joinAt: joinAt)
            case "audio": return ParticipantRole(sendsAudio: true, video: .none, device: device, joinAt: joinAt)
            default: throw TrialError.invalidWorkload("unknown workload kind '\(workload.kind)' (use meeting, webinar, screen or audio)")
            }
        }
    }
}
