import Foundation

/// Formats bench results as llama-bench does: a table of model, size, params, backend,
/// threads, test and tokens/s (mean ± sd).
enum BenchTable {
    /// The header row.
    static let header = ["model", "size", "params", "backend", "threads", "test", "t/s", "of bandwidth"]

    /// The cells of one result.
    static func cells(_ r: BenchResult) -> [String] {
        let s = r.statistics
        return [
            r.model,
            String(format: "%.2f GiB", Double(r.modelBytes) / 1_073_741_824),
            String(format: "%.2f B", Double(r.parameters) / 1e9),
            r.backend, "\(r.threads)", r.test.name,
            String(format: "%.2f ± %.2f", s.mean, s.standardDeviation),
            r.bandwidthFraction.map { String(format: "%.0f%%", $0 * 100) } ?? "",
        ]
    }

    /// A Markdown table (`--markdown`).
    static func markdown(_ results: [BenchResult]) -> String {
        let rows = results.map(cells)
        let right: Set<Int> = [1, 2, 4, 6, 7]
        var lines = ["| " + header.joined(separator: " | ") + " |"]
        lines.append("|" + header.indices.map { right.contains($0) ? " ---: |" : " --- |" }.joined())
        lines += rows.map { "| " + $0.joined(separator: " | ") + " |" }
        return lines.joined(separator: "\n")
    }

    /// An aligned plain-text table (the default).
    static func text(_ results: [BenchResult]) -> String {
        let rows = [header] + results.map(cells)
        let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.enumerated().map { index, row in
            let line = row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 || c == 3 || c == 5 ? cell + pad : pad + cell
            }.joined(separator: "  ")
            if index == 0 {
                return line + "\n" + String(repeating: "-", count: line.count)
            }
            return line
        }.joined(separator: "\n")
    }
}
