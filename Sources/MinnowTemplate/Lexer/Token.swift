/// One lexical token of a template.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// Literal template text outside tags.
        case text(String)
        /// `{{`
        case variableBegin
        /// `}}`
        case variableEnd
        /// `{%`
        case blockBegin
        /// `%}`
        case blockEnd
        /// An identifier (keywords such as `if`, `and`, `true` are names too).
        case name(String)
        /// A string literal, escapes resolved.
        case string(String)
        /// An integer literal.
        case integer(Int)
        /// A floating-point literal.
        case float(Double)
        /// An operator or punctuation: `+`, `//`, `==`, `(`, `|`, ...
        case op(String)
        /// The end of the template.
        case end
    }

    var kind: Kind
    /// The 1-based line where the token starts.
    var line: Int

    /// A short description for error messages.
    var display: String {
        switch kind {
        case .text: return "template text"
        case .variableBegin: return "'{{'"
        case .variableEnd: return "end of print statement"
        case .blockBegin: return "'{%'"
        case .blockEnd: return "end of statement block"
        case .name(let name): return "'\(name)'"
        case .string: return "string literal"
        case .integer(let value): return "'\(value)'"
        case .float(let value): return "'\(value)'"
        case .op(let op): return "'\(op)'"
        case .end: return "end of template"
        }
    }
}
