import Engine
import Foundation
import Harness
import Yams

/// Reads, checks and resolves experiment and profile files. Every problem in a file is reported
/// at once, positioned; nothing is resolved from a file with errors.
public struct ExperimentLoader: Sendable {
    public var presets: NetworkPresetCatalog

    public init(presets: NetworkPresetCatalog = .standard) { self.presets = presets }

    /// Loads a profile file strictly.
    public func loadProfile(at path: String) throws(DiagnosticsError) -> Profile {
        let text = try Self.read(path)
        let (parsed, syntax) = StrictYAML.parse(text, file: path)
        guard var node = parsed else { throw DiagnosticsError(syntax) }
        if case .mapping(let m) = node, m.first(where: { $0.key.scalar?.string == "kind" })?.value.scalar?.string == "profile" {
            node = .mapping(Node.Mapping(m.filter { $0.key.scalar?.string != "kind" }, m.tag, m.style, m.mark))
        }
        let result = StrictYAML.decode(Profile.self, node: node, file: path)
        guard let profile = result.value else { throw DiagnosticsError(result.diagnostics) }
        return profile
    }

    /// Loads and resolves an experiment file. Warnings (not errors) are returned beside it.
    public func loadExperiment(at path: String, modeOverride: RunMode? = nil) throws(DiagnosticsError)
        -> (Experiment, warnings: [TunerDiagnostic])
    {
        let text = try Self.read(path)
        return try resolve(yaml: text, file: path, modeOverride: modeOverride)
    }

    /// Resolves experiment YAML text; `file` names it in diagnostics and anchors relative paths.
    public func resolve(yaml: String, file: String, modeOverride: RunMode? = nil) throws(DiagnosticsError)
        -> (Experiment, warnings: [TunerDiagnostic])
    {
        let result = StrictYAML.decode(ExperimentDocument.self, yaml: yaml, file: file)
        var problems = result.diagnostics
        guard let doc = result.partial else { throw DiagnosticsError(problems) }
        let mode = modeOverride ?? doc.mode

        var base = Profile()
        switch doc.base {
        case .path(let relative):
            let resolved = Self.resolvePath(relative, relativeTo: file)
            do { base = try loadProfile(at: resolved) } catch {
                if error.diagnostics.contains(where: { $0.code == .unreadable }) {
                    problems.append(result.diagnostic(.invalidValue, at: "base", "cannot read base profile `\(resolved)`",
                                                      fix: "give a path relative to the experiment file"))
                } else {
                    problems += error.diagnostics
                }
            }
        case .inline(let profile): base = profile
        case nil: break
        }

        var networks: [NetworkScenario] = []
        for (i, choice) in doc.network.enumerated() {
            switch choice {
            case .inline(let scenario): networks.append(scenario)
            case .preset(let name):
                if let scenario = presets.lookup(name) { networks.append(scenario) } else {
                    problems.append(result.diagnostic(.invalidValue, at: "network[\(i)]", "unknown network preset `\(name)`",
                                                      fix: EditDistance.fix(for: name, among: presets.names)
                                                        .replacingOccurrences(of: "valid keys here", with: "presets")))
                }
            }
        }
        if doc.network.isEmpty {
            problems.append(result.diagnostic(.invalidValue, at: "network", "no network scenario", fix: "for example `network: [4g]`"))
        }

        let duration = Self.parseDuration(doc.duration)
        if duration == nil {
            problems.append(result.diagnostic(.invalidValue, at: "duration", "cannot read duration `\(doc.duration)`",
                                              fix: "for example `30s`, `2m` or `500ms`"))
        }
        // A recorded workload: resolved like `base`, checked now so a bad file fails before any trial.
        var workload = doc.workload
        if let relative = workload.file {
            let resolved = Self.resolvePath(relative, relativeTo: file)
            workload.file = resolved
            do { try WorkloadSpec.checkFile(at: resolved) } catch {
                problems.append(result.diagnostic(.invalidValue, at: "workload.file", error.description,
                                                  fix: "give a workload file from `sfulab workload synth` or `sfulab record`, relative to the experiment file"))
            }
        }
        if doc.repetitions < 1 {
            problems.append(result.diagnostic(.invalidValue, at: "repetitions", "repetitions must be at least 1", fix: "for example `5`"))
        }

        let axes = resolveAxes(doc, base: base, mode: mode, result: result, problems: &problems)
        let strategy = resolveStrategy(doc.strategy, result: result, problems: &problems)

        var objectives: [Objective] = []
        for (i, goal) in doc.objective.goals.enumerated() {
            switch (goal.minimize, goal.maximize) {
            case (let metric?, nil) where !metric.isEmpty: objectives.append(Objective(metric: metric, direction: .minimize))
            case (nil, let metric?) where !metric.isEmpty: objectives.append(Objective(metric: metric, direction: .maximize))
            default:
                let at = doc.objective.goals.count == 1 ? "objective" : "objective[\(i)]"
                problems.append(result.diagnostic(.invalidValue, at: at, "an objective needs exactly one of `minimize` or `maximize`",
                                                  fix: "for example `minimize: frameLatency.p95`"))
            }
        }
        if doc.objective.goals.isEmpty {
            problems.append(result.diagnostic(.invalidValue, at: "objective", "no objective", fix: "for example `minimize: frameLatency.p95`"))
        }

        var constraints: [Constraint] = []
        for (i, text) in doc.constraints.enumerated() {
            if let c = Constraint(parsing: text) { constraints.append(c) } else {
                problems.append(result.diagnostic(.invalidValue, at: "constraints[\(i)]", "cannot read constraint `\(text)`",
                                                  fix: "write `metric < number` (operators <, <=, >, >=, ==), e.g. `freezesPerMinute < 1`"))
            }
        }

        var warnings: [TunerDiagnostic] = []
        let pairs = doc.repetitions * max(1, networks.count)
        var challengers = axes.isEmpty ? 0 : axes.reduce(1) { $0 * $1.values.count }
        if case .random(let samples) = strategy { challengers = min(challengers, samples) }
        let smallestP = Double(challengers) * pow(2.0, Double(1 - pairs))
        // A capacity search (one workload.participants axis) seeks the largest room meeting the
        // constraints, not a paired winner, so the repetition warning does not apply to it.
        let isCapacitySearch = axes.count == 1 && axes[0].key == "workload.participants"
        if strategy == .capacitySearch && !isCapacitySearch && !problems.contains(where: { $0.keyPath.hasPrefix("sweep") }) {
            problems.append(result.diagnostic(.invalidValue, at: "strategy",
                "`capacity` bisects over room sizes: it needs exactly one sweep axis, `workload.participants`",
                fix: "sweep only `key: workload.participants` (for example `range: {from: 5, to: 60, steps: 12}`), or use `strategy: grid`"))
        }
        if challengers > 0, smallestP >= 0.05, !isCapacitySearch, !{ if case .successiveHalving = strategy { true } else { false } }() {
            var needed = pairs
            while Double(challengers) * pow(2.0, Double(1 - needed)) >= 0.05 { needed += 1 }
            let perNetwork = (needed + max(1, networks.count) - 1) / max(1, networks.count)
            warnings.append(result.diagnostic(.invalidValue, at: "repetitions",
                "\(pairs) paired observations per candidate and \(challengers) candidates: the smallest Holm-adjusted p-value a sign-flip test can give is \(min(1, smallestP).formatted()), so no winner can be significant at 0.05",
                fix: "use at least \(perNetwork) repetitions for a verdict", severity: .warning))
        }

        guard !problems.contains(where: { $0.severity == .error }), let duration else {
            throw DiagnosticsError(problems.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) })
        }
        let name = doc.name.isEmpty ? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent : doc.name
        let experiment = Experiment(name: name, description: doc.description, file: file, base: base,
                                    workload: workload, networks: networks, duration: duration, axes: axes,
                                    strategy: strategy, repetitions: doc.repetitions, seed: doc.seed,
                                    objectives: objectives, constraints: constraints, mode: mode)
        return (experiment, warnings)
    }

    private func resolveAxes(_ doc: ExperimentDocument, base: Profile, mode: RunMode,
                             result: StrictDecodeResult<ExperimentDocument>, problems: inout [TunerDiagnostic]) -> [SweepAxis] {
        var axes: [SweepAxis] = []
        for (i, axis) in doc.sweep.enumerated() {
            let at = "sweep[\(i)]"
            if mode == .simulated, Profile.model(ofKnob: axis.key) == .liveOnly {
                let reason = Profile.liveOnlyKnobs.first { axis.key == $0.key || axis.key.hasPrefix($0.key + ".") }?.value ?? ""
                problems.append(result.diagnostic(.liveOnlyKnob, at: "\(at).key",
                    "knob `\(axis.key)` is live-only and cannot be swept in simulated mode: \(reason)",
                    fix: "set `mode: live` (or pass --mode live), or remove this axis"))
                continue
            }
            var values: [ConfigValue]
            switch (axis.values, axis.range) {
            case (let list?, nil): values = list
            case (nil, let range?):
                guard let v = expand(range, key: axis.key, base: base) else {
                    problems.append(result.diagnostic(.invalidValue, at: "\(at).range", "invalid range",
                        fix: "`steps` ≥ 2; for `scale: log` both ends must be positive"))
                    continue
                }
                values = v
            default:
                problems.append(result.diagnostic(.invalidValue, at: at, "an axis needs exactly one of `values` or `range`",
                                                  fix: "for example `values: [600000, 1000000]`"))
                continue
            }
            if values.isEmpty {
                problems.append(result.diagnostic(.invalidValue, at: "\(at).values", "no values", fix: "list at least one value"))
                continue
            }
            if WorkloadPatch.isWorkloadKey(axis.key) {
                var axisOK = true
                for (j, value) in values.enumerated() {
                    if case .failure(let problem) = WorkloadPatch.apply([(axis.key, value)], to: WorkloadSpec()) {
                        axisOK = false
                        let where_ = problem.message.contains("cannot be swept") ? "\(at).key"
                            : (axis.values != nil ? "\(at).values[\(j)]" : "\(at).range")
                        problems.append(result.diagnostic(.invalidValue, at: where_, problem.message, fix: problem.fix))
                        break
                    }
                }
                if axisOK { axes.append(SweepAxis(key: axis.key, values: values)) }
                continue
            }
            var axisOK = true
            for (j, value) in values.enumerated() {
                let patched = ProfilePatch.apply([(axis.key, value)], to: base)
                guard let problem = patched.diagnostics.first else { continue }
                axisOK = false
                if problem.code == .unknownKey || problem.code == .typeMismatch && problem.keyPath != axis.key
                    && axis.key.hasPrefix(problem.keyPath) {
                    problems.append(result.diagnostic(.unknownKey, at: "\(at).key",
                        "unknown profile key `\(axis.key)`" + (problem.keyPath == axis.key ? ": \(problem.message)" : " (`\(problem.keyPath)` does not exist)"),
                        fix: Self.fullPathFix(problem)))
                    break
                }
                let where_ = axis.values != nil ? "\(at).values[\(j)]" : "\(at).range"
                problems.append(result.diagnostic(problem.code, at: where_, "value `\(value)` for `\(axis.key)`: \(problem.message)",
                                                  fix: problem.fix))
            }
            if axisOK { axes.append(SweepAxis(key: axis.key, values: values)) }
        }
        return axes
    }

    private func resolveStrategy(_ doc: StrategyDocument, result: StrictDecodeResult<ExperimentDocument>,
                                 problems: inout [TunerDiagnostic]) -> SweepStrategy {
        switch doc.kind {
        case .grid: return .grid
        case .random:
            guard let samples = doc.samples, samples >= 1 else {
                problems.append(result.diagnostic(.missingKey, at: "strategy", "`random` needs `samples` ≥ 1",
                                                  fix: "for example `strategy: {kind: random, samples: 20}`"))
                return .grid
            }
            return .random(samples: samples)
        case .halving:
            let eta = doc.eta ?? 2, first = doc.initialRepetitions ?? 2
            if eta < 2 || first < 1 {
                problems.append(result.diagnostic(.invalidValue, at: "strategy", "halving needs `eta` ≥ 2 and `initialRepetitions` ≥ 1",
                                                  fix: "for example `strategy: {kind: halving, eta: 2, initialRepetitions: 2}`"))
            }
            return .successiveHalving(eta: max(2, eta), initialRepetitions: max(1, first))
        case .capacity:
            return .capacitySearch
        }
    }

    /// Points of a range; integers when the knob's default (or both ends) are integers.
    func expand(_ range: RangeDocument, key: String, base: Profile) -> [ConfigValue]? {
        let steps = range.steps ?? 5
        let scale = range.scale ?? .linear
        guard steps >= 2, scale == .linear || range.from > 0 && range.to > 0 else { return nil }
        var integral = range.from == range.from.rounded() && range.to == range.to.rounded()
        if let node = try? StrictYAML.node(of: base), let current = ProfilePatch.lookup(node, ProfilePatch.components(of: key)),
           let text = current.scalar?.string {
            integral = YAMLScalar.int(text, allowIntegralFloat: false) != nil
        }
        return (0..<steps).map { i in
            let f = Double(i) / Double(steps - 1)
            let x = scale == .linear ? range.from + (range.to - range.from) * f
                : exp(log(range.from) + (log(range.to) - log(range.from)) * f)
            return .scalar(integral ? String(Int64(x.rounded())) : String(x))
        }
    }

    /// Turns a did-you-mean on the last component into one on the whole key path.
    static func fullPathFix(_ problem: TunerDiagnostic) -> String {
        guard problem.fix.hasPrefix("did you mean `"), let open = problem.fix.firstIndex(of: "`") else {
            return problem.fix.isEmpty ? "see Profiles/baseline.yaml for the key paths" : problem.fix
        }
        let word = problem.fix[problem.fix.index(after: open)...].prefix { $0 != "`" }
        var parts = problem.keyPath.split(separator: ".").map(String.init)
        guard !parts.isEmpty else { return problem.fix }
        parts[parts.count - 1] = String(word)
        return "did you mean `\(parts.joined(separator: "."))`?"
    }

    // MARK: - Files

    static func read(_ path: String) throws(DiagnosticsError) -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw DiagnosticsError([TunerDiagnostic(code: .unreadable, file: path, line: 0, column: 0, keyPath: "",
                                                    message: "cannot read the file", fix: "check the path")])
        }
        return text
    }

    static func resolvePath(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL.path
    }

    /// `30s`, `2m`, `500ms`, `1h`, or a bare number of seconds; zero is refused.
    public static func parseDuration(_ text: String) -> Duration? {
        guard let duration = DurationText.parse(text), duration > .zero else { return nil }
        return duration
    }
}
