// The public backend SDK: the `Backend` protocol and its capabilities, the graph and op types,
// the weights view, the KV cache spec, the errors, backend providers and selection, and the CPU
// kernel plugin types and registry. Documented in MinnowBackendSDK.docc.
@_exported import MinnowEngine
@_exported import enum MinnowGGUF.GGMLType
