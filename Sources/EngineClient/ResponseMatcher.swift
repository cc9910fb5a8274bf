import NIOCore
import NIOHTTP1

/// A request written to the connection with the promise its response completes.
struct PendingRequest {
    var head: HTTPRequestHead
    var body: ByteBuffer?
    var promise: EventLoopPromise<NIOHTTPClientResponseFull>
}

/// Writes requests and completes their promises with the aggregated responses, in order
/// (HTTP/1.1 answers requests on one connection in the order they were sent). When the
/// connection closes or fails, every pending request fails.
final class ResponseMatcher: ChannelDuplexHandler {
    typealias InboundIn = NIOHTTPClientResponseFull
    typealias OutboundIn = PendingRequest
    typealias OutboundOut = HTTPClientRequestPart

    private var waiting = CircularBuffer<(EventLoopPromise<NIOHTTPClientResponseFull>, method: String, path: String)>()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        waiting.append((request.promise, request.head.method.rawValue, request.head.uri))
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        if let body = request.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let response = unwrapInboundIn(data)
        guard let (promise, _, _) = waiting.popFirst() else {
            context.close(promise: nil)
            return
        }
        // The server will close this connection: stop using it now, so the next call opens a new one.
        if !response.head.isKeepAlive { context.close(promise: nil) }
        promise.succeed(response)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll()
        context.close(promise: nil)
    }

    private func failAll() {
        while let (promise, method, path) = waiting.popFirst() {
            promise.fail(EngineClientError.connectionClosed(method: method, path: path))
        }
    }
}
