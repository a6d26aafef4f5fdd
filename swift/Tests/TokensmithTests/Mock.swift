import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The mock vendor server (docs/mock.md), started once per test process from the workspace's `tokensmith-mock`
/// binary.
enum Mock {
    private static let process = Process()
    static let baseURL: String = {
        let bin = ProcessInfo.processInfo.environment["TOKENSMITH_MOCK_BIN"] ?? "../target/debug/tokensmith-mock"
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: bin)
        process.arguments = ["--addr", "127.0.0.1:0"]
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try! process.run()
        var line = Data()
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        atexit { Mock.process.terminate() }
        let url = String(decoding: line, as: UTF8.self)
        precondition(url.hasPrefix("http://127.0.0.1:"), "the mock printed \(url)")
        return url
    }()

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

    static func reset() { admin("POST", "/__mock/reset") }
    static func fault(_ rule: String) { admin("POST", "/__mock/faults", rule) }
    static func expireTokens() { admin("POST", "/__mock/expire-tokens") }
    static func state() -> [String: Any] {
        try! JSONSerialization.jsonObject(with: admin("GET", "/__mock/state")) as! [String: Any]
    }
    static func counts() -> [String: Int] {
        (state()["counts"] as! [String: Any]).mapValues { ($0 as! NSNumber).intValue }
    }
}
