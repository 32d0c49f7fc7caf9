import { pgTable, pgEnum, serial, text } from 'drizzle-orm/pg-core';
export const mood = pgEnum('mood', ['sad', 'ok', 'happy']);
export const people = pgTable('people', {
  id: serial('id').primaryKey(),
  name: text('name'),
  mood: mood('mood').default('ok').notNull(),
  other: mood('other'),
});
