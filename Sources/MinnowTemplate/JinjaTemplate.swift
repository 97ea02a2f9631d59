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
///
/// Every operation that builds a string or a list (`+`, `~`, `*`, `%`, `format`, `join`,
/// `replace`, `indent`, `tojson`, printing, list and dict literals, splitting, ...) checks the
/// size of what it would build against ``maximumValueBytes`` and ``maximumBuiltBytes`` before
/// building it, and refuses with a `.limitExceeded` error; so does the output.
public struct RenderLimits: Sendable, Equatable {
    /// Loop iterations and macro calls, all together.
    public var maximumSteps: Int
    /// Size of the rendered text, in UTF-8 bytes.
    public var maximumOutputBytes: Int
    /// Depth of nested macro calls.
    public var maximumCallDepth: Int
    /// Size of any one string or list the template builds: UTF-8 bytes for a string; for a list,
    /// tuple or dict, the bytes of its items (counted as often as they appear) plus a value's
    /// size per item.
    public var maximumValueBytes: Int
    /// Size of all the strings and lists one render builds, together (which also bounds the
    /// time building them takes).
    public var maximumBuiltBytes: Int

    /// Creates limits; the defaults are far above what real chat templates need (a few KB).
    public init(
        maximumSteps: Int = 2_000_000, maximumOutputBytes: Int = 32 << 20, maximumCallDepth: Int = 48,
        maximumValueBytes: Int = 16 << 20, maximumBuiltBytes: Int = 256 << 20
    ) {
        self.maximumSteps = maximumSteps
        self.maximumOutputBytes = maximumOutputBytes
        self.maximumCallDepth = maximumCallDepth
        self.maximumValueBytes = maximumValueBytes
        self.maximumBuiltBytes = maximumBuiltBytes
    }
}
