/// The bytes one render may build, so that a hostile template cannot exhaust memory by growth
/// (doubling a string or list by concatenation, joining or formatting it with itself, and so on).
///
/// Two bounds apply, both checked *before* a value is built:
/// - every string or list a render builds holds at most `valueLimit` bytes;
/// - all the strings and lists one render builds, together, hold at most `totalLimit` bytes,
///   which also bounds the time that building them can take.
///
/// A string counts its UTF-8 bytes; a list, tuple or dict counts `elementBytes` per item (and
/// per key, and a dict two entries more for its storage) plus what its items hold, counting an
/// item as often as it appears, so that a list that refers to itself many times weighs what
/// printing it would weigh.
final class SizeBudget {
    /// The most bytes one value may hold.
    let valueLimit: Int
    /// The most bytes all the values of one render may hold together.
    let totalLimit: Int
    /// Bytes built so far in this render.
    private(set) var spent = 0

    /// What one list item or dict entry costs besides its contents.
    static let elementBytes = MemoryLayout<Value>.stride

    init(valueLimit: Int, totalLimit: Int) {
        self.valueLimit = valueLimit
        self.totalLimit = totalLimit
    }

    /// The most items a list may hold (if they held nothing themselves).
    var maximumItems: Int { valueLimit / Self.elementBytes }

    /// The error for a `what` that would hold more than the limits allow.
    func refusal(_ what: String, line: Int) -> TemplateError {
        TemplateError(.limitExceeded, "\(what) larger than \(valueLimit) bytes", line: line)
    }

    /// Throws unless a value of `current + added` bytes (`added` not yet spent) fits both limits.
    func ensure(_ current: Int, plus added: Int, _ what: String, line: Int) throws(TemplateError) {
        let (size, overflow) = current.addingReportingOverflow(added)
        guard !overflow, size <= valueLimit else { throw refusal(what, line: line) }
        guard spent <= totalLimit - size else {
            throw TemplateError(.limitExceeded, "the template built and scanned more than \(totalLimit) bytes in all", line: line)
        }
    }

    /// Counts `bytes` of work that builds nothing (a scan of a string, a search of a list, an
    /// insertion's shift) against the total, so that repeating it cannot take unbounded time.
    func spend(_ bytes: Int, line: Int) throws(TemplateError) {
        guard bytes <= totalLimit - spent else {
            throw TemplateError(.limitExceeded, "the template built and scanned more than \(totalLimit) bytes in all", line: line)
        }
        spent += bytes
    }

    /// Admits a value of `bytes`: throws unless it fits, then counts it as built.
    func admit(_ bytes: Int, _ what: String, line: Int) throws(TemplateError) {
        try ensure(0, plus: bytes, what, line: line)
        spent += bytes
    }

    /// Admits the concatenation of two parts of `first` and `second` bytes.
    func admit(_ first: Int, plus second: Int, _ what: String, line: Int) throws(TemplateError) {
        try ensure(first, plus: second, what, line: line)
        spent += first + second
    }

    /// Admits the concatenation of two lists.
    func admit(lists first: [Value], _ second: [Value], _ what: String, line: Int) throws(TemplateError) {
        try admit(try footprint(of: first, what, line: line), plus: try footprint(of: second, what, line: line), what, line: line)
    }

    /// Admits `count` parts of `partBytes` each (for example `times` repetitions of a string).
    func admit(_ count: Int, of partBytes: Int, _ what: String, line: Int) throws(TemplateError) {
        let (size, overflow) = count.multipliedReportingOverflow(by: partBytes)
        guard !overflow else { throw refusal(what, line: line) }
        try admit(size, what, line: line)
    }

    /// Admits a list (or tuple) of `items`.
    func admit(list items: [Value], _ what: String, line: Int) throws(TemplateError) {
        try admit(try footprint(of: items, what, line: line), what, line: line)
    }

    /// Admits a dict of `map`.
    func admit(map: OrderedMap<Value>, _ what: String, line: Int) throws(TemplateError) {
        try admit(try footprint(of: .dict(map), what, line: line), what, line: line)
    }

    /// The bytes `value` holds; throws as soon as the count passes `valueLimit`, so that the
    /// walk over a value that refers to the same list many times stays short.
    func footprint(of value: Value, _ what: String, line: Int) throws(TemplateError) -> Int {
        var remaining = valueLimit
        try measure(value, &remaining, what, line: line)
        return valueLimit - remaining
    }

    /// The bytes a list of `items` holds; see ``footprint(of:_:line:)``.
    func footprint(of items: [Value], _ what: String, line: Int) throws(TemplateError) -> Int {
        var remaining = valueLimit
        try take(items.count, of: Self.elementBytes, &remaining, what, line: line)
        for item in items { try measure(item, &remaining, what, line: line) }
        return valueLimit - remaining
    }

    private func take(_ count: Int, of bytes: Int, _ remaining: inout Int, _ what: String, line: Int) throws(TemplateError) {
        let (size, overflow) = count.multipliedReportingOverflow(by: bytes)
        guard !overflow, size <= remaining else { throw refusal(what, line: line) }
        remaining -= size
    }

    private func measure(_ value: Value, _ remaining: inout Int, _ what: String, line: Int) throws(TemplateError) {
        switch value {
        case .string(let text):
            try take(text.utf8.count, of: 1, &remaining, what, line: line)
        case .list(let items), .tuple(let items):
            try take(items.count, of: Self.elementBytes, &remaining, what, line: line)
            for item in items { try measure(item, &remaining, what, line: line) }
        case .dict(let map):
            // A dict (or namespace) also costs its own storage, even empty: namespaces made in a
            // loop are kept until the render ends.
            try take(map.count + 2, of: 2 * Self.elementBytes, &remaining, what, line: line)
            for (key, item) in map.entries {
                try take(key.utf8.count, of: 1, &remaining, what, line: line)
                try measure(item, &remaining, what, line: line)
            }
        case .method(let receiver, _):
            try measure(receiver, &remaining, what, line: line)
        case .loop(let state):
            if let previous = state.previous { try measure(previous, &remaining, what, line: line) }
            if let next = state.next { try measure(next, &remaining, what, line: line) }
        case .undefined, .none, .bool, .int, .double, .namespace, .macro, .function:
            break
        }
    }
}
