/// Writes one streamed answer: reasoning dimmed, shown or hidden, then the answer text.
final class AnswerPrinter: @unchecked Sendable {
    private let display: ReasoningDisplay
    private let style: TextStyle
    private let output: any ChatOutput
    private var inReasoning = false
    private var wroteSomething = false
    private var endsWithNewline = true

    init(display: ReasoningDisplay, style: TextStyle, output: any ChatOutput) {
        self.display = display
        self.style = style
        self.output = output
    }

    func reasoning(_ piece: String) {
        guard display != .hide, !piece.isEmpty else { return }
        if !inReasoning {
            inReasoning = true
            if display == .dim && style.enabled {
                emit(style.dim)
            } else {
                emit("<think>\n")
            }
        }
        emit(piece)
    }

    func text(_ piece: String) {
        guard !piece.isEmpty else { return }
        closeReasoning()
        var piece = piece
        // The answer usually starts after blank lines that followed the reasoning.
        if !wroteSomething || endsWithNewline {
            while piece.first == "\n" { piece.removeFirst() }
            if piece.isEmpty { return }
        }
        emit(piece)
    }

    func finish() {
        closeReasoning()
        if wroteSomething && !endsWithNewline { emit("\n") }
    }

    private func closeReasoning() {
        guard inReasoning else { return }
        inReasoning = false
        if display == .dim && style.enabled {
            emit(style.reset)
            if !endsWithNewline { emit("\n") }
            emit("\n")
        } else {
            if !endsWithNewline { emit("\n") }
            emit("</think>\n")
        }
    }

    private func emit(_ text: String) {
        output.write(text)
        if text.isEmpty { return }
        if text.hasPrefix("\u{1B}[") && text.hasSuffix("m") && text.count <= 5 { return }
        wroteSomething = true
        endsWithNewline = text.hasSuffix("\n")
    }
}
