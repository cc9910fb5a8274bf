import PropertyBased
import Testing
@testable import RTP

@Suite struct SequenceNumberTests {
    @Test(arguments: [(UInt16(0), UInt16(1), 1), (65535, 0, 1), (0, 65535, -1), (32767, 0, -32767),
                      (0, 32767, 32767), (0, 32768, -32768), (65535, 32767, -32768), (32767, 32768, 1)])
    func distance(from: UInt16, to: UInt16, expected: Int) {
        #expect(SequenceNumber(from).distance(to: SequenceNumber(to)) == expected)
    }

    @Test(arguments: [UInt16(0), 32767, 65535])
    func orderingAcrossBoundaries(base: UInt16) {
        let a = SequenceNumber(base)
        let b = a.advanced(by: 1)
        #expect(a < b)
        #expect(!(b < a))
        #expect(b.isNewer(than: a))
        #expect(a.advanced(by: 32767).isNewer(than: a))
        #expect(!a.advanced(by: 32768).isNewer(than: a))
        #expect(a.advanced(by: -1) < a)
    }

    @Test func unwrapperAcrossWraps() {
        var unwrapper = SequenceNumberUnwrapper()
        #expect(unwrapper.unwrap(65534) == 65534)
        #expect(unwrapper.unwrap(65535) == 65535)
        #expect(unwrapper.unwrap(0) == 65536)
        #expect(unwrapper.unwrap(65535) == 65535)  // late packet maps below
        #expect(unwrapper.unwrap(32767) == 65536 + 32767)
        #expect(unwrapper.unwrap(49151) == 65536 + 49151)
        #expect(unwrapper.unwrap(0) == 131072)
        #expect(unwrapper.unwrap(1) == 131073)
    }

    @Test func unwrapperOlderThanFirst() {
        var unwrapper = SequenceNumberUnwrapper()
        #expect(unwrapper.unwrap(0) == 0)
        #expect(unwrapper.unwrap(65535) == -1)
        #expect(unwrapper.unwrap(1) == 1)
    }

    @Test func distanceInvertsAdvanceProperty() async {
        await propertyCheck(input: Gen<UInt16>.value(), Gen<Int>.value(in: -32768...32767)) { raw, steps in
            let start = SequenceNumber(raw)
            let end = start.advanced(by: steps)
            #expect(start.distance(to: end) == steps)
            #expect((steps > 0) == end.isNewer(than: start))
            #expect((steps > 0) == (start < end))
        }
    }

    @Test func unwrapperTracksTrueCounterProperty() async {
        await propertyCheck(input: Gen<UInt16>.value(), Gen<Int>.value(in: -200...32767).array(of: 1...300)) { first, steps in
            var unwrapper = SequenceNumberUnwrapper()
            var truth = Int64(first)
            var highest = truth
            #expect(unwrapper.unwrap(first) == truth)
            for step in steps {
                // Stay within half the space of the highest value seen, as RTP intends.
                let candidate = truth + Int64(step)
                guard candidate - highest < 32768, highest - candidate < 32768 else { continue }
                truth = candidate
                highest = max(highest, truth)
                #expect(unwrapper.unwrap(UInt16(truncatingIfNeeded: truth)) == truth)
            }
        }
    }
}
