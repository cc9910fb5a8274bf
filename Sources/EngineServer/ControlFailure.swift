import ControlAPI
import Engine
import Foundation
import NIOHTTP1

/// A control API call that failed: the HTTP status and the `ErrorResponse` body.
struct ControlFailure: Error, Equatable {
    var status: HTTPResponseStatus
    var response: ErrorResponse
    /// Methods the path allows (405 only), for the `Allow` header.
    var allowed: [HTTPMethod] = []

    init(status: HTTPResponseStatus, response: ErrorResponse, allowed: [HTTPMethod] = []) {
        self.status = status
        self.response = response
        self.allowed = allowed
    }

    static func badRequest(_ message: String) -> Self {
        Self(status: .badRequest, response: ErrorResponse(code: "badRequest", error: message))
    }

    static func notFound(_ message: String) -> Self {
        Self(status: .notFound, response: ErrorResponse(code: "notFound", error: message))
    }

    static func methodNotAllowed(_ method: HTTPMethod, _ path: String, allowed: [HTTPMethod]) -> Self {
        let names = allowed.map(\.rawValue).joined(separator: ", ")
        return Self(status: .methodNotAllowed,
                    response: ErrorResponse(code: "methodNotAllowed", error: "\(method.rawValue) is not allowed on \(path); use \(names)"),
                    allowed: allowed)
    }

    static func conflict(_ message: String) -> Self {
        Self(status: .conflict, response: ErrorResponse(code: "conflict", error: message))
    }

    static func payloadTooLarge(limit: Int) -> Self {
        Self(status: .payloadTooLarge,
             response: ErrorResponse(code: "payloadTooLarge", error: "request body over \(limit) bytes; send a smaller body"))
    }

    static func notImplemented(_ message: String) -> Self {
        Self(status: .notImplemented, response: ErrorResponse(code: "notImplemented", error: message))
    }

    static func `internal`(_ message: String) -> Self {
        Self(status: .internalServerError, response: ErrorResponse(code: "internal", error: message))
    }

    /// The engine's control errors: unknown ids are 404, bad parameters 400.
    init(_ error: Engine.ControlError) {
        switch error {
        case .unknownTransport, .unknownProducer, .unknownConsumer:
            self = .notFound(error.description)
        case .unsupportedCodec(let mime):
            self = .badRequest("mimeType: \(mime) is not one of the router's codecs (GET /capabilities lists them)")
        case .invalidParameters(let message):
            self = .badRequest(message)
        }
    }

    /// A JSON decoding error as a 400 that names the field (its coding path) and the fix.
    init(decoding error: any Error, body: String, data: Data) {
        guard let error = error as? DecodingError else {
            self = .badRequest("the body is not a valid \(body) JSON object: \(error)")
            return
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = Self.path(context.codingPath + [key])
            self = .badRequest("\(field): missing; a \(body) needs it")
        case .typeMismatch(let type, let context):
            self = .badRequest("\(Self.path(context.codingPath)): expected \(Self.describe(type)); fix the value's type")
        case .valueNotFound(let type, let context):
            self = .badRequest("\(Self.path(context.codingPath)): null where \(Self.describe(type)) is required")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                // Foundation reports a number that does not fit its field (a negative SSRC, a
                // payload type of 300) as invalid JSON with no path: find the number ourselves.
                if let problem = NumberRangeCheck.firstProblem(in: data) {
                    self = .badRequest(problem)
                } else {
                    self = .badRequest("the body is not valid JSON; send a \(body) JSON object")
                }
            } else {
                let field = Self.path(context.codingPath)
                let choices = Self.choices[context.codingPath.last?.stringValue ?? ""].map { "; one of \($0)" } ?? ""
                self = .badRequest("\(field): invalid value\(choices) (\(context.debugDescription))")
            }
        @unknown default:
            self = .badRequest("the body is not a valid \(body): \(error)")
        }
    }

    /// Values of the API's enumerations, by field name.
    private static let choices: [String: String] = [
        "protocol": TransportProtocol.allCases.map(\.rawValue).joined(separator: ", "),
        "type": TransportType.allCases.map(\.rawValue).joined(separator: ", "),
        "kind": MediaKind.allCases.map(\.rawValue).joined(separator: ", "),
    ]

    /// `encodings[0].ssrc` style.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue { text += "[\(index)]" } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "body" : text
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        case is UInt8.Type: "an integer 0...255"
        case is UInt16.Type: "an integer 0...65535"
        case is UInt32.Type: "an integer 0...4294967295"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        default: "\(type)"
        }
    }
}
