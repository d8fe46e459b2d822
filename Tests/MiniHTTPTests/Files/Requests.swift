@testable import MiniHTTP

/// One request on a fresh connection, sent and read off the cooperative pool (`blocking`): a test of these
/// suites then holds no pool thread while it waits for the server, so async handlers — its own and other
/// suites' — always have one to run on.
func request(port: Int, _ text: String) async throws -> TestClient.Response {
    try await blocking { try TestClient(port: port).request(text) }
}
