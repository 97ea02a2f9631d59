/// Why a grammar or a JSON schema was refused.
public enum GrammarError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The GBNF text is malformed at this 1-based line and column.
    case syntax(message: String, line: Int, column: Int)
    /// A rule refers to a rule that is not defined (at the reference's line and column).
    case undefinedRule(name: String, line: Int, column: Int)
    /// A rule is defined twice (at the second definition's line).
    case duplicateRule(name: String, line: Int)
    /// The grammar has no `root` rule.
    case missingRoot
    /// A rule can reach itself without consuming a character; the stack-based matcher cannot
    /// run such a grammar.
    case leftRecursion(rule: String)
    /// The JSON schema is not valid JSON.
    case invalidSchemaJSON(String)
    /// The JSON schema (at this JSON pointer) uses a keyword or value Minnow cannot turn into a
    /// grammar, or one that is malformed.
    case unsupportedSchema(pointer: String, message: String)

    /// A one-line description that names the place of the problem.
    public var description: String {
        switch self {
        case .syntax(let message, let line, let column):
            return "grammar syntax error at line \(line), column \(column): \(message)"
        case .undefinedRule(let name, let line, let column):
            return "grammar error at line \(line), column \(column): undefined rule '\(name)'"
        case .duplicateRule(let name, let line):
            return "grammar error at line \(line): rule '\(name)' is defined twice"
        case .missingRoot:
            return "grammar error: no 'root' rule"
        case .leftRecursion(let rule):
            return "grammar error: rule '\(rule)' is left-recursive"
        case .invalidSchemaJSON(let message):
            return "JSON schema is not valid JSON: \(message)"
        case .unsupportedSchema(let pointer, let message):
            return "JSON schema error at '\(pointer.isEmpty ? "/" : pointer)': \(message)"
        }
    }
}
