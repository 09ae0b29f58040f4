#!/bin/sh
# The emulator's own test suite (TAP from tests/fakeaws/selftest.py).
cd "$(dirname "$0")/../.." || exit 1
exec python3 tests/fakeaws/selftest.py
