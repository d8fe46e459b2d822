import Glibc

/// Taking new connections from the shared listening socket.
extension Worker {
    func acceptConnections() {
        guard let listener, !stoppedAccepting else { return }
        while true {
            switch listener.accept() {
            case .accepted(let fd, let address):
                adopt(fd, address)
            case .none:
                return
            case .failed(EINVAL):
                // The server shut the listening socket down (a drain has begun): stop watching it.
                epoll.remove(listener.descriptor)
                return
            case .failed(let error):
                // EMFILE/ENFILE and the like: the pending connection stays queued and the listener stays
                // readable, so stop watching it for a moment instead of spinning.
                if !loggedAcceptFailure {
                    logger.error("accept failed: \(SystemError("accept4", errno: error)); pausing accepts")
                    loggedAcceptFailure = true
                }
                epoll.remove(listener.descriptor)
                acceptPausedUntil = now + 100
                earliestDeadline = min(earliestDeadline, now + 100)
                return
            }
        }
    }

    func resumeAcceptingIfPaused() {
        guard let until = acceptPausedUntil, now >= until, let listener, !stoppedAccepting else { return }
        acceptPausedUntil = nil
        try? epoll.add(listener.descriptor, events: [.readable, .exclusive], token: Self.listenerToken)
    }

    func adopt(_ fd: Int32, _ address: PeerAddress) {
        // Small responses must leave at once, not wait for Nagle's algorithm.
        try? Syscall.setOption(fd, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
        generation &+= 1
        let connection = Connection(
            descriptor: fd, generation: generation, remoteAddress: address.host, limits: context.limits)
        do {
            try epoll.add(fd, events: [.readable, .writable, .readHangUp, .edgeTriggered], token: connection.token)
        } catch {
            Syscall.close(fd)
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
        arm(connection, .timeout(.idle))
    }
}
