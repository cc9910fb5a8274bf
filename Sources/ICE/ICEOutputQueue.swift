/// A first-in first-out queue of ``ICEOutput`` that keeps its storage between drains.
struct ICEOutputQueue: Sendable {
    private var items: [ICEOutput] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func push(_ output: ICEOutput) { items.append(output) }

    mutating func pop() -> ICEOutput? {
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
