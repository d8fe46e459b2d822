import Glibc

// libFuzzer entry point for what a proxy's bytes reach: the PROXY protocol header (v1 and v2) and the
// Forwarded / X-Forwarded-For walk. Compiled with the real sources by run.sh proxy.
//
// Beyond "no crash": a header that parses whole must, cut anywhere before its end, ask for more rather
// than be refused or misread; and a walk's answer, when there is one, must be an address that appears in
// the request's forwarding fields.

let trusted: AddressRanges = {
    do { return try AddressRanges(["10.0.0.0/8", "::1", "192.168.0.0/16"]) } catch { fatalError("bad ranges") }
}()

func checkProxyHeader(_ bytes: [UInt8]) {
    let whole = bytes.withUnsafeBytes { ProxyProtocol.parse($0) }
    guard case .header(let length, _) = whole else { return }
    guard length > 0, length <= bytes.count else { fatalError("header length \(length) outside the input") }
    let cut = Int(bytes[0]) % length
    let prefix = Array(bytes[..<cut])
    let partial = prefix.withUnsafeBytes { ProxyProtocol.parse($0) }
    guard partial == .incomplete else { fatalError("a cut header (\(cut) of \(length) bytes) gave \(partial)") }
}

func checkForwarded(_ bytes: [UInt8]) {
    var limits = ParserLimits()
    limits.maxHeaderBytes = 4096
    var parser = RequestParser(limits: limits)
    var head = RequestHead()
    let result = bytes.withUnsafeBytes { parser.parse($0, into: &head) }
    guard result == .complete else { return }
    let header: ForwardedHeader = bytes.count % 2 == 0 ? .xForwardedFor : .forwarded
    let resolution = bytes.withUnsafeBytes { ForwardedClient.resolve($0, fields: head.fields, header: header, trusted: trusted) }
    guard case .client(let found) = resolution else { return }
    guard found != .unknown else { fatalError("resolved the unknown address as a client") }
    // The answer must be written in the fields: its text appears in one of their values.
    let text = Array(found.description.utf8)
    let appears = head.fields.contains { field in
        let value = Array(bytes[field.value])
        guard value.count >= text.count else { return false }
        return (0...(value.count - text.count)).contains { Array(value[$0..<($0 + text.count)]) == text }
            || found.description.contains(":")  // IPv6 may be written in another (uncompressed) form
    }
    guard appears else { fatalError("resolved \(found) which the fields do not name") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProxy(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    checkProxyHeader(bytes)
    checkForwarded(bytes)
    return 0
}
