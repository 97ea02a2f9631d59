/// The one backend selection policy, for the library's `.auto` and the CLI's `--backend auto`.
///
/// Every provider is probed; those that can run the model are ranked by score, highest first,
/// ties in the order given (the app's providers come before the built-in ones). The first whose
/// backend can be made and runs every op of the model is used. An explicit choice
/// (``open(_:for:)``) uses one provider and fails with its reason.
public enum BackendSelector {
    /// The best backend among `providers` for `workload`.
    /// - Throws: ``BackendError/unavailable(_:)`` with every provider's reason when none can run it.
    public static func select(from providers: [any BackendProvider], for workload: BackendWorkload) throws -> BackendSelection {
        var reasons: [String] = []
        let ranked = providers.enumerated().compactMap { entry -> (offset: Int, score: Int, provider: any BackendProvider)? in
            switch entry.element.probe(workload) {
            case .score(let score): return (entry.offset, score, entry.element)
            case .cannotRun(let reason):
                reasons.append(reason)
                return nil
            }
        }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.offset < $1.offset }
        for candidate in ranked {
            do {
                let backend = try open(candidate.provider, for: workload).backend
                let note = reasons.isEmpty
                    ? "backend auto: using \(candidate.provider.displayName) on \(backend.deviceDescription)"
                    : "backend auto: using \(candidate.provider.displayName) (\(reasons.joined(separator: "; ")))"
                return BackendSelection(backend: backend, note: note)
            } catch {
                reasons.append((error as? BackendError)?.reason ?? "\(error)")
            }
        }
        throw BackendError.unavailable("no backend can run the model: " + (reasons.isEmpty ? "no providers" : reasons.joined(separator: "; ")))
    }

    /// The backend of `provider`, checked against the workload's ops and weight types.
    /// - Throws: the provider's ``BackendError``, or ``BackendError/unavailable(_:)`` wrapping
    ///   another error, or ``BackendError/unsupported(op:weightType:backend:)``.
    public static func open(_ provider: any BackendProvider, for workload: BackendWorkload) throws -> BackendSelection {
        let backend: any Backend
        do {
            backend = try provider.makeBackend(for: workload)
        } catch let error as BackendError {
            throw error
        } catch {
            throw BackendError.unavailable("\(error)")
        }
        try backend.validate(workload.graph, weights: workload.weights)
        guard workload.cache.sequences <= backend.capabilities.maxSequences else {
            throw BackendError.multipleSequences(backend: backend.name)
        }
        return BackendSelection(backend: backend, note: nil)
    }
}

extension BackendError {
    /// The reason inside ``unavailable(_:)``, else the whole description.
    package var reason: String {
        if case .unavailable(let why) = self { return why }
        return description
    }
}
