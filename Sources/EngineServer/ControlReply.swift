import ControlAPI
import Foundation
import NIOHTTP1

/// What a control route answers: a status and a body.
struct ControlReply: Sendable {
    var status: HTTPResponseStatus
    var body: [UInt8]
    var contentType: String
    var headers: [(String, String)] = []

    /// 200 with `value` as JSON.
    static func json(_ value: some Encodable, status: HTTPResponseStatus = .ok) -> ControlReply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return ControlReply(status: status, body: Array(try encoder.encode(value)), contentType: "application/json")
        } catch {
            return failure(.internal("cannot encode the response: \(error)"))
        }
    }

    /// `{}`.
    static var empty: ControlReply { json(EmptyResponse()) }

    static func failure(_ failure: ControlFailure) -> ControlReply {
        var reply = json(failure.response, status: failure.status)
        if !failure.allowed.isEmpty { reply.headers.append(("allow", failure.allowed.map(\.rawValue).joined(separator: ", "))) }
        return reply
    }

    /// Decodes a JSON request body; an empty body is `{}`. Errors name the field (`ControlFailure`).
    static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8], name: String) throws(ControlFailure) -> T {
        let data = body.isEmpty ? Data("{}".utf8) : Data(body)
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw ControlFailure(decoding: error, body: name, data: data)
        }
    }
}
