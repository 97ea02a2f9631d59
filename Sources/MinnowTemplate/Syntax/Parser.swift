/// Parses tokens into statements, following jinja2's grammar and operator precedence.
struct Parser {
    private let tokens: [Token]
    private var index = 0
    private var loopDepth = 0
    private var nesting = 0
    /// Deepest expression nesting accepted, so hostile input cannot exhaust the stack.
    static let maximumNesting = 64
    /// Tallest expression tree accepted (long operator or filter chains build tall trees).
    static let maximumDepth = 256
    /// Deepest nesting of block statements (`if`, `for`, `macro`, ...).
    static let maximumBlockNesting = 100
    private var blockNesting = 0

    init(tokens: [Token]) { self.tokens = tokens }

    /// Parses a whole template.
    mutating func parseTemplate() throws(TemplateError) -> [Statement] {
        let (body, _) = try parseBody(until: [])
        return body
    }

    // MARK: - Token helpers

    private var current: Token { tokens[min(index, tokens.count - 1)] }
    private var next: Token { tokens[min(index + 1, tokens.count - 1)] }

    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    private func isName(_ name: String, _ token: Token? = nil) -> Bool {
        if case .name(let value) = (token ?? current).kind { return value == name }
        return false
    }

    private func isOp(_ op: String, _ token: Token? = nil) -> Bool {
        if case .op(let value) = (token ?? current).kind { return value == op }
        return false
    }

    private mutating func skipName(_ name: String) -> Bool {
        if isName(name) { advance(); return true }
        return false
    }

    private mutating func skipOp(_ op: String) -> Bool {
        if isOp(op) { advance(); return true }
        return false
    }

    private func unexpected(_ expected: String? = nil) -> TemplateError {
        if let expected {
            return .syntax("expected \(expected), got \(current.display)", line: current.line)
        }
        return .syntax("unexpected \(current.display)", line: current.line)
    }

    private mutating func expectOp(_ op: String) throws(TemplateError) {
        guard skipOp(op) else { throw unexpected("'\(op)'") }
    }

    private mutating func expectName() throws(TemplateError) -> String {
        guard case .name(let name) = current.kind else { throw unexpected("a name") }
        advance()
        return name
    }

    private mutating func expectBlockEnd() throws(TemplateError) {
        guard current.kind == .blockEnd else { throw unexpected("end of statement block") }
        advance()
    }

    // MARK: - Statements

    /// Parses statements until a block tag whose name is in `endTags`; returns that name
    /// with the stream positioned after it (inside the tag).
    private mutating func parseBody(until endTags: Set<String>) throws(TemplateError) -> ([Statement], String?) {
        var body: [Statement] = []
        while true {
            let token = current
            switch token.kind {
            case .text(let text):
                body.append(.text(text))
                advance()
            case .variableBegin:
                advance()
                let expression = try parseTuple()
                guard current.kind == .variableEnd else { throw unexpected("end of print statement") }
                advance()
                body.append(.output(expression))
            case .blockBegin:
                advance()
                guard case .name(let name) = current.kind else { throw unexpected("a statement name") }
                if endTags.contains(name) {
                    advance()
                    return (body, name)
                }
                body.append(try parseStatement(name))
            case .end:
                if !endTags.isEmpty {
                    let wanted = endTags.sorted().map { "'\($0)'" }.joined(separator: " or ")
                    throw .syntax("unexpected end of template; looking for \(wanted)", line: token.line)
                }
                return (body, nil)
            default:
                throw unexpected()
            }
        }
    }

    private mutating func parseStatement(_ name: String) throws(TemplateError) -> Statement {
        let line = current.line
        advance()
        blockNesting += 1
        defer { blockNesting -= 1 }
        if blockNesting > Self.maximumBlockNesting {
            throw .syntax("blocks nested deeper than \(Self.maximumBlockNesting) levels", line: line)
        }
        switch name {
        case "if": return try parseIf()
        case "for": return try parseFor(line: line)
        case "set": return try parseSet()
        case "macro": return try parseMacro(line: line)
        case "filter":
            let filters = try parseFilterChain()
            try expectBlockEnd()
            let (body, _) = try parseBody(until: ["endfilter"])
            try expectBlockEnd()
            return .filterBlock(filters, body: body)
        case "with":
            var bindings: [(String, Expression)] = []
            while current.kind != .blockEnd {
                if !bindings.isEmpty { try expectOp(",") }
                let target = try expectName()
                try expectOp("=")
                bindings.append((target, try parseExpression()))
            }
            try expectBlockEnd()
            let (body, _) = try parseBody(until: ["endwith"])
            try expectBlockEnd()
            return .with(bindings, body: body)
        case "generation":
            try expectBlockEnd()
            let (body, _) = try parseBody(until: ["endgeneration"])
            try expectBlockEnd()
            return .group(body)
        case "break", "continue":
            guard loopDepth > 0 else { throw .syntax("'\(name)' outside a loop", line: line) }
            try expectBlockEnd()
            return name == "break" ? .breakLoop : .continueLoop
        case "include", "import", "from", "extends", "block", "call", "do", "autoescape":
            throw .syntax("the '\(name)' tag is not supported in chat templates", line: line)
        default:
            throw .syntax("encountered unknown tag '\(name)'", line: line)
        }
    }

    private mutating func parseIf() throws(TemplateError) -> Statement {
        var branches: [ConditionalBranch] = []
        var condition = try parseTuple(allowConditional: true)
        try expectBlockEnd()
        while true {
            let (body, tag) = try parseBody(until: ["elif", "else", "endif"])
            branches.append(ConditionalBranch(condition: condition, body: body))
            switch tag {
            case "elif":
                condition = try parseTuple(allowConditional: true)
                try expectBlockEnd()
            case "else":
                try expectBlockEnd()
                let (otherwise, _) = try parseBody(until: ["endif"])
                try expectBlockEnd()
                return .conditional(branches, otherwise: otherwise)
            default:
                try expectBlockEnd()
                return .conditional(branches, otherwise: [])
            }
        }
    }

    private mutating func parseTargets() throws(TemplateError) -> [String] {
        var names: [String] = []
        let parenthesized = skipOp("(")
        repeat {
            if parenthesized, isOp(")") { break }
            names.append(try expectName())
        } while skipOp(",") && !isName("in") && !isOp("=")
        if parenthesized { try expectOp(")") }
        return names
    }

    private mutating func parseFor(line: Int) throws(TemplateError) -> Statement {
        let targets = try parseTargets()
        guard skipName("in") else { throw unexpected("'in'") }
        let iterable = try parseTuple(allowConditional: false)
        var filter: Expression?
        if skipName("if") { filter = try parseExpression() }
        if isName("recursive") { throw .syntax("recursive loops are not supported", line: current.line) }
        try expectBlockEnd()
        loopDepth += 1
        let (body, tag) = try parseBody(until: ["else", "endfor"])
        loopDepth -= 1
        var otherwise: [Statement] = []
        try expectBlockEnd()
        if tag == "else" {
            (otherwise, _) = try parseBody(until: ["endfor"])
            try expectBlockEnd()
        }
        return .forLoop(ForLoop(targets: targets, iterable: iterable, filter: filter, body: body, otherwise: otherwise, line: line))
    }

    private mutating func parseSet() throws(TemplateError) -> Statement {
        let first = try expectName()
        if skipOp(".") {
            let attribute = try expectName()
            try expectOp("=")
            let value = try parseTuple()
            try expectBlockEnd()
            return .set(.attribute(first, attribute), value)
        }
        if isOp(",") {
            advance()
            var names = [first]
            repeat { names.append(try expectName()) } while skipOp(",")
            try expectOp("=")
            let value = try parseTuple()
            try expectBlockEnd()
            return .set(.names(names), value)
        }
        if skipOp("=") {
            let value = try parseTuple()
            try expectBlockEnd()
            return .set(.name(first), value)
        }
        let filters = isOp("|") ? try parseFilterChain() : []
        try expectBlockEnd()
        let (body, _) = try parseBody(until: ["endset"])
        try expectBlockEnd()
        return .setBlock(name: first, filters: filters, body: body)
    }

    private mutating func parseMacro(line: Int) throws(TemplateError) -> Statement {
        let name = try expectName()
        try expectOp("(")
        var parameters: [MacroParameter] = []
        while !isOp(")") {
            if !parameters.isEmpty { try expectOp(",") }
            if isOp(")") { break }
            let parameter = try expectName()
            var defaultValue: Expression?
            if skipOp("=") { defaultValue = try parseExpression() }
            parameters.append(MacroParameter(name: parameter, defaultValue: defaultValue))
        }
        try expectOp(")")
        try expectBlockEnd()
        let savedDepth = loopDepth
        loopDepth = 0
        let (body, _) = try parseBody(until: ["endmacro"])
        loopDepth = savedDepth
        try expectBlockEnd()
        return .macro(Macro(name: name, parameters: parameters, body: body, line: line))
    }

    /// `name(args) | name2 ...` after `filter` or in a block `set`.
    private mutating func parseFilterChain() throws(TemplateError) -> [FilterCall] {
        var filters: [FilterCall] = []
        _ = skipOp("|")
        repeat {
            let line = current.line
            let name = try parseDottedName()
            guard Filters.names.contains(name) else { throw .syntax("no filter named '\(name)'", line: line) }
            let arguments = isOp("(") ? try parseArguments() : .none
            filters.append(FilterCall(name: name, arguments: arguments, line: line))
        } while skipOp("|")
        return filters
    }

    // MARK: - Expressions

    /// Builds an expression node, refusing trees too tall to evaluate safely.
    private func makeNode(_ kind: Expression.Kind, line: Int) throws(TemplateError) -> Expression {
        let expression = Expression(kind: kind, line: line)
        if expression.depth > Self.maximumDepth {
            throw .syntax("expression too deeply nested (more than \(Self.maximumDepth) levels)", line: line)
        }
        return expression
    }

    private mutating func enter() throws(TemplateError) {
        nesting += 1
        if nesting > Self.maximumNesting {
            throw .syntax("expression nested deeper than \(Self.maximumNesting) levels", line: current.line)
        }
    }

    /// An expression, or several separated by commas (a tuple), as in `{{ }}` and `set`.
    private mutating func parseTuple(allowConditional: Bool = true, explicitParentheses: Bool = false) throws(TemplateError) -> Expression {
        let line = current.line
        var items: [Expression] = []
        var sawComma = false
        while true {
            if !items.isEmpty {
                guard skipOp(",") else { break }
                sawComma = true
            }
            if !startsExpression() { break }
            items.append(allowConditional ? try parseExpression() : try parseOr())
        }
        if !sawComma {
            if let only = items.first { return only }
            if !explicitParentheses { throw unexpected("an expression") }
        }
        return try makeNode(.tuple(items), line: line)
    }

    private func startsExpression() -> Bool {
        switch current.kind {
        case .name(let name): return !["in", "if", "else", "recursive"].contains(name)
        case .string, .integer, .float: return true
        case .op(let op): return ["(", "[", "{", "-", "+"].contains(op)
        default: return false
        }
    }

    mutating func parseExpression() throws(TemplateError) -> Expression {
        try enter()
        defer { nesting -= 1 }
        var expression = try parseOr()
        while isName("if") {
            let line = current.line
            advance()
            let condition = try parseOr()
            var otherwise: Expression?
            if skipName("else") { otherwise = try parseExpression() }
            expression = try makeNode(.conditional(condition: condition, then: expression, otherwise: otherwise), line: line)
        }
        return expression
    }

    private mutating func parseOr() throws(TemplateError) -> Expression {
        var left = try parseAnd()
        while isName("or") {
            let line = current.line
            advance()
            left = try makeNode(.or(left, try parseAnd()), line: line)
        }
        return left
    }

    private mutating func parseAnd() throws(TemplateError) -> Expression {
        var left = try parseNot()
        while isName("and") {
            let line = current.line
            advance()
            left = try makeNode(.and(left, try parseNot()), line: line)
        }
        return left
    }

    private mutating func parseNot() throws(TemplateError) -> Expression {
        if isName("not") {
            let line = current.line
            advance()
            try enter()
            defer { nesting -= 1 }
            return try makeNode(.not(try parseNot()), line: line)
        }
        return try parseCompare()
    }

    private mutating func parseCompare() throws(TemplateError) -> Expression {
        let line = current.line
        let left = try parseMath1()
        var chain: [Comparison] = []
        while true {
            if case .op(let op) = current.kind, let comparison = ComparisonOperator(rawValue: op),
               comparison != .contains, comparison != .notContains {
                advance()
                chain.append(Comparison(op: comparison, operand: try parseMath1()))
            } else if isName("in") {
                advance()
                chain.append(Comparison(op: .contains, operand: try parseMath1()))
            } else if isName("not"), isName("in", next) {
                advance()
                advance()
                chain.append(Comparison(op: .notContains, operand: try parseMath1()))
            } else {
                break
            }
        }
        return chain.isEmpty ? left : try makeNode(.compare(left, chain), line: line)
    }

    private mutating func parseBinary(
        _ ops: [String], _ operand: (inout Parser) throws(TemplateError) -> Expression
    ) throws(TemplateError) -> Expression {
        var left = try operand(&self)
        while case .op(let op) = current.kind, ops.contains(op), let binary = BinaryOperator(rawValue: op) {
            let line = current.line
            advance()
            left = try makeNode(.binary(binary, left, try operand(&self)), line: line)
        }
        return left
    }

    private mutating func parseMath1() throws(TemplateError) -> Expression {
        try parseBinary(["+", "-"]) { (parser: inout Parser) throws(TemplateError) in try parser.parseConcat() }
    }

    private mutating func parseConcat() throws(TemplateError) -> Expression {
        try parseBinary(["~"]) { (parser: inout Parser) throws(TemplateError) in try parser.parseMath2() }
    }

    private mutating func parseMath2() throws(TemplateError) -> Expression {
        try parseBinary(["*", "/", "//", "%"]) { (parser: inout Parser) throws(TemplateError) in try parser.parsePower() }
    }

    private mutating func parsePower() throws(TemplateError) -> Expression {
        try parseBinary(["**"]) { (parser: inout Parser) throws(TemplateError) in try parser.parseUnary(withFilter: true) }
    }

    private mutating func parseUnary(withFilter: Bool) throws(TemplateError) -> Expression {
        try enter()
        defer { nesting -= 1 }
        let line = current.line
        var node: Expression
        if skipOp("-") {
            node = try makeNode(.negate(try parseUnary(withFilter: false)), line: line)
        } else if skipOp("+") {
            node = try makeNode(.plus(try parseUnary(withFilter: false)), line: line)
        } else {
            node = try parsePrimary()
        }
        node = try parsePostfix(node)
        if withFilter { node = try parseFilterExpression(node) }
        return node
    }

    private mutating func parsePrimary() throws(TemplateError) -> Expression {
        let token = current
        switch token.kind {
        case .name(let name):
            advance()
            switch name {
            case "true", "True": return try makeNode(.literal(.bool(true)), line: token.line)
            case "false", "False": return try makeNode(.literal(.bool(false)), line: token.line)
            case "none", "None": return try makeNode(.literal(.none), line: token.line)
            default: return try makeNode(.name(name), line: token.line)
            }
        case .string(var text):
            advance()
            while case .string(let more) = current.kind {
                text += more
                advance()
            }
            return try makeNode(.literal(.string(text)), line: token.line)
        case .integer(let value):
            advance()
            return try makeNode(.literal(.int(value)), line: token.line)
        case .float(let value):
            advance()
            return try makeNode(.literal(.double(value)), line: token.line)
        case .op("("):
            advance()
            let inner = try parseTuple(explicitParentheses: true)
            try expectOp(")")
            return inner
        case .op("["):
            advance()
            var items: [Expression] = []
            while !isOp("]") {
                if !items.isEmpty { try expectOp(",") }
                if isOp("]") { break }
                items.append(try parseExpression())
            }
            try expectOp("]")
            return try makeNode(.list(items), line: token.line)
        case .op("{"):
            advance()
            var entries: [DictEntry] = []
            while !isOp("}") {
                if !entries.isEmpty { try expectOp(",") }
                if isOp("}") { break }
                let key = try parseExpression()
                try expectOp(":")
                entries.append(DictEntry(key: key, value: try parseExpression()))
            }
            try expectOp("}")
            return try makeNode(.dict(entries), line: token.line)
        default:
            throw unexpected()
        }
    }

    private mutating func parsePostfix(_ base: Expression) throws(TemplateError) -> Expression {
        var node = base
        while true {
            let line = current.line
            if skipOp(".") {
                switch current.kind {
                case .name(let name):
                    advance()
                    node = try makeNode(.attribute(node, name), line: line)
                case .integer(let value):
                    advance()
                    node = try makeNode(.item(node, try makeNode(.literal(.int(value)), line: line)), line: line)
                default:
                    throw unexpected("an attribute name")
                }
            } else if skipOp("[") {
                node = try parseSubscript(node, line: line)
            } else if isOp("(") {
                node = try makeNode(.call(node, try parseArguments()), line: line)
            } else {
                return node
            }
        }
    }

    private mutating func parseSubscript(_ base: Expression, line: Int) throws(TemplateError) -> Expression {
        var parts: [Expression?] = []
        var isSlice = false
        var currentPart: Expression?
        while !isOp("]") {
            if skipOp(":") {
                isSlice = true
                parts.append(currentPart)
                currentPart = nil
                if parts.count > 2 { throw unexpected("']'") }
            } else {
                if currentPart != nil { throw unexpected("':' or ']'") }
                currentPart = try parseExpression()
            }
        }
        try expectOp("]")
        if !isSlice {
            guard let key = currentPart else { throw .syntax("expected a subscript", line: line) }
            return try makeNode(.item(base, key), line: line)
        }
        parts.append(currentPart)
        while parts.count < 3 { parts.append(nil) }
        return try makeNode(.slice(base, start: parts[0], stop: parts[1], step: parts[2]), line: line)
    }

    private mutating func parseArguments() throws(TemplateError) -> Arguments {
        try expectOp("(")
        var arguments = Arguments()
        while !isOp(")") {
            if !arguments.positional.isEmpty || !arguments.keyword.isEmpty { try expectOp(",") }
            if isOp(")") { break }
            if case .name(let name) = current.kind, isOp("=", next) {
                advance()
                advance()
                arguments.keyword.append(KeywordArgument(name: name, value: try parseExpression()))
            } else {
                if isOp("*") || isOp("**") { throw .syntax("argument unpacking is not supported", line: current.line) }
                if !arguments.keyword.isEmpty {
                    throw .syntax("positional argument after keyword argument", line: current.line)
                }
                arguments.positional.append(try parseExpression())
            }
        }
        try expectOp(")")
        return arguments
    }

    private mutating func parseDottedName() throws(TemplateError) -> String {
        var name = try expectName()
        while isOp("."), case .name(let part) = next.kind {
            advance()
            advance()
            name += "." + part
        }
        return name
    }

    private mutating func parseFilterExpression(_ base: Expression) throws(TemplateError) -> Expression {
        var node = base
        while true {
            let line = current.line
            if skipOp("|") {
                let name = try parseDottedName()
                guard Filters.names.contains(name) else { throw .syntax("no filter named '\(name)'", line: line) }
                let arguments = isOp("(") ? try parseArguments() : .none
                node = try makeNode(.filter(node, name, arguments), line: line)
            } else if isName("is") {
                advance()
                let negated = skipName("not")
                let name = try parseDottedName()
                guard Tests.names.contains(name) else { throw .syntax("no test named '\(name)'", line: line) }
                var arguments = Arguments.none
                if isOp("(") {
                    arguments = try parseArguments()
                } else if startsTestArgument() {
                    if isName("is") { throw .syntax("you cannot chain multiple tests with is", line: current.line) }
                    arguments.positional = [try parsePostfix(try parsePrimary())]
                }
                node = try makeNode(.test(node, name, arguments, negated: negated), line: line)
            } else if isOp("(") {
                node = try makeNode(.call(node, try parseArguments()), line: line)
            } else {
                return node
            }
        }
    }

    private func startsTestArgument() -> Bool {
        switch current.kind {
        case .name(let name): return !["else", "or", "and", "if", "in", "not", "is"].contains(name) || name == "is"
        case .string, .integer, .float: return true
        case .op(let op): return op == "[" || op == "{"
        default: return false
        }
    }
}
