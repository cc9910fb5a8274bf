/// One datagram for the caller to send. `bytes` is only valid until the next input call
/// into the engine: copy it (or send it) before handing the engine more input.
public struct Transmit {
    /// The engine-side endpoint the datagram leaves from.
    public var from: Endpoint
    /// Where it goes.
    public var to: Endpoint
    public var bytes: UnsafeRawBufferPointer
}

/// What `Engine.poll()` returns.
public enum EngineOutput {
    case transmit(Transmit)
    case event(EngineEvent)
}
