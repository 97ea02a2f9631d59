import Foundation
import Minnow
import MinnowBackendSDK

// Usage: KernelPlugin MODEL.gguf [QUESTION]
// Registers a plain-Swift kernel for Q8_0 weights above the built-in ones, loads the model on
// the CPU backend with it and answers one question. SmolLM2-135M's output matrix is Q8_0;
// Qwen2.5-Coder-0.5B has many Q8_0 matrices.
let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: KernelPlugin MODEL.gguf [QUESTION]\n".utf8))
    exit(2)
}
let question = arguments.count >= 3 ? arguments[2] : "What is the capital of France?"

let calls = CallCount()
var kernels = CPUKernelRegistry.standard
kernels.register(PlainQ8_0Kernel.make(counting: calls), for: .q8_0, name: "plain-swift", priority: 1000)

let model = try await Model.load(from: URL(fileURLWithPath: arguments[1]),
                                 options: LoadOptions(backend: .cpu(kernels: kernels)))
let chat = ChatSession(model: model, instructions: "Answer in one short sentence.")
let reply = try await chat.respond(to: question)
print(reply.answer)
print("Q8_0 kernel calls: \(calls.total)")
