"""What alarm actions reach: SNS topics and subscriptions, KMS keys and
their policies, Lambda functions and their resource policies, and Auto
Scaling policies. Just enough of each for `cw-alarm-diff --check-actions`
to be tested against the same signature checks as every other service.

SNS and Auto Scaling are Query services (handlers return the dict the
server writes as <Op>Result; an XmlMap is written as SNS writes a map);
KMS is AWS JSON 1.1 (TrentService); Lambda is REST-JSON and its
handler is called with the method, the path and the query.

State lives on the Store, in JSON-friendly dicts, so --state keeps it:
  sns_topics   {arn: {"attrs": {...}, "subs": [{"arn", "endpoint",
               "protocol", "token"}]}}
  kms_keys     {key id: {"arn", "region", "policy", "manager"}}
  kms_aliases  {region: {alias name: key id}}
  lambda_functions {arn without qualifier: {"policy": [statement...]}}
  scaling_policies {arn: {"group", "name"}}
"""

import json
import re
import uuid
from urllib.parse import parse_qs, unquote

from common import ACCOUNT, AwsError

SNS_NS = "http://sns.amazonaws.com/doc/2010-03-31/"
ASG_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/"
STATE = ("sns_topics", "kms_keys", "kms_aliases", "lambda_functions",
         "scaling_policies")
TOPIC_NAME_RE = re.compile(r"[A-Za-z0-9_-]{1,256}(\.fifo)?\Z")
FUNCTION_RE = re.compile(
    r"/2015-03-31/functions(?:/([^/]+))?(/policy)?/?\Z")


class XmlMap(dict):
    """An SNS map: <entry><key>K</key><value>V</value></entry>..."""


def init(store):
    for name in STATE:
        if not isinstance(getattr(store, name, None), dict):
            setattr(store, name, {})


def reset(store):
    for name in STATE:
        setattr(store, name, {})


def _state(store, name):
    init(store)
    return getattr(store, name)


def default_topic_policy(arn):
    return json.dumps({
        "Version": "2008-10-17", "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID", "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes",
                       "SNS:AddPermission", "SNS:RemovePermission",
                       "SNS:DeleteTopic", "SNS:Subscribe",
                       "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
            "Resource": arn,
            "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}}]})


def default_key_policy():
    return json.dumps({
        "Version": "2012-10-17", "Id": "key-default-1",
        "Statement": [{
            "Sid": "Enable IAM User Permissions", "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT},
            "Action": "kms:*", "Resource": "*"}]})


# ---- SNS ---------------------------------------------------------------------

def _topic(store, params):
    arn = params.get("TopicArn")
    if not arn:
        raise AwsError("InvalidParameter", "Invalid parameter: TopicArn")
    t = _state(store, "sns_topics").get(arn)
    if t is None:
        raise AwsError("NotFound", "Topic does not exist", 404)
    return arn, t


def create_topic(store, region, name, attrs=None):
    if not TOPIC_NAME_RE.match(name or ""):
        raise AwsError("InvalidParameter",
                       "Invalid parameter: Topic Name")
    arn = "arn:aws:sns:%s:%s:%s" % (region, ACCOUNT, name)
    topics = _state(store, "sns_topics")
    if arn not in topics:
        topics[arn] = {"attrs": {"Policy": default_topic_policy(arn)},
                       "subs": []}
    topics[arn]["attrs"].update(attrs or {})
    return arn


def _attributes(params):
    out, i = {}, 1
    while "Attributes.entry.%d.key" % i in params:
        out[params["Attributes.entry.%d.key" % i]] = \
            params.get("Attributes.entry.%d.value" % i, "")
        i += 1
    return out


def sns_create_topic(store, params, call):
    with store.lock:
        return {"TopicArn": create_topic(store, call.region,
                                         params.get("Name"),
                                         _attributes(params))}


def sns_get_topic_attributes(store, params, call):
    with store.lock:
        arn, t = _topic(store, params)
        attrs = dict(t["attrs"])
        confirmed = sum(1 for s in t["subs"] if s["arn"] != "PendingConfirmation")
        attrs.update({
            "TopicArn": arn, "Owner": ACCOUNT,
            "SubscriptionsConfirmed": str(confirmed),
            "SubscriptionsPending": str(len(t["subs"]) - confirmed),
            "SubscriptionsDeleted": "0"})
        return {"Attributes": XmlMap(attrs)}


def sns_set_topic_attributes(store, params, call):
    with store.lock:
        _, t = _topic(store, params)
        name = params.get("AttributeName")
        if not name:
            raise AwsError("InvalidParameter",
                           "Invalid parameter: AttributeName")
        t["attrs"][name] = params.get("AttributeValue", "")
        return {}


def subscribe(store, arn, protocol, endpoint, confirmed=False):
    t = store.sns_topics[arn]
    token = uuid.uuid4().hex
    sub = {"arn": "%s:%s" % (arn, uuid.uuid4()) if confirmed
           else "PendingConfirmation", "protocol": protocol,
           "endpoint": endpoint, "token": token}
    t["subs"].append(sub)
    return sub


def sns_subscribe(store, params, call):
    with store.lock:
        arn, _ = _topic(store, params)
        proto = params.get("Protocol")
        if not proto:
            raise AwsError("InvalidParameter",
                           "Invalid parameter: Protocol")
        # As SNS: email and http(s) wait for confirmation, the rest do not.
        sub = subscribe(store, arn, proto, params.get("Endpoint", ""),
                        proto not in ("email", "email-json", "http",
                                      "https"))
        return {"SubscriptionArn": sub["arn"]}


def sns_confirm_subscription(store, params, call):
    with store.lock:
        arn, t = _topic(store, params)
        for s in t["subs"]:
            if s["token"] == params.get("Token"):
                if s["arn"] == "PendingConfirmation":
                    s["arn"] = "%s:%s" % (arn, uuid.uuid4())
                return {"SubscriptionArn": s["arn"]}
        raise AwsError("InvalidParameter", "Invalid token")


def sns_list_subscriptions_by_topic(store, params, call):
    page = store.options.get("sns_page_size", 100)
    with store.lock:
        arn, t = _topic(store, params)
        try:
            start = int(params.get("NextToken") or 0)
        except ValueError:
            raise AwsError("InvalidParameter",
                           "Invalid parameter: NextToken")
        subs = t["subs"][start:start + page]
        out = {"Subscriptions": [{
            "SubscriptionArn": s["arn"], "Owner": ACCOUNT,
            "Protocol": s["protocol"], "Endpoint": s["endpoint"],
            "TopicArn": arn} for s in subs]}
        if start + page < len(t["subs"]):
            out["NextToken"] = str(start + page)
        return out


SNS_OPS = {
    "CreateTopic": sns_create_topic,
    "GetTopicAttributes": sns_get_topic_attributes,
    "SetTopicAttributes": sns_set_topic_attributes,
    "Subscribe": sns_subscribe,
    "ConfirmSubscription": sns_confirm_subscription,
    "ListSubscriptionsByTopic": sns_list_subscriptions_by_topic,
}


# ---- KMS ---------------------------------------------------------------------

def create_key(store, region, policy=None, manager="CUSTOMER", alias=None):
    kid = str(uuid.uuid4())
    _state(store, "kms_keys")[kid] = {
        "arn": "arn:aws:kms:%s:%s:key/%s" % (region, ACCOUNT, kid),
        "region": region, "manager": manager,
        "policy": policy if policy is not None else default_key_policy()}
    if alias:
        _state(store, "kms_aliases").setdefault(region, {})[alias] = kid
    return kid


def _key(store, key_id, region, aliases=True):
    """The key id of key_id (id, key ARN, alias, alias ARN)."""
    if not key_id:
        raise AwsError("ValidationException", "KeyId is required")
    keys = _state(store, "kms_keys")
    m = re.match(r"arn:aws:kms:([^:]+):\d+:(key/|alias/)(.+)\Z", key_id)
    if m:
        region, kind, rest = m.group(1), m.group(2), m.group(3)
        key_id = rest if kind == "key/" else "alias/" + rest
    if key_id.startswith("alias/"):
        if not aliases:
            raise AwsError("NotFoundException",
                           "Invalid keyId '%s'" % key_id)
        kid = _state(store, "kms_aliases").get(region, {}).get(key_id)
        if kid is None and key_id.startswith("alias/aws/"):
            # AWS creates its managed keys on first use.
            kid = create_key(store, region, manager="AWS", alias=key_id)
        key_id = kid
    k = keys.get(key_id)
    if k is None or k["region"] != region:
        raise AwsError("NotFoundException", "Key '%s' does not exist" %
                       key_id)
    return key_id, k


def kms_create_key(store, params, call):
    with store.lock:
        kid = create_key(store, call.region, params.get("Policy"))
        k = store.kms_keys[kid]
        return {"KeyMetadata": {"KeyId": kid, "Arn": k["arn"],
                                "KeyManager": k["manager"],
                                "Enabled": True, "KeyState": "Enabled"}}


def kms_describe_key(store, params, call):
    with store.lock:
        kid, k = _key(store, params.get("KeyId"), call.region)
        return {"KeyMetadata": {"KeyId": kid, "Arn": k["arn"],
                                "AWSAccountId": ACCOUNT,
                                "KeyManager": k["manager"],
                                "Enabled": True, "KeyState": "Enabled"}}


def kms_get_key_policy(store, params, call):
    with store.lock:
        _, k = _key(store, params.get("KeyId"), call.region, aliases=False)
        if params.get("PolicyName", "default") != "default":
            raise AwsError("NotFoundException", "Policy not found")
        return {"Policy": k["policy"], "PolicyName": "default"}


def kms_put_key_policy(store, params, call):
    with store.lock:
        _, k = _key(store, params.get("KeyId"), call.region, aliases=False)
        if k["manager"] == "AWS":
            raise AwsError("AccessDeniedException",
                           "The key policy of an AWS managed key cannot "
                           "be changed")
        try:
            json.loads(params.get("Policy") or "")
        except ValueError:
            raise AwsError("MalformedPolicyDocumentException",
                           "The policy is not JSON")
        k["policy"] = params["Policy"]
        return {}


def kms_create_alias(store, params, call):
    with store.lock:
        name = params.get("AliasName") or ""
        if not name.startswith("alias/") or name.startswith("alias/aws/"):
            raise AwsError("ValidationException",
                           "Alias must start with alias/ and not alias/aws/")
        kid, _ = _key(store, params.get("TargetKeyId"), call.region,
                      aliases=False)
        _state(store, "kms_aliases").setdefault(call.region, {})[name] = kid
        return {}


KMS_OPS = {
    "CreateKey": kms_create_key,
    "DescribeKey": kms_describe_key,
    "GetKeyPolicy": kms_get_key_policy,
    "PutKeyPolicy": kms_put_key_policy,
    "CreateAlias": kms_create_alias,
}


# ---- Lambda (REST-JSON) ------------------------------------------------------

def _not_found(what):
    return AwsError("ResourceNotFoundException", what, 404)


def create_function(store, region, name):
    arn = "arn:aws:lambda:%s:%s:function:%s" % (region, ACCOUNT, name)
    _state(store, "lambda_functions").setdefault(arn, {"policy": []})
    return arn


def add_permission(store, arn, statement):
    store.lambda_functions[arn]["policy"].append(statement)


def _function(store, name, region):
    arn = "arn:aws:lambda:%s:%s:function:%s" % (region, ACCOUNT, name)
    f = _state(store, "lambda_functions").get(arn)
    if f is None:
        raise _not_found("Function not found: %s" % arn)
    return arn, f


def lambda_op(method, path):
    m = FUNCTION_RE.match(path)
    if not m:
        return "Lambda"
    if m.group(2):
        return "AddPermission" if method == "POST" else "GetPolicy"
    if m.group(1):
        return "GetFunction"
    return "CreateFunction" if method == "POST" else "ListFunctions"


def lambda_call(store, method, path, query, body, call):
    """The result dict; raises AwsError."""
    m = FUNCTION_RE.match(path)
    if not m:
        raise AwsError("UnknownOperationException", "Unknown operation", 404)
    name, policy = m.group(1), m.group(2)
    name = unquote(name) if name else None
    qual = parse_qs(query).get("Qualifier", [None])[0]
    params = json.loads(body.decode("utf-8")) if body.strip() else {}
    with store.lock:
        if name is None and method == "POST":
            arn = create_function(store, call.region,
                                  params.get("FunctionName", ""))
            return {"FunctionName": params.get(
                "FunctionName"), "FunctionArn": arn}
        if name is None:
            raise AwsError("UnknownOperationException", "Unknown operation",
                           404)
        arn, f = _function(store, name, call.region)
        if qual:
            arn += ":" + qual
        if policy and method == "POST":
            st = {"Sid": params.get("StatementId"), "Effect": "Allow",
                  "Principal": {"Service": params.get("Principal")},
                  "Action": params.get("Action"), "Resource": arn}
            if params.get("SourceAccount"):
                st.setdefault("Condition", {})["StringEquals"] = {
                    "AWS:SourceAccount": params["SourceAccount"]}
            if params.get("SourceArn"):
                st.setdefault("Condition", {})["ArnLike"] = {
                    "AWS:SourceArn": params["SourceArn"]}
            add_permission(store, arn.split(":" + qual)[0] if qual else arn,
                           st)
            return {"Statement": json.dumps(st)}
        if policy:
            if not f["policy"]:
                raise _not_found("The resource you requested does not "
                                 "exist.")
            return {"Policy": json.dumps({
                "Version": "2012-10-17", "Id": "default",
                "Statement": f["policy"]}), "RevisionId": str(uuid.uuid4())}
        return {"Configuration": {"FunctionName": name,
                                                 "FunctionArn": arn}}


# ---- Auto Scaling ------------------------------------------------------------

def put_scaling_policy(store, region, group, name):
    for arn, p in _state(store, "scaling_policies").items():
        if p["group"] == group and p["name"] == name and \
                arn.split(":")[3] == region:
            return arn
    arn = ("arn:aws:autoscaling:%s:%s:scalingPolicy:%s:autoScalingGroupName"
           "/%s:policyName/%s" % (region, ACCOUNT, uuid.uuid4(), group, name))
    store.scaling_policies[arn] = {"group": group, "name": name}
    return arn


def asg_put_scaling_policy(store, params, call):
    group, name = params.get("AutoScalingGroupName"), params.get("PolicyName")
    if not group or not name:
        raise AwsError("ValidationError", "AutoScalingGroupName and "
                       "PolicyName are required")
    with store.lock:
        return {"PolicyARN": put_scaling_policy(store, call.region, group,
                                                name)}


def asg_describe_policies(store, params, call):
    group = params.get("AutoScalingGroupName")
    names = [v for k, v in sorted(params.items())
             if k.startswith("PolicyNames.member.")]
    with store.lock:
        out = []
        for arn, p in _state(store, "scaling_policies").items():
            if arn.split(":")[3] != call.region:
                continue
            if group and p["group"] != group:
                continue
            if names and p["name"] not in names and arn not in names:
                continue
            out.append({"PolicyARN": arn, "PolicyName": p["name"],
                        "AutoScalingGroupName": p["group"],
                        "PolicyType": "SimpleScaling"})
        return {"ScalingPolicies": out}


ASG_OPS = {
    "PutScalingPolicy": asg_put_scaling_policy,
    "DescribePolicies": asg_describe_policies,
}


# ---- the control path ----------------------------------------------------------

def control(store, req):
    """Seeds in one go what tests need; returns the ARNs made:
    {"topics": [{"region", "name", "subscriptions": "confirmed"|"pending"
                 |"none", "attrs": {...}, "KmsMasterKeyId": ...}],
     "keys": [{"region", "alias", "policy"}],
     "functions": [{"region", "name", "permissions": [statement...]}],
     "scaling_policies": [{"region", "group", "name"}]}"""
    out = {"topics": [], "keys": [], "functions": [], "scaling_policies": []}
    with store.lock:
        for k in req.get("keys", []):
            pol = k.get("policy")
            kid = create_key(store, k["region"], json.dumps(pol)
                             if isinstance(pol, dict) else pol,
                             alias=k.get("alias"))
            out["keys"].append(store.kms_keys[kid]["arn"])
        for t in req.get("topics", []):
            arn = create_topic(store, t["region"], t["name"],
                               t.get("attrs"))
            subs = t.get("subscriptions", "confirmed")
            if subs != "none":
                subscribe(store, arn, "email", "oncall@example.com",
                          subs == "confirmed")
            out["topics"].append(arn)
        for f in req.get("functions", []):
            arn = create_function(store, f["region"], f["name"])
            for st in f.get("permissions", []):
                add_permission(store, arn, st)
            out["functions"].append(arn)
        for p in req.get("scaling_policies", []):
            out["scaling_policies"].append(put_scaling_policy(
                store, p["region"], p["group"], p["name"]))
    return out
