import ArgumentParser
import ExampleSupport
import Foundation
import Hummingbird
import Logging
import Minnow
import ServerKit
import ServiceLifecycle
import UnixSignals
import ServerAPI

/// `minnow-serve`: an OpenAI-compatible HTTP server for a local model.
@main
struct ServeCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minnow-serve",
        abstract: "Serve a local model over the OpenAI API (chat completions, completions, models).",
        discussion: """
        Endpoints: POST /v1/chat/completions, POST /v1/completions, GET /v1/models, GET /health, \
        GET /metrics (Prometheus). --parallel N requests share each forward pass; up to --queue \
        more wait, and beyond them the answer is 429. R1 reasoning is returned in \
        reasoning_content; a request's "thinking_budget" caps it. SIGTERM or SIGINT stops \
        accepting, cancels what is running and exits 0.
        """)

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "Address to bind (default: loopback only; 0.0.0.0 serves the network).")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on.")
    var port = 8080

    @Option(name: .long, help: "Requests generating at once; their tokens share each forward pass.")
    var parallel = 1

    @Option(name: .long, help: "Requests that may wait for a slot; beyond them the answer is 429 with Retry-After.")
    var queue = 16

    @Option(name: .long, help: "Require 'Authorization: Bearer KEY' (default: $MINNOW_API_KEY; none when unset).")
    var apiKey: String?

    @Option(name: .long, help: "Largest request body in bytes.")
    var maxBodyBytes = 1 << 20

    @Option(name: .long, help: "Seconds a request may take, queueing included, before it is stopped (0: no limit).")
    var requestTimeout: Double = 600

    @Option(name: .long, help: "Tokens generated when a request gives no max_tokens.")
    var maxTokens = 2048

    @Option(name: .long, help: "Temperature when a request gives none.")
    var temperature: Double = 0.6

    @Option(name: .long, help: "Reasoning budget in tokens when a request gives no thinking_budget (R1 models; default: none).")
    var thinkingBudget: Int?

    @Option(name: .long, help: "Render chats with this template: a GGUF file's chat template, or a Jinja text file.")
    var chatTemplate: String?

    @Option(name: .long, help: "The model id clients see (default: the model file's name).")
    var modelID: String?

    func validate() throws {
        if parallel < 1 { throw ValidationError("--parallel must be at least 1") }
        if queue < 0 { throw ValidationError("--queue must be 0 or more") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if maxBodyBytes < 1024 { throw ValidationError("--max-body-bytes must be at least 1024") }
        if requestTimeout < 0 { throw ValidationError("--request-timeout must be 0 or more") }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if !(0...2).contains(temperature) { throw ValidationError("--temperature must be between 0 and 2") }
        if let thinkingBudget, thinkingBudget < 0 { throw ValidationError("--thinking-budget must be 0 or more") }
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "minnow-serve")
        logger.logLevel = .info
        let model: Model
        do {
            model = try await modelOptions.loadModel { options in
                options.chatTemplateFile = chatTemplate.map { URL(fileURLWithPath: $0) }
            }
        } catch {
            printError("minnow-serve: \(error)")
            throw ExitCode(1)
        }
        let key = apiKey ?? ProcessInfo.processInfo.environment["MINNOW_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let configuration = ServerConfiguration(
            modelID: modelID ?? URL(fileURLWithPath: modelOptions.model).deletingPathExtension().lastPathComponent,
            apiKey: key, maxBodyBytes: maxBodyBytes,
            requestTimeout: requestTimeout > 0 ? .milliseconds(Int64(requestTimeout * 1000)) : nil,
            defaults: GenerationDefaults(maxTokens: maxTokens, temperature: temperature, thinkingBudget: thinkingBudget),
            queueCapacity: queue, contextLength: model.info.contextLength)
        let server = OpenAIServer(generator: BatchGenerator(model: model, maxSequences: parallel),
                                  configuration: configuration, logger: logger)
        let host = self.host
        let parallel = self.parallel
        let app = Application(
            router: server.makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "minnow-serve"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                printError("minnow-serve: serving \(configuration.modelID) on http://\(host):\(bound)/v1 "
                    + "(\(parallel) slot\(parallel == 1 ? "" : "s"), queue \(configuration.queueCapacity)"
                    + (key == nil ? "" : ", API key required") + ")")
            },
            logger: logger)
        // Shut down in reverse order: first every generation is cancelled, then the HTTP server
        // stops accepting and waits for the (now ending) responses.
        let group = ServiceGroup(
            services: [app, GenerationCanceller(server: server)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
        printError("minnow-serve: stopped")
    }
}

/// At graceful shutdown, cancels every running and waiting generation, so that open streams
/// end at once instead of running to their token limits.
struct GenerationCanceller: Service {
    let server: OpenAIServer

    func run() async throws {
        try? await gracefulShutdown()
        server.cancelAll()
    }
}
