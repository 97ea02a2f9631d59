/// A runtime value of the template language, modelled on the Python objects jinja2 sees.
enum Value: Sendable {
    /// An undefined variable or missing attribute; carries a hint for error messages.
    case undefined(String)
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([Value])
    case tuple([Value])
    case dict(OrderedMap<Value>)
    /// A `namespace()` object: an index into the renderer's namespace storage.
    case namespace(Int)
    case macro(Macro)
    /// A global function such as `range` or `raise_exception`.
    case function(String)
    /// A method bound to its receiver, such as `'a,b'.split`.
    indirect case method(Value, String)
    /// The `loop` variable of a `for` loop.
    indirect case loop(LoopState)

    /// Python's truth value.
    var isTruthy: Bool {
        switch self {
        case .undefined, .none: return false
        case .bool(let value): return value
        case .int(let value): return value != 0
        case .double(let value): return value != 0
        case .string(let value): return !value.isEmpty
        case .list(let items), .tuple(let items): return !items.isEmpty
        case .dict(let map): return !map.isEmpty
        case .namespace, .macro, .function, .method, .loop: return true
        }
    }

    var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// The Python type name, for error messages.
    var typeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .namespace: return "Namespace"
        case .macro: return "Macro"
        case .function, .method: return "builtin_function_or_method"
        case .loop: return "LoopContext"
        }
    }

    init(_ value: TemplateValue) {
        switch value {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let items): self = .list(items.map(Value.init))
        case .object(let map): self = .dict(OrderedMap(map.entries.map { ($0.key, Value($0.value)) }))
        }
    }
}

/// Where a `for` loop is: what `loop.index`, `loop.last`, `loop.previtem` and friends report.
struct LoopState: Sendable {
    var index0: Int
    var length: Int
    var previous: Value?
    var next: Value?

    /// The value of `loop.<name>`.
    func attribute(_ name: String) -> Value {
        switch name {
        case "index": return .int(index0 + 1)
        case "index0": return .int(index0)
        case "revindex": return .int(length - index0)
        case "revindex0": return .int(length - index0 - 1)
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == length - 1)
        case "length": return .int(length)
        case "depth": return .int(1)
        case "depth0": return .int(0)
        case "previtem": return previous ?? .undefined("there is no previous item")
        case "nextitem": return next ?? .undefined("there is no next item")
        case "cycle": return .method(.loop(self), "cycle")
        default: return .undefined("'LoopContext object' has no attribute '\(name)'")
        }
    }
}
