import { pgTable, pgEnum, serial, text, integer, varchar, index, uniqueIndex, unique, check, primaryKey } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
export const mood = pgEnum('mood', ['sad', 'ok']);
export const authors = pgTable('authors', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  email: varchar('email', { length: 256 }),
  mood: mood('mood').default('ok'),
}, (t) => [unique('author_identity').on(t.email), check('name_len', sql`length(${t.name}) > 0`)]);
export const books = pgTable('books', {
  id: serial('id').primaryKey(),
  authorId: integer('author_id').references(() => authors.id),
  title: text('title').notNull(),
  pages: integer('pages').default(0),
  tags: text('tags').array(),
}, (t) => [index('title_idx').on(t.title), uniqueIndex('author_title_idx').on(t.authorId, t.title)]);
export const bookTags = pgTable('book_tags', {
  bookId: integer('book_id').notNull(),
  tag: text('tag').notNull(),
}, (t) => [primaryKey({ columns: [t.bookId, t.tag] }), unique().on(t.tag)]);
