/// Something the engine reports to its owner (the application, the harness or the server).
public enum EngineEvent: Sendable, Hashable {
    /// The layers a simulcast/SVC consumer forwards changed (nil: nothing forwarded).
    case consumerLayersChanged(ConsumerID, ConsumerLayers?)
    /// A consumer's stream score changed (0...10, mediasoup semantics).
    case consumerScore(ConsumerID, Int)
    /// A producer stream's score changed (0...10; 0 while it is not arriving).
    case producerScore(ProducerID, encoding: Int, score: Int)
    /// A producer stream started arriving (first packet, or first after a pause) or stopped
    /// (nothing for 1.5 s, or 500 ms while the simulcast stream below went on); only arriving
    /// streams can be forwarded or asked for key frames.
    case producerStreamActivity(ProducerID, encoding: Int, receiving: Bool)
    /// The engine asked a producer for a key frame (PLI or FIR sent upstream).
    case keyFrameRequested(ProducerID, ssrc: UInt32)
    /// Audio levels of the loudest producers over the last interval, loudest first.
    case audioLevels(ObserverID, [AudioVolume])
    /// No producer was above the threshold over the last interval.
    case silence(ObserverID)
    /// The active speaker changed.
    case dominantSpeaker(ObserverID, ProducerID)
}

/// One producer's audio volume over an observer interval, in dBov (0 loudest, -127 silent).
public struct AudioVolume: Sendable, Hashable {
    public var producer: ProducerID
    public var volume: Int

    public init(producer: ProducerID, volume: Int) {
        self.producer = producer
        self.volume = volume
    }
}
