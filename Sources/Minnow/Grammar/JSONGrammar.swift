import Foundation

/// The GBNF of any JSON value, and the pieces the JSON-schema converter shares with it.
enum JSONGrammar {
    /// Whitespace between tokens: none, one space, or a newline and up to 20 blanks of
    /// indentation (bounded, so that a model cannot pad forever).
    static let whitespace = #"ws ::= | " " | "\n" [ \t]{0,20}"#

    /// A JSON string's characters: anything but `"`, `\` and control characters, or an escape.
    static let character = #"char ::= [^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4})"#

    /// A JSON number, with at most 16 digits before and after the point (long digit strings
    /// are where a small model loops).
    static let number = #"""
        number ::= "-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,3})?
        """#

    /// The grammar of any JSON value, objects and arrays nested to any depth.
    static let any = #"""
        root ::= value
        value ::= object | array | string | number | ("true" | "false" | "null")
        object ::= "{" ws ( string ws ":" ws value ws ( "," ws string ws ":" ws value ws )* )? "}"
        array ::= "[" ws ( value ws ( "," ws value ws )* )? "]"
        string ::= "\"" char* "\""
        """# + "\n" + number + "\n" + character + "\n" + whitespace + "\n"

    /// The grammar of a JSON object (JSON mode: the answer is one object).
    static let object = any.replacingOccurrences(of: "root ::= value", with: "root ::= object")
}

extension Grammar {
    /// Any JSON value.
    public static let jsonValue: Grammar = builtIn(JSONGrammar.any)

    /// Any JSON object: JSON mode, as OpenAI's `response_format: json_object`.
    public static let jsonObject: Grammar = builtIn(JSONGrammar.object)

    private static func builtIn(_ source: String) -> Grammar {
        do {
            return try Grammar(gbnf: source)
        } catch {
            preconditionFailure("built-in grammar does not compile: \(error)")
        }
    }
}
