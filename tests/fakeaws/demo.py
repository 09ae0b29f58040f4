"""Demo data shaped like the Lomash Wood production stack: ECS services
with structured JSON logs, an EC2 API with text logs and stack traces,
ALB access logs, VPC flow logs and CloudTrail. Timestamps fall in the
last three hours before `now`; everything else depends only on the seed.

generate(seed, now_ms) -> [Group]; load(store, seed) puts it in a Store
directly; tests/fakeaws/seed-demo sends it through PutLogEvents.
"""

import json
import random
import time

ENV = "lomash-wood-production"
SERVICES = ["api-gateway", "auth-service", "product-service",
            "order-payment-service", "appointment-service",
            "content-service", "customer-service", "notification-service",
            "analytics-service"]
SPAN_MS = 3 * 3600 * 1000
AWS_REGION = "eu-west-2"
ACCOUNT = "123456789012"

PATHS = {
    "api-gateway": ["/api/v1/products", "/api/v1/orders", "/api/v1/auth/login",
                    "/api/v1/appointments", "/api/v1/customers/me",
                    "/api/v1/content/pages/home", "/health"],
    "auth-service": ["/auth/login", "/auth/refresh", "/auth/logout",
                     "/auth/verify", "/auth/password/reset"],
    "product-service": ["/products", "/products/{id}", "/categories",
                        "/products/search", "/products/{id}/stock"],
    "order-payment-service": ["/orders", "/orders/{id}", "/payments/intent",
                              "/payments/webhook", "/orders/{id}/refund"],
    "appointment-service": ["/appointments", "/appointments/{id}",
                            "/showrooms/{id}/slots", "/consultations"],
    "content-service": ["/pages/{slug}", "/blog", "/blog/{slug}", "/media"],
    "customer-service": ["/customers/me", "/customers/{id}/addresses",
                         "/wishlist", "/reviews"],
    "notification-service": ["/notify/email", "/notify/sms", "/templates"],
    "analytics-service": ["/events", "/events/batch", "/reports/daily"],
}
ERRORS = {
    "api-gateway": ["upstream timed out", "circuit breaker open for "
                    "order-payment-service", "rate limit exceeded for client"],
    "auth-service": ["invalid refresh token", "redis connection reset",
                     "JWT signature verification failed"],
    "product-service": ["product not found", "database query timeout after "
                        "5000ms", "stock reservation conflict"],
    "order-payment-service": ["payment provider returned 502", "Stripe webhook "
                              "signature mismatch", "order total mismatch"],
    "appointment-service": ["slot already booked", "calendar sync failed"],
    "content-service": ["CMS cache miss storm", "image resize failed"],
    "customer-service": ["address validation failed", "duplicate email"],
    "notification-service": ["SES throttled: Maximum sending rate exceeded",
                             "SMS provider unavailable"],
    "analytics-service": ["batch rejected: payload too large",
                          "kinesis put failed"],
}
AGENTS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
          "(KHTML, like Gecko) Chrome/124.0 Safari/537.36",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) "
          "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 "
          "Safari/604.1",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.4 Safari/605.1.15",
          "okhttp/4.12.0", "ELB-HealthChecker/2.0"]


class Group:
    def __init__(self, name, retention):
        self.name = name
        self.retention = retention
        self.streams = {}        # name -> [(ts, message)]
        self.metric_filters = []

    def add(self, stream, ts, msg):
        self.streams.setdefault(stream, []).append((ts, msg))


def _hex(rng, n):
    return "%0*x" % (n, rng.getrandbits(4 * n))


def _times(rng, n, now):
    start = now - SPAN_MS
    return sorted(start + rng.randint(0, SPAN_MS - 5000) for _ in range(n))


def _iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms / 1000.0)) + \
        ".%03dZ" % (ms % 1000)


def _ecs(rng, now, svc, n):
    g = Group("/ecs/%s/%s" % (ENV, svc), 30)
    tasks = ["ecs/%s/%s" % (svc, _hex(rng, 32)) for _ in range(3)]
    paths = PATHS[svc]
    for ts in _times(rng, n, now):
        r = rng.random()
        path = rng.choice(paths).replace("{id}", str(rng.randint(1, 9999)))
        path = path.replace("{slug}", rng.choice(["oak-wardrobes", "kitchens",
                                                  "about", "sale"]))
        latency = int(rng.lognormvariate(3.6, 0.8))
        status = rng.choice([200, 200, 200, 200, 201, 204, 304])
        level, msg = "info", "request completed"
        if r < 0.025:
            status = rng.choice([500, 502, 503, 504])
            level, msg = "error", rng.choice(ERRORS[svc])
        elif r < 0.06:
            status = rng.choice([400, 401, 403, 404, 409, 422, 429])
            level, msg = "warn", "request rejected"
        if rng.random() < 0.05:
            latency = rng.randint(1200, 9000)
            if level == "info":
                level, msg = "warn", "slow request"
        rec = {
            "timestamp": _iso(ts), "level": level, "service": svc,
            "msg": msg, "requestId": "%s-%s-%s" % (_hex(rng, 8), _hex(rng, 4),
                                                  _hex(rng, 12)),
            "method": rng.choice(["GET", "GET", "GET", "POST", "PUT",
                                  "DELETE"]),
            "path": path, "status": status, "latencyMs": latency,
            "env": "production",
        }
        if level == "error":
            rec["error"] = {"name": "Error", "message": msg}
        if svc in ("order-payment-service",) and rec["method"] == "POST":
            rec["amountPence"] = rng.randint(5000, 450000)
        g.add(rng.choice(tasks), ts, json.dumps(rec, separators=(",", ":")))
    return g


def _ec2(rng, now, n):
    g = Group("/aws/ec2/prod-d2-ride-booking-backend-api", 14)
    insts = ["i-%s" % _hex(rng, 17) for _ in range(2)]
    for ts in _times(rng, n, now):
        t = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ts / 1000.0)) + \
            ",%03d" % (ts % 1000)
        r = rng.random()
        trip = rng.randint(100000, 999999)
        if r < 0.03:
            msg = ("%s ERROR [http-nio-8080-exec-%d] c.d.r.BookingController - "
                   "Failed to create booking %d\n"
                   "java.lang.IllegalStateException: driver %d no longer "
                   "available\n"
                   "\tat com.d2.ride.booking.BookingService.assign("
                   "BookingService.java:214)\n"
                   "\tat com.d2.ride.booking.BookingController.create("
                   "BookingController.java:88)\n"
                   "\tat org.springframework.web.servlet.FrameworkServlet."
                   "service(FrameworkServlet.java:897)\n"
                   "Caused by: org.postgresql.util.PSQLException: ERROR: could "
                   "not serialize access due to concurrent update\n"
                   "\t... 42 more" % (t, rng.randint(1, 200), trip,
                                       rng.randint(1000, 9999)))
        elif r < 0.08:
            msg = "%s WARN  [scheduler-1] c.d.r.PricingClient - pricing " \
                  "service slow: %d ms" % (t, rng.randint(1500, 8000))
        else:
            msg = "%s INFO  [http-nio-8080-exec-%d] c.d.r.BookingController - " \
                  "%s /api/rides/%d %d %dms" % (
                      t, rng.randint(1, 200), rng.choice(["GET", "POST"]),
                      trip, rng.choice([200, 200, 201]), rng.randint(4, 400))
        g.add(rng.choice(insts), ts, msg)
    return g


def _alb(rng, now, n):
    g = Group("/aws/alb/%s" % ENV, 90)
    alb = "app/lomash-wood-prod-alb/%s" % _hex(rng, 16)
    tg = "arn:aws:elasticloadbalancing:%s:%s:targetgroup/lw-api-gateway/%s" % (
        AWS_REGION, ACCOUNT, _hex(rng, 16))
    cert = "arn:aws:acm:%s:%s:certificate/%s-%s-%s-%s-%s" % (
        AWS_REGION, ACCOUNT, _hex(rng, 8), _hex(rng, 4), _hex(rng, 4),
        _hex(rng, 4), _hex(rng, 12))
    for ts in _times(rng, n, now):
        client = "%d.%d.%d.%d:%d" % (rng.choice([81, 86, 90, 109, 146, 212]),
                                     rng.randint(0, 255), rng.randint(0, 255),
                                     rng.randint(1, 254),
                                     rng.randint(1024, 65535))
        target = "10.0.%d.%d:3000" % (rng.randint(10, 12), rng.randint(2, 250))
        status = rng.choice([200] * 12 + [301, 304, 404, 401])
        tpt = rng.lognormvariate(-3.2, 0.9)
        if rng.random() < 0.03:
            status = rng.choice([500, 502, 503, 504])
            if status == 504:
                tpt = 60.0
        if rng.random() < 0.04:
            tpt = rng.uniform(1.0, 9.0)
        path = rng.choice(PATHS["api-gateway"])
        t = _iso(ts)[:-1] + "%03dZ" % rng.randint(0, 999)
        req_t = _iso(ts - int(tpt * 1000) - 2)[:-1] + "000Z"
        target_status = "-" if status in (502, 504) else str(status)
        line = ('https %s %s %s %s 0.000 %.3f 0.000 %d %s %d %d '
                '"%s https://lomashwood.co.uk:443%s HTTP/2.0" "%s" '
                'TLS_AES_128_GCM_SHA256 TLSv1.3 %s '
                '"Root=1-%s-%s" "lomashwood.co.uk" "%s" 0 %s "forward" "-" '
                '"-" "%s" "%s" "-" "-"') % (
                    t, alb, client, target, tpt, status, target_status,
                    rng.randint(200, 2000), rng.randint(300, 90000),
                    rng.choice(["GET", "GET", "POST"]), path,
                    rng.choice(AGENTS), tg, "%08x" % (ts // 1000),
                    _hex(rng, 24), cert, req_t, target, target_status)
        g.add("alb-access/%s" % alb.split("/")[-1], ts, line)
    return g


def _vpc(rng, now, n):
    g = Group("/aws/vpc/flowlogs/%s" % ENV, 7)
    enis = ["eni-%s" % _hex(rng, 17) for _ in range(4)]
    for ts in _times(rng, n, now):
        eni = rng.choice(enis)
        start = ts // 1000 - 60
        if rng.random() < 0.1:
            src = "%d.%d.%d.%d" % (rng.randint(1, 223), rng.randint(0, 255),
                                   rng.randint(0, 255), rng.randint(1, 254))
            line = "2 %s %s %s 10.0.%d.%d %d %d 6 1 40 %d %d REJECT OK" % (
                ACCOUNT, eni, src, rng.randint(10, 12), rng.randint(2, 250),
                rng.randint(1024, 65535), rng.choice([22, 3389, 5432, 6379]),
                start, start + 60)
        elif rng.random() < 0.02:
            line = "2 %s %s - - - - - - - %d %d - NODATA" % (
                ACCOUNT, eni, start, start + 60)
        else:
            dport = rng.choice([443, 3000, 5432, 6379, 53])
            line = "2 %s %s 10.0.%d.%d 10.0.%d.%d %d %d %d %d %d %d %d " \
                   "ACCEPT OK" % (
                       ACCOUNT, eni, rng.randint(10, 12), rng.randint(2, 250),
                       rng.randint(20, 22), rng.randint(2, 250),
                       rng.randint(32768, 60999), dport,
                       17 if dport == 53 else 6, rng.randint(1, 400),
                       rng.randint(60, 600000), start, start + 60)
        g.add(eni + "-all", ts, line)
    return g


def _trail(rng, now, n):
    g = Group("/aws/cloudtrail/%s" % ENV, 365)
    calls = [("ecs.amazonaws.com", "DescribeServices", True),
             ("ecs.amazonaws.com", "UpdateService", False),
             ("logs.amazonaws.com", "FilterLogEvents", True),
             ("monitoring.amazonaws.com", "PutMetricAlarm", False),
             ("monitoring.amazonaws.com", "DescribeAlarms", True),
             ("sts.amazonaws.com", "AssumeRole", True),
             ("kms.amazonaws.com", "Decrypt", True),
             ("rds.amazonaws.com", "DescribeDBInstances", True),
             ("iam.amazonaws.com", "CreateAccessKey", False),
             ("s3.amazonaws.com", "PutBucketPolicy", False),
             ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", False),
             ("signin.amazonaws.com", "ConsoleLogin", False)]
    users = [("AssumedRole", "arn:aws:sts::%s:assumed-role/github-actions-"
              "deploy/GitHubActions" % ACCOUNT),
             ("IAMUser", "arn:aws:iam::%s:user/ops-admin" % ACCOUNT),
             ("AssumedRole", "arn:aws:sts::%s:assumed-role/lw-ecs-task-role/"
              "%s" % (ACCOUNT, _hex(rng, 32))),
             ("Root", "arn:aws:iam::%s:root" % ACCOUNT)]
    for ts in _times(rng, n, now):
        src, name, ro = rng.choice(calls)
        utype, arn = rng.choice(users)
        rec = {
            "eventVersion": "1.09",
            "userIdentity": {"type": utype, "arn": arn,
                             "accountId": ACCOUNT,
                             "principalId": "AIDA%s" % _hex(rng, 16).upper()},
            "eventTime": _iso(ts)[:-5] + "Z",
            "eventSource": src, "eventName": name, "awsRegion": AWS_REGION,
            "sourceIPAddress": rng.choice(["ecs.amazonaws.com",
                                           "203.0.113.%d" % rng.randint(1, 254)
                                           ]),
            "userAgent": rng.choice(["aws-cli/2.15.30",
                                     "aws-sdk-js/3.540.0", "console.amazonaws"
                                     ".com"]),
            "requestParameters": None, "responseElements": None,
            "requestID": "%s-%s-%s-%s-%s" % (_hex(rng, 8), _hex(rng, 4),
                                             _hex(rng, 4), _hex(rng, 4),
                                             _hex(rng, 12)),
            "eventID": "%s-%s-%s-%s-%s" % (_hex(rng, 8), _hex(rng, 4),
                                           _hex(rng, 4), _hex(rng, 4),
                                           _hex(rng, 12)),
            "readOnly": ro, "eventType": "AwsApiCall",
            "managementEvent": True, "recipientAccountId": ACCOUNT,
            "eventCategory": "Management",
        }
        if name == "ConsoleLogin":
            rec["eventType"] = "AwsConsoleSignIn"
            rec["responseElements"] = {"ConsoleLogin": rng.choice(
                ["Success", "Success", "Failure"])}
            rec["additionalEventData"] = {"MFAUsed": rng.choice(["Yes",
                                                                 "No"])}
        elif rng.random() < 0.06:
            rec["errorCode"] = rng.choice(["AccessDenied",
                                           "UnauthorizedOperation",
                                           "ThrottlingException"])
            rec["errorMessage"] = "User: %s is not authorized to perform: " \
                "%s:%s" % (arn, src.split(".")[0], name)
        g.add("%s_CloudTrail_%s" % (ACCOUNT, AWS_REGION), ts,
              json.dumps(rec, separators=(",", ":")))
    return g


def generate(seed=None, now_ms=None, scale=1.0):
    rng = random.Random(0 if seed is None else seed)
    now = int(time.time() * 1000) if now_ms is None else now_ms
    k = lambda n: max(1, int(n * scale))   # noqa: E731
    groups = []
    weights = {"api-gateway": 3000, "auth-service": 1500,
               "product-service": 2000, "order-payment-service": 1200,
               "appointment-service": 600, "content-service": 800,
               "customer-service": 900, "notification-service": 700,
               "analytics-service": 1500}
    for svc in SERVICES:
        groups.append(_ecs(rng, now, svc, k(weights[svc])))
    groups.append(_ec2(rng, now, k(1500)))
    groups.append(_alb(rng, now, k(4000)))
    groups.append(_vpc(rng, now, k(3000)))
    groups.append(_trail(rng, now, k(600)))
    groups[0].metric_filters.append({
        "filterName": "api-gateway-5xx",
        "filterPattern": "{ $.status >= 500 }",
        "metricTransformations": [{
            "metricName": "Api5xxCount", "metricNamespace": "LomashWood/Api",
            "metricValue": "1", "defaultValue": 0}]})
    groups[9].metric_filters.append({
        "filterName": "ride-booking-errors",
        "filterPattern": "ERROR",
        "metricTransformations": [{
            "metricName": "RideBookingErrors",
            "metricNamespace": "D2/RideBooking", "metricValue": "1"}]})
    return groups


def load(store, seed=None, region="us-east-1", now_ms=None, scale=1.0):
    """Put the demo data into `store` (replacing groups of the same
    names)."""
    import common
    import logs
    now = store.now_ms() if now_ms is None else now_ms
    groups = generate(seed, now, scale)
    with store.lock:
        for d in groups:
            g = common.LogGroup(d.name, now - SPAN_MS - 86400000, region)
            g.retention = d.retention
            for mf in d.metric_filters:
                m = dict(mf)
                m["creationTime"] = g.created
                m["logGroupName"] = g.name
                g.metric_filters[m["filterName"]] = m
            store.groups[d.name] = g
            for sname in sorted(d.streams):
                items = d.streams[sname]
                s = common.LogStream(sname, items[0][0] - 1000)
                g.streams[sname] = s
                logs.append_events(store, g, s, items, now)
    return groups
