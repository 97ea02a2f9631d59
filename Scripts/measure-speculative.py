#!/usr/bin/env python3
"""Measure issue 17: speculative decoding and prompt caches on disk (release build, CPU).

1. Target + draft model, greedy, 8 code and prose prompts: `minnow bench --draft DRAFT`, which
   runs each answer with and without the draft, alternating, checks that the answers are
   identical, and reports the acceptance rate and decode tokens/s of both.
2. The same with --draft ngram on a summarization prompt (the text to summarize is in the prompt).
3. Prompt cache: a system prompt of about 1,500 tokens. A fresh `minnow-chat` process evaluates it
   and answers; another saves it with --prompt-cache; a third, new process restores it and
   answers. Compares the time to first token (restore + prompt evaluation) and the answers, at
   temperature 0.

usage: Scripts/measure-speculative.py [--target PATH] [--draft PATH] [--threads 2] [-n 128]
                                      [--repetitions 1] [--draft-vocabulary N] [--skip-bench]
                                      [--skip-cache]
Build first: swift build -c release. Timings depend on the machine's load: on a shared
machine, rerun on a quiet one.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

MODELS = os.path.expanduser(os.environ.get("MINNOW_MODELS", "~/.cache/minnow/models"))
BIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "release")

# Written for this script: an invented product's release notes, long and repetitive enough that
# a summary reuses its phrases.
SUMMARY_SOURCE = (
    "Release notes for Harbor 4.2. Harbor 4.2 adds offline sync for shared folders, so that a folder "
    "shared with a team stays readable and writable without a network connection; changes made offline "
    "are merged when the connection returns, and conflicting edits to the same file are kept side by side "
    "with the editor's name in the file name. Harbor 4.2 also speeds up the first sync of a large folder: "
    "a folder of 100,000 files now syncs in about a third of the time it took in Harbor 4.1, because file "
    "metadata is sent in batches instead of one request per file. The settings window has a new Storage "
    "tab that shows how much space each shared folder takes on this computer and lets you free space by "
    "keeping a shared folder online only. Harbor 4.2 fixes a bug where renaming a shared folder on one "
    "computer did not rename it on the others until Harbor was restarted, and a bug where the sync status "
    "icon stayed orange after a sync had finished. Harbor 4.2 drops support for operating systems older "
    "than five years; Harbor 4.1 keeps working on them but will not receive updates."
)
SUMMARY_PROMPT = "Summarize these release notes in three sentences, reusing their wording:\n\n" + SUMMARY_SOURCE


def system_prompt():
    """About 1,500 tokens of instructions for an invented support assistant."""
    # Six topics of four rules: 1,5xx tokens with the Qwen2.5 tokenizer and chat template.
    topics = ["billing", "shipping", "returns", "warranty", "repairs", "trade-ins"]
    lines = ["You are Pebble, the support assistant of the Otter Outdoor Gear online store. "
             "Follow these rules in every answer."]
    rule = 1
    for topic in topics:
        for aspect in ["what customers usually ask", "what you may promise", "what you must never promise",
                       "when to hand over to a person"]:
            lines.append(f"Rule {rule}, {topic}, {aspect}: answer questions about {topic} briefly and politely; "
                         f"about {aspect}, follow the store's written policy for {topic}, quote the policy "
                         f"number OTR-{100 + rule}, and say plainly when the policy does not cover the case.")
            rule += 1
    lines.append("Answer in at most two sentences. Never invent an order number.")
    return "\n".join(lines)


def run(args, stdin=None, label=""):
    start = time.time()
    result = subprocess.run(args, input=stdin, capture_output=True, text=True)
    elapsed = time.time() - start
    if result.returncode != 0:
        sys.exit(f"{label} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result.stdout, result.stderr, elapsed


def bench(options, draft, prompts_file=None):
    args = [os.path.join(BIN, "minnow"), "bench", "--model", options.target, "--draft", draft,
            "--threads", str(options.threads), "-n", str(options.n), "--repetitions", str(options.repetitions)]
    if prompts_file:
        args += ["--prompts-file", prompts_file]
    if draft != "ngram" and options.draft_vocabulary is not None:
        args += ["--draft-vocabulary", str(options.draft_vocabulary)]
    out, err, _ = run(args, label="minnow bench --draft " + draft)
    print(out)
    return out


def chat(options, extra, question):
    args = [os.path.join(BIN, "minnow-chat"), "--model", options.target, "--threads", str(options.threads),
            "--context", "4096", "--temperature", "0", "--max-tokens", "48", "--reasoning", "hide"] + extra
    out, err, elapsed = run(args, stdin=question + "\n/stats\n", label="minnow-chat")
    answer = out.split("last answer:")[0].strip()
    ttft = int(re.search(r"time to first token (\d+) ms", out).group(1))
    prompt = re.search(r"last answer: (\d+) prompt tokens \((\d+) cached\)", out)
    restore = re.search(r"restored the prompt cache .* in (\d+) ms", err)
    return {"answer": answer, "ttft_ms": ttft, "prompt_tokens": int(prompt.group(1)),
            "cached": int(prompt.group(2)), "restore_ms": int(restore.group(1)) if restore else 0,
            "process_s": elapsed}


def prompt_cache(options):
    system = system_prompt()
    question = "Can you promise me that my trade-in will be accepted?"
    with tempfile.TemporaryDirectory() as folder:
        cache = os.path.join(folder, "support.kvcache")
        fresh = chat(options, ["--system", system], question)
        run([os.path.join(BIN, "minnow-chat"), "--model", options.target, "--threads", str(options.threads),
             "--context", "4096", "--system", system, "--prompt-cache", cache], stdin="", label="save")
        size = os.path.getsize(cache)
        restored = chat(options, ["--prompt-cache", cache], question)
    total_restored = restored["restore_ms"] + restored["ttft_ms"]
    print(f"prompt cache ({size / 1e6:.1f} MB file), {fresh['prompt_tokens']} prompt tokens:")
    print(f"  fresh:    time to first token {fresh['ttft_ms']} ms ({fresh['cached']} cached)")
    print(f"  restored: restore {restored['restore_ms']} ms + time to first token {restored['ttft_ms']} ms "
          f"({restored['cached']} cached) = {total_restored} ms")
    print(f"  speedup {fresh['ttft_ms'] / max(total_restored, 1):.1f}x; answers identical: "
          f"{fresh['answer'] == restored['answer']}")
    print(f"  answer: {fresh['answer']!r}")
    if fresh["answer"] != restored["answer"]:
        print(f"  restored answer: {restored['answer']!r}")
        return False
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", default=os.path.join(MODELS, "Qwen2.5-Coder-1.5B-Instruct.Q4_K_M.gguf"))
    parser.add_argument("--draft", default=os.path.join(MODELS, "Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("-n", type=int, default=128)
    parser.add_argument("--repetitions", type=int, default=1)
    parser.add_argument("--draft-vocabulary", type=int, default=None,
                        help="the draft's trimmed output head: N leading ids (0: all; default: minnow's)")
    parser.add_argument("--skip-bench", action="store_true")
    parser.add_argument("--skip-cache", action="store_true")
    options = parser.parse_args()
    print(f"target {options.target}\ndraft {options.draft}\n{options.threads} threads, {options.n} tokens, "
          f"cpu: {open('/proc/cpuinfo').read().split('model name')[1].split(':')[1].splitlines()[0].strip()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    ok = True
    if not options.skip_bench:
        out = bench(options, options.draft)
        ok &= "| all | | yes |" in out
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write(SUMMARY_PROMPT.replace("\n", " ") + "\n")
        out = bench(options, "ngram", f.name)
        os.unlink(f.name)
        ok &= "| all | | yes |" in out
    if not options.skip_cache:
        ok &= prompt_cache(options)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
