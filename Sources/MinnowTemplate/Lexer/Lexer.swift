/// Splits template source into tokens with Hugging Face's jinja2 settings:
/// `trim_blocks` and `lstrip_blocks` on, `keep_trailing_newline` off, newlines normalized to `\n`.
struct Lexer {
    private var source: [Unicode.Scalar]
    private var position = 0
    private var line = 1
    private var tokens: [Token] = []

    /// Whitespace control settings; both on in Hugging Face's environment.
    let trimBlocks: Bool
    let lstripBlocks: Bool

    init(_ text: String, trimBlocks: Bool = true, lstripBlocks: Bool = true) {
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.unicodeScalars.count)
        var iterator = text.unicodeScalars.makeIterator()
        var pending = iterator.next()
        while let scalar = pending {
            pending = iterator.next()
            if scalar == "\r" {
                scalars.append("\n")
                if pending == "\n" { pending = iterator.next() }
            } else {
                scalars.append(scalar)
            }
        }
        // keep_trailing_newline=False: one final newline of the source is dropped.
        if scalars.last == "\n" { scalars.removeLast() }
        source = scalars
    }

    /// Tokenizes the whole source.
    mutating func tokenize() throws(TemplateError) -> [Token] {
        while position < source.count {
            try lexData()
        }
        tokens.append(Token(kind: .end, line: line))
        return tokens
    }

    // MARK: - Data

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let index = position + offset
        return index < source.count ? source[index] : nil
    }

    private func matches(_ text: String, at index: Int) -> Bool {
        var i = index
        for scalar in text.unicodeScalars {
            guard i < source.count, source[i] == scalar else { return false }
            i += 1
        }
        return true
    }

    /// The start of the next `{{`, `{%` or `{#` at or after `from`.
    private func nextTagStart(from: Int) -> Int? {
        var i = from
        while i + 1 < source.count {
            if source[i] == "{" {
                let next = source[i + 1]
                if next == "{" || next == "%" || next == "#" { return i }
            }
            i += 1
        }
        return nil
    }

    private mutating func emitText(_ scalars: ArraySlice<Unicode.Scalar>, line textLine: Int) {
        guard !scalars.isEmpty else { return }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        tokens.append(Token(kind: .text(String(view)), line: textLine))
    }

    private mutating func advance(to index: Int) {
        while position < index {
            if source[position] == "\n" { line += 1 }
            position += 1
        }
    }

    private mutating func lexData() throws(TemplateError) {
        let textStart = position
        let textLine = line
        guard let tagStart = nextTagStart(from: position) else {
            emitText(source[position...], line: textLine)
            advance(to: source.count)
            return
        }
        let tagKind = source[tagStart + 1]
        let sign: Unicode.Scalar? = tagStart + 2 < source.count && (source[tagStart + 2] == "-" || source[tagStart + 2] == "+")
            ? source[tagStart + 2] : nil
        var textEnd = tagStart
        if sign == "-" {
            while textEnd > textStart, PythonCharacters.isSpace(source[textEnd - 1]) { textEnd -= 1 }
        } else if sign != "+", lstripBlocks, tagKind != "{" {
            var lineStart = tagStart
            while lineStart > textStart, source[lineStart - 1] != "\n" { lineStart -= 1 }
            let lineStarting = textStart == 0 || source[textStart - 1] == "\n"
            if lineStart > textStart || lineStarting,
               source[lineStart..<tagStart].allSatisfy({ $0 == " " || $0 == "\t" }) {
                textEnd = lineStart
            }
        }
        emitText(source[textStart..<textEnd], line: textLine)
        advance(to: tagStart + 2 + (sign == nil ? 0 : 1))
        switch tagKind {
        case "#": try lexComment()
        case "%":
            if let rawEnd = rawBlockHeaderEnd() {
                try lexRaw(headerEnd: rawEnd)
            } else {
                tokens.append(Token(kind: .blockBegin, line: line))
                try lexTag(isBlock: true)
            }
        default:
            tokens.append(Token(kind: .variableBegin, line: line))
            try lexTag(isBlock: false)
        }
    }

    /// After `-%}` all whitespace is skipped; after `%}` (and `#}`) one newline with trim_blocks.
    private mutating func applyEndControl(sign: Unicode.Scalar?, isBlock: Bool) {
        if sign == "-" {
            var i = position
            while i < source.count, PythonCharacters.isSpace(source[i]) { i += 1 }
            advance(to: i)
        } else if sign == nil, isBlock, trimBlocks, peek() == "\n" {
            advance(to: position + 1)
        }
    }

    private mutating func lexComment() throws(TemplateError) {
        let startLine = line
        var i = position
        while i + 1 < source.count, !(source[i] == "#" && source[i + 1] == "}") { i += 1 }
        guard i + 1 < source.count else { throw .syntax("missing end of comment tag", line: startLine) }
        let sign: Unicode.Scalar? = i > position && (source[i - 1] == "-" || source[i - 1] == "+") ? source[i - 1] : nil
        advance(to: i + 2)
        applyEndControl(sign: sign, isBlock: true)
    }

    // MARK: - Raw blocks

    private func skipSpaces(from index: Int) -> Int {
        var i = index
        while i < source.count, PythonCharacters.isSpace(source[i]) { i += 1 }
        return i
    }

    /// If the block tag starting at `position` is `raw %}`, the index after its `%}` (and its sign).
    private func rawBlockHeaderEnd() -> (end: Int, sign: Unicode.Scalar?)? {
        var i = skipSpaces(from: position)
        guard matches("raw", at: i) else { return nil }
        i = skipSpaces(from: i + 3)
        var sign: Unicode.Scalar?
        if i < source.count, source[i] == "-" || source[i] == "+" { sign = source[i]; i += 1 }
        guard matches("%}", at: i) else { return nil }
        return (i + 2, sign)
    }

    private mutating func lexRaw(headerEnd: (end: Int, sign: Unicode.Scalar?)) throws(TemplateError) {
        let startLine = line
        advance(to: headerEnd.end)
        if headerEnd.sign == "-" { advance(to: skipSpaces(from: position)) }
        var search = position
        while let tagStart = nextTagStart(from: search) {
            guard source[tagStart + 1] == "%" else { search = tagStart + 1; continue }
            var i = tagStart + 2
            var openSign: Unicode.Scalar?
            if i < source.count, source[i] == "-" || source[i] == "+" { openSign = source[i]; i += 1 }
            i = skipSpaces(from: i)
            guard matches("endraw", at: i) else { search = tagStart + 1; continue }
            i = skipSpaces(from: i + 6)
            var closeSign: Unicode.Scalar?
            if i < source.count, source[i] == "-" || source[i] == "+" { closeSign = source[i]; i += 1 }
            guard matches("%}", at: i) else { search = tagStart + 1; continue }
            var textEnd = tagStart
            if openSign == "-" {
                while textEnd > position, PythonCharacters.isSpace(source[textEnd - 1]) { textEnd -= 1 }
            } else if openSign != "+", lstripBlocks {
                var lineStart = tagStart
                while lineStart > position, source[lineStart - 1] != "\n" { lineStart -= 1 }
                if lineStart > position, source[lineStart..<tagStart].allSatisfy({ $0 == " " || $0 == "\t" }) {
                    textEnd = lineStart
                }
            }
            emitText(source[position..<textEnd], line: line)
            advance(to: i + 2)
            applyEndControl(sign: closeSign, isBlock: true)
            return
        }
        throw .syntax("missing end of raw directive", line: startLine)
    }

    // MARK: - Tags

    private static let operators: [String] = [
        "//", "**", "==", "!=", "<=", ">=",
        "+", "-", "*", "/", "%", "~", "<", ">", "=", ".", ",", ":", "|", "(", ")", "[", "]", "{", "}",
    ]

    private mutating func lexTag(isBlock: Bool) throws(TemplateError) {
        let startLine = line
        var depth = 0
        while true {
            advance(to: skipSpaces(from: position))
            guard let scalar = peek() else {
                throw .syntax("unexpected end of template inside a \(isBlock ? "block" : "print") tag", line: startLine)
            }
            if depth == 0 {
                let close = isBlock ? "%}" : "}}"
                for sign in ["-", "+", ""] where matches(sign + close, at: position) {
                    advance(to: position + sign.unicodeScalars.count + 2)
                    tokens.append(Token(kind: isBlock ? .blockEnd : .variableEnd, line: line))
                    applyEndControl(sign: sign.unicodeScalars.first, isBlock: isBlock)
                    return
                }
                if matches(isBlock ? "}}" : "%}", at: position) {
                    throw .syntax("unexpected '\(isBlock ? "}}" : "%}")'", line: line)
                }
            }
            let tokenLine = line
            if scalar == "_" || (scalar.isASCII && scalar.properties.isAlphabetic) {
                var i = position
                while i < source.count, source[i] == "_" || (source[i].isASCII && (source[i].properties.isAlphabetic || source[i].properties.numericType != nil)) {
                    i += 1
                }
                tokens.append(Token(kind: .name(string(position, i)), line: tokenLine))
                advance(to: i)
            } else if scalar.isASCII, scalar.properties.numericType != nil {
                try lexNumber(line: tokenLine)
            } else if scalar == "'" || scalar == "\"" {
                try lexString(quote: scalar)
            } else if let op = Self.operators.first(where: { matches($0, at: position) }) {
                switch op {
                case "(", "[", "{": depth += 1
                case ")", "]", "}":
                    if depth == 0 { throw .syntax("unexpected '\(op)'", line: tokenLine) }
                    depth -= 1
                default: break
                }
                tokens.append(Token(kind: .op(op), line: tokenLine))
                advance(to: position + op.unicodeScalars.count)
            } else {
                throw .syntax("unexpected character '\(scalar)'", line: tokenLine)
            }
        }
    }

    private func string(_ from: Int, _ to: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: source[from..<to])
        return String(view)
    }

    private func isDigit(_ index: Int) -> Bool {
        index < source.count && source[index].isASCII && source[index].properties.numericType != nil
    }

    private mutating func lexNumber(line tokenLine: Int) throws(TemplateError) {
        var i = position
        var isFloat = false
        func digits() {
            while i < source.count, isDigit(i) || (source[i] == "_" && isDigit(i + 1)) { i += 1 }
        }
        digits()
        if i < source.count, source[i] == ".", isDigit(i + 1) {
            isFloat = true
            i += 1
            digits()
        }
        if i < source.count, source[i] == "e" || source[i] == "E" {
            var j = i + 1
            if j < source.count, source[j] == "+" || source[j] == "-" { j += 1 }
            if isDigit(j) {
                isFloat = true
                i = j
                digits()
            }
        }
        let text = String(string(position, i).unicodeScalars.filter { $0 != "_" })
        advance(to: i)
        if isFloat {
            guard let value = Double(text) else { throw .syntax("invalid number '\(text)'", line: tokenLine) }
            tokens.append(Token(kind: .float(value), line: tokenLine))
        } else {
            guard let value = Int(text) else { throw .syntax("integer '\(text)' is too large", line: tokenLine) }
            tokens.append(Token(kind: .integer(value), line: tokenLine))
        }
    }

    private mutating func lexString(quote: Unicode.Scalar) throws(TemplateError) {
        let tokenLine = line
        var i = position + 1
        var out = String.UnicodeScalarView()
        func hex(_ count: Int) -> Unicode.Scalar? {
            guard i + count <= source.count else { return nil }
            var value: UInt32 = 0
            for k in 0..<count {
                guard let digit = source[i + k].properties.numericType != nil || "abcdefABCDEF".unicodeScalars.contains(source[i + k])
                        ? UInt32(String(source[i + k]), radix: 16) : nil else { return nil }
                value = value * 16 + digit
            }
            i += count
            return Unicode.Scalar(value)
        }
        while true {
            guard i < source.count else { throw .syntax("unterminated string literal", line: tokenLine) }
            let scalar = source[i]
            if scalar == quote { i += 1; break }
            if scalar != "\\" { out.append(scalar); i += 1; continue }
            guard i + 1 < source.count else { throw .syntax("unterminated string literal", line: tokenLine) }
            let escape = source[i + 1]
            i += 2
            switch escape {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "\\": out.append("\\")
            case "'": out.append("'")
            case "\"": out.append("\"")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "v": out.append("\u{0B}")
            case "\n": break
            case "0"..."7":
                var value = escape.value - 0x30
                var count = 1
                while count < 3, i < source.count, ("0"..."7").contains(source[i]) {
                    value = value * 8 + source[i].value - 0x30
                    i += 1
                    count += 1
                }
                out.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            case "x", "u", "U":
                let width = escape == "x" ? 2 : escape == "u" ? 4 : 8
                guard let decoded = hex(width) else {
                    throw .syntax("invalid \\\(escape) escape in string literal", line: tokenLine)
                }
                out.append(decoded)
            default:
                out.append("\\")
                out.append(escape)
            }
        }
        advance(to: i)
        tokens.append(Token(kind: .string(String(out)), line: tokenLine))
    }
}
