"""STS (Query protocol), EC2 IMDSv2, the ECS container credential
endpoint and the IAM Identity Center (SSO) portal.

Credentials holds every key pair the server accepts: the static pairs and
the temporary ones these endpoints hand out (ASIA..., with a session
token, valid until their expiration by the server's clock).

The STS handlers follow the common OPS contract (they return a dict that
the server encodes as the <Op>Result element); the credential endpoints
are plain HTTP and are called by the server with the request parts.
"""

import base64
import json
import random
import re
import string
import threading
import time
from urllib.parse import parse_qs

from common import ACCOUNT, AwsError

EXAMPLE_KEY = "AKIAIOSFODNN7EXAMPLE"
EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
USER_ARN = "arn:aws:iam::%s:user/fakeaws" % ACCOUNT
USER_ID = "AIDAFAKEAWSEXAMPLEID"
IMDS_ROLE = "fakeaws-instance-role"
ECS_ROLE_ARN = "arn:aws:iam::%s:role/fakeaws-task-role" % ACCOUNT
ROLE_ARN_RE = re.compile(r"arn:aws[\w-]*:iam::(\d{12}):role/([\w+=,.@/-]+)\Z")
SESSION_RE = re.compile(r"[\w+=,.@-]*\Z")


def iso8601(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


class Credentials:
    """Known key pairs, temporary credentials and the credential
    endpoints' settings. `now` is the server's clock, in seconds."""

    def __init__(self, now=time.time, ttl=3600, seed=None):
        self.now = now
        self.ttl = ttl
        self.lock = threading.Lock()
        self.rng = random.Random(seed)
        self.static = {EXAMPLE_KEY: EXAMPLE_SECRET}
        self.temp = {}           # AccessKeyId -> dict
        self.roles = {}          # RoleArn -> {"ExternalId", "MfaSerial", "MfaCode"}
        self.ecs_token = "ecs-test-token"
        self.sso_tokens = {"sso-test-token"}
        self.web_identity_tokens = None     # None: any non-empty token
        self.imds_tokens = {}    # token -> expiry (s)
        self.imds_role = IMDS_ROLE
        self.imds_v1 = False     # True: IMDSv1 allowed (no token needed)
        self.imds_cached = None
        self.ecs_cached = None

    # -- keys --------------------------------------------------------------

    def _rand(self, alphabet, n):
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def issue(self, arn, user_id, lifetime=None, source=""):
        lifetime = self.ttl if lifetime is None else min(lifetime, self.ttl)
        with self.lock:
            ak = "ASIA" + self._rand(string.ascii_uppercase + "234567", 16)
            sk = self._rand(string.ascii_letters + string.digits + "+/", 40)
            tok = base64.b64encode(bytes(self.rng.getrandbits(8)
                                         for _ in range(180))).decode()
            exp = int(self.now()) + int(lifetime)
            self.temp[ak] = {"secret": sk, "token": tok, "expiration": exp,
                             "arn": arn, "user_id": user_id,
                             "source": source}
        return {"AccessKeyId": ak, "SecretAccessKey": sk,
                "SessionToken": tok, "Expiration": exp}

    def lookup(self, ak):
        """(secret, temp entry or None), or None for an unknown key."""
        if ak in self.static:
            return self.static[ak], None
        t = self.temp.get(ak)
        if t is None:
            return None
        return t["secret"], t

    def expire(self, ak=None):
        """Make one temporary key (or all) expire now."""
        with self.lock:
            for k, t in self.temp.items():
                if ak is None or k == ak:
                    t["expiration"] = int(self.now()) - 1
            self.imds_cached = self.ecs_cached = None

    def identity(self, ak):
        t = self.temp.get(ak)
        if t is None:
            return USER_ARN, USER_ID
        return t["arn"], t["user_id"]

    def to_json(self):
        return {"static": self.static, "temp": self.temp,
                "roles": self.roles}

    def load_json(self, obj):
        self.static.update(obj.get("static", {}))
        self.temp.update(obj.get("temp", {}))
        self.roles.update(obj.get("roles", {}))

    # -- credential endpoints ---------------------------------------------

    def _cached(self, attr, arn, user_id, source):
        c = getattr(self, attr)
        now = self.now()
        if c is not None:
            t = self.temp.get(c["AccessKeyId"])
            left = t["expiration"] - now if t is not None else 0
            if self.ttl / 2.0 < left <= self.ttl:
                return c
        c = self.issue(arn, user_id, source=source)
        setattr(self, attr, c)
        return c


# ---- STS Query operations --------------------------------------------------

def _creds(store):
    return store.credentials


def _validation(member, value, constraint):
    shown = "null" if value is None else "'%s'" % value
    return AwsError("ValidationError",
                    "1 validation error detected: Value %s at '%s' failed "
                    "to satisfy constraint: Member must %s" % (
                        shown, member, constraint))


def _role_params(params, needs_duration=True):
    arn = params.get("RoleArn")
    if not arn:
        raise _validation("roleArn", None, "not be null")
    session = params.get("RoleSessionName")
    if not session:
        raise _validation("roleSessionName", None, "not be null")
    if not SESSION_RE.match(session):
        raise _validation("roleSessionName", session,
                          "satisfy regular expression pattern: [\\w+=,.@-]*")
    if not 2 <= len(session) <= 64:
        raise _validation("roleSessionName", session,
                          "have length %s" % (
                              "greater than or equal to 2"
                              if len(session) < 2 else
                              "less than or equal to 64"))
    m = ROLE_ARN_RE.match(arn)
    if not m:
        raise AwsError("ValidationError",
                       "%s is invalid" % arn)
    duration = params.get("DurationSeconds")
    if duration is not None:
        try:
            duration = int(duration)
        except ValueError:
            raise AwsError("ValidationError", "Invalid DurationSeconds")
        if duration < 900:
            raise _validation("durationSeconds", duration,
                              "have value greater than or equal to 900")
        if duration > 43200:
            raise _validation("durationSeconds", duration,
                              "have value less than or equal to 43200")
        if duration > 3600:
            raise AwsError("ValidationError",
                           "The requested DurationSeconds exceeds the "
                           "MaxSessionDuration set for this role.")
    return arn, m.group(1), m.group(2), session, duration


def _assumed(creds, account, role, session, duration, source):
    role_name = role.rsplit("/", 1)[-1]
    role_id = "AROA" + "".join(
        c for c in role_name.upper() if c.isalnum())[:12].ljust(12, "X") \
        + "FAKE"
    arn = "arn:aws:sts::%s:assumed-role/%s/%s" % (account, role_name, session)
    c = creds.issue(arn, "%s:%s" % (role_id, session), duration, source)
    return {
        "Credentials": {
            "AccessKeyId": c["AccessKeyId"],
            "SecretAccessKey": c["SecretAccessKey"],
            "SessionToken": c["SessionToken"],
            "Expiration": iso8601(c["Expiration"]),
        },
        "AssumedRoleUser": {
            "AssumedRoleId": "%s:%s" % (role_id, session),
            "Arn": arn,
        },
    }


def assume_role(store, params, call):
    creds = _creds(store)
    arn, account, role, session, duration = _role_params(params)
    rule = creds.roles.get(arn, {})
    caller, _ = creds.identity(call.access_key)
    denied = AwsError(
        "AccessDenied", "User: %s is not authorized to perform: "
        "sts:AssumeRole on resource: %s" % (caller, arn), 403)
    ext = params.get("ExternalId")
    if ext is not None and not 2 <= len(ext) <= 1224:
        raise _validation("externalId", ext, "have length greater than or "
                          "equal to 2")
    if rule.get("ExternalId") is not None and ext != rule["ExternalId"]:
        raise denied
    serial, code = params.get("SerialNumber"), params.get("TokenCode")
    if code is not None and not re.match(r"\d{6}\Z", code):
        raise _validation("tokenCode", code,
                          "satisfy regular expression pattern: [\\d]*")
    if rule.get("MfaSerial") is not None:
        if serial is None or code is None:
            raise denied
        if serial != rule["MfaSerial"] or code != rule.get("MfaCode",
                                                           "123456"):
            raise AwsError("AccessDenied",
                           "MultiFactorAuthentication failed with invalid "
                           "MFA one time pass code. ", 403)
    out = _assumed(creds, account, role, session, duration, "AssumeRole")
    if params.get("SourceIdentity"):
        out["SourceIdentity"] = params["SourceIdentity"]
    out["PackedPolicySize"] = 0 if params.get("Policy") else None
    if out["PackedPolicySize"] is None:
        del out["PackedPolicySize"]
    return out


def _jwt_claims(token):
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        pad = "=" * (-len(parts[1]) % 4)
        return json.loads(base64.urlsafe_b64decode(parts[1] + pad))
    except Exception:
        return None


def assume_role_with_web_identity(store, params, call):
    creds = _creds(store)
    tok = params.get("WebIdentityToken")
    if not tok:
        raise _validation("webIdentityToken", None if tok is None else tok,
                          "not be null" if tok is None else
                          "have length greater than or equal to 4")
    if len(tok) < 4:
        raise _validation("webIdentityToken", tok,
                          "have length greater than or equal to 4")
    arn, account, role, session, duration = _role_params(params)
    if creds.web_identity_tokens is not None and \
            tok not in creds.web_identity_tokens:
        raise AwsError("InvalidIdentityToken",
                       "The ID Token provided is not a valid JWT. (You may "
                       "see this error if you sent an Access Token)")
    claims = _jwt_claims(tok) or {}
    out = _assumed(creds, account, role, session, duration,
                   "AssumeRoleWithWebIdentity")
    sub = claims.get("sub", "fakeaws-subject")
    aud = claims.get("aud", "sts.amazonaws.com")
    if isinstance(aud, list):
        aud = aud[0] if aud else "sts.amazonaws.com"
    iss = claims.get("iss", "https://token.actions.githubusercontent.com")
    res = {"Credentials": out["Credentials"],
           "SubjectFromWebIdentityToken": sub,
           "AssumedRoleUser": out["AssumedRoleUser"],
           "Provider": re.sub(r"^https://", "", str(iss)),
           "Audience": aud}
    return res


def account_of(creds, ak):
    """The account a key belongs to: an assumed role's is in its ARN, so
    roles in other accounts give callers in other accounts."""
    arn, _ = creds.identity(ak)
    parts = arn.split(":")
    return parts[4] if len(parts) > 4 and parts[4] else ACCOUNT


def get_caller_identity(store, params, call):
    arn, uid = _creds(store).identity(call.access_key)
    return {"UserId": uid, "Account": account_of(_creds(store),
                                                call.access_key), "Arn": arn}


def get_session_token(store, params, call):
    creds = _creds(store)
    duration = params.get("DurationSeconds")
    duration = int(duration) if duration else None
    arn, uid = creds.identity(call.access_key)
    c = creds.issue(arn, uid, duration, "GetSessionToken")
    return {"Credentials": {
        "AccessKeyId": c["AccessKeyId"],
        "SecretAccessKey": c["SecretAccessKey"],
        "SessionToken": c["SessionToken"],
        "Expiration": iso8601(c["Expiration"]),
    }}


OPS = {
    "AssumeRole": assume_role,
    "AssumeRoleWithWebIdentity": assume_role_with_web_identity,
    "GetCallerIdentity": get_caller_identity,
    "GetSessionToken": get_session_token,
}

UNSIGNED = {"AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"}


# ---- IMDSv2 ------------------------------------------------------------------

def _text(status, body, ctype="text/plain"):
    return status, ctype, body.encode() if isinstance(body, str) else body


def _json(status, obj):
    return status, "application/json", json.dumps(obj, indent=2).encode()


def imds(creds, method, path, headers, region="us-east-1"):
    """Answer an IMDS request; returns (status, content type, body)."""
    now = creds.now()
    if path == "/latest/api/token":
        if method != "PUT":
            return _text(405, "")
        if headers.get("X-Forwarded-For"):
            return _text(403, "")
        ttl = headers.get("X-aws-ec2-metadata-token-ttl-seconds")
        try:
            ttl = int(ttl)
        except (TypeError, ValueError):
            return _text(400, "")
        if not 1 <= ttl <= 21600:
            return _text(400, "")
        with creds.lock:
            tok = base64.b64encode(bytes(creds.rng.getrandbits(8)
                                         for _ in range(42))).decode()
            creds.imds_tokens[tok] = now + ttl
        return 200, "text/plain", tok.encode(), {
            "X-aws-ec2-metadata-token-ttl-seconds": str(ttl)}
    if method not in ("GET", "HEAD"):
        return _text(405, "")
    tok = headers.get("X-aws-ec2-metadata-token")
    if tok is not None:
        exp = creds.imds_tokens.get(tok)
        if exp is None or exp < now:
            return _text(401, "")
    elif not creds.imds_v1:
        return _text(401, "")
    base = "/latest/meta-data/iam/security-credentials"
    if path in (base, base + "/"):
        return _text(200, creds.imds_role)
    if path.startswith(base + "/"):
        role = path[len(base) + 1:].rstrip("/")
        if role != creds.imds_role:
            return _text(404, "")
        c = creds._cached("imds_cached",
                          "arn:aws:sts::%s:assumed-role/%s/i-0fakeaws0000000"
                          % (ACCOUNT, role), "AROAFAKEAWSINSTANCE:i-0fakeaws",
                          "IMDS")
        return _json(200, {
            "Code": "Success",
            "LastUpdated": iso8601(now),
            "Type": "AWS-HMAC",
            "AccessKeyId": c["AccessKeyId"],
            "SecretAccessKey": c["SecretAccessKey"],
            "Token": c["SessionToken"],
            "Expiration": iso8601(c["Expiration"]),
        })
    if path == "/latest/meta-data/placement/region":
        return _text(200, region)
    if path == "/latest/meta-data/placement/availability-zone":
        return _text(200, region + "a")
    if path == "/latest/meta-data/instance-id":
        return _text(200, "i-0fakeaws0000000")
    if path == "/latest/dynamic/instance-identity/document":
        return _json(200, {"accountId": ACCOUNT, "region": region,
                           "instanceId": "i-0fakeaws0000000",
                           "availabilityZone": region + "a"})
    return _text(404, "")


# ---- ECS container credentials ------------------------------------------

def ecs(creds, path, headers):
    """GET <path>: the RELATIVE_URI form (/v2/credentials/<id>) needs no
    token; any other path (the FULL_URI form) needs the Authorization
    token."""
    if not path.startswith("/v2/credentials/"):
        if headers.get("Authorization") != creds.ecs_token:
            return _json(401, {"code": "AccessDenied",
                               "message": "Unable to authorize the request"})
    c = creds._cached("ecs_cached",
                      "arn:aws:sts::%s:assumed-role/fakeaws-task-role/"
                      "fakeaws-task" % ACCOUNT,
                      "AROAFAKEAWSTASK:fakeaws-task", "ECS")
    return _json(200, {
        "RoleArn": ECS_ROLE_ARN,
        "AccessKeyId": c["AccessKeyId"],
        "SecretAccessKey": c["SecretAccessKey"],
        "Token": c["SessionToken"],
        "Expiration": iso8601(c["Expiration"]),
    })


# ---- IAM Identity Center portal ------------------------------------------

def sso(creds, query, headers):
    q = parse_qs(query, keep_blank_values=True)
    role = (q.get("role_name") or [""])[0]
    account = (q.get("account_id") or [""])[0]
    tok = headers.get("x-amz-sso_bearer_token")
    if not tok or tok not in creds.sso_tokens:
        return 401, "application/json", json.dumps({
            "message": "Session token not found or invalid"}).encode(), {
            "x-amzn-ErrorType": "UnauthorizedException"}
    if not role or not re.match(r"\d{12}\Z", account):
        return 400, "application/json", json.dumps({
            "message": "Invalid request"}).encode(), {
            "x-amzn-ErrorType": "InvalidRequestException"}
    c = creds.issue("arn:aws:sts::%s:assumed-role/AWSReservedSSO_%s_fakeaws/"
                    "fakeaws-user" % (account, role),
                    "AROAFAKEAWSSSO:fakeaws-user", source="SSO")
    return _json(200, {"roleCredentials": {
        "accessKeyId": c["AccessKeyId"],
        "secretAccessKey": c["SecretAccessKey"],
        "sessionToken": c["SessionToken"],
        "expiration": c["Expiration"] * 1000,
    }})
