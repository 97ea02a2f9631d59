/// Splits a long text into pieces of at most a given number of characters, preferring
/// paragraph breaks, then line breaks, then sentence ends, then spaces.
public enum TextChunker {
    /// The pieces of `text`, each at most `limit` characters (at least 1), in order; joined
    /// they give back `text`. Linear in the length of `text`: each step looks only at the next
    /// `limit` characters (never counts the whole rest, which made a long text quadratic).
    public static func split(_ text: String, limit: Int) -> [String] {
        let limit = max(1, limit)
        var pieces: [String] = []
        var rest = Substring(text)
        while let windowEnd = rest.index(rest.startIndex, offsetBy: limit, limitedBy: rest.endIndex), windowEnd < rest.endIndex {
            let window = rest[rest.startIndex..<windowEnd]
            let cut = bestCut(in: window) ?? window.endIndex
            pieces.append(String(rest[rest.startIndex..<cut]))
            rest = rest[cut...]
        }
        if !rest.isEmpty { pieces.append(String(rest)) }
        return pieces
    }

    /// The end of the last paragraph, line, sentence or word in the second half of `window`.
    private static func bestCut(in window: Substring) -> Substring.Index? {
        let half = window.index(window.startIndex, offsetBy: window.count / 2)
        let tail = window[half...]
        for separator in ["\n\n", "\n", ". ", "? ", "! ", " "] {
            if let range = tail.range(of: separator, options: .backwards) { return range.upperBound }
        }
        return nil
    }
}
