extension WorkloadSpec {
    /// Opens the workload file at `path` and checks that a simulated trial can run it (readable,
    /// a valid manifest, Opus and VP8 streams only), without reading its packets. The error names
    /// the file and, for a damaged file, the byte offset.
    public static func checkFile(at path: String) throws(TrialError) {
        _ = try RecordedWorkload(path: path, verbatim: false)
    }
}
