/// Weights a backend has prepared. Opaque to the model code.
public protocol LoadedWeights: AnyObject, Sendable {
    /// The weights as the model file holds them.
    var source: WeightSet { get }
}

/// A backend's KV cache storage. Opaque to the model code.
public protocol KVCacheStorage: AnyObject {
    /// Its layout.
    var spec: KVCacheSpec { get }
}
