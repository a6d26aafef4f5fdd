import Foundation
import XCTest
import Tokensmith
import TokensmithTesting

/// The Swift testing kit as users meet it: a MockServer per test class, reset per test, faults and requests.
final class TestingKitTests: XCTestCase {
    static let mock = try! MockServer()
    var mock: MockServer { Self.mock }

    override func setUp() {
        mock.reset()
    }

    func testClientsOfTheMockAndWhatItSaw() throws {
        let akool = try mock.akool()
        _ = try akool.request(method: "POST", path: "/api/open/v3/faceswap/highquality/specifyimage", jsonBody: #"{"a":1}"#)
        let seen = mock.requests()
        XCTAssertEqual(seen.map(\.path), ["/api/open/v3/getToken", "/api/open/v3/faceswap/highquality/specifyimage"])
        XCTAssertEqual(seen[1].headers["authorization"], "** redacted **")
        XCTAssertEqual(seen[1].json, #"{"a":1}"#)
        XCTAssertEqual(mock.requests(reveal: true)[1].headers["authorization"], "Bearer " + (try akool.token()))
        XCTAssertEqual(mock.tokenCount, 1)
        let platform = try mock.platform()
        let created = try platform.createCredential(new: NewCredential(applicationId: mock.applicationId))
        XCTAssertTrue(mock.credentialsJSON().contains(created.id()))
    }

    func testFaultsAreArmedAndNothingLeaksFromOtherTests() throws {
        XCTAssertEqual(mock.requests(), [])
        try mock.arm(#"{"kind": "status", "status": 503, "times": 3}"#)
        XCTAssertThrowsError(try mock.platform().listCredentials()) { error in
            guard case TokensmithError.Server = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try mock.arm(#"{"kind": "no_such_fault"}"#))
    }
}
