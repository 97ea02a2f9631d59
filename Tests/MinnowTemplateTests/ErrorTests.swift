import Foundation
import MinnowTemplate
import Testing

/// Errors are thrown (never a crash), typed, and name the template line.
@Suite struct ErrorTests {
    private func error(_ source: String, _ context: [String: TemplateValue] = [:],
                       limits: RenderLimits = RenderLimits()) -> TemplateError? {
        do {
            _ = try JinjaTemplate(source).render(context, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func syntaxErrorNamesItsLine() throws {
        let failure = try #require(error("first\nsecond\n{% if messages %}\n{{ 1 + }}\n{% endif %}"))
        #expect(failure.kind == .syntax)
        #expect(failure.line == 4)
        #expect(failure.description.contains("line 4"))
    }

    @Test func unclosedBlockNamesTheTagItWants() throws {
        let failure = try #require(error("{% for m in messages %}\n{{ m }}\n"))
        #expect(failure.kind == .syntax)
        #expect(failure.message.contains("endfor"))
    }

    @Test(arguments: [
        ("{% include 'other.jinja' %}", 1),
        ("ok\n{% frobnicate %}", 2),
        ("{{ 'a' | nosuchfilter }}", 1),
        ("{{ x is nosuchtest }}", 1),
        ("{{ 'unterminated }}", 1),
        ("{# never closed", 1),
        ("{% break %}", 1),
        ("\n\n{{ (1 }}", 3),
        ("{{ ) }}", 1),
    ])
    func malformedTemplatesThrowSyntaxErrors(_ source: String, _ line: Int) throws {
        let failure = try #require(error(source))
        #expect(failure.kind == .syntax, "\(failure)")
        #expect(failure.line == line, "\(failure)")
    }

    @Test func raiseExceptionSurfacesAsAThrownError() throws {
        let failure = try #require(error("a\n{% if true %}\n{{ raise_exception('Only user and assistant roles are supported!') }}\n{% endif %}"))
        #expect(failure.kind == .raised)
        #expect(failure.message == "Only user and assistant roles are supported!")
        #expect(failure.line == 3)
    }

    @Test func llamaTemplateRaisesWhenToolsHaveNoUserMessage() throws {
        let template = try #require(try TemplateFixtures.chatTemplate("llama3.1"))
        do {
            _ = try template.render(messages: [.system("sys")], tools: [["name": "f"]])
            Issue.record("expected raise_exception")
        } catch {
            #expect(error.kind == .raised)
            #expect(error.message.contains("no first user message"))
        }
    }

    @Test func undefinedAttributeOfUndefinedIsAnError() throws {
        let failure = try #require(error("x\n{{ messages[0]['role'] }}", ["messages": []]))
        #expect(failure.kind == .runtime)
        #expect(failure.line == 2)
    }

    @Test func typeErrorsAreThrown() throws {
        #expect(error("{{ 'a' + 1 }}")?.kind == .runtime)
        #expect(error("{{ 1 / 0 }}")?.kind == .runtime)
        #expect(error("{{ none.x.y }}")?.kind == .runtime)
        #expect(error("{% set l = [1] %}{{ l.append(2) }}")?.kind == .runtime)
        #expect(error("{% for x in 3 %}{% endfor %}")?.kind == .runtime)
        #expect(error("{{ u | tojson }}")?.kind == .runtime)
    }

    @Test func runawayRecursionHitsTheDepthLimit() throws {
        let failure = try #require(error("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"))
        #expect(failure.kind == .limitExceeded)
    }

    @Test func runawayLoopsHitTheStepLimit() throws {
        let source = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
        let failure = try #require(error(source, limits: RenderLimits(maximumSteps: 50_000)))
        #expect(failure.kind == .limitExceeded)
    }

    @Test func hugeOutputHitsTheSizeLimit() throws {
        #expect(error("{{ 'x' * 100000000 }}")?.kind == .limitExceeded)
        #expect(error("{{ range(10000000) }}")?.kind == .limitExceeded)
        let failure = error("{% for i in range(1000) %}{{ 'abcdefghij' * 1000 }}{% endfor %}",
                            limits: RenderLimits(maximumOutputBytes: 1 << 20))
        #expect(failure?.kind == .limitExceeded)
    }

    @Test func deepNestingIsRejectedNotACrash() throws {
        let deep = "{{ " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000) + " }}"
        #expect(error(deep)?.kind == .syntax)
        let deepNot = "{{ " + String(repeating: "not ", count: 5000) + "x }}"
        #expect(error(deepNot)?.kind == .syntax)
    }
}

/// Inputs built to exhaust the stack are refused with a syntax error.
@Suite struct NestingLimitTests {
    @Test func deeplyNestedBlocksAreRejected() throws {
        let deep = String(repeating: "{% if true %}", count: 20_000) + "x" + String(repeating: "{% endif %}", count: 20_000)
        #expect(throws: TemplateError.self) { try JinjaTemplate(deep) }
        let fine = String(repeating: "{% if true %}", count: 50) + "x" + String(repeating: "{% endif %}", count: 50)
        #expect(try JinjaTemplate(fine).render() == "x")
    }

    @Test func longOperatorAndFilterChainsAreBounded() throws {
        let longSum = "{{ " + Array(repeating: "1", count: 50_000).joined(separator: " + ") + " }}"
        #expect(throws: TemplateError.self) { try JinjaTemplate(longSum) }
        let longFilters = "{{ 'a'" + String(repeating: " | upper", count: 50_000) + " }}"
        #expect(throws: TemplateError.self) { try JinjaTemplate(longFilters) }
        // Chains as long as real templates use (and far longer) still work.
        let sum = "{{ " + Array(repeating: "1", count: 200).joined(separator: " + ") + " }}"
        #expect(try JinjaTemplate(sum).render() == "200")
    }
}
