/*
 * gen-logs: writes a deterministic corpus of mixed production logs for the
 * benchmarks. The same seed and size always give the same bytes, and a
 * smaller size with the same seed gives a prefix of the larger corpus.
 *
 *   gen-logs [-s SIZE] [-S SEED] [-o FILE]
 *
 * SIZE takes the suffixes K, M and G (powers of 1024); the default is 1G.
 * The output never exceeds SIZE and ends at the end of a record; a record
 * is one line, or an error line with its stack trace.
 *
 * Record shares (of records, not bytes):
 *   40 %  JSON service logs of an e-commerce platform on ECS
 *   15 %  nginx combined access log
 *   12 %  ALB access log
 *   15 %  VPC flow log, version 2
 *   14 %  plain text: Spring Boot (Java) lines with stack traces
 *    2 %  plain text: Node.js lines with stack traces
 *    1 %  RDS PostgreSQL log
 *    1 %  nginx error log
 * About 2 % of the records are "interesting": ERROR, 5xx, latency above
 * 1000 ms, "Connection refused", "timeout after NNNms".
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Random numbers: xoshiro256** seeded through splitmix64. */

static uint64_t rs[4];

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rnd(void)
{
	uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

/* Uniform in [0, n), n < 2^32. */
static inline uint32_t below(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

static inline uint32_t range(uint32_t lo, uint32_t hi)
{
	return lo + below(hi - lo + 1);
}

/* True with probability per/1000. */
static inline int chance(uint32_t per)
{
	return below(1000) < per;
}

#define PICK(a) ((a)[below(sizeof(a) / sizeof((a)[0]))])

/* ------------------------------------------------------------------ */
/* The current record. */

static char rec[1 << 16];
static size_t rl;

static inline void s(const char *str)
{
	size_t n = strlen(str);
	memcpy(rec + rl, str, n);
	rl += n;
}

static inline void c(char ch)
{
	rec[rl++] = ch;
}

static inline void u(uint64_t v)
{
	char t[24];
	int i = 0;
	do {
		t[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		rec[rl++] = t[--i];
}

/* v in exactly w digits, zero-padded. */
static inline void uw(uint64_t v, int w)
{
	for (int i = w - 1; i >= 0; i--) {
		rec[rl + i] = (char)('0' + v % 10);
		v /= 10;
	}
	rl += w;
}

static const char hexd[] = "0123456789abcdef";

static inline void hex(int n)
{
	uint64_t r = 0;
	for (int i = 0; i < n; i++) {
		if (i % 16 == 0)
			r = rnd();
		rec[rl++] = hexd[r & 15];
		r >>= 4;
	}
}

static void uuid(void)
{
	hex(8); c('-'); hex(4); c('-'); c('4'); hex(3); c('-');
	c(hexd[8 + below(4)]); hex(3); c('-'); hex(12);
}

/* Milliseconds as seconds with three decimals: 0.048 */
static void secs3(uint32_t ms)
{
	u(ms / 1000); c('.'); uw(ms % 1000, 3);
}

static void ip10(void)
{
	s("10.0."); u(range(1, 63)); c('.'); u(range(2, 254));
}

static void ip_public(void)
{
	static const int first[] = { 31, 37, 46, 52, 62, 78, 81, 84, 88, 91,
		93, 109, 151, 176, 185, 188, 193, 203, 212, 217 };
	u((uint64_t)PICK(first)); c('.'); u(below(256)); c('.');
	u(below(256)); c('.'); u(range(1, 254));
}

/* ------------------------------------------------------------------ */
/* Time: milliseconds since the epoch, and per-second strings. */

static uint64_t now_ms;
static int64_t cached_sec = -1;
static char t_iso[32];		/* 2026-11-23T06:16:16 */
static char t_sp[32];		/* 2026-11-23 06:16:16 */
static char t_slash[32];	/* 2026/11/23 06:16:16 */
static char t_clf[40];		/* 23/Nov/2026:06:16:16 +0000 */

static void civil(int64_t days, int *y, int *m, int *d)
{
	/* Days since 1970-01-01 to a proleptic Gregorian date. */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static void tick(uint32_t max_ms)
{
	static const char mon[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int y, m, d, hh, mm, ss;
	int64_t sec;

	now_ms += below(max_ms + 1);
	sec = (int64_t)(now_ms / 1000);
	if (sec == cached_sec)
		return;
	cached_sec = sec;
	civil(sec / 86400, &y, &m, &d);
	hh = (int)(sec % 86400 / 3600);
	mm = (int)(sec % 3600 / 60);
	ss = (int)(sec % 60);
	snprintf(t_iso, sizeof t_iso, "%04d-%02d-%02dT%02d:%02d:%02d",
		y, m, d, hh, mm, ss);
	snprintf(t_sp, sizeof t_sp, "%04d-%02d-%02d %02d:%02d:%02d",
		y, m, d, hh, mm, ss);
	snprintf(t_slash, sizeof t_slash, "%04d/%02d/%02d %02d:%02d:%02d",
		y, m, d, hh, mm, ss);
	snprintf(t_clf, sizeof t_clf, "%02d/%s/%04d:%02d:%02d:%02d +0000",
		d, mon[m - 1], y, hh, mm, ss);
}

static void ts_iso_ms(void)
{
	s(t_iso); c('.'); uw(now_ms % 1000, 3); c('Z');
}

static void ts_iso_us(uint64_t ms)
{
	/* ALB style: 2026-11-23T06:16:16.123456Z, for a time <= now_ms */
	int64_t sec = (int64_t)(ms / 1000);
	int y, mo, d;
	civil(sec / 86400, &y, &mo, &d);
	uw((uint64_t)y, 4); c('-'); uw((uint64_t)mo, 2); c('-'); uw((uint64_t)d, 2);
	c('T'); uw((uint64_t)(sec % 86400 / 3600), 2); c(':');
	uw((uint64_t)(sec % 3600 / 60), 2); c(':'); uw((uint64_t)(sec % 60), 2);
	c('.'); uw(ms % 1000, 3); uw(below(1000), 3); c('Z');
}

/* ------------------------------------------------------------------ */
/* Vocabulary. */

static const char *const services[] = {
	"order-payment-service", "cart-service", "catalog-service",
	"checkout-api", "inventory-service", "shipping-service",
	"user-auth-service", "notification-worker", "search-service",
	"pricing-service", "recommendation-service", "order-service",
};

static const char *const api_paths[] = {
	"/api/v1/orders", "/api/v1/orders/%", "/api/v1/orders/%/payment",
	"/api/v1/cart", "/api/v1/cart/items", "/api/v1/cart/items/%",
	"/api/v1/products", "/api/v1/products/%", "/api/v2/search",
	"/api/v1/checkout", "/api/v1/checkout/%/confirm", "/api/v1/inventory/%",
	"/api/v1/users/me", "/api/v1/auth/token", "/api/v1/shipping/quotes",
	"/api/v1/prices/%", "/api/v1/recommendations", "/api/v1/wishlist",
};

static const char *const methods[] = {
	"GET", "GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE",
};

static const char *const agents[] = {
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36",
	"Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
	"ShopApp/4.12.1 (iOS 17.6; iPhone15,2)",
	"ShopApp/4.12.0 (Android 14; SM-S918B)",
	"okhttp/4.12.0",
	"curl/8.5.0",
	"Go-http-client/1.1",
};

static const char *const referers[] = {
	"-", "-", "https://shop.example.com/", "https://shop.example.com/c/shoes",
	"https://shop.example.com/cart", "https://www.google.com/",
	"https://shop.example.com/checkout",
};

/* A path with its % replaced by a number, and sometimes a query. */
static void api_path(const char *p)
{
	for (; *p; p++) {
		if (*p == '%')
			u(range(1000, 9999999));
		else
			c(*p);
	}
}

static void random_path(int query)
{
	api_path(PICK(api_paths));
	if (query && chance(150)) {
		s("?page="); u(range(1, 40)); s("&size=24");
	}
}

/* Status codes: mostly 2xx; fivexx is the share of 5xx per thousand. */
static uint32_t http_status(uint32_t fivexx)
{
	uint32_t r = below(1000);
	static const uint32_t five[] = { 500, 502, 502, 503, 504, 504 };
	if (r < fivexx)
		return PICK(five);
	r -= fivexx;
	if (r < 700)
		return 200;
	if (r < 760)
		return 201;
	if (r < 800)
		return 204;
	if (r < 850)
		return 304;
	if (r < 870)
		return 301;
	if (r < 930)
		return 404;
	if (r < 960)
		return 400;
	if (r < 975)
		return 401;
	if (r < 985)
		return 403;
	return 429;
}

/* Latency in ms: most requests are quick, a tail is slow. */
static uint32_t latency(int slowish)
{
	uint32_t r = below(1000);
	if (slowish) {
		if (r < 450)
			return range(501, 9000);
		return range(20, 500);
	}
	if (r < 18)
		return range(1001, 12000);
	if (r < 60)
		return range(501, 1000);
	if (r < 200)
		return range(120, 500);
	return range(2, 120);
}

/* ------------------------------------------------------------------ */
/* JSON service logs. */

static const char *const info_msgs[] = {
	"request completed", "request completed", "request completed",
	"payment authorized", "order created", "cart updated",
	"inventory reserved", "cache hit for product", "user logged in",
	"shipment label created", "email queued for delivery",
	"price calculated", "search executed", "recommendations served",
	"token refreshed", "order status changed to SHIPPED",
};

static const char *const warn_msgs[] = {
	"slow query detected on orders table",
	"retrying request to payment gateway (attempt 2/3)",
	"cache miss, falling back to database",
	"rate limit approaching for client",
	"deprecated API version used: v1",
	"upstream pricing-service timeout after 2000ms, retrying",
	"read timeout after 3 retries, serving stale price",
	"circuit breaker half-open for inventory-service",
	"payment gateway responded slowly",
	"healthcheck dependency redis failed: Connection refused",
};

static const char *const error_msgs[] = {
	"payment gateway returned 502 Bad Gateway",
	"connect ECONNREFUSED 10.0.4.12:5432",
	"java.net.ConnectException: Connection refused (Connection refused)",
	"upstream inventory-service timeout after 5000ms",
	"failed to reserve inventory: insufficient stock",
	"unhandled exception in request handler",
	"database deadlock detected, transaction rolled back",
	"card declined by issuer: insufficient_funds",
	"failed to publish OrderCreated event to SNS: timeout after 30s",
	"redis: Connection refused while fetching session",
};

static void json_str(const char *k, const char *v)
{
	c('"'); s(k); s("\":\""); s(v); c('"');
}

static void gen_json(void)
{
	const char *svc = PICK(services), *level, *msg;
	uint32_t r = below(1000), status, lat;
	int err = 0, health = 0, job = 0;

	tick(3);
	if (r < 14) {
		level = "error";
		err = 1;
		msg = PICK(error_msgs);
	} else if (r < 80) {
		level = "warn";
		msg = PICK(warn_msgs);
	} else if (r < 140) {
		level = "debug";
		msg = chance(500) ? "healthcheck ok" : "cache lookup";
		health = msg[0] == 'h';
	} else {
		level = "info";
		msg = PICK(info_msgs);
		job = chance(60);
	}

	s("{\"timestamp\":\""); ts_iso_ms(); s("\",");
	json_str("level", level); c(',');
	json_str("service", svc); c(',');
	s("\"env\":\"production\",\"host\":\"ip-10-0-"); u(range(1, 63));
	c('-'); u(range(2, 254));
	s(".eu-west-1.compute.internal\",\"taskId\":\""); hex(32); s("\",");
	json_str("msg", msg); c(',');
	if (job) {
		/* Background job: no HTTP fields, no latencyMs. */
		s("\"job\":\"");
		s(chance(500) ? "outbox-relay" : "abandoned-cart-reminder");
		s("\",\"batchSize\":"); u(range(1, 500));
		s(",\"durationMs\":"); u(range(5, 4000)); s("}\n");
		return;
	}
	s("\"requestId\":\""); uuid(); s("\",");
	s("\"traceId\":\"1-"); hex(8); c('-'); hex(24); s("\",");
	if (health) {
		s("\"method\":\"GET\",\"path\":\"/healthcheck\",\"status\":200,"
		  "\"latencyMs\":"); u(range(0, 3)); s("}\n");
		return;
	}
	s("\"method\":\""); s(PICK(methods)); s("\",\"path\":\"");
	random_path(0); s("\",");
	status = err ? (chance(800) ? http_status(1000) : 500) : http_status(0);
	lat = latency(err);
	s("\"status\":"); u(status);
	s(",\"latencyMs\":"); u(lat);
	if (chance(300)) {
		/* A nested latency that is not the top-level one. */
		s(",\"upstream\":{\"name\":\"");
		s(PICK(services)); s("\",\"latencyMs\":");
		u(lat > 10 ? lat - range(1, 10) : lat);
		s(",\"status\":"); u(status); c('}');
	}
	if (chance(400)) {
		s(",\"user\":{\"id\":\"u-"); u(range(10000, 999999));
		s("\",\"tier\":\""); s(chance(200) ? "gold" : "standard");
		s("\",\"country\":\""); s(chance(500) ? "DE" : "FR"); s("\"}");
	}
	if (chance(150)) {
		s(",\"items\":["); uint32_t n = range(1, 4);
		for (uint32_t i = 0; i < n; i++) {
			if (i)
				c(',');
			s("{\"sku\":\"SKU-"); u(range(10000, 99999));
			s("\",\"qty\":"); u(range(1, 3)); c('}');
		}
		c(']');
	}
	if (err) {
		s(",\"error\":{\"type\":\"");
		s(chance(500) ? "UpstreamError" : "InternalError");
		s("\",\"message\":\"request failed: \\\"");
		s(msg); s("\\\"\",\"retryable\":");
		s(chance(500) ? "true" : "false"); s("}");
	}
	s(",\"bytes\":"); u(range(2, 48000));
	s(",\"clientIp\":\""); ip_public(); s("\"}\n");
}

/* ------------------------------------------------------------------ */
/* nginx combined access log (behind the ALB). */

static void gen_nginx(void)
{
	uint32_t status;
	int health = chance(150);

	tick(3);
	ip10(); s(" - ");
	if (!health && chance(50)) {
		s("user"); u(range(100, 999));
	} else {
		c('-');
	}
	s(" ["); s(t_clf); s("] \"");
	if (health) {
		s("GET /healthcheck HTTP/1.1\" ");
		status = chance(990) ? 200 : 503;
		u(status); s(status == 200 ? " 2" : " 0");
		s(" \"-\" \"ELB-HealthChecker/2.0\"\n");
		return;
	}
	s(PICK(methods)); c(' ');
	if (chance(200)) {
		static const char *const statics[] = { "/static/js/app.",
			"/static/css/main.", "/img/products/" };
		s(PICK(statics)); hex(8); s(chance(500) ? ".js" : ".webp");
	} else {
		random_path(1);
	}
	s(chance(300) ? " HTTP/2.0\" " : " HTTP/1.1\" ");
	status = http_status(22);
	u(status); c(' ');
	u(status == 204 || status == 304 ? 0 : range(20, 80000));
	s(" \""); s(PICK(referers)); s("\" \""); s(PICK(agents)); s("\"\n");
}

/* ------------------------------------------------------------------ */
/* ALB access log, the documented field order. */

static void gen_alb(void)
{
	static const char *const tgs[] = { "prod-checkout-tg/6d0ecf831eec9f09",
		"prod-catalog-tg/73e2d6bc24d8a067", "prod-cart-tg/a1b2c3d4e5f60718",
		"prod-orders-tg/943f017f100becff" };
	uint32_t status = http_status(20), tgt_ms = latency(0);
	uint32_t ta = range(1, 63), tb = range(2, 254);
	int h2 = chance(400), failed = status == 502 || status == 504;

	tick(3);
	s(h2 ? "h2 " : "https ");
	ts_iso_us(now_ms);
	s(" app/prod-shop-alb/50dc6c495c0c9188 ");
	ip_public(); c(':'); u(range(1024, 65535));
	s(" 10.0."); u(ta); c('.'); u(tb); s(":8080 ");
	if (failed) {
		s(status == 502 ? "-1 -1 -1 502 - " : "0.000 -1 -1 504 - ");
		u(range(200, 1500)); c(' ');
		u(status == 502 ? 272 : 244);
	} else {
		s("0.000 "); secs3(tgt_ms); s(" 0.000 ");
		u(status); c(' '); u(status); c(' ');
		u(range(200, 2500)); c(' ');
		u(status == 204 || status == 304 ? 0 : range(300, 90000));
	}
	s(" \""); s(PICK(methods)); s(" https://shop.example.com:443");
	random_path(1); s(h2 ? " HTTP/2.0\" \"" : " HTTP/1.1\" \"");
	s(PICK(agents));
	s("\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 "
	  "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/");
	s(PICK(tgs)); s(" \"Root=1-"); hex(8); c('-'); hex(24);
	s("\" \"shop.example.com\" \"arn:aws:acm:eu-west-1:123456789012:"
	  "certificate/5b7c3a1e-2f4d-4e8a-9c6b-0d1e2f3a4b5c\" ");
	u(range(1, 12)); c(' ');
	ts_iso_us(now_ms > tgt_ms ? now_ms - tgt_ms : now_ms);
	s(" \"forward\" \"-\" \"-\" \"10.0."); u(ta); c('.'); u(tb);
	s(":8080\" \"");
	if (failed)
		c('-');
	else
		u(status);
	s("\" \"-\" \"-\" TID_"); hex(32); c('\n');
}

/* ------------------------------------------------------------------ */
/* VPC flow log, default version 2 format. */

static void gen_vpc(void)
{
	static const uint32_t dports[] = { 443, 443, 443, 80, 5432, 6379,
		8080, 3306, 53, 22, 9200, 2049 };
	uint32_t r = below(1000), start;

	tick(3);
	start = (uint32_t)(now_ms / 1000);
	start -= start % 60;
	s("2 123456789012 eni-0"); hex(16); c(' ');
	if (r < 10) {
		s("- - - - - - - "); u(start); c(' '); u(start + 60);
		s(" - NODATA\n");
		return;
	}
	if (chance(500)) {
		ip10();
	} else {
		ip_public();
	}
	c(' '); ip10(); c(' ');
	u(range(1024, 65535)); c(' ');
	u((uint64_t)PICK(dports)); c(' ');
	u(chance(950) ? 6 : 17); c(' ');
	uint32_t pk = range(1, 900);
	u(pk); c(' '); u((uint64_t)pk * range(40, 1500)); c(' ');
	u(start); c(' '); u(start + 60);
	s(r < 60 ? " REJECT OK\n" : " ACCEPT OK\n");
}

/* ------------------------------------------------------------------ */
/* Spring Boot (Java) application logs with stack traces. */

static const char *const java_loggers[] = {
	"c.s.order.payment.PaymentController      ",
	"c.s.order.payment.PaymentGatewayClient   ",
	"c.s.cart.service.CartService             ",
	"c.s.inventory.ReservationService         ",
	"o.s.web.servlet.DispatcherServlet        ",
	"c.s.common.health.HealthcheckIndicator   ",
	"c.s.shipping.LabelService                ",
	"com.zaxxer.hikari.pool.HikariPool        ",
};

static const char *const java_info[] = {
	"Payment authorized orderId=%",
	"Order % created with 3 items",
	"Reserved stock for order %",
	"Completed initialization in 2 ms",
	"Shipment label % created",
	"Cart % merged after login",
};

static const char *const java_warn[] = {
	"Request to inventory-service failed: timeout after 3000ms",
	"HikariPool-1 - Connection is not available, request timed out after 30000ms.",
	"healthcheck redis failed: Connection refused",
	"Retrying payment capture for order % (attempt 2)",
	"Slow response from pricing-service: 1840 ms",
	"Read timeout after 3 retries for shipping quotes",
};

static const char *const java_error[] = {
	"Payment gateway call failed for order %",
	"Failed to reserve stock for order %",
	"Unexpected error processing request",
	"Could not connect to database",
	"Servlet.service() for servlet [dispatcherServlet] threw exception",
};

static const char *const java_exc[] = {
	"java.net.ConnectException: Connection refused",
	"java.net.SocketTimeoutException: Read timed out",
	"org.springframework.dao.DataIntegrityViolationException: could not execute statement",
	"java.lang.NullPointerException: Cannot invoke \"com.shop.order.model.Order.getId()\" because \"order\" is null",
	"java.lang.IllegalStateException: timeout after 5000ms waiting for lock",
};

static const char *const java_frames[] = {
	"java.base/sun.nio.ch.Net.pollConnect(Native Method)",
	"java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:551)",
	"java.base/java.net.Socket.connect(Socket.java:751)",
	"org.apache.http.impl.conn.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:142)",
	"org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
	"com.shop.order.payment.PaymentGatewayClient.capture(PaymentGatewayClient.java:88)",
	"com.shop.order.payment.PaymentService.authorize(PaymentService.java:61)",
	"com.shop.order.payment.PaymentController.pay(PaymentController.java:44)",
	"java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
	"org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
	"org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:166)",
	"org.hibernate.engine.jdbc.spi.SqlExceptionHelper.convert(SqlExceptionHelper.java:113)",
	"com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)",
	"java.base/java.lang.Thread.run(Thread.java:1583)",
};

static void with_ids(const char *fmt)
{
	for (; *fmt; fmt++) {
		if (*fmt == '%')
			u(range(100000, 9999999));
		else
			c(*fmt);
	}
}

static void gen_java(void)
{
	uint32_t r = below(1000);
	const char *lvl, *msg;
	int stack = 0;

	tick(3);
	if (r < 45) {
		lvl = "ERROR";
		msg = PICK(java_error);
		stack = chance(500);
	} else if (r < 115) {
		lvl = " WARN";
		msg = PICK(java_warn);
	} else if (r < 165) {
		lvl = "DEBUG";
		msg = "Returning cached instance of singleton bean";
	} else {
		lvl = " INFO";
		msg = PICK(java_info);
	}
	s(t_sp); c('.'); uw(now_ms % 1000, 3); c(' '); s(lvl);
	s(" 1 --- [nio-8080-exec-"); u(range(1, 10)); s("] ");
	s(PICK(java_loggers)); s(": "); with_ids(msg); c('\n');
	if (!stack)
		return;
	const char *exc = PICK(java_exc);
	s(exc); c('\n');
	uint32_t n = range(6, 24), f = below(6);
	for (uint32_t i = 0; i < n; i++) {
		s("\tat "); s(java_frames[(f + i) % (sizeof java_frames /
			sizeof java_frames[0])]); c('\n');
	}
	if (chance(400)) {
		s("Caused by: "); s(PICK(java_exc)); c('\n');
		s("\tat "); s(PICK(java_frames)); c('\n');
		s("\t... "); u(range(20, 60)); s(" more\n");
	}
}

/* ------------------------------------------------------------------ */
/* Node.js (winston-like text) with stack traces. */

static void gen_node(void)
{
	uint32_t r = below(1000);
	const char *svc = PICK(services);

	tick(3);
	ts_iso_ms(); c(' ');
	if (r < 45) {
		s("ERROR ["); s(svc); s("] ");
		int refused = chance(500);
		s(refused ? "Unhandled rejection: connect ECONNREFUSED 10.0.3.4:6379\n"
			  : "Request failed: upstream timeout after 8000ms\n");
		if (chance(600)) {
			s(refused ? "Error: connect ECONNREFUSED 10.0.3.4:6379\n"
				  : "Error: timeout after 8000ms\n");
			s("    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)\n");
			uint32_t n = range(3, 8);
			for (uint32_t i = 0; i < n; i++) {
				s("    at "); s(i & 1 ? "RedisClient.sendCommand" :
					    "async CartRepository.load");
				s(" (/app/dist/"); s(i & 1 ? "redis/client.js:" :
						    "cart/repository.js:");
				u(range(10, 400)); c(':'); u(range(5, 40)); s(")\n");
			}
		}
	} else if (r < 120) {
		s("WARN ["); s(svc); s("] ");
		s(chance(500) ? "Retrying after upstream timeout after 1500ms\n"
			      : "Event loop lag 312ms\n");
	} else {
		s("INFO ["); s(svc); s("] ");
		s(PICK(info_msgs)); s(" in "); u(range(1, 300)); s("ms\n");
	}
}

/* ------------------------------------------------------------------ */
/* RDS PostgreSQL log (log_line_prefix %t:%r:%u@%d:[%p]:). */

static void gen_pg(void)
{
	uint32_t r = below(1000);

	tick(3);
	s(t_sp); s(" UTC:"); ip10(); c('('); u(range(30000, 60000));
	s("):app@orders:["); u(range(1000, 60000)); s("]:");
	if (r < 60) {
		s("ERROR:  duplicate key value violates unique constraint "
		  "\"orders_pkey\"\n");
	} else if (r < 100) {
		s("WARNING:  there is no transaction in progress\n");
	} else {
		s("LOG:  duration: "); u(range(1, 3000)); c('.');
		uw(below(1000), 3);
		s(" ms  statement: SELECT * FROM orders WHERE id = ");
		u(range(1000, 9999999)); c('\n');
	}
}

/* ------------------------------------------------------------------ */
/* nginx error log. */

static void gen_nginx_err(void)
{
	uint32_t r = below(1000);
	int health = chance(300);
	const char *path = health ? "/healthcheck" : "/api/v1/checkout";

	tick(3);
	s(t_slash);
	if (r < 450) {
		s(" [error] 31#31: *"); u(range(1000, 9999999));
		s(" connect() failed (111: Connection refused) while connecting "
		  "to upstream");
	} else if (r < 850) {
		s(" [error] 31#31: *"); u(range(1000, 9999999));
		s(" upstream timed out (110: Connection timed out) while reading "
		  "response header from upstream");
	} else {
		s(" [warn] 31#31: *"); u(range(1000, 9999999));
		s(" an upstream response is buffered to a temporary file "
		  "/var/cache/nginx/proxy_temp/1/00/0000000001");
	}
	s(", client: "); ip10(); s(", server: api.shop.example.com, request: \"GET ");
	s(path); s(" HTTP/1.1\", upstream: \"http://"); ip10(); s(":8080");
	s(path); s("\", host: \"api.shop.example.com\"\n");
}

/* ------------------------------------------------------------------ */

static int parse_size(const char *a, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(a, &end, 10);
	if (errno || end == a)
		return -1;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static void usage(FILE *f)
{
	fputs("usage: gen-logs [-s SIZE] [-S SEED] [-o FILE]\n", f);
}

int main(int argc, char **argv)
{
	uint64_t size = (uint64_t)1 << 30, seed = 1, total = 0, x;
	const char *outpath = NULL;
	int opt, fd = 1;
	static char obuf[1 << 20];
	size_t ol = 0;

	while ((opt = getopt(argc, argv, "s:S:o:h")) != -1) {
		switch (opt) {
		case 's':
			if (parse_size(optarg, &size) < 0) {
				fprintf(stderr, "gen-logs: bad size: %s\n", optarg);
				return 2;
			}
			break;
		case 'S':
			if (parse_size(optarg, &seed) < 0) {
				fprintf(stderr, "gen-logs: bad seed: %s\n", optarg);
				return 2;
			}
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (outpath) {
		fd = open(outpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			fprintf(stderr, "gen-logs: %s: %s\n", outpath,
				strerror(errno));
			return 2;
		}
	}

	x = seed;
	for (int i = 0; i < 4; i++)
		rs[i] = splitmix(&x);
	/* 2026-11-23T00:00:00Z plus a seed-dependent offset. */
	now_ms = 1795392000000ULL + (splitmix(&x) % 3600000);

	for (;;) {
		uint32_t k = below(1000);
		rl = 0;
		if (k < 400)
			gen_json();
		else if (k < 550)
			gen_nginx();
		else if (k < 670)
			gen_alb();
		else if (k < 820)
			gen_vpc();
		else if (k < 960)
			gen_java();
		else if (k < 980)
			gen_node();
		else if (k < 990)
			gen_pg();
		else
			gen_nginx_err();
		if (total + rl > size)
			break;
		total += rl;
		if (ol + rl > sizeof obuf) {
			size_t off = 0;
			while (off < ol) {
				ssize_t w = write(fd, obuf + off, ol - off);
				if (w < 0) {
					if (errno == EINTR)
						continue;
					if (errno != EPIPE)
						fprintf(stderr, "gen-logs: write: %s\n",
							strerror(errno));
					return 2;
				}
				off += (size_t)w;
			}
			ol = 0;
		}
		memcpy(obuf + ol, rec, rl);
		ol += rl;
	}
	for (size_t off = 0; off < ol;) {
		ssize_t w = write(fd, obuf + off, ol - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EPIPE)
				fprintf(stderr, "gen-logs: write: %s\n",
					strerror(errno));
			return 2;
		}
		off += (size_t)w;
	}
	if (outpath && close(fd) < 0) {
		fprintf(stderr, "gen-logs: %s: %s\n", outpath, strerror(errno));
		return 2;
	}
	return 0;
}
