import { pgTable, serial, text, integer, timestamp } from 'drizzle-orm/pg-core';
export const writers = pgTable('writers', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  bio: text('bio'),
  createdAt: timestamp('created_at').notNull().defaultNow(),
  country: text('country'),
});
export const books = pgTable('books', {
  id: serial('id').primaryKey(),
  title: text('title').notNull(),
  writerId: integer('writer_id').references(() => writers.id),
  createdAt: timestamp('created_at').notNull().defaultNow(),
});
