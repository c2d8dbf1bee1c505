"""Running mlpath attached to a pseudo-terminal, as a person's terminal would run it."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios


def at_terminal(args: list[str], columns: int, rows: int, env: dict[str, str]) -> tuple[int, str]:
    """Run `python -m mlpath ARGS` in a pseudo-terminal of this size, stdin included;
    its exit code and everything the terminal was sent."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "mlpath", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                break  # the other end closed: Linux reports EIO
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    os.close(master)
    return process.wait(timeout=60), seen.decode("utf-8", "replace")
