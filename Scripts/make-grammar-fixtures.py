#!/usr/bin/env python3
"""Records which strings llama.cpp's grammar engine accepts, for Minnow's GrammarFixtureTests.

For every grammar in Tests/Fixtures/grammar/grammars/*.gbnf and a few hundred strings (the
hand-written cases below, mechanical mutations of them, and the Minnow outputs listed in
Tests/Fixtures/grammar/minnow-outputs.json if present), llama.cpp (through llama-cpp-python's
low-level API: llama_sampler_init_grammar) decides:

  prefix   -- every token of the string is accepted (the string can be continued into a match)
  complete -- and the end-of-generation token is then allowed (the string is a whole match)

A string is fed as the model's tokens: before each token, the grammar sampler is applied to a
one-candidate array holding that token, and a logit of -inf means rejected; then the token is
accepted. Byte-level segmentation does not change what a pushdown grammar matches, so the
verdict is the string's, whatever the tokenizer.

It also records which malformed grammars llama.cpp refuses (the sampler is NULL).

Usage: Scripts/make-grammar-fixtures.py [path/to/Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf]
(the model is read for its vocabulary only).
"""
import ctypes
import glob
import json
import math
import os
import random
import subprocess
import sys

import llama_cpp

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures", "grammar")
MODEL = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else os.path.expanduser(
    "~/.cache/minnow/models/Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf")

CASES = {
    "arithmetic": [
        "1", "1+2", "1 + 2", "(1+2)*3", "-(4/2) - 7.25", "12.5*(3-1)", "((1))", "1 +2", "--3", "3.", "3.1415",
        "1234567", "123456", "(1+2", "1+2)", "", "1 + ", "a+1", "1  + 2", "2*-3", "0.001/9", " 1", "1 ",
        "(((((1)))))", "1*2*3*4*5*6", "1/(2-(3*4))",
    ],
    "json": [
        "{}", "[]", '{"a":1}', '{"a": [1, 2, {"b": null}]}', '"hi"', '"\\u00e9\\n"', '"\\x"', "true", "false",
        "null", "nul", "0", "-0", "01", "1.5e10", "1e", "-", '{"a":}', '{"a" 1}', '{"a":1,}', "[1,2,]", "[1 2]",
        '{\n  "k": "v",\n  "n": -3.25E-2\n}', '"\u65e5\u672c\u8a9e"', '"tab\there"', '"bad\x01"', "[[[[[]]]]]",
        '{"x": {"y": {"z": [true, false]}}}', '"unterminated', '{"a":1}{', "  {}", '{"emoji": "\U0001F600"}',
        "12345678901234567", "1234567890123456",
    ],
    "bullets": [
        "- Buy milk\n", "* Call Bob, then Alice\n- Done\n", "\u2022 One\n\u2022 Two\n\u2022 Three\n\u2022 Four\n",
        "- A\n- B\n- C\n- D\n- E\n", "- lower\n", "-Missing space\n", "- No newline", "+ Wrong bullet\n",
        "- It's 4 o'clock\n", "", "\u2022 Caf\u00e9\n", "- " + "X" + "y" * 40 + "\n", "- " + "X" + "y" * 41 + "\n",
    ],
    "chess": [
        "1. e4", "1. e4 e5", "1. e4 e5 2. Nf3 Nc6", "1. e4 e5 2. Nf3 Nc6 3. Bb5 a6 4. Ba4 Nf6",
        "1. e4 e5 2. Nf3 Nc6 3. Bb5 a6 4. Ba4 Nf6 5. O-O Be7", "12. O-O-O Qxd8+", "1. exd5", "1. e8=Q#",
        "1. Nbd7", "1. R1a3", "1. Ng1f3", "1. e9", "1. Pe4", "1. i4", "1.e4", "0. e4", "99. Kxh8", "100. e4",
        "1. O-O-O-O", "1. e4  e5", "1. e4 e5 ", "1. Qh4#", "1. e4 e5 2. Qh5 Nc6 3. Bc4 Nf6 4. Qxf7#",
    ],
    "classes": [
        'h\u00e9llo AF-zz <ab><c> abc "x"', 'hi 0A-xy <a><b> \u0436\u0438\u0437\u043d\u044c "a\\"b".',
        '\u00e9t\u00e9 1234-~ <x><y> q ""', '\u65e5\u672c FFFF-{|} <a><a> a "\\n\\t".', 'hello AF-zz <ab><c> abc "x"',
        'hi G0-xy <a><b> abc "x"', 'hi 0A-/ <a><b> abc "x"', 'hi 0A-x <a> abc "x"', 'hi 0A-xyzw <a><b> abc "x"',
        'hi 0A-x <a><b> ABC "x"', 'hi 0A-x <a><b> abc "\\q"', 'hi 0A-x <a><b> abc "x"..', 'hi 0A-[ <a><b> abc "x"',
        'hi 0A-x <><b> abc "x"', 'hi 0A-\u00e9 <a><b> \u04ff "\u00e9"',
    ],
}

BAD_GRAMMARS = [
    "root ::= foo",                       # undefined rule
    'root ::= "a" |',                      # empty alternative is fine in llama.cpp
    'root ::= "abc',                       # unterminated literal
    "root ::= [a-",                        # unterminated class
    'root ::= ("a"',                       # missing )
    'rot ::= "a"',                         # no root
    'root ::= "a"{2,1}',                   # reversed repetition
    'root ::= "\\q"',                      # unknown escape
    "root ::= root \"a\"",                 # left recursion
    'root ::= * "a"',                      # repetition of nothing
]


def mutations(text, rng):
    out = []
    if text:
        out.append(text[:-1])
        i = rng.randrange(len(text))
        out.append(text[:i] + text[i + 1:])
        out.append(text[:i] + rng.choice("a1 -\"{}[]:,.#\u00e9") + text[i:])
        out.append(text + rng.choice(["x", " ", "\n", "1", "]"]))
    return out


class Engine:
    def __init__(self, model_path):
        llama_cpp.llama_backend_init()
        params = llama_cpp.llama_model_default_params()
        params.vocab_only = True
        self.model = llama_cpp.llama_model_load_from_file(model_path.encode(), params)
        if not self.model:
            raise SystemExit(f"cannot load {model_path}")
        self.vocab = llama_cpp.llama_model_get_vocab(self.model)
        self.eos = llama_cpp.llama_vocab_eos(self.vocab)

    def sampler(self, gbnf):
        return llama_cpp.llama_sampler_init_grammar(self.vocab, gbnf.encode(), b"root")

    def tokens(self, text):
        data = text.encode()
        buffer = (llama_cpp.llama_token * (len(data) + 8))()
        n = llama_cpp.llama_tokenize(self.vocab, data, len(data), buffer, len(data) + 8, False, False)
        if n < 0:
            raise RuntimeError(f"tokenize failed for {text!r}")
        return list(buffer[:n])

    def allowed(self, sampler, token):
        array = (llama_cpp.llama_token_data * 1)()
        array[0].id = token
        array[0].logit = 0.0
        array[0].p = 0.0
        candidates = llama_cpp.llama_token_data_array(data=array, size=1, selected=-1, sorted=False)
        llama_cpp.llama_sampler_apply(sampler, ctypes.byref(candidates))
        return not math.isinf(array[0].logit)

    def judge(self, gbnf, text):
        sampler = self.sampler(gbnf)
        try:
            for token in self.tokens(text):
                if not self.allowed(sampler, token):
                    return False, False
                llama_cpp.llama_sampler_accept(sampler, token)
            return True, self.allowed(sampler, self.eos)
        finally:
            llama_cpp.llama_sampler_free(sampler)


def main():
    engine = Engine(MODEL)
    rng = random.Random(16)
    extra = {}
    outputs_path = os.path.join(FIXTURES, "minnow-outputs.json")
    if os.path.exists(outputs_path):
        with open(outputs_path) as f:
            extra = json.load(f)
    grammars = []
    total = 0
    for path in sorted(glob.glob(os.path.join(FIXTURES, "grammars", "*.gbnf"))):
        name = os.path.splitext(os.path.basename(path))[0]
        with open(path) as f:
            gbnf = f.read()
        sampler = engine.sampler(gbnf)
        if not sampler:
            raise SystemExit(f"llama.cpp refuses {path}")
        llama_cpp.llama_sampler_free(sampler)
        texts = list(CASES.get(name, []))
        for text in list(texts):
            texts += mutations(text, rng)
        texts += extra.get(name, [])
        seen, cases = set(), []
        for text in texts:
            if text in seen:
                continue
            seen.add(text)
            prefix, complete = engine.judge(gbnf, text)
            cases.append({"text": text, "prefix": prefix, "complete": complete})
        total += len(cases)
        grammars.append({"name": name, "cases": cases})
        print(f"{name}: {len(cases)} strings, {sum(c['complete'] for c in cases)} complete matches", file=sys.stderr)
    bad = []
    for gbnf in BAD_GRAMMARS:
        # Each in a child process with a time limit: llama.cpp does not return on some
        # (`"a"{2,1}` ran for minutes in 0.3.36).
        try:
            child = subprocess.run([sys.executable, __file__, "--parse-only", MODEL], input=gbnf.encode(),
                                   capture_output=True, timeout=60)
            verdict = {0: "accepts", 3: "refuses"}.get(child.returncode, f"crashes ({child.returncode})")
        except subprocess.TimeoutExpired:
            verdict = "hangs"
        bad.append({"gbnf": gbnf, "llama": verdict})
        print(f"{gbnf!r}: llama.cpp {verdict}", file=sys.stderr)
    with open(os.path.join(FIXTURES, "llama-verdicts.json"), "w") as f:
        json.dump({"llamaCppPython": llama_cpp.__version__, "grammars": grammars, "badGrammars": bad},
                  f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{total} strings in {len(grammars)} grammars", file=sys.stderr)


def parse_only():
    engine = Engine(sys.argv[2])
    sampler = engine.sampler(sys.stdin.read())
    sys.exit(0 if sampler else 3)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--parse-only":
        parse_only()
    else:
        main()
