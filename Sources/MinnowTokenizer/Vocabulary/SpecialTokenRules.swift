/// The name-based adjustments llama.cpp makes to special tokens after loading a vocabulary
/// (`llama_vocab::impl::load`): GGUF files do not record every token's role, so tokens are
/// recognized by their text. Tokens found this way become control tokens, and the
/// end-of-generation set is gathered.
enum SpecialTokenRules {
    /// Candidates for the end-of-turn token, used when the file names none. llama.cpp takes
    /// the first one its hash map yields; Minnow takes the first present in this order.
    static let endOfTurnNames = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>",
        "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>", "<end_of_utterance>",
    ]
    /// The end-of-message token.
    static let endOfMessageNames = ["<|eom_id|>"]
    /// Fill-in-the-middle tokens, one list per role: prefix, suffix, middle, pad, repo, file separator.
    static let fillInMiddleNames: [[String]] = [
        ["<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>"],
        ["<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>"],
        ["<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>"],
        ["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>"],
        ["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"],
        ["<|file_sep|>"],
    ]
    /// Indices in ``fillInMiddleNames`` whose token also ends generation (pad, repo, file separator).
    static let fillInMiddleEndOfGeneration: Set<Int> = [3, 4, 5]
    /// Tokens that end generation.
    static let endOfGenerationNames = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<end_of_turn>", "<|endoftext|>",
        "<|eom_id|>", "<EOT>", "_<EOT>", "<|end_of_text|>", "<end_of_utterance>",
    ]
    /// Tokens llama.cpp always renders (gpt-oss), made user-defined.
    static let alwaysRenderedNames = ["<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"]

    /// Every name above, as UTF-8, for recognizing them while scanning the vocabulary.
    static let allNames: Set<[UInt8]> = {
        var names = endOfTurnNames + endOfMessageNames + endOfGenerationNames + alwaysRenderedNames
        names += fillInMiddleNames.flatMap { $0 }
        return Set(names.map { Array($0.utf8) })
    }()

    /// Whether a raw token text could be one of the names (a cheap filter before the set lookup).
    @inline(__always)
    static func mightBeName(_ text: UnsafeRawBufferPointer) -> Bool {
        guard text.count >= 5, text.count <= 32, let first = text.first else { return false }
        return first == 0x3C || first == 0x5F || first == 0xE2  // '<', '_', '▁'
    }

    /// The outcome of applying the rules.
    struct Outcome {
        var types: [TokenType]
        var endOfTurnID: Int32?
        var endOfGeneration: Set<Int32>
    }

    /// Applies llama.cpp's rules to `types`, given the ids of the named tokens present.
    static func apply(
        types: [TokenType], named: [String: Int32], eosID: Int32?, eotID: Int32?
    ) -> Outcome {
        var types = types
        var endOfGeneration = Set<Int32>()
        func makeControl(_ id: Int32) { types[Int(id)] = .control }

        var endOfTurn = eotID
        if endOfTurn == nil, let found = endOfTurnNames.lazy.compactMap({ named[$0] }).first {
            endOfTurn = found
            makeControl(found)
        }
        var endOfMessage: Int32?
        if let found = endOfMessageNames.lazy.compactMap({ named[$0] }).first {
            endOfMessage = found
            makeControl(found)
        }
        for (role, names) in fillInMiddleNames.enumerated() {
            guard let found = names.lazy.compactMap({ named[$0] }).first else { continue }
            makeControl(found)
            if fillInMiddleEndOfGeneration.contains(role) { endOfGeneration.insert(found) }
        }
        for name in endOfGenerationNames {
            guard let id = named[name] else { continue }
            endOfGeneration.insert(id)
            makeControl(id)
        }
        for name in alwaysRenderedNames {
            if let id = named[name] { types[Int(id)] = .userDefined }
        }
        for id in [eosID, endOfTurn, endOfMessage].compactMap({ $0 }) {
            endOfGeneration.insert(id)
        }
        // gpt-oss (o200k_harmony): with <|return|> and <|call|>, <|end|> does not end generation.
        if let end = named["<|end|>"], let ret = named["<|return|>"], let call = named["<|call|>"],
           endOfGeneration.contains(ret), endOfGeneration.contains(call), endOfGeneration.contains(end) {
            endOfGeneration.remove(end)
            types[Int(end)] = .userDefined
        }
        return Outcome(types: types, endOfTurnID: endOfTurn, endOfGeneration: endOfGeneration)
    }
}
