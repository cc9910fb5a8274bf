/// A first-in first-out queue of a sans-IO component's outputs that keeps its storage between
/// drains: the ICE agent and checker queue ``ICEOutput``s in it, the WebRTC security layers
/// their own outputs.
public struct OutputFIFO<Element: Sendable>: Sendable {
    private var items: [Element] = []
    private var head = 0

    public init() {}

    public var isEmpty: Bool { head == items.count }

    public mutating func push(_ output: Element) { items.append(output) }

    /// The oldest output, or nil when none is left.
    public mutating func pop() -> Element? {
        guard head < items.count else { return nil }
        let output = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        return output
    }
}
