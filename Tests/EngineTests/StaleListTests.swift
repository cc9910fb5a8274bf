@testable import Engine
import Testing

/// `StaleList` hands out what was added, in order, once per drain, and reuses its storage.
@Suite struct StaleListTests {
    @Test func drainsInOrderAndStartsEmptyAgain() {
        let list = StaleList()
        #expect(list.isEmpty)
        list.add(3)
        list.add(1)
        var drained: [Int] = []
        list.drain { drained.append($0) }
        #expect(drained == [3, 1])
        #expect(list.isEmpty)
        // Fewer than before, then more than before: nothing of the previous round comes back.
        list.add(7)
        drained = []
        list.drain { drained.append($0) }
        #expect(drained == [7])
        for index in [5, 6, 8] { list.add(index) }
        drained = []
        list.drain { drained.append($0) }
        #expect(drained == [5, 6, 8])
        drained = []
        list.drain { drained.append($0) }
        #expect(drained.isEmpty)
    }
}
