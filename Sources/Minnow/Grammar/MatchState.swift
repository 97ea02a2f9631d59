/// Where the byte-level matcher stands: an interned set of grammar stacks, and the bits of a
/// UTF-8 code point whose first bytes were read but not its last.
struct MatchState: Hashable, Sendable {
    /// The id of the set of stacks in the automaton's table.
    var set: Int32
    /// The bits of the incomplete code point read so far.
    var partial: UInt32
    /// The continuation bytes still expected (0: at a code-point boundary).
    var remaining: UInt8
    /// The length in bytes of the incomplete code point's encoding (0 at a boundary).
    var length: UInt8

    /// A state at a code-point boundary.
    init(set: Int32, partial: UInt32 = 0, remaining: UInt8 = 0, length: UInt8 = 0) {
        self.set = set
        self.partial = partial
        self.remaining = remaining
        self.length = length
    }
}
