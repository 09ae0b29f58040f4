#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal COLS wide and copies what it
wrote to stdout; exits with the command's status:
    ptyrun.py COLS [--input TEXT] [--for SECONDS] CMD [ARG...]
--input types TEXT on the terminal; --for stops the command with SIGINT
after that long (for --watch)."""

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time


def main():
    args = sys.argv[1:]
    cols = int(args.pop(0))
    text, secs = None, None
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--input":
            text = args.pop(0).encode()
        elif opt == "--for":
            secs = float(args.pop(0))
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, cols,
                                                       0, 0))
        os.execvp(args[0], args)
    if text is not None:
        time.sleep(0.3)
        os.write(fd, text)
    out = b""
    end = time.monotonic() + (secs if secs else 30)
    stopped = False
    while True:
        left = end - time.monotonic()
        if left <= 0 and not stopped:
            os.kill(pid, signal.SIGINT if secs else signal.SIGKILL)
            stopped = True
            end = time.monotonic() + 10
            continue
        r, _, _ = select.select([fd], [], [], max(left, 0.05))
        if not r:
            continue
        try:
            d = os.read(fd, 65536)
        except OSError:
            break
        if not d:
            break
        out += d
    _, st = os.waitpid(pid, 0)
    sys.stdout.buffer.write(out.replace(b"\r\n", b"\n"))
    sys.exit(os.waitstatus_to_exitcode(st) if hasattr(
        os, "waitstatus_to_exitcode") else st >> 8)


if __name__ == "__main__":
    main()
