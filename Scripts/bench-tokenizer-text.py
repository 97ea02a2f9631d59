#!/usr/bin/env python3
"""Writes 1,000,000 bytes of deterministic mixed text (English, German, Chinese, Japanese, code,
numbers, emoji) to the path given, for the tokenizer benchmark."""
import random
import sys

random.seed(7)
en = ("The quick brown fox jumps over the lazy dog while the model predicts the next token in the "
      "sequence. It's not what you'd expect, isn't it?").split(" ")
de = "Grüße aus München, die Bäckerei öffnet früh und „Frühstück“ gibt’s bis elf Uhr für alle Gäste.".split(" ")
zh = list("我们今天去公园散步天气非常好人工智能正在改变世界的方式和速度")
ja = list("こんにちは世界東京は日本の首都ですカタカナとひらがな")
code = ["func f(_ x: Int) -> Int {\n\treturn x * 2\n}\n", "for i in range(10):\n    print(i)\n",
        "let url = \"https://example.com/api?q=1\"\n", "if (a && b) { c += 1; }\r\n"]
emoji = ["👨\u200d👩\u200d👧\u200d👦", "🚀", "❤️", "👍🏽", "🇩🇪", "😂"]
total = 0
out = []
while total < 1_000_000:
    r = random.random()
    if r < 0.45:
        s = " ".join(random.choice(en) for _ in range(random.randint(5, 20))) + ". "
    elif r < 0.6:
        s = " ".join(random.choice(de) for _ in range(random.randint(4, 12))) + ". "
    elif r < 0.7:
        s = "".join(random.choice(zh) for _ in range(random.randint(8, 30))) + "。"
    elif r < 0.75:
        s = "".join(random.choice(ja) for _ in range(random.randint(8, 30))) + "。"
    elif r < 0.9:
        s = random.choice(code)
    elif r < 0.95:
        s = " ".join(str(random.randint(0, 10 ** random.randint(1, 8))) for _ in range(5)) + "\n"
    else:
        s = " ".join(random.choice(emoji) for _ in range(3)) + "\n\n"
    out.append(s)
    total += len(s.encode())
data = "".join(out).encode()[:1_000_000]
while True:
    try:
        data.decode("utf-8")
        break
    except UnicodeDecodeError:
        data = data[:-1]
data += b" " * (1_000_000 - len(data))
with open(sys.argv[1], "wb") as f:
    f.write(data)
