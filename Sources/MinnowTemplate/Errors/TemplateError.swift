/// An error raised while parsing or rendering a Jinja template.
///
/// Every error names the template line it comes from (1-based; 0 when no line applies),
/// so that a broken chat template can be fixed where it breaks.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The template text is not valid Jinja (or uses an unsupported construct).
        case syntax
        /// Rendering failed: an undefined variable was used, a type did not fit an operation,
        /// an unsafe method was called, and so on.
        case runtime
        /// The template called `raise_exception(message)`.
        case raised
        /// Rendering ran into a safety limit (recursion depth, loop steps or output size).
        case limitExceeded
    }

    /// The category of the error.
    public let kind: Kind
    /// A human-readable explanation.
    public let message: String
    /// The 1-based template line the error comes from; 0 when unknown.
    public let line: Int

    /// Creates an error of `kind` with `message` at `line`.
    public init(_ kind: Kind, _ message: String, line: Int) {
        self.kind = kind
        self.message = message
        self.line = line
    }

    /// A one-line description that names the line.
    public var description: String {
        let what: String
        switch kind {
        case .syntax: what = "syntax error"
        case .runtime: what = "error"
        case .raised: what = "template raised"
        case .limitExceeded: what = "limit exceeded"
        }
        return "template line \(line): \(what): \(message)"
    }
}

extension TemplateError {
    static func syntax(_ message: String, line: Int) -> TemplateError {
        TemplateError(.syntax, message, line: line)
    }

    static func runtime(_ message: String, line: Int) -> TemplateError {
        TemplateError(.runtime, message, line: line)
    }
}
