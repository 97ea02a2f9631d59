#!/usr/bin/env python3
"""Renders the hostile chat templates of issue 13 (item 9) with `minnow chat-template` and
reports, for each, how the run ended, its wall time and its peak resident memory.

A benign template comes first, for the cost of starting the tool. Each template goes into a vocab-only GGUF (written with gguf-py: a three-token vocabulary,
no tensors) as `tokenizer.chat_template`; the tool renders it for a one-message conversation
under `/usr/bin/time -v`. A bounded renderer refuses each with a "limit exceeded" error in
milliseconds; an unbounded one grows until the address-space cap (--cap-gb) or the timeout
stops it.

    Scripts/hostile-templates.py [--minnow .build/release/minnow] [--cap-gb 4] [--timeout 60]
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile

import gguf

TEMPLATES = {
    "baseline: {{ messages[0]['content'] }}": "{{ messages[0]['content'] }}",
    "ns.s + ns.s": "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
    "ns.l + ns.l": "{% set ns = namespace(l=['x']) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l|length }}",
    "[ns.s, ns.s]|join('')": "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = [ns.s, ns.s]|join('') %}{% endfor %}{{ ns.s|length }}",
    "'%s%s' % (ns.s, ns.s)": "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = '%s%s' % (ns.s, ns.s) %}{% endfor %}{{ ns.s|length }}",
}


def write_gguf(path, template):
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_tokenizer_model("gpt2")
    writer.add_token_list(["<s>", "</s>", "a"])
    writer.add_token_types([3, 3, 1])
    writer.add_bos_token_id(0)
    writer.add_eos_token_id(1)
    writer.add_chat_template(template)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minnow", default=".build/release/minnow")
    parser.add_argument("--cap-gb", type=float, default=4, help="address-space cap (ulimit -v) for each run")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    cap = int(args.cap_gb * (1 << 30))

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    with tempfile.TemporaryDirectory() as folder:
        messages = os.path.join(folder, "messages.json")
        with open(messages, "w") as f:
            json.dump([{"role": "user", "content": "hi"}], f)
        print(f"| template | exit | wall (s) | peak RSS (MiB) | stderr |")
        print(f"|---|---:|---:|---:|---|")
        for name, template in TEMPLATES.items():
            model = os.path.join(folder, "hostile.gguf")
            write_gguf(model, template)
            command = ["/usr/bin/time", "-v", args.minnow, "chat-template", "--model", model, "--messages", messages]
            try:
                run = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout, preexec_fn=limit)
                status, err = run.returncode, run.stderr
            except subprocess.TimeoutExpired as expired:
                status, err = "timeout", (expired.stderr or b"").decode(errors="replace")
            wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", err)
            rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
            seconds = "?"
            if wall:
                parts = [float(p) for p in wall.group(1).split(":")]
                seconds = f"{sum(p * 60 ** i for i, p in enumerate(reversed(parts))):.2f}"
            peak = f"{int(rss.group(1)) / 1024:.0f}" if rss else "?"
            first = next((line for line in err.splitlines() if line.strip() and not line.startswith("\t")), "")
            label = name.replace("|", "\\|")
            print(f"| `{label}` | {status} | {seconds} | {peak} | {first.strip()[:120]} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
