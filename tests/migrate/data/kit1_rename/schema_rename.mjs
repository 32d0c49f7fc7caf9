import { pgTable, serial, text, integer, index, unique } from 'drizzle-orm/pg-core';
export const items = pgTable('items', {
  id: serial('id').primaryKey(),
  userId: text('user_id').notNull(),
  title: text('title'),
  extra: integer('extra'),
}, (t) => [index('owner_idx').on(t.userId), unique('label_key').on(t.title)]);
export const notes = pgTable('notes', {
  id: serial('id').primaryKey(),
  content: text('content'),
  weight: integer('weight').default(0),
}, (t) => [index('weight_idx').on(t.weight)]);
