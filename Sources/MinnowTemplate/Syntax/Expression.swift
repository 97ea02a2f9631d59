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
    /// The height of this expression tree; the parser bounds it so that evaluating (and
    /// freeing) a hostile expression cannot exhaust the stack.
    var depth: Int

    init(kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
        depth = 1 + kind.childDepth
    }
}

extension Expression.Kind {
    /// The greatest depth among the direct children.
    var childDepth: Int {
        func most(_ expressions: [Expression?]) -> Int { expressions.map { $0?.depth ?? 0 }.max() ?? 0 }
        func most(_ arguments: Arguments) -> Int {
            max(most(arguments.positional), most(arguments.keyword.map(\.value)))
        }
        switch self {
        case .literal, .name: return 0
        case .list(let items), .tuple(let items): return most(items)
        case .dict(let entries): return max(most(entries.map(\.key)), most(entries.map(\.value)))
        case .attribute(let object, _): return object.depth
        case .item(let object, let key): return max(object.depth, key.depth)
        case .slice(let object, let start, let stop, let step): return most([object, start, stop, step])
        case .call(let callee, let arguments): return max(callee.depth, most(arguments))
        case .filter(let value, _, let arguments), .test(let value, _, let arguments, _): return max(value.depth, most(arguments))
        case .not(let operand), .negate(let operand), .plus(let operand): return operand.depth
        case .binary(_, let left, let right), .and(let left, let right), .or(let left, let right):
            return max(left.depth, right.depth)
        case .compare(let first, let chain): return max(first.depth, most(chain.map(\.operand)))
        case .conditional(let condition, let then, let otherwise): return most([condition, then, otherwise])
        }
    }
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
