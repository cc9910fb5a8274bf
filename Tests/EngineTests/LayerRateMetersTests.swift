@testable import Engine
import Testing

/// `LayerRateMeters` (one block for every layer of a stream) against the array of `RateMeter`s it
/// replaced, on random packets and queries.
@Suite struct LayerRateMetersTests {
    /// Random layers, sizes and instants (mostly advancing by up to 150 ms, sometimes jumping
    /// past the window or going back; never before the origin, where `RateMeter`'s bucket index
    /// is undefined and engine instants never are), with every layer's rate compared at random
    /// instants, before and after the packets.
    @Test func everyLayerMetersAsItsOwnRateMeter() {
        var random = SeededGenerator(seed: 7)
        for layers in [1, 4, 12] {
            let meters = LayerRateMeters(layers: layers)
            var model = (0..<layers).map { _ in RateMeter() }
            var now: Int64 = 5_000_000
            var nonZeroRates = 0
            for _ in 0..<20_000 {
                switch random.next() % 100 {
                case 0: now += Int64(random.next() % 3_000_000_000)
                case 1: now = max(0, now - Int64(random.next() % 400_000_000))
                default: now += Int64(random.next() % 150_000_000)
                }
                let layer = Int(random.next() % UInt64(layers))
                let bytes = Int(random.next() % 1_500)
                meters.add(bytes: bytes, layer: layer, now: Instant(nanoseconds: now))
                model[layer].add(bytes: bytes, now: Instant(nanoseconds: now))
                if random.next() % 4 == 0 {
                    let at = Instant(nanoseconds: max(0, now + Int64(random.next() % 1_200_000_000) - 100_000_000))
                    for index in 0..<layers {
                        let rate = meters.rate(layer: index, now: at)
                        #expect(rate == model[index].rate(now: at))
                        if rate != .zero { nonZeroRates += 1 }
                    }
                }
            }
            // The comparisons saw traffic, not only empty windows.
            #expect(nonZeroRates > 1_000)
        }
    }
}
