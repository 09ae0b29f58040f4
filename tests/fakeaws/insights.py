"""CloudWatch Logs Insights: StartQuery, GetQueryResults, StopQuery,
GetLogGroupFields, GetLogRecord, and the saved queries
(PutQueryDefinition, DescribeQueryDefinitions, DeleteQueryDefinition),
over the events in store.groups.

The query language is a subset; anything outside it is refused with
MalformedQueryException (and a queryCompileError location), never
answered differently from CloudWatch:

    fields f [as a], ...            display these fields
    filter EXPR                     = != < > <= >= on fields and literals,
                                    f like /re/ | "substring", f =~ /re/,
                                    not like, and, or, not, ( )
    stats AGG [as a], ... [by K, ...]
                                    AGG: count(*), count(f), sum(f), avg(f),
                                    min(f), max(f), count_distinct(f);
                                    K: a field or bin(N[ms|s|m|h|d|w])
    sort f [asc|desc], ...
    limit N
    commands joined with |

Built-in fields: @timestamp, @message, @logStream, @log, @ingestionTime,
@ptr. A JSON object message has its fields discovered, nested keys joined
with dots and array items by index (a.b, list.0).

A query runs when it is started (the events it sees are those stored at
that moment). GetQueryResults moves it through its states one call at a
time: by default "Running" once, then "Complete"; store.options
"insights_states" (a list such as ["Scheduled", "Running"]) changes the
states shown before "Complete"; a list may end in a final state
("Complete", "Failed", "Cancelled", "Timeout") that the query then keeps.
store.options "insights_max_running" (default 100) is the number of
queries that may be Scheduled or Running at once before StartQuery
answers LimitExceededException. A Complete result comes in pages of at
most 10,000 rows, or the request's maxItems, with a nextToken, as the
model says; "insights_page_size" (default 0: 10,000) makes them smaller.
"insights_endless" (default None) plays a broken or hostile server: every
answer of a Complete query is a page of that many rows, taken over and
over from the result whatever its limit, with a fresh nextToken, for
ever; 0 sends empty pages.
"""

import datetime
import json
import re
import uuid

try:
    from .common import ACCOUNT, AwsError, invalid
except ImportError:
    from common import ACCOUNT, AwsError, invalid

MAX_GROUPS = 50
DEFAULT_LIMIT = 1000
MAX_LIMIT = 100000          # StartQuery's limit, with paged results
COMMAND_LIMIT_MAX = 10000   # the query language's limit command
PAGE_MAX = 10000            # rows in one GetQueryResults answer
MAX_RUNNING = 100

# ------------------------------------------------------------- lexer


class Malformed(Exception):
    def __init__(self, message, start, end):
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end


def malformed_error(query, e):
    line = query.count("\n", 0, e.start) + 1
    column = e.start - (query.rfind("\n", 0, e.start) + 1)
    err = AwsError("MalformedQueryException", "unexpected symbol found "
                   "%s at line %d and position %d" %
                   (query[e.start:e.end] or "<EOF>", line, column + 1))
    err.extra = {"queryCompileError": {
        "location": {"startCharOffset": e.start, "endCharOffset": e.end},
        "message": e.message}}
    err.message = "%s: %s" % (e.message, err.message) if e.message else \
        err.message
    return err


_TOKEN = re.compile(r"""
    (?P<ws>\s+|\#[^\n]*)
  | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<bq>`[^`]*`)
  | (?P<op><=|>=|!=|=~|==|[=<>(),|*+\-/%\[\]:])
  | (?P<word>[A-Za-z0-9_@$.]+)
""", re.X)


class Tok:
    __slots__ = ("kind", "text", "start", "end")

    def __init__(self, kind, text, start, end):
        self.kind, self.text, self.start, self.end = kind, text, start, end

    def __repr__(self):
        return "%s:%r" % (self.kind, self.text)


def _lex(q):
    toks = []
    i = 0
    while i < len(q):
        # A regex literal can only follow `like`, `=~` or `(`/`,`; lex it
        # by context so that `/` in it does not split tokens.
        if q[i] == "/" and toks and (
                (toks[-1].kind == "word" and toks[-1].text.lower() == "like")
                or toks[-1].text == "=~"):
            j = i + 1
            while j < len(q) and q[j] != "/":
                j += 2 if q[j] == "\\" else 1
            if j >= len(q):
                raise Malformed("unterminated regular expression", i, len(q))
            end = j + 1
            flags = ""
            while end < len(q) and q[end] in "i":
                flags += q[end]
                end += 1
            toks.append(Tok("re", (q[i + 1:j], flags), i, end))
            i = end
            continue
        m = _TOKEN.match(q, i)
        if not m:
            raise Malformed("unexpected character", i, i + 1)
        kind = m.lastgroup
        if kind != "ws":
            text = m.group()
            if kind == "str":
                text = re.sub(r"\\(.)", r"\1", text[1:-1])
            elif kind == "bq":
                kind, text = "word", text[1:-1]
            toks.append(Tok(kind, text, m.start(), m.end()))
        i = m.end()
    return toks


# ------------------------------------------------------------ parser

COMMANDS = {"fields", "filter", "stats", "sort", "limit"}
AGGS = {"count", "sum", "avg", "min", "max", "count_distinct"}
UNIT_MS = {"ms": 1, "s": 1000, "m": 60000, "min": 60000, "h": 3600000,
           "hr": 3600000, "d": 86400000, "w": 7 * 86400000}


class Parser:
    def __init__(self, q):
        self.q = q
        self.toks = _lex(q)
        self.i = 0

    def peek(self, k=0):
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def eof_error(self, what):
        raise Malformed("expected %s" % what, len(self.q), len(self.q))

    def take(self, text=None, kind=None, what=None):
        t = self.peek()
        if t is None:
            self.eof_error(what or text or kind)
        if (text is not None and t.text.lower() != text) or \
                (kind is not None and t.kind != kind):
            raise Malformed("expected %s" % (what or text or kind),
                            t.start, t.end)
        self.i += 1
        return t

    def at(self, text):
        t = self.peek()
        return t is not None and t.kind in ("word", "op") and \
            t.text.lower() == text

    def parse(self):
        cmds = []
        if not self.toks:
            raise Malformed("empty query", 0, 0)
        if self.at("source"):
            cmds.append(self.cmd_source(self.take()))
            if self.peek() is None:
                return cmds
            self.take("|", what="| or end of query")
        while True:
            t = self.take(kind="word", what="a command")
            name = t.text.lower()
            if name not in COMMANDS:
                raise Malformed("unsupported command %s" % t.text,
                                t.start, t.end)
            cmds.append(getattr(self, "cmd_" + name)(t))
            if self.peek() is None:
                break
            self.take("|", what="| or end of query")
        return cmds

    def cmd_source(self, t):
        """SOURCE logGroups(namePrefix: ['a', ...], class: [...]): the
        name prefixes (None: every group) and the log class."""
        self.take("loggroups", what="logGroups")
        self.take("(")
        sel = {}
        while not self.at(")"):
            key = self.take(kind="word", what="namePrefix or class")
            if key.text not in ("namePrefix", "class",
                                "accountIdentifiers"):
                raise Malformed("unsupported selector %s" % key.text,
                                key.start, key.end)
            self.take(":")
            self.take("[")
            vals = []
            while not self.at("]"):
                vals.append(self.take(kind="str", what="a string").text)
                if not self.at("]"):
                    self.take(",", what=", or ]")
            self.take("]")
            sel[key.text] = vals
            if not self.at(")"):
                self.take(",", what=", or )")
        self.take(")")
        if len(sel.get("namePrefix", [])) > 5:
            raise Malformed("at most 5 name prefixes", t.start, t.end)
        return ("source", sel.get("namePrefix"),
                sel.get("class", ["STANDARD"]))

    def at_end(self):
        t = self.peek()
        return t is None or t.text == "|"

    def field(self, labels=False):
        t = self.take(kind="word", what="a field name")
        if re.match(r"^[0-9.]+$", t.text):
            raise Malformed("expected a field name", t.start, t.end)
        if labels and self.at("("):
            # a stats column named after its aggregate, e.g. count(*)
            depth = 0
            while True:
                u = self.take(what=")")
                depth += {"(": 1, ")": -1}.get(u.text, 0)
                if depth == 0:
                    return self.q[t.start:u.end]
        return t.text

    def cmd_fields(self, t):
        out = []
        while True:
            f = self.field(labels=True)
            alias = f
            if self.at("as"):
                self.take()
                alias = self.field()
            out.append((f, alias))
            if self.at_end():
                return ("fields", out)
            self.take(",", what=", or |")

    def cmd_limit(self, t):
        n = self.take(kind="word", what="a number")
        if not n.text.isdigit() or \
                not 1 <= int(n.text) <= COMMAND_LIMIT_MAX:
            raise Malformed("limit must be between 1 and %d"
                            % COMMAND_LIMIT_MAX, n.start, n.end)
        if not self.at_end():
            nt = self.peek()
            raise Malformed("unexpected", nt.start, nt.end)
        return ("limit", int(n.text))

    def cmd_sort(self, t):
        keys = []
        while True:
            f = self.field(labels=True)
            desc = False
            if self.at("asc"):
                self.take()
            elif self.at("desc"):
                self.take()
                desc = True
            keys.append((f, desc))
            if self.at_end():
                return ("sort", keys)
            self.take(",", what=", or |")

    def cmd_filter(self, t):
        e = self.expr_or()
        if not self.at_end():
            nt = self.peek()
            raise Malformed("unexpected", nt.start, nt.end)
        return ("filter", e)

    # filter expressions: tuples evaluated by _eval
    def expr_or(self):
        e = self.expr_and()
        while self.at("or") or self.at("||"):
            self.take()
            e = ("or", e, self.expr_and())
        return e

    def expr_and(self):
        e = self.expr_not()
        while self.at("and") or self.at("&&"):
            self.take()
            e = ("and", e, self.expr_not())
        return e

    def expr_not(self):
        if self.at("not") or self.at("!"):
            self.take()
            return ("not", self.expr_not())
        return self.comparison()

    def operand(self):
        t = self.peek()
        if t is None:
            self.eof_error("a field or a value")
        if t.kind == "str":
            self.i += 1
            return ("lit", t.text)
        if t.kind == "op" and t.text == "-":
            self.i += 1
            n = self.take(kind="word", what="a number")
            try:
                return ("lit", -float(n.text))
            except ValueError:
                raise Malformed("expected a number", n.start, n.end)
        if t.kind == "word":
            self.i += 1
            if re.match(r"^\d+(\.\d+)?([eE][+-]?\d+)?$", t.text):
                return ("lit", float(t.text))
            if t.text.lower() in ("true", "false"):
                return ("lit", t.text.lower() == "true")
            nt = self.peek()
            if nt is not None and nt.text == "(":
                raise Malformed("unsupported function %s" % t.text,
                                t.start, t.end)
            return ("field", t.text)
        raise Malformed("expected a field or a value", t.start, t.end)

    def comparison(self):
        if self.at("("):
            self.take()
            e = self.expr_or()
            self.take(")")
            return e
        left = self.operand()
        if left[0] == "field" and left[1].lower() in ("and", "or", "not"):
            t = self.toks[self.i - 1]
            raise Malformed("expected an operand", t.start, t.end)
        neg = False
        if self.at("not"):
            self.take()
            neg = True
            if not self.at("like"):
                t = self.peek()
                raise Malformed("expected like",
                                t.start if t else len(self.q),
                                t.end if t else len(self.q))
        if self.at("like") or self.at("=~"):
            op = self.take()
            t = self.peek()
            if t is None:
                self.eof_error("a regular expression or a string")
            self.i += 1
            if t.kind == "re":
                src, flags = t.text
                try:
                    rx = re.compile(src, re.I if "i" in flags else 0)
                except re.error:
                    raise Malformed("invalid regular expression", t.start,
                                    t.end)
            elif t.kind == "str" and op.text.lower() == "like":
                rx = re.compile(re.escape(t.text))
            else:
                raise Malformed("expected a regular expression", t.start,
                                t.end)
            e = ("like", left, rx)
            return ("not", e) if neg else e
        if self.at_end() or self.at(")") or self.at("and") or \
                self.at("or"):
            raise Malformed("expected a comparison", *self._here())
        t = self.peek()
        if t.kind == "op" and t.text in ("=", "==", "!=", "<", ">", "<=",
                                         ">="):
            self.i += 1
            right = self.operand()
            return ("cmp", "=" if t.text == "==" else t.text, left, right)
        if t.kind == "word" and t.text.lower() == "in":
            raise Malformed("unsupported operator in", t.start, t.end)
        raise Malformed("expected a comparison operator", t.start, t.end)

    def _here(self):
        t = self.peek()
        if t is None:
            return len(self.q), len(self.q)
        return t.start, t.end

    def cmd_stats(self, t):
        aggs = []
        while True:
            fn = self.take(kind="word", what="an aggregate function")
            name = fn.text.lower()
            if name not in AGGS:
                raise Malformed("unsupported function %s" % fn.text,
                                fn.start, fn.end)
            self.take("(")
            if self.at("*"):
                star = self.take()
                if name != "count":
                    raise Malformed("* is only allowed in count(*)",
                                    star.start, star.end)
                arg = None
            else:
                arg = self.field()
            close = self.take(")")
            label = self.q[fn.start:close.end]
            if self.at("as"):
                self.take()
                label = self.field()
            aggs.append((name, arg, label))
            if self.at_end() or self.at("by"):
                break
            self.take(",", what=", or by")
        keys = []
        if self.at("by"):
            self.take()
            while True:
                k = self.peek()
                if k is not None and k.kind == "word" and \
                        k.text.lower() == "bin":
                    self.take()
                    self.take("(")
                    span = self.take(kind="word", what="a duration")
                    m = re.match(r"^(\d+)(ms|s|m|min|h|hr|d|w)$",
                                 span.text)
                    if not m or int(m.group(1)) == 0:
                        raise Malformed("invalid duration", span.start,
                                        span.end)
                    close = self.take(")")
                    label = self.q[k.start:close.end]
                    ms = int(m.group(1)) * UNIT_MS[m.group(2)]
                    if self.at("as"):
                        self.take()
                        label = self.field()
                    keys.append(("bin", ms, label))
                else:
                    f = self.field()
                    label = f
                    if self.at("as"):
                        self.take()
                        label = self.field()
                    keys.append(("field", f, label))
                if self.at_end():
                    break
                self.take(",", what=", or |")
        if not self.at_end():
            raise Malformed("unexpected", *self._here())
        return ("stats", aggs, keys)


def compile_query(q):
    return Parser(q).parse()


# ---------------------------------------------------------- executor

def _fmt_ts(ms):
    d = datetime.datetime.fromtimestamp(ms / 1000.0, datetime.timezone.utc)
    return d.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (ms % 1000)


def _flatten(obj, prefix, out):
    if isinstance(obj, dict):
        for k, v in obj.items():
            _flatten(v, prefix + k if not prefix else prefix + "." + k, out)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            _flatten(v, "%s.%d" % (prefix, i) if prefix else str(i), out)
    elif obj is None:
        return
    else:
        out[prefix] = obj


def record(ev, group, stream):
    rec = {
        "@timestamp": ev.timestamp,
        "@message": ev.message,
        "@logStream": stream,
        "@log": "%s:%s" % (ACCOUNT, group),
        "@ingestionTime": ev.ingestion_time,
        "@ptr": "fakeaws:%s:%s:%s" % (group, stream, ev.event_id),
    }
    msg = ev.message.strip()
    if msg.startswith("{"):
        try:
            obj = json.loads(msg)
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            flat = {}
            _flatten(obj, "", flat)
            for k, v in flat.items():
                rec.setdefault(k, v)
    return rec


def _show(v, field=None):
    if field in ("@timestamp", "@ingestionTime") and isinstance(v, int):
        return _fmt_ts(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    return str(v)


def _num(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _value(operand, rec):
    if operand[0] == "lit":
        return operand[1]
    return rec.get(operand[1])


def _cmp(op, a, b):
    if a is None or b is None:
        return False
    if isinstance(a, str) and isinstance(b, str):
        x, y = a, b
    else:
        na, nb = _num(a), _num(b)
        if na is not None and nb is not None:
            x, y = na, nb
        else:
            x, y = _show(a), _show(b)
    if op == "=":
        return x == y
    if op == "!=":
        return x != y
    if op == "<":
        return x < y
    if op == ">":
        return x > y
    if op == "<=":
        return x <= y
    return x >= y


def _eval(e, rec):
    k = e[0]
    if k == "and":
        return _eval(e[1], rec) and _eval(e[2], rec)
    if k == "or":
        return _eval(e[1], rec) or _eval(e[2], rec)
    if k == "not":
        return not _eval(e[1], rec)
    if k == "like":
        v = _value(e[1], rec)
        if v is None:
            return False
        return e[2].search(_show(v, e[1][1] if e[1][0] == "field" else None)) \
            is not None
    if k == "cmp":
        return _cmp(e[1], _value(e[2], rec), _value(e[3], rec))
    raise AssertionError(k)


def _sort_key(v):
    n = _num(v)
    if n is not None:
        return (0, n, "")
    return (1, 0, str(v))


def _run_stats(recs, aggs, keys):
    groups = {}
    order = []
    for r in recs:
        kv = []
        skip = False
        for kind, arg, label in keys:
            if kind == "bin":
                kv.append(r["@timestamp"] - r["@timestamp"] % arg)
            else:
                v = r.get(arg)
                if v is None:
                    skip = True
                    break
                kv.append(_show(v, arg))
        if skip:
            continue
        kv = tuple(kv)
        if kv not in groups:
            groups[kv] = [[] for _ in aggs]
            order.append(kv)
        for i, (name, arg, label) in enumerate(aggs):
            if arg is None:
                groups[kv][i].append(1)
            else:
                v = r.get(arg)
                if v is not None:
                    groups[kv][i].append(v)
    rows = []
    for kv in order:
        row = {}
        for (kind, arg, label), v in zip(keys, kv):
            row[label] = v
        for (name, arg, label), vals in zip(aggs, groups[kv]):
            if name == "count":
                row[label] = len(vals)
            elif name == "count_distinct":
                row[label] = len(set(_show(x) for x in vals))
            else:
                nums = [x for x in (_num(v) for v in vals) if x is not None]
                if not nums:
                    continue
                if name == "sum":
                    row[label] = sum(nums)
                elif name == "avg":
                    row[label] = sum(nums) / len(nums)
                elif name == "min":
                    row[label] = min(nums)
                else:
                    row[label] = max(nums)
        rows.append(row)
    binned = [k for k in keys if k[0] == "bin"]
    if binned:
        lbl = binned[0][2]
        rows.sort(key=lambda r: r[lbl], reverse=True)
    return rows, [k[2] for k in keys] + [a[2] for a in aggs], \
        {k[2] for k in keys if k[0] == "bin"}


def execute(cmds, events, limit):
    """events: list of (record dict). Returns (rows, matched) where each
    row is a list of {field, value}."""
    recs = events
    shown = None            # list of (source, label) or None for default
    bins = set()
    user_limit = None
    sorted_ = False
    stats_done = False
    matched = None
    for c in cmds:
        kind = c[0]
        if kind == "filter":
            recs = [r for r in recs if _eval(c[1], r)]
        elif kind == "fields":
            new = []
            for r in recs:
                r = dict(r)
                for src, alias in c[1]:
                    if alias != src and src in r:
                        r[alias] = r[src]
                new.append(r)
            recs = new
            shown = (shown or []) + [(a, a) for _, a in c[1]
                                     if (a, a) not in (shown or [])]
        elif kind == "stats":
            if stats_done:
                raise AwsError("MalformedQueryException",
                               "only one stats command is supported")
            matched = len(recs)
            recs, labels, bins = _run_stats(recs, c[1], c[2])
            shown = [(x, x) for x in labels]
            stats_done = True
        elif kind == "sort":
            for f, desc in reversed(c[1]):
                present = [r for r in recs if r.get(f) is not None]
                absent = [r for r in recs if r.get(f) is None]
                present.sort(key=lambda r: _sort_key(r.get(f)),
                             reverse=desc)
                recs = present + absent
            sorted_ = True
        elif kind == "limit":
            user_limit = c[1] if user_limit is None else min(user_limit,
                                                             c[1])
    if matched is None:
        matched = len(recs)
    if not sorted_ and not stats_done:
        recs = sorted(recs, key=lambda r: (r["@timestamp"], r["@ptr"]),
                      reverse=True)
    n = limit
    if user_limit is not None:
        n = min(n, user_limit)
    recs = recs[:n]
    rows = []
    for r in recs:
        fields = shown if shown is not None else [
            (f, f) for f in ("@timestamp", "@message", "@logStream", "@log")]
        row = []
        for src, label in fields:
            v = r.get(src)
            if v is None:
                continue
            if label in bins:
                v = _fmt_ts(v)
            row.append({"field": label, "value": _show(v, src)})
        if not stats_done:
            row.append({"field": "@ptr", "value": r["@ptr"]})
        rows.append(row)
    return rows, matched


# ---------------------------------------------------------- handlers

_ARN_GROUP = re.compile(r"^arn:aws[a-z-]*:logs:[^:]*:\d*:log-group:(.+?)"
                        r"(:\*)?$")


def _group_name(ident):
    m = _ARN_GROUP.match(ident)
    return m.group(1) if m else ident


def _source_groups(store, source):
    """The groups a SOURCE command picks: by name prefix, or all."""
    prefixes = source[1]
    out = [g for name, g in sorted(store.groups.items())
           if prefixes is None or any(name.startswith(p) for p in prefixes)]
    if not out:
        raise AwsError("ResourceNotFoundException",
                       "No log group matches the SOURCE command")
    return out


def _resolve_groups(store, params, source=None):
    """The groups a StartQuery names. The model: exactly one of its three
    group members, or a SOURCE command in the query and none of them."""
    given = [m for m in ("logGroupName", "logGroupNames",
                         "logGroupIdentifiers") if params.get(m) is not None]
    if len(given) > 1:
        raise invalid("Only one of logGroupName, logGroupNames and "
                      "logGroupIdentifiers may be specified")
    if source is not None:
        if given:
            raise invalid("A query with a SOURCE command must not "
                          "specify %s" % given[0])
        return _source_groups(store, source)
    if not given:
        raise invalid("One of logGroupName, logGroupNames or "
                      "logGroupIdentifiers must be specified")
    v = params[given[0]]
    names = [v] if given[0] == "logGroupName" else list(v)
    if not names:
        raise invalid("At least one log group must be specified")
    if len(names) > MAX_GROUPS:
        raise invalid("1 validation error detected: Value '%s' at '%s' "
                      "failed to satisfy constraint: Member must have "
                      "length less than or equal to %d"
                      % (names, given[0], MAX_GROUPS))
    out = []
    for n in names:
        if not isinstance(n, str) or not n:
            raise invalid("Invalid log group name")
        if given[0] == "logGroupIdentifiers":
            n = _group_name(n)
        elif n.startswith("arn:"):
            raise invalid("Log group names must not be ARNs; use "
                          "logGroupIdentifiers")
        g = store.groups.get(n)
        if g is None:
            raise AwsError("ResourceNotFoundException",
                           "Log group '%s' does not exist for account ID "
                           "'%s'" % (n, ACCOUNT))
        if g not in out:
            out.append(g)
    return out


FINAL = ("Complete", "Failed", "Cancelled", "Timeout")


def _states(store):
    s = store.options.get("insights_states")
    if isinstance(s, list) and all(x in ("Scheduled", "Running")
                                   for x in s[:-1]) and s and \
            s[-1] in ("Scheduled", "Running") + FINAL:
        return list(s)
    return ["Running"]


def _intparam(params, name, required=True):
    v = params.get(name)
    if v is None:
        if required:
            raise invalid("1 validation error detected: Value null at "
                          "'%s' failed to satisfy constraint: Member must "
                          "not be null" % name)
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise AwsError("SerializationException",
                       "Unexpected value type for %s" % name)
    return v


def start_query(store, params, call):
    start = _intparam(params, "startTime")
    end = _intparam(params, "endTime")
    limit = _intparam(params, "limit", required=False)
    q = params.get("queryString")
    if q is None:
        raise invalid("1 validation error detected: Value null at "
                      "'queryString' failed to satisfy constraint: Member "
                      "must not be null")
    if not isinstance(q, str) or len(q) > 10000:
        raise invalid("1 validation error detected: Value at 'queryString' "
                      "failed to satisfy constraint: Member must have "
                      "length less than or equal to 10000")
    lang = params.get("queryLanguage", "CWLI")
    if lang != "CWLI":
        raise invalid("unsupported by emulator: queryLanguage %s" % lang)
    if start < 0 or end < 0:
        raise invalid("startTime and endTime must not be negative")
    if end < start:
        raise invalid("End time should not be before the start time")
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise invalid("1 validation error detected: Value '%d' at 'limit' "
                      "failed to satisfy constraint: Member must have value "
                      "between 1 and %d" % (limit, MAX_LIMIT))
    try:
        cmds = compile_query(q)
    except Malformed as e:
        raise malformed_error(q, e)
    with store.lock:
        groups = _resolve_groups(store, params, next(
            (c for c in cmds if c[0] == "source"), None))
        running = sum(1 for x in store.queries.values()
                      if x["status"] in ("Scheduled", "Running"))
        cap = store.options.get("insights_max_running", MAX_RUNNING)
        if running >= cap:
            raise AwsError("LimitExceededException",
                           "Account maximum query concurrency limit of [%d] "
                           "reached." % cap)
        lo, hi = start * 1000, (end + 1) * 1000
        recs = []
        scanned_bytes = 0
        for g in groups:
            for s in g.streams.values():
                for ev in s.events:
                    if lo <= ev.timestamp < hi:
                        recs.append(record(ev, g.name, s.name))
                        scanned_bytes += len(ev.message.encode("utf-8")) + 26
        rows, matched = execute(cmds, recs, limit or DEFAULT_LIMIT)
        qid = str(uuid.uuid4())
        store.queries[qid] = {
            "queryId": qid,
            "queryString": q,
            "logGroupNames": [g.name for g in groups],
            "startTime": start,
            "endTime": end,
            "createTime": store.now_ms(),
            "status": "Scheduled",
            "pending": _states(store),
            "results": rows,
            "statistics": {"recordsMatched": float(matched),
                           "recordsScanned": float(len(recs)),
                           "bytesScanned": float(scanned_bytes)},
        }
    return {"queryId": qid}


def _query(store, params):
    qid = params.get("queryId")
    if not isinstance(qid, str) or not qid:
        raise invalid("1 validation error detected: Value null at 'queryId' "
                      "failed to satisfy constraint: Member must not be "
                      "null")
    q = store.queries.get(qid)
    if q is None:
        raise AwsError("ResourceNotFoundException",
                       "Query does not exist: %s" % qid)
    return q


def get_query_results(store, params, call):
    out = _results(store, params)
    if store.options.get("insights_statistics") is False:
        out.pop("statistics", None)
    return out


def _results(store, params):
    with store.lock:
        q = _query(store, params)
        if q["status"] in ("Scheduled", "Running"):
            if q["pending"]:
                q["status"] = q["pending"].pop(0)
            else:
                q["status"] = "Complete"
        status = q["status"]
        if status in ("Failed", "Timeout"):
            half = {k: float(int(v) // 2)
                    for k, v in q["statistics"].items()}
            return {"queryLanguage": "CWLI", "results": [],
                    "statistics": half, "status": status}
        zero = {"recordsMatched": 0.0, "recordsScanned": 0.0,
                "bytesScanned": 0.0}
        if status == "Complete":
            out = {"queryLanguage": "CWLI", "results": q["results"],
                   "statistics": q["statistics"], "status": status}
            return _page(store, params, out)
        if status == "Running":
            half = {k: float(int(v) // 2)
                    for k, v in q["statistics"].items()}
            return {"queryLanguage": "CWLI", "results": [],
                    "statistics": half, "status": status}
        return {"queryLanguage": "CWLI", "results": [], "statistics": zero,
                "status": status}


def _page(store, params, out):
    """The paging of a Complete result, as the model has it: at most
    10,000 rows an answer, or maxItems (0: as if absent), or
    insights_page_size when smaller; then a nextToken."""
    endless = store.options.get("insights_endless")
    if isinstance(endless, int) and not isinstance(endless, bool):
        return _endless_page(params, out, endless)
    size = min(store.options.get("insights_page_size") or PAGE_MAX,
               params.get("maxItems") or PAGE_MAX)
    tok = params.get("nextToken")
    start = 0
    if tok is not None:
        if not isinstance(tok, str) or not tok.startswith("page:"):
            raise invalid("The specified nextToken is invalid.")
        start = int(tok[5:])
    rows = out["results"]
    out = dict(out, results=rows[start:start + size])
    if start + size < len(rows):
        out["nextToken"] = "page:%d" % (start + size)
    return out


def _endless_page(params, out, size):
    """A page of size rows cycled from the result and a new nextToken,
    whatever came before."""
    tok = params.get("nextToken")
    n = int(tok[8:]) if isinstance(tok, str) and \
        tok.startswith("endless:") else 0
    rows = out["results"] or [[{"field": "@message", "value": "x"}]]
    page = [rows[(n * size + i) % len(rows)] for i in range(size)]
    return dict(out, results=page, nextToken="endless:%d" % (n + 1))


def describe_queries(store, params, call):
    """The account's queries, newest first, by status, group and
    language, maxResults (default 1000) a page."""
    status, group = params.get("status"), params.get("logGroupName")
    lang = params.get("queryLanguage")
    n = params.get("maxResults") or 1000
    tok = params.get("nextToken")
    start = 0
    if tok is not None:
        if not re.fullmatch(r"queries:\d+", tok):
            raise invalid("The specified nextToken is invalid.")
        start = int(tok[8:])
    with store.lock:
        qs = [q for q in sorted(store.queries.values(), key=lambda q: (
                  -q["createTime"], q["queryId"]))
              if status in (None, q["status"]) and lang in (None, "CWLI")
              and (group is None or group in q["logGroupNames"])]
        page = [_query_info(q) for q in qs[start:start + n]]
    out = {"queries": page}
    if start + n < len(qs):
        out["nextToken"] = "queries:%d" % (start + n)
    return out


def _query_info(q):
    info = {"queryLanguage": "CWLI", "queryId": q["queryId"],
            "queryString": q["queryString"], "status": q["status"],
            "createTime": q["createTime"]}
    if q["logGroupNames"]:
        info["logGroupName"] = q["logGroupNames"][0]
    if q["status"] == "Complete":
        info["bytesScanned"] = q["statistics"]["bytesScanned"]
    return info


def stop_query(store, params, call):
    with store.lock:
        q = _query(store, params)
        if q["status"] not in ("Scheduled", "Running"):
            return {"success": False}
        q["status"] = "Cancelled"
        q["pending"] = []
        q["results"] = []
    return {"success": True}


def get_log_group_fields(store, params, call):
    name = params.get("logGroupName")
    ident = params.get("logGroupIdentifier")
    if (name is None) == (ident is None):
        raise invalid("Exactly one of logGroupName and logGroupIdentifier "
                      "must be specified")
    t = params.get("time")
    if t is not None and (isinstance(t, bool) or not isinstance(t, int)):
        raise AwsError("SerializationException",
                       "Unexpected value type for time")
    with store.lock:
        g = store.groups.get(name if name is not None
                             else _group_name(ident))
        if g is None:
            raise AwsError("ResourceNotFoundException",
                           "The specified log group does not exist.")
        if t is None:
            hi = store.now_ms()
            lo = hi - 15 * 60000
        else:
            lo, hi = (t - 8 * 60) * 1000, (t + 8 * 60) * 1000
        counts = {}
        total = 0
        for s in g.streams.values():
            for ev in s.events:
                if not lo <= ev.timestamp <= hi:
                    continue
                total += 1
                for k in record(ev, g.name, s.name):
                    if k == "@ptr":
                        continue
                    counts[k] = counts.get(k, 0) + 1
    fields = [{"name": k, "percent": int(round(100.0 * v / total))}
              for k, v in counts.items()]
    fields.sort(key=lambda f: (-f["percent"], f["name"]))
    return {"logGroupFields": fields}


def get_log_record(store, params, call):
    ptr = params.get("logRecordPointer")
    if not isinstance(ptr, str) or not ptr:
        raise invalid("1 validation error detected: Value null at "
                      "'logRecordPointer' failed to satisfy constraint: "
                      "Member must not be null")
    parts = ptr.split(":")
    with store.lock:
        if len(parts) == 4 and parts[0] == "fakeaws":
            g = store.groups.get(parts[1])
            s = g.streams.get(parts[2]) if g else None
            for ev in (s.events if s else []):
                if ev.event_id == parts[3]:
                    rec = record(ev, g.name, s.name)
                    del rec["@ptr"]
                    return {"logRecord": {k: _show(v, k)
                                          for k, v in rec.items()}}
    raise invalid("Invalid log record pointer")


def init(store):
    if not isinstance(getattr(store, "query_definitions", None), dict):
        store.query_definitions = {}


def put_query_definition(store, params, call):
    name, q = params.get("name"), params.get("queryString")
    if not isinstance(name, str) or not 1 <= len(name) <= 255:
        raise invalid("1 validation error detected: Value at 'name' failed "
                      "to satisfy constraint: Member must have length "
                      "between 1 and 255")
    if not isinstance(q, str) or not 1 <= len(q) <= 10000:
        raise invalid("1 validation error detected: Value at 'queryString' "
                      "failed to satisfy constraint: Member must have "
                      "length between 1 and 10000")
    groups = params.get("logGroupNames") or []
    with store.lock:
        init(store)
        qid = params.get("queryDefinitionId")
        if qid is not None and qid not in store.query_definitions:
            raise AwsError("ResourceNotFoundException",
                           "Query definition does not exist")
        qid = qid or str(uuid.uuid4())
        store.query_definitions[qid] = {
            "queryDefinitionId": qid, "name": name, "queryString": q,
            "logGroupNames": list(groups), "queryLanguage": "CWLI",
            "lastModified": store.now_ms()}
    return {"queryDefinitionId": qid}


def describe_query_definitions(store, params, call):
    prefix = params.get("queryDefinitionNamePrefix") or ""
    n = params.get("maxResults") or 1000
    tok = params.get("nextToken")
    with store.lock:
        init(store)
        defs = sorted((d for d in store.query_definitions.values()
                       if d["name"].startswith(prefix)),
                      key=lambda d: d["name"])
    start = int(tok) if isinstance(tok, str) and tok.isdigit() else 0
    out = {"queryDefinitions": [dict(d) for d in defs[start:start + n]]}
    if start + n < len(defs):
        out["nextToken"] = str(start + n)
    return out


def delete_query_definition(store, params, call):
    with store.lock:
        init(store)
        gone = store.query_definitions.pop(
            params.get("queryDefinitionId"), None)
    if gone is None:
        raise AwsError("ResourceNotFoundException",
                       "Query definition does not exist")
    return {"success": True}


OPS = {
    "GetLogRecord": get_log_record,
    "PutQueryDefinition": put_query_definition,
    "DescribeQueryDefinitions": describe_query_definitions,
    "DeleteQueryDefinition": delete_query_definition,
    "StartQuery": start_query,
    "GetQueryResults": get_query_results,
    "DescribeQueries": describe_queries,
    "StopQuery": stop_query,
    "GetLogGroupFields": get_log_group_fields,
}
