/// The `is` tests of jinja2.
enum Tests {
    static let names: Set<String> = [
        "defined", "undefined", "none", "string", "number", "integer", "float", "boolean", "true", "false",
        "mapping", "iterable", "sequence", "callable", "odd", "even", "divisibleby",
        "equalto", "eq", "==", "ne", "!=", "lt", "<", "le", "<=", "gt", ">", "ge", ">=", "in", "sameas",
        "lower", "upper", "escaped", "filter", "test",
    ]
}

extension Renderer {
    func applyTest(_ name: String, _ value: Value, _ arguments: CallArguments, line: Int) throws(TemplateError) -> Bool {
        let argument = arguments.value(0, "value") ?? arguments.value(0, "other") ?? .undefined("argument")
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": if case .none = value { return true } else { return false }
        case "string": if case .string = value { return true } else { return false }
        case "number":
            switch value {
            case .int, .double, .bool: return true
            default: return false
            }
        case "integer": if case .int = value { return true } else { return false }
        case "float": if case .double = value { return true } else { return false }
        case "boolean": if case .bool = value { return true } else { return false }
        case "true": if case .bool(true) = value { return true } else { return false }
        case "false": if case .bool(false) = value { return true } else { return false }
        case "mapping": if case .dict = value { return true } else { return false }
        case "iterable", "sequence":
            switch value {
            case .list, .tuple, .dict, .string, .undefined: return true
            default: return false
            }
        case "callable":
            switch value {
            case .macro, .function, .method: return true
            default: return false
            }
        case "odd", "even", "divisibleby":
            guard case .int(let number) = value else {
                throw .runtime("the '\(name)' test needs an integer, not \(value.typeName)", line: line)
            }
            if name == "odd" { return number % 2 != 0 }
            if name == "even" { return number % 2 == 0 }
            guard case .int(let divisor) = argument, divisor != 0 else {
                throw .runtime("divisibleby needs a non-zero integer", line: line)
            }
            return number % divisor == 0
        case "equalto", "eq", "==": return Operators.equal(value, argument)
        case "ne", "!=": return !Operators.equal(value, argument)
        case "lt", "<": return try Operators.less(value, argument, line: line)
        case "le", "<=": return try !Operators.less(argument, value, line: line)
        case "gt", ">": return try Operators.less(argument, value, line: line)
        case "ge", ">=": return try !Operators.less(value, argument, line: line)
        case "in": return try Operators.contains(argument, value, budget, line: line)
        case "sameas":
            switch (value, argument) {
            case (.none, .none): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.namespace(let a), .namespace(let b)): return a == b
            default: return false
            }
        case "lower", "upper":
            guard case .string(let text) = value else { return false }
            let cased = text.unicodeScalars.filter(PythonStrings.isCased)
            if cased.isEmpty { return false }
            return name == "lower"
                ? cased.allSatisfy { !$0.properties.changesWhenLowercased }
                : cased.allSatisfy { !$0.properties.changesWhenUppercased }
        case "escaped": return false
        case "filter":
            guard case .string(let filter) = value else { return false }
            return Filters.names.contains(filter)
        case "test":
            guard case .string(let test) = value else { return false }
            return Tests.names.contains(test)
        default:
            throw .runtime("no test named '\(name)'", line: line)
        }
    }
}
