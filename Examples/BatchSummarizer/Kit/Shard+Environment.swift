import Foundation

/// Why `--shard auto` found no shard in the environment.
public enum ShardEnvironmentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// None of the scheduler variables is set.
    case noScheduler
    /// The scheduler's index variable is set but the count variable it needs is not.
    case missingCount(index: String, count: String)
    /// A variable is not a number, or the numbers do not make a shard.
    case invalid(variable: String, value: String, reason: String)

    /// A one-line description that names the variables.
    public var description: String {
        switch self {
        case .noScheduler:
            return "--shard auto needs JOB_COMPLETION_INDEX and JOB_COMPLETIONS (a Kubernetes indexed Job) "
                + "or SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (a Slurm job array); none is set"
        case .missingCount(let index, let count):
            return "\(index) is set but \(count) is not; set it to the number of shards"
        case .invalid(let variable, let value, let reason):
            return "\(variable)=\"\(value)\": \(reason)"
        }
    }
}

extension Shard {
    /// The shard a batch scheduler assigned to this process (`--shard auto`).
    ///
    /// - A Kubernetes indexed Job sets `JOB_COMPLETION_INDEX` (0 to completions - 1); the Job's
    ///   manifest passes the count as `JOB_COMPLETIONS` (Kubernetes does not set it itself).
    /// - A Slurm job array (`sbatch --array=A-B[:S]`) sets `SLURM_ARRAY_TASK_ID`,
    ///   `SLURM_ARRAY_TASK_COUNT`, `SLURM_ARRAY_TASK_MIN` and `SLURM_ARRAY_TASK_STEP`; the shard
    ///   index is (id - min) / step, so arrays that start at 1 or step by more than 1 work too.
    ///
    /// Kubernetes wins when both are set.
    /// - Throws: ``ShardEnvironmentError`` when neither is set or the values make no shard.
    public init(environment: [String: String]) throws(ShardEnvironmentError) {
        func number(_ name: String) throws(ShardEnvironmentError) -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw .invalid(variable: name, value: text, reason: "not a whole number")
            }
            return value
        }
        func make(index: Int, count: Int, variable: String) throws(ShardEnvironmentError) -> Shard {
            guard let shard = Shard(index: index, count: count) else {
                throw .invalid(variable: variable, value: environment[variable] ?? "",
                               reason: "shard \(index) is not between 0 and \(count - 1) (of \(count))")
            }
            return shard
        }
        if let index = try number("JOB_COMPLETION_INDEX") {
            guard let count = try number("JOB_COMPLETIONS") else {
                throw .missingCount(index: "JOB_COMPLETION_INDEX", count: "JOB_COMPLETIONS")
            }
            self = try make(index: index, count: count, variable: "JOB_COMPLETION_INDEX")
            return
        }
        if let id = try number("SLURM_ARRAY_TASK_ID") {
            guard let count = try number("SLURM_ARRAY_TASK_COUNT") else {
                throw .missingCount(index: "SLURM_ARRAY_TASK_ID", count: "SLURM_ARRAY_TASK_COUNT")
            }
            let minimum = try number("SLURM_ARRAY_TASK_MIN") ?? 0
            let step = try number("SLURM_ARRAY_TASK_STEP") ?? 1
            guard step >= 1, id >= minimum, (id - minimum) % step == 0 else {
                throw .invalid(variable: "SLURM_ARRAY_TASK_ID", value: String(id),
                               reason: "not on the array's range (min \(minimum), step \(step))")
            }
            self = try make(index: (id - minimum) / step, count: count, variable: "SLURM_ARRAY_TASK_ID")
            return
        }
        throw .noScheduler
    }
}
