import { pgTable, serial, text, integer, index, unique, primaryKey, foreignKey } from 'drizzle-orm/pg-core';
export const parents = pgTable('parents', {
  id: serial('id').primaryKey(),
  code: text('code'),
}, (t) => [unique('parents_code_key').on(t.code)]);
export const kids = pgTable('kids', {
  parentId: integer('parent_id').notNull(),
  nick: text('nick').notNull(),
  age: integer('age'),
}, (t) => [
  primaryKey({ name: 'kids_pkey', columns: [t.parentId, t.nick] }),
  index('kids_age_idx').on(t.age),
  foreignKey({ name: 'kids_parent_id_parents_id_fkey', columns: [t.parentId], foreignColumns: [parents.id] }),
]);
export const pets = pgTable('pets', {
  id: serial('id').primaryKey(),
  kind: text('kind'),
  ownerId: integer('owner_id').references(() => parents.id),
}, (t) => [index().on(t.kind), unique().on(t.kind, t.ownerId)]);
