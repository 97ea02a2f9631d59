// The tokenizer module: see the tokenizer issue.
