/// The transformer architectures this engine runs.
///
/// Both are pre-norm decoder-only transformers with RMSNorm, grouped-query attention, RoPE and
/// a SiLU-gated MLP; they differ in the RoPE pairing and in the attention biases (which are
/// detected from the tensors present, so a llama file with biases works too).
public enum ModelArchitecture: String, Sendable, CaseIterable {
    /// Qwen2 / Qwen2.5 and DeepSeek-R1-Distill-Qwen: NeoX RoPE, QKV bias.
    case qwen2
    /// Llama 2/3, SmolLM2 and DeepSeek-R1-Distill-Llama: normal RoPE, optional llama3 scaling.
    case llama

    /// How RoPE pairs dimensions.
    public var ropeStyle: RoPEStyle {
        switch self {
        case .qwen2: .neox
        case .llama: .normal
        }
    }
}
