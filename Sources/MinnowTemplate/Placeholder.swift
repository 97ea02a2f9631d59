// The chat-template module: see the tokenizer issue.
