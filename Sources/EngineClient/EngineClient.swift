import ControlAPI
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A typed client of the engine server's control API (docs/control-api.md) over one HTTP/1.1
/// keep-alive connection, made on first use and remade after it closes.
///
/// Blocking use, from any thread that is not a SwiftNIO event loop:
/// ```
/// let client = try EngineClient(url: "http://127.0.0.1:8080")
/// let transport = try client.createTransport(room: "a", protocol: .udp)
/// ```
/// Async use: `try await client.send(.createTransport(room: "a"))`. Every call has a deadline
/// (`timeout`, 10 s unless told); a server `ErrorResponse` is thrown as
/// `EngineClientError.server(status:code:message:)`. Calls from several threads share the
/// connection and are answered in order. Call `close()` when done.
public final class EngineClient: Sendable {
    /// `http://HOST:PORT`.
    public let url: String
    public let host: String
    public let port: Int
    /// Deadline of a call that does not give its own.
    public let timeout: Duration
    private let group: any EventLoopGroup
    private let state = NIOLockedValueBox(ConnectionState.idle)

    private enum ConnectionState {
        case idle
        case connecting(EventLoopFuture<any Channel>)
        case connected(any Channel)
    }

    /// Largest response body accepted (a room's stats are a few kilobytes).
    static let maxResponseBytes = 16 << 20

    /// A client of the server at `url` (`http://HOST:PORT`). `group` defaults to SwiftNIO's shared
    /// event loop group.
    public init(url: String, timeout: Duration = .seconds(10), group: (any EventLoopGroup)? = nil) throws(EngineClientError) {
        guard let parsed = URL(string: url), parsed.scheme == "http", let host = parsed.host, !host.isEmpty,
              let port = parsed.port, parsed.path.isEmpty || parsed.path == "/"
        else { throw .invalidURL(url) }
        self.url = "http://\(host):\(port)"
        self.host = host
        self.port = port
        self.timeout = timeout
        self.group = group ?? MultiThreadedEventLoopGroup.singleton
    }

    /// A client of the server at `host:port`.
    public convenience init(host: String, port: Int, timeout: Duration = .seconds(10), group: (any EventLoopGroup)? = nil) throws(EngineClientError) {
        try self.init(url: "http://\(host):\(port)", timeout: timeout, group: group)
    }

    /// Runs `request` and waits for its answer (at most `timeout`, default `self.timeout`).
    /// Never call it on a SwiftNIO event loop thread.
    public func call<Response>(_ request: EngineRequest<Response>, timeout: Duration? = nil) throws(EngineClientError) -> Response {
        let response: NIOHTTPClientResponseFull
        do { response = try execute(request, timeout: timeout ?? self.timeout).wait() } catch {
            throw Self.clientError(error, request)
        }
        return try Self.interpret(response, request)
    }

    /// Runs `request` and awaits its answer (at most `timeout`, default `self.timeout`).
    public func send<Response>(_ request: EngineRequest<Response>, timeout: Duration? = nil) async throws(EngineClientError) -> Response {
        let response: NIOHTTPClientResponseFull
        do { response = try await execute(request, timeout: timeout ?? self.timeout).get() } catch {
            throw Self.clientError(error, request)
        }
        return try Self.interpret(response, request)
    }

    /// Runs `request` and completes the future with its answer (at most `timeout`, default
    /// `self.timeout`), or fails it with an `EngineClientError`. For callers on an event loop,
    /// which must not block in `call` and should not wait for the cooperative thread pool that
    /// `send` needs (blocked test and CLI threads can hold all of it).
    public func submit<Response: Sendable>(_ request: EngineRequest<Response>, timeout: Duration? = nil) -> EventLoopFuture<Response> {
        execute(request, timeout: timeout ?? self.timeout)
            .flatMapErrorThrowing { error in throw Self.clientError(error, request) }
            .flatMapThrowing { response in try Self.interpret(response, request) }
    }

    /// Closes the connection (a later call opens a new one).
    public func close() {
        let current = state.withLockedValue { state -> ConnectionState in
            defer { state = .idle }
            return state
        }
        switch current {
        case .idle: break
        case .connecting(let future): future.whenSuccess { $0.close(promise: nil) }
        case .connected(let channel): channel.close(promise: nil)
        }
    }

    // MARK: Connection

    private func execute<Response>(_ request: EngineRequest<Response>, timeout: Duration) -> EventLoopFuture<NIOHTTPClientResponseFull> {
        let timeAmount = TimeAmount.nanoseconds(timeout.nanosecondsClamped)
        return channel(connectTimeout: timeAmount).flatMap { channel in
            var headers = HTTPHeaders()
            headers.add(name: "host", value: "\(self.host):\(self.port)")
            headers.add(name: "accept", value: "application/json")
            var body: ByteBuffer?
            if let data = request.body {
                headers.add(name: "content-type", value: "application/json")
                headers.add(name: "content-length", value: String(data.count))
                body = channel.allocator.buffer(bytes: data)
            } else if request.method == .POST || request.method == .PUT {
                headers.add(name: "content-length", value: "0")
            }
            let head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.path, headers: headers)
            let promise = channel.eventLoop.makePromise(of: NIOHTTPClientResponseFull.self)
            let deadline = channel.eventLoop.scheduleTask(in: timeAmount) {
                promise.fail(EngineClientError.timedOut(method: request.method.rawValue, path: request.path,
                                                        seconds: Double(timeout.nanosecondsClamped) / 1e9))
                // The answer may still come: the connection cannot be reused safely.
                channel.close(promise: nil)
            }
            promise.futureResult.whenComplete { _ in deadline.cancel() }
            channel.writeAndFlush(PendingRequest(head: head, body: body, promise: promise)).whenFailure { error in
                promise.fail(error)
            }
            return promise.futureResult
        }
    }

    private func channel(connectTimeout: TimeAmount) -> EventLoopFuture<any Channel> {
        state.withLockedValue { state in
            switch state {
            case .connected(let channel) where channel.isActive:
                return channel.eventLoop.makeSucceededFuture(channel)
            case .connecting(let future):
                return future
            case .idle, .connected:
                let future = ClientBootstrap(group: group)
                    .connectTimeout(connectTimeout)
                    .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHTTPClientHandlers()
                            try channel.pipeline.syncOperations.addHandlers([
                                NIOHTTPClientResponseAggregator(maxContentLength: Self.maxResponseBytes),
                                ResponseMatcher(),
                            ])
                        }
                    }
                    .connect(host: host, port: port)
                state = .connecting(future)
                future.whenComplete { [weak self] result in
                    self?.state.withLockedValue { state in
                        guard case .connecting(let current) = state, current === future else { return }
                        switch result {
                        case .success(let channel): state = .connected(channel)
                        case .failure: state = .idle
                        }
                    }
                }
                let url = self.url
                return future.flatMapErrorThrowing { error in
                    throw EngineClientError.connectionFailed(url: url, reason: String(describing: error))
                }
            }
        }
    }

    // MARK: Answers

    private static func clientError<Response>(_ error: any Error, _ request: EngineRequest<Response>) -> EngineClientError {
        if let error = error as? EngineClientError { return error }
        return .connectionClosed(method: request.method.rawValue, path: request.path)
    }

    private static func interpret<Response>(_ response: NIOHTTPClientResponseFull, _ request: EngineRequest<Response>) throws(EngineClientError) -> Response {
        let data = response.body.map { Data($0.readableBytesView) } ?? Data()
        let status = Int(response.head.status.code)
        guard (200..<300).contains(status) else {
            if let error = try? JSONDecoder().decode(ErrorResponse.self, from: data) {
                throw .server(status: status, code: error.code, message: error.error)
            }
            let text = String(decoding: data.prefix(500), as: UTF8.self)
            throw .server(status: status, code: response.head.status.reasonPhrase,
                          message: text.isEmpty ? response.head.status.reasonPhrase : text)
        }
        do { return try request.decode(data) } catch {
            throw .badResponse(method: request.method.rawValue, path: request.path, reason: String(describing: error))
        }
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to Int64.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product &+ attoseconds / 1_000_000_000
    }
}
