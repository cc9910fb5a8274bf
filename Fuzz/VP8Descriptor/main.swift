// libFuzzer target: VP8 payload descriptor parse, write round trip and in-place rewrites.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVP8Descriptor(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    _ = VP8PayloadDescriptor.isKeyFrame(payload: input)
    guard let descriptor = try? VP8PayloadDescriptor(parsing: input) else { return 0 }
    precondition(descriptor.encodedLength <= size)
    precondition((try? VP8PayloadDescriptor(parsing: descriptor.bytes)) == descriptor, "write/parse mismatch")
    var copy = Array(input)
    let rewrotePictureID = copy.withUnsafeMutableBytes { VP8PayloadDescriptor.rewritePictureID(0x7FFF, in: $0) }
    let rewroteTL0 = copy.withUnsafeMutableBytes { VP8PayloadDescriptor.rewriteTL0PictureIndex(0xAB, in: $0) }
    precondition(rewrotePictureID == (descriptor.pictureID != nil) && rewroteTL0 == (descriptor.tl0PictureIndex != nil))
    guard let rewritten = try? VP8PayloadDescriptor(parsing: copy) else { preconditionFailure("rewrite broke descriptor") }
    precondition(rewritten.encodedLength == descriptor.encodedLength)
    if descriptor.pictureID != nil { precondition(rewritten.pictureID == (descriptor.pictureIDIs15Bit ? 0x7FFF : 0x7F)) }
    if descriptor.tl0PictureIndex != nil { precondition(rewritten.tl0PictureIndex == 0xAB) }
    return 0
}
