// Wire fidelity of tests/fakeaws: the AWS SDK for JavaScript v3 calls
// every operation the emulator serves and must accept every answer.
// Prints TAP. Run from anywhere: node tests/sdk/sdk.mjs
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import {
  CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand,
  PutRetentionPolicyCommand, CreateLogStreamCommand, PutLogEventsCommand,
  DescribeLogGroupsCommand, DescribeLogStreamsCommand,
  FilterLogEventsCommand, GetLogEventsCommand, StartQueryCommand,
  GetQueryResultsCommand, StopQueryCommand, GetLogGroupFieldsCommand,
  PutMetricFilterCommand, DescribeMetricFiltersCommand,
  DeleteMetricFilterCommand, TestMetricFilterCommand, StartLiveTailCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  CloudWatchClient, PutMetricAlarmCommand, PutCompositeAlarmCommand,
  DescribeAlarmsCommand, DeleteAlarmsCommand, SetAlarmStateCommand,
  TagResourceCommand, UntagResourceCommand, ListTagsForResourceCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  STSClient, AssumeRoleCommand, AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
} from "@aws-sdk/client-sts";

const here = dirname(fileURLToPath(import.meta.url));
const server = process.env.FAKEAWS_SERVER || resolve(here, "../fakeaws/server.py");
const KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const REGION = "us-east-1";
const ACCOUNT = "123456789012";

// ---- TAP --------------------------------------------------------------
let n = 0;
let failed = 0;
const out = (s) => process.stdout.write(s + "\n");
const diag = (s) => String(s).split("\n").forEach((l) => out("# " + l));
function ok(cond, desc, why) {
  n++;
  if (cond) out(`ok ${n} - ${desc}`);
  else {
    failed++;
    out(`not ok ${n} - ${desc}`);
    if (why !== undefined) diag(why);
  }
  return cond;
}
function is(got, want, desc) {
  const g = JSON.stringify(got), w = JSON.stringify(want);
  return ok(g === w, desc, `     got: ${g}\nexpected: ${w}`);
}
// step: one test whose body may throw; a throw is a failure, not a crash.
async function step(desc, fn) {
  try {
    const r = await fn();
    if (r === false) return ok(false, desc);
    if (typeof r === "string") return ok(false, desc, r);
    return ok(true, desc);
  } catch (e) {
    return ok(false, desc, `${e.name}: ${e.message}`);
  }
}
// rejects: the call must fail with this SDK error name (and query code).
// NAME may be a list: SDK releases differ in the class name they give an
// unmodelled query-compatible error (3.966 says ValidationError, later
// releases ValidationException), while its Code stays the wire's.
async function rejects(desc, fn, name, code) {
  const names = [].concat(name);
  try {
    await fn();
    return ok(false, desc, `no error; expected ${name}`);
  } catch (e) {
    const good = names.includes(e.name) && (code === undefined || e.Code === code);
    return ok(good, desc, `got ${e.name} (Code ${e.Code}, HTTP ` +
      `${e.$metadata?.httpStatusCode}): ${e.message}\nexpected ${name}` +
      (code ? ` (Code ${code})` : ""));
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function withTimeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, rej) => {
    t = setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)),
      ms);
  })]).finally(() => clearTimeout(t));
}

// ---- the emulator -----------------------------------------------------
function startServer() {
  return new Promise((res, rej) => {
    const p = spawn("python3", [server, "--port", "0"],
      { stdio: ["ignore", "pipe", "pipe"] });
    let errText = "";
    p.stderr.on("data", (d) => { errText += d; });
    const rl = createInterface({ input: p.stdout });
    const timer = setTimeout(() => rej(new Error("emulator did not print " +
      "its port in 15 s\n" + errText)), 15000);
    rl.once("line", (line) => {
      clearTimeout(timer);
      const m = /(\d+)\s*$/.exec(line);
      if (!m) rej(new Error(`unexpected first line: ${line}`));
      else res({ proc: p, port: Number(m[1]), stderr: () => errText });
    });
    p.once("exit", (code) => {
      clearTimeout(timer);
      rej(new Error(`emulator exited (${code})\n${errText}`));
    });
  });
}

let srv;
try {
  srv = await startServer();
} catch (e) {
  out("1..1");
  out("not ok 1 - the emulator starts");
  diag(e.message);
  process.exit(1);
}
const endpoint = `http://127.0.0.1:${srv.port}`;
const credentials = { accessKeyId: KEY, secretAccessKey: SECRET };
const common = { region: REGION, endpoint, credentials, maxAttempts: 1 };
// Live Tail's host prefix ("stream-") cannot apply to a loopback endpoint.
const logs = new CloudWatchLogsClient({ ...common, disableHostPrefix: true });
const cw = new CloudWatchClient(common);
const sts = new STSClient(common);

// The emulator's tunables (POST /__fakeaws/options).
async function options(obj) {
  const r = await fetch(`${endpoint}/__fakeaws/options`, { method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(obj) });
  if (!r.ok) throw new Error(`options: HTTP ${r.status}`);
}

const G = "/sdk/app";
const G2 = "/sdk/other";
const t0 = Date.now() - 60_000;

try {
  // ---- CloudWatch Logs ------------------------------------------------
  await step("CreateLogGroup", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: G,
      tags: { team: "sdk" } }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: G2 }));
  });
  await rejects("CreateLogGroup twice: ResourceAlreadyExistsException",
    () => logs.send(new CreateLogGroupCommand({ logGroupName: G })),
    "ResourceAlreadyExistsException");
  await step("PutRetentionPolicy", () => logs.send(
    new PutRetentionPolicyCommand({ logGroupName: G, retentionInDays: 7 })));
  await step("DescribeLogGroups sees the group and its retention",
    async () => {
      const r = await logs.send(new DescribeLogGroupsCommand({
        logGroupNamePrefix: "/sdk/" }));
      const g = r.logGroups.find((x) => x.logGroupName === G);
      if (!g) return "group missing";
      if (g.retentionInDays !== 7) return `retention ${g.retentionInDays}`;
      if (typeof g.creationTime !== "number") return "creationTime type";
      if (!g.arn?.startsWith(`arn:aws:logs:${REGION}:${ACCOUNT}:`))
        return `arn ${g.arn}`;
    });
  await step("DescribeLogGroups pages with limit 1", async () => {
    const names = [];
    let nextToken;
    do {
      const r = await logs.send(new DescribeLogGroupsCommand({
        logGroupNamePrefix: "/sdk/", limit: 1, nextToken }));
      names.push(...r.logGroups.map((x) => x.logGroupName));
      nextToken = r.nextToken;
    } while (nextToken);
    if (names.join() !== [G2, G].sort().join()) return names.join();
  });
  await step("CreateLogStream", async () => {
    for (const s of ["web-1", "web-2"])
      await logs.send(new CreateLogStreamCommand({ logGroupName: G,
        logStreamName: s }));
  });
  const total = 40;
  await step("PutLogEvents", async () => {
    for (const [s, off] of [["web-1", 0], ["web-2", 1]]) {
      const logEvents = [];
      for (let i = off; i < total; i += 2)
        logEvents.push({ timestamp: t0 + i * 100,
          message: i % 4 === 0 ?
            JSON.stringify({ level: "ERROR", status: 500 + (i % 3), i }) :
            `INFO request ${i} ok` });
      const r = await logs.send(new PutLogEventsCommand({ logGroupName: G,
        logStreamName: s, logEvents }));
      if (r.rejectedLogEventsInfo) return JSON.stringify(r);
    }
  });
  await step("DescribeLogStreams", async () => {
    const r = await logs.send(new DescribeLogStreamsCommand({
      logGroupName: G, orderBy: "LogStreamName" }));
    const names = r.logStreams.map((s) => s.logStreamName);
    if (names.join() !== "web-1,web-2") return names.join();
    if (typeof r.logStreams[0].lastEventTimestamp !== "number")
      return "lastEventTimestamp";
  });
  await step("FilterLogEvents pages through every event (limit 7)",
    async () => {
      const seen = [];
      let nextToken, pages = 0;
      do {
        const r = await logs.send(new FilterLogEventsCommand({
          logGroupName: G, startTime: t0 - 1000, limit: 7, nextToken }));
        seen.push(...r.events);
        nextToken = r.nextToken;
        if (++pages > 50) return "more than 50 pages";
      } while (nextToken);
      if (seen.length !== total) return `${seen.length} events`;
      if (pages < 6) return `only ${pages} pages`;
      const ids = new Set(seen.map((e) => e.eventId));
      if (ids.size !== total) return "duplicate eventIds";
      for (let i = 1; i < seen.length; i++)
        if (seen[i].timestamp < seen[i - 1].timestamp) return "not sorted";
    });
  await step("FilterLogEvents with a filter pattern and stream names",
    async () => {
      let got = 0, nextToken;
      do {
        const r = await logs.send(new FilterLogEventsCommand({
          logGroupName: G, logStreamNames: ["web-1"],
          filterPattern: '{ $.level = "ERROR" }', nextToken }));
        got += r.events.length;
        for (const e of r.events)
          if (e.logStreamName !== "web-1") return "wrong stream";
        nextToken = r.nextToken;
      } while (nextToken);
      if (got !== total / 4) return `${got} events`;
    });
  await step("GetLogEvents forward with tokens until the token repeats",
    async () => {
      let token, count = 0;
      for (let i = 0; i < 20; i++) {
        const r = await logs.send(new GetLogEventsCommand({
          logGroupName: G, logStreamName: "web-1", startFromHead: true,
          limit: 6, nextToken: token }));
        count += r.events.length;
        if (r.nextForwardToken === token) break;
        token = r.nextForwardToken;
      }
      if (count !== total / 2) return `${count} events`;
    });

  // Insights
  await step("StartQuery / GetQueryResults until Complete", async () => {
    const start = Math.floor((t0 - 60_000) / 1000);
    const end = Math.ceil((Date.now() + 60_000) / 1000);
    const { queryId } = await logs.send(new StartQueryCommand({
      logGroupName: G, startTime: start, endTime: end,
      queryString: "filter level = 'ERROR' | fields @timestamp, status, i " +
        "| sort @timestamp desc | limit 5" }));
    if (!queryId) return "no queryId";
    let r;
    const states = [];
    for (let i = 0; i < 20; i++) {
      r = await logs.send(new GetQueryResultsCommand({ queryId }));
      states.push(r.status);
      if (r.status === "Complete") break;
      await sleep(50);
    }
    if (r.status !== "Complete") return `states ${states}`;
    if (r.results.length !== 5) return `${r.results.length} rows`;
    const row = Object.fromEntries(r.results[0].map((f) => [f.field,
      f.value]));
    if (!row["@ptr"] || !row.status || !row["@timestamp"])
      return JSON.stringify(row);
    if (r.statistics.recordsMatched !== total / 4)
      return `recordsMatched ${r.statistics.recordsMatched}`;
  });
  await step("StartQuery with stats count(*) by bin(1m)", async () => {
    const { queryId } = await logs.send(new StartQueryCommand({
      logGroupNames: [G], startTime: Math.floor(t0 / 1000) - 60,
      endTime: Math.ceil(Date.now() / 1000) + 60,
      queryString: "stats count(*) as n by bin(1m)" }));
    let r;
    do r = await logs.send(new GetQueryResultsCommand({ queryId }));
    while (r.status !== "Complete" && r.status !== "Failed");
    const sum = r.results.reduce((a, row) =>
      a + Number(row.find((f) => f.field === "n").value), 0);
    if (sum !== total) return `sum ${sum}`;
  });
  await rejects("StartQuery with bad syntax: MalformedQueryException",
    () => logs.send(new StartQueryCommand({ logGroupName: G, startTime: 0,
      endTime: 10, queryString: "fields @message | frobnicate" })),
    "MalformedQueryException");
  await step("StopQuery", async () => {
    const { queryId } = await logs.send(new StartQueryCommand({
      logGroupIdentifiers: [`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${G}`],
      startTime: 0, endTime: Math.ceil(Date.now() / 1000),
      queryString: "fields @message" }));
    const r = await logs.send(new StopQueryCommand({ queryId }));
    if (r.success !== true) return JSON.stringify(r);
    const g = await logs.send(new GetQueryResultsCommand({ queryId }));
    if (g.status !== "Cancelled") return g.status;
  });
  await step("GetLogGroupFields", async () => {
    const r = await logs.send(new GetLogGroupFieldsCommand({
      logGroupName: G, time: Math.floor(t0 / 1000) }));
    const names = r.logGroupFields.map((f) => f.name);
    for (const want of ["@message", "@timestamp", "level", "status"])
      if (!names.includes(want)) return names.join();
  });

  // Metric filters
  await step("PutMetricFilter", () => logs.send(new PutMetricFilterCommand({
    logGroupName: G, filterName: "errors", filterPattern: "ERROR",
    metricTransformations: [{ metricName: "Errors", metricNamespace: "Sdk",
      metricValue: "1", defaultValue: 0 }] })));
  await step("DescribeMetricFilters", async () => {
    const r = await logs.send(new DescribeMetricFiltersCommand({
      logGroupName: G }));
    const f = r.metricFilters.find((x) => x.filterName === "errors");
    if (!f) return "filter missing";
    if (f.metricTransformations[0].metricName !== "Errors") return "shape";
  });
  await step("TestMetricFilter", async () => {
    const r = await logs.send(new TestMetricFilterCommand({
      filterPattern: "ERROR", logEventMessages: ["an ERROR here", "fine"] }));
    if (r.matches.length !== 1 || r.matches[0].eventNumber !== 1)
      return JSON.stringify(r.matches);
  });
  await step("DeleteMetricFilter", () => logs.send(
    new DeleteMetricFilterCommand({ logGroupName: G, filterName: "errors" })));

  // Live Tail
  await step("StartLiveTail: sessionStart, then a sessionUpdate with a put " +
    "event", async () => {
    const ac = new AbortController();
    const r = await withTimeout(logs.send(new StartLiveTailCommand({
      logGroupIdentifiers: [`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${G}`],
      logEventFilterPattern: "tail" }), { abortSignal: ac.signal }), 10000,
    "StartLiveTail");
    const it = r.responseStream[Symbol.asyncIterator]();
    try {
      const first = await withTimeout(it.next(), 10000, "sessionStart");
      const ss = first.value?.sessionStart;
      if (!ss) return `first event: ${JSON.stringify(first.value)}`;
      if (!ss.sessionId || !ss.requestId) return JSON.stringify(ss);
      const msg = `tail me ${Date.now()}`;
      await logs.send(new PutLogEventsCommand({ logGroupName: G,
        logStreamName: "web-2", logEvents: [
          { timestamp: Date.now(), message: "not me" },
          { timestamp: Date.now(), message: msg }] }));
      for (let i = 0; i < 10; i++) {
        const ev = await withTimeout(it.next(), 10000, "sessionUpdate");
        if (ev.done) return "stream ended";
        const up = ev.value.sessionUpdate;
        if (!up) return `unexpected event ${JSON.stringify(ev.value)}`;
        if (up.sessionMetadata?.sampled !== false) return "sampled";
        if (up.sessionResults.length === 0) continue;   // heartbeat
        const e = up.sessionResults[0];
        if (up.sessionResults.length !== 1 || e.message !== msg)
          return JSON.stringify(up.sessionResults);
        if (e.logStreamName !== "web-2" || typeof e.timestamp !== "number" ||
            typeof e.ingestionTime !== "number")
          return JSON.stringify(e);
        return true;
      }
      return "no sessionUpdate carried the event";
    } finally {
      ac.abort();
      await it.return?.().catch(() => {});
    }
  });

  await step("DeleteLogGroup", () => logs.send(
    new DeleteLogGroupCommand({ logGroupName: G2 })));
  await rejects("DeleteLogGroup again: ResourceNotFoundException",
    () => logs.send(new DeleteLogGroupCommand({ logGroupName: G2 })),
    "ResourceNotFoundException");

  // ---- CloudWatch alarms ---------------------------------------------
  const alarm = (name, extra = {}) => ({
    AlarmName: name, Namespace: "AWS/EC2", MetricName: "CPUUtilization",
    Statistic: "Average", Period: 300, EvaluationPeriods: 2,
    Threshold: 80, ComparisonOperator: "GreaterThanThreshold",
    Dimensions: [{ Name: "InstanceId", Value: "i-0123456789abcdef0" }],
    AlarmActions: ["arn:aws:sns:us-east-1:123456789012:ops"], ...extra });
  const names = ["sdk-a1", "sdk-a2", "sdk-a3", "sdk-a4", "sdk-a5"];
  await step("PutMetricAlarm (five, with Tags)", async () => {
    for (const a of names)
      await cw.send(new PutMetricAlarmCommand(alarm(a, {
        Tags: [{ Key: "ManagedBy", Value: "cwkit" }] })));
  });
  await step("PutMetricAlarm with metric math", () => cw.send(
    new PutMetricAlarmCommand({ AlarmName: "sdk-math", EvaluationPeriods: 3,
      DatapointsToAlarm: 2, Threshold: 5,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "notBreaching", Metrics: [
        { Id: "e", Expression: "100*errors/requests", ReturnData: true },
        { Id: "errors", ReturnData: false, MetricStat: { Period: 60,
          Stat: "Sum", Metric: { Namespace: "AWS/ApplicationELB",
            MetricName: "HTTPCode_Target_5XX_Count" } } },
        { Id: "requests", ReturnData: false, MetricStat: { Period: 60,
          Stat: "Sum", Metric: { Namespace: "AWS/ApplicationELB",
            MetricName: "RequestCount" } } }] })));
  await step("PutCompositeAlarm", () => cw.send(new PutCompositeAlarmCommand({
    AlarmName: "sdk-composite",
    AlarmRule: 'ALARM("sdk-a1") OR ALARM(sdk-a2)',
    AlarmActions: ["arn:aws:sns:us-east-1:123456789012:ops"] })));
  await step("DescribeAlarms pages (MaxRecords 2) over metric and " +
    "composite alarms", async () => {
    const got = [];
    let NextToken, pages = 0;
    do {
      const r = await cw.send(new DescribeAlarmsCommand({
        AlarmNamePrefix: "sdk-", MaxRecords: 2,
        AlarmTypes: ["MetricAlarm", "CompositeAlarm"], NextToken }));
      got.push(...r.MetricAlarms.map((a) => a.AlarmName),
        ...r.CompositeAlarms.map((a) => a.AlarmName));
      NextToken = r.NextToken;
      pages++;
    } while (NextToken && pages < 20);
    const want = [...names, "sdk-composite", "sdk-math"].sort();
    if (got.slice().sort().join() !== want.join()) return got.join();
    if (pages !== 4) return `${pages} pages`;
  });
  await step("DescribeAlarms result shapes (types, dates, defaults)",
    async () => {
      const r = await cw.send(new DescribeAlarmsCommand({
        AlarmNames: ["sdk-a1", "sdk-math", "sdk-composite"],
        AlarmTypes: ["MetricAlarm", "CompositeAlarm"] }));
      const a = r.MetricAlarms.find((x) => x.AlarmName === "sdk-a1");
      if (!a) return "sdk-a1 missing";
      if (!(a.AlarmConfigurationUpdatedTimestamp instanceof Date) ||
          isNaN(a.AlarmConfigurationUpdatedTimestamp))
        return "AlarmConfigurationUpdatedTimestamp is not a Date";
      if (Math.abs(a.StateUpdatedTimestamp - Date.now()) > 600_000)
        return `StateUpdatedTimestamp ${a.StateUpdatedTimestamp}`;
      if (a.StateValue !== "INSUFFICIENT_DATA") return a.StateValue;
      if (a.ActionsEnabled !== true || a.Threshold !== 80 ||
          a.Period !== 300 || a.Dimensions[0].Name !== "InstanceId")
        return JSON.stringify(a);
      if (a.AlarmArn !== `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:sdk-a1`)
        return a.AlarmArn;
      const m = r.MetricAlarms.find((x) => x.AlarmName === "sdk-math");
      if (!m || m.Metrics.length !== 3 || m.DatapointsToAlarm !== 2)
        return JSON.stringify(m);
      const c = r.CompositeAlarms[0];
      if (!c || c.AlarmRule !== 'ALARM("sdk-a1") OR ALARM(sdk-a2)')
        return JSON.stringify(c);
    });
  await step("SetAlarmState, then the composite follows its child",
    async () => {
      await cw.send(new SetAlarmStateCommand({ AlarmName: "sdk-a1",
        StateValue: "ALARM", StateReason: "sdk test",
        StateReasonData: '{"version":"1.0"}' }));
      const r = await cw.send(new DescribeAlarmsCommand({
        AlarmNames: ["sdk-a1", "sdk-composite"], StateValue: "ALARM",
        AlarmTypes: ["MetricAlarm", "CompositeAlarm"] }));
      if (r.MetricAlarms[0]?.StateReason !== "sdk test")
        return JSON.stringify(r.MetricAlarms);
      if (r.CompositeAlarms.length !== 1) return "composite not in ALARM";
    });
  const arn = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:sdk-a1`;
  await step("TagResource", () => cw.send(new TagResourceCommand({
    ResourceARN: arn, Tags: [{ Key: "Set", Value: "sdk" },
      { Key: "Drop", Value: "me" }] })));
  await step("UntagResource", () => cw.send(new UntagResourceCommand({
    ResourceARN: arn, TagKeys: ["Drop"] })));
  await step("ListTagsForResource", async () => {
    const r = await cw.send(new ListTagsForResourceCommand({
      ResourceARN: arn }));
    const t = Object.fromEntries(r.Tags.map((x) => [x.Key, x.Value]));
    if (JSON.stringify(t) !== '{"ManagedBy":"cwkit","Set":"sdk"}')
      return JSON.stringify(r.Tags);
  });
  await rejects("PutMetricAlarm with a bad Period: ValidationError",
    () => cw.send(new PutMetricAlarmCommand(alarm("sdk-bad",
      { Period: 45 }))), ["ValidationException", "ValidationError"],
    "ValidationError");
  await rejects("PutMetricAlarm with a bad enum value: ValidationError",
    () => cw.send(new PutMetricAlarmCommand(alarm("sdk-bad",
      { ComparisonOperator: "Bigger" }))),
    ["ValidationException", "ValidationError"], "ValidationError");
  await rejects("PutMetricAlarm with Statistic and ExtendedStatistic: " +
    "InvalidParameterCombination",
  () => cw.send(new PutMetricAlarmCommand(alarm("sdk-bad",
    { ExtendedStatistic: "p99" }))), "InvalidParameterCombinationException",
  "InvalidParameterCombination");
  await rejects("PutMetricAlarm over the alarm quota: LimitExceeded",
    async () => {
      await options({ alarm_limit: 0 });
      try {
        await cw.send(new PutMetricAlarmCommand(alarm("sdk-over")));
      } finally {
        await options({ alarm_limit: null });
      }
    }, "LimitExceededFault", "LimitExceeded");
  await rejects("ListTagsForResource of a missing alarm: " +
    "ResourceNotFoundException",
  () => cw.send(new ListTagsForResourceCommand({
    ResourceARN: arn + "-gone" })), "ResourceNotFoundException");
  await rejects("DeleteAlarms with a missing name: ResourceNotFound, " +
    "nothing deleted", async () => {
    try {
      await cw.send(new DeleteAlarmsCommand({ AlarmNames: ["sdk-a5",
        "sdk-nope"] }));
    } finally {
      const r = await cw.send(new DescribeAlarmsCommand({
        AlarmNames: ["sdk-a5"] }));
      if (r.MetricAlarms.length !== 1) throw new Error("sdk-a5 was deleted");
    }
  }, "ResourceNotFound", "ResourceNotFound");
  await step("DeleteAlarms (the composite, then the metric alarms)",
    async () => {
      await cw.send(new DeleteAlarmsCommand({ AlarmNames: ["sdk-composite"] }));
      await cw.send(new DeleteAlarmsCommand({ AlarmNames: [...names,
        "sdk-math"] }));
      const r = await cw.send(new DescribeAlarmsCommand({
        AlarmNamePrefix: "sdk-", AlarmTypes: ["MetricAlarm",
          "CompositeAlarm"] }));
      if (r.MetricAlarms.length + r.CompositeAlarms.length !== 0)
        return "alarms left";
    });

  // ---- STS ------------------------------------------------------------
  await step("GetCallerIdentity", async () => {
    const r = await sts.send(new GetCallerIdentityCommand({}));
    if (r.Account !== ACCOUNT || !r.Arn || !r.UserId) return JSON.stringify(r);
  });
  await step("AssumeRole, and the temporary credentials work", async () => {
    const r = await sts.send(new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/sdk-role`,
      RoleSessionName: "sdk-session", DurationSeconds: 900 }));
    const c = r.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken ||
        !(c.Expiration instanceof Date)) return JSON.stringify(r);
    if (!r.AssumedRoleUser?.Arn?.includes("sdk-role/sdk-session"))
      return JSON.stringify(r.AssumedRoleUser);
    const temp = new STSClient({ ...common, credentials: {
      accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken } });
    const who = await temp.send(new GetCallerIdentityCommand({}));
    if (!who.Arn.includes("assumed-role/sdk-role/sdk-session"))
      return who.Arn;
    const tl = new CloudWatchLogsClient({ ...common, credentials: {
      accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken } });
    await tl.send(new DescribeLogGroupsCommand({ limit: 1 }));
  });
  await step("AssumeRoleWithWebIdentity", async () => {
    const claims = Buffer.from(JSON.stringify({ sub: "repo:cwkit:ref",
      aud: "sts.amazonaws.com", iss: "https://token.example" }))
      .toString("base64url");
    const token = `eyJhbGciOiJSUzI1NiJ9.${claims}.c2ln`;
    const r = await sts.send(new AssumeRoleWithWebIdentityCommand({
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/ci`, RoleSessionName: "ci",
      WebIdentityToken: token }));
    if (!r.Credentials?.SessionToken) return JSON.stringify(r);
    if (r.SubjectFromWebIdentityToken !== "repo:cwkit:ref")
      return r.SubjectFromWebIdentityToken;
  });

  // ---- signatures -----------------------------------------------------
  const wrong = { region: REGION, endpoint, maxAttempts: 1,
    credentials: { accessKeyId: KEY, secretAccessKey: SECRET + "x" } };
  await rejects("Logs with a wrong secret: InvalidSignatureException",
    () => new CloudWatchLogsClient(wrong).send(
      new DescribeLogGroupsCommand({})), "InvalidSignatureException");
  await rejects("STS with a wrong secret: SignatureDoesNotMatch",
    () => new STSClient(wrong).send(new GetCallerIdentityCommand({})),
    "SignatureDoesNotMatch");
  await step("CloudWatch with a wrong secret is refused", async () => {
    try {
      await new CloudWatchClient(wrong).send(new DescribeAlarmsCommand({}));
      return "accepted";
    } catch (e) {
      if (!/Signature/.test(e.name) || e.$metadata?.httpStatusCode !== 403)
        return `${e.name} ${e.$metadata?.httpStatusCode}: ${e.message}`;
    }
  });
} catch (e) {
  ok(false, "the suite ran to its end", e.stack);
} finally {
  srv.proc.kill();
}

out(`1..${n}`);
if (failed) diag(`emulator stderr:\n${srv.stderr().slice(-4000)}`);
process.exit(failed ? 1 : 0);
