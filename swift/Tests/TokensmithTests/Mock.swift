import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

import TokensmithTesting

/// The mock vendor server (docs/mock.md) of the package's own testing kit, started in this process once, with the
/// helpers these tests use.
enum Mock {
    static let server = try! MockServer()
    static let baseURL: String = server.baseURL

    @discardableResult
    static func admin(_ method: String, _ path: String, _ body: String? = nil) -> Data {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        let done = DispatchSemaphore(value: 0)
        var result = Data()
        var status = 0
        URLSession.shared.dataTask(with: request) { data, response, _ in
            result = data ?? Data()
            status = (response as? HTTPURLResponse)?.statusCode ?? 0
            done.signal()
        }.resume()
        done.wait()
        precondition((200..<300).contains(status), "\(method) \(path): \(status)")
        return result
    }

    static func reset() { server.reset() }
    static func fault(_ rule: String) { try! server.arm(rule) }
    static func expireTokens() { server.expireTokens() }
    static func state() -> [String: Any] {
        try! JSONSerialization.jsonObject(with: admin("GET", "/__mock/state")) as! [String: Any]
    }
    static func counts() -> [String: Int] {
        (state()["counts"] as! [String: Any]).mapValues { ($0 as! NSNumber).intValue }
    }
}
