import CSystem
import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Epoll")
struct EpollTests {
    @Test("a failing epoll_wait is an error, never an empty wake-up the loop would spin on")
    func waitFailureThrows() throws {
        // maxevents 0 makes epoll_wait fail with EINVAL: the same path as EBADF or EFAULT.
        let epoll = try Epoll(capacity: 0)
        #expect(throws: SystemError.self) { try epoll.wait(timeoutMilliseconds: 0) }
    }

    @Test("an eventfd wake-up is reported")
    func wakeUp() throws {
        let epoll = try Epoll()
        let wakeup = try EventFD()
        try epoll.add(wakeup.descriptor, events: .readable, token: 7)
        wakeup.signal()
        #expect(try epoll.wait(timeoutMilliseconds: 1000) == 1)
        #expect(epoll.event(at: 0).token == 7)
    }

    @Test("the event bits written as literals are the kernel's (the C header's)")
    func eventBitsAreTheKernels() {
        #expect(EpollEvents.readable.rawValue == csystem_EPOLLIN)
        #expect(EpollEvents.writable.rawValue == csystem_EPOLLOUT)
        #expect(EpollEvents.readHangUp.rawValue == csystem_EPOLLRDHUP)
        #expect(EpollEvents.hangUp.rawValue == csystem_EPOLLHUP)
        #expect(EpollEvents.error.rawValue == csystem_EPOLLERR)
        #expect(EpollEvents.edgeTriggered.rawValue == csystem_EPOLLET)
        #expect(EpollEvents.exclusive.rawValue == csystem_EPOLLEXCLUSIVE)
    }
}
