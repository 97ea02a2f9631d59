import Foundation
import MinnowTemplate
import Testing

/// Context values: order-preserving JSON, literals, and how values print.
@Suite struct ValueTests {
    @Test func jsonKeepsKeyOrder() throws {
        let value = try TemplateValue(json: #"{"z": 1, "a": [true, null, 2.5, "\u00e9\ud83d\ude00"], "m": {}}"#)
        guard case .object(let map) = value else { Issue.record("not an object"); return }
        #expect(map.keys == ["z", "a", "m"])
        #expect(value["a"] == [true, nil, 2.5, "é😀"])
        let rendered = try JinjaTemplate("{{ v | tojson }}").render(["v": value])
        #expect(rendered == #"{"z": 1, "a": [true, null, 2.5, "é😀"], "m": {}}"#)
    }

    @Test(arguments: ["", "{", "[1,]", #"{"a" 1}"#, "nul", #""\x""#, "1 2"])
    func invalidJSONThrows(_ text: String) {
        #expect(throws: JSONParseError.self) { try TemplateValue(json: text) }
    }

    @Test func literalsBuildValues() throws {
        let value: TemplateValue = ["role": "user", "n": 3, "ok": true, "none": nil]
        let rendered = try JinjaTemplate("{{ v.role }} {{ v.n + 1 }} {{ v.ok }} {{ v.none }} {{ v | tojson }}").render(["v": value])
        #expect(rendered == #"user 4 True None {"role": "user", "n": 3, "ok": true, "none": null}"#)
    }

    @Test func stringsCompareByCodePointLikePython() throws {
        // "é" precomposed and decomposed are different strings in Python (Swift's == says equal).
        let rendered = try JinjaTemplate("{{ a == b }} {{ a | length }} {{ b | length }}").render(["a": "\u{E9}", "b": "e\u{301}"])
        #expect(rendered == "False 1 2")
    }

    @Test func strftimeNowUsesTheGivenClock() throws {
        // Noon UTC mid-month: the same month and year in every time zone.
        let now = Date(timeIntervalSince1970: 1_721_995_200)  // 2024-07-26 12:00 UTC
        let template = try JinjaTemplate("{{ strftime_now('%B %Y') }}|{{ strftime_now('%m/%y %%') }}")
        #expect(try template.render(now: now) == "July 2024|07/24 %")
    }
}
