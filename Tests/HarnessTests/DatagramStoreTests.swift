import Engine
import Testing
@testable import Harness

@Suite("DatagramStore")
struct DatagramStoreTests {
    @Test("stores bytes, reuses released slots, keeps a duplicate until its last release")
    func slots() {
        let store = DatagramStore()
        let first = store.store([1, 2, 3])
        let second = store.store(Array(repeating: 7, count: 1_000))
        #expect(Array(store.bytes(first)) == [1, 2, 3])
        #expect(store.length(second) == 1_000)
        #expect(store.inUse == 2)
        store.retain(first)
        #expect(store.references == 3)
        store.release(first)
        #expect(store.inUse == 2)
        #expect(store.references == 2)
        #expect(Array(store.bytes(first)) == [1, 2, 3])
        store.release(first)
        #expect(store.inUse == 1)
        let third = store.store([9])
        #expect(third == first)
        #expect(Array(store.bytes(third)) == [9])
        #expect(Array(store.bytes(second)) == Array(repeating: 7, count: 1_000))
    }

    @Test("a datagram larger than a slot's buffer is stored whole")
    func large() {
        let store = DatagramStore()
        let small = store.store([1])
        store.release(small)
        let bytes = (0..<5_000).map { UInt8(truncatingIfNeeded: $0) }
        let slot = store.store(bytes)
        #expect(slot == small)
        #expect(Array(store.bytes(slot)) == bytes)
    }
}
