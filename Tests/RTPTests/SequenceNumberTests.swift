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
}
