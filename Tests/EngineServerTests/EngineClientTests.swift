import ControlAPI
import EngineClient
import EngineServer
import Foundation
import NIOCore
import NIOPosix
import Testing

/// Client failures are clear errors: bad URL, nothing listening, a server that never answers.
@Suite struct EngineClientTests {
    @Test func badURLsAreRefused() {
        for url in ["127.0.0.1:80", "https://127.0.0.1:80", "http://127.0.0.1", "http://127.0.0.1:80/api"] {
            #expect(throws: EngineClientError.invalidURL(url)) { _ = try EngineClient(url: url) }
        }
    }

    @Test func nothingListeningIsAConnectionError() throws {
        // Bind a port, then close it: nothing listens there any more.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let channel = try ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).wait()
        let port = channel.localAddress!.port!
        try channel.close().wait()
        let client = try EngineClient(host: "127.0.0.1", port: port, timeout: .seconds(5))
        defer { client.close() }
        #expect {
            _ = try client.health()
        } throws: { error in
            guard case .connectionFailed(let url, _) = error as? EngineClientError else { return false }
            return url == "http://127.0.0.1:\(port)"
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        // Accepts connections and reads nothing.
        let silent = try ServerBootstrap(group: group).childChannelOption(.autoRead, value: false)
            .bind(host: "127.0.0.1", port: 0).wait()
        defer { try? silent.close().wait() }
        let client = try EngineClient(host: "127.0.0.1", port: silent.localAddress!.port!, timeout: .milliseconds(200))
        defer { client.close() }
        #expect(throws: EngineClientError.timedOut(method: "GET", path: "/health", seconds: 0.2)) { _ = try client.health() }
    }

    @Test func asyncSendWorksAgainstARealServer() async throws {
        let server = try await EngineServer.start(ServerConfiguration())
        let client = try EngineClient(url: server.controlURL)
        do {
            let health = try await client.send(.health)
            #expect(health.status == "ok")
            let transport = try await client.send(.createTransport(room: "async"))
            #expect(transport.protocol == .udp && transport.port > 0)
        } catch {
            Issue.record("\(error)")
        }
        client.close()
        try await server.shutdown()
    }
}
