"""interrupt.py [--feed SH] WAIT_S SIG OUT ERR CMD...: runs CMD with its
stdout in file OUT and its stderr in file ERR (its stdin from `sh -c SH`
with --feed, as in `SH | CMD`), sends it SIG (INT or TERM) after WAIT_S
seconds, and prints its exit status and the milliseconds from the signal
to its exit. The child gets SIGINT and SIGTERM at their defaults: a
shell's background job would inherit them ignored.
"""
import os
import signal
import subprocess
import sys
import time

args = sys.argv[1:]
feed = None
if args[0] == "--feed":
    feed = subprocess.Popen(["sh", "-c", args[1]], stdout=subprocess.PIPE)
    args = args[2:]
wait, sig = float(args[0]), getattr(signal, "SIG" + args[1])
out, err, cmd = args[2], args[3], args[4:]


def default_signals():
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


with open(out, "wb") as o, open(err, "wb") as e:
    child = subprocess.Popen(cmd, stdin=feed.stdout if feed else None,
                             stdout=o, stderr=e, preexec_fn=default_signals)
if feed:
    feed.stdout.close()
time.sleep(wait)
start = time.monotonic()
os.kill(child.pid, sig)
try:
    rc = child.wait(timeout=60)
except subprocess.TimeoutExpired:
    child.kill()
    rc = child.wait()
elapsed = int((time.monotonic() - start) * 1000)
if feed:
    feed.kill()
    feed.wait()
print(rc, elapsed)
