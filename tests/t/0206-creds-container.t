#!/bin/sh
# ECS/EKS container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI with
# an authorization token, from the variable or from a file.
. "$(dirname "$0")/lib.sh"
start_fakeaws
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

export AWS_CONTAINER_CREDENTIALS_FULL_URI=$FAKEAWS_URL/ecs/task-credentials
export AWS_CONTAINER_AUTHORIZATION_TOKEN=ecs-test-token
run cw-tail --debug --list-groups
is "$rc" 0 "container credentials are accepted"
like "$err" 'credentials: container$' "the source is traced"
unlike "$err" 'ecs-test-token' "the authorization token never shows"

unset AWS_CONTAINER_AUTHORIZATION_TOKEN
printf 'ecs-test-token\n' >"$T/ecs-token"
export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=$T/ecs-token
run cw-tail --list-groups
is "$rc" 0 "the token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"

printf 'wrong\n' >"$T/ecs-token"
run cw-tail --list-groups
is "$rc" 2 "a wrong token fails"
like "$err" 'container credentials: HTTP 401' "the status is reported"

export AWS_CONTAINER_CREDENTIALS_FULL_URI=http://198.51.100.7/creds
run cw-tail --list-groups
like "$err" 'host not allowed in AWS_CONTAINER_CREDENTIALS_FULL_URI' \
	"only loopback, ECS and EKS hosts are allowed over http"
done_testing
