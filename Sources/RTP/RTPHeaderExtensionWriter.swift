/// Writes RFC 8285 extension blocks.
public enum RTPHeaderExtensionWriter {
    /// The form a block of `elements` needs: one-byte when every ID is 1...14 and every value
    /// 1...16 bytes, otherwise two-byte. Nil when some element fits neither (ID 0, value > 255 bytes).
    public static func form(for elements: [RTPHeaderExtension]) -> RTPHeaderExtensionForm? {
        var oneByte = true
        for element in elements {
            guard element.id != 0, element.value.count <= 255 else { return nil }
            if element.id > 14 || element.value.isEmpty || element.value.count > 16 { oneByte = false }
        }
        return oneByte ? .oneByte : .twoByte
    }

    /// Bytes the whole block takes (4-byte block header + padded elements); 0 for no elements.
    public static func encodedLength(of elements: [RTPHeaderExtension]) -> Int {
        guard !elements.isEmpty, let form = form(for: elements) else { return 0 }
        let perElement = form == .oneByte ? 1 : 2
        let raw = elements.reduce(0) { $0 + perElement + $1.value.count }
        return 4 + (raw + 3) / 4 * 4
    }

    /// Writes the block (profile, length, elements, zero padding) at `offset` in `buffer`.
    /// Returns the bytes written, or nil when the elements are invalid or the buffer too small.
    public static func write(
        _ elements: [RTPHeaderExtension], into buffer: UnsafeMutableRawBufferPointer, at offset: Int,
        appBits: UInt8 = 0
    ) -> Int? {
        guard !elements.isEmpty else { return 0 }
        guard let form = form(for: elements) else { return nil }
        let length = encodedLength(of: elements)
        guard offset >= 0, offset + length <= buffer.count else { return nil }
        writeUInt16(buffer, offset, form == .oneByte ? 0xBEDE : 0x1000 | UInt16(appBits & 0x0F))
        writeUInt16(buffer, offset + 2, UInt16((length - 4) / 4))
        var cursor = offset + 4
        for element in elements {
            if form == .oneByte {
                buffer[cursor] = element.id << 4 | UInt8(element.value.count - 1)
                cursor += 1
            } else {
                buffer[cursor] = element.id
                buffer[cursor + 1] = UInt8(element.value.count)
                cursor += 2
            }
            for byte in element.value {
                buffer[cursor] = byte
                cursor += 1
            }
        }
        while cursor < offset + length {
            buffer[cursor] = 0
            cursor += 1
        }
        return length
    }
}
