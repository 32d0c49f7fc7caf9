// Conformance: the official @neondatabase/serverless driver, talking to the edgefn gateway over
// SQL-over-HTTP, must return exactly what node-postgres returns when it talks to the same
// Postgres directly. Each corpus entry is one test case; both sides run the same text and params
// (node-postgres with queryMode 'extended', i.e. Parse/Bind/Execute like the gateway), and we
// compare command, rowCount, rowAsArray, fields and rows deeply - or, for errors, every
// Postgres error field. Spec: /work/shared/specs/neon-sql-over-http.md §3-§5, §7.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  loadEnv, useGateway, connectPg, uniqueName, outcome, shapeResult, normalize, TEST_TIMEOUT_MS,
} from './support.mjs';

const it = (name, fn) => test(name, { timeout: TEST_TIMEOUT_MS }, fn);

const env = loadEnv();
const neon = useGateway(env);
const S = uniqueName('conf_corpus');

const SEED = `
  truncate ${S}.items, ${S}.child, ${S}.parent restart identity;
  insert into ${S}.items (name, code, price, qty, big, ratio, flags, tags, data, mood, moods, born, at, blob, uid) values
    ('apple', 'A1', 1.25, 10, 9007199254740993, 0.5, '{t,f}', '{red,"dark green"}', '{"kind":"fruit","n":[1,2]}',
     'happy', '{happy,sad}', '2024-02-29', '2024-02-29 13:14:15.678+00', '\\x00ff10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
    ('bänana 🍌', 'B2', 0.10, 0, -1, 'NaN', '{}', '{}', '[]', 'sad', '{}', '1999-12-31', '1999-12-31 23:59:59+05:30', '', null),
    ('', null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  insert into ${S}.parent values (1), (2);
  insert into ${S}.child values (10, 1);
`;

// name: describes the behaviour; sql/params: run identically on both sides; arrayMode: rows as
// arrays; reset: SQL (run via pg) before each side so mutations see the same state;
// error: the SQLSTATE pg must raise (guards the corpus itself); check: extra spec assertions.
const corpus = [
  // --- scalar types ---
  { name: 'int2/int4/int8 extremes decode as numbers (int8 as string)',
    sql: `select 32767::int2 a, (-32768)::int2 b, 2147483647 c, (-2147483648)::int4 d,
          9223372036854775807::int8 e, (-9223372036854775808)::int8 f, 0::int8 g` },
  { name: 'float4/float8 ordinary values, tiny/huge exponents and negative zero',
    sql: `select 1.5::float4 a, 3.14159::float4 b, 1e-38::float4 c, 0.1::float8 d, 1e308::float8 e,
          '-0'::float8 f, 123456789.123456789::float8 g, 2.5e-310::float8 h` },
  { name: 'float NaN, Infinity and -Infinity survive as JS NaN/Infinity',
    sql: `select 'NaN'::float8 a, 'Infinity'::float8 b, '-Infinity'::float8 c, 'NaN'::float4 d,
          'Infinity'::float4 e, '-Infinity'::float4 f` },
  { name: 'numeric keeps exact text: scale, huge precision, NaN, Infinity, typmod in fields',
    sql: `select 1.50 a, 'NaN'::numeric b, 123456789012345678901234567890.123456789 c, -0.000001 d,
          'Infinity'::numeric e, '-Infinity'::numeric f, 3.14159::numeric(10,2) g, 0::numeric h` },
  { name: 'bool true/false/null',
    sql: `select true a, false b, null::bool c, 'yes'::bool d` },
  { name: 'text, varchar(n), char(n) padding, name and "char"',
    sql: `select 'abc'::text a, 'abc'::varchar(10) b, 'ab'::char(5) c, 'pg_class'::name d,
          'x'::"char" e, 'abc'::bpchar f` },
  { name: 'empty strings of every string type are not NULL',
    sql: `select ''::text a, ''::varchar b, ''::char(3) c, ''::bytea d, '{}'::text[] e, '""'::json f` },
  { name: 'text with quotes, backslashes, control characters and the literal word NULL',
    sql: `select E'it''s "quoted"' a, E'back\\\\slash' b, E'line1\\nline2\\ttab\\r' c, 'NULL' d,
          E'\\u0001\\u001f' e, '{not,an,array}' f` },
  { name: 'Unicode and emoji (BMP, astral, ZWJ sequences, combining marks) round-trip',
    sql: `select 'héllo wörld' a, '日本語テキスト' b, '🎉👍🏽' c, '👨‍👩‍👧‍👦' d, 'e\u0301' e,
          'Ω≈ç√∫' f, length('🎉👍🏽') g, octet_length('👨‍👩‍👧‍👦') h` },
  { name: 'uuid values decode as strings',
    sql: `select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid a, '00000000-0000-0000-0000-000000000000'::uuid b,
          'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid c` },
  { name: 'date values (leap day, epoch, BC, ±infinity) decode to the same Date/Infinity',
    sql: `select '2024-02-29'::date a, '1970-01-01'::date b, '0044-03-15 BC'::date c,
          'infinity'::date d, '-infinity'::date e, '9999-12-31'::date f` },
  { name: 'time and timetz decode as strings',
    sql: `select '12:34:56.789'::time a, '00:00'::time b, '24:00:00'::time c,
          '23:59:59.999999+05:30'::timetz d, '01:02:03-08'::timetz e` },
  { name: 'timestamp without time zone (microseconds, BC, infinity)',
    sql: `select '2024-01-02 03:04:05.678901'::timestamp a, '1999-12-31 23:59:59'::timestamp b,
          '0001-01-01 00:00:00 BC'::timestamp c, 'infinity'::timestamp d, '-infinity'::timestamp e` },
  { name: 'timestamptz with offsets, epoch, BC and infinity',
    sql: `select '2024-06-01 12:00:00+02'::timestamptz a, '1970-01-01 00:00:00Z'::timestamptz b,
          '2024-06-01 12:00:00.123456-09:30'::timestamptz c, '0044-03-15 12:00:00+00 BC'::timestamptz d,
          'infinity'::timestamptz e, '-infinity'::timestamptz f` },
  { name: 'interval decodes to the same PostgresInterval',
    sql: `select '1 year 2 months 3 days 04:05:06.789'::interval a, '-1 day'::interval b, '0'::interval c,
          '1 microsecond'::interval d, '-2 years -3 hours'::interval e, '100 days 99:00:00'::interval f` },
  { name: 'json and jsonb: objects, arrays, scalars, JSON null, unicode escapes, number text',
    sql: `select '{"a":[1,2,{"b":null}],"c":"x"}'::json a, '{"c":"x","a":[1,2,{"b":null}]}'::jsonb b,
          '[]'::jsonb c, 'null'::jsonb d, '"str"'::json e, '123.4500'::json f, '"\\u00e9\\ud83c\\udf89"'::jsonb g,
          '{"dup":1,"dup":2}'::json h, '{"k":"line\\nbreak"}'::jsonb i` },
  { name: 'bytea decodes to identical bytes (hex, empty, escape input)',
    sql: `select '\\x0001ff7f80'::bytea a, ''::bytea b, decode('hello', 'escape') c, sha256('abc') d` },
  { name: 'oid, inet, point, circle, tsquery, macaddr, int4range and bit decode identically',
    sql: `select 1259::oid a, '192.168.0.1/24'::inet b, '(1.5,-2)'::point c, '<(0,0),3>'::circle d,
          'fat & rat'::tsquery e, '08:00:2b:01:02:03'::macaddr f, '[1,5)'::int4range g, 'B101'::bit(4) h` },
  // --- arrays ---
  { name: 'int2/int4/int8 arrays incl. empty, NULL elements and bounds prefix',
    sql: `select '{1,2,3}'::int4[] a, '{}'::int4[] b, '{1,NULL,3}'::int4[] c, '{-32768,32767}'::int2[] d,
          '{9223372036854775807,NULL}'::int8[] e, '[0:1]={7,8}'::int4[] f` },
  { name: 'multi-dimensional int/text arrays with NULLs (2-D and 3-D)',
    sql: `select '{{1,2},{3,4}}'::int[] a, '{{{1,2},{3,4}},{{5,6},{NULL,8}}}'::int[] b,
          '{{a,NULL},{"c d","NULL"}}'::text[] c, array[[1,2],[3,4]]::int8[] d` },
  { name: 'float and numeric arrays incl. NaN/Infinity (numeric[] parses to floats)',
    sql: `select '{1.5,NaN,Infinity,-Infinity}'::float8[] a, '{0.25,NULL}'::float4[] b,
          '{1.10,2.20,NULL,NaN}'::numeric[] c` },
  { name: 'text/varchar/char/name arrays with quoting, braces, commas, backslashes and NULL',
    sql: `select array['a', null, 'NULL', '', 'with space', 'q"uote', E'back\\\\slash', '{brace}', ',comma', 'é🎉'] a,
          '{x,y}'::varchar[] b, '{ab,c}'::char(2)[] c, '{pg_class,pg_type}'::name[] d` },
  { name: 'bool, uuid, date, timestamp, timestamptz and interval arrays',
    sql: `select '{t,f,NULL}'::bool[] a, '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}'::uuid[] b,
          '{2024-02-29,infinity,NULL}'::date[] c, '{"2024-01-02 03:04:05.6",NULL}'::timestamp[] d,
          '{"2024-01-02 03:04:05.6+02",-infinity}'::timestamptz[] e, '{"1 day","-00:00:01",NULL}'::interval[] f` },
  { name: 'json[], jsonb[] and bytea[] arrays',
    sql: `select array['{"a":1}'::json, '[1,"x"]'::json, null] a, array['{"b":[true]}'::jsonb, 'null'::jsonb] b,
          array['\\x00ff'::bytea, ''::bytea, null] c` },
  // --- enums & NULLs ---
  { name: 'enum values, emoji enum label and enum arrays (custom type OIDs)',
    sql: `select 'happy'::${S}.mood a, '😀 emoji label'::${S}.mood b, null::${S}.mood c,
          array['sad','ok',null]::${S}.mood[] d, '{}'::${S}.mood[] e` },
  { name: 'NULL of every kind decodes to null, untyped NULL is text',
    sql: `select null a, null::int b, null::int8 c, null::numeric d, null::jsonb e, null::int[] f, null::bytea g,
          null::timestamptz h, null::date i, null::interval j, null::${S}.mood k, null::uuid l` },
  // --- result shapes ---
  { name: 'table columns report tableID/columnID/typmod and decode every column type',
    sql: `select * from ${S}.items order by id` },
  { name: 'array mode returns rows as arrays with identical fields',
    sql: `select id, name, price, at from ${S}.items order by id`, arrayMode: true },
  { name: 'duplicate column names: last value wins in object mode',
    sql: `select 1 as a, 2 as a, 'x' as "A", 'y' as "a b"` },
  { name: 'duplicate column names are all kept in array mode',
    sql: `select 1 as a, 2 as a, 'x' as "A"`, arrayMode: true },
  { name: 'zero-row select still returns fields',
    sql: `select id, name from ${S}.items where false` },
  { name: 'VALUES list reports command SELECT and rowCount',
    sql: `values (1, 'a'), (2, 'b'), (3, null)` },
  { name: 'SHOW reports command SHOW with the server setting',
    sql: `show timezone` },
  { name: 'large result: 10 000 rows of mixed types decode identically',
    sql: `select g as id, g::int8 * 1000003 as big, 'row ' || g as label, (g / 7.0)::numeric(12,4) as num,
          g % 2 = 0 as even, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute' as at,
          g * 0.5::float8 as half, jsonb_build_object('g', g, 'tags', jsonb_build_array('a', g)) as doc,
          array[g, g + 1, null] as arr, null::text as nothing, repeat('é', g % 17) as pad
          from generate_series(1, 10000) g` },
  { name: 'large result in array mode: 10 000 rows',
    sql: `select g, md5(g::text) from generate_series(1, 10000) g`, arrayMode: true },
  // --- parameters ---
  { name: 'string params: plain, empty, unicode/emoji, quotes and backslashes',
    sql: `select $1::text a, $2::text b, $3::text c, $4::varchar d, length($3) e`,
    params: ['hello', '', 'héllo 🎉 日本', `it's "q" \\ back`] },
  { name: 'untyped param comes back as text ("42"), typed arithmetic as number',
    sql: `select $1 as raw, $2 * 1 as num`, params: [42, 42] },
  { name: 'number params: int, float, numeric text, int8 beyond 2^53 as string, NaN/Infinity',
    sql: `select $1::int a, $2::float8 b, $3::numeric c, $4::int8 d, $5::float8 e, $6::float8 f, $7::int8 g`,
    params: [42, 3.5, '1.250', '9223372036854775807', NaN, -Infinity, 9007199254740991] },
  { name: 'bigint (10n) param is sent as its decimal text',
    sql: `select $1::int8 a, $1::text b`, params: [1234567890123456789n] },
  { name: 'bool params',
    sql: `select $1::bool a, $2::bool b, $1::text c`, params: [true, false] },
  { name: 'null and undefined params are SQL NULL',
    sql: `select $1::int is null a, $2::text is null b, $1::int c, $2::text d`, params: [null, undefined] },
  { name: 'Date params serialize with the local offset and round-trip through timestamptz/timestamp/date',
    sql: `select $1::timestamptz a, $2::timestamptz b, $1::timestamp c, $1::date d, $3::timestamptz e`,
    params: [new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), new Date(Date.UTC(1969, 6, 20, 20, 17, 40)),
      new Date(Date.UTC(-43, 2, 15, 12))] },
  { name: 'Buffer params become bytea (binary bytes, empty buffer, all byte values)',
    sql: `select $1::bytea a, length($1::bytea) b, $2::bytea c, $3::bytea d`,
    params: [Buffer.from([0, 1, 255, 127, 128]), Buffer.alloc(0), Buffer.from(Array.from({ length: 256 }, (_, i) => i))] },
  { name: 'array params: ints, strings needing escapes, NULL elements, nested, empty',
    sql: `select $1::int[] a, $2::text[] b, $3::int[] c, $4::text[] d, $5::bool[] e, $6::float8[] f`,
    params: [[1, 2, 3], ['a', 'b"c', null, 'back\\slash', '', 'NULL', 'x,y', '{z}', '🎉'], [[1, 2], [3, null]], [],
      [true, false, null], [1.5, NaN, Infinity]] },
  { name: 'object params are JSON text: json, jsonb, jsonb[] and nested values',
    sql: `select $1::jsonb a, $2::json b, $3::jsonb[] c, $1::jsonb -> 'nested' d`,
    params: [{ nested: { a: [1, 2, null], b: true }, s: 'é"\n' }, { x: 'é', arr: [] }, [{ foo: 1 }, { bar: [2] }]] },
  { name: 'enum and enum[] params',
    sql: `select $1::${S}.mood a, $2::${S}.mood[] b`, params: ['ok', ['sad', null, '😀 emoji label']] },
  { name: 'params used in a WHERE clause against a table',
    sql: `select id, name, code from ${S}.items where id = $1 or code = $2 order by id`, params: [2, 'A1'] },
  { name: 'every ASCII control character, DEL, U+2028/U+2029 and lone quotes survive JSON escaping',
    sql: `select string_agg(chr(i), '' order by i) a, chr(8232) || chr(8233) b, '"' c, '\\' d,
          array[chr(1), chr(9), chr(10), chr(127), '"', '\\'] e from generate_series(1, 127) i` },
  { name: 'column names with quotes, spaces, backslashes and emoji are preserved',
    sql: `select 1 as "we""ird name", 2 as "back\\slash", 3 as "✓ 🎉", 4 as "?column?", 5, 6 as "UPPER lower"` },
  { name: 'float8 extremes and shortest round-trip digits match pg',
    sql: `select 4.9e-324::float8 a, 1.7976931348623157e308::float8 b, 0.1::float8 + 0.2::float8 c,
          1e15::float8 d, 1e16::float8 e, 123456.789e3::float4 f, (1/3.0)::float4 g` },
  { name: 'a 1 MB text value and a 1 MB text param round-trip',
    sql: `select repeat('é🎉x', 250000) a, length($1::text) b, md5($1::text) c, $1::text = repeat('ab', 500000) d`,
    params: ['ab'.repeat(500000)] },
  { name: 'a wide row of 300 columns keeps column order and names',
    sql: `select ${Array.from({ length: 300 }, (_, i) => `${i}::int${i % 3 ? 4 : 8} as c${i}`).join(', ')}` },
  { name: '500 params of mixed types bind in order',
    sql: `select ${Array.from({ length: 500 }, (_, i) => `$${i + 1}::${['int', 'text', 'bool', 'float8', 'jsonb'][i % 5]} as p${i}`).join(', ')}`,
    params: Array.from({ length: 500 }, (_, i) => [i, `s${i}é`, i % 2 === 0, i / 8, { i }][i % 5]) },
  { name: 'deeply nested jsonb (100 levels) decodes identically',
    sql: `select (repeat('{"a":[', 100) || '1' || repeat(']}', 100))::jsonb a` },
  { name: 'query text with unicode in comments and literals is sent intact',
    sql: `select /* 🎉 comment */ 'ünï' as "ç" -- trailing comment ✓
          , $1::text as p`, params: ['✓'] },
  { name: 'a text param containing a NUL byte is rejected like pg (22021)',
    sql: `select $1::text as v`, params: ['a\u0000b'], error: '22021' },
  { name: 'a jsonb param with \\u0000 escape is rejected like pg (22P05)',
    sql: `select $1::jsonb as v`, params: ['{"k":"\\u0000"}'], error: '22P05' },
  { name: 'a select with zero columns returns empty rows and no fields',
    sql: `select from generate_series(1, 3)` },
  { name: 'a select with zero columns in array mode returns empty arrays',
    sql: `select from generate_series(1, 2)`, arrayMode: true },
  { name: 'record/composite values, composite arrays and int2vector come back as Postgres text',
    sql: `select row(1, 'a b', null, '"q"') a, array[row(1, 'x'), row(2, null)] b, '1 2 3'::int2vector c,
          '(3,4)'::point p` },
  { name: 'EXPLAIN output is returned as text rows with command EXPLAIN',
    sql: `explain (costs off) select * from ${S}.items where id = 1` },
  { name: 'DO block emitting NOTICEs succeeds with command DO',
    sql: `do $$ begin raise notice 'hello %', 'notice'; raise warning 'careful'; end $$` },
  // --- DML / DDL ---
  { name: 'INSERT … RETURNING * with params of every kind reports INSERT and rowCount 1',
    reset: SEED,
    sql: `insert into ${S}.items (name, code, price, qty, big, ratio, flags, tags, data, mood, moods, born, at, blob, uid)
          values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning *`,
    params: ['widget 🎉', 'W9', '19.99', 7, '9007199254740993', 0.25, [true, false, null], ['x', 'y z', null],
      { nested: { a: [1, 2] } }, 'happy', ['sad', 'happy'], '2024-02-29', new Date(Date.UTC(2024, 1, 29, 12, 0, 0, 123)),
      Buffer.from('hello'), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'] },
  { name: 'multi-row INSERT without RETURNING reports rowCount 3 and no fields',
    reset: SEED, sql: `insert into ${S}.parent values (3), (4), (5)` },
  { name: 'INSERT … ON CONFLICT DO NOTHING that skips reports rowCount 0',
    reset: SEED, sql: `insert into ${S}.parent values (1) on conflict do nothing` },
  { name: 'UPDATE … RETURNING reports UPDATE and the number of rows changed',
    reset: SEED, sql: `update ${S}.items set qty = coalesce(qty, 0) + $1 where id <= $2 returning id, qty`, params: [5, 2] },
  { name: 'UPDATE matching nothing reports rowCount 0',
    reset: SEED, sql: `update ${S}.items set qty = 0 where false` },
  { name: 'DELETE reports DELETE and rowCount',
    reset: SEED, sql: `delete from ${S}.items where id = $1`, params: [3] },
  { name: 'DELETE … RETURNING returns the deleted rows',
    reset: SEED, sql: `delete from ${S}.items where id >= 2 returning id, name, blob`, arrayMode: true },
  { name: 'CREATE TABLE reports command CREATE, rowCount null and no fields',
    reset: `drop table if exists ${S}.made_by_ddl`, sql: `create table ${S}.made_by_ddl (id int primary key, v text)`,
    check: (r) => { assert.equal(r.ok.command, 'CREATE'); assert.equal(r.ok.rowCount, null); assert.deepEqual(r.ok.fields, []); } },
  // --- errors ---
  { name: 'syntax error reports 42601 with position "1"', sql: `selec 1`, error: '42601',
    check: (r) => assert.equal(r.error.position, '1') },
  { name: 'syntax error at end of input reports its position', sql: `select 1 +`, error: '42601' },
  { name: 'undefined table reports 42P01 with message and position',
    sql: `select * from ${S}.nope`, error: '42P01' },
  { name: 'undefined column reports 42703 with a hint', sql: `select nam from ${S}.items`, error: '42703' },
  { name: 'undefined function reports 42883 with a hint', sql: `select no_such_fn(1, 'x')`, error: '42883' },
  { name: 'unique violation reports 23505 with constraint, table, schema and detail',
    sql: `insert into ${S}.items (name, code) values ('dup', 'A1')`, error: '23505', reset: SEED,
    check: (r) => { assert.equal(r.error.constraint, 'items_code_key'); assert.equal(r.error.schema, S); assert.equal(r.error.table, 'items'); } },
  { name: 'primary key violation via params reports 23505 and its detail',
    sql: `insert into ${S}.parent (id) values ($1)`, params: [1], error: '23505' },
  { name: 'not-null violation reports 23502 with column, table and failing row detail',
    sql: `insert into ${S}.items (name) values (null)`, error: '23502', reset: SEED },
  { name: 'check violation reports 23514 with the constraint name',
    sql: `update ${S}.items set qty = -1 where id = 1`, error: '23514', reset: SEED },
  { name: 'foreign key violation reports 23503 with constraint and detail',
    sql: `insert into ${S}.child values (11, 999)`, error: '23503' },
  { name: 'domain check violation reports dataType, schema and constraint',
    sql: `select $1::${S}.posint`, params: [0], error: '23514' },
  { name: 'division by zero reports 22012', sql: `select 1/0`, error: '22012' },
  { name: 'invalid input syntax for a literal reports 22P02 with position',
    sql: `select 'abc'::int`, error: '22P02' },
  { name: 'invalid param value reports 22P02 with a where context naming the param',
    sql: `select $1::int`, params: ['abc'], error: '22P02' },
  { name: 'malformed array literal reports 22P02 with detail', sql: `select '{1,2'::int[]`, error: '22P02' },
  { name: 'invalid enum label reports 22P02', sql: `select 'nope'::${S}.mood`, error: '22P02' },
  { name: 'smallint overflow reports 22003', sql: `select 40000::int2`, error: '22003' },
  { name: 'an error raised after some rows were produced returns only the error (22012)',
    sql: `select 10 / (3 - g) as v from generate_series(1, 5) g`, error: '22012' },
  { name: 'an error message with non-ASCII text is passed through intact',
    sql: `select 'é🎉'::int`, error: '22P02' },
  { name: 'DECLARE CURSOR outside a transaction reports 25P01',
    sql: `declare c cursor for select 1`, error: '25P01' },
  { name: 'INSERT … SELECT … RETURNING of zero rows still reports fields and rowCount 0',
    reset: SEED, sql: `insert into ${S}.parent select id from ${S}.parent where false returning *` },
  { name: 'too few params reports 08P01 bind message error',
    sql: `select $1::int + $2::int`, params: [1], error: '08P01' },
  { name: 'too many params reports 08P01 bind message error',
    sql: `select 1`, params: [1, 2], error: '08P01' },
  { name: 'missing params for a placeholder reports 08P01', sql: `select $1`, error: '08P01' },
  { name: 'two statements in one query report 42601 (prepared statement)',
    sql: `select 1; select 2`, error: '42601' },
  { name: 'RAISE EXCEPTION carries detail, hint and where', error: 'P0001',
    sql: `do $$ begin raise exception 'custom failure %', 42 using detail = 'some detail', hint = 'some hint'; end $$` },
  { name: 'error inside dynamic SQL carries internalQuery and internalPosition', error: '42601',
    sql: `do $$ begin execute 'selec 1'; end $$`,
    check: (r) => { assert.equal(r.error.internalQuery, 'selec 1'); assert.equal(r.error.internalPosition, '1'); } },
];

let pgc;
let sql;

before(async () => {
  pgc = await connectPg(env);
  sql = neon(env.DATABASE_URL);
  await pgc.query(`
    create schema ${S};
    create type ${S}.mood as enum ('sad', 'ok', 'happy', '😀 emoji label');
    create domain ${S}.posint as int check (value > 0);
    create table ${S}.items (
      id serial primary key, name text not null, code varchar(8) unique, price numeric(10,2), qty int2,
      big int8, ratio float4, flags bool[], tags text[], data jsonb, mood ${S}.mood, moods ${S}.mood[],
      born date, at timestamptz, blob bytea, uid uuid, constraint items_qty_check check (qty >= 0));
    create table ${S}.parent (id int primary key);
    create table ${S}.child (id int primary key, parent_id int references ${S}.parent (id));
  `);
  await pgc.query(SEED);
});

after(async () => {
  await pgc?.query(`drop schema if exists ${S} cascade`);
  await pgc?.end();
});

async function runBoth(entry) {
  const params = entry.params ?? [];
  if (entry.reset) await pgc.query(entry.reset);
  const viaNeon = await outcome(() =>
    sql.query(entry.sql, params, { fullResults: true, arrayMode: Boolean(entry.arrayMode) }));
  if (entry.reset) await pgc.query(entry.reset);
  const viaPg = await outcome(() => pgc.query({
    text: entry.sql, values: params, queryMode: 'extended', rowMode: entry.arrayMode ? 'array' : undefined,
  }));
  return { viaNeon, viaPg };
}

describe('neon driver via gateway returns exactly what pg returns', () => {
  for (const entry of corpus) {
    it(entry.name, async () => {
      const { viaNeon, viaPg } = await runBoth(entry);
      // Guard the corpus itself: pg must succeed / fail the way the entry says.
      if (entry.error) assert.equal(viaPg.error?.code, entry.error, `pg outcome: ${JSON.stringify(viaPg)}`);
      else assert.ok(viaPg.ok, `pg failed: ${JSON.stringify(viaPg.error)}`);
      assert.deepStrictEqual(viaNeon, viaPg);
      entry.check?.(viaNeon);
    });
  }
});

describe('neon-specific behaviour via gateway', () => {
  it('empty query returns command "" and rowCount null with no rows', async () => {
    const r = await sql.query('', [], { fullResults: true });
    assert.equal(r.command, '');
    assert.equal(r.rowCount, null);
    assert.deepEqual(r.rows, []);
    assert.deepEqual(r.fields, []);
  });

  it('default (non-fullResults) query returns just the rows as objects', async () => {
    const rows = await sql.query(`select id, name from ${S}.items where id <= 2 order by id`);
    const ref = await pgc.query({ text: `select id, name from ${S}.items where id <= 2 order by id`, queryMode: 'extended' });
    assert.deepStrictEqual(normalize(rows), normalize(ref.rows));
  });

  it('tagged template: values become $n params (number, string, bool, null, array)', async () => {
    const full = neon(env.DATABASE_URL, { fullResults: true });
    const r = await full`select ${1}::int a, ${'s'} b, ${true}::bool c, ${null}::text d, ${[1, 2]}::int[] e`;
    const ref = await pgc.query({ text: 'select $1::int a, $2 b, $3::bool c, $4::text d, $5::int[] e',
      values: [1, 's', true, null, [1, 2]], queryMode: 'extended' });
    assert.deepStrictEqual(shapeResult(r), shapeResult(ref));
  });

  it('tagged template: a Buffer value is sent as bytea (placeholder cast ::bytea)', async () => {
    const full = neon(env.DATABASE_URL, { fullResults: true });
    const buf = Buffer.from([0, 1, 255]);
    const r = await full`select ${buf} as b, octet_length(${buf}) as n`;
    const ref = await pgc.query({ text: 'select $1::bytea as b, octet_length($2::bytea) as n', values: [buf, buf], queryMode: 'extended' });
    assert.deepStrictEqual(shapeResult(r), shapeResult(ref));
  });

  it('tagged template: nested fragments and sql.unsafe are spliced and renumbered', async () => {
    const full = neon(env.DATABASE_URL, { fullResults: true });
    const where = full`where id >= ${2}`;
    const r = await full`select id, name from ${full.unsafe(`${S}.items`)} ${where} and name <> ${'zzz'} order by id`;
    const ref = await pgc.query({ text: `select id, name from ${S}.items where id >= $1 and name <> $2 order by id`,
      values: [2, 'zzz'], queryMode: 'extended' });
    assert.deepStrictEqual(shapeResult(r), shapeResult(ref));
  });

  it('30 concurrent queries through the gateway each get their own correct result', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      sql.query(`select $1::int as i, pg_sleep(0.02)::text as z, repeat('x', $1::int) as s`, [i])));
    assert.deepStrictEqual(results, Array.from({ length: 30 }, (_, i) => [{ i, z: '', s: 'x'.repeat(i) }]));
  });

  it('query errors are NeonDbError instances carrying the Postgres SQLSTATE', async () => {
    await assert.rejects(sql.query('select 1/0'), (e) => {
      assert.equal(e.name, 'NeonDbError');
      assert.equal(e.code, '22012');
      assert.equal(e.severity, 'ERROR');
      return true;
    });
  });

  it('a wrong password is rejected (400 password authentication failed)', async () => {
    const bad = new URL(env.DATABASE_URL);
    bad.password = 'wrong-password';
    await assert.rejects(neon(bad.toString()).query('select 1'), (e) => {
      assert.equal(e.name, 'NeonDbError');
      assert.match(e.message, /password authentication failed for user/);
      return true;
    });
  });
});
