#!/bin/sh
# Wire fidelity: the AWS SDK for JavaScript v3 against tests/fakeaws.
top=$(cd "$(dirname "$0")/../.." && pwd)
sdk=$top/tests/sdk
# node and npm are optional: without them (or without the SDK they
# install) the file is skipped with the reason; make check installs them.
if ! command -v node >/dev/null 2>&1; then
	echo "1..0 # SKIP node is not installed ('make deps' installs it)"
	exit 0
fi
if [ ! -d "$sdk/node_modules/@aws-sdk/client-cloudwatch-logs" ] ||
   [ ! -d "$sdk/node_modules/@aws-sdk/client-cloudwatch" ] ||
   [ ! -d "$sdk/node_modules/@aws-sdk/client-sts" ]; then
	echo "1..0 # SKIP the AWS SDK is not in tests/sdk/node_modules ('make deps' installs it with npm)"
	exit 0
fi
AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED
exec node "$sdk/sdk.mjs"
