import { pgTable, pgEnum, serial, text, integer, varchar, index, uniqueIndex, unique, check, primaryKey } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
export const mood = pgEnum('mood', ['sad', 'ok', 'happy']);
export const authors = pgTable('authors', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  email: varchar('email', { length: 256 }).notNull(),
  mood: mood('mood').default('happy'),
}, (t) => [unique('author_identity').on(t.email, t.name), check('name_len', sql`length(${t.name}) > 1`)]);
export const books = pgTable('books', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id').references(() => authors.id, { onDelete: 'cascade' }),
  title: varchar('title', { length: 512 }).notNull(),
  pages: integer('pages'),
}, (t) => [uniqueIndex('author_title_idx').on(t.authorId, t.title.desc())]);
export const bookTags = pgTable('book_tags', {
  bookId: integer('book_id').notNull(),
  tag: text('tag').notNull(),
  weight: integer('weight').notNull().default(1),
}, (t) => [primaryKey({ columns: [t.bookId, t.tag, t.weight] }), unique().on(t.tag), index('weight_idx').on(t.weight)]);
export const shelves = pgTable('shelves', {
  id: serial('id').primaryKey(),
  label: text('label').notNull(),
});
