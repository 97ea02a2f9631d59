import Foundation
import MinnowTemplate
import Testing

/// Growth by concatenation, joining, formatting and the like is refused with a `.limitExceeded`
/// error when a value would pass `RenderLimits.maximumValueBytes` (or all values together
/// `maximumBuiltBytes`), checked before the value is built.
@Suite struct GrowthLimitTests {
    private func failure(_ source: String, limits: RenderLimits) -> TemplateError? {
        do {
            _ = try JinjaTemplate(source).render([:], limits: limits)
            return nil
        } catch {
            return error
        }
    }

    /// Small limits, so that each case needs only small values: 64 KiB a value, 1 MiB in all.
    static let small = RenderLimits(maximumValueBytes: 64 << 10, maximumBuiltBytes: 1 << 20)

    @Test(arguments: HostileTemplates.all.map(\.source))
    func issueTemplatesAreRefused(_ source: String) throws {
        let error = try #require(failure(source, limits: RenderLimits()))
        #expect(error.kind == .limitExceeded)
        #expect(error.message.contains("larger than \(16 << 20) bytes"))
    }

    @Test(arguments: HostileTemplates.all.map(\.source))
    func issueTemplatesAreRefusedUnderSmallLimits(_ source: String) throws {
        let error = try #require(failure(source, limits: Self.small))
        #expect(error.kind == .limitExceeded)
    }

    /// The bound is on the size a value would have: a string of exactly the limit is built,
    /// one byte more is refused (so the check happens before the value exists).
    @Test func theBoundIsExact() throws {
        let limits = RenderLimits(maximumValueBytes: 1024)
        #expect(try JinjaTemplate("{{ ('x' * 512 + 'y' * 512)|length }}").render([:], limits: limits) == "1024")
        #expect(failure("{{ ('x' * 512 + 'y' * 513)|length }}", limits: limits)?.kind == .limitExceeded)
        #expect(failure("{{ ('x' * 1024 ~ 'y')|length }}", limits: limits)?.kind == .limitExceeded)
        #expect(failure("{{ 'x' * 1025 }}", limits: limits)?.kind == .limitExceeded)
    }

    /// Every operation that builds a string or list, each pushed past 64 KiB.
    static let growthCases: [String] = [
        // Operators.
        "{% set s = 'x' * 40000 %}{{ s ~ s }}",
        "{% set s = 'x' * 40000 %}{{ s + s }}",
        "{% set s = 'x' * 40000 %}{{ s * 2 }}",
        "{% set s = 'x' * 40000 %}{{ [s] + [s] }}",
        "{% set s = 'x' * 40000 %}{{ (s,) + (s,) }}",
        "{% set s = 'x' * 40000 %}{{ [s] * 2 }}",
        "{% set s = 'x' * 15000 %}{{ '%(a)s%(a)s%(a)s%(a)s%(a)s' % {'a': s} }}",
        "{{ '%100000s' % 'x' }}",
        "{{ '%.100000f' % 1.5 }}",
        // Widths too large for an integer are refused, not a trap.
        "{{ '%99999999999999999999999s' % 'x' }}",
        "{{ '%.99999999999999999999999f' % 1.5 }}",
        // Literals and constructors.
        "{% set s = 'x' * 40000 %}{{ [s, s]|length }}",
        "{% set s = 'x' * 40000 %}{{ (s, s)|length }}",
        "{% set s = 'x' * 40000 %}{{ {'a': s, 'b': s}|length }}",
        "{% set s = 'x' * 40000 %}{{ dict(a=s, b=s)|length }}",
        "{% set s = 'x' * 40000 %}{% set ns = namespace(a=s, b=s) %}",
        "{{ strftime_now('%B' * 10000) }}",
        // String methods.
        "{% set s = 'x' * 15000 %}{{ '{0}{0}{0}{0}{0}'.format(s) }}",
        "{{ '{:>100000}'.format('x') }}",
        "{{ '{:.100000f}'.format(1.5) }}",
        "{{ '{:99999999999999999999999}'.format('x') }}",
        "{{ '{:.99999999999999999999999}'.format('x') }}",
        "{{ ('x' * 1000).replace('x', 'y' * 100) }}",
        "{{ ('ΐ' * 20000).upper() }}",
        "{{ ('x' * 200).join(('y' * 500)|list) }}",
        "{{ (',' * 60000).split(',')|length }}",
        "{{ (',' * 60000).rsplit(',', 60000)|length }}",
        "{{ ('a ' * 30000).split()|length }}",
        "{{ ('\\n' * 60000).splitlines()|length }}",
        // Filters.
        "{{ ('x' * 1000)|replace('x', 'y' * 100) }}",
        "{{ ('ΐ' * 20000)|upper }}",
        "{{ ('<' * 20000)|e }}",
        "{{ ('x\\n' * 500)|indent(200) }}",
        "{{ 'x'|indent(100000) }}",
        "{{ range(600)|tojson(indent=200) }}",
        "{{ 'x'|tojson(indent=100000) }}",
        "{{ ['\\n' * 40000]|tojson }}",
        "{{ range(500)|join('x' * 200) }}",
        "{{ [('\\n' * 40000)]|string }}",
        "{{ ('x' * 60000)|list|length }}",
        "{% for c in 'x' * 60000 %}{% endfor %}",
        // Printing a value whose repr is larger than the value.
        "{{ [('\\n' * 40000)] }}",
        // Blocks captured into values.
        "{% set s = 'x' * 1000 %}{% set b %}{% for i in range(100) %}{{ s }}{% endfor %}{% endset %}",
        "{% macro m(s) %}{% for i in range(100) %}{{ s }}{% endfor %}{% endmacro %}{{ m('x' * 1000)|length }}",
        "{% filter upper %}{% for i in range(100) %}{{ 'x' * 1000 }}{% endfor %}{% endfilter %}",
    ]


    /// A list that holds the same big list many times weighs what printing it would weigh,
    /// so nesting cannot hide growth.
    @Test func sharedNestingIsCountedInFull() throws {
        let source = "{% set ns = namespace(l=['x' * 1000]) %}{% for i in range(40) %}{% set ns.l = [ns.l, ns.l] %}{% endfor %}"
        #expect(failure(source, limits: Self.small)?.kind == .limitExceeded)
        #expect(failure(source, limits: RenderLimits())?.kind == .limitExceeded)
    }

    /// Many values, each within the value limit, together pass `maximumBuiltBytes`.
    @Test func buildingManyValuesHitsTheTotal() throws {
        let source = "{% set s = 'x' * 40000 %}{% for i in range(1000) %}{% set t = s ~ i %}{% endfor %}"
        let error = try #require(failure(source, limits: Self.small))
        #expect(error.kind == .limitExceeded)
        #expect(error.message.contains("more than \(1 << 20) bytes in all"))
    }

    /// Work that builds nothing but scans a big value (a search, an index, a strip, a sort's
    /// shifts, `unique`'s comparisons) counts against the total too, so a loop cannot repeat it
    /// without bound.
    static let scanCases: [String] = [
        "{% set s = 'x' * 60000 %}{% for i in range(100) %}{% if 'y' in s %}{% endif %}{% endfor %}",
        "{% set s = 'x' * 60000 %}{% for i in range(100) %}{{ s[0] }}{% endfor %}",
        "{% set s = 'x' * 60000 %}{% for i in range(100) %}{{ s[1:2] }}{% endfor %}",
        "{% set s = 'x' * 60000 %}{% for i in range(100) %}{{ s.find('y') }}{% endfor %}",
        "{% set s = 'x' * 60000 %}{% for i in range(100) %}{{ s.strip()|length }}{% endfor %}",
        "{% set l = range(1000)|list %}{% for i in range(100) %}{% if 5000 in l %}{% endif %}{% endfor %}",
        "{% set l = range(1000)|list %}{% for i in range(100) %}{{ l.count(5000) }}{% endfor %}",
        "{{ range(1000)|unique|length }}",
        "{{ range(1000)|sort(reverse=true)|first }}",
        // Namespaces made in a loop live until the render ends.
        "{% for i in range(300) %}{% for j in range(300) %}{% set ns = namespace(a=j) %}{% endfor %}{% endfor %}",
    ]

    /// Each growth case passes the value limit; each scan case, repeated, passes the total.
    @Test(arguments: growthCases.map { ($0, "larger than \(64 << 10) bytes") }
        + scanCases.map { ($0, "more than \(1 << 20) bytes in all") })
    func everyGrowingOrScanningOperationIsBounded(_ source: String, _ message: String) throws {
        let error = try #require(failure(source, limits: Self.small))
        #expect(error.kind == .limitExceeded)
        #expect(error.message.contains(message), "\(error.message)")
    }

    /// The output, too, is refused before it passes its limit.
    @Test func outputIsBoundedBeforeItGrows() throws {
        let limits = RenderLimits(maximumOutputBytes: 100)
        #expect(try JinjaTemplate("{{ 'x' * 100 }}").render([:], limits: limits).utf8.count == 100)
        #expect(failure("{{ 'x' * 100 }}{{ 'y' }}", limits: limits)?.kind == .limitExceeded)
    }

    /// Real templates use a tiny part of the budget: every reference rendering of the fixtures
    /// comes out the same under limits of 64 KiB a value and 1 MiB in all.
    @Test(arguments: TemplateFixtures.renderings.filter { $0.expected != nil })
    func realTemplatesRenderWithinSmallLimits(_ rendering: TemplateFixtures.Rendering) throws {
        let template = try #require(try TemplateFixtures.chatTemplate(rendering.template))
        let conversation = try #require(TemplateFixtures.conversation(rendering.caseName))
        let output = try template.render(messageValues: conversation.messages, addGenerationPrompt: rendering.addGenerationPrompt,
                                         tools: conversation.tools, context: conversation.extra, limits: Self.small)
        #expect(output == rendering.expected)
    }
}
