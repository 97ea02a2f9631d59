#!/usr/bin/env python3
"""Reference renderings for Minnow's chat-template interpreter (MinnowTemplate).

Renders chat templates with Python jinja2 configured exactly as Hugging Face
`transformers` does for `apply_chat_template`:
  ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
  extensions=[loopcontrols]), `raise_exception` and `strftime_now` globals, and
  HF's own `tojson` filter (json.dumps with ensure_ascii=False).
The context holds `messages`, `tools` (None unless the case has tools),
`documents` (None), `add_generation_prompt`, `bos_token` and `eos_token`.

Templates are read from the GGUF files with gguf-py (`gguf.GGUFReader`) when the
models are present; Llama 3.1's template (no model file here) is the committed
`llama3.1.jinja`.

Outputs, under Tests/Fixtures/templates/:
  <name>.jinja          the template sources
  templates.json        name -> {file, bos_token, eos_token}
  cases.json            the conversations (order-preserving JSON)
  expected.json         rendering of every case x template x add_generation_prompt
  features.json         small templates exercising single features, with jinja2's output

Usage: Scripts/make-template-fixtures.py [--models DIR]
"""
import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path

import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "templates"

MODELS = {
    # fixture name: (GGUF file, pretty name)
    "r1": "DeepSeek-R1-Distill-Qwen-7B.header.gguf",
    "qwen2.5": "Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf",
    "smollm2": "SmolLM2-135M-Instruct.Q4_1.gguf",
}
# Templates without a model file here, committed as sources: Llama 3.1 Instruct's, and a
# Qwen3-style template (reverse slicing, namespaces, reasoning_content, enable_thinking).
EXTRA_TEMPLATES = {
    "llama3.1": {"file": "llama3.1.jinja", "bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
    "qwen3": {"file": "qwen3.jinja", "bos_token": "", "eos_token": "<|im_end|>"},
}


def hf_environment():
    """The jinja2 environment of transformers' chat-template rendering."""
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return datetime.now().strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def read_gguf_template(path):
    from gguf import GGUFReader

    class MetadataReader(GGUFReader):
        """Reads the metadata only: the R1 header file's tensor data is cut short on purpose."""
        def _build_tensors(self, start_offs, fields):
            self.tensors = []

    reader = MetadataReader(str(path))

    def field_value(name):
        field = reader.fields[name]
        part = field.parts[field.data[0]]
        if field.types[0] == 8:  # string
            return bytes(part).decode("utf-8")
        return int(part[0])

    def token(index):
        field = reader.fields["tokenizer.ggml.tokens"]
        return bytes(field.parts[field.data[index]]).decode("utf-8")

    return {
        "source": field_value("tokenizer.chat_template"),
        "bos_token": token(field_value("tokenizer.ggml.bos_token_id")),
        "eos_token": token(field_value("tokenizer.ggml.eos_token_id")),
    }


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "description": "The city, e.g. Zürich"}},
            "required": ["city"],
        },
    },
}

CASES = [
    {"name": "single-user", "messages": [{"role": "user", "content": "Hello! Who are you?"}]},
    {"name": "system-user", "messages": [
        {"role": "system", "content": "You are a terse assistant. Answer in one sentence."},
        {"role": "user", "content": "What is the capital of Germany?"},
    ]},
    {"name": "multi-turn", "messages": [
        {"role": "user", "content": "  Give me a number.  "},
        {"role": "assistant", "content": "42"},
        {"role": "user", "content": "Another one, please.\n"},
        {"role": "assistant", "content": "7\n\n"},
        {"role": "user", "content": "Thanks. Now add them."},
    ]},
    {"name": "think-history", "messages": [
        {"role": "system", "content": "You reason step by step."},
        {"role": "user", "content": "What is 17 * 3?"},
        {"role": "assistant", "content": "<think>\n17 * 3 = 51, check: 50 + 1.\n</think>\n\nThe answer is 51."},
        {"role": "user", "content": "And 17 * 4?"},
    ]},
    {"name": "unicode", "messages": [
        {"role": "system", "content": "Grüße aus München! „Antworte“ bitte kurz — danke."},
        {"role": "user", "content": "日本語で答えてください 🙂 👨‍👩‍👧 e\u0301 vs é"},
        {"role": "assistant", "content": "もちろんです！你好 🌍"},
        {"role": "user", "content": "def f():\n\treturn \"x\\n\"\r\n"},
    ]},
    {"name": "tool-call", "tools": [WEATHER_TOOL], "messages": [
        {"role": "user", "content": "What's the weather in Paris?"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}},
        ]},
        {"role": "tool", "content": "{\"temperature\": 21, \"unit\": \"°C\"}"},
        {"role": "assistant", "content": "It is 21 °C in Paris."},
    ]},
    {"name": "reasoning-no-thinking", "extra": {"enable_thinking": False}, "messages": [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello!", "reasoning_content": "Greet back."},
        {"role": "user", "content": "<tool_response>x</tool_response>"},
        {"role": "assistant", "content": "\n\n<think>\nhmm\n</think>\n\nDone."},
    ]},
    {"name": "system-late", "messages": [
        {"role": "user", "content": "Hi"},
        {"role": "system", "content": "Be formal."},
        {"role": "user", "content": "Hello there"},
    ]},
]

# Small templates exercising one feature each; rendered with the HF environment.
# (name, template, context)
FEATURES = [
    ("text", "plain text\n", {}),
    ("trailing-newline", "a\n\n", {}),
    ("crlf-source", "a\r\nb{% if true %}\r\nc{% endif %}\r\n", {}),
    ("trim-blocks", "{% if true %}\nyes\n{% endif %}\nend", {}),
    ("lstrip-blocks", "x\n    {% if true %}\n    body\n    {% endif %}\ny", {}),
    ("lstrip-not-variables", "x\n    {{ 'v' }}\n", {}),
    ("lstrip-mid-line", "x {% if true %}y{% endif %} z", {}),
    ("lstrip-plus", "x\n    {%+ if true %}y{% endif %}", {}),
    ("trim-plus", "{% if true +%}\ny{% endif %}", {}),
    ("minus-strip", "a  \n  {%- if true -%}  \n  b  \n  {%- endif -%}  \n  c", {}),
    ("variable-minus", "a  {{- 'b' -}}  c {{ 'd' }} e", {}),
    ("comment", "a {# comment #} b\n{# line comment #}\nc {#- x -#} d", {}),
    ("raw", "{% raw %}{{ not rendered }}{% endraw %}", {}),
    ("literals", "{{ 1 }} {{ -2 }} {{ 3.5 }} {{ 1e3 }} {{ 'a' \"b\" }} {{ true }} {{ True }} {{ none }} {{ None }} {{ false }}", {}),
    ("escapes", "{{ 'tab\\there' }}|{{ \"q\\\"q\" }}|{{ 'nl\\n' }}|{{ '\\u00e9\\x41' }}", {}),
    ("lists-dicts", "{{ [1, 'a', [2]] }} {{ {'k': 'v', 'n': 1} }} {{ (1, 2) }}", {}),
    ("arith", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ 1.5 + 1 }} {{ 0.1 + 0.2 }}", {}),
    ("string-ops", "{{ 'ab' + 'cd' }} {{ 'ab' * 3 }} {{ 1 ~ 'x' ~ none }} {{ [1] + [2, 3] }}", {}),
    ("compare", "{{ 1 < 2 }} {{ 2 <= 1 }} {{ 'a' == 'a' }} {{ 1 == 1.0 }} {{ 'b' > 'a' }} {{ 1 != 2 }} {{ 1 < 2 < 3 }} {{ true == 1 }}", {}),
    ("logic", "{{ true and false }} {{ true or false }} {{ not true }} {{ none or 'x' }} {{ '' and 'y' }} {{ 0 or [] }} {{ 'a' and 'b' }}", {}),
    ("in", "{{ 'b' in 'abc' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'z' not in 'abc' }}", {}),
    ("ternary", "{{ 'y' if true else 'n' }} {{ 'y' if false else 'n' }} [{{ 'y' if false }}]", {}),
    ("attr-item", "{{ d.a }} {{ d['a'] }} {{ d.b.c }} {{ l[0] }} {{ l[-1] }} {{ d.missing }}|{{ l[10] }}|", {"d": {"a": 1, "b": {"c": "deep"}}, "l": [1, 2, 3]}),
    ("slices", "{{ l[1:] }} {{ l[:2] }} {{ l[::-1] }} {{ l[::2] }} {{ l[-2:] }} {{ s[1:3] }} {{ s[::-1] }} {{ l[5:] }}", {"l": [1, 2, 3, 4], "s": "héllo"}),
    ("tests", "{{ x is defined }} {{ y is defined }} {{ y is undefined }} {{ none is none }} {{ 'a' is string }} {{ 1 is number }} {{ 1 is integer }} {{ 1.0 is float }} {{ {} is mapping }} {{ [] is iterable }} {{ 'a' is iterable }} {{ 3 is odd }} {{ 4 is even }} {{ 6 is divisibleby(3) }} {{ x is not none }} {{ true is boolean }} {{ [] is sequence }} {{ 'a' is equalto 'a' }} {{ 'A' is upper }} {{ 'a' is lower }}", {"x": 1}),
    ("filters-basic", "[{{ '  a b  ' | trim }}] {{ 'abc' | length }} {{ [1,2] | count }} {{ 'aB' | upper }} {{ 'aB' | lower }} {{ 'hello world' | title }} {{ 'hello World' | capitalize }} {{ none | string }} {{ 5 | string }}", {}),
    ("filters-default", "{{ x | default('d') }} {{ '' | default('e') }} {{ '' | default('e', true) }} {{ y | d('z') }}", {"y": "set"}),
    ("filters-join", "{{ ['a', 'b', 'c'] | join(', ') }} {{ [1, 2] | join }} {{ users | join('/', attribute='name') }}", {"users": [{"name": "x"}, {"name": "y"}]}),
    ("filters-first-last", "{{ [1, 2, 3] | first }} {{ [1, 2, 3] | last }} {{ 'abc' | first }} {{ [3, 1, 2] | sort }} {{ [3, 1, 2] | sort(reverse=true) }} {{ [1, 2, 3] | reverse | list }} {{ 'abc' | reverse }} {{ [1, 2, 2, 1] | unique | list }}", {}),
    ("filters-replace", "{{ 'aaa' | replace('a', 'b') }} {{ 'aaa' | replace('a', 'b', 2) }} {{ 'x' | safe }} {{ '3' | int + 1 }} {{ '2.5' | float }} {{ -3 | abs }} {{ [1, 2, 3] | sum }} {{ [4, 2, 9] | min }} {{ [4, 2, 9] | max }} {{ 2.567 | round(2) }} {{ 2.5 | round }} {{ 7 | float }}", {}),
    ("filters-select", "{{ msgs | selectattr('role', 'equalto', 'user') | map(attribute='content') | join(',') }} {{ msgs | rejectattr('role', 'equalto', 'user') | list | length }} {{ [1, 2, 3, 4] | select('odd') | list }} {{ [1, 2, 3, 4] | reject('even') | list }} {{ ['a', 'code_interpreter', 'b'] | reject('equalto', 'code_interpreter') | join(', ') }} {{ msgs | selectattr('name') | list | length }} {{ ['1', '2'] | map('int') | sum }}", {"msgs": [{"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1", "name": "bot"}, {"role": "user", "content": "u2"}]}),
    ("filters-items", "{% for k, v in d | items %}{{ k }}={{ v }};{% endfor %} {% for k, v in d.items() %}{{ k }}:{{ v }};{% endfor %} {{ d.keys() | list }} {{ d.values() | list }} {{ d.get('a') }} {{ d.get('zz', 'none') }} {{ d | dictsort }}", {"d": {"b": 2, "a": 1}}),
    ("tojson", "{{ d | tojson }}\n{{ d | tojson(indent=2) }}\n{{ 'é\"\\n' | tojson }} {{ [1, 2.5, none, true] | tojson }} {{ d | tojson(sort_keys=true) }}", {"d": {"z": [1, {"x": "ü"}], "a": None, "m": "<tag>&"}}),
    ("indent", "{{ 'a\\nb\\n\\nc' | indent(2) }}|{{ 'a\\nb' | indent(2, true) }}", {}),
    ("string-methods", "{{ ' x '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ ' x '.lstrip() }}|{{ ' x '.rstrip() }}|{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a-b-c'.split('-', 1) }}|{{ 'abc'.startswith('ab') }}|{{ 'abc'.endswith('bc') }}|{{ 'abc'.upper() }}|{{ 'ABC'.lower() }}|{{ 'aXa'.replace('a', 'b') }}|{{ 'hello world'.title() }}|{{ 'abcb'.find('b') }}|{{ 'abcb'.count('b') }}|{{ 'a1'.capitalize() }}|{{ ', '.join(['x', 'y']) }}|{{ 'a\\nb'.splitlines() }}|{{ 'abc'.rstrip('c') }}|{{ 'x</think>y</think>z'.split('</think>')[-1] }}|{{ 'a b c'.rsplit(' ', 1) }}", {}),
    ("for-loop", "{% for x in l %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.length }}/{{ loop.first }}/{{ loop.last }}/{{ x }};{% endfor %}", {"l": ["a", "b", "c"]}),
    ("for-else", "{% for x in [] %}{{ x }}{% else %}empty{% endfor %} {% for x in [1] %}{{ x }}{% else %}empty{% endfor %}", {}),
    ("for-filter", "{% for x in range(10) if x is odd %}{{ x }}{{ ',' if not loop.last }}{% endfor %}", {}),
    ("for-prev-next", "{% for x in [1, 2, 3] %}{{ loop.previtem }}<{{ x }}>{{ loop.nextitem }} {% endfor %}", {}),
    ("for-nested", "{% for a in [1, 2] %}{% for b in ['x', 'y'] %}{{ a }}{{ b }}{{ loop.index }}{% endfor %}{{ loop.index }} {% endfor %}", {}),
    ("for-dict-string", "{% for k in {'a': 1, 'b': 2} %}{{ k }}{% endfor %} {% for c in 'héy' %}[{{ c }}]{% endfor %}", {}),
    ("for-break-continue", "{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}", {}),
    ("for-scope", "{% set x = 'outer' %}{% for i in [1, 2] %}{% set x = 'inner' ~ i %}{{ x }} {% endfor %}{{ x }}", {}),
    ("loop-cycle", "{% for i in range(5) %}{{ loop.cycle('a', 'b') }}{% endfor %}", {}),
    ("range", "{{ range(3) | list }} {{ range(1, 7, 2) | list }} {{ range(5, 0, -2) | list }}", {}),
    ("if-elif", "{% for x in [1, 2, 3] %}{% if x == 1 %}one{% elif x == 2 %}two{% else %}other{% endif %} {% endfor %}", {}),
    ("set", "{% set a = 1 %}{% set b, c = 2, 3 %}{{ a + b + c }} {% set s %}block {{ a }}{% endset %}[{{ s }}]", {}),
    ("namespace", "{% set ns = namespace(count=0, found=false) %}{% for x in [1, 2, 3] %}{% set ns.count = ns.count + x %}{% if x == 2 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.count }} {{ ns.found }}", {}),
    ("macro", "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', '?') }} {{ greet(punct='.', name='C') }}", {}),
    ("macro-recursion", "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * fact(n - 1) | int }}{% endif %}{% endmacro %}{{ fact(5) }}", {}),
    ("with", "{% with a = 5 %}{{ a }}{% endwith %}[{{ a }}]", {}),
    ("generation-and-filter-block", "{% filter upper %}shout {{ 'it' }}{% endfilter %}", {}),
    ("undefined-ops", "[{{ u }}] {{ u | length }} {{ u is none }} {{ u == none }} {{ 'x' if u else 'y' }} {% for a in u %}{{ a }}{% endfor %}{{ u | default('dflt') }}", {}),
    ("str-of-values", "{{ [none, true, 'it\\'s', \"q\", 1.0] }} {{ {'a': [1, 'b']} }} {{ 1e16 }} {{ 1e-5 }} {{ 123456.789 }} {{ 10 / 4 }} {{ 1 / 3 }}", {}),
    ("messages-like", "{% for m in messages %}{{ m.role | upper }}: {{ m['content'] | trim }}{% if not loop.last %}\n{% endif %}{% endfor %}", {"messages": [{"role": "user", "content": " hi "}, {"role": "assistant", "content": "yo"}]}),
    ("lstrip-comment", "x\n  {# c #}\ny\n\t{% if true %}\tz{% endif %}", {}),
    ("lstrip-template-start", "   {% if true %}x{% endif %}\n{{ 'a' }}   {% if true %}b{% endif %}", {}),
    ("raw-control", "a\n  {%- raw -%}\n {{ x }} \n{%- endraw %}\nb", {}),
    ("braces-in-text", "a { b } {{ '{' }} {{ '}}' }} {% set x = '%}' %}{{ x }} {{ {'a': {'b': 1}} }}", {}),
    ("filter-chains", "{{ x | trim | upper | length }} {{ msgs | length > 1 }} {{ not 1 == 2 }} {{ -2 ** 2 }} {{ 2 ** 3 ** 2 }}", {"x": " ab ", "msgs": [1, 2]}),
    ("conditional-undefined", "[{{ 1 if x }}] {{ 'a' in ['a'] and not 'b' in ['a'] }} {{ 'y' if x is not defined else 'n' }}", {}),
    ("attr-int", "{{ l.0 }} {{ l.1.a }} {{ (l | last).a }}", {"l": ["z", {"a": "deep"}]}),
    ("set-default-append", "{% set x = x | default([]) + [1] %}{{ x }} {% set y = none %}{{ y | default('d') }}", {}),
    ("macro-defaults", "{% macro m(a, b=a ~ '!', c=none) %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m('x') }} {{ m('x', c=1) }}", {}),
    ("join-length-json-sep", "{{ [1, 2, 3] | join(',') | length }} {{ {'a': [1, 2]} | tojson(separators=(',', ':')) }} {{ 'abc' | list }} {{ {'a': 1} | list }} {{ range(3) | reverse | list }}", {}),
    ("tuple-unpack-loop", "{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }}{{ ';' if not loop.last }}{% endfor %} {% for k, v in {'x': 1, 'y': 2}.items() %}{{ k }}{{ v }}{% if loop.last %}.{% endif %}{% endfor %}", {}),
    ("int-float-conversions", "{{ 'abc' | int }} {{ '  x  ' | trim('x ') }} {{ 'Hello' ~ 1.0 }} {{ 10 // 3 * 3 + 10 % 3 }} {{ [1, 2] < [1, 3] }} {{ '42' | int * 2 }} {{ 3.7 | int }} {{ true | int }}", {}),
    ("unicode-source", "{{ 'ü→😀' }} {{ 'ü→😀' | length }} {{ 'ü→😀'[1] }} {{ 'ÄÖÜ' | lower }} {{ 'straße' | upper }}", {}),
    ("loop-filtered-index", "{% for m in msgs if m.role != 'system' %}{{ loop.index }}:{{ m.role }}/{{ loop.length }} {% endfor %}{{ loop }}", {"msgs": [{"role": "system"}, {"role": "user"}, {"role": "assistant"}]}),
    ("last-user", "{{ (msgs | selectattr('role', 'eq', 'user') | list | last).content }} {{ msgs | map(attribute='role') | unique | join(',') }} {{ u is string }}", {"msgs": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "user", "content": "c"}]}),
    ("replace-newlines", "{{ 'a\nb' | replace('\n', '\\n') }} {{ 'a\tb'.replace('\t', '    ') }}", {}),
    ("namespace-dict-init", "{% set ns = namespace(items=[]) %}{% for x in [1, 2] %}{% set ns.items = ns.items + [x * 10] %}{% endfor %}{{ ns.items }}", {}),
    ("string-compare-chars", "{{ 'a' < 'b' }} {{ 'B' < 'a' }} {{ 'é' > 'z' }} {{ [3, 1, 2] | sort | first }} {{ ['b', 'A', 'c'] | sort }} {{ ['b', 'A', 'c'] | sort(case_sensitive=true) }}", {}),
    ("nested-ternary-and-or", "{{ 'a' if false else 'b' if false else 'c' }} {{ x or y or 'z' }} {{ (x and 'no') or 'yes' }}", {"x": "", "y": 0}),
    ("whitespace-mixed", "<{%- if true %} a {% endif -%}>\n  {{- ' b ' -}}  \n<{% if true -%}\n\n c \n{%- endif %}>", {}),
    ("for-over-none-content-check", "{% for m in msgs %}{% if m.content is none %}N{% elif m.content is string %}S{% else %}O{% endif %}{% endfor %}", {"msgs": [{"content": None}, {"content": "x"}, {"content": [1]}]}),
    ("percent-format", "{{ '%s-%d' % ('a', 3) }} {{ '%s' % 'x' }} {{ '%05.2f|%-4s|%4d|%x|%%|%+d' % (3.14159, 'ab', 42, 255, 5) }} {{ '%(name)s is %(age)d' % {'name': 'Ann', 'age': 7} }} {{ '%r' % 'q' }} [{{ '%s' % u }}]", {}),
    ("str-format", "{{ '{} {}'.format(1, 'b') }} {{ '{1}{0}'.format('a', 'b') }} {{ '{name}!'.format(name='x') }} {{ '{{literal}}'.format() }} {{ '{:>5}|{:<4}|{:^6}|{:05d}|{:.2f}|{!r}|{:*^7}|{:.1%}'.format('r', 'l', 'c', 42, 3.14159, 'q', 'mid', 0.256) }}", {}),
    ("error-percent-args", "{{ '%s %s' % ('one',) }}", {}),
    ("raise", "{% if true %}{{ raise_exception('boom: ' ~ 42) }}{% endif %}", {}),
    ("error-undefined-attr", "{{ u.x }}", {}),
    ("error-type-add", "{{ 'a' + 1 }}", {}),
    ("error-syntax", "line one\n{% if x %}\n{{ x + }}\n{% endif %}", {}),
    ("error-unclosed", "{% for x in y %}\nno end", {}),
    ("error-immutable", "{% set l = [1] %}{{ l.append(2) }}", {}),
    ("error-unknown-filter", "{{ 'a' | nosuchfilter }}", {}),
]


def render(env, source, context):
    try:
        return {"output": env.from_string(source).render(**context)}
    except jinja2.exceptions.TemplateSyntaxError as e:
        return {"error": "syntax", "line": e.lineno, "message": e.message}
    except jinja2.exceptions.TemplateError as e:
        return {"error": "runtime", "message": str(e)}
    except Exception as e:  # TypeError etc. raised from inside the template
        return {"error": "runtime", "message": f"{type(e).__name__}: {e}"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default=os.environ.get("MINNOW_MODELS", os.path.expanduser("~/.cache/minnow/models")))
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = hf_environment()

    templates = {}
    for name, file in MODELS.items():
        path = Path(args.models) / file
        if path.exists():
            info = read_gguf_template(path)
            (OUT / f"{name}.jinja").write_bytes(info["source"].encode("utf-8"))
            templates[name] = {"file": f"{name}.jinja", "bos_token": info["bos_token"], "eos_token": info["eos_token"], "gguf": file}
        else:
            sys.exit(f"missing model {path}: run Scripts/fetch-models.sh")
    templates.update({name: dict(info) for name, info in EXTRA_TEMPLATES.items()})

    expected = []
    for tname, info in templates.items():
        source = (OUT / info["file"]).read_bytes().decode("utf-8")
        for case in CASES:
            for agp in (True, False):
                context = {
                    "messages": case["messages"],
                    "tools": case.get("tools"),
                    "documents": None,
                    "add_generation_prompt": agp,
                    "bos_token": info["bos_token"],
                    "eos_token": info["eos_token"],
                    **case.get("extra", {}),
                }
                result = render(env, source, context)
                expected.append({"template": tname, "case": case["name"], "add_generation_prompt": agp, **result})

    features = []
    for name, source, context in FEATURES:
        features.append({"name": name, "template": source, "context": context, **render(env, source, context)})

    def dump(obj, file):
        (OUT / file).write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    dump(templates, "templates.json")
    dump(CASES, "cases.json")
    dump(expected, "expected.json")
    dump(features, "features.json")
    errors = [e for e in expected if "error" in e]
    print(f"{len(expected)} renderings ({len(errors)} errors), {len(features)} features -> {OUT}")


if __name__ == "__main__":
    main()
