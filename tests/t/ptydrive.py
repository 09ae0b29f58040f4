#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and types into it:
    ptydrive.py SCRIPT -- COMMAND [ARG...]
SCRIPT is a file of steps, one a line:
    send TEXT       type TEXT (\\n, \\t, \\x03 and other escapes decoded)
    wait REGEX      wait (10 s at most) until the screen output matches
    sleep SECONDS
    sigint          send Ctrl-C
Prints everything the command wrote; exits 1 when a wait timed out,
else with the command's status."""

import os
import pty
import re
import select
import signal
import sys
import time


def main():
    script = open(sys.argv[1]).read().splitlines()
    argv = sys.argv[sys.argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.environ["COLUMNS"] = "120"
        os.environ["LINES"] = "40"
        os.execvp(argv[0], argv)
    import fcntl
    import struct
    import termios
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    out = b""

    def read(timeout):
        nonlocal out
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(fd, 65536)
        except OSError:
            return None
        if not data:
            return None
        out += data
        return True

    status = 0
    mark = 0
    for step in script:
        if not step.strip() or step.startswith("#"):
            continue
        cmd, _, arg = step.partition(" ")
        if cmd == "send":
            os.write(fd, arg.encode().decode("unicode_escape").encode())
        elif cmd == "sigint":
            os.write(fd, b"\x03")
        elif cmd == "sleep":
            end = time.time() + float(arg)
            while time.time() < end and read(end - time.time()) is not None:
                pass
        elif cmd == "wait":
            rx = re.compile(arg.encode())
            end = time.time() + 10
            while not rx.search(out, mark):
                if time.time() > end or read(end - time.time()) is None:
                    sys.stdout.write(out.decode("utf-8", "replace"))
                    sys.stdout.write("\n[ptydrive.py: timed out waiting for %s]\n"
                                     % arg)
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    return 1
            mark = rx.search(out, mark).end()
    end = time.time() + 10
    while time.time() < end and read(end - time.time()) is not None:
        pass
    while True:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done or time.time() > end:
            break
        time.sleep(0.02)
    if done == 0:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        status = 124
    else:
        status = os.waitstatus_to_exitcode(st)
    sys.stdout.write(out.decode("utf-8", "replace"))
    return status


if __name__ == "__main__":
    sys.exit(main())
