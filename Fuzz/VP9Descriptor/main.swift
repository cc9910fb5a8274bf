// libFuzzer target: VP9 payload descriptor parse (flexible, non-flexible, SS), write round trip.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVP9Descriptor(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    guard let descriptor = try? VP9PayloadDescriptor(parsing: input) else { return 0 }
    precondition(descriptor.encodedLength <= size)
    _ = descriptor.isKeyFrame
    precondition((try? VP9PayloadDescriptor(parsing: descriptor.bytes)) == descriptor, "write/parse mismatch")
    var copy = Array(input)
    let rewrote = copy.withUnsafeMutableBytes { VP9PayloadDescriptor.rewritePictureID(0x1234, in: $0) }
    precondition(rewrote == (descriptor.pictureID != nil))
    if rewrote {
        guard let rewritten = try? VP9PayloadDescriptor(parsing: copy) else { preconditionFailure("rewrite broke descriptor") }
        precondition(rewritten.pictureID == (descriptor.pictureIDIs15Bit ? 0x1234 : 0x34))
    }
    return 0
}
