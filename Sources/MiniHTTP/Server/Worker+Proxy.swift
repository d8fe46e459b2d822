import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// What a trusted proxy tells a worker about the client: the PROXY protocol header, and the
/// `forwardedHeader` (`X-Forwarded-For` or `Forwarded`).
extension Worker {
    /// Reads the PROXY protocol header a trusted proxy sends first, and takes the client it names.
    /// Returns false while it is incomplete, or when it was invalid (answered 400; the connection closes).
    func takeProxyHeader(_ connection: Connection) -> Bool {
        let result = connection.input.withUnsafeBytes { raw in
            ProxyProtocol.parse(UnsafeRawBufferPointer(rebasing: raw[connection.inputStart..<connection.inputEnd]))
        }
        switch result {
        case .incomplete:
            return false
        case .invalid:
            refuse(connection, status: .badRequest)
            return false
        case .header(let length, let source):
            connection.finishRequest(consumed: length)
            if let source {
                connection.clientAddress = source
                connection.remoteAddress = source.description
            }
            _ = connection.state.on(.proxyHeaderRead, now: now)
            return true
        }
    }

    /// From a trusted proxy, the client its `forwardedHeader` names: an address, or unknown (`-`).
    func resolveForwardedClient(_ connection: Connection) {
        guard context.trust.trustedProxies.contains(connection.clientAddress) else { return }
        let found = connection.input.withUnsafeBytes { raw in
            ForwardedClient.resolve(
                UnsafeRawBufferPointer(rebasing: raw[connection.inputStart...]), fields: connection.head.fields,
                header: context.trust.forwardedHeader, trusted: context.trust.trustedProxies)
        }
        switch found {
        case .peer: break
        case .client(let address): if address != connection.clientAddress { connection.forwardedClient = (address, address.description) }
        case .unknown: connection.forwardedClient = (.unknown, "-")
        }
    }
}
