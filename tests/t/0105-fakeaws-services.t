#!/bin/sh
# fakeaws: CloudWatch alarms validation, Logs Insights, Live Tail framing,
# SNS, KMS, Lambda and Auto Scaling.
top=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 "$top/tests/fakeaws/services_test.py"
