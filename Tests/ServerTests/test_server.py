"""End-to-end tests of minnow-serve through the official `openai` Python client.

Run by Scripts/check-server.sh: python3 test_server.py --binary .build/release/minnow-serve
--model Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf --r1-header DeepSeek-R1-Distill-Qwen-7B.header.gguf

Three servers, one after another: A (--parallel 4) for answers, usage, prefix reuse, concurrency
and bad requests; B (--parallel 1, --queue 1, an API key) for 401, 429, disconnects and SIGTERM;
C (the R1 template in front of the Qwen weights) for the reasoning split.
"""
import argparse
import concurrent.futures
import json
import os
import sys
import tempfile
import time
import traceback

import urllib.error
import urllib.request

import jsonschema
import openai

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_harness import Server, gguf_chat_template  # noqa: E402

FRANCE = "What is the capital of France? Answer in one word."
failures = []


class Raw:
    """A response of `raw`: status, headers, body text."""

    def __init__(self, status, headers, text):
        self.status_code, self.headers, self.text = status, headers, text

    def json(self):
        return json.loads(self.text)


def raw(server, method, path, body=None, headers=None):
    """A plain HTTP request, for what the openai client cannot send (malformed JSON, no key)."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return Raw(response.status, response.headers, response.read().decode())
    except urllib.error.HTTPError as error:
        return Raw(error.code, error.headers, error.read().decode())


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def run(name, test, *args):
    start = time.monotonic()
    try:
        test(*args)
        print(f"PASS {name} ({time.monotonic() - start:.1f} s)", flush=True)
    except Exception:  # noqa: BLE001 - report every failure and go on
        failures.append(name)
        print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)


def client_for(server, key="unused", retries=0):
    return openai.OpenAI(base_url=server.base + "/v1", api_key=key, max_retries=retries, timeout=600)


def chat(client, content, **options):
    return client.chat.completions.create(model="qwen", messages=[{"role": "user", "content": content}],
                                          temperature=0, **options)


def stream_chat(client, messages, **options):
    """(content, reasoning, finish_reason, usage, chunk count) of a streamed chat."""
    content, reasoning, finish, usage, count = "", "", None, None, 0
    for chunk in client.chat.completions.create(model="qwen", messages=messages, temperature=0, stream=True, **options):
        count += 1
        if chunk.usage is not None:
            usage = chunk.usage
        for choice in chunk.choices:
            content += choice.delta.content or ""
            reasoning += getattr(choice.delta, "reasoning_content", None) or ""
            finish = choice.finish_reason or finish
    return content, reasoning, finish, usage, count


# ---------------------------------------------------------------- server A: --parallel 4

def test_models_and_health(server):
    client = client_for(server)
    models = client.models.list()
    check([m.id for m in models.data] == ["qwen-test"], f"models: {models}")
    check(raw(server, "GET", "/health").json() == {"status": "ok"}, "health")


def test_paris(server):
    client = client_for(server)
    reply = chat(client, FRANCE, max_tokens=16)
    answer = reply.choices[0].message.content
    check("Paris" in answer, f"answer: {answer!r}")
    check(reply.choices[0].finish_reason == "stop", f"finish: {reply.choices[0].finish_reason}")
    usage = reply.usage
    check(usage.prompt_tokens > 10 and 1 <= usage.completion_tokens <= 16, f"usage: {usage}")
    check(usage.total_tokens == usage.prompt_tokens + usage.completion_tokens, f"usage: {usage}")
    check(reply.object == "chat.completion" and reply.id.startswith("chatcmpl-"), f"reply: {reply}")
    # Streamed, with usage: the same answer and counts, chunk by chunk.
    content, reasoning, finish, streamed_usage, count = stream_chat(
        client, [{"role": "user", "content": FRANCE}], max_tokens=16, stream_options={"include_usage": True})
    check(content == answer, f"streamed {content!r} != {answer!r}")
    check(reasoning == "" and finish == "stop", f"reasoning {reasoning!r}, finish {finish}")
    check(streamed_usage is not None, "no usage chunk")
    check(streamed_usage.prompt_tokens == usage.prompt_tokens, f"{streamed_usage} vs {usage}")
    check(streamed_usage.completion_tokens == usage.completion_tokens, f"{streamed_usage} vs {usage}")
    check(count >= 3, f"only {count} chunks")
    # Without include_usage, no chunk carries usage.
    *_, no_usage, _ = stream_chat(client, [{"role": "user", "content": FRANCE}], max_tokens=4)
    check(no_usage is None, "usage sent without include_usage")
    # max_tokens is exact: one token, finish_reason length.
    one = chat(client, FRANCE, max_tokens=1)
    check(one.usage.completion_tokens == 1 and one.choices[0].finish_reason == "length", f"{one}")
    check(one.usage.prompt_tokens == usage.prompt_tokens, "the same prompt counted differently")


def test_cached_follow_up(server):
    client = client_for(server)
    first_messages = [{"role": "system", "content": "You are a geography quiz."}, {"role": "user", "content": FRANCE}]
    first = client.chat.completions.create(model="qwen", messages=first_messages, temperature=0, max_tokens=16)
    answer = first.choices[0].message.content
    follow = first_messages + [{"role": "assistant", "content": answer},
                               {"role": "user", "content": "And of Italy? One word."}]
    second = client.chat.completions.create(model="qwen", messages=follow, temperature=0, max_tokens=16)
    cached = second.usage.prompt_tokens_details.cached_tokens
    # The slot still holds the first prompt (and answer): all of it is reused.
    check(cached >= first.usage.prompt_tokens, f"cached {cached}, first prompt {first.usage.prompt_tokens}")
    check(cached < second.usage.prompt_tokens, f"cached {cached} of {second.usage.prompt_tokens}")
    check("Rome" in second.choices[0].message.content, f"answer: {second.choices[0].message.content!r}")


PROMPTS = [f"Write the number {n} in English words, nothing else." for n in range(11, 27)] + \
          [f"Name one animal whose name starts with the letter {c}. One word." for c in "BCDFGHKLMPRSTWZE"]


def test_concurrent_clients_match_solo_answers(server):
    client = client_for(server)
    check(len(set(PROMPTS)) == 32, "prompts are not distinct")

    def ask(prompt, stream):
        if stream:
            content, _, finish, usage, _ = stream_chat(client, [{"role": "user", "content": prompt}], max_tokens=12,
                                                       stream_options={"include_usage": True})
            return content, finish, usage.completion_tokens
        reply = chat(client, prompt, max_tokens=12)
        return reply.choices[0].message.content, reply.choices[0].finish_reason, reply.usage.completion_tokens

    solo = {prompt: ask(prompt, False) for prompt in PROMPTS}
    # 8 clients, 32 requests, half of them streamed.
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        futures = {pool.submit(ask, prompt, index % 2 == 0): prompt for index, prompt in enumerate(PROMPTS)}
        together = {futures[f]: f.result() for f in concurrent.futures.as_completed(futures)}
    check(len(together) == 32, f"{len(together)} answers")
    mismatches = [(p, solo[p], together[p]) for p in PROMPTS if solo[p] != together[p]]
    check(not mismatches, f"{len(mismatches)} answers differ from the solo ones: {mismatches[:3]}")
    check(all(answer for answer, _, _ in together.values()), "an empty answer")
    check(all(finish in ("stop", "length") for _, finish, _ in together.values()), "an unfinished answer")


def error_of(call):
    try:
        call()
    except openai.APIStatusError as error:
        return error
    raise AssertionError("the request succeeded")


def check_error(error, status, param=None, code=None):
    check(error.status_code == status, f"status {error.status_code}, wanted {status}: {error.body}")
    body = error.response.json()
    check(set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}, f"shape: {body}")
    check(isinstance(body["error"]["message"], str) and body["error"]["message"], f"message: {body}")
    if param is not None:
        check(body["error"]["param"] == param, f"param: {body}")
    if code is not None:
        check(body["error"]["code"] == code, f"code: {body}")


def test_bad_requests(server):
    client = client_for(server)
    # A long answer runs in another slot the whole time: bad requests must not disturb it.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        solo = stream_chat(client, [{"role": "user", "content": "Count from 1 to 30, separated by commas."}], max_tokens=48)
        running = pool.submit(stream_chat, client,
                              [{"role": "user", "content": "Count from 1 to 30, separated by commas."}], max_tokens=48)
        user = [{"role": "user", "content": "Hi"}]
        cases = [
            (lambda: client.chat.completions.create(model="qwen", messages=[]), 400, "messages", None),
            (lambda: client.chat.completions.create(model="qwen", messages=[{"role": "wizard", "content": "x"}]),
             400, "messages[0].role", None),
            (lambda: client.chat.completions.create(model="qwen", messages=[{"role": "user", "content": 5}]),
             400, "messages[0].content", "invalid_type"),
            (lambda: client.chat.completions.create(model="qwen", messages=user, temperature="hot"),
             400, "temperature", "invalid_type"),
            (lambda: client.chat.completions.create(model="qwen", messages=user, max_tokens="ten"),
             400, "max_tokens", "invalid_type"),
            (lambda: client.chat.completions.create(model="qwen", messages=user, n=2), 400, "n", None),
            (lambda: client.chat.completions.create(model="qwen", messages=user, logit_bias={"1": 5}),
             400, "logit_bias", "unsupported_parameter"),
            (lambda: client.chat.completions.create(
                model="qwen", messages=user, functions=[{"name": "f", "parameters": {"type": "object"}}]),
             400, "functions", "unsupported_parameter"),
            (lambda: client.chat.completions.create(model="qwen", messages=user, extra_body={"mirostat": 2}),
             400, "mirostat", "unknown_parameter"),
            # The context is 512 tokens.
            (lambda: chat(client, "word " * 700, max_tokens=4), 400, None, "context_length_exceeded"),
            (lambda: client.completions.create(model="qwen", prompt="", max_tokens=2), 400, "prompt", None),
            (lambda: client.chat.completions.create(model="qwen", messages=[{"role": "user", "content": "x" * 70000}]),
             413, None, "request_too_large"),
        ]
        for index, (call, status, param, code) in enumerate(cases):
            try:
                check_error(error_of(call), status, param, code)
            except AssertionError as failure:
                raise AssertionError(f"case {index}: {failure}") from None
        # Not JSON, and not an object: a plain HTTP client, since the openai client cannot send them.
        for body in (b"{not json", b"[1, 2]"):
            response = raw(server, "POST", "/v1/chat/completions", body)
            check(response.status_code == 400, f"{body!r}: {response.status_code}")
            check(set(response.json()["error"]) == {"message", "type", "param", "code"}, f"{response.text}")
        missing = raw(server, "GET", "/v1/nothing")
        check(missing.status_code == 404 and "error" in missing.json(), f"404: {missing.text}")
        check(running.result() == solo, f"the running answer changed: {running.result()} vs {solo}")
    # Still serving.
    check("Paris" in chat(client, FRANCE, max_tokens=16).choices[0].message.content, "not serving after bad requests")
    metrics = server.metrics()
    check(metrics.get('minnow_requests_total{endpoint="/v1/chat/completions",status="400"}', 0) >= 10, f"{metrics}")


def test_text_completion(server):
    client = client_for(server)
    reply = client.completions.create(model="qwen", prompt="The capital of France is", max_tokens=4, temperature=0)
    check(reply.object == "text_completion", f"{reply}")
    check("Paris" in reply.choices[0].text, f"{reply.choices[0].text!r}")
    check(reply.usage.completion_tokens == 4 and reply.choices[0].finish_reason == "length", f"{reply.usage}")
    pieces = [c.choices[0].text for c in client.completions.create(
        model="qwen", prompt="The capital of France is", max_tokens=4, temperature=0, stream=True) if c.choices]
    check("".join(pieces) == reply.choices[0].text, f"{pieces} vs {reply.choices[0].text!r}")


CITY_SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string", "maxLength": 24}, "population": {"type": "integer", "minimum": 0}},
    "required": ["city", "population"],
    "additionalProperties": False,
}


def test_response_format(server):
    client = client_for(server)
    # JSON mode: the answer parses. Greedy, and short enough that the object closes well before
    # max_tokens (the check fails on a cut answer, since finish_reason is then "length").
    reply = chat(client, "Describe Ann, aged 30, as a JSON object with keys name and age.", max_tokens=64,
                 response_format={"type": "json_object"})
    content = reply.choices[0].message.content
    check(reply.choices[0].finish_reason == "stop", f"{reply.choices[0].finish_reason}: {content!r}")
    check(isinstance(json.loads(content), dict), f"{content!r}")
    # A schema, strict and not: the answer validates, with the properties in the schema's order.
    for strict in (True, False):
        form = {"type": "json_schema", "json_schema": {"name": "city", "strict": strict, "schema": CITY_SCHEMA}}
        reply = chat(client, "The largest city of France and its population, as JSON.", max_tokens=48,
                     response_format=form)
        content = reply.choices[0].message.content
        check(reply.choices[0].finish_reason == "stop", f"strict={strict}: {reply.choices[0].finish_reason}: {content!r}")
        answer = json.loads(content)
        jsonschema.validate(answer, CITY_SCHEMA)
        check(list(answer) == ["city", "population"], f"{content!r}")
        streamed = stream_chat(client, [{"role": "user", "content": "The largest city of France and its population, as JSON."}],
                               max_tokens=48, response_format=form)
        check(streamed[0] == content and streamed[2] == "stop", f"streamed {streamed} vs {content!r}")
    # /v1/completions takes it too (a Minnow extension).
    text = client.completions.create(model="qwen", prompt="Is the sky blue? Answer true or false:", max_tokens=4,
                                     temperature=0, extra_body={"response_format": {
                                         "type": "json_schema", "json_schema": {"name": "b", "schema": {"type": "boolean"}}}})
    check(text.choices[0].text.strip() in ("true", "false"), f"{text.choices[0].text!r}")
    # A schema Minnow cannot enforce is a 400 naming the place.
    error = error_of(lambda: chat(client, "x", max_tokens=4, response_format={
        "type": "json_schema", "json_schema": {"name": "bad", "schema": {"type": "object", "allOf": [{"type": "object"}]}}}))
    check_error(error, 400, "response_format.json_schema.schema", "invalid_value")
    check("/allOf" in error.response.json()["error"]["message"], f"{error.body}")
    check_error(error_of(lambda: chat(client, "x", max_tokens=4, response_format={"type": "yaml"})), 400,
                "response_format.type", "invalid_value")


WEATHER_SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string", "description": "The city's name"}},
    "required": ["city"],
    "additionalProperties": False,
}
WEATHER_TOOLS = [{"type": "function", "function": {
    "name": "get_weather", "description": "Get the current weather in a city.", "parameters": WEATHER_SCHEMA}}]
WEATHER_QUESTION = [{"role": "user", "content": "What is the weather like in Paris right now?"}]


def check_weather_call(call):
    check(call.type == "function" and call.id.startswith("call_") and len(call.id) > 10, f"call: {call}")
    check(call.function.name == "get_weather", f"call: {call}")
    arguments = json.loads(call.function.arguments)
    jsonschema.validate(arguments, WEATHER_SCHEMA)
    check("Paris" in arguments["city"], f"arguments: {call.function.arguments}")


def test_tool_calls(server):
    client = client_for(server)
    ask = dict(model="qwen", temperature=0, max_tokens=64, tools=WEATHER_TOOLS)
    # tool_choice "required": the answer is a call whose arguments match the schema.
    reply = client.chat.completions.create(messages=WEATHER_QUESTION, tool_choice="required", **ask)
    choice = reply.choices[0]
    check(choice.finish_reason == "tool_calls", f"finish: {choice.finish_reason}: {choice.message}")
    check(choice.message.content is None, f"content: {choice.message.content!r}")
    calls = choice.message.tool_calls or []
    check(len(calls) >= 1, f"no calls: {choice.message}")
    call = calls[0]
    check_weather_call(call)
    # The raw body: content is null, arguments a JSON string.
    body = raw(server, "POST", "/v1/chat/completions",
               {"messages": WEATHER_QUESTION, "tool_choice": "required", **ask}).json()
    message = body["choices"][0]["message"]
    check("content" in message and message["content"] is None, f"{message}")
    check(isinstance(message["tool_calls"][0]["function"]["arguments"], str), f"{message}")
    # Streamed: the same call in a tool_calls delta with index 0, then finish_reason tool_calls.
    deltas, content, finish = [], "", None
    for chunk in client.chat.completions.create(messages=WEATHER_QUESTION, tool_choice="required", stream=True, **ask):
        for streamed in chunk.choices:
            deltas += streamed.delta.tool_calls or []
            content += streamed.delta.content or ""
            finish = streamed.finish_reason or finish
    check(finish == "tool_calls" and content == "", f"finish {finish}, content {content!r}")
    check(len(deltas) == len(calls) and deltas[0].index == 0, f"deltas: {deltas}")
    check_weather_call(deltas[0])
    check(deltas[0].function.arguments == call.function.arguments, f"{deltas[0]} vs {call}")
    # A named function, without parallel calls: exactly one call.
    named = client.chat.completions.create(
        messages=WEATHER_QUESTION, parallel_tool_calls=False,
        tool_choice={"type": "function", "function": {"name": "get_weather"}}, **ask)
    check(len(named.choices[0].message.tool_calls or []) == 1, f"{named.choices[0].message}")
    check(named.choices[0].finish_reason == "tool_calls", f"{named.choices[0]}")
    check_weather_call(named.choices[0].message.tool_calls[0])
    # Turn 2: the assistant's call and the tool's result go back; the model answers in text
    # (tool_choice "none": it cannot call again).
    messages = WEATHER_QUESTION + [
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": call.id, "type": "function",
             "function": {"name": call.function.name, "arguments": call.function.arguments}}]},
        {"role": "tool", "tool_call_id": call.id,
         "content": json.dumps({"temperature_celsius": 17, "condition": "light rain"})},
    ]
    second = client.chat.completions.create(messages=messages, tool_choice="none", **ask)
    answer = second.choices[0].message.content
    check(answer and answer.strip() and "<tool_call>" not in answer, f"answer: {answer!r}")
    check(not second.choices[0].message.tool_calls, f"{second.choices[0].message}")
    check(second.choices[0].finish_reason == "stop", f"{second.choices[0]}")
    check("17" in answer, f"answer: {answer!r}")
    # Bad tools and tool choices: 400s naming the field.
    user = [{"role": "user", "content": "Hi"}]
    cases = [
        (dict(tools=[{"type": "retrieval"}]), "tools[0].type", "invalid_value"),
        (dict(tools=[{"type": "function", "function": {"name": "f", "parameters": {"allOf": [{}]}}}]),
         "tools[0].function.parameters", "invalid_value"),
        (dict(tools=[{"type": "function", "function": {"name": "bad name"}}]), "tools[0].function.name", "invalid_value"),
        (dict(tools=WEATHER_TOOLS, tool_choice={"type": "function", "function": {"name": "get_time"}}),
         "tool_choice", "invalid_value"),
        (dict(tool_choice="required"), "tool_choice", "invalid_value"),
        (dict(tools=WEATHER_TOOLS, tool_choice="sometimes"), "tool_choice", "invalid_value"),
    ]
    for index, (options, param, code) in enumerate(cases):
        try:
            check_error(error_of(lambda: client.chat.completions.create(
                model="qwen", messages=user, max_tokens=4, **options)), 400, param, code)
        except AssertionError as failure:
            raise AssertionError(f"case {index}: {failure}") from None
    check_error(error_of(lambda: client.chat.completions.create(
        model="qwen", max_tokens=4, messages=user + [{"role": "tool", "content": "r"}])),
        400, "messages[1].tool_call_id", "missing_required_parameter")


# ---------------------------------------------------------------- server B: --parallel 1, key

LONG = [{"role": "user", "content": "Count from 1 to 500, separated by commas."}]


def wait_for(condition, what, seconds=60):
    """Polls `condition` (a liveness bound, not a speed check)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_api_key(server, key):
    check_error(error_of(lambda: chat(client_for(server, "wrong"), FRANCE, max_tokens=2)), 401, code="invalid_api_key")
    response = raw(server, "POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}]})
    check(response.status_code == 401 and response.json()["error"]["type"] == "authentication_error", response.text)
    check(raw(server, "GET", "/v1/models").status_code == 401, "models without a key")
    check(raw(server, "GET", "/metrics").status_code == 401, "metrics without a key")
    check(raw(server, "GET", "/health").status_code == 200, "health needs no key")
    check("Paris" in chat(client_for(server, key), FRANCE, max_tokens=16).choices[0].message.content, "with the key")


def test_queue_full_and_disconnect(server, key):
    client = client_for(server, key)
    auth = {"Authorization": f"Bearer {key}"}
    before = server.metrics(auth)

    def open_stream():
        """A stream on a client of its own: closing that client drops the connection, as a
        client that goes away does (closing only the stream would read it to its end)."""
        own = client_for(server, key)
        return own, own.chat.completions.create(model="qwen", messages=LONG, temperature=0, max_tokens=400, stream=True)

    # One request generating (the only slot), one waiting (the queue of 1). A queued request
    # gets its response head when it reaches a slot, so it is opened from another thread.
    first_client, first = open_stream()
    first_iter = iter(first)
    for _ in range(3):
        next(first_iter)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(open_stream)
        wait_for(lambda: server.metrics(auth)["minnow_requests_in_flight"] == 2, "the queued request")
        wait_for(lambda: server.metrics(auth)["minnow_queue_depth"] == 1, "a queue depth of 1")
        third = error_of(lambda: chat(client, FRANCE, max_tokens=2))
        check_error(third, 429, code="queue_full")
        check(third.response.headers.get("retry-after") == "1", f"headers: {third.response.headers}")
        # The client of the running request goes away: its slot goes to the waiting one.
        first_client.close()
        second_client, second = pending.result()
        next(iter(second))
        check(server.metrics(auth)["minnow_queue_depth"] == 0, "still queued")
        second_client.close()
    wait_for(lambda: server.metrics(auth)["minnow_active_slots"] == 0, "both slots to be freed")
    wait_for(lambda: server.metrics(auth)["minnow_requests_in_flight"] == 0, "both requests to end")
    after = server.metrics(auth)
    cancelled = 'minnow_requests_cancelled_total{reason="disconnected"}'
    check(after[cancelled] - before.get(cancelled, 0) == 2, f"cancelled: {after[cancelled]}")
    # Neither ran to its 400 tokens.
    generated = after["minnow_generated_tokens_total"] - before["minnow_generated_tokens_total"]
    check(generated < 400, f"{generated} tokens generated for two abandoned requests")
    # The next request is served at once: nothing is left in the slot or the queue.
    check("Paris" in chat(client, FRANCE, max_tokens=16).choices[0].message.content, "the next request")


def test_sigterm_during_a_stream(server, key):
    stream = client_for(server, key).chat.completions.create(model="qwen", messages=LONG, temperature=0, max_tokens=400,
                                                             stream=True)
    chunks = iter(stream)
    next(chunks)
    next(chunks)
    status = server.terminate()
    check(status == 0, f"exit status {status}; log: {server.log_text()}")
    received = 0
    try:
        for _ in chunks:
            received += 1
    except (openai.APIError, OSError):
        pass  # the server says it is shutting down, or the connection ends
    check(received < 400, f"{received} more chunks after SIGTERM")


def test_request_timeout(server):
    client = client_for(server)
    # Not streamed: 408 once the limit passes (2 s; 400 tokens take far longer on a CPU).
    check_error(error_of(lambda: client.chat.completions.create(model="qwen", messages=LONG, temperature=0,
                                                                   max_tokens=400)), 408, code="request_timeout")
    # Streamed: the stream ends with an error event (or, when the limit passed before the first
    # token, the answer is a 408 too).
    received = 0
    try:
        for _ in client.chat.completions.create(model="qwen", messages=LONG, temperature=0, max_tokens=400, stream=True):
            received += 1
        raise AssertionError("the stream ended without an error")
    except openai.APIStatusError as error:
        check_error(error, 408, code="request_timeout")
    except openai.APIError as error:
        check("longer than" in str(error), f"error: {error}")
    check(received < 400, f"{received} chunks")
    wait_for(lambda: server.metrics()["minnow_active_slots"] == 0, "the slot to be freed")
    wait_for(lambda: server.metrics()['minnow_requests_cancelled_total{reason="timeout"}'] == 2, "2 timeouts counted")
    check(server.metrics()["minnow_requests_in_flight"] == 0, "requests still in flight")


# ---------------------------------------------------------------- server C: R1's template

def test_r1_reasoning_split(server):
    client = client_for(server)
    messages = [{"role": "user", "content": FRANCE}]
    reply = client.chat.completions.create(model="qwen", messages=messages, temperature=0, max_tokens=40,
                                           extra_body={"thinking_budget": 8})
    message = reply.choices[0].message
    reasoning = getattr(message, "reasoning_content", None) or (message.model_extra or {}).get("reasoning_content")
    check(reasoning, f"no reasoning_content: {reply}")
    check(message.content, f"no content after the budget closed the reasoning: {reply}")
    # Without a budget, the same first 8 tokens are all reasoning (the prompt opened <think>),
    # and nothing is answer yet. (The text itself may hold think tags: the Qwen 0.5B weights
    # imitate the tags they see, which R1's weights do not.)
    unbounded = client.chat.completions.create(model="qwen", messages=messages, temperature=0, max_tokens=8)
    check(getattr(unbounded.choices[0].message, "reasoning_content", None) == reasoning,
          f"{unbounded} vs {reasoning!r}")
    check(unbounded.choices[0].message.content == "", f"{unbounded}")
    check(unbounded.usage.completion_tokens_details.reasoning_tokens == 8, f"{unbounded.usage}")
    details = reply.usage.completion_tokens_details
    check(details.reasoning_tokens == 8, f"reasoning tokens: {reply.usage}")
    # Streamed: the same split, reasoning deltas first.
    content, streamed_reasoning, _, _, _ = stream_chat(client, messages, max_tokens=40, extra_body={"thinking_budget": 8})
    check(streamed_reasoning == reasoning, f"{streamed_reasoning!r} vs {reasoning!r}")
    check(content == message.content, f"{content!r} vs {message.content!r}")
    # A budget of 0 skips reasoning: the prompt opened <think>, Minnow closes it at once.
    none = client.chat.completions.create(model="qwen", messages=messages, temperature=0, max_tokens=16,
                                          extra_body={"thinking_budget": 0})
    check(not getattr(none.choices[0].message, "reasoning_content", None), f"{none}")
    check(none.usage.completion_tokens_details.reasoning_tokens == 0, f"{none.usage}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--r1-header", required=True)
    parser.add_argument("--logs", default=tempfile.mkdtemp(prefix="minnow-serve-tests-"))
    parser.add_argument("--servers", default="abc", help="which of the servers A, B, C to test (default: all)")
    options = parser.parse_args()
    common = ["--backend", "cpu", "--context", "512"]

    if "a" in options.servers:
        test_server_a(options, common)
    if "b" in options.servers:
        test_server_b(options, common)
    if "c" in options.servers:
        test_server_c(options, common)
    print(f"server logs in {options.logs}")
    if failures:
        print(f"{len(failures)} failed: {', '.join(failures)}")
        sys.exit(1)
    print("all server tests passed")


def test_server_a(options, common):
    server = Server(options.binary, options.model, os.path.join(options.logs, "a.log"), *common,
                    "--parallel", "4", "--queue", "32", "--model-id", "qwen-test", "--max-body-bytes", "65536")
    try:
        run("models and health", test_models_and_health, server)
        run("Paris, streamed and not, with usage", test_paris, server)
        run("a follow-up reports cached tokens", test_cached_follow_up, server)
        run("8 clients x 32 requests equal the solo answers", test_concurrent_clients_match_solo_answers, server)
        run("bad requests get OpenAI errors", test_bad_requests, server)
        run("text completion", test_text_completion, server)
        run("response_format: JSON mode and JSON schemas", test_response_format, server)
        run("tool calls: required, streamed, named, a round trip and bad tools", test_tool_calls, server)
        status = server.terminate()
        if status != 0:
            failures.append("server A exit status")
            print(f"FAIL server A exited with {status}")
    finally:
        server.stop()


def test_server_b(options, common):
    key = "test-key-123"
    server = Server(options.binary, options.model, os.path.join(options.logs, "b.log"), *common,
                    "--parallel", "1", "--queue", "1", env={"MINNOW_API_KEY": key})
    try:
        run("API key", test_api_key, server, key)
        run("429 when full; a disconnect frees its slot", test_queue_full_and_disconnect, server, key)
        run("SIGTERM during a stream exits 0", test_sigterm_during_a_stream, server, key)
    finally:
        server.stop()
    server = Server(options.binary, options.model, os.path.join(options.logs, "b-timeout.log"), *common,
                    "--request-timeout", "2")
    try:
        run("a request past --request-timeout is stopped", test_request_timeout, server)
    finally:
        server.stop()


def test_server_c(options, common):
    # R1's template from the 7B header, in its newer form whose prompt opens <think>.
    template = gguf_chat_template(options.r1_header)
    closing = "{{'<｜Assistant｜>'}}{% endif %}"
    if not template.rstrip().endswith(closing):
        failures.append("R1 template")
        print("FAIL the R1 header's template does not end as expected")
    else:
        path = os.path.join(options.logs, "r1-think.jinja")
        with open(path, "w") as f:
            f.write(template.rstrip()[: -len(closing)] + "{{'<｜Assistant｜><think>\\n'}}{% endif %}")
        server = Server(options.binary, options.model, os.path.join(options.logs, "c.log"), *common,
                        "--chat-template", path)
        try:
            run("R1 reasoning in reasoning_content", test_r1_reasoning_split, server)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
