/// An expression of the template language, with the line it starts on.
struct Expression: Sendable {
    indirect enum Kind: Sendable {
        case literal(Value)
        case name(String)
        case list([Expression])
        case tuple([Expression])
        case dict([DictEntry])
        /// `object.name`
        case attribute(Expression, String)
        /// `object[key]`
        case item(Expression, Expression)
        /// `object[start:stop:step]`
        case slice(Expression, start: Expression?, stop: Expression?, step: Expression?)
        case call(Expression, Arguments)
        /// `value | name(arguments)`
        case filter(Expression, String, Arguments)
        /// `value is [not] name(arguments)`
        case test(Expression, String, Arguments, negated: Bool)
        case not(Expression)
        case negate(Expression)
        case plus(Expression)
        case binary(BinaryOperator, Expression, Expression)
        case and(Expression, Expression)
        case or(Expression, Expression)
        /// A comparison chain: `a < b <= c`.
        case compare(Expression, [Comparison])
        /// `then if condition else otherwise`; a missing `else` yields undefined.
        case conditional(condition: Expression, then: Expression, otherwise: Expression?)
    }

    var kind: Kind
    var line: Int
}

/// `key: value` in a dict literal.
struct DictEntry: Sendable {
    var key: Expression
    var value: Expression
}

/// Positional and keyword arguments of a call, filter or test.
struct Arguments: Sendable {
    var positional: [Expression] = []
    var keyword: [KeywordArgument] = []

    static let none = Arguments()
}

/// `name=value` in an argument list.
struct KeywordArgument: Sendable {
    var name: String
    var value: Expression
}

/// Arithmetic and string operators.
enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//"
    case modulo = "%", power = "**", concat = "~"
}

/// Comparison operators, including membership.
enum ComparisonOperator: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case contains = "in", notContains = "not in"
}

/// One link of a comparison chain.
struct Comparison: Sendable {
    var op: ComparisonOperator
    var operand: Expression
}
