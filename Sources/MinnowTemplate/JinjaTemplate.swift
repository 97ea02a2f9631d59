import Foundation

/// A parsed Jinja template, rendered the way Hugging Face renders chat templates
/// (jinja2's `ImmutableSandboxedEnvironment` with `trim_blocks` and `lstrip_blocks`).
///
/// Parsing happens once in ``init(_:)``; ``render(_:)`` can then run many times. Errors
/// are thrown as ``TemplateError`` and name the template line; hostile templates hit
/// limits on recursion, loop steps and output size instead of hanging or crashing.
public struct JinjaTemplate: Sendable {
    /// The template source as given.
    public let source: String
    let statements: [Statement]

    /// Parses `source`; throws a ``TemplateError`` of kind `.syntax` when it is not valid.
    public init(_ source: String) throws(TemplateError) {
        self.source = source
        var lexer = Lexer(source)
        var parser = Parser(tokens: try lexer.tokenize())
        statements = try parser.parseTemplate()
    }

    /// Renders the template with `context` as its variables.
    ///
    /// - Parameters:
    ///   - context: The template variables.
    ///   - now: The time `strftime_now` reports; the current time by default.
    ///   - limits: Safety limits; exceeding one throws a `.limitExceeded` error.
    public func render(
        _ context: [String: TemplateValue] = [:], now: Date = Date(), limits: RenderLimits = RenderLimits()
    ) throws(TemplateError) -> String {
        let renderer = Renderer(context: context.mapValues(Value.init), now: now, limits: limits)
        _ = try renderer.execute(statements)
        return renderer.output
    }
}

/// Bounds on the work one render may do, so that a hostile template cannot hang or exhaust memory.
public struct RenderLimits: Sendable, Equatable {
    /// Loop iterations and macro calls, all together.
    public var maximumSteps: Int
    /// Size of the rendered text, in UTF-8 bytes.
    public var maximumOutputBytes: Int
    /// Depth of nested macro calls.
    public var maximumCallDepth: Int

    /// Creates limits; the defaults are far above what real chat templates need.
    public init(maximumSteps: Int = 2_000_000, maximumOutputBytes: Int = 32 << 20, maximumCallDepth: Int = 48) {
        self.maximumSteps = maximumSteps
        self.maximumOutputBytes = maximumOutputBytes
        self.maximumCallDepth = maximumCallDepth
    }
}
