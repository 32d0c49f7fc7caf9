// Templates and matchers of the scenario language (see tests/scenarios/README.md).
//
// resolve(x, vars, {forMatch}) expands "{{expr}}" templates and value generators ($repeat,
// $concat, $codePoints). A string that is exactly one template becomes the raw value (number,
// object, ...); when resolving an expectation that value is wrapped as {"$eq": value} so data
// read back from the server (an item named "$any") is never taken for a matcher.
// match(actual, expected) returns a list of mismatch strings (empty = match).

const TEMPLATE = /\{\{\s*([^}]+?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^}]+?)\s*\}\}$/;

export function lookup(vars, path) {
  let cur = vars;
  for (const part of path.split('.')) {
    if (part === '') continue;
    if (cur === undefined || cur === null) return undefined;
    cur = cur[part];
  }
  return cur;
}

const FILTERS = {
  map: (v, key) => v.map((e) => lookup(e, key)),
  reverse: (v) => [...v].reverse(),
  length: (v) => v.length,
  json: (v) => JSON.stringify(v),
  urlencode: (v) => encodeURIComponent(String(v)),
  first: (v) => v[0],
  last: (v) => v[v.length - 1],
  sort: (v) => [...v].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
  unique: (v) => [...new Set(v)],
  string: (v) => String(v),
  number: (v) => Number(v),
  keys: (v) => Object.keys(v),
  slice: (v, a, b) => v.slice(Number(a), b === undefined ? undefined : Number(b)),
  sum: (v) => v.reduce((s, x) => s + x, 0),
  where: (v, key, value) => v.filter((e) => String(lookup(e, key)) === value),
};

export function evaluate(expr, vars) {
  const [path, ...filters] = expr.split('|').map((s) => s.trim());
  let v = lookup(vars, path);
  if (v === undefined) throw new Error(`template {{${expr}}}: ${path} is undefined`);
  for (const f of filters) {
    const [name, ...args] = f.split(':');
    const fn = FILTERS[name];
    if (!fn) throw new Error(`template {{${expr}}}: unknown filter ${name}`);
    v = fn(v, ...args);
  }
  return v;
}

function isPlainObject(x) {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

export function resolve(x, vars, opts = {}) {
  if (typeof x === 'string') {
    const whole = WHOLE.exec(x);
    if (whole) {
      const v = evaluate(whole[1], vars);
      return opts.forMatch ? { $eq: v } : v;
    }
    return x.replace(TEMPLATE, (_, e) => {
      const v = evaluate(e, vars);
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    });
  }
  if (Array.isArray(x)) return x.map((e) => resolve(e, vars, opts));
  if (isPlainObject(x)) {
    if ('$eq' in x) return { $eq: resolve(x.$eq, vars, { ...opts, forMatch: false }) };
    if ('$repeat' in x) {
      const [s, n] = resolve(x.$repeat, vars, { ...opts, forMatch: false });
      return String(s).repeat(Number(n));
    }
    if ('$concat' in x) return resolve(x.$concat, vars, { ...opts, forMatch: false }).join('');
    if ('$codePoints' in x) return String.fromCodePoint(...x.$codePoints);
    const out = {};
    for (const [k, v] of Object.entries(x)) {
      const valueArg = VALUE_OPS.has(k);
      out[resolve(k, vars, { ...opts, forMatch: false })] = resolve(v, vars, valueArg ? { ...opts, forMatch: false } : opts);
    }
    return out;
  }
  return x;
}

// Operators whose argument is a plain value, not a matcher.
const VALUE_OPS = new Set(['$gt', '$gte', '$lt', '$lte', '$regex', '$type', '$reason', '$sortedDesc', '$unique', '$absent']);

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function typeOk(actual, t) {
  switch (t) {
    case 'number': return typeof actual === 'number' && Number.isFinite(actual);
    case 'integer': return Number.isInteger(actual);
    case 'string': return typeof actual === 'string';
    case 'boolean': return typeof actual === 'boolean';
    case 'null': return actual === null;
    case 'array': return Array.isArray(actual);
    case 'object': return isPlainObject(actual);
    case 'isodate':
      return typeof actual === 'string' && ISO_UTC_MS.test(actual) && !Number.isNaN(Date.parse(actual)) &&
        new Date(actual).toISOString() === actual;
    default: throw new Error(`unknown $type ${t}`);
  }
}

const show = (v) => {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 200)}…(${s.length} chars)` : s;
};

function isOperator(o) {
  return isPlainObject(o) && Object.keys(o).length > 0 && Object.keys(o).every((k) => k.startsWith('$'));
}

/** Returns the mismatches of `actual` against `expected` (a resolved expectation). */
export function match(actual, expected, path = '$', ctx = {}) {
  const errs = [];
  const fail = (msg) => errs.push(`${path}: ${msg}`);
  if (expected === '$any') {
    if (actual === undefined) fail('expected a value, got nothing');
    return errs;
  }
  if (isOperator(expected)) {
    for (const [op, arg] of Object.entries(expected)) {
      switch (op) {
        case '$eq':
          if (!deepEqual(actual, arg)) fail(`expected exactly ${show(arg)}, got ${show(actual)}`);
          break;
        case '$type':
          if (!(Array.isArray(arg) ? arg.some((t) => typeOk(actual, t)) : typeOk(actual, arg)))
            fail(`expected type ${show(arg)}, got ${show(actual)}`);
          break;
        case '$regex':
          if (typeof actual !== 'string' || !new RegExp(arg, 'su').test(actual))
            fail(`expected a string matching /${arg}/, got ${show(actual)}`);
          break;
        case '$oneOf':
          if (!arg.some((m) => match(actual, m, path, ctx).length === 0))
            fail(`expected one of ${show(arg)}, got ${show(actual)}`);
          break;
        case '$not':
          if (match(actual, arg, path, ctx).length === 0) fail(`expected not ${show(arg)}, got ${show(actual)}`);
          break;
        case '$partial':
          if (!isPlainObject(actual)) { fail(`expected an object, got ${show(actual)}`); break; }
          for (const [k, m] of Object.entries(arg)) errs.push(...matchMember(actual, k, m, `${path}.${k}`, ctx));
          break;
        case '$each':
          if (!Array.isArray(actual)) { fail(`expected an array, got ${show(actual)}`); break; }
          actual.forEach((e, i) => errs.push(...match(e, arg, `${path}[${i}]`, ctx)));
          break;
        case '$contains':
          if (!Array.isArray(actual) || !actual.some((e) => match(e, arg, path, ctx).length === 0))
            fail(`expected an array containing ${show(arg)}, got ${show(actual)}`);
          break;
        case '$notContains':
          if (!Array.isArray(actual)) fail(`expected an array, got ${show(actual)}`);
          else actual.forEach((e, i) => { if (match(e, arg, path, ctx).length === 0) fail(`element [${i}] ${show(e)} matches ${show(arg)}`); });
          break;
        case '$length': {
          const len = typeof actual === 'string' ? [...actual].length : actual?.length;
          errs.push(...match(len, arg, `${path}.length`, ctx));
          break;
        }
        case '$gte': if (!(actual >= arg)) fail(`expected >= ${arg}, got ${show(actual)}`); break;
        case '$lte': if (!(actual <= arg)) fail(`expected <= ${arg}, got ${show(actual)}`); break;
        case '$gt': if (!(actual > arg)) fail(`expected > ${arg}, got ${show(actual)}`); break;
        case '$lt': if (!(actual < arg)) fail(`expected < ${arg}, got ${show(actual)}`); break;
        case '$absent': if (actual !== undefined) fail(`expected absent, got ${show(actual)}`); break;
        case '$optional': if (actual !== undefined) errs.push(...match(actual, arg, path, ctx)); break;
        case '$reason': {
          const r = ctx.reasons?.[arg];
          if (r === undefined) throw new Error(`unknown validation reason key ${arg}`);
          // null in the table: the text has not landed yet -> any non-empty string.
          if (r === null ? !(typeof actual === 'string' && actual.length > 0) : actual !== r)
            fail(`expected reason ${arg} (${r === null ? 'any string' : show(r)}), got ${show(actual)}`);
          break;
        }
        case '$sortedDesc':
          // arg: list of keys; array must be sorted descending by them (lexicographic tuple).
          if (!Array.isArray(actual)) { fail('expected an array'); break; }
          for (let i = 1; i < actual.length; i++) {
            if (compareBy(actual[i - 1], actual[i], arg) < 0) {
              fail(`not sorted desc by ${arg} at [${i - 1}],[${i}]: ${show(arg.map((k) => actual[i - 1][k]))} < ${show(arg.map((k) => actual[i][k]))}`);
              break;
            }
          }
          break;
        case '$unique': {
          if (!Array.isArray(actual)) { fail('expected an array'); break; }
          const vals = actual.map((e) => JSON.stringify(arg === true ? e : lookup(e, arg)));
          const dup = vals.find((v, i) => vals.indexOf(v) !== i);
          if (dup !== undefined) fail(`duplicate ${arg === true ? 'element' : arg} ${dup}`);
          break;
        }
        default:
          throw new Error(`${path}: unknown matcher ${op}`);
      }
    }
    return errs;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${show(actual)}`];
    if (actual.length !== expected.length) fail(`expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`);
    else expected.forEach((m, i) => errs.push(...match(actual[i], m, `${path}[${i}]`, ctx)));
    return errs;
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return [`${path}: expected an object, got ${show(actual)}`];
    for (const [k, m] of Object.entries(expected)) errs.push(...matchMember(actual, k, m, `${path}.${k}`, ctx));
    for (const k of Object.keys(actual)) if (!(k in expected)) fail(`unexpected key ${show(k)} = ${show(actual[k])}`);
    return errs;
  }
  if (actual !== expected) fail(`expected ${show(expected)}, got ${show(actual)}`);
  return errs;
}

function matchMember(obj, key, m, path, ctx) {
  const present = Object.prototype.hasOwnProperty.call(obj, key);
  if (!present) {
    if (isOperator(m) && ('$absent' in m || '$optional' in m)) return [];
    if (isOperator(m) && '$oneOf' in m && m.$oneOf.some((x) => isOperator(x) && '$absent' in x)) return [];
    return [`${path}: missing (expected ${show(m)})`];
  }
  return match(obj[key], m, path, ctx);
}

function compareBy(a, b, keys) {
  for (const k of keys) {
    if (a[k] < b[k]) return -1;
    if (a[k] > b[k]) return 1;
  }
  return 0;
}

export function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((e, i) => deepEqual(e, b[i]));
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
}
