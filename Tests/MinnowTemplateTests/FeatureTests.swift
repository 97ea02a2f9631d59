import Foundation
import MinnowTemplate
import Testing

/// Single-feature templates (expressions, filters, tests, loops, whitespace control, errors)
/// compared with Python jinja2's output under Hugging Face's settings.
@Suite struct FeatureTests {
    @Test func fixturesArePresent() {
        #expect(TemplateFixtures.features.count >= 60)
    }

    @Test(arguments: TemplateFixtures.features)
    func matchesJinja2(_ feature: TemplateFixtures.Feature) throws {
        let fixedNow = Date(timeIntervalSince1970: 1_700_000_000)
        if let expected = feature.expected {
            let output = try JinjaTemplate(feature.source).render(feature.context, now: fixedNow)
            // Byte-exact: Swift's == on String would accept canonically equivalent text.
            #expect(output.utf8.elementsEqual(expected.utf8), "\(output.debugDescription) != \(expected.debugDescription)")
            return
        }
        do {
            let output = try JinjaTemplate(feature.source).render(feature.context, now: fixedNow)
            Issue.record("expected an error, rendered \(output.debugDescription)")
        } catch {
            if feature.errorKind == "syntax" {
                #expect(error.kind == .syntax, "\(error)")
                #expect(error.line == feature.errorLine, "\(error)")
            } else {
                #expect(error.kind != .syntax, "\(error)")
            }
        }
    }
}
