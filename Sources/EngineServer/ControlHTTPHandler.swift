import ControlAPI
import Logging
import NIOCore
import NIOHTTP1

/// One control API connection: collects each request's body (at most `maxBodyBytes`, else 413
/// and the connection closes), matches the route, lets `ControlService` carry it out, and writes
/// the reply. `HTTPServerPipelineHandler` in front of it keeps replies in request order.
final class ControlHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Largest request body accepted: 1 MiB.
    static let maxBodyBytes = 1 << 20

    private let service: ControlService
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    /// A 413 was sent; the rest of the request is ignored and the connection closes.
    private var refused = false

    init(service: ControlService) { self.service = service }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.removeAll(keepingCapacity: true)
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > Self.maxBodyBytes {
                refuse(context: context)
            } else if head.headers.first(name: "expect")?.lowercased() == "100-continue" {
                // curl asks before sending a body over 1 KiB: say go on rather than make it wait.
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
        case .body(var chunk):
            guard !refused else { return }
            guard body.count + chunk.readableBytes <= Self.maxBodyBytes else {
                refuse(context: context)
                return
            }
            body.append(contentsOf: chunk.readBytes(length: chunk.readableBytes)!)
        case .end:
            guard !refused, let head else { return }
            self.head = nil
            handle(head, body: body, context: context)
        }
    }

    private func refuse(context: ChannelHandlerContext) {
        guard !refused else { return }
        refused = true
        write(.failure(.payloadTooLarge(limit: Self.maxBodyBytes)), keepAlive: false, context: context)
    }

    private func handle(_ head: HTTPRequestHead, body: [UInt8], context: ChannelHandlerContext) {
        let keepAlive = head.isKeepAlive
        let route: ControlRoute
        switch ControlRoute.match(method: head.method, uri: head.uri) {
        case .success(let matched): route = matched
        case .failure(let failure):
            write(.failure(failure), keepAlive: keepAlive, context: context)
            return
        }
        let logger = service.logger
        service.dispatch(route, body: body, on: context.eventLoop)
            .hop(to: context.eventLoop)
            .assumeIsolated()
            .whenComplete { result in
                let reply: ControlReply
                switch result {
                case .success(let value): reply = value
                case .failure(let error): reply = .failure(.internal("\(error)"))
                }
                logger.debug("control request", metadata: ["method": "\(head.method.rawValue)", "path": "\(head.uri)",
                                                           "status": "\(reply.status.code)"])
                self.write(reply, keepAlive: keepAlive, context: context)
            }
    }

    private func write(_ reply: ControlReply, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: reply.contentType)
        headers.add(name: "content-length", value: String(reply.body.count))
        headers.add(name: "connection", value: keepAlive ? "keep-alive" : "close")
        for (name, value) in reply.headers { headers.add(name: name, value: value) }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: reply.status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: reply.body)))), promise: nil)
        let done = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        if !keepAlive {
            let channel = context.channel
            done.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
