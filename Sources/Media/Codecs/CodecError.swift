import COpus
import CVPX

/// An error reported by libopus or libvpx, carrying the library's own error string.
public struct CodecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which library call failed, for example `"vpx_codec_encode"`.
    public var operation: String
    /// The library's numeric error code.
    public var code: Int32
    /// The library's error text (`opus_strerror`, `vpx_codec_err_to_string` plus `vpx_codec_error_detail`).
    public var message: String

    public init(operation: String, code: Int32, message: String) {
        self.operation = operation
        self.code = code
        self.message = message
    }

    /// An error from an Opus call returning `code`.
    static func opus(_ operation: String, _ code: Int32) -> CodecError {
        CodecError(operation: operation, code: code, message: String(cString: opus_strerror(code)))
    }

    /// An error from a libvpx call; adds the codec context's detail string when there is one.
    static func vpx(_ operation: String, _ code: vpx_codec_err_t, context: UnsafeMutablePointer<vpx_codec_ctx_t>? = nil) -> CodecError {
        var message = String(cString: vpx_codec_err_to_string(code))
        if let context, let detail = vpx_codec_error_detail(context) {
            message += " (\(String(cString: detail)))"
        }
        return CodecError(operation: operation, code: Int32(bitPattern: code.rawValue), message: message)
    }

    /// Invalid arguments caught before calling the library.
    static func invalid(_ operation: String, _ message: String) -> CodecError {
        CodecError(operation: operation, code: -1, message: message)
    }

    public var description: String { "\(operation) failed (\(code)): \(message)" }
}
