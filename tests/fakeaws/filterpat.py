"""CloudWatch Logs filter patterns, the subset the emulator evaluates.

compile(pattern) returns predicate(message) -> bool. Supported:

- the empty pattern and " " (match everything);
- term patterns: bare words [A-Za-z0-9_]+ and "quoted phrases" (with \\"
  and \\\\ escapes), case-sensitive substring match, implicit AND;
  `-term` excludes; a pattern of only `?term`s is an OR; when `?` terms
  are mixed with others they are ignored, as AWS documents;
- JSON patterns made of comparisons joined all by `&&` or all by `||`:
  `$.a.b = "x"`, `$.a != "x"`, `$.n = 5`, `$.n >= 5` (= != < > <= >=),
  `$.a IS NULL|TRUE|FALSE`, `$.a NOT EXISTS`. Selectors are dotted names.

Anything else (space-delimited patterns, regexes, wildcards, array
selectors, parentheses) raises InvalidParameterException
"unsupported by emulator: <pattern>": the emulator refuses rather than
answer differently from CloudWatch.
"""

import json
import re

from common import AwsError

_BARE = re.compile(r"[A-Za-z0-9_]+\Z")
_NAME = re.compile(r"[A-Za-z0-9_]+\Z")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?\Z")
_PLAIN = re.compile(r"[A-Za-z0-9 _.:,;+-]*\Z")
_MISSING = object()


def unsupported(pattern):
    return AwsError("InvalidParameterException",
                    "unsupported by emulator: %s" % pattern)


def _everything(message):
    return True


def compile(pattern):
    if pattern is None:
        return _everything
    text = pattern.strip()
    if text == "" or text == '" "':
        return _everything
    if len(pattern) > 1024:
        raise AwsError(
            "InvalidParameterException",
            "1 validation error detected: Value '%s' at 'filterPattern' failed "
            "to satisfy constraint: Member must have length less than or "
            "equal to 1024" % pattern)
    if text[0] == "{":
        if text[-1] != "}":
            raise AwsError("InvalidParameterException",
                           "If a filter pattern starts with '{' it must end "
                           "with '}'")
        return _compile_json(pattern, text[1:-1])
    if text[0] == "[" or (text[0] == "%" and text[-1] == "%"):
        raise unsupported(pattern)
    return _compile_terms(pattern, text)


# ---- term patterns -------------------------------------------------------

def _tokens(pattern, text):
    i, n = 0, len(text)
    out = []
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        prefix = ""
        if text[i] in "?-":
            prefix = text[i]
            i += 1
            if i >= n or text[i].isspace():
                raise unsupported(pattern)
        if text[i] == '"':
            i += 1
            buf = []
            while True:
                if i >= n:
                    raise unsupported(pattern)
                c = text[i]
                if c == "\\" and i + 1 < n and text[i + 1] in '"\\':
                    buf.append(text[i + 1])
                    i += 2
                    continue
                if c == '"':
                    i += 1
                    break
                buf.append(c)
                i += 1
            if i < n and not text[i].isspace():
                raise unsupported(pattern)
            term = "".join(buf)
        else:
            j = i
            while j < n and not text[j].isspace():
                j += 1
            term = text[i:j]
            i = j
            if not _BARE.match(term):
                raise unsupported(pattern)
        if term == "":
            raise unsupported(pattern)
        out.append((prefix, term))
    return out


def _compile_terms(pattern, text):
    toks = _tokens(pattern, text)
    optional = [t for p, t in toks if p == "?"]
    required = [t for p, t in toks if p == ""]
    excluded = [t for p, t in toks if p == "-"]
    if optional and not required and not excluded:
        opts = tuple(optional)
        return lambda m: any(t in m for t in opts)
    req, exc = tuple(required), tuple(excluded)
    if len(req) == 1 and not exc:
        t = req[0]
        return lambda m: t in m
    return lambda m: (all(t in m for t in req)
                      and not any(t in m for t in exc))


# ---- JSON patterns -------------------------------------------------------

_JSON_TOKEN = re.compile(r"""
    \s*(
      "(?:[^"\\]|\\.)*"          |   # quoted string
      &&|\|\||!=|<=|>=|=|<|>     |   # operators
      [()]                       |
      [^\s()=!<>&|"]+                # selector, bare value, keyword
    )""", re.X)


def _lex(pattern, body):
    pos, out = 0, []
    body = body.rstrip()
    while pos < len(body):
        m = _JSON_TOKEN.match(body, pos)
        if not m:
            raise unsupported(pattern)
        out.append(m.group(1))
        pos = m.end()
    return out


def _selector(pattern, tok):
    if not tok.startswith("$."):
        raise unsupported(pattern)
    parts = tok[2:].split(".")
    for p in parts:
        if not _NAME.match(p):
            raise unsupported(pattern)
    return tuple(parts)


def _resolve(obj, path):
    for p in path:
        if not isinstance(obj, dict) or p not in obj:
            return _MISSING
        obj = obj[p]
    return obj


def _comparison(pattern, toks, i):
    if i >= len(toks):
        raise unsupported(pattern)
    path = _selector(pattern, toks[i])
    i += 1
    if i >= len(toks):
        raise unsupported(pattern)
    op = toks[i]
    if op == "IS" and i + 1 < len(toks):
        what = toks[i + 1]
        if what == "NULL":
            return (lambda o: _resolve(o, path) is None), None, i + 2
        if what == "TRUE":
            return (lambda o: _resolve(o, path) is True), None, i + 2
        if what == "FALSE":
            return (lambda o: _resolve(o, path) is False), None, i + 2
        raise unsupported(pattern)
    if op == "NOT" and i + 1 < len(toks) and toks[i + 1] == "EXISTS":
        return (lambda o: _resolve(o, path) is _MISSING), None, i + 2
    if op not in ("=", "!=", "<", ">", "<=", ">=") or i + 1 >= len(toks):
        raise unsupported(pattern)
    raw = toks[i + 1]
    i += 2
    if _NUMBER.match(raw):
        num = float(raw)

        def getnum(o):
            v = _resolve(o, path)
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                return None
            return v
        cmp = {
            "=": lambda v: v == num, "!=": lambda v: v != num,
            "<": lambda v: v < num, ">": lambda v: v > num,
            "<=": lambda v: v <= num, ">=": lambda v: v >= num,
        }[op]

        def pred(o):
            v = getnum(o)
            return v is not None and cmp(v)
        return pred, None, i
    if op not in ("=", "!="):
        raise unsupported(pattern)
    if raw.startswith('"'):
        try:
            value = json.loads(raw)
        except ValueError:
            raise unsupported(pattern)
    elif _BARE.match(raw):
        value = raw
    else:
        raise unsupported(pattern)
    if "*" in value or "%" in value:
        raise unsupported(pattern)
    if op == "=":
        # the value must appear in the raw text: a cheap pre-check
        hint = value if _PLAIN.match(value) else None
        return (lambda o: _resolve(o, path) == value), hint, i

    def ne(o):
        v = _resolve(o, path)
        return isinstance(v, str) and v != value
    return ne, None, i


def _compile_json(pattern, body):
    toks = _lex(pattern, body)
    if not toks or "(" in toks or ")" in toks:
        raise unsupported(pattern)
    preds, hints, joiner = [], [], None
    i = 0
    while True:
        pred, hint, i = _comparison(pattern, toks, i)
        preds.append(pred)
        hints.append(hint)
        if i == len(toks):
            break
        if toks[i] not in ("&&", "||") or (joiner and toks[i] != joiner):
            raise unsupported(pattern)
        joiner = toks[i]
        i += 1
    any_mode = joiner == "||"
    need = () if any_mode else tuple(h for h in hints if h)
    preds = tuple(preds)

    def match(message):
        for h in need:
            if h not in message:
                return False
        s = message.lstrip()
        if not s.startswith("{"):
            return False
        try:
            obj = json.loads(message)
        except ValueError:
            return False
        if not isinstance(obj, dict):
            return False
        if any_mode:
            return any(p(obj) for p in preds)
        return all(p(obj) for p in preds)
    return match
