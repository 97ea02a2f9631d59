/// Python `str` operations with code-point semantics.
///
/// Swift's `String` compares and searches by extended grapheme cluster with canonical
/// equivalence; Python works on code points. These helpers search the UTF-8 bytes (which
/// is equivalent to code-point search) and count in code points.
enum PythonStrings {
    /// Byte offsets of the non-overlapping occurrences of `needle` in `haystack`, left to right.
    static func occurrences(of needle: [UInt8], in haystack: [UInt8], limit: Int = Int.max) -> [Int] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var found: [Int] = []
        var i = 0
        let last = haystack.count - needle.count
        while i <= last, found.count < limit {
            if haystack[i] == needle[0], haystack[i..<i + needle.count].elementsEqual(needle) {
                found.append(i)
                i += needle.count
            } else {
                i += 1
            }
        }
        return found
    }

    static func contains(_ haystack: String, _ needle: String) -> Bool {
        if needle.isEmpty { return true }
        return !occurrences(of: Array(needle.utf8), in: Array(haystack.utf8), limit: 1).isEmpty
    }

    static func equal(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    /// Code-point order, as Python compares strings.
    static func less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }

    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        text.utf8.reversed().starts(with: suffix.utf8.reversed())
    }

    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// `text.split(separator, maxsplit)` with an explicit separator; refuses more parts than
    /// `budget` allows in a list before making them.
    static func split(_ text: String, separator: String, maxSplits: Int = -1, _ budget: SizeBudget, line: Int) throws(TemplateError) -> [String] {
        let bytes = Array(text.utf8)
        let needle = Array(separator.utf8)
        let cap = budget.maximumItems
        let found = occurrences(of: needle, in: bytes, limit: maxSplits < 0 ? cap : Swift.min(maxSplits, cap))
        if found.count == cap, maxSplits < 0 || maxSplits > cap { throw budget.refusal("list of parts", line: line) }
        var parts: [String] = []
        var start = 0
        for offset in found {
            parts.append(string(bytes[start..<offset]))
            start = offset + needle.count
        }
        parts.append(string(bytes[start...]))
        return parts
    }

    /// `text.rsplit(separator, maxsplit)` with an explicit separator.
    static func rsplit(_ text: String, separator: String, maxSplits: Int, _ budget: SizeBudget, line: Int) throws(TemplateError) -> [String] {
        if maxSplits < 0 { return try split(text, separator: separator, budget, line: line) }
        let bytes = Array(text.utf8)
        let needle = Array(separator.utf8)
        var found: [Int] = []
        var i = bytes.count - needle.count
        while i >= 0, found.count < maxSplits {
            if found.count >= budget.maximumItems { throw budget.refusal("list of parts", line: line) }
            if bytes[i..<i + needle.count].elementsEqual(needle) {
                found.append(i)
                i -= needle.count
            } else {
                i -= 1
            }
        }
        var parts: [String] = []
        var end = bytes.count
        for offset in found {
            parts.append(string(bytes[(offset + needle.count)..<end]))
            end = offset
        }
        parts.append(string(bytes[0..<end]))
        return parts.reversed()
    }

    /// `text.split()` on runs of whitespace.
    static func splitWhitespace(_ text: String, maxSplits: Int = -1, _ budget: SizeBudget, line: Int) throws(TemplateError) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var inWord = false
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            if PythonCharacters.isSpace(scalar) {
                if inWord {
                    if parts.count >= budget.maximumItems { throw budget.refusal("list of parts", line: line) }
                    parts.append(String(current))
                    current = String.UnicodeScalarView()
                    inWord = false
                    if maxSplits >= 0, parts.count == maxSplits {
                        var rest = i
                        while rest < scalars.count, PythonCharacters.isSpace(scalars[rest]) { rest += 1 }
                        if rest < scalars.count {
                            var tail = String.UnicodeScalarView()
                            tail.append(contentsOf: scalars[rest...])
                            parts.append(String(tail))
                        }
                        return parts
                    }
                }
            } else {
                current.append(scalar)
                inWord = true
            }
            i += 1
        }
        if inWord { parts.append(String(current)) }
        return parts
    }

    /// `text.splitlines()`.
    static func splitLines(_ text: String, _ budget: SizeBudget, line: Int) throws(TemplateError) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            switch scalar.value {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                if lines.count >= budget.maximumItems { throw budget.refusal("list of lines", line: line) }
                lines.append(String(current))
                current = String.UnicodeScalarView()
                if scalar == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
            default:
                current.append(scalar)
            }
            i += 1
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }

    /// Writes `text.replace(old, new, count)` into `out`, checking the size as it goes.
    static func replace(_ text: String, _ old: String, _ new: String, count: Int = -1, into out: inout TextBuilder) throws(TemplateError) {
        if old.isEmpty {
            var inserted = 0
            for scalar in text.unicodeScalars {
                if count < 0 || inserted < count { try out.append(new); inserted += 1 }
                try out.append(scalar)
            }
            if count < 0 || inserted < count { try out.append(new) }
            return
        }
        let bytes = Array(text.utf8)
        let needle = Array(old.utf8)
        var replaced = 0
        var start = 0
        var i = 0
        let last = bytes.count - needle.count
        while i <= last, count < 0 || replaced < count {
            if bytes[i] == needle[0], bytes[i..<i + needle.count].elementsEqual(needle) {
                try out.append(string(bytes[start..<i]))
                try out.append(new)
                replaced += 1
                i += needle.count
                start = i
            } else {
                i += 1
            }
        }
        try out.append(string(bytes[start...]))
    }

    /// `text.strip(chars)`, `lstrip`, `rstrip`; nil `chars` strips whitespace.
    static func strip(_ text: String, chars: String?, leading: Bool = true, trailing: Bool = true) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        let shouldStrip: (Unicode.Scalar) -> Bool = { scalar in
            set.map { $0.contains(scalar) } ?? PythonCharacters.isSpace(scalar)
        }
        let scalars = Array(text.unicodeScalars)
        var start = 0
        var end = scalars.count
        if leading { while start < end, shouldStrip(scalars[start]) { start += 1 } }
        if trailing { while end > start, shouldStrip(scalars[end - 1]) { end -= 1 } }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    /// The number of code points before byte offset `offset`.
    static func codePointIndex(_ text: String, byteOffset offset: Int) -> Int {
        String(decoding: Array(text.utf8)[0..<offset], as: UTF8.self).unicodeScalars.count
    }

    static func upper(_ scalar: Unicode.Scalar) -> String { scalar.properties.uppercaseMapping }
    static func lower(_ scalar: Unicode.Scalar) -> String { scalar.properties.lowercaseMapping }

    static func isCased(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isCased
    }

    /// Python's `str.title()`: a cased letter after an uncased character starts a word.
    static func title(_ text: String, into out: inout TextBuilder) throws(TemplateError) {
        var previousCased = false
        for scalar in text.unicodeScalars {
            try out.append(previousCased ? lower(scalar) : scalar.properties.titlecaseMapping)
            previousCased = isCased(scalar)
        }
    }

    /// Python's `str.capitalize()`.
    static func capitalize(_ text: String, into out: inout TextBuilder) throws(TemplateError) {
        for (index, scalar) in text.unicodeScalars.enumerated() {
            try out.append(index == 0 ? scalar.properties.titlecaseMapping : lower(scalar))
        }
    }

    /// Writes `text` with `transform` applied to each code point (`upper()`, `lower()`).
    static func map(_ text: String, _ transform: (Unicode.Scalar) -> String, into out: inout TextBuilder) throws(TemplateError) {
        for scalar in text.unicodeScalars { try out.append(transform(scalar)) }
    }

    /// jinja2's `title` filter: words start after whitespace, `-`, `(`, `{`, `[` or `<`.
    static func jinjaTitle(_ text: String, into out: inout TextBuilder) throws(TemplateError) {
        var atWordStart = true
        for scalar in text.unicodeScalars {
            let isBoundary = PythonCharacters.isSpace(scalar) || "-({[<".unicodeScalars.contains(scalar)
            if isBoundary {
                try out.append(scalar)
                atWordStart = true
            } else {
                try out.append(atWordStart ? upper(scalar) : lower(scalar))
                atWordStart = false
            }
        }
    }
}
