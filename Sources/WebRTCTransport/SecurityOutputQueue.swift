import ICE

/// The outputs a security layer has for its owner, first in first out, keeping its storage
/// between drains; shared by the server and client layers.
struct SecurityOutputQueue: Sendable {
    private var items: [WebRTCSecurityOutput] = []
    private var head = 0

    mutating func push(_ output: WebRTCSecurityOutput) { items.append(output) }

    /// An ICE agent's or checker's output, in the layer's terms.
    mutating func push(_ output: ICEOutput) {
        switch output {
        case .transmit(let transmit): items.append(.transmit(transmit.tuple, transmit.bytes))
        case .event(.stateChanged(let state)): items.append(.event(.iceStateChanged(state)))
        case .event(.selectedTupleChanged(let tuple)): items.append(.event(.selectedTupleChanged(tuple)))
        }
    }

    mutating func pop() -> WebRTCSecurityOutput? {
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
