/// A string built piece by piece under a ``SizeBudget``: each append is checked before it is
/// made, so that a string that would pass the limit is refused before it is built.
struct TextBuilder {
    /// The text so far.
    private(set) var text = ""
    /// The budget the text is built under.
    let budget: SizeBudget
    /// What is being built, for the error message.
    let what: String
    /// The template line, for the error.
    let line: Int

    init(_ budget: SizeBudget, _ what: String, line: Int) {
        self.budget = budget
        self.what = what
        self.line = line
    }

    /// The number of UTF-8 bytes so far.
    var count: Int { text.utf8.count }

    /// Appends `piece`, or throws `.limitExceeded` if the text would pass the budget.
    mutating func append(_ piece: String) throws(TemplateError) {
        try budget.ensure(text.utf8.count, plus: piece.utf8.count, what, line: line)
        text += piece
    }

    /// Appends one code point.
    mutating func append(_ scalar: Unicode.Scalar) throws(TemplateError) {
        try budget.ensure(text.utf8.count, plus: UTF8.width(scalar), what, line: line)
        text.unicodeScalars.append(scalar)
    }

    /// Appends `count` copies of `piece`, checking the size once.
    mutating func append(_ piece: String, repeated count: Int) throws(TemplateError) {
        guard count > 0 else { return }
        let (size, overflow) = piece.utf8.count.multipliedReportingOverflow(by: count)
        guard !overflow else { throw budget.refusal(what, line: line) }
        try budget.ensure(text.utf8.count, plus: size, what, line: line)
        text += String(repeating: piece, count: count)
    }

    /// The finished text, counted against the render's total.
    func finish() throws(TemplateError) -> String {
        try budget.admit(text.utf8.count, what, line: line)
        return text
    }
}
