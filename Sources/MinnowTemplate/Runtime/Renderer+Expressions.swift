/// Evaluated arguments of a call, filter or test.
struct CallArguments {
    var positional: [Value] = []
    var keyword: [(String, Value)] = []

    /// The argument at `index`, or the keyword argument `name`.
    func value(_ index: Int, _ name: String) -> Value? {
        if index < positional.count { return positional[index] }
        return keyword.first { $0.0 == name }?.1
    }

    /// The argument, with undefined and missing treated alike.
    func defined(_ index: Int, _ name: String) -> Value? {
        guard let value = value(index, name), !value.isUndefined else { return nil }
        return value
    }
}

extension Renderer {
    func evaluate(_ arguments: Arguments) throws(TemplateError) -> CallArguments {
        var result = CallArguments()
        for expression in arguments.positional { result.positional.append(try evaluate(expression)) }
        for argument in arguments.keyword { result.keyword.append((argument.name, try evaluate(argument.value))) }
        return result
    }

    func evaluate(_ expression: Expression) throws(TemplateError) -> Value {
        let line = expression.line
        switch expression.kind {
        case .literal(let value):
            return value
        case .name(let name):
            return lookup(name)
        case .list(let items):
            var values: [Value] = []
            for item in items { values.append(try evaluate(item)) }
            try budget.admit(list: values, "list", line: line)
            return .list(values)
        case .tuple(let items):
            var values: [Value] = []
            for item in items { values.append(try evaluate(item)) }
            try budget.admit(list: values, "tuple", line: line)
            return .tuple(values)
        case .dict(let entries):
            var map = OrderedMap<Value>()
            for entry in entries {
                let key = try evaluate(entry.key)
                switch key {
                case .string(let text): map[text] = try evaluate(entry.value)
                case .int, .bool, .double, .none: map[PythonFormat.key(key)] = try evaluate(entry.value)
                default: throw .runtime("unhashable type: '\(key.typeName)'", line: line)
                }
            }
            try budget.admit(map: map, "dict", line: line)
            return .dict(map)
        case .attribute(let object, let name):
            return try attribute(of: try evaluate(object), name, line: line)
        case .item(let object, let key):
            return try item(of: try evaluate(object), try evaluate(key), line: line)
        case .slice(let object, let start, let stop, let step):
            let value = try evaluate(object)
            let bounds = try [start, stop, step].map { (part: Expression?) throws(TemplateError) -> Int? in
                guard let part else { return nil }
                switch try evaluate(part) {
                case .int(let number): return number
                case .bool(let flag): return flag ? 1 : 0
                case .none, .undefined: return nil
                case let other: throw .runtime("slice indices must be integers or None, not \(other.typeName)", line: line)
                }
            }
            return try slice(value, bounds[0], bounds[1], bounds[2], line: line)
        case .call(let callee, let arguments):
            let function = try evaluate(callee)
            return try call(function, try evaluate(arguments), line: line)
        case .filter(let value, let name, let arguments):
            return try applyFilter(name, try evaluate(value), try evaluate(arguments), line: line)
        case .test(let value, let name, let arguments, let negated):
            let result = try applyTest(name, try evaluate(value), try evaluate(arguments), line: line)
            return .bool(result != negated)
        case .not(let operand):
            return .bool(!(try evaluate(operand).isTruthy))
        case .negate(let operand):
            switch try evaluate(operand) {
            case .int(let number):
                guard number != Int.min else { throw .runtime("integer overflow", line: line) }
                return .int(-number)
            case .bool(let flag): return .int(flag ? -1 : 0)
            case .double(let number): return .double(-number)
            case let other:
                if let error = Operators.undefinedError(other, line: line) { throw error }
                throw .runtime("bad operand type for unary -: '\(other.typeName)'", line: line)
            }
        case .plus(let operand):
            switch try evaluate(operand) {
            case .int(let number): return .int(number)
            case .bool(let flag): return .int(flag ? 1 : 0)
            case .double(let number): return .double(number)
            case let other:
                if let error = Operators.undefinedError(other, line: line) { throw error }
                throw .runtime("bad operand type for unary +: '\(other.typeName)'", line: line)
            }
        case .binary(let op, let left, let right):
            return try Operators.binary(op, try evaluate(left), try evaluate(right), budget, line: line)
        case .and(let left, let right):
            let value = try evaluate(left)
            return value.isTruthy ? try evaluate(right) : value
        case .or(let left, let right):
            let value = try evaluate(left)
            return value.isTruthy ? value : try evaluate(right)
        case .compare(let first, let chain):
            var left = try evaluate(first)
            for link in chain {
                let right = try evaluate(link.operand)
                guard try Operators.compare(link.op, left, right, budget, line: line) else { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .conditional(let condition, let then, let otherwise):
            if try evaluate(condition).isTruthy { return try evaluate(then) }
            guard let otherwise else {
                return .undefined("the inline if-expression evaluated to false and no else section was defined")
            }
            return try evaluate(otherwise)
        }
    }

    /// `object.name`: a method for strings, lists and dicts; otherwise a key or namespace attribute.
    func attribute(of object: Value, _ name: String, line: Int) throws(TemplateError) -> Value {
        switch object {
        case .undefined(let hint):
            throw .runtime(Operators.undefinedMessage(hint), line: line)
        case .dict(let map):
            if Functions.dictMethods.contains(name) { return .method(object, name) }
            if Functions.unsafeMethods.contains(name) { throw Functions.unsafe(name, object, line: line) }
            return map[name] ?? .undefined("'dict object' has no attribute '\(name)'")
        case .namespace(let id):
            return namespaces[id][name] ?? .undefined("'Namespace object' has no attribute '\(name)'")
        case .loop(let state):
            return state.attribute(name)
        case .string:
            if Functions.stringMethods.contains(name) { return .method(object, name) }
        case .list, .tuple:
            if Functions.listMethods.contains(name) { return .method(object, name) }
            if Functions.unsafeMethods.contains(name) { throw Functions.unsafe(name, object, line: line) }
        default:
            break
        }
        return .undefined("'\(object.typeName) object' has no attribute '\(name)'")
    }

    /// `object[key]`: missing keys and out-of-range indexes give undefined, as in jinja2.
    func item(of object: Value, _ key: Value, line: Int) throws(TemplateError) -> Value {
        switch (object, key) {
        case (.undefined(let hint), _):
            throw .runtime(Operators.undefinedMessage(hint), line: line)
        case (.dict(let map), .string(let name)):
            return map[name] ?? .undefined("'dict object' has no attribute '\(name)'")
        case (.dict(let map), .int), (.dict(let map), .bool):
            return map[PythonFormat.key(key)] ?? .undefined("'dict object' has no attribute \(PythonFormat.key(key))")
        case (.list(let items), _), (.tuple(let items), _):
            guard let index = Self.index(key, count: items.count) else {
                if case .string(let name) = key { return try attribute(of: object, name, line: line) }
                return .undefined("'\(object.typeName) object' has no attribute \(PythonFormat.preview(key))")
            }
            return items[index]
        case (.string(let text), _):
            try budget.spend(text.utf8.count, line: line)
            let scalars = Array(text.unicodeScalars)
            guard let index = Self.index(key, count: scalars.count) else {
                if case .string(let name) = key { return try attribute(of: object, name, line: line) }
                return .undefined("'str object' has no attribute \(PythonFormat.preview(key))")
            }
            return .string(String(scalars[index]))
        case (.namespace, .string(let name)):
            return try attribute(of: object, name, line: line)
        default:
            return .undefined("'\(object.typeName) object' has no attribute \(PythonFormat.preview(key))")
        }
    }

    private static func index(_ key: Value, count: Int) -> Int? {
        let raw: Int
        switch key {
        case .int(let number): raw = number
        case .bool(let flag): raw = flag ? 1 : 0
        default: return nil
        }
        let index = raw < 0 ? raw + count : raw
        return index >= 0 && index < count ? index : nil
    }

    /// Python slicing `[start:stop:step]`.
    func slice(_ value: Value, _ start: Int?, _ stop: Int?, _ step: Int?, line: Int) throws(TemplateError) -> Value {
        func indices(_ count: Int) throws(TemplateError) -> [Int] {
            let step = step ?? 1
            if step == 0 { throw .runtime("slice step cannot be zero", line: line) }
            func clamp(_ bound: Int?, _ fallback: Int, low: Int, high: Int) -> Int {
                guard var bound else { return fallback }
                if bound < 0 { bound += count }
                return Swift.min(Swift.max(bound, low), high)
            }
            if step > 0 {
                let from = clamp(start, 0, low: 0, high: count)
                let to = clamp(stop, count, low: 0, high: count)
                return from < to ? Array(stride(from: from, to: to, by: step)) : []
            }
            let from = clamp(start, count - 1, low: -1, high: count - 1)
            let to = clamp(stop, -1, low: -1, high: count - 1)
            return from > to ? Array(stride(from: from, to: to, by: step)) : []
        }
        switch value {
        case .list(let items): return .list(try indices(items.count).map { items[$0] })
        case .tuple(let items): return .tuple(try indices(items.count).map { items[$0] })
        case .string(let text):
            try budget.spend(text.utf8.count, line: line)
            let scalars = Array(text.unicodeScalars)
            var view = String.UnicodeScalarView()
            for index in try indices(scalars.count) { view.append(scalars[index]) }
            return .string(String(view))
        case .undefined(let hint):
            throw .runtime(Operators.undefinedMessage(hint), line: line)
        default:
            throw .runtime("'\(value.typeName)' object is not subscriptable", line: line)
        }
    }

    /// Calls a macro, a global function or a bound method.
    func call(_ function: Value, _ arguments: CallArguments, line: Int) throws(TemplateError) -> Value {
        switch function {
        case .macro(let macro):
            return try call(macro, arguments, line: line)
        case .function(let name):
            return try callFunction(name, arguments, line: line)
        case .method(let receiver, let name):
            return try callMethod(name, on: receiver, arguments, line: line)
        case .undefined(let hint):
            throw .runtime(Operators.undefinedMessage(hint), line: line)
        default:
            throw .runtime("'\(function.typeName)' object is not callable", line: line)
        }
    }
}
