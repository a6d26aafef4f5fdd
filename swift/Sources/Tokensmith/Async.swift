// Hand-written beside the generated bindings: the async clients' methods as Swift callers expect them,
// cancelled with their task.
//
// UniFFI 0.32 runs a Rust future to the end even when the Swift `Task` awaiting it is cancelled. So every
// generated async method takes a `Cancellation`, and the methods below pass one that the task's cancellation
// throws: the Rust side then drops the call, which aborts its HTTP request, and the caller gets
// `CancellationError`. A cancelled create or rotate may or may not have reached the server; it is never retried.
// Swift picks these methods over the generated ones because they need no defaulted `cancellation:` argument.

/// Runs `call` with a `Cancellation` thrown when the current task is cancelled.
func cancellable<T>(_ call: (Cancellation) async throws -> T) async throws -> T {
    let cancellation = Cancellation()
    do {
        return try await withTaskCancellationHandler {
            try await call(cancellation)
        } onCancel: {
            cancellation.cancel()
        }
    } catch {
        if Task.isCancelled { throw CancellationError() }
        throw error
    }
}

extension AsyncAkoolClient {
    /// The bearer token (method 2), fetched once and shared by every caller. A secret: do not log it.
    public func token() async throws -> String {
        try await cancellable { try await self.token(cancellation: $0) }
    }

    /// The auth header(s) to send with another HTTP library, by name.
    public func authHeaders() async throws -> [String: String] {
        try await cancellable { try await self.authHeaders(cancellation: $0) }
    }

    /// An authenticated call; `jsonBody` and the result (the envelope's `data`) are JSON text. `options` set a
    /// timeout, headers or retries for this call alone.
    public func request(method: String, path: String, jsonBody: String? = nil, options: CallOptions? = nil) async throws -> String {
        try await cancellable {
            try await self.request(method: method, path: path, jsonBody: jsonBody, options: options, cancellation: $0)
        }
    }
}

extension AsyncAceDataPlatform {
    /// Creates a credential; never retried once sent.
    public func createCredential(new: NewCredential, options: CallOptions? = nil) async throws -> Credential {
        try await cancellable { try await self.createCredential(new: new, options: options, cancellation: $0) }
    }

    /// One page of credentials.
    public func listCredentials(filter: CredentialFilter? = nil, options: CallOptions? = nil) async throws -> CredentialPage {
        try await cancellable { try await self.listCredentials(filter: filter, options: options, cancellation: $0) }
    }

    /// Every matching credential (`limit` of the filter is the page size), fetched page after page as the
    /// sequence is iterated: `for try await credential in platform.iterCredentials() { ... }`. Ending the
    /// iteration, or cancelling its task, cancels the request in flight.
    public func iterCredentials(filter: CredentialFilter? = nil, options: CallOptions? = nil) -> AsyncThrowingStream<Credential, Error> {
        let pages: AsyncCredentialPages
        do {
            pages = try credentialPages(filter: filter, options: options)
        } catch {
            return AsyncThrowingStream { $0.finish(throwing: error) }
        }
        var buffered: [Credential] = []
        return AsyncThrowingStream {
            while buffered.isEmpty {
                guard let page = try await cancellable({ try await pages.nextPage(cancellation: $0) }) else { return nil }
                buffered = page
            }
            return buffered.removeFirst()
        }
    }

    /// One credential by id.
    public func getCredential(id: String, options: CallOptions? = nil) async throws -> Credential {
        try await cancellable { try await self.getCredential(id: id, options: options, cancellation: $0) }
    }

    /// Changes a credential.
    public func updateCredential(id: String, changes: CredentialChanges, options: CallOptions? = nil) async throws -> Credential {
        try await cancellable { try await self.updateCredential(id: id, changes: changes, options: options, cancellation: $0) }
    }

    /// A new token for the same credential; never retried once sent.
    public func rotateCredential(id: String, options: CallOptions? = nil) async throws -> Credential {
        try await cancellable { try await self.rotateCredential(id: id, options: options, cancellation: $0) }
    }

    /// Deletes a credential.
    public func deleteCredential(id: String, options: CallOptions? = nil) async throws {
        try await cancellable { try await self.deleteCredential(id: id, options: options, cancellation: $0) }
    }

    /// One page of your applications: their ids are what credentials are created for.
    public func listApplications(filter: ApplicationFilter? = nil, options: CallOptions? = nil) async throws -> ApplicationPage {
        try await cancellable { try await self.listApplications(filter: filter, options: options, cancellation: $0) }
    }

    /// One application by id.
    public func getApplication(id: String, options: CallOptions? = nil) async throws -> Application {
        try await cancellable { try await self.getApplication(id: id, options: options, cancellation: $0) }
    }
}

extension AceDataPlatform {
    /// Every matching credential (`limit` of the filter is the page size), fetching page after page.
    public func iterCredentials(filter: CredentialFilter? = nil, options: CallOptions? = nil) throws -> [Credential] {
        let pages = try credentialPages(filter: filter, options: options)
        var all: [Credential] = []
        while let page = try pages.nextPage() { all += page }
        return all
    }
}
