/// The stack-based (pushdown) matching of a ``GrammarProgram`` over code points.
///
/// A stack lists positions in the program's elements, the innermost last; its top is always a
/// character element (rule references are expanded as soon as they surface). The matcher's
/// state is the set of every stack still alive, one per way of reading the input so far; an
/// empty stack means the input so far is a complete match.
struct GrammarStacks {
    let program: GrammarProgram

    /// The stacks before any input.
    func initial() -> [[Int32]] {
        var result = Set<[Int32]>()
        for start in program.alternatives[Int(program.root)] {
            expand(program.elements[Int(start)] == .end ? [] : [start], into: &result)
        }
        return result.sorted(by: Self.precedes)
    }

    /// The stacks after reading `codePoint`; empty when no stack accepts it.
    func advance(_ stacks: [[Int32]], over codePoint: UInt32) -> [[Int32]] {
        var result = Set<[Int32]>()
        for stack in stacks {
            guard let top = stack.last, case .characters(let id) = program.elements[Int(top)],
                  program.classes[Int(id)].contains(codePoint) else { continue }
            var next = stack
            next.removeLast()
            if program.elements[Int(top) + 1] != .end { next.append(top + 1) }
            expand(next, into: &result)
        }
        return result.sorted(by: Self.precedes)
    }

    /// Expands rule references at the top of `stack` until every resulting stack is empty or
    /// has a character element on top.
    private func expand(_ stack: [Int32], into result: inout Set<[Int32]>) {
        guard let top = stack.last else {
            result.insert(stack)
            return
        }
        switch program.elements[Int(top)] {
        case .characters, .end:
            result.insert(stack)
        case .rule(let id):
            var base = stack
            base.removeLast()
            if program.elements[Int(top) + 1] != .end { base.append(top + 1) }
            for start in program.alternatives[Int(id)] {
                var next = base
                if program.elements[Int(start)] != .end { next.append(start) }
                expand(next, into: &result)
            }
        }
    }

    /// A total order on stacks, so that equal sets have equal arrays.
    private static func precedes(_ a: [Int32], _ b: [Int32]) -> Bool {
        if a.count != b.count { return a.count < b.count }
        for index in a.indices where a[index] != b[index] { return a[index] < b[index] }
        return false
    }
}
