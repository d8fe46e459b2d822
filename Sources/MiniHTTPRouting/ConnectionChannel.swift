/// The connection a streamed body belongs to, as its handler's task reaches it: the server implements it
/// with the mailbox of the worker that owns the connection. Routing knows only this seam, not the server.
package protocol ConnectionChannel: Sendable {
    /// Hands `bytes`, the next part of a streamed response body, to the connection. False, taking nothing,
    /// when the connection or its worker has gone (`acknowledgement` is then not used).
    func write(_ bytes: [UInt8], acknowledgement: StreamAcknowledgement) -> Bool
    /// Asks for the next chunk of the streamed request body. False when the connection has gone.
    func demand(_ demand: BodyDemand) -> Bool
}
