import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// What other threads tell a worker (`WorkerMessage`), taken once per wake-up and handed on in order.
extension Worker {
    func handleMessages() {
        mailbox.takeMessages(into: &messages)
        for message in messages {
            switch message {
            case .drain(let deadline):
                beginDrain(deadline: deadline)
            case .response(let token, let sequence, let response):
                resume(token: token, sequence: sequence, with: response)
            case .streamWrite(let token, let bytes, let acknowledgement):
                streamWrite(token: token, bytes, acknowledgement)
            case .streamEnd(let token, let failed):
                streamEnd(token: token, failed: failed)
            case .bodyDemand(let token, let demand):
                bodyDemand(token: token, demand)
            case .adopt(let fd, let peer):
                adoptHandedOver(fd, peer)
            }
        }
        messages.removeAll(keepingCapacity: true)
    }
}
