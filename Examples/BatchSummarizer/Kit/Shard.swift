/// `--shard I/N`: the documents whose position p (from 0, in input order) has p mod N == I.
public struct Shard: Sendable, Equatable {
    /// This shard, from 0 to ``count`` - 1.
    public var index: Int
    /// The number of shards.
    public var count: Int

    /// Every document.
    public static let all = Shard(unchecked: 0, 1)

    private init(unchecked index: Int, _ count: Int) {
        self.index = index
        self.count = count
    }

    /// A shard; nil unless 0 ≤ index < count.
    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 0, index < count else { return nil }
        self.init(unchecked: index, count)
    }

    /// Parses `I/N`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    /// The elements of `items` in this shard.
    public func select<T>(_ items: [T]) -> [T] {
        items.enumerated().filter { $0.offset % count == index }.map(\.element)
    }
}
