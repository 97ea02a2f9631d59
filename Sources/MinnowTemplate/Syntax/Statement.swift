/// A statement (node) of a parsed template.
indirect enum Statement: Sendable {
    /// Literal text.
    case text(String)
    /// `{{ expression }}`
    case output(Expression)
    /// `{% if %}…{% elif %}…{% else %}…{% endif %}`
    case conditional([ConditionalBranch], otherwise: [Statement])
    /// `{% for %}…{% else %}…{% endfor %}`
    case forLoop(ForLoop)
    /// `{% set target = value %}`
    case set(AssignmentTarget, Expression)
    /// `{% set name | filters %}…{% endset %}`
    case setBlock(name: String, filters: [FilterCall], body: [Statement])
    /// `{% macro name(parameters) %}…{% endmacro %}`
    case macro(Macro)
    /// `{% filter name %}…{% endfilter %}`
    case filterBlock([FilterCall], body: [Statement])
    /// `{% with a = 1 %}…{% endwith %}`
    case with([(String, Expression)], body: [Statement])
    /// `{% break %}`
    case breakLoop
    /// `{% continue %}`
    case continueLoop
    /// A block that only groups statements (`{% generation %}`).
    case group([Statement])
}

/// `if condition` (or `elif`) with its body.
struct ConditionalBranch: Sendable {
    var condition: Expression
    var body: [Statement]
}

/// A `for` loop.
struct ForLoop: Sendable {
    var targets: [String]
    var iterable: Expression
    var filter: Expression?
    var body: [Statement]
    var otherwise: [Statement]
    var line: Int
}

/// Where `set` stores its value.
enum AssignmentTarget: Sendable {
    case name(String)
    case names([String])
    /// `namespace.attribute`
    case attribute(String, String)
}

/// A filter applied by a filter block or a block `set`.
struct FilterCall: Sendable {
    var name: String
    var arguments: Arguments
    var line: Int
}

/// A macro definition.
struct Macro: Sendable {
    var name: String
    var parameters: [MacroParameter]
    var body: [Statement]
    var line: Int
}

/// A macro parameter with its optional default.
struct MacroParameter: Sendable {
    var name: String
    var defaultValue: Expression?
}
