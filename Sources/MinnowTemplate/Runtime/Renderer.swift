import Foundation

/// Executes a parsed template against a context. One renderer serves one render call.
final class Renderer {
    /// Variable scopes, innermost last. The first holds the globals and top-level variables.
    var frames: [[String: Value]]
    /// Storage of `namespace()` objects (values refer to them by index).
    var namespaces: [OrderedMap<Value>] = []
    var output = ""
    /// The most bytes `output` may hold: the output limit, or the value limit while a block
    /// is captured into a value.
    private var outputLimit: Int
    /// What `output` is, for the error: the output, or a block captured into a value.
    private var outputName = "output"
    private var steps = 0
    var callDepth = 0
    /// The clock for `strftime_now`.
    let now: Date

    /// The safety limits of this render.
    let limits: RenderLimits
    /// The bytes this render may still build.
    let budget: SizeBudget
    /// Largest list `range()` may build (jinja2's sandbox limit).
    static let maximumRange = 100_000

    /// Control flow out of a statement list.
    enum Flow {
        case normal, breakLoop, continueLoop
    }

    init(context: [String: Value], now: Date, limits: RenderLimits) {
        var globals: [String: Value] = [:]
        for name in Functions.globalNames { globals[name] = .function(name) }
        for (key, value) in context { globals[key] = value }
        frames = [globals]
        self.now = now
        self.limits = limits
        outputLimit = limits.maximumOutputBytes
        budget = SizeBudget(valueLimit: limits.maximumValueBytes, totalLimit: limits.maximumBuiltBytes)
    }

    func step(line: Int) throws(TemplateError) {
        steps += 1
        if steps > limits.maximumSteps {
            throw TemplateError(.limitExceeded, "more than \(limits.maximumSteps) loop iterations and macro calls", line: line)
        }
    }

    /// Appends `text` to the output, refusing it before it is appended if the output would
    /// pass its limit.
    func emit(_ text: String, line: Int) throws(TemplateError) {
        let (size, overflow) = output.utf8.count.addingReportingOverflow(text.utf8.count)
        if overflow || size > outputLimit {
            throw TemplateError(.limitExceeded, "\(outputName) larger than \(outputLimit) bytes", line: line)
        }
        try budget.admit(text.utf8.count, "output", line: line)
        output += text
    }

    /// Writes `value` as `{{ value }}` does.
    private func emit(_ value: Value, line: Int) throws(TemplateError) {
        if case .string(let text) = value { return try emit(text, line: line) }
        try emit(try PythonFormat.str(value, budget, line: line), line: line)
    }


    func lookup(_ name: String) -> Value {
        for frame in frames.reversed() {
            if let value = frame[name] { return value }
        }
        return .undefined(name)
    }

    func assign(_ name: String, _ value: Value) {
        frames[frames.count - 1][name] = value
    }

    /// Renders `body` into a fresh buffer and returns it; the buffer is a value, so it may hold
    /// no more than the value limit.
    func capture(_ body: [Statement]) throws(TemplateError) -> String {
        let saved = output
        let (savedLimit, savedName) = (outputLimit, outputName)
        output = ""
        outputLimit = Swift.min(outputLimit, budget.valueLimit)
        outputName = "captured block"
        defer {
            output = saved
            (outputLimit, outputName) = (savedLimit, savedName)
        }
        _ = try execute(body)
        return output
    }

    func execute(_ body: [Statement]) throws(TemplateError) -> Flow {
        for statement in body {
            let flow = try execute(statement)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private func execute(_ statement: Statement) throws(TemplateError) -> Flow {
        switch statement {
        case .text(let text):
            try emit(text, line: 0)
        case .output(let expression):
            try emit(try evaluate(expression), line: expression.line)
        case .conditional(let branches, let otherwise):
            for branch in branches where try evaluate(branch.condition).isTruthy {
                return try execute(branch.body)
            }
            return try execute(otherwise)
        case .forLoop(let loop):
            return try run(loop)
        case .set(let target, let expression):
            let value = try evaluate(expression)
            try assign(target, value, line: expression.line)
        case .setBlock(let name, let filters, let body):
            var value = Value.string(try capture(body))
            for filter in filters {
                value = try applyFilter(filter.name, value, try evaluate(filter.arguments), line: filter.line)
            }
            assign(name, value)
        case .macro(let macro):
            assign(macro.name, .macro(macro))
        case .filterBlock(let filters, let body):
            var value = Value.string(try capture(body))
            for filter in filters {
                value = try applyFilter(filter.name, value, try evaluate(filter.arguments), line: filter.line)
            }
            try emit(value, line: filters.first?.line ?? 0)
        case .with(let bindings, let body):
            var frame: [String: Value] = [:]
            for (name, expression) in bindings { frame[name] = try evaluate(expression) }
            frames.append(frame)
            let flow = try execute(body)
            frames.removeLast()
            return flow
        case .breakLoop:
            return .breakLoop
        case .continueLoop:
            return .continueLoop
        case .group(let body):
            return try execute(body)
        }
        return .normal
    }

    private func assign(_ target: AssignmentTarget, _ value: Value, line: Int) throws(TemplateError) {
        switch target {
        case .name(let name):
            assign(name, value)
        case .names(let names):
            let values = try unpack(value, count: names.count, line: line)
            for (name, item) in zip(names, values) { assign(name, item) }
        case .attribute(let object, let attribute):
            guard case .namespace(let id) = lookup(object) else {
                throw .runtime("cannot assign attribute on non-namespace object '\(object)'", line: line)
            }
            namespaces[id][attribute] = value
        }
    }

    func unpack(_ value: Value, count: Int, line: Int) throws(TemplateError) -> [Value] {
        let items: [Value]
        switch value {
        case .list(let list), .tuple(let list): items = list
        case .string(let text) where text.unicodeScalars.count == count: items = text.unicodeScalars.map { .string(String($0)) }
        case .string(let text): items = Array(repeating: .none, count: Swift.min(text.unicodeScalars.count, count + 1))
        default: throw .runtime("cannot unpack non-iterable \(value.typeName) object", line: line)
        }
        guard items.count == count else {
            throw .runtime(items.count > count
                ? "too many values to unpack (expected \(count))"
                : "not enough values to unpack (expected \(count), got \(items.count))", line: line)
        }
        return items
    }

    /// The items a `for` loop (or a filter) walks over.
    func iterate(_ value: Value, line: Int) throws(TemplateError) -> [Value] {
        switch value {
        case .list(let items), .tuple(let items): return items
        case .dict(let map): return map.keys.map { .string($0) }
        case .string(let text):
            try budget.admit(text.unicodeScalars.count, of: SizeBudget.elementBytes + 4, "list of characters", line: line)
            return text.unicodeScalars.map { .string(String($0)) }
        case .undefined: return []
        default: throw .runtime("'\(value.typeName)' object is not iterable", line: line)
        }
    }

    private func bind(_ targets: [String], _ item: Value, into frame: inout [String: Value], line: Int) throws(TemplateError) {
        if targets.count == 1 {
            frame[targets[0]] = item
        } else {
            for (name, value) in zip(targets, try unpack(item, count: targets.count, line: line)) { frame[name] = value }
        }
    }

    private func run(_ loop: ForLoop) throws(TemplateError) -> Flow {
        var items = try iterate(try evaluate(loop.iterable), line: loop.line)
        if let filter = loop.filter {
            var kept: [Value] = []
            for item in items {
                try step(line: loop.line)
                var frame: [String: Value] = [:]
                try bind(loop.targets, item, into: &frame, line: loop.line)
                frames.append(frame)
                let keep = try evaluate(filter).isTruthy
                frames.removeLast()
                if keep { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty { return try execute(loop.otherwise) }
        let count = items.count
        for (index, item) in items.enumerated() {
            try step(line: loop.line)
            var frame: [String: Value] = [:]
            try bind(loop.targets, item, into: &frame, line: loop.line)
            frame["loop"] = .loop(LoopState(
                index0: index, length: count,
                previous: index > 0 ? items[index - 1] : nil,
                next: index + 1 < count ? items[index + 1] : nil))
            frames.append(frame)
            let flow = try execute(loop.body)
            frames.removeLast()
            if flow == .breakLoop { break }
        }
        return .normal
    }

    /// Calls a macro with evaluated arguments; returns its rendered body.
    func call(_ macro: Macro, _ arguments: CallArguments, line: Int) throws(TemplateError) -> Value {
        guard callDepth < limits.maximumCallDepth else {
            throw TemplateError(.limitExceeded, "macro recursion deeper than \(limits.maximumCallDepth)", line: line)
        }
        try step(line: line)
        guard arguments.positional.count <= macro.parameters.count else {
            throw .runtime("macro '\(macro.name)' takes not more than \(macro.parameters.count) argument(s)", line: line)
        }
        var frame: [String: Value] = [macro.name: .macro(macro)]
        for (parameter, value) in zip(macro.parameters, arguments.positional) { frame[parameter.name] = value }
        for (name, value) in arguments.keyword {
            guard macro.parameters.contains(where: { $0.name == name }) else {
                throw .runtime("macro '\(macro.name)' was invoked with an unknown keyword argument '\(name)'", line: line)
            }
            frame[name] = value
        }
        let savedFrames = frames
        frames = [frames[0], frame]
        callDepth += 1
        defer {
            callDepth -= 1
            frames = savedFrames
        }
        for parameter in macro.parameters where frames[1][parameter.name] == nil {
            frames[1][parameter.name] = try parameter.defaultValue.map { (expression) throws(TemplateError) in
                try evaluate(expression)
            } ?? .undefined(parameter.name)
        }
        return .string(try capture(macro.body))
    }
}
