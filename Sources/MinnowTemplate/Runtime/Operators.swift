import Foundation

/// Python semantics of the arithmetic, comparison and membership operators.
enum Operators {
    private enum Number {
        case int(Int)
        case double(Double)

        var double: Double {
            switch self {
            case .int(let value): return Double(value)
            case .double(let value): return value
            }
        }
    }

    private static func number(_ value: Value) -> Number? {
        switch value {
        case .bool(let flag): return .int(flag ? 1 : 0)
        case .int(let number): return .int(number)
        case .double(let number): return .double(number)
        default: return nil
        }
    }

    static func undefinedError(_ value: Value, line: Int) -> TemplateError? {
        if case .undefined(let hint) = value { return .runtime(undefinedMessage(hint), line: line) }
        return nil
    }

    static func undefinedMessage(_ hint: String) -> String {
        hint.hasPrefix("'") || hint.contains(" ") ? hint : "'\(hint)' is undefined"
    }

    private static func unsupported(_ op: String, _ a: Value, _ b: Value, line: Int) -> TemplateError {
        .runtime("unsupported operand type(s) for \(op): '\(a.typeName)' and '\(b.typeName)'", line: line)
    }

    private static func overflow(line: Int) -> TemplateError {
        .runtime("integer overflow", line: line)
    }

    /// `a op b`; every string or list it builds is admitted by `budget` before it is built.
    static func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, _ budget: SizeBudget, line: Int) throws(TemplateError) -> Value {
        if op == .concat {
            var builder = TextBuilder(budget, "concatenated string", line: line)
            try PythonFormat.writeStr(a, into: &builder)
            try PythonFormat.writeStr(b, into: &builder)
            return .string(try builder.finish())
        }
        if op == .modulo, case .string(let format) = a { return .string(try PythonFormat.percent(format, b, budget, line: line)) }
        if let error = undefinedError(a, line: line) ?? undefinedError(b, line: line) { throw error }
        if let x = number(a), let y = number(b) {
            return try arithmetic(op, x, y, line: line)
        }
        switch (op, a, b) {
        case (.add, .string(let x), .string(let y)):
            try budget.admit(x.utf8.count, plus: y.utf8.count, "concatenated string", line: line)
            return .string(x + y)
        case (.add, .list(let x), .list(let y)):
            try budget.admit(lists: x, y, "concatenated list", line: line)
            return .list(x + y)
        case (.add, .tuple(let x), .tuple(let y)):
            try budget.admit(lists: x, y, "concatenated tuple", line: line)
            return .tuple(x + y)
        case (.add, .string, _):
            throw .runtime("can only concatenate str (not \"\(b.typeName)\") to str", line: line)
        case (.add, .list, _):
            throw .runtime("can only concatenate list (not \"\(b.typeName)\") to list", line: line)
        case (.multiply, .string(let text), _), (.multiply, _, .string(let text)):
            guard let times = repeatCount(a, b) else { throw unsupported("*", a, b, line: line) }
            try budget.admit(times, of: text.utf8.count, "repeated string", line: line)
            return .string(String(repeating: text, count: times))
        case (.multiply, .list(let items), _), (.multiply, _, .list(let items)):
            guard let times = repeatCount(a, b) else { throw unsupported("*", a, b, line: line) }
            try budget.admit(times, of: try budget.footprint(of: items, "repeated list", line: line), "repeated list", line: line)
            return .list(Array([[Value]](repeating: items, count: times).joined()))
        default:
            throw unsupported(op.rawValue, a, b, line: line)
        }
    }

    private static func repeatCount(_ a: Value, _ b: Value) -> Int? {
        if case .int(let n) = a { return max(0, n) }
        if case .int(let n) = b { return max(0, n) }
        if case .bool(let flag) = a { return flag ? 1 : 0 }
        if case .bool(let flag) = b { return flag ? 1 : 0 }
        return nil
    }

    private static func arithmetic(_ op: BinaryOperator, _ x: Number, _ y: Number, line: Int) throws(TemplateError) -> Value {
        if case .int(let a) = x, case .int(let b) = y {
            switch op {
            case .add:
                let (result, overflow) = a.addingReportingOverflow(b)
                if overflow { throw Self.overflow(line: line) }
                return .int(result)
            case .subtract:
                let (result, overflow) = a.subtractingReportingOverflow(b)
                if overflow { throw Self.overflow(line: line) }
                return .int(result)
            case .multiply:
                let (result, overflow) = a.multipliedReportingOverflow(by: b)
                if overflow { throw Self.overflow(line: line) }
                return .int(result)
            case .divide:
                if b == 0 { throw .runtime("division by zero", line: line) }
                return .double(Double(a) / Double(b))
            case .floorDivide:
                if b == 0 { throw .runtime("integer division or modulo by zero", line: line) }
                if a == Int.min && b == -1 { throw Self.overflow(line: line) }
                let quotient = a / b
                return .int((a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient)
            case .modulo:
                if b == 0 { throw .runtime("integer division or modulo by zero", line: line) }
                if b == -1 { return .int(0) }
                let remainder = a % b
                return .int(remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder)
            case .power:
                if b < 0 { return .double(Foundation.pow(Double(a), Double(b))) }
                var result = 1
                var base = a
                var exponent = b
                while exponent > 0 {
                    if exponent & 1 == 1 {
                        let (product, overflow) = result.multipliedReportingOverflow(by: base)
                        if overflow { throw Self.overflow(line: line) }
                        result = product
                    }
                    exponent >>= 1
                    if exponent > 0 {
                        let (square, overflow) = base.multipliedReportingOverflow(by: base)
                        if overflow { throw Self.overflow(line: line) }
                        base = square
                    }
                }
                return .int(result)
            case .concat:
                return .string(String(a) + String(b))
            }
        }
        let a = x.double
        let b = y.double
        switch op {
        case .add: return .double(a + b)
        case .subtract: return .double(a - b)
        case .multiply: return .double(a * b)
        case .divide:
            if b == 0 { throw .runtime("float division by zero", line: line) }
            return .double(a / b)
        case .floorDivide:
            if b == 0 { throw .runtime("float floor division by zero", line: line) }
            return .double((a / b).rounded(.down))
        case .modulo:
            if b == 0 { throw .runtime("float modulo", line: line) }
            var remainder = a.truncatingRemainder(dividingBy: b)
            if remainder != 0 && (remainder < 0) != (b < 0) { remainder += b }
            return .double(remainder)
        case .power: return .double(Foundation.pow(a, b))
        case .concat: return .string(PythonFormat.float(a) + PythonFormat.float(b))
        }
    }

    /// Python's `==`.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        if let x = number(a), let y = number(b) {
            if case .int(let i) = x, case .int(let j) = y { return i == j }
            return x.double == y.double
        }
        switch (a, b) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let x), .string(let y)): return PythonStrings.equal(x, y)
        case (.list(let x), .list(let y)), (.tuple(let x), .tuple(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.dict(let x), .dict(let y)):
            return x.count == y.count && x.entries.allSatisfy { entry in y[entry.key].map { equal(entry.value, $0) } ?? false }
        case (.namespace(let x), .namespace(let y)): return x == y
        case (.function(let x), .function(let y)): return x == y
        default: return false
        }
    }

    /// Python's `<`; throws for values that do not order.
    static func less(_ a: Value, _ b: Value, line: Int) throws(TemplateError) -> Bool {
        if let x = number(a), let y = number(b) {
            if case .int(let i) = x, case .int(let j) = y { return i < j }
            return x.double < y.double
        }
        switch (a, b) {
        case (.string(let x), .string(let y)): return PythonStrings.less(x, y)
        case (.list(let x), .list(let y)), (.tuple(let x), .tuple(let y)):
            for (p, q) in zip(x, y) where !equal(p, q) { return try less(p, q, line: line) }
            return x.count < y.count
        default:
            if let error = undefinedError(a, line: line) ?? undefinedError(b, line: line) { throw error }
            throw .runtime("'<' not supported between instances of '\(a.typeName)' and '\(b.typeName)'", line: line)
        }
    }

    /// `a op b`; a membership test's scan is counted by `budget`.
    static func compare(_ op: ComparisonOperator, _ a: Value, _ b: Value, _ budget: SizeBudget, line: Int) throws(TemplateError) -> Bool {
        switch op {
        case .equal: return equal(a, b)
        case .notEqual: return !equal(a, b)
        case .less: return try less(a, b, line: line)
        case .greater: return try less(b, a, line: line)
        case .lessOrEqual: return try !less(b, a, line: line)
        case .greaterOrEqual: return try !less(a, b, line: line)
        case .contains: return try contains(b, a, budget, line: line)
        case .notContains: return try !contains(b, a, budget, line: line)
        }
    }

    /// Python's `element in container`; the scan is counted by `budget`.
    static func contains(_ container: Value, _ element: Value, _ budget: SizeBudget, line: Int) throws(TemplateError) -> Bool {
        switch container {
        case .string(let text):
            guard case .string(let needle) = element else {
                if let error = undefinedError(element, line: line) { throw error }
                throw .runtime("'in <string>' requires string as left operand, not \(element.typeName)", line: line)
            }
            try budget.spend(text.utf8.count, line: line)
            return PythonStrings.contains(text, needle)
        case .list(let items), .tuple(let items):
            try budget.spend(items.count * SizeBudget.elementBytes, line: line)
            return items.contains { equal($0, element) }
        case .dict(let map):
            if case .string(let key) = element { return map[key] != nil }
            return false
        case .namespace, .undefined:
            return false
        default:
            throw .runtime("argument of type '\(container.typeName)' is not iterable", line: line)
        }
    }
}
