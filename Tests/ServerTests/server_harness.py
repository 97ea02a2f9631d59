"""Starting and stopping minnow-serve for the server tests and the throughput script."""
import os
import signal
import socket
import struct
import subprocess
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A minnow-serve process on a free loopback port; its log goes to `log_path`."""

    def __init__(self, binary, model, log_path, *args, env=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.log = open(log_path, "w")
        command = [binary, "--model", model, "--port", str(self.port), "--no-fallback", *args]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT,
                                        env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 300
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"minnow-serve exited with {self.process.returncode}; log: {self.log_text()}")
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("minnow-serve did not start in 300 s; log: " + self.log_text())
            time.sleep(0.2)

    def log_text(self):
        self.log.flush()
        with open(self.log_path) as f:
            return f.read()[-4000:]

    def metrics(self, headers=None):
        """The Prometheus metrics as {'name{labels}': value}."""
        request = urllib.request.Request(self.base + "/metrics", headers=headers or {})
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
        values = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                values[name] = float(value)
        return values

    def terminate(self, timeout=120):
        """SIGTERM; returns the exit status."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if not self.log.closed:
            self.log.close()


def gguf_chat_template(path):
    """`tokenizer.chat_template` from a GGUF file's metadata (a minimal reader of the header)."""
    scalar = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise ValueError(f"{path} is not a GGUF file")
        _version, _tensors, count = struct.unpack("<IQQ", f.read(20))

        def read(fmt):
            return struct.unpack(fmt, f.read(struct.calcsize(fmt)))[0]

        def string():
            return f.read(read("<Q")).decode("utf-8")

        def value(kind):
            if kind == 8:
                return string()
            if kind == 9:
                element, length = read("<I"), read("<Q")
                if element in scalar:
                    f.seek(struct.calcsize(scalar[element]) * length, 1)
                else:
                    for _ in range(length):
                        value(element)
                return None
            return read(scalar[kind])

        for _ in range(count):
            key = string()
            found = value(read("<I"))
            if key == "tokenizer.chat_template":
                return found
    raise ValueError(f"{path} has no chat template")
