#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal (its stdin, stdout and stderr),
types into it and prints what it wrote, the terminal's CRLF as LF:
    termrun.py [--cols N] [--input TEXT] [--script FILE] [--for SECONDS]
           [--] CMD [ARG...]
--cols N    the terminal is N columns by 40 lines (COLUMNS, LINES too)
--input T   types T 0.3 s after the start
--script F  runs the steps of file F, one a line:
                send TEXT     type TEXT (\\n, \\t, \\x03 ... decoded)
                wait REGEX    wait (10 s at most) until the output matches
                sleep SECONDS
                sigint        type Ctrl-C
--for S     sends the command SIGINT after S seconds (for --watch)
Exits with the command's status; 1 when a wait timed out, 124 when the
command was still running 30 s after the input and steps (it is killed).
A reader that goes away (| head) ends the output quietly."""

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time


class Term:
    def __init__(self, argv, cols):
        self.out = b""
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            if cols:
                os.environ["COLUMNS"], os.environ["LINES"] = str(cols), "40"
                fcntl.ioctl(0, termios.TIOCSWINSZ,
                            struct.pack("HHHH", 40, cols, 0, 0))
            os.execvp(argv[0], argv)

    def read(self, timeout):
        """True when something came, False on timeout, None at the end."""
        r, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return None
        if not data:
            return None
        self.out += data
        return True

    def pause(self, secs):
        end = time.monotonic() + secs
        while time.monotonic() < end and \
                self.read(end - time.monotonic()) is not None:
            pass

    def kill(self):
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


def run_script(t, path):
    """Runs the steps of path; False when a wait timed out."""
    mark = 0
    for step in open(path).read().splitlines():
        if not step.strip() or step.startswith("#"):
            continue
        cmd, _, arg = step.partition(" ")
        if cmd == "send":
            os.write(t.fd, arg.encode().decode("unicode_escape").encode())
        elif cmd == "sigint":
            os.write(t.fd, b"\x03")
        elif cmd == "sleep":
            t.pause(float(arg))
        elif cmd == "wait":
            rx = re.compile(arg.encode())
            end = time.monotonic() + 10
            while not rx.search(t.out, mark):
                if time.monotonic() > end or \
                        t.read(end - time.monotonic()) is None:
                    t.out += b"\n[termrun.py: timed out waiting for %s]\n" % \
                        arg.encode()
                    return False
            mark = rx.search(t.out, mark).end()
    return True


def finish(t, secs):
    """Reads to the end; SIGINT after secs, or SIGKILL after 30 s.
    Returns the exit status."""
    end = time.monotonic() + (secs if secs is not None else 30)
    stopped = False
    while True:
        left = end - time.monotonic()
        if left <= 0 and not stopped:
            if secs is None:
                t.kill()
                return 124
            os.kill(t.pid, signal.SIGINT)
            stopped = True
            end = time.monotonic() + 10
            continue
        if t.read(max(left, 0.05)) is None:
            break
    _, st = os.waitpid(t.pid, 0)
    return os.waitstatus_to_exitcode(st)


def write(data):
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        # no one reads any more: nothing to say, and nothing at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main():
    args = sys.argv[1:]
    cols, text, script, secs = 0, None, None, None
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--":
            break
        val = args.pop(0)
        if opt == "--cols":
            cols = int(val)
        elif opt == "--input":
            text = val.encode()
        elif opt == "--script":
            script = val
        elif opt == "--for":
            secs = float(val)
        else:
            sys.exit("termrun.py: unknown option " + opt)
    t = Term(args, cols)
    if text is not None:
        time.sleep(0.3)
        os.write(t.fd, text)
    status = 0
    if script and not run_script(t, script):
        t.kill()
        status = 1
    else:
        status = finish(t, secs)
    write(t.out.replace(b"\r\n", b"\n"))
    return status


if __name__ == "__main__":
    sys.exit(main())
