import Foundation
import MinnowCatalog

/// What a batch run did.
public struct BatchReport: Sendable, Equatable {
    /// Documents summarized and written in this run.
    public var written: Int = 0
    /// Documents skipped because the output already had their id.
    public var alreadyDone: Int = 0
    /// Documents outside this shard.
    public var otherShards: Int = 0
    /// Documents the model failed on, with the reason.
    public var failures: [String] = []
    /// Wall time of the summarizing, in seconds.
    public var seconds: Double = 0

    /// Documents per minute over this run.
    public var documentsPerMinute: Double {
        seconds > 0 ? Double(written) / seconds * 60 : 0
    }
}

/// Runs summarizers over documents: skips ids already written, keeps this shard, runs
/// `parallel` workers (whose summarizers share one ``BatchGenerator``, so that their documents
/// are evaluated together), appends each record as soon as it is done, and shows progress.
public struct BatchRunner: Sendable {
    /// The number of concurrent workers.
    public var parallel: Int
    /// The shard of the documents to take.
    public var shard: Shard
    /// Where problems are reported, one line each.
    public var log: @Sendable (String) -> Void

    /// A runner.
    public init(parallel: Int = 1, shard: Shard = .all, log: @escaping @Sendable (String) -> Void) {
        self.parallel = max(1, parallel)
        self.shard = shard
        self.log = log
    }

    /// Summarizes `documents` into `journal`. `makeSummarizer` is called once per worker.
    public func run(
        _ documents: [InputDocument], journal: OutputJournal, progress: ProgressBar?,
        makeSummarizer: @Sendable () -> DocumentSummarizer
    ) async -> BatchReport {
        var report = BatchReport()
        let mine = shard.select(documents)
        report.otherShards = documents.count - mine.count
        let todo = mine.filter { !journal.existingIDs.contains($0.id) }
        report.alreadyDone = mine.count - todo.count
        guard !todo.isEmpty else { return report }

        let queue = WorkQueue(todo)
        let start = ContinuousClock.now
        let total = Double(todo.count)
        progress?.update(completed: 0, total: total)
        let results = await withTaskGroup(of: [Result<Void, SummarizerError>].self) { group in
            for _ in 0..<min(parallel, todo.count) {
                let summarizer = makeSummarizer()
                group.addTask {
                    var outcomes: [Result<Void, SummarizerError>] = []
                    while let document = await queue.next() {
                        if Task.isCancelled { break }
                        do {
                            let record = try await summarizer.summarize(document)
                            try await journal.append(record)
                            outcomes.append(.success(()))
                        } catch let error as SummarizerError {
                            outcomes.append(.failure(error))
                            progress?.clear()
                            log(error.description)
                        } catch {
                            let failure = SummarizerError.generationFailed(id: document.id, reason: "\(error)")
                            outcomes.append(.failure(failure))
                            progress?.clear()
                            log(failure.description)
                        }
                        let done = await queue.finishOne()
                        progress?.update(completed: Double(done), total: total)
                    }
                    return outcomes
                }
            }
            var all: [Result<Void, SummarizerError>] = []
            for await outcomes in group { all += outcomes }
            return all
        }
        let elapsed = ContinuousClock.now - start
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        for result in results {
            switch result {
            case .success: report.written += 1
            case .failure(let error): report.failures.append(error.description)
            }
        }
        progress?.finish(completed: Double(report.written + report.failures.count), total: total)
        return report
    }
}

/// Hands out documents to workers, and counts the finished ones.
actor WorkQueue {
    private var pending: [InputDocument]
    private var finished = 0

    init(_ documents: [InputDocument]) {
        pending = documents.reversed()
    }

    func next() -> InputDocument? { pending.popLast() }

    func finishOne() -> Int {
        finished += 1
        return finished
    }
}
