// The SQL drizzle-orm sends for the wardrobe's routes (tests/bench/reference): one copy for the
// floor Worker's statements (lib.mjs FLOOR_SQL) and the hand-written Worker (by_hand.mjs), so that
// both run exactly what the peer runs. No Node imports: workerd loads it too.
export const COLS = '"id", "user_id", "name", "size", "type", "color", "created_at", "image_url"';

/** Statement texts by route; update's SET list depends on the body (see update_sql). */
export const SQL = {
  list: `select ${COLS} from "items" where "items"."user_id" = $1 order by "items"."created_at" desc, "items"."id" desc limit $2`,
  total: 'select count(*) from "items" where "items"."user_id" = $1',
  get: `select ${COLS} from "items" where ("items"."id" = $1 and "items"."user_id" = $2)`,
  create: `insert into "items" ("id", "user_id", "name", "size", "type", "color", "created_at", "image_url") values (default, $1, $2, $3, $4, $5, default, $6) returning ${COLS}`,
  delete: `delete from "items" where ("items"."id" = $1 and "items"."user_id" = $2) returning ${COLS}`,
};

/** The update of the given columns ($1..$n), then the id and the user ($n+1, $n+2). */
export function updateSql(columns) {
  const set = columns.map((c, i) => `"${c}" = $${i + 1}`).join(', ');
  return `update "items" set ${set} where ("items"."id" = $${columns.length + 1} and "items"."user_id" = $${columns.length + 2}) returning ${COLS}`;
}
