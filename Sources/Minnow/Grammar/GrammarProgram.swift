/// A compiled grammar: every rule's alternatives as runs of elements in one flat array, the
/// form the stack-based matcher walks.
///
/// Groups and repetitions become rules of their own (`x*` is `r ::= x r | ε`, `x{2,4}` is
/// `x x (x (x)?)?`), so an element is only ever a character class or a rule reference.
struct GrammarProgram: Sendable {
    /// One element of an alternative.
    enum Element: Equatable, Sendable {
        /// The end of an alternative.
        case end
        /// A reference to rule `id`.
        case rule(Int32)
        /// A character of class `classes[id]`.
        case characters(Int32)
    }

    /// All alternatives' elements; each alternative ends with `.end`.
    private(set) var elements: [Element] = []
    /// The character classes the elements refer to.
    private(set) var classes: [CharacterClass] = []
    /// Per rule, the index in ``elements`` where each alternative starts.
    private(set) var alternatives: [[Int32]] = []
    /// Per rule, its name (made-up rules are named after the rule they come from).
    private(set) var names: [String] = []
    /// The `root` rule.
    private(set) var root: Int32 = 0

    private var classIDs: [CharacterClass: Int32] = [:]

    /// Compiles parsed rules; fails on an undefined or duplicate rule, a missing root, or left
    /// recursion.
    init(_ syntax: GrammarSyntax) throws {
        var ids: [String: Int32] = [:]
        for rule in syntax.rules {
            guard ids[rule.name] == nil else { throw GrammarError.duplicateRule(name: rule.name, line: rule.line) }
            ids[rule.name] = Int32(names.count)
            names.append(rule.name)
            alternatives.append([])
        }
        guard let root = ids["root"] else { throw GrammarError.missingRoot }
        self.root = root
        for (index, rule) in syntax.rules.enumerated() {
            alternatives[index] = try emit(rule.alternatives, owner: rule.name, ids: ids)
        }
        try checkLeftRecursion()
    }

    // MARK: - Emission

    /// Emits alternatives and returns their start indices.
    private mutating func emit(_ sequences: [[GrammarSyntax.Term]], owner: String, ids: [String: Int32]) throws -> [Int32] {
        var starts: [Int32] = []
        for sequence in sequences {
            // Terms that need rules of their own are made first, so that this alternative's
            // elements stay contiguous.
            var pieces: [Element] = []
            for term in sequence { pieces += try lower(term, owner: owner, ids: ids) }
            starts.append(Int32(elements.count))
            elements += pieces
            elements.append(.end)
        }
        return starts
    }

    /// The elements of one term, making rules for groups and repetitions.
    private mutating func lower(_ term: GrammarSyntax.Term, owner: String, ids: [String: Int32]) throws -> [Element] {
        switch term {
        case .literal(let codePoints):
            return codePoints.map { .characters(classID(CharacterClass(ranges: [$0...$0], negated: false))) }
        case .characters(let characterClass):
            return [.characters(classID(characterClass))]
        case .reference(let name, let line, let column):
            guard let id = ids[name] else { throw GrammarError.undefinedRule(name: name, line: line, column: column) }
            return [.rule(id)]
        case .group(let sequences):
            let id = newRule(owner)
            alternatives[Int(id)] = try emit(sequences, owner: owner, ids: ids)
            return [.rule(id)]
        case .repetition(let inner, let minimum, let maximum):
            // The repeated unit as one element.
            let unit = try lower(inner, owner: owner, ids: ids)
            let item: Element
            if unit.count == 1 {
                item = unit[0]
            } else {
                let id = newRule(owner)
                alternatives[Int(id)] = [append(unit)]
                item = .rule(id)
            }
            var result = Array(repeating: item, count: minimum)
            if let maximum {
                // (x (x (x)?)?)?: nested optionals for the counts above the minimum.
                var tail: Element?
                for _ in minimum..<maximum {
                    let id = newRule(owner)
                    let withItem = append([item] + (tail.map { [$0] } ?? []))
                    let empty = append([])
                    alternatives[Int(id)] = [withItem, empty]
                    tail = .rule(id)
                }
                if let tail { result.append(tail) }
            } else {
                // r ::= x r | ε
                let id = newRule(owner)
                let loop = append([item, .rule(id)])
                let empty = append([])
                alternatives[Int(id)] = [loop, empty]
                result.append(.rule(id))
            }
            return result
        }
    }

    private mutating func newRule(_ owner: String) -> Int32 {
        let id = Int32(names.count)
        names.append("\(owner)-\(names.count)")
        alternatives.append([])
        return id
    }

    /// Appends one alternative and returns its start.
    private mutating func append(_ pieces: [Element]) -> Int32 {
        let start = Int32(elements.count)
        elements += pieces
        elements.append(.end)
        return start
    }

    private mutating func classID(_ characterClass: CharacterClass) -> Int32 {
        if let id = classIDs[characterClass] { return id }
        let id = Int32(classes.count)
        classes.append(characterClass)
        classIDs[characterClass] = id
        return id
    }

    // MARK: - Checks

    /// Whether each rule can match the empty string.
    private func nullableRules() -> [Bool] {
        var nullable = Array(repeating: false, count: names.count)
        var changed = true
        while changed {
            changed = false
            for rule in names.indices where !nullable[rule] {
                for start in alternatives[rule] where isNullable(from: Int(start), nullable) {
                    nullable[rule] = true
                    changed = true
                    break
                }
            }
        }
        return nullable
    }

    private func isNullable(from start: Int, _ nullable: [Bool]) -> Bool {
        var index = start
        while true {
            switch elements[index] {
            case .end: return true
            case .characters: return false
            case .rule(let id): if !nullable[Int(id)] { return false }
            }
            index += 1
        }
    }

    /// Fails when a rule can reach itself before consuming a character.
    private func checkLeftRecursion() throws {
        let nullable = nullableRules()
        // The rules each rule may expand first (before any character).
        var edges = Array(repeating: [Int32](), count: names.count)
        for rule in names.indices {
            for start in alternatives[rule] {
                var index = Int(start)
                scan: while true {
                    switch elements[index] {
                    case .end, .characters: break scan
                    case .rule(let id):
                        edges[rule].append(id)
                        if !nullable[Int(id)] { break scan }
                    }
                    index += 1
                }
            }
        }
        // Depth-first search for a cycle (0 new, 1 on the path, 2 done).
        var mark = Array(repeating: UInt8(0), count: names.count)
        for start in names.indices where mark[start] == 0 {
            var path: [(rule: Int, next: Int)] = [(start, 0)]
            mark[start] = 1
            while let top = path.last {
                if top.next < edges[top.rule].count {
                    path[path.count - 1].next += 1
                    let target = Int(edges[top.rule][top.next])
                    if mark[target] == 1 {
                        throw GrammarError.leftRecursion(rule: userName(target))
                    }
                    if mark[target] == 0 {
                        mark[target] = 1
                        path.append((target, 0))
                    }
                } else {
                    mark[top.rule] = 2
                    path.removeLast()
                }
            }
        }
    }

    /// The user's name of a rule (made-up rules carry their owner's name before the dash).
    private func userName(_ rule: Int) -> String {
        let name = names[rule]
        guard rule >= 0, let dash = name.lastIndex(of: "-"), Int(name[name.index(after: dash)...]) == rule else {
            return name
        }
        return String(name[..<dash])
    }
}
