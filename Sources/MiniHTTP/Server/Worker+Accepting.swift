import Glibc
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// Taking new connections from the shared listening socket.
extension Worker {
    func acceptConnections() {
        guard let listener, !stoppedAccepting else { return }
        while true {
            switch listener.accept() {
            case .accepted(let fd, let address):
                if loggedAcceptFailure {
                    logger.notice("accepting connections again")
                    loggedAcceptFailure = false
                }
                adopt(fd, address)
            case .none:
                return
            case .failed(EINVAL):
                // The server shut the listening socket down (a drain has begun): stop watching it.
                epoll.remove(listener.descriptor)
                return
            case .failed(let error):
                // EMFILE/ENFILE and the like: the pending connection stays queued and the listener stays
                // readable, so stop watching it for a moment instead of spinning. Logged once per episode.
                if !loggedAcceptFailure {
                    logger.error("accept failed: \(SystemError("accept4", errno: error)); pausing accepts for 100 ms at a time")
                    loggedAcceptFailure = true
                }
                epoll.remove(listener.descriptor)
                acceptPausedUntil = now + 100
                return
            }
        }
    }

    func resumeAcceptingIfPaused() {
        guard let until = acceptPausedUntil, now >= until, let listener, !stoppedAccepting else { return }
        acceptPausedUntil = nil
        try? epoll.add(listener.descriptor, events: listener.acceptsExclusively ? [.readable, .exclusive] : .readable, token: Self.listenerToken)
    }

    func adopt(_ fd: Int32, _ peer: SocketAddress) {
        let address = peer.host
        guard context.admission.limiter.admit(address) else {
            reject(fd)
            return
        }
        // Small responses must leave at once, not wait for Nagle's algorithm.
        try? Syscall.setOption(fd, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
        generation &+= 1
        let connection = Connection(
            descriptor: fd, generation: generation, peer: peer.address, peerAddress: address,
            limits: context.connections.parserLimits, now: now,
            expectsProxyHeader: context.trust.proxyProtocol && context.trust.trustedProxies.contains(peer.address))
        do {
            try epoll.add(fd, events: [.readable, .writable, .readHangUp, .edgeTriggered], token: connection.token)
        } catch {
            Syscall.close(fd)
            context.admission.limiter.release(address)
            return
        }
        let slot = Int(fd)
        if slot >= connections.count {
            connections.append(contentsOf: repeatElement(nil, count: slot - connections.count + 1))
        }
        connections[slot] = connection
        connection.listIndex = live.count
        live.append(connection)
        counters.accepted += 1
        updateDeadline(connection)
    }

    /// Over a connection limit: a short 503 and close. What the client already sent is read first, so the
    /// close sends a FIN rather than a reset that could destroy the 503 in flight.
    private func reject(_ fd: Int32) {
        counters.rejected += 1
        _ = discard.withUnsafeMutableBytes { raw -> Bool in
            guard let base = raw.baseAddress else { return false }
            while case .bytes(let count) = Syscall.receive(fd, into: base, count: raw.count), count > 0 {}
            return true
        }
        // Written once, never waited for: the client is over its limit.
        CannedResponse.overloaded(date: date.dateField).withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            _ = Syscall.send(fd, base, count: raw.count)
        }
        _ = shutdown(fd, Int32(SHUT_WR))
        Syscall.close(fd)
    }
}
