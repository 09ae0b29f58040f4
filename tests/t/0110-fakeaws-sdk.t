#!/bin/sh
# Wire fidelity: the AWS SDK for JavaScript v3 against tests/fakeaws.
top=$(cd "$(dirname "$0")/../.." && pwd)
sdk=$top/tests/sdk
if ! command -v node >/dev/null 2>&1; then
	echo "1..1"
	echo "not ok 1 - node is installed (run 'make deps')"
	echo "0110-fakeaws-sdk: node is not installed: run 'make deps'" >&2
	exit 1
fi
if [ ! -d "$sdk/node_modules/@aws-sdk/client-cloudwatch-logs" ] ||
   [ ! -d "$sdk/node_modules/@aws-sdk/client-cloudwatch" ] ||
   [ ! -d "$sdk/node_modules/@aws-sdk/client-sts" ]; then
	echo "1..1"
	echo "not ok 1 - the AWS SDK is installed in tests/sdk/node_modules"
	echo "# tests/sdk/node_modules is missing: run 'make deps'"
	echo "0110-fakeaws-sdk: tests/sdk/node_modules is missing: run 'make deps'" >&2
	exit 1
fi
AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED
exec node "$sdk/sdk.mjs"
