import ICE

/// The outputs a security layer has for its owner, first in first out (an ``OutputFIFO``), with
/// ICE's outputs mapped to the layer's; shared by the server and client layers.
struct SecurityOutputQueue: Sendable {
    private var items = OutputFIFO<WebRTCSecurityOutput>()

    mutating func push(_ output: WebRTCSecurityOutput) { items.push(output) }

    /// An ICE agent's or checker's output, in the layer's terms.
    mutating func push(_ output: ICEOutput) {
        switch output {
        case .transmit(let transmit): items.push(.transmit(transmit.tuple, transmit.bytes))
        case .event(.stateChanged(let state)): items.push(.event(.iceStateChanged(state)))
        case .event(.selectedTupleChanged(let tuple)): items.push(.event(.selectedTupleChanged(tuple)))
        }
    }

    mutating func pop() -> WebRTCSecurityOutput? { items.pop() }
}
