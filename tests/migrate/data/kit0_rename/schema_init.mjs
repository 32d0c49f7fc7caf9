import { pgTable, serial, text, integer, index, unique } from 'drizzle-orm/pg-core';
export const things = pgTable('things', {
  id: serial('id').primaryKey(),
  ownerId: text('owner_id').notNull(),
  label: text('label'),
}, (t) => [index('owner_idx').on(t.ownerId), unique('label_key').on(t.label)]);
export const notes = pgTable('notes', {
  id: serial('id').primaryKey(),
  body: text('body'),
  weight: integer('weight'),
});
